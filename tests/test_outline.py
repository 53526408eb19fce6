"""The document outline from layout facts, and the front matter: synthetic pages and documents
(their words are made up here, not taken from any report the rules were written from)."""

from __future__ import annotations

from tasks.clean import clean
from tasks.extract.pdf import _glued_number_end
from tasks.model import Line, Page, Span
from tasks.structure import structure
from tests.test_structure import make_document

BODY, PITCH, LEFT, WIDTH = 10.0, 12.0, 72.0, 450.0
ROMAN, BOLD, ITALIC, CAPS = "Serif-Regular", "Serif-Bold", "Serif-Italic", "SerifCaps-Regular"
FILLER = "the committee weighed the harbour survey against the budget of the coming year and"


def span(text: str, font: str = ROMAN) -> Span:
    return Span(text=text, font=font, size=BODY, bold=font == BOLD, italic=font == ITALIC)


def line(top: float, *spans: Span, x0: float = LEFT, width: float | None = None) -> Line:
    """The spans set one after the other from x0, half an em a character."""
    placed, x = [], x0
    for s in spans:
        placed.append(s.model_copy(update={"x0": x, "x1": x + len(s.text) * 0.5 * BODY}))
        x = placed[-1].x1
    return Line(spans=placed, x0=x0, top=top, x1=x0 + (width or min(x - x0, WIDTH)), bottom=top + BODY)


def centred(top: float, *spans: Span) -> Line:
    width = sum(len(s.text) for s in spans) * 0.5 * BODY
    return line(top, *spans, x0=LEFT + (WIDTH - width) / 2, width=width)


def page(*lines: Line, number: int = 1) -> Page:
    return Page(number=number, width=2 * LEFT + WIDTH, height=800, lines=list(lines))


def body(top: float, count: int) -> list[Line]:
    """`count` full lines of running text from `top`, the last ending its sentence."""
    return [line(top + i * PITCH, span(FILLER + ("." if i == count - 1 else "")), width=WIDTH) for i in range(count)]


def outline(*pages: Page) -> list[tuple[str, int, str]]:
    return [(b.kind, b.level, b.text) for b in clean(list(pages)).blocks if b.kind == "heading"]


def test_numbered_run_in_headings_are_split_from_their_paragraph_with_the_numbers_depth():
    doc = clean(
        [
            page(
                *body(60, 6),
                line(144, span("3.2. "), span("Harbour Dredging. ", BOLD), span(FILLER), width=WIDTH),
                *body(156, 3),
                line(204, span("3.2.1. "), span("Costs and timing. ", ITALIC), span("Nobody disputed the estimate."), width=WIDTH),
                *body(216, 3),
            )
        ]
    )
    kinds = [(b.kind, b.level, b.text[:24]) for b in doc.blocks]
    assert ("heading", 2, "3.2. Harbour Dredging.") in kinds
    assert ("heading", 3, "3.2.1. Costs and timing.") in kinds
    assert ("paragraph", 0, "Nobody disputed the esti") in kinds
    assert ("paragraph", 0, FILLER[:24]) in kinds  # the run-in heading's paragraph goes on after it


def test_an_unnumbered_bold_lead_in_stays_in_its_paragraph():
    headings = outline(page(*body(60, 4), line(120, span("Why now? ", BOLD), span(FILLER), width=WIDTH), *body(132, 2)))
    assert headings == []


def test_a_bold_lead_in_over_two_lines_is_a_paragraph_not_a_heading():
    lead = line(120, span("Would the port authority accept a shared dredging schedule", BOLD), width=WIDTH)
    rest = line(132, span("for next spring? ", BOLD), span("It would, if the costs were split."))
    doc = clean([page(*body(60, 4), lead, rest, *body(156, 2))])
    assert [b.kind for b in doc.blocks].count("heading") == 0
    assert any(b.text.startswith("Would the port authority") and "costs were split" in b.text for b in doc.blocks)


def test_a_bold_line_finishing_a_bold_phrase_is_no_heading():
    item = line(120, span("(4) "), span("Maria Lopez, Tomas Berg, Ines Duarte, Karl", BOLD), width=WIDTH)
    more = line(132, span("Weber and Ana Silva: Sharing tide gauges", BOLD), x0=LEFT + 18)
    assert outline(page(*body(60, 4), item, more, *body(156, 2))) == []


def test_centred_small_capitals_and_lettered_appendices_are_headings():
    lines = [
        *body(60, 3),
        centred(110, span("5. "), span("Working Parties", CAPS)),
        *body(130, 3),
        centred(180, span("Appendix ", CAPS), span("C. "), span("Harbour Survey Tables", CAPS)),
        *body(200, 2),
        centred(240, span("Acknowledgements", CAPS)),
        *body(260, 2),
    ]
    assert outline(page(*lines)) == [
        ("heading", 1, "5. Working Parties"),
        ("heading", 1, "Appendix C. Harbour Survey Tables"),
        ("heading", 1, "Acknowledgements"),
    ]


def test_a_numbered_section_at_a_page_top_does_not_continue_the_list_above():
    first = page(*body(60, 3), line(100, span("D.1. "), span("Members.", BOLD)), line(112, span("• Ana Silva – Port Board")))
    second = page(line(60, span("D.2. "), span("Summary. ", BOLD), span(FILLER + "."), width=WIDTH), *body(72, 2), number=2)
    assert [h[2] for h in outline(first, second)] == ["D.1. Members.", "D.2. Summary."]


def test_a_section_number_touching_its_title_gets_its_space():
    chars = [{"text": ch} for ch in "12.4Tidal Models"]
    assert _glued_number_end(chars)["text"] == "T"
    assert _glued_number_end([{"text": ch} for ch in "2.5GHz radios"]) is None
    assert _glued_number_end([{"text": ch} for ch in "Plan 2.0 Review"]) is None


# --- front matter ----------------------------------------------------------------------


def test_labelled_date_and_location_fields():
    report = structure(
        make_document(
            ("h", 1, "Coastal Data Forum"),
            ("h", 2, "When:"),
            ("p", "March 3, 2022 9:00 am - 4:00 pm"),
            ("h", 2, "Location:"),
            ("p", "Harbour Hall, 12 Quay Road, Galway"),
            ("h", 1, "Purpose"),
            ("p", "Text."),
        )
    )
    assert (report.date, report.venue) == ("March 3, 2022", "Harbour Hall, 12 Quay Road, Galway")


def test_a_held_sentence_beats_the_posts_own_date():
    report = structure(
        make_document(
            ("h", 1, "Notes from the Estuary Sprint"),
            ("p", "2021-11-30"),
            ("p", "In August, twelve maintainers gathered for the estuary sprint in Bergen."),
            ("h", 1, "Work done"),
            ("p", "Text."),
        )
    )
    assert (report.date, report.venue) == ("August", "Bergen")


def test_a_virtual_meeting_and_a_year_less_date():
    report = structure(
        make_document(("h", 1, "Tide Models Day"), ("p", "The day was held May 4-5, online through a video platform, with 80 attendees."), ("h", 1, "Talks"))
    )
    assert (report.date, report.venue) == ("May 4-5", "online through a video platform")


def test_a_date_in_the_title_and_a_weekday_date():
    report = structure(make_document(("h", 1, "Mooring Group Notes, Thu Oct 13, 2:00-3:30pm"), ("h", 1, "Attendees"), ("p", "Ana, Tom.")))
    assert report.date == "Thu Oct 13"


def test_a_directory_of_bold_names_each_over_one_short_line_is_no_outline():
    lines = [line(60, span("Contacts", BOLD))]
    people = ["Ana Silva", "Tom Hale", "Ines Duarte", "Karl Weber", "Rosa Lind"]
    for index, name in enumerate(people):
        top = 90 + index * 36
        lines += [line(top, span(name, BOLD)), line(top + PITCH, span("Harbour Board, Galway, a.b@port.ie"))]
    assert [h[2] for h in outline(page(*lines))] == ["Contacts"]


def test_a_cover_date_in_capitals():
    report = structure(make_document(("h", 1, "ESTUARY MODELS WORKSHOP"), ("h", 1, "MARCH 14-15, 2023"), ("h", 1, "Agenda"), ("p", "Text.")))
    assert report.date == "MARCH 14-15, 2023"


def test_a_centred_bold_line_in_small_type_is_a_heading():
    small = Span(text="Summary", font=BOLD, size=9.0, bold=True)
    lines = [*body(60, 3), centred(110, small), *body(126, 3)]
    assert outline(page(*lines)) == [("heading", 1, "Summary")]


def test_a_large_heading_wrapped_over_two_lines_is_one_heading_and_a_numbered_one_is_not_its_tail():
    big = lambda text: Span(text=text, font=ROMAN, size=16.0)  # noqa: E731
    lines = [line(60, big("4 Dredging the Outer")), line(79, big("Harbour Channel")), line(98, big("4.1 Costs")), *body(124, 3)]
    assert [h[2] for h in outline(page(*lines))] == ["4 Dredging the Outer Harbour Channel", "4.1 Costs"]


def test_a_numbered_first_heading_is_a_chapter_as_well_as_the_title():
    report = structure(make_document(("h", 1, "1 Tidal Energy Workshop Report"), ("h", 2, "1.1 Aims"), ("p", "Text.")))
    assert report.title == "Tidal Energy Workshop Report"
    assert [s.title for s in report.sections] == ["1 Tidal Energy Workshop Report", "1.1 Aims"]


def test_a_bare_speakers_heading_is_a_section_and_a_labelled_people_line_is_not():
    report = structure(
        make_document(("h", 1, "Port Forum"), ("p", "Notes of the forum."), ("h", 1, "Speakers:"), ("h", 2, "Ana Silva"), ("p", "Ana Silva leads the port board."), ("h", 2, "Moderator: Tom Hale, Sea Lab"))
    )
    assert [s.title for s in report.sections] == ["Speakers:", "Ana Silva"]


def test_a_centred_appendix_heading_may_run_nearly_across_the_column_but_a_name_list_or_byline_is_no_heading():
    wide = centred(110, span("Appendix ", CAPS), span("D. "), span("Shared Moorings and Tide Gauges Working Party Discussion", CAPS))
    names = centred(150, span("ANA SILVA, TOM HALE, INES DUARTE, KARL WEBER, ROSA LIND, JO PARK,", CAPS))
    byline = centred(190, span("INES DUARTE, HARBOUR BOARD", CAPS))
    lines = [*body(60, 3), wide, *body(130, 1), names, byline, *body(210, 2)]
    assert [h[2] for h in outline(page(*lines))] == ["Appendix D. Shared Moorings and Tide Gauges Working Party Discussion"]


def test_letter_spaced_words_written_with_a_space_after_every_letter_are_joined(tmp_path):
    from fpdf import FPDF

    from tasks.extract import extract_pages

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    x = 72.0
    for word in ["Harbour", "and", "Delta"]:
        for letter in word:  # each letter followed by a space character, then tracked apart
            pdf.set_xy(x, 100)
            pdf.cell(text=letter + " ")
            x += pdf.get_string_width(letter) + 4
        x += 14
    pdf.set_font("Helvetica", size=10)
    pdf.set_xy(72, 130)
    pdf.cell(text="Options a b c and d were weighed against each other.")
    path = tmp_path / "spaced.pdf"
    pdf.output(str(path))
    assert [line.text.strip() for line in extract_pages(path)[0].lines] == [
        "Harbour and Delta",
        "Options a b c and d were weighed against each other.",
    ]


def test_a_font_whose_space_glyph_is_mapped_to_a_mark_gets_its_spaces_back(tmp_path):
    from fpdf import FPDF

    from tasks.extract import extract_pages

    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)  # this font writes no space character: its spaces come out as "!"
    for y, text in [(100, "Harbour!Board!Meeting!"), (120, "!"), (140, "Tuesday,!May!4!"), (160, "Moorings!and!tide!gauges!were!discussed.!")]:
        pdf.set_xy(72, y)
        pdf.cell(text=text)
    pdf.set_font("Courier", size=10)  # a link: its joining marks touch letters by nature
    pdf.set_xy(72, 190)
    pdf.cell(text="harbour.example.org/tide/gauges")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.set_xy(72, 100)
    pdf.cell(text="Stop! The gauges were wet!")
    path = tmp_path / "mismapped.pdf"
    pdf.output(str(path))
    first, second = (extract_pages(path)[n] for n in (0, 1))
    assert [line.text.strip() for line in first.lines] == [
        "Harbour Board Meeting",
        "Tuesday, May 4",
        "Moorings and tide gauges were discussed.",
        "harbour.example.org/tide/gauges",
    ]
    assert [line.text for line in second.lines] == ["Stop! The gauges were wet!"]


def test_a_map_pages_labels_strewn_along_shared_baselines_are_not_the_body_type():
    from tasks.clean import Layout

    def labels(top: float, text: str, size: float, font: str = ROMAN) -> Line:  # words set far apart across the page
        s = Span(text=text, font=font, size=size, bold=font == BOLD, x0=LEFT, x1=LEFT + WIDTH)
        return Line(spans=[s], x0=LEFT, top=top, x1=LEFT + WIDTH, bottom=top + size)

    strewn = [labels(60 + 5 * i, "Boathouse  Quay Road  Lock Keeper Cottage  Dry Dock", 4.0) for i in range(30)]
    figure = page(*strewn, labels(220, "Ferry Pier", 8.0, BOLD), number=2)
    text = page(line(60, span("Mooring Fees", BOLD)), *body(80, 3), number=1)
    assert Layout.measure([text, figure]).body_size == BODY
    assert [h[2] for h in outline(text, figure)] == ["Mooring Fees"]


def test_a_bare_programme_label_over_the_date_line_does_not_end_the_front_matter():
    report = structure(
        make_document(
            ("h", 1, "Estuary Modelling Days"),
            ("h", 2, "PROGRAMME"),
            ("h", 2, "March 2, March 9, March 16 2023 (Online)"),
            ("h", 3, "THURSDAY March 2, 2023"),
            ("p", "Opening talk by the harbour board."),
        )
    )
    assert (report.date, report.venue) == ("March 16 2023", "Online")
    assert "PROGRAMME" in [s.title for s in report.sections]


def test_a_programme_heading_over_its_first_day_leaves_that_day_out_of_the_front():
    report = structure(
        make_document(
            ("h", 1, "Estuary Modelling Days"),
            ("h", 2, "Programme"),
            ("h", 3, "Thursday, March 2, 2023"),
            ("p", "Opening talk by the harbour board."),
        )
    )
    assert report.date == ""


def test_a_web_address_cut_at_the_margin_whose_rest_is_bold_is_no_heading():
    cut = line(60, span("Tide tables for the season are at https://tides.example.org/archive/gauge_"))
    rest = line(60 + PITCH, span("readings-north.html", BOLD))
    after = line(60 + 2 * PITCH, span("and they are updated every week by the harbour office."))
    headings = outline(page(*body(20, 2), cut, rest, after, line(120, span("Mooring Fees", BOLD)), *body(140, 2)))
    assert [h[2] for h in headings] == ["Mooring Fees"]


def test_a_mangled_day_range_is_no_year():
    from tasks.structure.front import meeting_date

    assert meeting_date("Harbour Days, March 14915, 2022") == ""  # "14-15" with its dash lost to a font's map
    assert meeting_date("Harbour Days, March 14-15, 2022") == "March 14-15, 2022"


def test_a_document_without_a_title_heading_is_named_by_its_running_head():
    head = "Harbour Board Staff List 3.9.2023"
    pages = [page(line(30, span(head)), *body(100, 3), line(770, span(str(n))), number=n) for n in (1, 2, 3)]
    document = clean(pages)
    assert document.metadata["title"] == head
    assert structure(document).date == "3.9.2023"
    titled = [page(line(30, span(head)), line(80, span("Mooring Fees", BOLD)), *body(100, 3), number=n) for n in (1, 2)]
    assert clean(titled).metadata["title"] == "Mooring Fees"


def test_a_bold_line_with_an_e_mail_address_is_a_directory_entry_not_a_heading():
    entry = line(80, span("Ines Duarte, ines.duarte@harbour.example", BOLD))
    headings = outline(page(line(40, span("Mooring Fees", BOLD)), *body(55, 1), entry, *body(100, 2)))
    assert [h[2] for h in headings] == ["Mooring Fees"]


def test_page_numbers_set_above_the_outer_tenth_are_furniture_where_they_recur_at_one_height():
    def numbered(number: int, words: str) -> Page:
        running = [line(100 + i * PITCH, span(f"{words} {FILLER}"), width=WIDTH) for i in range(40)]
        return page(*running, line(680, span(str(number)), x0=LEFT + WIDTH / 2), number=number)

    doc = clean([numbered(n, w) for n, w in [(3, "sluice"), (4, "weir"), (5, "lock")]])
    assert [f.text for f in doc.furniture if f.kind == "page-number"] == ["3", "4", "5"]
    assert not any(word.isdigit() for b in doc.blocks for word in b.text.split())
    # A number ending one page only is text: it recurs at no height.
    lone = clean([numbered(3, "sluice"), page(*body(100, 3), number=4)])
    assert [f.text for f in lone.furniture if f.kind == "page-number"] == []
