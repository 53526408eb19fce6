"""Regenerate docs/screenshots/: the sample pack as readers see it.

    PYTHONPATH=. .venv/bin/python benchmarks/screenshots.py [PACK_FOLDER]

Without a folder it builds tests/fixtures/roundtable-2010.pdf first (flows.sample, no
Prefect). Uses the tools of scripts/install-validators: Debian's chromium through
playwright (HTML page, its key messages, a panel brief and the quality notes, an EPUB
chapter), LibreOffice and pdftoppm (DOCX cover, contents and a footnote page), pdftoppm
on the print PDF (a panel brief's page).
PNGs are kept small (modest viewport, clipped height, 60 dpi) so the repository stays light.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from validation.validators import CHROMIUM_ARGS, chromium, docx_to_pdf
from flows.sample import build_sample

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
FIXTURE = ROOT / "tests" / "fixtures" / "roundtable-2010.pdf"
HTML_VIEW = {"width": 900, "height": 1800}  # the title, contents and first sections
EPUB_VIEW = {"width": 600, "height": 900}  # about a tablet reader's page
EPUB_CHAPTER = "ch003.xhtml"  # a session brief: headings, speakers, key points with page refs


def screenshot(url: str, out: Path, viewport: dict[str, int]) -> None:
    """The top of the page at `viewport`, as one PNG (full_page would be metres long)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport)
            page.goto(url)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()


def element_shot(url: str, selector: str, out: Path, viewport: dict[str, int]) -> None:
    """One element of the page (a section of the pack), as one PNG."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport)
            page.goto(url)
            page.locator(selector).first.screenshot(path=str(out))
        finally:
            browser.close()


HTML_SECTIONS = {  # file name: the pack section it shows
    "pack-key-messages.png": "section#pack-key-messages",
    "pack-panel-brief.png": "section#pack-panel-ii",
    "pack-quality-notes.png": "section#pack-quality",
}


def html_sections(pack: Path, stem: str) -> list[Path]:
    url = (pack / f"{stem}.html").resolve().as_uri()
    written = []
    for name, selector in HTML_SECTIONS.items():
        element_shot(url, selector, OUT / name, {"width": 900, "height": 900})
        written.append(OUT / name)
    return written


def pdf_page(pack: Path, stem: str) -> Path:
    """The print PDF's first page of Panel II's brief, at 60 dpi."""
    pdf = pack / f"{stem}.pdf"
    pages = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout.split("\f")
    number = next((n for n, text in enumerate(pages, start=1) if "\nPanel II:" in text and "Contents" not in text), 3)
    prefix = OUT / "pack-pdf-page"
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), "-singlefile", str(pdf), str(prefix)], check=True)
    return prefix.with_suffix(".png")


def html_page(pack: Path, stem: str) -> Path:
    out = OUT / "pack-html.png"
    screenshot((pack / f"{stem}.html").resolve().as_uri(), out, HTML_VIEW)
    return out


def epub_page(pack: Path, stem: str) -> Path:
    out = OUT / "pack-epub.png"
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(pack / f"{stem}.epub") as archive:
            archive.extractall(folder)
        chapter = next(Path(folder).rglob(EPUB_CHAPTER))
        screenshot(chapter.as_uri(), out, EPUB_VIEW)
    return out


def docx_pages(pack: Path, stem: str) -> list[Path]:
    """DOCX pages via LibreOffice -> PDF -> pdftoppm at 60 dpi: the first page and the
    first page with a footnote at its foot (real Word footnotes are the point)."""
    written = []
    with tempfile.TemporaryDirectory() as folder:
        pdf = docx_to_pdf(pack / f"{stem}.docx", Path(folder))
        if pdf is None:
            raise SystemExit("LibreOffice did not convert the DOCX")
        pages = (("first", 1), ("contents", 2), ("footnote", footnote_page(pdf, note_texts(pack, stem))))
        for name, number in pages:
            prefix = OUT / f"pack-docx-{name}"
            pdftoppm = ["pdftoppm", "-png", "-r", "60", "-f", str(number), "-l", str(number), "-singlefile"]
            subprocess.run([*pdftoppm, str(pdf), str(prefix)], check=True)
            written.append(prefix.with_suffix(".png"))
    return written


def note_texts(pack: Path, stem: str) -> list[str]:
    """The start of each footnote's text in the pack's Markdown (or the clean stage's)."""
    for markdown in (pack / f"{stem}.md", pack / "stages" / "clean.md"):
        if markdown.is_file():
            found = re.findall(r"^\[\^[^\]]+\]:\s*(.{20})", markdown.read_text(encoding="utf-8"), re.MULTILINE)
            return [" ".join(text.split()) for text in found]
    return []


def footnote_page(pdf: Path, notes: list[str]) -> int:
    """The first page whose text holds a footnote's opening words (page 2 if none is found)."""
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for number, text in enumerate(pages.split("\f"), start=1):
        flat = " ".join(text.split())
        if any(note in flat for note in notes):
            return number
    return 2


def main(argv: list[str]) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        pack = Path(argv[0]) if argv else build_sample(FIXTURE, Path(folder), ["docx", "epub", "html", "pdf"])
        stem = next(pack.glob("*.epub")).stem
        shots = [html_page(pack, stem), *html_sections(pack, stem), epub_page(pack, stem), *docx_pages(pack, stem)]
        for path in [*shots, pdf_page(pack, stem)]:
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")


if __name__ == "__main__":
    main(sys.argv[1:])
