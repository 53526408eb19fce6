"""The sample pack passes the real validators: EPUBCheck, Ace, axe-core, the Nu checker, DOCX checks.

The packs are built once per module by calling the pure stages (flows.sample, no Prefect)
and checked with validation.validators, whose tools scripts/install-validators installs. A missing
tool fails the test, never skips it: a validator that did not run proved nothing.
The hostile pack carries script, event-handler and javascript: text and a 300-letter
word through the text pipeline, and must come out inert and still valid.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pdfplumber
import pytest
from lxml import etree, html

from validation.validators import Result, check_pack, docx_structure, docx_to_pdf, footnote_ids, markdown_notes
from flows.sample import build_sample

FIXTURE = Path(__file__).parent / "fixtures" / "roundtable-2010.pdf"
SAMPLE_NOTES = 11  # the footnotes of the roundtable report
LONG_WORD = "Pneumonoultramicroscopic" * 12 + "silicovolcano"  # 301 letters, no break opportunity
HOSTILE = f"""# Hostile Meeting on <script>alert(1)</script> Safety

12 March 2019 | Geneva, Switzerland

## Introduction

The aim of the meeting was to test escaping. A speaker typed <script>alert(1)</script> into the minutes, and an image <img src=x onerror=alert(1)> followed.

## Session 1 – Links and long words

The aim of the session was to see what [a link](javascript:alert(1)) and <a href="javascript:alert(1)">another link</a> become.

Speakers: Dr. Lena Fischer (KfW, Frankfurt). Chair: Jonas Berg (Nordic Fund).

One word was very long: {LONG_WORD} and the discussion went on.[^1]

[^1]: A note with <script>alert(1)</script> and [javascript:alert(1)](javascript:alert(1)) inside.

### Key outcomes

- Escaping works for <img src=x onerror=alert(1)>.

## Recommendations

1. Never follow javascript:alert(1) from a report.
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_sample(FIXTURE, tmp_path_factory.mktemp("packs"))


@pytest.fixture(scope="module")
def sample_results(sample: Path) -> dict[tuple[str, str], Result]:
    return by_validator(check_pack(sample))


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("hostile-source") / "hostile.md"
    source.write_text(HOSTILE, encoding="utf-8")
    return build_sample(source, tmp_path_factory.mktemp("hostile-packs"))


def by_validator(results: list[Result]) -> dict[tuple[str, str], Result]:
    """Results keyed on (validator, file suffix without the dot)."""
    return {(r.name, Path(r.file).suffix[1:]): r for r in results}


def assert_clean(result: Result, warnings_too: bool = False) -> None:
    assert result.available, f"{result.name} is not installed: {result.errors} (run scripts/install-validators)"
    assert not result.errors, f"{result.name} on {Path(result.file).name}:\n" + "\n".join(result.errors)
    if warnings_too:
        assert not result.warnings, f"{result.name} warnings on {Path(result.file).name}:\n" + "\n".join(result.warnings)


# --- every validator ran on every format ---------------------------------------------------


def test_every_validator_ran(sample_results):
    expected = {("epubcheck", "epub"), ("ace", "epub"), ("axe", "epub"), ("vnu", "html"), ("axe", "html"),
                ("docx", "docx"), ("libreoffice", "docx")}
    assert set(sample_results) == expected
    missing = [f"{name}: {r.errors}" for (name, _), r in sample_results.items() if not r.available]
    assert not missing, "validators not installed (run scripts/install-validators):\n" + "\n".join(missing)


# --- EPUB ----------------------------------------------------------------------------------


def test_epubcheck_no_errors_or_warnings(sample_results):
    assert_clean(sample_results["epubcheck", "epub"], warnings_too=True)


def test_ace_no_violations(sample_results):
    assert_clean(sample_results["ace", "epub"])


def test_axe_on_every_epub_page(sample, sample_results):
    assert_clean(sample_results["axe", "epub"])
    with zipfile.ZipFile(sample / "roundtable-2010.epub") as archive:
        pages = [name for name in archive.namelist() if name.endswith(".xhtml")]
    assert len(pages) > 3  # nav, title page and the chapters were all there to check


# --- HTML ----------------------------------------------------------------------------------


def test_nu_checker_no_errors(sample_results):
    assert_clean(sample_results["vnu", "html"])


def test_axe_on_html(sample_results):
    assert_clean(sample_results["axe", "html"])


# --- DOCX ----------------------------------------------------------------------------------


def test_docx_structure(sample_results):
    """Heading 1/2 styles with no skipped level, header rows, title and language (validation.validators)."""
    assert_clean(sample_results["docx", "docx"])


def test_docx_has_real_footnotes(sample):
    docx_file = sample / "roundtable-2010.docx"
    assert markdown_notes(sample, "roundtable-2010") == SAMPLE_NOTES
    assert len(footnote_ids(docx_file)) == SAMPLE_NOTES


def test_docx_structure_catches_missing_notes(sample):
    """The footnote count is really compared: a wrong expectation is an error."""
    result = docx_structure(sample / "roundtable-2010.docx", expected_notes=SAMPLE_NOTES + 1)
    assert any("footnotes" in error for error in result.errors)


def test_libreoffice_converts_docx(sample_results):
    assert_clean(sample_results["libreoffice", "docx"])


# --- hostile source ---------------------------------------------------------------------------


def hostile_pages(pack: Path) -> dict[str, etree._Element]:
    """The HTML file and every EPUB XHTML page, parsed."""
    pages = {"hostile.html": html.fromstring((pack / "hostile.html").read_bytes())}
    with zipfile.ZipFile(pack / "hostile.epub") as archive:
        for name in archive.namelist():
            if name.endswith(".xhtml"):
                pages[name] = etree.fromstring(archive.read(name))
    return pages


def test_hostile_source_renders_inert(hostile):
    for name, root in hostile_pages(hostile).items():
        local = lambda kind: f"//*[local-name()='{kind}']"  # noqa: E731  (XHTML is namespaced)
        assert not root.xpath(local("script")), name
        assert not root.xpath("//@*[starts-with(name(), 'on')]"), name
        hrefs = [h.strip().lower() for h in root.xpath("//@href")]
        assert not [h for h in hrefs if h.startswith("javascript:")], name
    text = (hostile / "hostile.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text  # shown as text, not dropped
    assert LONG_WORD in text


def test_hostile_pack_passes_validators(hostile):
    results = check_pack(hostile)
    assert len(results) == 7
    for result in results:
        assert_clean(result, warnings_too=result.name == "epubcheck")


# --- the command ------------------------------------------------------------------------------


def test_check_command_fails_when_a_tool_is_missing(sample, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from flows.cli import app

    (tmp_path / "pack.docx").write_bytes((sample / "roundtable-2010.docx").read_bytes())
    monkeypatch.setenv("BRIEFPACK_SOFFICE", str(tmp_path / "no-such-soffice"))
    outcome = CliRunner().invoke(app, ["check", str(tmp_path)])
    assert outcome.exit_code == 1
    assert "not installed" in outcome.output


def test_epub_chapters_are_titled_by_their_heading(sample):
    """WCAG 2.4.2: pandoc would title every chapter by its file name ("ch001.xhtml")."""
    with zipfile.ZipFile(sample / "roundtable-2010.epub") as archive:
        titles = [
            etree.fromstring(archive.read(name)).findtext("{http://www.w3.org/1999/xhtml}head/{http://www.w3.org/1999/xhtml}title")
            for name in archive.namelist()
            if name.endswith(".xhtml")
        ]
    assert titles and not [t for t in titles if not t or t.endswith(".xhtml")], titles
    assert "Participants – Expert Roundtable on Social Aspects of Migration" in titles


# --- the DOCX as LibreOffice lays it out -----------------------------------------------------------


@pytest.fixture(scope="module")
def docx_pages(sample: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple[float, float, str]]:
    """(width, height, text) of the first pages of the sample DOCX converted by LibreOffice."""
    pdf = docx_to_pdf(sample / "roundtable-2010.docx", tmp_path_factory.mktemp("lo"))
    assert pdf is not None, "LibreOffice did not convert the DOCX (run scripts/install-validators)"
    with pdfplumber.open(pdf) as document:
        return [(p.width, p.height, p.extract_text() or "") for p in document.pages[:3]]


def test_docx_prints_on_the_source_page_size(docx_pages):
    with pdfplumber.open(FIXTURE) as source:
        size = (source.pages[0].width, source.pages[0].height)
    for width, height, _ in docx_pages:
        assert (round(width), round(height)) == (round(size[0]), round(size[1]))


def test_docx_has_a_cover_then_contents_with_running_head_and_page_number(docx_pages):
    cover, contents = docx_pages[0][2], docx_pages[1][2]
    assert cover.startswith("Expert Roundtable on Social") and "Contents" not in cover and "Page 1" not in cover
    lines = contents.splitlines()
    assert lines[0] == "Expert Roundtable on Social Aspects of Migration"  # the running header
    assert lines[1] == "Contents" and lines[-1] == "Page 2"  # the footer
    for entry in ("Key messages", "About this pack", "Panel I: Social Consequences", "Annex: full report"):
        assert any(line.startswith(entry) for line in lines), entry
