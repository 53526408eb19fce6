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

from tasks.model import Block, Document, Evidence, Inline, Issue, Panel, Participant, Person, Report, Section
from tasks.structure.front import DATE, FrontMatter, front_matter
from tasks.structure.participants import participants, split_listed_name
from tasks.structure.programme import is_keynote_row, programme_panels, programme_tables, with_programme_rows
from tasks.structure.people import (
    MODERATOR_CUE,
    PANELLISTS_CUE,
    PEOPLE_LINE,
    TITLES,
    ROLE_LABEL,
    _list_extent,
    _person,
    _unmarked,
    bold_named,
    BULLET_GLYPHS,
    heading_people,
    listed_people,
    opening_people_cue,
    panellists_named,
    parse_people,
    people_in,
    person_at,
)
from tasks.structure.recognisers import (
    KEYNOTE_BY,
    KEYNOTE_GIVER,
    KEYNOTE_THEN_NAME,
    DISCUSSION_HEADING,
    OUTCOMES_HEADING,
    PEOPLE_SUBHEADING,
    PANEL_HEADING,
    PLURAL_KEYNOTES,
    RECOMMENDATIONS_HEADING,
    REPORT_WIDE_HEADING,
    TIME_SLOT,
    bare_heading,
    keynote_heading,
    session_heading,
)
from tasks.structure.roles import assign_roles
from tasks.structure.text import split_sentences

__all__ = ["DATE", "PEOPLE_LINE", "FrontMatter", "parse_people", "split_listed_name", "split_sentences", "structure"]

VERSION = "6"  # bump when this stage's output changes for the same input


# --- the stage ------------------------------------------------------------------------

NO_PANELS = "This report has no panels; one brief per section"


def structure(document: Document) -> Report:
    """Recognise the report's front matter, sections and their roles, keynotes, panels, recommendations and participants."""
    blocks = document.blocks
    front = front_matter(document)
    sections = assign_roles(blocks, _sections(blocks, front.skip))
    panels = (
        with_programme_rows(_panels(blocks, sections), blocks)  # and the programme's rows outside them
        or programme_panels(blocks, sections)  # the rows of a programme table
        or _programme_line_panels(blocks, sections, front.title)  # session lines of a programme section
        or _list_item_panels(blocks, sections, front.title)  # working groups' write-ups headed by list items
        or _document_session(blocks, sections, front.title)
    )
    keynotes = _keynotes(blocks, sections)
    first = keynotes[0] if keynotes else None
    issues = []
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
    # A bare "Speakers:" over a list of bios is a heading.
    headings = [i for i, b in enumerate(blocks) if b.kind == "heading" and i not in skip and not _people_line(b.text)]
    starts = [i for i in headings if not _continues_heading(blocks, i)]
    sections = []
    for position, index in enumerate(starts):
        level = _level(blocks[index])
        end = next((j for j in starts[position + 1 :] if _level(blocks[j]) <= level), len(blocks))
        lines = [index] + [j for j in range(index + 1, end) if j in headings and j not in starts and _joined_to(blocks, index, j)]
        title = " ".join(blocks[j].text.strip() for j in lines)
        sections.append(Section(title=title, level=level, first_block=index, last_block=end))
    return sections


def _people_line(text: str) -> bool:
    label = PEOPLE_LINE.match(text.strip())
    return bool(label) and bool(text.strip()[label.end() :].strip())


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


# "9:45 am - 10:55 am Panel Discussion: Perspectives ...": a programme line that names a kind of session.
PROGRAMME_SESSION = re.compile(
    r"(?i)^(?:[\w’'&-]+\s+){0,3}(?:panel(?:\s+discussion)?|session|chat|round\s?table|workshop|breakout(?:\s+groups?)?|"
    r"working\s+group|dialogue|conversation|lightning\s+talks)\s*[:–—]\s*\S"
)
PROGRAMME_SESSION_CUE = "a programme line names a session"


def _programme_line_panels(blocks: list[Block], sections: list[Section], title: str) -> list[Panel]:
    """A programme's sessions, and a brief for each other top-level section so that the report's text is briefed too."""
    return _with_section_briefs(_programme_line_sessions(blocks, sections), blocks, sections, title)


def _with_section_briefs(sessions: list[Panel], blocks: list[Block], sections: list[Section], title: str) -> list[Panel]:
    """The sessions, and a brief for each top-level section that holds none of them, in reading order."""
    if not sessions:
        return []
    top = min((s.level for s in sections), default=1)
    holds = lambda s: any(s.first_block < p.first_block < s.last_block for p in sessions)  # noqa: E731
    others = [s for s in sections if not (s.level == top and holds(s))]
    panels = sorted(sessions + _section_briefs(blocks, others, title), key=lambda p: p.first_block)
    return [panel.model_copy(update={"number": str(ordinal)}) for ordinal, panel in enumerate(panels, start=1)]


# A section that speaks of its working groups, breakouts or sessions...
GROUP_WORDS = re.compile(r"(?i)\b(?:working\s+groups?|break-?outs?|sessions|tracks|discussion\s+groups|round\s?tables)\b")
# ...and writes each one up under a list item that is a title: short, no sentence, maybe with its web address.
WEB_ADDRESS_AFTER = re.compile(r"^(?P<name>.*?)\s*\((?:https?://|www\.)[^)]*\)")
LIST_SESSION_CUE = "list items head the write-ups of a section's working groups"


def _list_item_panels(blocks: list[Block], sections: list[Section], title: str) -> list[Panel]:
    """Where no heading makes a session: in a section whose heading or opening speaks of working groups
    or sessions, the title-like list items that each head paragraphs of their own."""
    sessions = []
    for section in sections:
        body = range(section.first_block + 1, section.last_block)
        heads = [i for i in body if _heads_write_up(blocks, i, section.last_block)]
        if len(heads) < 2 or any(blocks[i].kind == "heading" for i in range(heads[0], section.last_block)):
            continue
        first_item = next(i for i in body if blocks[i].kind == "item")
        if not GROUP_WORDS.search(" ".join(blocks[i].text for i in range(section.first_block, first_item))):
            continue
        for position, index in enumerate(heads):
            end = heads[position + 1] if position + 1 < len(heads) else section.last_block
            name = _item_title(blocks[index])
            evidence = Evidence(heading=name, cue=LIST_SESSION_CUE, page=blocks[index].source.page)
            line = Section(title=name, level=section.level + 1, first_block=index, last_block=end, role="session", evidence=evidence)
            sessions.append(_panel(blocks, line, end, len(sessions) + 1, []))
    return _with_section_briefs(sessions, blocks, sections, title)


def _item_title(block: Block) -> str:
    """The item's words, or those before its web address when its text runs on after it."""
    text = " ".join(block.text.split())
    match = WEB_ADDRESS_AFTER.match(text)
    return match["name"] if match else text


def _heads_write_up(blocks: list[Block], index: int, end: int) -> bool:
    """A list item that is a title (2-15 words, no sentence end) with a paragraph, not another item, under it."""
    if blocks[index].kind != "item" or index + 1 >= end or blocks[index + 1].kind != "paragraph":
        return False
    name = _item_title(blocks[index])
    return 2 <= len(name.split()) <= 15 and not re.search(r"[.:;,!?]$|[.!?]\s+[A-Z]", name)


def _programme_line_sessions(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    """Where no heading makes a session, the session lines of a programme section, each running to the next time slot."""
    lines = []
    for section in (s for s in sections if s.role == "programme"):
        slots = [i for i in range(section.first_block + 1, section.last_block) if TIME_SLOT.match(" ".join(blocks[i].text.split()))]
        for position, index in enumerate(slots):
            text = " ".join(blocks[index].text.split())
            if PROGRAMME_SESSION.match(bare_heading(text)):
                end = slots[position + 1] if position + 1 < len(slots) else section.last_block
                evidence = Evidence(heading=text, cue=PROGRAMME_SESSION_CUE, page=blocks[index].source.page)
                lines.append(Section(title=text, level=section.level + 1, first_block=index, last_block=end, role="session", evidence=evidence))
    return [_panel(blocks, line, line.last_block, ordinal, []) for ordinal, line in enumerate(lines, start=1)]


# A document titled "Linked Data breakout session" or "... Breakout Notes" is the record of one session.
DOCUMENT_SESSION = re.compile(r"(?i)\b(?:break-?out|session|working\s+group)\b(?!s)")
DOCUMENT_SESSION_CUE = "the document's title names one session"


def _document_session(blocks: list[Block], sections: list[Section], title: str) -> list[Panel]:
    """A document that is one session's notes: its title names a session, or (untitled, without headings) its
    opening line does, or its opening names the session's presenters or chair."""
    first = " ".join(blocks[0].text.split()) if blocks and blocks[0].kind == "paragraph" else ""
    title = title or (first.rstrip(".") if not sections and len(first) < 120 else "")
    opening = opening_people_cue(blocks[:4]) if not sections else ""
    if not blocks or not (DOCUMENT_SESSION.search(title) or opening):
        return []
    title = title or "Report"
    cue = DOCUMENT_SESSION_CUE if DOCUMENT_SESSION.search(title) else opening
    evidence = Evidence(heading=title, cue=cue, page=blocks[0].source.page)
    whole = Section(title=title, level=1, first_block=0, last_block=len(blocks), role="session", evidence=evidence)
    inside = [s for s in sections if s.first_block > 0]
    return [_panel(blocks, whole, len(blocks), 1, inside).model_copy(update={"title": title})]


def _is_outcomes_heading(title: str) -> bool:
    # "Session conclusions" is a sub-heading, not a panel called "conclusions".
    match = PANEL_HEADING.match(title)
    return match is not None and match["number"] is None and OUTCOMES_HEADING.fullmatch(match["title"].strip()) is not None


def _panel_end(panel: Section, sections: list[Section]) -> int:
    """The panel runs to the next session or keynote, or the next same-or-higher heading that is not one of its sub-headings."""
    has_outcomes = False
    deeper = any(s.level > panel.level for s in sections)
    # After the last of several sessions, none of the others with one, a "Conclusion" of their level closes the report
    # ("Main findings" there are still that session's).
    siblings = [s for s in sections if s.role == "session" and s.level == panel.level]
    outcome_headings = [s for s in sections if s.level == panel.level and s.role != "session" and OUTCOMES_HEADING.search(s.title)]
    closes_series = len(siblings) > 1 and siblings[-1].first_block == panel.first_block and len(outcome_headings) == 1 < len(siblings)
    for section in sections:
        if section.first_block <= panel.first_block:
            continue
        if section.role in ("session", "sessions", "keynote", "participants", "programme", "annex") and not _is_outcomes_heading(section.title):
            return section.first_block
        if section.level > panel.level:
            has_outcomes = has_outcomes or bool(OUTCOMES_HEADING.search(section.title))
            continue
        closes = closes_series and CLOSING_HEADING.search(section.title)
        is_sub = OUTCOMES_HEADING.search(section.title) and not REPORT_WIDE_HEADING.search(section.title) and not closes
        # Where the outline has deeper levels, a session's outcomes sit below it: a same-level heading is the report's.
        if section.level < panel.level or not is_sub or has_outcomes or deeper:
            return section.first_block
        has_outcomes = True
    return max((s.last_block for s in sections), default=panel.last_block)


CLOSING_HEADING = re.compile(r"(?i)\bconclu\w*|\bclosing\b")


def _panel(blocks: list[Block], section: Section, end: int, ordinal: int, subsections: list[Section]) -> Panel:
    match = session_heading(section.title)
    intro_end = subsections[0].first_block if subsections else end
    intro = [b for b in blocks[section.first_block + 1 : intro_end] if b.kind in ("paragraph", "item") or PEOPLE_LINE.match(b.text.strip())]
    # No text before its first sub-section: that sub-section's opening introduces it (an attendance list introduces nothing).
    opening = next((i for i, s in enumerate(subsections) if s.role != "participants"), None)
    if not intro and opening is not None:
        second = subsections[opening + 1].first_block if opening + 1 < len(subsections) else end
        intro = [b for b in blocks[subsections[opening].first_block + 1 : second] if b.kind in ("paragraph", "item")][:4]
    chairs, speakers = people_in([blocks[section.first_block], *intro])
    later = _people_under_subheadings(blocks, subsections, end) + [p for b in blocks[intro_end:end] if b.kind == "paragraph" for p in panellists_named(b.text)]
    for person in later:  # "Panelist X, Org, ..." further on is a speaker too
        if not any(_name_key(person.name) == _name_key(q.name) for q in speakers):
            speakers.append(person)
    speakers = [p for p in heading_people(section.title) if not any(_name_key(p.name) == _name_key(q.name) for q in speakers)] + speakers
    roster = [s for s in subsections if s.role == "participants"]
    if roster:
        chairs, speakers = (_with_listed_organisations(people, participants(blocks, roster)) for people in (chairs, speakers))
    return Panel(
        number=(match["number"] if match and match["number"] else str(ordinal)),
        title=(match["title"].strip() if match else bare_heading(section.title)),
        aim=_aim(intro),
        moderator=chairs[0] if chairs else None,
        panellists=speakers,
        outcomes=_outcomes(blocks, subsections, end) or _run_in_outcomes(blocks[section.first_block + 1 : intro_end]) or _run_in_outcomes(_under_talk(blocks, subsections, end)),
        first_block=section.first_block,
        last_block=end,
        source=blocks[section.first_block].source,
        chairs=chairs,
        evidence=section.evidence,
    )


def _with_listed_organisations(people: list[Person], listed: list[Participant]) -> list[Person]:
    """A person named without organisation takes the one the session's attendance list gives them."""
    known = {_name_key(p.name): p.organisation for p in listed if p.organisation}
    return [p if p.organisation else p.model_copy(update={"organisation": known.get(_name_key(p.name), "")}) for p in people]


def _under_talk(blocks: list[Block], subsections: list[Section], end: int) -> list[Block]:
    """The blocks under the session's discussion sub-headings: notes of the talk, whose run-in
    "Actions:" label may close it."""
    talks = [s for s in subsections if DISCUSSION_HEADING.match(bare_heading(s.title))]
    return [b for s in talks for b in blocks[s.first_block + 1 : min(s.last_block, end)]]


def _people_under_subheadings(blocks: list[Block], subsections: list[Section], end: int) -> list[Person]:
    """The people listed under a "Panel" or "Speakers" sub-heading of the session."""
    people = []
    for index, sub in enumerate(subsections):
        if PEOPLE_SUBHEADING.match(bare_heading(sub.title)):
            stop = subsections[index + 1].first_block if index + 1 < len(subsections) else end
            people += listed_people(blocks[sub.first_block + 1 : stop])
    return people


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
    heading = next((s for s in subsections if OUTCOMES_HEADING.search(s.title) and not DISCUSSION_HEADING.match(bare_heading(s.title))), None)
    if heading is None:
        return []
    stop = next((s.first_block for s in subsections if s.first_block > heading.first_block), end)
    direct = blocks[heading.first_block + 1 : min(stop, end)]
    # Prose over the heading's own sub-sections ("Subgroup A consisted of ...") introduces them: no outcomes.
    nested = any(s.level > heading.level and heading.first_block < s.first_block < heading.last_block for s in subsections)
    return [] if nested and not any(b.kind == "item" for b in direct) else _list_texts(direct)


# A run-in label that opens a session's outcomes: "Outcomes:", "Key takeaways:", "Action items:", "Next steps:",
# at the start of a paragraph (its text the first outcome) or ending a line (the items below are the outcomes).
RUN_IN_OUTCOMES = re.compile(
    r"(?i)(?:^|\s)(?:outcomes?|key\s+(?:take-?aways|points|messages|outcomes|findings)|take-?aways|action\s+(?:items|points)|"
    r"actions|next\s+steps|main\s+findings|conclusions?)\s*:\s*(?P<rest>.*)$"
)


# A sentence that leads into the list below it: "Suggestions from the session included:", "The recommendations were:".
OUTCOMES_LEAD = re.compile(
    r"(?i)\b(?:suggestions|recommendations|outcomes|conclusions|proposals|next\s+steps|action\s+items)\b[^.:]{0,40}?"
    r"\b(?:included|include|were|are)\s*:(?P<rest>)\s*$"
)


def _run_in_outcomes(body: list[Block]) -> list[str]:
    """The outcomes under a run-in label: the rest of its line, then the items (or short lines) below it."""
    for index, block in enumerate(body):
        text = " ".join(block.text.split())
        label = RUN_IN_OUTCOMES.search(text) or OUTCOMES_LEAD.search(text)
        if block.kind not in ("paragraph", "item") or label is None or label.start() > 0 and label["rest"]:
            continue
        below = []
        for following in body[index + 1 :]:
            if following.kind != "item" and not (following.kind == "paragraph" and RUN_IN_OUTCOMES.search(following.text) is None and below):
                break
            below.append(following)
        top = min((b.level for b in below if b.kind == "item"), default=0)
        items = [b for b in below if b.kind == "item" and b.level == top]  # nested bullets belong to their parent
        return ([label["rest"]] if label["rest"] else []) + [" ".join(b.text.split()) for b in items]
    return []


def _list_texts(blocks: list[Block]) -> list[str]:
    """Item texts (a lower-case paragraph continues the item before it); paragraphs when there are no items."""
    texts: list[str] = []
    blocks = [_glyph_item(b) for b in blocks]
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


def _glyph_item(block: Block) -> Block:
    """A paragraph that opens with a bullet glyph of a Symbol or Wingdings font ("\uf0b7 Action 1: ...") is an item."""
    text = block.text.lstrip()
    if block.kind != "paragraph" or not BULLET_GLYPHS.match(text) or not text[:1].strip():
        return block
    return block.model_copy(update={"kind": "item", "inlines": [Inline(text=BULLET_GLYPHS.sub("", text, count=1))]})


# --- keynotes -------------------------------------------------------------------------


KEYNOTE_SENTENCE_CUE = "a sentence names the keynote speaker"


def _keynotes(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    keynotes = _section_keynotes(blocks, sections) or _programme_keynotes(blocks)
    return keynotes or _sentence_keynotes(blocks, range(len(blocks)))


PROGRAMME_KEYNOTE_CUE = "a programme line names the keynote"


def _programme_keynotes(blocks: list[Block]) -> list[Panel]:
    """ "10:00 - 10:15 Welcome & Introduction" in a programme, its speakers in parentheses or on the lines below it
    (in a programme table, the row's lines under its title)."""
    found = []
    tables = programme_tables(blocks)
    for index, block in enumerate(blocks):
        if index in tables:
            found += [_programme_keynote(i.title, i.speakers, index, block) for i in tables[index] if is_keynote_row(i)]
            continue
        text = " ".join(block.text.split())
        match = keynote_heading(text) if TIME_SLOT.match(text) else None
        if match is None:
            continue
        below = blocks[index + 1] if index + 1 < len(blocks) else block
        below_text = " ".join(below.text.split()) if below is not block else ""
        short = len(below_text) < 100 and not TIME_SLOT.match(below_text)
        people = heading_people(text) or [_unmarked(p) for p in bold_named(below)] or (parse_people(below_text, single=True) if short else [])
        found.append(_programme_keynote(bare_heading(text), people, index, block))
    return found


def _programme_keynote(title: str, people: list[Person], index: int, block: Block) -> Panel:
    evidence = Evidence(heading="", cue=PROGRAMME_KEYNOTE_CUE, page=block.source.page)
    return Panel(number="keynote", title=title, panellists=people, first_block=index, last_block=index + 1,
                 source=block.source, kind="keynote", evidence=evidence)  # fmt: skip


def _sentence_keynotes(blocks: list[Block], indexes: range) -> list[Panel]:
    """Keynotes named in running text ("The keynote was delivered by X", "X delivered the second keynote")."""
    found = []
    for index in indexes:
        block = blocks[index]
        text = " ".join(block.text.split()) if block.kind == "paragraph" else ""
        for sentence in split_sentences(text):
            person = _keynote_speaker(sentence)
            if person and not any(_name_key(k.panellists[0].name) == _name_key(person.name) for k in found):
                evidence = Evidence(heading="", cue=KEYNOTE_SENTENCE_CUE, page=block.source.page)
                found.append(
                    Panel(number="keynote", title="Keynote", panellists=[person], first_block=index, last_block=index + 1,
                          source=block.source, kind="keynote", evidence=evidence)
                )  # fmt: skip
    return found


def _keynote_speaker(sentence: str) -> Person | None:
    giver = KEYNOTE_GIVER.search(sentence)
    if giver:
        return person_at(giver["name"])
    for pattern in (KEYNOTE_BY, KEYNOTE_THEN_NAME):
        cue = pattern.search(sentence)
        person = person_at(sentence[cue.end() :]) if cue else None
        if person:
            return person
    return None


def _section_keynotes(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    keynotes = []
    for section in sections:
        if section.role != "keynote":
            continue
        extent = _keynote_extent(section, sections)
        body = range(section.first_block + 1, extent.last_block)
        match = keynote_heading(section.title)
        if match and PLURAL_KEYNOTES.search(match["keynote"] or ""):
            # "Keynotes": a heading over several talks, each named in its body's sentences.
            keynotes += [k.model_copy(update={"evidence": section.evidence}) for k in _sentence_keynotes(blocks, body)]
            continue
        rest = match["rest"] if match else ""
        people = heading_people(rest) or (parse_people(rest, single=True) if "(" in rest else [])
        people = people or _keynote_from_body([blocks[i] for i in body if blocks[i].kind in ("paragraph", "item")])
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
    return next(s for s in reversed(sections) if s.first_block <= first_block)


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
        spoken = next(filter(None, map(_keynote_speaker, split_sentences(text))), None)
        if spoken:
            return [spoken]
        named = re.match(r"^((?:(?:Dr|Prof|Mr|Mrs|Ms)\.?\s+)?(?:[A-Z][\w'’.-]+\s+){1,3}[A-Z][\w'’-]+)\s*\(([^()]+)\)", text)
        if named:
            return [_person(named[1], named[2])]
    return []


# --- recommendations, organisers ------------------------------------------------------


def _recommendations(blocks: list[Block], sections: list[Section], panels: list[Panel]) -> list[str]:
    inside = [(p.first_block, p.last_block) for p in panels if p.kind != "section"]  # a section's brief is not a session
    inside += [(s.first_block, s.last_block) for s in sections if s.role == "annex"]  # an annex's next steps are its topic's
    found: list[str] = []
    for section in sections:
        if not RECOMMENDATIONS_HEADING.search(section.title) or any(a <= section.first_block < b for a, b in inside):
            continue
        end = next((s.first_block for s in sections if s.first_block > section.first_block), section.last_block)
        body = blocks[section.first_block + 1 : end]
        # "Conclusions" or "Next steps" in prose is a closing text, not a list of recommendations: only items count.
        if RECOMMENDS.search(section.title) or any(b.kind == "item" for b in body):
            found += _list_texts(body)
    return found


RECOMMENDS = re.compile(r"(?i)\brecommend")


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
