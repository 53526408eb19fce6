"""Build templates/reference.docx: pandoc's default reference document, restyled.

Pandoc takes only the styles (and page set-up) from it, so this sets the look of the
DOCX pack: fonts, heading colours with AA contrast, the table style and the small
"Source Reference" style for "(p. N)" after key points. Run it after changing a style:

    .venv/bin/python templates/make_reference_docx.py

The result is committed, so renders never rebuild it; zip entries get a fixed time so
rebuilding with no change gives the same bytes.
"""

from __future__ import annotations

import io
import subprocess
import zipfile
from pathlib import Path

import pypandoc
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference.docx"

BODY_FONT = "Calibri"
HEADING_FONT = "Calibri"
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
ACCENT = RGBColor(0x0B, 0x4F, 0x8A)  # 8.4:1 on white
MUTED = RGBColor(0x4D, 0x4D, 0x4D)  # 8.4:1 on white
HEADING_SIZES = {"Title": 26, "Subtitle": 15, "Heading 1": 18, "Heading 2": 14, "Heading 3": 12, "Heading 4": 11}
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


def default_reference() -> bytes:
    pandoc = pypandoc.get_pandoc_path()
    command = [pandoc, "--print-default-data-file", "reference.docx"]
    return subprocess.run(command, capture_output=True, check=True).stdout


def restyle(document) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = BODY_FONT
    normal.font.size = Pt(11)
    normal.font.color.rgb = TEXT
    _set_east_asian_font(normal, BODY_FONT)
    for name in ("Body Text", "First Paragraph", "Compact"):
        if name in [s.name for s in styles]:
            styles[name].paragraph_format.space_after = Pt(6)
    for name, size in HEADING_SIZES.items():
        style = styles[name]
        style.font.name = HEADING_FONT
        style.font.size = Pt(size)
        style.font.bold = name != "Subtitle"
        style.font.italic = False
        style.font.color.rgb = ACCENT if name != "Subtitle" else MUTED
        _set_east_asian_font(style, HEADING_FONT)
        style.paragraph_format.space_before = Pt(18 if name == "Heading 1" else 12)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    for name in ("Author", "Date"):
        if name in [s.name for s in styles]:
            styles[name].font.color.rgb = MUTED
    _source_reference_style(styles)
    _table_borders(styles["Table"])


def _source_reference_style(styles) -> None:
    style = styles.add_style("Source Reference", WD_STYLE_TYPE.CHARACTER)
    style.base_style = styles["Default Paragraph Font"]
    style.font.size = Pt(9)
    style.font.color.rgb = MUTED


def _set_east_asian_font(style, font: str) -> None:
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), font)


def _table_borders(style) -> None:
    """Thin grey grid (4.5:1) so cells stay distinct when printed or zoomed."""
    tbl_pr = style.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        style.element.append(tbl_pr)
    for old in tbl_pr.findall(qn("w:tblBorders")):
        tbl_pr.remove(old)
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "767676")
        borders.append(element)
    tbl_pr.append(borders)


def fixed_times(data: bytes) -> bytes:
    """Rewrite the zip with sorted entries and one fixed time (python-docx stamps the clock)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = sorted(source.namelist(), key=lambda n: (n != "[Content_Types].xml", n))
        for name in names:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(name))
    return out.getvalue()


def main() -> None:
    document = Document(io.BytesIO(default_reference()))
    restyle(document)
    buffer = io.BytesIO()
    document.save(buffer)
    OUT.write_bytes(fixed_times(buffer.getvalue()))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
