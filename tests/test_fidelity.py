"""Do no harm: what extraction and cleaning must never change in a source's text."""

from __future__ import annotations

import json
from pathlib import Path

import pypandoc
from fpdf import FPDF

from tasks.clean import clean
from tasks.extract import extract_pages
from tasks.extract.glyphs import clean_text, compose_accents
from tasks.markdown import document_markdown
from tests.pdfs import Column, Typesetter


def text_document(tmp_path: Path, text: str):
    source = tmp_path / "notes.txt"
    source.write_text(text, encoding="utf-8")
    return clean(extract_pages(source))


def test_control_characters_are_removed_and_reported(tmp_path):
    document = text_document(tmp_path, "Budget\n\nThe fund\x00 grew by a third\x1b[0m in the year.\n")
    markdown = document_markdown(document)
    assert "\x00" not in markdown and "\x1b" not in markdown
    assert "The fund grew by a third[0m in the year." in document.blocks[-1].text
    issue = next(i for i in document.issues if i.kind == "control-characters")
    assert "U+0000" in issue.message and "U+001B" in issue.message


def test_digits_inside_a_number_are_never_note_markers(tmp_path):
    document = text_document(
        tmp_path,
        "Results\n\nThe harvest rose to 70.9 tonnes and section 2.1 explains why. Farmers agreed. 1 More came.\n\n"
        "1 A survey of growers.\n\n9 A note that nothing refers to.\n",
    )
    body = " ".join(b.text for b in document.blocks)
    assert "70.9 tonnes" in body and "section 2.1 explains" in body
    assert [n.marker for n in document.footnotes if n.status == "linked"] == ["1"]


def test_ligatures_become_letters_and_text_is_composed():
    assert clean_text("ﬁnal ﬂow eﬀect") == "final flow effect"
    assert clean_text("Jose\u0301") == "José"


def char(text: str, x0: float, x1: float) -> dict:
    return {"text": text, "x0": x0, "x1": x1, "size": 10.0}


def test_spacing_accents_are_composed_onto_the_letter_beneath():
    # "Mu¨ller": the diaeresis is set after the u but centred over it
    chars = [char("M", 0, 9), char("u", 9, 14), char("\u00a8", 10, 13), char("l", 14, 17), char("l", 17, 20), char("e", 20, 25), char("r", 25, 29)]
    assert "".join(c["text"] for c in compose_accents(chars)) == "Müller"
    # an acute standing on its own (not over a letter) is kept as it is
    apart = [char("x", 0, 5), char("\u00b4", 8, 11), char("y", 14, 19)]
    assert "".join(c["text"] for c in compose_accents(apart)) == "x\u00b4y"


def words_pdf(path: Path, words: list[str], gap_em: float, size: float = 10.0, letter_spacing: float = 0.0) -> Path:
    """One line of words placed one by one, `gap_em` apart and with no space characters."""
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=size)
    pdf.set_char_spacing(letter_spacing)
    x = 72.0
    for word in words:
        pdf.set_xy(x, 100)
        pdf.cell(text=word)
        x += pdf.get_string_width(word) + gap_em * size
    pdf.output(str(path))
    return path


def test_tightly_justified_words_stay_apart(tmp_path):
    words = ["Harbour", "dues", "were", "waived", "for", "small", "boats", "last", "winter"]
    document = clean(extract_pages(words_pdf(tmp_path / "tight.pdf", words, gap_em=0.15)))
    assert document.blocks[0].text == " ".join(words)


def test_letter_spaced_words_are_joined(tmp_path):
    words = ["Scope", "and", "method"]
    document = clean(extract_pages(words_pdf(tmp_path / "spaced.pdf", words, gap_em=0.9, letter_spacing=3.0)))
    assert document.blocks[0].text == "Scope and method"


def test_symbol_sequences_and_bracketed_markers_link_to_their_notes(tmp_path):
    setter = Typesetter(footer=None)
    setter.page(
        Column(
            [
                "Harbour dues were waived for small boats^* and for",
                "ferries^** after the storm, while cargo lines paid^(3) the",
                "full rate set by the port board.",
            ],
            notes=["^* Boats under ten metres.", "^** Passenger ferries only.", "^(3) At the 2018 rate."],
        )
    )
    document = clean(extract_pages(setter.write(tmp_path / "symbols.pdf")))
    notes = {n.marker: n for n in document.footnotes}
    assert {m: n.status for m, n in notes.items()} == {"*": "linked", "**": "linked", "3": "linked"}
    assert notes["**"].text == "Passenger ferries only."
    markdown = document_markdown(document)
    assert "[^star2]: Passenger ferries only." in markdown and "--" not in markdown


def test_a_contents_page_is_evidence_not_text(tmp_path):
    setter = Typesetter(footer=None)
    setter.page(
        Column(
            [
                "# Contents",
                "Opening remarks . . . . . . . . . . . . . . . 2",
                "Water pricing in dry years . . . . . . . . . . 3",
                "Irrigation and the river basin . . . . . . . 5",
                "Closing session . . . . . . . . . . . . . . . 7",
            ]
        )
    )
    setter.page(Column(["# Opening remarks", "The chair welcomed the delegations at nine."]))
    document = clean(extract_pages(setter.write(tmp_path / "contents.pdf")))
    body = " ".join(b.text for b in document.blocks)
    assert "Water pricing" not in body and "The chair welcomed the delegations at nine." in body
    assert [f.text.split(" .")[0] for f in document.furniture if f.kind == "contents"] == [
        "Opening remarks",
        "Water pricing in dry years",
        "Irrigation and the river basin",
        "Closing session",
    ]


def test_a_ruled_table_continued_over_pages_is_one_table(tmp_path):
    header = ["Name", "Organisation"]
    setter = Typesetter(footer=None)
    setter.page(Column(["# Participants"], table=[header, ["Ana Ruiz", "River Basin Agency"], ["Tom Okafor", "Delta Farmers Union"]]))
    setter.page(Column([], table=[header, ["Lena Berg", "Nordic Water Forum"], ["Sami Haddad", "Ministry of Agriculture"]]))
    document = clean(extract_pages(setter.write(tmp_path / "table.pdf")))
    tables = [b for b in document.blocks if b.kind == "table"]
    assert [t.rows for t in tables] == [
        [header, ["Ana Ruiz", "River Basin Agency"], ["Tom Okafor", "Delta Farmers Union"], ["Lena Berg", "Nordic Water Forum"], ["Sami Haddad", "Ministry of Agriculture"]]
    ]
    assert [f.kind for f in document.furniture] == ["repeated-header"]


COLUMN_WORDS = [
    ["Rivers", "carry", "silt", "to", "the", "delta", "each", "spring", "and", "the", "farmers", "wait", "for", "it"],
    ["Canals", "were", "dug", "by", "hand", "in", "the", "old", "days", "and", "kept", "by", "each", "village"],
    ["Pumps", "now", "lift", "water", "from", "wells", "that", "go", "deeper", "every", "year", "in", "the", "plain"],
]


def three_column_lines(words: list[str], tag: str) -> list[str]:
    """Lines of about a third of a page's width, each tagged with its column and line."""
    return [f"{tag}{i} {' '.join(words[i % 5 : i % 5 + 3])}" for i in range(8)]


def test_three_columns_are_read_one_after_another(tmp_path):
    setter = Typesetter(columns=3, margin=90, header="Notice of water rates", header_even="Federal Water Board", footer="{n}")
    for _ in range(4):
        setter.page(*(Column(three_column_lines(words, tag)) for words, tag in zip(COLUMN_WORDS, "ABC")))
    document = clean(extract_pages(setter.write(tmp_path / "three.pdf")))
    tags = [w for b in document.blocks for w in b.text.split() if w[:1] in "ABC" and w[1:].isdigit()]
    page = [f"{tag}{i}" for tag in "ABC" for i in range(8)]
    assert tags == page * 4
    heads = [f.text for f in document.furniture if f.kind == "running-head"]
    assert heads == ["Notice of water rates", "Federal Water Board"] * 2


def test_centred_numbered_lines_are_headings_and_margin_numbers_list_items(tmp_path):
    setter = Typesetter(footer=None)
    setter.page(
        Column(
            [
                "> 1. Scope of the review",
                "The board looked at tariffs set between two droughts, and at how",
                "the towns upstream paid for the new weirs.",
                "> 2. What the board found",
                "Three points stood out:",
                "  1. tariffs rose faster than wages;",
                "  2. small farms paid more per litre;",
                "  3. nobody audited the weirs.",
            ]
        )
    )
    document = clean(extract_pages(setter.write(tmp_path / "centred.pdf")))
    assert [b.text for b in document.blocks if b.kind == "heading"] == ["1. Scope of the review", "2. What the board found"]
    assert [b.text for b in document.blocks if b.kind == "item"] == [
        "1. tariffs rose faster than wages;",
        "2. small farms paid more per litre;",
        "3. nobody audited the weirs.",
    ]


def test_notes_at_the_foot_of_each_of_three_columns_link_to_their_markers(tmp_path):
    setter = Typesetter(columns=3, margin=90, footer="{n}")
    for page in range(2):
        columns = []
        for index, (words, tag) in enumerate(zip(COLUMN_WORDS, "ABC")):
            number = page * 3 + index + 1
            lines = three_column_lines(words, tag)
            lines[3] += f"^{number}"
            columns.append(Column(lines, notes=[f"^{number} Gauge {number} was read", "at dawn each day."]))
        setter.page(*columns)
    document = clean(extract_pages(setter.write(tmp_path / "notes3.pdf")))
    assert [(n.status, n.marker, n.text) for n in document.footnotes] == [
        ("linked", str(n), f"Gauge {n} was read at dawn each day.") for n in range(1, 7)
    ]
    assert not any(i.kind.startswith("unpaired") for i in document.issues)


def test_a_dash_after_an_unfinished_line_continues_the_sentence(tmp_path):
    setter = Typesetter(footer=None)
    setter.page(
        Column(
            [
                "The pumps bought by the district last year",
                "– and the two built by the co-operative – all failed in May.",
                "",
                "Spare parts ordered:",
                "– valves",
                "– seals",
            ]
        )
    )
    document = clean(extract_pages(setter.write(tmp_path / "dash.pdf")))
    assert [(b.kind, b.text) for b in document.blocks] == [
        ("paragraph", "The pumps bought by the district last year – and the two built by the co-operative – all failed in May."),
        ("paragraph", "Spare parts ordered:"),
        ("item", "valves"),
        ("item", "seals"),
    ]


def test_indented_list_items_never_become_code(tmp_path):
    from tasks.model import Block, Document, Inline, SourceRef

    def item(text: str, level: int) -> Block:
        return Block(kind="item", level=level, inlines=[Inline(text=text)], source=SourceRef(page=1))

    blocks = [Block(kind="paragraph", inlines=[Inline(text="Findings:")], source=SourceRef(page=1))]
    blocks += [item("deep first", 3), item("deeper", 5), item("back out", 0)]
    markdown = document_markdown(Document(blocks=blocks))
    assert markdown == "Findings:\n\n- deep first\n    - deeper\n- back out\n"


def test_note_bodies_with_bracketed_or_run_in_numbers_under_the_rule(tmp_path):
    setter = Typesetter(footer=None)
    setter.page(
        Column(
            ["The levy was cut twice^1 before the board", "dropped it in the spring^2 of that year."],
            notes=["(1) In March and in June.", "2Only for farms under five hectares."],
        )
    )
    document = clean(extract_pages(setter.write(tmp_path / "runin.pdf")))
    assert [(n.status, n.marker, n.text) for n in document.footnotes] == [
        ("linked", "1", "In March and in June."),
        ("linked", "2", "Only for farms under five hectares."),
    ]


def monospace_pdf(path: Path, identifier: str) -> Path:
    """A sentence with one identifier set in Courier, the way manuals set code."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.write(6, "To load the survey, the team calls ")
    pdf.set_font("Courier", size=11)
    pdf.write(6, identifier)
    pdf.set_font("Helvetica", size=11)
    pdf.write(6, " before the analysis starts.")
    pdf.output(str(path))
    return path


def test_words_in_monospace_are_code_and_never_corrected(tmp_path):
    from tasks.typos import correct

    document = clean(extract_pages(monospace_pdf(tmp_path / "code.pdf", "recieve")))
    code = [i for i in document.blocks[0].inlines if i.monospace]
    assert [i.text.strip() for i in code] == ["recieve"]
    assert "calls `recieve` before" in document_markdown(document)
    fixed, corrections = correct(document, set())
    assert "recieve" in fixed.blocks[0].text
    [skipped] = corrections.corrections
    assert (skipped.original, skipped.applied, skipped.rule) == ("recieve", False, "discarded:monospace:spelling")


def test_the_same_word_in_a_proportional_font_is_corrected(tmp_path):
    from tasks.typos import correct

    document = clean(extract_pages(monospace_pdf(tmp_path / "prose.pdf", "recieve")))
    prose = document.model_copy(update={"blocks": [b.model_copy(update={"inlines": [i.model_copy(update={"monospace": False}) for i in b.inlines]}) for b in document.blocks]})
    fixed, _ = correct(prose, set())
    assert "calls receive before" in fixed.blocks[0].text


def test_the_editors_errata_stay_out_of_code(tmp_path):
    from tasks.typos import Errata, correct

    document = clean(extract_pages(monospace_pdf(tmp_path / "code.pdf", "load_data")))
    fixed, corrections = correct(document, set(), errata=Errata(replacements={"load_data": "load data"}))
    assert "load_data" in fixed.blocks[0].text
    assert [c.rule for c in corrections.corrections] == ["discarded:monospace:errata"]


def test_a_font_of_one_advance_width_is_monospace_whatever_its_name():
    from tasks.extract.pdf import _monospaced_fonts

    def glyphs(font: str, widths: dict[str, float]) -> list[dict]:
        return [{"fontname": font, "text": t, "size": 10.0, "adv": 10.0 * w} for t, w in widths.items()]

    fixed = glyphs("ABCDEF+F1", {"i": 0.6, "m": 0.6, "e": 0.6, "W": 0.6})
    proportional = glyphs("ABCDEF+F2", {"i": 0.22, "m": 0.83, "e": 0.56, "W": 0.94})
    few = glyphs("ABCDEF+F3", {"e": 0.5, "a": 0.5})  # no narrow and wide letter to compare: no evidence
    named = glyphs("GHIJKL+SourceCodePro-Regular", {"e": 0.6})
    assert _monospaced_fonts(fixed + proportional + few + named) == {"ABCDEF+F1", "GHIJKL+SourceCodePro-Regular"}


def test_code_spans_keep_their_text_literally():
    from tasks.markdown import inlines_markdown
    from tasks.model import Inline

    markdown = inlines_markdown([Inline(text="Run "), Inline(text="a`b *x* http://x.org ", monospace=True), Inline(text="now.")])
    assert markdown == "Run ``a`b *x* http://x.org`` now."
    ast = json.loads(pypandoc.convert_text(markdown, "json", format="markdown-smart"))
    assert ast["blocks"][0]["c"][2] == {"t": "Code", "c": [["", [], []], "a`b *x* http://x.org"]}


def test_a_document_typed_throughout_in_monospace_is_prose(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Courier", size=11)
    pdf.multi_cell(0, 6, "The committee met on Tuesday and agreed the budget for the coming year.")
    pdf.output(str(tmp_path / "typed.pdf"))
    document = clean(extract_pages(tmp_path / "typed.pdf"))
    assert not any(i.monospace for b in document.blocks for i in b.inlines)
    assert "`" not in document_markdown(document)
    assert [i.severity for i in document.issues if i.kind == "typewritten"] == ["info"]


def test_notes_as_large_as_the_body_under_a_separator_rule_are_notes(tmp_path):
    setter = Typesetter(note=10.0, footer=None)
    setter.page(Column(
        ["# Harbour dues", "The harbour board raised its dues^1 in spring and cut them", "again before the autumn fleet^2 came in."],
        notes=["^1 Dues are charged per tonne landed.", "^2", "https://example.org/harbour/board/minutes/autumn-fleet-arrivals"],
    ))
    document = clean(extract_pages(setter.write(tmp_path / "large-notes.pdf")))
    assert [(n.status, n.marker, n.text) for n in document.footnotes] == [
        ("linked", "1", "Dues are charged per tonne landed."),
        ("linked", "2", "https://example.org/harbour/board/minutes/autumn-fleet-arrivals"),
    ]
    assert "per tonne" not in " ".join(b.text for b in document.blocks)


def test_hanging_bracketed_marks_left_of_their_notes_link(tmp_path):
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.text(72, 100, "Ana Ruiz")
    pdf.text(72 + pdf.get_string_width("Ana Ruiz (10) "), 100, "and Tom Berg wrote the review of the river survey")
    pdf.text(72, 115, "for the water board in the spring of that year.")
    after = 72 + pdf.get_string_width("Ana Ruiz")
    pdf.set_font("Helvetica", size=6)
    pdf.text(after, 96, "(10)")
    pdf.line(72, 600, 140, 600)
    for row, (mark, text) in enumerate([("(10)", "Water Institute, Delft, Netherlands."), ("(11)", "Survey Office, Ghent, Belgium.")]):
        pdf.set_font("Helvetica", size=6)
        pdf.text(70, 612 + 12 * row, mark)
        pdf.set_font("Helvetica", size=9)
        pdf.text(84, 614 + 12 * row, text)
    pdf.output(str(tmp_path / "hanging.pdf"))
    document = clean(extract_pages(tmp_path / "hanging.pdf"))
    notes = {n.marker: (n.status, n.text) for n in document.footnotes}
    assert notes["10"] == ("linked", "Water Institute, Delft, Netherlands.")
    assert notes["11"] == ("no-marker", "Survey Office, Ghent, Belgium.")


def test_labels_under_a_chart_axis_are_not_a_note(tmp_path):
    pdf = FPDF(unit="pt", format="A4")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for row in range(12):
        pdf.text(72, 100 + 15 * row, "The catch of the season was counted at each of the harbours.")
    pdf.line(300, 440, 420, 440)  # the chart's axis
    pdf.set_font("Helvetica", size=5)
    pdf.text(300, 450, "0 2 4 6 8 10")
    pdf.text(300, 458, "Boats landing per day")
    pdf.set_font("Helvetica", size=11)
    pdf.text(270, 490, "Figure 1: Landings by harbour.")  # centred under the chart
    pdf.output(str(tmp_path / "chart.pdf"))
    document = clean(extract_pages(tmp_path / "chart.pdf"))
    assert document.footnotes == []
    assert "Boats landing per day" in " ".join(b.text for b in document.blocks)


def test_an_address_ends_before_a_symbol_set_against_it():
    from tasks.markdown import linked

    assert linked("at https://example.org/rivers/report↩") == "at <https://example.org/rivers/report>↩"
    assert linked("see http://example.org/a\u200b next") == "see <http://example.org/a>\u200b next"
    assert linked("http://example.org/straße/köln.html, then") == "<http://example.org/straße/köln.html>, then"


def test_a_doubled_content_word_is_recorded_a_doubled_function_word_fixed():
    from tasks.model import Block, Document, Inline, SourceRef
    from tasks.typos import correct

    sentences = ["The mayor asked how green green energy really is for the town.", "The boats came back to to the harbour at noon."]
    document = Document(blocks=[Block(kind="paragraph", inlines=[Inline(text=s)], source=SourceRef(page=1)) for s in sentences])
    fixed, corrections = correct(document, set())
    assert [b.text for b in fixed.blocks] == [sentences[0], "The boats came back to the harbour at noon."]
    assert [(c.original, c.rule, c.applied) for c in corrections.corrections] == [
        ("green green", "discarded:content-word:repeated-word", False),
        ("to to", "repeated-word", True),
    ]
