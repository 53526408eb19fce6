"""Typeset the generated half of the structure corpus: `python benchmarks/corpus/generate.py [OUT]`.

Each report is drawn from templates under its own fixed seed, so the same command
writes the same PDFs and answer keys (see docs/structure.md, key format in
benchmarks/corpus/README.md). Layout (page size, columns, heading style, cover and
contents pages, participants table style) and phrasing (session kinds, roles, the
ways people are named) are chosen independently of each other and of the parser.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

OUT = Path(__file__).parent / "generated"
COUNT = 10

GIVEN = [
    "Amira", "Bogdan", "Chiara", "Dmitri", "Elena", "Farid", "Greta", "Hiroshi", "Ingrid", "Jonas", "Kalinda",
    "Lucia", "Mateo", "Nadia", "Oluwaseun", "Priya", "Quentin", "Rosa", "Sipho", "Tomasz", "Ulla", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zofia", "Aidan", "Beatriz", "Cyril", "Daria", "Emeka", "Fiona", "Gustavo",
    "Hanne", "Ismail", "Julia", "Kofi", "Leila", "Marek", "Noor", "Otto", "Paulina", "Rafael", "Saskia",
]  # fmt: skip
SURNAMES = [
    "Abernethy", "Bergström", "Castellano", "Delacroix", "Eriksen", "Fontaine", "Grabowski", "Haddad",
    "Ivanova", "Jaramillo", "Kowalczyk", "Lindqvist", "Mbeki", "Nakamura", "Okafor", "Petrescu", "Quispe",
    "Rahman", "Santoro", "Takahashi", "Urquhart", "Vasquez", "Whitcombe", "Xu", "Yilmaz", "Zimmermann",
    "Achterberg", "Brennan", "Chaudhry", "Dufresne", "Esposito", "Fitzgerald", "Gallagher", "Horvath",
    "Iglesias", "Jovanovic", "Kaur", "Lemaire", "Moreau", "Novak", "O'Sullivan", "Pereira", "Ruiz",
    "Schäfer", "Van der Berg", "Mendes-Ortiz",
]  # fmt: skip
ORGANISATIONS = [
    "Northbridge University", "Institute for Coastal Studies", "Ministry of Water Resources",
    "Helvetic Data Centre", "Open Science Alliance", "National Library of Estoria", "Kestrel Foundation",
    "University of Lakeside", "Centre for Rural Development", "Global Health Observatory", "Polar Research Board",
    "Agency for Digital Government", "Meridian Institute of Technology", "Red Rock Community College",
    "European Network of Archives", "Tidewater Research Council", "Federal Office for Statistics",
    "Andean Biodiversity Trust", "Société des Études Urbaines", "Lagos Policy Lab", "Baltic Energy Forum",
    "World Seed Bank Initiative", "Harbour City Council", "Institute of Software Sustainability",
]  # fmt: skip
TOPICS = [
    "research software sustainability", "urban flood resilience", "open data for public health",
    "migration and labour mobility", "digital preservation of archives", "rural broadband access",
    "climate adaptation finance", "reproducible computational science", "marine spatial planning",
    "citizen science in ecology", "energy transition in small islands", "trust in official statistics",
]  # fmt: skip
CITIES = [
    "Tallinn, Estonia", "Arlington, Virginia", "Nairobi, Kenya", "Lyon, France", "Valparaíso, Chile",
    "Hobart, Tasmania", "Ghent, Belgium", "Kyoto, Japan", "Boulder, Colorado", "Edinburgh, United Kingdom",
]  # fmt: skip
VENUES = ["Conference Centre", "University Hall", "Hotel Meridien", "Town Hall", "Science Park"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"]
SUBJECTS = [
    "data stewardship", "funding models", "community governance", "training and careers", "metrics and credit",
    "infrastructure costs", "user engagement", "policy alignment", "standards and interoperability",
    "risk communication", "local partnerships", "evaluation methods", "long-term maintenance", "ethics review",
]  # fmt: skip
FILLER = [
    "Participants described how {s} shapes everyday practice in their organisations.",
    "Several speakers noted that {s} is rarely budgeted for at the start of a project.",
    "The discussion returned more than once to the question of who is responsible for {s}.",
    "Examples from three countries showed that {s} works best when it is planned with users.",
    "It was observed that small teams carry a disproportionate share of the work on {s}.",
    "A number of participants called for shared guidance on {s} across institutions.",
    "Evidence presented during the meeting suggested that attention to {s} has grown since 2015.",
    "Some of those present questioned whether current incentives reward work on {s}.",
]  # fmt: skip
OUTCOMES = [
    "Establish a shared registry for {s} maintained by the community",
    "Fund dedicated positions that look after {s} beyond a single grant",
    "Publish short case studies that show what good {s} looks like",
    "Convene a follow-up meeting within twelve months to review {s}",
    "Include {s} explicitly in the criteria used to evaluate proposals",
    "Create a mentoring scheme for early-career staff working on {s}",
    "Collect baseline figures on {s} so that progress can be measured",
]  # fmt: skip
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"]
WORDS = ["One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight"]
CHAIR_ROLES = ["chair", "moderator", "facilitator", "convener"]
EXTRA_ROLES = ["rapporteur", "discussant"]
SPEAKER_LABELS = ["Speakers", "Panellists", "Presenters", "Panel members"]
LABEL = {"chair": "Chair", "moderator": "Moderator", "facilitator": "Facilitator", "convener": "Convener",
         "rapporteur": "Rapporteur", "discussant": "Discussant"}  # fmt: skip
PASSIVE = {"chair": "chaired", "moderator": "moderated", "facilitator": "facilitated", "convener": "convened"}


@dataclass
class Element:
    kind: str  # "h1", "h2", "p", "li", "table", "cover", "contents", "pagebreak"
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)
    ruled: bool = True
    key_section: dict | None = None  # filled with the page once placed


@dataclass
class Layout:
    format: str
    columns: int
    headings: str  # "numbered", "unnumbered", "bold"
    cover: bool
    contents: bool
    font: str
    body: float


class Generator:
    """One report: its elements in reading order and its answer key."""

    def __init__(self, seed: int):
        self.random = random.Random(seed)
        self.people_used: set[str] = set()
        self.subjects = self.random.sample(SUBJECTS, len(SUBJECTS))
        r = self.random
        self.layout = Layout(
            format=r.choice(["A4", "Letter"]),
            columns=r.choice([1, 1, 2]),
            headings=r.choice(["numbered", "unnumbered", "bold"]),
            cover=r.random() < 0.5,
            contents=r.random() < 0.4,
            font=r.choice(["Helvetica", "Times"]),
            body=r.choice([9.5, 10.0, 11.0]),
        )
        self.elements: list[Element] = []
        self.number = 0

    # --- people ---------------------------------------------------------------------
    def person(self) -> dict:
        r = self.random
        while True:
            name = f"{r.choice(GIVEN)} {r.choice(SURNAMES)}"
            if name not in self.people_used:
                self.people_used.add(name)
                return {"name": name, "organisation": r.choice(ORGANISATIONS)}

    def people_text(self, people: list[dict], style: str) -> str:
        if style == "parens":
            parts = [f"{p['name']} ({p['organisation']})" for p in people]
            return ", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0]
        if style == "semicolon":
            return "; ".join(f"{p['name']}, {p['organisation']}" for p in people)
        return ", ".join(f"{p['name']} of {p['organisation']}" for p in people[:-1]) + (
            " and " if len(people) > 1 else ""
        ) + f"{people[-1]['name']} of {people[-1]['organisation']}"

    # --- text -----------------------------------------------------------------------
    def paragraph(self, sentences: int = 3) -> str:
        r = self.random
        return " ".join(r.choice(FILLER).format(s=r.choice(self.subjects)) for _ in range(sentences))

    def heading(self, title: str, level: int = 1, page_key: bool = True) -> Element:
        if self.layout.headings == "numbered" and level == 1:
            self.number += 1
            self.sub = 0
            title = f"{self.number}. {title}" if self.random.random() < 0.5 or self.number < 10 else title
        elif self.layout.headings == "numbered" and level == 2:
            self.sub = getattr(self, "sub", 0) + 1
            title = f"{self.number}.{self.sub} {title}"
        element = Element(f"h{level}", title, key_section={"title": title, "level": level, "page": None} if page_key else None)
        self.elements.append(element)
        return element

    def add(self, kind: str, text: str = "", **extra) -> Element:
        element = Element(kind, text, **extra)
        self.elements.append(element)
        return element

    # --- the report -----------------------------------------------------------------
    def build(self, report_id: str) -> dict:
        r = self.random
        topic = r.choice(TOPICS)
        kind = r.choice(["Expert Meeting", "Workshop", "Roundtable", "Symposium", "Panel"])
        title = r.choice([
            f"Report of the {kind} on {topic.title()}",
            f"{topic.title()}: {kind} Report",
            f"{kind} on {topic.title()} - Summary Report",
        ])  # fmt: skip
        year, month, day = r.randint(2012, 2025), r.choice(MONTHS), r.randint(2, 25)
        date = r.choice([f"{day}-{day + 1} {month} {year}", f"{month} {day}-{day + 1}, {year}", f"{day} {month} {year}"])
        city = r.choice(CITIES)
        venue = r.choice([city, f"{r.choice(VENUES)}, {city}"])
        key = {"id": report_id, "pdf": f"{report_id}.pdf", "kind": "generated", "title": title, "date": date,
               "venue": venue, "sections": [], "keynotes": [], "sessions": [], "recommendations": [],
               "participants": [], "footnotes": []}  # fmt: skip
        date_line = r.choice([f"{date}, {venue}", f"{venue} | {date}", f"{date} - {venue}", None])
        front = [date_line] if date_line else [f"Held at {venue}", date]
        if date_line is None:
            key["venue"] = venue
        self.add("cover" if self.layout.cover else "title", title, rows=[[line] for line in front])
        if self.layout.contents:
            self.add("contents")
        self.intro(topic)
        keynote_count = r.choice([0, 1, 1, 2])
        for index in range(keynote_count):
            key["keynotes"].append(self.keynote(index, keynote_count))
        session_kind = r.choice(["Session", "Panel", "Roundtable", "Breakout group", "Track", "Working group", "Day"])
        for index in range(r.randint(3, 5)):
            key["sessions"].append(self.session(session_kind, index))
        key["recommendations"] = self.recommendations()
        if r.random() < 0.5:
            self.programme(key)
        if r.random() < 0.8:
            key["participants"] = self.participants(key)
        key["sections"] = [e.key_section for e in self.elements if e.key_section]
        return key

    def intro(self, topic: str) -> None:
        r = self.random
        self.heading(r.choice(["Introduction", "Background", "Executive Summary", "About the Meeting"]))
        self.add("p", f"The meeting brought together specialists to discuss {topic}. " + self.paragraph(3))
        self.add("p", self.paragraph(4))

    def keynote(self, index: int, count: int) -> dict:
        r = self.random
        speaker = self.person()
        heading = r.choice(["Keynote Address", "Keynote Speech", "Opening Keynote", "Keynote Presentation"])
        if count > 1:
            heading = ["Opening Keynote", "Closing Keynote"][index]
        subject = r.choice(self.subjects)
        style = r.choice(["label", "sentence", "heading"])
        if style == "heading":
            heading = f"{heading}: {subject.capitalize()}"
        element = self.heading(heading)
        if style == "label":
            self.add("p", f"Keynote speaker: {speaker['name']}, {speaker['organisation']}")
        else:
            verb = r.choice(["delivered", "given"])
            self.add("p", f"The keynote was {verb} by {speaker['name']} of {speaker['organisation']}, who spoke about {subject}.")
        self.add("p", self.paragraph(4))
        return {"title": element.text, "speakers": [speaker], "page": element}

    def session_heading(self, kind: str, index: int) -> str:
        r = self.random
        subject = self.subjects[index].capitalize()
        if kind == "Day":
            return f"Day {index // 2 + 1} - {['Morning', 'Afternoon'][index % 2]}: {subject}"
        number = r.choice([str(index + 1), ROMAN[index], WORDS[index]]) if index == 0 or not hasattr(self, "numbering") else self.numbering(index)
        if index == 0:
            scheme = {str(index + 1): lambda i: str(i + 1), ROMAN[0]: lambda i: ROMAN[i], WORDS[0]: lambda i: WORDS[i]}[number]
            self.numbering = scheme
        separator = r.choice([": ", " - ", ". "]) if index == 0 or not hasattr(self, "separator") else self.separator
        self.separator = separator
        return f"{kind} {number}{separator}{subject}"

    def session(self, kind: str, index: int) -> dict:
        r = self.random
        unlabelled = r.random() < 0.2  # the heading is the topic only; the people make it a session
        title = self.subjects[index].capitalize() if unlabelled else self.session_heading(kind, index)
        if not unlabelled and r.random() < 0.15:  # a long title that wraps
            title += " and what it means for " + self.subjects[-1 - index] + " in the years to come"
        element = self.heading(title)
        chair_role = r.choice(CHAIR_ROLES)
        chairs = [self.person() | {"role": chair_role}]
        if r.random() < 0.3:
            chairs.append(self.person() | {"role": r.choice(EXTRA_ROLES)})
        speakers = [self.person() for _ in range(r.randint(2, 4))]
        self.people_lines(chairs, speakers)
        self.add("p", self.paragraph(r.randint(3, 5)))
        if r.random() < 0.5:
            self.add("p", self.paragraph(3))
        outcomes = []
        if r.random() < 0.6:
            self.heading(r.choice(["Outcomes", "Key points", "Conclusions", "Main findings"]), level=2)
            for _ in range(r.randint(2, 4)):
                outcome = r.choice(OUTCOMES).format(s=r.choice(self.subjects))
                if outcome not in outcomes:
                    outcomes.append(outcome)
                    self.add("li", outcome + ".")
        return {"title": element.text, "page": element, "chairs": chairs, "speakers": speakers,
                "outcomes": [" ".join(o.split()[:8]) for o in outcomes]}  # fmt: skip

    def people_lines(self, chairs: list[dict], speakers: list[dict]) -> None:
        r = self.random
        style = r.choice(["label", "label", "sentence", "list"])
        naming = r.choice(["parens", "semicolon", "parens"])
        speaker_label = r.choice(SPEAKER_LABELS)
        if style == "sentence":
            chair = chairs[0]
            text = (f"The session was {PASSIVE[chair['role']]} by {chair['name']} of {chair['organisation']}. "
                    f"{r.choice(['Presentations were given by', 'The speakers were', 'Panellists were'])} "
                    f"{self.people_text(speakers, 'parens' if naming == 'parens' else 'of')}.")  # fmt: skip
            self.add("p", text)
            for extra in chairs[1:]:
                self.add("p", f"{LABEL[extra['role']]}: {extra['name']} ({extra['organisation']})")
            return
        for chair in chairs:
            self.add("p", f"{LABEL[chair['role']]}: {self.people_text([chair], naming)}")
        if style == "list":
            self.add("p", f"{speaker_label}:")
            for speaker in speakers:
                self.add("li", self.people_text([speaker], r.choice(["parens", "semicolon"])))
        else:
            self.add("p", f"{speaker_label}: {self.people_text(speakers, naming)}")

    def recommendations(self) -> list[str]:
        r = self.random
        self.heading(r.choice(["Recommendations", "Conclusions and Recommendations", "The Way Forward"]))
        self.add("p", "Participants agreed on the following recommendations:")
        found = []
        for _ in range(r.randint(3, 5)):
            text = r.choice(OUTCOMES).format(s=r.choice(self.subjects))
            if text not in found:
                found.append(text)
                self.add("li", text + ".")
        return [" ".join(t.split()[:8]) for t in found]

    def programme(self, key: dict) -> None:
        r = self.random
        self.heading(r.choice(["Programme", "Agenda", "Workshop Agenda", "Annex 1: Programme"]))
        rows = [["Time", "Item"]]
        hour = 9
        for session in key["sessions"]:
            rows.append([f"{hour:02d}:00-{hour + 1:02d}:00", session["title"]])
            hour += 1
        rows.append([f"{hour:02d}:00-{hour:02d}:30", "Closing remarks"])
        self.add("table", rows=rows, ruled=r.random() < 0.6)

    def participants(self, key: dict) -> list[dict]:
        r = self.random
        self.heading(r.choice(["List of Participants", "Participants", "Annex: List of Participants", "Attendees"]))
        named = [p for s in key["sessions"] for p in s["chairs"] + s["speakers"]]
        people = [dict(name=p["name"], organisation=p["organisation"]) for p in named] + [self.person() for _ in range(r.randint(4, 12))]
        people.sort(key=lambda p: p["name"].split()[-1])
        style = r.choice(["ruled", "unruled", "lines", "ruled3"])
        rows = []
        for p in people:
            given, surname = p["name"].split(" ", 1)
            rows.append({"name": f"{surname}, {given}", "organisation": p["organisation"], "given": given, "surname": surname})
        if style == "lines":
            dash = r.choice([" - ", " \u2014 ", ", "])
            for row in rows:
                self.add("p", f"{row['name']}{dash}{row['organisation']}")
        elif style == "ruled3":
            table = [["Surname", "First name", "Organisation"]] + [[x["surname"], x["given"], x["organisation"]] for x in rows]
            self.add("table", rows=table, ruled=True)
        else:
            for row in rows:
                row["name"] = f"{row['given']} {row['surname']}"  # the key keeps names as printed
            table = [["Name", "Organisation"]] + [[x["name"], x["organisation"]] for x in rows]
            self.add("table", rows=table, ruled=style == "ruled")
        return [{"name": x["name"], "organisation": x["organisation"]} for x in rows]


class Typesetter:
    """Flows elements into one or two columns, page by page, noting where each heading lands."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.pdf = FPDF(unit="pt", format=layout.format)
        self.pdf.set_auto_page_break(False)
        self.pdf.core_fonts_encoding = "windows-1252"
        self.pdf.set_creation_date(datetime(2024, 1, 1, tzinfo=timezone.utc))
        self.margin = 60.0
        self.gap = 20.0
        self.column = 0
        self.page_count = 0

    @property
    def width(self) -> float:
        return (self.pdf.w - 2 * self.margin - (self.layout.columns - 1) * self.gap) / self.layout.columns

    @property
    def x(self) -> float:
        return self.margin + self.column * (self.width + self.gap)

    def new_page(self) -> None:
        self.pdf.add_page()
        self.page_count += 1
        self.column = 0
        self.y = self.margin
        if self.page_count > 1:
            self.pdf.set_font(self.layout.font, size=8)
            label = str(self.page_count)
            self.pdf.set_xy(self.pdf.w / 2 - self.pdf.get_string_width(label) / 2, self.pdf.h - 36)
            self.pdf.cell(text=label)

    def room(self, height: float) -> None:
        if self.y + height <= self.pdf.h - self.margin - 10:
            return
        if self.column + 1 < self.layout.columns:
            self.column += 1
            self.y = self.margin
        else:
            self.new_page()

    def lines(self, text: str, size: float, style: str = "", indent: float = 0.0) -> list[str]:
        self.pdf.set_font(self.layout.font, style=style, size=size)
        lines = self.pdf.multi_cell(self.width - indent, size * 1.3, text, dry_run=True, output="LINES")
        return [line.encode("latin-1").decode("windows-1252") for line in lines]  # fpdf2 returns them encoded

    def text(self, text: str, size: float, style: str = "", indent: float = 0.0, before: float = 0.0, align: str = "L", keep: float = 0.0) -> int:
        """Set a paragraph (with `keep` points of what follows on the same column); returns the page it starts on."""
        leading = size * 1.3
        lines = self.lines(text, size, style, indent)
        self.room(before + leading * min(2, len(lines)) + keep)
        self.y += before
        page = self.page_count
        for line in lines:
            self.room(leading)
            self.pdf.set_font(self.layout.font, style=style, size=size)
            x = self.x + indent
            if align == "C":
                x = self.x + (self.width - self.pdf.get_string_width(line)) / 2
            self.pdf.set_xy(x, self.y)
            self.pdf.cell(text=line)
            self.y += leading
        return page

    def write(self, elements: list[Element], path: Path, contents: list[str]) -> None:
        body = self.layout.body
        self.new_page()
        for element in elements:
            if element.kind in ("cover", "title"):
                self.title(element)
            elif element.kind == "contents":
                self.text("Contents", body * 1.5, "B", before=4)
                for entry in contents:
                    self.text(entry, body, indent=12 if entry[:1] == " " else 0)
                self.new_page()
            elif element.kind in ("h1", "h2"):
                size = body * (1.45 if element.kind == "h1" else 1.15)
                if self.layout.headings == "bold":
                    size = body
                page = self.text(element.text, size, "B", before=body * (1.4 if element.kind == "h1" else 0.9), keep=body * 5)
                self.y += body * 0.3
                element.key_section["page"] = page
            elif element.kind == "p":
                self.text(element.text, body, before=body * 0.9)
            elif element.kind == "li":
                self.room(body * 1.3)
                self.pdf.set_font(self.layout.font, size=body)
                self.pdf.set_xy(self.x + 6, self.y + body * 0.3)
                self.pdf.cell(text="\u2022")
                self.text(element.text, body, indent=18, before=body * 0.3)
            elif element.kind == "table":
                self.table(element)
        self.pdf.output(str(path))

    def title(self, element: Element) -> None:
        body = self.layout.body
        if element.kind == "cover":
            self.y = self.pdf.h / 3
            for line in self.lines(element.text, body * 2.2, "B"):
                self.text(line, body * 2.2, "B", align="C")
            self.y += body * 2
            for (line,) in element.rows:
                self.text(line, body * 1.3, align="C", before=4)
            self.new_page()
        else:
            self.text(element.text, body * 1.9, "B")
            for (line,) in element.rows:
                self.text(line, body * 1.1, "I", before=3)
            self.y += body

    def table(self, element: Element) -> None:
        """Tables run across the full page width, starting on a fresh page in two-column layouts."""
        if self.layout.columns > 1 and (self.column or self.y > self.margin):
            self.new_page()
        self.pdf.set_font(self.layout.font, size=self.layout.body)
        self.pdf.set_auto_page_break(True, margin=self.margin)
        self.pdf.set_xy(self.margin, self.y + 6)
        borders = "ALL" if element.ruled else "NONE"
        with self.pdf.table(
            width=self.pdf.w - 2 * self.margin, align="LEFT", borders_layout=borders, line_height=self.layout.body * 1.4,
            headings_style=FontFace(emphasis="BOLD"), repeat_headings=1,
        ) as table:  # fmt: skip
            for cells in element.rows:
                table.row(cells)
        self.pdf.set_auto_page_break(False)
        self.page_count = self.pdf.page
        self.column = 0
        self.y = self.pdf.get_y() + 10
        if self.layout.columns > 1:  # columns below a full-width table would climb over it
            self.new_page()


def generate(out: Path = OUT, count: int = COUNT) -> list[Path]:
    """Write the reports, their keys, and INDEX.md listing each report's layout."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    index = ["# Generated reports", "", "Typeset by `benchmarks/corpus/generate.py` (fpdf2, seed 1000 + number); keys as in ../README.md.", "",
             "| report | page | columns | headings | cover | contents | font | body pt | sessions | participants |",
             "|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for number in range(1, count + 1):
        report_id = f"generated-{number:02d}"
        generator = Generator(seed=1000 + number)
        key = generator.build(report_id)
        contents = [("   " if e.kind == "h2" else "") + e.text for e in generator.elements if e.kind in ("h1", "h2")]
        Typesetter(generator.layout).write(generator.elements, out / key["pdf"], contents)
        for item in key["keynotes"] + key["sessions"]:
            item["page"] = item["page"].key_section["page"]
        (out / f"{report_id}.key.json").write_text(json.dumps(key, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(out / key["pdf"])
        layout = generator.layout
        kinds = sorted({s["title"].split(":")[0].split(" - ")[0] for s in key["sessions"]})[:2]
        index.append(
            f"| {report_id} | {layout.format} | {layout.columns} | {layout.headings} | {layout.cover} | {layout.contents} "
            f"| {layout.font} | {layout.body} | {len(key['sessions'])} ({'; '.join(kinds)}) | {len(key['participants'])} |"
        )
    if count == COUNT:
        (out / "INDEX.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return written


if __name__ == "__main__":
    for path in generate(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(path)
