"""The result store: where cached stage results live, how big it is, emptying it.

No Prefect import: `briefpack cache info` answers at once.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any


def location(cache_dir: Path) -> Path:
    """The folder Prefect persists results to: PREFECT_LOCAL_STORAGE_PATH when set, else the setting."""
    override = os.environ.get("PREFECT_LOCAL_STORAGE_PATH")
    return Path(override).expanduser().resolve() if override else Path(cache_dir).expanduser().resolve()


def info(folder: Path) -> dict[str, Any]:
    files = [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []
    return {"location": str(folder), "entries": len(files), "bytes": sum(p.stat().st_size for p in files)}


def clear(folder: Path) -> int:
    """Remove every cached result; return how many there were. The folder itself stays."""
    if not folder.is_dir():
        return 0
    count = info(folder)["entries"]
    for child in folder.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    return count


def human(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if value < 1024 or unit == "GiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
