"""Summary quality on the sample: every key point is faithful to the block it cites, every
person named is spelt as in the report, and ROUGE-1 against the hand-written references
(tests/fixtures/reference-summaries/) does not fall below a floor set just under the
measured value, so a ranking regression fails. Needs `rouge-score` (a test dependency).
The numbers and how to reproduce them: docs/summariser.md, "Evaluation".
"""

from __future__ import annotations

import pytest

from benchmarks.summaries import (
    REFERENCES,
    SAMPLE,
    Sample,
    brief_text,
    build,
    key_points_text,
    cited_block,
    is_deterministic,
    load_references,
    person_checks,
    quoted_checks,
    reference_name,
    report_people,
    rouge_f1,
)
from tasks.brief import content_words

# Measured ROUGE-1 F1 (docs/summariser.md) less about 0.025: a floor, not a target.
ROUGE1_FLOOR = {
    "keynote": 0.45,  # measured 0.475
    "panel-I": 0.42,  # measured 0.448
    "panel-II": 0.41,  # measured 0.435
    "panel-III": 0.42,  # measured 0.452
    "panel-IV": 0.44,  # measured 0.467
    "executive": 0.37,  # measured 0.400
}
# Most of a brief's words are its aim, outcomes and recommendations, which the ranking does not
# choose: the key points alone show a ranking regression (reversing the ranking drops this to 0.28).
KEY_POINTS_ROUGE1_FLOOR = 0.37  # mean over keynote and panels, measured 0.395


@pytest.fixture(scope="module")
def sample() -> Sample:
    return build(SAMPLE)


@pytest.fixture(scope="module")
def references() -> dict[str, str]:
    return load_references(REFERENCES / "roundtable-2010")


def test_references_are_written_for_every_brief(sample, references):
    expected = {reference_name(b) for b in sample.briefs.briefs} | {"executive"}
    assert set(references) == expected == set(ROUGE1_FLOOR)
    for name, text in references.items():
        assert 80 <= len(text.split()) <= 200, name


def test_every_key_point_uses_only_words_of_its_cited_block(sample):
    points = [(b.panel, k) for b in sample.briefs.briefs for k in b.key_points]
    points += [("executive", k) for k in sample.briefs.summary_points]
    assert points
    for brief, point in points:
        block = cited_block(sample.report, point.source).text
        missing = set(content_words(point.text)) - set(content_words(block))
        assert not missing, f"{brief} {point.source}: {sorted(missing)} not in the cited block"
        assert " ".join(point.text.split()) in " ".join(block.split()), f"{brief} {point.source}: not verbatim"


def test_aims_outcomes_and_recommendations_are_quoted_from_the_report(sample):
    unquoted = [(brief, text) for brief, text, quoted in quoted_checks(sample) if not quoted]
    assert not unquoted


def test_speakers_and_chairs_are_report_people_spelt_as_in_the_report(sample):
    people = report_people(sample.report)
    checks = person_checks(sample)
    assert len(checks) == sum(len(b.speakers) + (b.chair is not None) for b in sample.briefs.briefs) > 0
    for brief in sample.briefs.briefs:
        for person in [*brief.speakers, *([brief.chair] if brief.chair else [])]:
            assert person in people, person
    for check in checks:
        assert check.in_text, f"{check.name} ({check.brief}) is not spelt as in the report's text"


def test_briefs_are_deterministic(sample):
    assert is_deterministic(sample)


def test_rouge1_does_not_fall_below_its_floor(sample, references):
    texts = {reference_name(b): brief_text(b) for b in sample.briefs.briefs}
    texts["executive"] = sample.briefs.executive_summary
    scores = {name: rouge_f1(texts[name], references[name])["rouge1"] for name in ROUGE1_FLOOR}
    below = {name: round(score, 3) for name, score in scores.items() if score < ROUGE1_FLOOR[name]}
    assert not below, f"ROUGE-1 F1 below its floor: {below} (floors {ROUGE1_FLOOR})"


def test_key_points_rouge1_does_not_fall_below_its_floor(sample, references):
    scores = [rouge_f1(key_points_text(b), references[reference_name(b)])["rouge1"] for b in sample.briefs.briefs]
    assert sum(scores) / len(scores) >= KEY_POINTS_ROUGE1_FLOOR, [round(s, 3) for s in scores]


def test_rouge_scores_a_copy_of_the_reference_as_perfect(references):
    """The scorer is wired the right way round and needs no downloaded data."""
    text = references["panel-I"]
    assert rouge_f1(text, text) == pytest.approx({"rouge1": 1.0, "rouge2": 1.0, "rougeL": 1.0})
