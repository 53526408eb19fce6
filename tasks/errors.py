"""Bad input: one clear line for the user and a distinct exit code per kind.

`check_source` runs before any stage (the CLI calls it before Prefect starts, the flow
again at its top), so bad input fails fast and never reaches the pack folder. Every
failure is a SourceError whose str() is one line naming the file; its class says which
exit code the command returns (docs/reliability.md has the table).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import Iterator


class SourceError(Exception):
    """A source that cannot be turned into a pack; str(error) is the one-line message."""

    exit_code = 2


class UsageError(SourceError):
    """Something the user typed or configured: a flag, a setting, an errata file, a path."""

    exit_code = 2


class MissingSource(SourceError):
    """No readable file at that path: missing, a directory, not a regular file, no permission."""

    exit_code = 3


class NotAFile(MissingSource):
    """A directory (with no reports in it) or another thing that is not a regular file."""

    exit_code = 10


class NotAPdf(SourceError):
    """Not a format briefpack reads: empty, no %PDF header, text that is not UTF-8."""

    exit_code = 4


class EmptySource(NotAPdf):
    """A file of zero bytes."""

    exit_code = 11


class CorruptPdf(SourceError):
    """A PDF that cannot be parsed: truncated, damaged, no pages, a page that fails."""

    exit_code = 5


class EncryptedPdf(SourceError):
    """A PDF that needs a password (none or a wrong one given)."""

    exit_code = 6


class NoTextLayer(SourceError):
    """Nothing to read: a scanned/image-only PDF, or a text file of blank lines."""

    exit_code = 7


class TooLarge(SourceError):
    """Over the max_bytes or max_pages setting."""

    exit_code = 8


class StreamBomb(SourceError):
    """Streams that decompress to more than the max_stream_bytes setting (a zip bomb)."""

    exit_code = 12


class TooMuchText(SourceError):
    """More characters than the max_chars setting."""

    exit_code = 13


class TooManyUnknownWords(SourceError):
    """More distinct unknown words in the English text than the max_unknown_words setting."""

    exit_code = 15

    def about(self, source: Path | str) -> TooManyUnknownWords:
        """The same error, its message naming the source (the correct stage does not know it)."""
        return TooManyUnknownWords(f"{shown(source)}: {self}")


# The PDF specification's largest page side (ISO 32000: 14,400 units, 200 inches); a box
# beyond it is a damaged or hostile file, and layout analysis scales with the page's width.
MAX_PAGE_SIDE = 14_400

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def shown(path: Path | str) -> str:
    """A path as it appears in a message: control characters (a newline in a file name) escaped."""
    return CONTROL.sub(lambda m: repr(m[0])[1:-1], str(path))


def check_source(
    path: Path, max_bytes: int, max_pages: int, password: str = "", max_stream_bytes: int = 256 << 20,
    max_chars: int = 20_000_000,
) -> None:
    """Raise a SourceError unless `path` is a readable text source or PDF within limits."""
    from tasks.extract import is_text

    path = Path(path)
    name = shown(path)
    try:
        if not path.exists():
            raise MissingSource(f"{name}: no such file")
        if path.is_dir():
            raise NotAFile(f"{name}: is a directory, not a report")
        if not path.is_file():
            raise NotAFile(f"{name}: not a regular file")
        size = path.stat().st_size
        if size == 0:
            raise EmptySource(f"{name}: the file is empty")
        if size > max_bytes:
            raise TooLarge(f"{name}: {size:,} bytes is over the limit of {max_bytes:,} (setting max_bytes)")
        if is_text(path):
            _check_text(path, name, max_chars)
            return
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as error:  # permission denied, a file that vanished, an I/O error
        raise MissingSource(f"{name}: cannot be read ({error.strerror or type(error).__name__})") from None
    if b"%PDF-" not in head:
        raise NotAPdf(f"{name}: not a PDF (no %PDF header); briefpack reads .pdf, .txt and .md")
    _check_pdf(path, name, max_pages, password, max_stream_bytes)


def check_chars(name: str, count: int, max_chars: int) -> None:
    """A document's characters within the max_chars setting (later stages grow with them)."""
    if count > max_chars:
        raise TooMuchText(f"{shown(name)}: {count:,} characters is over the limit of {max_chars:,} (setting max_chars)")


def _check_text(path: Path, name: str, max_chars: int) -> None:
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise NotAPdf(
            f"{name}: not UTF-8 text ({error.reason} at byte {error.start}); save it as UTF-8"
        ) from None
    if not any(ch.isalnum() for ch in text):
        raise NoTextLayer(f"{name}: no text to read (the file holds no letters or digits)")
    check_chars(name, len(text), max_chars)


@contextlib.contextmanager
def pdf_errors(path: Path | str, page: int | None = None, password: str = "") -> Iterator[None]:
    """Turn whatever pdfminer/pdfplumber raise on a bad PDF into the matching SourceError.

    For code that opens a PDF after check_source passed (extracting page n):
    `with pdf_errors(path, n, password): ...`.
    """
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    name = shown(path)
    try:
        yield
    except SourceError:
        raise
    except FileNotFoundError:  # deleted or renamed since it was checked (watch mode sees this)
        raise MissingSource(f"{name}: no such file (it was removed or renamed)") from None
    except PermissionError as error:
        raise MissingSource(f"{name}: cannot be read ({error.strerror or 'permission denied'})") from None
    except RecursionError:  # a reference cycle in the object tree
        raise CorruptPdf(f"{name}: {_where(page)}a damaged PDF (objects refer to each other in a loop)") from None
    except MemoryError:
        raise CorruptPdf(f"{name}: {_where(page)}a damaged PDF (a part claims more memory than there is)") from None
    except Exception as error:  # pdfminer raises many kinds on damaged files
        cause = _cause(error)
        if isinstance(cause, PDFPasswordIncorrect):
            hint = "the password is wrong" if password else "give its password with --password"
            raise EncryptedPdf(f"{name}: the PDF is encrypted; {hint}") from None
        if type(cause).__name__ == "PDFEncryptionError":  # an encryption scheme pdfminer does not know
            raise EncryptedPdf(f"{name}: the PDF's encryption cannot be opened ({_one_line(cause)})") from None
        raise CorruptPdf(f"{name}: {_where(page)}a damaged or truncated PDF ({type(cause).__name__})") from None


def _where(page: int | None) -> str:
    return f"page {page}: " if page else ""


def _cause(error: BaseException) -> BaseException:
    """pdfplumber wraps pdfminer's exception in PdfminerException(original)."""
    for _ in range(5):
        inner = error.args[0] if type(error).__name__ == "PdfminerException" and error.args else None
        if not isinstance(inner, BaseException):
            return error
        error = inner
    return error


def _one_line(error: BaseException) -> str:
    text = " ".join(str(error).split()) or type(error).__name__
    return shown(text[:120])


def _check_pdf(path: Path, name: str, max_pages: int, password: str, max_stream_bytes: int) -> None:
    import pdfplumber

    from tasks.extract import page_fingerprints

    with pdf_errors(path, password=password):
        with pdfplumber.open(path, password=password) as pdf:
            _check_streams(pdf.doc, name, max_stream_bytes)
            pages = pdf.pages
            if len(pages) > max_pages:
                raise TooLarge(f"{name}: {len(pages)} pages is over the limit of {max_pages} (setting max_pages)")
            if not pages:
                raise CorruptPdf(f"{name}: the PDF has no pages")
            for number, page in enumerate(pages, start=1):
                with pdf_errors(path, number, password):
                    width, height = float(page.width), float(page.height)
                if not (0 < width <= MAX_PAGE_SIDE and 0 < height <= MAX_PAGE_SIDE):
                    raise TooLarge(
                        f"{name}: page {number} is {width:,.0f} × {height:,.0f} pt, outside the PDF limit of "
                        f"{MAX_PAGE_SIDE:,} pt a side (a damaged page box?)"
                    )
            with_text = False
            for number, page in enumerate(pages, start=1):
                with pdf_errors(path, number, password):
                    if page.chars:
                        with_text = True
                        break
            if not with_text:
                raise NoTextLayer(
                    f"{name}: no text layer (a scanned or image-only PDF); "
                    "run OCR on it first (e.g. ocrmypdf) and build from the result"
                )
        # What the flow reads first, for every page: size, content streams, fonts. Cheap (no
        # layout analysis), and a page whose box or streams are damaged fails here, not mid-build.
        page_fingerprints(path, password)


def _check_streams(doc, name: str, limit: int) -> None:
    """Every stream that layout analysis may decode, inflated in bounded chunks before anyone
    inflates it whole: a 300 KB file can hold a stream of gigabytes (a zip bomb).

    Only objects stored directly in the file are visited: streams cannot live inside object
    streams, and visiting an object-stream's members would inflate it unchecked.
    """
    from pdfminer.pdftypes import PDFStream

    total = 0
    for xref in doc.xrefs:
        for objid in xref.get_objids():
            try:
                stored_in_stream = xref.get_pos(objid)[0] is not None
            except KeyError:
                continue
            if stored_in_stream:
                continue
            try:
                obj = doc.getobj(objid)
            except Exception:  # noqa: BLE001 - a damaged object fails later, with its page
                continue
            if isinstance(obj, PDFStream) and _name(obj.get("Subtype")) != "Image":
                total += _inflated_size(obj, limit - total + 1)
                if total > limit:
                    raise StreamBomb(
                        f"{name}: its streams decompress to more than {limit:,} bytes (setting max_stream_bytes); "
                        "a damaged or hostile PDF"
                    )


def _inflated_size(stream, budget: int) -> int:
    """The stream's size after FlateDecode, counting at most `budget` bytes (others: raw size)."""
    import zlib

    if stream.rawdata is None:  # already decoded by pdfminer (an xref stream)
        return len(stream.data or b"")
    data = stream.rawdata
    if stream.decipher:
        data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
    filters = [_name(f) for f, _ in stream.get_filters()]
    if not filters or filters[0] not in ("FlateDecode", "Fl"):
        return len(data)
    inflate = zlib.decompressobj()
    size = 0
    try:
        while data and size <= budget:
            size += len(inflate.decompress(data, 1 << 20))
            data = inflate.unconsumed_tail
    except zlib.error:
        pass  # pdfminer tolerates a damaged stream the same way: what inflated counts
    return size


def _name(value) -> str:
    return str(getattr(value, "name", value or ""))
