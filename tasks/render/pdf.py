"""A print-ready PDF: the pack's HTML, laid out by WeasyPrint with a print stylesheet.

The same pandoc HTML as the .html output, with templates/print.css after pack.css and an
@page rule for the source's page size (A4 when unknown): a cover, Contents with page
numbers, running heads with the short title, page numbers, notes at the foot of their
page (CSS float: footnote), internal links kept clickable. Tagged PDF (PDF/UA-1) as far
as WeasyPrint supports it.
"""

from __future__ import annotations

import copy
import hashlib
import tempfile
from pathlib import Path

from lxml import html as lxml_html

from tasks.render.base import register
from tasks.render.pandoc import HtmlRenderer, metadata, page_setup

PDF_VARIANT = "pdf/ua-1"


@register
class PdfRenderer(HtmlRenderer):
    """PDF through WeasyPrint; the HTML is pandoc's, the look is print.css."""

    name = "pdf"
    suffix = ".pdf"

    def render(self, markdown: str, out: Path, templates: Path) -> None:
        import weasyprint  # needs Debian's pango; imported here so other formats do not

        meta = metadata(markdown)
        with tempfile.TemporaryDirectory(prefix="briefpack-pdf-") as folder:
            page = Path(folder) / "pack.html"
            super().render(markdown, page, templates)
            setup = page_setup(meta)
            css = f"@page {{ size: {setup.width}pt {setup.height}pt; }}\n" + (templates / "print.css").read_text(encoding="utf-8")
            document = print_html(page.read_text(encoding="utf-8"), str(meta.get("short-title") or ""), css)
        out.parent.mkdir(parents=True, exist_ok=True)
        weasyprint.HTML(string=document).write_pdf(
            out,
            pdf_variant=PDF_VARIANT,
            pdf_identifier=_identifier(markdown),
        )


def print_html(text: str, short_title: str, css: str) -> str:
    """The HTML for print: the print stylesheet after the screen one (an author style, so it
    wins), the short title for running heads, and each note's text moved to where it is
    called, as a page note (the notes' own section is then hidden)."""
    root = lxml_html.document_fromstring(text)
    style = lxml_html.Element("style")
    style.text = css
    root.find("head").append(style)
    title = root.find(".//h1")
    if title is not None:
        title.set("data-short-title", short_title or title.text_content())
    notes = {
        f"#{item.get('id')}": item
        for section in root.xpath("//*[contains(concat(' ', @class, ' '), ' footnotes ')]")
        for item in section.iter("li")
    }
    for call in root.xpath("//a[contains(concat(' ', @class, ' '), ' footnote-ref ')]"):
        note = notes.get(call.get("href", ""))
        if note is not None:
            page_note = _page_note(note)
            page_note.tail = call.tail
            call.getparent().replace(call, page_note)
    return lxml_html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _page_note(note: lxml_html.HtmlElement) -> lxml_html.HtmlElement:
    """A <span class="page-note"> with the note's inline content, without its back-link."""
    note = copy.deepcopy(note)
    for back in note.xpath(".//a[contains(@class, 'footnote-back')]"):
        back.drop_tree()
    span = lxml_html.Element("span", {"class": "page-note"})
    for paragraph in note.findall("p") or [note]:
        if len(span):
            span[-1].tail = (span[-1].tail or "") + (paragraph.text or "")
        else:
            span.text = (span.text or "") + (paragraph.text or "")
        for child in paragraph:
            span.append(child)
    return span


def _identifier(markdown: str) -> bytes:
    """A stable PDF /ID from the content, so the same pack gives the same bytes."""
    return hashlib.md5(markdown.encode("utf-8")).hexdigest().encode("ascii")
