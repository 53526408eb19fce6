"""Typo correction: non-word spelling errors, real-word errors from context, and errata.

`correct(document, protected, ...)` finds corrections in every paragraph, list item,
heading and footnote, applies those whose confidence reaches the threshold and records
all of them (applied or only suggested) as `Correction`s. Offsets are into the block's
(or footnote's) text as it came in.

How it decides:
- Variety: British or American spelling is detected from the document (or given), and
  no correction ever swaps one variety's spelling for the other's: both varieties'
  spellings are words, and a non-word's candidates that belong to the other variety
  are dropped. The variety only switches on variety-specific rules ("practises" as a
  noun is wrong in en-GB).
- Non-words: a lower-case word that wordfreq's English list does not know (or knows
  only as noise) is corrected to the most frequent word one edit away (two for long
  words); confidence depends on how clearly that candidate wins.
- Real words: context rules and fixed expressions from tasks/data/confusions.yaml, so
  an editor can extend them without touching code.
- Protection: names from the structure stage, capitalised words not at a sentence
  start, acronyms, mixed-case words, foreign and accented words, URLs and e-mail
  addresses are never changed (a fixed expression may still fix a capitalised word,
  as in "Hippocras Oath").
- Errata: the editor's own replacements come first and always apply; a "never change"
  entry blocks every automatic rule on that word (recorded with rule "blocked:<rule>").

`load_errata` is the only function here that reads a user's file.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import math
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml
from wordfreq import get_frequency_dict, zipf_frequency

from tasks.model import Block, Correction, Corrections, Document, Footnote, Inline

VERSION = "1"  # bump when this stage's output changes for the same input

DATA = Path(__file__).resolve().parent / "data"
LETTERS = "abcdefghijklmnopqrstuvwxyz"
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+\.[\w.-]+|\b[\w-]+\.(?:org|com|int|net|eu|gov)\b\S*")
# a sentence ends at . ! ? followed by space and an upper-case letter, a quote or a digit
SENTENCE_END = re.compile(
    r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bSt)(?<!\bNo)(?<!\bcf)"
    r"[.!?]['\"”’)]*\s+(?=[A-Z\"“‘(\d])"
)
LONGEST_WORD = 45  # longer runs of letters are codes or junk: never corrected, and costly to try
NOISE_ZIPF = 1.5  # wordfreq entries rarer than this are mostly noise and typos
CANDIDATE_ZIPF = 3.0  # a correction must be a reasonably common word
OTHER_LANGUAGES = ("fr", "it", "es", "de", "pt", "nl")
BLOCKED = "blocked:"
# productive affixes: a rare word made of a known word and one of these is a word
PREFIXES = ("de", "re", "un", "non", "pre", "post", "over", "under", "mis", "dis", "inter", "intra", "multi",
            "sub", "co", "counter", "anti", "self-", "trans", "cross", "micro", "macro", "socio", "psycho", "re-")
SUFFIXES = ("ability", "ibility", "isation", "ization", "isations", "izations", "ising", "izing", "ised", "ized",
            "ness", "ment", "ments", "ity", "ities", "ing", "ings", "ed", "er", "ers", "s", "es", "ly", "al",
            "ally", "ism", "ist", "ists", "ise", "ize", "ive", "ist", "wise", "able", "ible")


# --- data ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Errata:
    """The editor's own corrections: replacements applied first, words never changed."""

    replacements: dict[str, str] = field(default_factory=dict)
    never_change: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ContextRule:
    name: str
    pattern: re.Pattern
    replacement: str | dict[str, str]
    confidence: float
    unless: re.Pattern | None = None
    exclude: frozenset[str] = frozenset()
    variety: str | None = None


@dataclass(frozen=True)
class Rules:
    context: tuple[ContextRule, ...]
    expressions: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Varieties:
    words: dict[str, str]  # an inflected spelling -> "en-GB" or "en-US"
    counterpart: dict[str, str]  # each spelling -> the other variety's spelling


def load_errata(path: str | Path) -> Errata:
    """Read an errata file: TOML or YAML with `replacements` and `never_change`."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text) if path.suffix.lower() == ".toml" else (yaml.safe_load(text) or {})
    replacements = {str(k): str(v) for k, v in (data.get("replacements") or {}).items()}
    never = data.get("never_change") or data.get("never-change") or []
    return Errata(replacements=replacements, never_change=frozenset(str(w) for w in never))


@functools.cache
def load_rules(path: Path = DATA / "confusions.yaml") -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    context = tuple(_context_rule(entry) for entry in data.get("rules", []))
    expressions = tuple(tuple(text.split()) for text in data.get("expressions", []))
    return Rules(context=context, expressions=expressions)


def _context_rule(entry: dict) -> ContextRule:
    unless = entry.get("unless")
    return ContextRule(
        name=entry["name"],
        pattern=re.compile(entry["pattern"], re.IGNORECASE),
        replacement=entry["replacement"],
        confidence=float(entry["confidence"]),
        unless=re.compile(unless, re.IGNORECASE) if unless else None,
        exclude=frozenset(entry.get("exclude", [])),
        variety=entry.get("variety"),
    )


@functools.cache
def load_varieties(path: Path = DATA / "varieties.yaml") -> Varieties:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    neutral = set(data.get("neutral", []))
    words: dict[str, str] = {}
    counterpart: dict[str, str] = {}
    for british, american in data["pairs"].items():
        for suffix in data["suffixes"]:
            gb, us = british + suffix, american + suffix
            if _frequency(gb) < NOISE_ZIPF and _frequency(us) < NOISE_ZIPF:
                continue  # not a real inflection of either
            counterpart[gb], counterpart[us] = us, gb
            if gb not in neutral:
                words[gb] = "en-GB"
            if us not in neutral:
                words[us] = "en-US"
    return Varieties(words=words, counterpart=counterpart)


@functools.cache
def _vocabulary() -> dict[str, float]:
    """wordfreq's English list as word -> Zipf frequency."""
    return {word: math.log10(freq) + 9 for word, freq in get_frequency_dict("en", wordlist="best").items()}


def _frequency(word: str) -> float:
    return _vocabulary().get(word.lower(), 0.0)


# --- variety ---------------------------------------------------------------------------


def detect_variety(texts: list[str]) -> str:
    """en-GB or en-US by counting variety-specific spellings in lower-case words."""
    words = load_varieties().words
    votes = {"en-GB": 0, "en-US": 0}
    for text in texts:
        for match in WORD.finditer(text):
            variety = words.get(match.group())  # lower case only: names do not vote
            if variety:
                votes[variety] += 1
    return "en-US" if votes["en-US"] > votes["en-GB"] else "en-GB"


# --- text units and tokens -------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One block's or footnote's text, where corrections are found and applied."""

    text: str
    page: int | None
    block: int | None = None
    footnote: str | None = None


@dataclass(frozen=True)
class Token:
    text: str
    start: int
    end: int
    sentence_start: bool


def sentence_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return spans


def sentence_at(text: str, offset: int) -> str:
    for start, end in sentence_spans(text):
        if start <= offset < end:
            return text[start:end].strip()
    return text.strip()


def tokens(text: str) -> list[Token]:
    result = []
    for start, end in sentence_spans(text):
        for index, match in enumerate(WORD.finditer(text, start, end)):
            if len(match.group()) <= LONGEST_WORD:
                result.append(Token(match.group(), match.start(), match.end(), index == 0))
    return result


# --- protection ------------------------------------------------------------------------


def protected_spans(text: str, protected: set[str]) -> list[tuple[int, int]]:
    """Spans no automatic rule may touch: the given names, URLs and e-mail addresses."""
    spans = [m.span() for m in URL_OR_EMAIL.finditer(text)]
    for name in protected:
        if name.strip():
            spans += [m.span() for m in re.finditer(rf"(?<!\w){re.escape(name.strip())}(?!\w)", text)]
    return spans


def name_words(protected: set[str]) -> set[str]:
    """Each capitalised word of a protected name: a surname alone is still a name."""
    return {w for name in protected for w in WORD.findall(name) if w[:1].isupper()}


def is_protected_token(token: Token, names: set[str]) -> bool:
    word = token.text
    if word in names or not word.isascii():
        return True  # a name, or an accented (foreign) word
    if sum(c.isupper() for c in word) > 1:
        return True  # acronym or mixed case (ICMPD, EuropeAid)
    if word[0].isupper() and not token.sentence_start:
        return True  # a name or a title word
    return False


@functools.cache
def is_foreign(word: str) -> bool:
    """A word English does not know but another European language does (inter alia)."""
    lower = word.lower()
    if _frequency(lower) >= NOISE_ZIPF:
        return False
    return any(zipf_frequency(lower, lang) >= 2.5 for lang in OTHER_LANGUAGES)


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


# --- candidates ------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A correction found in a unit, before it is decided whether to apply it."""

    start: int
    end: int
    original: str
    replacement: str
    rule: str
    confidence: float
    priority: int  # lower wins a clash: errata, context rules, expressions, non-words
    shielded: bool = False  # may change capitalised (derived-protected) words


def match_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def errata_candidates(text: str, errata: Errata) -> Iterator[Candidate]:
    for wrong, right in errata.replacements.items():
        for form, fixed in {wrong: right, wrong[:1].upper() + wrong[1:]: match_case(right, wrong[:1].upper())}.items():
            for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text):
                yield Candidate(m.start(), m.end(), m.group(), fixed, "errata", 1.0, 0, shielded=True)


def rule_candidates(text: str, language: str) -> Iterator[Candidate]:
    for rule in load_rules().context:
        if rule.variety and rule.variety != language:
            continue
        for m in rule.pattern.finditer(text):
            start, end = m.span("fix")
            fix = m.group("fix")
            if fix.lower() in rule.exclude:
                continue
            if rule.unless and rule.unless.search(sentence_at(text, start)):
                continue
            if isinstance(rule.replacement, dict):
                replacement = rule.replacement.get(fix.lower())
                if replacement is None:
                    continue
            else:
                replacement = m.expand(rule.replacement)
            yield Candidate(start, end, fix, match_case(replacement, fix), rule.name, rule.confidence, 1)


def expression_candidates(unit_tokens: list[Token]) -> Iterator[Candidate]:
    """Runs of words that match a fixed expression but for one word."""
    for expression in load_rules().expressions:
        size = len(expression)
        for i in range(len(unit_tokens) - size + 1):
            window = unit_tokens[i : i + size]
            differing = [j for j in range(size) if window[j].text.lower() != expression[j].lower()]
            if len(differing) != 1:
                continue
            token, wanted = window[differing[0]], expression[differing[0]]
            candidate = _expression_fix(token, wanted, size)
            if candidate:
                yield candidate


def _expression_fix(token: Token, wanted: str, size: int) -> Candidate | None:
    similar = difflib.SequenceMatcher(None, token.text.lower(), wanted.lower()).ratio() >= 0.6
    if _frequency(token.text) < NOISE_ZIPF and similar:
        confidence = 0.95  # a non-word where a fixed expression's word belongs
    elif size >= 5:
        confidence = 0.6  # a real word swapped in a long title: suggest only
    else:
        return None
    replacement = match_case(wanted, token.text)
    return Candidate(token.start, token.end, token.text, replacement, "expression", confidence, 2, shielded=True)


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in LETTERS]
    inserts = [a + c + b for a, b in splits for c in LETTERS]
    return set(deletes + transposes + replaces + inserts)


def spelling_candidates(word: str, language: str, max_distance: int = 2) -> list[tuple[str, int]]:
    """Common words one edit away (two for longer words), best first, same variety only."""
    vocabulary = _vocabulary()
    varieties = load_varieties().words

    def usable(candidate: str) -> bool:
        other = varieties.get(candidate)
        return vocabulary.get(candidate, 0.0) >= CANDIDATE_ZIPF and (other is None or other == language)

    first = edits1(word)
    near = {c for c in first & _common_words() if usable(c)}
    if near:
        return [(c, 1) for c in sorted(near, key=lambda c: -vocabulary[c])]
    if len(word) < 6 or max_distance < 2:
        return []
    second = set().union(*(edits1(c) for c in first)) & _common_words()
    far = {c for c in second if usable(c)}
    return [(c, 2) for c in sorted(far, key=lambda c: -vocabulary[c])]


@functools.cache
def _common_words() -> frozenset[str]:
    return frozenset(w for w, z in _vocabulary().items() if z >= CANDIDATE_ZIPF and w.isalpha())


def is_derived_word(word: str) -> bool:
    """A rare word built from a known one: de+skilling, export+ability, regulariz(e)+ing."""
    for prefix in PREFIXES:
        if word.startswith(prefix) and _frequency(word[len(prefix) :]) >= 2.5:
            return True
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            stem = word[: -len(suffix)]
            if max(_frequency(stem), _frequency(stem + "e")) >= 3.0:
                return True
    return False


@functools.cache
def load_misspellings(path: Path = DATA / "misspellings.yaml") -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


def misspelling_candidates(text: str) -> Iterator[Candidate]:
    """Listed common misspellings; a capitalised one only at a sentence start."""
    for token in tokens(text):
        fixed = load_misspellings().get(token.text.lower())
        if fixed and (token.text.islower() or (token.sentence_start and token.text[1:].islower())):
            yield Candidate(token.start, token.end, token.text, match_case(fixed, token.text), "spelling", 0.95, 3)


def frequent_neighbour(word: str, language: str) -> Candidate | None:
    """A listed-but-rare word with a far more common word one edit away ("goverment")."""
    zipf = _frequency(word)
    if zipf >= 3.0 or len(word) < 5:
        return None
    counterpart = load_varieties().counterpart.get(word)
    ranked = [
        (c, 1) for c, _ in spelling_candidates(word, language, max_distance=1)[:1]
        if c != counterpart and not (c.startswith(word) or word.startswith(c))  # not an inflection
    ]
    if not ranked:
        return None
    gap = _frequency(ranked[0][0]) - zipf
    if gap < 2.5:
        return None
    return Candidate(0, 0, word, ranked[0][0], "spelling", 0.9 if gap >= 2.8 else 0.8, 3)


def without_possessive(token: Token) -> Token:
    if token.text[-2:] in ("'s", "’s"):
        return dataclasses.replace(token, text=token.text[:-2], end=token.end - 2)
    return token


def nonword_candidates(
    unit_tokens: list[Token], language: str, names: set[str], guarded: list[tuple[int, int]]
) -> Iterator[Candidate]:
    for token in map(without_possessive, unit_tokens):
        word = token.text
        if len(word) < 3 or "'" in word or "’" in word or is_protected_token(token, names):
            continue
        if word[0].isupper() or not re.search("[aeiouy]", word.lower()):
            continue  # a capitalised sentence start unknown to English is usually a name; no vowel: an abbreviation
        if overlaps((token.start, token.end), guarded) or word.lower() in load_misspellings():
            continue
        if _frequency(word) >= NOISE_ZIPF:
            neighbour = frequent_neighbour(word, language)
            if neighbour:
                yield dataclasses.replace(neighbour, start=token.start, end=token.end)
            continue
        if is_derived_word(word.lower()) or is_foreign(word):
            continue
        ranked = spelling_candidates(word, language)
        if ranked:
            confidence = _spelling_confidence(word, ranked)
            yield Candidate(token.start, token.end, word, ranked[0][0], "spelling", confidence, 3)


def _spelling_confidence(word: str, ranked: list[tuple[str, int]]) -> float:
    best, distance = ranked[0]
    margin = _frequency(best) - (_frequency(ranked[1][0]) if len(ranked) > 1 else 0.0)
    # typists rarely miss a first letter; a word wordfreq lists (rarely) may be jargon
    cautious = best[0] != word[0].lower() or (_frequency(word) > 0 and (margin < 1.5 or _frequency(best) < 4.0))
    if distance == 1 and margin >= 1.0:
        return 0.8 if cautious else 0.95
    if distance == 1 and margin >= 0.5:
        return 0.8
    if distance == 2 and margin >= 1.5 and len(word) >= 8:
        return 0.8
    return 0.6


# --- deciding and applying -------------------------------------------------------------


def unit_corrections(
    unit: Unit, protected: set[str], language: str, threshold: float, errata: Errata
) -> list[Correction]:
    names = name_words(protected)
    unit_tokens = tokens(unit.text)
    guarded = protected_spans(unit.text, protected)
    found = [
        *errata_candidates(unit.text, errata),
        *rule_candidates(unit.text, language),
        *expression_candidates(unit_tokens),
        *misspelling_candidates(unit.text),
        *nonword_candidates(unit_tokens, language, names, guarded),
    ]
    capitalised = [(t.start, t.end) for t in unit_tokens if is_protected_token(t, names)]
    never = _never_change_spans(unit.text, errata.never_change)
    kept = []
    for candidate in sorted(found, key=lambda c: (c.priority, -c.confidence, c.start)):
        if candidate.rule != "errata" and overlaps((candidate.start, candidate.end), guarded):
            continue
        if not candidate.shielded and overlaps((candidate.start, candidate.end), capitalised):
            continue
        kept.append(candidate)
    return _decide(unit, kept, threshold, never)


def _never_change_spans(text: str, never_change: frozenset[str]) -> list[tuple[int, int]]:
    spans = []
    for word in never_change:
        spans += [m.span() for m in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", text, re.IGNORECASE)]
    return spans


def _decide(
    unit: Unit, candidates: list[Candidate], threshold: float, never: list[tuple[int, int]]
) -> list[Correction]:
    """Turn candidates into Corrections: one per span, applied ones never overlapping."""
    corrections, applied_spans, seen = [], [], set()
    for c in candidates:
        key = (c.start, c.end, c.replacement)
        if key in seen or c.replacement == c.original:
            continue
        seen.add(key)
        span = (c.start, c.end)
        blocked = c.rule != "errata" and overlaps(span, never)
        applied = not blocked and c.confidence >= threshold and not overlaps(span, applied_spans)
        if applied:
            applied_spans.append(span)
        corrections.append(
            Correction(
                original=c.original,
                replacement=c.replacement,
                rule=BLOCKED + c.rule if blocked else c.rule,
                confidence=c.confidence,
                applied=applied,
                page=unit.page,
                start=c.start,
                end=c.end,
                sentence=sentence_at(unit.text, c.start),
                block=unit.block,
                footnote=unit.footnote,
            )
        )
    return sorted(corrections, key=lambda c: c.start)


def apply_to_inlines(inlines: list[Inline], corrections: list[Correction]) -> tuple[list[Inline], list[Correction]]:
    """Apply corrections inside single inlines; one spanning a boundary is only recorded."""
    bounds, position = [], 0
    for inline in inlines:
        bounds.append((position, position + len(inline.text)))
        position += len(inline.text)
    texts = [inline.text for inline in inlines]
    result = []
    for correction in sorted(corrections, key=lambda c: -c.start):
        inside = (i for i, (s, e) in enumerate(bounds) if s <= correction.start and correction.end <= e and e > s)
        index = next(inside, None)
        if correction.applied and index is None:
            correction = correction.model_copy(update={"applied": False})
        elif correction.applied:
            offset = bounds[index][0]
            text = texts[index]
            texts[index] = text[: correction.start - offset] + correction.replacement + text[correction.end - offset :]
        result.append(correction)
    new_inlines = [inline.model_copy(update={"text": text}) for inline, text in zip(inlines, texts)]
    return new_inlines, sorted(result, key=lambda c: c.start)


def correct(
    document: Document,
    protected: set[str],
    language: str = "auto",
    threshold: float = 0.9,
    errata: Errata | None = None,
) -> tuple[Document, Corrections]:
    """The document with confident corrections applied, and every correction found."""
    errata = errata or Errata()
    texts = [b.text for b in document.blocks] + [f.text for f in document.footnotes]
    variety = detect_variety(texts) if language == "auto" else language
    all_corrections: list[Correction] = []
    options = (protected, variety, threshold, errata, all_corrections)
    blocks = [_correct_block(i, block, *options) for i, block in enumerate(document.blocks)]
    footnotes = [_correct_footnote(note, *options) for note in document.footnotes]
    fixed = document.model_copy(update={"blocks": blocks, "footnotes": footnotes})
    return fixed, Corrections(corrections=all_corrections, language=variety)


def _correct_block(index: int, block: Block, protected, variety, threshold, errata, sink: list[Correction]) -> Block:
    if block.kind == "table" or not block.inlines:
        return block  # table cells are data: names, figures
    unit = Unit(block.text, block.source.page, block=index)
    inlines, found = apply_to_inlines(block.inlines, unit_corrections(unit, protected, variety, threshold, errata))
    sink.extend(found)
    return block.model_copy(update={"inlines": inlines}) if found else block


def _correct_footnote(note: Footnote, protected, variety, threshold, errata, sink: list[Correction]) -> Footnote:
    unit = Unit(note.text, note.source.page, footnote=note.id)
    inlines, found = apply_to_inlines(note.inlines, unit_corrections(unit, protected, variety, threshold, errata))
    sink.extend(found)
    return note.model_copy(update={"inlines": inlines}) if found else note
