"""Recording task runs for the manifest, and publishing a pack atomically.

A pack is written to a temporary folder beside its destination and swapped in by
rename only when every file is written, so a failed build leaves the previous
pack as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from filelock import FileLock
from pydantic import BaseModel, TypeAdapter

from flows import progress
from tasks.markdown import document_markdown
from tasks.model import Corrections, Document, Issue, Page


class Recorder:
    """Runs tasks, unwraps their (value, seconds) and notes whether each was cached.

    Tasks are submitted to the flow's task runner (threads by default, Dask workers
    with --runner dask), so the same flow runs on one machine or a cluster.
    """

    def __init__(self) -> None:
        self.records: list[dict[str, Any]] = []

    def __call__(self, task: Any, *args: Any, item: str | None = None) -> Any:
        return self.many(task, [args], [item])[0]

    def many(self, task: Any, calls: list[tuple], items: list[str | None]) -> list[Any]:
        """Submit every call of `task` at once, then collect them in order (pages in parallel)."""
        futures = []
        for args, item in zip(calls, items):
            progress.started(task.name, item)
            futures.append(task.submit(*args))
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
                {"stage": "clean", "kind": f"furniture-{item.kind}", "message": f"removed {item.text!r}", "page": item.page},
            )
    return list(seen.values())


def publish(
    source: Path,
    out: Path,
    stages: dict[str, Any],
    outputs: dict[str, bytes],
    records: list[dict[str, Any]],
    inputs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Write out/<stem>/ in one swap: stages/, the output files and manifest.json.

    `inputs` (flows/uptodate.py) and the hash of every file written let a later
    command see that the pack is current without building.
    """
    stem = source.stem
    final = out / stem
    out.mkdir(parents=True, exist_ok=True)
    # One publisher per pack at a time: two builds of one source never mix their files.
    with FileLock(out / f".{stem}.lock"):
        _recover(out, final)
        return _publish(source, final, stages, outputs, records, inputs)


def _publish(
    source: Path, final: Path, stages: dict[str, Any], outputs: dict[str, bytes], records: list[dict[str, Any]],
    inputs: dict[str, Any] | None,
) -> dict[str, Any]:
    stem = source.stem
    staging = Path(tempfile.mkdtemp(prefix=f".{stem}.", suffix=".tmp", dir=final.parent))
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
        manifest = {
            "source": {"path": str(source), "sha256": _sha256(source.read_bytes())},
            "tasks": records,
            "outputs": listed,
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

