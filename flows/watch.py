"""Watch mode: rebuild a source's pack within seconds of a change to it or its errata.

watchfiles debounces bursts of events (an editor's save is several); builds run one
at a time on this thread, and changes made during a build are picked up by the
next pass. A briefpack.toml change rebuilds every source in the folder.

The fast path of the edit loop: the process stays up with Prefect imported, its
client talking to the background server (flows/server.py; this process's lease
keeps it up) and the page pool's workers started and pdfplumber imported in them
before the first edit, so a change costs only the stages it touches. Packs already
current (flows/uptodate.py) are not rebuilt at start.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any, Callable

from flows.packs import ERRATA_SUFFIXES, SOURCE_SUFFIXES, expand_sources
from tasks.settings import CONFIG_NAME


def affected(changed: Path, folder: Path) -> list[Path]:
    """The sources a changed file concerns: itself, an errata file's report, or all for briefpack.toml."""
    name = changed.name
    if name.startswith(".") or name.endswith("~"):
        return []
    if name == CONFIG_NAME:
        return expand_sources([folder])
    for suffix in ERRATA_SUFFIXES:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            return [p for p in expand_sources([folder]) if p.stem == stem]
    if changed.suffix.lower() in SOURCE_SUFFIXES and changed.parent.resolve() == folder.resolve():
        return [changed] if changed.is_file() else []
    return []


def watch_folder(
    folder: Path,
    out: Path,
    settings: dict[str, Any] | None = None,
    stop_event: threading.Event | None = None,
    on_result: Callable[[dict[str, Any]], None] | None = None,
    debounce_ms: int = 600,
    initial: bool = True,
    runner: str = "threads",
    address: str | None = None,
) -> None:
    """Build every source once (cached stages make it cheap), then rebuild on change until stopped."""
    import watchfiles

    from flows import parallel, server, uptodate
    from flows.batch import build_one

    server.wait()  # the background server this command started came up during the imports
    folder, out = Path(folder), Path(out)
    report = on_result or (lambda result: None)
    parallel.warm()
    if initial:
        for source in expand_sources([folder]):
            if uptodate.current(source, out, settings) is not None:
                report({"source": str(source), "status": "current", "detail": str(out / source.stem)})
            else:
                report(build_one(source, out, settings, runner, address))
    for changes in watchfiles.watch(
        folder, stop_event=stop_event, debounce=debounce_ms, recursive=False, raise_interrupt=False
    ):
        due: dict[Path, None] = {}
        for change, path in sorted(changes, key=lambda c: c[1]):
            if change == watchfiles.Change.deleted:
                continue
            for source in affected(Path(path), folder):
                due[source] = None
        for source in due:
            report(build_one(source, out, settings, runner, address))
