"""Prefect tasks: thin wrappers over the pure stages, with content-keyed caching.

A cache key (flows/keys.py) is sha256(stage, the stage's VERSION, the fingerprint of
its code, data files and libraries (flows/stagecode.py), the settings tagged with the
stage, the content of every input). Prefect's DEFAULT policy includes the run id and
TASK_SOURCE hashes only these wrappers, so neither would notice a changed stage.
Editing a stage's module or rule file (or bumping its VERSION) invalidates that
stage and, through changed inputs, only what follows. Inputs hash the same in
every process: sets are sorted, never hashed through str().
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any, Callable

from prefect import task
from prefect.context import TaskRunContext
from pydantic import BaseModel

from flows import keys, parallel
from tasks import brief as brief_stage
from tasks import clean as clean_stage
from tasks import extract as extract_stage
from tasks import render as render_stage
from tasks import structure as structure_stage
from tasks import typos as typos_stage
from tasks.errors import pdf_errors
from tasks.model import Brief, Briefs, Corrections, Document, Page, Report

VERSIONS = {
    "extract": extract_stage.VERSION,
    "clean": clean_stage.VERSION,
    "correct": typos_stage.VERSION,
    "structure": structure_stage.VERSION,
    "brief": brief_stage.VERSION,
    "render": render_stage.VERSION,
}


def stage_key(stage: str) -> Callable[[TaskRunContext, dict[str, Any]], str]:
    """A cache_key_fn for `stage`: its version, its code and data, its settings and its inputs' content."""

    def key(context: TaskRunContext, parameters: dict[str, Any]) -> str:
        return keys.task_key(stage, VERSIONS[stage], parameters, resource_folder())

    return key


def timed(function: Callable[..., Any], *args: Any) -> tuple[Any, float]:
    """Run a stage and measure it; a cached task returns the first run's figures."""
    start = time.perf_counter()
    value = function(*args)
    return value, round(time.perf_counter() - start, 4)


CACHED = dict(persist_result=True, cache_result_in_memory=False)


def resource_folder() -> Path:
    """<result store>/resources: the stages' parsed word lists and models, kept between processes.

    Beside the cached results (the same trust: both are pickles), never one of them:
    `cache clear` and `prune` leave it (flows/cache.py), a new library version replaces it.
    """
    from prefect.settings import get_current_settings

    return Path(get_current_settings().results.local_storage_path) / "resources"


def prepare_correct(folder: Path) -> None:
    """The corrector's word lists and model loaded, from `folder` when an earlier process kept them there."""
    typos_stage.keep_resources_in(folder)
    typos_stage.load_resources()


@task(name="extract", cache_key_fn=stage_key("extract"), **CACHED)
def extract_page(source: Path, number: int, fingerprint: str, settings: dict) -> tuple[Page, float]:
    """Layout facts of one PDF page; keyed on the page's content fingerprint, not the file.

    The flow submits every page at once; each uncached page is parsed on the shared
    process pool (flows/parallel.py), so pages are extracted on all cores.
    """
    password = settings.get("password", "")
    with pdf_errors(source, number, password):  # a page that fails late is still a one-line input error
        return parallel.page(source, number, password)


@task(name="extract", cache_key_fn=stage_key("extract"), **CACHED)
def extract_text(source: Path, text: str, settings: dict) -> tuple[list[Page], float]:
    """Pages of a text or Markdown source."""
    return timed(extract_stage.text_pages, text)


@task(name="clean", cache_key_fn=stage_key("clean"), **CACHED)
def clean(pages: list[Page], settings: dict) -> tuple[Document, float]:
    return timed(clean_stage.clean, pages)


@task(name="structure", cache_key_fn=stage_key("structure"), **CACHED)
def structure(document: Document, settings: dict) -> tuple[Report, float]:
    return timed(structure_stage.structure, document)


@task(name="correct", cache_key_fn=stage_key("correct"), **CACHED)
def correct(document: Document, protected: list[str], errata: Any, settings: dict) -> tuple[tuple[Document, Corrections], float]:
    prepare_correct(resource_folder())  # at once if the flow had them loaded while pages were parsed
    return timed(
        lambda: typos_stage.correct(
            document,
            set(protected),
            language=settings["language"],
            threshold=settings["apply_threshold"],
            errata=errata,
            max_unknown_words=settings["max_unknown_words"],
        )
    )


@task(name="brief", cache_key_fn=stage_key("brief"), **CACHED)
def brief(passage: BaseModel, settings: dict) -> tuple[Brief, float]:
    summariser = brief_stage.get_summariser(settings["summariser"], settings["summariser_url"], settings["summariser_model"])
    return timed(brief_stage.brief_panel, passage, summariser)


@task(name="summary", cache_key_fn=stage_key("brief"), **CACHED)
def summarise(report: Report, briefs: list[Brief], settings: dict) -> tuple[Briefs, float]:
    return timed(brief_stage.summarise, report, briefs)


@task(name="render", cache_key_fn=stage_key("render"), **CACHED)
def render(fmt: str, markdown: str, templates: dict[str, str], settings: dict) -> tuple[bytes, float]:
    """One output format's bytes; keyed on the pack's Markdown and the templates' content."""
    return timed(_render_bytes, fmt, markdown, Path(settings["templates"]))


def _render_bytes(fmt: str, markdown: str, templates: Path) -> bytes:
    """Renderers write files (pandoc does); the flow publishes bytes atomically itself."""
    each = render_stage.renderer(fmt)
    with tempfile.TemporaryDirectory(prefix="briefpack-render-") as folder:
        path = Path(folder) / f"pack{each.suffix}"
        each.render(markdown, path, templates)
        return path.read_bytes()
