"""Brief: a Report to one brief per panel (plus the keynote) and the pack's key messages.

The default summariser is extractive, deterministic and offline. A panel's brief
names every speaker with one sentence from the paragraph that presents them,
keeps all the panel's outcomes, its key figures and the recommendations that
belong to it by position or explicit reference; sentences are kept verbatim with
their source (page and paragraph). Sentences come from pysbd, ranked by TF-IDF
centrality within their panel with small bonuses for opening sentences and cue words.
An optional OpenAI-compatible backend may compress each chosen sentence; a
compression is kept only if it passes a faithfulness gate (its content words come
from the cited paragraph, its names appear in the report), else the extractive
sentence stays. Stage functions are pure apart from that opt-in backend.
"""

from __future__ import annotations

import json
import math
import re
import threading
import urllib.request
from collections import Counter
from typing import Protocol

from pydantic import Field

import pysbd

from tasks.model import Block, Brief, Briefs, Figure, KeyPoint, Model, Panel, Person, Report, Section, SourceRef
from tasks.structure import PEOPLE_LINE
from tasks.structure.front import HELD, MEETING_KINDS

VERSION = "5"  # bump when this stage's output changes for the same input

PANEL_WORD_LIMIT = 400  # one printed page
SUMMARY_WORD_LIMIT = 300
MIN_BOTTOM_LINE, MAX_BOTTOM_LINE = 3, 5
BOTTOM_LINE_WORD_LIMIT = 150
MAX_FIGURES = 5

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
CONCLUDING = re.compile(r"(?i)\b(?:call(?:s|ed)?\s+for|urg(?:e|es|ed)\b|takeaway|conclu(?:ded|sion)|agreed)")
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
    return PanelPassage(panel=_on_its_own(panel, blocks), blocks=blocks, recommendations=report.recommendations)


def _on_its_own(panel: Panel, blocks: list) -> Panel:
    """The panel with its blocks numbered within the passage, the only text its brief reads.

    Numbered within the whole document, a paragraph added on one page would change
    every later panel's passage, and so the cache key of every later brief.
    """
    return panel.model_copy(update={"first_block": 0, "last_block": len(blocks)})


def keynote_passage(report: Report) -> PanelPassage | None:
    section = report.keynote_section
    if section is None:
        return None
    blocks = report.document.blocks[section.first_block : section.last_block]
    body = [b for b in blocks[1:] if b.kind == "paragraph"]
    aim = sentences(_flat(body[0].text))[0] if body else ""
    panel = Panel(
        number="keynote",
        title=section.title,
        aim=aim,
        panellists=[report.keynote] if report.keynote else [],
        first_block=section.first_block,
        last_block=section.last_block,
        source=blocks[0].source,
    )
    return PanelPassage(panel=_on_its_own(panel, blocks), kind="keynote", blocks=blocks, recommendations=report.recommendations)


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


# --- sentences ------------------------------------------------------------------------

# A pysbd Segmenter keeps the text it is working on in itself, so threads (Prefect runs
# tasks in threads) each need their own.
_LOCAL = threading.local()


def _segmenter() -> pysbd.Segmenter:
    if not hasattr(_LOCAL, "segmenter"):
        _LOCAL.segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)
    return _LOCAL.segmenter

# A bare list marker ("1." or "(a)") at a segment's edge belongs to the text it numbers.
_TRAILING_MARKER = re.compile(r"(?:^|\s)\(?(?:\d{1,2}|[a-z])[.)]$")
# A sentence opening with one of these leans on the one before it.
CONNECTIVE_START = re.compile(
    r"(?i)^(?:therefore|however|thus|hence|consequently|accordingly|moreover|furthermore|nevertheless|nonetheless"
    r"|also|in\s+addition|as\s+a\s+result|for\s+this\s+reason|in\s+this|to\s+this\s+end"
    r"|this|these|those|such|it|its|they|their|he|she|his|her)\b"
)


LIST_ITEM_START = re.compile(r"^\(?(?:\d{1,2}|[a-z])[.)]\s")  # "2. For around 50%...": one item of a list
STARTS_MID = re.compile(r"^[^\w\"“‘'(]")  # split mid-sentence by the segmenter ("SPEC-?" / ": Dispatching ...")
ANNOUNCES = re.compile(r":\s*$")  # "Several were started:": says nothing without the list it announces
GROUP_SUBJECT = re.compile(r"(?i)^(?:the\s+|all\s+|several\s+)?(?:panel+ists|panel|speakers|presenters|discussants)\b")
NAME_LIST_SHARE = 0.7  # a "sentence" of comma-separated capitalised names is a byline, not a statement


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `text`, by pysbd; a list marker is never a sentence's last word."""
    spans: list[tuple[int, int]] = []
    for segment in _segmenter().segment(text):
        start, end = segment.start, segment.end
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start == end:
            continue
        # A lead-in ending ":" and a bare list marker ending a segment belong to what follows.
        if spans and (_TRAILING_MARKER.search(text[spans[-1][0] : spans[-1][1]]) or text[spans[-1][1] - 1] == ":"):
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


class Candidate(Model):
    text: str  # verbatim from the block: a sentence, with its antecedent when it opens with a connective
    source: SourceRef
    block: int  # index of the block within the passage
    order: int  # reading order within the passage
    first_in_paragraph: bool
    self_contained: bool = True  # False: its antecedent is in another paragraph, or it is one item of a list


def candidates_from(blocks: list[Block], exclude: set[str]) -> list[Candidate]:
    found: list[Candidate] = []
    for index, block in enumerate(blocks):
        if block.kind != "paragraph":
            continue
        spans = sentence_spans(block.text)
        for position, (start, end) in enumerate(spans):
            sentence = block.text[start:end]
            if _flat(sentence) in exclude or _words(sentence) < 5 or _is_name_list(sentence):
                continue
            leans = bool(CONNECTIVE_START.match(sentence) or STARTS_MID.match(sentence.lstrip()))
            if leans and position > 0:
                start = spans[position - 1][0]  # bring the antecedent along
            text = block.text[start:end]
            found.append(
                Candidate(
                    text=text,
                    source=block.source_at(start),
                    block=index,
                    order=len(found),
                    first_in_paragraph=start == spans[0][0],
                    self_contained=not (leans and position == 0) and not LIST_ITEM_START.match(text)
                    and not ANNOUNCES.search(text),
                )
            )
    return found


def _is_name_list(sentence: str) -> bool:
    """Mostly short comma-separated runs of capitalised words: "A Name, B Name, C Name 2024-09-29"."""
    parts = [part.split() for part in sentence.split(",")]
    names = [p for p in parts if 0 < len(p) <= 4 and all(w[:1].isupper() or w.lower() in _LINKING for w in p)]
    return len(parts) >= 3 and len(names) / len(parts) >= NAME_LIST_SHARE


# --- ranking --------------------------------------------------------------------------


def rank(candidates: list[Candidate]) -> list[tuple[float, Candidate]]:
    """TF-IDF centrality (cosine to the passage centroid) plus small position and cue bonuses; best first."""
    if not candidates:
        return []
    vectors = _tfidf([c.text for c in candidates])
    centroid: Counter[str] = Counter()
    for vector in vectors:
        centroid.update(vector)
    scored = [(round(_cosine(v, centroid) + _bonus(c), 9), c) for c, v in zip(candidates, vectors)]
    return sorted(scored, key=lambda pair: (-pair[0], pair[1].order))


def _tfidf(texts: list[str]) -> list[dict[str, float]]:
    terms = [Counter(_stem(w) for w in content_words(t)) for t in texts]
    document_frequency = Counter(t for counts in terms for t in counts)
    total = len(texts)
    return [{t: n * math.log(1 + total / document_frequency[t]) for t, n in counts.items()} for counts in terms]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def _bonus(candidate: Candidate) -> float:
    words = _words(candidate.text)
    bonus = 0.08 if candidate.first_in_paragraph else 0.0
    bonus += 0.05 if CUE_WORDS.search(candidate.text) else 0.0
    # Very short sentences say little; very long ones eat the word budget.
    bonus -= 0.15 if words < 8 else 0.0
    bonus -= 0.01 * max(0, words - 35)
    return bonus


# --- speakers -------------------------------------------------------------------------

_ACRONYM = re.compile(r"\b[A-Za-z]*[A-Z][A-Za-z]*[A-Z][A-Za-z]*\b")  # two capitals at least: WHO, CeSPI, KfW
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]+")
_LINKING = frozenset({"of", "for", "and", "the", "on", "de", "di", "du", "des", "la", "le", "&"})
_TITLE = re.compile(r"(?i)^(?:dr|prof|mr|mrs|ms|mx|sir|h\.?e)\.?\s+")


def presenting_paragraphs(blocks: list[Block], people: list[Person], skip: set[int] = frozenset()) -> dict[int, int]:
    """{person index: block index} of the paragraph that presents each person.

    A paragraph presents someone when its first sentence names them, their organisation
    or its acronym (spelt out or not); each paragraph presents one person at most, taken
    in the order the report lists them, so two speakers from one organisation get the
    first and the next paragraph about it. A person whose name no first sentence has is
    looked for anywhere in the remaining paragraphs. `skip`: paragraphs that list the people.
    """
    claimed: dict[int, int] = {}
    for whole_paragraph in (False, True):
        for person_index, person in enumerate(people):
            if person_index in claimed:
                continue
            for block_index, block in enumerate(blocks):
                if block.kind != "paragraph" or block_index in skip or block_index in claimed.values():
                    continue
                spans = sentence_spans(block.text)
                text = block.text if whole_paragraph else block.text[: spans[0][1]] if spans else ""
                if mentions(text, person):
                    claimed[person_index] = block_index
                    break
    return claimed


def mentions(text: str, person: Person) -> bool:
    """Does `text` name the person (surname), their organisation, or its acronym?"""
    surname = _TITLE.sub("", person.name).split()[-1] if person.name.split() else ""
    if len(surname) > 2 and re.search(rf"\b{re.escape(surname)}\b", text):
        return True
    folded = _flat(text).lower()
    for part in (p.strip() for p in person.organisation.split(",")):
        if len(part) > 3 and part.lower() in folded:
            return True
        for acronym in _ACRONYM.findall(part):
            # Mixed-case acronyms are printed both ways ("CeSPI", "CESPI"); all-capitals ones
            # are compared as printed, so "WHO" is not the pronoun "who".
            flags = 0 if acronym.isupper() else re.IGNORECASE
            if re.search(rf"\b{re.escape(acronym)}\b", text, flags) or acronym.upper() in _initialisms(text):
                return True
        words = _CAPITALISED.findall(part)
        # The organisation spelt out in the list, its acronym in the text ("WMO").
        initials = "".join(w[0] for w in words if w.lower() not in _LINKING)
        if len(initials) >= 3 and re.search(rf"\b{initials}\b", text):
            return True
        # Two capitalised words of the organisation side by side ("Colombian Ministry"),
        # or its leading distinctive word ("Caritas" of "Caritas Migration Centre").
        if any(f"{a} {b}" in _flat(text) for a, b in zip(words, words[1:])):
            return True
        if words and len(words[0]) >= 5 and part.startswith(words[0]) and re.search(rf"\b{re.escape(words[0])}\b", text):
            return True
    return False


def _initialisms(text: str) -> set[str]:
    """Initials of every stretch of a run of capitalised words ("The World Health Organisation"
    gives WHO among others), skipping "of", "and"... inside the run."""
    runs, run = [], ""
    for word in re.findall(r"[\w'’&-]+", text):
        if word[:1].isupper():
            run += word[0]
        elif not (word.lower() in _LINKING and run):
            runs.append(run)
            run = ""
    runs.append(run)
    return {r[i:j] for r in runs for i in range(len(r)) for j in range(i + 2, len(r) + 1)}


def speaker_points(
    body: list[Block], people: list[Person], ranked: list[tuple[float, Candidate]], skip: set[int], topic: str = ""
) -> list[KeyPoint]:
    """One point per person: the best self-contained sentence of the paragraph that presents them.

    People no paragraph presents on their own (a panel introduced as one list, its
    discussion reported as "the panellists ...") share one point: the best sentence left
    whose subject is the panel ("The panelists emphasised ..."), else the best sentence
    left, attributed to them together, so every speaker is named with what the report says.
    `topic`: the session's title and aim; an organisation named there is the session's
    subject, not a sign that a later paragraph presents its member.
    """
    presenting = presenting_paragraphs(body, [_by_name_if_topical(p, topic) for p in people], skip)
    points: list[tuple[int, KeyPoint]] = []
    unpresented = []
    for person_index, person in enumerate(people):
        block = presenting.get(person_index)
        best = next((c for _, c in ranked if c.block == block and c.self_contained), None)
        if best is None:
            unpresented.append(person)
        else:
            points.append((best.order, KeyPoint(text=best.text, source=best.source, speaker=person.name)))
    taken = {point.text for _, point in points}
    left = [c for _, c in ranked if c.self_contained and c.text not in taken]
    shared = next((c for c in left if GROUP_SUBJECT.match(c.text)), left[0] if left else None)
    if unpresented and shared is not None:
        points.append((shared.order, KeyPoint(text=shared.text, source=shared.source, speaker=together(unpresented))))
    return [point for _, point in sorted(points, key=lambda pair: pair[0])]


def _by_name_if_topical(person: Person, topic: str) -> Person:
    """The person to look for: by name only when their organisation is what the session is about."""
    topical = person.organisation and mentions(topic, Person(name="", organisation=person.organisation))
    return person.model_copy(update={"organisation": ""}) if topical else person


def together(people: list[Person]) -> str:
    """The people a shared point is attributed to: "A", "A and B", "A, B and C"."""
    names = [p.name for p in people]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def speaks(point: KeyPoint, person: Person) -> bool:
    """Is the point attributed to the person, alone or with others?"""
    return person.name in _shared_names(point.speaker)


def _shared_names(speaker: str) -> list[str]:
    head, _, last = speaker.rpartition(" and ")
    return [*head.split(", "), last] if head else [speaker]


UNATTRIBUTED_POINTS = 3


def unattributed_points(
    ranked: list[tuple[float, Candidate]], taken: list[KeyPoint] = (), count: int = UNATTRIBUTED_POINTS
) -> list[KeyPoint]:
    """A session with fewer than `count` points (no named speakers, or a panel presented as one
    list): its best other self-contained sentences up to `count`, none repeating another (a
    sentence and the same one with its antecedent)."""
    texts = [k.text for k in taken]
    for candidate in (c for _, c in ranked if c.self_contained):
        if len(texts) < count and not any(candidate.text in t or t in candidate.text for t in texts):
            texts.append(candidate.text)
    chosen = {c.text: c for _, c in ranked}
    return [KeyPoint(text=t, source=chosen[t].source) for t in texts[len(taken):]]


def _order(point: KeyPoint, ranked: list[tuple[float, Candidate]]) -> int:
    """A point's place in the reading order of the passage."""
    return next(c.order for _, c in ranked if c.text == point.text)


def keynote_points(ranked: list[tuple[float, Candidate]], people: list[Person]) -> list[KeyPoint]:
    """A keynote's every paragraph presents its speaker: the best self-contained sentence of each."""
    speaker = people[0].name if people else ""
    best: dict[int, Candidate] = {}
    for _, candidate in ranked:
        if candidate.self_contained:
            best.setdefault(candidate.block, candidate)
    ordered = sorted(best.values(), key=lambda c: c.order)
    return [KeyPoint(text=c.text, source=c.source, speaker=speaker) for c in ordered]


# --- figures --------------------------------------------------------------------------

_NUMBER = r"\d+(?:[.,]\d+)*"
_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty"
    r"|sixty|seventy|eighty|ninety|a|one\s+hundred|several)"
)
_SCALE = r"(?:million|billion|trillion|thousand|bn|m)"
_PERCENT = r"(?:%|\s?per\s?cent\b|\s?percent\b|\s?percentage\s+points?\b)"
_CURRENCY = r"(?:US\$|USD|EUR|GBP|CHF|€|\$|£)"
_RANGE = rf"{_NUMBER}(?:\s?(?:-|–|to|and)\s?{_NUMBER})?"
FIGURE = re.compile(
    rf"{_CURRENCY}\s?{_NUMBER}(?:\s{_SCALE}\b)?"  # money
    rf"|\b{_RANGE}{_PERCENT}"  # shares
    rf"|\b{_NUMBER_WORD}{_PERCENT}"
    rf"|\b{_RANGE}\s(?:{_SCALE}|hundred)\b(?:\s(?!of\b|the\b|and\b)[a-z]+)?"  # 3 million people
    rf"|\b{_NUMBER_WORD}\s(?:{_SCALE}|hundred)\b(?:\s(?!of\b|the\b|and\b)[a-z]+)?"
    rf"|\b(?:millions|billions|thousands|hundreds)\s+of\s+[a-z]+"  # millions of people
    rf"|\b(?!(?:19|20)\d\d\b){_NUMBER}\s(?!of\b|and\b|to\b|the\b|in\b|on\b)[a-z]{{3,}}",  # 40 years, 50 countries
    re.IGNORECASE,
)
CONTEXT_WORDS = 9  # either side of a figure, within its clause


def key_figures(blocks: list[Block], limit: int = MAX_FIGURES) -> list[Figure]:
    """Numbers with a unit in the passage's paragraphs and items, each with a few words around it, in reading order."""
    figures: list[Figure] = []
    for block in blocks:
        if block.kind not in ("paragraph", "item"):
            continue
        for start, end in sentence_spans(block.text):
            sentence = block.text[start:end]
            for match in FIGURE.finditer(sentence):
                if _is_list_marker(sentence, match) or match.group().isdigit():
                    continue
                context = _clause_around(sentence, match.start(), match.end())
                if all(context not in f.context and f.context not in context for f in figures):
                    source = block.source_at(start + match.start())
                    figures.append(Figure(value=match.group().strip(), context=context, source=source))
    return figures[:limit]


def _is_list_marker(sentence: str, match: re.Match) -> bool:
    return bool(re.match(r"\d{1,2}\.\s", sentence[match.start() :])) and match.start() == 0


def _clause_around(sentence: str, start: int, end: int) -> str:
    """The verbatim clause holding [start, end), cut to CONTEXT_WORDS words either side."""
    left = max(sentence.rfind(mark, 0, start) for mark in (";", ":", "(", ")", ". ")) + 1
    right_marks = [i for i in (sentence.find(mark, end) for mark in (";", ":", "(", ")")) if i != -1]
    right = min(right_marks, default=len(sentence))
    before = sentence[left:start].split()[-CONTEXT_WORDS:]
    after = sentence[end:right].split()[:CONTEXT_WORDS]
    before_text = sentence[left:start]
    after_text = sentence[end:right]
    # Re-slice verbatim rather than re-join words, so the context is a substring of the source.
    cut_left = start - len(before_text.lstrip()) if len(before) == len(before_text.split()) else _nth_word_start(sentence, start, len(before))
    cut_right = end + len(after_text.rstrip()) if len(after) == len(after_text.split()) else _nth_word_end(sentence, end, len(after))
    return sentence[cut_left:cut_right].strip().rstrip(",.")


def _nth_word_start(text: str, before: int, count: int) -> int:
    positions = [m.start() for m in re.finditer(r"\S+", text[:before])]
    return positions[-count] if count and len(positions) >= count else before


def _nth_word_end(text: str, after: int, count: int) -> int:
    positions = [m.end() + after for m in re.finditer(r"\S+", text[after:])]
    return positions[count - 1] if count and len(positions) >= count else after


# --- panel briefs ---------------------------------------------------------------------


def brief_panel(passage: PanelPassage, summariser: Summariser | None = None) -> Brief:
    """A brief of at most 400 words: aim, each speaker's main point, all outcomes, key figures, its recommendations."""
    summariser = summariser or ExtractiveSummariser()
    panel = passage.panel
    aim = _flat(panel.aim)
    body = _body_blocks(passage)
    people_sentences = {_flat(s) for b in body for s in sentences(b.text) if _names_people(s, panel)}
    listing = {i for i, b in enumerate(body) if any(_flat(s) in people_sentences for s in sentences(b.text))}
    ranked = rank(candidates_from(body, exclude={aim, *people_sentences}))
    if passage.kind == "keynote":
        chosen = keynote_points(ranked, panel.panellists)
    else:
        chosen = speaker_points(body, panel.panellists, ranked, skip=listing, topic=f"{panel.title}. {aim}")
        chosen = sorted([*chosen, *unattributed_points(ranked, chosen)], key=lambda k: _order(k, ranked))
    outcomes = [_condense(o) for o in panel.outcomes]
    figures = key_figures([b for b in passage.blocks[1:] if _flat(b.text) not in people_sentences])
    belonging = recommendations_of(passage)
    figures, belonging = _fit_budget(aim, chosen, outcomes, figures, belonging)
    points, method = _write_points(chosen, passage, summariser)
    brief = Brief(
        panel=panel.number,
        title=panel.title,
        aim=aim,
        speakers=panel.panellists,
        chair=panel.moderator,
        key_points=points,
        outcomes=outcomes,
        recommendations=belonging,
        figures=figures,
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
    """A sentence that presents who spoke ("... A (Org), B (Org) and C (Org)") and says little else;
    one that also reports what was said ("X (Org) described the fragmented landscape of ...") is content."""
    people = [*panel.panellists, *([panel.moderator] if panel.moderator else [])]
    named = [person.name for person in people if person.name in sentence]
    if not named or "(" not in sentence:
        return False
    rest = re.sub(r"\([^()]*\)", " ", sentence)
    for name in named:
        rest = rest.replace(name, " ")
    return _words(rest) < PRESENTING_WORDS


PRESENTING_WORDS = 12  # words left beside the names and their organisations: a presentation, not a point


ANAPHORIC_START = re.compile(r"(?i)^(?:this|these|that|those|such|it|they|for\s+this|in\s+this|to\s+this\s+end)\b")
SHORT_ENOUGH = 30  # words: an outcome this short is kept whole


def _condense(outcome: str) -> str:
    """An outcome in one sentence: kept whole when short, else its first self-contained
    prescriptive ("should/must/need") sentence, else its first sentence."""
    text = _flat(outcome)
    if _words(text) <= SHORT_ENOUGH:
        return text
    found = sentences(text) or [text]
    prescriptive = [s for s in found if PRESCRIPTIVE.search(s) and not ANAPHORIC_START.match(s)]
    return prescriptive[0] if prescriptive else found[0]


def recommendations_of(passage: PanelPassage) -> list[str]:
    """The report's recommendations that belong to this panel: printed inside it, or naming it ("Panel II").

    Shared words alone never place a recommendation: the overall list keeps the rest.
    """
    inside = {_flat(b.text) for b in passage.blocks}
    label = re.compile(
        rf"(?i)\b(?:panel|session|workshop|round\s*table|breakout)\s+{re.escape(passage.panel.number)}\b"
    )
    belonging = [r for r in passage.recommendations if _flat(r) in inside or label.search(r)]
    return [_condense(r) for r in belonging]


def _fit_budget(
    aim: str, chosen: list[KeyPoint], outcomes: list[str], figures: list[Figure], belonging: list[str]
) -> tuple[list[Figure], list[str]]:
    """Keep within PANEL_WORD_LIMIT: the aim, every speaker and every outcome always stay;
    recommendations, then figures, give way (the last first)."""
    used = _words(aim) + sum(_words(p.text) for p in chosen) + sum(_words(o) for o in outcomes)
    kept_recommendations, kept_figures = [], []
    for recommendation in belonging:
        if used + _words(recommendation) <= PANEL_WORD_LIMIT:
            kept_recommendations.append(recommendation)
            used += _words(recommendation)
    for figure in figures:
        if used + _words(figure.context) <= PANEL_WORD_LIMIT:
            kept_figures.append(figure)
            used += _words(figure.context)
    return kept_figures, kept_recommendations


def _write_points(chosen: list[KeyPoint], passage: PanelPassage, summariser: Summariser) -> tuple[list[KeyPoint], str]:
    """Key points via the summariser, each gated for faithfulness; the Brief's method says whose text it kept."""
    contexts = {source: b.text for b in passage.blocks for source in b.sources}
    names = {w for p in _people(passage.panel) for w in WORD.findall(p.name + " " + p.organisation)}
    points, rewritten = [], 0
    for point in chosen:
        if summariser.name != "extractive":
            proposal = _safe_compress(summariser, point.text, contexts[point.source])
            if proposal and proposal != point.text and is_faithful(proposal, contexts[point.source], names):
                point, rewritten = point.model_copy(update={"text": _flat(proposal)}), rewritten + 1
        points.append(point)
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
    return sum(_words(t) for t in [*texts, *(f.context for f in brief.figures)])


# --- key messages ---------------------------------------------------------------------

AIM_CUE = re.compile(r"(?i)\b(?:aim|purpose|objective|goal)s?\b[^.]{0,40}\b(?:was|were|is|are)\b")
# Why people met, said without the word "aim": "brought together funders ... to discuss", "came together to share".
GATHERED_TO = re.compile(r"(?i)\b(?:brought\s+together|came\s+together|gathered|convened|met)\b[^.;]{0,80}?\bto\s+[a-z]{4,}")
# Failing both, what was held (the front matter's verbs of meeting): "the OECD hosted a hybrid event
# titled ...", "we got together for the summit".
EVENT_HELD = re.compile(
    rf"{HELD.pattern}[^.;]{{0,90}}?"
    rf"\b(?i:event|{MEETING_KINDS})s?\b"
)
PURPOSE_CUES = (AIM_CUE, GATHERED_TO, EVENT_HELD)  # in order of preference


def summarise(report: Report, briefs: list[Brief]) -> Briefs:
    """The pack's key messages: why the meeting was held (the report's stated aim) and a bottom
    line of 3-5 sentences drawn from the recommendations and outcomes, each with its source."""
    purpose = _stated_purpose(report) or next(iter(_background_points(report, limit=1)), None)
    bottom_line = bottom_line_points(report, briefs)
    points = [*([purpose] if purpose else []), *bottom_line]
    summary = " ".join(_flat(p.text) for p in points)
    return Briefs(
        executive_summary=summary, summary_points=points, purpose=purpose, bottom_line=bottom_line, briefs=briefs
    )


def bottom_line_points(report: Report, briefs: list[Brief] = ()) -> list[KeyPoint]:
    """The 3-5 most central of the report's recommendations (its panels' outcomes when it has too few,
    then the briefs' key points that prescribe or conclude), condensed to their prescriptive
    sentence, in the report's order; near-duplicates are skipped."""
    pool = [*report.recommendations]
    if len(pool) < MIN_BOTTOM_LINE:
        pool += [o for p in report.panels for o in p.outcomes]
    candidates = [(text, source) for text in pool if (source := _item_source(report, text))]
    if len(candidates) < MIN_BOTTOM_LINE:
        points = [k for b in briefs for k in b.key_points if PRESCRIPTIVE.search(k.text) or CONCLUDING.search(k.text)]
        candidates += [(k.text, k.source) for k in points]
    condensed = [(_condense(text), source) for text, source in candidates]
    condensed = [(t, s) for t, s in condensed if not CONNECTIVE_START.match(t)]
    if not condensed:
        return []
    vectors = _tfidf([t for t, _ in condensed])
    centroid: Counter[str] = Counter()
    for vector in vectors:
        centroid.update(vector)
    order = sorted(range(len(condensed)), key=lambda i: (-round(_cosine(vectors[i], centroid), 9), i))
    chosen: list[int] = []
    used = 0
    for i in order:
        words = _words(condensed[i][0])
        if len(chosen) == MAX_BOTTOM_LINE or used + words > BOTTOM_LINE_WORD_LIMIT:
            continue
        if any(_cosine(vectors[i], vectors[j]) > 0.5 for j in chosen):
            continue
        chosen.append(i)
        used += words
    return [KeyPoint(text=condensed[i][0], source=condensed[i][1]) for i in sorted(chosen)]


def _item_source(report: Report, text: str) -> SourceRef | None:
    """The source of the list item (or paragraph) that holds `text`."""
    flat = _flat(text)
    block = next((b for b in report.document.blocks if b.kind in ("item", "paragraph") and flat in _flat(b.text)), None)
    return block.source_at(max(block.text.find(text.strip()), 0)) if block else None


def _background_points(report: Report, limit: int = 2) -> list[KeyPoint]:
    """The best sentence of each of the first background paragraphs; a stated aim wins."""
    blocks = [b for s in _background_sections(report) for b in _own_blocks(report, s) if b.kind == "paragraph"]
    points = []
    for block in blocks[:limit]:
        candidates = [c for c in candidates_from([block], exclude=set()) if c.self_contained]
        stated = [c for c in candidates if AIM_CUE.search(c.text)]
        chosen = stated[:1] or [c for _, c in rank(candidates)[:1]]
        points += [KeyPoint(text=c.text, source=c.source) for c in chosen]
    return points


OPENING_PARAGRAPHS = 6


def _stated_purpose(report: Report) -> KeyPoint | None:
    """The first sentence that says why people met (or, failing that, what was held), in the
    background's first paragraphs, then in the text before the first session."""
    background = [b for s in _background_sections(report) for b in _own_blocks(report, s) if b.kind == "paragraph"]
    starts = [p.first_block for p in report.panels]
    if report.keynote_section:
        starts.append(report.keynote_section.first_block)
    opening = [b for b in report.document.blocks[: min(starts, default=len(report.document.blocks))] if b.kind == "paragraph"]
    opening = [b for b in opening if b not in background]  # a background before the sessions is read once
    # a purpose is stated up front, not in an annex
    blocks = [*background[:OPENING_PARAGRAPHS], *opening[:OPENING_PARAGRAPHS]]
    candidates = [c for c in candidates_from(blocks, exclude=set()) if c.self_contained]
    for cue in PURPOSE_CUES:
        if stated := next((c for c in candidates if cue.search(c.text)), None):
            return KeyPoint(text=stated.text, source=stated.source)
    return None


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
