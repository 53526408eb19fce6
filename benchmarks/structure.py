"""How well the structure stage reads meeting reports: `python benchmarks/structure.py [FOLDER...] [--json]`.

Runs extract -> clean -> structure on every PDF in the folders (default: the real and the
generated corpus) that has a `<id>.key.json` answer key, and compares with the key:
sections, sessions (title recall/precision), people of sessions (name + organisation),
keynote speakers, outcomes, recommendations, participants rows, date and venue, and
whether the report gets any brief. Matching rules are those of the key format
(benchmarks/corpus/README.md). Prints per report and overall (micro-averaged) figures.
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tasks.clean import clean  # noqa: E402
from tasks.extract import extract_pages  # noqa: E402
from tasks.model import Report  # noqa: E402
from tasks.structure import structure  # noqa: E402

DEFAULT_FOLDERS = [ROOT / "benchmarks" / "corpus" / "real", ROOT / "benchmarks" / "corpus" / "generated"]
TITLES = re.compile(r"^(?:(?:dr|prof|professor|mr|mrs|ms|mx|sir|dame|he|amb|doctor)\b\.?\s*)+")


# --- normalisation and matching (the key format's rules) -------------------------------


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").casefold()
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def name_tokens(name: str) -> list[str]:
    """Given names first: "Doe, Jane" -> ["jane", "doe"]; titles dropped."""
    if "," in name:
        surname, _, given = name.partition(",")
        name = f"{given} {surname}"
    return TITLES.sub("", norm(name)).replace("_", " ").split()


def same_name(a: str, b: str) -> bool:
    x, y = name_tokens(a), name_tokens(b)
    if not x or not y:
        return False
    full = lambda tokens: {t for t in tokens if len(t) > 1}  # noqa: E731
    if full(x) == full(y) and full(x):
        return True
    return x[-1] == y[-1] and x[0][0] == y[0][0]


def same_organisation(key: str, found: str) -> bool:
    a, b = set(norm(key).split()), set(norm(found).split())
    if not a:
        return True
    return bool(b) and len(a & b) / len(a | b) >= 0.5


def same_person(key: dict, found) -> bool:
    return same_name(key["name"], found.name) and same_organisation(key.get("organisation") or "", found.organisation)


def same_title(key: str, found: str) -> bool:
    a, b = norm(key), norm(found)
    return bool(a and b) and (a in b or b in a)


def same_start(key: str, found: str) -> bool:
    a, b = norm(key), norm(found)
    return bool(a and b) and (b.startswith(a) or a.startswith(b))


def matches(keys: list, found: list, same) -> list[tuple[int, int]]:
    """Greedy one-to-one pairs (key index, found index) in reading order."""
    pairs, used = [], set()
    for i, key in enumerate(keys):
        j = next((j for j, f in enumerate(found) if j not in used and same(key, f)), None)
        if j is not None:
            used.add(j)
            pairs.append((i, j))
    return pairs


# --- scoring ---------------------------------------------------------------------------


@dataclass
class Count:
    """True positives, key items and found items of one figure."""

    hit: int = 0
    keys: int = 0
    found: int = 0

    def add(self, hit: int, keys: int, found: int) -> None:
        self.hit, self.keys, self.found = self.hit + hit, self.keys + keys, self.found + found

    @property
    def recall(self) -> float | None:
        return self.hit / self.keys if self.keys else None

    @property
    def precision(self) -> float | None:
        return self.hit / self.found if self.found else (None if not self.keys else 0.0)


FIGURES = ["sections", "sessions", "people", "keynotes", "outcomes", "recommendations", "participants", "date", "venue"]


@dataclass
class Score:
    id: str
    counts: dict[str, Count] = field(default_factory=lambda: {name: Count() for name in FIGURES})
    briefs: int = 0
    error: str = ""


def sessions_of(report: Report) -> list:
    return [p for p in report.panels if getattr(p, "kind", "panel") not in ("section", "keynote")]


def chairs_of(panel) -> list:
    chairs = list(getattr(panel, "chairs", []) or [])
    if panel.moderator and not any(same_name(panel.moderator.name, c.name) for c in chairs):
        chairs.insert(0, panel.moderator)
    return chairs


def keynote_speakers(report: Report) -> list:
    keynotes = getattr(report, "keynotes", None)
    if keynotes:
        return [p for k in keynotes for p in k.panellists]
    return [report.keynote] if report.keynote else []


def score(key: dict, report: Report) -> Score:
    result = Score(key["id"])
    c = result.counts
    blocks = report.document.blocks
    found_sections = [s.title for s in report.sections]
    key_sections = [s["title"] for s in key.get("sections", [])]
    c["sections"].add(len(matches(key_sections, found_sections, same_title)), len(key_sections), len(found_sections))

    sessions = sessions_of(report)
    headings = [(blocks[p.first_block].text if p.first_block < len(blocks) else "") or p.title for p in sessions]  # a programme row's session starts at its table
    key_sessions = key.get("sessions", [])
    pairs = matches([s["title"] for s in key_sessions], headings, same_title)
    c["sessions"].add(len(pairs), len(key_sessions), len(sessions))
    paired = dict(pairs)
    for i, session in enumerate(key_sessions):
        people = session.get("chairs", []) + session.get("speakers", [])
        outcomes = session.get("outcomes", [])
        if i not in paired:
            c["people"].add(0, len(people), 0)
            c["outcomes"].add(0, len(outcomes), 0)
            continue
        panel = sessions[paired[i]]
        found = chairs_of(panel) + list(panel.panellists)
        c["people"].add(len(matches(people, found, same_person)), len(people), len(found))
        c["outcomes"].add(len(matches(outcomes, panel.outcomes, same_start)), len(outcomes), len(panel.outcomes))
    for j, panel in enumerate(sessions):  # people and outcomes of sessions the key does not have
        if j not in paired.values():
            c["people"].add(0, 0, len(chairs_of(panel)) + len(panel.panellists))
            c["outcomes"].add(0, 0, len(panel.outcomes))

    speakers = [p for k in key.get("keynotes", []) for p in k.get("speakers", [])]
    found = keynote_speakers(report)
    c["keynotes"].add(len(matches(speakers, found, same_person)), len(speakers), len(found))
    recommendations = key.get("recommendations", [])
    c["recommendations"].add(
        len(matches(recommendations, report.recommendations, same_start)), len(recommendations), len(report.recommendations)
    )
    rows = key.get("participants", [])
    c["participants"].add(len(matches(rows, report.participants, same_person)), len(rows), len(report.participants))
    for name in ("date", "venue"):
        expected, got = key.get(name), getattr(report, name)
        if expected:
            c[name].add(int(same_title(expected, got)), 1, int(bool(got)))
        elif got:
            c[name].add(0, 0, 1)
    result.briefs = len(report.panels) + (1 if report.keynote_section else 0)
    return result


def run(folders: list[Path]) -> list[Score]:
    scores = []
    for folder in folders:
        for key_path in sorted(folder.glob("*.key.json")):
            key = json.loads(key_path.read_text(encoding="utf-8"))
            pdf = key_path.with_name(key.get("pdf") or key_path.name.replace(".key.json", ".pdf"))
            try:
                report = structure(clean(extract_pages(pdf)))
            except Exception as error:  # a report the pipeline cannot read scores zero, visibly
                scores.append(Score(key["id"], error=f"{type(error).__name__}: {error}"))
                continue
            scores.append(score(key, report))
    return scores


def total(scores: list[Score]) -> Score:
    overall = Score("OVERALL")
    for s in scores:
        for name, count in s.counts.items():
            overall.counts[name].add(count.hit, count.keys, count.found)
    overall.briefs = sum(1 for s in scores if s.briefs)
    return overall


def as_dict(s: Score) -> dict:
    figures = {name: {"recall": c.recall, "precision": c.precision, "hit": c.hit, "keys": c.keys, "found": c.found} for name, c in s.counts.items()}
    return {"id": s.id, "figures": figures, "briefs": s.briefs, "error": s.error}


def _cell(count: Count) -> str:
    r, p = count.recall, count.precision
    if r is None and not count.found:
        return "-"
    return f"{'-' if r is None else f'{r:.2f}'}/{'-' if p is None else f'{p:.2f}'}"


def print_table(scores: list[Score]) -> None:
    columns = ["report", *FIGURES, "briefs"]
    rows = [[s.id, *(_cell(s.counts[n]) for n in FIGURES), str(s.briefs) + (" ERROR" if s.error else "")] for s in scores]
    overall = total(scores)
    rows.append([overall.id, *(_cell(overall.counts[n]) for n in FIGURES), f"{overall.briefs}/{len(scores)} have"])
    widths = [max(len(r[i]) for r in [columns, *rows]) for i in range(len(columns))]
    print("recall/precision per figure (date, venue: correct/stated and correct/found)")
    for row in [columns, *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)))
    for s in scores:
        if s.error:
            print(f"{s.id}: {s.error}")


def main(argv: list[str]) -> None:
    as_json = "--json" in argv
    folders = [Path(a) for a in argv if a != "--json"] or [f for f in DEFAULT_FOLDERS if f.is_dir()]
    scores = run(folders)
    if as_json:
        print(json.dumps({"reports": [as_dict(s) for s in scores], "overall": as_dict(total(scores))}, indent=2))
    else:
        print_table(scores)


if __name__ == "__main__":
    main(sys.argv[1:])
