"""Calibrate and measure the typo stage on text that is not the sample, with planted errors.

    python benchmarks/typos.py                 # recall/precision on the calibration texts and the sample
    python benchmarks/typos.py --write         # recompute tasks/data/calibration.yaml first
    python benchmarks/typos.py --timing DIR... # correction vs pdfplumber extraction time per PDF

Calibration (--write). For every calibration bucket (a real-word margin band, a non-word
candidate kind, a repeated word) it counts, on the texts of tests/fixtures/typos/:
- positives: errors planted one at a time (a confusion-set word swapped for another
  member; a common word given one random edit that makes a non-word; a word doubled),
  and whether the stage's candidate for it is the right word (right) or not (wrong);
- negatives: candidates the stage raises on the clean texts (false alarms; these texts
  are edited, published prose, so nearly every candidate there is wrong).
A bucket's confidence is its precision at an assumed error rate (PRIORS: how often a
word of that kind is wrong in an edited report):
    prior * right/positives / (prior * (right + wrong)/positives + false alarms per word)

Measurement: errors planted at once at higher rates with another seed, the stage run
on the whole text, applied and suggested corrections scored against the planted key.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from tasks import typos  # noqa: E402
from tasks.model import Block, Document, Inline, SourceRef  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXTS = ROOT / "tests" / "fixtures" / "typos"
CALIBRATION = ROOT / "tasks" / "data" / "calibration.yaml"
# assumed error rates in edited reports, per candidate word of each kind
PRIORS = {"real-word": 0.01, "non-word": 0.002, "repeated-word": 0.0005}
PLANT_RATES = {"real-word": 0.05, "non-word": 0.01, "repeated-word": 0.003}


def paragraphs(folder: Path = TEXTS) -> list[str]:
    """The calibration texts' paragraphs (blank-line separated), NFKC-normalised."""
    texts = []
    for path in sorted(folder.glob("*.txt")):
        raw = unicodedata.normalize("NFKC", path.read_text(encoding="utf-8"))
        texts += [" ".join(p.split()) for p in re.split(r"\n\s*\n", raw) if p.strip()]
    return texts


def document(texts: list[str]) -> Document:
    return Document(
        blocks=[Block(kind="paragraph", inlines=[Inline(text=t)], source=SourceRef(page=1)) for t in texts]
    )


# --- planting -------------------------------------------------------------------------


def typo_of(word: str, rng: random.Random) -> str | None:
    """One random edit (delete, insert, substitute, transpose) that makes a non-word."""
    for _ in range(20):
        i = rng.randrange(len(word))
        kind = rng.choice("disT")
        letter = rng.choice(typos.LETTERS)
        if kind == "d":
            wrong = word[:i] + word[i + 1 :]
        elif kind == "i":
            wrong = word[:i] + letter + word[i:]
        elif kind == "s":
            wrong = word[:i] + letter + word[i + 1 :]
        else:
            wrong = word[:i] + word[i + 1 : i + 2] + word[i] + word[i + 2 :] if i + 1 < len(word) else word
        if wrong != word and not typos.is_word(wrong):
            return wrong
    return None


def plantable(token: typos.Token, kind: str) -> bool:
    word = token.text
    if kind == "real-word":
        return word.lower() in typos.load_confusions() and (word.islower() or token.sentence_start)
    if kind == "non-word":
        return word.islower() and len(word) >= 4 and typos.unigrams().get(word, 0) >= typos.CANDIDATE_COUNT
    return word.islower() and len(word) >= 2 and word not in typos.REPEATS_ALLOWED


def plant(text: str, token: typos.Token, kind: str, rng: random.Random) -> tuple[str, tuple[int, int, str]] | None:
    """The text with one error at `token`, and the key (start, end, right text)."""
    word = token.text
    if kind == "real-word":
        wrong = typos.match_case(rng.choice(typos.load_confusions()[word.lower()]), word)
        return text[: token.start] + wrong + text[token.end :], (token.start, token.start + len(wrong), word)
    if kind == "non-word":
        wrong = typo_of(word, rng)
        if wrong is None:
            return None
        return text[: token.start] + wrong + text[token.end :], (token.start, token.start + len(wrong), word)
    doubled = f"{word} {word}"
    return text[: token.start] + doubled + text[token.end :], (token.start, token.start + len(doubled), word)


# --- calibration ----------------------------------------------------------------------


def candidate_for(text: str, start: int, kind: str, variety: str) -> typos.Candidate | None:
    """The stage's candidate for the planted error at `start` (the keep-out rules aside)."""
    unit = typos.Unit(text, 1)
    if kind == "repeated-word":
        return next((c for c in typos.repeated_word_candidates(unit) if c.start == start), None)
    index = next(i for i, t in enumerate(unit.tokens) if t.start == start)
    if kind == "real-word":
        return typos.realword_candidate(unit, index)
    token = unit.tokens[index]
    found = typos.spelling_suggestion(token.text, variety)
    return found and typos.Candidate(token.start, token.end, token.text, found[0], found[1], 0.0, 3)


def calibrate(texts: list[str], seed: int = 1) -> dict[str, dict]:
    rng = random.Random(seed)
    variety = typos.detect_variety(texts)
    positives: Counter = Counter()
    right: Counter = Counter()
    wrong: Counter = Counter()
    for text in texts:
        unit = typos.Unit(text, 1)
        for token in unit.tokens:
            for kind in PRIORS:
                if not plantable(token, kind):
                    continue
                planted = plant(text, token, kind, rng)
                if planted is None:
                    continue
                positives[kind] += 1
                new_text, (start, end, word) = planted
                candidate = candidate_for(new_text, start, kind, variety)
                if candidate is None:
                    continue
                bucket = _bucket(candidate, kind, new_text)
                (right if candidate.replacement.lower() == word.lower() else wrong)[bucket] += 1
    alarms, words = false_alarms(texts)
    buckets = {}
    for bucket in sorted(set(right) | set(wrong) | set(alarms)):
        kind = bucket.split(":")[0]
        prior, n = PRIORS[kind], max(positives[kind], 1)
        # the prior is per confusion-set word for real words (each was planted once), per word otherwise;
        # half a false alarm more than seen, so that a bucket no clean text reached is not taken as safe
        negatives = n if kind == "real-word" else words
        hits = prior * right[bucket] / n
        noise = prior * wrong[bucket] / n + (alarms[bucket] + 0.5) / negatives
        precision = hits / (hits + noise) if hits + noise else 0.0
        buckets[bucket] = {
            "confidence": round(min(precision, 0.99), 3),
            "right": right[bucket], "wrong": wrong[bucket], "planted": positives[kind],
            "false_alarms": alarms[bucket], "words": words,
        }
    buckets["listed"] = {"confidence": 0.95, "note": "Wikipedia's list: errors in every context; not calibrated",
                         "false_alarms": alarms["listed"], "words": words}
    return buckets


def _bucket(candidate: typos.Candidate, kind: str, text: str) -> str:
    if kind == "non-word":
        return candidate.rule
    if kind == "repeated-word":
        return "repeated-word"
    unit = typos.Unit(text, 1)
    index = next(i for i, t in enumerate(unit.tokens) if t.start == candidate.start)
    left, right = typos._neighbour(unit, index, -1), typos._neighbour(unit, index, +1)
    margin = typos.context_margin(candidate.original.lower(), candidate.replacement.lower(), left, right)
    return f"real-word:{typos.margin_bucket(margin)}"


def false_alarms(texts: list[str]) -> tuple[Counter, int]:
    """Candidates the stage keeps (not discarded) on the clean texts, per bucket; and the word count."""
    found = typos.correct(document(texts), set(), threshold=2.0)[1].corrections
    alarms: Counter = Counter()
    for c in found:
        if c.rule.startswith(typos.DISCARDED):
            continue
        alarms[_bucket_of_correction(c, texts)] += 1
    return alarms, sum(len(t.split()) for t in texts)


def _bucket_of_correction(c, texts: list[str]) -> str:
    text = texts[c.block]
    kind = {"real-word": "real-word", "spelling": "non-word", "repeated-word": "repeated-word"}[c.rule]
    if kind == "non-word":
        if c.original.lower() in typos.load_misspellings():
            return "listed"
        return typos.spelling_suggestion(c.original, typos.detect_variety(texts))[1]
    candidate = typos.Candidate(c.start, c.end, c.original, c.replacement, c.rule, 0.0, 2)
    return _bucket(candidate, kind, text)


def write_calibration(buckets: dict[str, dict]) -> None:
    header = (
        "# Confidence per candidate bucket, made by `python benchmarks/typos.py --write` from errors\n"
        "# planted in tests/fixtures/typos/ (real workshop reports, not the sample). Do not edit by hand.\n"
        f"# priors (assumed error rate per candidate word): {PRIORS}\n"
    )
    CALIBRATION.write_text(header + yaml.safe_dump({"buckets": buckets}, sort_keys=True), encoding="utf-8")
    typos.load_calibration.cache_clear()


# --- measurement ----------------------------------------------------------------------


def planted_texts(texts: list[str], seed: int = 2) -> tuple[list[str], list[set[tuple[int, str, str]]]]:
    """Texts with errors planted at PLANT_RATES, and per text the key {(start, wrong, right)}."""
    rng = random.Random(seed)
    out, keys = [], []
    for text in texts:
        key: set[tuple[int, str, str]] = set()
        shift = 0
        new = text
        for token in typos.Unit(text, 1).tokens:
            kinds = [k for k in PLANT_RATES if plantable(token, k) and rng.random() < PLANT_RATES[k]]
            if not kinds:
                continue
            moved = typos.Token(token.text, token.start + shift, token.end + shift, token.sentence_start)
            planted = plant(new, moved, kinds[0], rng)
            if planted is None:
                continue
            before = len(new)
            new, (start, end, word) = planted
            key.add((start, new[start:end], word))
            shift += len(new) - before
        out.append(new)
        keys.append(key)
    return out, keys


def score(texts: list[str], keys: list[set], threshold: float = 0.9) -> dict[str, float]:
    found = typos.correct(document(texts), set(), threshold=threshold)[1].corrections
    planted = sum(len(k) for k in keys)
    applied = [c for c in found if c.applied]
    suggested = [c for c in found if not c.rule.startswith(typos.DISCARDED)]
    def right(c) -> bool:
        return (c.start, c.original, c.replacement) in {(s, w, r) for s, w, r in keys[c.block]}
    return {
        "planted": planted,
        "applied": len(applied),
        "applied right": sum(map(right, applied)),
        "recall (applied)": sum(map(right, applied)) / max(planted, 1),
        "precision (applied)": sum(map(right, applied)) / max(len(applied), 1),
        "found (applied or suggested)": sum(map(right, suggested)) / max(planted, 1),
        "suggested": len(suggested) - len(applied),
        "discarded": len(found) - len(suggested),
    }


def sample_figures() -> dict[str, int]:
    """The sample's answer key: typos caught (applied / suggested), and corrections off the key."""
    from tasks.clean import clean
    from tasks.extract import extract_pages
    from tests.answers import FIXTURES, load

    doc = clean(extract_pages(FIXTURES / "roundtable-2010.pdf"))
    found = [c for c in typos.correct(doc, set())[1].corrections if not c.rule.startswith(typos.DISCARDED)]
    key = load()["typos"]
    texts = [unit_text(doc, c) for c in found]
    hits = [[t for t in key if fixes_typo(text, c, t)] for text, c in zip(texts, found)]
    return {
        "key typos": len(key),
        "caught, applied": len({t["text"] for c, h in zip(found, hits) if c.applied for t in h}),
        "caught, applied or suggested": len({t["text"] for h in hits for t in h}),
        "applied off the key": sum(1 for c, h in zip(found, hits) if c.applied and not h),
        "suggested off the key": sum(1 for c, h in zip(found, hits) if not c.applied and not h),
    }


def unit_text(doc: Document, c) -> str:
    if c.block is not None:
        return doc.blocks[c.block].text
    return next(f.text for f in doc.footnotes if f.id == c.footnote)


def fixes_typo(text: str, c, typo: dict) -> bool:
    """Does `c` turn the key's typo into its correction (the key's "..." is a wildcard)?"""
    fixed = text[: c.start] + c.replacement + text[c.end :]
    window = slice(max(0, c.start - 120), c.start + len(c.replacement) + 200)
    wanted = ".*".join(re.escape(part.strip()) for part in typo["correction"].split("..."))
    before = re.escape(typo["text"]).replace(r"\ ", r"\s+")
    return bool(re.search(before, text[window], re.S)) and bool(re.search(wanted, fixed[window], re.S))


def timing(folders: list[Path]) -> None:
    import pdfplumber

    from tasks.clean import clean
    from tasks.extract import extract_pages

    start = time.perf_counter()
    typos.correct(document(["Warm the dictionaries and the language model once per process, then time: tehm."]), set())
    print(f"loading the dictionaries and the language model, once per process: {time.perf_counter() - start:.2f} s")
    print("| PDF | pages | pdfplumber extract_text (s) | correct (s) | candidates | ratio |")
    print("|---|---|---|---|---|---|")
    for path in sorted(p for folder in folders for p in ([folder] if folder.is_file() else folder.glob("*.pdf"))):
        start = time.perf_counter()
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            for page in pdf.pages:
                page.extract_text()
        extract_seconds = time.perf_counter() - start
        doc = clean(extract_pages(path))
        start = time.perf_counter()
        fixed, found = typos.correct(doc, set())
        correct_seconds = time.perf_counter() - start
        print(f"| {path.name} | {pages} | {extract_seconds:.2f} | {correct_seconds:.2f} | {len(found.corrections)} | "
              f"{correct_seconds / extract_seconds:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="recompute tasks/data/calibration.yaml")
    parser.add_argument("--timing", nargs="+", type=Path, help="PDFs or folders to time against extraction")
    args = parser.parse_args()
    if args.timing:
        timing(args.timing)
        return
    texts = paragraphs()
    if args.write:
        buckets = calibrate(texts)
        write_calibration(buckets)
        for name, entry in buckets.items():
            print(f"{name:32} {entry}")
    planted, keys = planted_texts(texts)
    for name, value in score(planted, keys).items():
        print(f"calibration texts, {name}: {value:.3f}" if isinstance(value, float) else f"calibration texts, {name}: {value}")
    clean_found = typos.correct(document(texts), set())[1].corrections
    print(f"clean calibration texts: {sum(c.applied for c in clean_found)} applied, "
          f"{sum(not c.applied and not c.rule.startswith(typos.DISCARDED) for c in clean_found)} suggested")
    for name, value in sample_figures().items():
        print(f"sample, {name}: {value}")


if __name__ == "__main__":
    main()
