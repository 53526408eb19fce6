"""CPU-bound stage work on a pool of processes, one per core.

pdfminer's layout analysis holds the GIL, so Prefect's threads alone cannot use a
second core. Each per-page extract task (run on one of the flow's threads) hands
its page to this shared process pool and waits; a cached page never gets here, so
the per-page cache and the manifest records stay exactly as they were.

The pool starts only when a second piece of work comes while one is running: a
lone page (the usual edit: one page changed) is parsed here, in less time than
starting the workers (a spawn and a pdfplumber import each) would take. Once the
pool is up (a cold build, watch mode) every page goes to it.

In a process that may not have children (a Dask worker is daemonic), in a batch's
worker process (its siblings keep the other cores busy) or with
BRIEFPACK_PROCESSES=1 the work runs inline instead.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable

from flows import signals

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()
_inline = False
_running = 0  # calls of run() not finished, in this process
_early: dict[tuple, Future] = {}  # pages parsed before their tasks ran (flows/early.py)


def workers() -> int:
    """How many processes: BRIEFPACK_PROCESSES, else the cores this process may use."""
    setting = os.environ.get("BRIEFPACK_PROCESSES", "").strip()
    if setting:
        return max(0, int(setting))
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def keep_inline() -> None:
    """Never start a pool in this process (a batch worker: other processes use the other cores)."""
    global _inline
    _inline = True


def usable() -> bool:
    return workers() > 1 and not _inline and not multiprocessing.current_process().daemon


def pool() -> ProcessPoolExecutor:
    """The shared pool, started on first use (spawned: the parent runs threads)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(
                max_workers=workers(), mp_context=multiprocessing.get_context("spawn"), initializer=signals.child_setup
            )
            atexit.register(shutdown)
        return _pool


def shutdown() -> None:
    global _pool
    with _lock:
        if _pool is not None:
            _pool.shutdown(wait=False, cancel_futures=True)
            _pool = None


def warm() -> None:
    """Start the pool's workers and import the PDF reader in them now, not at the first edit."""
    if usable():
        for _ in range(workers()):
            pool().submit(_import_reader)


def _import_reader() -> None:
    import tasks.extract.pdf  # noqa: F401 - pdfplumber and pdfminer, a second or more to import


def timed(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    start = time.perf_counter()
    value = function(*args)
    return value, round(time.perf_counter() - start, 4)


def run(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """function(*args) and its seconds: on the pool when it is up or other work is running, else here."""
    global _running
    with _lock:
        _running += 1
        alone = _running == 1 and _pool is None
    try:
        if alone or not usable():
            return timed(function, *args)
        return pool().submit(timed, function, *args).result()  # the caller's thread waits
    except BrokenProcessPool:  # a worker died (killed, out of memory): start afresh next time, go on inline
        shutdown()
        return timed(function, *args)
    finally:
        with _lock:
            _running -= 1


# --- PDF pages without reopening the file for each one -------------------------------------

def parse_early(path: Any, numbers: list[int], password: str = "") -> None:
    """Start parsing these pages on the pool now; `page` hands over their results later."""
    for number in numbers:
        future = pool().submit(timed, extract_page, path, number, password)
        with _lock:
            _early[_page_key(path, number, password)] = future


def page(path: Any, number: int, password: str = "") -> tuple[Any, float]:
    """One page's layout facts and seconds: the early parse's when there was one for this file, else parsed now."""
    with _lock:
        future = _early.pop(_page_key(path, number, password), None)
    if future is not None:
        try:
            return future.result()
        except BrokenProcessPool:
            shutdown()
    return run(extract_page, path, number, password)


def _page_key(path: Any, number: int, password: str) -> tuple:
    stat = os.stat(path)  # a file replaced since is parsed again
    return str(path), stat.st_size, stat.st_mtime_ns, number, password


_open: dict[tuple, Any] = {}
_open_lock = threading.Lock()  # pdfplumber's objects are not shared between threads


def extract_page(path: Any, number: int, password: str = "") -> Any:
    """Layout facts of one page, the PDF kept open in this process between pages.

    Opening a PDF lists all its pages, so opening it once per page made extraction
    grow with the square of the page count; kept open (per path, size and mtime, so a
    replaced file is reopened), each page costs the same however long the report.
    """
    import pdfplumber

    from tasks.extract.pdf import read_page

    stat = os.stat(path)
    key = (str(path), stat.st_size, stat.st_mtime_ns, password)
    with _open_lock:
        pdf = _open.get(key)
        if pdf is None:
            for old in list(_open):
                _open.pop(old).close()
            pdf = _open[key] = pdfplumber.open(path, password=password)
        page = pdf.pages[number - 1]
        try:
            return read_page(page)
        finally:
            page.close()  # drop the page's cached layout objects
