"""Do corrections, key points and figures cite the page their words are printed on?

    PYTHONPATH=. .venv/bin/python benchmarks/pages.py PDF_OR_FOLDER... [--max-pages N] [--errata FOLDER]

Runs extract -> clean -> correct -> structure -> brief on each PDF and checks every
correction (its original words), key point and figure (their first words) against the
text of the page it cites, letters and digits only (so line-end hyphens and spacing do not
matter). Beside today's page it checks the page the item's block starts on, which is what
every item cited before blocks recorded their page breaks. Items found on neither page
(text the corrector or the cleaner changed, a figure's context cut mid-word) are counted
apart. Stage figures: docs/stage-files.md; the results: docs/summariser.md.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flows.packs import errata_path  # noqa: E402
from tasks.brief import brief_panel, keynote_passage, panel_passage  # noqa: E402
from tasks.clean import clean  # noqa: E402
from tasks.extract import extract_pages  # noqa: E402
from tasks.model import Block, Document, SourceRef  # noqa: E402
from tasks.names import protected_names  # noqa: E402
from tasks.structure import structure  # noqa: E402
from tasks.typos import correct, load_errata  # noqa: E402

WORDS = 6  # the first words of a point or figure context that must be on its page


@dataclass
class Tally:
    items: int = 0  # checked
    crossing: int = 0  # of them, in a block that crosses pages
    cited: int = 0  # found on the page cited today
    start_page: int = 0  # found on the page the block starts on (the citation before page breaks)
    neither: int = 0  # found on neither page
    start_only: int = 0  # found on the block's first page but not on the page cited today (a regression)

    def add(self, cited: bool, start: bool, crosses: bool) -> None:
        self.items += 1
        self.crossing += crosses
        self.cited += cited
        self.start_page += start
        self.neither += not (cited or start)
        self.start_only += start and not cited


def letters(text: str) -> str:
    return "".join(c for c in text.casefold() if c.isalnum())


def check(pdf: Path, tallies: dict[str, Tally], max_pages: int, errata_folder: Path | None) -> bool:
    pages = extract_pages(pdf)
    if len(pages) > max_pages:
        print(f"{pdf.name}: {len(pages)} pages, skipped (over --max-pages)")
        return False
    printed = {p.number: letters(" ".join(line.text for line in p.lines)) for p in pages}
    document = clean(pages)
    # the editor's errata, as a build reads them: beside the PDF, or <stem>.errata.toml in --errata
    errata = errata_path(errata_folder / pdf.name if errata_folder else pdf, None)
    document, corrections = correct(document, protected_names(structure(document)),
                                    errata=load_errata(errata) if errata else None)
    report = structure(document)
    for c in corrections.corrections:
        if c.block is not None and c.page is not None:
            block = document.blocks[c.block]
            _tally(tallies["corrections"], printed, c.original, SourceRef(page=c.page), block)
    passages = [p for p in [keynote_passage(report)] if p] + [panel_passage(report, p) for p in report.panels]
    for passage in passages:
        brief = brief_panel(passage)
        for point in brief.key_points:
            _tally(tallies["key points"], printed, _first_words(point.text), point.source, _block(document, point.source))
        for figure in brief.figures:
            _tally(tallies["figures"], printed, _first_words(figure.context), figure.source,
                   _block(document, figure.source))
    return True


def _tally(tally: Tally, printed: dict[int, str], text: str, cited: SourceRef, block: Block | None) -> None:
    if block is None or not letters(text):
        return
    wanted = letters(text)
    tally.add(wanted in printed.get(cited.page, ""), wanted in printed.get(block.source.page, ""),
              bool(block.page_breaks))


def _first_words(text: str) -> str:
    return " ".join(text.split()[:WORDS])


def _block(document: Document, source: SourceRef) -> Block | None:
    return next((b for b in document.blocks if source in b.sources), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", type=Path, nargs="+")
    parser.add_argument("--max-pages", type=int, default=20, help="skip longer PDFs (CPU budget)")
    parser.add_argument("--errata", type=Path, default=None, help="a folder of <stem>.errata.toml files")
    args = parser.parse_args()
    pdfs = sorted(p for path in args.paths for p in ([path] if path.is_file() else path.glob("*.pdf")))
    tallies = {kind: Tally() for kind in ("corrections", "key points", "figures")}
    checked = sum(check(pdf, tallies, args.max_pages, args.errata) for pdf in pdfs)
    print(f"\n{checked} of {len(pdfs)} PDFs checked\n")
    print("| item | checked | in a paragraph across pages | on the page cited | on the block's first page "
          "| on the first page only | on neither |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for kind, t in tallies.items():
        print(f"| {kind} | {t.items} | {t.crossing} | {t.cited} | {t.start_page} | {t.start_only} | {t.neither} |")


if __name__ == "__main__":
    main()
