"""Quality notes: what the tool could not do or doubts, gathered from the stages for the editor.

The one list of the editor's notes: the pack shows it ("Quality notes"), the manifest
records it ("notes"), the terminal prints it and `--strict` fails on its warnings and errors:

    notes = quality_notes(report, briefs, corrections)
    failing = [n for n in notes if n.severity != "info"]
"""

from __future__ import annotations

from tasks.brief import speaks
from tasks.model import Briefs, Corrections, Issue, Model, Report, Severity

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

# What each stage issue means for the reader of the pack; its severity is the stage's.
ISSUE_TITLES = {
    "person-mismatch": "Speaker not matched in the participants' list",
    "unpaired-note": "Note without its marker",
    "unpaired-marker": "Note marker without its note",
    "superscript-kept": "Raised text kept as text",
    "conservation": "Text may have been lost in cleaning",
}


class QualityNote(Model):
    severity: Severity
    title: str  # what kind of doubt, in plain words
    message: str
    page: int | None = None
    stage: str = ""


def quality_notes(report: Report, briefs: Briefs, corrections: Corrections) -> list[QualityNote]:
    """Every doubt of the stages and of the pack, most serious first, then by page."""
    notes = [*structure_notes(report), *(issue_note(i) for i in [*report.document.issues, *report.issues])]
    notes += brief_notes(report, briefs)
    notes += correction_notes(corrections)
    unique = list(dict.fromkeys(notes))
    return sorted(unique, key=lambda n: (SEVERITY_ORDER[n.severity], n.page or 0))


def issue_note(issue: Issue) -> QualityNote:
    title = ISSUE_TITLES.get(issue.kind, issue.kind.replace("-", " ").capitalize())
    if issue.kind == "person-mismatch" and " is listed as " in issue.message:
        title = "Name spelt two ways"
    return QualityNote(severity=issue.severity, title=title, message=issue.message, page=issue.page, stage=issue.stage)


def structure_notes(report: Report) -> list[QualityNote]:
    notes = []
    if not report.panels and report.keynote_section is None:
        notes.append(QualityNote(severity="error", title="No sessions found", stage="structure",
                                 message="No panel, session or keynote was recognised, so the pack has no briefs."))
    if not report.participants:
        notes.append(QualityNote(severity="warning", title="Participants not parsed", stage="structure",
                                 message="No list of participants was recognised; the pack has none."))
    if not report.date:
        notes.append(QualityNote(severity="warning", title="No date found", stage="structure",
                                 message="The meeting's date was not recognised."))
    return notes


def brief_notes(report: Report, briefs: Briefs) -> list[QualityNote]:
    notes = []
    for brief in briefs.briefs:
        for person in brief.speakers:
            if not any(speaks(point, person) for point in brief.key_points):
                notes.append(QualityNote(
                    severity="warning", title="Speaker without a summary sentence", stage="brief",
                    message=f"{brief.title}: no paragraph presenting {person.name} was found, so the brief "
                            "lists them without a point of their own.",
                ))
    if report.panels and briefs.purpose is None:
        notes.append(QualityNote(severity="info", title="No stated purpose", stage="brief",
                                 message="The report states no aim the key messages could quote."))
    if report.panels and not briefs.bottom_line:
        notes.append(QualityNote(severity="warning", title="No bottom line", stage="brief",
                                 message="No recommendations or outcomes were found for the key messages."))
    return notes


def correction_notes(corrections: Corrections) -> list[QualityNote]:
    suggested = [c for c in corrections.corrections if not c.applied]
    if not suggested:
        return []
    words = ", ".join(f"“{c.original}” → “{c.replacement}”" for c in suggested)
    return [QualityNote(
        severity="info", title="Suggestions not applied", stage="correct",
        message=f"{len(suggested)} possible error(s) were left as found for the editor to decide: {words}.",
    )]
