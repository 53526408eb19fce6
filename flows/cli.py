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
    from flows import cache

    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(Path(cache_dir).expanduser().resolve()))
    cache.adopt(cache.location(cache_dir))
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
        _error(where)
        raise typer.Exit(10 if empty else 3)
    try:
        settings = _check_usage(found, out, overrides, runner)  # every flag, setting, errata and path, before any work
    except SourceError as error:
        _error(str(error))
        raise typer.Exit(error.exit_code)
    _prefect_environment(settings.cache_dir, debug)
    results: list[tuple[Path, str, str]] = []
    exit_code = 0
    good: list[Path] = []
    for source in found:
        try:
            _check(source, Settings.beside(source.parent, **overrides))  # bad input fails here, before Prefect starts
            good.append(source)
        except SourceError as error:
            _error(str(error))
            results.append((source, "failed", str(error)))
            exit_code = exit_code or error.exit_code
    if len(found) == 1 and good and runner == "threads":
        source = good[0]
        try:
            console.print(f"[bold]{source}[/bold]", highlight=False)
            manifest = _build_pack()(source, out, overrides)
        except SourceError as error:
            _error(str(error))
            raise typer.Exit(error.exit_code)
        except Exception as error:  # a bug: say so in one line unless --debug
            if debug:
                raise
            _error(f"{source}: internal error ({type(error).__name__}: {error}); rerun with --debug")
            raise typer.Exit(1)
        finally:
            _prune(settings)
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
                _error(result["detail"])
                results.append((source, "failed", result["detail"]))
                exit_code = exit_code or result["exit_code"]
        _prune(settings)
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
    from flows import progress
    from flows.pack import build_pack

    if not any(type(listener).__name__ == "StageDisplay" for listener in progress.listeners):
        progress.listeners.append(StageDisplay())
    return build_pack


from flows.commands import register as _register_orchestration  # noqa: E402 - watch, serve, cache

_register_orchestration(app)


def _check(source: Path, settings: Any) -> None:
    from tasks.errors import check_source

    check_source(
        source, settings.max_bytes, settings.max_pages, settings.password, settings.max_stream_bytes, settings.max_chars
    )


def _check_usage(found: list[Path], out: Path, overrides: dict[str, Any], runner: str) -> Any:
    """Everything the user typed or configured, checked before any work; the first source's settings.

    A mistake raises a UsageError (exit 2) naming the flag or file, so it is never an
    internal error at the end of a build.
    """
    from flows.packs import check_destinations, errata_path
    from tasks.errors import UsageError
    from tasks.settings import Settings

    if runner not in ("threads", "dask"):
        raise UsageError(f"--runner {runner!r}: unknown; use threads or dask")
    check_destinations(found, out)
    settings = None
    for folder in dict.fromkeys(source.parent for source in found):
        each = Settings.beside(folder, **overrides)
        _check_formats(each.formats)
        settings = settings or each
    for source in found:
        _check_errata(errata_path(source, Settings.beside(source.parent, **overrides).errata))
    return settings


def _check_errata(path: Path | None) -> None:
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
    except UnicodeDecodeError as error:
        raise UsageError(f"{shown(path)}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8") from None
    except Exception as error:  # noqa: BLE001 - TOML and YAML parsers raise their own kinds
        raise UsageError(f"{shown(path)}: not a valid errata file ({' '.join(str(error).split())[:200]})") from None


def _check_formats(formats: list[str]) -> None:
    from tasks.errors import UsageError
    from tasks.render import renderer_names

    known = renderer_names()
    unknown = [name for name in formats if name not in known]
    if unknown or not formats:
        raise UsageError(f"formats {','.join(unknown) or '(none)'}: unknown; choose from {','.join(known)}")


def _prune(settings: Any) -> None:
    """Keep the cache within its size and age limits, and drop failed tasks' records."""
    from flows import cache

    folder = cache.location(settings.cache_dir)
    if cache.is_cache(folder):
        cache.prune(folder, settings.cache_max_bytes, settings.cache_max_age_days)


def _error(message: str) -> None:
    console.print(f"error: {message}", style="red", highlight=False, markup=False)


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
    from flows import progress, signals

    signals.install()
    signals.on_stop(progress.cancel_runs)
    try:
        app()
    except KeyboardInterrupt:  # a Ctrl-C before the handler was in place
        console.print("interrupted", style="red")
        sys.exit(130)


if __name__ == "__main__":
    main()
