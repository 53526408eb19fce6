"""Where a build's tasks run: the flow's threads (default) or a Dask cluster.

`--runner dask --address tcp://host:8786` sends every task to that scheduler's
workers; `--runner dask` alone starts one LocalCluster (a worker process per core)
for the whole command and reuses it for every source. Workers in other processes
must reach the same Prefect API and result store: the ephemeral API is started
here and its URL exported before the cluster starts; for remote workers point
PREFECT_API_URL at a real server and PREFECT_LOCAL_STORAGE_PATH at shared storage.
"""

from __future__ import annotations

import logging
import os
from typing import Any

RUNNERS = ("threads", "dask")
_clusters: dict[str, Any] = {}


def task_runner(runner: str = "threads", address: str | None = None, processes: bool = True) -> Any:
    """A task runner for build_pack.with_options, or None for the flow's own threads."""
    if runner not in RUNNERS:
        raise ValueError(f"unknown runner {runner!r}; use one of {', '.join(RUNNERS)}")
    if runner == "threads":
        return None
    from prefect_dask import DaskTaskRunner

    return DaskTaskRunner(address=address or local_cluster(processes).scheduler_address)


def local_cluster(processes: bool = True) -> Any:
    """One LocalCluster per process: a worker per core, one thread each (pdfminer holds the GIL)."""
    key = "processes" if processes else "threads"
    if key not in _clusters:
        from distributed import LocalCluster

        from flows.parallel import workers

        if processes:
            share_api()
        _clusters[key] = LocalCluster(
            n_workers=max(1, workers()) if processes else 1,
            threads_per_worker=1 if processes else max(2, workers()),
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.INFO if os.environ.get("PREFECT_LOGGING_LEVEL") == "INFO" else logging.ERROR,
        )
    return _clusters[key]


def share_api() -> None:
    """Give worker processes this process's Prefect API: start the ephemeral one if none is set."""
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.server.api.server import SubprocessASGIServer

        server = SubprocessASGIServer()
        server.start()
        url = server.api_url
    os.environ["PREFECT_API_URL"] = url


def close() -> None:
    for cluster in _clusters.values():
        cluster.close()
    _clusters.clear()
