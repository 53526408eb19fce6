"""Structure: the cleaned Document to a Report (front matter, sections, panels, people).

Meeting reports share a genre rather than a layout, so panels, keynotes, outcomes
and people are recognised by language patterns ("Panel II: ...", "moderated by",
"Speakers: ...; Chair: ...") and heading levels are used only to break ties: in
text sources every heading may carry the same level. A pure function: no I/O.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from tasks.model import Block, Document, Issue, Panel, Participant, Person, Report, Section

VERSION = "1"  # bump when this stage's output changes for the same input

# --- sentences ------------------------------------------------------------------------

# Words whose trailing full stop does not end a sentence (compared lower-case, no dots).
ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "eg", "ie", "vs", "no", "nos", "art", "para",
    "fig", "us", "uk", "eu", "inc", "ltd", "co", "mt", "dept", "approx", "cf", "al", "p", "pp", "op",
    "ref", "vol", "h.e", "he", "amb", "gen", "gov", "rev", "hon",
}  # fmt: skip
SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9À-Ý])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; full stops after abbreviations, initials and in decimals do not split."""
    sentences, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if _ends_with_abbreviation(text[start : match.start() + 1]):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    return [s for s in [*sentences, tail] if s]


def _ends_with_abbreviation(fragment: str) -> bool:
    if not fragment.endswith("."):
        return False
    word = re.search(r"(\S+)\.$", fragment)
    if word is None:
        return False
    token = word[1].lstrip("(\"'‘“")
    bare = token.replace(".", "").lower()
    # "Dr.", "e.g.", "U.S." or an initial such as "J."
    return bare in ABBREVIATIONS or (len(token) == 1 and token.isupper()) or re.fullmatch(r"(\w\.)+\w", token) is not None


# --- recognisers ----------------------------------------------------------------------

PANEL_KINDS = r"(?i:panel(?:\s+discussion)?|session|workshop|round\s?table|breakout(?:\s+session)?|working\s+group|plenary(?:\s+session)?|break-out\s+session|track|segment)"
PANEL_NUMBER = r"(?:[IVXLC]+|\d+|[A-Z])"
PANEL_HEADING = re.compile(
    rf"^(?P<kind>{PANEL_KINDS})\s*(?P<number>{PANEL_NUMBER})?\s*(?:[:–—.\-]\s*|\s+(?=[A-Z„“\"']))(?P<title>\S.*)$"
)
KEYNOTE_HEADING = re.compile(
    r"^(?i:(?:opening\s+|closing\s+)?keynote(?:\s+(?:speaker|speech|address|lecture|presentation))?(?:\s+(?:by|from))?)"
    r"\s*[:–—\-.]?\s*(?P<rest>.*)$"
)
OUTCOMES_HEADING = re.compile(
    r"(?i)\b(outcomes?|conclusions?|recommendations?|key\s+(?:points|messages|findings|take-?aways)|take-?aways|"
    r"main\s+findings|results|discussion)\b"
)
RECOMMENDATIONS_HEADING = re.compile(
    r"(?i)\b(recommendations?|conclusions?|key\s+issues|way\s+forward|next\s+steps|key\s+messages|take-?aways)\b"
)
# Headings that belong to the whole report even when they look like a panel's sub-heading.
REPORT_WIDE_HEADING = re.compile(r"(?i)\b(key\s+issues|overall|general|final|participants|annex|agenda|programme)\b")
PARTICIPANTS_HEADING = re.compile(
    r"(?i)^(?:list\s+of\s+(?:participants|attendees)|participants[’']?\s*(?:list)?|attendees|attendance(?:\s+list)?)\s*:?$"
)

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

PANELLISTS_CUE = re.compile(
    r"(?i)\b(?:panel+ists|speakers|presenters|panel\s+members|discussants|contributors|presentations\s+were\s+given\s+by)\b"
    r"(?:[^.:;]{0,60}?\b(?:were|are|included|includes|comprised|was)\b\s*:?|\s*:)\s*"
)
MODERATOR_CUE = re.compile(
    r"(?i)\b(?:(?:co-?)?(?:moderated|chaired|facilitated)\s+by|(?:the\s+)?(?:moderator|chair(?:person|man|woman)?|facilitator)"
    r"(?:\s+of\s+the\s+(?:session|panel|discussion))?\s*(?:was|were|:))\s*"
)
# A label that starts another list inside the same paragraph ("...; B (Org). Chair: C").
NEXT_LABEL = re.compile(r"(?i)\b(?:moderator|chair(?:person)?|facilitator|rapporteur|speakers|panel+ists)\s*:")
TITLES = re.compile(r"^(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sir|Dame|H\.?E|Amb|Professor|Doctor)\.?\s+)+", re.I)
ORGANISERS = re.compile(r"(?i)\b(?:organi[sz]ed|convened|co-organi[sz]ed|hosted)\s+(?:jointly\s+)?by\s+")
ORGANISER_JOINS = re.compile(r"\s*(?:,?\s*together\s+with|in\s+cooperation\s+with|in\s+partnership\s+with|jointly\s+with|,?\s+and)\s+")


# --- the stage ------------------------------------------------------------------------


def structure(document: Document) -> Report:
    """Recognise the report's front matter, sections, keynote, panels, recommendations and participants."""
    blocks = document.blocks
    front = _front_matter(document)
    sections = _sections(blocks, front.skip)
    panels = _panels(blocks, sections)
    keynote, keynote_section = _keynote(blocks, sections)
    participants = _participants(blocks, sections)
    report = Report(
        title=front.title,
        subtitle=front.subtitle,
        date=front.date,
        venue=front.venue,
        organisers=_organisers(blocks, sections),
        language=document.metadata.get("language", "en-GB"),
        sections=sections,
        keynote=keynote,
        keynote_section=keynote_section,
        panels=panels,
        recommendations=_recommendations(blocks, sections, panels),
        participants=participants,
        document=document,
    )
    return report.model_copy(update={"issues": _person_issues(report)})


# --- front matter ---------------------------------------------------------------------


@dataclass
class FrontMatter:
    title: str = ""
    subtitle: str = ""
    date: str = ""
    venue: str = ""
    skip: frozenset[int] = frozenset()  # block indices that are front matter, not sections


def _front_matter(document: Document) -> FrontMatter:
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


# --- sections -------------------------------------------------------------------------


PEOPLE_LINE = re.compile(r"(?i)^(?:moderators?|chair(?:person|s)?|co-chairs?|facilitators?|speakers|panel+ists|presenters)\s*:")


def _sections(blocks: list[Block], skip: frozenset[int]) -> list[Section]:
    # A short "Moderator: X, Org" line may arrive typed as a heading; it is a panel's people line.
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and i not in skip and not PEOPLE_LINE.match(b.text.strip())]
    sections = []
    for position, index in enumerate(headings):
        level = _level(blocks[index])
        end = next((j for j in headings[position + 1 :] if _level(blocks[j]) <= level), len(blocks))
        sections.append(Section(title=blocks[index].text.strip(), level=level, first_block=index, last_block=end))
    return sections


def _level(block: Block) -> int:
    return max(1, block.level)


# --- panels ---------------------------------------------------------------------------


def _panels(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    starts = [s for s in sections if PANEL_HEADING.match(s.title) and not _is_outcomes_heading(s.title)]
    panels = []
    for ordinal, section in enumerate(starts, start=1):
        end = _panel_end(section, sections)
        panels.append(_panel(blocks, section, end, ordinal, [s for s in sections if section.first_block < s.first_block < end]))
    return panels


def _is_outcomes_heading(title: str) -> bool:
    # "Session conclusions" is a sub-heading, not a panel called "conclusions".
    match = PANEL_HEADING.match(title)
    return match is not None and match["number"] is None and OUTCOMES_HEADING.fullmatch(match["title"].strip()) is not None


def _panel_end(panel: Section, sections: list[Section]) -> int:
    """The panel runs to the next panel, or the next same-or-higher heading that is not one of its sub-headings."""
    has_outcomes = False
    for section in sections:
        if section.first_block <= panel.first_block:
            continue
        if PANEL_HEADING.match(section.title) and not _is_outcomes_heading(section.title):
            return section.first_block
        if KEYNOTE_HEADING.match(section.title) and "keynote" in section.title.lower():
            return section.first_block
        if section.level > panel.level:
            has_outcomes = has_outcomes or bool(OUTCOMES_HEADING.search(section.title))
            continue
        is_sub = OUTCOMES_HEADING.search(section.title) and not REPORT_WIDE_HEADING.search(section.title)
        if section.level < panel.level or not is_sub or has_outcomes:
            return section.first_block
        has_outcomes = True
    return max((s.last_block for s in sections), default=panel.last_block)


def _panel(blocks: list[Block], section: Section, end: int, ordinal: int, subsections: list[Section]) -> Panel:
    match = PANEL_HEADING.match(section.title)
    assert match is not None
    intro_end = subsections[0].first_block if subsections else end
    intro = [b for b in blocks[section.first_block + 1 : intro_end] if b.kind in ("paragraph", "item") or PEOPLE_LINE.match(b.text.strip())]
    panellists, moderator = _people_in(intro)
    return Panel(
        number=match["number"] or str(ordinal),
        title=match["title"].strip(),
        aim=_aim(intro),
        moderator=moderator,
        panellists=panellists,
        outcomes=_outcomes(blocks, subsections, end),
        first_block=section.first_block,
        last_block=end,
        source=blocks[section.first_block].source,
    )


AIM_SENTENCE = re.compile(
    r"(?i)\b(?:aim|aims|purpose|objective|goal)\b[^.]{0,40}\b(?:was|were|is|are)\b|\b(?:aimed|sought|set\s+out)\s+to\b"
)


def _aim(intro: list[Block]) -> str:
    """The sentence stating the panel's aim, else the first sentence that is not about who spoke."""
    opening = [b for b in intro if b.kind == "paragraph"][:3]
    candidates = [s for b in opening for s in split_sentences(" ".join(b.text.split())) if not _is_people_sentence(s)]
    # Only the opening sentences: "The aim of the pilot project was..." later on is not the panel's aim.
    stated = next((s for s in candidates[:3] if AIM_SENTENCE.search(s)), None)
    return stated or (candidates[0] if candidates else "")


def _is_people_sentence(sentence: str) -> bool:
    return bool(PANELLISTS_CUE.search(sentence) or MODERATOR_CUE.search(sentence))


def _outcomes(blocks: list[Block], subsections: list[Section], end: int) -> list[str]:
    heading = next((s for s in subsections if OUTCOMES_HEADING.search(s.title)), None)
    if heading is None:
        return []
    stop = next((s.first_block for s in subsections if s.first_block > heading.first_block), end)
    return _list_texts(blocks[heading.first_block + 1 : min(stop, end)])


def _list_texts(blocks: list[Block]) -> list[str]:
    """Item texts (a lower-case paragraph continues the item before it); paragraphs when there are no items."""
    texts: list[str] = []
    has_items = any(b.kind == "item" for b in blocks)
    for block in blocks:
        text = " ".join(block.text.split())
        if not text or block.kind not in ("item", "paragraph"):
            continue
        if block.kind == "paragraph" and texts and (text[0].islower() or has_items and not texts[-1].rstrip().endswith((".", "!", "?"))):
            texts[-1] = f"{texts[-1]} {text}"
        elif block.kind == "item" or not has_items:
            texts.append(text)
    return texts


# --- people in running text -----------------------------------------------------------


def _people_in(blocks: list[Block]) -> tuple[list[Person], Person | None]:
    panellists: list[Person] = []
    moderator: Person | None = None
    for block in blocks:
        text = " ".join(block.text.split())
        for cue in PANELLISTS_CUE.finditer(text):
            if not panellists:
                panellists = parse_people(_list_extent(text, cue.end()))
        for cue in MODERATOR_CUE.finditer(text):
            if moderator is None:
                people = parse_people(_list_extent(text, cue.end()), single=True)
                moderator = people[0] if people else None
    return panellists, moderator


def _list_extent(text: str, start: int) -> str:
    """The text from a cue to the end of its sentence, ignoring full stops inside parentheses or after titles."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth > 0:
            continue
        if char == "." and (index + 1 == len(text) or text[index + 1].isspace()):
            if not _ends_with_abbreviation(text[start : index + 1]):
                return text[start:index]
        label = NEXT_LABEL.match(text, index) if index > start and text[index - 1].isspace() else None
        if label:
            return text[start:index]
    return text[start:]


def parse_people(text: str, single: bool = False) -> list[Person]:
    """People from "A (Org), B (Org, Acr) and C (Org)", "A (Org); B (Org)" or "X, Org"."""
    text = text.strip().rstrip(".;,")
    if "(" in text:
        return _people_with_parentheses(text)
    if single or ";" not in text and text.count(",") == 1 and " and " not in text:
        name, _, organisation = text.partition(",")
        return [_person(name, organisation)] if _looks_like_name(name) else []
    parts = [p for p in re.split(r"\s*;\s*", text) if p]
    if len(parts) > 1:  # "A, Org; B, Org"
        return [_person(*p.partition(",")[::2]) for p in parts if _looks_like_name(p.partition(",")[0])]
    return [_person(n, "") for n in _split_names(text) if _looks_like_name(n)]


def _people_with_parentheses(text: str) -> list[Person]:
    people, position = [], 0
    for name_part, organisation, end in _parenthesised(text):
        names = _split_names(name_part)
        people += [_person(n, "") for n in names[:-1] if _looks_like_name(n)]
        if names and _looks_like_name(names[-1]):
            people.append(_person(names[-1], organisation))
        position = end
    rest = [n for n in _split_names(text[position:]) if _looks_like_name(n)]
    return people + [_person(n, "") for n in rest]


def _parenthesised(text: str):
    """(text before the group, text inside the group, end) for each top-level "( ... )"."""
    depth, open_at, previous_end = 0, 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                open_at = index
            depth += 1
        elif char == ")" and depth > 0:
            depth -= 1
            if depth == 0:
                yield text[previous_end:open_at], text[open_at + 1 : index], index + 1
                previous_end = index + 1


def _split_names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:[,;&]|\band\b|\bas\s+well\s+as\b)\s*", text)
    return [p.strip() for p in parts if p.strip()]


def _looks_like_name(text: str) -> bool:
    words = TITLES.sub("", text.strip()).split()
    return 1 <= len(words) <= 6 and words[0][:1].isupper()


def _person(name: str, organisation: str) -> Person:
    name = re.sub(r"^(?:and|&)\s+|\s+respectively$", "", " ".join(name.split()).strip(" ,;:"))
    return Person(name=name, organisation=" ".join(organisation.split()).strip(" ,;"))


# --- keynote --------------------------------------------------------------------------


def _keynote(blocks: list[Block], sections: list[Section]) -> tuple[Person | None, Section | None]:
    for section in sections:
        match = KEYNOTE_HEADING.match(section.title)
        if not match or "keynote" not in section.title.lower():
            continue
        keynote_section = _keynote_extent(section, sections)
        people = parse_people(match["rest"], single=True) if "(" in match["rest"] else []
        if not people:
            body = [b for b in blocks[section.first_block + 1 : keynote_section.last_block] if b.kind == "paragraph"]
            people = _keynote_from_body(body)
        return (people[0] if people else None), keynote_section
    return None, None


def _keynote_extent(section: Section, sections: list[Section]) -> Section:
    later = [s for s in sections if s.first_block > section.first_block]
    end = next((s.first_block for s in later if s.level <= section.level or PANEL_HEADING.match(s.title)), section.last_block)
    return section.model_copy(update={"last_block": min(end, section.last_block)})


def _keynote_from_body(body: list[Block]) -> list[Person]:
    for block in body[:2]:
        text = " ".join(block.text.split())
        cue = re.search(r"(?i)\b(?:delivered|given|presented)\s+by\s+", text)
        if cue:
            return parse_people(_list_extent(text, cue.end()), single=True)
        named = re.match(r"^((?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+)\s*\(([^()]+)\)", text)
        if named:
            return [_person(named[1], named[2])]
    return []


# --- recommendations, organisers ------------------------------------------------------


def _recommendations(blocks: list[Block], sections: list[Section], panels: list[Panel]) -> list[str]:
    inside = [(p.first_block, p.last_block) for p in panels]
    found: list[str] = []
    for section in sections:
        if not RECOMMENDATIONS_HEADING.search(section.title) or any(a <= section.first_block < b for a, b in inside):
            continue
        end = next((s.first_block for s in sections if s.first_block > section.first_block), section.last_block)
        found += _list_texts(blocks[section.first_block + 1 : end])
    return found


def _organisers(blocks: list[Block], sections: list[Section]) -> list[str]:
    first_section_end = next((s.last_block for s in sections), len(blocks))
    for block in blocks[: max(first_section_end, 4)]:
        text = " ".join(block.text.split())
        cue = ORGANISERS.search(text)
        if cue:
            phrase = _organiser_phrase(text, cue.end())
            return [_strip_article(p) for p in ORGANISER_JOINS.split(phrase) if p.strip()]
    return []


def _organiser_phrase(text: str, start: int) -> str:
    """From "organised by" to the first top-level comma or full stop not followed by "together with"."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and char in ",.;" and not re.match(r",?\s*(?:together|in\s+cooperation|in\s+partnership|jointly)\b", text[index:]):
            return text[start:index]
    return text[start:]


def _strip_article(text: str) -> str:
    return re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.I)


# --- participants ---------------------------------------------------------------------


def _participants(blocks: list[Block], sections: list[Section]) -> list[Participant]:
    section = next((s for s in sections if PARTICIPANTS_HEADING.match(s.title.strip())), None)
    if section is None:
        return []
    body = blocks[section.first_block + 1 : section.last_block]
    rows = [row for b in body if b.kind == "table" for row in b.rows]
    if not rows:
        rows = [row for b in body if b.kind in ("paragraph", "item") for row in _rows_from_text(b.text)]
    columns = _columns(rows[0]) if rows else None
    if columns is not None:
        rows = rows[1:]
    return [p for p in (_participant(r, columns) for r in rows) if p is not None]


def _columns(header: list[str]) -> dict[str, int] | None:
    """Column roles from a header row, or None when the first row is data."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        label = cell.strip().lower()
        if re.search(r"surname|last\s+name|family\s+name", label):
            roles["surname"] = index
        elif re.search(r"given|first\s+name|forename", label):
            roles["given"] = index
        elif re.search(r"organi[sz]ation|institution|affiliation|agency|company", label):
            roles["organisation"] = index
        elif re.fullmatch(r"(full\s+)?name|participant|person", label):
            roles["name"] = index
    return roles or None


def _rows_from_text(text: str) -> list[list[str]]:
    """Rows of a participants list written as lines: a pipe table or "Name, Organisation"."""
    if text.count("|") >= 2:
        return _pipe_rows(text)
    text = " ".join(text.split())
    for separator in (r"\s+[–—-]\s+", r"\t|\s{2,}", r",\s*"):
        parts = re.split(separator, text, maxsplit=1)
        if len(parts) == 2:
            return [parts]
    group = re.match(r"^(.*?)\s*\((.*)\)$", text)
    return [[group[1], group[2]]] if group else [[text]]


def _pipe_rows(text: str) -> list[list[str]]:
    """A Markdown pipe table, even when its lines were joined into one paragraph."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) > 1:
        return [r for line in lines for r in _pipe_rows(line)]
    cells = [c.strip() for c in text.strip().split("|")]
    dashes = [i for i, c in enumerate(cells) if re.fullmatch(r":?-{3,}:?", c)]
    width = len(dashes) if dashes and dashes == list(range(dashes[0], dashes[0] + len(dashes))) else len(cells) - 2
    stream = cells[1:]
    rows = [stream[i : i + width] for i in range(0, len(stream) - width + 1, width + 1)]
    return [r for r in rows if r and any(r) and not all(re.fullmatch(r":?-{3,}:?", c) for c in r)]


def _participant(row: list[str], columns: dict[str, int] | None) -> Participant | None:
    cells = [" ".join(c.split()) for c in row]
    if not any(cells):
        return None
    if columns and "surname" in columns:
        surname = _cell(cells, columns["surname"])
        given = _cell(cells, columns.get("given", -1))
        organisation = _cell(cells, columns.get("organisation", len(cells) - 1))
        return Participant(name=f"{surname} {given}".strip(), organisation=organisation, surname=surname, given_name=given)
    if len(cells) >= 3 and not columns:  # surname | given name | organisation ...
        organisation = ", ".join(c for c in cells[2:] if c)
        return Participant(name=f"{cells[0]} {cells[1]}".strip(), organisation=organisation, surname=cells[0], given_name=cells[1])
    name_at = columns.get("name", 0) if columns else 0
    name = _cell(cells, name_at)
    organisation = _cell(cells, columns.get("organisation", 1) if columns else 1)
    surname, given = split_listed_name(name)
    return Participant(name=name, organisation=organisation, surname=surname, given_name=given)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if 0 <= index < len(cells) else ""


def split_listed_name(name: str) -> tuple[str, str]:
    """"Surname Given" as lists print it: the given name is the last word; a leading title is neither."""
    words = TITLES.sub("", name).split()
    if len(words) < 2:
        return (words[0] if words else "", "")
    return " ".join(words[:-1]), words[-1]


# --- cross-check ----------------------------------------------------------------------


def _person_issues(report: Report) -> list[Issue]:
    """People named in the text who are missing from the participants' list, or spelt differently there."""
    if not report.participants:
        return []
    exact = {_name_key(p.name, fold=False) for p in report.participants}
    folded = {_name_key(p.name): p for p in report.participants}
    issues = []
    for role, person, page in _named_people(report):
        if _name_key(person.name, fold=False) in exact:
            continue
        key = _name_key(person.name)
        close = [key] if key in folded else difflib.get_close_matches(key, list(folded), n=1, cutoff=0.8)
        if close:
            message = f"{role} '{person.name}' is listed as '{folded[close[0]].name}' in the participants' list"
        else:
            message = f"{role} '{person.name}' is not in the participants' list"
        issues.append(Issue(stage="structure", kind="person-mismatch", message=message, page=page))
    return issues


def _named_people(report: Report):
    if report.keynote:
        page = report.document.blocks[report.keynote_section.first_block].source.page if report.keynote_section else None
        yield "Keynote speaker", report.keynote, page
    for panel in report.panels:
        for person in panel.panellists:
            yield f"Panel {panel.number} panellist", person, panel.source.page
        if panel.moderator:
            yield f"Panel {panel.number} moderator", panel.moderator, panel.source.page


def _name_key(name: str, fold: bool = True) -> str:
    """Order-, case- and title-insensitive form ("Dr. Jean d'Cunha" == "Dr D'Cunha Jean"); `fold` also drops accents."""
    plain = TITLES.sub("", name).casefold()
    if fold:
        plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    words = re.sub(r"[^\w\s-]", "", plain).replace("-", " ").split()
    return " ".join(sorted(words))
