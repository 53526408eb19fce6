"""Values derived from installed files (word lists, models, code fingerprints), kept between processes.

Parsing them again costs every new process seconds; a pickle of the result loads in a
fraction of that. The caller names the folder (the orchestration gives the result
store's resources/ folder, as trusted as the pickled results beside it) and what the
value depends on (library versions, data), which names the file: a new version is
loaded afresh and replaces the old copy. No folder: load every time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from pathlib import Path
from typing import Any, Callable


def kept(folder: Path | None, name: str, load: Callable[[], Any], *depends: str) -> Any:
    """load(), or its pickle from an earlier process: keyed on Python and `depends`."""
    if folder is None:
        return load()
    key = hashlib.sha256("\0".join([sys.version, *depends]).encode()).hexdigest()[:16]
    path = folder / f"{name}-{key}.pickle"
    try:
        with path.open("rb") as handle:
            return pickle.load(handle)
    except Exception:  # noqa: BLE001 - none yet, or a damaged one: load afresh and replace it
        pass
    value = load()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(path)  # whole or absent for a process reading it meanwhile
        for old in folder.glob(f"{name}-*.pickle"):  # earlier versions' copies
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:  # a read-only cache: this process still has the value
        pass
    return value
