"""`briefpack preview`: build a source, serve its HTML on localhost, rebuild and reload on change.

Like `mkdocs serve` and `quarto preview`: livereload serves the pack folder and injects
its reload script into the page; it polls the source, its errata file and
briefpack.toml, rebuilds on a change (one build at a time, on its own thread) and then
reloads every open browser tab.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from flows.packs import ERRATA_SUFFIXES, pack_folder
from tasks.settings import CONFIG_NAME


def watched(source: Path) -> list[Path]:
    """The files whose change rebuilds the pack: the source, its errata files, the folder's settings."""
    return [source, *(source.with_name(source.stem + suffix) for suffix in ERRATA_SUFFIXES), source.parent / CONFIG_NAME]


def serve_preview(
    source: Path, out: Path, settings: dict[str, Any], port: int, host: str = "127.0.0.1",
    on_result: Callable[[dict[str, Any]], None] | None = None,
) -> None:
    """Build once, then serve out/<name>/<name>.html until interrupted."""
    import logging

    from livereload import Server

    from flows import server as background
    from flows.batch import build_one

    background.wait()  # the background server this command started came up during the imports

    for name in ("livereload", "tornado"):  # their per-request lines would bury the build's
        logging.getLogger(name).setLevel(logging.WARNING)

    report = on_result or (lambda result: None)

    def rebuild() -> None:
        report(build_one(source, out, settings))

    rebuild()
    server = Server()
    for path in watched(source):
        server.watch(str(path), rebuild)
    folder = pack_folder(source, out)
    server.serve(port=port, host=host, root=str(folder), default_filename=f"{folder.name}.html", open_url_delay=None)
