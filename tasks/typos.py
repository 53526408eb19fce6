"""Typo correction that keeps out when unsure: errata, listed misspellings, non-words and
real-word confusions, every candidate recorded.

`correct(document, protected, ...)` finds candidates in every paragraph, list item,
heading and footnote of an English text, applies those whose calibrated confidence
reaches the threshold and records all of them as `Correction`s: applied, only suggested,
or discarded with the reason (rule "discarded:<reason>:<rule>"). Offsets are into the
block's (or footnote's) text as it came in.

How it decides (docs/typos.md has the figures):
- Language: py3langid on the document and on each paragraph long enough to tell; only
  English text is corrected, the rest is reported as an Issue.
- Non-words: a lower-case word that neither wordfreq's English list nor SymSpell's
  dictionary knows, corrected to a word one edit away (both varieties' spellings are words).
- Real words: members of published confusion sets (tasks/data/confusions.yaml) swapped
  when bigram counts (SymSpell's English bigram list) favour another member on both sides.
- Confidences: looked up in tasks/data/calibration.yaml, made by benchmarks/typos.py from
  errors planted in text that is not the sample.
- Keep out: words the source set in monospace (the errata too), URLs, e-mails, paths,
  code-like tokens, hyphen-split fragments, names and
  acronyms (given or found capitalised elsewhere in the document), words that occur more
  than once in the document.
- Errata: the editor's replacements come first and apply everywhere but in monospace; a "never change" entry
  blocks every automatic rule on that word (rule "blocked:<rule>").

`load_errata` is the only function here that reads a user's file.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import importlib.resources
import math
import re
import threading
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, NamedTuple

import yaml
from wordfreq import zipf_frequency

from tasks.errors import SourceError, TooManyUnknownWords, UsageError, shown
from tasks.kept import kept
from tasks.model import Block, Correction, Corrections, Document, Footnote, Inline, Issue, PageBreak, page_at

VERSION = "3"  # bump when this stage's output changes for the same input

DATA = Path(__file__).resolve().parent / "data"
SYMSPELL = importlib.resources.files("symspellpy")
LETTERS = "abcdefghijklmnopqrstuvwxyz"
WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
# a sentence ends at . ! ? followed by space and an upper-case letter, a quote or a digit
SENTENCE_END = re.compile(
    r"(?<!\bDr)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bProf)(?<!\be\.g)(?<!\bi\.e)(?<!\bvs)(?<!\bSt)(?<!\bNo)(?<!\bcf)"
    r"[.!?]['\"”’)]*\s+(?=[A-Z\"“‘(\d])"
)
# a whitespace-delimited chunk that is a URL, e-mail, path or code: never touched
CODE_LIKE = re.compile(
    r"://|@|[/\\_=<>{}#~|$`]"  # URL, e-mail, path, snake_case, markup
    r"|\w\.\w"  # dotted name, domain, version string (papeo.app, numpy.array, v1.2)
    r"|[a-z][A-Z]"  # camelCase
    r"|[A-Za-z]\d|\d[A-Za-z]"  # letters and digits mixed (mp3, 2nd, x86)
)
CHUNK = re.compile(r"\S+")
LONGEST_WORD = 45  # longer runs of letters are codes or junk
CANDIDATE_COUNT = 1_000_000  # a correction must be a reasonably common word in SymSpell's counts
MIN_LANGUAGE_WORDS = 8  # shorter paragraphs take the document's language
LANGUAGE_CONFIDENCE = 0.9
LANGUAGE_SAMPLE = 2000
BLOCKED = "blocked:"
DISCARDED = "discarded:"
DEFAULT_MAX_UNKNOWN_WORDS = 2000

# errata limits: an errata file is a short list written by hand
MAX_ERRATA_BYTES = 100_000
MAX_ERRATA_TEXT = 200  # characters in one word or replacement
MAX_ERRATA_ENTRIES = 2000


# --- errata ----------------------------------------------------------------------------


class BadErrata(UsageError):
    """An errata file that cannot be used: unreadable, not UTF-8, malformed, over a limit (exit 2)."""


@dataclass(frozen=True)
class Errata:
    """The editor's own corrections: replacements applied first, words never changed."""

    replacements: dict[str, str] = field(default_factory=dict)
    never_change: frozenset[str] = frozenset()


def load_errata(path: str | Path) -> Errata:
    """Read an errata file: TOML or YAML with `replacements` and `never_change`."""
    path = Path(path)
    name = shown(path)
    try:
        size = path.stat().st_size
        if size > MAX_ERRATA_BYTES:
            raise BadErrata(f"{name}: errata file of {size:,} bytes is over the limit of {MAX_ERRATA_BYTES:,}")
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise BadErrata(f"{name}: errata file cannot be read ({error.strerror or type(error).__name__})") from None
    except UnicodeDecodeError as error:
        raise BadErrata(f"{name}: errata file is not UTF-8 ({error.reason} at byte {error.start})") from None
    data = _parse_errata(text, path, name)
    replacements = data.get("replacements") or {}
    never = data.get("never_change") or data.get("never-change") or []
    if not isinstance(replacements, dict) or not isinstance(never, list):
        raise BadErrata(f"{name}: errata file needs a `replacements` table and a `never_change` list")
    errata = Errata(
        replacements={str(k): str(v) for k, v in replacements.items()},
        never_change=frozenset(str(w) for w in never),
    )
    _check_errata_limits(errata, name)
    return errata


def _parse_errata(text: str, path: Path, name: str) -> dict:
    try:
        data = tomllib.loads(text) if path.suffix.lower() == ".toml" else yaml.safe_load(text)
    except tomllib.TOMLDecodeError as error:
        raise BadErrata(f"{name}: errata file is not valid TOML ({error})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise BadErrata(f"{name}: errata file is not valid YAML{where} ({getattr(error, 'problem', error)})") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BadErrata(f"{name}: errata file needs a `replacements` table and a `never_change` list")
    return data


def _check_errata_limits(errata: Errata, name: str) -> None:
    entries = len(errata.replacements) + len(errata.never_change)
    if entries > MAX_ERRATA_ENTRIES:
        raise BadErrata(f"{name}: {entries:,} errata entries is over the limit of {MAX_ERRATA_ENTRIES:,}")
    for text in [*errata.replacements, *errata.replacements.values(), *errata.never_change]:
        if len(text) > MAX_ERRATA_TEXT:
            raise BadErrata(f"{name}: errata entry {text[:40]!r}... is over {MAX_ERRATA_TEXT} characters")
        if not text.strip() and text not in errata.replacements.values():
            raise BadErrata(f"{name}: an errata entry is empty")


# --- language resources: loaded once per process, kept between processes ---------------

_kept_in: Path | None = None


def keep_resources_in(folder: Path | None) -> None:
    """Keep the loaded word lists and language model as pickles in `folder` (None: do not).

    Parsing the packages' files costs a new process 1.5-3 s (py3langid's compressed model
    most of it); their pickles load in a tenth of that. The orchestration gives the
    result store's resources/ folder, as trusted as the cached results beside it.
    """
    global _kept_in
    _kept_in = Path(folder) if folder else None


def _kept(name: str, load: Callable[[], Any], *depends: str) -> Any:
    return kept(_kept_in, name, load, *depends)


def _version(distribution: str) -> str:
    return f"{distribution}=={metadata.version(distribution)}"


_loading = threading.Lock()


def load_resources() -> None:
    """Load every word list and model now; a second caller waits for the first instead of loading too.

    The orchestration starts this while the pages are parsed, and the correct task
    calls it first, so the two never parse the same file twice.
    """
    with _loading:
        load_varieties()
        common_words()
        bigrams()
        unseen_bigram()
        _language_identifier()
        zipf_frequency("the", "en")  # wordfreq reads its English list at its first use




def _counts(filename: str) -> dict[str, int]:
    counts = {}
    with (SYMSPELL / filename).open(encoding="utf-8") as handle:
        for line in handle:
            *words, count = line.split()
            counts[" ".join(words)] = int(count)
    return counts


@functools.cache
def unigrams() -> dict[str, int]:
    """SymSpell's English dictionary (SCOWL words with Google Books counts)."""
    return _kept("unigrams", lambda: _counts("frequency_dictionary_en_82_765.txt"), _version("symspellpy"))


BIGRAMS = "frequency_bigramdictionary_en_243_342.txt"


@functools.cache
def bigrams() -> dict[str, int]:
    """SymSpell's English bigram counts ("than men" -> count) of the pairs with a confusion-set word:
    the only ones looked up, found by one regular expression over the file (a fifth of the load time)."""
    words = "|".join(sorted(map(re.escape, load_confusions()), key=len, reverse=True))
    pair = re.compile(rf"^((?:{words}) \S+|\S+ (?:{words})) (\d+)$", re.MULTILINE)

    def load() -> dict[str, int]:
        text = (SYMSPELL / BIGRAMS).read_text(encoding="utf-8")
        return {m[1]: int(m[2]) for m in pair.finditer(text)}

    return _kept("bigrams", load, _version("symspellpy"), words)


@functools.cache
def unseen_bigram() -> float:
    """A bigram absent from the list is rarer than the rarest listed: half its count."""
    def load() -> float:
        text = (SYMSPELL / BIGRAMS).read_text(encoding="utf-8")
        return min(map(int, re.findall(r" (\d+)$", text, re.MULTILINE))) / 2

    return _kept("unseen-bigram", load, _version("symspellpy"))


@functools.cache
def common_words() -> frozenset[str]:
    """The words a correction may be: in SymSpell's dictionary with a count of CANDIDATE_COUNT or more."""
    return frozenset(w for w, count in unigrams().items() if count >= CANDIDATE_COUNT)


@functools.lru_cache(maxsize=100_000)
def is_word(word: str) -> bool:
    """Known to wordfreq's English list (any frequency) or to SymSpell's dictionary, or an
    inflection of a known word ("summarizers", "batching")."""
    lower = word.lower()
    return _known(lower) or any(
        _known(stem) for ending in INFLECTIONS if lower.endswith(ending) and len(lower) - len(ending) >= 4
        for stem in (lower[: -len(ending)], lower[: -len(ending)] + "e")
    )


INFLECTIONS = ("s", "es", "ed", "ing", "er", "ers", "ly")


def _known(word: str) -> bool:
    return word in unigrams() or zipf_frequency(word, "en") > 0


@functools.cache
def load_misspellings(path: Path = DATA / "misspellings.yaml") -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in yaml.safe_load(path.read_text(encoding="utf-8")).items()}


@functools.cache
def load_confusions(path: Path = DATA / "confusions.yaml") -> dict[str, tuple[str, ...]]:
    """Each word of a confusion set -> the other words of its set."""
    sets = yaml.safe_load(path.read_text(encoding="utf-8"))["sets"]
    return {word: tuple(w for w in words if w != word) for words in sets for word in words}


@functools.cache
def load_calibration(path: Path = DATA / "calibration.yaml") -> dict[str, float]:
    """Bucket -> confidence, as benchmarks/typos.py measured them."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {bucket: float(entry["confidence"]) for bucket, entry in data["buckets"].items()}


def confidence(bucket: str) -> float:
    return load_calibration().get(bucket, 0.5)  # a bucket the calibration never saw: suggest only


@dataclass(frozen=True)
class Varieties:
    words: dict[str, str]  # an inflected spelling -> "en-GB" or "en-US"


@functools.cache
def load_varieties(path: Path = DATA / "varieties.yaml") -> Varieties:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    neutral = set(data.get("neutral", []))
    words: dict[str, str] = {}
    for british, american in data["pairs"].items():
        for suffix in data["suffixes"]:
            for spelling, variety in ((british + suffix, "en-GB"), (american + suffix, "en-US")):
                if spelling not in neutral and spelling in unigrams():
                    words[spelling] = variety
    return Varieties(words=words)


def detect_variety(texts: Iterable[str]) -> str:
    """en-GB or en-US by counting variety-specific spellings in lower-case words."""
    words = load_varieties().words
    votes = Counter(words.get(m.group()) for text in texts for m in WORD.finditer(text))
    return "en-US" if votes["en-US"] > votes["en-GB"] else "en-GB"


@functools.cache
def _language_identifier():
    from py3langid.langid import _load_identifier

    return _kept("langid", lambda: _load_identifier(norm_probs=True), _version("py3langid"), _version("numpy"))


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, probability) of the text's language, from its first LANGUAGE_SAMPLE characters
    (py3langid's probabilities drift on very long inputs)."""
    language, probability = _language_identifier().classify(text[:LANGUAGE_SAMPLE])
    return language, float(probability)


# --- text units and tokens -------------------------------------------------------------


@dataclass(frozen=True)
class Unit:
    """One block's or footnote's text, where corrections are found and applied."""

    text: str
    page: int | None
    block: int | None = None
    footnote: str | None = None
    page_breaks: tuple[PageBreak, ...] = ()  # a paragraph that crosses pages (Block.page_breaks)
    monospace: tuple[tuple[int, int], ...] = ()  # character spans the source set in a fixed-pitch font

    def page_at(self, offset: int) -> int | None:
        return page_at(self.page, self.page_breaks, offset) if self.page is not None else None

    @property
    def sentences(self) -> tuple[tuple[int, int], ...]:
        return sentences(self.text)

    @property
    def tokens(self) -> tuple[Token, ...]:
        return tokens(self.text)

    def sentence_at(self, offset: int) -> str:
        starts = sentence_starts(self.text)
        start, end = self.sentences[max(bisect.bisect_right(starts, offset) - 1, 0)]
        return self.text[start:end].strip()


class Token(NamedTuple):
    text: str
    start: int
    end: int
    sentence_start: bool

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


# Texts are split once per process: the document's context and the correction pass share it.
@functools.lru_cache(maxsize=4096)
def sentences(text: str) -> tuple[tuple[int, int], ...]:
    spans, start = [], 0
    for match in SENTENCE_END.finditer(text):
        spans.append((start, match.end()))
        start = match.end()
    spans.append((start, len(text)))
    return tuple(spans)


@functools.lru_cache(maxsize=4096)
def sentence_starts(text: str) -> list[int]:
    return [start for start, _ in sentences(text)]


@functools.lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[Token, ...]:
    result = []
    for start, end in sentences(text):
        for index, match in enumerate(WORD.finditer(text, start, end)):
            if match.end() - match.start() <= LONGEST_WORD:
                result.append(Token(match.group(), match.start(), match.end(), index == 0))
    return tuple(result)


# --- keeping out -----------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What the whole document says about its words: names, repeats, language, variety."""

    variety: str
    language: str
    names: frozenset[str]  # capitalised words seen inside a sentence, acronyms, given names
    counts: Counter  # lower-case word -> occurrences in the document
    max_unknown: int


def document_context(texts: list[str], protected: set[str], variety: str, max_unknown: int) -> Context:
    names, counts = set(), Counter()
    for text in texts:
        for token in tokens(text):
            counts[token.text.lower()] += 1
            if (token.capitalised and not token.sentence_start) or mixed_case(token.text):
                names.add(token.text)
    for name in protected:
        names.update(w for w in WORD.findall(name) if w[:1].isupper())
    step = max(1, len(texts) // 20)  # the start of paragraphs from all over the document, not its title page
    sample = " ".join(text[: LANGUAGE_SAMPLE // 20] for text in texts[::step])
    language, probability = detect_language(sample) if sample.strip() else ("en", 1.0)
    language = language if probability >= LANGUAGE_CONFIDENCE else "en"  # too little text to tell
    return Context(variety, language, frozenset(names), counts, max_unknown)


def unit_language(unit: Unit, context: Context) -> str:
    if len(unit.tokens) < MIN_LANGUAGE_WORDS:
        return context.language
    language, probability = detect_language(unit.text)
    return language if probability >= LANGUAGE_CONFIDENCE else context.language


class Guard:
    """Character spans of a unit no automatic rule may touch, each with its reason."""

    def __init__(self, unit: Unit, protected: set[str]) -> None:
        self.reasons: dict[int, str] = {}
        for span in unit.monospace:
            self._mark(span, "monospace")  # code, commands, identifiers: the source's own spelling
        for chunk in CHUNK.finditer(unit.text):
            if CODE_LIKE.search(chunk.group().strip(".,;:!?()[]\"'“”‘’")):
                self._mark(chunk.span(), "code")
        for name in protected:
            if name.strip():
                for m in re.finditer(rf"(?<!\w){re.escape(name.strip())}(?!\w)", unit.text):
                    self._mark(m.span(), "name")

    def _mark(self, span: tuple[int, int], reason: str) -> None:
        for i in range(*span):
            self.reasons.setdefault(i, reason)

    def reason(self, start: int, end: int) -> str | None:
        return next((self.reasons[i] for i in range(start, end) if i in self.reasons), None)


def keep_out_reason(token: Token, unit: Unit, context: Context, guard: Guard) -> str | None:
    """Why a candidate on this token must not be applied, or None."""
    reason = guard.reason(token.start, token.end)
    if reason:
        return reason
    if token.text in context.names or (token.capitalised and token.text.lower() in _lower(context.names)):
        return "name"
    if mixed_case(token.text):
        return "acronym"
    if token.capitalised and not token.sentence_start:
        return "name"
    text = unit.text
    before, after = text[token.start - 1 : token.start], text[token.end : token.end + 1]
    if "-" in (before, after):
        return "hyphen-fragment"
    if (before and before not in OPENERS) or (after and after not in CLOSERS):
        return "fragment"  # glued to a digit, a spacing accent (La´szlo´) or a symbol: part of something else
    if not token.text.isascii():
        return "foreign"
    return None


OPENERS = frozenset(" \t\n(['\"“‘/")
CLOSERS = frozenset(" \t\n.,;:!?)]'\"”’/")
# two spaces between letters: a gap left by columns or table cells, not a space in a sentence
LAYOUT_GAP = re.compile(r"[^\W\d_] {2,}[^\W\d_]")
PLAIN_WORD = re.compile(r"[(\[\"“‘']*[^\W\d_]+(?:['’-][^\W\d_]+)*[)\]\"”’'.,;:!?]*")


def is_prose(sentence: str) -> bool:
    """Most of the sentence's chunks are plain words and no layout gap runs through it:
    not a table row, a formula or interleaved columns, where neighbouring words are no context."""
    chunks = sentence.split()
    words = sum(1 for chunk in chunks if PLAIN_WORD.fullmatch(chunk))
    return not LAYOUT_GAP.search(sentence) and words >= 0.8 * len(chunks)


def mixed_case(word: str) -> bool:
    """An upper-case letter after the first: an acronym (UNHCR) or a mixed-case name (EuropeAid)."""
    return word[1:] != word[1:].lower()


@functools.lru_cache(maxsize=64)
def _lower(names: frozenset[str]) -> frozenset[str]:
    return frozenset(n.lower() for n in names)


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
    priority: int  # lower wins a clash: errata, misspellings, real words, non-words
    discarded: str | None = None  # the keep-out reason, when it must not be applied


def match_case(replacement: str, original: str) -> str:
    if original[:1].isupper() and replacement[:1].islower():
        return replacement[0].upper() + replacement[1:]
    return replacement


def errata_candidates(text: str, errata: Errata) -> Iterator[Candidate]:
    """All replacements in one pass: one alternation, longest entries first."""
    if not errata.replacements:
        return
    fixes = {}
    for wrong, right in errata.replacements.items():
        if wrong:
            fixes.setdefault(wrong, right)
            fixes.setdefault(wrong[:1].upper() + wrong[1:], match_case(right, wrong[:1].upper()))
    pattern = _alternation(tuple(sorted(fixes, key=lambda w: (-len(w), w))))
    for m in pattern.finditer(text):
        yield Candidate(m.start(), m.end(), m.group(), fixes[m.group()], "errata", 1.0, 0)


@functools.lru_cache(maxsize=16)
def _alternation(words: tuple[str, ...], flags: int = 0) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, words)) + r")(?!\w)", flags)


def misspelling_candidate(token: Token) -> Candidate | None:
    """A listed common misspelling; a capitalised one only at a sentence start."""
    fixed = load_misspellings().get(token.text.lower())
    if fixed and (token.text.islower() or (token.sentence_start and token.text[1:].islower())):
        return Candidate(
            token.start, token.end, token.text, match_case(fixed, token.text), "spelling", confidence("listed"), 1
        )
    return None


def repeated_word_candidates(unit: Unit) -> Iterator[Candidate]:
    """A true "the the": the same lower-case word twice, one space apart, both whole words."""
    for first, second in zip(unit.tokens, unit.tokens[1:]):
        if first.text.lower() != second.text or not second.text.islower() or unit.text[first.end : second.start] != " ":
            continue
        around = unit.text[first.start - 1 : first.start] + unit.text[second.end : second.end + 1]
        if "-" in around or second.text in REPEATS_ALLOWED or len(second.text) < 2 or not second.text.isascii():
            continue  # "i i", "α α": variables in a formula
        # a slip doubles a short, frequent word ("the the", "on on"); a doubled content word
        # may be meant ("how open open source is"), so it is only recorded
        meant = None if zipf_frequency(second.text, "en") >= FUNCTION_WORD_ZIPF else "content-word"
        yield Candidate(first.start, second.end, f"{first.text} {second.text}", first.text, "repeated-word",
                        confidence("repeated-word"), 2, discarded=meant)


FUNCTION_WORD_ZIPF = 6.0  # wordfreq's scale: "the" 7.7, "on" 6.9, "can" 6.5; "open" 5.5, "data" 5.3
REPEATS_ALLOWED = frozenset({"that", "had", "is", "do", "bye", "so", "very", "no", "well", "far", "more"})


def realword_candidate(unit: Unit, index: int) -> Candidate | None:
    """Swap a confusion-set word when the bigrams on both sides favour another member."""
    token = unit.tokens[index]
    alternatives = load_confusions().get(token.text.lower())
    if not alternatives or not (token.text.islower() or token.sentence_start):
        return None
    left = _neighbour(unit, index, -1)
    right = _neighbour(unit, index, +1)
    if left is None and right is None:
        return None
    scored = [(context_margin(token.text.lower(), other, left, right), other) for other in alternatives]
    margin, best = max(((m, o) for m, o in scored if m is not None), default=(0.0, ""))
    if margin <= 0:
        return None
    bucket = f"real-word:{margin_bucket(margin)}"
    return Candidate(token.start, token.end, token.text, match_case(best, token.text), "real-word",
                     confidence(bucket), 2)


def _neighbour(unit: Unit, index: int, step: int) -> str | None:
    """The next word on that side, if only spaces separate them (punctuation is a boundary)."""
    other = index + step
    if not 0 <= other < len(unit.tokens):
        return None
    first, second = sorted((unit.tokens[index], unit.tokens[other]), key=lambda t: t.start)
    if unit.text[first.end : second.start].strip():
        return None
    return unit.tokens[other].text.lower()


def context_margin(word: str, other: str, left: str | None, right: str | None) -> float | None:
    """log P(left other right) - log P(left word right) under a bigram model, or None
    when `other` is not attested beside a neighbour (a fix must read naturally on both sides)."""
    pairs = bigrams()
    margin = 0.0
    if left is not None:
        if f"{left} {other}" not in pairs:
            return None
        margin += math.log(pairs[f"{left} {other}"] / pairs.get(f"{left} {word}", unseen_bigram()))
    if right is not None:
        if f"{other} {right}" not in pairs:
            return None
        p_other = pairs[f"{other} {right}"] / unigrams().get(other, 1)
        p_word = pairs.get(f"{word} {right}", unseen_bigram()) / unigrams().get(word, 1)
        margin += math.log(p_other / p_word)
    return margin


MARGIN_EDGES = (2.0, 4.0, 6.0, 8.0)


def margin_bucket(margin: float) -> str:
    """The calibration bucket of a log-probability margin: "<2", "2-4", ... ">=8"."""
    edges = MARGIN_EDGES
    if margin < edges[0]:
        return f"<{edges[0]:g}"
    for low, high in zip(edges, edges[1:]):
        if margin < high:
            return f"{low:g}-{high:g}"
    return f">={edges[-1]:g}"


def edits1(word: str) -> set[str]:
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in LETTERS]
    inserts = [a + c + b for a, b in splits for c in LETTERS]
    return set(deletes + transposes + replaces + inserts)


@functools.lru_cache(maxsize=50_000)
def spelling_suggestion(word: str, variety: str) -> tuple[str, str] | None:
    """(correction, calibration bucket) for a non-word: the most common word one edit away."""
    counts, varieties = unigrams(), load_varieties().words
    near = [c for c in edits1(word) & common_words() if varieties.get(c, variety) == variety]
    if not near:
        return None
    near.sort(key=lambda c: (-counts[c], c))
    best = near[0]
    if len(near) == 1:
        spread = "unique"
    else:
        spread = "clear" if math.log10(counts[best] / counts[near[1]]) >= 1.0 else "close"
    start = "same-first" if best[0] == word[0] else "first-changed"
    return best, f"non-word:{start}:{spread}"


def nonword_candidate(token: Token, context: Context) -> Candidate | None:
    word = token.text
    if len(word) < 3 or not word.islower() or not word.isascii() or "'" in word or "’" in word:
        return None
    found = spelling_suggestion(word, context.variety)
    if not found:
        return None
    replacement, bucket = found
    return Candidate(token.start, token.end, word, replacement, "spelling", confidence(bucket), 3)


# --- deciding and applying -------------------------------------------------------------


class Budget:
    """How many distinct unknown words a document may look up before the stage gives up.

    Real English reports have few (at most 49 in the corpora of docs/reliability.md);
    thousands mean text the checker cannot serve (garbled glyphs, a word list, a hostile
    file), and looking each one up would stall the build, so it fails with its own code.
    """

    def __init__(self, limit: int) -> None:
        self.limit, self.seen = limit, set()

    def spend(self, word: str) -> None:
        if word not in self.seen and len(self.seen) >= self.limit:
            raise TooManyUnknownWords(
                f"more than {self.limit:,} distinct unknown words in its English text (setting max_unknown_words): "
                "not prose a spelling check can serve; raise the setting to check it anyway"
            )
        self.seen.add(word)


def unit_candidates(
    unit: Unit, context: Context, protected: set[str], errata: Errata, budget: Budget
) -> list[Candidate]:
    guard = Guard(unit, protected)
    found = [_kept_out(c, unit, context, guard) for c in errata_candidates(unit.text, errata)]
    found += [_kept_out(c, unit, context, guard) for c in repeated_word_candidates(unit)]
    for index, token in enumerate(unit.tokens):
        candidate = misspelling_candidate(token) or realword_candidate(unit, index)
        if candidate is None and not is_word(token.text) and token.text.islower():
            budget.spend(token.text)
            candidate = nonword_candidate(token, context)
        if candidate:
            found.append(_kept_out(candidate, unit, context, guard, token))
    return found


def _kept_out(
    candidate: Candidate, unit: Unit, context: Context, guard: Guard, token: Token | None = None
) -> Candidate:
    """The candidate, marked discarded when its word is one to keep out of."""
    if candidate.rule == "errata":  # the editor's word applies everywhere but in code
        reason = "monospace" if overlaps((candidate.start, candidate.end), unit.monospace) else None
    elif not is_prose(unit.sentence_at(candidate.start)):
        reason = "not-prose"  # a table row, a formula or interleaved columns: neighbours are no context
    elif token is None:
        reason = guard.reason(candidate.start, candidate.end)
    else:
        reason = keep_out_reason(token, unit, context, guard)
        if reason is None and candidate.rule == "spelling" and used_elsewhere(token.text.lower(), context.counts):
            reason = "repeated-in-document"  # a spelling used twice (or in another form) is meant
        if reason is None and candidate.rule == "spelling" and completes_a_hyphen(token.text.lower(), unit.text):
            reason = "hyphen-fragment"  # "la-" ... "beled": a word broken at a line end, columns between
    return candidate if reason is None else dataclasses.replace(candidate, discarded=reason)


@functools.lru_cache(maxsize=4096)
def hyphen_heads(text: str) -> frozenset[str]:
    """Lower-case word parts that end in a hyphen: the first halves of words broken at a line end."""
    return frozenset(m.group(1).lower() for m in re.finditer(r"([^\W\d_]+)-", text))


def completes_a_hyphen(word: str, text: str) -> bool:
    return any(is_word(head + word) for head in hyphen_heads(text))


def used_elsewhere(word: str, counts: Counter) -> bool:
    """The word occurs twice, or also with or without a plural/verb ending ("actee", "actees")."""
    others = [word + "s", word + "es", word + "ed", word + "d"]
    others += [word[: -len(end)] for end in ("s", "es", "ed", "d") if word.endswith(end)]
    return counts[word] > 1 or any(counts[other] for other in others)


def _never_change_spans(text: str, never_change: frozenset[str]) -> list[tuple[int, int]]:
    words = tuple(sorted(w for w in never_change if w))
    return [m.span() for m in _alternation(words, re.IGNORECASE).finditer(text)] if words else []


def overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in spans)


def decide(unit: Unit, candidates: list[Candidate], threshold: float, errata: Errata) -> list[Correction]:
    """Turn candidates into Corrections: one per span, applied ones never overlapping."""
    never = _never_change_spans(unit.text, errata.never_change)
    corrections, applied_spans, seen = [], [], set()
    for c in sorted(candidates, key=lambda c: (c.priority, -c.confidence, c.start)):
        key = (c.start, c.end, c.replacement)
        if key in seen or c.replacement == c.original:
            continue
        seen.add(key)
        span = (c.start, c.end)
        blocked = c.rule != "errata" and overlaps(span, never)
        rule = BLOCKED + c.rule if blocked else c.rule
        if c.discarded and not blocked:
            rule = f"{DISCARDED}{c.discarded}:{c.rule}"
        applied = not blocked and not c.discarded and c.confidence >= threshold and not overlaps(span, applied_spans)
        if applied:
            applied_spans.append(span)
        corrections.append(
            Correction(
                original=c.original,
                replacement=c.replacement,
                rule=rule,
                confidence=round(c.confidence, 3),
                applied=applied,
                page=unit.page_at(c.start),
                start=c.start,
                end=c.end,
                sentence=unit.sentence_at(c.start),
                block=unit.block,
                footnote=unit.footnote,
            )
        )
    return sorted(corrections, key=lambda c: c.start)


def monospace_spans(inlines: list[Inline]) -> tuple[tuple[int, int], ...]:
    """Where the text (the inlines joined) is set in monospace."""
    spans, position = [], 0
    for inline in inlines:
        if inline.monospace:
            spans.append((position, position + len(inline.text)))
        position += len(inline.text)
    return tuple(spans)


def apply_to_inlines(inlines: list[Inline], corrections: list[Correction]) -> tuple[list[Inline], list[Correction]]:
    """Apply corrections inside single inlines; one spanning a boundary is only recorded."""
    bounds, position = [], 0
    for inline in inlines:
        bounds.append((position, position + len(inline.text)))
        position += len(inline.text)
    starts = [s for s, _ in bounds]
    texts = [inline.text for inline in inlines]
    result = []
    for correction in sorted(corrections, key=lambda c: -c.start):
        index = bisect.bisect_right(starts, correction.start) - 1
        inside = index >= 0 and bounds[index][0] <= correction.start and correction.end <= bounds[index][1]
        if correction.applied and not inside:
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
    max_unknown_words: int = DEFAULT_MAX_UNKNOWN_WORDS,
) -> tuple[Document, Corrections]:
    """The document with confident corrections applied, and every candidate found."""
    errata = errata or Errata()
    texts = [b.text for b in document.blocks if b.kind != "table"] + [f.text for f in document.footnotes]
    variety = detect_variety(texts) if language == "auto" else language
    context = document_context(texts, protected, variety, max_unknown_words)
    run = _Run(context, protected, threshold, errata, Budget(max_unknown_words))
    blocks = [run.block(i, block) for i, block in enumerate(document.blocks)]
    footnotes = [run.footnote(note) for note in document.footnotes]
    issues = [*document.issues, *run.issues()]
    fixed = document.model_copy(update={"blocks": blocks, "footnotes": footnotes, "issues": issues})
    return fixed, Corrections(corrections=run.corrections, language=variety)


class _Run:
    """One document's pass: the shared context, budget and what was found."""

    def __init__(self, context: Context, protected: set[str], threshold: float, errata: Errata, budget: Budget) -> None:
        self.context, self.protected, self.threshold = context, protected, threshold
        self.errata, self.budget = errata, budget
        self.corrections: list[Correction] = []
        self.foreign: dict[str, list[int | None]] = {}

    def block(self, index: int, block: Block) -> Block:
        if block.kind == "table" or not block.inlines:
            return block  # table cells are data: names, figures
        found = len(self.corrections)
        unit = Unit(
            block.text, block.source.page, block=index, page_breaks=tuple(block.page_breaks),
            monospace=monospace_spans(block.inlines),
        )
        inlines = self._correct(unit, block.inlines)
        if inlines is block.inlines:
            return block
        breaks = _shifted(block.page_breaks, self.corrections[found:])
        return block.model_copy(update={"inlines": inlines, "page_breaks": breaks})

    def footnote(self, note: Footnote) -> Footnote:
        inlines = self._correct(Unit(note.text, note.source.page, footnote=note.id, monospace=monospace_spans(note.inlines)), note.inlines)
        return note.model_copy(update={"inlines": inlines}) if inlines is not note.inlines else note

    def _correct(self, unit: Unit, inlines: list[Inline]) -> list[Inline]:
        language = unit_language(unit, self.context)
        if language != "en":
            self.foreign.setdefault(language, []).append(unit.page)
            candidates = [_kept_out(c, unit, self.context, Guard(unit, set())) for c in errata_candidates(unit.text, self.errata)]
        else:
            candidates = unit_candidates(unit, self.context, self.protected, self.errata, self.budget)
        if not candidates:
            return inlines
        new_inlines, found = apply_to_inlines(inlines, decide(unit, candidates, self.threshold, self.errata))
        self.corrections.extend(found)
        return new_inlines

    def issues(self) -> list[Issue]:
        issues = [
            Issue(stage="correct", kind="not-english",
                  message=f"{len(pages)} passages in language '{language}' (pages {_pages(pages)}) not corrected: "
                          "only English is corrected", page=next((p for p in pages if p), None))
            for language, pages in sorted(self.foreign.items())
        ]
        return issues


def _shifted(breaks: list[PageBreak], corrections: list[Correction]) -> list[PageBreak]:
    """Page breaks moved by the applied corrections before them (a replacement of another length)."""
    return [
        b.model_copy(update={"offset": b.offset + sum(
            len(c.replacement) - len(c.original) for c in corrections if c.applied and c.end <= b.offset)})
        for b in breaks
    ]


def _pages(pages: list[int | None]) -> str:
    known = sorted({p for p in pages if p})
    shown_pages = ", ".join(map(str, known[:10]))
    return shown_pages + (", ..." if len(known) > 10 else "") if known else "?"
