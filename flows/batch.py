"""Many sources at once: a parent flow with one build-source task per source.

Each source is built whole in a worker process of Prefect's ProcessPoolTaskRunner
(one per core), where its build_pack runs as a subflow of that task: every stage
of every source, not only PDF pages, then uses its own core, with no GIL shared
between builds. A worker parses its pages itself (the cores are already busy with
other sources). A failing source is recorded and the others go on. With
`--runner dask` the builds are started from threads here and their tasks go to the
cluster instead. `build_folder` is the flow that schedules use: every report in a folder.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from flows import parallel, progress, runners, signals
from flows.environment import without_heartbeats
from flows.packs import expand_sources
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
        with without_heartbeats():
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
        manifest=manifest,
        issues=len(manifest["issues"]),
        computed=sum(t["status"] == "computed" for t in tasks),
        cached=sum(t["status"] == "cached" for t in tasks),
    )
    return result


def _result(source: Path, status: str, detail: str, exit_code: int) -> dict[str, Any]:
    return {"source": str(source), "status": status, "detail": detail, "exit_code": exit_code,
            "issues": 0, "computed": 0, "cached": 0}


@task(name="build-source", cache_policy=NO_CACHE, persist_result=False)
def build_source(source: Path, out: Path, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """One source's whole build, in a worker process."""
    return build_one(source, out, settings)


def _worker_setup(verbosity: int | None) -> None:
    """Run once in each worker process: pages inline, the CLI's progress lines if it shows them."""
    signals.child_setup()
    parallel.keep_inline()
    if verbosity is not None:  # the command shows progress: so do its workers, as plain lines
        from flows import console

        console.Display.verbosity = verbosity
        console.show_progress(live=False)


def run_builds(
    sources: list[Path], out: Path, settings: dict[str, Any] | None = None, runner: str = "threads",
    address: str | None = None, concurrency: int | None = None,
) -> list[dict[str, Any]]:
    """Every source built concurrently (at most one per core), results in source order."""
    if not sources:
        return []
    width = max(1, min(len(sources), concurrency or parallel.workers()))
    if runner == "threads" and width > 1:
        return _on_processes(sources, Path(out), settings, width)
    return _on_threads(sources, Path(out), settings, runner, address, width)


def _on_processes(sources: list[Path], out: Path, settings: dict[str, Any] | None, width: int) -> list[dict[str, Any]]:
    from prefect.task_runners import ProcessPoolTaskRunner

    runners.share_api()  # the workers report to this process's Prefect API
    pool = ProcessPoolTaskRunner(max_workers=width, initializer=_worker_setup, initargs=(_verbosity(),))
    with pool:
        futures = [pool.submit(build_source, {"source": Path(s), "out": out, "settings": settings}) for s in sources]
        return [_outcome(Path(s), future) for s, future in zip(sources, futures)]


def _verbosity() -> int | None:
    shown = [listener for listener in progress.listeners if hasattr(type(listener), "verbosity")]
    return type(shown[0]).verbosity if shown else None


def _outcome(source: Path, future: Any) -> dict[str, Any]:
    try:
        return future.result()
    except Exception as error:  # noqa: BLE001 - the worker itself died (killed, out of memory)
        return _result(source, "failed", f"internal error ({type(error).__name__}: {error})", 1)


def _on_threads(
    sources: list[Path], out: Path, settings: dict[str, Any] | None, runner: str, address: str | None, width: int
) -> list[dict[str, Any]]:
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
    progress.track_run()
    results = run_builds(list(sources), Path(out), settings, runner, address)
    _summary_artifact(results)
    return results


@flow(name="build-folder", log_prints=False)
def build_folder(
    folder: str, out: str = "outputs", settings: dict[str, Any] | None = None, runner: str = "threads",
    address: str | None = None,
) -> list[dict[str, Any]]:
    """Build every report (.pdf, .txt, .md) in `folder`: what schedules and work pools run."""
    progress.track_run()
    results = run_builds(expand_sources([Path(folder)]), Path(out), settings, runner, address)
    _summary_artifact(results)
    return results


def _summary_artifact(results: list[dict[str, Any]]) -> None:
    from prefect.artifacts import create_table_artifact

    if results:
        create_table_artifact(table=results, key="batch-summary", description="One row per source of this batch")
