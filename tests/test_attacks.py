"""What a user can type must never destroy their files, hang the tool or leave it running.

Each test reproduces one defect found by attacking the command by hand (issue 17):
path tricks, a cache folder that is not a cache, signals, name clashes, decompression
bombs, input mistakes reported late, and a pack folder only its owner could read.
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from flows import cache
from tests import badpdfs
from tests.test_inputs import earlier_pack, snapshot
from tests.test_resilience import SOURCE, command, environment

ROOT = Path(__file__).resolve().parent.parent


def briefpack(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT), **(env or {})},
    )


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.strip()]


# --- 1. a source whose stem is "." or ".." ---------------------------------------------------


@pytest.mark.parametrize("name", ["..pdf", "...pdf", ".hidden.pdf", "con.pdf"])
def test_a_source_named_after_the_output_folder_is_refused_and_nothing_is_touched(tmp_path, name):
    source = badpdfs.text_pdf(tmp_path / name)
    out = tmp_path / "out"
    earlier_pack(out, "other-report")
    (out / "notes.txt").write_text("the user's own file\n", encoding="utf-8")
    before = snapshot(out)
    result = briefpack("build", str(source), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert error_lines(result) == [error_lines(result)[0]] and "no pack folder can be named" in result.stderr
    assert snapshot(out) == before


def test_publish_itself_refuses_a_folder_outside_out(tmp_path):
    from flows.publish import publish
    from tasks.errors import UsageError

    out = tmp_path / "out"
    earlier_pack(out, "kept")
    before = snapshot(out)
    with pytest.raises(UsageError):
        publish(tmp_path / "..pdf", out, {}, {}, [])
    assert snapshot(out) == before


# --- 2. cache clear in a folder that is not a cache ------------------------------------------


def test_cache_clear_refuses_a_folder_briefpack_did_not_create(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4 the user's report")
    (tmp_path / "briefpack.toml").write_text('cache_dir = "."\n', encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "keep.txt").write_text("mine\n", encoding="utf-8")
    before = snapshot(tmp_path)
    result = briefpack("cache", "clear", cwd=tmp_path)
    assert result.returncode == 2 and "not a briefpack cache" in result.stderr
    assert snapshot(tmp_path) == before


def test_cache_clear_removes_only_entries_from_a_real_cache(tmp_path):
    folder = tmp_path / "cache"
    assert cache.adopt(folder)
    entries = [folder / f"clean-2-{'a' * 64}", folder / "0b8c9f2e-6a7d-4c1e-9f3a-2b1c0d9e8f7a"]
    for entry in entries:
        entry.write_bytes(b"{}")
    (folder / "notes.txt").write_text("a user's file that ended up here\n", encoding="utf-8")
    result = briefpack("cache", "clear", "--cache-dir", str(folder), cwd=tmp_path)
    assert result.returncode == 0 and "removed 2 entries" in result.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["CACHEDIR.TAG", "notes.txt"]


def test_an_existing_folder_with_files_is_never_adopted_as_a_cache(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    assert not cache.adopt(tmp_path)
    assert not (tmp_path / cache.TAG_NAME).exists()
    with pytest.raises(cache.NotACache):
        cache.prune(tmp_path, 0, 0)


def test_prune_drops_failures_old_entries_then_the_oldest_over_the_cap(tmp_path):
    folder = tmp_path / "cache"
    cache.adopt(folder)
    now = time.time()

    def entry(name: str, size: int, age_days: float) -> Path:
        path = folder / name
        path.write_bytes(b"x" * size)
        os.utime(path, (now - age_days * 86_400,) * 2)
        return path

    failure = entry("0b8c9f2e-6a7d-4c1e-9f3a-2b1c0d9e8f7a", 10, 0)
    stale = entry(f"extract-1-{'1' * 64}", 10, 40)
    oldest = entry(f"clean-1-{'2' * 64}", 100, 3)
    newer = entry(f"render-1-{'3' * 64}", 100, 1)
    assert cache.prune(folder, max_bytes=150, max_age_days=30, now=now) == 3
    assert [p.exists() for p in (failure, stale, oldest, newer)] == [False, False, False, True]


# --- 3. Ctrl-C and SIGTERM ------------------------------------------------------------------


def _start_build(tmp_path: Path, source: Path, out: Path) -> subprocess.Popen:
    process = subprocess.Popen(
        command(source, out), env=environment(tmp_path / "cache"), stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    for line in process.stderr:  # wait until stages run: the interrupt lands mid-build
        if line.strip().startswith("extract"):
            return process
    raise AssertionError("the build ended before any stage ran")


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_an_interrupt_stops_the_build_leaves_no_process_and_keeps_the_earlier_pack(
    prefect_harness, tmp_path, signum, code
):
    source = tmp_path / "report.pdf"
    badpdfs.text_pdf(source, pages=40)
    out = tmp_path / "out"
    earlier_pack(out, "report")
    before = snapshot(out)
    process = _start_build(tmp_path, source, out)
    children = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signum)
    rest = process.stderr.read()
    assert process.wait(timeout=60) == code  # a hang guard, not a timing assert
    assert "interrupted" in rest and "Traceback" not in rest
    gone, alive = psutil.wait_procs(children, timeout=10)
    assert not alive, [p.cmdline() for p in alive]
    assert snapshot(out) == before


def test_workers_die_with_a_killed_parent(prefect_harness, tmp_path):
    source = tmp_path / "report.pdf"
    badpdfs.text_pdf(source, pages=40)
    process = _start_build(tmp_path, source, tmp_path / "out")
    workers = [p for p in psutil.Process(process.pid).children(recursive=True) if "spawn_main" in " ".join(p.cmdline())]
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    gone, alive = psutil.wait_procs(workers, timeout=15)
    assert not alive, [p.cmdline() for p in alive]


def test_a_build_over_its_time_budget_stops_with_its_own_code(prefect_harness, tmp_path):
    source = tmp_path / "report.pdf"
    badpdfs.text_pdf(source, pages=40)
    out = tmp_path / "out"
    earlier_pack(out, "report")
    before = snapshot(out)
    env = {**environment(tmp_path / "cache"), "BRIEFPACK_MAX_BUILD_SECONDS": "1"}
    process = subprocess.Popen(command(source, out), env=env, stderr=subprocess.PIPE, text=True)
    children: list[psutil.Process] = []
    for line in process.stderr:  # the deadline lands mid-build (or before the first stage ends)
        children = psutil.Process(process.pid).children(recursive=True) if process.poll() is None else children
        if line.startswith("error:"):
            last = line
            break
    else:
        raise AssertionError("no error line")
    assert process.wait(timeout=60) == 14
    assert last.strip() == f"error: {source}: the build took over 1 s (setting max_build_seconds, per source); stopped"
    assert not psutil.wait_procs(children, timeout=10)[1]
    assert snapshot(out) == before


# --- 6. two sources, one pack folder -------------------------------------------------------


def test_two_sources_with_one_name_are_an_input_error_before_work(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.md").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    result = briefpack("build", "a/report.md", "b/report.md", "--out", "out", cwd=tmp_path)
    assert result.returncode == 2 and "would both be built into out/report" in result.stderr
    assert not (tmp_path / "out").exists()


# --- 7. blow-up ------------------------------------------------------------------------------


def test_a_decompression_bomb_is_refused_with_its_own_code(tmp_path):
    source = badpdfs.bomb_pdf(tmp_path / "bomb.pdf", inflated=64 << 20)
    assert source.stat().st_size < 200_000
    result = briefpack("build", str(source), "--out", "out", cwd=tmp_path, env={"BRIEFPACK_MAX_STREAM_BYTES": str(16 << 20)})
    assert result.returncode == 12, result.stderr
    assert error_lines(result) == [f"error: {source}: its streams decompress to more than 16,777,216 bytes "
                                   "(setting max_stream_bytes); a damaged or hostile PDF"]


def test_a_small_stream_under_the_limit_builds_its_check(tmp_path):
    from tasks.errors import check_source

    check_source(badpdfs.bomb_pdf(tmp_path / "small.pdf", inflated=1 << 20), 10**9, 10, max_stream_bytes=4 << 20)


def test_too_many_characters_is_refused_with_its_own_code(tmp_path):
    source = tmp_path / "long.md"
    source.write_text("# A long report\n\n" + "word " * 5000 + "\n", encoding="utf-8")
    result = briefpack("build", str(source), "--out", "out", cwd=tmp_path, env={"BRIEFPACK_MAX_CHARS": "1000"})
    assert result.returncode == 13 and "over the limit of 1,000 (setting max_chars)" in result.stderr


def test_too_many_unknown_words_fail_with_their_own_code_and_keep_the_earlier_pack(tmp_path):
    import random

    rng = random.Random(5)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9)) for _ in range(400)]
    text = " ".join(f"The meeting discussed the {word} report and agreed on the next steps." for word in words)
    source = tmp_path / "garbled.md"
    source.write_text(f"# A garbled report\n\n{text}\n", encoding="utf-8")
    earlier_pack(tmp_path / "out", "garbled")
    before = snapshot(tmp_path / "out")
    result = briefpack("build", str(source), "--out", "out", cwd=tmp_path, env={"BRIEFPACK_MAX_UNKNOWN_WORDS": "100"})
    assert result.returncode == 15, result.stderr
    assert [line for line in error_lines(result) if line.startswith("error")] == [f"error: {source}: more than 100 distinct unknown words in its English text "
                                   "(setting max_unknown_words): not prose a spelling check can serve; "
                                   "raise the setting to check it anyway"]
    assert snapshot(tmp_path / "out") == before


# --- 8. input mistakes, named, before any work ------------------------------------------------


MISTAKES = [
    ("toml", lambda d: (d / "briefpack.toml").write_text("formats = [\n", encoding="utf-8"), [], "briefpack.toml: not valid TOML"),
    ("toml-value", lambda d: (d / "briefpack.toml").write_text('max_pages = "many"\n', encoding="utf-8"), [],
     "setting max_pages"),
    ("toml-latin1", lambda d: (d / "briefpack.toml").write_bytes('language = "en-GB" # réunion\n'.encode("latin-1")), [],
     "briefpack.toml: not UTF-8"),
    ("errata-latin1", lambda d: (d / "report.errata.toml").write_bytes("[replacements]\nréunion = 'x'\n".encode("latin-1")),
     [], "report.errata.toml: errata file is not UTF-8"),
    ("errata-yaml", lambda d: (d / "report.errata.yaml").write_text("replacements: [unclosed\n", encoding="utf-8"), [],
     "report.errata.yaml"),
    ("errata-missing", lambda d: None, ["--errata", "nowhere.toml"], "nowhere.toml: errata file not found"),
    ("out-is-a-file", lambda d: (d / "out").write_text("x", encoding="utf-8"), [], "--out out: is a file"),
    ("unknown-format", lambda d: None, ["--formats", "docx,pdfx"], "formats pdfx: unknown"),
]


@pytest.mark.parametrize(("name", "make", "args", "words"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_mistake_is_one_line_naming_the_file_with_exit_2(tmp_path, name, make, args, words):
    (tmp_path / "report.md").write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    make(tmp_path)
    result = briefpack("build", "report.md", "--out", "out", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    lines = error_lines(result)
    assert len(lines) == 1 and lines[0].startswith("error: ") and words in lines[0], lines
    assert not (tmp_path / "out").is_dir()


def test_a_source_deleted_before_it_is_read_is_missing_not_damaged(tmp_path):
    from tasks.errors import MissingSource, pdf_errors

    with pytest.raises(MissingSource, match="no such file"):
        with pdf_errors(tmp_path / "gone.pdf"):
            open(tmp_path / "gone.pdf", "rb")


# --- 9. smaller --------------------------------------------------------------------------------


def test_the_pack_folder_follows_the_umask_and_no_lock_file_stays(prefect_harness, tmp_path):
    out = tmp_path / "out"
    previous = os.umask(0o022)
    try:
        result = subprocess.run(command(SOURCE, out), env=environment(tmp_path / "cache"), capture_output=True, text=True,
                                timeout=300)
    finally:
        os.umask(previous)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE((out / SOURCE.stem).stat().st_mode) == 0o755
    assert sorted(p.name for p in out.iterdir()) == [SOURCE.stem]  # no .lock, no staging left
    assert json.loads((out / SOURCE.stem / "manifest.json").read_text(encoding="utf-8"))["outputs"]
