"""`briefpack server start|stop|status`: the background Prefect server by hand (flows/server.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

server_app = typer.Typer(add_completion=False, no_args_is_help=True, help="The background Prefect server builds share.")

CacheDir = Annotated[Optional[Path], typer.Option(help="The cache folder [default: the cache_dir setting].")]


def _folder(cache_dir: Path | None) -> Path:
    """<cache>/server for the cache folder a build here would use."""
    from flows import cache, server
    from tasks.settings import Settings

    overrides = {"cache_dir": str(cache_dir)} if cache_dir else {}
    return server.folder_for(cache.location(Settings.beside(Path.cwd(), **overrides).cache_dir))


@server_app.command("start")
def start(
    cache_dir: CacheDir = None,
    idle: Annotated[Optional[float], typer.Option(help="Seconds without a client before it stops [default: 900].")] = None,
) -> None:
    """Start the server (or find the running one) and print its URL."""
    from flows import server

    state = server.start(_folder(cache_dir), idle)
    typer.echo(f"running: {state['url']} (pid {state['pid']})")


@server_app.command("status")
def status(cache_dir: CacheDir = None) -> None:
    """Print the server's URL (the Prefect UI is at that address without /api); exit 1 if none runs."""
    from flows import server

    state = server.running(_folder(cache_dir))
    if state is None:
        typer.echo("not running")
        raise typer.Exit(1)
    typer.echo(f"running: {state['url']} (pid {state['pid']}, UI {state['url'].removesuffix('/api')})")


@server_app.command("stop")
def stop(cache_dir: CacheDir = None) -> None:
    """Stop the server and every process it started."""
    from flows import server

    typer.echo("stopped" if server.stop(_folder(cache_dir)) else "not running")
