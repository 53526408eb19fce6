"""The `briefpack` command: arguments, progress, one-line errors, exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Turn meeting reports into briefing packs.")
console = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long

SOURCE_SUFFIXES = (".pdf", ".txt", ".md", ".markdown")


@app.callback()
def _commands() -> None:
    """Turn meeting reports into briefing packs."""


def _prefect_environment(cache_dir: Path, debug: bool) -> None:
    """Prefect reads its settings at import: set them first (a user's own values win)."""
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(cache_dir.resolve()))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if debug else "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "INFO" if debug else "CRITICAL")


class StageDisplay:
    """Shows each task as it finishes: stage, item, cached or computed, seconds."""

    def started(self, stage: str, item: str | None) -> None:
        pass

    def finished(self, record: dict[str, Any]) -> None:
        from flows import progress

        item = f" {record['item']}" if record["item"] else ""
        mark = "[dim]cached[/dim]" if record["status"] == "cached" else f"{record['seconds']:.2f}s"
        source = progress.source.get()  # several sources at once: say whose task this was
        prefix = escape(f"{source}: ") if source else ""
        console.print(f"  {prefix}{record['stage']}{item}: {mark}", highlight=False)


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


@app.command()
def build(
    sources: Annotated[list[Path], typer.Argument(help="Report files (.pdf, .txt, .md), folders or globs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where packs are written.")] = Path("outputs"),
    formats: Annotated[Optional[str], typer.Option(help="Comma-separated output formats [default: docx,epub,html].")] = None,
    errata: Annotated[Optional[Path], typer.Option(help="An errata file (TOML or YAML).")] = None,
    password: Annotated[str, typer.Option(help="Password of an encrypted PDF.")] = "",
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where cached stage results are kept.")] = None,
    strict: Annotated[bool, typer.Option(help="Exit non-zero when any stage reported an issue.")] = False,
    runner: Annotated[str, typer.Option(help="Where tasks run: 'threads' (here) or 'dask'.")] = "threads",
    address: Annotated[Optional[str], typer.Option(help="Dask scheduler (tcp://host:8786); none starts a LocalCluster.")] = None,
    debug: Annotated[bool, typer.Option(help="Show tracebacks and Prefect's logs.")] = False,
    force: Annotated[bool, typer.Option(help="Build even when the pack in --out is up to date.")] = False,
) -> None:
    """Build a briefing pack (DOCX, EPUB, HTML and stage files) for each source.

    Settings come from briefpack.toml beside each source, then BRIEFPACK_* variables,
    then these flags. Several sources are built concurrently.
    """
    from tasks.errors import SourceError
    from tasks.settings import Settings

    overrides = cli_overrides(formats=formats, errata=errata, password=password, cache_dir=cache_dir)
    found = expand_sources(sources)
    if not found:
        empty = [str(s) for s in sources if s.is_dir()]
        where = f"{', '.join(empty)}: a folder with no reports (.pdf, .txt, .md) in it" if empty else "no sources found"
        console.print(f"error: {where}", style="red", highlight=False, markup=False)
        raise typer.Exit(10 if empty else 3)
    if runner not in ("threads", "dask"):
        console.print(f"error: unknown runner {runner!r}; use threads or dask", style="red", highlight=False, markup=False)
        raise typer.Exit(2)
    from flows import uptodate  # before any heavy import: a current pack is only named

    say = lambda line: console.print(line, highlight=False, markup=False)  # noqa: E731
    found, exit_code = (found, 0) if force else uptodate.skip_current(found, out, overrides, strict, say)
    if not found:
        raise typer.Exit(exit_code)
    settings = Settings.beside(found[0].parent, **overrides)
    _prefect_environment(settings.cache_dir, debug)
    results: list[tuple[Path, str, str]] = []
    good: list[Path] = []
    for source in found:
        try:
            _check(source, Settings.beside(source.parent, **overrides))  # bad input fails here, before Prefect starts
            good.append(source)
        except SourceError as error:
            console.print(f"error: {error}", style="red", highlight=False, markup=False)
            results.append((source, "failed", str(error)))
            exit_code = exit_code or error.exit_code
    if len(found) == 1 and good and runner == "threads":
        source = good[0]
        try:
            console.print(f"[bold]{source}[/bold]", highlight=False)
            manifest = _build_pack()(source, out, overrides)
        except SourceError as error:
            console.print(f"error: {error}", style="red", highlight=False, markup=False)
            raise typer.Exit(error.exit_code)
        except Exception as error:  # a bug: say so in one line unless --debug
            if debug:
                raise
            console.print(f"error: {source}: internal error ({type(error).__name__}: {error}); rerun with --debug", style="red", highlight=False, markup=False)
            raise typer.Exit(1)
        raise typer.Exit(9 if strict and manifest["issues"] else 0)
    if good:
        _build_pack()  # the progress display
        from flows.batch import build_batch

        for result in build_batch(good, out, overrides, runner, address):
            source = Path(result["source"])
            if result["status"] == "built":
                results.append((source, "built", f"{result['detail']} ({result['issues']} issues, "
                                f"{result['computed']} computed, {result['cached']} cached)"))
                if strict and result["issues"]:
                    exit_code = exit_code or 9
            else:
                console.print(f"error: {result['detail']}", style="red", highlight=False, markup=False)
                results.append((source, "failed", result["detail"]))
                exit_code = exit_code or result["exit_code"]
    results.sort(key=lambda r: found.index(r[0]))
    if len(results) > 1:
        _summary(results)
    raise typer.Exit(exit_code)


def cli_overrides(**flags: Any) -> dict[str, Any]:
    """The flags a user gave, as settings (JSON-ready: they are flow parameters)."""
    overrides: dict[str, Any] = {}
    if flags.get("formats"):
        overrides["formats"] = [f.strip() for f in flags["formats"].split(",") if f.strip()]
    for name in ("errata", "password", "cache_dir"):
        if flags.get(name):
            overrides[name] = str(flags[name])
    return overrides


def _build_pack():
    """The flow, imported on first use: importing Prefect costs seconds."""
    from flows import progress, server

    server.ensure()  # before Prefect's import: the background server's URL (flows/server.py)
    from flows.pack import build_pack

    server.wait()  # a server started above came up while Prefect was imported

    if not any(type(listener).__name__ == "StageDisplay" for listener in progress.listeners):
        progress.listeners.append(StageDisplay())
    return build_pack


from flows.commands import register as _register_orchestration  # noqa: E402 - watch, serve, cache

_register_orchestration(app)
from flows.server_cli import server_app as _server_app  # noqa: E402 - server start|stop|status

app.add_typer(_server_app, name="server")


def _check(source: Path, settings: Any) -> None:
    from tasks.errors import check_source

    check_source(source, settings.max_bytes, settings.max_pages, settings.password)


def _summary(results: list[tuple[Path, str, str]]) -> None:
    table = Table()
    for column in ("source", "result", "detail"):
        table.add_column(column, overflow="fold")  # a narrow terminal wraps paths, never cuts them
    for source, status, detail in results:
        table.add_row(source.name, status, detail)
    console.print(table)


@app.command()
def check(folder: Annotated[Path, typer.Argument(help="A pack folder (outputs/<name>) with .epub, .html, .docx files.")]) -> None:
    """Validate a built pack: EPUBCheck, Ace, axe-core, the Nu HTML checker and DOCX checks."""
    from flows.check import check_pack

    if not folder.is_dir():
        console.print(f"error: {folder} is not a folder", style="red", highlight=False, markup=False)
        raise typer.Exit(3)
    results = check_pack(folder)
    table = Table("validator", "file", "errors", "warnings")
    for result in results:
        errors = str(len(result.errors)) if result.available else "[red]not installed[/red]"
        table.add_row(result.name, Path(result.file).name, errors, str(len(result.warnings)))
    for result in results:  # each message first, so the table stays in view at the end
        for message in result.errors + result.warnings:
            console.print(f"{result.name} {Path(result.file).name}: {message}", highlight=False, markup=False)
    console.print(table)
    if not results:
        console.print("error: no .epub, .html or .docx files in the folder", style="red", highlight=False, markup=False)
    raise typer.Exit(0 if results and all(r.ok for r in results) else 1)


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        console.print("interrupted", style="red")
        sys.exit(130)


if __name__ == "__main__":
    main()
