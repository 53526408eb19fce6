"""Pages parsed while the command imports Prefect.

Importing Prefect and the stages keeps the command on one core for 1.5-2 s before
the flow starts. Meanwhile the pages the result store lacks (every page of a new
report, the edited page of an edit) are parsed on the page pool's processes; their
extract tasks then take those results (flows/parallel.py:page) instead of parsing
again. Whether a page is cached stays Prefect's decision: a page guessed wrong is
only parsed for nothing (a guess can only be wrong when the store changes meanwhile).
"""

from __future__ import annotations

import os
from pathlib import Path

from flows import keys, parallel
from tasks import extract
from tasks.settings import Settings


def parse_missing_pages(source: Path, config: Settings) -> list[int]:
    """Start parsing the pages of `source` whose extract results are not stored; the pages started."""
    if extract.is_text(source) or not parallel.usable():
        return []
    missing = missing_pages(source, config)
    parallel.parse_early(source, missing, config.password)
    return missing


def missing_pages(source: Path, config: Settings) -> list[int]:
    """Pages whose extract task would find no stored result (the key of steps.extract_page)."""
    store = os.environ.get("PREFECT_LOCAL_STORAGE_PATH")  # set for the command (flows/environment.py)
    if not store:
        return []
    store_path = Path(store)
    settings = config.for_stage("extract")
    fingerprints = extract.page_fingerprints(source, config.password)
    return [
        number
        for number, fingerprint in enumerate(fingerprints, start=1)
        if not (store_path / _key(number, fingerprint, settings, store_path)).is_file()
    ]


def _key(number: int, fingerprint: str, settings: dict, store: Path) -> str:
    parameters = {"number": number, "fingerprint": fingerprint, "settings": settings}
    return keys.task_key("extract", extract.VERSION, parameters, store / "resources")
