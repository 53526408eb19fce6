"""PDF pages to layout facts, from pdfplumber's character-level data.

Characters are grouped into lines by baseline, lines into spans by font, size and
rise; tables found by pdfplumber's ruling-line detector are lifted out as tables.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from itertools import groupby
from pathlib import Path

import pdfplumber
from pdfplumber.page import Page as PlumberPage
from pdfplumber.table import Table as PlumberTable

from tasks.extract.glyphs import clean_text, compose_accents, repair_dash_digits, text_issues
from tasks.model import Issue, Line, Page, Rule, Span, Table

# A character belongs to a line when its baseline is within this share of the
# line's font size; superscripts sit higher and are caught by vertical overlap.
BASELINE_TOLERANCE = 0.25
# Word spaces from character gaps, in shares of the font size (em). Kerning moves
# letters by a few hundredths of an em; a tightly justified word space can shrink to
# ~0.15 em, so without space characters a gap over 0.12 em is a space. A producer
# that writes space characters is trusted for those, and only gaps over 0.2 em add more.
WORD_GAP = 0.12
WORD_GAP_WITH_SPACES = 0.2
# A letter-spaced line ("I n t r o d u c t i o n") has most of its letters apart;
# there, a word space is a gap clearly wider than the usual letter gap.
LETTER_SPACED_SHARE = 0.5
LETTER_SPACING_MAX = 0.5  # wider "letter gaps" are labels set apart (a chart's axis), not letter-spacing
# Some producers write a space after every letter of a letter-spaced line: most "words" are then
# one letter, and only the gaps can say where the real words end.
LETTER_SPACED_MIN_LETTERS = 6
LETTER_SPACED_SHARE_WITH_SPACES = 0.7
# A subset font whose text map is broken may give its space glyph the code of a mark ("PHASE!FIELD",
# "Olle'Heinonen"): a font with no space character, where one mark is this common a share of its
# characters and often touches the next word's first letter (a real mark is followed by a space), draws spaces with that mark.
# Marks that join the parts of one token (URLs, numbers, compounds: "wssspe.org/x", "(1)") touch
# letters by nature and are never taken for spaces.
MISMAPPED_SPACE_SHARE = 0.08
MISMAPPED_SPACE_MIN = 3
TOKEN_JOINERS = set("./-_:@()[]{},&+=#%~*\\|<>$")


def page_count(path: Path, password: str = "") -> int:
    with pdfplumber.open(path, password=password) as pdf:
        return len(pdf.pages)


def page_fingerprints(path: Path, password: str = "") -> list[str]:
    """A content hash per page: its drawing streams, size and font names.

    Cheap (no layout analysis), so a changed page can be found without parsing it.
    """
    fingerprints = []
    with pdfplumber.open(path, password=password) as pdf:
        for page in pdf.pages:
            digest = hashlib.sha256(repr((page.width, page.height)).encode())
            for stream in _streams(page.page_obj.contents):
                digest.update(stream.get_data())
            resources = page.page_obj.resources if isinstance(page.page_obj.resources, dict) else {}
            fonts = _resolve(resources.get("Font")) or {}
            digest.update(repr(sorted(fonts.items(), key=str) if isinstance(fonts, dict) else fonts).encode())
            fingerprints.append(digest.hexdigest())
    return fingerprints


def _streams(contents):
    for item in contents or []:
        item = _resolve(item)
        if isinstance(item, list):
            yield from _streams(item)
        elif hasattr(item, "get_data"):
            yield item


def _resolve(obj):
    from pdfminer.pdftypes import resolve1

    return resolve1(obj)


def extract_pdf_page(path: Path, number: int, password: str = "") -> Page:
    """Layout facts of one page (1-based `number`)."""
    with pdfplumber.open(path, password=password) as pdf:
        return read_page(pdf.pages[number - 1])


def read_page(page: PlumberPage) -> Page:
    upright = repair_dash_digits(page, [{**c, "text": clean_text(c["text"])} for c in page.chars if c.get("upright", True)])
    ruled = [_ruled_table(t, upright) for t in page.find_tables() if _is_grid(t.extract())]
    spilled = {id(c) for _, run in ruled for c in run}
    chars = [c for c in upright if c["text"] and id(c) not in spilled and not any(_centred_in(c, t.bbox) for t, _ in ruled)]
    chars = _with_mismapped_spaces(chars)
    aligned = aligned_tables(chars)
    chars = [c for c in chars if not any(_within(c, box) for _, box in aligned)]
    fixed = _monospaced_fonts(chars)
    chars = [{**c, "monospace": c["fontname"] in fixed} for c in chars]
    return Page(
        number=page.page_number,
        width=float(page.width),
        height=float(page.height),
        lines=[_line(group) for group in _merge_superscripts(reading_order(_group_lines(chars), float(page.width)))
               if not all(c["text"].isspace() for c in group)],  # a row of spaces is no line: only a gap
        rules=_rules(page),
        tables=sorted(
            [
                Table(rows=rows, top=float(t.bbox[1]), bottom=float(t.bbox[3]), size=_usual_size([c for c in upright if _centred_in(c, t.bbox)]))
                for t, rows in ((t, _rows_with(t, run)) for t, run in ruled)
            ]
            + [table for table, _ in aligned],
            key=lambda t: t.top,
        ),
        issues=text_issues("".join(c["text"] for c in page.chars), page.page_number) + _rotated(page),
    )


def _with_mismapped_spaces(chars: list[dict]) -> list[dict]:
    """Characters with a mismapped space glyph written back as spaces (MISMAPPED_SPACE_SHARE); the
    producer that broke one subset font's map broke its others alike, so the mark found in one font
    is a space in every font of the page that has no space character."""
    spaced_fonts = {c["fontname"] for c in chars if c["text"] == " "}
    marks = _mismapped_spaces(chars, spaced_fonts)
    return [{**c, "text": " "} if c["text"] in marks and c["fontname"] not in spaced_fonts else c for c in chars]


def _mismapped_spaces(chars: list[dict], spaced_fonts: set[str]) -> set[str]:
    by_font = Counter(c["fontname"] for c in chars)
    marks = Counter(
        (c["fontname"], c["text"])
        for c in chars
        if len(c["text"]) == 1 and not c["text"].isalnum() and c["text"] not in TOKEN_JOINERS | {" "}
    )
    before_word = Counter(
        (a["fontname"], a["text"])
        for a, b in zip(chars, chars[1:])
        if b["text"][:1].isalnum() and abs(b["x0"] - a["x1"]) < 0.1 * a["size"] and abs(b["top"] - a["top"]) < 0.5 * a["size"]
    )
    return {
        text
        for (font, text), count in marks.items()
        if font not in spaced_fonts
        and count >= MISMAPPED_SPACE_MIN
        and count >= MISMAPPED_SPACE_SHARE * by_font[font]
        and before_word[font, text] * 4 >= count
    }


# --- tables without rules: columns of text aligned over several rows ---------------------

# A cell gap, in em of the line's type: wider than a word space. Justified text may stretch a
# space near it, so a gap alone proves nothing: the evidence is in aligned_tables.
CELL_GAP = 1.0
TABLE_MIN_ROWS = 3  # rows with two or more filled cells; fewer is a coincidence of layout
# A cell that is not the last of its row fills less than this share of its column's pitch in
# most rows: a page column of prose fills its width, a table's short cells do not.
CELL_FILL_MAX = 0.65
LABEL_WORDS = 4  # a first column's usual cell of this many words or fewer is a label (a time, a name)
ALIGN_TOLERANCE = 3.0  # points: how far two cell starts may differ and be one column's
# A list's numbers, letters and bullets (any symbol, also a Symbol font's private-use glyphs).
LIST_MARKER = re.compile(r"[\(\[]?(?:\d{1,3}|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)[\.\)\]:]?|[^\w\s]{1,2}")


def aligned_tables(chars: list[dict]) -> list[tuple[Table, tuple]]:
    """Tables drawn without rules: runs of lines whose text stands in aligned columns.

    Evidence that a region is a table, not a list or a page of columns: at least
    TABLE_MIN_ROWS lines split by a wide gap at the same column starts, and they are most of
    the lines that start a row (page columns rarely share baselines); cells that leave most
    of their column empty (or a first column of short labels); a first column that is not
    only list markers and whose cells do not read as prose (lower-case words). A line
    with text only in a later column is a wrapped cell of the row above. Returns each table
    with its box, whose characters are then left out of the running text.
    """
    lines = [cells for cells in (_cells_of(sorted(line, key=lambda c: c["x0"])) for line in _group_lines(chars)) if cells]
    tables, start = [], 0
    while start < len(lines):
        run, columns = _aligned_run(lines, start)
        table = _table_from(run, columns) if columns else None
        if table is not None:
            tables.append(table)
            start += len(run)
        else:
            start += 1
    return tables


def _cells_of(line: list[dict]) -> list[dict]:
    """A line's stretches of text apart by more than CELL_GAP em, each with its text and box."""
    runs: list[list[dict]] = []
    for char in (c for c in line if c["text"].strip()):  # space characters may fill a gap between cells
        if runs and char["x0"] - runs[-1][-1]["x1"] <= CELL_GAP * char["size"]:
            runs[-1].append(char)
        else:
            runs.append([char])
    return [cell for cell in map(_cell, runs) if cell["text"]]


def _cell(chars: list[dict]) -> dict:
    return {
        "x0": chars[0]["x0"],
        "x1": max(c["x1"] for c in chars),
        "top": min(c["top"] for c in chars),
        "bottom": max(c["bottom"] for c in chars),
        "size": max(c["size"] for c in chars),
        "text": _line(chars).text.strip(),
        "chars": chars,
    }


def _split_at_columns(line: list[dict], columns: list[float]) -> list[dict]:
    """Cells that run over a column start split there, where a word starts on it after a word space
    (a long name leaves a narrower gap before the next column than CELL_GAP)."""
    cells = []
    for cell in line:
        run: list[dict] = []
        for char in cell["chars"]:
            gap = char["x0"] - run[-1]["x1"] if run else 0.0
            if run and gap > WORD_GAP_WITH_SPACES * char["size"] and _column_at(columns, char["x0"]) is not None:
                cells.append(_cell(run))
                run = []
            run.append(char)
        cells.append(_cell(run))
    return [c for c in cells if c["text"]]


def _aligned_run(lines: list[list[dict]], start: int) -> tuple[list[list[dict]], list[float]]:
    """From a line of two or more cells: the lines that go on in its columns, and the column starts."""
    if len(lines[start]) < 2:
        return [lines[start]], []
    columns = [cell["x0"] for cell in lines[start]]
    run = [lines[start]]
    for index in range(start + 1, len(lines)):
        line = _split_at_columns(lines[index], columns)
        starts = [_column_at(columns, cell["x0"]) for cell in line]
        if not _goes_on(line, starts, run[-1], columns) and not _centred([run[-1], line, *lines[index + 1 : index + 3]], 2, columns):
            break
        columns = sorted(columns + [cell["x0"] for cell, at in zip(line, starts) if at is None])
        run.append(line)
    return run, columns


def _goes_on(line: list[dict], starts: list[int | None], above: list[dict], columns: list[float]) -> bool:
    """Whether a line is one more row of the table (or a wrapped cell of the row above)."""
    gap = line[0]["top"] - max(c["bottom"] for c in above)
    size = line[0]["size"]
    if gap > 2.5 * size or line[0]["x0"] < columns[0] - ALIGN_TOLERANCE:
        return False  # two blank lines, or text left of the table
    if len(line) == 1 and starts[0] != 0:  # a wrapped cell sits close under its row; set apart, it is a heading
        return starts[0] is not None and gap <= 0.8 * size
    if len(line) > 1 and starts[0] != 0:
        return False
    # a line running across a column start is prose
    return not any(at is not None and at + 1 < len(columns) and cell["x1"] > columns[at + 1] for cell, at in zip(line, starts))


def _centred(lines: list[list[dict]], index: int, columns: list[float]) -> bool:
    """A first-column cell set midway between the lines of its row's other cells (a cell centred
    vertically: a programme's time beside a title line and a speaker line, or beside the middle
    one of three lines). Beside a middle line, the row must stand apart from the line above it:
    evenly spaced rows of two-line cells put every first cell midway too."""
    if not 0 < index < len(lines) - 1 or _column_at(columns, lines[index][0]["x0"]) != 0:
        return False
    above, below = lines[index - 1], lines[index + 1]
    if any(c["x0"] < columns[0] + ALIGN_TOLERANCE for c in above + below):
        return False
    size = lines[index][0]["size"]
    if len(lines[index]) > 1 and (index < 2 or _gap(lines[index - 2], above) < _gap(above, lines[index]) + 0.5 * size):
        return False
    middle = lambda line: (min(c["top"] for c in line) + max(c["bottom"] for c in line)) / 2  # noqa: E731
    return abs(middle(lines[index][:1]) - (middle(above) + middle(below)) / 2) <= 0.3 * size


def _gap(upper: list[dict], lower: list[dict]) -> float:
    return min(c["top"] for c in lower) - max(c["bottom"] for c in upper)


def _join_wrapped(above: str, below: str) -> str:
    """A cell's next line, after a line break (a programme's title line, then its speaker line);
    after a line-end hyphen the word goes on ("Urbana-" + "Champaign")."""
    if not above or not below:
        return above or below
    return f"{above}{below}" if above.endswith("-") else f"{above}\n{below}"


def _column_at(columns: list[float], x: float) -> int | None:
    return next((i for i, start in enumerate(columns) if abs(start - x) <= ALIGN_TOLERANCE), None)


def _table_from(lines: list[list[dict]], columns: list[float]) -> tuple[Table, tuple] | None:
    """The rows of a run of aligned lines, or None when the evidence of a table is missing."""
    rows: list[list[str]] = []
    fills: list[float] = []
    centred = [_centred(lines, index, columns) for index in range(len(lines))]
    for index, line in enumerate(lines):
        cells = [""] * len(columns)
        for cell in line:
            at = max(i for i, start in enumerate(columns) if start <= cell["x0"] + ALIGN_TOLERANCE)
            cells[at] = f"{cells[at]} {cell['text']}".strip()
            if at + 1 < len(columns):
                fills.append((cell["x1"] - cell["x0"]) / (columns[at + 1] - columns[at]))
        opens_centred = index + 1 < len(lines) and centred[index + 1]  # the line above a centred cell opens its row
        if not rows or opens_centred or cells[0] and not centred[index]:
            rows.append(cells)
        else:  # a wrapped cell, or a centred one
            rows[-1] = [_join_wrapped(a, b) for a, b in zip(rows[-1], cells)]
    starting = [index for index, line in enumerate(lines) if _column_at(columns, line[0]["x0"]) == 0]
    full = sum(len(lines[index]) >= 2 or centred[index] for index in starting)
    starting = [lines[index] for index in starting]
    markers = sum(bool(LIST_MARKER.fullmatch(line[0]["text"])) for line in starting)
    prose = sum(_reads_as_prose(line[0]["text"]) for line in starting)
    if full < TABLE_MIN_ROWS or 3 * full < 2 * len(starting) or 2 * markers >= len(starting) or 3 * prose > len(starting):
        return None
    words = sorted(sum(any(ch.isalnum() for ch in word) for word in line[0]["text"].split()) for line in starting)
    if sorted(fills)[len(fills) // 2] > CELL_FILL_MAX and words[len(words) // 2] > LABEL_WORDS:
        return None  # a column of prose fills its width; a narrow column of short labels may too
    cells = [cell for line in lines for cell in line]
    box = (min(c["x0"] for c in cells), min(c["top"] for c in cells), max(c["x1"] for c in cells), max(c["bottom"] for c in cells))
    rows = [["\n".join(_clean_cell(line) for line in cell.split("\n")) for cell in row] for row in rows]
    return Table(rows=rows, top=float(box[1]), bottom=float(box[3]), size=_usual_size([c for cell in cells for c in cell["chars"]])), box


def _reads_as_prose(text: str) -> bool:
    """A line of running text starts in lower case or holds lower-case words ("Rivers carry silt");
    a table's first cells are names, times and labels ("Jordan Adams", "10.00 AM", "Jakob van Dijk")."""
    return text[:1].islower() or sum(word[:1].islower() for word in text.split()) >= 2


def _ruled_table(table: PlumberTable, chars: list[dict]) -> tuple[PlumberTable, list[dict]]:
    """The table with the characters that run on past its right rule: a long e-mail address or
    URL in the last column is printed whole though the rule cuts it, and must be read whole."""
    right = table.bbox[2]
    run_on = []
    for row in table.rows:
        beyond = sorted((c for c in chars if c["x1"] > right and _on_row(c, row)), key=lambda c: (round(c["top"]), c["x0"]))
        last_line = max((round(c["top"]) for c in chars if _within(c, row.bbox)), default=None)
        run_on += _touching_run([c for c in beyond if round(c["top"]) == last_line], right)
    return table, run_on


def _touching_run(line: list[dict], right: float) -> list[dict]:
    """The characters past `right` in the run of touching letters that crosses it (or starts on it)."""
    run, edge = [], None
    for char in line:
        if edge is None:
            if char["x0"] > right + 1:
                return []
            edge = char["x0"]
        if char["x0"] - edge > 0.5:
            break
        edge = char["x1"]
        if (char["x0"] + char["x1"]) / 2 > right:
            run.append(char)
    return run


def _rows_with(table: PlumberTable, run_on: list[dict]) -> list[list[str]]:
    """The table's rows, each last cell with the text that ran on past the rule on its row."""
    rows = [[_clean_cell(cell) for cell in row] for row in table.extract()]
    for cells, row in zip(rows, table.rows):
        extra = "".join(c["text"] for c in run_on if _on_row(c, row))
        if cells and extra:
            cells[-1] += extra
    return rows


def _usual_size(chars: list[dict]) -> float:
    sizes = Counter(c["size"] for c in chars)
    return float(sizes.most_common(1)[0][0]) if sizes else 0.0


def _on_row(char: dict, row) -> bool:
    return row.bbox[1] <= (char["top"] + char["bottom"]) / 2 <= row.bbox[3]


def _is_grid(rows: list[list[str | None]]) -> bool:
    """Ruling lines that hold a table: two or more rows with two or more filled cells. A frame
    drawn round a page or a text box holds one cell of text, which is read as text."""
    return sum(sum(bool((cell or "").strip()) for cell in row) >= 2 for row in rows) >= 2


def _rotated(page: PlumberPage) -> list[Issue]:
    """Text set sideways (an arXiv stamp, a margin label) is left out of the reading; say what it was."""
    text = "".join(c["text"] for c in page.chars if not c.get("upright", True)).strip()
    if not text:
        return []
    return [Issue(stage="extract", kind="rotated-text", message=f"sideways text left out on page {page.page_number}: {clean_text(text)[:200]}", page=page.page_number)]


def _within(char: dict, box: tuple) -> bool:
    x0, top, x1, bottom = box
    return x0 <= char["x0"] and char["x1"] <= x1 and top <= char["top"] and char["bottom"] <= bottom


def _centred_in(char: dict, box: tuple) -> bool:
    """pdfplumber puts a character in the cell that holds its centre, even when it crosses the rule."""
    x0, top, x1, bottom = box
    return x0 <= (char["x0"] + char["x1"]) / 2 <= x1 and top <= (char["top"] + char["bottom"]) / 2 <= bottom


def _clean_cell(cell: str | None) -> str:
    return " ".join(clean_text(cell or "").split())


def _group_lines(chars: list[dict]) -> list[list[dict]]:
    """Cluster characters into lines by baseline (superscripts are merged after column split)."""
    lines: list[list[dict]] = []
    largest: dict | None = None  # the current line's largest character, its baseline reference
    for char in sorted(chars, key=lambda c: (round(c["bottom"], 1), c["x0"])):
        if largest is not None and abs(char["bottom"] - largest["bottom"]) <= BASELINE_TOLERANCE * largest["size"]:
            lines[-1].append(char)
            largest = char if char["size"] > largest["size"] else largest
        else:
            lines.append([char])
            largest = char
    return lines


def reading_order(lines: list[list[dict]], width: float) -> list[list[dict]]:
    """Lines in reading order: on a page of columns, each band's columns left to right.

    Full-width lines (titles, wide figures) cut the page into bands; between them,
    the lines are split at the gutters, so no line of one column sits between two
    lines of another.
    """
    segments = [_segments(line) for line in lines]
    gutters = _gutters(lines, segments, width)
    if not gutters:
        return lines
    ordered: list[list[dict]] = []
    columns: list[list[list[dict]]] = [[] for _ in range(len(gutters) + 1)]
    for line, runs in zip(lines, segments):
        if any(_covers(runs, gutter) for gutter in gutters):
            ordered += [part for column in columns for part in column] + [line]
            columns = [[] for _ in range(len(gutters) + 1)]
            continue
        for index, column in enumerate(columns):
            low = gutters[index - 1] if index else -math.inf
            high = gutters[index] if index < len(gutters) else math.inf
            part = [c for c in line if low < c["x1"] <= high]
            if part:
                column.append(part)
    return ordered + [part for column in columns for part in column]


def _segments(line: list[dict]) -> list[tuple[float, float]]:
    """The stretches of a line with no gap wider than a word space (0.8 em: justified text stays under it).
    Space characters are no stretch: some producers fill the gap between two columns with them."""
    limit = 0.8 * max(c["size"] for c in line)
    runs: list[list[float]] = []
    for char in sorted((c for c in line if not c["text"].isspace()), key=lambda c: c["x0"]):
        if runs and char["x0"] - runs[-1][1] < limit:
            runs[-1][1] = max(runs[-1][1], char["x1"])
        else:
            runs.append([char["x0"], char["x1"]])
    return [(x0, x1) for x0, x1 in runs]


def _covers(runs: list[tuple[float, float]], x: float) -> bool:
    return any(x0 < x < x1 for x0, x1 in runs)


def _gutters(lines: list[list[dict]], segments: list[list[tuple[float, float]]], width: float) -> list[float]:
    """The x of each column gutter, if the page has two or three columns of text.

    A gutter is crossed by few lines of running-text type (tiny text in figures runs
    anywhere); each column it makes must hold lines that fill it, which a table's
    short cells do not. Counted with one pass over each line's stretches.
    """
    sizes = Counter(round(c["size"], 1) for line in lines for c in line)
    if not sizes:
        return []
    body = sizes.most_common(1)[0][0]
    typeset = [(line, runs) for line, runs in zip(lines, segments) if runs and max(c["size"] for c in line) >= 0.8 * body]
    text = [runs for _, runs in typeset]
    low, high = int(0.2 * width), int(0.8 * width)
    if not text or high <= low:
        return []
    crossing = [0] * (high - low)
    for runs in text:
        for x0, x1 in runs:
            for x in range(max(low, math.floor(x0) + 1), min(high, math.ceil(x1))):
                crossing[x - low] += 1
    left, right = min(runs[0][0] for runs in text), max(runs[-1][1] for runs in text)
    for count in (3, 2):  # the most columns the page supports
        gutters = _best_gutters(crossing, low, (left, right), count, len(text))
        if gutters and (_columns_filled(text, gutters, width) or count == 2 and _lists_side_by_side(typeset, gutters[0])):
            return gutters
    return []


def _best_gutters(crossing: list[int], low: int, extent: tuple[float, float], count: int, lines: int) -> list[float]:
    """For `count` columns: in a window around each share of the text's width, the least crossed x."""
    gutters = []
    left, right = extent
    reach = 0.15 * (right - left) / (count - 1)
    for k in range(1, count):
        centre = left + (right - left) * k / count
        window = [x for x in range(int(centre - reach), int(centre + reach)) if 0 <= x - low < len(crossing)]
        if not window:
            return []
        x = min(window, key=lambda x: (crossing[x - low], abs(x - centre)))
        if crossing[x - low] > 0.3 * lines / (count - 1):
            return []
        gutters.append(float(x))
    return gutters


# Two lists set side by side (name cards: name, organisation, e-mail) leave their columns mostly
# empty, yet each runs on at its own line pitch and their baselines rarely meet, where a table's
# cells share their row's baseline: at most this share of the lines has text on both sides.
SIDE_BY_SIDE_SHARED = 1 / 3


def _lists_side_by_side(typeset: list[tuple[list[dict], list[tuple[float, float]]]], gutter: float) -> bool:
    """Lines on both sides of the gutter (none crossing it, bar title lines) that mostly stand on one
    side only, on each side many, and each side's lines flush left and close under each other (a
    running list, not a map's scattered labels nor a table's first column of labels one per row)."""
    sides = [(line, [x1 <= gutter for _, x1 in runs]) for line, runs in typeset if not _covers(runs, gutter)]
    left = [line for line, at in sides if all(at)]
    right = [line for line, at in sides if not any(at)]
    shared = len(sides) - len(left) - len(right)
    if shared > SIDE_BY_SIDE_SHARED * len(sides) or min(len(left), len(right)) < max(5, len(sides) // 4):
        return False
    return all(_runs_on(column) for column in (left, right))


def _runs_on(lines: list[list[dict]]) -> bool:
    """Most lines start at one x and stand no more than a line and a half below the line above: a
    list or text, not a column of labels one per row."""
    starts = Counter(round(min(c["x0"] for c in line if not c["text"].isspace())) for line in lines)
    if sum(n for x, n in starts.items() if abs(x - starts.most_common(1)[0][0]) <= ALIGN_TOLERANCE) * 3 < 2 * len(lines):
        return False
    tops = sorted(min(c["top"] for c in line) for line in lines)
    size = sorted(max(c["size"] for c in line) for line in lines)[len(lines) // 2]
    gaps = sorted(below - above for above, below in zip(tops, tops[1:]))
    return gaps[len(gaps) // 2] <= 1.5 * size


def _columns_filled(text: list[list[tuple[float, float]]], gutters: list[float], width: float) -> bool:
    """Each column holds at least five lines, and its usual line fills most of its width."""
    edges = [0.0, *gutters, width]
    for left, right in zip(edges, edges[1:]):
        widths = sorted(
            min(runs[-1][1], right) - max(runs[0][0], left)
            for runs in text
            if not any(_covers(runs, g) for g in gutters) and any(left < x1 <= right for _, x1 in runs)
        )
        if len(widths) < 5 or widths[len(widths) // 2] < 0.5 * (right - left - 0.1 * width):
            return False
    return True


def _merge_superscripts(lines: list[list[dict]]) -> list[list[dict]]:
    """A line of only small marker characters joins the nearby larger line it is raised on.

    Superscripts have their own baseline, so they cluster alone; their top sits near
    their host line's top, which tells the host apart from the line above.
    """
    markers = [i for i, line in enumerate(lines) if _is_marker_text(line) and len(line) <= 12]
    hosts: dict[int, list[dict]] = {}
    for index in markers:
        host = _host_of(lines[index], [i for i in range(len(lines)) if i not in markers], lines)
        if host is not None:
            hosts.setdefault(host, []).extend(lines[index])
    merged = []
    for index, line in enumerate(lines):
        if index in markers and any(lines[index][0] is c for extra in hosts.values() for c in extra):
            continue
        merged.append(sorted(line + hosts.get(index, []), key=lambda c: c["x0"]))
    return merged


def _host_of(marker: list[dict], candidates: list[int], lines: list[list[dict]]) -> int | None:
    size = max(c["size"] for c in marker)
    top = min(c["top"] for c in marker)
    x0, x1 = min(c["x0"] for c in marker), max(c["x1"] for c in marker)
    best: tuple[float, int] | None = None
    for index in candidates:
        line = lines[index]
        line_size = max(c["size"] for c in line)
        # within an em of the line's ends: a wide hanging mark ("(10)") ends just before it
        near = min(c["x0"] for c in line) - line_size <= x1 and x0 <= max(c["x1"] for c in line) + line_size
        distance = abs(min(c["top"] for c in line) - top)
        if line_size > 1.1 * size and near and distance < 0.6 * line_size:
            if best is None or distance < best[0]:
                best = (distance, index)
    return best[1] if best else None


def _is_marker_text(line: list[dict]) -> bool:
    """Only marker-like pieces ("3", "**", "(4)"), one or a few raised on the same baseline."""
    pieces: list[str] = []
    previous = None
    for char in sorted(line, key=lambda c: c["x0"]):
        if previous is None or char["x0"] - previous["x1"] > 0.5 * char["size"]:
            pieces.append("")
        pieces[-1] += char["text"].strip()
        previous = char
    pieces = [p for p in pieces if p]
    return bool(pieces) and all(len(p) <= 4 and all(ch.isdigit() or not ch.isalnum() for ch in p) for p in pieces)


def _line(chars: list[dict]) -> Line:
    chars = _without_letter_spaces(compose_accents(chars))
    styles = Counter((c["fontname"], c["size"]) for c in chars)
    main = max(chars, key=lambda c: (styles[c["fontname"], c["size"]], c["size"]))
    baseline = _Baseline(main)
    word_gap = _word_gap(chars)
    spans: list[Span] = []
    previous: dict | None = None
    glued = _glued_number_end(chars)
    for key, run in groupby(chars, key=lambda c: _span_key(c, baseline)):
        run = list(run)
        text = ""
        for char in run:
            if previous is not None and char["text"] != " " and not text.endswith(" "):
                gap = char["x0"] - previous["x1"]
                wide = gap > word_gap * min(char["size"], previous["size"]) and previous["text"] != " "
                if wide or char is glued:
                    text += " "
            text += char["text"]
            previous = char
        font, size, rise = key
        if spans and text.startswith(" ") and not spans[-1].text.endswith(" "):
            spans[-1] = spans[-1].model_copy(update={"text": spans[-1].text + " "})
            text = text[1:]
        if text:
            spans.append(
                Span(
                    text=text,
                    font=font,
                    size=size,
                    bold=_is_bold(font),
                    italic=_is_italic(font),
                    monospace=run[0].get("monospace", False),
                    rise=rise,
                    x0=round(float(run[0]["x0"]), 2),
                    x1=round(float(run[-1]["x1"]), 2),
                )
            )
    return Line(
        spans=spans,
        x0=round(float(min(c["x0"] for c in chars)), 2),
        top=round(float(min(c["top"] for c in chars)), 2),
        x1=round(float(max(c["x1"] for c in chars)), 2),
        bottom=round(float(max(c["bottom"] for c in chars)), 2),
    )


def _without_letter_spaces(chars: list[dict]) -> list[dict]:
    """A letter-spaced line whose producer wrote a space after every letter ("I n t r o d u c t i o n"):
    those spaces go, and the words come back from the gaps (`_word_gap`: wider than the letter spacing)."""
    tokens = "".join(c["text"] for c in chars).split()
    letters = sum(len(t) == 1 and t.isalpha() for t in tokens)
    if len(tokens) < LETTER_SPACED_MIN_LETTERS or letters < LETTER_SPACED_SHARE_WITH_SPACES * len(tokens):
        return chars
    return [c for c in chars if c["text"] != " "]


def _glued_number_end(chars: list[dict]) -> dict | None:
    """The title's first letter when a section number touches it ("6.1.1Discussion"): a capital
    followed by a small letter right after a dotted number that opens the line."""
    text = "".join(c["text"] for c in chars[:12])
    match = re.match(r"\s*\d{1,3}(?:\.\d{1,3})+\.?(?=[A-Z][a-z])", text)
    return chars[match.end()] if match else None  # digits and dots are one character each


def _word_gap(chars: list[dict]) -> float:
    """The gap (in em) over which two characters of this line are in different words."""
    gaps = sorted(
        (b["x0"] - a["x1"]) / min(a["size"], b["size"])
        for a, b in zip(chars, chars[1:])
        if a["size"] and b["size"] and " " not in (a["text"], b["text"]) and b["x0"] >= a["x1"] - 0.5
    )
    usual = gaps[len(gaps) // 2] if gaps else 0.0
    spaced = sum(g > WORD_GAP for g in gaps) > LETTER_SPACED_SHARE * len(gaps)
    if len(gaps) >= 6 and spaced and usual <= LETTER_SPACING_MAX:
        return max(WORD_GAP_WITH_SPACES, 1.6 * usual)
    return WORD_GAP_WITH_SPACES if any(c["text"] == " " for c in chars) else WORD_GAP


class _Baseline:
    """The line's baseline, from its dominant character.

    A superscript may be raised by the text matrix or by the text-rise operator
    (which pdfminer folds into the glyph box, not the matrix), so rise is measured
    on the glyph box: where a glyph of that size would sit on this baseline, minus
    where it sits.
    """

    def __init__(self, main: dict):
        page_height = main["y0"] + main["bottom"]
        origin = page_height - main["matrix"][5]
        self.bottom = main["bottom"]
        self.size = main["size"]
        descent = (main["bottom"] - origin) / main["size"] if main["size"] else 0.2
        self.descent = descent if 0 <= descent < 0.5 else 0.2

    def rise(self, char: dict) -> float:
        expected = self.bottom - (self.size - char["size"]) * self.descent
        return expected - char["bottom"]


def _span_key(char: dict, baseline: _Baseline) -> tuple[str, float, float]:
    rise = round(float(baseline.rise(char)), 1)
    # only smaller type can be a superscript; same-size jitter is another font's metrics
    significant = char["size"] < 0.9 * baseline.size and abs(rise) >= 0.15 * char["size"]
    return (_font_name(char["fontname"]), round(float(char["size"]), 1), rise if significant else 0.0)


def _font_name(fontname: str) -> str:
    # Subset fonts carry a random six-letter prefix ("ABCDEF+Helvetica").
    return fontname.split("+", 1)[1] if "+" in fontname[:8] else fontname


def _is_bold(font: str) -> bool:
    """From the font's name: weight words, "Medi(um)" (Nimbus Roman's bold is "-Medi") and
    TeX's bold extended faces (CMBX, SFBX)."""
    name = font.lower()
    return any(w in name for w in ("bold", "black", "heavy", "semibold", "demi", "medi", "cmbx", "sfbx"))


def _is_italic(font: str) -> bool:
    name = font.lower()
    return "italic" in name or "oblique" in name


# Family names of fixed-pitch faces: Courier, Consolas, Menlo, DejaVu Sans Mono, Latin
# Modern Mono, TeX's typewriter faces (CMTT, SFTT, "TeXGyreCursor", "NimbusMonL"), Source Code Pro.
MONOSPACE_NAMES = ("courier", "mono", "consol", "menlo", "typewriter", "cmtt", "sftt", "cursor", "nimbusmon", "sourcecode", "firacode")
NARROW, WIDE = frozenset("iljtf.,:;!|I"), frozenset("mwMW@")
SAME_ADVANCE = 0.01  # em: what rounding leaves between advances of one fixed pitch


def _monospaced_fonts(chars: list[dict]) -> set[str]:
    """The page's fonts that are fixed-pitch, by name or by their glyphs' advance widths.

    A subset font may carry no telling name; in any proportional face an "i" is far
    narrower than an "m", so narrow and wide letters sharing one advance are fixed pitch.
    """
    advances: dict[str, dict[str, float]] = {}
    for char in chars:
        if char["size"] and char.get("adv") and char["text"].strip():
            advances.setdefault(char["fontname"], {})[char["text"]] = char["adv"] / char["size"]
    fixed = {font for font in {c["fontname"] for c in chars} if _is_monospace_name(font)}
    for font, widths in advances.items():
        letters = set(widths)
        if letters & NARROW and letters & WIDE and max(widths.values()) - min(widths.values()) <= SAME_ADVANCE:
            fixed.add(font)
    return fixed


def _is_monospace_name(font: str) -> bool:
    name = _font_name(font).lower().replace(" ", "").replace("monotype", "")  # a foundry, not a pitch
    return any(word in name for word in MONOSPACE_NAMES)


def _rules(page: PlumberPage) -> list[Rule]:
    """Horizontal strokes and hairline rectangles: footnote separators and the like. A link's
    underline (a stroke under a link's area) marks the link, not the layout, and is left out."""
    links = page.hyperlinks
    found = [
        Rule(x0=round(float(o["x0"]), 2), x1=round(float(o["x1"]), 2), top=round(float(o["top"]), 2))
        for o in list(page.lines) + list(page.rects)
        if abs(o["bottom"] - o["top"]) <= 2 and o["x1"] - o["x0"] > 20 and not any(_underlines(o, link) for link in links)
    ]
    return sorted(set(found), key=lambda r: (r.top, r.x0))


def _underlines(stroke: dict, link: dict) -> bool:
    """A stroke within a link's width, at most two points below its area."""
    return link["x0"] - 2 <= stroke["x0"] and stroke["x1"] <= link["x1"] + 2 and link["top"] <= stroke["top"] <= link["bottom"] + 2
