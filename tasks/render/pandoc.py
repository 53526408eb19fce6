"""The three pack formats, each a thin Renderer over pandoc (through pypandoc).

All read the same Markdown as `markdown-smart`, so escaped source text stays literal
(quotes and dashes are the source's own characters, never "smartened").
Look-and-feel comes from the templates folder only: CSS, the HTML template and the
reference DOCX.
"""

from __future__ import annotations

import re
import zipfile
from xml.sax.saxutils import escape as xml_escape
from pathlib import Path
from typing import ClassVar

import pypandoc
import yaml
from lxml import etree

from tasks.render.base import Renderer, environment, register, source_date_epoch
from tasks.render.docx import PageSetup, finish_docx

READER = "markdown-smart"
_DATE_LINE = re.compile(r"^date:\s*(.+)$", re.MULTILINE)


class PandocRenderer(Renderer):
    """Template method: one pandoc call with the format's own arguments."""

    to: ClassVar[str]  # pandoc's writer name

    def render(self, markdown: str, out: Path, templates: Path) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        # SOURCE_DATE_EPOCH fixes every date pandoc would take from the clock
        # (zip entry times, dcterms:modified), so the same Markdown gives the same bytes.
        epoch = str(source_date_epoch(_metadata_date(markdown)))
        with environment(SOURCE_DATE_EPOCH=epoch, LANG="C.UTF-8"):
            pypandoc.convert_text(  # our reader and writers are pandoc's own: checking them (two more pandoc runs) is waste
                markdown, self.to, format=READER, outputfile=str(out), extra_args=self.arguments(templates),
                verify_format=False,
            )

    def arguments(self, templates: Path) -> list[str]:
        return []


def _metadata_date(markdown: str) -> str:
    """The `date:` line of the YAML block at the top, or "" (then a fixed epoch is used)."""
    if not markdown.startswith("---"):
        return ""
    header = markdown.split("\n---", 1)[0]
    found = _DATE_LINE.search(header)
    return found[1] if found else ""


@register
class HtmlRenderer(PandocRenderer):
    """One self-contained, accessible HTML file: CSS inlined, no scripts."""

    name = "html"
    suffix = ".html"
    to = "html5"

    def arguments(self, templates: Path) -> list[str]:
        # The CSS goes in as a variable, inlined verbatim by the template: --css with
        # --embed-resources would write <style type="text/css">, which the Nu checker flags.
        css = (templates / "pack.css").read_text(encoding="utf-8")
        return [
            "--standalone",
            "--embed-resources",
            f"--template={templates / 'pack.html'}",
            f"--variable=pack-css:{css}",
            "--toc",
            "--toc-depth=2",
            "--section-divs",
            # Notes at the end of their own (sub)section of the annex, next to the text
            # they annotate, rather than after the corrections report.
            "--reference-location=section",
            "--wrap=none",
            f"--lua-filter={templates / 'header-scope.lua'}",
        ]


@register
class EpubRenderer(PandocRenderer):
    """EPUB 3: one chapter per top-level section, navigation and accessibility metadata."""

    name = "epub"
    suffix = ".epub"
    to = "epub3"

    def render(self, markdown: str, out: Path, templates: Path) -> None:
        super().render(markdown, out, templates)
        title_chapters(out)

    def arguments(self, templates: Path) -> list[str]:
        # Pack sections are h2 under the title; in the book they are chapters (h1).
        return [
            f"--css={templates / 'epub.css'}",
            f"--lua-filter={templates / 'header-scope.lua'}",
            "--shift-heading-level-by=-1",
            "--split-level=1",
            "--toc-depth=2",
            "--wrap=none",
        ]


_XHTML = "{http://www.w3.org/1999/xhtml}"


def title_chapters(epub: Path) -> None:
    """Give each chapter a <title> saying what it is ("Key messages - <book title>"), and
    note references as superscripts.

    Pandoc titles chapter files by their file name ("ch001.xhtml"), which is what a
    screen reader announces and fails WCAG 2.4.2 (Page Titled); no template variable
    holds the chapter's heading. Entries keep their zip metadata, so output stays
    byte-for-byte reproducible.
    """
    with zipfile.ZipFile(epub) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    book = _book_title(entries)
    with zipfile.ZipFile(epub, "w") as archive:
        for info, data in entries:
            if re.search(r"/ch\d+\.xhtml$", info.filename):
                data = superscript_note_references(_retitled(data, book))
            archive.writestr(info, data)


_NOTE_REFERENCE = re.compile(rb'(<a [^>]*epub:type="noteref"[^>]*>)([^<]+)(</a>)')


def superscript_note_references(data: bytes) -> bytes:
    """Note numbers as superscripts (<sup>), as in print: pandoc's EPUB writes them on the baseline."""
    return _NOTE_REFERENCE.sub(rb"\1<sup>\2</sup>\3", data)


def _book_title(entries: list[tuple[zipfile.ZipInfo, bytes]]) -> str:
    opf = next(data for info, data in entries if info.filename.endswith(".opf"))
    title = etree.fromstring(opf).find(".//{http://purl.org/dc/elements/1.1/}title")
    return " ".join("".join(title.itertext()).split()) if title is not None else ""


def _retitled(data: bytes, book: str) -> bytes:
    """The chapter with its first heading's text (and the book's title) as its <title>.

    Only the <title> element's bytes change; the rest stays as pandoc wrote it.
    """
    root = etree.fromstring(data)
    heading = next(root.iter(*(f"{_XHTML}h{level}" for level in range(1, 7))), None)
    if heading is None:
        return data
    text = " ".join("".join(heading.itertext()).split())
    title = f"{text} – {book}" if book and book != text else text
    element = f"<title>{xml_escape(title)}</title>".encode()
    return re.sub(rb"<title>.*?</title>", lambda _: element, data, count=1, flags=re.DOTALL)


def metadata(markdown: str) -> dict:
    """The YAML metadata block at the top of the pack's Markdown, or {}."""
    if not markdown.startswith("---"):
        return {}
    header = markdown[3:].split("\n---", 1)[0]
    loaded = yaml.safe_load(header)
    return loaded if isinstance(loaded, dict) else {}


def page_setup(meta: dict) -> PageSetup:
    """The source's page size from the metadata (points), else A4."""
    try:
        return PageSetup(width=float(meta["page-width"]), height=float(meta["page-height"]))
    except (KeyError, TypeError, ValueError):
        return PageSetup()


@register
class DocxRenderer(PandocRenderer):
    """Word: styles from the reference document, a TOC field and real footnotes, then finished
    (page set-up, header, page numbers, cover, Contents entries, table layout) by tasks.render.docx."""

    name = "docx"
    suffix = ".docx"
    to = "docx"

    def render(self, markdown: str, out: Path, templates: Path) -> None:
        super().render(markdown, out, templates)
        meta = metadata(markdown)
        finish_docx(out, page_setup(meta), str(meta.get("short-title") or meta.get("title") or ""))

    def arguments(self, templates: Path) -> list[str]:
        # The title paragraph is styled Title, so sections start at Heading 1.
        return [
            f"--reference-doc={templates / 'reference.docx'}",
            "--shift-heading-level-by=-1",
            "--toc",
            "--toc-depth=1",  # the pack's sections: a Contents that fits its page
        ]
