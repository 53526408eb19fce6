"""Where each source's pack goes, checked before any work: out/<name>/ and nothing else.

Publishing replaces out/<name>/ whole, so a name that resolves anywhere else (a source
called `..pdf` has the stem ".") would replace --out itself. Every name is checked
here, and publish() checks the resolved folder again before it touches anything.
No heavy imports: the command runs these checks in its first second.
"""

from __future__ import annotations

import os
from pathlib import Path

from tasks.errors import UsageError, shown

SOURCE_SUFFIXES = (".pdf", ".txt", ".md", ".markdown")

# Names Windows reserves in any folder: a pack copied to a share must keep working.
RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def pack_name(source: Path) -> str:
    """The pack folder's name for `source` (its stem), or a UsageError saying why it cannot be one."""
    name = Path(source).stem
    if not name.strip():
        problem = "is empty"
    elif name.startswith("."):
        problem = "starts with a dot (a hidden folder; '.' or '..' would be --out itself)"
    elif any(c in name for c in "/\\") or not name.isprintable():
        problem = "holds a path separator or a control character"
    elif name.split(".")[0].lower() in RESERVED:
        problem = "is one that Windows reserves"
    else:
        return name
    raise UsageError(f"{shown(source)}: no pack folder can be named after this file (its name {problem}); rename it")


def pack_folder(source: Path, out: Path) -> Path:
    """out/<name>/, refused unless it resolves to a direct child of --out."""
    folder = Path(out) / pack_name(source)
    if folder.resolve().parent != Path(out).resolve():
        raise UsageError(f"{shown(source)}: its pack folder {shown(folder)} would lie outside {shown(out)}")
    return folder


def check_destinations(sources: list[Path], out: Path) -> None:
    """Every source gets a pack folder of its own inside a usable --out; else one UsageError."""
    seen: dict[str, Path] = {}
    for source in sources:
        name = pack_name(source)
        if name in seen:
            raise UsageError(
                f"{shown(seen[name])} and {shown(source)} would both be built into {shown(Path(out) / name)}; "
                "rename one or build them into different --out folders"
            )
        seen[name] = source
    check_out(Path(out))


def check_out(out: Path) -> None:
    """--out must be a folder we may write in (or one we can create)."""
    existing = next((p for p in (out, *out.parents) if p.exists()), None)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {shown(out)}: is a file, not a folder")
    if existing is not None and existing.is_dir() and not os.access(existing, os.W_OK | os.X_OK):
        raise UsageError(f"--out {shown(out)}: {shown(existing)} is not writable")
    if existing is not None and not existing.is_dir():
        raise UsageError(f"--out {shown(out)}: {shown(existing)} is a file, not a folder")


ERRATA_SUFFIXES = (".errata.toml", ".errata.yaml", ".errata.yml")


def errata_path(source: Path, setting: Path | str | None) -> Path | None:
    """The errata file named by the setting, else <stem>.errata.toml/.yaml beside the source."""
    if setting:
        return Path(setting)
    for suffix in ERRATA_SUFFIXES:
        candidate = source.with_name(source.stem + suffix)
        if candidate.is_file():
            return candidate
    return None


def expand_sources(arguments: list[Path]) -> list[Path]:
    """Files as given; folders to the reports inside them; shell-style globs expanded."""
    found: list[Path] = []
    for argument in arguments:
        if argument.is_dir():
            found += sorted(p for p in argument.iterdir() if p.suffix.lower() in SOURCE_SUFFIXES)
        elif any(ch in str(argument) for ch in "*?[") and not argument.exists():
            anchor = Path(argument.anchor or ".")
            found += sorted(anchor.glob(str(argument.relative_to(anchor)) if argument.anchor else str(argument)))
        else:
            found.append(argument)
    return found
