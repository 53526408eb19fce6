"""ROUGE and faithfulness of briefpack's briefs on the sample report.

    PYTHONPATH=. .venv/bin/python benchmarks/summaries.py [PDF] [--references DIR]

Builds the briefs with the pure stages (extract_pages -> clean -> structure ->
keynote_passage/panel_passage -> brief_panel -> summarise), then:

* scores each brief, and a lead-3 baseline (the first three sentences of the
  panel's text), against a hand-written reference summary with ROUGE-1/2/L F1
  (Google's `rouge-score`, Porter stemming, its own regex tokenizer: no downloads);
* checks faithfulness: the content words of every key point (and of every
  executive-summary point) are found in the block it cites, every outcome and
  recommendation is quoted from the report, and every person the brief names
  appears in the report with the same spelling.

References live in tests/fixtures/reference-summaries/<stem>/{keynote,panel-I,...,executive}.md.
The text scored for a brief is what its word budget counts: aim, key points,
outcomes and recommendations (the speakers' list is not prose and is left out).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.brief import (  # noqa: E402
    BACKGROUND_HEADING,
    PanelPassage,
    brief_panel,
    content_words,
    key_figures,
    keynote_passage,
    panel_passage,
    speaks,
    summarise,
)
from tasks.clean import clean  # noqa: E402
from tasks.extract import extract_pages  # noqa: E402
from tasks.model import Block, Brief, Briefs, Person, Report, SourceRef  # noqa: E402
from tasks.structure import split_sentences, structure  # noqa: E402

SAMPLE = ROOT / "tests" / "fixtures" / "roundtable-2010.pdf"
REFERENCES = ROOT / "tests" / "fixtures" / "reference-summaries"
ROUGE_TYPES = ("rouge1", "rouge2", "rougeL")
LEAD = 3


# --- building ---------------------------------------------------------------------------


@dataclass
class Sample:
    report: Report
    passages: list[PanelPassage]
    briefs: Briefs


def build(pdf: Path = SAMPLE) -> Sample:
    report = structure(clean(extract_pages(pdf)))
    return build_from_report(report)


def build_from_report(report: Report) -> Sample:
    passages = [p for p in [keynote_passage(report)] if p] + [panel_passage(report, p) for p in report.panels]
    briefs = summarise(report, [brief_panel(p) for p in passages])
    return Sample(report=report, passages=passages, briefs=briefs)


def reference_name(brief: Brief) -> str:
    """keynote.md, panel-I.md, ...: the file a brief's reference summary lives in (without .md)."""
    return "keynote" if brief.panel == "keynote" else f"panel-{brief.panel}"


def load_references(folder: Path) -> dict[str, str]:
    return {path.stem: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}


def brief_text(brief: Brief) -> str:
    """The prose of a brief, as its word budget counts it: aim, key points, outcomes, recommendations."""
    parts = [brief.aim, *(k.text for k in brief.key_points), *brief.outcomes, *brief.recommendations]
    parts += [f.context for f in brief.figures]
    return _flat(" ".join(p for p in parts if p))


def key_points_text(brief: Brief) -> str:
    """The key points alone: the part of a brief that the ranking chooses."""
    return _flat(" ".join(k.text for k in brief.key_points))


# --- baselines --------------------------------------------------------------------------


def lead_sentences(blocks: list[Block], count: int = LEAD) -> str:
    """The first `count` sentences of the paragraphs among `blocks` (headings, lists and tables skipped)."""
    sentences: list[str] = []
    for block in blocks:
        if block.kind == "paragraph":
            sentences += split_sentences(_flat(block.text))
        if len(sentences) >= count:
            break
    return " ".join(sentences[:count])


def lead_words(blocks: list[Block], words: int) -> str:
    """The fewest leading sentences of the paragraphs among `blocks` that reach `words` words (length-matched lead)."""
    for count in range(1, 1000):
        lead = lead_sentences(blocks, count)
        if len(lead.split()) >= words or lead == lead_sentences(blocks, count + 1):
            return lead
    return lead


def passage_blocks(passage: PanelPassage) -> list[Block]:
    return passage.blocks[1:]


def report_blocks(report: Report) -> list[Block]:
    """The report's text from its background section on (else from the start)."""
    background = next((s for s in report.sections if BACKGROUND_HEADING.search(s.title)), None)
    return report.document.blocks[background.first_block + 1 :] if background else report.document.blocks


# --- ROUGE ------------------------------------------------------------------------------


def rouge_f1(candidate: str, reference: str) -> dict[str, float]:
    """ROUGE-1/2/L F1 with Porter stemming (rouge-score's tokenizer: lower-case, [a-z0-9]+ tokens)."""
    from rouge_score import rouge_scorer  # a test/benchmark dependency only

    scorer = rouge_scorer.RougeScorer(list(ROUGE_TYPES), use_stemmer=True)
    scores = scorer.score(reference, candidate)
    return {kind: scores[kind].fmeasure for kind in ROUGE_TYPES}


@dataclass
class RougeRow:
    name: str
    words: int
    scores: dict[str, float]
    lead_words: int
    lead_scores: dict[str, float]
    reference_words: int
    matched_words: int = 0  # lead-N: leading sentences up to briefpack's length
    matched_scores: dict[str, float] = field(default_factory=dict)
    key_points_rouge1: float | None = None  # the key points alone: what the ranking chooses


def rouge_table(sample: Sample, references: dict[str, str]) -> list[RougeRow]:
    rows = []
    for brief, passage in zip(sample.briefs.briefs, sample.passages):
        name = reference_name(brief)
        if name in references:
            row = _row(name, brief_text(brief), passage_blocks(passage), references[name])
            row.key_points_rouge1 = rouge_f1(key_points_text(brief), references[name])["rouge1"]
            rows.append(row)
    if "executive" in references:
        summary = _flat(sample.briefs.executive_summary)
        rows.append(_row("executive", summary, report_blocks(sample.report), references["executive"]))
    return rows


def _row(name: str, text: str, source: list[Block], reference: str) -> RougeRow:
    lead = lead_sentences(source, LEAD)
    matched = lead_words(source, len(text.split()))
    return RougeRow(
        name=name,
        words=len(text.split()),
        scores=rouge_f1(text, reference),
        lead_words=len(lead.split()),
        lead_scores=rouge_f1(lead, reference),
        reference_words=len(reference.split()),
        matched_words=len(matched.split()),
        matched_scores=rouge_f1(matched, reference),
    )


# --- coverage ---------------------------------------------------------------------------


@dataclass
class Coverage:
    brief: str
    speakers: tuple[int, int]  # (named with a point of their own, panellists)
    outcomes: tuple[int, int]  # (kept, the panel's outcomes)
    figures: tuple[int, int]  # (in the brief, numbers with a unit in the panel's text)


def coverage(sample: Sample) -> list[Coverage]:
    """How much of each panel the brief carries: its speakers, its outcomes and its figures."""
    rows = []
    for brief, passage in zip(sample.briefs.briefs, sample.passages):
        text = brief_text(brief)
        outcomes = [_flat(o) for o in passage.panel.outcomes]
        figures = {f.value for f in key_figures(passage.blocks[1:], limit=10_000)}
        rows.append(
            Coverage(
                brief=reference_name(brief),
                speakers=(sum(any(speaks(k, p) for k in brief.key_points) for p in passage.panel.panellists),
                          len(passage.panel.panellists)),
                outcomes=(sum(any(kept in o for kept in brief.outcomes) for o in outcomes), len(outcomes)),
                figures=(sum(value in text for value in figures), len(figures)),
            )
        )
    return rows


def coverage_share(rows: list[Coverage]) -> dict[str, float]:
    """The share of speakers, outcomes and figures present, over all briefs."""
    shares = {}
    for kind in ("speakers", "outcomes", "figures"):
        found, total = (sum(getattr(r, kind)[i] for r in rows) for i in (0, 1))
        shares[kind] = found / total if total else 1.0
    return shares


@dataclass
class KeyCoverage:
    session: str  # the answer key's session title
    brief: str  # the brief found for it ("" when none)
    speakers: tuple[int, int]  # (named in the brief, the key's speakers and chairs)
    outcomes: tuple[int, int]  # (present in the brief, the key's outcomes)


OUTCOME_WORDS = 6  # an outcome counts as present when its first words are in the brief (keys keep printed lines)


def key_coverage(sample: Sample, key: dict) -> list[KeyCoverage]:
    """Coverage against the hand-checked answer key (benchmarks/corpus/*/<id>.key.json), not the
    structure stage's own findings: each key session's people named in its brief, its outcomes present."""
    rows = []
    for session in key.get("sessions", []):
        brief = _brief_for(sample.briefs.briefs, session["title"])
        people = [p["name"] for p in [*session.get("speakers", []), *session.get("chairs", [])]]
        outcomes = session.get("outcomes", [])
        named = _brief_names(brief) if brief else ""
        text = _letters(brief_text(brief)) if brief else ""
        rows.append(KeyCoverage(
            session=session["title"],
            brief=reference_name(brief) if brief else "",
            speakers=(sum(_letters(name) in named for name in people), len(people)),
            outcomes=(sum(_letters(" ".join(o.split()[:OUTCOME_WORDS])) in text for o in outcomes), len(outcomes)),
        ))
    return rows


def _brief_for(briefs: list[Brief], title: str) -> Brief | None:
    """The brief whose title is the key session's title, numbering aside."""
    wanted = _letters(title.split(". ", 1)[-1] if title[:1].isdigit() else title)
    titles = [(b, _letters(b.title)) for b in briefs]
    return next((b for b, t in titles if t and (t in wanted or wanted in t)), None)


def _brief_names(brief: Brief) -> str:
    people = [*brief.speakers, *([brief.chair] if brief.chair else [])]
    return _letters(" | ".join([*(p.name for p in people), *(k.speaker for k in brief.key_points), brief_text(brief)]))


def _letters(text: str) -> str:
    return " ".join("".join(c if c.isalnum() else " " for c in text.casefold()).split())


# --- faithfulness -----------------------------------------------------------------------


def cited_block(report: Report, source: SourceRef) -> Block:
    """The one block a SourceRef points to (page and paragraph)."""
    matches = [b for b in report.document.blocks if source in b.sources]  # a paragraph may cross pages
    if len(matches) != 1:
        raise LookupError(f"{len(matches)} blocks at {source}")
    return matches[0]


def support(text: str, block_text: str) -> float:
    """The fraction of `text`'s content words (exact, lower-cased) that occur in `block_text`."""
    words = content_words(text)
    if not words:
        return 1.0
    source = set(content_words(block_text))
    return sum(w in source for w in words) / len(words)


@dataclass
class PointCheck:
    brief: str  # a brief's reference name, or "executive"
    text: str
    source: SourceRef
    support: float  # fraction of content words found in the cited block
    verbatim: bool  # the point's text occurs, whitespace aside, in the cited block


def point_checks(sample: Sample) -> list[PointCheck]:
    """Every key point of every brief, and every executive-summary point, against the block it cites."""
    checks = []
    labelled = [(reference_name(b), k) for b in sample.briefs.briefs for k in b.key_points]
    labelled += [("executive", k) for k in sample.briefs.summary_points]
    for name, point in labelled:
        block = _flat(cited_block(sample.report, point.source).text)
        checks.append(
            PointCheck(name, point.text, point.source, support(point.text, block), _flat(point.text) in block)
        )
    return checks


def quoted_checks(sample: Sample) -> list[tuple[str, str, bool]]:
    """(brief, text, quoted?) for every aim, outcome and recommendation: each must be quoted from the report."""
    report = sample.report
    paragraphs = [_flat(b.text) for b in report.document.blocks]
    outcomes = {p.panel.number: [_flat(o) for o in p.panel.outcomes] for p in sample.passages}
    recommendations = [_flat(r) for r in report.recommendations]
    found = []
    for brief in sample.briefs.briefs:
        name = reference_name(brief)
        if brief.aim:
            found.append((name, brief.aim, any(_flat(brief.aim) in p for p in paragraphs)))
        for outcome in brief.outcomes:
            found.append((name, outcome, any(_flat(outcome) in o for o in outcomes[brief.panel])))
        for recommendation in brief.recommendations:
            found.append((name, recommendation, any(_flat(recommendation) in r for r in recommendations)))
    return found


def report_people(report: Report) -> list[Person]:
    """The people report.json names as keynote, panellists and moderators."""
    people = [report.keynote] if report.keynote else []
    for panel in report.panels:
        people += [*panel.panellists, *([panel.moderator] if panel.moderator else [])]
    return people


@dataclass
class PersonCheck:
    brief: str
    role: str  # "speaker" or "chair"
    name: str
    in_people: bool  # the same Person (name and organisation) is in report.json's people
    in_text: bool  # the name occurs verbatim in the report's text
    in_participants: bool  # informational: the same words appear in one entry of the participants' list


def person_checks(sample: Sample) -> list[PersonCheck]:
    report = sample.report
    people = report_people(report)
    text = _flat(" ".join(b.text for b in report.document.blocks))
    listed = [_name_words(p.name) for p in report.participants]
    checks = []
    for brief in sample.briefs.briefs:
        named = [("speaker", p) for p in brief.speakers] + ([("chair", brief.chair)] if brief.chair else [])
        for role, person in named:
            words = _name_words(person.name)
            checks.append(
                PersonCheck(
                    brief=reference_name(brief),
                    role=role,
                    name=person.name,
                    in_people=person in people,
                    in_text=person.name in text,
                    in_participants=any(words <= entry for entry in listed),
                )
            )
    return checks


def _name_words(name: str) -> set[str]:
    """A name's words without titles, case-folded: the participants' list prints 'Surname Given'."""
    return {w.casefold() for w in name.replace(".", " ").split() if w.casefold() not in {"dr", "prof", "mr", "ms", "mrs"}}


def is_deterministic(sample: Sample) -> bool:
    """Briefing the same report twice gives byte-identical JSON."""
    again = build_from_report(sample.report)
    return again.briefs.model_dump_json() == sample.briefs.model_dump_json()


# --- report -----------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdf", type=Path, nargs="?", default=SAMPLE)
    parser.add_argument("--references", type=Path, default=None, help="folder of <brief>.md reference summaries")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    references_dir = args.references or REFERENCES / args.pdf.stem.removesuffix(".seed")
    sample = build(args.pdf)
    rows = rouge_table(sample, load_references(references_dir))
    points = point_checks(sample)
    quoted = quoted_checks(sample)
    persons = person_checks(sample)
    deterministic = is_deterministic(sample)
    if args.json:
        print(json.dumps(_as_json(rows, points, quoted, persons, deterministic), indent=2))
        return
    _print_rouge(rows)
    _print_coverage(coverage(sample))
    key = args.pdf.with_name(args.pdf.stem.removesuffix(".seed") + ".key.json")
    if key.exists():
        _print_key_coverage(key_coverage(sample, json.loads(key.read_text(encoding="utf-8"))))
    _print_faithfulness(points, quoted, persons, deterministic)


def _print_coverage(rows: list[Coverage]) -> None:
    print("Coverage: speakers named with a point of their own, outcomes kept, figures present\n")
    print("| brief | speakers | outcomes | figures |")
    print("|---|---:|---:|---:|")
    for row in rows:
        print(f"| {row.brief} | " + " | ".join(f"{a}/{b}" for a, b in (row.speakers, row.outcomes, row.figures)) + " |")
    shares = coverage_share(rows)
    print("| **share** | " + " | ".join(f"{shares[k]:.0%}" for k in ("speakers", "outcomes", "figures")) + " |\n")


def _print_key_coverage(rows: list[KeyCoverage]) -> None:
    print("Coverage against the answer key: each session's speakers and chairs named in its brief, outcomes present\n")
    print("| key session | brief | people | outcomes |")
    print("|---|---|---:|---:|")
    for row in rows:
        counts = " | ".join(f"{a}/{b}" for a, b in (row.speakers, row.outcomes))
        print(f"| {row.session} | {row.brief or '(none)'} | {counts} |")
    totals = [sum(getattr(r, kind)[i] for r in rows) for kind in ("speakers", "outcomes") for i in (0, 1)]
    briefed = f"{sum(bool(r.brief) for r in rows)}/{len(rows)} briefed"
    print(f"| **total** | {briefed} | {totals[0]}/{totals[1]} | {totals[2]}/{totals[3]} |\n")


def _print_rouge(rows: list[RougeRow]) -> None:
    print("ROUGE F1 against the hand-written references (Porter stemming)\n")
    print("| brief | ref words | briefpack words | R-1 | R-2 | R-L | lead-3 words | R-1 | R-2 | R-L "
          "| lead-N words | R-1 | R-2 | R-L | key points R-1 |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows + _means(rows):
        cells = [row.name, row.reference_words, row.words, *(f"{row.scores[k]:.3f}" for k in ROUGE_TYPES)]
        cells += [row.lead_words, *(f"{row.lead_scores[k]:.3f}" for k in ROUGE_TYPES)]
        cells += [row.matched_words, *(f"{row.matched_scores[k]:.3f}" for k in ROUGE_TYPES)]
        cells += ["–" if row.key_points_rouge1 is None else f"{row.key_points_rouge1:.3f}"]
        print("| " + " | ".join(str(c) for c in cells) + " |")
    print("\nlead-3: the first three sentences of the panel (of the report, for the executive summary);")
    print("lead-N: as many leading sentences as reach briefpack's length (ROUGE F1 rewards length up to a point);")
    print("key points R-1: the brief's key points alone, the part the ranking chooses.\n")


def _means(rows: list[RougeRow]) -> list[RougeRow]:
    if not rows:
        return []

    def mean(values):
        values = list(values)
        return sum(values) / len(values) if values else None

    return [
        RougeRow(
            name="**mean**",
            words=round(mean(r.words for r in rows)),
            scores={k: mean(r.scores[k] for r in rows) for k in ROUGE_TYPES},
            lead_words=round(mean(r.lead_words for r in rows)),
            lead_scores={k: mean(r.lead_scores[k] for r in rows) for k in ROUGE_TYPES},
            reference_words=round(mean(r.reference_words for r in rows)),
            matched_words=round(mean(r.matched_words for r in rows)),
            matched_scores={k: mean(r.matched_scores[k] for r in rows) for k in ROUGE_TYPES},
            key_points_rouge1=mean(r.key_points_rouge1 for r in rows if r.key_points_rouge1 is not None),
        )
    ]


def _print_faithfulness(points, quoted, persons, deterministic) -> None:
    print("Faithfulness\n")
    key = [p for p in points if p.brief != "executive"]
    summary = [p for p in points if p.brief == "executive"]
    for label, group in (("key points", key), ("executive-summary points", summary)):
        full = sum(p.support == 1.0 for p in group)
        verbatim = sum(p.verbatim for p in group)
        low = min((p.support for p in group), default=1.0)
        print(f"- {label}: {full}/{len(group)} with 100% of content words in the cited block (lowest {low:.0%}); "
              f"{verbatim}/{len(group)} verbatim in it")
    print(f"- aims, outcomes and recommendations quoted from the report: {sum(q for *_, q in quoted)}/{len(quoted)}")
    print(f"- people named in briefs: {sum(p.in_people for p in persons)}/{len(persons)} in report.json's people, "
          f"{sum(p.in_text for p in persons)}/{len(persons)} spelt as in the report's text, "
          f"{sum(p.in_participants for p in persons)}/{len(persons)} matched in the participants' list")
    for person in persons:
        if not person.in_participants:
            print(f"    not in the participants' list as spelt in the text: {person.name} ({person.brief}, {person.role})")
    print(f"- deterministic (same JSON on a second run): {'yes' if deterministic else 'NO'}")
    for point in points:
        if point.support < 1.0 or not point.verbatim:
            print(f"  ! {point.brief} {point.source}: {point.support:.0%} supported: {point.text[:80]}")
    for brief, text, ok in quoted:
        if not ok:
            print(f"  ! {brief}: not quoted from the report: {text[:80]}")


def _as_json(rows, points, quoted, persons, deterministic) -> dict:
    return {
        "rouge": [
            {"brief": r.name, "words": r.words, "reference_words": r.reference_words, "briefpack": r.scores,
             "lead_words": r.lead_words, "lead3": r.lead_scores, "matched_words": r.matched_words,
             "leadN": r.matched_scores, "key_points_rouge1": r.key_points_rouge1}
            for r in rows
        ],
        "points": [{"brief": p.brief, "support": p.support, "verbatim": p.verbatim} for p in points],
        "quoted": {"total": len(quoted), "ok": sum(q for *_, q in quoted)},
        "people": [vars(p) for p in persons],
        "deterministic": deterministic,
    }


def _flat(text: str) -> str:
    return " ".join(text.split())


if __name__ == "__main__":
    main()
