"""Progress events from the flow to whoever shows them (the CLI's display, tests)."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any, Protocol

# The stem of the source being built in this thread (batch builds run several at once).
source: ContextVar[str | None] = ContextVar("briefpack_source", default=None)


class Listener(Protocol):
    def started(self, stage: str, item: str | None) -> None: ...

    def finished(self, record: dict[str, Any]) -> None: ...


listeners: list[Listener] = []


def started(stage: str, item: str | None) -> None:
    for listener in listeners:
        listener.started(stage, item)


def finished(record: dict[str, Any]) -> None:
    for listener in listeners:
        listener.finished(record)


# Prefect flow runs this process has started and not finished: Ctrl-C marks them cancelled.
runs: set[str] = set()


def track_run() -> None:
    """Called at the top of a flow: remember its run, so an interrupt can cancel it."""
    from prefect.context import FlowRunContext

    context = FlowRunContext.get()
    if context is not None and context.flow_run is not None:
        runs.add(str(context.flow_run.id))


def cancel_runs() -> None:
    """Mark every tracked run cancelled (an interrupt's last word to the Prefect API)."""
    if not runs:
        return
    from prefect.client.orchestration import get_client
    from prefect.states import Cancelled

    with get_client(sync_client=True) as client:
        for run in sorted(runs):
            client.set_flow_run_state(run, Cancelled(message="interrupted (Ctrl-C or SIGTERM)"), force=True)
