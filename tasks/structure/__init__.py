"""Structure: the cleaned Document to a Report (front matter, sections and their roles, panels, people).

Layers, each from the facts of the one below (docs/structure.md): the front matter
(front.py), sections from the outline's headings, a role for each section from its heading
and its opening lines (roles.py), then the sessions' chairs, speakers and outcomes
(people.py), keynotes, recommendations and the participants list (participants.py).
Where no session is found, each top-level section is briefed instead. A pure function: no I/O.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from tasks.model import Block, Document, Evidence, Issue, Panel, Person, Report, Section
from tasks.structure.front import DATE, FrontMatter, front_matter
from tasks.structure.participants import participants, split_listed_name
from tasks.structure.programme import programme_panels, with_programme
from tasks.structure.people import (
    MODERATOR_CUE,
    PANELLISTS_CUE,
    PEOPLE_LINE,
    TITLES,
    ROLE_LABEL,
    _list_extent,
    _person,
    parse_people,
    people_in,
)
from tasks.structure.recognisers import (
    KEYNOTE_HEADING,
    OUTCOMES_HEADING,
    PANEL_HEADING,
    RECOMMENDATIONS_HEADING,
    REPORT_WIDE_HEADING,
    bare_heading,
    session_heading,
)
from tasks.structure.roles import assign_roles
from tasks.structure.text import split_sentences

__all__ = ["DATE", "PEOPLE_LINE", "FrontMatter", "parse_people", "split_listed_name", "split_sentences", "structure"]

VERSION = "3"  # bump when this stage's output changes for the same input


# --- the stage ------------------------------------------------------------------------

NO_PANELS = "This report has no panels; one brief per section"


def structure(document: Document) -> Report:
    """Recognise the report's front matter, sections and their roles, keynotes, panels, recommendations and participants."""
    blocks = document.blocks
    front = front_matter(document)
    sections = assign_roles(blocks, _sections(blocks, front.skip))
    panels = [with_programme(panel, blocks) for panel in _panels(blocks, sections)]
    keynotes = _keynotes(blocks, sections)
    first = keynotes[0] if keynotes else None
    issues = []
    if not panels:
        panels = programme_panels(blocks, sections)
    if not panels:
        panels = _section_briefs(blocks, sections, front.title)
        if panels:
            issues.append(Issue(stage="structure", kind="no-panels", message=NO_PANELS))
    report = Report(
        title=front.title,
        subtitle=front.subtitle,
        date=front.date,
        venue=front.venue,
        organisers=_organisers(blocks, sections),
        language=document.metadata.get("language", "en-GB"),
        sections=sections,
        keynote=first.panellists[0] if first and first.panellists else None,
        keynote_section=_keynote_extent(_section_at(first.first_block, sections), sections) if first and first.evidence.heading else None,
        keynotes=keynotes,
        panels=panels,
        recommendations=_recommendations(blocks, sections, panels),
        participants=participants(blocks, sections),
        document=document,
    )
    return report.model_copy(update={"issues": issues + _person_issues(report)})


# --- sections -------------------------------------------------------------------------


def _sections(blocks: list[Block], skip: frozenset[int]) -> list[Section]:
    # A short "Moderator: X, Org" line may arrive typed as a heading; it is a panel's people line.
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and i not in skip and not PEOPLE_LINE.match(b.text.strip())]
    starts = [i for i in headings if not _continues_heading(blocks, i)]
    sections = []
    for position, index in enumerate(starts):
        level = _level(blocks[index])
        end = next((j for j in starts[position + 1 :] if _level(blocks[j]) <= level), len(blocks))
        lines = [index] + [j for j in range(index + 1, end) if j in headings and j not in starts and _joined_to(blocks, index, j)]
        title = " ".join(blocks[j].text.strip() for j in lines)
        sections.append(Section(title=title, level=level, first_block=index, last_block=end))
    return sections


def _continues_heading(blocks: list[Block], index: int) -> bool:
    """A heading line right under another of the same level that starts in lower case is its wrapped second line."""
    if index == 0:
        return False
    above, block = blocks[index - 1], blocks[index]
    return (
        above.kind == "heading" and above.level == block.level and above.source.page == block.source.page
        and block.text.strip()[:1].islower()
    )  # fmt: skip


def _joined_to(blocks: list[Block], start: int, index: int) -> bool:
    return all(_continues_heading(blocks, j) for j in range(start + 1, index + 1))


def _level(block: Block) -> int:
    return max(1, block.level)


# --- panels ---------------------------------------------------------------------------


def _panels(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    starts = [s for s in sections if s.role == "session" and not _is_outcomes_heading(s.title)]
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
    """The panel runs to the next session or keynote, or the next same-or-higher heading that is not one of its sub-headings."""
    has_outcomes = False
    deeper = any(s.level > panel.level for s in sections)
    for section in sections:
        if section.first_block <= panel.first_block:
            continue
        if section.role in ("session", "sessions", "keynote", "participants", "programme", "annex") and not _is_outcomes_heading(section.title):
            return section.first_block
        if section.level > panel.level:
            has_outcomes = has_outcomes or bool(OUTCOMES_HEADING.search(section.title))
            continue
        is_sub = OUTCOMES_HEADING.search(section.title) and not REPORT_WIDE_HEADING.search(section.title)
        # Where the outline has deeper levels, a session's outcomes sit below it: a same-level heading is the report's.
        if section.level < panel.level or not is_sub or has_outcomes or deeper:
            return section.first_block
        has_outcomes = True
    return max((s.last_block for s in sections), default=panel.last_block)


def _panel(blocks: list[Block], section: Section, end: int, ordinal: int, subsections: list[Section]) -> Panel:
    match = session_heading(section.title)
    intro_end = subsections[0].first_block if subsections else end
    intro = [b for b in blocks[section.first_block + 1 : intro_end] if b.kind in ("paragraph", "item") or PEOPLE_LINE.match(b.text.strip())]
    chairs, speakers = people_in(intro)
    return Panel(
        number=(match["number"] if match and match["number"] else str(ordinal)),
        title=(match["title"].strip() if match else bare_heading(section.title)),
        aim=_aim(intro),
        moderator=chairs[0] if chairs else None,
        panellists=speakers,
        outcomes=_outcomes(blocks, subsections, end),
        first_block=section.first_block,
        last_block=end,
        source=blocks[section.first_block].source,
        chairs=chairs,
        evidence=section.evidence,
    )


CONTENT = ("paragraph", "item", "table")  # a report that is only an agenda table still has text to brief


def _section_briefs(blocks: list[Block], sections: list[Section], title: str) -> list[Panel]:
    """Where no session is recognised, each top-level content section stands in for one (the whole text if none)."""
    if not sections and any(b.kind in CONTENT for b in blocks):
        sections = [Section(title=title or "Report", level=1, first_block=0, last_block=len(blocks))]
    top = min((s.level for s in sections), default=1)
    chosen = [s for s in sections if s.level == top and s.role not in ("front", "keynote", "participants", "programme", "annex")]
    chosen = [s for s in chosen if any(b.kind in CONTENT for b in _body(blocks, s))]
    return [
        Panel(
            number=str(ordinal),
            title=bare_heading(section.title),
            aim=_aim([b for b in _body(blocks, section) if b.kind == "paragraph"]),
            first_block=section.first_block,
            last_block=section.last_block,
            source=blocks[section.first_block].source,
            kind="section",
            evidence=Evidence(heading=section.title, cue="top-level section; no sessions found", page=blocks[section.first_block].source.page),
        )
        for ordinal, section in enumerate(chosen, start=1)
    ]


def _body(blocks: list[Block], section: Section) -> list[Block]:
    """A section's blocks after its heading (all of them for the whole text, which has none)."""
    start = section.first_block + (blocks[section.first_block].kind == "heading")
    return blocks[start : section.last_block]


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
    return bool(PANELLISTS_CUE.search(sentence) or MODERATOR_CUE.search(sentence) or ROLE_LABEL.match(sentence))


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


# --- keynotes -------------------------------------------------------------------------


KEYNOTE_SENTENCE = re.compile(r"(?i)\bkeynote\b[^.]{0,60}?\b(?:(?:was|were)\s+)?(?:delivered|given|presented)\s+by\s+")
KEYNOTE_SENTENCE_CUE = "a sentence names the keynote speaker"


def _keynotes(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    keynotes = _section_keynotes(blocks, sections)
    return keynotes or _sentence_keynotes(blocks)


def _sentence_keynotes(blocks: list[Block]) -> list[Panel]:
    """Keynotes a report names only in its running text ("The keynote was delivered by X, who ...")."""
    found = []
    for index, block in enumerate(blocks):
        text = " ".join(block.text.split()) if block.kind == "paragraph" else ""
        for cue in KEYNOTE_SENTENCE.finditer(text):
            people = parse_people(_list_extent(text, cue.end()), single=True)
            if people and not any(k.panellists[0].name == people[0].name for k in found):
                evidence = Evidence(heading="", cue=KEYNOTE_SENTENCE_CUE, page=block.source.page)
                found.append(
                    Panel(number="keynote", title="Keynote", panellists=people, first_block=index, last_block=index + 1,
                          source=block.source, kind="keynote", evidence=evidence)
                )  # fmt: skip
    return found


def _section_keynotes(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    keynotes = []
    for section in sections:
        if section.role != "keynote":
            continue
        extent = _keynote_extent(section, sections)
        match = KEYNOTE_HEADING.match(bare_heading(section.title))
        rest = match["rest"] if match else ""
        people = parse_people(rest, single=True) if "(" in rest else []
        if not people:
            body = [b for b in blocks[section.first_block + 1 : extent.last_block] if b.kind in ("paragraph", "item")]
            people = _keynote_from_body(body)
        keynotes.append(
            Panel(
                number="keynote",
                title=bare_heading(section.title),
                panellists=people[:1],
                first_block=section.first_block,
                last_block=extent.last_block,
                source=blocks[section.first_block].source,
                kind="keynote",
                evidence=section.evidence,
            )
        )
    return keynotes


def _section_at(first_block: int, sections: list[Section]) -> Section:
    return next(s for s in sections if s.first_block == first_block)


def _keynote_extent(section: Section, sections: list[Section]) -> Section:
    """The keynote's section, cut at the next heading of its level or the next session."""
    later = [s for s in sections if s.first_block > section.first_block]
    end = next((s.first_block for s in later if s.level <= section.level or s.role in ("session", "keynote")), section.last_block)
    return section.model_copy(update={"last_block": min(end, section.last_block)})


def _keynote_from_body(body: list[Block]) -> list[Person]:
    for block in body[:2]:
        text = " ".join(block.text.split())
        chairs, speakers = people_in([block])
        if speakers:
            return speakers
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


ORGANISERS = re.compile(r"(?i)\b(?:organi[sz]ed|convened|co-organi[sz]ed|hosted)\s+(?:jointly\s+)?by\s+")
ORGANISER_JOINS = re.compile(r"\s*(?:,?\s*together\s+with|in\s+cooperation\s+with|in\s+partnership\s+with|jointly\s+with|,?\s+and)\s+")


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
