"""Renderer base class, the format registry and helpers shared by renderers and tests.

A renderer turns the pack's one Pandoc-Markdown intermediate into one file format.
Each format is a small class registered by name (like Sphinx builders), so the flow
loops over requested names and never branches on the format.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timezone
from pathlib import Path
from typing import ClassVar

from lxml import etree


class Renderer:
    """One output format: `render` writes `out` from the pack's Markdown."""

    name: ClassVar[str]  # the format's name in settings and on the command line
    suffix: ClassVar[str]  # the output file's suffix, with its dot

    def render(self, markdown: str, out: Path, templates: Path) -> None:
        raise NotImplementedError


REGISTRY: dict[str, type[Renderer]] = {}


def register(cls: type[Renderer]) -> type[Renderer]:
    """Add a renderer class (usable as a decorator); a second one with the same name is an error."""
    if cls.name in REGISTRY:
        raise ValueError(f"a renderer named {cls.name!r} is already registered ({REGISTRY[cls.name].__name__})")
    REGISTRY[cls.name] = cls
    return cls


def renderer(name: str) -> Renderer:
    """A new renderer for the format `name`; unknown names list the known ones."""
    try:
        return REGISTRY[name]()
    except KeyError:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"no renderer named {name!r}; known formats: {known}") from None


def renderer_names() -> list[str]:
    return sorted(REGISTRY)


# --- determinism ----------------------------------------------------------------------

# Used when the report's date cannot be read: 1980-01-01, the earliest zip timestamp.
FALLBACK_EPOCH = 315532800

_MONTHS = {
    name: number
    for number, name in enumerate(
        ["january", "february", "march", "april", "may", "june", "july",
         "august", "september", "october", "november", "december"],
        start=1,
    )
}
_ORDINAL = r"(?:st|nd|rd|th)?"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}}){_ORDINAL}(?:\s*[-–]\s*\d{{1,2}}{_ORDINAL})?\s+([A-Za-z]+)\.?,?\s+(\d{{4}})\b"
)
_MONTH_DAY = re.compile(r"\b([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:\s*[-–]\s*\d{1,2})?,?\s+(\d{4})\b")
_MONTH_YEAR = re.compile(r"\b([A-Za-z]+)\s+(\d{4})\b")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")


def parse_date(text: str) -> date | None:
    """The first calendar date in free text ("21 June 2010", "June 21, 2010", "2010-06-21").

    Meeting reports print dates many ways; a month or year alone gives its first day.
    """
    if m := _ISO.search(text):
        return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    if (m := _DAY_MONTH.search(text)) and m[2].lower()[:3] in _month_prefixes():
        return _safe_date(int(m[3]), _month(m[2]), int(m[1]))
    if (m := _MONTH_DAY.search(text)) and m[1].lower()[:3] in _month_prefixes():
        return _safe_date(int(m[3]), _month(m[1]), int(m[2]))
    if (m := _MONTH_YEAR.search(text)) and m[1].lower()[:3] in _month_prefixes():
        return _safe_date(int(m[2]), _month(m[1]), 1)
    if m := _YEAR.search(text):
        return _safe_date(int(m[1]), 1, 1)
    return None


def _month_prefixes() -> set[str]:
    return {name[:3] for name in _MONTHS}


def _month(word: str) -> int:
    return next(number for name, number in _MONTHS.items() if name.startswith(word.lower()[:3]))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def source_date_epoch(text: str) -> int:
    """Seconds since 1970 for the date in `text` (noon UTC, so every time zone agrees on the day)."""
    found = parse_date(text)
    if found is None or found.year < 1980:
        return FALLBACK_EPOCH
    return int(datetime(found.year, found.month, found.day, 12, tzinfo=timezone.utc).timestamp())


_ENV_LOCK = threading.Lock()


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    """Set environment variables for the block (pypandoc passes os.environ to pandoc).

    A lock keeps concurrent renders (Prefect runs tasks in threads) from seeing each
    other's values.
    """
    with _ENV_LOCK:
        saved = {key: os.environ.get(key) for key in values}
        os.environ.update(values)
        try:
            yield
        finally:
            for key, old in saved.items():
                if old is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = old


# --- comparing zipped outputs ----------------------------------------------------------

_XML_SUFFIXES = (".xml", ".rels", ".opf", ".ncx", ".xhtml", ".html")


def normalise_zip(path: Path) -> dict[str, str]:
    """A DOCX or EPUB as {member name: text}, XML pretty-printed, for golden comparison.

    Zip bytes differ for reasons nobody reads (compression, entry order), so goldens
    compare the members. Binary members appear as their size and a digest.
    """
    members: dict[str, str] = {}
    with zipfile.ZipFile(path) as archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            data = archive.read(info)
            if info.filename.endswith(_XML_SUFFIXES) or info.filename == "mimetype":
                members[info.filename] = _pretty_xml(data)
            else:
                members[info.filename] = f"<binary {len(data)} bytes sha256={hashlib.sha256(data).hexdigest()}>"
    return members


def _pretty_xml(data: bytes) -> str:
    try:
        parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return data.decode("utf-8", errors="replace")
    return etree.tostring(root, pretty_print=True, encoding="unicode")
