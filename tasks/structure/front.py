"""Front matter: the report's title, subtitle, date and venue."""

from __future__ import annotations

import re
from dataclasses import dataclass

import dateparser

from tasks.model import Block, Document
from tasks.structure.roles import heading_role
from tasks.structure.text import split_sentences

CHAPTER_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+(?=[A-Z])")
NUMBERED = re.compile(r"^(?:\d+(?:\.\d+)*[.)]|\d+\.\d+(?:\.\d+)*|[IVXLC]+[.)])\s+[A-Z]")

MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
DAYS = r"\d{1,2}(?:st|nd|rd|th)?"
DAY_RANGE = rf"{DAYS}(?:\s*(?:[-–—]|and|to)\s*{DAYS})?"
YEAR = r"(?:19|20)\d{2}(?!\d)"  # a meeting's year; "April 23925" (a mangled range) holds none
WEEKDAY = r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*\.?,?\s+"
DATE = re.compile(
    rf"(?:{WEEKDAY})?"
    rf"(?:{DAY_RANGE}\s+{MONTHS}(?:\s*[-–—]\s*{DAYS}\s+{MONTHS})?,?\s+{YEAR}"
    rf"|{MONTHS}\s+{DAY_RANGE},?\s+{YEAR}"
    rf"|{YEAR}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}[./]\d{{1,2}}[./]{YEAR}"
    rf"|{MONTHS}\s+{YEAR})"
    # Without a year, a weekday makes it a date: "Wed May 25", "Tuesday, 9 June".
    rf"|{WEEKDAY}(?:{MONTHS}\.?\s+{DAYS}|{DAYS}\s+{MONTHS})\b"
)
# In a sentence that says the meeting was held, a date may go without its year, or be a month:
# "was held July 6-12, virtually", "In June, several of us got together".
LOOSE_DATE = re.compile(rf"{MONTHS}\s+{DAY_RANGE}\b|{DAY_RANGE}\s+{MONTHS}\b|(?<=\b[Ii]n\s){MONTHS}\b")

# A line that names the place: "Held at ...", "Venue: ...".
VENUE_CUE = re.compile(r"(?i)^(?:held\s+(?:at|in)|venue\s*:|location\s*:|place\s*:|where\s*:)\s*")
# A labelled field, its value after the colon or in the next block: "Date and Time: April 17, 2024".
DATE_LABEL = re.compile(r"(?i)^(?:dates?(?:\s+and\s+times?)?|when)\s*:\s*")
# "The workshop was held on 28-29 September 2015 in Boulder, Colorado": the meeting's date and place in a sentence.
HELD = re.compile(r"(?i)\b(?:held|organi[sz]ed|convened|hosted|took\s+place|met|(?:got|came|brought)\s+together|gathered)\b")
PLACE = re.compile(
    rf"\b(?:in|at)\s+(?!{MONTHS}\b)(?:the\s+(?:city|town)\s+of\s+)?(?P<place>(?:the\s+)?[A-Z][\w'’.-]*(?:(?:,\s*|\s+(?:of\s+|de\s+)?)[A-Z][\w'’.-]*)*)"
)
# A meeting held online: the venue is the phrase that says so ("virtually via the platform X").
VIRTUAL = re.compile(r"(?i)\b(?:virtually|online)\b[^.;,]*")
# A cover line that is only a place's name: capitalised words, one of them a noun that names a building or
# an institution one meets in ("NORTHWESTERN UNIVERSITY", "Town Hall", "Institut Pasteur"), no meeting word.
PLACE_NOUN = re.compile(
    r"(?i)^(?:universit\w*|institut\w*|college|laborator(?:y|ies)|cent(?:re|er)|campus|hotel|hall|academy|museum|"
    r"library|headquarters|hq|auditorium|observatory|school)$"
)
PLACE_LINE = re.compile(r"(?:(?:[A-Z][\w'’.&-]*|of|de|the|for|and|du|der)\s+){0,5}[A-Z][\w'’.&-]*")
# The kinds of meeting a report's title or a sentence names (the brief's purpose cue reads them too).
MEETING_KINDS = (
    r"workshop|meeting|summit|symposium|conference|roundtable|round\s+table|forum|seminar|colloquium|congress|"
    r"convention|retreat|consultation|dialogue|webinar|hackathon"
)
# Not before "centre" or "hall": "Convention Center" names a building.
MEETING_WORD = re.compile(
    rf"(?i)\b(?:(?:{MEETING_KINDS})(?!\s+(?:cent(?:re|er)|hall))|panel|course|report|session|agenda|"
    r"programme|program|proceedings|school\s+on)\b"
)
# A web address on its own line ("CHIMAD.EXAMPLE.EDU", "www.example.org/event"): front matter, no field.
WEB_ADDRESS = re.compile(r"(?i)(?:https?://)?(?:[\w-]+\.)+[a-z]{2,}(?:/\S*)?")


@dataclass
class FrontMatter:
    title: str = ""
    subtitle: str = ""
    date: str = ""
    venue: str = ""
    bare_venue: str = ""  # a line under the date, taken for the place only when nothing says so
    skip: frozenset[int] = frozenset()  # block indices that are front matter, not sections


def front_matter(document: Document) -> FrontMatter:
    """The title (its wrapped lines joined), then the subtitle, date and venue lines under it or on its cover page."""
    blocks = document.blocks
    front = FrontMatter(title=document.metadata.get("title", "").strip())
    skip: set[int] = set()
    start = 0
    first_heading = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
    if first_heading is not None:
        lines = _title_lines(blocks, first_heading)
        joined = " ".join(blocks[i].text.strip() for i in lines)
        if not front.title or _same_text(joined[: len(front.title)], front.title):
            front.title = joined  # the clean stage may name only the title's first line
        if _same_text(joined, front.title):
            start = max(lines) + 1
            chapter = CHAPTER_NUMBER.match(joined)  # "1 Methods ...": the first chapter, named like the report
            front.title = joined[chapter.end() :] if chapter else joined
            skip.update([] if chapter else lines)
    for index in range(start, min(start + 6, len(blocks))):
        if _bare_label(blocks, index):
            continue  # "FINAL AGENDA" over the date line: a section of its own, and the front goes on under it
        if not _front_line(blocks[index], front, _has_body(blocks, index)):
            break
        skip.add(index)
    # Stated outright beats read from a sentence, which beats a date printed near the title
    # (a post's or a paper's own date, as often as the meeting's).
    labelled_date, labelled_venue = _labelled(blocks)
    held_date, held_venue = _held(blocks)
    title_date = meeting_date(front.title)
    front.date = labelled_date or held_date or title_date or front.date
    front.venue = labelled_venue or front.venue or held_venue or front.bare_venue
    front.skip = frozenset(skip)
    return front


def _has_body(blocks: list[Block], index: int) -> bool:
    """A heading with text of its own under it (not a date line) opens a section."""
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return blocks[index].kind == "heading" and following is not None and following.kind != "heading" and not meeting_date(following.text)


def _bare_label(blocks: list[Block], index: int) -> bool:
    """A section-word heading with nothing under it but a heading of its own rank or higher."""
    block, following = blocks[index], blocks[index + 1] if index + 1 < len(blocks) else None
    if block.kind != "heading" or following is None or following.kind != "heading" or following.level > block.level:
        return False
    return _looks_like_section(" ".join(block.text.split()))


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
        if (_names_place(text) or WEB_ADDRESS.fullmatch(text)) and not wrapped:
            break  # the venue or the organiser's address under the title
        has_body = index + 1 < len(blocks) and blocks[index + 1].kind != "heading" and not meeting_date(blocks[index + 1].text)
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
        rest = VENUE_CUE.sub("", _strip_separators(LOOSE_DATE.sub(" ", text.replace(date, " "))))  # the other days go too
        front.venue = front.venue or _strip_separators(rest)
        return True
    if VENUE_CUE.match(text) and not front.venue:
        front.venue = _strip_separators(VENUE_CUE.sub("", text))
        return True
    if WEB_ADDRESS.fullmatch(text):
        return True  # the organiser's address on the cover: front matter, not a subtitle
    if _names_place(text) and not front.venue and not front.bare_venue and not has_body:
        front.bare_venue = text  # a place's name under the title, above or below the date
        return True
    bare = not text.endswith(".") and not date and len(text.split()) <= 12
    if front.date and not front.venue and not front.bare_venue and bare and not has_body:
        front.bare_venue = _strip_separators(text)
        return True
    # A heading with text of its own below it opens the first section, it is no subtitle.
    if not front.date and not front.subtitle and not front.venue and not text.endswith(".") and not has_body:
        front.subtitle = text
        return True
    return False


def meeting_date(text: str) -> str:
    """The first date in the text that is a real calendar date (checked with dateparser), as printed.
    Words in capitals are read as their title case ("JANUARY 9, 2015" on a cover), kept as printed."""
    titled = re.sub(r"\b[A-Z]{3,}\b", lambda word: word[0].title(), text)  # same length: offsets hold
    for match in DATE.finditer(titled):
        first_day = re.sub(r"(\d{1,2})(?:st|nd|rd|th)?\s*(?:[-–—]|and|to)\s*\d{1,2}(?:st|nd|rd|th)?", r"\1", match[0])
        first_day = re.sub(r"\s*[-–—]\s*\d{1,2}\s+" + MONTHS + r"\b", "", first_day)
        if dateparser.parse(first_day, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first"}) is not None:
            return text[match.start() : match.end()].strip()
    return ""


def _held(blocks: list[Block]) -> tuple[str, str]:
    """Date and place from the first sentence saying the meeting was held (hosted, took place) on a date:
    "was held on 5 May 2021 in Porto", "a workshop held at Cornell University, 17-21 July 2023",
    "On 8 September 2025, the OECD hosted ...", "In June, several of us got together ... in Seattle"."""
    paragraphs = [b for b in blocks if b.kind == "paragraph"][:12]
    for block in paragraphs:
        for sentence in split_sentences(" ".join(block.text.split())):
            held = HELD.search(sentence)
            date = (meeting_date(sentence) or _loose_date(sentence)) if held else ""
            if not date or abs(sentence.find(date) - held.start()) > 80:
                continue
            rest = sentence.replace(date, " ")
            after = rest[rest.find(held[0]) + len(held[0]) :]
            place = PLACE.search(after) or VIRTUAL.search(after) or PLACE.search(rest)
            venue = place["place"] if place and "place" in place.groupdict() else place[0] if place else ""
            return date, venue.strip(" ,.")
    return "", ""


def _loose_date(sentence: str) -> str:
    match = LOOSE_DATE.search(sentence)
    return match[0] if match else ""


def _labelled(blocks: list[Block]) -> tuple[str, str]:
    """Date and venue from labelled fields near the top ("Date and Time:", "Location:"), the value
    after the label or in the block under it."""
    date = venue = ""
    head = blocks[:40]
    for index, block in enumerate(head):
        text = " ".join(block.text.split())
        following = " ".join(head[index + 1].text.split()) if index + 1 < len(head) else ""
        label = DATE_LABEL.match(text)
        if label and not date:
            date = meeting_date(text[label.end() :] or following)
        label = VENUE_CUE.match(text)
        if label and not venue and label[0].rstrip().endswith(":"):
            venue = _strip_separators(text[label.end() :] or following)
    return date, venue


def _names_place(text: str) -> bool:
    """A line that is only the name of a place to meet: "Northwestern University", "CITY CONFERENCE CENTRE"."""
    return bool(PLACE_LINE.fullmatch(text)) and any(PLACE_NOUN.match(w) for w in text.split()) and not MEETING_WORD.search(text)


def _looks_like_section(text: str) -> bool:
    return bool(heading_role(text)[0]) or bool(NUMBERED.match(text))


def _strip_separators(text: str) -> str:
    text = re.sub(r"^[\s,;:|–—\-]+|[\s,;:|–—\-]+$", "", " ".join(text.split()))
    return text[1:-1] if re.fullmatch(r"\([^()]*\)", text) else text  # "(Virtual)" alone: its brackets go


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()
