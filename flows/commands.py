"""The orchestration commands: `watch`, `serve` and `cache info|prune|clear`, added to the CLI's app.

Part of the command line (flows/cli.py registers them); like it, they import flows and
helpers, never the other way round.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Optional

import typer

from flows import console
from flows.console import error


def _prepare(folder: Path, formats: str | None, cache_dir: Path | None, debug: bool) -> dict[str, Any]:
    """The flag overrides for a folder command, checked; Prefect set up before it is imported."""
    from flows.environment import prefect_environment
    from flows.inputs import check_formats
    from tasks.errors import SourceError
    from tasks.settings import flag_overrides

    if not folder.is_dir():
        error(f"{folder} is not a folder")
        raise typer.Exit(3)
    overrides = flag_overrides(formats=formats, cache_dir=cache_dir)
    try:
        settings = _settings(folder, overrides)
        check_formats(settings.formats)
    except SourceError as failure:
        error(str(failure))
        raise typer.Exit(failure.exit_code)
    prefect_environment(settings.cache_dir, debug)
    return overrides


def _settings(folder: Path, overrides: dict[str, Any]):
    from tasks.settings import Settings

    return Settings.beside(folder, **overrides)


def watch(
    folder: Annotated[Path, typer.Argument(help="The folder of reports to watch.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where packs are written.")] = Path("outputs"),
    formats: Annotated[Optional[str], typer.Option(help="Comma-separated output formats [default: the formats setting].")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where cached stage results are kept.")] = None,
    debounce: Annotated[int, typer.Option(help="Milliseconds of quiet before a rebuild.")] = 600,
    debug: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Rebuild a pack within seconds of a change to its source or errata file (Ctrl-C stops)."""
    overrides = _prepare(folder, formats, cache_dir, debug)
    console.show_progress(live=False)
    from flows.watch import watch_folder

    console.say(f"watching {folder} (Ctrl-C to stop)")
    watch_folder(folder, out, overrides, on_result=_say, debounce_ms=debounce)


def _say(result: dict[str, Any]) -> None:
    if result["status"] == "current":
        console.say(f"{result['source']}: up to date ({result['detail']})")
    elif result["status"] == "built":
        console.show_notes(result["manifest"], Path(result["source"]).stem)
        console.say(f"built {result['detail']} ({result['computed']} computed, {result['cached']} cached)")
    else:
        error(result["detail"])


def serve(
    folder: Annotated[Path, typer.Argument(help="The folder of reports to build on schedule.")],
    cron: Annotated[str, typer.Option(help='Cron schedule, e.g. "0 6 * * 1" (Mondays 06:00).')],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where packs are written.")] = Path("outputs"),
    formats: Annotated[Optional[str], typer.Option(help="Comma-separated output formats [default: the formats setting].")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where cached stage results are kept.")] = None,
    debug: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Serve the build-folder flow on a cron schedule (Prefect API: PREFECT_API_URL, else a local server)."""
    overrides = _prepare(folder, formats, cache_dir, debug)
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError:
        error(f"--cron {cron!r}: not a cron expression (five fields, e.g. \"0 6 * * 1\")")
        raise typer.Exit(2)
    import os

    from flows import server
    from flows.schedule import serve_folder

    server.wait()
    url = os.environ.get("PREFECT_API_URL")
    if url:
        console.say(f"serving {folder} on {cron!r}; runs and schedules at {url.removesuffix('/api')} (Ctrl-C stops)")
    else:  # BRIEFPACK_SERVER=0 and no API of the user's: say what that means
        console.say("warning: no Prefect API (BRIEFPACK_SERVER=0 and no PREFECT_API_URL): a temporary one that no "
                    "other shell can reach; runs still happen on schedule here")
    serve_folder(folder, out, cron, overrides)


def preview(
    source: Annotated[Path, typer.Argument(help="The report to preview (.pdf, .txt, .md).")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Where the pack is written.")] = Path("outputs"),
    port: Annotated[int, typer.Option(help="Port on localhost.")] = 8000,
    formats: Annotated[Optional[str], typer.Option(help="Comma-separated output formats; html is always built.")] = None,
    cache_dir: Annotated[Optional[Path], typer.Option(help="Where cached stage results are kept.")] = None,
    debug: Annotated[bool, typer.Option(help="Show Prefect's logs.")] = False,
) -> None:
    """Build a pack, serve its HTML on localhost and reload the browser when the source or errata change."""
    from flows.inputs import check_source_file
    from flows.packs import check_destinations
    from tasks.errors import SourceError

    overrides = _prepare(source.parent, formats, cache_dir, debug)
    overrides["formats"] = sorted({*_settings(source.parent, overrides).formats, "html"})
    try:
        check_destinations([source], out)
        check_source_file(source, _settings(source.parent, overrides))
    except SourceError as failure:
        error(str(failure))
        raise typer.Exit(failure.exit_code)
    from flows.preview import serve_preview

    console.show_progress(live=False)
    console.say(f"serving http://127.0.0.1:{port}/ (Ctrl-C to stop); rebuilding on changes to {source}")
    serve_preview(source, out, overrides, port, on_result=_say)


def init(
    folder: Annotated[Path, typer.Argument(help="The folder of reports to set up.")] = Path("."),
) -> None:
    """Start a folder of reports: a commented briefpack.toml and an errata template (existing files are kept)."""
    from tasks.settings import CONFIG_NAME, settings_toml

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ((CONFIG_NAME, settings_toml()), ("errata.example.toml", ERRATA_TEMPLATE)):
        path = folder / name
        if path.exists():
            console.say(f"kept {path} (already there)")
            continue
        path.write_text(text, encoding="utf-8")
        console.say(f"wrote {path}")


ERRATA_TEMPLATE = """\
# An editor's errata file. Copy it to <report stem>.errata.toml beside the report
# (for report.pdf: report.errata.toml), or pass it with --errata FILE.
# Errata apply before the automatic corrections and always win (docs/typos.md).

# Words the automatic corrector must never change (names, terms of art, foreign words):
never_change = [
    # "Ngozi",
]

[replacements]
# "text as printed" = "text as it should read"
# "Goverment" = "Government"
"""


cache_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The cache of stage results.")


def _cache_settings(cache_dir: Path | None):
    from tasks.settings import flag_overrides

    return _settings(Path.cwd(), flag_overrides(cache_dir=cache_dir))


def _cache_folder(cache_dir: Path | None) -> Path:
    from flows import cache

    return cache.location(_cache_settings(cache_dir).cache_dir)


CacheDir = Annotated[Optional[Path], typer.Option(help="The cache folder [default: the cache_dir setting].")]


@cache_app.command("info")
def cache_info(cache_dir: CacheDir = None) -> None:
    """Where the cache is, how many entries it holds and their size."""
    from flows import cache

    facts = cache.info(_cache_folder(cache_dir))
    typer.echo(f"location: {facts['location']}{'' if facts['cache'] else '  (not a briefpack cache yet)'}")
    typer.echo(f"entries:  {facts['entries']}")
    typer.echo(f"size:     {cache.human(facts['bytes'])} ({facts['bytes']} bytes)")


@cache_app.command("clear")
def cache_clear(cache_dir: CacheDir = None) -> None:
    """Remove every cached stage result (only briefpack's entries): the next build computes everything."""
    from flows import cache

    folder = _cache_folder(cache_dir)
    try:
        typer.echo(f"removed {cache.clear(folder)} entries from {folder}")
    except cache.NotACache as failure:
        error(str(failure))
        raise typer.Exit(2)


@cache_app.command("prune")
def cache_prune(
    cache_dir: CacheDir = None,
    max_bytes: Annotated[Optional[int], typer.Option(help="Size to prune to [default: the cache_max_bytes setting].")] = None,
    max_age_days: Annotated[Optional[float], typer.Option(help="Age limit [default: the cache_max_age_days setting].")] = None,
) -> None:
    """Remove failed tasks' records, entries past the age limit, then the oldest until the cache fits its size."""
    from flows import cache

    settings = _cache_settings(cache_dir)
    folder = cache.location(settings.cache_dir)
    limit = settings.cache_max_bytes if max_bytes is None else max_bytes
    age = settings.cache_max_age_days if max_age_days is None else max_age_days
    try:
        typer.echo(f"removed {cache.prune(folder, limit, age)} entries from {folder}")
    except cache.NotACache as failure:
        error(str(failure))
        raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command()(watch)
    app.command()(serve)
    app.command()(preview)
    app.command()(init)
    app.add_typer(cache_app, name="cache")
