"""Extract: a source file to pages of layout facts (PDF) or lines (text, Markdown)."""

from __future__ import annotations

from pathlib import Path

from tasks.errors import SourceError
from tasks.extract.pdf import extract_pdf_page, page_count, page_fingerprints
from tasks.extract.text import text_pages
from tasks.model import Page

VERSION = "5"  # bump when extraction output changes for the same input

TEXT_SUFFIXES = {".txt", ".md", ".markdown"}

__all__ = ["extract_pages", "extract_pdf_page", "page_count", "page_fingerprints", "text_pages", "is_text"]


def is_text(path: Path) -> bool:
    return path.suffix.lower() in TEXT_SUFFIXES


def extract_pages(path: Path, password: str = "") -> list[Page]:
    """All pages of a source, in order (the flow maps PDF pages one task each)."""
    if is_text(path):
        return text_pages(read_text(path))
    return [extract_pdf_page(path, n, password) for n in range(1, page_count(path, password) + 1)]


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise SourceError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
