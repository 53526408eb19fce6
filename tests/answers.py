"""Scoring helpers against an answer key (tests/fixtures/<case>.answers.json)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


def load(name: str = "roundtable-2010") -> dict:
    return json.loads((FIXTURES / f"{name}.answers.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """NFKC, casefold, no whitespace: the comparison the answer keys suggest."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).casefold())
