"""The command line: one-line errors and exit codes for bad sources (no Prefect needed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest


def briefpack(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).parent.parent)},
    )


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith(("/", " "))]
    return lines[-1]


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda d: d / "missing.pdf", 3, "no such file"),
        (lambda d: _write(d / "fake.pdf", b"this is not a pdf at all\n"), 4, "not a PDF"),
        (lambda d: _write(d / "empty.pdf", b""), 11, "empty"),
        (lambda d: _write(d / "truncated.pdf", b"%PDF-1.4\n1 0 obj\n<<"), 5, "damaged"),
    ],
)
def test_bad_source_gives_one_line_and_exit_code(tmp_path, make, code, words):
    source = make(tmp_path)
    result = briefpack("build", str(source), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    assert words in one_line(result.stderr)
    assert len([l for l in result.stderr.splitlines() if l.startswith("error:")]) == 1


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
