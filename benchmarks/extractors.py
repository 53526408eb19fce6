"""briefpack's extraction against well-known extractors, on footnotes and page furniture.

    python benchmarks/extractors.py PDF_OR_DIR...

For each PDF with an answer key beside it (<stem>.footnotes.json as in the real-PDF
fixtures, or <stem>.answers.json like the sample's), it measures:

- notes apart: footnote bodies that end up outside the running text (as notes), of the key's;
- notes linked: bodies attached to their marker (only briefpack links);
- furniture left: page-number lines still in the running text;
- seams joined: page-crossing paragraphs of the key whose two halves meet with one space.

Extractors: briefpack (extract + clean), pdfplumber's page.extract_text(), PyMuPDF's
page.get_text() (if installed) and poppler's pdftotext (if on PATH). A plain extractor
gives one text stream per page, so its notes are never apart and never linked.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.clean import clean  # noqa: E402
from tasks.extract import extract_pages  # noqa: E402

PAGE_NUMBER_LINE = re.compile(r"^\s*(?:page\s+)?\d{1,4}(?:\s+of\s+\d+)?\s*$", re.I)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


# --- what each extractor gives: (running text, notes, linked count) ---------------------


def briefpack(pdf: Path) -> tuple[list[str], list[str], int]:
    document = clean(extract_pages(pdf))
    body = [b.text for b in document.blocks] + [" ".join(" ".join(r) for r in b.rows) for b in document.blocks]
    notes = [n.text for n in document.footnotes if n.status != "no-body"]
    return body, notes, sum(1 for n in document.footnotes if n.status == "linked")


def pdfplumber_text(pdf: Path) -> tuple[list[str], list[str], int]:
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        return [page.extract_text() or "" for page in document.pages], [], 0


def pymupdf_text(pdf: Path) -> tuple[list[str], list[str], int]:
    import pymupdf

    with pymupdf.open(pdf) as document:
        return [page.get_text() for page in document], [], 0


def pdftotext_text(pdf: Path) -> tuple[list[str], list[str], int]:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f"), [], 0


def extractors() -> dict:
    found = {"briefpack": briefpack, "pdfplumber extract_text": pdfplumber_text}
    try:
        import pymupdf  # noqa: F401

        found["PyMuPDF get_text"] = pymupdf_text
    except ImportError:
        pass
    if shutil.which("pdftotext"):
        found["pdftotext -layout"] = pdftotext_text
    return found


# --- answer keys ---------------------------------------------------------------------------


def key_for(pdf: Path) -> dict | None:
    """Notes (body starts), page count and page-crossing seams, from either key format."""
    notes_key = pdf.with_suffix(".footnotes.json")
    answers = pdf.with_name(pdf.stem + ".answers.json")
    if notes_key.exists():
        data = json.loads(notes_key.read_text())
        return {"notes": [n["body_start"] for n in data["footnotes"]], "seams": []}
    if answers.exists():
        data = json.loads(answers.read_text())
        seams = [c["last_words_on_first_page"] + " " + c["first_words_on_next_page"] for c in data["page_crossing_paragraphs"]]
        return {"notes": [" ".join(n["body"].split()[:8]) for n in data["footnotes"]], "seams": seams}
    return None


def measure(extract, pdf: Path, key: dict) -> dict:
    body, notes, linked = extract(pdf)
    running = squash(" ".join(body))
    apart = sum(1 for start in key["notes"] if squash(start) not in running and any(squash(n).startswith(squash(start)) for n in notes))
    furniture = sum(1 for text in body for line in text.splitlines() if PAGE_NUMBER_LINE.match(line))
    joined_text = " ".join(" ".join(t.split()) for t in body)
    seams = sum(1 for seam in key["seams"] if " ".join(seam.split()) in joined_text)
    return {"apart": apart, "linked": linked, "furniture": furniture, "seams": seams}


def main() -> None:
    pdfs: list[Path] = []
    for argument in map(Path, sys.argv[1:]):
        pdfs += sorted(argument.glob("*.pdf")) if argument.is_dir() else [argument]
    rows = []
    for pdf in pdfs:
        key = key_for(pdf)
        if key is None:
            continue
        for name, extract in extractors().items():
            figures = measure(extract, pdf, key)
            rows.append((pdf.name, name, len(key["notes"]), len(key["seams"]), figures))
    print("| file | extractor | notes apart | notes linked | page numbers left in text | page seams joined |")
    print("|---|---|---|---|---|---|")
    for file, name, notes, seams, f in rows:
        seam = f"{f['seams']}/{seams}" if seams else "–"
        print(f"| {file} | {name} | {f['apart']}/{notes} | {f['linked']}/{notes} | {f['furniture']} | {seam} |")


if __name__ == "__main__":
    main()
