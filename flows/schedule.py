"""Schedules: the build_folder flow served with a cron schedule over a source folder.

`briefpack serve SOURCE_DIR --cron "0 6 * * 1" --out DIR` runs a Prefect runner in
this process that starts each scheduled run itself (no work pool needed). For work
pools, prefect.yaml declares the same deployment (`prefect deploy --all`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flows.batch import build_folder


def folder_deployment(folder: Path, out: Path, cron: str, settings: dict[str, Any] | None = None,
                      name: str | None = None) -> Any:
    """A RunnerDeployment of build_folder over `folder` on a cron schedule."""
    folder, out = Path(folder).resolve(), Path(out).resolve()
    return build_folder.to_deployment(
        name=name or f"briefpack-{folder.name}",
        cron=cron,
        parameters={"folder": str(folder), "out": str(out), "settings": settings or {}},
        description=f"Build the briefing packs of {folder} into {out}",
        tags=["briefpack"],
    )


def serve_folder(folder: Path, out: Path, cron: str, settings: dict[str, Any] | None = None) -> None:
    from prefect import serve

    serve(folder_deployment(folder, out, cron, settings))
