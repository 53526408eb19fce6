"""The clean stage on the sample report (PDF and the client's raw text) against the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from tasks.clean import clean
from tasks.extract import extract_pages
from tasks.model import Document
from tests.answers import FIXTURES, load, squash

KEY = load()


@pytest.fixture(scope="module")
def pdf_document() -> Document:
    return clean(extract_pages(FIXTURES / "roundtable-2010.pdf"))


@pytest.fixture(scope="module")
def seed_document() -> Document:
    return clean(extract_pages(FIXTURES / "roundtable-2010.seed.txt"))


def text_before(document: Document, note_id: str) -> str:
    """The running text that precedes the reference to `note_id`."""
    for block in document.blocks:
        text = ""
        for inline in block.inlines:
            if inline.note == note_id:
                return text
            text += inline.text
    raise AssertionError(f"no reference to note {note_id}")


def headings(document: Document) -> list[str]:
    title = document.metadata.get("title")
    return [b.text for b in document.blocks if b.kind == "heading" and b.text != title]


def test_pdf_links_every_footnote_after_its_words(pdf_document):
    notes = {n.id: n for n in pdf_document.footnotes}
    assert sorted(notes, key=int) == [str(n["number"]) for n in KEY["footnotes"]]
    for expected in KEY["footnotes"]:
        note = notes[str(expected["number"])]
        assert note.status == "linked"
        assert squash(note.text) == squash(expected["body"])
        assert squash(text_before(pdf_document, note.id)).endswith(squash(expected["text_before_marker"]))


def test_pdf_note_bodies_are_not_in_the_running_text(pdf_document):
    body = squash(" ".join(b.text for b in pdf_document.blocks))
    for expected in KEY["footnotes"]:
        assert squash(expected["body"])[:40] not in body


def test_pdf_page_numbers_are_furniture(pdf_document):
    numbers = [f.text for f in pdf_document.furniture if f.kind == "page-number"]
    assert numbers == [str(n) for n in range(1, KEY["page_count"] + 1)]
    assert not any(b.text.strip().isdigit() for b in pdf_document.blocks)


def test_pdf_paragraphs_joined_across_pages(pdf_document):
    texts = [squash(b.text) for b in pdf_document.blocks]
    for crossing in KEY["page_crossing_paragraphs"]:
        seam = squash(crossing["last_words_on_first_page"] + " " + crossing["first_words_on_next_page"])
        block = next(t for t in texts if t.startswith(squash(crossing["starts"])))
        assert seam in block, crossing["starts"]


def test_pdf_headings_in_order(pdf_document):
    assert headings(pdf_document) == KEY["section_headings"]
    assert pdf_document.metadata["title"] == KEY["title"]


def test_pdf_heading_levels(pdf_document):
    levels = [(b.text, b.level) for b in pdf_document.blocks if b.kind == "heading" and b.level]
    expected = [(h["text"], h["level"]) for h in KEY["section_headings_detail"]]
    assert [pair for pair in levels if pair[0] != KEY["title"]] == expected


def test_pdf_participants_are_a_table(pdf_document):
    tables = [b for b in pdf_document.blocks if b.kind == "table"]
    assert len(tables) == 1
    rows = tables[0].rows
    assert len(rows) == KEY["participants_count"]
    assert [" ".join(r) for r in rows] == [f"{p['name']} {p['organisation']}" for p in KEY["participants"]]


def test_pdf_conservation_holds(pdf_document):
    assert [i for i in pdf_document.issues if i.kind == "conservation"] == []


def test_seed_links_the_notes_it_has(seed_document):
    linked = sorted((n.id for n in seed_document.footnotes if n.status == "linked"), key=int)
    assert linked == ["1", "3", "4", "5", "8", "9", "10", "11"]
    for number in linked:
        expected = KEY["footnotes"][int(number) - 1]
        assert squash(text_before(seed_document, number)).endswith(squash(expected["text_before_marker"]))


def test_seed_reports_and_keeps_unpaired_notes(seed_document):
    status = {n.marker: n.status for n in seed_document.footnotes}
    assert status["2"] == "no-body"
    assert status["6"] == status["7"] == "no-marker"
    kinds = sorted((i.kind, i.page) for i in seed_document.issues if i.kind.startswith("unpaired"))
    assert [k for k, _ in kinds] == ["unpaired-marker", "unpaired-note", "unpaired-note"]
    six = next(n for n in seed_document.footnotes if n.marker == "6")
    assert squash(six.text) == squash(KEY["footnotes"][5]["body"])


def test_seed_headings_match_the_pdf(seed_document):
    assert headings(seed_document) == KEY["section_headings"]


def test_seed_paragraphs_joined_across_page_breaks(seed_document):
    text = squash(" ".join(b.text for b in seed_document.blocks))
    assert squash("to exercise political voice and representation, and to") in text
    assert squash("concerns at middle management level. There is also") in text


def test_seed_stray_artifacts_are_furniture(seed_document):
    assert sorted(f.text for f in seed_document.furniture) == sorted(["2", "_", "."])
    assert seed_document.issues and all(i.kind != "conservation" for i in seed_document.issues)
