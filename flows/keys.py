"""The stage tasks' cache keys, computed without Prefect.

A key is `<stage>-<VERSION>-sha256(the fingerprint of the stage's code, data files and
libraries (flows/stagecode.py), its inputs' content)`, and Prefect's result store names
the result file by it. Needing no Prefect, the command can also tell which pages the
store lacks before importing it (flows/early.py).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from flows import stagecode


def task_key(stage: str, version: str | int, parameters: dict[str, Any], resources: Path | None) -> str:
    """The key of a `stage` task called with `parameters` (the source's path is no input: its content is)."""
    inputs = {k: v for k, v in parameters.items() if k != "source"}
    code = stagecode.fingerprint(stage, resources)
    return f"{stage}-{version}-{content_hash([code, inputs])}"


def content_hash(value: Any) -> str:
    """A stable hash of a stage input: models by their JSON, files by their bytes."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


def _feed(digest, value: Any) -> None:
    if isinstance(value, BaseModel):
        digest.update(value.model_dump_json().encode())
    elif isinstance(value, Path):
        digest.update(value.read_bytes() if value.is_file() else str(value).encode())
    elif isinstance(value, (list, tuple)):
        for item in value:
            _feed(digest, item)
    elif isinstance(value, dict):
        for key in sorted(value, key=str):
            digest.update(str(key).encode())
            _feed(digest, value[key])
    elif isinstance(value, (set, frozenset)):  # iteration order varies with PYTHONHASHSEED
        for item in sorted(content_hash(item) for item in value):
            digest.update(item.encode())
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        digest.update(type(value).__name__.encode())
        for each in dataclasses.fields(value):
            digest.update(each.name.encode())
            _feed(digest, getattr(value, each.name))
    else:
        digest.update(json.dumps(value, sort_keys=True, default=str).encode())
