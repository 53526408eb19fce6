"""A tiny typesetter for test PDFs (fpdf2): lines placed exactly as a report would set them.

Markup in a line: "# " heading, "## " subheading, "> " a line centred in body type,
"• " bullet (indent with leading spaces, 2 per level), "" a paragraph gap, "^x" a
raised footnote marker x.
Notes are lines at the column foot, under a short rule, in smaller type.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF

MARKER = re.compile(r"\^(\(\w+\)|\S+?)(?=[\s,.;:)]|$)")


@dataclass
class Column:
    lines: list[str]
    notes: list[str] = field(default_factory=list)
    table: list[list[str]] = field(default_factory=list)  # ruled, after the lines


@dataclass
class Typesetter:
    format: str = "A4"
    columns: int = 1
    body: float = 10.0
    note: float = 8.0
    margin: float = 72.0
    header: str | None = None
    header_even: str | None = None  # a running head of its own on even pages (left/right heads)
    footer: str | None = "Page {n} of {m}"
    pages: list[list[Column]] = field(default_factory=list)

    def page(self, *columns: Column) -> Typesetter:
        self.pages.append(list(columns))
        return self

    def write(self, path: Path) -> Path:
        pdf = FPDF(unit="pt", format=self.format)
        pdf.set_auto_page_break(False)
        pdf.core_fonts_encoding = "windows-1252"  # for † and ‡
        for number, columns in enumerate(self.pages, start=1):
            pdf.add_page()
            self._furniture(pdf, number)
            width = (pdf.w - 2 * self.margin - (self.columns - 1) * 18) / self.columns
            for index, column in enumerate(columns):
                x = self.margin + index * (width + 18)
                self._column(pdf, column, x, width)
        pdf.output(str(path))
        return path

    def _furniture(self, pdf: FPDF, number: int) -> None:
        pdf.set_font("Helvetica", size=8)
        header = self.header_even if self.header_even and number % 2 == 0 else self.header
        if header:
            x = self.margin if number % 2 == 0 else pdf.w - self.margin - pdf.get_string_width(header)
            pdf.set_xy(x, 36)
            pdf.cell(text=header)
        if self.footer:
            text = self.footer.format(n=number, m=len(self.pages))
            pdf.set_xy(pdf.w / 2 - pdf.get_string_width(text) / 2, pdf.h - 40)
            pdf.cell(text=text)

    def _column(self, pdf: FPDF, column: Column, x: float, width: float) -> None:
        y = self.margin
        for line in column.lines:
            if not line:
                y += self.body * 0.8
                continue
            y = self._line(pdf, line, x, y, width)
        if column.table:
            pdf.set_font("Helvetica", size=self.body)
            pdf.set_xy(x, y + 6)
            with pdf.table(width=width, align="LEFT", first_row_as_headings=False) as table:
                for cells in column.table:
                    table.row(cells)
        if column.notes:
            y = pdf.h - self.margin - len(column.notes) * self.note * 1.3
            pdf.line(x, y - 6, x + 72, y - 6)
            for note in column.notes:
                self._text(pdf, note, x, y, self.note, "")
                y += self.note * 1.3

    def _line(self, pdf: FPDF, line: str, x: float, y: float, width: float) -> float:
        if line.startswith("## "):
            self._text(pdf, line[3:], x, y + 4, self.body * 1.1, "B")
            return y + self.body * 2.2
        if line.startswith("# "):
            self._text(pdf, line[2:], x, y + 6, self.body * 1.4, "B")
            return y + self.body * 2.8
        if line.startswith("> "):  # centred in the column, with space above
            text = line[2:]
            pdf.set_font("Helvetica", size=self.body)
            self._text(pdf, text, x + (width - pdf.get_string_width(text)) / 2, y + 6, self.body, "")
            return y + self.body * 2.4
        stripped = line.lstrip(" ")
        depth = (len(line) - len(stripped)) // 2
        if stripped.startswith("• "):
            self._text(pdf, "•", x + 6 + 18 * depth, y, self.body, "")
            self._text(pdf, stripped[2:], x + 18 + 18 * depth, y, self.body, "")
        elif depth:
            self._text(pdf, stripped, x + 18 * depth, y, self.body, "")
        else:
            self._text(pdf, line, x, y, self.body, "")
        return y + self.body * 1.3

    def _text(self, pdf: FPDF, text: str, x: float, y: float, size: float, style: str) -> None:
        """Text with ^markers raised and set in smaller type."""
        position = 0
        for match in [*MARKER.finditer(text), None]:
            end = match.start() if match else len(text)
            piece = text[position:end]
            if piece:
                pdf.set_font("Helvetica", style=style, size=size)
                pdf.set_xy(x, y)
                pdf.cell(text=piece)
                x += pdf.get_string_width(piece)
            if match:
                pdf.set_font("Helvetica", size=size * 0.6)
                pdf.set_xy(x, y - size * 0.35)
                pdf.cell(text=match[1])
                x += pdf.get_string_width(match[1])
                position = match.end()
