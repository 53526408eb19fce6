"""A local Prefect server that outlives one command, and stops itself when idle.

Prefect's temporary API costs a command seconds to start; a build daemon's answer
is to keep one up. The first command that needs an API (no PREFECT_API_URL of the
user's) starts `python -m flows.server` in its own session (a Ctrl-C of the build
never reaches it), with its SQLite database, log and state file under
<cache>/server/; later commands find it through that state file and reuse it.

Each command that uses it leaves a lease (its pid) in <cache>/server/clients/. The
server's watchdog drops the leases of processes that are gone and stops the server
once none has been alive for the idle time (BRIEFPACK_SERVER_IDLE seconds, default
900), so nothing lingers after the last build or watch ends, even after a kill -9.

A state file is trusted only when its pid is alive (same start time) and
/api/health answers; otherwise (a killed server, a reused pid or port) it is
replaced. A lock makes sure two commands never start two servers.

No Prefect import here (except in the server's own process): `briefpack server
status` and the up-to-date answer stay fast.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

IDLE_SECONDS = 900
STARTUP_SECONDS = 180
DEFAULT_CACHE = ".briefpack-cache"
IDLE_SERVICES = ("SCHEDULER", "LATE_RUNS", "FOREMAN", "PAUSE_EXPIRATIONS", "TRIGGERS", "EVENT_LOGGER", "DB_VACUUM",
                 "REPOSSESSOR")


def folder_for(cache_dir: Path | str | None = None) -> Path:
    """<cache>/server: the cache folder as the CLI exported it, else the default."""
    cache = cache_dir or os.environ.get("PREFECT_LOCAL_STORAGE_PATH") or DEFAULT_CACHE
    return Path(cache).expanduser().resolve() / "server"


def idle_seconds() -> float:
    return float(os.environ.get("BRIEFPACK_SERVER_IDLE", IDLE_SECONDS))


# --- what commands call ----------------------------------------------------------------


_pending: tuple[Path, dict[str, Any]] | None = None  # (folder, state) of a server this command has not waited for


def ensure(cache_dir: Path | str | None = None) -> str | None:
    """The API URL this command should use: the user's own, else our server's (started if need be).

    Exports PREFECT_API_URL before Prefect is imported, and leaves this process's lease.
    Does not wait for a server that is starting: call `wait()` once Prefect is imported.
    Returns None when the user's setting (or BRIEFPACK_SERVER=0) decides instead.
    """
    global _pending
    if _users_api() or os.environ.get("BRIEFPACK_SERVER", "1").strip().lower() in ("0", "off", "false", "no"):
        return None
    folder = folder_for(cache_dir)
    lease(folder, os.getpid())  # first: a server that comes up idle must already see this client
    try:
        state = start(folder, wait=False)
    except (RuntimeError, OSError) as error:  # no server: Prefect's own temporary API still works
        print(f"warning: {error}; using a temporary API for this command", file=sys.stderr)
        return None
    _pending = (folder, state)
    os.environ["PREFECT_API_URL"] = state["url"]
    return state["url"]


def wait() -> None:
    """Wait for the server `ensure` left starting (a no-op when it answered already or none is ours)."""
    global _pending
    pending, _pending = _pending, None
    if pending is not None and not ready(pending[1]):
        folder = pending[0]
        raise RuntimeError(f"the background Prefect server did not start (see {folder / 'server.log'}); "
                           "BRIEFPACK_SERVER=0 uses a temporary one")


def _users_api() -> bool:
    """A PREFECT_API_URL set in the environment, or in Prefect's settings once it is imported (tests)."""
    if os.environ.get("PREFECT_API_URL"):
        return True
    if "prefect.settings" in sys.modules:
        from prefect.settings import PREFECT_API_URL

        return bool(PREFECT_API_URL.value())
    return False


def start(folder: Path, idle: float | None = None, wait: bool = True) -> dict[str, Any]:
    """The server of `folder`: the running one, one still starting, else a new one.

    With wait=False a new server is left starting (the caller imports Prefect
    meanwhile) and `ready()` waits for it.
    """
    from filelock import FileLock

    folder.mkdir(parents=True, exist_ok=True)
    for _attempt in range(3):  # a port taken between choosing and binding it: choose again
        with FileLock(folder / "server.lock", timeout=STARTUP_SECONDS + 30):
            state = read_state(folder)
            if not (state and alive(state) and (healthy(state["url"]) or _starting(state))):
                if state:
                    _terminate(state)  # one that never answered; a dead or reused pid is left alone
                _discard(folder)
                state = _spawn(folder, idle if idle is not None else idle_seconds())
        if not wait or ready(state):
            return state
    raise RuntimeError(f"the local Prefect server did not start; see {folder / 'server.log'}")


def ready(state: dict[str, Any]) -> bool:
    """Wait until the server answers; False when it died or never answered."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if not alive(state):
            return False
        if healthy(state["url"], timeout=1.0):
            return True
        time.sleep(0.1)
    return False


def _starting(state: dict[str, Any]) -> bool:
    return time.time() - state.get("started", 0) < STARTUP_SECONDS


def running(folder: Path) -> dict[str, Any] | None:
    """The state of a live, answering server of `folder`, or None."""
    state = read_state(folder)
    if state and alive(state) and healthy(state["url"]):
        return state
    return None


def stop(folder: Path, timeout: float = 15.0) -> bool:
    """Stop the server of `folder` and everything it started; False when none was running."""
    state = read_state(folder)
    found = bool(state and alive(state))
    if found:
        _terminate(state, timeout)
    _discard(folder)
    return found


def lease(folder: Path, pid: int) -> None:
    """Keep the server up while process `pid` lives (it may build at any time)."""
    import psutil

    clients = folder / "clients"
    clients.mkdir(parents=True, exist_ok=True)
    (clients / f"{pid}-{psutil.Process(pid).create_time():.3f}").touch()


# --- state file and processes ------------------------------------------------------------


def read_state(folder: Path) -> dict[str, Any] | None:
    try:
        return json.loads((folder / "server.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def alive(state: dict[str, Any]) -> bool:
    """The recorded process still runs: same pid and the same start time (pids are reused)."""
    return _process_alive(state.get("pid", 0), state.get("created", 0.0))


def _process_alive(pid: int, created: float) -> bool:
    import psutil

    try:
        process = psutil.Process(pid)
        return abs(process.create_time() - created) < 0.01 and process.status() != psutil.STATUS_ZOMBIE
    except (psutil.Error, ValueError):
        return False


def healthy(url: str, timeout: float = 10.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=timeout) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _spawn(folder: Path, idle: float) -> dict[str, Any]:
    """Start the server process in a session of its own and record it."""
    import psutil

    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    root = str(Path(__file__).resolve().parent.parent)
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    with open(folder / "server.log", "ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "flows.server", str(folder), str(port), str(idle)],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env, cwd=folder, start_new_session=True,
        )
    state = {"pid": process.pid, "created": psutil.Process(process.pid).create_time(), "port": port, "url": url,
             "started": time.time()}
    _write_state(folder, state)
    return state


def _write_state(folder: Path, state: dict[str, Any]) -> None:
    temporary = folder / f"server.json.{os.getpid()}"
    temporary.write_text(json.dumps(state), encoding="utf-8")
    temporary.replace(folder / "server.json")


def _terminate(state: dict[str, Any], timeout: float = 15.0) -> None:
    """SIGTERM the server's process group (it and its children), SIGKILL what is left."""
    import psutil

    if not alive(state):
        return
    try:
        parent = psutil.Process(state["pid"])
        family = [parent, *parent.children(recursive=True)]
        os.killpg(state["pid"], signal.SIGTERM)  # its own session: the group is the server's
    except (psutil.Error, ProcessLookupError):
        return
    _gone, left = psutil.wait_procs(family, timeout=timeout)
    for process in left:
        try:
            process.kill()
        except psutil.Error:
            pass
    psutil.wait_procs(left, timeout=5)


def _discard(folder: Path) -> None:
    (folder / "server.json").unlink(missing_ok=True)


# --- the server's own process -----------------------------------------------------------


def serve(folder: Path, port: int, idle: float) -> None:
    """Prefect's API and UI on `port` (SQLite in `folder`), until idle or signalled."""
    os.environ.setdefault("PREFECT_API_DATABASE_MIGRATE_ON_START", "false" if _migrated(folder) else "true")
    os.environ.update(
        PREFECT_API_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{folder / 'prefect.db'}",
        PREFECT_SERVER_API_HOST="127.0.0.1",
        PREFECT_SERVER_API_PORT=str(port),
        PREFECT_UI_API_URL=f"http://127.0.0.1:{port}/api",
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        # Builds need the API and the services that record runs and events for the UI; the ones
        # for deployments, workers and automations would only poll (CPU on a shared machine).
        **{f"PREFECT_SERVER_SERVICES_{name}_ENABLED": "false" for name in IDLE_SERVICES},
    )
    import uvicorn

    server = uvicorn.Server(
        uvicorn.Config("prefect.server.api.server:create_app", factory=True, host="127.0.0.1", port=port,
                       log_level="error", lifespan="on")
    )
    threading.Thread(target=_watchdog, args=(server, folder, idle), daemon=True).start()
    try:
        server.run()
    finally:
        state = read_state(folder)
        if state and state.get("pid") == os.getpid():
            _discard(folder)


def _database_state(folder: Path) -> str | None:
    """This Prefect's version and the database file's identity: what its migrations were run for."""
    from importlib.metadata import version

    try:
        stat = (folder / "prefect.db").stat()
    except OSError:
        return None
    return f"prefect {version('prefect')}, database {stat.st_dev}:{stat.st_ino}"


def _migrated(folder: Path) -> bool:
    """The database was migrated by this Prefect version: a start can skip the check (1-2 s of CPU)."""
    try:
        return (folder / "migrated").read_text(encoding="utf-8") == _database_state(folder)
    except OSError:
        return False


def _watchdog(server: Any, folder: Path, idle: float) -> None:
    """Stop the server once no client has been alive for `idle` seconds."""
    last_active = time.monotonic()
    recorded = False
    while not server.should_exit:
        if server.started and not recorded:  # it answers: its start-up migrations ran
            (folder / "migrated").write_text(_database_state(folder) or "", encoding="utf-8")
            recorded = True
        if not server.started or _live_clients(folder):  # idle time counts from the moment it answers
            last_active = time.monotonic()
        elif time.monotonic() - last_active > idle:
            server.should_exit = True
            return
        time.sleep(min(2.0, max(0.2, idle / 4)))


def _live_clients(folder: Path) -> int:
    """Count the leases whose process lives; remove the others."""
    count = 0
    for lease_file in (folder / "clients").glob("*-*"):
        pid, _, created = lease_file.name.partition("-")
        try:
            live = _process_alive(int(pid), float(created))
        except ValueError:
            live = False
        if live:
            count += 1
        else:
            lease_file.unlink(missing_ok=True)
    return count


if __name__ == "__main__":
    serve(Path(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]))
