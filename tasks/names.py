"""Names the typo stage must never change: people and organisations the structure found."""

from __future__ import annotations

import re

from tasks.model import Report

# Words that join the parts of a name ("Ministry of Labour", "Centre for the Study of ...")
# are English words like any other: protecting them would hide real typos around names.
FUNCTION_WORDS = frozenset(
    "a an the of for to in on at by and or with from de la le les des du di da del van von der den".split()
)
NAME_TOKEN = re.compile(r"[^\W\d_][\w'’.-]*")


def protected_names(report: Report) -> set[str]:
    """The name tokens of every person and organisation: capitalised words and acronyms."""
    people = [*(p for panel in report.panels for p in panel.panellists)]
    people += [panel.moderator for panel in report.panels if panel.moderator]
    if report.keynote:
        people.append(report.keynote)
    texts = [p.name for p in people] + [p.organisation for p in people]
    texts += [p.name for p in report.participants] + [p.organisation for p in report.participants]
    texts += report.organisers
    return {token for text in texts for token in NAME_TOKEN.findall(text) if is_name_token(token)}


def is_name_token(token: str) -> bool:
    """A capitalised word or an acronym of two letters or more, never a function word."""
    return len(token) > 1 and token[0].isupper() and token.lower() not in FUNCTION_WORDS
