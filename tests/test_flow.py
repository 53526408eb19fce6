"""The build_pack flow under Prefect's test harness: files, goldens, caching, determinism."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import docx
import pytest

from flows.pack import build_pack
from tasks.render import normalise_zip
from tests.answers import FIXTURES

CASE = "roundtable-2010"
STAGE_FILES = ["extract.json", "clean.md", "clean.json", "corrections.json", "report.json", "briefs.json"]


@pytest.fixture(scope="module")
def builds(prefect_harness, tmp_path_factory):
    """The sample built twice into the same folder: (first manifest, second manifest, pack dir)."""
    work = tmp_path_factory.mktemp("flow")
    source = work / f"{CASE}.pdf"
    shutil.copy(FIXTURES / f"{CASE}.pdf", source)
    shutil.copy(FIXTURES / "typos" / f"{CASE}.errata.toml", work)  # the typos a general corrector leaves
    out = work / "out"
    settings = {"cache_dir": str(work / "cache")}
    first = build_pack(source, out, settings)
    first_bytes = {p.name: p.read_bytes() for p in (out / CASE).glob(f"{CASE}.*")}
    second = build_pack(source, out, settings)
    return first, second, out / CASE, first_bytes


def test_writes_every_file_of_the_contract(builds):
    _, _, pack, _ = builds
    for name in (f"{CASE}.docx", f"{CASE}.epub", f"{CASE}.html", "manifest.json"):
        assert (pack / name).is_file(), name
    for name in STAGE_FILES:
        assert (pack / "stages" / name).is_file(), name


def test_outputs_open(builds):
    _, _, pack, _ = builds
    document = docx.Document(str(pack / f"{CASE}.docx"))
    assert document.core_properties.title
    epub = normalise_zip(pack / f"{CASE}.epub")
    assert any(name.endswith(".opf") for name in epub)
    assert '<html lang="en' in (pack / f"{CASE}.html").read_text(encoding="utf-8")


def test_manifest_lists_tasks_and_outputs(builds):
    first, _, pack, _ = builds
    manifest = json.loads((pack / "manifest.json").read_text())
    assert manifest["source"]["sha256"] and manifest["source"]["path"].endswith(f"{CASE}.pdf")
    stages = {t["stage"] for t in first["tasks"]}
    assert {"extract", "clean", "correct", "structure", "brief", "summary", "render"} <= stages
    assert all(t["status"] == "computed" for t in first["tasks"])
    assert sorted(o["format"] for o in manifest["outputs"]) == ["docx", "epub", "html"]
    for output in manifest["outputs"]:
        assert (pack / output["path"]).stat().st_size == output["bytes"]


def test_second_build_is_all_cached_and_identical(builds):
    first, second, pack, first_bytes = builds
    assert [t["status"] for t in second["tasks"]] == ["cached"] * len(first["tasks"])
    assert [(o["format"], o["sha256"]) for o in second["outputs"]] == [(o["format"], o["sha256"]) for o in first["outputs"]]
    assert {p.name: p.read_bytes() for p in pack.glob(f"{CASE}.*")} == first_bytes


@pytest.mark.parametrize("name", STAGE_FILES)
def test_stage_files_match_goldens(builds, golden, name):
    _, _, pack, _ = builds
    golden(f"{CASE}/stages/{name}", (pack / "stages" / name).read_text(encoding="utf-8"))


def test_html_matches_golden(builds, golden):
    _, _, pack, _ = builds
    golden(f"{CASE}/{CASE}.html", (pack / f"{CASE}.html").read_text(encoding="utf-8"))


@pytest.mark.parametrize("fmt", ["docx", "epub"])
def test_zip_outputs_match_goldens(builds, golden, fmt):
    """DOCX and EPUB compared unzipped, each XML part pretty-printed (see docs/stage-files.md)."""
    _, _, pack, _ = builds
    parts = normalise_zip(pack / f"{CASE}.{fmt}")
    text = "".join(f"=== {name}\n{content}\n" for name, content in sorted(parts.items()))
    golden(f"{CASE}/{CASE}.{fmt}.txt", text)


def test_pack_uses_the_corrected_text(builds):
    """Every format carries the corrections; the originals appear only in the corrections report."""
    _, _, pack, _ = builds
    corrections = json.loads((pack / "stages" / "corrections.json").read_text())
    applied = [c for c in corrections if c["applied"]]
    assert len(applied) >= 7
    html = (pack / f"{CASE}.html").read_text(encoding="utf-8").split('id="pack-corrections"')[0]
    docx_text = "\n".join(p.text for p in docx.Document(str(pack / f"{CASE}.docx")).paragraphs)
    epub_text = "".join(v for k, v in normalise_zip(pack / f"{CASE}.epub").items() if k.endswith(".xhtml"))
    texts = {
        "html": html,
        "docx": docx_text.split("Corrections report")[0],
        "epub": epub_text.split('id="pack-corrections"')[0],
        "briefs": (pack / "stages" / "briefs.json").read_text(),
        "clean.md": (pack / "stages" / "clean.md").read_text(),
    }
    for correction in applied:
        original = " ".join(correction["sentence"].split())
        for name, text in texts.items():
            assert original not in " ".join(text.split()), (name, correction["original"])
    for name in ("html", "docx", "epub", "clean.md"):
        assert "exacerbated by the fact" in " ".join(texts[name].split()), name
