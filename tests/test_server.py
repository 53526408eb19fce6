"""The background Prefect server (flows/server.py): shared, replaced when stale, stopped when idle.

Real `briefpack` processes with a temporary cache folder and no PREFECT_API_URL, so
they start and share the server as a user's commands do. Every test stops what it
started (the fixture's finalizer) and checks with psutil that nothing is left.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from flows import server
from tests.answers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
MEETING = (FIXTURES / "expert-meeting-2019.md").read_text(encoding="utf-8")


def environment(cache: Path, **extra: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": os.environ.get("HOME", "/tmp"),
            "BRIEFPACK_CACHE_DIR": str(cache), "BRIEFPACK_FORMATS": '["html"]', **extra}


def report(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(MEETING.replace("the Chatham House rule.", f"the Chatham House rule. Marker {name}.", 1), encoding="utf-8")
    return path


def briefpack(*args: str, cache: Path, **extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "flows.cli", *args], env=environment(cache, **extra),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen) -> tuple[int, str]:
    _out, err = process.communicate(timeout=300)
    return process.returncode, err


def family(pid: int) -> list[psutil.Process]:
    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return []


def gone(processes: list[psutil.Process]) -> bool:
    return not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in processes)


def wait_for(condition, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def cache(tmp_path):
    """A cache folder of the test's own; whatever server it got is stopped at the end."""
    folder = tmp_path / "cache"
    yield folder
    state = server.read_state(server.folder_for(folder))
    processes = family(state["pid"]) if state else []
    server.stop(server.folder_for(folder))
    assert gone(processes)


def test_two_commands_share_one_server(tmp_path, cache):
    sources = [report(tmp_path / "reports", name) for name in ("first", "second")]
    builds = [briefpack("build", str(s), "--out", str(tmp_path / "out"), cache=cache) for s in sources]
    for process in builds:
        code, err = finished(process)
        assert code == 0, err
    state = server.running(server.folder_for(cache))
    assert state is not None
    assert os.getsid(state["pid"]) == state["pid"]  # its own session: a Ctrl-C of a build never reaches it
    third = report(tmp_path / "reports", "third")
    code, err = finished(briefpack("build", str(third), "--out", str(tmp_path / "out"), cache=cache))
    assert code == 0, err
    assert server.read_state(server.folder_for(cache))["pid"] == state["pid"]  # reused, not restarted
    servers = [p for p in psutil.process_iter(["cmdline"]) if "flows.server" in (p.info["cmdline"] or [])
               and str(server.folder_for(cache)) in (p.info["cmdline"] or [])]
    assert len(servers) == 1


def test_a_killed_server_is_replaced_by_the_next_build(tmp_path, cache):
    source = report(tmp_path / "reports", "killed")
    code, err = finished(briefpack("build", str(source), "--out", str(tmp_path / "out"), cache=cache))
    assert code == 0, err
    folder = server.folder_for(cache)
    old = server.read_state(folder)
    os.killpg(old["pid"], signal.SIGKILL)
    wait_for(lambda: not server.alive(old), "the server to die")
    assert json.loads((folder / "server.json").read_text())["pid"] == old["pid"]  # a stale state file is left
    source.write_text(source.read_text(encoding="utf-8") + "\nA late addition.\n", encoding="utf-8")
    code, err = finished(briefpack("build", str(source), "--out", str(tmp_path / "out"), cache=cache))
    assert code == 0, err
    new = server.running(folder)
    assert new is not None and new["pid"] != old["pid"]


def test_server_commands_start_status_stop_and_leave_nothing(tmp_path, cache):
    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "flows.cli", "server", *args, "--cache-dir", str(cache)],
                              env=environment(cache), capture_output=True, text=True, timeout=300)

    started = run("start")
    assert started.returncode == 0 and "running: http://127.0.0.1:" in started.stdout, started.stderr
    state = server.read_state(server.folder_for(cache))
    status = run("status")
    assert status.returncode == 0 and state["url"] in status.stdout
    processes = family(state["pid"])
    assert run("stop").stdout.strip() == "stopped"
    assert gone(processes)
    assert not psutil.pid_exists(state["pid"]) or not server.alive(state)
    after = run("status")
    assert after.returncode == 1 and "not running" in after.stdout


def test_it_stops_itself_when_its_clients_are_gone(cache, monkeypatch):
    folder = server.folder_for(cache)
    client = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    try:
        state = server.start(folder, idle=2)
        server.lease(folder, client.pid)
        time.sleep(6)  # three idle periods: a live client keeps it up
        assert server.running(folder) is not None
    finally:
        client.kill()
        client.wait()
    wait_for(lambda: not server.alive(state), "the idle stop")
    assert server.read_state(folder) is None and not list((folder / "clients").iterdir())


def test_a_stale_state_file_is_replaced(cache):
    folder = server.folder_for(cache)
    folder.mkdir(parents=True)
    me = psutil.Process()
    # a live process that is not the server (a reused pid), at a port where nothing answers
    (folder / "server.json").write_text(json.dumps(
        {"pid": me.pid, "created": me.create_time(), "port": 9, "url": "http://127.0.0.1:9/api", "started": 0}))
    assert server.running(folder) is None
    state = server.start(folder, idle=60)
    assert state["pid"] != me.pid and server.running(folder) == state


def test_the_users_prefect_api_url_wins(cache, monkeypatch):
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:9/api")
    assert server.ensure(cache) is None
    assert not server.folder_for(cache).exists()


def test_start_up_migrations_are_skipped_only_for_the_database_this_prefect_migrated(tmp_path):
    assert not server._migrated(tmp_path)  # no database yet
    database = tmp_path / "prefect.db"
    database.write_bytes(b"tables")
    assert not server._migrated(tmp_path)  # never recorded
    (tmp_path / "migrated").write_text(server._database_state(tmp_path), encoding="utf-8")
    assert server._migrated(tmp_path)
    other = tmp_path / "other.db"
    other.write_bytes(b"another database")
    other.replace(database)  # a different file in its place
    assert not server._migrated(tmp_path)
    (tmp_path / "migrated").write_text(server._database_state(tmp_path).replace("prefect ", "prefect 0.0.0-"), encoding="utf-8")
    assert not server._migrated(tmp_path)  # recorded by another Prefect version


def test_bad_input_alone_starts_no_server(tmp_path, cache):
    bad = tmp_path / "reports" / "bad.pdf"
    bad.parent.mkdir(parents=True)
    bad.write_bytes(b"not a pdf at all")
    code, err = finished(briefpack("build", str(bad), "--out", str(tmp_path / "out"), cache=cache))
    assert code == 4 and "not a PDF" in err, err
    assert server.read_state(server.folder_for(cache)) is None
