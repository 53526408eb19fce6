"""Clean: pages of lines to a document of blocks and linked footnotes.

Ordered passes, each over plain values:
  1. furniture  - page numbers and running heads/feet removed, and recorded
  2. notes      - footnote zones (under a rule / smaller type at the page foot /
                  lines starting with a marker) split from the body
  3. blocks     - lines to headings, paragraphs, list items and tables; paragraphs
                  joined across line, column and page breaks; line-end hyphens removed
  4. link       - footnote markers in the text linked to their bodies; what cannot be
                  paired is kept and reported
Every rule comes from layout facts (size, weight, position, rules) or general
language patterns, never from one report's strings.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

from wordfreq import zipf_frequency

from tasks.model import Block, Document, Footnote, Furniture, Inline, Issue, Line, Page, PageBreak, SourceRef, Span

VERSION = "6"  # bump when cleaning output changes for the same input

PAGE_NUMBER = re.compile(
    r"^[\s\-–—|.]*(?:page|p\.|seite|página)?\s*(\d+|[ivxlcdm]+)(?:\s*(?:of|/|de|von)\s*\d+)?[\s\-–—|.]*$",
    re.I,
)
BULLET = re.compile(r"^\s*([•◦▪▫‣∙·○●■□►▶✓➢–—\-*+])\s+")
DASHES = "–—-"
NUMBERED = re.compile(r"^\s*(\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+")
NOTE_SYMBOLS = "*∗†‡§¶#"
# A raised marker: a number, a run of note symbols (*, **, †, ††, ...) or a letter,
# bare or in brackets ("(3)", "3)", "[3]"); group 1 is the marker itself. Notes are
# never numbered 0 (a raised 0 is an axis label or a power).
MARKER_TEXT = re.compile(r"^\s*[(\[]?([1-9]\d{0,2}|[*∗†‡§¶#]{1,4}|[a-z])[)\]]?\s*$")
# A note body's opening on its own line: "3 Text", "3. Text", "(3) Text", "3) Text",
# "† Text", or a number run into a capitalised word ("3The text"); never "[3]", a
# reference list's style.
NOTE_START = re.compile(r"^\s*(?:\(([1-9]\d{0,2})\)|([1-9]\d{0,2}|[*∗†‡§¶]{1,4})[.)]?)(?:\s+(?=\S)|(?=[A-Z][a-z]))")
# A marker that lost its superscript: "healthcare. 8 The code" or "healthcare.8"
BARE_MARKER = re.compile(r"(?<=[.,;:!?)\"”’a-z])[ ]?(\d{1,3})(?=\s+[A-Z(\"“]|\s*$)")
SENTENCE_END = re.compile(r"[.!?:;][\"”’)\]]*$")
# "2.1 Methods ........ 14": a title, a dotted leader, a page number
CONTENTS_ENTRY = re.compile(r"^\S.*?\s*(?:\.\s?|…\s?){3,}\s*(\d{1,4}|[ivxlc]{1,6})$", re.I)
MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+")
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")
STRAY = re.compile(r"^[\W_]{1,3}$|^\d{1,3}$")
CUT_URL = re.compile(r"(?:https?://|www\.)\S*[\w/#=&%~_-]$")  # a web address to the line's end, with no closing mark
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
SCATTERED_ADVANCE = 1.0  # em per character: above this a "line" is labels strewn along one baseline
# Section numbering that opens a heading: "5.1.1.", "D.2.", "Appendix B.", "Chapter 3"
# (depth: how many numbers). A bare "4." is as often a list item, so it counts only
# where the layout also says heading.
SECTION_NUMBER = re.compile(
    r"^\s*(?:(?P<word>Appendix|Annex|Chapter|Part|Section)\s+(?:[A-Z]|\d{1,3}|[IVX]{1,5})\b\.?"
    r"|(?P<dotted>(?:\d{1,3}|[A-Z])(?:\.\d{1,3})+)\.?(?=\s|$))"
)
SMALL_CAPS_FONT = re.compile(r"(?i)caps|smallcap|[-+_]sc\b|sc$")


@dataclass
class _Note:
    marker: str
    inlines: list[Inline]
    page: int
    continued: bool = False  # a body continued from the previous page's last note


@dataclass
class _State:
    """What the passes build up as they walk the pages."""

    blocks: list[Block] = field(default_factory=list)
    notes: list[_Note] = field(default_factory=list)
    furniture: list[Furniture] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)


def clean(pages: list[Page]) -> Document:
    """Turn extracted pages into a clean document with linked footnotes."""
    state = _State()
    pages = _code_apart_from_body(pages, state)
    layout = Layout.measure(pages)
    repeated = _repeated_margin_lines(pages, layout)
    folios = _folio_rows(pages, layout)
    for page in pages:
        state.issues.extend(page.issues)
        body, notes = _split_page(page, layout, repeated, folios, state)
        _add_notes(notes, page, layout, state)
        _add_blocks(body, page, layout, state)
    footnotes = _link_notes(state, bare_markers=layout.is_text)
    if layout.is_text:
        state.blocks = _demote_heading_runs(state.blocks)
    else:
        state.blocks = _numbered_agenda_headings(_demote_entry_runs(_split_run_in_headings(state.blocks)))
    _check_conservation(pages, state, footnotes)
    if "title" not in state.metadata and pages:
        state.metadata.update(_running_title(pages[0], repeated))
    return Document(
        blocks=state.blocks,
        footnotes=footnotes,
        furniture=state.furniture,
        issues=state.issues,
        metadata={**state.metadata, **page_size(pages)},
    )


def _code_apart_from_body(pages: list[Page], state: _State) -> list[Page]:
    """Monospace marks code only beside a body set in another face: a document typed
    throughout in a fixed-pitch font (a transcript, a typewritten report) is prose."""
    letters: Counter[bool] = Counter()
    for line in (line for page in pages for line in page.lines):
        for span in line.spans:
            letters[span.monospace] += len(span.text)
    if letters[True] <= letters[False]:
        return pages
    state.issues.append(Issue(stage="clean", kind="typewritten", message="the body is set in a monospace font: read as prose, not code"))
    return [page.model_copy(update={"lines": [_proportional(line) for line in page.lines]}) for page in pages]


def _proportional(line: Line) -> Line:
    return line.model_copy(update={"spans": [s.model_copy(update={"monospace": False}) for s in line.spans]})


# --- layout facts ----------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    body_size: float  # the running text's font size (0 for text sources)
    pitch: float  # usual distance between the tops of two body lines
    left: float  # the usual left edge of body text
    line_width: float  # the usual width of a full line of running text (a column's width)
    is_text: bool
    marked_headings: bool = False  # a text source that marks its headings ('#'): trust only those

    @classmethod
    def measure(cls, pages: list[Page]) -> Layout:
        is_text = all(p.width == 0 for p in pages)
        sizes: Counter[float] = Counter()
        running: Counter[float] = Counter()  # wide lines or several words: a map's or chart's labels are not the body
        lefts: Counter[float] = Counter()
        for page in pages:
            for line in page.lines:
                sizes[line.size] += len(line.text)
                wide = line.x1 - line.x0 > 0.4 * page.width
                prose = (wide or len(line.text.split()) >= 4) and not _scattered(line)
                running[line.size] += len(line.text) if prose else 0
                lefts[round(line.x0)] += len(line.text)
            for table in page.tables:  # a programme's or list's cells are running text too
                running[table.size] += sum(len(cell) for row in table.rows for cell in row) if table.size else 0
        sizes = +running or sizes
        body = sizes.most_common(1)[0][0] if sizes else 0.0
        pitches = [
            round(b.top - a.top, 1)
            for page in pages
            for a, b in zip(page.lines, page.lines[1:])
            if a.size == b.size == body and 0 < b.top - a.top < 3 * body
        ]
        pitch = statistics.mode(pitches) if pitches else 1.0
        left = float(lefts.most_common(1)[0][0]) if lefts else 0.0
        widths = Counter(round(line.x1 - line.x0, -1) for page in pages for line in page.lines if line.size == body)
        full = max((w for w, n in widths.items() if n >= 0.1 * sum(widths.values())), default=0.0)
        marked = is_text and any(MARKDOWN_HEADING.match(line.text) for page in pages for line in page.lines)
        return cls(body_size=body, pitch=pitch, left=left, line_width=full, is_text=is_text, marked_headings=marked)

    def is_small(self, line: Line) -> bool:
        return not self.is_text and line.size < 0.92 * self.body_size

    def heading_rank(self, line: Line) -> float | None:
        """A heading's prominence (bigger is more), or None for ordinary text."""
        if self.is_text:
            return None
        text = line.text.strip()
        if not any(ch.isalnum() for ch in text) or len(text) > 200 or EMAIL.search(text):
            return None  # an e-mail address is contact data (a directory's entry), never a title
        if line.size >= 1.08 * self.body_size:
            return line.size
        if line.bold and line.size >= 0.98 * self.body_size and not BULLET.match(text):
            return line.size - 0.01
        return None


def _scattered(line: Line) -> bool:
    """Words strewn along a baseline (a map's or chart's labels that share a height), not a line of
    text: its characters take more than an em each on average, where set text takes about half."""
    return line.x1 - line.x0 > SCATTERED_ADVANCE * len(line.text) * line.size


# --- pass 1 and 2: furniture and footnote zones -----------------------------------------


def _margin_band(page: Page, line: Line) -> bool:
    """In the top or bottom 10% of the page (or first/last line of a text page)."""
    if page.width == 0:
        return line is page.lines[0] or line is page.lines[-1]
    return line.bottom < 0.1 * page.height or line.top > 0.9 * page.height


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def _repeated_margin_lines(pages: list[Page], layout: Layout) -> set[str]:
    """Running heads and feet: margin lines whose shape recurs on several pages."""
    if len(pages) < 2 or layout.is_text:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_shape(line.text) for line in page.lines if _margin_band(page, line)})
    needed = min(len(pages), max(2, len(pages) // 2))
    return {shape for shape, n in counts.items() if n >= needed and shape.strip()}


def _folio_rows(pages: list[Page], layout: Layout) -> set[int]:
    """Where page numbers sit when not in the outer 10%: the heights (to 2 pt) at which a bare number
    is a page's first or last line on at least half the pages."""
    if len(pages) < 2 or layout.is_text:
        return set()
    counts: Counter[int] = Counter()
    for page in pages:
        ends = [page.lines[0], page.lines[-1]] if page.lines else []
        counts.update({_row(line) for line in ends if PAGE_NUMBER.match(line.text.strip())})
    needed = min(len(pages), max(2, len(pages) // 2))
    return {row for row, n in counts.items() if n >= needed}


def _row(line: Line) -> int:
    return round(line.top / 2)


def _is_folio(page: Page, line: Line, folios: set[int]) -> bool:
    return (line is page.lines[0] or line is page.lines[-1]) and _row(line) in folios


def _running_title(page: Page, repeated: set[str]) -> dict[str, str]:
    """A document with no title heading of its own (a list, a table) is named by its running head:
    the first page's top line that every page repeats."""
    head = next((line for line in page.lines if line.bottom < 0.1 * page.height and _shape(line.text) in repeated), None)
    text = head.text.strip() if head is not None else ""
    return {"title": text} if any(ch.isalpha() for ch in text) and not PAGE_NUMBER.match(text) else {}


def _split_page(page: Page, layout: Layout, repeated: set[str], folios: set[int], state: _State) -> tuple[list, list[Line]]:
    """Body items (lines and tables in reading order) and footnote lines of one page."""
    kept: list[Line] = []
    contents = _contents_lines(page)
    for line in page.lines:
        text = line.text.strip()
        if line in contents:
            state.furniture.append(Furniture(text=text, kind="contents", page=page.number))
        elif text and PAGE_NUMBER.match(text) and _is_folio(page, line, folios):
            state.furniture.append(Furniture(text=text, kind="page-number", page=page.number))
        elif text and _margin_band(page, line) and (PAGE_NUMBER.match(text) or _shape(text) in repeated):
            kind = "page-number" if PAGE_NUMBER.match(text) else "running-head"
            state.furniture.append(Furniture(text=text, kind=kind, page=page.number))
        elif text and layout.is_text and STRAY.match(text) and not _starts_note(line):
            state.furniture.append(Furniture(text=text, kind="stray", page=page.number))
        else:
            kept.append(line)
    body, notes = _text_notes(kept) if layout.is_text else _pdf_notes(kept, page, layout)
    items: list = list(body)
    for table in page.tables:
        at = next((i for i, line in enumerate(items) if isinstance(line, Line) and line.top > table.top), len(items))
        items.insert(at, table)
    return items, notes


def _contents_lines(page: Page) -> list[Line]:
    """A table of contents: three or more lines on a page that end in a leader and a page number.

    They are kept as furniture (evidence of the outline), not copied into the text.
    """
    entries = [line for line in page.lines if CONTENTS_ENTRY.match(line.text.strip())]
    return entries if len(entries) >= 3 else []


def _pdf_notes(lines: list[Line], page: Page, layout: Layout) -> tuple[list[Line], list[Line]]:
    """Footnotes: a run of smaller lines that ends a column, from its first marker line on,
    or a run of any size that opens with a marked line under a short separator rule.

    A run is cut by a drawn rule or a jump back up the page (a new column), so a
    footer under a rule or the next column's text never joins it. A note starts with
    a raised marker, or with a plain number when a rule stands just above it.
    """
    notes: set[int] = set()
    for run in _small_runs(lines, page, layout) + _ruled_runs(lines, page, layout):
        if not _ends_column(run[-1], lines, page) or lines[run[0]].top < 0.4 * page.height:
            continue
        start = next((i for i in run if _opens_note(lines[i], page, layout)), None)
        if _under_rule(lines[run[0]], page, layout) and _at_foot(run[-1], lines):
            start = run[0]  # a note carried over from the previous page comes first
        if start is not None:
            notes.update(range(start, run[-1] + 1))
    body = [line for i, line in enumerate(lines) if i not in notes]
    return body, [line for i, line in enumerate(lines) if i in notes]


def _small_runs(lines: list[Line], page: Page, layout: Layout) -> list[list[int]]:
    runs: list[list[int]] = []
    for index, line in enumerate(lines):
        if not line.text.strip() or not layout.is_small(line):
            continue
        previous = lines[index - 1] if index else None
        joined = runs and runs[-1][-1] == index - 1 and previous is not None and _next_in_run(previous, line, page)
        if joined:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _at_foot(index: int, lines: list[Line]) -> bool:
    """No text below line `index` across its width: the foot of its column (a chart's labels
    under a short axis line have their caption below)."""
    last = lines[index]
    return not any(line.top > last.bottom and line.x0 < last.x1 and last.x0 < line.x1 for line in lines[index + 1 :] if line.text.strip())


def _ruled_runs(lines: list[Line], page: Page, layout: Layout) -> list[list[int]]:
    """Notes set as large as the body (word processors do): a marked line under a separator
    rule and the lines that follow it down its column."""
    runs: list[list[int]] = []
    for index, line in enumerate(lines):
        if _under_rule(line, page, layout) and _opens_note(line, page, layout):
            run = [index]
            while run[-1] + 1 < len(lines) and _next_in_run(lines[run[-1]], lines[run[-1] + 1], page):
                run.append(run[-1] + 1)
            runs.append(run)
    return runs


def _next_in_run(previous: Line, line: Line, page: Page) -> bool:
    """The line follows `previous` down the same column, nothing setting it apart (a gap
    is measured in the taller line's height: a mark alone on its line is short)."""
    height = max(previous.bottom - previous.top, line.bottom - line.top)
    return line.top >= previous.top - 1 and not _rule_between(page, previous, line) and line.top - previous.top <= 2.5 * height


def _ends_column(index: int, lines: list[Line], page: Page) -> bool:
    """Nothing follows line `index` in its column but what a rule or a wide gap sets apart."""
    last = lines[index]
    following = next((line for line in lines[index + 1 :] if line.text.strip()), None)
    return following is None or following.top < last.top or _apart(page, last, following)


def _apart(page: Page, upper: Line, lower: Line) -> bool:
    """Separated by a drawn rule or by more than two of the upper line's heights."""
    return _rule_between(page, upper, lower) or lower.top - upper.top > 2.5 * (upper.bottom - upper.top)


def _rule_between(page: Page, upper: Line, lower: Line) -> bool:
    return any(upper.bottom - 1 <= r.top <= lower.top + 1 and r.x0 <= lower.x1 and r.x1 >= lower.x0 for r in page.rules)


def _opens_note(line: Line, page: Page, layout: Layout) -> bool:
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is None:
        return False
    if first.rise > 0 and MARKER_TEXT.match(first.text):
        return True
    return _under_rule(line, page, layout) and bool(NOTE_START.match(line.text))


def _under_rule(line: Line, page: Page, layout: Layout) -> bool:
    """Directly under a separator: a rule at the line's left edge (or up to three ems left of
    an indented note), short beside a line of text.

    A table's or figure's rule runs a column's width; a footnote separator does not.
    """
    return any(
        0 <= line.top - rule.top <= 2 * layout.pitch
        and -5 <= line.x0 - rule.x0 <= max(5, 3 * line.size)
        and rule.x1 - rule.x0 < 0.6 * (layout.line_width or page.width)
        for rule in page.rules
    )


def _text_notes(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Text pages: raised-marker lines anywhere, numbered lines only in the page's tail."""
    tail = len(lines)
    while tail > 0 and (_starts_note(lines[tail - 1]) or not lines[tail - 1].text.strip() or _continues_note(lines, tail - 1)):
        tail -= 1
    body, notes = [], []
    for index, line in enumerate(lines):
        raised = _starts_note(line) and line.spans[0].rise > 0
        (notes if raised or (index >= tail and line.text.strip()) else body).append(line)
    return body, notes


def _continues_note(lines: list[Line], index: int) -> bool:
    """A wrapped line of a note: directly under a note line, no blank line between."""
    return index > 0 and bool(lines[index - 1].text.strip()) and _starts_note(lines[index - 1])


def _starts_note(line: Line) -> bool:
    first = next((s for s in line.spans if s.text.strip()), None)
    if first is None:
        return False
    if first.rise > 0 and MARKER_TEXT.match(first.text):
        return True
    return bool(NOTE_START.match(line.text)) and not _looks_like_list_number(line)


def _looks_like_list_number(line: Line) -> bool:
    return bool(re.match(r"^\s*\d{1,2}[.)]\s+[A-Z]", line.text)) and line.size >= 0


def _add_notes(lines: list[Line], page: Page, layout: Layout, state: _State) -> None:
    for index, line in enumerate(lines):
        marker, inlines = _split_marker(line)
        following = lines[index + 1] if index + 1 < len(lines) else None
        if marker is None and following is not None and _lone_marker(line, following):
            marker, inlines = MARKER_TEXT.match(line.text)[1], []
        if marker is not None:
            state.notes.append(_Note(marker=marker, inlines=inlines, page=page.number))
        elif state.notes and (index > 0 or state.notes[-1].page == page.number - 1):
            _append_text(state.notes[-1].inlines, inlines)
            if index == 0:
                state.notes[-1].continued = True
        else:
            state.notes.append(_Note(marker="", inlines=inlines, page=page.number))


def _lone_marker(line: Line, following: Line) -> bool:
    """A mark alone on its line in smaller type, its note's text on the next line (a long
    URL that would not fit beside it)."""
    return bool(MARKER_TEXT.match(line.text)) and line.size < 0.9 * following.size


def _split_marker(line: Line) -> tuple[str | None, list[Inline]]:
    spans = [s for s in line.spans if s.text]
    first = next((i for i, s in enumerate(spans) if s.text.strip()), 0)
    raised = MARKER_TEXT.match(spans[first].text) if spans and spans[first].rise > 0 else None
    if raised:
        return raised[1], _inlines(spans[first + 1 :])
    match = NOTE_START.match(line.text)
    if match:
        rest = _drop_prefix(spans, match.end())
        return match[1] or match[2], _inlines(rest)
    return None, _inlines(spans)


def _drop_prefix(spans: list[Span], count: int) -> list[Span]:
    out = []
    for span in spans:
        if count >= len(span.text):
            count -= len(span.text)
            continue
        out.append(span.model_copy(update={"text": span.text[count:]}))
        count = 0
    return out


# --- pass 3: blocks ---------------------------------------------------------------------


def _add_blocks(items: list, page: Page, layout: Layout, state: _State) -> None:
    previous: Line | None = None
    paragraph = 0
    broken = _line_by_line(items, page, layout)
    for item in items:
        if not isinstance(item, Line):
            if not _continue_table(item, page, state):
                paragraph += 1
                rows = [list(row) for row in item.rows]
                state.blocks.append(Block(kind="table", rows=rows, source=SourceRef(page=page.number, paragraph=paragraph)))
            previous = None
            continue
        line = item
        if not line.text.strip():
            previous = line
            continue
        kind, level, inlines = _classify(line, previous, page, layout, state)
        last = state.blocks[-1] if state.blocks else None
        if kind == "continue" and id(line) in broken and last is not None and last.kind == "paragraph":
            kind = "paragraph"  # the next row of a list set one per line
        if kind == "row":
            continuing = last is not None and last.kind == "table" and previous is not None and bool(PIPE_ROW.match(previous.text))
            paragraph += 0 if continuing else 1
            _add_row(line, continuing, SourceRef(page=page.number, paragraph=paragraph), state)
        elif kind == "continue" and last is not None and last.kind in ("paragraph", "item", "heading"):
            state.blocks[-1] = _extend(last, inlines, page.number)
        elif kind == "lead-in" and last is not None:
            lead = [i.model_copy(update={"bold": True}) for i in last.inlines]  # the heading was a bold lead-in
            paragraph_start = last.model_copy(update={"kind": "paragraph", "level": 0, "inlines": lead})
            state.blocks[-1] = _extend(paragraph_start, inlines, page.number)
        else:
            paragraph += 1
            kind = "paragraph" if kind == "continue" else kind
            source = SourceRef(page=page.number, paragraph=paragraph)
            state.blocks.append(Block(kind=kind, level=level, inlines=inlines, source=source))
        previous = line


LINE_LIST_MIN = 5  # short lines in a row: fewer are a name over its organisation, an address


def _line_by_line(items: list, page: Page, layout: Layout) -> set[int]:
    """Lines (by id) that follow a hard line break: in a run of LINE_LIST_MIN or more lines set
    close under each other at one left edge, each ending well short of the column, every line is
    a row of its own (a list of names set one per line), where wrapped prose fills its lines."""
    lines = [item if isinstance(item, Line) and item.text.strip() else None for item in items]
    runs: list[list[Line]] = [[]]
    for line in lines:
        short = line is not None and _short(line, page, layout)
        above = runs[-1][-1] if runs[-1] else None
        if short and above is not None and _close(above, line, layout) and abs(line.x0 - above.x0) <= 1:
            runs[-1].append(line)
        else:
            runs.append([line] if short else [])
    return {id(line) for run in runs if len(run) >= LINE_LIST_MIN for line in run[1:]}


def _continue_table(table, page: Page, state: _State) -> bool:
    """A table that goes on from the previous page: right after a table with as many columns.

    Its repeated header row is dropped, and recorded as furniture.
    """
    last = state.blocks[-1] if state.blocks else None
    if last is None or last.kind != "table" or last.source.page != page.number - 1 or not table.rows:
        return False
    if len(table.rows[0]) != len(last.rows[0]):
        return False
    rows = [list(row) for row in table.rows]
    if rows[0] == last.rows[0]:
        state.furniture.append(Furniture(text=" ".join(rows[0]), kind="repeated-header", page=page.number))
        rows = rows[1:]
    state.blocks[-1] = last.model_copy(update={"rows": [*last.rows, *rows]})
    return True


def _classify(line: Line, previous: Line | None, page: Page, layout: Layout, state: _State) -> tuple[str, int, list[Inline]]:
    """('heading'|'item'|'paragraph'|'continue', level, inlines) for one body line."""
    text = line.text
    rank = layout.heading_rank(line)
    if rank is None and _underlined_heading(line, previous, page, layout):
        rank = line.size - 0.01  # underlining sets a heading apart in body type, as bold does
    last = state.blocks[-1] if state.blocks else None
    if rank is not None and (_continues_bold_run(line, previous, last, layout) or _continues_url(line, previous, last, layout)):
        return "continue", 0, _inlines(line.spans)
    if rank is not None:
        if last is not None and last.kind == "heading" and previous is not None and _wraps_heading(previous, line, layout):
            return "continue", 0, _plain(_inlines(line.spans))
        if page.number == 1 and "title" not in state.metadata and not state.blocks:
            state.metadata["title"] = text.strip()
        return "heading", _level(rank, layout, text), _plain(_inlines(line.spans))
    if layout.is_text:
        return _classify_text(line, previous, page, layout, state)
    if _ends_lead_in(line, previous, last, layout):
        return "lead-in", 0, _inlines(line.spans)
    if _centred_heading(line, page, layout):
        if last is not None and last.kind == "heading" and previous is not None and _close(previous, line, layout):
            return "continue", 0, _plain(_inlines(line.spans))
        if _space_above(line, previous, layout):
            return "heading", _section_depth(text) or 1, _plain(_inlines(line.spans))
    if _starts_item(line, previous, last, layout):
        depth = max(0, round((line.x0 - layout.left) / (2 * layout.body_size))) if layout.body_size else 0
        return "item", depth, _inlines(_drop_bullet(line.spans))
    if last is None or previous is None or line.top < previous.top:  # a new page or column
        return ("continue" if _continues(last, line) else "paragraph"), 0, _inlines(line.spans)
    if last.kind == "heading" or not _close(previous, line, layout) or not previous.text.strip():  # a blank line is a gap
        return "paragraph", 0, _inlines(line.spans)
    if _opens_section(text) and SENTENCE_END.search(previous.text.rstrip()):  # "... end. / 4.2. Next"
        return "paragraph", 0, _inlines(line.spans)
    if last.kind == "item" and (line.x0 <= layout.left + 1 < previous.x0 or line.x0 < previous.x0 - 1):  # outdented
        return "paragraph", 0, _inlines(line.spans)
    if last.kind == "item" and abs(line.x0 - previous.x0) <= 1 and _short(previous, page, layout):
        return "paragraph", 0, _inlines(line.spans)  # under a short item line: a line break, not a wrap
    return "continue", 0, _inlines(line.spans)


def _classify_text(
    line: Line, previous: Line | None, page: Page, layout: Layout, state: _State
) -> tuple[str, int, list[Inline]]:
    """Text sources: blank lines separate blocks; '#' lines (or, without any, short bare lines) are headings."""
    text = line.text
    last = state.blocks[-1] if state.blocks else None
    after_blank = previous is None or not previous.text.strip()
    hashes = MARKDOWN_HEADING.match(text)
    if hashes:
        _note_title(text[hashes.end() :], page, state)
        return "heading", len(hashes[1]), _inlines(_drop_prefix(line.spans, hashes.end()))
    if PIPE_ROW.match(text):
        return "row", 0, []
    if BULLET.match(text):
        return "item", 0, _inlines(_drop_bullet(line.spans))
    if previous is None and _continues(last, line):
        return "continue", 0, _inlines(line.spans)
    if not after_blank or line.x0 > 0 and last is not None and last.kind == "item":
        return "continue", 0, _inlines(line.spans)
    if not layout.marked_headings and _looks_like_heading(text):
        _note_title(text, page, state)
        return "heading", 1, _inlines(line.spans)
    return "paragraph", 0, _inlines(line.spans)


def _note_title(text: str, page: Page, state: _State) -> None:
    """The first heading of the first page is the report's title."""
    if page.number == 1 and not state.blocks and "title" not in state.metadata:
        state.metadata["title"] = text.strip()


def _add_row(line: Line, continuing: bool, source: SourceRef, state: _State) -> None:
    """A Markdown pipe-table row: one more row of the table above, or a new table."""
    if PIPE_RULE.match(line.text):
        return
    cells = [cell.strip() for cell in line.text.strip().strip("|").split("|")]
    if continuing:
        table = state.blocks[-1]
        state.blocks[-1] = table.model_copy(update={"rows": [*table.rows, cells]})
    else:
        state.blocks.append(Block(kind="table", rows=[cells], source=source))


def _short(line: Line, page: Page, layout: Layout) -> bool:
    """Ending well short of the column: a line that wrapped would have taken the next word."""
    return line.x1 - line.x0 < 0.6 * (layout.line_width or page.width)


def _centred_heading(line: Line, page: Page, layout: Layout) -> bool:
    """A short line centred on the page or the text block, numbered ("1. Scope", "(b) Findings",
    "Appendix B."), bold (even in small type) or set in capitals or small capitals: a heading,
    not a list item, which starts at the margin, nor a byline."""
    text = line.text.strip()
    centre = (line.x0 + line.x1) / 2
    text_centre = layout.left + layout.line_width / 2
    centred = abs(centre - page.width / 2) < 0.03 * page.width or abs(centre - text_centre) < 0.03 * layout.line_width
    width = layout.line_width or page.width
    short = line.x1 - line.x0 < 0.85 * width and line.x0 > layout.left + 0.05 * width
    # Numbered in words or set in capitals, a centred heading may run nearly across the column.
    inset = line.x0 > layout.left + 0.01 * width and line.x1 < layout.left + 0.99 * width
    numbered = bool(SECTION_NUMBER.match(text) or NUMBERED.match(text))
    strong = bool(SECTION_NUMBER.match(text) or _in_capitals(line))
    listing = "," in text and not numbered  # a byline ("JANE ROE, PORT BOARD") or a list of names
    marked = strong or numbered or line.bold
    ended = SENTENCE_END.search(text) or text.endswith(",")
    return bool(centred and (short or strong and inset) and marked) and not ended and not listing


def _underlined_heading(line: Line, previous: Line | None, page: Page, layout: Layout) -> bool:
    """A short line of body type with space above, underlined from end to end, starting with a
    capital or a number and without final punctuation: a heading. An underlined link is one token
    ("example.org/a"), runs across the column or wraps on from the line above."""
    text = line.text.strip()
    words = text.split()
    if not words or not (text[0].isupper() or text[0].isdigit()) or SENTENCE_END.search(text) or text.endswith(","):
        return False
    if len(words) == 1 and re.search(r"[/.@=]", text) or line.size < 0.98 * layout.body_size:
        return False
    if not _space_above(line, previous, layout):
        return False
    width = line.x1 - line.x0
    return _short(line, page, layout) and any(
        line.top + 0.5 * line.size <= rule.top <= line.bottom + 0.3 * line.size
        and rule.x0 <= line.x0 + 2 and rule.x1 - line.x0 >= 0.9 * width
        for rule in page.rules
    )


def _space_above(line: Line, previous: Line | None, layout: Layout) -> bool:
    """Space above: more than a line and a half below the previous line (or a clear gap under a
    line of smaller type), or a new page or column."""
    if previous is None or line.top < previous.top:
        return True
    return line.top - previous.top > 1.45 * layout.pitch or line.top - previous.bottom > 0.6 * layout.body_size


def _in_capitals(line: Line) -> bool:
    """Every letter in capitals or in a small-capitals font."""
    spans = [s for s in line.spans if any(ch.isalpha() for ch in s.text)]
    return bool(spans) and all(s.text.isupper() or SMALL_CAPS_FONT.search(s.font) for s in spans)


def _opens_section(text: str) -> bool:
    """A section number and a capitalised word: "D.2. Summary", never "2.5 percent"."""
    number = SECTION_NUMBER.match(text)
    return bool(number) and text[number.end() :].lstrip()[:1].isupper()


def _section_depth(text: str) -> int:
    """How deep a section number nests ("5.1.1." is 3, "Appendix D." 1); 0 without one."""
    number = SECTION_NUMBER.match(text)
    if not number:
        return 0
    return 1 if number["word"] else number["dotted"].count(".") + 1


def _ends_lead_in(line: Line, previous: Line | None, last: Block | None, layout: Layout) -> bool:
    """A line that opens in bold and goes on in roman, right under a bold body-size line read as a
    heading: that line was the first of a paragraph's bold lead-in ("How long does this take? It ...")."""
    if previous is None or last is None or last.kind != "heading" or not _close(previous, line, layout):
        return False
    first = next((s for s in line.spans if s.text.strip()), None)
    roman_after = any(not s.bold and any(ch.isalpha() for ch in s.text) for s in line.spans)
    unnumbered = not SECTION_NUMBER.match(last.text) and not NUMBERED.match(last.text)
    body = previous.bold and previous.size < 1.08 * layout.body_size
    return body and unnumbered and first is not None and first.bold and roman_after


def _continues_bold_run(line: Line, previous: Line | None, last: Block | None, layout: Layout) -> bool:
    """A bold line of body size right under a paragraph or item line that ended in bold
    mid-sentence is the rest of that bold phrase (a wrapped author list, a lead-in), not a heading."""
    if previous is None or last is None or last.kind not in ("paragraph", "item") or not _close(previous, line, layout):
        return False
    spans = [s for s in previous.spans if s.text.strip()]
    if not spans or not spans[-1].bold or SENTENCE_END.search(previous.text.rstrip()):
        return False
    start = len(spans) - 1
    while start > 0 and spans[start - 1].bold:
        start -= 1
    under = line.x0 <= spans[start].x0 + 3 * layout.body_size  # wrapped under the bold phrase, not a column further
    return under and line.size == previous.size < 1.08 * layout.body_size


def _continues_url(line: Line, previous: Line | None, last: Block | None, layout: Layout) -> bool:
    """A line right under a paragraph or item line that ends in a web address cut at the margin,
    opening with the address's rest (no space, a path's marks or a small letter), goes on with it:
    the rest of a link set in bold is no heading."""
    if previous is None or last is None or last.kind not in ("paragraph", "item") or not _close(previous, line, layout):
        return False
    head = line.text.split()[0] if line.text.split() else ""
    return bool(CUT_URL.search(previous.text.rstrip())) and bool(head) and (head[0].islower() or bool(re.search(r"[/#_=&%~]", head)))


def _starts_item(line: Line, previous: Line | None, last: Block | None, layout: Layout) -> bool:
    """A bullet glyph starts an item; a dash or a number only where it cannot be a wrapped line.

    A sentence may wrap just before a dash ("the tools we use\n– and the ones we
    build"): a dash line right under an unfinished paragraph line (no sentence
    punctuation, colon or semicolon), not indented, goes on. A number at the margin
    under a paragraph line is read as wrapped text even after a colon: run-in
    enumerations ("migration: 1. Full access ... 2. For ...") start lines by chance.
    """
    bullet = BULLET.match(line.text)
    if bullet and bullet[1] not in DASHES:
        return True
    if not bullet and not NUMBERED.match(line.text):
        return False
    wrapped = previous is not None and last is not None and last.kind == "paragraph" and _close(previous, line, layout)
    if bullet and wrapped:
        return bool(SENTENCE_END.search(previous.text.rstrip())) or line.x0 > previous.x0 + 1
    return not wrapped or line.x0 > previous.x0 + 1


def _drop_bullet(spans: list[Span]) -> list[Span]:
    """A bullet glyph is list syntax, not text; a list number is kept as text."""
    text = "".join(s.text for s in spans)
    bullet = BULLET.match(text)
    return _drop_prefix(spans, bullet.end()) if bullet else spans


def _demote_heading_runs(blocks: list[Block]) -> list[Block]:
    """Three or more short lines in a row are a list (e.g. of participants), not headings."""
    out = list(blocks)
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and out[end].kind == "heading":
            end += 1
        if end - start >= 3:
            for i in range(start + 1, end):
                out[i] = out[i].model_copy(update={"kind": "paragraph", "level": 0})
        start = end + 1
    return out


ENTRY_RUN = 4  # a directory's entries come many in a row; a report's sections have bodies of their own


def _demote_entry_runs(blocks: list[Block]) -> list[Block]:
    """Bold name lines each over one short line (an attendee or contact list: "Jane Roe" / "Port
    Authority, jane@port.org") are entries, not sections: they become bold paragraphs (all but the
    first, which may be the list's title, unless a heading stands right above the run or the line
    under it holds an e-mail address as an entry's does)."""
    out = list(blocks)
    entries = [i for i in range(len(out)) if _is_entry(out, i)]
    runs: list[list[int]] = []
    for i in entries:
        last = out[runs[-1][-1]] if runs else None
        same_list = last is not None and (out[i].level, out[i].source.page) == (last.level, last.source.page)
        if same_list and i - runs[-1][-1] <= 2:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) >= ENTRY_RUN:
            introduced = run[0] > 0 and out[run[0] - 1].kind == "heading" or _has_contact(out, run[0])  # else the first is the list's own title
            for i in run if introduced else run[1:]:
                bold = [inline.model_copy(update={"bold": True}) for inline in out[i].inlines]
                out[i] = out[i].model_copy(update={"kind": "paragraph", "level": 0, "inlines": bold})
    return out


def _is_entry(blocks: list[Block], index: int) -> bool:
    """A short heading with a single short block under it on its page, then another heading (or,
    where that block holds an e-mail address, anything: the list's last entry)."""
    block = blocks[index]
    if block.kind != "heading" or len(block.text.split()) > 6 or _section_depth(block.text):
        return False
    after = blocks[index + 1 : index + 3]
    if not after or after[0].kind != "paragraph" or len(after[0].text) > 120 or after[0].source.page != block.source.page:
        return False
    return len(after) == 1 or after[1].kind == "heading" or _has_contact(blocks, index)


def _has_contact(blocks: list[Block], index: int) -> bool:
    """The block under a heading holds an e-mail address: a directory entry's contact line."""
    return index + 1 < len(blocks) and bool(EMAIL.search(blocks[index + 1].text))


AGENDA_NUMBER = re.compile(r"^(\d{1,2})\.\s")
AGENDA_MIN = 3  # numbered lines 1, 2, 3 ... that hold the text between them


def _numbered_agenda_headings(blocks: list[Block]) -> list[Block]:
    """Short numbered lines at the margin ("1. Introductions", "2. Discussion"), numbered 1, 2, 3 ... in
    order, with no final punctuation, and flush-left paragraphs between most of them: the outline of
    notes that set their headings in body type. A numbered list's items are sentences, or run on
    one after another, or hold only indented (nested) lines."""
    run: list[int] = []
    for i in (i for i, b in enumerate(blocks) if _agenda_line(b)):
        if AGENDA_NUMBER.match(blocks[i].text)[1] != str(len(run) + 1):
            break  # 1, 2, 3 ... from the first
        run.append(i)
    gaps = [any(b.kind == "paragraph" for b in blocks[i + 1 : j]) for i, j in zip(run, run[1:] + [len(blocks)])]
    if len(run) < AGENDA_MIN or 2 * sum(gaps) < len(gaps):
        return blocks
    out = list(blocks)
    for i in run:
        out[i] = out[i].model_copy(update={"kind": "heading", "level": 1, "inlines": _plain(out[i].inlines)})
    return out


def _agenda_line(block: Block) -> bool:
    text = block.text.strip()
    return (
        block.kind == "item" and block.level == 0 and bool(AGENDA_NUMBER.match(text))
        and len(text.split()) <= 12 and not SENTENCE_END.search(text)
    )


def _split_run_in_headings(blocks: list[Block]) -> list[Block]:
    """A paragraph that opens with a section number and a bold or italic phrase ("5.1.1. Fit with
    related activities. The creation ...") starts with a run-in heading: the number and phrase
    become a heading (its depth the level), the rest stays a paragraph."""
    out: list[Block] = []
    for block in blocks:
        split = _run_in_end(block) if block.kind == "paragraph" else None
        if split is None:
            out.append(block)
            continue
        head, rest = _split_inlines(block.inlines, split)
        level = min(_section_depth(block.text), 4)
        out.append(block.model_copy(update={"kind": "heading", "level": level, "inlines": _plain(head)}))
        if rest:
            out.append(block.model_copy(update={"inlines": rest}))
    return out


def _run_in_end(block: Block) -> int | None:
    """Where a numbered paragraph's styled opening phrase ends, or None if it has none."""
    number = SECTION_NUMBER.match(block.text)
    if not number:
        return None
    position, styled, end = 0, False, None
    for inline in block.inlines:
        start, position = position, position + len(inline.text)
        if position <= number.end() or not inline.text.strip():
            continue
        if inline.bold or inline.italic:
            styled, end = True, position
        elif styled or any(ch.isalpha() for ch in inline.text[max(0, number.end() - start) :]):
            break
    if not styled:
        return None
    phrase = block.text[number.end() : end].strip()
    whole = not block.text[end:].strip()
    if not any(ch.isalpha() for ch in phrase) or len(phrase.split()) > 20:
        return None
    return end if whole or re.search(r"[.:?!]$", phrase) else None


def _split_inlines(inlines: list[Inline], at: int) -> tuple[list[Inline], list[Inline]]:
    """The inlines before and after a character offset of their text (each side stripped)."""
    head: list[Inline] = []
    tail: list[Inline] = []
    position = 0
    for inline in inlines:
        cut = at - position
        position += len(inline.text)
        if cut >= len(inline.text):
            head.append(inline)
        elif cut <= 0:
            tail.append(inline)
        else:
            head.append(inline.model_copy(update={"text": inline.text[:cut]}))
            tail.append(inline.model_copy(update={"text": inline.text[cut:]}))
    return _stripped(head), _stripped(tail)


def _stripped(inlines: list[Inline]) -> list[Inline]:
    """Without the blank at either end, nor empty inlines."""
    out = [i for i in inlines if i.note is not None or i.text]
    if out and out[0].note is None:
        out[0] = out[0].model_copy(update={"text": out[0].text.lstrip()})
    if out and out[-1].note is None:
        out[-1] = out[-1].model_copy(update={"text": out[-1].text.rstrip()})
    return [i for i in out if i.note is not None or i.text]


def _looks_like_heading(text: str) -> bool:
    """A short line with no sentence-ending punctuation, starting with a capital."""
    words = text.split()
    return 0 < len(words) <= 14 and text[:1].isupper() and not SENTENCE_END.search(text.strip()) and not text.strip().endswith(",")


def _level(rank: float, layout: Layout, text: str = "") -> int:
    """A numbered heading's depth is its level ("6.1.1" is 3); otherwise its size relative to the body."""
    depth = _section_depth(text)
    if depth:
        return min(depth, 4)
    ratio = rank / layout.body_size if layout.body_size else 1
    if ratio >= 1.2:
        return 1
    if ratio >= 1.08:
        return 2
    return 3


def _wraps_heading(previous: Line, line: Line, layout: Layout) -> bool:
    """The next line of a heading: same size, no more than a line and a half of its own type below,
    and not numbered as a heading of its own."""
    scale = max(1.0, line.size / layout.body_size) if layout.body_size else 1.0
    close = 0 < line.top - previous.top <= 1.45 * layout.pitch * scale
    return close and previous.size == line.size and not _opens_section(line.text.strip())


def _close(previous: Line, line: Line, layout: Layout) -> bool:
    """The next line of the same block: no more than a line and a half below."""
    return 0 < line.top - previous.top <= 1.45 * layout.pitch


def _continues(last: Block | None, line: Line) -> bool:
    """After a page or column break: the block goes on unless it had ended."""
    if last is None or last.kind not in ("paragraph", "item"):
        return False
    text = line.text.strip()
    if BULLET.match(text) or NUMBERED.match(text) or _opens_section(text):
        return False
    return not SENTENCE_END.search(last.text.rstrip()) or text[:1].islower()


def _extend(block: Block, inlines: list[Inline], page: int) -> Block:
    """The block with a following line joined; a line from a later page records where that page starts."""
    merged = list(block.inlines)
    _append_text(merged, inlines)
    update: dict = {"inlines": merged}
    if page > block.last_page:
        added = "".join(i.text for i in inlines).lstrip()
        offset = len("".join(i.text for i in merged)) - len(added)
        update["page_breaks"] = [*block.page_breaks, PageBreak(offset=offset, page=page)]
    return block.model_copy(update=update)


def _append_text(into: list[Inline], more: list[Inline]) -> None:
    """Join a following line: drop a line-end hyphen inside a word, else add a space."""
    if not more:
        return
    if into and into[-1].note is None:
        tail = into[-1].text.rstrip()
        head = more[0].text.lstrip()
        # a hyphen at the end of code is the code's own ("--verbose", "my-tool")
        joint = "-" if into[-1].monospace and tail.endswith("-") else _line_end_hyphen(tail, head)
        if joint is not None:
            into[-1] = into[-1].model_copy(update={"text": tail[:-1] + joint})
            more = [more[0].model_copy(update={"text": head})] + more[1:]
        elif not tail.endswith(" "):
            into[-1] = into[-1].model_copy(update={"text": tail + " "})
    elif into:
        into.append(Inline(text=" "))
    for inline in more:
        _push(into, inline)


def _style(inline: Inline) -> tuple[bool, bool, bool, bool]:
    return inline.bold, inline.italic, inline.superscript, inline.monospace


def _line_end_hyphen(tail: str, head: str) -> str | None:
    """How a word broken at a line-end hyphen is rejoined: "" (hyphen dropped), "-" (kept), or None.

    "recom-/mendations" joins; "South-/South" and "non-/governmental" keep their hyphen:
    a capital after the break, or two real words whose joined form is rarer, mean
    the hyphen belongs to the word.
    """
    broken = re.search(r"([^\W\d_]+)-$", tail)
    if broken is None or not head[:1].isalpha():
        return None
    second = re.match(r"[^\W\d_]+", head)
    if head[:1].isupper() or second is None:
        return "-"
    first, rest = broken[1].lower(), second[0].lower()
    joined = zipf_frequency(first + rest, "en")
    if joined >= 3.0 or zipf_frequency(rest, "en") < 3.0:
        return ""
    return "-" if zipf_frequency(first, "en") >= 3.0 or joined == 0 else ""


def _push(into: list[Inline], inline: Inline) -> None:
    last = into[-1] if into else None
    if last is not None and last.note is None and inline.note is None and _style(last) == _style(inline):
        into[-1] = last.model_copy(update={"text": last.text + inline.text})
    else:
        into.append(inline)


def _plain(inlines: list[Inline]) -> list[Inline]:
    """A heading's weight and slant belong to its style, not its text."""
    merged: list[Inline] = []
    for inline in inlines:
        _push(merged, inline.model_copy(update={"bold": False, "italic": False}))
    return merged


def _inlines(spans: list[Span]) -> list[Inline]:
    """Spans to inlines; raised marker-like spans become footnote references.

    A raised digit right after "70." is the number's last digit set on a jittery
    baseline, never a marker.
    """
    out: list[Inline] = []
    for span in spans:
        inside_number = bool(out) and out[-1].note is None and bool(re.search(r"\d[.,]$", out[-1].text))
        marker = MARKER_TEXT.match(span.text) if span.rise > 0 and not inside_number else None
        if marker:
            out.append(Inline(note=marker[1]))
            if span.text.endswith(" "):
                _push(out, Inline(text=" "))
        elif span.text:
            _push(out, Inline(text=span.text, bold=span.bold, italic=span.italic, monospace=span.monospace))
    return _stripped(out)


# --- pass 4: link markers and bodies -----------------------------------------------------


def _link_notes(state: _State, bare_markers: bool) -> list[Footnote]:
    """Pair each marker in the text with a body: same marker, nearest page at or after it.

    Bare numbers are read as markers only in text sources, which have no typography;
    in a PDF a marker must be raised or smaller.
    """
    bodies = {i: note for i, note in enumerate(state.notes)}
    by_marker: dict[str, list[int]] = {}
    for i, note in bodies.items():
        by_marker.setdefault(note.marker, []).append(i)
    if bare_markers:
        state.blocks = _find_bare_markers(state.blocks, by_marker, bodies)
    assigned = _assign_bodies(state.blocks, by_marker, bodies)
    used = set(assigned.values())
    linked_markers = {bodies[i].marker for i in used}
    footnotes: list[Footnote] = []
    ids: Counter[str] = Counter()
    blocks = []
    last_number = 0  # the last numbered marker linked, to tell a missing note from a power
    for block_index, block in enumerate(state.blocks):
        inlines = []
        for inline_index, inline in enumerate(block.inlines):
            if inline.note is None:
                inlines.append(inline)
                continue
            match = assigned.get((block_index, inline_index))
            if match is None and (inline.note in linked_markers or not _expects_body(inline.note, bodies, last_number)):
                # a raised character that is no note marker (an affiliation, a power, the
                # same number as a marker that has its note): keep it as text
                inlines.append(Inline(text=inline.note, superscript=True))
                state.issues.append(Issue(stage="clean", kind="superscript-kept", message=f"raised {inline.note!r} on page {block.source.page} matches no note; kept as a superscript", page=block.source.page))
                continue
            note_id = _unique_id(inline.note, ids)
            if match is None:
                state.issues.append(Issue(stage="clean", kind="unpaired-marker", message=f"marker {inline.note} on page {block.source.page} has no note text", page=block.source.page))
                body = [Inline(text=f"(The source has no text for note {inline.note}.)")]
                footnotes.append(Footnote(id=note_id, marker=inline.note, inlines=body, source=block.source, status="no-body"))
            else:
                note = bodies[match]
                last_number = int(inline.note) if inline.note.isdigit() else last_number
                footnotes.append(Footnote(id=note_id, marker=inline.note, inlines=note.inlines, source=SourceRef(page=note.page)))
            inlines.append(Inline(note=note_id))
        blocks.append(block.model_copy(update={"inlines": inlines}))
    state.blocks = blocks
    for i, note in bodies.items():
        if i not in used:
            state.issues.append(Issue(stage="clean", kind="unpaired-note", message=f"note {note.marker or '(no marker)'} on page {note.page} has no marker in the text", page=note.page))
            footnotes.append(Footnote(id=_unique_id(note.marker or "note", ids), marker=note.marker, inlines=note.inlines, source=SourceRef(page=note.page), status="no-marker"))
    return footnotes


def _expects_body(marker: str, bodies: dict[int, _Note], last_number: int) -> bool:
    """A marker whose note is missing: the next number in the notes' sequence, below their last."""
    numbers = [int(n.marker) for n in bodies.values() if n.marker.isdigit()]
    return marker.isdigit() and bool(numbers) and int(marker) == last_number + 1 <= max(numbers)


def _unique_id(marker: str, ids: Counter[str]) -> str:
    ids[marker] += 1
    return marker if ids[marker] == 1 else f"{marker}-{ids[marker]}"


def _assign_bodies(blocks: list[Block], by_marker: dict[str, list[int]], bodies: dict) -> dict[tuple[int, int], int]:
    """Which body each marker gets: (block, inline) -> body index.

    A note's body sits on its marker's page (or, carried over, the next), so markers
    are paired in passes of growing page distance: a same-page pair is never lost to
    an earlier marker of the same number (an author's affiliation "1" on the title
    page does not take note 1 of page 2 from its real marker).
    """
    markers = [
        ((b, i), inline.note, block.source.page)
        for b, block in enumerate(blocks)
        for i, inline in enumerate(block.inlines)
        if inline.note is not None
    ]
    assigned: dict[tuple[int, int], int] = {}
    used: set[int] = set()
    for distance in (0, 1, None):
        for key, marker, page in markers:
            if key in assigned:
                continue
            candidates = [i for i in by_marker.get(marker, []) if i not in used]
            if distance is not None:
                candidates = [i for i in candidates if bodies[i].page - page == distance]
            if candidates:
                best = min(candidates, key=lambda i: (bodies[i].page < page, abs(bodies[i].page - page)))
                assigned[key] = best
                used.add(best)
    return assigned


def _find_bare_markers(blocks: list[Block], by_marker: dict[str, list[int]], bodies: dict) -> list[Block]:
    """Digits that lost their superscript ('healthcare. 8'): a number a little past the last
    marker (notes may be missing) or a restart at 1, with a body of that number on the
    same or the next page.

    Digits inside a number ("70.9", "2.1") are never markers.
    """
    last = 0
    out = []
    for block in blocks:
        inlines: list[Inline] = []
        for inline in block.inlines:
            if inline.note is not None:
                last = int(inline.note) if inline.note.isdigit() else last
                inlines.append(inline)
                continue
            position = 0
            for match in BARE_MARKER.finditer(inline.text) if block.kind in ("paragraph", "item") else ():
                number = int(match[1])
                inside_number = re.search(r"\d[.,:]?$", inline.text[: match.start()])
                near = any(0 <= bodies[i].page - block.source.page <= 1 for i in by_marker.get(match[1], []))
                if inside_number or not near or not (last < number <= last + 3 or number == 1):
                    continue
                inlines.append(inline.model_copy(update={"text": inline.text[position : match.start()]}))
                inlines.append(Inline(note=match[1]))
                position, last = match.end(), number
            inlines.append(inline.model_copy(update={"text": inline.text[position:]}))
        out.append(block.model_copy(update={"inlines": [i for i in inlines if i.note is not None or i.text]}))
    return out


# --- conservation check ------------------------------------------------------------------


def _words(text: str) -> Counter[str]:
    return Counter(w for w in re.findall(r"\w+", text.lower()))


def _rejoined(lines: list[Line]) -> str:
    """A page's words, with words broken at line ends rejoined the way the blocks join them."""
    text = ""
    for line in lines:
        piece = " ".join(span.text for span in line.spans).strip()
        joint = _line_end_hyphen(text, piece) if text else None
        text = text[:-1] + joint + piece if joint is not None else f"{text}\n{piece}"
    return text


def _check_conservation(pages: list[Page], state: _State, footnotes: list[Footnote]) -> None:
    """Every word of the source ends up once in the body, a note or the furniture."""
    source = Counter[str]()
    for page in pages:
        source += _words(_rejoined(page.lines))
        for table in page.tables:
            source += _words(" ".join(" ".join(row) for row in table.rows))
    result = Counter[str]()
    for block in state.blocks:
        result += _words(block.text + " " + " ".join(" ".join(r) for r in block.rows))
    for note in footnotes:
        marker = _words(note.marker)
        if note.status != "no-marker":  # its marker stood in the running text
            result += marker
        if note.status != "no-body":  # its body, with its own marker, came from the source
            result += _words(note.text) + marker
    for item in state.furniture:
        result += _words(item.text)
    lost = source - result
    added = result - source
    if lost or added:
        state.issues.append(
            Issue(
                stage="clean",
                kind="conservation",
                message=f"words lost: {dict(lost.most_common(8))}; words added: {dict(added.most_common(8))}",
            )
        )


def page_size(pages: list[Page]) -> dict[str, str]:
    """The source's usual page size in points ({"page_width", "page_height"}), for the outputs' page set-up."""
    sizes = Counter((round(p.width), round(p.height)) for p in pages if p.width and p.height)
    if not sizes:
        return {}
    width, height = max(sizes, key=lambda size: (sizes[size], size))
    return {"page_width": str(width), "page_height": str(height)}
