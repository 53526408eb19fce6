"""The result store: where cached stage results live, how big it is, emptying and pruning it.

The cache owns only what it wrote. A folder becomes a briefpack cache when briefpack
creates it (or finds it empty) and writes a CACHEDIR.TAG into it (the Cache Directory
Tagging convention, which backup tools also honour); `clear` and `prune` refuse any
folder without that tag and, inside one, touch only files named like cache entries:
`<stage>-<version>-<sha256>` (flows/keys.py:task_key) or the uuid-named records
Prefect writes for a failed task. A report, a config or a user's file beside them is
never removed, whatever `cache_dir` points at.

Entries are Prefect result records holding pickles: reading one runs code, so the
cache folder must be as trusted as the code itself (docs/reliability.md).

Two folders inside are not entries and stay through `clear` and `prune`: server/
(the background Prefect server's database, flows/server.py) and resources/ (word
lists, the language model and stage code fingerprints parsed once and pickled,
tasks/kept.py; a new library version replaces its file).

No Prefect import: `briefpack cache info` answers at once.
"""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TAG_NAME = "CACHEDIR.TAG"
TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This file is a cache directory tag created by briefpack (stage results).\n"
    "# For information about cache directory tags see https://bford.info/cachedir/\n"
)
STAGE_ENTRY = re.compile(r"^[a-z]+-[\w.]+-[0-9a-f]{64}$")
FAILURE_RECORD = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class NotACache(Exception):
    """A folder briefpack did not create as its cache: it will not delete anything in it."""


@dataclass(frozen=True)
class Entry:
    path: Path
    bytes: int
    modified: float
    failure: bool  # a failed task's record: never a cache hit, always prunable


def location(cache_dir: Path) -> Path:
    """The folder Prefect persists results to: PREFECT_LOCAL_STORAGE_PATH when set, else the setting."""
    override = os.environ.get("PREFECT_LOCAL_STORAGE_PATH")
    return Path(override).expanduser().resolve() if override else Path(cache_dir).expanduser().resolve()


def adopt(folder: Path) -> bool:
    """Make `folder` a briefpack cache if it is new or empty; say whether it is one now."""
    folder.mkdir(parents=True, exist_ok=True)
    tag = folder / TAG_NAME
    if is_cache(folder):
        return True
    if any(folder.iterdir()):
        return False  # someone else's folder: builds may still use it, but nothing here deletes in it
    tag.write_text(TAG, encoding="utf-8")
    return True


def is_cache(folder: Path) -> bool:
    tag = folder / TAG_NAME
    try:
        return tag.is_file() and tag.read_text(encoding="utf-8", errors="replace").startswith(TAG.splitlines()[0])
    except OSError:
        return False


def entries(folder: Path) -> list[Entry]:
    """The cache entries directly in `folder` (nothing else it may hold), oldest first."""
    found = []
    for path in folder.iterdir() if folder.is_dir() else ():
        failure = bool(FAILURE_RECORD.match(path.name))
        if (failure or STAGE_ENTRY.match(path.name)) and path.is_file() and not path.is_symlink():
            stat = path.stat()
            found.append(Entry(path, stat.st_size, stat.st_mtime, failure))
    return sorted(found, key=lambda e: (e.modified, e.path.name))


def info(folder: Path) -> dict[str, Any]:
    found = entries(folder) if is_cache(folder) else []
    return {
        "location": str(folder),
        "cache": is_cache(folder),
        "entries": len(found),
        "bytes": sum(e.bytes for e in found),
    }


def _owned(folder: Path) -> list[Entry]:
    if not folder.is_dir():
        return []
    if not is_cache(folder):
        raise NotACache(f"{folder}: not a briefpack cache (no {TAG_NAME} written by briefpack); nothing removed")
    return entries(folder)


def clear(folder: Path) -> int:
    """Remove every cache entry; return how many. Other files and the folder itself stay."""
    found = _owned(folder)
    for entry in found:
        entry.path.unlink(missing_ok=True)
    return len(found)


def prune(folder: Path, max_bytes: int, max_age_days: float, now: float | None = None) -> int:
    """Remove failed-task records, entries older than `max_age_days`, then the oldest until
    the rest fit in `max_bytes`; return how many were removed. Age is time since written."""
    found = _owned(folder)
    cutoff = (now if now is not None else time.time()) - max_age_days * 86_400
    keep = [e for e in found if not e.failure and e.modified >= cutoff]
    total = sum(e.bytes for e in keep)
    while keep and total > max_bytes:
        total -= keep.pop(0).bytes
    kept = {e.path for e in keep}
    removed = [e for e in found if e.path not in kept]
    for entry in removed:
        entry.path.unlink(missing_ok=True)
    return len(removed)


def keep_within(settings: Any) -> None:
    """After a build: the cache within its settings' size and age, failed tasks' records gone."""
    folder = location(settings.cache_dir)
    if is_cache(folder):
        prune(folder, settings.cache_max_bytes, settings.cache_max_age_days)


def human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
