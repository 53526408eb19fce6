"""The cleaned document as Pandoc Markdown: footnotes as [^id] with definitions.

Every piece of source text is escaped, so text from the PDF can never become
Markdown or raw HTML syntax (a source saying "<script>" shows it as text).
"""

from __future__ import annotations

import re
import unicodedata

from tasks.model import Block, Document, Footnote, Inline

# Characters with a meaning in Pandoc Markdown inline syntax (read with -smart, so
# quotes and dashes are literal), and what a block may not start with.
SPECIAL = re.compile(r"([\\`*_{}\[\]<>#|~^$@&])")
# A block may start with spaces before its marker; list markers include letters and roman
# numerals, bare or in parentheses ("a.", "iv)", "(a)", "(1)"); their delimiter is escaped.
BLOCK_START = re.compile(
    r"^(\s*)(?:([-+:>%=])|(\d+)([.)])|(\(\d+|\(?(?:[A-Za-z]|[ivxlcdm]+|[IVXLCDM]+))([.)])(?=\s|$))"
)


def escape(text: str) -> str:
    """Escape text so Pandoc reads it back as exactly these characters."""
    escaped = SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))
    return BLOCK_START.sub(_escape_marker, escaped)


def _escape_marker(match: re.Match) -> str:
    if match[2]:
        return match[1] + "\\" + match[2]
    number, delimiter = (match[3], match[4]) if match[3] else (match[5], match[6])
    return match[1] + number + "\\" + delimiter


# A source's own links stay links only with a safe scheme; anything else stays text.
SAFE_LINK = re.compile(r"\b(?:https?://|mailto:)[^\s<>\"\\`]+")


def linked(text: str) -> str:
    """Escaped text in which http(s) and mailto addresses become autolinks."""
    out, position = [], 0
    for match in SAFE_LINK.finditer(text):
        address = _address(match[0])
        end = match.start() + len(address)
        out.append(escape(text[position : match.start()]) + f"<{address}>")
        position = end
    return "".join(out) + escape(text[position:])


def _address(candidate: str) -> str:
    """Where an address ends: before closing punctuation, and before a symbol outside ASCII
    (a back-link "↩" or a zero-width space set against it; an address's own letters may be
    any script's)."""
    end = next((i for i, c in enumerate(candidate) if not c.isascii() and unicodedata.category(c)[0] not in "LNM"), len(candidate))
    return candidate[:end].rstrip(".,;:!?)]}'")


def inlines_markdown(inlines: list[Inline]) -> str:
    out = []
    for inline in inlines:
        if inline.note is not None:
            out.append(f"[^{note_label(inline.note)}]")
            continue
        if inline.monospace and inline.text.strip():
            text = code_span(inline.text)
        else:
            text = linked(inline.text)
        if not text.strip():
            out.append(text)
            continue
        lead, core, tail = _split_space(text)
        if inline.superscript:
            core = "^" + core.replace(" ", "\\ ") + "^"
        if inline.bold:
            core = f"**{core}**"
        if inline.italic:
            core = f"*{core}*"
        out.append(lead + core + tail)
    return "".join(out).strip()


def code_span(text: str) -> str:
    """Text set in monospace as a Pandoc code span, taken literally: no escapes, no links.

    The fence is one backtick longer than any run inside; a space pads a code
    that starts or ends with a backtick (Pandoc strips one such space)."""
    lead, core, tail = _split_space(re.sub(r"\s+", " ", text))
    fence = "`" * (1 + max((len(run) for run in re.findall(r"`+", core)), default=0))
    pad = " " if core.startswith("`") or core.endswith("`") else ""
    return f"{lead}{fence}{pad}{core}{pad}{fence}{tail}"


def _split_space(text: str) -> tuple[str, str, str]:
    core = text.strip()
    start = text.index(core[0])
    return text[:start], core, text[start + len(core) :]


NOTE_SYMBOLS = {"*": "star", "∗": "star", "†": "dagger", "‡": "ddagger", "§": "section", "¶": "pilcrow", "#": "hash"}


def note_label(note_id: str) -> str:
    """Pandoc note labels cannot hold spaces or brackets; symbols get a name, doubled ones a count.

    "*" -> "star", "††" -> "dagger2", "*-2" (the second note marked "*") -> "star-2".
    """
    marker, _, suffix = note_id.partition("-")
    if marker and all(c in NOTE_SYMBOLS for c in marker):
        runs = re.findall(r"((.)\2*)", marker)
        label = "-".join(NOTE_SYMBOLS[run[0]] + (str(len(run)) if len(run) > 1 else "") for run, _ in runs)
        return label + (f"-{suffix}" if suffix else "")
    return re.sub(r"[^\w-]", "-", note_id)


def block_markdown(block: Block, heading_offset: int = 0, depth: int | None = None) -> str:
    """One block; an item at `depth` (default: its own level) in the list it belongs to."""
    if block.kind == "heading":
        return "#" * min(6, block.level + heading_offset) + " " + inlines_markdown(block.inlines)
    if block.kind == "item":
        return "    " * (block.level if depth is None else depth) + "- " + inlines_markdown(block.inlines)
    if block.kind == "table":
        return table_markdown(block.rows)
    return inlines_markdown(block.inlines)


def list_depths(blocks: list[Block]) -> list[int]:
    """Each item's nesting in Markdown: a list starts at 0 and goes at most one deeper per item.

    A source's indentation is only a hint: deeper than its parent plus one, or a
    first item indented, would be read by Pandoc as a code block.
    """
    depths, previous = [], None
    for block in blocks:
        if block.kind != "item":
            depths.append(0)
            previous = None
            continue
        depth = 0 if previous is None else min(block.level, previous + 1)
        depths.append(depth)
        previous = depth
    return depths


def table_markdown(rows: list[list[str]], header: list[str] | None = None) -> str:
    """A pipe table; the first row is the header unless one is given."""
    if not rows and not header:
        return ""
    head, body = (header, rows) if header else (rows[0], rows[1:])
    width = max(len(head), *(len(r) for r in body)) if body else len(head)

    def row(cells: list[str]) -> str:
        cells = list(cells) + [""] * (width - len(cells))
        return "| " + " | ".join(escape(c) for c in cells) + " |"

    return "\n".join([row(head), "|" + "---|" * width, *(row(r) for r in body)])


def footnote_markdown(note: Footnote) -> str:
    return f"[^{note_label(note.id)}]: {inlines_markdown(note.inlines)}"


def document_markdown(document: Document, heading_offset: int = 0) -> str:
    """The whole document: blocks (lists kept tight), then the note definitions."""
    parts: list[str] = []
    for block, depth in zip(document.blocks, list_depths(document.blocks)):
        text = block_markdown(block, heading_offset, depth)
        if parts and block.kind == "item" and parts[-1].lstrip().startswith("- "):
            parts[-1] += "\n" + text
        else:
            parts.append(text)
    linked = [n for n in document.footnotes if n.status != "no-marker"]
    unlinked = [n for n in document.footnotes if n.status == "no-marker"]
    if unlinked:
        parts.append("::: {.unlinked-notes}")
        parts.append("Notes whose marker was not found in the text:")
        parts.append("\n".join(f"- ({escape(n.marker)}) {inlines_markdown(n.inlines)}" for n in unlinked))
        parts.append(":::")
    parts.extend(footnote_markdown(n) for n in linked)
    return "\n\n".join(parts) + "\n"
