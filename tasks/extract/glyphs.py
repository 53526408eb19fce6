"""Glyph repair at the boundary: what a PDF's (or a text file's) characters mean as text.

- ligature glyphs ("ﬁ", "ﬀ") become their letters, so words are searchable and spelt;
- a spacing accent set over a letter ("La´szlo´") is composed with it ("László"),
  the letter chosen by position (the accent's centre over the letter's box);
- control characters other than tab and newline are removed (no output format may
  hold them), and glyph codes pdfminer could not map ("(cid:12)") are counted;
  both are reported as issues, never dropped silently;
- a dash glyph that a broken font map calls a digit ("April 23925" for "April 23-25")
  is written back as a dash, only where the font itself proves it: two codes of the
  font map to one digit with different widths, and the embedded glyph of the odd one
  is drawn as a horizontal bar above the baseline. Any other digit is left as printed.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections import defaultdict

from fontTools.pens.recordingPen import RecordingPen
from fontTools.ttLib import TTFont
from pdfminer.pdftypes import resolve1

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


# --- dash glyphs mapped to digits ---------------------------------------------------------

BAR_TOP = 0.6  # em: a dash's bar lies between the baseline and the x-height, not over capitals (a macron)
BAR_ASPECT = 1.5  # a dash is this many times wider than thick; "I" and "|" stand upright
EN_DASH_MIN, EM_DASH_MIN = 0.45, 0.8  # advance in em: a hyphen is narrower, an em dash about an em


def repair_dash_digits(page, chars: list[dict]) -> list[dict]:
    """The page's characters with each digit that its font proves to be a dash glyph written as that dash."""
    mismaps = {name: dashes for name, dashes in _page_dash_digits(page).items() if dashes}
    if not mismaps:
        return chars
    return [_as_dash(c, mismaps[c["fontname"]]) if c["fontname"] in mismaps else c for c in chars]


def _as_dash(char: dict, dashes: dict[str, tuple[float, float, str]]) -> dict:
    """A digit whose width on the page is the dash glyph's, not the digit's."""
    if char["text"] not in dashes or not char["size"]:
        return char
    digit_width, dash_width, dash = dashes[char["text"]]
    width = (char["x1"] - char["x0"]) / char["size"]
    return {**char, "text": dash} if abs(width - dash_width) < abs(width - digit_width) else char


def _page_dash_digits(page) -> dict[str, dict[str, tuple[float, float, str]]]:
    """fontname -> {digit: (the digit's width, the dash's width, the dash)} for the page's fonts."""
    found = {}
    resources = resolve1(page.page_obj.resources)
    fonts = resolve1(resources.get("Font")) if isinstance(resources, dict) else None
    for spec_ref in fonts.values() if isinstance(fonts, dict) else []:  # a broken page's resources prove nothing
        try:
            font = page.pdf.rsrcmgr.get_font(getattr(spec_ref, "objid", None), resolve1(spec_ref))
            found[font.fontname] = dash_digits(font)
        except Exception as error:  # a font that cannot be read proves nothing: its text stays as mapped
            logging.getLogger(__name__).debug("font not read for dashes: %s", error)
    return found


def dash_digits(font) -> dict[str, tuple[float, float, str]]:
    """{digit: (digit width, dash width, dash)} where two codes of `font` map to one digit with
    different widths and the embedded glyph of one of them is a dash."""
    codes = defaultdict(list)
    for code, text in getattr(font.unicode_map, "cid2unichr", {}).items():
        if len(text) == 1 and text.isdigit() and text.isascii():
            codes[text].append(code)
    shared = {digit: cids for digit, cids in codes.items() if len({font.char_width(c) for c in cids}) > 1}
    if not shared:
        return {}
    program = _font_program(font)
    if program is None:
        return {}
    found = {}
    for digit, cids in shared.items():
        dashes = {cid: dash for cid in cids if (dash := _dash_of(program, cid))}
        digits = [cid for cid in cids if cid not in dashes]
        if dashes and digits:
            cid, dash = next(iter(dashes.items()))
            found[digit] = (font.char_width(digits[0]), font.char_width(cid), dash)
    return found


def _font_program(font) -> TTFont | None:
    """The font's embedded TrueType program (simple fonts addressed by a (1,0) or (3,0) cmap)."""
    stream = resolve1((font.descriptor or {}).get("FontFile2"))
    if stream is None:
        return None
    return TTFont(io.BytesIO(stream.get_data()), lazy=True)


def _dash_of(program: TTFont, code: int) -> str:
    """'-', '–' or '—' when the code's glyph is one bar across, above the baseline; '' otherwise."""
    name = _glyph_name(program, code)
    if name is None:
        return ""
    pen = RecordingPen()
    program.getGlyphSet()[name].draw(pen)
    ops = [op for op, _ in pen.value]
    points = [point for _, args in pen.value for point in args]
    if ops.count("moveTo") != 1 or any(op not in ("moveTo", "lineTo", "closePath", "endPath") for op in ops):
        return ""
    xs, ys = {round(x) for x, _ in points}, {round(y) for _, y in points}
    em = program["head"].unitsPerEm
    if len(xs) != 2 or len(ys) != 2 or not 0 < min(ys) < max(ys) < BAR_TOP * em:
        return ""
    if max(xs) - min(xs) < BAR_ASPECT * (max(ys) - min(ys)):
        return ""
    advance = program["hmtx"][name][0] / em
    return "—" if advance >= EM_DASH_MIN else "–" if advance >= EN_DASH_MIN else "-"


def _glyph_name(program: TTFont, code: int) -> str | None:
    for table in program["cmap"].tables:
        if (table.platformID, table.platEncID) in ((1, 0), (3, 0)):
            name = table.cmap.get(code) or table.cmap.get(0xF000 + code)
            if name:
                return name
    return None
