"""structure(): the sample against its answer key, a second report of the genre, and hand-made edge cases."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tasks.clean import clean
from tasks.extract import extract_pages
from tasks.model import Block, Document, Inline, Person, SourceRef
from tasks.structure import parse_people, split_listed_name, split_sentences, structure

FIXTURES = Path(__file__).parent / "fixtures"
KEY = json.loads((FIXTURES / "roundtable-2010.answers.json").read_text(encoding="utf-8"))


def make_document(*specs: tuple, metadata: dict[str, str] | None = None) -> Document:
    """Blocks from ("h", level, text) / ("p", text) / ("li", text) / ("table", rows), one paragraph each."""
    blocks = []
    for index, spec in enumerate(specs):
        source = SourceRef(page=1 + index // 10, paragraph=index % 10 + 1)
        kind = spec[0]
        if kind == "h":
            blocks.append(Block(kind="heading", level=spec[1], inlines=[Inline(text=spec[2])], source=source))
        elif kind == "table":
            blocks.append(Block(kind="table", rows=spec[1], source=source))
        else:
            block_kind = "item" if kind == "li" else "paragraph"
            blocks.append(Block(kind=block_kind, inlines=[Inline(text=spec[1])], source=source))
    return Document(blocks=blocks, metadata=metadata or {})


@pytest.fixture(scope="module")
def sample():
    return structure(clean(extract_pages(FIXTURES / "roundtable-2010.pdf")))


@pytest.fixture(scope="module")
def expert_meeting():
    return structure(clean(extract_pages(FIXTURES / "expert-meeting-2019.md")))


# --- the sample against the answer key ---------------------------------------------------


def test_sample_front_matter(sample):
    assert sample.title == KEY["title"]
    assert sample.date == "21 June 2010"
    assert sample.venue == "Hotel Bloom 35, Rue Royale 250 Brussels, Belgium"
    assert f"{sample.date} {sample.venue}" == KEY["date_venue"]
    assert sample.organisers == ["EuropeAid", "International Centre for Migration Policy Development (ICMPD)"]


def test_sample_sections_are_the_key_headings(sample):
    assert [s.title for s in sample.sections] == KEY["section_headings"]


def test_sample_keynote(sample):
    assert sample.keynote == Person(name=KEY["keynote"]["name"], organisation=KEY["keynote"]["organisation"])
    assert sample.keynote_section.title == KEY["keynote"]["heading"]


def test_sample_panels_titles_and_numbers(sample):
    assert [(p.number, p.title) for p in sample.panels] == [(k["number"], k["title"]) for k in KEY["panels"]]


def test_sample_panel_people_match_the_key_exactly(sample):
    for panel, key in zip(sample.panels, KEY["panels"], strict=True):
        assert [p.model_dump() for p in panel.panellists] == key["panellists"]
        moderator = {"name": key["moderator"]["name"], "organisation": key["moderator"]["organisation"]}
        assert panel.moderator.model_dump() == moderator


def test_sample_outcome_counts_and_texts(sample):
    assert [len(p.outcomes) for p in sample.panels] == [k["main_outcomes_bullets"] for k in KEY["panels"]]
    assert sample.panels[1].outcomes[-1].startswith("Access to justice for migrants is often hindered")
    assert sample.panels[1].outcomes[-2].endswith("in partnership with mainstream labour unions.")


def test_sample_panel_aims(sample):
    aims = [p.aim for p in sample.panels]
    assert aims[0].startswith("The aim of the session was to look beyond")
    assert aims[1].startswith("The session highlighted challenges")  # no "aim" sentence: the first one
    assert aims[2].startswith("The session revolved around")  # the panellists sentence is skipped
    assert aims[3].startswith("The aim of the panel was to discuss")


def test_sample_recommendations(sample):
    assert len(sample.recommendations) == KEY["recommendations_bullets"]
    assert sample.recommendations[0].startswith("Migration can be seen as a risk management strategy")


def test_sample_participants(sample):
    assert len(sample.participants) == KEY["participants_count"]
    assert [(p.name, p.organisation) for p in sample.participants] == [
        (p["name"], p["organisation"]) for p in KEY["participants"]
    ]
    by_name = {p.name: p for p in sample.participants}
    assert (by_name["Dr D'Cunha Jean"].surname, by_name["Dr D'Cunha Jean"].given_name) == ("D'Cunha", "Jean")
    assert (by_name["De Backer Roger"].surname, by_name["De Backer Roger"].given_name) == ("De Backer", "Roger")


def test_sample_person_mismatches(sample):
    messages = [i.message for i in sample.issues if i.kind == "person-mismatch"]
    assert any("Maria Gallotti" in m and "not in" in m for m in messages)
    assert any("Michele Klein Salomon" in m and "Klein-Solomon Michele" in m for m in messages)
    # Word order and titles differ but these are the same people.
    assert not any("César Camilo Vallejo" in m or "d'Cunha" in m or "Sabates-Wheeler" in m for m in messages)
    assert all(i.stage == "structure" for i in sample.issues)


def test_sample_panels_span_their_sub_headings(sample):
    blocks = sample.document.blocks
    for panel in sample.panels:
        titles = [b.text for b in blocks[panel.first_block : panel.last_block] if b.kind == "heading"]
        assert titles[1:] == ["Main Outcomes of the Discussion"]
    assert blocks[sample.panels[-1].last_block].text == "Key issues and recommendations"


# --- a second report of the genre ------------------------------------------------------


def test_expert_meeting_front_matter(expert_meeting):
    assert expert_meeting.title == "Expert Meeting on Adaptation Finance for Coastal Cities"
    assert expert_meeting.date == "12-13 March 2019"
    assert expert_meeting.venue == "Palais des Nations, Geneva, Switzerland"
    assert expert_meeting.organisers == ["Coastal Resilience Network", "Nordic Adaptation Fund (NAF)"]


def test_expert_meeting_keynote(expert_meeting):
    assert expert_meeting.keynote == Person(
        name="Prof. Amara Okafor", organisation="University of Lagos, Centre for Coastal Studies"
    )


def test_expert_meeting_panels(expert_meeting):
    panels = expert_meeting.panels
    assert [(p.number, p.title) for p in panels] == [
        ("1", "Financing Sea Defences"),
        ("2", "Insurance and Risk Pools"),
        ("B", "Community-led Adaptation"),
    ]
    assert panels[0].panellists == [
        Person(name="Dr. Lena Fischer", organisation="KfW Development Bank, Frankfurt"),
        Person(name="Tomás Ibarra", organisation="Inter-American Development Bank, IDB"),
        Person(name="Mei Tanaka", organisation="City of Osaka"),
    ]
    assert panels[0].moderator == Person(name="Jonas Berg", organisation="Nordic Adaptation Fund")
    assert panels[1].panellists == [
        Person(name="Grace Mwangi", organisation="African Risk Capacity, ARC"),
        Person(name="Pierre Lambert", organisation="AXA Climate, Paris"),
        Person(name="Dr. Sunita Rao", organisation="Indian Institute for Human Settlements"),
    ]
    assert panels[1].moderator == Person(name="Hendrik de Vries", organisation="Ministry of Infrastructure, The Netherlands")
    assert panels[2].panellists == [
        Person(name="Kwame Mensah", organisation="Slum Dwellers International, SDI"),
        Person(name="Ana Lucía Pérez", organisation="Municipality of Cartagena"),
    ]
    assert panels[2].moderator == Person(name="Sofia Almeida", organisation="Coastal Resilience Network")
    assert [len(p.outcomes) for p in panels] == [3, 4, 2]
    assert panels[1].aim.startswith("The purpose of the session was")
    assert panels[2].aim.startswith("The workshop explored")


def test_expert_meeting_recommendations_and_participants(expert_meeting):
    assert len(expert_meeting.recommendations) == 5  # the report-wide "Conclusions", not the panels' own
    assert expert_meeting.recommendations[-1] == "Local communities must be involved in deciding how adaptation funds are spent."
    participants = expert_meeting.participants
    assert len(participants) == 12
    assert participants[0].model_dump() == {
        "name": "Almeida Sofia", "organisation": "Coastal Resilience Network", "surname": "Almeida", "given_name": "Sofia",
    }  # fmt: skip
    assert participants[7].given_name == "Ana Lucía"


def test_expert_meeting_person_mismatches(expert_meeting):
    messages = sorted(i.message for i in expert_meeting.issues)
    assert messages == [
        "Panel 1 panellist 'Tomás Ibarra' is listed as 'Ibarra Tomas' in the participants' list",
        "Panel 2 panellist 'Pierre Lambert' is not in the participants' list",
    ]


# --- hand-made documents: other phrasings, flat heading levels ----------------------------


def flat_report():
    return make_document(
        ("h", 1, "Annual Dialogue on Urban Water"),
        ("p", "Tuesday, 5 November 2019, Nairobi"),
        ("h", 1, "Background"),
        ("p", "The dialogue was convened by the Water Forum. It met for the third time."),
        ("h", 1, "Keynote address by Dr. Jane Roe (Water Institute)"),
        ("p", "Dr. Roe spoke about leakage. Leakage costs cities dearly."),
        ("h", 1, "Roundtable 3 - Pricing water"),
        ("p", "Moderator: Ali Khan, City of Mombasa"),
        ("p", "Speakers included A. Smith (Utility One), Bea Lopez (Utility Two, U2) and Chen Li (Ministry of Water)."),
        ("p", "The roundtable set out to compare tariffs. Tariffs vary widely."),
        ("h", 1, "Main conclusions"),
        ("li", "Tariffs should cover costs."),
        ("p", "while protecting the poor."),
        ("li", "Subsidies must be targeted."),
        ("h", 1, "Workshop: Leaks"),
        ("p", "The purpose of this workshop was to share leak detection methods. The facilitator was Dana Ode (Leak Lab)."),
        ("h", 1, "Key outcomes"),
        ("li", "Sensors pay for themselves."),
        ("h", 1, "Recommendations"),
        ("li", "Cities should publish leakage figures."),
        ("li", "Regulators should set leakage targets."),
        ("h", 1, "List of participants"),
        ("p", "Khan Ali, City of Mombasa"),
        ("p", "Lopez Bea – Utility Two"),
        ("p", "Roe Jane (Water Institute)"),
    )


def test_flat_levels_panels_and_sub_headings():
    report = structure(flat_report())
    assert report.title == "Annual Dialogue on Urban Water"
    assert (report.date, report.venue) == ("Tuesday, 5 November 2019", "Nairobi")
    assert [s.title for s in report.sections][0] == "Background"
    assert report.organisers == ["Water Forum"]
    assert report.keynote == Person(name="Dr. Jane Roe", organisation="Water Institute")
    assert [(p.number, p.title) for p in report.panels] == [("3", "Pricing water"), ("2", "Leaks")]
    first, second = report.panels
    assert first.moderator == Person(name="Ali Khan", organisation="City of Mombasa")
    assert [p.name for p in first.panellists] == ["A. Smith", "Bea Lopez", "Chen Li"]
    assert first.panellists[1].organisation == "Utility Two, U2"
    assert first.aim == "The roundtable set out to compare tariffs."
    assert first.outcomes == ["Tariffs should cover costs. while protecting the poor.", "Subsidies must be targeted."]
    assert second.moderator == Person(name="Dana Ode", organisation="Leak Lab")
    assert second.outcomes == ["Sensors pay for themselves."]
    # The second sub-heading after a panel's outcomes is the report's own section.
    assert report.recommendations == ["Cities should publish leakage figures.", "Regulators should set leakage targets."]
    assert [(p.name, p.organisation) for p in report.participants] == [
        ("Khan Ali", "City of Mombasa"), ("Lopez Bea", "Utility Two"), ("Roe Jane", "Water Institute"),
    ]  # fmt: skip
    missing = {i.message.split("'")[1] for i in report.issues}
    assert missing == {"A. Smith", "Chen Li", "Dana Ode"}


def test_title_from_metadata_and_table_with_header():
    document = make_document(
        ("h", 1, "Conference on Ports"),
        ("p", "March 3, 2021 – Online"),
        ("h", 2, "Session II. Automation"),
        ("p", "The session was chaired by Prof. Ola Berg (Port Authority). Speakers: Kim Ito (Terminal Co); Sam Ray (Union)."),
        ("h", 1, "Participants"),
        ("table", [["Name", "Organisation"], ["Berg Ola", "Port Authority"], ["Ito Kim", "Terminal Co"]]),
        metadata={"title": "Conference on Ports"},
    )
    report = structure(document)
    assert report.title == "Conference on Ports"
    assert (report.date, report.venue) == ("March 3, 2021", "Online")
    assert [s.title for s in report.sections] == ["Session II. Automation", "Participants"]
    panel = report.panels[0]
    assert (panel.number, panel.title) == ("II", "Automation")
    assert panel.moderator == Person(name="Prof. Ola Berg", organisation="Port Authority")
    assert panel.panellists == [Person(name="Kim Ito", organisation="Terminal Co"), Person(name="Sam Ray", organisation="Union")]
    assert [p.name for p in report.participants] == ["Berg Ola", "Ito Kim"]
    assert [i.message for i in report.issues] == ["Panel II panellist 'Sam Ray' is not in the participants' list"]


def test_no_sections_one_brief_over_the_whole_text():
    report = structure(make_document(("h", 1, "Notes"), ("p", "Nothing structured here.")))
    assert report.title == "Notes"
    assert [(p.kind, p.title, p.first_block, p.last_block) for p in report.panels] == [("section", "Notes", 0, 2)]
    assert report.participants == [] and [i.kind for i in report.issues] == ["no-panels"]


# --- helpers -----------------------------------------------------------------------------


def test_split_sentences_respects_abbreviations_and_decimals():
    text = (
        "Dr. Smith met Prof. Jones in the U.S. in 2019. Growth was 3.3 per cent, i.e. low. "
        "It covers e.g. Ghana. Lists include alcohol, gambling etc. Helping women matters! Is it so? Yes."
    )
    assert split_sentences(text) == [
        "Dr. Smith met Prof. Jones in the U.S. in 2019.",
        "Growth was 3.3 per cent, i.e. low.",
        "It covers e.g. Ghana.",
        "Lists include alcohol, gambling etc.",
        "Helping women matters!",
        "Is it so?",
        "Yes.",
    ]


def test_parse_people_forms():
    assert parse_people("A Bee (Org, With Comma), Cee Dee (X (Y) Z) and Eve Eff (Q)") == [
        Person(name="A Bee", organisation="Org, With Comma"),
        Person(name="Cee Dee", organisation="X (Y) Z"),
        Person(name="Eve Eff", organisation="Q"),
    ]
    assert parse_people("Jo Doe, Some Ministry", single=True) == [Person(name="Jo Doe", organisation="Some Ministry")]
    assert parse_people("Ann One, Org A; Bob Two, Org B") == [
        Person(name="Ann One", organisation="Org A"),
        Person(name="Bob Two", organisation="Org B"),
    ]


def test_split_listed_name():
    assert split_listed_name("Aerts Marij") == ("Aerts", "Marij")
    assert split_listed_name("Dr D'Cunha Jean") == ("D'Cunha", "Jean")
    assert split_listed_name("Gonzalez Blanco Pilar") == ("Gonzalez Blanco", "Pilar")
    assert split_listed_name("Madonna") == ("Madonna", "")


def test_structure_is_deterministic(sample):
    again = structure(sample.document)
    assert again.model_dump_json() == sample.model_dump_json()


# --- roles, people and fall-backs on text the rules were not written from -----------------


def test_a_section_that_opens_with_its_chair_is_a_session_whatever_its_heading():
    report = structure(
        make_document(
            ("h", 1, "Report of the Meeting"),
            ("h", 1, "Seed Banks and Drought"),
            ("p", "Facilitator: Ines Moura (Lisbon Botanical Garden)"),
            ("p", "Speakers: Kwame Asante (Accra Seed Trust), Mei Lin (Yunnan Herbarium) and"),
            ("p", "Rolf Berg (Svalbard Vault)"),
            ("p", "Dry years were discussed at length."),
            ("h", 1, "Workshop Agenda"),
            ("p", "The agenda was adopted."),
        )
    )
    [panel] = report.panels
    assert panel.title == "Seed Banks and Drought" and panel.kind == "panel"
    assert panel.moderator == Person(name="Ines Moura", organisation="Lisbon Botanical Garden")
    assert report.sections[0].role == "session" and report.sections[0].evidence.cue.startswith("Facilitator:")
    assert report.sections[1].role == "programme"
    assert report.sections[0].evidence.page == 1


def test_people_in_sentences_with_of_and_lists_under_a_label():
    report = structure(
        make_document(
            ("h", 1, "Report of the Meeting"),
            ("h", 1, "Round Table 3 - Coastal Fisheries"),
            ("p", "The round table was moderated by Tariq Aziz of the Harbour Authority. Talks were given by Ana Ruiz of Vigo University and Li Wei of Qingdao Port."),
            ("h", 1, "Breakout Group B: Ports"),
            ("p", "Session conveners:"),
            ("li", "Hana Sato, Kobe Maritime Institute"),
            ("li", "Omar Diallo (Dakar Port Council)"),
            ("p", "The group met twice."),
        )
    )
    first, second = report.panels
    assert first.chairs == [Person(name="Tariq Aziz", organisation="Harbour Authority")]
    assert first.panellists == [Person(name="Ana Ruiz", organisation="Vigo University"), Person(name="Li Wei", organisation="Qingdao Port")]
    assert [c.name for c in second.chairs] == ["Hana Sato", "Omar Diallo"]


def test_sessions_under_a_working_groups_heading():
    report = structure(
        make_document(
            ("h", 1, "Report of the Meeting"),
            ("h", 1, "3. Working Groups"),
            ("p", "Four groups met in parallel."),
            ("h", 2, "3.1 Soil Carbon"),
            ("p", "The group discussed soil carbon."),
            ("h", 2, "3.2 Grazing"),
            ("p", "The group discussed grazing."),
            ("h", 1, "4. Conclusions"),
            ("p", "All groups will report back."),
        )
    )
    assert [p.title for p in report.panels] == ["Soil Carbon", "Grazing"]
    assert report.sections[0].role == "sessions"


def test_a_report_without_sessions_is_briefed_section_by_section():
    report = structure(
        make_document(
            ("h", 1, "Annual Review of Library Services"),
            ("h", 1, "Lending"),
            ("p", "Loans rose by a tenth."),
            ("h", 1, "Digital Collections"),
            ("p", "Two archives were digitised."),
            ("h", 1, "Annex: Statistics"),
            ("p", "Tables follow."),
        )
    )
    assert [(p.kind, p.title) for p in report.panels] == [("section", "Lending"), ("section", "Digital Collections")]
    assert any(i.kind == "no-panels" for i in report.issues)


def test_date_and_venue_from_a_held_at_line_and_from_a_sentence():
    lines = structure(make_document(("h", 1, "Forum on River Basins"), ("p", "Held at Kisumu, Kenya"), ("p", "3-4 October 2018"), ("h", 1, "Opening")))
    assert (lines.date, lines.venue) == ("3-4 October 2018", "Kisumu, Kenya")
    sentence = structure(
        make_document(("h", 1, "Forum on River Basins"), ("h", 1, "Introduction"), ("p", "The forum was held on 5 May 2021 in Porto Alegre, Brazil, with 40 experts."))
    )
    assert (sentence.date, sentence.venue) == ("5 May 2021", "Porto Alegre, Brazil")


def test_participants_one_per_line_and_tables_continued_with_their_header():
    listed = structure(make_document(("h", 1, "Meeting Report"), ("p", "Text."), ("h", 1, "List of Participants"), ("p", "Moreau, Claire — Lyon Water Agency"), ("p", "Okoro, Chidi — Niger Delta Trust")))
    assert [(p.name, p.organisation) for p in listed.participants] == [("Moreau, Claire", "Lyon Water Agency"), ("Okoro, Chidi", "Niger Delta Trust")]
    header = ["Name", "Organisation"]
    tables = structure(
        make_document(("h", 1, "Meeting Report"), ("p", "Text."), ("h", 1, "Annex 2: Attendees"), ("table", [header, ["Ada Byrne", "Dublin Port"]]), ("table", [header, ["Ravi Nair", "Kochi Fisheries"]]))
    )
    assert [p.name for p in tables.participants] == ["Ada Byrne", "Ravi Nair"]


def test_chairs_before_an_active_verb_and_keynotes_named_in_running_text():
    report = structure(
        make_document(
            ("h", 1, "Notes from the Delta Forum"),
            ("p", "The forum opened with a keynote address given by Dr. Sara Lind from the Water Institute, on salt intrusion."),
            ("h", 1, "Sediment"),
            ("p", "Ravi Menon (Delta Council) and Jo Park (River Trust) co-chaired a lively session on sediment. Panelists Ann Lee (Port Board) and Tom Hale (Sea Lab) spoke."),
        )
    )
    assert [k.panellists for k in report.keynotes] == [[Person(name="Dr. Sara Lind", organisation="Water Institute")]]
    [panel] = report.panels
    assert [c.name for c in panel.chairs] == ["Ravi Menon", "Jo Park"]
    assert [p.name for p in panel.panellists] == ["Ann Lee", "Tom Hale"]
