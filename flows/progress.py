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
