"""Participants lists and body-type headings from layout facts: synthetic pages, PDFs and documents
(names, organisations and headings made up here, not taken from any report the rules were written from)."""

from __future__ import annotations

from fpdf import FPDF

from tasks.clean import _numbered_agenda_headings, clean
from tasks.extract import extract_pages
from tasks.structure import structure
from tasks.structure.participants import _paragraph_cards
from tests.test_outline import FILLER, PITCH, WIDTH, line, outline, page, span
from tests.test_structure import make_document

CARDS = [
    ["Ana Silva", "Harbour Board, Ireland", "ana.silva@port.ie"],
    ["Tomas Hale", "Institute of Coastal", "Engineering, Norway", "t.hale@coast.no"],
    ["Ines Duarte", "Delta Survey, Portugal", "ines@delta.pt"],
    ["Karl Weber", "River Agency, Germany", "weber@river.de"],
]
RIGHT_CARDS = [
    ["Rosa Lind", "Tide Office, Sweden", "rosa@tide.se"],
    ["Jo Park", "Estuary Lab, Korea", "jo.park@estuary.kr"],
    ["Lena Berg", "Canal Trust, Finland", "lena@canal.fi"],
    ["Omar Haddad", "Port Works, Jordan", "omar@portworks.jo"],
]


def _card_column(pdf: FPDF, x: float, top: float, cards: list[list[str]]) -> None:
    y = top
    for card in cards:
        for text in card:
            pdf.set_xy(x, y)
            pdf.cell(text=text)
            y += 14
        y += 10  # a blank line between cards


def test_two_columns_of_name_cards_whose_baselines_drift_apart_are_read_column_by_column(tmp_path):
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(170, 60)  # a title across both columns
    pdf.cell(text="Register of Attendees, Harbour Forum")
    _card_column(pdf, 72, 100, CARDS)
    _card_column(pdf, 320, 104, RIGHT_CARDS)  # its own pitch from its own start: baselines rarely meet
    path = tmp_path / "cards.pdf"
    pdf.output(str(path))
    texts = [line.text.strip() for line in extract_pages(path)[0].lines]
    left = [t for card in CARDS for t in card]
    right = [t for card in RIGHT_CARDS for t in card]
    assert texts == ["Register of Attendees, Harbour Forum", *left, *right]


def test_name_cards_set_as_paragraphs_under_a_participants_heading_are_read_as_cards():
    specs = [("h", 1, "Harbour Forum report"), ("h", 1, "Attendees"), ("p", "Harbour Forum, 3 May")]
    for name, organisation, email in [("Ana Silva (Convener)", "Harbour Board, Ireland", "ana@port.ie"),
                                      ("Tomas Hale", "Coastal Institute, Norway", "t.hale@coast.no"),
                                      ("Ines Duarte", "Delta Survey, Portugal", "ines@delta.pt")]:  # fmt: skip
        specs += [("p", name), ("p", f"{organisation} {email}")]
    found = structure(make_document(*specs, ("h", 1, "Travel"), ("p", "Trains leave hourly."))).participants
    assert [(p.name, p.organisation) for p in found] == [
        ("Ana Silva", "Harbour Board, Ireland"),
        ("Tomas Hale", "Coastal Institute, Norway"),
        ("Ines Duarte", "Delta Survey, Portugal"),
    ]


def test_a_sentence_over_a_contact_line_is_no_card_nor_are_two_cards_a_list():
    pairs = [("Questions about the forum go to", "Harbour Board office@port.ie"), ("Ana Silva", "Delta Survey ana@delta.pt"),
             ("Tomas Hale", "Coastal Institute t.hale@coast.no")]  # fmt: skip
    blocks = make_document(*[("p", text) for pair in pairs for text in pair]).blocks
    assert _paragraph_cards(blocks) == []
    assert [p.name for p in _paragraph_cards([*blocks, *blocks[2:4]])] == ["Ana Silva", "Tomas Hale", "Ana Silva"]


def test_a_name_with_its_organisation_in_parentheses_keeps_the_commas_inside():
    specs = [("h", 1, "Harbour Forum report"), ("h", 1, "Participants"), ("p", "Ana Silva (Harbour Board, Galway, IE)"), ("p", "Tomas Hale"), ("p", "...")]
    found = structure(make_document(*specs)).participants
    assert [(p.name, p.organisation) for p in found] == [("Ana Silva", "Harbour Board, Galway, IE"), ("Tomas Hale", "")]


def _short(top: float, text: str):
    return line(top, span(text))


def test_short_lines_set_one_under_another_are_rows_of_a_list_not_one_paragraph():
    names = ["Ana Silva (Harbour Board)", "Tomas Hale", "Ines Duarte", "Karl Weber (River Agency)", "Rosa Lind"]
    lines = [line(60 + i * PITCH, span(FILLER), width=WIDTH) for i in range(3)]
    lines += [_short(60 + 3 * PITCH, "and the year after.")]  # a paragraph's short last line
    lines += [_short(120 + i * PITCH, name) for i, name in enumerate(names)]
    lines += [_short(200, "Harbour Board"), _short(200 + PITCH, "12 Quay Street")]  # a name over its address: two lines only
    blocks = [b.text for b in clean([page(*lines)]).blocks]
    assert blocks[1:6] == names
    assert blocks[0].endswith("and the year after.") and blocks[6:] == ["Harbour Board 12 Quay Street"]


def test_an_underlined_short_line_in_body_type_is_a_heading_but_an_underlined_link_is_not(tmp_path):
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    y = 80.0
    for text, style, link in [("Mooring Review", "U", ""), (FILLER, "", ""), ("Tide Gauge Archive", "U", "https://tides.example.org/archive"),
                              (FILLER, "", ""), ("Dredging Plans", "U", "")]:  # fmt: skip
        pdf.set_font("Helvetica", style=style, size=11)
        pdf.set_xy(72, y)
        pdf.cell(text=text, link=link)
        y += 30  # a blank line above each
    path = tmp_path / "underlined.pdf"
    pdf.output(str(path))
    assert [h[2] for h in outline(*extract_pages(path))] == ["Mooring Review", "Dredging Plans"]


def test_numbered_short_lines_with_text_between_them_are_the_outline():

    doc = make_document(
        ("h", 1, "Estuary Working Group notes"), ("li", "1. Welcome"), ("li", "2. Gauge review"), ("p", "The gauges drift."),
        ("p", "Readings"), ("li", "3. Next steps"), ("p", "We meet in June."),
    )  # fmt: skip
    kinds = [(b.kind, b.text) for b in _numbered_agenda_headings(doc.blocks) if b.kind == "heading"]
    assert kinds == [("heading", "Estuary Working Group notes"), ("heading", "1. Welcome"), ("heading", "2. Gauge review"), ("heading", "3. Next steps")]


def test_a_numbered_list_of_sentences_or_items_run_together_stays_a_list():
    sentences = make_document(("li", "1. Dredge the channel."), ("p", "Cost is high."), ("li", "2. Raise the quay."), ("p", "Soon."), ("li", "3. Move the buoys."))
    together = make_document(("li", "1. Welcome"), ("li", "2. Gauge review"), ("li", "3. Next steps"), ("p", "We meet in June."))
    for doc in (sentences, together):
        assert [b.kind for b in _numbered_agenda_headings(doc.blocks)] == [b.kind for b in doc.blocks]


def test_an_attendance_list_is_not_the_session_introduction_but_gives_its_speakers_organisations():
    report = structure(
        make_document(
            ("h", 1, "Moorings Breakout"),
            ("h", 2, "Participants"),
            ("p", "Ana Silva (Harbour Board, Galway)"), ("p", "Tomas Hale (Coastal Institute)"), ("p", "Ines Duarte"), ("p", "Karl Weber"),
            ("h", 2, "Talks"),
            ("li", "Ana Silva gave a presentation on buoy chains"),
        )
    )  # fmt: skip
    panel = report.panels[0]
    assert [(p.name, p.organisation) for p in panel.panellists] == [("Ana Silva", "Harbour Board, Galway")]


def test_the_actions_closing_a_discussion_sub_section_are_the_session_outcomes_not_its_talk():
    report = structure(
        make_document(
            ("h", 1, "Tide Data Breakout"),
            ("p", "Attendees: Ana Silva, Tomas Hale."),
            ("h", 1, "1. Welcome"), ("p", "Ana opened."),
            ("h", 1, "2. Questions and discussion"),
            ("li", "AS: gauges drift in winter"), ("li", "TH: buoys need new chains"),
            ("p", "Actions:"), ("li", "Survey the northern gauges"), ("li", "Order buoy chains"),
        )
    )  # fmt: skip
    assert report.panels[0].outcomes == ["Survey the northern gauges", "Order buoy chains"]
