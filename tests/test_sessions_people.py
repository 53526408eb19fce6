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
