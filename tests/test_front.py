"""The front matter on a report's cover, and the dash glyphs a broken font map calls digits:
synthetic documents and fonts (their words and shapes made up here, not taken from a report)."""

from __future__ import annotations

import io
from types import SimpleNamespace

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib.tables._c_m_a_p import cmap_format_0

from tasks.extract.glyphs import _as_dash, dash_digits
from tasks.structure.front import front_matter
from tests.test_structure import make_document

BODY = "The board met to weigh the survey of the estuary against the budget of the year."


def test_a_place_line_under_the_title_is_the_venue_not_the_title():
    front = front_matter(
        make_document(
            ("h", 1, "ESTUARY MODELLING DAYS"),
            ("h", 1, "LAKESIDE UNIVERSITY"),
            ("h", 3, "TIDES.EXAMPLE.ORG"),
            ("h", 1, "MARCH 3-4, 2022"),
            ("p", BODY),
        )
    )
    assert (front.title, front.subtitle, front.date, front.venue) == ("ESTUARY MODELLING DAYS", "", "MARCH 3-4, 2022", "LAKESIDE UNIVERSITY")
    assert front.skip == frozenset({0, 1, 2, 3})


def test_a_title_wrapped_onto_a_place_name_stays_the_title():
    front = front_matter(
        make_document(("h", 1, "Ten Years of Soil Carbon at the"), ("h", 1, "Harrow Institute"), ("h", 2, "9 May 2021"), ("p", BODY))
    )
    assert front.title == "Ten Years of Soil Carbon at the Harrow Institute"
    assert front.venue == ""


def test_a_line_naming_a_meeting_is_no_place():
    front = front_matter(make_document(("h", 1, "Coastal Data"), ("h", 1, "Summer School Workshop"), ("h", 2, "9 May 2021"), ("p", BODY)))
    assert front.venue == ""


def test_a_meeting_word_before_centre_or_hall_names_a_building():
    front = front_matter(make_document(("h", 1, "Coastal Data"), ("h", 1, "Lakeside Convention Center"), ("h", 2, "9 May 2021"), ("p", BODY)))
    assert front.venue == "Lakeside Convention Center"


def test_a_sentence_saying_where_it_was_held_beats_a_place_line_on_the_cover():
    front = front_matter(
        make_document(
            ("h", 1, "Estuary Modelling Days"),
            ("h", 1, "Lakeside University"),
            ("h", 1, "March 3-4, 2022"),
            ("p", "The meeting was held on 3 March 2022 in Tromso, Norway, with forty participants."),
        )
    )
    assert front.venue == "Tromso, Norway"


# --- dash glyphs ------------------------------------------------------------------------


def _font(odd_glyph: list[tuple[float, float]]) -> SimpleNamespace:
    """A subset TrueType font whose map gives codes 0x39 and 0x3E both as "9": 0x3E is drawn
    as a digit-like outline 556 units wide, 0x39 as `odd_glyph`, 333 units wide."""
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder([".notdef", "nine", "odd"])
    builder.setupCharacterMap({})
    glyphs = {".notdef": _outline([]), "nine": _outline([(60, -10), (500, -10), (500, 720), (280, 740), (60, 720)]), "odd": _outline(odd_glyph)}
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({".notdef": (500, 0), "nine": (556, 60), "odd": (333, 40)})
    builder.setupHorizontalHeader(ascent=900, descent=-200)
    builder.setupPost()
    builder.setupNameTable({"familyName": "Made Up", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupMaxp()
    mac = cmap_format_0(0)  # a subset's own codes, as producers embed them
    mac.platformID, mac.platEncID, mac.language, mac.cmap = 1, 0, 0, {0x39: "odd", 0x3E: "nine"}
    builder.font["cmap"].tables = [mac]
    data = io.BytesIO()
    builder.save(data)
    widths = {0x39: 0.333, 0x3E: 0.556}
    return SimpleNamespace(
        fontname="ABCDEF+MadeUp",
        unicode_map=SimpleNamespace(cid2unichr={0x39: "9", 0x3E: "9", 0x40: "2"}),
        char_width=lambda cid: widths.get(cid, 0.5),
        descriptor={"FontFile2": SimpleNamespace(get_data=data.getvalue)},
    )


def _outline(points: list[tuple[float, float]]):
    pen = TTGlyphPen(None)
    if points:
        pen.moveTo(points[0])
        for point in points[1:]:
            pen.lineTo(point)
        pen.closePath()
    return pen.glyph()


BAR = [(40, 240), (293, 240), (293, 310), (40, 310)]


def test_a_bar_glyph_the_font_maps_to_a_digit_is_a_dash():
    assert dash_digits(_font(BAR)) == {"9": (0.556, 0.333, "-")}


def test_an_odd_glyph_that_is_no_bar_stays_a_digit():
    slant = [(40, -10), (120, -10), (293, 720), (213, 720)]  # a slash, not a dash
    underline = [(40, -120), (293, -120), (293, -60), (40, -60)]  # below the baseline
    assert dash_digits(_font(slant)) == {}
    assert dash_digits(_font(underline)) == {}


def test_only_the_dash_width_on_the_page_is_rewritten():
    dashes = {"9": (0.556, 0.333, "-")}
    size = 20.0
    chars = [{"text": t, "size": size, "x0": 0.0, "x1": w * size} for t, w in [("2", 0.556), ("3", 0.556), ("9", 0.333), ("2", 0.556), ("5", 0.556), ("9", 0.556)]]
    assert "".join(_as_dash(c, dashes)["text"] for c in chars) == "23-259"
