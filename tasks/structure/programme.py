"""Programme (agenda) tables: rows of times, titles and speakers, read as the meeting's sessions.

A programme table is a table whose first column holds times ("09:30", "10.00 AM - 10.15 AM").
Each row is an item of the programme: its other cells' lines are the title, and the lines after
it that read as "Name, Organisation" or "Name (Organisation)" (or such a pair in parentheses in
the title: "PFHub Update (Name, Org)") its speakers. Where the report has no
session sections, the programme gives its sessions (docs/structure.md):

- a table under a heading that names its chair ("MONDAY ... (Moderator: X, Org)") makes that
  heading a session: its chairs from the heading, its speakers from the rows;
- otherwise (a bare day heading, the "Agenda" heading, no heading) each row that names a
  person is a session.

Every such panel carries the evidence "programme table" and the table's page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tasks.model import Block, Evidence, Panel, Person, Section
from tasks.structure.people import MODERATOR_CUE, parse_people, people_in
from tasks.structure.recognisers import WELCOME_AND, keynote_heading

TIME = r"\d{1,2}(?:[:.h]\d{2})?\s*(?:[ap]\.?\s?m\.?)?"
TIME_CELL = re.compile(rf"{TIME}(?:\s*(?:[-–—]|to)\s*(?:{TIME})?)?", re.IGNORECASE)
MIN_ROWS = 2


@dataclass
class Item:
    time: str
    title: str
    speakers: list[Person] = field(default_factory=list)
    chairs: list[Person] = field(default_factory=list)  # "Led by X (Org)" under the title


def is_programme(rows: list[list[str]]) -> bool:
    """Most first cells are times (and some hold minutes, so a list of numbers is not one)."""
    first = [" ".join(row[0].split()) for row in rows if row and row[0].strip()]
    times = [cell for cell in first if TIME_CELL.fullmatch(cell) and re.search(r"[:.h]\d{2}|[ap]\.?\s?m", cell, re.IGNORECASE)]
    return len(rows) >= MIN_ROWS and len(first) >= MIN_ROWS and 3 * len(times) >= 2 * len(first)


def items(rows: list[list[str]], names_only: bool | None = None) -> list[Item]:
    """One item per row: the title lines, and the speaker lines ("Name, Org") apart from them. `names_only`: the
    document's programme names its speakers without organisations (by default, judged from these rows alone)."""
    found = []
    for row in rows:
        lines = [" ".join(line.split()) for cell in row[1:] for line in cell.split("\n") if line.strip()]
        title: list[str] = []
        speakers: list[Person] = []
        chairs: list[Person] = []
        for number, line in enumerate(lines, start=1):
            cue = MODERATOR_CUE.match(line)
            if title and cue and (named := _speakers(line[cue.end() :], last=True)):
                chairs += named
                continue
            people = _speakers(line, last=number == len(lines)) if title and not CONTINUED.search(title[-1]) else []
            if title and not people and number < len(lines) and NAME_LIST_GOES_ON.search(line):
                lines[number] = f"{line} {lines[number]}"  # a list of speakers wrapped onto the next line
                continue
            if people:
                speakers += people
            else:
                title.append(line)
                speakers += [p for inner in re.findall(r"\(([^()]+)\)", line) for p in _speakers(inner)]
        found.append(Item(time=" ".join(row[0].split()), title=" ".join(title), speakers=speakers, chairs=chairs))
    # Where the programme names its speakers without organisations, "Ana Lima, Ben Ode" is two names.
    if _names_only([found]) if names_only is None else names_only:
        for item in found:
            item.speakers = [name for person in item.speakers for name in _as_names(person)]
    return found


def _names_only(tables: list[list[Item]]) -> bool:
    """Two or more rows name their speakers without organisations, more than name them with one: the style of
    the programme as a whole, so that a day's table with one bare name still reads "Ana Lima, Ben Ode" as two.
    A row whose "organisation" reads as a name too ("Ana Lima, Ben Ode") is the question, so it does not count."""
    named = [item for rows in tables for item in rows if item.speakers]
    bare = sum(1 for item in named if not any(p.organisation for p in item.speakers))
    affiliated = sum(1 for item in named if any(p.organisation and not _bare_name(p.organisation) for p in item.speakers))
    return bare >= 2 and bare > affiliated


def programme_tables(blocks: list[Block]) -> dict[int, list[Item]]:
    """The items of every programme table of the document, by the table's block index, read in the programme's style."""
    tables = {index: block.rows for index, block in enumerate(blocks) if block.kind == "table" and is_programme(block.rows)}
    names_only = _names_only([items(rows, names_only=False) for rows in tables.values()])
    return {index: items(rows, names_only) for index, rows in tables.items()}


def is_keynote_row(item: Item) -> bool:
    """ "Welcome", "Opening remarks", "Welcome & Goals of the Day" by named people: an address, not a session."""
    return bool(keynote_heading(item.title) or item.speakers and WELCOME_AND.match(item.title))


def _as_names(person: Person) -> list[Person]:
    """ "Name, Name" read as a name and an organisation, back as the two names it also reads as."""
    if _bare_name(person.organisation):
        return [Person(name=person.name), Person(name=person.organisation)]
    return [person]


# A line of names cut short: "Ana Lima, Ben Ode, Carla" goes on with "Dorn, Eve Fox".
NAME_LIST_GOES_ON = re.compile(r"^(?:[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)+,\s+){2,}[A-Z][\w'’.-]*,?$")


# A title line that ends in a comma, colon, ampersand or conjunction goes on in the next line.
CONTINUED = re.compile(r"(?:[,:;&–-]|\b(?:and|or|of|for|the|in|on|with))\s*$", re.IGNORECASE)


# Nouns that name an organisation, not a person: "Argonne National Lab" is not a speaker's name.
ORGANISATION_WORD = re.compile(
    r"\b(?:Universit\w*|Institut\w*|Lab\w*|National|Cent(?:er|re)|College|School|Agency|Office|Department|Ministry|"
    r"Foundation|Council|Society|Association|Academy|Company|Corporation|Inc|Ltd|GmbH|Group|Network|Alliance)\b"
)
NAME_WORD = r"(?:[A-Z][\w'’.-]*[a-z][\w'’.-]*|[A-Z]\.|van|von|de|der|da|di|du|le|la)"
BARE_NAME = re.compile(rf"{NAME_WORD}(?:\s+{NAME_WORD}){{1,3}}")
# Several names sharing one organisation: "Ana Lima, Ben Ode (Harbour Lab)", "Ana Lima & Ben Ode (Harbour Lab)".
SHARED_ORGANISATION = re.compile(r"(?P<names>[^()]+?)\s*\((?P<organisation>[^()]+)\)")


def _speakers(line: str, last: bool = False) -> list[Person]:
    """A line that is only people: names with their organisations ("Name, Org", "Name (Org) and
    Name (Org)"), or names alone ("Name, Name and Name"; one name alone only as the cell's last line)."""
    shared = SHARED_ORGANISATION.fullmatch(line)
    names = _listed(shared["names"]) if shared else []
    if len(names) >= 2 and all(map(_bare_name, names)):
        return [Person(name=n, organisation=shared["organisation"].strip()) for n in names]
    parts = _listed(line)
    listed = len(parts) >= 3 or len(parts) == 2 and "," not in line or len(parts) == 1 and last  # "A, B" is more often "Name, Org"
    if listed and all(map(_bare_name, parts)):
        return [Person(name=p) for p in parts]
    people = parse_people(line)
    return people if people and all(p.organisation and not _acronym(p.name) for p in people) else []


def _listed(text: str) -> list[str]:
    """ "A, B and C" -> [A, B, C]."""
    return [p.strip() for p in re.split(r",|\s+(?:and|&)\s+", text) if p.strip()]


def _bare_name(text: str) -> bool:
    return bool(BARE_NAME.fullmatch(text)) and not ORGANISATION_WORD.search(text)


def _acronym(name: str) -> bool:
    """ "ANL" in "(ANL – NAISE)" is an organisation's initials, not a name."""
    return len(name.split()) == 1 and name.isupper()


def programme_panels(blocks: list[Block], sections: list[Section]) -> list[Panel]:
    """Sessions from the programme tables, for a report without session sections."""
    panels: list[Panel] = []
    tables = programme_tables(blocks)
    by_section: dict[int, list[int]] = {}
    for index in tables:
        section = _section_of(index, sections)
        key = -1 if section is None or section.role in ("programme", "front") else sections.index(section)
        by_section.setdefault(key, []).append(index)
    for key, indexes in sorted(by_section.items(), key=lambda kv: kv[1][0]):
        chairs = people_in([blocks[sections[key].first_block]])[0] if key >= 0 else []
        if chairs:
            speakers = [person for index in indexes for item in tables[index] for person in item.speakers]
            section = sections[key]
            panels.append(_panel(section.title, chairs, speakers, section.first_block, section.last_block, blocks[indexes[0]], len(panels) + 1, section.title))
        else:
            panels += [_row_panel(item, index, blocks[index], len(panels) + 1) for index in indexes for item in tables[index] if _is_session_row(item)]
    return panels


def with_programme(panel: Panel, blocks: list[Block], tables: dict[int, list[Item]] | None = None) -> Panel:
    """A session whose body is a programme table: its speakers from the rows (but the meeting's closing
    row), and its chairs from its heading ("... (Moderator: X, Org)") when its body named none."""
    tables = programme_tables(blocks) if tables is None else tables
    rows = [item for i in range(panel.first_block, panel.last_block) for item in tables.get(i, []) if not CLOSING_ROW.match(item.title)]
    if not rows:
        return panel
    named = {" ".join(p.name.split()).casefold() for p in panel.panellists + panel.chairs}
    speakers = [s for item in rows for s in item.speakers if " ".join(s.name.split()).casefold() not in named]
    chairs = panel.chairs or people_in([blocks[panel.first_block]])[0] or [c for item in rows for c in item.chairs]
    moderator = panel.moderator or (chairs[0] if chairs else None)
    return panel.model_copy(update={"panellists": panel.panellists + speakers, "chairs": chairs, "moderator": moderator})


# The meeting's own closing in a session's rows: "Final remarks", "Closing Remarks", "Wrap-up": not the session's.
CLOSING_ROW = re.compile(r"(?i)^(?:(?:final|closing|concluding)\s+(?:remarks|words|address|thoughts)|wrap[\s-]?up)\b")


# A session's row that is one of its groups: "Team 2, led by X", "Group B", "Breakout 3: Data".
GROUP_ROW = re.compile(r"(?i)^(?:team|group|sub-?group|breakout(?:\s+group)?|working\s+group)\s+(?:\d+|[A-Z])\b(?![\w.])")


def with_programme_rows(sessions: list[Panel], blocks: list[Block]) -> list[Panel]:
    """The sessions, with the programme's rows that name people outside them ("9:40 An Introduction to the
    Benchmark Problems / Olle Heinonen (ANL)" before the first "Session One" heading), and inside one the
    meeting's closing row and the session's groups ("Team 1, lead by X"), as sessions of their own, in reading order.
    Only where the sessions are the programme's own (their headings stand over its tables): a programme printed
    apart from sessions written up under headings of their own lists those sessions again."""
    if not sessions:
        return []
    tables = programme_tables(blocks)
    inside = lambda index: any(p.first_block <= index < p.last_block for p in sessions)  # noqa: E731
    if not any(map(inside, tables)):
        return [with_programme(panel, blocks, tables) for panel in sessions]
    own = lambda item: CLOSING_ROW.match(item.title) or GROUP_ROW.match(item.title)  # noqa: E731
    rows = [(index, item) for index, table in tables.items() for item in table if _is_session_row(item) and (not inside(index) or own(item))]
    panels = [with_programme(panel, blocks, tables) for panel in sessions]
    panels += [_row_panel(_group_leads(item), index, blocks[index], 0) for index, item in rows]
    panels.sort(key=lambda p: p.first_block)
    return [p if p.number != "0" else p.model_copy(update={"number": str(n)}) for n, p in enumerate(panels, start=1)]


def _group_leads(item: Item) -> Item:
    """ "Team 1, lead by Ana Lima" -> the group "Team 1" and its chair."""
    cue = MODERATOR_CUE.search(item.title) if GROUP_ROW.match(item.title) else None
    leads = _speakers(item.title[cue.end() :], last=True) if cue else []
    if not leads:
        return item
    return Item(time=item.time, title=item.title[: cue.start()].strip(" ,;:–—-"), speakers=item.speakers, chairs=item.chairs + leads)


def _is_session_row(item: Item) -> bool:
    return bool(item.speakers or item.chairs) and not is_keynote_row(item)


def _row_panel(item: Item, index: int, table: Block, number: int) -> Panel:
    return _panel(item.title, item.chairs, item.speakers, index, index + 1, table, number, item.title)


def _section_of(index: int, sections: list[Section]) -> Section | None:
    """The innermost section holding block `index`."""
    holding = [s for s in sections if s.first_block < index < s.last_block]
    return max(holding, key=lambda s: s.first_block) if holding else None


def _panel(title: str, chairs: list[Person], speakers: list[Person], first: int, last: int, table: Block, number: int, heading: str) -> Panel:
    return Panel(
        number=str(number),
        title=title,
        moderator=chairs[0] if chairs else None,
        chairs=chairs,
        panellists=speakers,
        first_block=first,
        last_block=last,
        source=table.source,
        evidence=Evidence(heading=heading, cue="programme table", page=table.source.page),
    )
