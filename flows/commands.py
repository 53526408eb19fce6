"""The orchestration commands: `watch`, `serve` and `cache info|clear`, added to the CLI's app.

Kept apart from flows/cli.py (which owns `build`); helpers are taken from it at call
time, so running `python -m flows.cli` works as well as the `briefpack` script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer


def _cli():
    import sys

    main = sys.modules.get("__main__")
    return main if hasattr(main, "_prefect_environment") else __import__("flows.cli", fromlist=["cli"])


def _prepare(folder: Path, formats: str | None, cache_dir: Path | None, debug: bool) -> tuple[Any, dict[str, Any]]:
    """The CLI module and the flag overrides for a folder command; Prefect set up before it is imported."""
    cli = _cli()
    if not folder.is_dir():
        cli.console.print(f"error: {folder} is not a folder", style="red", highlight=False, markup=False)
        raise typer.Exit(3)
    overrides = cli.cli_overrides(formats=formats, cache_dir=cache_dir)
    cli._prefect_environment(_settings(folder, overrides).cache_dir, debug)
    return cli, overrides


def _settings(folder: Path, overrides: dict[str, Any]):
    from tasks.settings import Settings

    return Settings.beside(folder, **overrides)


def watch(
    folder: Annotated[Path, typer.Argument(help="The folder of reports to watch.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where packs are written.")] = Path("outputs"),
    formats: Annotated[Optional[str], typer.Option(help="Comma-separated output formats.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where cached stage results are kept.")] = None,
    debounce: Annotated[int, typer.Option(help="Milliseconds of quiet before a rebuild.")] = 600,
    debug: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Rebuild a pack within seconds of a change to its source or errata file (Ctrl-C stops)."""
    cli, overrides = _prepare(folder, formats, cache_dir, debug)
    cli._build_pack()  # the progress display
    from flows.watch import watch_folder

    cli.console.print(f"watching {folder} (Ctrl-C to stop)", highlight=False)
    watch_folder(folder, out, overrides, on_result=lambda r: _say(cli, r), debounce_ms=debounce)


def _say(cli: Any, result: dict[str, Any]) -> None:
    if result["status"] == "current":
        cli.console.print(f"{result['source']}: up to date ({result['detail']})", highlight=False, markup=False)
    elif result["status"] == "built":
        cli.console.print(f"built {result['detail']} ({result['computed']} computed, {result['cached']} cached)", highlight=False)
    else:
        cli.console.print(f"error: {result['detail']}", style="red", highlight=False, markup=False)


def serve(
    folder: Annotated[Path, typer.Argument(help="The folder of reports to build on schedule.")],
    cron: Annotated[str, typer.Option(help='Cron schedule, e.g. "0 6 * * 1" (Mondays 06:00).')],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where packs are written.")] = Path("outputs"),
    formats: Annotated[Optional[str], typer.Option(help="Comma-separated output formats.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where cached stage results are kept.")] = None,
    debug: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Serve the build-folder flow on a cron schedule (needs a Prefect API: PREFECT_API_URL)."""
    cli, overrides = _prepare(folder, formats, cache_dir, debug)
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:
        cli.console.print(f"error: {cron!r} is not a cron expression", style="red", highlight=False, markup=False)
        raise typer.Exit(2)
    from flows.schedule import serve_folder

    serve_folder(folder, out, cron, overrides)


cache_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The cache of stage results.")


@cache_app.command("info")
def cache_info(
    cache_dir: Annotated[Optional[Path], typer.Option(help="The cache folder [default: the cache_dir setting].")] = None,
) -> None:
    """Where the cache is, how many entries it holds and their size."""
    from flows import cache

    folder = cache.location(_settings(Path.cwd(), _cli().cli_overrides(cache_dir=cache_dir)).cache_dir)
    facts = cache.info(folder)
    typer.echo(f"location: {facts['location']}")
    typer.echo(f"entries:  {facts['entries']}")
    typer.echo(f"size:     {cache.human(facts['bytes'])} ({facts['bytes']} bytes)")


@cache_app.command("clear")
def cache_clear(
    cache_dir: Annotated[Optional[Path], typer.Option(help="The cache folder [default: the cache_dir setting].")] = None,
) -> None:
    """Remove every cached stage result: the next build computes everything."""
    from flows import cache

    folder = cache.location(_settings(Path.cwd(), _cli().cli_overrides(cache_dir=cache_dir)).cache_dir)
    typer.echo(f"removed {cache.clear(folder)} entries from {folder}")


def register(app: typer.Typer) -> None:
    app.command()(watch)
    app.command()(serve)
    app.add_typer(cache_app, name="cache")
