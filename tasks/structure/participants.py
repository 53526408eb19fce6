"""The participants list: rows from tables or from one-per-line lists."""

from __future__ import annotations

import re

from nameparser import HumanName
from tasks.model import Block, Participant, Section
from tasks.structure.people import CHAIR_WORDS, PARTICLES, TITLES

def participants(blocks: list[Block], sections: list[Section]) -> list[Participant]:
    """Rows of the participants sections' tables (continued over pages; a report may list the
    attendees of each of its events), else the one-per-line list of the first such section."""
    listed = [s for s in sections if s.role == "participants"]
    if not listed:
        return _unheaded(blocks)
    bodies = [blocks[s.first_block + 1 : s.last_block] for s in listed]
    tables = [b for body in bodies for b in body if b.kind == "table"]
    cards = [p for body in bodies for p in _table_cards(body) or _paragraph_cards(body)]
    rows = [row for t in tables if not _is_card_table(t.rows) for row in t.rows]
    if not tables and not cards:
        body = blocks[listed[0].first_block + 1 : listed[0].last_block]
        lines = [b for b in body if b.kind in ("paragraph", "item") and not _is_prose(b.text)]
        rows = [row for b in lines for entry in _entries(b.text) for row in _rows_from_text(entry)]
    return cards + _from_rows(rows)


# A line that is only an e-mail address (a stray slash after it is the PDF's, kept).
EMAIL_LINE = re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)+/?$")


# The rest of an e-mail address wrapped onto the next line: "...@u.northwes" / "tern.edu".
EMAIL_TAIL = re.compile(r"^[a-z0-9.-]*\.[a-z]{2,}/?$")


def _card_lines(rows: list[list[str]], column: int) -> list[str]:
    return [line.strip() for row in rows for line in _cell(row, column).splitlines() if line.strip()]


def _is_card_table(rows: list[list[str]]) -> bool:
    """Name cards set in columns (name, organisation lines, e-mail): rows are lines, not records,
    so e-mail lines make up a good part of every column."""
    columns = [_card_lines(rows, c) for c in range(max((len(r) for r in rows), default=0))]
    return bool(columns) and all(
        lines and sum(bool(EMAIL_LINE.match(line)) for line in lines) * 6 >= len(lines) for lines in columns
    )


def _cards(rows: list[list[str]]) -> list[Participant]:
    """Each column read downwards; a card is the lines up to its e-mail: the name, then the organisation."""
    found = []
    for column in range(max(len(r) for r in rows)):
        card: list[str] = []
        previous = ""
        for line in _card_lines(rows, column):
            if EMAIL_LINE.match(line):
                if card:
                    found.append(_card(card))
                card = []
            elif not (EMAIL_LINE.match(previous) and EMAIL_TAIL.match(line)):
                card.append(line)
            previous = line
        if card:
            found.append(_card(card))
    return found


def _card(lines: list[str]) -> Participant:
    name = re.sub(r"\s*\([^()]*\)$", "", lines[0])  # "(Co-Organizer)": the role, not the name
    printed = HumanName(name)  # a card prints the given name first: "Juan De Pablo"
    return Participant(name=name, organisation=" ".join(lines[1:]), surname=printed.last, given_name=printed.first)


# A paragraph that ends with an e-mail address (its end maybe wrapped: "...@u.northwes tern.edu").
CONTACT_END = re.compile(r"\s*[\w.+'-]+@[\w-]+(?:\.[\w-]+)*(?:\.[\w-]+|\s[a-z0-9.-]*\.[a-z]{2,})/?$")
CARDS_MIN = 3  # fewer name-over-contact pairs are a coincidence, not a list of cards


def _table_cards(body: list[Block]) -> list[Participant]:
    return [p for b in body if b.kind == "table" and _is_card_table(b.rows) for p in _cards(b.rows)]


def _paragraph_cards(body: list[Block]) -> list[Participant]:
    """Name cards set as paragraphs (a list read column by column): a name alone, then the
    organisation ending with the e-mail address. A card's name is the paragraph right above its
    contact paragraph; the list is that only when several cards are alike (and no table holds it)."""
    if any(b.kind == "table" for b in body):
        return []
    found = []
    for above, block in zip(body, body[1:]):
        contact = CONTACT_END.search(block.text)
        name = re.sub(r"\s*\([^()]*\)$", "", above.text)
        if contact and contact.start() > 0 and above.kind == block.kind == "paragraph" and _name_words(name):
            found.append(_card([above.text, block.text[: contact.start()]]))
    return found if len(found) >= CARDS_MIN else []


# Where the lines of a "Surname, Given, Organisation" (or "Surname, Given – Organisation") list
# were run together into one paragraph, each entry starts with a one-word surname (particles
# allowed) and a comma.
ENTRY_START = re.compile(
    "".join(rf"(?<!\b{p})" for p in sorted(PARTICLES))  # not inside "van Dijk"
    + rf"\s(?=(?:(?:{'|'.join(sorted(PARTICLES))})\s)*[A-Z][\w'’-]*,\s[A-Z][\w'’.-]*(?:\s[A-Z][\w'’.-]*)?\s*(?:,|[–—-]\s))"
)


def _entries(text: str) -> list[str]:
    """A run-together list split back into its entries; a line of its own stays whole."""
    parts = ENTRY_START.split(text)
    return parts if len(parts) >= 3 else [text]


def _from_rows(rows: list[list[str]]) -> list[Participant]:
    """One participant per row; a header row (and its repeats on each page) names the columns."""
    columns = _columns(rows[0]) if rows else None
    if columns is not None:
        header = [" ".join(c.split()).casefold() for c in rows[0]]
        rows = [r for r in rows[1:] if [" ".join(c.split()).casefold() for c in r] != header]
    return [p for p in (_participant(r, columns) for r in rows) if p is not None]


def _is_prose(text: str) -> bool:
    """A sentence introducing the list ("The following is a partial list of ..."), not a row of it."""
    return len(text.split()) > 12 and text.rstrip().endswith((".", ":"))


# A sentence that introduces the list: "The following is a list of participants registered ...".
LEAD_IN = re.compile(r"\b(?:participants|attendees|registrants|delegates)\b", re.IGNORECASE)


def _unheaded(blocks: list[Block]) -> list[Participant]:
    """A list under no heading: the tables whose header names people's name and organisation
    columns, else the first table right after a short sentence naming participants or attendees."""
    tables = [b for b in blocks if b.kind == "table" and b.rows and _is_people_header(_columns(b.rows[0]))]
    if not tables:
        tables = [b for above, b in zip(blocks, blocks[1:]) if b.kind == "table" and b.rows and _introduces(above)][:1]
    if not tables:
        return _labelled(blocks)
    return _from_rows([r for t in tables for r in t.rows])


# Minutes name those present in a labelled paragraph: "Attendees: A (chair), B (Org), C."
PRESENT_LABEL = re.compile(r"^(?:participants|attendees|attendance|present|in\s+attendance)\s*:?\s+(?=[A-Z])", re.IGNORECASE)


def _labelled(blocks: list[Block]) -> list[Participant]:
    """The first paragraph opening with a "Participants"/"Attendees"/"Present" label: its names up to
    the first full stop, separated by commas (or "and"); a parenthesis is the organisation unless it
    names a role ("(chair)")."""
    block = next((b for b in blocks if b.kind == "paragraph" and PRESENT_LABEL.match(b.text)), None)
    if block is None:
        return []
    listing = re.match(r"(?:\([^()]*\)|[^.()])*", PRESENT_LABEL.sub("", block.text, count=1))[0]
    found = []
    for part in re.split(r",\s*(?![^()]*\))|\s+and\s+", listing):
        name, _, note = part.strip().partition("(")
        note = note.rstrip(") ")
        if not _name_words(name.strip()) or len(name.split()) < 2:
            break  # the list ends where the names do
        organisation = "" if CHAIR_WORDS.search(note) or note.islower() else note
        found.append(Participant(name=name.strip(), organisation=organisation))
    return found


def _introduces(block: Block) -> bool:
    return block.kind == "paragraph" and len(block.text.split()) <= 40 and bool(LEAD_IN.search(block.text))


def _is_people_header(columns: dict[str, int] | None) -> bool:
    return bool(columns) and "organisation" in columns and bool({"surname", "name"} & set(columns))


def _columns(header: list[str]) -> dict[str, int] | None:
    """Column roles from a header row, or None when the first row is data."""
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        label = " ".join(cell.split()).lower()
        if len(label.split()) > 3:  # a header cell is a short label, not "Lyon Water Agency"-like data
            continue
        if re.search(r"surname|last\s+name|family\s+name", label):
            roles["surname"] = index
        elif re.search(r"given|first\s+name|forename", label):
            roles["given"] = index
        elif "organisation" not in roles and re.fullmatch(r"(?:name\s+of\s+)?(?:organi[sz]ation|institution|affiliation|agency|company|employer)s?(?:\s*/\s*\w+)?", label):
            roles["organisation"] = index
        elif re.fullmatch(r"(full\s+)?name|participant|person", label):
            roles["name"] = index
        elif re.fullmatch(r"(?:bureau|unit|department|division|office|section|sub-?agency)s?", label):
            roles["unit"] = index  # the part of the organisation, printed beside it
    return roles or None


def _rows_from_text(text: str) -> list[list[str]]:
    """Rows of a participants list written as lines: a pipe table or "Name, Organisation"."""
    if text.count("|") >= 2:
        return _pipe_rows(text)
    if "\t" not in text and re.search(r"\s{2,}", text) is None:
        text = " ".join(text.split())
    parts = re.split(r",\s*", text)
    if len(parts) >= 3 and not re.search(r"\s[–—-]\s", text) and all(_name_words(p) for p in parts[:2]):
        return [[f"{parts[0]}, {parts[1]}", ", ".join(parts[2:])]]  # "Surname, Given, Organisation"
    group = re.match(r"^(.*?)\s*\((.*)\)$", text)
    if group and _name_words(group[1]):
        return [[group[1], group[2]]]  # "Name (Organisation, City)": the commas are the organisation's
    for separator in (r"\s+[–—-]\s+", r"\t|\s{2,}", r",\s*"):
        parts = re.split(separator, text, maxsplit=1)
        if len(parts) == 2:
            return [parts]
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
    if not any(ch.isalpha() for c in cells for ch in c):
        return None  # an empty row, or the "..." that says the list goes on
    if columns and "surname" in columns:
        surname = _cell(cells, columns["surname"])
        given = _cell(cells, columns.get("given", -1))
        organisation = _organisation(cells, columns, len(cells) - 1)
        return Participant(name=f"{surname} {given}".strip(), organisation=organisation, surname=surname, given_name=given)
    if len(cells) >= 3 and not columns:  # surname | given name | organisation ...
        organisation = ", ".join(c for c in cells[2:] if c)
        return Participant(name=f"{cells[0]} {cells[1]}".strip(), organisation=organisation, surname=cells[0], given_name=cells[1])
    name_at = columns.get("name", 0) if columns else 0
    name = _cell(cells, name_at)
    organisation = _organisation(cells, columns or {}, 1)
    surname, given = split_listed_name(name)
    return Participant(name=name, organisation=organisation, surname=surname, given_name=given)


def _organisation(cells: list[str], columns: dict[str, int], default: int) -> str:
    """The organisation cell, with the unit cell printed beside it ("Agency, Bureau")."""
    parts = (_cell(cells, columns.get("organisation", default)), _cell(cells, columns.get("unit", -1)))
    return ", ".join(part for part in parts if part)


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if 0 <= index < len(cells) else ""


def _name_words(text: str) -> bool:
    """One to three capitalised words: a surname or given names, not an organisation."""
    words = text.split()
    return 1 <= len(words) <= 3 and all(w[:1].isupper() or w in PARTICLES for w in words)


def split_listed_name(name: str) -> tuple[str, str]:
    """"Surname Given" (or "Surname, Given") as lists print it: a leading title is neither."""
    if "," in name:
        surname, _, given = TITLES.sub("", name).partition(",")
        return surname.strip(), given.strip()
    words = TITLES.sub("", name).split()
    if len(words) < 2:
        return (words[0] if words else "", "")
    return " ".join(words[:-1]), words[-1]
