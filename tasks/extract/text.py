"""Plain-text and Markdown sources to pages of lines.

A text source has no layout facts, so each non-blank line becomes a Line whose
`top` is its line number; pages split at form feeds or at runs of three or more
blank lines (how copy-pasted PDF text usually shows a page break). Markdown
emphasis becomes bold/italic spans, LaTeX and Unicode superscripts raised spans.
"""

from __future__ import annotations

import re

from tasks.extract.glyphs import clean_text, text_issues
from tasks.model import Line, Page, Span

PAGE_BREAK = re.compile(r"\f|\n[ \t]*\n(?:[ \t]*\n){2,}")
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
# **bold**, *italic*, $^{n}$ (nested braces tolerated), runs of Unicode superscripts
INLINE = re.compile(
    r"\*\*(?P<bold>[^*\n]+)\*\*"
    r"|(?<![*\w])\*(?P<italic>[^*\s][^*\n]*?)\*(?!\w)"
    r"|\$\^\{+\^?\{?(?P<latex>[^${}]+)\}+\$"
    r"|(?P<sup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
)


def text_pages(text: str) -> list[Page]:
    chunks = PAGE_BREAK.split(text.replace("\r\n", "\n"))
    pages = [chunk for chunk in chunks if chunk.strip()] or [""]
    return [_page(number, chunk) for number, chunk in enumerate(pages, start=1)]


def _page(number: int, source: str) -> Page:
    chunk = clean_text(source)
    lines = []
    for index, raw in enumerate(chunk.split("\n")):
        if raw.strip():
            lines.append(_line(raw.rstrip(), index))
        elif lines and lines[-1].text != "":
            lines.append(Line(spans=[Span(text="")], x0=0, top=index, x1=0, bottom=index))
    while lines and lines[-1].text == "":
        lines.pop()
    return Page(number=number, width=0, height=float(len(chunk.split("\n"))), lines=lines, issues=text_issues(source, number))


def _line(raw: str, index: int) -> Line:
    indent = len(raw) - len(raw.lstrip())
    spans = list(_spans(raw.strip()))
    return Line(spans=spans, x0=indent, top=index, x1=indent + len(raw), bottom=index + 1)


def _spans(text: str):
    position = 0
    for match in INLINE.finditer(text):
        if match.start() > position:
            yield Span(text=text[position : match.start()])
        if match["bold"]:
            yield Span(text=match["bold"], bold=True)
        elif match["italic"]:
            yield Span(text=match["italic"], italic=True)
        else:
            marker = (match["latex"] or match["sup"]).translate(SUPERSCRIPT_DIGITS)
            yield Span(text=marker, rise=1.0)
        position = match.end()
    if position < len(text):
        yield Span(text=text[position:])
