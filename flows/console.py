"""What a command shows on the terminal: progress while stages run, one line per pack at the end.

Like Quarto and mkdocs: a live display on a terminal (rich), plain lines when the
output is a pipe or a log, warnings and errors always, and one closing line per
source saying where its pack went and what is in it. Verbosity: -q shows errors
only; -v adds a line per task and the info-level issues.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from flows import progress

console = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long

QUIET, NORMAL, VERBOSE = 0, 1, 2
ITEMS = {"extract": "pages", "brief": "briefs", "render": "formats"}  # what a stage's items are


def error(message: str) -> None:
    console.print(f"error: {message}", style="red", highlight=False, markup=False)


def say(message: str, level: int = NORMAL) -> None:
    if Display.verbosity >= level:
        console.print(message, highlight=False, markup=False)


class Display:
    """A progress.Listener: a live bar per stage on a terminal, else a line per finished stage."""

    verbosity = NORMAL

    def __init__(self, live: bool | None = None) -> None:
        self.live = console.is_terminal if live is None else live
        self.started_count: dict[str, int] = {}
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.bars: Progress | None = None
        self.rows: dict[str, Any] = {}

    def waiting(self, message: str) -> None:
        """A line while something slow starts (the Prefect API), until the first stage reports."""
        if self.verbosity < NORMAL:
            return
        if self.live:
            self._bars().add_task(message, total=None)
        else:
            say(message)

    def started(self, stage: str, item: str | None) -> None:
        self.started_count[stage] = self.started_count.get(stage, 0) + 1
        if self.live and self.verbosity >= NORMAL:
            bars = self._bars()
            if stage not in self.rows:
                self.rows[stage] = bars.add_task(stage, total=0)
            bars.update(self.rows[stage], total=self.started_count[stage])

    def finished(self, record: dict[str, Any]) -> None:
        stage = record["stage"]
        done = self.records.setdefault(stage, [])
        done.append(record)
        if self.verbosity >= VERBOSE:
            say(f"  {self._prefix()}{_task_line(record)}", VERBOSE)
        elif self.live and self.bars is not None:
            self.bars.update(self.rows[stage], completed=len(done))
        elif len(done) == self.started_count.get(stage):
            say(f"  {self._prefix()}{_stage_line(stage, done)}")
            self.started_count.pop(stage)
            self.records.pop(stage)

    def close(self) -> None:
        if self.bars is not None:
            self.bars.stop()
            self.bars = None
        self.rows.clear()
        self.started_count.clear()
        self.records.clear()

    def _bars(self) -> Progress:
        if self.bars is None:
            self.bars = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                console=console, transient=True,
            )
            self.bars.start()
        return self.bars

    @staticmethod
    def _prefix() -> str:
        source = progress.source.get()  # several sources at once: say whose task this was
        return f"{source}: " if source else ""


def _task_line(record: dict[str, Any]) -> str:
    noun = {"extract": "page ", "brief": "panel ", "render": ""}.get(record["stage"], "")
    item = f" {noun}{record['item']}" if record["item"] else ""
    how = "cached" if record["status"] == "cached" else f"{record['seconds']:.2f} s"
    return f"{record['stage']}{item}: {how}"


def _stage_line(stage: str, records: list[dict[str, Any]]) -> str:
    computed = [r for r in records if r["status"] == "computed"]
    seconds = sum(r["seconds"] for r in computed)
    count = f"{len(records)} {ITEMS[stage]}, " if stage in ITEMS and records[0]["item"] else ""
    how = f"{len(computed)} computed in {seconds:.2f} s" if computed else "cached"
    if computed and len(computed) < len(records):
        how += f", {len(records) - len(computed)} cached"
    return f"{stage}: {count}{how}"


def show_progress(live: bool | None = None) -> Display:
    """Register the display (once per process) and return it."""
    for listener in progress.listeners:
        if isinstance(listener, Display):
            return listener
    display = Display(live)
    progress.listeners.append(display)
    return display


def closing_line(pack: Path, manifest: dict[str, Any], seconds: float) -> str:
    """`Output created: <pack>/ (docx, epub, html) · 11 pages · 4 panels · …`, one line."""
    summary = manifest.get("summary", {})
    formats = ", ".join(o["format"] for o in manifest.get("outputs", []))
    corrections = summary.get("corrections", {})
    parts = [
        f"{summary.get('pages', 0)} pages",
        f"{summary.get('panels', 0)} panels",
        f"{summary.get('briefs', 0)} briefs",
        f"corrections {corrections.get('applied', 0)} applied, {corrections.get('suggested', 0)} suggested",
        f"{summary.get('warnings', 0)} warnings",
    ]
    if summary.get("errors"):
        parts.append(f"{summary['errors']} errors")
    return f"Output created: {pack}/ ({formats}) · " + " · ".join(parts) + f" · {seconds:.1f} s"


def show_notes(manifest: dict[str, Any], source: str = "") -> None:
    """The pack's quality notes: warnings and errors always (the editor must see them), info with -v."""
    prefix = f"{source}: " if source else ""
    for note in manifest.get("notes", []):
        severity = note["severity"]
        if severity == "info" and Display.verbosity < VERBOSE:
            continue
        if severity != "error" and Display.verbosity < NORMAL:
            continue
        page = f" (page {note['page']})" if note.get("page") and f"page {note['page']}" not in note["message"] else ""
        style = {"error": "red", "warning": "yellow"}.get(severity, "dim")
        text = f"{prefix}{note['title']}: {note['message']}"
        console.print(f"{severity}: {escape(text)}{page}", style=style, highlight=False)


def strict_failures(manifest: dict[str, Any]) -> int:
    """How many of the pack's quality notes are warnings or errors: what --strict fails on."""
    return sum(note["severity"] != "info" for note in manifest.get("notes", []))
