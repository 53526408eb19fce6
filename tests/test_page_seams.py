"""A paragraph that crosses a page: what is printed on the second page is cited with that page
(corrections, key points, figures), typeset here so the seam is a layout fact, not a test string."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.brief import candidates_from, key_figures
from tasks.clean import clean
from tasks.extract import extract_pages
from tasks.model import Document, PageBreak
from tasks.typos import Errata, correct
from tests.pdfs import Column, Typesetter


@pytest.fixture(scope="module")
def seam(tmp_path_factory: pytest.TempPathFactory) -> Document:
    setter = Typesetter(format="A4", header="Regional Water Forum", footer="Page {n}")
    setter.page(Column([
        "# Maintenance",
        "The district board met in the spring to review the pumps that the",
        "two co-operatives had installed along the river, and the repairs that",
    ]))
    setter.page(Column([
        "folowed in the dry season. Since then about 40 per cent of the pumps",
        "have failed at least once, and the board asked for a second round of",
        "maintenance before the rains.",
        "",
        "A separate paragraph on the second page closes the section.",
    ]))
    return clean(extract_pages(setter.write(tmp_path_factory.mktemp("seam") / "report.pdf")))


def test_a_paragraph_across_the_seam_records_where_the_second_page_starts(seam: Document) -> None:
    joined = next(b for b in seam.blocks if b.kind == "paragraph")
    assert joined.source.page == 1 and joined.page_breaks == [PageBreak(offset=joined.text.index("folowed"), page=2)]
    assert joined.source_at(0).page == 1 and joined.source_at(joined.text.index("dry season")).page == 2
    closing = seam.blocks[-1]
    assert closing.source.page == 2 and closing.page_breaks == []


def test_a_correction_on_the_second_page_cites_that_page(seam: Document) -> None:
    errata = Errata(replacements={"folowed": "followed", "co-operatives": "cooperatives"})
    fixed, corrections = correct(seam, protected=set(), errata=errata)
    pages = {c.original: c.page for c in corrections.corrections if c.applied}
    assert pages == {"co-operatives": 1, "folowed": 2}
    # the applied correction on page 1 is one character shorter: the seam moves with it
    joined = next(b for b in fixed.blocks if b.kind == "paragraph")
    assert joined.page_breaks[0].offset == joined.text.index("followed")


def test_key_points_and_figures_on_the_second_page_cite_it(seam: Document) -> None:
    figures = key_figures(seam.blocks)
    assert [(f.value, f.source.page) for f in figures] == [("40 per cent", 2)]
    pages = {c.text.split()[0]: c.source.page for c in candidates_from(seam.blocks, exclude=set())}
    assert pages == {"The": 1, "Since": 2, "A": 2}
