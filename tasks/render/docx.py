"""Finish pandoc's DOCX as a Word document a reader can print and file.

Pandoc writes the content and the styles; this adds what it leaves out: the page set-up
(the source's page size, margins), a running header with the short title, page numbers
in the footer, a cover page, Contents entries written into the TOC field (so they show
before any field update, in LibreOffice too), rows that do not split across pages, and
column widths that fit the content. It edits the package's XML with lxml and rewrites
the zip with each entry's original metadata, so the output stays byte-for-byte stable.
"""

from __future__ import annotations

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
W = f"{{{W_NS}}}"
R = f"{{{R_NS}}}"

TWIPS_PER_POINT = 20
A4 = (595.0, 842.0)  # points
MARGIN = 72.0  # points: 2.54 cm all round
HEADER_DISTANCE = 36.0  # points from the page edge to the header and to the footer
TITLE_BLOCK_STYLES = {"Title", "Subtitle", "Author", "Date", "Abstract"}
TOC_LEVELS = {"Heading1": 1}  # as deep as pandoc's --toc-depth for DOCX
MIN_COLUMN_SHARE = 0.08  # no column narrower than this share of the text width

HEADER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
HEADER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"


@dataclass(frozen=True)
class PageSetup:
    width: float = A4[0]  # points
    height: float = A4[1]
    margin: float = MARGIN

    @property
    def text_width_twips(self) -> int:
        return _twips(self.width - 2 * self.margin)


def finish_docx(path: Path, page: PageSetup, short_title: str) -> None:
    """Add the page set-up, running header, page numbers, cover, Contents entries and table layout."""
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    parts = {info.filename: data for info, data in entries}
    document = etree.fromstring(parts["word/document.xml"])
    body = document.find(f"{W}body")
    make_cover(body)
    write_toc_entries(body)
    for table in body.iter(f"{W}tbl"):
        keep_rows_whole(table)
        fit_columns(table, page.text_width_twips)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    header_id = _add_relationship(rels, HEADER_REL, "header1.xml")
    footer_id = _add_relationship(rels, FOOTER_REL, "footer1.xml")
    set_section(body, page, header_id, footer_id)
    types = etree.fromstring(parts["[Content_Types].xml"])
    _add_override(types, "/word/header1.xml", HEADER_TYPE)
    _add_override(types, "/word/footer1.xml", FOOTER_TYPE)
    changed = {
        "word/document.xml": _xml(document),
        "word/_rels/document.xml.rels": _xml(rels),
        "[Content_Types].xml": _xml(types),
    }
    added = {"word/header1.xml": header_xml(short_title), "word/footer1.xml": footer_xml()}
    _rewrite(path, entries, changed, added)


# --- cover and contents ----------------------------------------------------------------------


def make_cover(body: etree._Element) -> None:
    """The title block alone on page 1: the Contents and the first section each start a new page."""
    toc = body.find(f"{W}sdt")
    if toc is not None:
        heading = toc.find(f".//{W}p")
        if heading is not None:
            _page_break_before(heading)
    first_heading = next((p for p in body.iter(f"{W}p") if _style(p) in TOC_LEVELS), None)
    if first_heading is not None:
        _page_break_before(first_heading)


def write_toc_entries(body: etree._Element) -> None:
    """Fill the TOC field's result with one linked entry per section heading (Heading 1).

    Word refreshes the field (and adds page numbers) when asked; until then, and in
    readers that never update fields, the entries written here are what shows.
    """
    toc = body.find(f"{W}sdt")
    if toc is None:
        return
    content = toc.find(f"{W}sdtContent")
    field = next((p for p in content.findall(f"{W}p") if p.find(f".//{W}instrText") is not None), None)
    entries = [_toc_entry(text, anchor, level) for text, anchor, level in headings(body)]
    if field is None or not entries:
        return
    runs = field.findall(f"{W}r")
    begin, end = runs[0], runs[-1]
    # begin, instruction and separator open the first entry; the end closes after the last.
    first = entries[0]
    end_chars = [c for c in begin if c.tag == f"{W}fldChar" and c.get(f"{W}fldCharType") == "end"]
    for char in end_chars:
        begin.remove(char)
    first.insert(1, begin)
    closing = etree.Element(f"{W}p")
    closing_run = etree.SubElement(closing, f"{W}r")
    etree.SubElement(closing_run, f"{W}fldChar", {f"{W}fldCharType": "end"})
    if end is not begin:
        field.remove(end)
    position = list(content).index(field)
    content.remove(field)
    for offset, paragraph in enumerate([*entries, closing]):
        content.insert(position + offset, paragraph)


def headings(body: etree._Element) -> list[tuple[str, str, int]]:
    """(text, bookmark name, level) of each heading the Contents lists, in order."""
    found = []
    bookmark = ""
    for element in body:
        if element.tag == f"{W}bookmarkStart":
            bookmark = element.get(f"{W}name", "")
        elif element.tag == f"{W}p":
            level = TOC_LEVELS.get(_style(element))
            if level and bookmark:
                found.append((_text(element), bookmark, level))
            bookmark = ""
    return found


def _toc_entry(text: str, anchor: str, level: int) -> etree._Element:
    paragraph = etree.Element(f"{W}p")
    properties = etree.SubElement(paragraph, f"{W}pPr")
    etree.SubElement(properties, f"{W}pStyle", {f"{W}val": f"TOC{level}"})
    etree.SubElement(properties, f"{W}ind", {f"{W}left": str(360 * (level - 1))})
    link = etree.SubElement(paragraph, f"{W}hyperlink", {f"{W}anchor": anchor, f"{W}history": "1"})
    run = etree.SubElement(link, f"{W}r")
    etree.SubElement(run, f"{W}t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"}).text = text
    return paragraph


# --- tables ------------------------------------------------------------------------------------


def keep_rows_whole(table: etree._Element) -> None:
    """No row breaks across a page (w:cantSplit); header rows keep repeating."""
    for row in table.findall(f"{W}tr"):
        properties = row.find(f"{W}trPr")
        if properties is None:
            properties = etree.Element(f"{W}trPr")
            row.insert(0, properties)
        if properties.find(f"{W}cantSplit") is None:
            properties.insert(0, etree.Element(f"{W}cantSplit"))


def fit_columns(table: etree._Element, text_width: int) -> None:
    """Column widths in proportion to their content, never narrower than their longest word.

    A column's need is the larger of its longest word and the square root of its
    longest cell (long prose wraps; a short code must not), in characters.
    """
    rows = [[_text(cell) for cell in row.findall(f"{W}tc")] for row in table.findall(f"{W}tr")]
    columns = max((len(r) for r in rows), default=0)
    if not columns:
        return
    needs = []
    for index in range(columns):
        cells = [r[index] for r in rows if index < len(r)]
        longest_word = max((len(w) for c in cells for w in c.split()), default=1)
        longest_cell = max((len(c) for c in cells), default=1)
        needs.append(max(longest_word, 4 * math.sqrt(longest_cell)))
    shares = [max(need / sum(needs), MIN_COLUMN_SHARE) for need in needs]
    widths = [int(text_width * share / sum(shares)) for share in shares]
    properties = table.find(f"{W}tblPr")
    _set_child(properties, "tblW", {f"{W}type": "dxa", f"{W}w": str(sum(widths))}, after=("tblStyle",))
    _set_child(properties, "tblLayout", {f"{W}type": "fixed"}, after=("tblStyle", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd"))
    grid = table.find(f"{W}tblGrid")
    for column, width in zip(grid.findall(f"{W}gridCol"), widths):
        column.set(f"{W}w", str(width))
    for row in table.findall(f"{W}tr"):
        for cell, width in zip(row.findall(f"{W}tc"), widths):
            cell_properties = cell.find(f"{W}tcPr")
            if cell_properties is None:
                cell_properties = etree.Element(f"{W}tcPr")
                cell.insert(0, cell_properties)
            _set_child(cell_properties, "tcW", {f"{W}type": "dxa", f"{W}w": str(width)}, after=("cnfStyle",))


# --- section, header and footer ------------------------------------------------------------------


def set_section(body: etree._Element, page: PageSetup, header_id: str, footer_id: str) -> None:
    """The last section's page size and margins, with the header and footer on every page but the cover."""
    section = body.find(f"{W}sectPr")
    if section is None:
        section = etree.SubElement(body, f"{W}sectPr")
    for name in ("headerReference", "footerReference", "pgSz", "pgMar", "titlePg"):
        for old in section.findall(f"{W}{name}"):
            section.remove(old)
    ordered = [
        etree.Element(f"{W}headerReference", {f"{W}type": "default", f"{R}id": header_id}),
        etree.Element(f"{W}footerReference", {f"{W}type": "default", f"{R}id": footer_id}),
    ]
    for position, element in enumerate(ordered):
        section.insert(position, element)
    size = {f"{W}w": str(_twips(page.width)), f"{W}h": str(_twips(page.height))}
    if page.width > page.height:
        size[f"{W}orient"] = "landscape"
    margin = str(_twips(page.margin))
    distance = str(_twips(HEADER_DISTANCE))
    margins = {f"{W}{side}": margin for side in ("top", "right", "bottom", "left")}
    margins.update({f"{W}header": distance, f"{W}footer": distance, f"{W}gutter": "0"})
    tail = [etree.Element(f"{W}pgSz", size), etree.Element(f"{W}pgMar", margins), etree.Element(f"{W}titlePg")]
    # Schema order: references, footnotePr/endnotePr/type, then pgSz, pgMar, ..., titlePg.
    anchor = max((list(section).index(e) for e in section if e.tag in (f"{W}footnotePr", f"{W}endnotePr", f"{W}type")), default=1)
    for offset, element in enumerate(tail[:2], start=1):
        section.insert(anchor + offset, element)
    section.append(tail[2])


def header_xml(short_title: str) -> bytes:
    """The running header: the pack's short title, right-aligned."""
    return _part(
        "hdr",
        f'<w:p><w:pPr><w:pStyle w:val="Header"/><w:jc w:val="right"/></w:pPr>'
        f'<w:r><w:t xml:space="preserve">{_escape(short_title)}</w:t></w:r></w:p>',
    )


def footer_xml() -> bytes:
    """The page number, centred ("Page 3"); a PAGE field Word and LibreOffice compute."""
    return _part(
        "ftr",
        '<w:p><w:pPr><w:pStyle w:val="Footer"/><w:jc w:val="center"/></w:pPr>'
        '<w:r><w:t xml:space="preserve">Page </w:t></w:r>'
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>1</w:t></w:r>"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>',
    )


# --- helpers --------------------------------------------------------------------------------------


def _twips(points: float) -> int:
    return round(points * TWIPS_PER_POINT)


def _style(paragraph: etree._Element) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    return style.get(f"{W}val", "") if style is not None else ""


def _text(element: etree._Element) -> str:
    return " ".join("".join(t.text or "" for t in element.iter(f"{W}t")).split())


def _page_break_before(paragraph: etree._Element) -> None:
    properties = paragraph.find(f"{W}pPr")
    if properties is None:
        properties = etree.Element(f"{W}pPr")
        paragraph.insert(0, properties)
    if properties.find(f"{W}pageBreakBefore") is None:
        _set_child(properties, "pageBreakBefore", {}, after=("pStyle", "keepNext", "keepLines"))


def _set_child(parent: etree._Element, name: str, attributes: dict[str, str], after: tuple[str, ...]) -> None:
    """Set (or add, after the siblings the schema puts first) one child element."""
    existing = parent.find(f"{W}{name}")
    if existing is not None:
        for key, value in attributes.items():
            existing.set(key, value)
        return
    position = 0
    for index, child in enumerate(parent):
        if child.tag in {f"{W}{n}" for n in after}:
            position = index + 1
    parent.insert(position, etree.Element(f"{W}{name}", attributes))


def _add_relationship(rels: etree._Element, kind: str, target: str) -> str:
    taken = {r.get("Id") for r in rels}
    number = 1
    while f"rIdPack{number}" in taken:
        number += 1
    identifier = f"rIdPack{number}"
    etree.SubElement(rels, f"{{{REL_NS}}}Relationship", {"Id": identifier, "Type": kind, "Target": target})
    return identifier


def _add_override(types: etree._Element, part: str, content_type: str) -> None:
    if not any(o.get("PartName") == part for o in types):
        etree.SubElement(types, f"{{{CT_NS}}}Override", {"PartName": part, "ContentType": content_type})


def _part(root: str, inner: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:{root} xmlns:w="{W_NS}" xmlns:r="{R_NS}">{inner}</w:{root}>'
    ).encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _xml(element: etree._Element) -> bytes:
    return etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rewrite(path: Path, entries: list[tuple[zipfile.ZipInfo, bytes]], changed: dict[str, bytes], added: dict[str, bytes]) -> None:
    """Write the package again: entries keep their zip metadata; new parts copy document.xml's."""
    template = next(info for info, _ in entries if info.filename == "word/document.xml")
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in entries:
            archive.writestr(info, changed.get(info.filename, data))
        for name, data in sorted(added.items()):
            info = zipfile.ZipInfo(name, date_time=template.date_time)
            info.compress_type = template.compress_type
            info.external_attr = template.external_attr
            archive.writestr(info, data)
