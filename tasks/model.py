"""The typed document model: the contract between stages.

Every value here serialises to JSON and back without loss (pydantic), so the same
JSON is the stage file users read, the golden file tests compare and the cache payload.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- provenance and issues ----------------------------------------------------------


class SourceRef(Model):
    """Where something came from: a page (1-based), and a paragraph index on it."""

    page: int
    paragraph: int | None = None
    line: int | None = None


Severity = Literal["info", "warning", "error"]

# Kinds that are routine records, not doubts: what was removed or kept as it was printed.
# Any other kind is a warning unless its stage says otherwise.
INFO_KINDS = frozenset({"superscript-kept", "typewritten"})
ERROR_KINDS = frozenset({"conservation"})  # the clean stage lost or added words: the text is not the source's


class Issue(Model):
    """Something a stage noticed and did not (or could not) fix; never dropped silently.

    `severity`: info (a record of what was done: furniture removed), warning (an editor
    should look: a name spelt two ways, an unlinked note) or error (the pack may say what
    the source did not). `--strict` fails on warnings and errors.
    """

    stage: str
    kind: str
    message: str
    page: int | None = None
    severity: Severity = "warning"

    @model_validator(mode="before")
    @classmethod
    def _default_severity(cls, data: Any) -> Any:
        if isinstance(data, dict) and "severity" not in data:
            kind = data.get("kind", "")
            severity = "info" if kind in INFO_KINDS or kind.startswith("furniture") else "warning"
            data = {**data, "severity": "error" if kind in ERROR_KINDS else severity}
        return data


# --- extract: what the PDF (or text file) says, with layout facts ---------------------


class Span(Model):
    """A run of characters sharing one font, size and baseline."""

    text: str
    font: str = ""
    size: float = 0.0
    bold: bool = False
    italic: bool = False
    monospace: bool = False  # a fixed-pitch font: code, commands, identifiers
    rise: float = 0.0  # baseline raised above the line's baseline (superscripts)
    x0: float = 0.0
    x1: float = 0.0


class Line(Model):
    spans: list[Span]
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)

    @property
    def size(self) -> float:
        """The dominant font size (by character count)."""
        counts: dict[float, int] = {}
        for span in self.spans:
            if span.rise == 0.0:
                counts[span.size] = counts.get(span.size, 0) + len(span.text.strip())
        return max(counts, key=lambda s: (counts[s], s)) if counts else self.spans[0].size

    @property
    def bold(self) -> bool:
        letters = [s for s in self.spans if s.text.strip() and s.rise == 0.0]
        return bool(letters) and all(s.bold for s in letters)


class Rule(Model):
    """A horizontal line drawn on the page (e.g. a footnote separator)."""

    x0: float
    x1: float
    top: float


class Page(Model):
    number: int  # 1-based physical page index
    width: float
    height: float
    lines: list[Line]
    rules: list[Rule] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)  # what extraction repaired or could not


class Table(Model):
    rows: list[list[str]]
    top: float = 0.0
    bottom: float = 0.0
    header: bool = False
    size: float = 0.0  # the cells' usual font size: the body text's, where a page is mostly tables


# --- clean: the document as text blocks, notes and what was removed -------------------


class Inline(Model):
    """A piece of a block's text; `note` set means a footnote reference at this point.

    `monospace`: the source set it in a fixed-pitch font; rendered as inline code and
    never corrected."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    superscript: bool = False
    monospace: bool = False
    note: str | None = None


BlockKind = Literal["heading", "paragraph", "item", "table"]


class PageBreak(Model):
    """Where a later page starts inside a block's text: the offset of its first character."""

    offset: int
    page: int


class Block(Model):
    kind: BlockKind
    inlines: list[Inline] = Field(default_factory=list)
    level: int = 0  # heading level (1..3) or list nesting depth (0..)
    rows: list[list[str]] = Field(default_factory=list)  # tables only
    source: SourceRef
    page_breaks: list[PageBreak] = Field(default_factory=list)  # a paragraph that goes on over a page seam

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines)

    @property
    def last_page(self) -> int:
        return self.page_breaks[-1].page if self.page_breaks else self.source.page

    @property
    def sources(self) -> list[SourceRef]:
        """The block's source on each page it spans (what a point taken from it may cite)."""
        return [self.source_at(offset) for offset in [0, *(b.offset for b in self.page_breaks)]]

    def source_at(self, offset: int) -> SourceRef:
        """Where the character at `offset` of the text was printed: on a later page, the
        paragraph continued there, numbered 0 (the page's new paragraphs count from 1)."""
        page = page_at(self.source.page, self.page_breaks, offset)
        return self.source if page == self.source.page else SourceRef(page=page, paragraph=0)


def page_at(first_page: int, breaks: list[PageBreak] | tuple[PageBreak, ...], offset: int) -> int:
    """The page of a text offset, given the page its text starts on and where later pages start."""
    return next((b.page for b in reversed(breaks) if b.offset <= offset), first_page)


class Footnote(Model):
    id: str  # the label used in the outputs ("1", "2", ... or "*")
    marker: str  # the marker as printed in the source
    inlines: list[Inline]
    source: SourceRef
    # "linked": marker and body paired; "no-marker": a body whose marker is not in the
    # text (kept in a list of its own); "no-body": a marker whose body is missing
    status: Literal["linked", "no-marker", "no-body"] = "linked"

    @property
    def linked(self) -> bool:
        return self.status != "no-marker"

    @property
    def text(self) -> str:
        return "".join(i.text for i in self.inlines)


class Furniture(Model):
    """Text removed as page furniture (page numbers, running heads), kept for audit."""

    text: str
    kind: str
    page: int


class Document(Model):
    blocks: list[Block]
    footnotes: list[Footnote] = Field(default_factory=list)
    furniture: list[Furniture] = Field(default_factory=list)
    issues: list[Issue] = Field(default_factory=list)
    metadata: dict[str, str] = Field(default_factory=dict)


# --- typos ----------------------------------------------------------------------------


class Correction(Model):
    original: str
    replacement: str
    rule: str
    confidence: float
    applied: bool
    page: int | None
    start: int  # character offsets within the block (or footnote) text
    end: int
    sentence: str
    block: int | None = None  # index into Document.blocks
    footnote: str | None = None  # or the id of the footnote it is in


class Corrections(Model):
    corrections: list[Correction] = Field(default_factory=list)
    language: str = "en-GB"


# --- structure ------------------------------------------------------------------------


class Person(Model):
    name: str
    organisation: str = ""


class Participant(Model):
    name: str
    organisation: str = ""
    surname: str = ""
    given_name: str = ""


class Evidence(Model):
    """Why a section got its role, for an editor to check: the heading, the line that decided, its page."""

    heading: str
    cue: str = ""  # the heading pattern or body line that gave the role
    page: int | None = None


# What a section is in the meeting: "" when nothing marks it.
SectionRole = Literal[
    "", "front", "background", "keynote", "session", "sessions", "outcomes", "recommendations", "participants",
    "programme", "annex",
]  # fmt: skip


class Section(Model):
    title: str
    level: int
    first_block: int  # index of the heading block in Document.blocks
    last_block: int  # exclusive end
    role: SectionRole = ""
    evidence: Evidence | None = None


class Panel(Model):
    number: str
    title: str
    aim: str = ""
    moderator: Person | None = None
    panellists: list[Person] = Field(default_factory=list)
    outcomes: list[str] = Field(default_factory=list)
    first_block: int
    last_block: int
    source: SourceRef
    # "panel": a session of the meeting; "section": a content section briefed because the report has no sessions
    kind: Literal["panel", "section", "keynote"] = "panel"
    chairs: list[Person] = Field(default_factory=list)  # everyone in a chairing role (chair, moderator, rapporteur, ...)
    evidence: Evidence | None = None


class Report(Model):
    title: str
    subtitle: str = ""
    date: str = ""
    venue: str = ""
    organisers: list[str] = Field(default_factory=list)
    language: str = "en-GB"
    sections: list[Section] = Field(default_factory=list)
    keynote: Person | None = None
    keynote_section: Section | None = None
    keynotes: list[Panel] = Field(default_factory=list)  # every keynote, its speakers as panellists
    panels: list[Panel] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    participants: list[Participant] = Field(default_factory=list)
    document: Document
    issues: list[Issue] = Field(default_factory=list)


# --- brief ----------------------------------------------------------------------------


class KeyPoint(Model):
    text: str
    source: SourceRef
    speaker: str = ""  # the person whose point it is, when the brief attributes it


class Figure(Model):
    """A number worth quoting: its value as written ("60 and 70%"), the words around it, and its page."""

    value: str
    context: str  # a verbatim stretch of the sentence that contains the value
    source: SourceRef


class Brief(Model):
    panel: str  # the panel's number, or "keynote"
    title: str
    aim: str = ""
    speakers: list[Person] = Field(default_factory=list)
    chair: Person | None = None
    key_points: list[KeyPoint] = Field(default_factory=list)
    outcomes: list[str] = Field(default_factory=list)
    recommendations: list[str] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    words: int = 0
    method: str = "extractive"  # whose text the key points are: "extractive", a backend's name, or both


class Briefs(Model):
    executive_summary: str
    summary_points: list[KeyPoint] = Field(default_factory=list)
    purpose: KeyPoint | None = None  # why the meeting was held, as the report states it
    bottom_line: list[KeyPoint] = Field(default_factory=list)  # 3-5 sentences from outcomes and recommendations
    briefs: list[Brief] = Field(default_factory=list)


Page.model_rebuild()
