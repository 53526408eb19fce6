"""Bad input through the real command: one line on stderr, its exit code, the old pack untouched.

Each case runs `python -m flows.cli build SOURCE --out DIR` as a subprocess, with an
earlier pack of the same stem already in DIR (a fake one: a few files, as a build
leaves them). The input checks run before Prefect starts, so each case takes a second
or two; no case builds a pack. The exit codes are the table in docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tasks import errors
from tasks.errors import check_source
from tests import badpdfs

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests/fixtures/roundtable-2010.pdf"
PASSWORD = "open sesame"


def briefpack(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **(env or {})},
    )


def earlier_pack(out: Path, stem: str) -> Path:
    """What a good build left in out/<stem>/ (contents made up: only the bytes matter)."""
    pack = out / stem
    (pack / "stages").mkdir(parents=True)
    (pack / f"{stem}.html").write_text("<!DOCTYPE html><title>earlier pack</title>\n", encoding="utf-8")
    (pack / f"{stem}.docx").write_bytes(b"PK\x03\x04 earlier docx bytes")
    (pack / f"{stem}.epub").write_bytes(b"PK\x03\x04 earlier epub bytes")
    (pack / "stages" / "clean.md").write_text("# Earlier\n\nThe earlier build's text.\n", encoding="utf-8")
    (pack / "manifest.json").write_text('{"source": "earlier"}\n', encoding="utf-8")
    return pack


def snapshot(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file and folder under `folder`: content hash and mtime."""
    return {
        str(p.relative_to(folder)): (hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir", p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _text_pdf_pages(n: int):
    return lambda d: badpdfs.text_pdf(d / "report.pdf", pages=n)


# (id, make(dir) -> source path, extra CLI args, environment, exit code, words in the message)
CASES = [
    ("missing", lambda d: d / "report.pdf", [], {}, 3, "no such file"),
    # a folder argument is a folder of sources (the CLI's feature): one with no reports in it
    ("directory", lambda d: (d / "report.pdf").mkdir() or d / "report.pdf", [], {}, 10, "a folder with no reports"),
    ("empty", lambda d: _write(d / "report.pdf", b""), [], {}, 11, "the file is empty"),
    ("text-not-pdf", lambda d: _write(d / "report.pdf", b"Minutes of the meeting\n" * 40), [], {}, 4, "not a PDF"),
    ("binary-not-pdf", lambda d: _write(d / "report.pdf", bytes(range(256)) * 8), [], {}, 4, "not a PDF"),
    ("html-as-pdf", lambda d: _write(d / "report.pdf", b"<!DOCTYPE html><p>%PDF</p>"), [], {}, 4, "not a PDF"),
    ("truncated", lambda d: badpdfs.truncated_pdf(d / "report.pdf", FIXTURE, 0.6), [], {}, 5, "damaged or truncated"),
    ("header-only", lambda d: _write(d / "report.pdf", b"%PDF-1.7\n%%EOF\n"), [], {}, 5, "damaged or truncated"),
    ("broken-page", lambda d: badpdfs.broken_pages_pdf(d / "report.pdf"), [], {}, 5, "damaged or truncated"),
    ("zero-pages", lambda d: badpdfs.zero_page_pdf(d / "report.pdf"), [], {}, 5, "no pages"),
    ("encrypted", lambda d: badpdfs.encrypted_pdf(d / "report.pdf", PASSWORD), [], {}, 6, "give its password with --password"),
    ("wrong-password", lambda d: badpdfs.encrypted_pdf(d / "report.pdf", PASSWORD), ["--password", "nope"], {}, 6,
     "the password is wrong"),
    ("image-only", lambda d: badpdfs.image_only_pdf(d / "report.pdf"), [], {}, 7, "run OCR"),
    ("blank-text", lambda d: _write(d / "report.txt", b"\n \n\t\n"), [], {}, 7, "no text"),
    ("text-not-utf8", lambda d: _write(d / "report.txt", "Réunion d'experts, Genève\n".encode("latin-1")), [], {}, 4,
     "not UTF-8"),
    ("over-max-bytes", _text_pdf_pages(1), [], {"BRIEFPACK_MAX_BYTES": "500"}, 8, "over the limit of 500"),
    ("huge-page-box", lambda d: badpdfs.huge_page_pdf(d / "report.pdf"), [], {}, 8, "outside the PDF limit"),
    ("over-max-pages", _text_pdf_pages(3), [], {"BRIEFPACK_MAX_PAGES": "2"}, 8, "3 pages is over the limit of 2"),
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple]:
    """Every case's command, started together (each is a second of imports; 2 cores share them)."""
    started = {}
    for name, make, args, env, _code, _words in CASES:
        folder = tmp_path_factory.mktemp(name)
        source = make(folder)
        out = folder / "out"
        earlier_pack(out, source.stem)
        command = [sys.executable, "-m", "flows.cli", "build", str(source), "--out", str(out), *args]
        process = subprocess.Popen(
            command, cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        )
        started[name] = (source, out, snapshot(out), process)
    results = {}
    for name, (source, out, before, process) in started.items():
        stdout, stderr = process.communicate(timeout=120)
        results[name] = (source, out, before, process.returncode, stdout, stderr)
    return results


@pytest.mark.parametrize(("name", "code", "words"), [(c[0], c[4], c[5]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_one_line_exit_code_and_earlier_pack_kept(runs, name, code, words):
    source, out, before, returncode, stdout, stderr = runs[name]
    assert returncode == code, stderr
    assert "Traceback" not in stderr and "Traceback" not in stdout
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1, stderr  # the one line, and nothing else
    assert lines[0].startswith("error: ") and words in lines[0]
    assert source.name in lines[0] or source.is_dir()  # the message names the file
    assert snapshot(out) == before  # byte-identical, not even touched


def test_several_bad_sources_each_get_a_line_and_the_first_code(tmp_path):
    empty = _write(tmp_path / "a-empty.pdf", b"")
    encrypted = badpdfs.encrypted_pdf(tmp_path / "b-locked.pdf", PASSWORD)
    scanned = badpdfs.image_only_pdf(tmp_path / "c-scan.pdf")
    out = tmp_path / "out"
    for source in (empty, encrypted, scanned):
        earlier_pack(out, source.stem)
    before = snapshot(out)
    result = briefpack("build", str(empty), str(encrypted), str(scanned), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 11  # the first failure's: the empty file
    assert "Traceback" not in result.stderr
    errors_shown = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert [e.split(":")[1].strip() for e in errors_shown] == [str(empty), str(encrypted), str(scanned)]
    assert snapshot(out) == before


def test_a_control_character_in_a_file_name_keeps_the_message_on_one_line(tmp_path):
    source = _write(tmp_path / "bad\nname.pdf", b"not a pdf")
    result = briefpack("build", str(source), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == 2  # no pack folder may be named with a newline
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "bad\\nname.pdf" in lines[0]


# --- in-process: what the subprocess cases cannot reach ---------------------------------


def test_the_right_password_opens_an_encrypted_pdf(tmp_path):
    from tasks.clean import clean
    from tasks.extract import extract_pages, page_fingerprints

    source = badpdfs.encrypted_pdf(tmp_path / "locked.pdf", PASSWORD, lines=["Only with the password", "can this be read."])
    check_source(source, 10_000_000, 100, PASSWORD)  # no error
    assert len(page_fingerprints(source, PASSWORD)) == 1
    document = clean(extract_pages(source, PASSWORD))
    assert "Only with the password can this be read." in " ".join(b.text for b in document.blocks)
    with pytest.raises(errors.EncryptedPdf):
        check_source(source, 10_000_000, 100, "")


def test_a_file_that_cannot_be_read_is_one_line(tmp_path, monkeypatch):
    source = badpdfs.text_pdf(tmp_path / "report.pdf")

    def denied(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(errors.MissingSource, match=r"report\.pdf: cannot be read \(Permission denied\)"):
        check_source(source, 10_000_000, 100)


def test_a_directory_given_to_the_flow_is_one_line(tmp_path):
    with pytest.raises(errors.NotAFile, match=r"report\.pdf: is a directory, not a report$"):
        check_source((tmp_path / "report.pdf").mkdir() or tmp_path / "report.pdf", 10_000_000, 100)


def test_a_fifo_is_not_a_report(tmp_path):
    fifo = tmp_path / "report.pdf"
    os.mkfifo(fifo)
    with pytest.raises(errors.NotAFile, match="not a regular file"):
        check_source(fifo, 10_000_000, 100)


def test_pdf_errors_names_the_page_and_unwraps_pdfplumber():
    from pdfminer.pdfdocument import PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    with pytest.raises(errors.CorruptPdf, match=r"^x\.pdf: page 4: a damaged or truncated PDF \(KeyError\)$"):
        with errors.pdf_errors("x.pdf", 4):
            raise PdfminerException(KeyError("Length"))
    with pytest.raises(errors.EncryptedPdf, match="password is wrong"):
        with errors.pdf_errors("x.pdf", password="guess"):
            raise PdfminerException(PDFPasswordIncorrect())
    with pytest.raises(errors.CorruptPdf, match="in a loop"):
        with errors.pdf_errors("x.pdf"):
            raise RecursionError


def test_every_exit_code_is_distinct_and_documented():
    kinds = [errors.UsageError, errors.MissingSource, errors.NotAFile, errors.NotAPdf, errors.EmptySource,
             errors.CorruptPdf, errors.EncryptedPdf, errors.NoTextLayer, errors.TooLarge, errors.StreamBomb,
             errors.TooMuchText]
    codes = [kind.exit_code for kind in kinds]
    assert len(set(codes)) == len(codes) and 0 not in codes and 1 not in codes and 9 not in codes
    table = (ROOT / "docs/reliability.md").read_text(encoding="utf-8")
    for kind in kinds:
        assert f"| {kind.exit_code} | `{kind.__name__}`" in table
