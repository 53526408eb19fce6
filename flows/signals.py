"""Ctrl-C and SIGTERM: stop within seconds, leave no process behind, never half a pack.

The command's main process owns the decision. On SIGINT or SIGTERM it says
"interrupted", marks its Prefect flow run cancelled (best effort, bounded), asks every
process it started to stop (SIGTERM, then SIGKILL after a grace period) and exits 130
or 143. A process that is swapping a pack into place finishes the swap first
(`deferred()`), so the earlier pack is either whole or replaced whole.

Worker processes (the page pool, a batch's build processes) ignore SIGINT, which the
terminal sends to the whole process group, and leave the decision to the main process;
they also stop by themselves when the main process dies without a word (kill -9), since
no signal reaches them then. A process in a session of its own (the background Prefect
server of flows/server.py) is not ours to stop: it owns its lifetime.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from typing import Callable, Iterator

EXIT_CODES = {signal.SIGINT: 130, signal.SIGTERM: 143}
DEADLINE_EXIT = 14  # a build over its max_build_seconds budget
_deadline: list[str] = []  # the message a passed deadline prints
GRACE_SECONDS = 2.0

_critical = [0]  # how many threads are inside deferred() blocks now
_lock = threading.Lock()
_pending: list[int] = []
_handler: list[Callable[[int, object], None]] = []  # what a deferred signal runs: main or worker
_on_stop: list[Callable[[], None]] = []


def install() -> None:
    """In the command's main process: SIGINT and SIGTERM stop everything (see the module doc)."""
    _handler[:] = [_stop]
    for number in EXIT_CODES:
        signal.signal(number, _stop)


def deadline(seconds: float, message: str) -> threading.Timer:
    """After `seconds`, stop like an interrupt but say `message` and exit 14 (a build that hangs).

    Returns the timer: cancel it when the build ends (the command may live on, as in tests)."""
    _deadline[:] = [message]
    signal.signal(signal.SIGALRM, _stop)
    timer = threading.Timer(seconds, os.kill, args=(os.getpid(), signal.SIGALRM))
    timer.daemon = True
    timer.start()
    return timer


def on_stop(callback: Callable[[], None]) -> None:
    """Run `callback` (bounded, errors ignored) before the processes are stopped."""
    _on_stop.append(callback)


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A signal that arrives inside this block takes effect when the block ends."""
    with _lock:
        _critical[0] += 1
    try:
        yield
    finally:
        with _lock:
            _critical[0] -= 1
            due = not _critical[0] and _pending
        if due:
            (_handler or [_stop])[0](_pending[0], None)


def child_setup() -> None:
    """In a worker process: ignore Ctrl-C, stop cleanly on SIGTERM, and die with the parent."""
    _handler[:] = [_exit_quietly]
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_quietly)
    parent = os.getppid()
    threading.Thread(target=_watch_parent, args=(parent,), name="briefpack-orphan-watch", daemon=True).start()


def _stop(number: int, _frame: object) -> None:
    if _critical[0] and not _pending:
        _pending.append(number)  # finish the swap first
        return
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut this short
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    late = number == signal.SIGALRM
    # Straight to the descriptor: the signal may land inside a write to sys.stderr, and a
    # second write to its buffer from here would raise "reentrant call".
    os.write(2, (f"error: {_deadline[0]}" if late else "interrupted").encode() + b"\n")
    for callback in _on_stop:
        _bounded(callback, seconds=3.0)
    stop_children()
    _quietly(sys.stdout.flush)  # may be mid-write too: what is lost is a progress line
    os._exit(DEADLINE_EXIT if late else EXIT_CODES.get(number, 130))


def _exit_quietly(number: int, _frame: object) -> None:
    if _critical[0] and not _pending:
        _pending.append(number)
        return
    _quietly(stop_children)  # a worker stopped mid-import (psutil half loaded) must still just exit
    os._exit(EXIT_CODES.get(number, 143))


def stop_children(grace: float = GRACE_SECONDS) -> None:
    """SIGTERM to every descendant in our session, SIGKILL to those still there after `grace`."""
    import psutil

    me = psutil.Process()
    session = os.getsid(0)
    children = []
    for child in me.children(recursive=True):
        with contextlib.suppress(psutil.Error, ProcessLookupError):
            if os.getsid(child.pid) == session:
                children.append(child)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()


def _bounded(callback: Callable[[], None], seconds: float) -> None:
    worker = threading.Thread(target=lambda: _quietly(callback), daemon=True)
    worker.start()
    worker.join(seconds)


def _quietly(callback: Callable[[], None]) -> None:
    with contextlib.suppress(Exception):
        callback()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(143)  # re-parented: the main process is gone
