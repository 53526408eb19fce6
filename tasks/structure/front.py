"""Front matter: the report's title, subtitle, date and venue."""

from __future__ import annotations

import re
from dataclasses import dataclass

import dateparser

from tasks.model import Block, Document
from tasks.structure.roles import heading_role
from tasks.structure.text import split_sentences

NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*[.)]|\d+\.\d+(?:\.\d+)*|[IVXLC]+[.)])\s+[A-Z]")

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

# A line that names the place: "Held at ...", "Venue: ...".
VENUE_CUE = re.compile(r"(?i)^(?:held\s+(?:at|in)|venue\s*:|location\s*:|place\s*:)\s*")
# "The workshop was held on 28-29 September 2015 in Boulder, Colorado": the meeting's date and place in a sentence.
HELD = re.compile(r"(?i)\b(?:held|organi[sz]ed|convened|hosted|took\s+place|met)\b")
PLACE = re.compile(r"\b(?:in|at)\s+(?P<place>(?:the\s+)?[A-Z][\w'’.-]*(?:(?:,\s*|\s+(?:of\s+|de\s+)?)[A-Z][\w'’.-]*)*)")


@dataclass
class FrontMatter:
    title: str = ""
    subtitle: str = ""
    date: str = ""
    venue: str = ""
    skip: frozenset[int] = frozenset()  # block indices that are front matter, not sections


def front_matter(document: Document) -> FrontMatter:
    """The title (its wrapped lines joined), then the subtitle, date and venue lines under it or on its cover page."""
    blocks = document.blocks
    front = FrontMatter(title=document.metadata.get("title", "").strip())
    skip: set[int] = set()
    first_heading = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
    if first_heading is not None:
        lines = _title_lines(blocks, first_heading)
        joined = " ".join(blocks[i].text.strip() for i in lines)
        if not front.title or _same_text(joined[: len(front.title)], front.title):
            front.title = joined  # the clean stage may name only the title's first line
        if _same_text(joined, front.title):
            skip.update(lines)
    start = (max(skip) + 1) if skip else 0
    for index in range(start, min(start + 6, len(blocks))):
        has_body = blocks[index].kind == "heading" and index + 1 < len(blocks) and blocks[index + 1].kind != "heading"
        if not _front_line(blocks[index], front, has_body):
            break
        skip.add(index)
    if not front.date:
        front.date, venue = _held(blocks)
        front.venue = front.venue or venue
    front.skip = frozenset(skip)
    return front


def _title_lines(blocks: list[Block], first: int) -> list[int]:
    """The first heading and the lines that continue it: same page and level, no date, no section word,
    and either visibly wrapped (a connector or a lower-case start) or with no text of its own below it."""
    lines = [first]
    for index in range(first + 1, min(first + 4, len(blocks))):
        block, head = blocks[index], blocks[first]
        text = block.text.strip()
        if block.kind != "heading" or block.level != head.level or block.source.page != head.source.page:
            break
        wrapped = re.search(r"[-–—:,]$|\b(?:of|on|and|for|the|in|to|at)$", blocks[lines[-1]].text.strip()) or text[:1].islower()
        if meeting_date(text) or VENUE_CUE.match(text) or NUMBERED.match(text) or _looks_like_section(text) and not wrapped:
            break
        has_body = index + 1 < len(blocks) and blocks[index + 1].kind != "heading"
        if has_body and not wrapped:
            break
        lines.append(index)
    return lines


def _front_line(block: Block, front: FrontMatter, has_body: bool) -> bool:
    """Take a subtitle, date or venue line into the front matter; False at the first line that is none of them."""
    text = " ".join(block.text.split())
    date = meeting_date(text)
    if block.kind == "table" or len(text) > 160 or _looks_like_section(text) and not date:
        return False
    if date and not front.date:
        front.date = date
        rest = VENUE_CUE.sub("", _strip_separators(text.replace(date, " ")))
        front.venue = front.venue or _strip_separators(rest)
        return True
    if VENUE_CUE.match(text) and not front.venue:
        front.venue = _strip_separators(VENUE_CUE.sub("", text))
        return True
    if front.date and not front.venue and not text.endswith("."):
        front.venue = _strip_separators(text)
        return True
    # A heading with text of its own below it opens the first section, it is no subtitle.
    if not front.date and not front.subtitle and not front.venue and not text.endswith(".") and not has_body:
        front.subtitle = text
        return True
    return False


def meeting_date(text: str) -> str:
    """The first date in the text that is a real calendar date (checked with dateparser), as printed."""
    for match in DATE.finditer(text):
        first_day = re.sub(r"(\d{1,2})(?:st|nd|rd|th)?\s*(?:[-–—]|and|to)\s*\d{1,2}(?:st|nd|rd|th)?", r"\1", match[0])
        first_day = re.sub(r"\s*[-–—]\s*\d{1,2}\s+" + MONTHS + r"\b", "", first_day)
        if dateparser.parse(first_day, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"}) is not None:
            return match[0].strip()
    return ""


def _held(blocks: list[Block]) -> tuple[str, str]:
    """Date and place from the first sentence saying the meeting was held (hosted, took place) on a date:
    "was held on 5 May 2021 in Porto", "a workshop held at Cornell University, 17-21 July 2023",
    "On 8 September 2025, the OECD hosted ..."."""
    paragraphs = [b for b in blocks if b.kind == "paragraph"][:12]
    for block in paragraphs:
        for sentence in split_sentences(" ".join(block.text.split())):
            held = HELD.search(sentence)
            date = meeting_date(sentence) if held else ""
            if not date or abs(sentence.find(date) - held.start()) > 80:
                continue
            place = PLACE.search(sentence[held.end() :].replace(date, " "))
            return date, (place["place"].strip(" ,.") if place else "")
    return "", ""


def _looks_like_section(text: str) -> bool:
    return bool(heading_role(text)[0]) or bool(NUMBERED.match(text))


def _strip_separators(text: str) -> str:
    return re.sub(r"^[\s,;:|–—\-]+|[\s,;:|–—\-]+$", "", " ".join(text.split()))


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
