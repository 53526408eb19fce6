"""Brief: a Report to one brief per panel (plus the keynote) and an executive summary.

The default summariser is extractive, deterministic and offline: sentences are
ranked by TF-IDF centrality within their panel (plain Python) with small bonuses
for opening sentences and policy cue words, and kept verbatim with their source.
An optional OpenAI-compatible backend may compress each chosen sentence; a
compression is kept only if it passes a faithfulness gate (its content words come
from the cited paragraph, its names appear in the report), else the extractive
sentence stays. Stage functions are pure apart from that opt-in backend.
"""

from __future__ import annotations

import json
import math
import re
import urllib.request
from collections import Counter
from typing import Protocol

from pydantic import Field

from tasks.model import Block, Brief, Briefs, KeyPoint, Model, Panel, Person, Report, Section, SourceRef
from tasks.structure import PEOPLE_LINE, split_sentences

VERSION = "1"  # bump when this stage's output changes for the same input

PANEL_WORD_LIMIT = 250
SUMMARY_WORD_LIMIT = 300
MIN_KEY_POINTS, MAX_KEY_POINTS = 3, 5
MAX_RELATED_RECOMMENDATIONS = 2

STOPWORDS = frozenset(
    """a about above after again against all also although am an and any are as at be because been before being
    below between both but by can could did do does doing down during each either even few for from further had has
    have having he her here hers herself him himself his how however i if in into is it its itself just may might
    me more most much must my myself no nor not now of off on once only or other our ours ourselves out over own
    per same she should so some such than that the their theirs them themselves then there these they this those
    through thus to too under until up upon us very via was we were what when where whether which while who whom
    why will with within would yet you your yours yourself yourselves well many several often one two three new
    among across since towards toward""".split()
)
CUE_WORDS = re.compile(r"(?i)\b(should|must|need(?:s|ed)?\s+to|necessary|crucial|key|important|imperative|recommend\w*|priority)\b")
PRESCRIPTIVE = re.compile(
    r"(?i)\b(should|must|need(?:s)?\s+to|needs?\b|it\s+is\s+(?:important|crucial|necessary|imperative)|recommend\w*"
    r"|(?:is|are)\s+(?:encouraged|required|imperative|crucial|essential)|requires?)\b"
)
WORD = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ'’\-]*|\d+(?:[.,]\d+)*%?")
BACKGROUND_HEADING = re.compile(r"(?i)\b(background|introduction|summary|overview|context|executive\s+summary)\b")


class PanelPassage(Model):
    """What one panel's brief needs, and nothing else: a change elsewhere does not re-brief it."""

    panel: Panel
    kind: str = "panel"  # or "keynote"
    blocks: list[Block]  # the panel's blocks, heading first
    recommendations: list[str] = Field(default_factory=list)


# --- passages -------------------------------------------------------------------------


def panel_passage(report: Report, panel: Panel) -> PanelPassage:
    blocks = report.document.blocks[panel.first_block : panel.last_block]
    return PanelPassage(panel=panel, blocks=blocks, recommendations=report.recommendations)


def keynote_passage(report: Report) -> PanelPassage | None:
    section = report.keynote_section
    if section is None:
        return None
    blocks = report.document.blocks[section.first_block : section.last_block]
    body = [b for b in blocks[1:] if b.kind == "paragraph"]
    aim = split_sentences(_flat(body[0].text))[0] if body else ""
    panel = Panel(
        number="keynote",
        title=section.title,
        aim=aim,
        panellists=[report.keynote] if report.keynote else [],
        first_block=section.first_block,
        last_block=section.last_block,
        source=blocks[0].source,
    )
    return PanelPassage(panel=panel, kind="keynote", blocks=blocks, recommendations=report.recommendations)


# --- summarisers ----------------------------------------------------------------------


class Summariser(Protocol):
    """Turns one chosen sentence into the text of a key point; `context` is its whole paragraph."""

    name: str

    def compress(self, sentence: str, context: str) -> str: ...


class ExtractiveSummariser:
    """Keeps the sentence as written: the deterministic, offline default."""

    name = "extractive"

    def compress(self, sentence: str, context: str) -> str:
        return sentence


class OpenAISummariser:
    """An OpenAI-compatible chat endpoint (POST {url}/chat/completions), stdlib only."""

    name = "openai"
    PROMPT = (
        "Shorten the SENTENCE to at most 25 words for a policy briefing. Use only words that appear in the "
        "PARAGRAPH; keep names exactly as written; add nothing. Reply with the shortened sentence only."
    )

    def __init__(self, url: str, model: str = "", api_key: str = "", timeout: float = 30.0):
        self.url, self.model, self.api_key, self.timeout = url.rstrip("/"), model, api_key, timeout

    def compress(self, sentence: str, context: str) -> str:
        body = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": self.PROMPT},
                {"role": "user", "content": f"PARAGRAPH: {context}\n\nSENTENCE: {sentence}"},
            ],
        }
        headers = {"Content-Type": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        request = urllib.request.Request(
            f"{self.url}/chat/completions", data=json.dumps(body).encode(), headers=headers, method="POST"
        )
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            reply = json.loads(response.read().decode("utf-8"))
        return str(reply["choices"][0]["message"]["content"]).strip()


def get_summariser(name: str = "extractive", url: str = "", model: str = "", api_key: str = "") -> Summariser:
    """The backend called `name` (settings.summariser)."""
    if name == "extractive":
        return ExtractiveSummariser()
    if name == "openai":
        if not url:
            raise ValueError("summariser 'openai' needs summariser_url")
        return OpenAISummariser(url, model, api_key)
    raise ValueError(f"unknown summariser {name!r}: use 'extractive' or 'openai'")


# --- faithfulness gate ----------------------------------------------------------------


def is_faithful(text: str, passage: str, names: set[str]) -> bool:
    """Every content word of `text` occurs in `passage` (up to inflection) and capitalised words are known names/words."""
    if not text.strip():
        return False
    source = {_stem(w) for w in content_words(passage)}
    if any(_stem(w) not in source for w in content_words(text)):
        return False
    words_in_passage = set(WORD.findall(passage))
    for position, word in enumerate(WORD.findall(text)):
        # A capitalised word inside the sentence is a name: it must be spelt as in the report.
        if position > 0 and word[:1].isupper() and word not in words_in_passage and word not in names:
            return False
    return True


def content_words(text: str) -> list[str]:
    return [w.lower() for w in WORD.findall(text) if w.lower() not in STOPWORDS]


def _stem(word: str) -> str:
    """A crude stem so "face"/"facing", "policy"/"policies" compare equal."""
    word = word.lower().replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s", "ly"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)]
            break
    return word.removesuffix("e") if len(word) > 3 else word


# --- ranking --------------------------------------------------------------------------


class Candidate(Model):
    text: str
    source: SourceRef
    order: int  # reading order within the passage
    first_in_paragraph: bool


def rank(candidates: list[Candidate]) -> list[tuple[float, Candidate]]:
    """TF-IDF centrality (cosine to the passage centroid) plus small position and cue bonuses; best first."""
    if not candidates:
        return []
    terms = [Counter(_stem(w) for w in content_words(c.text)) for c in candidates]
    document_frequency = Counter(t for counts in terms for t in counts)
    total = len(candidates)
    vectors = [{t: n * math.log(1 + total / document_frequency[t]) for t, n in counts.items()} for counts in terms]
    centroid: Counter[str] = Counter()
    for vector in vectors:
        centroid.update(vector)
    scored = []
    for candidate, vector in zip(candidates, vectors):
        score = _cosine(vector, centroid) + _bonus(candidate)
        scored.append((round(score, 9), candidate))
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].order))


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _bonus(candidate: Candidate) -> float:
    words = len(candidate.text.split())
    bonus = 0.08 if candidate.first_in_paragraph else 0.0
    bonus += 0.05 if CUE_WORDS.search(candidate.text) else 0.0
    # Very short sentences say little; very long ones eat the word budget.
    bonus -= 0.15 if words < 8 else 0.0
    bonus -= 0.01 * max(0, words - 35)
    return bonus


def candidates_from(blocks: list[Block], exclude: set[str]) -> list[Candidate]:
    found, order = [], 0
    for block in blocks:
        if block.kind != "paragraph":
            continue
        for position, sentence in enumerate(split_sentences(block.text)):
            if _flat(sentence) in exclude or len(sentence.split()) < 5:
                continue
            found.append(Candidate(text=sentence, source=block.source, order=order, first_in_paragraph=position == 0))
            order += 1
    return found


def choose(ranked: list[tuple[float, Candidate]], limit: int) -> list[Candidate]:
    """The best `limit` candidates, at most one per source paragraph, in reading order.

    A panel with fewer paragraphs than MIN_KEY_POINTS gets its next-best sentences
    from paragraphs already used, so every brief has at least that many points.
    """
    chosen: list[Candidate] = []
    for _, candidate in ranked:
        if len(chosen) == limit:
            break
        if all(c.source != candidate.source for c in chosen):
            chosen.append(candidate)
    for _, candidate in ranked:
        if len(chosen) >= MIN_KEY_POINTS:
            break
        if candidate not in chosen:
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.order)


# --- panel briefs ---------------------------------------------------------------------


def brief_panel(passage: PanelPassage, summariser: Summariser | None = None) -> Brief:
    """A brief of at most 250 words: aim, speakers, 3-5 sourced key points, outcomes, related recommendations."""
    summariser = summariser or ExtractiveSummariser()
    panel = passage.panel
    aim = _flat(panel.aim)
    body = _body_blocks(passage)
    people_sentences = {_flat(s) for b in body for s in split_sentences(b.text) if _names_people(s, panel)}
    ranked = rank(candidates_from(body, exclude={aim, *people_sentences}))
    outcomes = [_condense(o) for o in panel.outcomes]
    related = related_recommendations(passage)
    chosen = choose(ranked, MAX_KEY_POINTS)
    key_points, outcomes, related = _fit_budget(aim, chosen, ranked, outcomes, related)
    points, method = _write_points(key_points, passage, summariser)
    brief = Brief(
        panel=panel.number,
        title=panel.title,
        aim=aim,
        speakers=panel.panellists,
        chair=panel.moderator,
        key_points=points,
        outcomes=outcomes,
        recommendations=related,
        method=method,
    )
    return brief.model_copy(update={"words": brief_words(brief)})


def _body_blocks(passage: PanelPassage) -> list[Block]:
    """The panel's running text: its paragraphs before the first sub-heading (outcomes are briefed separately)."""
    body = []
    for block in passage.blocks[1:]:
        if block.kind == "heading" and not PEOPLE_LINE.match(block.text.strip()):
            break
        body.append(block)
    return body


def _names_people(sentence: str, panel: Panel) -> bool:
    people = [*panel.panellists, *([panel.moderator] if panel.moderator else [])]
    return sum(person.name in sentence for person in people) >= 1 and "(" in sentence


ANAPHORIC_START = re.compile(r"(?i)^(?:this|these|that|those|such|it|they|for\s+this|in\s+this|to\s+this\s+end)\b")
SHORT_ENOUGH = 30  # words: an outcome this short is kept whole


def _condense(outcome: str) -> str:
    """An outcome in one sentence: kept whole when short, else its first self-contained
    prescriptive ("should/must/need") sentence, else its first sentence."""
    text = _flat(outcome)
    if _words(text) <= SHORT_ENOUGH:
        return text
    sentences = split_sentences(text)
    prescriptive = [s for s in sentences if PRESCRIPTIVE.search(s) and not ANAPHORIC_START.match(s)]
    return prescriptive[0] if prescriptive else sentences[0]


def related_recommendations(passage: PanelPassage) -> list[str]:
    """Overall recommendations sharing the most distinctive content words with the panel (three at least)."""
    panel_terms = Counter(_stem(w) for b in passage.blocks for w in content_words(b.text))
    panel_terms.update(_stem(w) for o in passage.panel.outcomes for w in content_words(o))
    term_sets = [{_stem(w) for w in content_words(r)} for r in passage.recommendations]
    frequency = Counter(t for terms in term_sets for t in terms)
    # Words every recommendation uses ("migration") say nothing about which panel it belongs to.
    weight = {t: math.log(1 + len(term_sets) / n) for t, n in frequency.items()}
    scored = []
    for order, (recommendation, terms) in enumerate(zip(passage.recommendations, term_sets)):
        shared = [t for t in terms if panel_terms[t] >= 2]
        if len(shared) >= 3:
            scored.append((sum(weight[t] for t in shared) / math.sqrt(len(terms)), order, recommendation))
    best = sorted(scored, key=lambda s: (-s[0], s[1]))[:MAX_RELATED_RECOMMENDATIONS]
    return [_condense(r) for _, _, r in best]


def _fit_budget(
    aim: str,
    chosen: list[Candidate],
    ranked: list[tuple[float, Candidate]],
    outcomes: list[str],
    related: list[str],
) -> tuple[list[Candidate], list[str], list[str]]:
    """Keep within PANEL_WORD_LIMIT, filling by priority: aim and three key points, the closest
    recommendation, the outcomes, further recommendations, then up to two more key points."""
    rank_of = {candidate.order: position for position, (_, candidate) in enumerate(ranked)}
    best_first = sorted(chosen, key=lambda c: rank_of[c.order])
    points = best_first[:MIN_KEY_POINTS]
    used = _words(aim) + sum(_words(c.text) for c in points)
    while points and used > PANEL_WORD_LIMIT:
        used -= _words(points.pop().text)
    kept: dict[str, list] = {"outcomes": [], "related": [], "points": points}
    queue = [
        *(("related", r) for r in related[:1]),
        *(("outcomes", o) for o in outcomes),
        *(("related", r) for r in related[1:]),
        *(("points", c) for c in best_first[MIN_KEY_POINTS:]),
    ]
    for bucket, item in queue:
        words = _words(item.text if isinstance(item, Candidate) else item)
        if used + words <= PANEL_WORD_LIMIT:
            kept[bucket].append(item)
            used += words
    related_in_order = [r for r in related if r in kept["related"]]
    return sorted(points, key=lambda c: c.order), kept["outcomes"], related_in_order


def _write_points(chosen: list[Candidate], passage: PanelPassage, summariser: Summariser) -> tuple[list[KeyPoint], str]:
    """Key points via the summariser, each gated for faithfulness; the Brief's method says whose text it kept."""
    contexts = {b.source: b.text for b in passage.blocks}
    names = {w for p in _people(passage.panel) for w in WORD.findall(p.name + " " + p.organisation)}
    points, rewritten = [], 0
    for candidate in chosen:
        text = candidate.text
        if summariser.name != "extractive":
            proposal = _safe_compress(summariser, candidate.text, contexts[candidate.source])
            if proposal and proposal != text and is_faithful(proposal, contexts[candidate.source], names):
                text, rewritten = proposal, rewritten + 1
        points.append(KeyPoint(text=_flat(text) if text is not candidate.text else text, source=candidate.source))
    if rewritten == 0:
        return points, "extractive"
    return points, summariser.name if rewritten == len(chosen) else f"{summariser.name}+extractive"


def _safe_compress(summariser: Summariser, sentence: str, context: str) -> str:
    try:
        return summariser.compress(sentence, context)
    except (OSError, ValueError, KeyError, IndexError, TypeError):
        return ""  # an unreachable or malformed backend leaves the extractive sentence


def _people(panel: Panel) -> list[Person]:
    return [*panel.panellists, *([panel.moderator] if panel.moderator else [])]


def brief_words(brief: Brief) -> int:
    texts = [brief.aim, *(k.text for k in brief.key_points), *brief.outcomes, *brief.recommendations]
    return sum(_words(t) for t in texts)


# --- executive summary ----------------------------------------------------------------

AIM_CUE = re.compile(r"(?i)\b(?:aim|purpose|objective|goal)s?\b[^.]{0,40}\b(?:was|were|is|are)\b")


def summarise(report: Report, briefs: list[Brief]) -> Briefs:
    """An executive summary (at most 300 words) whose every sentence is a sourced summary point:
    the report's stated aim, then the lead outcome (or key point) of the keynote and of each panel."""
    points: list[KeyPoint] = []
    used = 0
    for point in [*_background_points(report), *(p for b in briefs if (p := _lead_point(report, b)))]:
        if used + _words(point.text) <= SUMMARY_WORD_LIMIT and point not in points:
            points.append(point)
            used += _words(point.text)
    summary = " ".join(_flat(p.text) for p in points)
    return Briefs(executive_summary=summary, summary_points=points, briefs=briefs)


def _background_points(report: Report, limit: int = 2) -> list[KeyPoint]:
    """The best sentence of each of the first background paragraphs; a stated aim wins."""
    blocks = [b for s in _background_sections(report) for b in _own_blocks(report, s) if b.kind == "paragraph"]
    points = []
    for block in blocks[:limit]:
        candidates = candidates_from([block], exclude=set())
        stated = [c for c in candidates if AIM_CUE.search(c.text)]
        chosen = stated[:1] or [c for _, c in rank(candidates)[:1]]
        points += [KeyPoint(text=c.text, source=c.source) for c in chosen]
    return points


def _lead_point(report: Report, brief: Brief) -> KeyPoint | None:
    """A brief's first outcome, sourced to the block it was condensed from; else its first key point."""
    for outcome in brief.outcomes:
        block = next((b for b in report.document.blocks if b.kind == "item" and outcome in b.text), None)
        if block is not None:
            return KeyPoint(text=outcome, source=block.source)
    return brief.key_points[0] if brief.key_points else None


def _background_sections(report: Report) -> list[Section]:
    claimed = [(p.first_block, p.last_block) for p in report.panels]
    if report.keynote_section:
        claimed.append((report.keynote_section.first_block, report.keynote_section.last_block))
    return [
        s
        for s in report.sections
        if BACKGROUND_HEADING.search(s.title) and not any(a <= s.first_block < b for a, b in claimed)
    ]


def _own_blocks(report: Report, section: Section) -> list[Block]:
    """The blocks under a heading before its first sub-heading."""
    own = []
    for block in report.document.blocks[section.first_block + 1 : section.last_block]:
        if block.kind == "heading":
            break
        own.append(block)
    return own


# --- helpers --------------------------------------------------------------------------


def _flat(text: str) -> str:
    return " ".join(text.split())


def _words(text: str) -> int:
    return len(text.split())
