"""Prefect's environment for a command: set before Prefect is first imported.

Prefect reads its settings when it is imported, so the command sets them here first;
a user's own PREFECT_* values always win.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Iterator

from flows import cache, server


def prefect_environment(cache_dir: Path, debug: bool) -> None:
    """The result store in the cache folder (made a briefpack cache if new), quiet logs unless --debug."""
    os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(Path(cache_dir).expanduser().resolve()))
    cache.adopt(cache.location(cache_dir))
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if debug else "CRITICAL")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "INFO" if debug else "CRITICAL")
    server.ensure(cache.location(cache_dir))  # the background server's URL, unless the user set one


@contextlib.contextmanager
def without_heartbeats() -> Iterator[None]:
    """Flow runs started inside send no heartbeats, unless the user set their frequency.

    Prefect's heartbeat thread sleeps in one-second steps and each flow run waits for it
    at its end: half a second on average, a tenth of an incremental build. Heartbeats
    let automations mark crashed runs; the background server runs none.
    """
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings

    if {"PREFECT_FLOWS_HEARTBEAT_FREQUENCY", "PREFECT_RUNNER_HEARTBEAT_FREQUENCY"} & set(os.environ):
        yield
        return
    with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
        yield
