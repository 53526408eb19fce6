"""Is the pack in --out already what a build would write? Answered before any heavy import.

Every build records in its manifest what its pack was made from ("inputs": hashes of
the source's bytes, the errata file used (or that there was none), every setting
(from briefpack.toml, BRIEFPACK_* variables and flags alike), the templates, the
code and data of briefpack itself and the installed libraries' versions)
and the sha256 of every file it wrote ("files"). A later command recomputes the
inputs; when they are equal and every file is still as written, the pack is current
and the command says so without importing Prefect, pdfplumber or the stages.

Only hashes go into the manifest (a password is a setting).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Callable

from flows import stagecode
from flows.packs import errata_path
CODE = (Path(__file__).resolve().parent, stagecode.TASKS)  # flows/ and tasks/: wiring, stages, data


def inputs(source: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a pack of `source` is made from, as hashes (the manifest's "inputs")."""
    from tasks.settings import Settings

    source = Path(source)
    config = Settings.beside(source.parent, **(overrides or {}))
    settings = config.model_dump(mode="json", exclude={"cache_dir"})  # where the cache is changes no output
    errata = errata_file(source, config.errata)
    return {
        "source": _file_hash(source),
        "errata": {"path": str(errata), "sha256": _file_hash(errata)} if errata else None,
        "settings": _hash(json.dumps(settings, sort_keys=True).encode()),
        "templates": _folder_hash(Path(config.templates)),
        "code": _hash(b"".join(_folder_hash(folder).encode() for folder in CODE)),
        "libraries": stagecode.installed(),
    }


def errata_file(source: Path, setting: Path | str | None) -> Path | None:
    """The errata file a build of `source` reads (flows/packs.py decides)."""
    return errata_path(source, setting)


def file_hashes(pack: Path) -> dict[str, str]:
    """sha256 of every file of a pack folder but its manifest (the manifest's "files")."""
    return {
        path.relative_to(pack).as_posix(): _file_hash(path)
        for path in sorted(pack.rglob("*"))
        if path.is_file() and path.name != "manifest.json"
    }


def current(source: Path, out: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any] | None:
    """The manifest of out/<stem>/ when that pack is what a build of `source` would write, else None."""
    pack = Path(out) / Path(source).stem
    try:
        manifest = json.loads((pack / "manifest.json").read_text(encoding="utf-8"))
        recorded, files = manifest["inputs"], manifest["files"]
        if recorded != inputs(source, overrides) or files != file_hashes(pack):
            return None
    except (OSError, ValueError, KeyError, TypeError):  # no pack, an older manifest, a file gone, a bad setting
        return None
    return manifest


def template_hashes(folder: Path) -> dict[str, str]:
    """sha256 of each file under `folder` by its relative path (caches are skipped)."""
    return {
        path.relative_to(folder).as_posix(): _file_hash(path)
        for path in sorted(Path(folder).rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _folder_hash(folder: Path) -> str:
    return _hash(json.dumps(template_hashes(folder), sort_keys=True).encode())


def _file_hash(path: Path) -> str | None:
    try:
        return _hash(Path(path).read_bytes())
    except OSError:  # missing or unreadable: the build reports it; here it only never matches
        return None


def _hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def skip_current(
    sources: list[Path], out: Path, overrides: dict[str, Any], strict: bool, say: Callable[[str], None]
) -> tuple[list[Path], int]:
    """The sources whose pack is not current, and the exit code of those that are (9: --strict and warning notes)."""
    stale, code = [], 0
    for source in sources:
        manifest = current(source, out, overrides)
        if manifest is None:
            stale.append(source)
            continue
        say(f"{source}: up to date ({Path(out) / Path(source).stem})")
        if strict and (manifest["summary"]["warnings"] or manifest["summary"]["errors"]):
            code = code or 9
    return stale, code
