"""Many sources at once: a parent flow with one build_pack subflow per source.

Subflows run on a thread per core; their CPU-heavy work (PDF pages) goes to the
shared process pool and pandoc runs as its own process, so every core is busy. A
failing source is recorded and the others go on. `build_folder` is the flow that
schedules and the watcher use: every report in one folder.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from prefect import flow

from flows import parallel, progress, runners
from flows.cli import expand_sources
from flows.pack import build_pack
from tasks.errors import SourceError

def build_one(
    source: Path, out: Path, settings: dict[str, Any] | None = None, runner: str = "threads", address: str | None = None
) -> dict[str, Any]:
    """Build one source as a (sub)flow and say how it went; never raises for a bad source."""
    pack = build_pack
    chosen = runners.task_runner(runner, address)
    if chosen is not None:
        pack = build_pack.with_options(task_runner=chosen)
    token = progress.source.set(source.stem)
    try:
        manifest = pack(source, out, settings or {})
    except SourceError as error:
        return _result(source, "failed", str(error), error.exit_code)
    except Exception as error:  # noqa: BLE001 - one source's bug must not stop the batch
        return _result(source, "failed", f"internal error ({type(error).__name__}: {error})", 1)
    finally:
        progress.source.reset(token)
    tasks = manifest["tasks"]
    result = _result(source, "built", str(out / source.stem), 0)
    result.update(
        issues=len(manifest["issues"]),
        computed=sum(t["status"] == "computed" for t in tasks),
        cached=sum(t["status"] == "cached" for t in tasks),
    )
    return result


def _result(source: Path, status: str, detail: str, exit_code: int) -> dict[str, Any]:
    return {"source": str(source), "status": status, "detail": detail, "exit_code": exit_code,
            "issues": 0, "computed": 0, "cached": 0}


def run_builds(
    sources: list[Path], out: Path, settings: dict[str, Any] | None = None, runner: str = "threads",
    address: str | None = None, concurrency: int | None = None,
) -> list[dict[str, Any]]:
    """Every source built concurrently (a thread each, at most one per core), results in source order."""
    if not sources:
        return []
    width = max(1, min(len(sources), concurrency or parallel.workers()))
    with ThreadPoolExecutor(max_workers=width, thread_name_prefix="briefpack-build") as pool:
        futures = [
            pool.submit(contextvars.copy_context().run, build_one, Path(s), Path(out), settings, runner, address)
            for s in sources
        ]
        return [future.result() for future in futures]


@flow(name="build-batch", log_prints=False)
def build_batch(
    sources: list[Path], out: Path, settings: dict[str, Any] | None = None, runner: str = "threads",
    address: str | None = None,
) -> list[dict[str, Any]]:
    """Build many sources, one build-pack subflow each; returns one result per source."""
    results = run_builds(list(sources), Path(out), settings, runner, address)
    _summary_artifact(results)
    return results


@flow(name="build-folder", log_prints=False)
def build_folder(
    folder: str, out: str = "outputs", settings: dict[str, Any] | None = None, runner: str = "threads",
    address: str | None = None,
) -> list[dict[str, Any]]:
    """Build every report (.pdf, .txt, .md) in `folder`: what schedules and work pools run."""
    results = run_builds(expand_sources([Path(folder)]), Path(out), settings, runner, address)
    _summary_artifact(results)
    return results


def _summary_artifact(results: list[dict[str, Any]]) -> None:
    from prefect.artifacts import create_table_artifact

    if results:
        create_table_artifact(table=results, key="batch-summary", description="One row per source of this batch")
