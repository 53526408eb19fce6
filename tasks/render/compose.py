"""Compose the briefing pack as one Pandoc-Markdown document (templates/pack.md.j2).

Every output format is rendered from this one text, so the formats cannot drift apart,
and the text itself is a readable, diffable record of the pack.
"""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import jinja2
from nameparser import HumanName

from tasks.markdown import block_markdown, document_markdown, escape, table_markdown
from tasks.model import Block, Brief, Briefs, Corrections, Document, Figure, Participant, Person, Report, SourceRef
from tasks.render.quality import quality_notes

DEFAULT_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TEMPLATE = "pack.md.j2"

# Level of the "Annex: full report" heading; the report's own headings go below it.
ANNEX_LEVEL = 2

ACCESSIBILITY_SUMMARY = (
    "This publication is text only, with no images, audio or video. Headings and a table of "
    "contents give it structure, tables have header rows, and footnotes link to their text "
    "and back. It is designed to meet WCAG 2.2 level AA."
)


def compose_markdown(
    report: Report, briefs: Briefs, corrections: Corrections, templates: Path = DEFAULT_TEMPLATES
) -> str:
    """The whole pack as Pandoc Markdown with a YAML metadata block."""
    template = _environment(templates).get_template(TEMPLATE)
    annex, anchors = anchored_annex(headed_participant_tables(report.document, report.participants), corrections)
    text = template.render(
        report=report,
        briefs=briefs,
        corrections=corrections,
        description=description(report),
        identifier=identifier(report),
        accessibility_summary=ACCESSIBILITY_SUMMARY,
        participants_table=participants_table(report),
        corrections_table=corrections_table(corrections, anchors),
        corrections_summary=corrections_summary(corrections),
        about_text=about_text(report, briefs, corrections),
        annex=annex,
        quality_notes=quality_notes(report, briefs, corrections),
    )
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _environment(templates: Path) -> jinja2.Environment:
    # Markdown, not HTML: escaping is explicit through the `md` filter. Comments are
    # {## ##} because Pandoc's heading attributes ({#id}) would open a Jinja2 comment.
    env = jinja2.Environment(
        comment_start_string="{##",
        comment_end_string="##}",
        loader=jinja2.FileSystemLoader(templates),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        md=escape,
        yaml=yaml_string,
        paragraphs=paragraphs,
        person=person_markdown,
        page_ref=page_ref,
        brief_heading=brief_heading,
        brief_id=brief_id,
        figure=figure_markdown,
        short_title=short_title,
    )
    return env


# --- metadata ---------------------------------------------------------------------------


def identifier(report: Report) -> str:
    """A stable EPUB identifier: the same title and date always give the same UUID."""
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"briefpack:{report.title}|{report.date}"))


def description(report: Report) -> str:
    where = ", ".join(part for part in (report.date, report.venue) if part)
    return f"Briefing pack for {report.title}" + (f" ({where})" if where else "") + "."


SHORT_TITLE_CHARS = 60


def short_title(title: str) -> str:
    """The title for running heads: whole when short, else cut at a word before SHORT_TITLE_CHARS, with "…"."""
    title = " ".join(title.split())
    if len(title) <= SHORT_TITLE_CHARS:
        return title
    return title[:SHORT_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:–-") + "…"


def yaml_string(value: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


# --- small pieces -----------------------------------------------------------------------


def paragraphs(text: str) -> list[str]:
    """Split on blank lines; escape() folds the whitespace inside each paragraph."""
    return [part for part in re.split(r"\n\s*\n", text) if part.strip()]


def about_text(report: Report, briefs: Briefs, corrections: Corrections) -> str:
    """What this pack holds, saying only what is there."""
    parts = []
    if briefs.bottom_line or briefs.purpose:
        parts.append("the meeting's key messages")
    sessions = len(briefs.briefs)
    if sessions:
        parts.append(f"a brief of each of its {sessions} sessions" if sessions > 1 else "a brief of its one session")
    if report.recommendations:
        parts.append(f"its {len(report.recommendations)} recommendations")
    if report.participants:
        parts.append("the list of participants")
    parts.append("the full cleaned report as an annex")
    parts.append("a record of the spelling corrections found in it" if corrections.corrections else "a note that no spelling corrections were needed")
    listed = ", ".join(parts[:-1]) + " and " + parts[-1]
    sourced = " Each point quoted in the briefs gives the page of the report it comes from." if sessions else ""
    return f"This briefing pack gives {listed}.{sourced}"


def figure_markdown(figure: Figure) -> str:
    """The figure's words with its value in bold."""
    at = figure.context.find(figure.value)
    if at < 0:
        return f"**{escape(figure.value)}**: {escape(figure.context)}"
    before, after = figure.context[:at], figure.context[at + len(figure.value) :]
    return f"{escape(before)}**{escape(figure.value)}**{escape(after)}"


def person_markdown(person: Person) -> str:
    name = escape(person.name)
    return f"{name} ({escape(person.organisation)})" if person.organisation else name


def page_ref(source: SourceRef) -> str:
    return f"p. {source.page}"


def brief_heading(brief: Brief) -> str:
    """The brief's heading, saying which session it is unless the title already does."""
    if brief.panel == "keynote":
        return brief.title if "keynote" in brief.title.lower() else f"Keynote: {brief.title}"
    if brief.title.lower().startswith(("panel", "session")):
        return brief.title
    return f"Panel {brief.panel}: {brief.title}"


def brief_id(brief: Brief) -> str:
    """An identifier for links (#pack-panel-i, #pack-keynote).

    The "pack-" prefix keeps it apart from the identifiers pandoc derives from the
    annex's own headings (a report heading "Panel I" becomes #panel-i).
    """
    slug = re.sub(r"[^a-z0-9]+", "-", brief.panel.lower()).strip("-") or "x"
    return "pack-keynote" if slug == "keynote" else f"pack-panel-{slug}"


# --- tables and the annex -----------------------------------------------------------------


def participants_table(report: Report) -> str:
    rows = [[display_name(p), p.organisation] for p in report.participants]
    return table_markdown(rows, header=PARTICIPANT_HEADER)


RULE_NAMES = {
    "spelling": "Spelling",
    "possessive": "Missing possessive",
    "missing-copula": "Missing verb",
    "expression": "Fixed expression",
    "doubled-word": "Word repeated",
    "agreement": "Agreement",
}
_WORD_PAIR = re.compile(r"^([a-z]+)-([a-z]+)$")


def rule_name(rule: str) -> str:
    """A rule id in words: "then-than" is a pair of words often confused; "blocked:" marks a vetoed one."""
    blocked = rule.startswith("blocked:")
    rule = rule.removeprefix("blocked:")
    if rule in RULE_NAMES:
        name = RULE_NAMES[rule]
    elif pair := _WORD_PAIR.match(rule):
        name = f"Confused words ({pair[1]} / {pair[2]})"
    else:
        name = rule.replace("-", " ").capitalize()
    return f"{name}, not applied by rule" if blocked else name


def corrections_table(corrections: Corrections, anchors: dict[int, str] | None = None) -> str:
    """Sentence before and after (the change in bold), the rule in words, applied, and the page linked to the annex."""
    anchors = anchors or {}
    header = ["Before", "After", "Rule", "Applied", "Page"]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for c in corrections.corrections:
        page = str(c.page) if c.page else ""
        if page and c.block in anchors:
            page = f"[{page}](#{anchors[c.block]})"
        cells = [_marked(c.sentence, c.original, c.original), _marked(c.sentence, c.original, c.replacement),
                 escape(rule_name(c.rule)), "yes" if c.applied else "no", page]
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def _marked(sentence: str, original: str, shown: str) -> str:
    """The sentence with `original` (its first whole-word use) replaced by `shown`, in bold."""
    match = re.search(rf"(?<!\w){re.escape(original)}(?!\w)", sentence)
    if not match:
        return f"**{escape(shown)}**"
    return f"{escape(sentence[: match.start()])}**{escape(shown)}**{escape(sentence[match.end() :])}"


def display_name(participant: Participant) -> str:
    """ "Title Given Surname", whichever order the list printed it in ("Dr D'Cunha Jean" -> "Dr Jean D'Cunha").

    nameparser knows the titles (Dr, Prof, H.E., ...); the structure stage knows which part is the surname.
    """
    title = HumanName(participant.name).title
    if participant.surname and participant.given_name:
        return " ".join(part for part in (title, participant.given_name, participant.surname) if part)
    return participant.name


def corrections_summary(corrections: Corrections) -> str:
    found = len(corrections.corrections)
    if not found:
        return "No corrections were needed."
    applied = sum(c.applied for c in corrections.corrections)
    errors = "possible error was" if found == 1 else "possible errors were"
    return (
        f"{found} {errors} found in the report: {applied} corrected in the annex, "
        f"{found - applied} left as suggestions only."
    )


def annex_markdown(document: Document) -> str:
    """The cleaned report, its headings placed under the annex heading with no skipped level."""
    return document_markdown(tidy_headings(document), heading_offset=ANNEX_LEVEL).strip()


PARTICIPANT_HEADER = ["Name", "Organisation"]


def headed_participant_tables(document: Document, participants: list[Participant]) -> Document:
    """A table whose first row is one of the report's participants has no header row of its own
    (a pipe table would make that person the header): it gets "Name | Organisation"."""
    names = {" ".join(p.name.split()) for p in participants}
    blocks = []
    for block in document.blocks:
        if block.kind == "table" and block.rows and " ".join(block.rows[0][0].split()) in names:
            header = (PARTICIPANT_HEADER + [""] * len(block.rows[0]))[: max(2, len(block.rows[0]))]
            block = block.model_copy(update={"rows": [header, *block.rows]})
        blocks.append(block)
    return document.model_copy(update={"blocks": blocks})


def anchored_annex(document: Document, corrections: Corrections) -> tuple[str, dict[int, str]]:
    """The annex with an anchor where each corrected paragraph or item starts: {block index: anchor id}."""
    annex = annex_markdown(document)
    tidied = tidy_headings(document)
    anchors: dict[int, str] = {}
    for index in sorted({c.block for c in corrections.corrections if c.block is not None}):
        if not 0 <= index < len(tidied.blocks) or tidied.blocks[index].kind not in ("paragraph", "item"):
            continue
        text = block_markdown(tidied.blocks[index], heading_offset=ANNEX_LEVEL)
        anchor = f"pack-fix-{index}"
        marker = "- " if tidied.blocks[index].kind == "item" else ""
        start = annex.find(text)
        if start < 0:
            continue
        at = start + text.index(marker) + len(marker) if marker else start
        annex = annex[:at] + f"[]{{#{anchor}}}" + annex[at:]
        anchors[index] = anchor
    return annex, anchors


def tidy_headings(document: Document) -> Document:
    """Renumber heading levels from 1 so that none is more than one below its parent.

    A report that starts at level 2 or jumps 1 -> 3 would otherwise skip a level in
    the pack, which screen-reader users navigate by. A stack of (source level, new
    level) finds each heading's parent.
    """
    blocks: list[Block] = []
    open_headings: list[tuple[int, int]] = []
    for block in document.blocks:
        if block.kind == "heading":
            while open_headings and open_headings[-1][0] >= block.level:
                open_headings.pop()
            level = open_headings[-1][1] + 1 if open_headings else 1
            open_headings.append((block.level, level))
            block = block.model_copy(update={"level": level})
        blocks.append(block)
    return document.model_copy(update={"blocks": blocks})
