"""JSON Schemas of the stage files, generated from the model: `python -m tasks.schemas [DIR]`.

docs/schemas/ holds the current ones; a test fails when they drift from the model.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter

from tasks.model import Briefs, Correction, Document, Page, Report

STAGE_FILES: dict[str, Any] = {
    "extract.json": list[Page],
    "clean.json": Document,
    "corrections.json": list[Correction],
    "report.json": Report,
    "briefs.json": Briefs,
}


def schemas() -> dict[str, str]:
    """File name -> its JSON Schema as text."""
    return {
        name.replace(".json", ".schema.json"): json.dumps(TypeAdapter(kind).json_schema(mode="serialization"), indent=2) + "\n"
        for name, kind in STAGE_FILES.items()
    }


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in schemas().items():
        (folder / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
