"""Build a pack from a source by calling the pure stages directly, without Prefect.

Used by the validation tests and benchmarks/screenshots.py: the flow's caching and
threads are not what they check, and importing Prefect costs seconds.
"""

from __future__ import annotations

from pathlib import Path

from tasks.brief import brief_panel, keynote_passage, panel_passage, summarise
from tasks.clean import clean
from tasks.extract import extract_pages
from tasks.model import Corrections, Document
from tasks.names import protected_names
from tasks.render import compose_markdown, render_pack
from tasks.render.compose import DEFAULT_TEMPLATES
from tasks.structure import structure
from tasks.typos import correct

FORMATS = ["docx", "epub", "html"]


def corrected(document: Document) -> tuple[Document, Corrections]:
    """The typo stage, protecting the names the structure stage finds (as the flow does)."""
    return correct(document, protected_names(structure(document)), language="auto")


def pack_markdown(source: Path) -> str:
    """The pack's Markdown intermediate for one source (.pdf, .txt or .md)."""
    document, corrections = corrected(clean(extract_pages(source)))
    report = structure(document)
    keynote = keynote_passage(report)
    passages = ([keynote] if keynote else []) + [panel_passage(report, p) for p in report.panels]
    briefs = summarise(report, [brief_panel(p) for p in passages])
    return compose_markdown(report, briefs, corrections)


def build_sample(source: Path, out: Path, formats: list[str] = FORMATS) -> Path:
    """Write out/<stem>/<stem>.{md,docx,epub,html} like `briefpack build` does; return the pack folder."""
    folder = out / source.stem
    folder.mkdir(parents=True, exist_ok=True)
    markdown = pack_markdown(source)
    (folder / f"{source.stem}.md").write_text(markdown, encoding="utf-8")
    render_pack(markdown, folder, source.stem, formats, DEFAULT_TEMPLATES)
    return folder
