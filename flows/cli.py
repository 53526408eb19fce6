"""The `briefpack` command: arguments, checks before any work, progress, exit codes.

The command line sits on top: it imports the flows and helpers, none of them imports
it. Heavy modules (Prefect, pdfplumber, pandoc) are imported only by the commands that
run a build, so `--help`, `--version` and input errors answer at once.
"""

from __future__ import annotations

import atexit
import os
import sys
import time
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.table import Table

from flows import cache, commands, console, inputs, signals
from flows.console import error
from flows.packs import expand_sources
from flows.server_cli import server_app

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Turn meeting reports into briefing packs.")
DEFAULT_FORMATS = "docx,epub,html"


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"briefpack {version('briefpack')}")
        raise typer.Exit()


@app.callback()
def _commands(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")] = False,
) -> None:
    """Turn meeting reports into briefing packs."""


@app.command()
def build(
    sources: Annotated[list[Path], typer.Argument(help="Report files (.pdf, .txt, .md), folders or globs.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where packs are written.")] = Path("outputs"),
    formats: Annotated[
        Optional[str],
        typer.Option(help="Comma-separated output formats (or the formats setting).", show_default=DEFAULT_FORMATS),
    ] = None,
    errata: Annotated[
        Optional[Path], typer.Option(help="An errata file (TOML or YAML).", show_default="<stem>.errata.toml beside the source")
    ] = None,
    password: Annotated[str, typer.Option(help="Password of an encrypted PDF.")] = "",
    cache_dir: Annotated[
        Optional[Path], typer.Option(help="Where cached stage results are kept.", show_default="~/.cache/briefpack")
    ] = None,
    strict: Annotated[
        bool, typer.Option(help="Exit 9 when the pack's quality notes hold a warning or an error (they are printed).")
    ] = False,
    runner: Annotated[str, typer.Option(help="Where tasks run: 'threads' (here) or 'dask'.")] = "threads",
    address: Annotated[Optional[str], typer.Option(help="Dask scheduler (tcp://host:8786); none starts a LocalCluster.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Show errors only.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Show every task and the info-level issues.")] = False,
    debug: Annotated[bool, typer.Option(help="Show tracebacks and Prefect's logs.")] = False,
    force: Annotated[bool, typer.Option(help="Build even when the pack in --out is up to date.")] = False,
) -> None:
    """Build a briefing pack (DOCX, EPUB, HTML and stage files) for each source.

    Settings come from briefpack.toml beside each source, then BRIEFPACK_* variables,
    then these flags. Several sources are built concurrently.
    """
    from flows.environment import prefect_environment
    from tasks.errors import SourceError
    from tasks.settings import flag_overrides

    start = time.perf_counter()
    console.Display.verbosity = console.QUIET if quiet else console.VERBOSE if verbose else console.NORMAL
    overrides = flag_overrides(formats=formats, errata=errata, password=password, cache_dir=cache_dir)
    found = expand_sources(sources)
    if not found:
        empty = [str(s) for s in sources if s.is_dir()]
        error(f"{', '.join(empty)}: a folder with no reports (.pdf, .txt, .md) in it" if empty else "no sources found")
        raise typer.Exit(10 if empty else 3)
    if not force:  # before any heavy import: a current pack is only named
        from flows import uptodate

        found, current_code = uptodate.skip_current(found, out, overrides, strict, console.say)
        if not found:
            raise typer.Exit(current_code)
    try:
        settings = inputs.check_usage(found, out, overrides, runner)  # every flag, setting, errata and path, before any work
    except SourceError as failure:
        error(str(failure))
        raise typer.Exit(failure.exit_code)
    good, results, exit_code = _check_sources(found, overrides)
    if good:  # Prefect's settings, and the background server started: never for bad input alone
        prefect_environment(settings.cache_dir, debug)
    exit_code = exit_code or (0 if force else current_code)
    timer = None
    if good:  # a budget per source: a build that hangs stops, says so and exits 14
        limit = settings.max_build_seconds * len(good)
        who = f"{good[0]}: " if len(good) == 1 else ""
        timer = signals.deadline(limit, f"{who}the build took over {limit:,} s (setting max_build_seconds, per source); stopped")
    try:
        if len(found) == 1 and good and runner == "threads":
            exit_code = _build_one(good[0], out, overrides, strict, debug, start)
        elif good:
            exit_code = _build_many(good, out, overrides, runner, address, strict, results, start) or exit_code
    finally:
        if timer is not None:
            timer.cancel()
        cache.keep_within(settings)
    if len(results) > 1:
        results.sort(key=lambda r: found.index(r[0]))
        _summary(results)
    raise typer.Exit(exit_code)


def _check_sources(found: list[Path], overrides: dict[str, Any]) -> tuple[list[Path], list[tuple], int]:
    """Each source's own checks (a bad one is reported and the others built), before Prefect starts."""
    from flows.inputs import check_source_file
    from tasks.errors import SourceError
    from tasks.settings import Settings

    good, results, exit_code = [], [], 0
    for source in found:
        try:
            check_source_file(source, Settings.beside(source.parent, **overrides))
            good.append(source)
        except SourceError as failure:
            error(str(failure))
            results.append((source, "failed", str(failure)))
            exit_code = exit_code or failure.exit_code
    return good, results, exit_code


def _build_one(source: Path, out: Path, overrides: dict[str, Any], strict: bool, debug: bool, start: float) -> int:
    from tasks.errors import SourceError

    display = console.show_progress()
    display.waiting(_api_message())
    try:
        _parse_early(source, overrides)
        from flows import server
        from flows.environment import without_heartbeats
        from flows.pack import build_pack

        server.wait()  # a server started before the imports came up meanwhile
        with without_heartbeats():
            manifest = build_pack(source, out, overrides)
    except SourceError as failure:
        display.close()
        error(str(failure))
        return failure.exit_code
    except Exception as failure:  # a bug: say so in one line unless --debug
        display.close()
        if debug:
            raise
        error(f"{source}: internal error ({type(failure).__name__}: {failure}); rerun with --debug")
        return 1
    display.close()
    return _report(source, out, manifest, strict, time.perf_counter() - start)


def _parse_early(source: Path, overrides: dict[str, Any]) -> None:
    """The pages not in the result store start parsing on the pool while Prefect is imported (flows/early.py)."""
    from flows import early
    from tasks.settings import Settings

    try:
        early.parse_missing_pages(source, Settings.beside(source.parent, **overrides))
    except Exception:  # noqa: BLE001 - only a head start: the flow reads the same pages and reports their errors
        pass


def _report(source: Path, out: Path, manifest: dict[str, Any], strict: bool, seconds: float, prefix: str = "") -> int:
    """A built pack's warnings, then its closing line; 9 when --strict and it has warnings or errors."""
    from flows.packs import pack_folder

    console.show_notes(manifest, prefix)
    console.say(console.closing_line(pack_folder(source, out), manifest, seconds))
    failures = console.strict_failures(manifest)
    if strict and failures:
        error(f"{source}: --strict: {failures} quality notes are warnings or errors (listed above, and in the pack)")
        return 9
    return 0


def _build_many(
    good: list[Path], out: Path, overrides: dict[str, Any], runner: str, address: str | None, strict: bool,
    results: list[tuple], start: float,
) -> int:
    from flows import server
    from flows.batch import build_batch

    server.wait()
    console.show_progress(live=False)  # several sources' lines interleave: no live bars
    exit_code = 0
    for result in build_batch(good, out, overrides, runner, address):
        source = Path(result["source"])
        if result["status"] == "built":
            results.append((source, "built", f"{result['detail']} ({result['issues']} issues, "
                            f"{result['computed']} computed, {result['cached']} cached)"))
            code = _report(source, out, result["manifest"], strict, time.perf_counter() - start, source.stem)
            exit_code = exit_code or code
        else:
            error(result["detail"])
            results.append((source, "failed", result["detail"]))
            exit_code = exit_code or result["exit_code"]
    return exit_code


def _api_message() -> str:
    import os

    if os.environ.get("PREFECT_API_URL"):  # the user's, or the background server's (flows/server.py)
        return f"connecting to the Prefect API at {os.environ['PREFECT_API_URL']}"
    return "starting a temporary Prefect API (a few seconds)"


def _summary(results: list[tuple[Path, str, str]]) -> None:
    if console.Display.verbosity < console.NORMAL:
        return
    table = Table()
    for column in ("source", "result", "detail"):
        table.add_column(column, overflow="fold")  # a narrow terminal wraps paths, never cuts them
    for source, status, detail in results:
        table.add_row(source.name, status, detail)
    console.console.print(table)


@app.command()
def check(folder: Annotated[Path, typer.Argument(help="A pack folder (outputs/<name>) with .epub, .html, .docx files.")]) -> None:
    """Validate a built pack: EPUBCheck, Ace, axe-core, the Nu HTML checker and DOCX checks."""
    from validation import check_pack

    if not folder.is_dir():
        error(f"{folder} is not a folder")
        raise typer.Exit(3)
    results = check_pack(folder)
    table = Table("validator", "file", "errors", "warnings")
    for result in results:
        errors = str(len(result.errors)) if result.available else "[red]not installed[/red]"
        table.add_row(result.name, Path(result.file).name, errors, str(len(result.warnings)))
    for result in results:  # each message first, so the table stays in view at the end
        for message in result.errors + result.warnings:
            console.console.print(f"{result.name} {Path(result.file).name}: {message}", highlight=False, markup=False)
    console.console.print(table)
    if not results:
        error("no .epub, .html or .docx files in the folder")
    raise typer.Exit(0 if results and all(r.ok for r in results) else 1)


commands.register(app)
app.add_typer(server_app, name="server")


def main() -> None:
    from flows import progress, signals

    signals.install()
    signals.on_stop(progress.cancel_runs)
    try:
        app()
    except KeyboardInterrupt:  # a Ctrl-C before the handler was in place
        console.console.print("interrupted", style="red")
        sys.exit(130)


_ended_with: list[int] = []  # the exit code of a command that ended normally


def run() -> None:
    """The `briefpack` program: main() as the process itself, which ends without the interpreter's teardown."""
    atexit.register(_skip_teardown)  # registered first, so it runs after Prefect's own exit handlers
    try:
        main()
    except SystemExit as ended:
        if ended.code is None or isinstance(ended.code, int):
            _ended_with.append(ended.code or 0)
        raise


def _skip_teardown() -> None:
    """End the process once every exit handler has run, without freeing each module's objects.

    After a build that teardown (Prefect, pydantic, the stages) took 0.6 s on a quiet
    machine and over a second on a busy one: a tenth of an edit's rebuild, for nothing,
    since the pack is written and closed, the pool and threads are stopped and the
    logs flushed by then. Only after a normal end (a crash keeps Python's own exit), and
    only in the program itself: a caller of main() keeps its own exit.
    """
    if _ended_with:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe: nothing more can reach it
                pass
        os._exit(_ended_with[0])


if __name__ == "__main__":
    run()
