"""Recording task runs for the manifest, and publishing a pack atomically.

A pack is written to a temporary folder beside its destination and swapped in by
rename only when every file is written, so a failed build leaves the previous
pack as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any, Iterator

from prefect.context import FlowRunContext
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import opaque
from pydantic import BaseModel, TypeAdapter

from flows import progress, signals
from flows.packs import pack_folder
from tasks.errors import UsageError
from tasks.markdown import document_markdown
from tasks.model import Corrections, Document, Issue, Page
from tasks.render.quality import quality_notes


class Recorder:
    """Runs tasks, unwraps their (value, seconds) and notes whether each was cached.

    Tasks are submitted to the flow's task runner (threads by default, Dask workers
    with --runner dask), so the same flow runs on one machine or a cluster.
    """

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []
        self.wrap = _opaque if on_threads() else _as_is
        progress.track_run()  # made at the top of a flow: its run is the one to cancel on Ctrl-C

    def __call__(self, task: Any, *args: Any, item: str | None = None) -> Any:
        return self.many(task, [args], [item])[0]

    def many(self, task: Any, calls: list[tuple], items: list[str | None]) -> list[Any]:
        """Submit every call of `task` at once, then collect them in order (pages in parallel).

        On threads each argument (each item of a list) goes in `opaque`: Prefect still
        links the task to the runs that made its values, but no longer walks every field
        of a document (every line, every span) looking for futures inside it, which cost
        an incremental build a second. (Dask ships arguments as plain tuples, so there
        an annotation would reach the stage.)
        """
        futures = []
        for args, item in zip(calls, items):
            progress.started(task.name, item)
            futures.append(task.submit(*(self.wrap(arg) for arg in args)))
        return [self._collect(task, future, item) for future, item in zip(futures, items)]

    def _collect(self, task: Any, future: Any, item: str | None) -> Any:
        future.wait()
        state = future.state
        value, seconds = state.result()
        cached = state.name == "Cached"
        record = {
            "stage": task.name,
            "item": item,
            "status": "cached" if cached else "computed",
            "seconds": 0.0 if cached else seconds,
        }
        self.records.append(record)
        progress.finished(record)
        return value


def on_threads() -> bool:
    context = FlowRunContext.get()
    return context is not None and isinstance(context.task_runner, ThreadPoolTaskRunner)


def _opaque(value: Any) -> Any:
    return [opaque(each) for each in value] if isinstance(value, list) else opaque(value)


def _as_is(value: Any) -> Any:
    return value


def stage_files(stages: dict[str, Any]) -> dict[str, bytes]:
    """The documented stage files users read and script against."""
    files: dict[str, bytes] = {}
    for name, value in stages.items():
        if name == "clean.md":
            files[name] = document_markdown(value).encode()
            files["clean.json"] = _json(value)
        elif name == "corrections.json" and isinstance(value, Corrections):
            files[name] = _json([c.model_dump(mode="json") for c in value.corrections])
        elif name == "extract.json":
            files[name] = _json(TypeAdapter(list[Page]).dump_python(value, mode="json"))
        else:
            files[name] = _json(value)
    return files


def _json(value: Any) -> bytes:
    if isinstance(value, BaseModel):
        value = value.model_dump(mode="json")
    return (json.dumps(value, indent=2, ensure_ascii=False) + "\n").encode()


def issues_of(stages: dict[str, Any]) -> list[dict[str, Any]]:
    """Everything any stage reported, de-duplicated, for the manifest and the CLI."""
    seen: dict[str, dict[str, Any]] = {}
    for value in stages.values():
        for issue in getattr(value, "issues", []) or []:
            if isinstance(issue, Issue):
                seen.setdefault(issue.model_dump_json(), issue.model_dump(mode="json"))
    document = stages.get("clean.md")
    if isinstance(document, Document):
        for item in document.furniture:
            seen.setdefault(
                f"furniture:{item.page}:{item.text}",
                {"stage": "clean", "kind": f"furniture-{item.kind}", "message": f"removed {item.text!r}",
                 "page": item.page, "severity": "info"},
            )
    return list(seen.values())


def notes_of(stages: dict[str, Any]) -> list[dict[str, Any]]:
    """The pack's quality notes (what its "Quality notes" section shows), for the terminal and --strict."""
    report, briefs, corrections = (stages.get(name) for name in ("report.json", "briefs.json", "corrections.json"))
    if report is None or briefs is None or corrections is None:
        return []
    return [note.model_dump(mode="json") for note in quality_notes(report, briefs, corrections)]


def summary_of(stages: dict[str, Any], notes: list[dict[str, Any]]) -> dict[str, Any]:
    """What the command's last line tells: pages, panels, briefs, corrections, quality notes by severity."""
    report, briefs, corrections = stages.get("report.json"), stages.get("briefs.json"), stages.get("corrections.json")
    listed = getattr(corrections, "corrections", [])
    return {
        "pages": len(stages.get("extract.json") or []),
        "panels": len(getattr(report, "panels", [])),
        "briefs": len(getattr(briefs, "briefs", [])),
        "corrections": {"applied": sum(c.applied for c in listed), "suggested": sum(not c.applied for c in listed)},
        **{f"{severity}s": sum(note["severity"] == severity for note in notes)
           for severity in ("error", "warning", "info")},
    }


def publish(
    source: Path,
    out: Path,
    stages: dict[str, Any],
    outputs: dict[str, bytes],
    records: list[dict[str, Any]],
    inputs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write out/<name>/ in one swap: stages/, the output files and manifest.json.

    `inputs` (flows/uptodate.py) and the hash of every file written let a later
    command see that the pack is current without building.
    """
    final = pack_folder(source, out)  # never --out itself or anything outside it
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"--out {out}: cannot be created ({error.strerror or type(error).__name__})") from None
    # One publisher per output folder at a time (a lock on the folder itself: no lock file
    # left beside the packs), and a signal waits until the swap is whole (flows/signals.py).
    with _locked(out), signals.deferred():
        _recover(out, final)
        return _publish(source, final, stages, outputs, records, inputs)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _publish(
    source: Path, final: Path, stages: dict[str, Any], outputs: dict[str, bytes], records: list[dict[str, Any]],
    inputs: dict[str, Any] | None,
) -> dict[str, Any]:
    stem = final.name
    staging = final.with_name(f".{stem}.{os.getpid()}-{uuid.uuid4().hex[:8]}.tmp")
    staging.mkdir()  # os.mkdir honours the umask: the pack is as readable as any other output
    try:
        files: dict[str, str] = {}
        for name, data in stage_files(stages).items():
            _write(staging / "stages" / name, data)
            files[f"stages/{name}"] = _sha256(data)
        listed = []
        for fmt, data in outputs.items():
            name = f"{stem}.{fmt}"
            _write(staging / name, data)
            files[name] = _sha256(data)
            listed.append({"format": fmt, "path": name, "bytes": len(data), "sha256": _sha256(data)})
        notes = notes_of(stages)
        manifest = {
            "source": {"path": str(source), "sha256": _sha256(source.read_bytes())},
            "summary": summary_of(stages, notes),
            "tasks": records,
            "outputs": listed,
            "notes": notes,
            "issues": issues_of(stages),
            "inputs": inputs,
            "files": files,
        }
        _write(staging / "manifest.json", _json(manifest))
        _swap(staging, final)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return manifest


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _recover(out: Path, final: Path) -> None:
    """Undo what a build killed while publishing left: its staging folder, a pack moved aside."""
    for stale in out.glob(f".{final.name}.*.tmp"):
        shutil.rmtree(stale, ignore_errors=True)
    old = final.with_name(f".{final.name}.old")
    if old.exists() and not final.exists():
        old.rename(final)


def _swap(staging: Path, final: Path) -> None:
    """Replace `final` by `staging`: the old pack stays whole until the new one is in place."""
    old = final.with_name(f".{final.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if final.exists():
        final.rename(old)
    staging.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

