"""The typo stage: general rules on text no rule was written from, keeping out, scale, errata.

The calibration texts (tests/fixtures/typos/, real workshop reports) get errors planted by
benchmarks/typos.py; the floors below are asserted on them, never on the sample.
"""

from __future__ import annotations

import random

import pytest

from benchmarks.typos import paragraphs, planted_texts, score
from tasks.errors import SourceError, TooManyUnknownWords
from tasks.model import Block, Correction, Document, Footnote, Inline, SourceRef
from tasks.names import is_name_token
from tasks.typos import BadErrata, correct, detect_variety, load_errata


def doc(*paragraphs: str, page: int = 1) -> Document:
    return Document(
        blocks=[Block(kind="paragraph", inlines=[Inline(text=p)], source=SourceRef(page=page)) for p in paragraphs]
    )


def fixes(text: str, language: str = "auto", protected: set[str] | None = None, **kwargs) -> list[Correction]:
    return correct(doc(text), protected or set(), language, **kwargs)[1].corrections


def corrected_text(text: str, language: str = "auto", protected: set[str] | None = None, **kwargs) -> str:
    return correct(doc(text), protected or set(), language, **kwargs)[0].blocks[0].text


def applied(text: str, **kwargs) -> list[tuple[str, str]]:
    return [(c.original, c.replacement) for c in fixes(text, **kwargs) if c.applied]


# --- each rule kind, on sentences written for these tests ------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The archive stores the the raw files of each survey.", "stores the raw files"),
        ("Volunteers maintain the librray in the evenings.", "maintain the library"),
        ("The board has not yet recieved the audit.", "not yet received the audit"),
        ("Each chapter describes the enviroment of the field station.", "describes the environment"),
        ("Funding will be avialable next spring.", "will be available next"),
    ],
)
def test_confident_corrections_are_applied(text: str, expected: str) -> None:
    assert expected in corrected_text(text)


@pytest.mark.parametrize(
    "text, original, replacement",
    [
        ("Rainfall was much higher then usual in the valley.", "then", "than"),
        ("Farmers worry that they will loose money this season.", "loose", "lose"),
        ("The drought had a negative affect on yields.", "affect", "effect"),
    ],
)
def test_real_word_confusions_are_found(text: str, original: str, replacement: str) -> None:
    """Found from bigram context, applied or suggested by the calibrated confidence."""
    assert (original, replacement) in {(c.original, c.replacement) for c in fixes(text)}


def test_correction_records_where_and_why() -> None:
    text = "Storage is cheap. The librray opens at nine."
    (c,) = fixes(text)
    assert (c.original, c.replacement, c.rule, c.applied) == ("librray", "library", "spelling", True)
    assert text[c.start : c.end] == "librray" and c.page == 1 and c.block == 0
    assert c.sentence == "The librray opens at nine." and c.confidence >= 0.9


def test_threshold_decides_what_is_applied() -> None:
    text = "The librray opens at nine."
    assert corrected_text(text, threshold=1.0) == text
    assert [c.applied for c in fixes(text, threshold=1.0)] == [False]


def test_footnotes_are_corrected() -> None:
    note = Footnote(id="1", marker="1", inlines=[Inline(text="The the figures come from a survey.")],
                    source=SourceRef(page=3))
    fixed, found = correct(Document(blocks=[], footnotes=[note]), set())
    assert fixed.footnotes[0].text == "The figures come from a survey."
    assert found.corrections[0].footnote == "1" and found.corrections[0].page == 3


def test_correction_across_inlines_is_recorded_not_applied() -> None:
    inlines = [Inline(text="Volunteers maintain the lib"), Inline(text="rray daily.", bold=True)]
    document = Document(blocks=[Block(kind="paragraph", inlines=inlines, source=SourceRef(page=2))])
    fixed, found = correct(document, set())
    assert fixed.blocks[0].inlines == inlines
    assert [(c.replacement, c.applied) for c in found.corrections] == [("library", False)]


def test_correction_inside_bold_inline_keeps_formatting() -> None:
    inlines = [Inline(text="Visit the "), Inline(text="librray", bold=True), Inline(text=" on Mondays.")]
    document = Document(blocks=[Block(kind="paragraph", inlines=inlines, source=SourceRef(page=2))])
    fixed, _ = correct(document, set())
    assert fixed.blocks[0].inlines[1] == Inline(text="library", bold=True)


# --- first, do no harm -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Her constant problems exasperated her colleagues.",
        "The committee met later then adjourned.",
        "The clerk waved the fees notice at the crowd.",
    ],
)
def test_correct_sentences_stay_unchanged(text: str) -> None:
    assert corrected_text(text) == text
    assert not [c for c in fixes(text) if not c.rule.startswith("discarded:")]


def test_french_paragraph_gets_no_applied_correction() -> None:
    french = (
        "Nous nous sommes réunis pour discuter de la politique comme exemple de la coopération. "
        "Le rapport présente les résultats des ateliers et les recommandations du comité."
    )
    fixed, found = correct(doc(french), set())
    assert fixed.blocks[0].text == french and not any(c.applied for c in found.corrections)
    assert [i.kind for i in fixed.issues] == ["not-english"]


def test_french_paragraph_in_an_english_report_is_left_alone() -> None:
    english = "The workshop brought together librarians and archivists from many countries to compare notes."
    french = "Nous nous sommes réunis pour discuter de la politique comme exemple de la coopération européenne."
    fixed, found = correct(doc(english, english.replace("librarians", "teachers"), french), set())
    assert fixed.blocks[2].text == french and found.corrections == []


@pytest.mark.parametrize(
    "text",
    [
        "Write to first.last@example.org or see https://example.org/docs/setup.html today.",
        "The service at papeo.app stores its settings in /etc/passwd and C:\\Users\\data.",
        "Call parseDocument with max_unknown_words set, then import numpy.linalg in version 2.1.0rc1.",
    ],
)
def test_urls_emails_paths_and_code_are_untouched(text: str) -> None:
    assert corrected_text(text) == text
    assert not any(c.applied for c in fixes(text))


@pytest.mark.parametrize("word", ["linter", "cmake", "batched"])
def test_technical_terms_stay(word: str) -> None:
    text = f"The team ran the {word} step on every change before release."
    assert corrected_text(text) == text


def test_hyphen_split_fragments_stay() -> None:
    text = "The def-inition of the term is given in the glossary."
    assert corrected_text(text) == text
    assert all(c.rule.startswith("discarded:hyphen-fragment") for c in fixes(text))


def test_fragments_of_decomposed_accents_stay() -> None:
    text = "The survey team thanks Sabine Ke¨ttler for the maps."
    assert corrected_text(text) == text
    assert [c.rule for c in fixes(text)] == ["discarded:fragment:spelling"]


def test_second_half_of_a_word_broken_across_columns_stays() -> None:
    text = "Volunteers sorted the files la-Table 2 Survey sites beled by hand in May."
    assert corrected_text(text) == text
    assert [c.rule for c in fixes(text)] == ["discarded:hyphen-fragment:spelling"]


def test_table_rows_and_interleaved_columns_are_not_prose() -> None:
    text = "Costs Staffing and and travel  and equipment totals"
    assert corrected_text(text) == text
    assert [c.rule for c in fixes(text)] == ["discarded:not-prose:repeated-word"]


def test_repeated_word_needs_one_line_and_whole_words() -> None:
    for text in ("The tool checks in an an-notation layer.", "Far far away.", "They had had enough."):
        assert corrected_text(text) == text
    assert corrected_text("The list of of results grew.") == "The list of results grew."


def test_british_and_american_spellings_are_both_words() -> None:
    british = "The programme centre supports labour organisation and the colour of local behaviour."
    american = "The program center supports labor organization and the color of local behavior."
    assert corrected_text(british) == british and corrected_text(american) == american
    assert detect_variety([british]) == "en-GB" and detect_variety([american]) == "en-US"


def test_candidates_keep_the_documents_variety() -> None:
    assert corrected_text("The colur of the map is wrong.", "en-GB") == "The colour of the map is wrong."
    assert corrected_text("The colur of the map is wrong.", "en-US") == "The color of the map is wrong."


def test_names_found_elsewhere_in_the_document_are_kept() -> None:
    text = "The talk by Kelmar was short. Kelmar said the results were clear."
    assert corrected_text(text) == text


def test_a_spelling_used_twice_is_meant_and_recorded_as_discarded() -> None:
    text = "The thermometr measures flow. Each thermometr is calibrated."
    fixed, found = correct(doc(text), set())
    assert fixed.blocks[0].text == text
    assert found.corrections and all(c.rule.startswith("discarded:repeated-in-document") for c in found.corrections)


def test_given_names_are_protected_and_recorded() -> None:
    text = "The panel heard Dr Jon Hte. Hte said that the librray was closed."
    fixed, found = correct(doc(text), {"Jon", "Hte"})
    assert fixed.blocks[0].text == "The panel heard Dr Jon Hte. Hte said that the library was closed."


def test_name_tokens_are_capitalised_words_and_acronyms_never_function_words() -> None:
    assert [w for w in "Ministry of Labour for the UNHCR to Ann".split() if is_name_token(w)] == [
        "Ministry", "Labour", "UNHCR", "Ann"
    ]


def test_no_candidate_is_dropped_silently() -> None:
    """A candidate that the keep-out rules stop is still in corrections.json, with its reason."""
    text = "See librray.papeo.app for the stattion schedule."
    found = fixes(text)
    assert {(c.original, c.rule) for c in found} == {
        ("librray", "discarded:code:spelling"), ("papeo", "discarded:code:spelling"), ("stattion", "spelling")
    }


# --- scale --------------------------------------------------------------------------------


def test_ten_thousand_unknown_words_fail_on_the_budget_without_looking_them_all_up() -> None:
    rng = random.Random(7)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(8)) for _ in range(10_000)]
    text = " ".join(f"The team reviewed the {word} report and wrote a short summary of the findings." for word in words)
    with pytest.raises(TooManyUnknownWords, match="more than 500 distinct unknown words .*max_unknown_words") as failure:
        correct(doc(text), set(), language="en-GB", max_unknown_words=500)
    assert failure.value.exit_code == 15


def test_unknown_words_of_a_foreign_passage_do_not_count() -> None:
    text = ("Les participants ont examiné les résultats préliminaires et proposé une méthodologie commune "
            "pour la collecte des données, avec des indicateurs harmonisés.")
    fixed, _ = correct(doc(text), set(), language="en-GB", max_unknown_words=1)
    assert fixed.blocks[0].text == text


# --- recall and precision floors on the calibration texts ----------------------------------


@pytest.fixture(scope="module")
def calibration_figures() -> dict[str, float]:
    texts = paragraphs()
    planted, keys = planted_texts(texts)
    return score(planted, keys)


def test_recall_and_precision_floors_on_calibration_texts(calibration_figures) -> None:
    assert calibration_figures["planted"] >= 80
    assert calibration_figures["precision (applied)"] >= 0.95  # measured 1.00
    assert calibration_figures["recall (applied)"] >= 0.45  # measured 0.49: a doubled content word is only recorded


def test_clean_calibration_texts_are_left_alone() -> None:
    texts = paragraphs()
    fixed, found = correct(doc(*texts), set())
    assert sum(c.applied for c in found.corrections) == 0  # measured: 0 applied, 3 suggested


# --- errata -------------------------------------------------------------------------------


def test_load_errata_toml_and_yaml(tmp_path) -> None:
    toml = tmp_path / "report.errata.toml"
    toml.write_text('never_change = ["asses"]\n[replacements]\n"Roundtabel" = "Roundtable"\n', encoding="utf-8")
    yml = tmp_path / "report.errata.yaml"
    yml.write_text("replacements:\n  Roundtabel: Roundtable\nnever_change:\n  - asses\n", encoding="utf-8")
    for path in (toml, yml):
        errata = load_errata(path)
        assert errata.replacements == {"Roundtabel": "Roundtable"} and errata.never_change == {"asses"}


def test_errata_applied_first_and_beats_rules(tmp_path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text("replacements:\n  librray: reading room\n  ICMPDD: ICMPD\n", encoding="utf-8")
    fixed, found = correct(doc("The librray of ICMPDD opens."), set(), errata=load_errata(path))
    assert fixed.blocks[0].text == "The reading room of ICMPD opens."
    assert all(c.applied == (c.rule == "errata") for c in found.corrections)


def test_never_change_blocks_automatic_rules(tmp_path) -> None:
    path = tmp_path / "e.toml"
    path.write_text('never_change = ["librray"]\n', encoding="utf-8")
    text = "The librray opens."
    fixed, found = correct(doc(text), set(), errata=load_errata(path))
    assert fixed.blocks[0].text == text and [c.rule for c in found.corrections] == ["blocked:spelling"]


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("e.toml", b'[replacements\n"a" = "b"\n', "not valid TOML"),
        ("e.toml", b'x = 1\n[replacements]\n"a" = \n', "line 3"),
        ("e.yaml", b"replacements:\n  a: [b\n", "not valid YAML at line"),
        ("e.yaml", b"replacements: \xff\xfe\n", "not UTF-8"),
        ("e.yaml", b"- just\n- a list\n", "needs a `replacements` table"),
        ("e.yaml", b"replacements:\n  a: " + b"b" * 300 + b"\n", "over 200 characters"),
        ("e.yaml", b"# " + b"x" * 200_000 + b"\n", "over the limit"),
    ],
)
def test_bad_errata_is_one_input_error_naming_the_file(tmp_path, name, content, message) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BadErrata) as raised:
        load_errata(path)
    assert isinstance(raised.value, SourceError) and str(path) in str(raised.value)
    assert message in str(raised.value) and "\n" not in str(raised.value)
