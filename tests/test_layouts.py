"""Extraction and cleaning on PDFs typeset in the tests, one layout fact at a time."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.clean import clean
from tasks.extract import extract_pages
from tasks.markdown import document_markdown
from tasks.model import Document
from tests.pdfs import Column, Typesetter


def build(tmp_path: Path, setter: Typesetter) -> Document:
    return clean(extract_pages(setter.write(tmp_path / "report.pdf")))


def body_text(document: Document) -> str:
    return " ".join(b.text for b in document.blocks)


@pytest.fixture
def single_column(tmp_path) -> Document:
    setter = Typesetter(format="A4", header="Expert Meeting on Water, Geneva 2019", footer="Page {n} of {m}")
    setter.page(
        Column(
            [
                "# Background",
                "The meeting brought together experts from the South-",
                "South cooperation network and non-",
                "governmental groups, and made recom-",
                "mendations on policy.^1 The paragraph then runs",
                "on to the next page, past the notes at the foot of",
            ],
            notes=["^1 A note that starts on this page and", "continues on the next."],
        )
    )
    setter.page(
        Column(
            [
                "this one, and ends here.^2",
                "",
                "## Outcomes",
                "• First item of the list",
                "  • A nested item",
                "• Second item",
            ],
            notes=["goes on after the page break.", "^2 The second note."],
        )
    )
    return build(tmp_path, setter)


def test_page_numbers_and_running_heads_are_furniture(single_column):
    kinds = sorted((f.kind, f.text) for f in single_column.furniture)
    assert kinds == [
        ("page-number", "Page 1 of 2"),
        ("page-number", "Page 2 of 2"),
        ("running-head", "Expert Meeting on Water, Geneva 2019"),
        ("running-head", "Expert Meeting on Water, Geneva 2019"),
    ]
    assert "Page 1" not in body_text(single_column) and "Geneva 2019" not in body_text(single_column)


def test_line_end_hyphens(single_column):
    text = body_text(single_column)
    assert "recommendations" in text
    assert "South-South" in text
    assert "non-governmental" in text


def test_paragraph_joined_across_the_page_and_its_notes(single_column):
    paragraphs = [b.text for b in single_column.blocks if b.kind == "paragraph"]
    assert paragraphs == [
        "The meeting brought together experts from the South-South cooperation network and non-governmental groups, "
        "and made recommendations on policy. The paragraph then runs on to the next page, past the notes at the foot "
        "of this one, and ends here."
    ]


def test_note_continued_on_the_next_page(single_column):
    notes = {n.id: n.text for n in single_column.footnotes}
    assert notes == {
        "1": "A note that starts on this page and continues on the next. goes on after the page break.",
        "2": "The second note.",
    }
    assert all(n.status == "linked" for n in single_column.footnotes)


def test_headings_by_relative_size_and_nested_items(single_column):
    headings = [(b.text, b.level) for b in single_column.blocks if b.kind == "heading"]
    assert headings == [("Background", 1), ("Outcomes", 2)]
    items = [(b.text, b.level) for b in single_column.blocks if b.kind == "item"]
    assert items == [("First item of the list", 0), ("A nested item", 1), ("Second item", 0)]


def test_nothing_lost(single_column):
    assert [i for i in single_column.issues if i.kind == "conservation"] == []


@pytest.mark.parametrize("footer", ["{n}", "- {n} -", "Page {n} of {m}", "p. {n}"])
def test_page_number_styles(tmp_path, footer):
    setter = Typesetter(format="letter", footer=footer)
    for n in range(3):
        setter.page(Column([f"Paragraph {n} of the report, in running text that ends."]))
    document = build(tmp_path, setter)
    assert [f.kind for f in document.furniture] == ["page-number"] * 3
    assert not any(ch.isdigit() for b in document.blocks for ch in b.text.replace("Paragraph 0", "").replace("Paragraph 1", "").replace("Paragraph 2", ""))


LEFT = [
    "Left column opens the text of",
    "the report with running prose",
    "that fills several lines of the",
    "column, as reports set in two",
    "columns do, and it carries the",
    "first marker here.^* The text",
    "ends mid sentence and",
]
RIGHT = [
    "continues at the top of the",
    "right column, where a second",
    "marker follows a dagger.^\u2020 Then",
    "more text fills this column to",
    "the same depth as the left one",
    "so both columns look alike and",
    "the paragraph ends here.",
]


def test_two_columns_read_left_then_right_with_symbol_markers(tmp_path):
    setter = Typesetter(format="letter", columns=2, footer="{n}")
    setter.page(Column(LEFT, notes=["^* The starred note."]), Column(RIGHT, notes=["^\u2020 The dagger note."]))
    document = build(tmp_path, setter)
    expected = " ".join(LEFT + RIGHT).replace("^*", "").replace("^\u2020", "")
    assert [b.text for b in document.blocks] == [expected]
    notes = {n.marker: (n.text, n.status) for n in document.footnotes}
    assert notes == {"*": ("The starred note.", "linked"), "\u2020": ("The dagger note.", "linked")}
    markdown = document_markdown(document)
    assert "marker here.[^star]" in markdown and "dagger.[^dagger]" in markdown


def test_ruled_table_becomes_a_table(tmp_path):
    rows = [["Name", "Organisation"], ["Aerts Marij", "Ministry of Foreign Affairs, Belgium"], ["Chadha Najla", "Caritas Lebanon"]]
    setter = Typesetter(format="A4", footer=None)
    setter.page(Column(["# Participants", "The list follows."], table=rows))
    document = build(tmp_path, setter)
    tables = [b for b in document.blocks if b.kind == "table"]
    assert [t.rows for t in tables] == [rows]
    assert "Caritas" not in " ".join(b.text for b in document.blocks if b.kind != "table")


def test_unlinked_superscript_is_kept_as_text(tmp_path):
    setter = Typesetter(format="A4", footer=None)
    setter.page(Column(["Growth of 10^3 units was seen, with no notes at all."]))
    document = build(tmp_path, setter)
    assert document.footnotes == []
    inlines = document.blocks[0].inlines
    assert any(i.superscript and i.text == "3" for i in inlines)
    assert "10^3^" in document_markdown(document)
