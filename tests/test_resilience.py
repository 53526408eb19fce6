"""A build killed at any stage, and two builds at once, never cost a good pack.

The builds run as real `briefpack` processes against the session's Prefect test
server, so a SIGKILL lands in a real process with a real cache and result store.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.answers import FIXTURES

ROOT = Path(__file__).parent.parent
SOURCE = FIXTURES / "expert-meeting-2019.md"
STAGES = ["extract", "clean", "correct", "structure", "brief", "render"]


def environment(cache: Path) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/root"),
        "PYTHONPATH": str(ROOT),
        "PREFECT_API_URL": PREFECT_API_URL.value(),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "BRIEFPACK_CACHE_DIR": str(cache),
        "PREFECT_LOCAL_STORAGE_PATH": str(cache),
    }


def command(source: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "flows.cli", "build", str(source), "--out", str(out)]


def build(source: Path, out: Path, cache: Path) -> subprocess.CompletedProcess:
    return subprocess.run(command(source, out), env=environment(cache), capture_output=True, text=True, timeout=300)


def kill_after(stage: str, source: Path, out: Path, cache: Path) -> None:
    """Start a build and SIGKILL it (and its children) as soon as `stage` reports a finished task."""
    process = subprocess.Popen(
        command(source, out), env=environment(cache), stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        for line in process.stderr:
            if line.strip().startswith(f"{stage}"):
                os.killpg(process.pid, signal.SIGKILL)
                break
    finally:
        process.wait(timeout=300)
    assert process.returncode == -signal.SIGKILL, f"the build ended before {stage} was reached"


def pack_bytes(pack: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(pack.glob(f"{pack.name}.*"))}


@pytest.fixture(scope="module")
def reference(prefect_harness, tmp_path_factory) -> dict[str, str]:
    """The output bytes of one clean build, with a cache of its own."""
    work = tmp_path_factory.mktemp("reference")
    source = work / SOURCE.name
    shutil.copy(SOURCE, source)
    result = build(source, work / "out", work / "cache")
    assert result.returncode == 0, result.stderr
    return pack_bytes(work / "out" / source.stem)


@pytest.mark.parametrize("stage", STAGES)
def test_a_build_killed_at_any_stage_is_followed_by_a_good_one(reference, tmp_path, stage):
    source = tmp_path / SOURCE.name
    shutil.copy(SOURCE, source)
    out, cache = tmp_path / "out", tmp_path / "cache"
    kill_after(stage, source, out, cache)
    assert not (out / source.stem).exists() or pack_bytes(out / source.stem) == reference
    result = build(source, out, cache)
    assert result.returncode == 0, result.stderr
    assert pack_bytes(out / source.stem) == reference
    assert not list(out.glob(f".{source.stem}.*.tmp"))


def test_a_kill_leaves_the_earlier_pack_whole(reference, tmp_path):
    source = tmp_path / SOURCE.name
    shutil.copy(SOURCE, source)
    out, cache = tmp_path / "out", tmp_path / "cache"
    assert build(source, out, cache).returncode == 0
    source.write_text(source.read_text() + "\nA paragraph added by an editor.\n")
    kill_after("render", source, out, cache)
    assert pack_bytes(out / source.stem) == reference


def test_two_builds_at_once_leave_one_consistent_pack(reference, tmp_path):
    source = tmp_path / SOURCE.name
    shutil.copy(SOURCE, source)
    out, cache = tmp_path / "out", tmp_path / "cache"
    env = environment(cache)
    runs = [subprocess.Popen(command(source, out), env=env, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
    pack = out / source.stem
    assert pack_bytes(pack) == reference
    manifest = json.loads((pack / "manifest.json").read_text())
    assert {o["path"]: o["sha256"] for o in manifest["outputs"]} == pack_bytes(pack)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [source.stem]
