"""Small bad (and good) PDFs for the input-check tests and the fuzz seeds, made with fpdf2.

Each function writes one file and returns its path; none needs anything but fpdf2 and
Pillow (which fpdf2 depends on).
"""

from __future__ import annotations

import re
from pathlib import Path

from fpdf import FPDF

TEXT = [
    "Report of the Expert Meeting on Water",
    "The meeting brought together experts from many countries and",
    "made recommendations on policy, finance and research.",
]


def text_pdf(path: Path, pages: int = 1, lines: list[str] | None = None, compress: bool = True) -> Path:
    """A plain PDF with a text layer: `pages` pages of a few lines of Helvetica."""
    pdf = _pdf(compress)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        for index, line in enumerate(lines or TEXT):
            pdf.set_xy(72, 72 + 16 * index)
            pdf.cell(text=line)
        pdf.set_xy(290, 800)
        pdf.cell(text=str(number))
    pdf.output(str(path))
    return path


def encrypted_pdf(path: Path, password: str, lines: list[str] | None = None) -> Path:
    """A text PDF that opens only with `password` (fpdf2's own RC4 encryption)."""
    pdf = _pdf(True)
    pdf.set_encryption(owner_password=password + "-owner", user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for index, line in enumerate(lines or TEXT):
        pdf.set_xy(72, 72 + 16 * index)
        pdf.cell(text=line)
    pdf.output(str(path))
    return path


def image_only_pdf(path: Path, pages: int = 2) -> Path:
    """A 'scanned' PDF: each page one picture of text, no text layer at all."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (400, 120), "white")
    draw = ImageDraw.Draw(picture)
    for index, line in enumerate(TEXT):
        draw.text((10, 10 + 30 * index), line, fill="black")
    pdf = _pdf(True)
    for _ in range(pages):
        pdf.add_page()
        pdf.image(picture, x=72, y=72, w=400)
    pdf.output(str(path))
    return path


def zero_page_pdf(path: Path) -> Path:
    """A well-formed PDF whose page tree is empty."""
    return _write_objects(path, ["<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"])


def broken_pages_pdf(path: Path) -> Path:
    """A PDF whose header, xref and catalog are fine but whose only page is not a page."""
    return _write_objects(
        path,
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 /Oops] /Contents 4 0 R >>",
            "<< /Length 999 /Filter /FlateDecode >>\nstream\nnot zlib data\nendstream",
        ],
    )


def huge_page_pdf(path: Path, width: float = 5_000_000) -> Path:
    """A text PDF whose page box is absurdly wide (a damaged or hostile /MediaBox)."""
    data = text_pdf(path, compress=False).read_bytes()
    box = re.search(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    path.write_bytes(data[: box.start(1)] + f"{width:.0f}".encode() + data[box.end(1) :])
    return path


def truncated_pdf(path: Path, seed: Path, keep: float = 0.5) -> Path:
    """The first `keep` share of another PDF's bytes (a download that stopped)."""
    data = seed.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path


def _pdf(compress: bool) -> FPDF:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_compression(compress)
    return pdf


def _write_objects(path: Path, objects: list[str]) -> Path:
    """A minimal PDF with a correct xref table for the given objects (numbered from 1)."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def bomb_pdf(path: Path, inflated: int = 300 << 20) -> Path:
    """A small PDF whose one-page content stream inflates to `inflated` bytes (mostly spaces)."""
    import zlib

    content = b"BT /F1 12 Tf 72 720 Td (A page of text) Tj ET\n" + b" " * inflated
    packed = zlib.compress(content, 9).decode("latin-1")
    return _write_objects(
        path,
        [
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
            " /Resources << /Font << /F1 5 0 R >> >> >>",
            f"<< /Length {len(packed)} /Filter /FlateDecode >>\nstream\n{packed}\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ],
    )
