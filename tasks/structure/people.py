"""People named in running text, labelled lines and lists: "A (Org), B (Org)", "A, Org; B, Org", "chaired by A of Org"."""

from __future__ import annotations

import re

from nameparser.config import CONSTANTS

from tasks.model import Block, Inline, Person
from tasks.structure.text import _ends_with_abbreviation, split_sentences

PANELLISTS_CUE = re.compile(
    r"(?i)\b(?:(?:panel+ists|speakers|presenters|panel\s+members|discussants|contributors)\b"
    r"(?:[^.:;]{0,60}?\b(?:were|are|included|includes|comprised|was)\b\s*:?|\s*:|\s+(?=(?-i:[A-Z][\w'’.-]+\s+[A-Z])))"
    r"|(?:presentations|talks|contributions)\s+(?:(?:were\s+)?(?:given|made|delivered)\s+)?by"
    r"|\bpanel\s+(?:comprised|included|consisted\s+of|(?:was\s+)?composed\s+of|featured))\s*"
)
MODERATOR_CUE = re.compile(
    r"(?i)\b(?:(?:co-?)?(?:moderated|chaired|facilitated|convened|led|lead)\s+by|(?:captured|recorded|notes\s+taken)\s+by|"
    r"(?:note[\s-]?taker|rapporteur|scribe)\s*,|(?:the\s+)?(?:moderator|chair(?:person|man|woman)?|facilitator)"
    r"(?:\s+of\s+the\s+(?:session|panel|discussion))?\s*(?:was|were|:))\s*"
)
# A label that starts another list inside the same paragraph ("...; B (Org). Chair: C").
NEXT_LABEL = re.compile(
    r"(?i)\b(?:moderators?|chair(?:person)?s?|co-?chairs?|facilitators?|(?:co-?)?conven[eo]rs?|rapporteurs?|"
    r"note[\s-]?takers?|scribes?|discussants?|speakers|"
    r"panel+ists|presenters|panel\s+members)\s*:"
)
TITLES = re.compile(r"^(?:(?:Dr|Prof|Mr|Mrs|Ms|Mx|Sir|Dame|H\.?E|Amb|Professor|Doctor)\.?\s+)+", re.I)
# A name in running text: capitalised words (and particles), perhaps after a title.
NAME_WORDS = r"(?:(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.?\s+)?[A-Z][\w'’.-]*(?:\s+(?:[A-Z][\w'’.-]*|van|von|de|der|den|da|di|du|del|la|le)){1,4}"
DASH = re.compile(r"\s+[—–]\s+|\s+-\s+(?=[A-Z])")  # a spaced dash between a name and an organisation
PEOPLE_LINE = re.compile(r"(?i)^(?:moderators?|chair(?:person|s)?|co-chairs?|facilitators?|speakers|panel+ists|presenters)\s*:")


# "A (Org) and B (Org) co-chaired a session on ...": people before an active chairing verb.
ACTIVE_CHAIR = re.compile(
    r"^(?P<people>[A-Z].+?)\s+(?:co-?)?(?:led|chaired|moderated|facilitated|convened|hosted)\s+(?:a|an|the)\b[^.]{0,80}?"
    r"\b(?:session|panel|discussion|round\s?table|workshop|debate|breakout)\b"
)
# A role label opening a list of people: "Chair:", "Session conveners:", "Panel members:", "Keynote speaker:".
ROLE_LABEL = re.compile(
    r"(?i)(?:^|(?<=[\s().;]))(?P<label>(?:session\s+|panel\s+|workshop\s+|keynote\s+|invited\s+)?"
    r"(?P<word>co-?chairs?|chair(?:person|man|woman)?s?|moderators?|facilitators?|(?:co-?)?conven[eo]rs?|rapporteurs?|"
    r"note[\s-]?takers?|scribes?|notes\s+by|discussants?|"
    r"speakers?|panel+ists?|presenters?|panel\s+members|contributors))\s*:\s*"
)
# Capitalised words that open a sentence but never a name.
FUNCTION_WORDS = {"the", "this", "that", "these", "in", "at", "on", "for", "after", "before", "during", "our", "its", "their", "a", "an"}
BULLET = re.compile(r"^\s*[•·▪◦‣*–-]\s+")
CHAIR_WORDS = re.compile(r"(?i)chair|moderator|facilitator|conven|rapporteur|note|scribe|discussant")
PARTICLES = CONSTANTS.prefixes  # surname particles (van, de, al-, ...), nameparser's maintained list
# Head nouns of job titles ("Senior Policy Advisor", "Director for Science"). nameparser's title list also holds
# words that head organisations' names ("Business for ...", "National ..."), so it does not serve here.
JOB_TITLES = {
    "director", "manager", "adviser", "advisor", "specialist", "officer", "analyst", "designer", "architect", "chief",
    "head", "president", "professor", "lecturer", "researcher", "scientist", "engineer", "fellow", "coordinator",
    "consultant", "editor", "chair", "lead", "strategist", "administrator", "dean", "founder", "co-founder", "ceo",
    "cto", "representative", "ambassador", "minister", "secretary", "commissioner", "economist", "librarian", "developer", "laureate",
}  # fmt: skip


def people_in(blocks: list[Block]) -> tuple[list[Person], list[Person]]:
    """(chairs, speakers) named in a session's opening blocks, by labelled lines, lists and sentences."""
    chairs: list[Person] = []
    speakers: list[Person] = []
    for index, block in enumerate(blocks):
        if block.kind not in ("paragraph", "item", "heading"):
            continue
        text = " ".join(block.text.split())
        listed = bold_named(block)
        _add(chairs, [_unmarked(p) for p in listed if ROLE_MARKER.match(p.organisation)])
        _add(speakers, [p for p in listed if not ROLE_MARKER.match(p.organisation)])
        for is_chair, people in _labelled(text, blocks[index + 1 :]):
            _add(chairs if is_chair else speakers, people)
        _add(chairs, _chairs_in(block, text))
        _add(speakers, _speakers_in(block, text, opening=index < OPENING_PARAGRAPHS))
    _add(chairs, [_unmarked(p) for p in speakers if ROLE_MARKER.match(p.organisation)])
    known = [p for b in blocks for p in _mentions(" ".join(b.text.split())) if p.organisation]
    return [_with_known_organisation(p, known) for p in chairs], [
        _with_known_organisation(p, known) for p in speakers if not any(_same_name(p, c) for c in chairs)
    ]


def bold_named(block: Block) -> list[Person]:
    """People listed with their names set in bold, each followed by their role or affiliation in plain text:
    "**Jane Roe**, Director, Harbour Office **Li Wei** (moderator), Sea Lab". Every bold run must be a name."""
    runs = [i for i in block.inlines if i.text.strip()]
    if not runs or not runs[0].bold or not any(not i.bold for i in runs):
        return []
    people: list[Person] = []
    for run in runs:
        text = " ".join(run.text.split())
        if run.bold:
            if not (_looks_like_name(text) and _is_personal_name(text)):
                return []
            people.append(_person(text, ""))
        else:
            rest = re.sub(r"^[\s,;:–—-]+", "", people[-1].organisation + " " + text if people[-1].organisation else text)
            people[-1] = people[-1].model_copy(update={"organisation": rest})
    return [_person(p.name, _role_first(p.organisation)) for p in people]


def _role_first(text: str) -> str:
    """ "(moderator), Senior Advisor, Office X" -> "moderator, Office X": the role marker kept for the caller."""
    role = re.match(r"^\((?P<role>[^()]+)\)[\s,]*", text)
    if role and ROLE_MARKER.match(role["role"]):
        rest = affiliation(text[role.end() :].strip())
        return f"{role['role']}, {rest}" if rest else role["role"]
    return affiliation(text)


def _chairs_in(block: Block, text: str) -> list[Person]:
    """Chairs named in sentences ("chaired by X", "X led a session") or marked in an attendees line ("X (chair)")."""
    chairs: list[Person] = []
    for cue in MODERATOR_CUE.finditer(text):
        found = parse_people(_list_extent(text, cue.end()), single=not _plural(cue[0]))
        if not found and not _plural(cue[0]):  # "captured by Jo Ames during the discussion": the name, not the clause
            found = [p for p in [person_at(text[cue.end() :])] if p]
        # "led by the Research Council": a loose cue needs a personal name.
        _add(chairs, [p for p in found if _is_personal_name(p.name)] if LOOSE_CUE.match(cue[0]) else found)
    for sentence in split_sentences(text)[:3]:
        active = ACTIVE_CHAIR.match(sentence)
        if active:
            people = parse_people(active["people"])
            # "X, Manager, Mobile Programs at Org led a panel": one person and their job, not two people.
            named = active["people"].find(people[0].name) if people else -1
            one = person_at(active["people"][named:]) if named >= 0 and any(_is_job_title(p.name) for p in people) else None
            _add(chairs, [one] if one else people)
    if block.kind == "paragraph" and ATTENDANCE.match(text):  # "Attendees: X (chair), Y": only the marked
        _add(chairs, [_unmarked(p) for p in _mentions(text) if ROLE_MARKER.match(p.organisation)])
    return chairs


def _speakers_in(block: Block, text: str, opening: bool) -> list[Person]:
    """Speakers named by cues ("presented by", "the panellists were"), programme items and prose."""
    speakers = [p for cue in PRESENTED_BY.finditer(text) for p in parse_people(_list_extent(text, cue.end())) if _is_personal_name(p.name)]
    for cue in PANELLISTS_CUE.finditer(text):
        if not ROLE_LABEL.match(text, cue.start()):
            _add(speakers, parse_people(_list_extent(text, cue.end())))
    if block.kind == "item":
        _add(speakers, heading_people(text) or _talk_speaker(text))
    if block.kind == "paragraph":  # a numbered list of talks run into one paragraph: "... solution. (1) A: Title ..."
        _add(speakers, [p for item in RUN_IN_ITEM.split(text)[1:] for p in _talk_speaker(item)])
    if block.kind == "paragraph" and not ATTENDANCE.match(text):
        _add(speakers, _speakers_in_prose(text) + (_mentions(text) if opening else []))
    for sentence in split_sentences(text):
        presenters = PRESENTED.match(sentence)
        if presenters:
            _add(speakers, parse_people(presenters["people"]))
    return speakers


# "Rich Signell and Bert Jagers gave a presentation on ...", "X presented an overview of ...".
PRESENTED = re.compile(
    r"^(?P<people>[A-Z][^.,;:]{2,80}?)\s+(?:gave|delivered|presented|made)\s+(?:a|an|the|their|his|her)\s+(?:\w+\s+){0,2}"
    r"(?:presentation|talk|overview|demo|demonstration|lecture|introduction|keynote)s?\b"
)
# "Jonathan Yu (chair)", "Mark Hedley (co-chair, remote)", "Shaibya Dalal (moderator)": a role in the parentheses.
ROLE_MARKER = re.compile(r"(?i)^(?:co-?)?(?:chair(?:person)?|moderator|facilitator|convener|convenor|rapporteur|lead)\b")


def _unmarked(person: Person) -> Person:
    """ "(co-chair, University X)" -> University X; "(co-chair, remote dial in)" -> no organisation."""
    rest = ROLE_MARKER.sub("", person.organisation).strip(" ,;")
    return person.model_copy(update={"organisation": rest if rest[:1].isupper() else ""})


def _with_known_organisation(person: Person, known: list[Person]) -> Person:
    """A person named without organisation takes the one stated with their name elsewhere in the session."""
    if person.organisation:
        return person
    same = next((k for k in known if _same_name(person, k) and not ROLE_MARKER.match(k.organisation)), None)
    return person.model_copy(update={"organisation": same.organisation}) if same else person


LOOSE_CUE = re.compile(r"(?i)lead|led|captured|recorded|note|rapporteur|scribe")
PRESENTED_BY = re.compile(r"(?i)\bpresented\s+by\s+")


# Reporting verbs after a speaker's name and affiliation ("X, Manager, Agency, discussed how ...").
SPEECH_VERBS = (
    r"(?:discussed|shared|talked|explained|spoke|said|says|presented|described|noted|highlighted|emphasi[sz]ed|stressed|"
    r"argued|outlined|showed|demonstrated|introduced|reported|addressed|pointed|offered|gave|walked|suggested|focus+ed|"
    r"knows|knew|works|worked|believes|believed|provided|reviewed|summari[sz]ed|opened|closed)"
)
# A paragraph that opens with a person, their affiliation and what they said.
SPEAKER_OPENING = re.compile(
    rf"^(?:(?i:panel+ist|speaker|presenter)\s+)?(?P<name>{NAME_WORDS})(?P<affiliation>\s*\([^()]+\)|,\s[^;:]{{3,200}}?)"
    rf",?\s+{SPEECH_VERBS}\b"
)
PANELLIST_NAMED = re.compile(r"\b[Pp]anel+ist\s+(?=[A-Z])")  # "... panelist Jack Bienko, Deputy Director, ..."
# A panel's opening statements written up one per paragraph: "Maya opened with: ...", "Li Wei began with: ...".
# The colon sets the statement off; the name may be a given name alone, as printed.
OPENED_WITH = re.compile(r"^(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2})\s+(?:opened|began|started)\s+with\s*:")


def _speakers_in_prose(text: str) -> list[Person]:
    """Speakers a paragraph names: "X, Job title, Org, discussed ..." opening one of its sentences, "panelist X, Org"
    anywhere."""
    people = []
    for opening in map(SPEAKER_OPENING.match, split_sentences(text)):
        if opening and _looks_like_name(opening["name"]):
            people.append(_person(opening["name"], re.sub(r"^\s*\(|\)\s*$|^[\s,]+", "", opening["affiliation"])))
    statement = _opening_statement(text)
    return people + ([statement] if statement else []) + panellists_named(text)


def _opening_statement(text: str) -> Person | None:
    """The speaker of a paragraph that is their opening statement: "Maya opened with: ..."."""
    match = OPENED_WITH.match(text)
    words = match["name"].split() if match else []
    if not words or words[0].lower() in FUNCTION_WORDS or CUE_WORDS.fullmatch(words[0]) or ORGANISATION_WORDS.search(match["name"]):
        return None
    return _person(match["name"], "")


def panellists_named(text: str) -> list[Person]:
    """The people a text calls panellists: "... panelist Jack Bienko, Deputy Director, Agency, ..."."""
    return [p for p in (person_at(text[m.end() :]) for m in PANELLIST_NAMED.finditer(text)) if p]


MENTION = re.compile(rf"(?P<name>{NAME_WORDS})\s*\((?P<org>[^()]+)\)(?!\s*:)")  # "X (Org):" opens a comment
OPENING_PARAGRAPHS = 4  # where a session's report introduces its speakers


def _mentions(text: str) -> list[Person]:
    """People written "Name (Organisation)" anywhere in a session's opening text: "Caterina Doglioni (University of
    Manchester) described ...". Not "Research Software Alliance (ReSA)" (an acronym) nor "Jones (2014)" (a citation)."""
    people = []
    for match in MENTION.finditer(text):
        if text.count("(", 0, match.start()) > text.count(")", 0, match.start()):
            continue  # inside an organisation's parentheses: "(US Research Software Engineers (RSE) Association)"
        words = match["name"].split()
        before = text[: match.end("name")].split()[-8:]
        # "Earth Science Information Partners (ESIP)", "Integrated Ocean Observing System (IOOS)" (longer than a name)
        if any(_is_acronym_of(match["org"].strip(), " ".join(before[-k:])) for k in range(1, len(before) + 1)):
            continue
        while words and (words[0].lower() in FUNCTION_WORDS or CUE_WORDS.fullmatch(words[0])):
            words.pop(0)
        if sum(w[:1].isupper() for w in words) > 3:  # "Hausman Ajay Krishnan Ben Koziol": names run together
            words = words[-2:]
        name, organisation = " ".join(words), match["org"].strip()
        is_organisation = (organisation[:1].isupper() or ROLE_MARKER.match(organisation)) and not re.search(r"\d", organisation)
        if _is_personal_name(name) and is_organisation and not _is_acronym_of(organisation, name):
            people.append(_person(name, organisation))
    return people


CUE_WORDS = re.compile(r"(?i)speakers?|panel+ists?|presenters?|moderators?|chairs?|presentations?|talks?|with|by|and|attendees|participants|present")
ATTENDANCE = re.compile(r"(?i)^(?:attendees|participants|attendance|present|in\s+attendance)\b:?")  # who came, not who spoke


def _is_acronym_of(short: str, name: str) -> bool:
    """ "ReSA" for "Research Software Alliance", "CESPI" for "Centro Studi di Politica Internazionale": one word
    whose letters follow the name's letters in order, from its first, holding every capitalised word's initial."""
    letters, initials = re.sub(r"-\s*", "", short.lower()), [w[0].lower() for w in name.split() if w[:1].isupper()]
    if " " in short or sum(c.isupper() for c in short) < 2 or not initials or letters[0] != initials[0]:
        return False
    rest = iter(name.lower())
    return all(c in rest for c in letters) and all(i in letters for i in initials)


def heading_people_cue(title: str) -> str:
    """The heading itself when it names its speakers or its chair: "Road map (Jane Doe)", "Day 1 (Moderator: X, Org)"."""
    labelled = any(people for _, people in _labelled(" ".join(title.split()), []))
    return title if heading_people(title) or labelled else ""


def opening_people_cue(blocks: list[Block]) -> str:
    """The line naming a chair or speakers when a section opens with one: the evidence that it is a session."""
    for block in blocks[:3]:
        text = " ".join(block.text.split())
        first = " ".join(split_sentences(text)[:2])
        label = ROLE_LABEL.match(text)
        if label and _labelled(text, []) and any(people for _, people in _labelled(text, blocks[blocks.index(block) + 1 :])):
            return text[:160]
        for cue in [*MODERATOR_CUE.finditer(first), *PANELLISTS_CUE.finditer(first)]:
            if parse_people(_list_extent(first, cue.end())):
                return first[:160]
        active = next((m for m in map(ACTIVE_CHAIR.match, split_sentences(first)) if m), None)
        if active and parse_people(active["people"]):
            return first[:160]
    opening = (" ".join(b.text.split()) for b in blocks if b.kind == "paragraph")
    return next((text[:160] for text in opening if SPEAKER_OPENING.match(text) or PRESENTED.match(text) or _opening_statement(text)), "")


def _labelled(text: str, following: list[Block]):
    """(is a chairing role, people) for each role label in the text; a label ending the text heads the list below it."""
    labels = list(ROLE_LABEL.finditer(text))
    for position, label in enumerate(labels):
        end = labels[position + 1].start() if position + 1 < len(labels) else len(text)
        segment = text[label.end() : end]
        singular = not _plural(label["word"])
        is_chair = bool(CHAIR_WORDS.search(label["word"]))
        last = position + 1 == len(labels)
        if last and following and _wraps(segment, following[0]):  # "... and Jo" / "Marsh (Coast Guard)"
            segment = f"{segment.rstrip()} {' '.join(following[0].text.split())}"
        if segment.strip():
            segment = re.sub(r"\)\s*$", "", segment) if segment.count(")") > segment.count("(") else segment
            people = parse_people(_list_extent(segment, 0), single=singular and is_chair)
            # "Presenters: • A (Org)" with B and C as the items below: the list goes on past the line.
            yield is_chair, people + (_listed_below(following) if last and BULLET.match(segment) else [])
        elif last:
            yield is_chair, _listed_below(following)


# A programme item that pairs a talk with its speaker: "Jane Roe (Lab): Fast Tracking on GPUs",
# "Fast Tracking on GPUs – Jane Roe (Lab)". A comment in minutes ("Jane Roe: I agree ...") is a sentence, not a title.
NAME_THEN_TITLE = re.compile(rf"^(?P<name>{NAME_WORDS})(?:\s*\((?P<org>[^()]+)\))?\s*:\s+(?P<title>.+)$")


def _talk_speaker(item: str) -> list[Person]:
    """ "Detector upgrades (Jane Roe)" is heading_people's; this reads the other orders of a talk and its speaker."""
    item = LIST_MARKER.sub("", item)
    presenter = _presenting_author(item)
    if presenter:
        return [presenter]
    first = NAME_THEN_TITLE.match(item)
    if first and _is_personal_name(first["name"]) and _is_title(first["title"]):
        return [_person(first["name"], first["org"] or "")]
    parts = DASH.split(item)
    if len(parts) > 1 and _is_title(parts[0]):
        person = person_at(parts[-1])
        return [person] if person and _is_personal_name(person.name) else []
    return []


RUN_IN_ITEM = re.compile(r"(?<=[.!?”\"])\s+(?=\(\d{1,3}\)\s+[A-Z])")
LIST_MARKER = re.compile(r"^\s*(?:\(\d{1,3}\)|\d{1,3}[.)])\s+")  # "1. ", "(12) ", "3) "
# A talk written up as a list item: its authors, a colon, its title and what was said ("A, B, and C: Title. A presented ...").
AUTHORS_THEN_TALK = re.compile(r"^(?P<authors>[A-Z](?:[^:.]|(?<=\b[A-Z])\.){2,400}?):\s+(?P<rest>\S.*)$")


def _presenting_author(item: str) -> Person | None:
    """Of a talk's authors, the one the write-up names again (who presented it); a sole author whose talk's title opens
    the text. A comment in minutes ("Jane Roe: I agree that ...") has neither."""
    match = AUTHORS_THEN_TALK.match(item)
    if match is None:
        return None
    parts = _split_names(match["authors"])
    authors = [n for n in parts if _looks_like_name(n) and _is_personal_name(n)]
    if not authors or len(authors) * 5 < len(parts) * 4:
        return None
    rest = match["rest"]
    named = [(_named_at(author, rest), author) for author in authors]
    named = [(at, author) for at, author in named if at >= 0]
    if named:
        return _person(min(named)[1], "")
    return _person(authors[0], "") if len(authors) == 1 and _title_words(rest) >= 3 else None


def _named_at(author: str, text: str) -> int:
    """Where the text names the author again, by full name or by surname; -1 if it does not."""
    for name in (author, author.split()[-1]):
        found = re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text)
        if found:
            return found.start()
    return -1


TITLE_CONNECTORS = {"a", "an", "the", "of", "and", "or", "for", "in", "on", "to", "at", "by", "from", "with", "via", "vs.", "vs", "it", "is", "into", "through"}


def _title_words(text: str) -> int:
    """How many capitalised words open the text before its first lower-case word of prose: a title's."""
    count = 0
    for word in text.split():
        if any(c.isupper() for c in word):
            count += 1
        elif word.lower().strip(",:;()") not in TITLE_CONNECTORS:
            break
    return count


def _is_title(text: str) -> bool:
    """Three to fifteen words, no sentence end, most longer words capitalised: a talk's title."""
    words = text.split()
    long = [w for w in words if len(w) > 3]
    capitalised = sum(w[:1].isupper() for w in long)
    return 3 <= len(words) <= 15 and not text.rstrip().endswith((".", "?", "!")) and capitalised * 2 > len(long)


def _wraps(segment: str, below: Block) -> bool:
    """A list of people that breaks off mid-list or mid-name goes on in the short line below."""
    text = " ".join(below.text.split())
    dangling = re.search(r"(?:,|\band|&)\s*$|(?:,|\band|&)\s+[A-Z][\w'’-]*\s*$", segment)
    return bool(dangling) and below.kind in ("paragraph", "item") and len(text) < 100 and text[:1].isupper() and not ROLE_LABEL.match(text)


# Bullet glyphs, including the private-use ones of Symbol and Wingdings fonts that a PDF may keep inside a line.
BULLET_GLYPHS = re.compile(r"\s*[•·▪◦‣\uf0a7\uf0b7\uf076\uf0d8\uf0fc]\s*")


def listed_people(blocks: list[Block]) -> list[Person]:
    """The people under a "Panel" or "Speakers" sub-heading: one per item or short line, or bullets run into a line."""
    lines = []
    for block in blocks:
        text = " ".join(block.text.split())
        pieces = [p for p in BULLET_GLYPHS.split(text) if p]
        lines += [block] if len(pieces) < 2 else [block.model_copy(update={"kind": "item", "inlines": [Inline(text=p)]}) for p in pieces]
    return _listed_below(lines)


def _listed_below(blocks: list[Block]) -> list[Person]:
    """One person per item (or short unpunctuated line) under a "Speakers:" label."""
    people = []
    for block in blocks:
        text = " ".join(block.text.split())
        short_line = block.kind == "paragraph" and len(text) < 100 and not text.endswith(".")
        if block.kind != "item" and not short_line:
            break
        found = parse_people(_list_extent(text, 0), single="(" not in text)
        if not found:
            break
        people.append(found[0])
    return people


def _plural(word: str) -> bool:
    return bool(re.search(r"(?i)(?:s|members|were)\b\W*$", word.strip()))


def _add(people: list[Person], found: list[Person]) -> None:
    for person in found:
        if not any(_same_name(person, known) for known in people):
            people.append(person)


def _same_name(a: Person, b: Person) -> bool:
    return TITLES.sub("", a.name).casefold() == TITLES.sub("", b.name).casefold()


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


# "A of Org1, B from Org2 and C of Org3": a name before "of"/"from" and its organisation.
OF_PERSON = re.compile(rf"(?P<name>{NAME_WORDS})\s+(?:of|from)\s+(?P<org>.+?)(?=(?:,\s*|,?\s+and\s+){NAME_WORDS}\s+(?:of|from)\s|$)")
# A relative clause after an organisation ("X of Org, who spoke about ...") is not part of it.
CLAUSE = re.compile(r",?\s+(?:who|which|where|whose|and\s+(?:then|also)|(?:en)?titled)\b.*$|,\s+(?:on|about|to|with)\s+[a-z].*$")


def parse_people(text: str, single: bool = False) -> list[Person]:
    """People from "A (Org), B (Org, Acr) and C (Org)", "A (Org); B (Org)", "X, Org" or "A of Org and B of Org"."""
    text = BULLET.sub("", text.strip()).rstrip(".;,")
    if single:  # one person: a semicolon ends them ("captured by X; the data were ...")
        text = text.split(";")[0]
    if "(" in text:
        people = _people_with_parentheses(text)
        return people[:1] if single else people
    of_people = _people_with_of(text)
    if of_people:
        return of_people[:1] if single else of_people
    if DASH.search(text):  # "Jane Doe — Water Board; Li Wei – Sea Lab"
        pairs = [DASH.split(part, maxsplit=1) for part in re.split(r"\s*;\s*", text) if part.strip()]
        people = [_person(pair[0], pair[1] if len(pair) > 1 else "") for pair in pairs if _looks_like_name(pair[0])]
        return people[:1] if single else people
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
        if re.fullmatch(r"\s*[,;]?\s*[A-Z][\w'’-]+,\s+[A-Z][\w'’.-]+\s*", name_part):
            names = [name_part.strip(" ,;")]  # "Doe, Jane (Org)": one name, surname first
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


def _people_with_of(text: str) -> list[Person]:
    """ "A of Org1, B of Org2 and C of Org3", when every piece is a name and its organisation."""
    if not re.search(r"\s(?:of|from)\s", text) or ";" in text:
        return []
    people = []
    for match in OF_PERSON.finditer(text):
        if match.start() and text[: match.start()].strip(" ,") and not people:
            return []  # words before the first name: not a list of people
        name = match["name"]
        if not _looks_like_name(name):
            return []
        people.append(_person(name, re.sub(r"^the\s+", "", match["org"].strip())))
    return people


# Where the sentence goes on after a name and its organisation: a relative clause or a lower-case word
# that is not a connector inside an organisation's name ("X of the Mozilla Science Lab talked about ...").
PROSE_AFTER_NAME = re.compile(
    r",?\s+(?:who|which|whose|where)\b|(?<=[\w.),])\s+(?!(?:of|from|for|and|the|de|du|la|van|von|on|in|at|to|und|y)\b)(?=[a-z])"
)


def person_at(text: str) -> Person | None:
    """The person named at the start of running text with what follows the name: "X of Org talked ...",
    "X, Job title, Org, who ...", "X (Org)"."""
    start = re.match(NAME_WORDS, text)
    if start is None or not _looks_like_name(start[0]) or start[0].split()[0].lower() in FUNCTION_WORDS:
        return None
    extent = PROSE_AFTER_NAME.split(_list_extent(text, 0), maxsplit=1)[0]
    extent = re.sub(r"(?:[\s,]+(?:of|from|for|and|the|on|in|at|to))+$", "", extent)
    people = parse_people(extent, single=True)
    return people[0] if people else _person(start[0], "")


def heading_people(title: str) -> list[Person]:
    """The people a heading names in its closing parentheses: "Road map (Jane Doe)", "Tools (A. Bee, C. Dee, NCAS)".
    Each must be a personal name (a capitalised word in lower case after its first letter), not an acronym."""
    inside = re.search(r"\(([^()]+)\)\s*$", title)
    before = title[: inside.start()].strip(" ,;-–—:") if inside else ""
    if inside is None or _looks_like_name(before) and _is_personal_name(before):  # "Jane Roe (Harbour Lab)"
        return []
    if ROLE_LABEL.match(inside[1].strip()):  # "(Chair: X, Org)": labelled people, read with their role
        return []
    names = [n for n in _split_names(inside[1]) if _looks_like_name(n)]
    people = [_person(n, "") for n in names if _is_personal_name(n)]
    return people if len(people) == len(names) or len(people) > 1 else []


ORGANISATION_WORDS = re.compile(
    r"(?i)\b(?:universit\w*|institut\w*|cent(?:re|er)|laborator\w*|lab|foundation|agency|department|ministry|office|council|"
    r"association|society|group|company|inc|ltd|college|school|bureau|services?|trust|network|programme|program|"
    r"commission|organi[sz]ation|board|committee|academy|hospital|museum|library|authorit(?:y|ies)|alliance|consortium|"
    r"union|initiative|corporation|partnership|research|software|systems|technologies|solutions|labs)\b"
)


def _is_personal_name(text: str) -> bool:
    """Two or more words, one of them a capitalised word ("Alison"), no acronym and no organisation word."""
    words = TITLES.sub("", text).split()
    return (
        len(words) > 1 and any(re.fullmatch(r"[A-Z][a-z'’-]+\w*", w) for w in words)
        and not any(w.isupper() and len(w.rstrip(".")) > 1 or "/" in w for w in words) and not ORGANISATION_WORDS.search(text)
    )  # fmt: skip


def _split_names(text: str) -> list[str]:
    parts = re.split(r"\s*(?:[,;&]|\band\b|\bas\s+well\s+as\b)\s*", text)
    return [p.strip() for p in parts if p.strip()]


def _looks_like_name(text: str) -> bool:
    """Up to six words, each capitalised but for particles (van, de, ...): a sentence is not a name."""
    words = TITLES.sub("", re.sub(r"^(?:and|&)\s+", "", text.strip())).split()
    if not 1 <= len(words) <= 6 or not words[0][:1].isupper() or any(ch.isdigit() for ch in text):
        return False
    return all(w[:1].isupper() or w.lower() in PARTICLES or not w[:1].isalpha() or re.match(r"[a-z]{1,3}['’]", w) for w in words)


def _person(name: str, organisation: str) -> Person:
    name = re.sub(r"^(?:and|&)\s+|\s+respectively$", "", " ".join(name.split()).strip(" ,;:"))
    organisation = _run_on(CLAUSE.sub("", " ".join(organisation.split())))
    return Person(name=name, organisation=affiliation(organisation.strip(" ,;")))


AT_ORGANISATION = re.compile(r",?\s+at\s+(?=the\s|[A-Z])")


def affiliation(text: str) -> str:
    """The organisation in what follows a name: "Senior Adviser, Federal Student Aid, at the Department of Education",
    "Public Health Adviser, National Cancer Institute", "OECD Director for Science". Job titles go; text without one stays."""
    pieces = AT_ORGANISATION.split(text)
    if len(pieces) > 1 and pieces[-1].strip():
        return re.sub(r"^the\s+", "", pieces[-1].strip())
    parts = [p.strip() for p in text.split(",")]
    if not parts or not _is_job_title(parts[0]):
        return text
    head = _head_words(parts[0])
    before = head[: max(i for i, w in enumerate(head) if w.lower().strip(".") in JOB_TITLES)]
    if before and any(w.isupper() and len(w) > 1 for w in before):  # "OECD Director for ...": the acronym before the title
        return " ".join(w for w in before if w[:1].isupper())
    rest = list(parts)
    while rest and _is_job_title(rest[0]):
        rest.pop(0)
    if rest:
        return ", ".join(rest)
    of = re.search(r"\b(?:of|for)\s+(?:the\s+)?([A-Z].*)$", parts[0])  # "Director of the Mozilla Science Lab"
    return of[1] if of else text


def _head_words(part: str) -> list[str]:
    """The words before "of/for/to/in": "Deputy Director for Education" -> Deputy Director."""
    return re.split(r"\s+(?:of|for|to|in|on|with)\s+", part.strip(), maxsplit=1)[0].split()


def _is_job_title(part: str) -> bool:
    """ "Digital Media Manager", "Director for Science": the head noun is a job title."""
    head = _head_words(part)
    return bool(head) and head[-1].lower().strip(".") in JOB_TITLES


def _run_on(organisation: str) -> str:
    """Cut a sentence run on after an organisation ("Kestrel Foundation It was observed that ..."):
    a label line merged with the paragraph below it. Four lower-case words in a row are prose, not a name."""
    words = organisation.split()
    for index in range(1, len(words) - 3):
        if all(w[:1].islower() for w in words[index : index + 4]) and words[index - 1][:1].isupper() and index > 1:
            return " ".join(words[: index - 1]).rstrip(",;")
    return organisation
