"""Sentences of running text: full stops after abbreviations, initials and decimals do not split."""

from __future__ import annotations

import re

# Words whose trailing full stop does not end a sentence (compared lower-case, no dots).
ABBREVIATIONS = {
    "dr", "mr", "mrs", "ms", "prof", "st", "jr", "sr", "eg", "ie", "vs", "no", "nos", "art", "para",
    "fig", "us", "uk", "eu", "inc", "ltd", "co", "mt", "dept", "approx", "cf", "al", "p", "pp", "op",
    "ref", "vol", "h.e", "he", "amb", "gen", "gov", "rev", "hon",
}  # fmt: skip
SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*\s+(?=[\"'‘“(\[]?[A-Z0-9À-Ý])")


def split_sentences(text: str) -> list[str]:
    """Sentences of a paragraph; full stops after abbreviations, initials and in decimals do not split."""
    sentences, start = [], 0
    for match in SENTENCE_END.finditer(text):
        if _ends_with_abbreviation(text[start : match.start() + 1]):
            continue
        sentences.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    return [s for s in [*sentences, tail] if s]


def _ends_with_abbreviation(fragment: str) -> bool:
    if not fragment.endswith("."):
        return False
    word = re.search(r"(\S+)\.$", fragment)
    if word is None:
        return False
    token = word[1].lstrip("(\"'‘“")
    bare = token.replace(".", "").lower()
    # "Dr.", "e.g.", "U.S." or an initial such as "J."
    return bare in ABBREVIATIONS or (len(token) == 1 and token.isupper()) or re.fullmatch(r"(\w\.)+\w", token) is not None
