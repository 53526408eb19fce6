"""Sessions and their people in programmes and write-ups: synthetic reports, not taken from the corpus's wording."""

from __future__ import annotations

from tasks.structure import structure
from tests.test_structure import make_document


def _sessions(report) -> list[tuple[str, list[str], list[str]]]:
    """(title, chairs, speakers) of each session that is not a keynote or a section's brief."""
    panels = [p for p in report.panels if p.kind not in ("keynote", "section")]
    return [(p.title, [c.name for c in p.chairs], [s.name for s in p.panellists]) for p in panels]


def _harbour_programme():
    return make_document(
        ("h", 1, "Programme"),
        ("table", [["8:30", "Coffee"], ["9:00", "Opening Remarks\nAlma Stone (Port Board)"], ["9:15", "Tides and Silt\nBruno Vale (Delta Lab)"]]),
        ("h", 2, "Session 1: Quay Walls"),
        ("table", [["10:00", "Sheet Piles\nCora Ness (Delta Lab)"], ["10:30", "Anchors\nDov Price (Canal Board)"]]),
        ("h", 2, "Session 2: Working Groups"),
        (
            "table",
            [
                ["11:00", "Team 1, lead by Eli Hart\nFay Moss (Delta Lab), Gil Reyes (Port Board)"],
                ["11:30", "Team 2\nHana Ito (Canal Board), Ivo Lund (Delta Lab)"],
                ["12:00", "Closing Remarks\nAlma Stone (Port Board)"],
            ],
        ),
    )


def test_programme_rows_outside_the_session_headings_and_a_sessions_teams_are_sessions_too():
    report = structure(_harbour_programme())
    assert _sessions(report) == [
        ("Tides and Silt", [], ["Bruno Vale"]),  # a talk before the first session heading
        ("Quay Walls", [], ["Cora Ness", "Dov Price"]),
        ("Working Groups", [], ["Fay Moss", "Gil Reyes", "Hana Ito", "Ivo Lund"]),  # not the meeting's closing
        ("Team 1", ["Eli Hart"], ["Fay Moss", "Gil Reyes"]),
        ("Team 2", [], ["Hana Ito", "Ivo Lund"]),
        ("Closing Remarks", [], ["Alma Stone"]),
    ]
    assert [k.title for k in report.keynotes] == ["Opening Remarks"]  # an address, not a session


def test_a_programme_without_session_headings_keeps_its_welcome_out_of_the_sessions():
    report = structure(
        make_document(
            ("h", 1, "Agenda"),
            ("table", [["9:00", "Welcome\nJo Park"], ["9:10", "Flood Maps\nKim Ode"], ["9:40", "Levee Sensors\nLena Roth"]]),
        )
    )
    assert _sessions(report) == [("Flood Maps", [], ["Kim Ode"]), ("Levee Sensors", [], ["Lena Roth"])]


def test_the_programmes_style_of_bare_names_holds_across_its_day_tables():
    report = structure(
        make_document(
            ("h", 1, "Agenda"),
            ("h", 2, "Monday"),
            ("table", [["9:00", "Dune Erosion\nMira Holt"], ["10:00", "Break"], ["10:15", "Storm Surge Models\nNils Berg and Ola Fisk"]]),
            ("h", 2, "Tuesday"),
            ("table", [["9:00", "Harbour Data Updates\nPia Sand, Rune Dahl"], ["10:00", "Reef Restoration\nSami Laine"]]),
        )
    )
    # One table alone has a single bare name, but the programme as a whole names people without organisations.
    assert ("Harbour Data Updates", [], ["Pia Sand", "Rune Dahl"]) in _sessions(report)


def test_name_then_organisation_stays_one_person_where_the_programme_gives_organisations():
    report = structure(
        make_document(
            ("h", 1, "Agenda"),
            ("table", [["9:00", "Dune Erosion\nMira Holt, Coastal Institute"], ["10:00", "Storm Surge Models\nNils Berg, Fjord Lab"]]),
        )
    )
    assert [s[2] for s in _sessions(report)] == [["Mira Holt"], ["Nils Berg"]]


def _write_up(middle_heading: str, middle_text: str):
    return make_document(
        ("h", 1, "1 Harbour Sediment Workshop"),
        ("p", "The workshop met for two days at the lock museum."),
        ("h", 1, "2 Dredging Budgets"),
        ("p", "Moderator: Tove Lind"),
        ("p", "The panel weighed the cost of dredging against the cost of silted berths."),
        ("h", 1, "3 What Ports Can Learn from Rivers"),
        ("h", 2, "3.1 Opening statements"),
        ("p", "Maya opened with: River engineers have measured silt loads for a century."),
        ("p", "Teo opened with: The weirs of the upper river hold back most of the sand."),
        ("h", 2, "3.2 Discussion"),
        ("p", "Most ports sample silt too rarely to see a trend."),
        ("h", 1, middle_heading),
        ("p", middle_text),
        ("h", 1, "5 Sharing Survey Data"),
        ("p", "Moderator: Ulla Berg"),
        ("p", "Surveys should be published in one open format."),
        ("h", 1, "6 Acknowledgements"),
        ("p", "We thank the lock museum for its hospitality."),
    )


def test_opening_statements_name_the_speakers_and_a_section_between_two_sessions_is_one():
    report = structure(_write_up("4 Modelling Berth Siltation", "Models of siltation are still calibrated by hand."))
    assert _sessions(report) == [
        ("Dredging Budgets", ["Tove Lind"], []),
        ("What Ports Can Learn from Rivers", [], ["Maya", "Teo"]),
        ("Modelling Berth Siltation", [], []),
        ("Sharing Survey Data", ["Ulla Berg"], []),
    ]


def test_a_sentence_that_opens_with_a_colon_but_names_no_one_names_no_speaker():
    report = structure(_write_up("4 Modelling Berth Siltation", "The Discussion opened with: a map of the berths."))
    assert all("Discussion" not in name for _, chairs, speakers in _sessions(report) for name in chairs + speakers)


def test_a_speaker_introduced_with_their_job_in_a_later_sentence_of_a_paragraph():
    report = structure(
        make_document(
            ("h", 1, "Panel 2: Shared Tide Data"),
            ("p", "Moderator: Rui Lopes, Harbour Board"),
            ("p", "Many ports publish tide data. Ana Pires, Data Manager at Canal Office, said her office shares 40 feeds."),
        )
    )
    panel = next(p for p in report.panels if p.kind not in ("keynote", "section"))
    assert [(p.name, p.organisation) for p in panel.panellists] == [("Ana Pires", "Canal Office")]


def test_this_group_in_a_sub_section_of_a_session_speaks_of_that_session():
    report = structure(
        make_document(
            ("h", 1, "3. Working Groups"),
            ("h", 2, "3.1. Buoy Maintenance"),
            ("p", "This group compared the service intervals of wave buoys."),
            ("h", 3, "3.1.1. Contact."),
            ("p", "This group has no mailing list yet; write to the harbour office."),
            ("h", 2, "3.2. Sensor Calibration"),
            ("p", "This group drafted a shared calibration log."),
        )
    )
    assert [title for title, _, _ in _sessions(report)] == ["Buoy Maintenance", "Sensor Calibration"]


def test_a_programme_printed_apart_from_written_up_sessions_adds_no_sessions():
    report = structure(
        make_document(
            ("h", 1, "Quay Wall Forum Report"),
            ("p", "The forum met at the lock museum."),
            ("h", 1, "Panel 1: Quay Walls"),
            ("p", "Moderator: Vera Holm, Delta Lab"),
            ("p", "The panel compared sheet piles with gravity walls."),
            ("h", 1, "Annex: Agenda"),
            ("table", [["9:00", "Quay Walls\nVera Holm (Delta Lab)"], ["10:00", "Site Visit to the Locks\nWim Aart (Canal Board)"]]),
        )
    )
    assert [title for title, _, _ in _sessions(report)] == ["Quay Walls"]


def _opening_discussion(text: str):
    return make_document(
        ("h", 1, "1 Coastal Sensors Meeting"),
        ("p", "Twenty engineers met for a day at the harbour office."),
        ("h", 1, "2 Why Moor Buoys Offshore?"),
        ("p", text),
        ("h", 1, "3 Keeping Buoys Calibrated"),
        ("p", "Moderator: Lea Brun"),
        ("p", "Calibration logs should be shared between ports."),
    )


def test_a_section_that_speaks_of_itself_as_the_discussion_is_a_session():
    opened = "To open the discussion on moorings we asked who needs offshore data. This part of the discussion centred on pilots."
    assert [t for t, _, _ in _sessions(structure(_opening_discussion(opened)))] == ["Why Moor Buoys Offshore?", "Keeping Buoys Calibrated"]
    plain = "Offshore buoys see waves before the coast does. Pilots use their data to time arrivals."
    assert [t for t, _, _ in _sessions(structure(_opening_discussion(plain)))] == ["Keeping Buoys Calibrated"]
