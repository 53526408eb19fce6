"""Headings that name a meeting's parts: sessions, keynotes, outcomes, recommendations, lists.

Each pattern is one piece of evidence for a section's role (see roles.py); none decides alone
where a section's content says otherwise.
"""

from __future__ import annotations

import re

from tasks.structure.people import NAME_WORDS

PANEL_KINDS = (
    r"(?i:panel(?:\s+discussion)?|session|workshop|round\s?table|breakout(?:\s+(?:session|group))?|working\s+group|"
    r"plenary(?:\s+session)?|break-out\s+(?:session|group)|track|segment|day)"
)
PANEL_NUMBER = r"(?:[IVXLC]+|\d+(?:\.\d+)*|[A-Z]|One|Two|Three|Four|Five|Six|Seven|Eight|Nine|Ten)"
PANEL_HEADING = re.compile(
    rf"^(?P<kind>{PANEL_KINDS})\s*(?P<number>{PANEL_NUMBER}\b)?\s*(?:[:–—.\-]\s*|\s+(?=[A-Z„“\"']))(?P<title>\S.*)$"
)
# "Software Credit Working Group", "Publishing Software Working Group Discussion": the kind ends the heading.
# "Lightning talks" is one block of the programme, with or without words before it.
TRAILING_KIND = re.compile(
    r"(?i)(?:\S.*\b(?:working\s+group|breakout(?:\s+(?:session|group))?|round\s?table|panel(?:\s+discussion)?|session)|"
    r"(?:\S.*\s)?lightning\s+talks?(?:\s+session)?)(?:\s+(?:discussion|summary|report))?$"
)
# "Working Groups", "Parallel sessions", "Panel discussions": a heading over the sessions themselves.
SESSIONS_HEADING = re.compile(
    r"(?i)^(?:\w+\s+){0,2}(?:panels|sessions|round\s?tables|breakouts|breakout\s+(?:sessions|groups)|working\s+groups|"
    r"tracks|panel\s+discussions|topics|themes|discussion\s+topics|breakout\s+topics)$"
)
# Words that make "Workshop Agenda" or "Panel Report" a heading about the whole meeting, not one session.
REPORT_WIDE_TITLE = re.compile(
    r"(?i)^(?:report|summary(?:\s+report)?|agenda|programme|program|highlights|overview|outcomes?|conclusions?|"
    r"recommendations?|participants|introduction|background|schedule|proceedings|description|objectives?)\.?$"
)
KEYNOTE_HEADING = re.compile(
    r"^(?i:(?P<keynote>(?:(?:opening|closing)\s+)?keynotes?(?:\s+(?:speakers?|speech(?:es)?|address(?:es)?|lectures?|presentations?))?"
    r"(?:\s+(?:by|from))?)"
    r"|(?:welcome(?:\s+(?:address|remarks|speech|statement))?|opening\s+(?:address|remarks|speech|statement))"
    r"(?:\s+(?:and|&)\s+(?:opening\s+)?(?:remarks|introductions?|welcome))?"
    r"|(?:plenary|invited)\s+(?:talk|lecture|address))"
    r"(?![\w-])\s*(?P<separator>[:–—\-.]?)\s*(?P<rest>.*)$"
)
# A programme row given by named people that opens with a welcome and one short other business
# ("Welcome & Setup", "Welcome and Aims of the Day") is the opening address.
WELCOME_AND = re.compile(r"(?i)^welcome\s+(?:and|&)\s+\S+(?:\s+\S+){0,3}$")
# What a keynote is called in running text; a "plenary session" is a session, not a talk.
KEYNOTE_NOUN = (
    r"(?:keynote|plenary(?!\s+(?:session|discussion|panel))|invited\s+(?:talk|lecture)|"
    r"(?:opening|welcome|welcoming|closing)\s+(?:address|remarks|speech|lecture)|"
    r"open(?:ed|s)\s+with\s+(?:\w+\s+){0,2}(?:remarks|address|speech|words))"
)
# "The keynote was delivered by X", "a keynote on ..., by X", "The second keynote speaker was X".
KEYNOTE_BY = re.compile(
    rf"(?i){KEYNOTE_NOUN}(?:\s+by|[^.]{{0,80}}?(?:(?:delivered|given|presented|made|offered)\s+by|"
    r"(?:,|\b(?:remarks|address|keynote|lecture|talk|speech|presentation|speaker))\s+(?:by|was|is)))\s+(?-i:(?=[A-Z]))"
)
# "X delivered the second keynote".
KEYNOTE_GIVER = re.compile(
    rf"(?P<name>{NAME_WORDS})\s+(?:delivered|gave|presented)\s+(?:the|a|an|his|her|their)\s+(?:\w+\s+){{0,3}}(?i:{KEYNOTE_NOUN})"
)
# "In the opening keynote presentation, X of Org talked about ...".
KEYNOTE_THEN_NAME = re.compile(rf"(?i){KEYNOTE_NOUN}[^.,]{{0,40}},\s+(?-i:(?=[A-Z]))")
PLURAL_KEYNOTES = re.compile(r"(?i)\bkeynotes\b|\b(?:speakers|speeches|addresses|lectures|presentations)\b")
OUTCOMES_HEADING = re.compile(
    r"(?i)\b(outcomes?|conclusions?|recommendations?|key\s+(?:points|messages|findings|take-?aways)|take-?aways|"
    r"main\s+findings|results|discussion|action\s+(?:items|points)|actions)\b"
)
# A "Discussion" sub-heading holds the session's talk, not its list of outcomes: it extends the session
# (OUTCOMES_HEADING) but its paragraphs are not outcomes.
DISCUSSION_HEADING = re.compile(
    r"(?i)^(?:(?:summary\s+of(?:\s+the)?|general|open|group)\s+)?discussion(?:\s+(?:and|&)\s+(?:questions|q\s*&\s*a))?\.?$"
    r"|^questions\s+(?:and|&)\s+discussion\.?$"
)
RECOMMENDATIONS_HEADING = re.compile(
    r"(?i)\b(recommendations?|conclusions?|key\s+issues|way\s+forward|next\s+steps|key\s+messages|take-?aways)\b"
)
# Headings that belong to the whole report even when they look like a panel's sub-heading.
REPORT_WIDE_HEADING = re.compile(r"(?i)\b(key\s+issues|overall|general|final|participants|annex|agenda|programme|and\s+recommendations)\b")
# "Attendee List" may be followed by the meeting's name, joined to it as one multi-line heading.
PARTICIPANTS_HEADING = re.compile(
    r"(?i)^(?:(?:list\s+of\s+(?:registered\s+)?(?:participants|attendees|delegates|registrants)|"
    r"(?:participant|attendee|delegate|registrant)s?[’']?\s+list|attendance\s+list)\b.*|"
    r"(?:registered\s+)?(?:participant|attendee|delegate|registrant)s?[’']?|attendance)\s*:?$"
)
PROGRAMME_HEADING = re.compile(r"(?i)\b(?:agenda|programme|program|schedule|timetable)\b")
BACKGROUND_HEADING = re.compile(
    r"(?i)^(?:introduction|background|executive\s+summary|abstract|summary|overview|context|foreword|preface|"
    r"about\s+(?:the|this)\b.*|objectives?|purpose)\b"
)
ANNEX_HEADING = re.compile(r"(?i)^(?:annex(?:es)?|appendix|appendices|references|bibliography|acknowledge?ments?)\b")
CONTENTS_HEADING = re.compile(r"(?i)^(?:table\s+of\s+)?contents$")
# Outline numbering before a heading's words: "2.", "5.1.", "IV.", "A.", "Annex 2:", "Appendix B."
# A bare "A" is the article ("A standard format for ..."); as a label it is "A." or "A)".
NUMBERING = re.compile(r"^(?:(?:\d+(?:\.\d+)*|[IVXLC]+|(?!A\s)[A-Z](?:\.\d+)*)[.)]?\s+)")
ANNEX_PREFIX = re.compile(r"(?i)^(?:annex|appendix)\s*(?:[A-Z0-9]+|[IVXLC]+)?\s*[:.–—-]?\s*")


# A programme's time slot before a heading's words: "16:00 UTC - ", "10.00 AM - 10.15 AM ", "9:45 am – 10:55 am".
TIME = r"(?:\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?|\d{1,2}(?:\.\d{2})?\s*[ap]\.?m\.?)(?:\s+(?:UTC|GMT|CES?T|[A-Z]T))?"
TIME_SLOT = re.compile(rf"(?i)^{TIME}(?:\s*[-–—]\s*{TIME})?\s*[-–—:|]?\s+")


def bare_heading(title: str) -> str:
    """The heading's words without outline numbering or a time slot: "5.1. Legacy Software" -> "Legacy Software"."""
    return NUMBERING.sub("", TIME_SLOT.sub("", " ".join(title.split()), count=1), count=1)


def keynote_heading(title: str) -> re.Match | None:
    """ "Keynote: X", "Opening address (X)", "Welcome and introductions": a greeting counts only when nothing
    but a speaker follows it ("Welcome to Lakeside" is prose)."""
    match = KEYNOTE_HEADING.match(bare_heading(title))
    if match is None or match["keynote"] or match["separator"] or not match["rest"] or match["rest"].startswith(("(", "by ")):
        return match
    return None


def session_heading(title: str) -> re.Match | None:
    """The heading names one session ("Panel II: ...", "Day 1 – Morning: ..."), not the whole meeting."""
    match = PANEL_HEADING.match(bare_heading(title))
    if match is None or REPORT_WIDE_TITLE.match(match["title"].strip()):
        return None
    if match["kind"].lower() == "day" and match["number"] is None:
        return None
    # "Workshop Focus", "Workshop Goals": the meeting itself, unless numbered or set off ("Workshop 2: ...", "Workshop: ...").
    if match["kind"].lower() == "workshop" and match["number"] is None and not re.match(r"(?i)workshop\s*[:–—.\-]", bare_heading(title)):
        return None
    return match


# A sub-heading that introduces who spoke ("Panel", "Speakers") marks its parent as a session.
PEOPLE_SUBHEADING = re.compile(r"(?i)^(?:the\s+)?(?:panel|panel+ists|speakers|presenters|panel\s+members)$")


# "First breakout discussion: Group A", "Subgroup B Discussion": a breakout named anywhere in the heading.
BREAKOUT_HEADING = re.compile(r"(?i:\bbreak-?out\b|\bsub-?group\b)|\bGroup\s+[A-Z0-9]\b")
# A section that opens by speaking of itself as a group: "This group discussed ...", "The second sub-group ...".
# ("This session ...", or "In the first session, this group ..." in a sub-section, speak of the session above it.)
# "Four panelists from across government shared ...", "Three speakers discussed ...": the text
# reports one panel by counting its members.
COUNTED_PANEL = re.compile(
    r"^(?i:two|three|four|five|six|seven|eight|nine|ten|\d)\s+(?:[\w-]+\s+)?(?i:panel+ists|speakers|presenters|discussants)\b"
)
SELF_REFERENCE = re.compile(
    r"^(?:(?i:this)\s+(?i:group|breakout|working\s+group)|"
    r"(?i:the)\s+(?:(?i:first|second|third|fourth|fifth|last|final)\s+)?(?i:sub-?group|breakout\s+group|working\s+group)|"
    r"(?i:the)\s+(?i:first|second|third|fourth|fifth|last|final)\s+(?i:group|session|panel))\b"
)
