"""What the user typed or configured, checked before any work: one UsageError line, exit 2.

The command line calls these before Prefect is imported, so a mistake in a flag, a
setting, an errata file or a path is reported in the first second, naming the file,
never as an internal error at the end of a build.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import Any


_checked: set[tuple] = set()


def check_source_file(source: Path, settings: Any) -> None:
    """tasks.errors.check_source under the source's limits, once per content of the file in a process.

    The command line checks before Prefect starts and the flow checks again (it has
    other callers); checking the same bytes under the same limits twice would parse
    the first page again for nothing (0.4 s on the sample).
    """
    from tasks.errors import check_source

    limits = (settings.max_bytes, settings.max_pages, settings.password, settings.max_stream_bytes, settings.max_chars)
    state = _content_state(Path(source), limits)
    if state is not None and state in _checked:
        return
    check_source(source, *limits)
    if state is not None:
        _checked.add(state)


def _content_state(path: Path, limits: tuple) -> tuple | None:
    """The file and the hash of its bytes (a regular file within max_bytes only: never a FIFO), with the limits."""
    try:
        if path.is_file() and path.stat().st_size <= limits[0]:
            return (str(path.resolve()), hashlib.sha256(path.read_bytes()).hexdigest(), *limits)
    except OSError:
        pass
    return None


def check_usage(found: list[Path], out: Path, overrides: dict[str, Any], runner: str) -> Any:
    """Everything the user typed or configured, checked before any work; the first source's settings.

    A mistake raises a UsageError (exit 2) naming the flag or file, so it is never an
    internal error at the end of a build.
    """
    from flows.packs import check_destinations, errata_path
    from tasks.errors import UsageError
    from tasks.settings import Settings

    if runner not in ("threads", "dask"):
        raise UsageError(f"--runner {runner!r}: unknown; use threads or dask")
    if runner == "dask" and importlib.util.find_spec("prefect_dask") is None:
        raise UsageError("--runner dask: Dask is not installed; pip install 'briefpack[dask]'")
    check_destinations(found, out)
    settings = None
    for folder in dict.fromkeys(source.parent for source in found):
        each = Settings.beside(folder, **overrides)
        check_formats(each.formats)
        settings = settings or each
    for source in found:
        check_errata(errata_path(source, Settings.beside(source.parent, **overrides).errata))
    return settings


def check_formats(formats: list[str]) -> None:
    from tasks.errors import UsageError
    from tasks.render import renderer_names

    known = renderer_names()
    unknown = [name for name in formats if name not in known]
    if unknown or not formats:
        raise UsageError(f"formats {','.join(unknown) or '(none)'}: unknown; choose from {','.join(known)}")


def check_errata(path: Path | None) -> None:
    """An errata file that exists, reads as UTF-8 TOML/YAML and is within its limits."""
    from tasks.errors import SourceError, UsageError, shown
    from tasks.typos import load_errata

    if path is None:
        return
    if not path.is_file():
        raise UsageError(f"{shown(path)}: errata file not found")
    try:
        load_errata(path)
    except SourceError:
        raise
    except UnicodeDecodeError as failure:
        raise UsageError(f"{shown(path)}: not UTF-8 text ({failure.reason} at byte {failure.start}); save it as UTF-8") from None
    except Exception as failure:  # noqa: BLE001 - TOML and YAML parsers raise their own kinds
        raise UsageError(f"{shown(path)}: not a valid errata file ({' '.join(str(failure).split())[:200]})") from None
