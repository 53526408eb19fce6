"""Front matter: the report's title, subtitle, date and venue."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tasks.model import Document
from tasks.structure.recognisers import KEYNOTE_HEADING, PANEL_HEADING

MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
DAYS = r"\d{1,2}(?:st|nd|rd|th)?"
DAY_RANGE = rf"{DAYS}(?:\s*(?:[-–—]|and|to)\s*{DAYS})?"
DATE = re.compile(
    rf"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
    rf"(?:{DAY_RANGE}\s+{MONTHS}(?:\s*[-–—]\s*{DAYS}\s+{MONTHS})?,?\s+\d{{4}}"
    rf"|{MONTHS}\s+{DAY_RANGE},?\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}}"
    rf"|{MONTHS}\s+\d{{4}})"
)

@dataclass
class FrontMatter:
    title: str = ""
    subtitle: str = ""
    date: str = ""
    venue: str = ""
    skip: frozenset[int] = frozenset()  # block indices that are front matter, not sections


def front_matter(document: Document) -> FrontMatter:
    blocks = document.blocks
    front = FrontMatter(title=document.metadata.get("title", "").strip())
    skip: set[int] = set()
    first_heading = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
    if not front.title and first_heading is not None:
        front.title = blocks[first_heading].text.strip()
    if first_heading is not None and _same_text(blocks[first_heading].text, front.title):
        skip.add(first_heading)
    # The lines right after the title: a subtitle and/or a "date venue" line.
    start = (max(skip) + 1) if skip else 0
    for index in range(start, min(start + 4, len(blocks))):
        block = blocks[index]
        text = block.text.strip()
        if block.kind == "table" or _looks_like_section(text) or len(text) > 160:
            break
        date = DATE.search(text)
        if date and not front.date:
            front.date = date[0].strip()
            front.venue = _strip_separators(text[: date.start()] + " " + text[date.end() :])
            skip.add(index)
        elif front.date and not front.venue and not text.endswith("."):
            front.venue = _strip_separators(text)
            skip.add(index)
        elif not front.date and not front.subtitle and not text.endswith("."):
            front.subtitle = text
            skip.add(index)
        else:
            break
    front.skip = frozenset(skip)
    return front


def _looks_like_section(text: str) -> bool:
    return bool(PANEL_HEADING.match(text) or KEYNOTE_HEADING.match(text) and "keynote" in text.lower()) or text.lower() in {
        "background", "summary", "introduction", "executive summary", "contents",
    }  # fmt: skip


def _strip_separators(text: str) -> str:
    return re.sub(r"^[\s,;:|–—\-]+|[\s,;:|–—\-]+$", "", " ".join(text.split()))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
