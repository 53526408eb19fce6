"""Render stage: the composed Markdown and the DOCX, EPUB and HTML made from it.

The inputs are small model values built by hand, so these tests do not depend on
extraction or briefing; one source string carries a <script> element to prove that
source text is always escaped.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest
from lxml import etree, html

from tasks.model import (
    Block,
    Brief,
    Briefs,
    Correction,
    Corrections,
    Document,
    Footnote,
    Figure,
    Inline,
    Issue,
    KeyPoint,
    Panel,
    Participant,
    Person,
    Report,
    SourceRef,
)
from tasks.render import REGISTRY, Renderer, compose_markdown, normalise_zip, register, render_pack, renderer
from tasks.render.base import parse_date, source_date_epoch
from tasks.render.compose import DEFAULT_TEMPLATES, display_name, rule_name, tidy_headings
from tasks.render.quality import quality_notes

SCRIPT = "<script>alert(1)</script>"
FORMATS = ["docx", "epub", "html"]
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# --- inputs -------------------------------------------------------------------------------


def make_inputs() -> tuple[Report, Briefs, Corrections]:
    """A two-panel meeting with a keynote, footnotes, a table and a hostile string."""

    def ref(page: int, paragraph: int = 0) -> SourceRef:
        return SourceRef(page=page, paragraph=paragraph)

    def para(text: str, page: int, note: str | None = None) -> Block:
        inlines = [Inline(text=text)] + ([Inline(note=note)] if note else [])
        return Block(kind="paragraph", inlines=inlines, source=ref(page))

    def heading(text: str, level: int, page: int) -> Block:
        return Block(kind="heading", level=level, inlines=[Inline(text=text)], source=ref(page))

    blocks = [
        heading("Background", 1, 1),
        para("The roundtable brought together experts on migration & development.", 1, note="1"),
        heading("Panel I: Families Back Home", 2, 1),
        para(f"A speaker quoted {SCRIPT} verbatim; *not* emphasis and [not] a link.", 2),
        Block(kind="item", inlines=[Inline(text="Remittances are no panacea.")], source=ref(2)),
        Block(kind="item", inlines=[Inline(text="Children need care.", bold=True)], source=ref(2)),
        heading("Panel II: Rights of Migrants", 2, 3),
        para("Rights apply to all migrants.", 3, note="2"),
        Block(kind="table", rows=[["Country", "Migrants"], ["Belgium", "1.2m"]], source=ref(3)),
        heading("Key issues and recommendations", 1, 4),
        para("1. Protect children left behind.", 4),
    ]
    footnotes = [
        Footnote(id="1", marker="¹", inlines=[Inline(text="The views are not those of the EC.")], source=ref(1)),
        Footnote(id="2", marker="²", inlines=[Inline(text="See the UN convention.", italic=True)], source=ref(3)),
    ]
    document = Document(blocks=blocks, footnotes=footnotes)
    report = Report(
        title="Expert Roundtable on Social Aspects of Migration",
        date="21 June 2010",
        venue="Hotel Bloom, Brussels",
        organisers=["EuropeAid", "ICMPD"],
        language="en-GB",
        keynote=Person(name="Dr. Rachel Sabates-Wheeler", organisation="Sussex University IDS/DRC"),
        panels=[
            Panel(number="I", title="Families Back Home", first_block=2, last_block=6, source=ref(1)),
            Panel(number="II", title="Rights of Migrants", first_block=6, last_block=9, source=ref(3)),
        ],
        recommendations=["Protect children left behind.", f"Escape {SCRIPT} in recommendations too."],
        participants=[
            Participant(name="Margaret Wachenfeld", organisation="UNICEF Brussels"),
            Participant(name="Flavia Piperno", organisation="CeSPI | Rome"),
        ],
        document=document,
    )
    purpose = KeyPoint(text="The aim of the event was to look beyond remittances.", source=ref(1, 1))
    bottom_line = [KeyPoint(text=f"Protect children left behind {SCRIPT}.", source=ref(4, 1))]
    briefs = Briefs(
        executive_summary=f"The aim of the event was to look beyond remittances. Protect children left behind {SCRIPT}.",
        summary_points=[purpose, *bottom_line],
        purpose=purpose,
        bottom_line=bottom_line,
        briefs=[
            Brief(
                panel="keynote",
                title="Keynote Speaker Dr. Rachel Sabates-Wheeler",
                speakers=[Person(name="Dr. Rachel Sabates-Wheeler", organisation="Sussex University IDS/DRC")],
                key_points=[KeyPoint(text="Migrants are not welfare tourists.", source=ref(1, 2))],
            ),
            Brief(
                panel="I",
                title="Families Back Home",
                aim="To look beyond the economic consequences of migration.",
                speakers=[Person(name="Margaret Wachenfeld", organisation="UNICEF Brussels")],
                chair=Person(name="Agata Sobiech", organisation="European Commission, DG JLS"),
                key_points=[
                    KeyPoint(text="Remittances are no panacea.", source=ref(2, 1), speaker="Margaret Wachenfeld"),
                    KeyPoint(text=f"Quoted: {SCRIPT}", source=ref(2, 3)),
                ],
                outcomes=["Target social services at families left behind."],
                recommendations=["Protect children left behind."],
                figures=[Figure(value="3.3 million", context="some 3.3 million Colombians live abroad", source=ref(2, 1))],
            ),
            Brief(
                panel="II",
                title="Rights of Migrants",
                speakers=[Person(name="Flavia Piperno")],
                key_points=[KeyPoint(text="Rights apply to all.", source=ref(3))],
            ),
        ],
    )
    corrections = Corrections(
        corrections=[
            Correction(original="recieve", replacement="receive", rule="spelling", confidence=0.97,
                       applied=True, page=2, start=0, end=7, sentence="They recieve help."),
            Correction(original="asses", replacement="assess", rule="confusable", confidence=0.5,
                       applied=False, page=3, start=0, end=5, sentence="We asses the risk."),
        ]
    )
    return report, briefs, corrections


@pytest.fixture(scope="module")
def markdown() -> str:
    return compose_markdown(*make_inputs())


@pytest.fixture(scope="module")
def outputs(markdown: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("pack")
    paths = render_pack(markdown, out, "pack", FORMATS, DEFAULT_TEMPLATES)
    return {path.suffix[1:]: path for path in paths}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_zip(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def epub_xhtml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode("utf-8") for n in archive.namelist() if n.endswith(".xhtml")}


# --- the composed Markdown -------------------------------------------------------------------


def test_markdown_has_metadata_block(markdown: str) -> None:
    header = markdown.split("\n---\n", 1)[0]
    assert markdown.startswith("---\n")
    assert 'title: "Expert Roundtable on Social Aspects of Migration"' in header
    assert 'lang: "en-GB"' in header
    assert re.search(r'identifier: "urn:uuid:[0-9a-f-]{36}"', header)
    assert "accessibilitySummary:" in header


def test_markdown_sections_in_order(markdown: str) -> None:
    headings = [line for line in markdown.splitlines() if line.startswith("## ")]
    order = ["Key messages", "About this pack", "Keynote", "Panel I:", "Panel II:",
             "Recommendations", "Participants", "Annex: full report", "Corrections report"]
    positions = [next(i for i, h in enumerate(headings) if h.startswith("## " + name)) for name in order]
    assert positions == sorted(positions)


def test_markdown_has_no_level_one_heading(markdown: str) -> None:
    assert not re.search(r"^# ", markdown, re.MULTILINE)


def test_markdown_escapes_source_text(markdown: str) -> None:
    assert SCRIPT not in markdown
    assert r"\<script\>alert(1)\</script\>" in markdown


def test_key_points_carry_page_references(markdown: str) -> None:
    assert "- **Margaret Wachenfeld**: Remittances are no panacea. [(p. 2)]{.source" in markdown
    assert "- some **3\\.3 million** Colombians live abroad [(p. 2)]{.source" in markdown


def test_identifier_is_stable_and_content_derived() -> None:
    report, briefs, corrections = make_inputs()
    first = compose_markdown(report, briefs, corrections)
    assert first == compose_markdown(report, briefs, corrections)
    other = compose_markdown(report.model_copy(update={"date": "22 June 2010"}), briefs, corrections)
    identifiers = {re.search(r"identifier: (.*)", text)[1] for text in (first, other)}
    assert len(identifiers) == 2


def test_annex_headings_sit_under_the_annex_heading(markdown: str) -> None:
    annex = markdown.split("## Annex: full report", 1)[1].split("## Corrections report", 1)[0]
    levels = [len(m[1]) for m in re.finditer(r"^(#+) ", annex, re.MULTILINE)]
    assert levels == [3, 4, 4, 3]


def test_tidy_headings_removes_skipped_levels() -> None:
    report, _, _ = make_inputs()
    blocks = [b.model_copy(update={"level": 3}) if b.kind == "heading" and b.level == 2 else b
              for b in report.document.blocks]
    tidy = tidy_headings(report.document.model_copy(update={"blocks": blocks}))
    assert [b.level for b in tidy.blocks if b.kind == "heading"] == [1, 2, 2, 1]


def test_empty_inputs_still_compose() -> None:
    report = Report(title="Empty meeting", document=Document(blocks=[]))
    text = compose_markdown(report, Briefs(executive_summary=""), Corrections())
    assert "## Corrections report" in text and "No corrections were needed." in text


# --- the registry ---------------------------------------------------------------------------


def test_registry_knows_the_formats() -> None:
    assert {"docx", "epub", "html", "pdf"} <= set(REGISTRY)
    assert {renderer(name).suffix for name in FORMATS} == {".docx", ".epub", ".html"}


def test_registry_refuses_duplicates() -> None:
    class Another(Renderer):
        name = "html"
        suffix = ".htm"

    with pytest.raises(ValueError, match="already registered"):
        register(Another)
    assert REGISTRY["html"] is not Another


def test_unknown_format_is_an_error_naming_the_known_ones() -> None:
    with pytest.raises(KeyError, match="docx, epub, html, pdf"):
        renderer("odt")


def test_dates_give_a_deterministic_epoch() -> None:
    assert parse_date("21 June 2010 Hotel Bloom 35, Rue Royale 250 Brussels").isoformat() == "2010-06-21"
    assert parse_date("June 21-22, 2010").isoformat() == "2010-06-21"
    assert parse_date("2011-03-04").isoformat() == "2011-03-04"
    assert parse_date("no date here") is None
    assert source_date_epoch("21 June 2010") == 1277121600
    assert source_date_epoch("") == source_date_epoch("undated")


# --- DOCX -----------------------------------------------------------------------------------


def test_docx_opens_with_headings_and_properties(outputs: dict[str, Path]) -> None:
    document = docx.Document(str(outputs["docx"]))
    styles = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2"} <= styles
    properties = document.core_properties
    assert properties.title == "Expert Roundtable on Social Aspects of Migration"
    assert properties.language == "en-GB"
    assert properties.author == "EuropeAid; ICMPD"


def test_docx_headings_never_skip_a_level(outputs: dict[str, Path]) -> None:
    document = docx.Document(str(outputs["docx"]))
    levels = [int(p.style.name.split()[-1]) for p in document.paragraphs if p.style.name.startswith("Heading ")]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


def test_docx_has_real_footnotes(outputs: dict[str, Path]) -> None:
    body = read_zip(outputs["docx"], "word/document.xml")
    notes = read_zip(outputs["docx"], "word/footnotes.xml")
    assert body.count("<w:footnoteReference") == 2
    assert "The views are not those of the EC." in notes
    assert "See the UN convention." in notes


def test_docx_tables_repeat_their_header_row(outputs: dict[str, Path]) -> None:
    document = docx.Document(str(outputs["docx"]))
    assert len(document.tables) == 3  # participants, the annex's table, corrections
    for table in document.tables:
        first_row = table.rows[0]._tr
        assert first_row.find(f"{W}trPr/{W}tblHeader") is not None
        assert table.rows[0].cells[0].text in {"Name", "Country", "Before"}


def test_docx_has_a_toc_field_and_the_reference_styles(outputs: dict[str, Path]) -> None:
    body = read_zip(outputs["docx"], "word/document.xml")
    styles = read_zip(outputs["docx"], "word/styles.xml")
    root = etree.fromstring(body.encode("utf-8"))
    assert [t.text for t in root.iter(f"{W}instrText")][0] == 'TOC \\o "1-1" \\h \\z \\u'
    assert 'w:styleId="SourceReference"' in styles
    assert '<w:rStyle w:val="SourceReference"' in body


def test_docx_contents_entries_are_written_in_and_link_to_their_headings(outputs: dict[str, Path]) -> None:
    root = etree.fromstring(read_zip(outputs["docx"], "word/document.xml").encode("utf-8"))
    toc = root.find(f".//{W}sdt/{W}sdtContent")
    entries = [p for p in toc.findall(f"{W}p") if p.find(f"{W}hyperlink") is not None]
    texts = ["".join(t.text for t in p.iter(f"{W}t")) for p in entries]
    assert texts[:3] == ["Key messages", "About this pack", "Keynote Speaker Dr. Rachel Sabates-Wheeler"]
    assert "Panel I: Families Back Home" in texts and "Corrections report" in texts
    bookmarks = {b.get(f"{W}name") for b in root.iter(f"{W}bookmarkStart")}
    assert all(p.find(f"{W}hyperlink").get(f"{W}anchor") in bookmarks for p in entries)
    chars = [c.get(f"{W}fldCharType") for c in toc.iter(f"{W}fldChar")]
    assert chars == ["begin", "separate", "end"]  # the entries are the field's result


def test_docx_page_setup_header_footer_and_cover(outputs: dict[str, Path]) -> None:
    root = etree.fromstring(read_zip(outputs["docx"], "word/document.xml").encode("utf-8"))
    section = root.find(f"{W}body/{W}sectPr")
    size = section.find(f"{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11900", "16840")  # A4 when the source's size is unknown
    assert section.find(f"{W}titlePg") is not None  # no header or footer on the cover
    assert [e.tag.split("}")[1] for e in section][:2] == ["headerReference", "footerReference"]
    assert "Expert Roundtable on Social Aspects of Migration" in read_zip(outputs["docx"], "word/header1.xml")
    assert "PAGE" in read_zip(outputs["docx"], "word/footer1.xml")
    breaks = [p for p in root.iter(f"{W}p") if p.find(f"{W}pPr/{W}pageBreakBefore") is not None]
    assert "".join(breaks[0].itertext()) == "Contents" and "".join(breaks[1].itertext()) == "Key messages"


def test_docx_uses_the_source_page_size(tmp_path: Path) -> None:
    report, briefs, corrections = make_inputs()
    document = report.document.model_copy(update={"metadata": {"page_width": "612", "page_height": "792"}})
    markdown = compose_markdown(report.model_copy(update={"document": document}), briefs, corrections)
    path = render_pack(markdown, tmp_path, "letter", ["docx"], DEFAULT_TEMPLATES)[0]
    size = etree.fromstring(read_zip(path, "word/document.xml").encode("utf-8")).find(f".//{W}pgSz")
    assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("12240", "15840")


def test_docx_rows_do_not_split_and_columns_fit_their_words(outputs: dict[str, Path]) -> None:
    root = etree.fromstring(read_zip(outputs["docx"], "word/document.xml").encode("utf-8"))
    for table in root.iter(f"{W}tbl"):
        assert all(row.find(f"{W}trPr/{W}cantSplit") is not None for row in table.findall(f"{W}tr"))
        widths = [int(c.get(f"{W}w")) for c in table.find(f"{W}tblGrid")]
        assert table.find(f"{W}tblPr/{W}tblLayout").get(f"{W}type") == "fixed"
        for row in table.findall(f"{W}tr"):
            for cell, width in zip(row.findall(f"{W}tc"), widths):
                longest = max((len(w) for w in "".join(cell.itertext()).split()), default=0)
                assert width >= longest * 100, (longest, width)  # ~5 pt a character at 10-11 pt


def test_docx_shows_hostile_text_as_text(outputs: dict[str, Path]) -> None:
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in read_zip(outputs["docx"], "word/document.xml")


# --- EPUB -----------------------------------------------------------------------------------


def test_epub_container_and_package(outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(outputs["epub"]) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
        assert archive.read("mimetype") == b"application/epub+zip"
        opf_path = etree.fromstring(archive.read("META-INF/container.xml")).find(
            ".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        opf = etree.fromstring(archive.read(opf_path))
    ns = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
    assert opf.findtext(".//dc:language", namespaces=ns) == "en-GB"
    assert opf.findtext(".//dc:title", namespaces=ns) == "Expert Roundtable on Social Aspects of Migration"
    assert opf.findtext(".//dc:identifier", namespaces=ns).startswith("urn:uuid:")
    summary = opf.find(".//opf:meta[@property='schema:accessibilitySummary']", ns)
    assert summary is not None and "WCAG" in summary.text
    nav = opf.find(".//opf:item[@properties='nav']", ns)
    assert nav is not None


def test_epub_nav_lists_the_sections(outputs: dict[str, Path]) -> None:
    nav = read_zip(outputs["epub"], "EPUB/nav.xhtml")
    for title in ("Key messages", "Panel I: Families Back Home", "Annex: full report", "Corrections report"):
        assert title in nav


def test_epub_has_no_script_elements(outputs: dict[str, Path]) -> None:
    pages = epub_xhtml(outputs["epub"])
    assert any("&lt;script&gt;alert(1)&lt;/script&gt;" in text for text in pages.values())
    for name, text in pages.items():
        tree = etree.fromstring(text.encode("utf-8"))
        assert not tree.xpath("//*[local-name()='script']"), name


# --- HTML -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(outputs: dict[str, Path]) -> html.HtmlElement:
    return html.fromstring(outputs["html"].read_bytes())


def test_html_language_and_single_h1(page: html.HtmlElement) -> None:
    assert page.get("lang") == "en-GB"
    assert len(page.xpath("//h1")) == 1
    assert page.xpath("//h1")[0].text_content() == "Expert Roundtable on Social Aspects of Migration"


def test_html_headings_never_skip_a_level(page: html.HtmlElement) -> None:
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels


def test_html_landmarks_and_skip_link(page: html.HtmlElement) -> None:
    assert len(page.xpath("//main[@id='main']")) == 1
    assert page.xpath("//body/header") and page.xpath("//body/footer") and page.xpath("//nav[@id='TOC']")
    first_link = page.xpath("//body//a")[0]
    assert first_link.get("href") == "#main" and "skip" in first_link.text_content().lower()


def test_html_is_one_file_without_scripts(page: html.HtmlElement) -> None:
    assert not page.xpath("//script")
    assert not page.xpath("//link[@rel='stylesheet']")
    style = " ".join(page.xpath("//style/text()"))
    assert "nav#TOC li { margin: 0.35em 0; }" in style
    assert "@media print" in style


def test_html_footnotes_link_both_ways(page: html.HtmlElement) -> None:
    refs = page.xpath("//a[@role='doc-noteref']")
    backs = page.xpath("//a[@role='doc-backlink']")
    assert len(refs) == len(backs) == 2
    for ref, back in zip(refs, backs):
        assert page.xpath(f"//*[@id='{ref.get('href')[1:]}']")
        assert back.get("href") == "#" + ref.get("id")


def test_html_shows_hostile_text_as_text(page: html.HtmlElement, outputs: dict[str, Path]) -> None:
    assert SCRIPT in page.text_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in outputs["html"].read_text(encoding="utf-8")


def test_html_tables_have_header_rows_and_captions(page: html.HtmlElement) -> None:
    tables = page.xpath("//main//table")
    assert len(tables) == 3
    for table in tables:
        assert table.xpath("./thead/tr/th")
        assert {th.get("scope") for th in table.xpath("./thead/tr/th")} == {"col"}
    captions = [c.text_content() for c in page.xpath("//caption")]
    assert "Participants (2)" in captions


# --- determinism and goldens ----------------------------------------------------------------


def test_two_renders_give_identical_bytes(markdown: str, outputs: dict[str, Path], tmp_path: Path) -> None:
    again = render_pack(markdown, tmp_path, "pack", FORMATS, DEFAULT_TEMPLATES)
    for path in again:
        first = outputs[path.suffix[1:]]
        assert sha256(path) == sha256(first), path.name


def test_normalise_zip_gives_pretty_xml_members(outputs: dict[str, Path]) -> None:
    members = normalise_zip(outputs["docx"])
    assert "word/document.xml" in members and "\n  <w:body>" in members["word/document.xml"]
    epub = normalise_zip(outputs["epub"])
    assert epub["mimetype"] == "application/epub+zip"
    assert list(epub) == sorted(epub)


def test_hostile_metadata_and_empty_sections_render(tmp_path: Path) -> None:
    report = Report(
        title=f"R&D {SCRIPT} [x]{{#id}}",
        date="",
        organisers=[f"{SCRIPT} Ltd"],
        language="en-US",
        document=Document(blocks=[]),
    )
    markdown = compose_markdown(report, Briefs(executive_summary=""), Corrections())
    paths = render_pack(markdown, tmp_path, "empty", FORMATS, DEFAULT_TEMPLATES)
    page = html.fromstring(paths[2].read_bytes())
    assert page.get("lang") == "en-US"
    assert not page.xpath("//script")
    assert page.xpath("//h1")[0].text_content() == f"R&D {SCRIPT} [x]{{#id}}"
    assert page.xpath("//title")[0].text_content() == f"R&D {SCRIPT} [x]{{#id}}"
    assert docx.Document(str(paths[0])).core_properties.title == f"R&D {SCRIPT} [x]{{#id}}"
    for name, text in epub_xhtml(paths[1]).items():
        assert not etree.fromstring(text.encode("utf-8")).xpath("//*[local-name()='script']"), name


def test_key_messages_say_who_when_where_why_and_the_bottom_line(markdown: str) -> None:
    box = markdown.split("## Key messages", 1)[1].split("\n## ", 1)[0]
    assert "::: {.key-messages}" in box
    for label, value in (("Organised by", "EuropeAid; ICMPD"), ("When", "21 June 2010"), ("Where", "Hotel Bloom, Brussels"),
                         ("Participants", "2 (listed in [Participants](#pack-participants))")):
        assert f"{label}\n:   {value}" in box
    assert "Why\n:   The aim of the event was to look beyond remittances. [(p. 1)]" in box
    assert "- Protect children left behind \\<script\\>alert(1)\\</script\\>. [(p. 4)]" in box


def test_about_text_says_only_what_the_pack_contains() -> None:
    report, briefs, corrections = make_inputs()
    text = compose_markdown(report, briefs, corrections)
    about = text.split("## About this pack", 1)[1].split("\n## ", 1)[0]
    assert "a brief of each of its 3 sessions" in about and "the list of participants" in about
    bare = compose_markdown(
        report.model_copy(update={"participants": [], "recommendations": []}),
        Briefs(executive_summary=""),
        Corrections(),
    )
    about = bare.split("## About this pack", 1)[1].split("\n## ", 1)[0]
    for absent in ("a brief of", "participants", "recommendations", "key messages", "record of the spelling"):
        assert absent not in about, absent
    assert "no spelling corrections were needed" in about


def test_corrections_report_shows_the_sentence_before_and_after_with_readable_rules(markdown: str) -> None:
    table = markdown.split("## Corrections report", 1)[1]
    assert "| Before | After | Rule | Applied | Page |" in table
    assert "| They **recieve** help. | They **receive** help. | Spelling | yes |" in table
    assert "Confused words (then / than)" == rule_name("then-than")
    assert rule_name("blocked:then-than").endswith("not applied by rule")


def test_corrections_link_to_the_spot_in_the_annex() -> None:
    report, briefs, corrections = make_inputs()
    fixed = corrections.model_copy(update={"corrections": [
        corrections.corrections[0].model_copy(update={"block": 7, "sentence": "Rights apply to all migrants."}),
    ]})
    text = compose_markdown(report, briefs, fixed)
    annex = text.split("## Annex: full report", 1)[1].split("## Corrections report", 1)[0]
    assert "[]{#pack-fix-7}Rights apply to all migrants." in annex
    assert "| [2](#pack-fix-7) |" in text.split("## Corrections report", 1)[1]


def test_participants_read_title_given_surname() -> None:
    listed = Participant(name="Dr D'Cunha Jean", organisation="UNIFEM", surname="D'Cunha", given_name="Jean")
    assert display_name(listed) == "Dr Jean D'Cunha"
    assert display_name(Participant(name="Aerts Marij", surname="Aerts", given_name="Marij")) == "Marij Aerts"
    assert display_name(Participant(name="Marij Aerts")) == "Marij Aerts"


def test_quality_notes_list_what_the_tool_doubts_with_a_severity() -> None:
    report, briefs, corrections = make_inputs()
    issue = Issue(stage="structure", kind="person-mismatch", page=2,
                  message="Panel I panellist 'Margaret Wachenfeld' is listed as 'Wachenfeld M.' in the participants' list")
    notes = quality_notes(report.model_copy(update={"issues": [issue]}), briefs, corrections)
    titles = {n.title: n for n in notes}
    assert titles["Name spelt two ways"].severity == "warning" and titles["Name spelt two ways"].page == 2
    assert titles["Suggestions not applied"].severity == "info" and "asses" in titles["Suggestions not applied"].message
    assert "Speaker without a summary sentence" in titles  # Flavia Piperno has no point of her own
    empty = quality_notes(report.model_copy(update={"panels": [], "keynote_section": None, "participants": []}),
                          Briefs(executive_summary=""), Corrections())
    assert [(n.severity, n.title) for n in empty][:2] == [("error", "No sessions found"), ("warning", "Participants not parsed")]
    text = compose_markdown(report.model_copy(update={"issues": [issue]}), briefs, corrections)
    assert "- **Warning: Name spelt two ways** (p. 2)." in text.split("## Quality notes", 1)[1]


def test_epub_note_references_are_superscripts(outputs: dict[str, Path]) -> None:
    pages = epub_xhtml(outputs["epub"])
    references = [a for text in pages.values() for a in etree.fromstring(text.encode("utf-8")).iter("{*}a")
                  if a.get("{http://www.idpf.org/2007/ops}type") == "noteref"]
    assert references and all(a[0].tag.endswith("sup") and a[0].text for a in references)


# --- the print PDF (WeasyPrint) -----------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf(markdown: str, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_pack(markdown, tmp_path_factory.mktemp("pdf"), "pack", ["pdf"], DEFAULT_TEMPLATES)[0]


def test_pdf_has_a_cover_contents_with_page_numbers_and_running_heads(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        pages = [p.extract_text() or "" for p in document.pages]
        size = (round(document.pages[0].width), round(document.pages[0].height))
    assert size == (595, 842)  # A4 when the source's size is unknown
    assert len(pages) >= 6
    assert " ".join(pages[0].split()).startswith("Expert Roundtable on Social Aspects") and "Page " not in pages[0]
    contents = pages[1].splitlines()
    assert contents[0] == "Expert Roundtable on Social Aspects of Migration" and contents[1] == "Contents"
    assert re.search(r"^Key messages\.+ ?3$", pages[1], re.MULTILINE)
    assert contents[-1] == f"Page 2 of {len(pages)}"
    assert all(p.splitlines()[-1] == f"Page {n} of {len(pages)}" for n, p in enumerate(pages[1:], start=2))


def test_pdf_notes_sit_at_the_foot_of_the_page_that_calls_them(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            text = page.extract_text() or ""
            if "The views are not those of the EC." in text:
                note = page.search("The views are not those of the EC.")[0]
                assert "migration & development." in text  # the calling paragraph, same page
                assert note["top"] > page.height * 0.75
                break
        else:
            raise AssertionError("note 1 not found")


def test_pdf_links_are_clickable_and_fonts_embedded(pdf: Path) -> None:
    with pdfplumber.open(pdf) as document:
        links = [a for p in document.pages for a in p.annots]
    assert len(links) >= 10  # the Contents entries and the page links of the corrections
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    assert fonts and all(line.split()[-5] == "yes" for line in fonts), fonts  # the "emb" column


def test_pdf_rebuild_gives_identical_bytes(markdown: str, pdf: Path, tmp_path: Path) -> None:
    again = render_pack(markdown, tmp_path, "pack", ["pdf"], DEFAULT_TEMPLATES)[0]
    assert sha256(again) == sha256(pdf)


def test_annex_participants_table_gets_a_header_row_instead_of_its_first_participant() -> None:
    report, briefs, corrections = make_inputs()
    table = Block(kind="table", rows=[["Margaret Wachenfeld", "UNICEF Brussels"], ["Flavia Piperno", "CeSPI"]],
                  source=SourceRef(page=5))
    document = report.document.model_copy(update={"blocks": [*report.document.blocks, table]})
    text = compose_markdown(report.model_copy(update={"document": document}), briefs, corrections)
    annex = text.split("## Annex: full report", 1)[1].split("## Corrections report", 1)[0]
    assert "| Name | Organisation |\n|---|---|\n| Margaret Wachenfeld | UNICEF Brussels |" in annex
    assert "| Country | Migrants |\n|---|---|\n| Belgium | 1\\.2m |" in annex  # a table with its own header stays
