"""Bad input: one clear line for the user and a distinct exit code per kind."""

from __future__ import annotations

from pathlib import Path


class SourceError(Exception):
    """A source that cannot be turned into a pack; str(error) is the one-line message."""

    exit_code = 2


class MissingSource(SourceError):
    exit_code = 3


class NotAPdf(SourceError):
    exit_code = 4


class CorruptPdf(SourceError):
    exit_code = 5


class EncryptedPdf(SourceError):
    exit_code = 6


class NoTextLayer(SourceError):
    exit_code = 7


class TooLarge(SourceError):
    exit_code = 8


def check_source(path: Path, max_bytes: int, max_pages: int, password: str = "") -> None:
    """Raise a SourceError unless `path` is a readable text source or PDF within limits."""
    from tasks.extract import is_text

    if not path.exists():
        raise MissingSource(f"{path}: no such file")
    if path.is_dir():
        raise MissingSource(f"{path}: is a directory, not a report")
    size = path.stat().st_size
    if size == 0:
        raise NotAPdf(f"{path}: the file is empty")
    if size > max_bytes:
        raise TooLarge(f"{path}: {size:,} bytes is over the limit of {max_bytes:,} (setting max_bytes)")
    if is_text(path):
        return
    with path.open("rb") as handle:
        head = handle.read(1024)
    if b"%PDF-" not in head:
        raise NotAPdf(f"{path}: not a PDF (no %PDF header); briefpack reads .pdf, .txt and .md")
    _check_pdf(path, max_pages, password)


def _check_pdf(path: Path, max_pages: int, password: str) -> None:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(path, password=password) as pdf:
            pages = pdf.pages
            if len(pages) > max_pages:
                raise TooLarge(f"{path}: {len(pages)} pages is over the limit of {max_pages} (setting max_pages)")
            if not pages:
                raise CorruptPdf(f"{path}: the PDF has no pages")
            if not any(page.chars for page in pages):
                raise NoTextLayer(f"{path}: no text layer (a scanned or image-only PDF); run OCR first, e.g. ocrmypdf")
    except SourceError:
        raise
    except PDFPasswordIncorrect:
        hint = "the password is wrong" if password else "give its password with --password"
        raise EncryptedPdf(f"{path}: the PDF is encrypted; {hint}") from None
    except Exception as error:  # pdfminer raises many kinds on damaged files
        raise CorruptPdf(f"{path}: a damaged or truncated PDF ({type(error).__name__})") from None
