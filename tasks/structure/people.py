"""People named in running text, labelled lines and lists: "A (Org), B (Org)", "A, Org; B, Org", "chaired by A of Org"."""

from __future__ import annotations

import re

from tasks.model import Block, Person
from tasks.structure.text import _ends_with_abbreviation

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
PEOPLE_LINE = re.compile(r"(?i)^(?:moderators?|chair(?:person|s)?|co-chairs?|facilitators?|speakers|panel+ists|presenters)\s*:")


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
