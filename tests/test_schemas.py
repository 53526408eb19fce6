"""The documented stage-file schemas match the model, and the goldens validate against them."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from tasks.schemas import schemas

DOCS = Path(__file__).parent.parent / "docs" / "schemas"
GOLDEN = Path(__file__).parent / "golden" / "roundtable-2010" / "stages"


@pytest.mark.parametrize("name", sorted(schemas()))
def test_documented_schema_is_current(name):
    assert (DOCS / name).read_text(encoding="utf-8") == schemas()[name], "run: python -m tasks.schemas"


@pytest.mark.parametrize("name", sorted(schemas()))
def test_golden_stage_file_validates(name):
    stage_file = GOLDEN / name.replace(".schema.json", ".json")
    jsonschema.validate(json.loads(stage_file.read_text(encoding="utf-8")), json.loads(schemas()[name]))
