"""Roles of sections in a meeting, each with its evidence: the outline's second layer.

A section's role comes from its heading (a session kind, "Keynote", "Recommendations", a
participants or programme heading) and from its content: a section that opens by naming its
chair or speakers is a session whatever its heading says, and the sections directly under a
"Working Groups" or "Parallel sessions" heading are sessions too.
"""

from __future__ import annotations

import re

from tasks.model import Block, Evidence, Section
from tasks.structure.people import heading_people_cue, opening_people_cue
from tasks.structure.text import split_sentences
from tasks.structure.recognisers import (
    ANNEX_HEADING,
    ANNEX_PREFIX,
    BREAKOUT_HEADING,
    BACKGROUND_HEADING,
    CONTENTS_HEADING,
    COUNTED_PANEL,
    OUTCOMES_HEADING,
    PARTICIPANTS_HEADING,
    PEOPLE_SUBHEADING,
    PROGRAMME_HEADING,
    RECOMMENDATIONS_HEADING,
    SELF_REFERENCE,
    SESSIONS_HEADING,
    TRAILING_KIND,
    bare_heading,
    keynote_heading,
    session_heading,
)

# Roles a heading alone decides; a chair named in such a section chairs the meeting, not a session.
FIXED_ROLES = ("front", "background", "keynote", "participants", "programme", "annex")


def heading_role(title: str) -> tuple[str, str]:
    """(role, the pattern that gave it) from the heading's words alone."""
    words = bare_heading(title)
    unprefixed = ANNEX_PREFIX.sub("", words) if ANNEX_PREFIX.match(words) else words
    if CONTENTS_HEADING.match(words):
        return "front", "contents heading"
    if PARTICIPANTS_HEADING.match(unprefixed):
        return "participants", "participants heading"
    if ANNEX_PREFIX.match(words) and not PROGRAMME_HEADING.search(unprefixed):
        # "Appendix H. Metrics Working Group Discussion": an annex's detail on a session the report presents earlier.
        return "annex", "annex heading"
    if session_heading(words):
        return "session", "session heading"
    if BREAKOUT_HEADING.search(words) and not SESSIONS_HEADING.match(words):
        return "session", "heading names a breakout"
    if keynote_heading(words):
        return "keynote", "keynote heading"
    if SESSIONS_HEADING.match(words):
        return "sessions", "heading over sessions"
    if TRAILING_KIND.match(words):
        return "session", "heading ends with a session kind"
    if ANNEX_HEADING.match(words):
        return ("programme", "programme in an annex") if PROGRAMME_HEADING.search(unprefixed) else ("annex", "annex heading")
    if PROGRAMME_HEADING.search(words):
        return "programme", "programme heading"
    if RECOMMENDATIONS_HEADING.search(words):
        return "recommendations", "recommendations heading"
    if BACKGROUND_HEADING.match(words):
        return "background", "background heading"
    if OUTCOMES_HEADING.search(words):
        return "outcomes", "outcomes heading"
    return "", ""


def assign_roles(blocks: list[Block], sections: list[Section]) -> list[Section]:
    """Every section with its role and evidence."""
    roled = []
    for index, section in enumerate(sections):
        role, cue = heading_role(section.title)
        if role not in FIXED_ROLES and role not in ("session", "sessions"):
            opening = _opening(blocks, section, sections[index + 1 :])
            # Inside a session, "This group ..." speaks of that session, not of the sub-section.
            self_reference = "" if _within_session(section, roled) else _self_reference(opening, section.title, loose=not role and not _within_role(section, roled))
            line = heading_people_cue(section.title) or opening_people_cue(opening) or self_reference
            if line:
                role, cue = "session", line
        if not role and _under_sessions_heading(section, roled):
            role, cue = "session", f"under '{_parent(section, roled).title}'"
        people_heading = _people_subheading(section, sections[index + 1 :])
        if role in ("", "background") and people_heading:
            role, cue = "session", f"sub-heading '{people_heading.title}'"
        page = blocks[section.first_block].source.page if section.first_block < len(blocks) else None
        evidence = Evidence(heading=section.title, cue=cue, page=page) if role else None
        roled.append(section.model_copy(update={"role": role, "evidence": evidence}))
    return _containers(_between_sessions(blocks, _lifted(blocks, _follow_ups(roled))))


BETWEEN_SESSIONS_CUE = "between two sessions of its level"


def _between_sessions(blocks: list[Block], sections: list[Section]) -> list[Section]:
    """A section with no role of its own between two sessions of its level, with no heading of a higher level
    between them, is one of that run of sessions (a session written up without naming its people). Not between
    breakouts: a session's own sub-groups have interludes ("Group merger") that are the session's."""
    result = list(sections)
    for index, section in enumerate(sections):
        if section.role:
            continue
        before = next((s for s in reversed(sections[:index]) if s.level <= section.level), None)
        after = next((s for s in sections[index + 1 :] if s.level <= section.level), None)
        if all(s is not None and s.level == section.level and s.role == "session" and not _is_breakout(s) for s in (before, after)):
            page = blocks[section.first_block].source.page if section.first_block < len(blocks) else None
            evidence = Evidence(heading=section.title, cue=BETWEEN_SESSIONS_CUE, page=page)
            result[index] = section.model_copy(update={"role": "session", "evidence": evidence})
    return result


# "Subgroup A Actions" after "Subgroup A Discussion": the same group's results, not another session.
GROUP_PART = re.compile(r"(?i)^(?P<group>.+?)\s+(?P<part>discussion|actions?|outcomes?|results|recommendations?|conclusions?|next\s+steps)$")


def _follow_ups(sections: list[Section]) -> list[Section]:
    """A session heading that names an earlier session's group and one of its results is that group's outcomes."""
    result, seen = [], set()
    for section in sections:
        part = GROUP_PART.match(bare_heading(section.title))
        group = part["group"].casefold() if part else ""
        if section.role == "session" and part and group in seen and part["part"].lower() != "discussion":
            cue = "an earlier session's group and its results"
            section = section.model_copy(update={"role": "outcomes", "evidence": section.evidence.model_copy(update={"cue": cue})})
        elif section.role == "session" and part:
            seen.add(group)
        result.append(section)
    return result


def _lifted(blocks: list[Block], sections: list[Section]) -> list[Section]:
    """A section with no text of its own before its first sub-section, whose first sub-section opens by naming the
    session's people ("9 Methods" / "9.1 Sample delivery" / "Summarised by the note taker, X"): the parent is the session."""
    result = list(sections)
    for index, child in enumerate(sections[1:], start=1):
        parent = sections[index - 1]
        own_text = any(b.kind != "heading" for b in blocks[parent.first_block + 1 : child.first_block])
        by_opening = child.role == "session" and child.evidence and child.evidence.cue != child.title and not child.evidence.cue.startswith(("under ", "sub-heading "))
        if child.level > parent.level and not parent.role and not own_text and by_opening and not heading_role(child.title)[0]:
            result[index - 1] = parent.model_copy(update={"role": "session", "evidence": child.evidence.model_copy(update={"heading": parent.title})})
            result[index] = child.model_copy(update={"role": "", "evidence": None})
    return result


# "The group included ...", "the attendees divided themselves into groups", "To open the discussion ...",
# "This part of the discussion focused on ...": the opening speaks of the section as a group or a
# discussion, or of the groups it split into.
GROUP_SENTENCE = re.compile(
    r"^The\s+(?:sub-?)?group\b|\b(?:divided|split)\s+(?:themselves\s+|up\s+)?into\s+(?:[\w-]+\s+)?(?:sub-?)?groups\b"
    r"|^To\s+(?:open|start|begin)\s+the\s+(?:discussion|session)\b"
    r"|^This\s+(?:part\s+of\s+the\s+)?(?:discussion|session)\s+(?:\w+\s+)?(?:focus|cent|cover|address|explor|examin|consider|turn)"
)


def _self_reference(opening: list[Block], title: str, loose: bool) -> str:
    """The first sentence, when it speaks of the section as a group or session ("This group discussed ..."),
    one of the first two that does ("The group included ...", "the attendees divided themselves into
    groups", "To open the discussion ...", "... were categorized in the <title> group"), or a paragraph of the opening that counts the panel's members
    ("Four panelists ... shared ..."). The looser second-sentence cues only for a heading with no role of its
    own (a "Discussion and Actions" heading whose text opens "The group decided ..." stays outcomes)."""
    paragraphs = [" ".join(b.text.split()) for b in opening if b.kind == "paragraph"]
    if paragraphs and SELF_REFERENCE.match(paragraphs[0]):
        return paragraphs[0][:160]
    named = re.compile(rf"(?i)\bthe\s+{re.escape(bare_heading(title))}\s+(?:sub-?)?group\b")
    first = split_sentences(paragraphs[0])[:2] if paragraphs else []
    if loose and any(GROUP_SENTENCE.search(sentence) or named.search(sentence) for sentence in first):
        return paragraphs[0][:160]
    return next((text[:160] for text in paragraphs[:3] if COUNTED_PANEL.match(text)), "")


def _opening(blocks: list[Block], section: Section, later: list[Section]) -> list[Block]:
    """The first few blocks of the section, before any sub-heading."""
    end = min([s.first_block for s in later if s.first_block > section.first_block] + [section.last_block])
    return [b for b in blocks[section.first_block + 1 : end][:4] if b.kind != "table"]


def _people_subheading(section: Section, later: list[Section]) -> Section | None:
    inside = [s for s in later if s.first_block < section.last_block]
    return next((s for s in inside if s.level > section.level and PEOPLE_SUBHEADING.match(bare_heading(s.title))), None)


def _parent(section: Section, before: list[Section]) -> Section | None:
    return next((s for s in reversed(before) if s.level < section.level and s.last_block >= section.last_block), None)


def _within_role(section: Section, before: list[Section]) -> bool:
    """Inside a section that already has a role (a session, an annex, ...): "The group ..." there is that one's."""
    parent = _parent(section, before)
    while parent is not None:
        if parent.role:
            return True
        parent = _parent(parent, before)
    return False


def _within_session(section: Section, before: list[Section]) -> bool:
    parent = _parent(section, before)
    while parent is not None and parent.role != "session":
        parent = _parent(parent, before)
    return parent is not None


def _under_sessions_heading(section: Section, before: list[Section]) -> bool:
    """Directly under a "Working Groups" heading: no heading between them is of a level in between."""
    parent = _parent(section, before)
    if parent is None or parent.role != "sessions":
        return False
    between = [s for s in before if s.first_block > parent.first_block]
    return all(s.level >= section.level for s in between)


def _is_breakout(section: Section) -> bool:
    return bool(BREAKOUT_HEADING.search(bare_heading(section.title)) or SELF_REFERENCE.match(section.evidence.cue))


def _containers(sections: list[Section]) -> list[Section]:
    """A session whose sub-sections are sessions ("Day 1" over "Session 1.1") holds sessions rather than being one."""
    result = list(sections)
    for index, section in enumerate(sections):
        if section.role != "session":
            continue
        inside = [s for s in sections[index + 1 :] if section.first_block < s.first_block < section.last_block]
        held = [s for s in inside if s.role == "session" and s.level > section.level]
        # A session split into its own breakouts or sub-groups is a session as well as their parent.
        if held and not all(_is_breakout(s) for s in held):
            cue = "holds sessions"
            result[index] = section.model_copy(update={"role": "sessions", "evidence": section.evidence.model_copy(update={"cue": cue})})
    return result
