"""Tables without rules: columns of text aligned over several rows (tasks/extract/pdf.py),
and the participants list read from them (tasks/structure/participants.py).

The PDFs are typeset here with fpdf2; names and organisations are made up.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

from tasks.clean import clean
from tasks.extract.pdf import extract_pdf_page
from tasks.structure import structure
from tasks.structure.programme import items as programme_items

PEOPLE = [
    ("Mara Quist", ["Harbour Institute"]),
    ("Tobias Lind", ["Office for Open Data,", "Northern Region"]),  # the organisation wraps
    ("Ines Okafor", []),  # no organisation
    ("Rui Tanaka-Berg", ["Coastal Survey Agency"]),
    ("Elena Voss", ["Lakeside University"]),
]


def _pdf(path: Path, draw) -> Path:
    pdf = FPDF(unit="pt", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    draw(pdf)
    pdf.output(str(path))
    return path


def _people_list(pdf: FPDF, top: float = 120) -> None:
    pdf.text(72, top - 28, "These registered attendees took part in the meeting:")
    y = top
    for name, organisation in PEOPLE:
        pdf.text(72, y, name)
        for line in organisation:
            pdf.text(230, y, line)
            y += 13
        y += 13 if not organisation else 4


def test_an_unruled_two_column_list_is_a_table_with_wrapped_cells_joined(tmp_path):
    page = extract_pdf_page(_pdf(tmp_path / "list.pdf", _people_list), 1)
    assert [t.rows for t in page.tables] == [
        [
            ["Mara Quist", "Harbour Institute"],
            ["Tobias Lind", "Office for Open Data,\nNorthern Region"],
            ["Ines Okafor", ""],
            ["Rui Tanaka-Berg", "Coastal Survey Agency"],
            ["Elena Voss", "Lakeside University"],
        ]
    ]
    assert [line.text.strip() for line in page.lines] == ["These registered attendees took part in the meeting:"]


def test_a_list_introduced_by_a_sentence_naming_attendees_is_the_participants_list(tmp_path):
    report = structure(clean([extract_pdf_page(_pdf(tmp_path / "list.pdf", _people_list), 1)]))
    assert [(p.name, p.organisation) for p in report.participants] == [
        ("Mara Quist", "Harbour Institute"),
        ("Tobias Lind", "Office for Open Data, Northern Region"),
        ("Ines Okafor", ""),
        ("Rui Tanaka-Berg", "Coastal Survey Agency"),
        ("Elena Voss", "Lakeside University"),
    ]


PROSE = (
    "The group compared how each agency keeps its records and found that few of them "
    "publish the rules they follow when a record is corrected or withdrawn after review"
).split()


def _two_page_columns(pdf: FPDF) -> None:
    """Two columns of ragged-right prose on one baseline grid: every line has a wide gap."""
    for column, x in enumerate((72, 310)):
        words, y, line = PROSE[column * 3 :] + PROSE, 100, ""
        for word in words:
            if pdf.get_string_width(f"{line} {word}") > 210:
                pdf.text(x, y, line.strip())
                y, line = y + 13, ""
            line += f" {word}"


def _numbered_list(pdf: FPDF) -> None:
    """A list whose numbers stand apart from their items: not a table."""
    for n, y in enumerate(range(100, 180, 13), start=1):
        pdf.text(72, y, f"{n}.")
        pdf.text(110, y, "Publish the correction rules")


def test_page_columns_and_numbered_lists_are_not_tables(tmp_path):
    for draw in (_two_page_columns, _numbered_list):
        page = extract_pdf_page(_pdf(tmp_path / f"{draw.__name__}.pdf", draw), 1)
        assert page.tables == [], draw.__name__
        assert page.lines, draw.__name__


def test_a_one_per_line_list_run_together_into_one_paragraph_is_split_at_each_surname():
    from tests.test_structure import make_document

    run_together = (
        "Lindqvist, Maren, Port Authority of Bergen Okonjo, Tunde, Delta Water Board "
        "van Dijk, Saskia, Rhine Basin Office Moreau-Blanc, Ana Lucía, Alpine Forestry Unit"
    )
    report = structure(make_document(("h", 1, "Meeting Report"), ("p", "Text."), ("h", 1, "List of Participants"), ("p", run_together)))
    assert [(p.name, p.organisation) for p in report.participants] == [
        ("Lindqvist, Maren", "Port Authority of Bergen"),
        ("Okonjo, Tunde", "Delta Water Board"),
        ("van Dijk, Saskia", "Rhine Basin Office"),
        ("Moreau-Blanc, Ana Lucía", "Alpine Forestry Unit"),
    ]


def _programme(pdf: FPDF) -> None:
    """A title, then two days of a programme: a heading naming the day's chair over rows of
    times beside titles and speakers."""
    pdf.set_font("Helvetica", "B", 16)
    pdf.text(72, 70, "Coastal Data Forum")
    y = 110
    for day, talks in (
        ("Day 1 - 3 June (Chair: Petra Holm, Baltic Data Office)", [("Soil carbon ledgers", "Joao Reis, Azores Climate Unit"), ("Break", ""), ("Buoy networks", "Ama Owusu (Cape Ocean Lab)")]),
        ("Day 2 - 4 June (Chair: Kwame Boateng, Volta Survey)", [("Open buoys, open code:", "lessons from the Gulf"), ("Tidal archives", "Lena Marsh, North Sea Archive"), ("Wrap-up", "")]),
    ):
        pdf.set_font("Helvetica", "B", 12)
        pdf.text(200, y, day)
        pdf.set_font("Helvetica", size=10)
        y += 22
        for time, (title, second) in zip(("09:00 - 09:45", "09:45 - 10:30", "10:30 - 11:00"), talks):
            pdf.text(72, y, time)
            pdf.text(200, y, title)
            if second:
                y += 13
                pdf.text(200, y, second)
            y += 18
        y += 20


def test_a_programme_table_under_day_headings_gives_sessions_with_chairs_and_speakers(tmp_path):
    report = structure(clean([extract_pdf_page(_pdf(tmp_path / "programme.pdf", _programme), 1)]))
    sessions = [([c.name for c in p.chairs], [(s.name, s.organisation) for s in p.panellists]) for p in report.panels]
    assert sessions == [
        (["Petra Holm"], [("Joao Reis", "Azores Climate Unit"), ("Ama Owusu", "Cape Ocean Lab")]),
        (["Kwame Boateng"], [("Lena Marsh", "North Sea Archive")]),
    ]


def test_without_session_headings_each_programme_row_naming_a_speaker_is_a_session():
    from tests.test_structure import make_document

    rows = [["9.30 am", "Opening words"], ["10.00 am", "Kelp forests in decline\nIrina Sokolova, White Sea Station"], ["11.15 am - 12.00 pm", "Lunch"]]
    report = structure(make_document(("h", 1, "Reef Symposium"), ("p", "Text."), ("table", rows)))
    assert [(p.title, [(s.name, s.organisation) for s in p.panellists], p.evidence.cue) for p in report.panels] == [
        ("Kelp forests in decline", [("Irina Sokolova", "White Sea Station")], "programme table")
    ]


def _framed_page(pdf: FPDF) -> None:
    """A page drawn in a frame with a ruled band on top and on the left: ruling lines, not a table."""
    pdf.rect(30, 30, 535, 780)
    pdf.line(30, 60, 565, 60)
    pdf.line(60, 30, 60, 810)
    for n, y in enumerate(range(100, 160, 14)):
        pdf.text(72, y, f"Line {n + 1} of the framed text runs on as prose.")


def test_a_frame_round_the_page_is_not_a_table(tmp_path):
    page = extract_pdf_page(_pdf(tmp_path / "framed.pdf", _framed_page), 1)
    assert page.tables == []
    assert len(page.lines) == 5


def _centred_programme(pdf: FPDF) -> None:
    """Times centred vertically beside a title line and a speaker line, as a word processor's
    table cell with centred alignment sets them; the speakers are names alone."""
    pdf.set_font("Helvetica", "B", 14)
    pdf.text(72, 70, "Glacier Models Workshop")
    pdf.set_font("Helvetica", size=11)
    y = 120
    for time, title, speakers in (
        ("9:00 AM - 9:30 AM", "Coffee", ""),
        ("9:30 AM - 10:15 AM", "Ice sheet benchmarks", "Sven Aalto, Maria Ruiz, Tomas Berg"),
        ("10:15 AM - 11:00 AM", "Calving laws compared", "Priya Nair and Ole Sand"),
        ("11:00 AM - 11:45 AM", "Firn density data", "Hana Ito"),
    ):
        if speakers:
            pdf.text(200, y, title)
            pdf.text(72, y + 7, time)
            pdf.text(200, y + 14, speakers)
            y += 36
        else:
            pdf.text(72, y, time)
            pdf.text(200, y, title)
            y += 24


def test_a_time_centred_beside_its_rows_lines_belongs_to_that_row(tmp_path):
    page = extract_pdf_page(_pdf(tmp_path / "centred.pdf", _centred_programme), 1)
    assert [t.rows for t in page.tables] == [
        [
            ["9:00 AM - 9:30 AM", "Coffee"],
            ["9:30 AM - 10:15 AM", "Ice sheet benchmarks\nSven Aalto, Maria Ruiz, Tomas Berg"],
            ["10:15 AM - 11:00 AM", "Calving laws compared\nPriya Nair and Ole Sand"],
            ["11:00 AM - 11:45 AM", "Firn density data\nHana Ito"],
        ]
    ]
    report = structure(clean([page]))
    assert [(p.title, [s.name for s in p.panellists]) for p in report.panels] == [
        ("Ice sheet benchmarks", ["Sven Aalto", "Maria Ruiz", "Tomas Berg"]),
        ("Calving laws compared", ["Priya Nair", "Ole Sand"]),
        ("Firn density data", ["Hana Ito"]),
    ]


def test_an_organisation_printed_over_two_columns_is_joined():
    from tests.test_structure import make_document

    header = ["Given name", "Family name", "Agency", "Division", "Email"]
    rows = [header, ["Noor", "Haddad", "Ministry of Fisheries", "Inland Waters", "n@example.org"], ["Lev", "Orlov", "Port Board", "", "l@example.org"]]
    report = structure(make_document(("h", 1, "Forum"), ("p", "Text."), ("h", 1, "Attendees"), ("table", rows)))
    assert [(p.name, p.organisation) for p in report.participants] == [("Haddad Noor", "Ministry of Fisheries, Inland Waters"), ("Orlov Lev", "Port Board")]


def test_minutes_that_name_those_present_in_a_labelled_paragraph():
    from tests.test_structure import make_document

    present = "Present: Ruth Adeyemi (chair), Milan Kovac (Danube Water Lab), Sara Lind and Tom Reyes. Apologies were received."
    report = structure(make_document(("h", 1, "Steering group minutes"), ("p", present), ("p", "Participants agreed to meet again.")))
    assert [(p.name, p.organisation) for p in report.participants] == [
        ("Ruth Adeyemi", ""),
        ("Milan Kovac", "Danube Water Lab"),
        ("Sara Lind", ""),
        ("Tom Reyes", ""),
    ]


def test_name_cards_in_columns_are_read_down_each_column_up_to_each_email():
    from tests.test_structure import make_document

    cards = [
        ["Ayla Demir (Chair)", "Kofi Mensah"],
        ["River Basin Council of", "Delta Institute, Ghana"],
        ["Anatolia, Turkey", "k.mensah@delta.exam"],  # an address wrapped over two lines
        ["ayla@rbc.example.tr", "ple.org\nIngrid Solberg\nFjord Research Centre\ningrid@frc.example.no"],
    ]
    heading = "Delegate List Spring Forum on Rivers"  # the list's heading joined to the meeting's name
    report = structure(make_document(("h", 1, "Forum"), ("p", "Text."), ("h", 1, heading), ("table", cards)))
    assert [(p.name, p.organisation, p.surname) for p in report.participants] == [
        ("Ayla Demir", "River Basin Council of Anatolia, Turkey", "Demir"),
        ("Kofi Mensah", "Delta Institute, Ghana", "Mensah"),
        ("Ingrid Solberg", "Fjord Research Centre", "Solberg"),
    ]


def test_an_address_that_runs_on_past_the_table_rule_is_read_whole_in_its_cell(tmp_path):
    def ruled(pdf: FPDF) -> None:
        rows = [("Name", "Contact"), ("Lio Brandt", "l.brandt@riverlab.example.org"), ("Oona Kask", "oona@tide.example.net")]
        for i, (name, contact) in enumerate(rows):
            y = 100 + 20 * i
            pdf.rect(72, y, 100, 20)
            pdf.rect(172, y, 80, 20)  # narrower than the longest address
            pdf.text(76, y + 14, name)
            pdf.text(176, y + 14, contact)

    page = extract_pdf_page(_pdf(tmp_path / "ruled.pdf", ruled), 1)
    assert [t.rows for t in page.tables] == [
        [["Name", "Contact"], ["Lio Brandt", "l.brandt@riverlab.example.org"], ["Oona Kask", "oona@tide.example.net"]]
    ]
    assert page.lines == []


def test_a_time_beside_the_middle_of_three_lines_belongs_to_that_row(tmp_path):
    def agenda(pdf: FPDF) -> None:
        y = 100
        for time, lines in (
            ("08:30 - 09:00", ["Coffee"]),
            ("09:00 - 09:40", ["Reef survey methods", "Ada Kwon"]),
            ("09:40 - 10:30", ["Sediment cores from the shelf and", "the slope, a comparison", "Omar Haddad"]),
            ("10:30 - 11:00", ["Tide gauges", "Lu Chen"]),
        ):
            first = y + 12 * (len(lines) - 1) / 2  # the time centred on its row's lines
            pdf.text(72, first if len(lines) != 3 else y + 12, time)
            for line in lines:
                pdf.text(200, y, line)
                y += 12
            y += 14

    page = extract_pdf_page(_pdf(tmp_path / "agenda.pdf", agenda), 1)
    assert [t.rows for t in page.tables] == [
        [
            ["08:30 - 09:00", "Coffee"],
            ["09:00 - 09:40", "Reef survey methods\nAda Kwon"],
            ["09:40 - 10:30", "Sediment cores from the shelf and\nthe slope, a comparison\nOmar Haddad"],
            ["10:30 - 11:00", "Tide gauges\nLu Chen"],
        ]
    ]


def test_a_list_of_speakers_wrapped_onto_a_second_line_is_one_list():
    from tasks.structure.programme import items

    cell = "Mapping seagrass from the air\nIrena Novak, Tomas Berg, Leila Farouk, Samuel\nOkoro, Dana Whitfield"
    [item] = items([["10:00 - 10:45", cell]])
    assert item.title == "Mapping seagrass from the air"
    assert [p.name for p in item.speakers] == ["Irena Novak", "Tomas Berg", "Leila Farouk", "Samuel Okoro", "Dana Whitfield"]


def test_programme_rows_with_names_sharing_an_organisation_and_a_led_by_line():
    rows = [
        ["9:10 am", "Tidal models compared\nAna Lima, Ben Ode (Harbour Lab)"],
        ["9:40 am", "Open discussion: next steps\nLed by Carla Dorn (PTB – Metrology Unit)"],
        ["10:10 am", "Dredging plans\nEve Fox & Tom Reyes (Port Board)"],
    ]
    found = programme_items(rows)
    assert [(p.name, p.organisation) for p in found[0].speakers] == [("Ana Lima", "Harbour Lab"), ("Ben Ode", "Harbour Lab")]
    assert found[1].title == "Open discussion: next steps" and not found[1].speakers  # "PTB" is no speaker
    assert [(p.name, p.organisation) for p in found[1].chairs] == [("Carla Dorn", "PTB – Metrology Unit")]
    assert [p.name for p in found[2].speakers] == ["Eve Fox", "Tom Reyes"]


def test_a_programme_row_opening_with_a_welcome_and_short_business_given_by_named_people_is_a_keynote():
    from tests.test_structure import make_document

    document = make_document(
        ("h", 1, "Estuary Modelling Days"),
        ("p", "Three days of model comparisons."),
        ("h", 2, "Agenda"),
        ("table", [
            ["9:00 am", "Welcome & Room Allocation\nIrena Novak (Delta Lab)"],
            ["9:30 am", "Welcome and thanks to the sponsors of the days\nTomas Berg (Delta Lab)"],
            ["10:00 am", "Tidal models compared\nLeila Farouk (Port Board)"],
        ]),
    )
    keynotes = structure(document).keynotes
    assert [(k.title, [p.name for p in k.panellists]) for k in keynotes] == [("Welcome & Room Allocation", ["Irena Novak"])]


def test_in_a_programme_that_names_speakers_without_organisations_name_comma_name_is_two_people():
    bare = [
        ["9:00 am", "Opening remarks\nIrena Novak, Tomas Berg"],
        ["9:30 am", "Seagrass from the air\nLeila Farouk"],
        ["10:00 am", "Dune erosion\nSamuel Okoro and Dana Whitfield"],
        ["10:30 am", "Port dredging\nEve Fox, Harbour Lab"],
    ]
    assert [[p.name for p in i.speakers] for i in programme_items(bare)][0] == ["Irena Novak", "Tomas Berg"]
    assert [(p.name, p.organisation) for p in programme_items(bare)[3].speakers] == [("Eve Fox", "Harbour Lab")]
    affiliated = [["9:00 am", "Opening remarks\nIrena Novak, Tomas Berg"], ["9:30 am", "Seagrass\nLeila Farouk (Delta Lab)"]]
    assert [(p.name, p.organisation) for p in programme_items(affiliated)[0].speakers] == [("Irena Novak", "Tomas Berg")]
