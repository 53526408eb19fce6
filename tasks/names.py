"""Names the typo stage must never change: people and organisations the structure found."""

from __future__ import annotations

import re

from tasks.model import Report


def protected_names(report: Report) -> set[str]:
    """Every word of every person's name and organisation in the report."""
    people = [*(p for panel in report.panels for p in panel.panellists)]
    people += [panel.moderator for panel in report.panels if panel.moderator]
    if report.keynote:
        people.append(report.keynote)
    texts = [p.name for p in people] + [p.organisation for p in people]
    texts += [p.name for p in report.participants] + [p.organisation for p in report.participants]
    texts += report.organisers
    return {word for text in texts for word in re.findall(r"[\w'’-]+", text) if len(word) > 1}
