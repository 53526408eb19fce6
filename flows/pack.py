"""The build_pack flow: one source in, one briefing pack out. Wiring only."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from flows import artifacts, parallel, steps, uptodate
from flows.inputs import check_source_file
from flows.publish import Recorder, on_threads, publish
from tasks import brief as brief_stage
from tasks.extract import is_text, page_fingerprints, read_text
from tasks.errors import TooManyUnknownWords, check_chars
from tasks.names import protected_names
from tasks.render import compose_markdown
from tasks.settings import Settings
from tasks.typos import Errata, load_errata


@flow(name="build-pack", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=2 * parallel.workers() + 2))
def build_pack(source: Path, out: Path, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the pack for `source` into out/<stem>/ and return its manifest.

    `settings` are overrides (the CLI's flags); below them come BRIEFPACK_* variables,
    then briefpack.toml in the source's folder, then the defaults.
    """
    source, out = Path(source), Path(out)
    config = Settings.beside(source.parent, **(settings or {}))
    check_source_file(source, config)  # once per process: the command line has checked it already
    inputs = uptodate.inputs(source, settings)  # before reading: an edit during the build is never "up to date"
    run = Recorder()
    _prepare_correct()
    pages = _extract(run, source, config)
    check_chars(source, sum(len(line.text) for page in pages for line in page.lines), config.max_chars)
    document = run(steps.clean, pages, config.for_stage("clean"))
    draft = run(steps.structure, document, config.for_stage("structure"), item="draft")
    errata = _errata(source, config.errata)
    try:
        document, corrections = run(
            steps.correct, document, sorted(protected_names(draft)), errata, config.for_stage("correct")
        )
    except TooManyUnknownWords as failure:
        raise failure.about(source) from None
    report = run(steps.structure, document, config.for_stage("structure"))
    passages = _passages(report)
    briefs = run.many(
        steps.brief, [(p, config.for_stage("brief")) for p in passages], [p.panel.number for p in passages]
    )
    summary = run(steps.summarise, report, briefs, config.for_stage("brief"))
    markdown = compose_markdown(report, summary, corrections)
    templates = uptodate.template_hashes(config.templates)
    rendered = run.many(
        steps.render, [(fmt, markdown, templates, config.for_stage("render")) for fmt in config.formats], config.formats
    )
    outputs = dict(zip(config.formats, rendered))
    stages = {
        "extract.json": pages,
        "clean.md": document,
        "corrections.json": corrections,
        "report.json": report,
        "briefs.json": summary,
    }
    manifest = publish(source, out, stages, outputs, run.records, inputs)
    artifacts.publish_artifacts(source, corrections, summary)
    return manifest


def _prepare_correct() -> None:
    """Load the corrector's word lists (about a second) while the pages are parsed, when its task runs here.

    During extraction this process mostly waits for the page pool; with Dask the
    corrector runs on a worker, which loads them itself.
    """
    if on_threads():
        threading.Thread(target=steps.prepare_correct, args=(steps.resource_folder(),), daemon=True).start()


def _extract(run: Recorder, source: Path, config: Settings) -> list:
    settings = config.for_stage("extract")
    if is_text(source):
        return run(steps.extract_text, source, read_text(source), settings)
    fingerprints = page_fingerprints(source, config.password)
    calls = [(source, number, fingerprint, settings) for number, fingerprint in enumerate(fingerprints, start=1)]
    return run.many(steps.extract_page, calls, [str(number) for number in range(1, len(calls) + 1)])


def _passages(report) -> list:
    """What each brief needs: the keynote's passage, then each panel's, in reading order."""
    keynote = brief_stage.keynote_passage(report)
    return ([keynote] if keynote else []) + [brief_stage.panel_passage(report, p) for p in report.panels]


def _errata(source: Path, setting: Path | None) -> Errata | None:
    """The errata file named by the setting, else <stem>.errata.toml/.yaml beside the source."""
    path = uptodate.errata_file(source, setting)
    return load_errata(path) if path else None
