"""Glyph repair at the boundary: what a PDF's (or a text file's) characters mean as text.

- ligature glyphs ("ﬁ", "ﬀ") become their letters, so words are searchable and spelt;
- a spacing accent set over a letter ("La´szlo´") is composed with it ("László"),
  the letter chosen by position (the accent's centre over the letter's box);
- control characters other than tab and newline are removed (no output format may
  hold them), and glyph codes pdfminer could not map ("(cid:12)") are counted;
  both are reported as issues, never dropped silently.
"""

from __future__ import annotations

import re
import unicodedata

from tasks.model import Issue

LIGATURES = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
# spacing accent -> the combining mark it stands for
SPACING_ACCENTS = {
    "\u00b4": "\u0301",  # acute
    "`": "\u0300",  # grave
    "\u02c6": "\u0302",  # circumflex
    "^": "\u0302",
    "\u02dc": "\u0303",  # tilde
    "~": "\u0303",
    "\u00a8": "\u0308",  # diaeresis
    "\u02c7": "\u030c",  # caron
    "\u02d8": "\u0306",  # breve
    "\u02da": "\u030a",  # ring
    "\u02dd": "\u030b",  # double acute
    "\u00b8": "\u0327",  # cedilla
    "\u02db": "\u0328",  # ogonek
    "\u02d9": "\u0307",  # dot above
    "\u00af": "\u0304",  # macron
}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CID = re.compile(r"\(cid:\d+\)")


def compose_accents(chars: list[dict]) -> list[dict]:
    """pdfminer characters of one line with spacing accents composed onto their letters.

    Only an accent whose centre lies over a neighbouring letter is composed, and only
    where Unicode has the composed letter; anything else stays as it was.
    """
    out: list[dict] = []
    skip: set[int] = set()
    for index, char in enumerate(chars):
        if index in skip:
            continue
        mark = SPACING_ACCENTS.get(char["text"])
        target = _letter_under(chars, index) if mark else None
        if target is None:
            out.append(char)
            continue
        composed = unicodedata.normalize("NFC", chars[target]["text"] + mark)
        if len(composed) != 1:
            out.append(char)
            continue
        letter = {**chars[target], "text": composed}
        if target < index:
            out[-1] = letter
        else:
            out.append(letter)
            skip.add(target)
    return out


def _letter_under(chars: list[dict], index: int) -> int | None:
    accent = chars[index]
    centre = (accent["x0"] + accent["x1"]) / 2
    for neighbour in (index - 1, index + 1):
        if 0 <= neighbour < len(chars):
            letter = chars[neighbour]
            if letter["text"].isalpha() and len(letter["text"]) == 1 and letter["x0"] - 0.5 <= centre <= letter["x1"] + 0.5:
                return neighbour
    return None


def clean_text(text: str) -> str:
    """Ligatures as letters, control characters removed, NFC."""
    for glyph, letters in LIGATURES.items():
        text = text.replace(glyph, letters)
    return unicodedata.normalize("NFC", CONTROL.sub("", text))


def text_issues(raw: str, page: int) -> list[Issue]:
    """What `clean_text` removed and what it cannot repair, as issues."""
    issues = []
    controls = CONTROL.findall(raw)
    if controls:
        kinds = ", ".join(sorted({f"U+{ord(c):04X}" for c in controls}))
        issues.append(Issue(stage="extract", kind="control-characters", message=f"{len(controls)} control characters removed ({kinds}) on page {page}", page=page))
    cids = CID.findall(raw)
    if cids:
        issues.append(Issue(stage="extract", kind="unmapped-glyphs", message=f"{len(cids)} glyphs with no Unicode mapping kept as codes ({', '.join(sorted(set(cids))[:5])}) on page {page}", page=page))
    return issues
