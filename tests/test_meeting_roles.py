"""Meeting roles from headings and content: keynotes, sessions, people and their organisations.

Every text here is made up for the test; none is a sentence of a corpus report.
"""

from __future__ import annotations

from tasks.model import Inline, Person
from tasks.structure import structure
from tasks.structure.people import affiliation, bold_named, heading_people, person_at
from tasks.structure.recognisers import bare_heading, keynote_heading
from tests.test_structure import make_document


def _people(panel) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    return [(c.name, c.organisation) for c in panel.chairs], [(p.name, p.organisation) for p in panel.panellists]


def test_job_titles_give_way_to_the_organisation():
    assert affiliation("Senior Water Engineer, Delta Works Authority") == "Delta Works Authority"
    assert affiliation("Programme Officer, Coastal Unit, at the Baltic Fisheries Board") == "Baltic Fisheries Board"
    assert affiliation("FAO Director for Forestry, Soils and Land") == "FAO"
    assert affiliation("Deputy Secretary for Inland Waters, Ministry of Canals") == "Ministry of Canals"
    assert affiliation("Head of the Alpine Research Station") == "Alpine Research Station"
    # No job title: the text stays as it is, commas and all.
    assert affiliation("Ministry of Roads, Bridges and Ports") == "Ministry of Roads, Bridges and Ports"
    assert affiliation("Business for Fair Trade, BFT") == "Business for Fair Trade, BFT"


def test_a_panellist_named_in_a_later_sub_section_of_the_session_is_its_speaker():
    report = structure(
        make_document(
            ("h", 1, "Canal Forum"),
            ("p", "One day on inland water."),
            ("h", 1, "Locks and Weirs"),
            ("p", "Three panelists from river agencies shared what their locks cost to run."),
            ("h", 2, "Maintenance"),
            ("p", "Panelist Ines Dahl, Chief Engineer, Lock Board, showed the repair backlog."),
        )
    )
    [panel] = [p for p in report.panels if p.kind == "panel"]
    assert [(p.name, p.organisation) for p in panel.panellists] == [("Ines Dahl", "Lock Board")]


def test_a_person_at_the_start_of_running_text():
    assert person_at("Ines Dahl of the Tallinn Harbour Office opened the day.") == Person(name="Ines Dahl", organisation="Tallinn Harbour Office")
    assert person_at("Omar Feld, Chief Economist, Lake Region Bank, who argued for ...") == Person(name="Omar Feld", organisation="Lake Region Bank")
    assert person_at("The Harbour Office said") is None


def test_keynotes_named_in_running_text_in_several_ways():
    report = structure(
        make_document(
            ("h", 1, "Forum on Inland Shipping"),
            ("p", "Day one opened with remarks by Ines Dahl, IMO Director for Safety, who set out the agenda."),
            ("p", "Omar Feld delivered the second keynote, on canal tolls. The closing plenary was given by Lena Sand (River Trust)."),
            ("h", 1, "Locks"),
            ("p", "A plenary session on locks followed, led by Tom Berg (Lock Board)."),
        )
    )
    speakers = [k.panellists[0] for k in report.keynotes]
    assert [(p.name, p.organisation) for p in speakers] == [("Ines Dahl", "IMO"), ("Omar Feld", ""), ("Lena Sand", "River Trust")]


def test_a_keynotes_heading_over_several_talks_and_greeting_headings():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("p", "Text."),
            ("h", 1, "2 Keynotes"),
            ("p", "There were two keynote talks. In the first keynote, Ada Lind of the Polar Institute spoke on ice. The second keynote speaker was Ravi Kohl of Sea Lab."),
            ("h", 1, "3 Discussion"),
            ("p", "Text."),
        )
    )
    assert [(k.panellists[0].name, k.panellists[0].organisation) for k in report.keynotes] == [("Ada Lind", "Polar Institute"), ("Ravi Kohl", "Sea Lab")]
    assert keynote_heading("09:00 - 09:15 Welcome and Opening Remarks")
    assert keynote_heading("Opening address (Mia Holt)")["rest"] == "(Mia Holt)"
    assert keynote_heading("Welcome to the harbour") is None
    assert bare_heading("10.30 AM - 11.00 AM Harbour safety") == "Harbour safety"
    assert bare_heading("5.10 Harbour safety") == "Harbour safety"


def test_a_heading_that_names_its_speakers_or_its_moderator_is_a_session():
    assert [p.name for p in heading_people("Ferry timetables (Ann Roe, Li Wei)")] == ["Ann Roe", "Li Wei"]
    assert heading_people("Ferry timetables (Port Authority)") == []
    assert heading_people("Ferry timetables (IMO)") == []
    report = structure(
        make_document(
            ("h", 1, "Notes"),
            ("h", 2, "14:00 UTC - Ferry timetables (Ann Roe)"),
            ("p", "Questions were taken."),
            ("h", 2, "Friday 3 May (Moderator: Li Wei, Harbour Board)"),
            ("p", "Talks on cargo."),
        )
    )
    assert [p.title for p in report.panels] == ["Ferry timetables (Ann Roe)", "Friday 3 May (Moderator: Li Wei, Harbour Board)"]
    assert _people(report.panels[0]) == ([], [("Ann Roe", "")])
    assert _people(report.panels[1]) == ([("Li Wei", "Harbour Board")], [])


def test_speakers_named_in_prose():
    report = structure(
        make_document(
            ("h", 1, "Summit notes"),
            ("h", 1, "Ports and data"),
            ("p", "The panel met in the main hall."),
            ("p", "Ana Ruiz, Data Manager, Port of Vigo, explained how berths are booked."),
            ("p", "Using a map, Kai Brun (Nordic Grid) showed the cables. Research Ports Alliance (RePA) hosted."),
            ("p", "Later, panelist Jo Marsh, Policy Advisor, Coast Guard, took questions."),
            ("h", 1, "Shipping"),
            ("p", "Eva Holm (Sea Lab) and Tim Roth gave a presentation on hulls."),
            ("p", "Attendees: Tim Roth (Hull Works), Ida Berg (chair), Uma Dahl."),
        )
    )
    ports, shipping = report.panels
    assert _people(ports) == ([], [("Ana Ruiz", "Port of Vigo"), ("Kai Brun", "Nordic Grid"), ("Jo Marsh", "Coast Guard")])
    chairs, speakers = _people(shipping)
    assert chairs == [("Ida Berg", "")]
    assert ("Tim Roth", "Hull Works") in speakers and ("Eva Holm", "Sea Lab") in speakers


def test_a_document_titled_as_one_session_is_that_session():
    report = structure(
        make_document(
            ("h", 1, "Tidal Energy breakout session"),
            ("p", "Attendees: Ana Ruiz (chair), Kai Brun, Jo Marsh."),
            ("p", "We talked about turbines."),
            ("h", 2, "Action items"),
            ("li", "Share the turbine data."),
            ("li", "Meet again in June."),
        )
    )
    [panel] = report.panels
    assert panel.kind == "panel" and panel.evidence.cue == "the document's title names one session"
    assert _people(panel) == ([("Ana Ruiz", "")], [])
    assert panel.outcomes == ["Share the turbine data.", "Meet again in June."]


def test_conclusions_in_prose_are_not_recommendations():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("p", "Text."),
            ("h", 1, "Conclusions"),
            ("p", "The meeting was a success and will be repeated."),
            ("h", 1, "Recommendations"),
            ("p", "Fund the survey."),
        )
    )
    assert report.recommendations == ["Fund the survey."]


def test_a_programme_line_names_the_keynote():
    report = structure(
        make_document(
            ("h", 1, "Harbour Days"),
            ("p", "09.00 AM - 09.20 AM Welcome & Introduction"),
            ("p", "Mia Holt, Port of Riga"),
            ("p", "09.20 AM - 10.00 AM Dredging in winter"),
            ("p", "Sam Vik, Ice Lab"),
        )
    )
    assert [(k.title, k.panellists) for k in report.keynotes] == [("Welcome & Introduction", [Person(name="Mia Holt", organisation="Port of Riga")])]


def test_a_closing_conclusion_after_several_sessions_is_the_reports():
    report = structure(
        make_document(
            ("h", 1, "Summit"),
            ("h", 1, "Topics"),
            ("h", 2, "Sails"),
            ("p", "Sails were mended."),
            ("h", 2, "Ropes"),
            ("p", "Ropes were tied."),
            ("h", 2, "Conclusion"),
            ("p", "We thank everyone who came."),
        )
    )
    assert [(p.title, p.outcomes, p.last_block) for p in report.panels] == [("Sails", [], 4), ("Ropes", [], 6)]


def test_breakouts_named_in_headings_and_groups_that_speak_of_themselves():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Ocean Models"),
            ("p", "This group met twice and compared three ocean models."),
            ("h", 1, "Second breakout: Team C"),
            ("p", "Notes were kept."),
            ("h", 1, "Lightning Talks"),
            ("p", "Ten short talks were given."),
            ("h", 1, "Budget"),
            ("p", "In the first session, the budget was presented."),
        )
    )
    assert [p.title for p in report.panels] == ["Ocean Models", "Second breakout: Team C", "Lightning Talks"]
    assert report.panels[0].evidence.cue.startswith("This group met twice")


def test_people_written_with_dashes_surname_first_and_led_by():
    from tasks.structure import parse_people

    assert parse_people("Ana Ruiz — Port of Vigo; Kai Brun – Nordic Grid") == [Person(name="Ana Ruiz", organisation="Port of Vigo"), Person(name="Kai Brun", organisation="Nordic Grid")]
    assert parse_people("Ruiz, Ana (Port of Vigo), Brun, Kai (Nordic Grid)") == [Person(name="Ruiz, Ana", organisation="Port of Vigo"), Person(name="Brun, Kai", organisation="Nordic Grid")]
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Session 1: Tides"),
            ("p", "The session was led by Uma Dahl (Tide Office). Data came from a survey led by the Marine Research Council."),
        )
    )
    assert _people(report.panels[0]) == ([("Uma Dahl", "Tide Office")], [])


def test_a_speakers_line_that_wraps_mid_name_keeps_its_last_speaker():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Panel 1: Tides"),
            ("p", "Speakers: Ana Ruiz (Port of Vigo), Kai Brun (Nordic Grid) and Jo"),
            ("p", "Marsh (Coast Guard)"),
            ("p", "The panel discussed tides at length."),
        )
    )
    assert _people(report.panels[0])[1] == [("Ana Ruiz", "Port of Vigo"), ("Kai Brun", "Nordic Grid"), ("Jo Marsh", "Coast Guard")]


def test_conveners_note_takers_and_programme_items_with_their_speaker():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Session 2: Tracking"),
            ("p", "Co-conveners: Ana Ruiz (Port of Vigo), Kai Brun (Nordic Grid)"),
            ("p", "Note taker: Jo Marsh"),
            ("li", "Fast tracking on GPUs (Eva Holm)"),
            ("li", "Discussion (all)"),
            ("li", "Uma Dahl (Lake Observatory)"),
            ("h", 1, "Session 3: Storage"),
            ("p", "These notes were captured by Ida Berg; the data were recorded by the Harbour Board."),
        )
    )
    tracking, storage = report.panels
    assert _people(tracking) == (
        [("Ana Ruiz", "Port of Vigo"), ("Kai Brun", "Nordic Grid"), ("Jo Marsh", "")],
        [("Eva Holm", "")],  # not "Lake Observatory" from "Uma Dahl (Lake Observatory)"
    )
    assert _people(storage) == ([("Ida Berg", "")], [])


def test_programme_items_that_pair_a_talk_with_its_speaker():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Session 4: Simulation"),
            ("li", "Eva Holm (Sea Lab): Fast Hull Simulation on GPUs"),
            ("li", "Wave Models for Harbour Design – Tom Berg, Delta Institute"),
            ("li", "Kai Brun: I think the meshes are too coarse."),
            ("li", "Baltic Wave Software: Open Tools for Wave Data"),
            ("p", "The Nordic Ocean Forecasting Partners (NOFP) joined."),
        )
    )
    assert _people(report.panels[0])[1] == [("Eva Holm", "Sea Lab"), ("Tom Berg", "Delta Institute")]


def test_a_session_split_into_breakouts_is_a_session_too_but_a_day_is_not():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "7 Harbour Safety"),
            ("p", "This group, with four papers, met all afternoon."),
            ("h", 2, "7.1 Discussion"),
            ("p", "In the first round, this group split in two."),
            ("h", 3, "7.1.1 Breakout A: Cranes"),
            ("p", "Cranes were discussed."),
            ("h", 3, "7.1.2 Breakout B: Tugs"),
            ("p", "Tugs were discussed."),
            ("h", 1, "Day 2"),
            ("h", 2, "Session 3: Locks"),
            ("p", "Locks were discussed."),
        )
    )
    assert [p.title for p in report.panels] == ["Harbour Safety", "Cranes", "Tugs", "Locks"]


def test_a_programme_names_the_sessions_when_no_heading_does():
    report = structure(
        make_document(
            ("h", 1, "Harbour Summit"),
            ("h", 1, "Purpose"),
            ("p", "The summit gathered port authorities."),
            ("h", 1, "Agenda"),
            ("p", "9:00 am - 9:30 am Registration"),
            ("p", "9:30 am - 10:30 am Panel Discussion: Dredging budgets"),
            ("p", "Ana Ruiz (moderator), Port of Vigo"),
            ("p", "10:30 am - 11:00 am Coffee and networking"),
            ("p", "11:00 am - 12:00 pm Fireside Chat: Ports and cities"),
        )
    )
    assert [(p.kind, p.title) for p in report.panels] == [
        ("section", "Purpose"),
        ("panel", "Dredging budgets"),
        ("panel", "Fireside Chat: Ports and cities"),
    ]
    assert report.panels[1].evidence.cue == "a programme line names a session"
    assert [c.name for c in report.panels[1].chairs] == ["Ana Ruiz"]


def test_outcomes_under_a_run_in_label():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Session 1: Tides"),
            ("p", "Chair: Ana Ruiz (Port of Vigo)"),
            ("p", "We compared tide gauges. Key takeaways:"),
            ("li", "Share gauge data monthly."),
            ("li", "Calibrate the old gauges."),
            ("h", 1, "Session 2: Locks"),
            ("p", "Next steps: publish the lock survey."),
            ("p", "Other matters were raised."),
        )
    )
    assert [p.outcomes for p in report.panels] == [["Share gauge data monthly.", "Calibrate the old gauges."], ["publish the lock survey."]]


def test_numbered_talk_write_ups_name_their_presenter():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Session 2: Short talks"),
            ("p", "Each attendee had three minutes. (1) Mira K. Osei and Pavel Rudnev: Tidal Energy Without Tears Pavel Rudnev "
                  "explained the turbine design. (2) Ada Lind: Open Buoys for Everyone. Lind showed the buoy network."),
            ("li", "3. Jon Ek, Sara Vik, and Tove Lund: Better Wave Archives (Vik et al. 2019). Sara Vik described the archive."),
            ("li", "4. Kai Brun: I think the meshes are too coarse and should be refined."),
            ("li", "5. Rosa Diaz, Lee Chan: we met twice since the last meeting."),
        )
    )
    assert _people(report.panels[0])[1] == [("Pavel Rudnev", ""), ("Ada Lind", ""), ("Sara Vik", "")]


def test_bold_names_with_their_affiliations_and_a_programme_tables_welcome():
    document = make_document(
        ("h", 1, "Harbour Days"),
        ("p", "9:00 am - 9:10 am Opening Remarks"),
        ("p", "placeholder"),
        ("table", [["9:30", "Welcome\nIda Berg and Jon Falk"], ["9:45", "Quay Walls in Clay\nTom Lind (Delta Lab)"], ["10:30", "Break"]]),
    )
    bold = document.blocks[2].model_copy(
        update={"inlines": [Inline(text="Ines Dahl", bold=True), Inline(text=", Chief Engineer, Port of Kiel "),
                            Inline(text="Omar Feld", bold=True), Inline(text=" (moderator), Analyst, Canal Board")]}
    )  # fmt: skip
    report = structure(document.model_copy(update={"blocks": [*document.blocks[:2], bold, document.blocks[3]]}))
    assert [[(p.name, p.organisation) for p in k.panellists] for k in report.keynotes] == [
        [("Ines Dahl", "Port of Kiel"), ("Omar Feld", "Canal Board")],
        [("Ida Berg", ""), ("Jon Falk", "")],
    ]
    assert bold_named(document.blocks[2]) == []  # no bold names: not such a list


def test_a_panel_sub_heading_lists_the_panellists_and_a_note_taker_is_a_rapporteur():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "3 Dredging the Outer Harbour"),
            ("p", "Written up from the notes captured by Lotte Brandt during the debate."),
            ("h", 2, "3.1 Panel"),
            ("p", "\uf0b7 Ines Dahl \uf0b7 Omar Feld \uf0b7 Lena Sand"),
            ("h", 2, "3.2 Discussion"),
            ("p", "Ines opened with the costs."),
            ("h", 1, "4 Silt and Sand"),
            ("p", "Summary by session note taker, Piet Hals"),
            ("p", "The silt load doubled."),
        )
    )
    assert [_people(p) for p in report.panels] == [
        ([("Lotte Brandt", "")], [("Ines Dahl", ""), ("Omar Feld", ""), ("Lena Sand", "")]),
        ([("Piet Hals", "")], []),
    ]


def test_a_discussion_sub_heading_is_not_a_list_of_outcomes_and_an_appendix_is_no_session():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "2 Working Groups"),
            ("h", 2, "2.1 Tide Gauges"),
            ("p", "This group met twice."),
            ("h", 3, "2.1.1 Discussion."),
            ("p", "Gauges drift over the years and nobody owns the calibration."),
            ("h", 3, "2.1.2 Outcomes"),
            ("li", "A shared calibration log"),
            ("h", 1, "Appendix C. Tide Gauges Working Group Discussion"),
            ("h", 2, "C.1 Key Next Steps"),
            ("li", "Write to the harbour masters"),
        )
    )
    assert [(p.title, p.outcomes) for p in report.panels] == [("Tide Gauges", ["A shared calibration log"])]
    assert report.recommendations == []


def test_untitled_notes_of_one_session_with_presenters_and_suggestions():
    report = structure(
        make_document(
            ("p", "Notes from the tide data afternoon."),
            ("p", "We heard two talks. Our presenters were Ines Dahl (Sea Lab) and Omar Feld (Port Authority)."),
            ("p", "Ines showed the Baltic Operational Oceanographic System (BOOS) archive."),
            ("p", "Ideas raised in the room included:"),
            ("p", "The proposals from the afternoon were:"),
            ("li", "Publish the gauge offsets"),
            ("li", "Meet again in spring"),
        )
    )
    [panel] = report.panels
    assert panel.title == "Notes from the tide data afternoon"
    assert _people(panel)[1] == [("Ines Dahl", "Sea Lab"), ("Omar Feld", "Port Authority")]
    assert panel.outcomes == ["Publish the gauge offsets", "Meet again in spring"]


def test_a_workshop_heading_without_number_is_the_meeting_and_a_first_sub_sections_note_taker_names_the_parent():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 2, "Workshop Aims"),
            ("p", "We met to compare tide gauges."),
            ("h", 1, "4 Gaps in tide data"),
            ("h", 2, "4.1 Gauges in the north"),
            ("p", "Written up by session note taker, Piet Hals"),
            ("p", "The northern gauges drift."),
            ("h", 2, "4.2 Gauges in the south"),
            ("p", "The southern gauges are new."),
        )
    )
    assert [(p.title, _people(p)[0]) for p in report.panels] == [("Gaps in tide data", [("Piet Hals", "")])]


def test_outcome_bullets_printed_as_symbol_font_glyphs():
    report = structure(
        make_document(
            ("h", 1, "Report"),
            ("h", 1, "Session 1: Tide gauges"),
            ("p", "The session compared gauges."),
            ("h", 2, "Outcomes"),
            ("p", "Two things were agreed."),
            ("p", "\uf0a7 Publish the gauge offsets every year."),
            ("p", "\uf0a7 Meet again in spring."),
        )
    )
    assert report.panels[0].outcomes == ["Publish the gauge offsets every year.", "Meet again in spring."]


def _write_ups(opening: str):
    return structure(
        make_document(
            ("h", 1, "Harbour Data Days"),
            ("p", "Two days on the port's data."),
            ("h", 1, "2 Outcomes"),
            ("p", opening),
            ("li", "Sharing tide gauges across borders (www.example.org/notes/tide-gauges)"),
            ("p", "Gauges are read by three agencies. The group asked for one feed."),
            ("li", "A common format for berth schedules (https://example.org/notes/berths) The group compared four formats in use."),
            ("p", "A draft was agreed for the spring."),
            ("h", 1, "3 Next steps"),
            ("p", "The organisers will meet again in May."),
        )
    )


def test_list_items_heading_each_write_up_of_a_sections_working_groups_are_its_sessions():
    report = _write_ups("The afternoon was spent in breakout groups; each wrote a short note, summarised here.")
    sessions = [p for p in report.panels if p.kind == "panel"]
    assert [p.title for p in sessions] == ["Sharing tide gauges across borders", "A common format for berth schedules"]
    assert [p.title for p in report.panels if p.kind == "section"] == ["Next steps"]  # the outcomes section is not briefed twice


def test_list_items_over_paragraphs_are_no_sessions_where_the_section_speaks_of_no_groups():
    report = _write_ups("The afternoon was spent on two questions, summarised here.")
    assert not [p for p in report.panels if p.kind == "panel"]


def test_an_opening_that_speaks_of_the_section_as_a_group_makes_it_a_session_and_a_groups_results_are_no_new_one():
    report = structure(
        make_document(
            ("h", 1, "River Data Meeting"),
            ("p", "Two days on gauges."),
            ("h", 1, "2 Gauge Networks"),
            ("p", "On the second morning the attendees split into three groups to map the gauges they run."),
            ("h", 1, "3 Open Formats"),
            ("p", "Nine position papers were assigned to the Open Formats group. Each was read aloud."),
            ("h", 1, "4 Funding"),
            ("p", "Money was short in every region. The group agreed to pool requests."),
            ("h", 2, "4.1 Results"),
            ("p", "The group put a shared budget line first."),
            ("h", 1, "5 Breakouts"),
            ("h", 2, "5.1 Subgroup North Discussion"),
            ("p", "Subgroup North compared winter readings."),
            ("h", 2, "5.2 Subgroup North Actions"),
            ("p", "Publish the winter readings by March."),
            ("h", 1, "6 Budget"),
            ("p", "Money was short in every region. Requests were pooled."),
        )
    )
    titles = [p.title for p in report.panels if p.kind == "panel"]
    assert titles == ["Gauge Networks", "Open Formats", "Funding", "Subgroup North Discussion"]


def test_prose_over_an_outcomes_headings_own_sub_sections_introduces_them_and_is_no_outcome():
    report = structure(
        make_document(
            ("h", 1, "Lock Keepers Meeting"),
            ("p", "A day on locks."),
            ("h", 1, "2 Session 1: Winter Closures"),
            ("p", "Ten keepers compared their winter closures."),
            ("h", 2, "2.1 Outcomes and Actions"),
            ("p", "The session split its findings into two parts, given below."),
            ("h", 3, "2.1.1 Closures"),
            ("p", "Close no lock for more than a week."),
            ("h", 1, "3 Session 2: Summer Traffic"),
            ("p", "Traffic doubled in July."),
            ("h", 2, "3.1 Outcomes"),
            ("p", "Publish the summer timetable in April."),
        )
    )
    assert [p.outcomes for p in report.panels if p.kind == "panel"] == [[], ["Publish the summer timetable in April."]]
