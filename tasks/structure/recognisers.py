"""Headings that name a meeting's parts: panels, keynotes, outcomes, recommendations."""

from __future__ import annotations

import re

PANEL_KINDS = r"(?i:panel(?:\s+discussion)?|session|workshop|round\s?table|breakout(?:\s+session)?|working\s+group|plenary(?:\s+session)?|break-out\s+session|track|segment)"
PANEL_NUMBER = r"(?:[IVXLC]+|\d+|[A-Z])"
PANEL_HEADING = re.compile(
    rf"^(?P<kind>{PANEL_KINDS})\s*(?P<number>{PANEL_NUMBER})?\s*(?:[:–—.\-]\s*|\s+(?=[A-Z„“\"']))(?P<title>\S.*)$"
)
KEYNOTE_HEADING = re.compile(
    r"^(?i:(?:opening\s+|closing\s+)?keynote(?:\s+(?:speaker|speech|address|lecture|presentation))?(?:\s+(?:by|from))?)"
    r"\s*[:–—\-.]?\s*(?P<rest>.*)$"
)
OUTCOMES_HEADING = re.compile(
    r"(?i)\b(outcomes?|conclusions?|recommendations?|key\s+(?:points|messages|findings|take-?aways)|take-?aways|"
    r"main\s+findings|results|discussion)\b"
)
RECOMMENDATIONS_HEADING = re.compile(
    r"(?i)\b(recommendations?|conclusions?|key\s+issues|way\s+forward|next\s+steps|key\s+messages|take-?aways)\b"
)
# Headings that belong to the whole report even when they look like a panel's sub-heading.
REPORT_WIDE_HEADING = re.compile(r"(?i)\b(key\s+issues|overall|general|final|participants|annex|agenda|programme)\b")
