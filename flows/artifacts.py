"""Prefect artifacts per run: the corrections report and the briefs summary, as Markdown.

They appear on the flow run's Artifacts tab in the Prefect UI; keyed by the source's
stem, so the UI also keeps each report's history across runs.
"""

from __future__ import annotations

import re
from pathlib import Path

from prefect.artifacts import create_markdown_artifact

from tasks.model import Briefs, Corrections


def artifact_key(source: Path, what: str) -> str:
    """Prefect keys allow lowercase letters, digits and dashes only."""
    stem = re.sub(r"[^a-z0-9-]+", "-", source.stem.lower()).strip("-") or "source"
    return f"{stem}-{what}"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def corrections_markdown(source: Path, corrections: Corrections) -> str:
    applied = [c for c in corrections.corrections if c.applied]
    suggested = [c for c in corrections.corrections if not c.applied]
    lines = [
        f"# Corrections: {source.name}",
        "",
        f"Spelling variety {corrections.language}: {len(applied)} applied, {len(suggested)} only suggested.",
        "",
    ]
    if corrections.corrections:
        lines += ["| page | original | replacement | rule | confidence | applied |", "|---|---|---|---|---|---|"]
        lines += [
            f"| {c.page or ''} | {_cell(c.original)} | {_cell(c.replacement)} | {_cell(c.rule)} | {c.confidence:.2f} | "
            f"{'yes' if c.applied else 'suggested'} |"
            for c in corrections.corrections
        ]
    return "\n".join(lines) + "\n"


def briefs_markdown(source: Path, summary: Briefs) -> str:
    lines = [f"# Briefs: {source.name}", "", summary.executive_summary, ""]
    lines += ["| panel | title | key points | words |", "|---|---|---|---|"]
    lines += [f"| {_cell(b.panel)} | {_cell(b.title)} | {len(b.key_points)} | {b.words} |" for b in summary.briefs]
    return "\n".join(lines) + "\n"


def publish_artifacts(source: Path, corrections: Corrections, summary: Briefs) -> list:
    """Create both artifacts in the current flow run; return their ids."""
    return [
        create_markdown_artifact(
            markdown=corrections_markdown(source, corrections),
            key=artifact_key(source, "corrections"),
            description=f"Typo corrections in {source.name}, applied or suggested",
        ),
        create_markdown_artifact(
            markdown=briefs_markdown(source, summary),
            key=artifact_key(source, "briefs"),
            description=f"Executive summary and panel briefs of {source.name}",
        ),
    ]
