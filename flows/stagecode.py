"""What a stage's output depends on besides its inputs: its code, its data files, its libraries.

A cache key built on a hand-bumped VERSION goes stale the day someone forgets to
bump it (or edits a YAML rule file). So each stage's key holds a fingerprint of
every `tasks` module the stage imports (found by reading the sources' import
statements, transitively, without importing anything), the files of tasks/data/
when one of those modules reads that folder, and the versions of the installed
libraries they import (wordfreq's word lists, pdfminer's parser, pandoc).

Computing them (parsing imports, reading every installed distribution's file list)
costs a new process about a second, so with a folder (the result store's
resources/) they are kept between processes, keyed on the content of tasks/ and the
list of installed distributions: any edit or install computes them afresh.

Plain files only: the up-to-date check uses this before Prefect or pdfplumber is imported.
"""

from __future__ import annotations

import ast
import functools
import hashlib
import os
import re
import sys
import threading
from importlib import metadata
from pathlib import Path

from tasks.kept import kept

TASKS = Path(__file__).resolve().parent.parent / "tasks"

# The module each stage runs (steps.py's names for the stages).
ROOTS = {
    "extract": "tasks.extract",
    "clean": "tasks.clean",
    "correct": "tasks.typos",
    "structure": "tasks.structure",
    "brief": "tasks.brief",
    "render": "tasks.render",
}

READS_DATA = re.compile(r"""["']data["']""")  # a module that builds a path to tasks/data/
_lock = threading.Lock()


def fingerprint(stage: str, kept_in: Path | None = None) -> str:
    """sha256 of the stage's module sources, data files and library versions.

    Remembered per state of the files (path, size, mtime), so a long watch session
    notices an edited rule file while each task's key costs only a stat of the package;
    with `kept_in`, kept there for the next process too.
    """
    with _lock:  # tasks compute keys on many threads; ast.parse is not safe to run on several at once
        return _all(TASKS, _state(TASKS), kept_in)[stage]


def fingerprints() -> dict[str, str]:
    return {stage: fingerprint(stage) for stage in ROOTS}


@functools.lru_cache(maxsize=16)
def _all(tasks: Path, state: tuple, kept_in: Path | None) -> dict[str, str]:
    def compute() -> dict[str, str]:
        return {stage: _fingerprint(stage, tasks, state) for stage in ROOTS}

    return kept(kept_in, "stagecode", compute, _content(tasks), installed())


def _content(tasks: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(tasks.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(tasks)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def installed() -> str:
    """A hash of every installed distribution's name and version (the names of the *.dist-info folders).

    Coarser than a stage's record of the libraries it imports (`libraries`), but a
    directory listing instead of reading every distribution's metadata: an unrelated
    install costs one rebuild, whose stages then come from the cache.
    """
    names = sorted({  # briefpack's own metadata is left out: its code is hashed on its own, and how the
        # checkout is on sys.path (PYTHONPATH, an editable install) must not matter
        entry for folder in sys.path if folder and os.path.isdir(folder)
        for entry in os.listdir(folder)
        if entry.endswith((".dist-info", ".egg-info")) and not entry.lower().startswith(("briefpack-", "briefpack."))
    })
    return hashlib.sha256("\n".join(names).encode()).hexdigest()


def _state(tasks: Path) -> tuple:
    return tuple(
        (str(p), s.st_size, s.st_mtime_ns)
        for p in sorted(tasks.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and (s := p.stat())
    )


@functools.lru_cache(maxsize=64)
def _fingerprint(stage: str, tasks: Path, state: tuple) -> str:
    digest = hashlib.sha256()
    for path in files(stage, tasks):
        digest.update(str(path.relative_to(tasks)).encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    for name, version in libraries(stage, tasks):
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


def files(stage: str, tasks: Path = TASKS) -> list[Path]:
    """The stage's module files and the data files they read, sorted."""
    modules = _closure(ROOTS[stage], tasks)
    found = set(modules.values())
    if any(READS_DATA.search(path.read_text(encoding="utf-8")) for path in modules.values()):
        found |= {p for p in (tasks / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    return sorted(found)


def libraries(stage: str, tasks: Path = TASKS) -> list[tuple[str, str]]:
    """(distribution, version) of every installed library the stage's modules import."""
    names: set[str] = set()
    for path in _closure(ROOTS[stage], tasks).values():
        names |= {n for n in _imports(path, tasks) if n.split(".")[0] != "tasks"}
    tops = {n.split(".")[0] for n in names} - set(sys.stdlib_module_names)
    distributions = _distributions()
    return sorted({(d, metadata.version(d)) for top in tops for d in distributions.get(top, [])})


@functools.lru_cache(maxsize=1)
def _distributions() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def _closure(root: str, tasks: Path) -> dict[str, Path]:
    """Every tasks.* module `root` imports, directly or not: name -> file."""
    seen: dict[str, Path] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        path = _module_file(name, tasks)
        if name in seen or path is None:
            continue
        seen[name] = path
        pending += [n for n in _imports(path, tasks) if n.split(".")[0] == "tasks"]
        pending += _parents(name)  # importing tasks.a.b runs tasks/a/__init__.py too
    return seen


def _parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(2, len(parts))]


def _module_file(name: str, tasks: Path) -> Path | None:
    relative = Path(*name.split(".")[1:]) if "." in name else Path()
    for candidate in (tasks / relative / "__init__.py", tasks / relative.with_suffix(".py")):
        if relative != Path() and candidate.is_file():
            return candidate
    return None


def _imports(path: Path, tasks: Path) -> set[str]:
    """Module names imported by a source file; `from tasks.x import y` also yields tasks.x.y (a submodule?)."""
    stat = path.stat()
    return _parsed_imports(path, tasks, stat.st_size, stat.st_mtime_ns)


@functools.lru_cache(maxsize=256)
def _parsed_imports(path: Path, tasks: Path, _size: int, _mtime: int) -> frozenset[str]:
    names: set[str] = set()
    package = _package_of(path, tasks)
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}
    return frozenset(names)


def _package_of(path: Path, tasks: Path) -> str:
    parts = path.relative_to(tasks.parent).with_suffix("").parts
    return ".".join(parts if path.name == "__init__.py" else parts[:-1]).removesuffix(".__init__")
