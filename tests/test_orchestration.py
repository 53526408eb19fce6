"""Orchestration: cache grain, settings precedence, batches, watch, schedules, Dask, artifacts.

Small sources (the Markdown fixture, three-page PDFs) under the session's Prefect
harness. Each test marks its source with its own sentence, so the session-wide
result store never answers one test with another test's entries.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from flows import steps
from flows.pack import build_pack
from tests.answers import FIXTURES
from tests.test_server import wait_for

ROOT = Path(__file__).parent.parent
MEETING = (FIXTURES / "expert-meeting-2019.md").read_text(encoding="utf-8")
HTML = {"formats": ["html"]}


def meeting(folder: Path, marker: str, name: str = "meeting") -> Path:
    """A copy of the Markdown fixture, made unique by a sentence in its introduction."""
    folder.mkdir(parents=True, exist_ok=True)
    text = MEETING.replace("the Chatham House rule.", f"the Chatham House rule. Marker {marker}.", 1)
    path = folder / f"{name}.md"
    path.write_text(text, encoding="utf-8")
    return path


def statuses(manifest: dict) -> dict[tuple[str, str | None], str]:
    return {(t["stage"], t["item"]): t["status"] for t in manifest["tasks"]}


def computed(manifest: dict) -> set[tuple[str, str | None]]:
    return {key for key, status in statuses(manifest).items() if status == "computed"}


def all_cached(manifest: dict) -> bool:
    return all(t["status"] == "cached" for t in manifest["tasks"])


# --- 1. cache grain --------------------------------------------------------------------


def test_editing_one_panel_rebriefs_that_panel_only(prefect_harness, tmp_path):
    source = meeting(tmp_path, "panel-edit")
    first = build_pack(source, tmp_path / "out", HTML)
    # all computed (the final structure may reuse the draft's entry when no typo was fixed)
    assert all(t["status"] == "computed" for t in first["tasks"] if t["stage"] != "structure")
    assert all_cached(build_pack(source, tmp_path / "out", HTML))

    source.write_text(
        source.read_text(encoding="utf-8").replace("below five per cent", "below four per cent"), encoding="utf-8"
    )
    third = build_pack(source, tmp_path / "out", HTML)
    briefs = {item: status for (stage, item), status in statuses(third).items() if stage == "brief"}
    assert len(briefs) >= 3
    assert sorted(item for item, status in briefs.items() if status == "computed") == ["2"], briefs
    # whole-document stages redo their one task; render follows the changed Markdown
    assert {("extract", None), ("clean", None), ("correct", None), ("structure", "draft"), ("render", "html")} <= computed(third)
    assert "four per cent" in (tmp_path / "out" / "meeting" / "stages" / "clean.md").read_text(encoding="utf-8")


def test_changing_a_stage_version_reruns_that_stage_and_not_earlier(prefect_harness, tmp_path, monkeypatch):
    source = meeting(tmp_path, "version-bump")
    build_pack(source, tmp_path / "out", HTML)
    monkeypatch.setitem(steps.VERSIONS, "brief", steps.VERSIONS["brief"] + "-test")
    again = build_pack(source, tmp_path / "out", HTML)
    state = statuses(again)
    for stage in ("extract", "clean", "correct", "structure"):
        assert all(s == "cached" for (st, _), s in state.items() if st == stage), (stage, state)
    assert all(s == "computed" for (st, _), s in state.items() if st in ("brief", "summary")), state
    # the briefs came out the same, so the pack's Markdown did too: render stays cached
    assert state[("render", "html")] == "cached"


def test_a_render_setting_rerenders_only(prefect_harness, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates, ignore=shutil.ignore_patterns("__pycache__"))
    source = meeting(tmp_path / "src", "render-setting")
    settings = {"formats": ["html", "epub"], "templates": str(templates)}
    build_pack(source, tmp_path / "out", settings)
    css = templates / "pack.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n.house-style { color: #123456; }\n", encoding="utf-8")
    again = build_pack(source, tmp_path / "out", settings)
    assert computed(again) == {("render", "html"), ("render", "epub")}
    assert "#123456" in (tmp_path / "out" / "meeting" / "meeting.html").read_text(encoding="utf-8")


def three_page_pdf(path: Path, marker: str, page_two: str, added: str = "") -> Path:
    """A small report: title and introduction, then one session per page."""
    from fpdf import FPDF

    pages = [
        ("Roundtable on Coastal Finance", f"The roundtable gathered city officials and lenders. Marker {marker}."),
        ("Session 1 - Sea Defences", page_two),
        ("Session 2 - Insurance", "Insurers explained how parametric risk pools pay out within weeks of a storm."),
    ]
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for number, (heading, body) in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.cell(0, 10, heading, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        for _ in range(3):
            pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        if added and number == 2:
            pdf.ln(6)  # a paragraph of its own: more space above than between lines
            pdf.multi_cell(0, 6, added, new_x="LMARGIN", new_y="NEXT")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


def test_editing_one_pdf_page_reextracts_that_page_only(prefect_harness, tmp_path):
    source = tmp_path / "src" / "report.pdf"
    three_page_pdf(source, "pdf-page", "Lenders described long loans for dyke reinforcement in river deltas.")
    first = build_pack(source, tmp_path / "out", HTML)
    assert {t["item"] for t in first["tasks"] if t["stage"] == "extract" and t["status"] == "computed"} == {"1", "2", "3"}

    three_page_pdf(source, "pdf-page", "Lenders described short loans for sea wall repairs in island states.")
    second = build_pack(source, tmp_path / "out", HTML)
    extract = {t["item"]: t["status"] for t in second["tasks"] if t["stage"] == "extract"}
    assert extract == {"1": "cached", "2": "computed", "3": "cached"}
    assert "island states" in (tmp_path / "out" / "report" / "stages" / "clean.md").read_text(encoding="utf-8")


def test_a_paragraph_added_to_one_panel_leaves_the_later_briefs_cached(prefect_harness, tmp_path):
    """Every later block of the document moves down one place, but the later panel's passage is the same text."""
    source = tmp_path / "src" / "report.pdf"
    body = "Lenders described long loans for dyke reinforcement in river deltas."
    first = build_pack(three_page_pdf(source, "paragraph-added", body), tmp_path / "out", HTML)
    briefs = [item for (stage, item) in statuses(first) if stage == "brief"]
    added = "Several delegates asked who would repay the loans if a storm destroyed the works before completion."
    second = build_pack(three_page_pdf(source, "paragraph-added", body, added), tmp_path / "out", HTML)
    assert len(briefs) == 2 and sorted(item for (stage, item) in computed(second) if stage == "brief") == briefs[:1]
    assert computed(second) >= {("extract", "2"), ("render", "html")}


def test_the_command_parses_early_only_the_pages_the_store_lacks(prefect_harness, tmp_path, monkeypatch):
    """flows/early.py names the extract tasks' stored results without Prefect, and the flow takes its parse."""
    from flows import early, parallel
    from tasks.settings import Settings

    monkeypatch.setenv("PREFECT_LOCAL_STORAGE_PATH", str(prefect_harness))
    monkeypatch.setenv("BRIEFPACK_PROCESSES", "2")
    source = three_page_pdf(tmp_path / "src" / "report.pdf", "early", "Ferry operators asked for berths that float.")
    config = Settings.beside(source.parent, **HTML)
    assert {1, 2} <= set(early.missing_pages(source, config))  # page 3 is another test's page 3: stored
    build_pack(source, tmp_path / "out", HTML)
    assert early.missing_pages(source, config) == []

    three_page_pdf(source, "early", "Harbour masters asked for tide gauges on every pier.")
    try:
        assert early.parse_missing_pages(source, config) == [2]
        monkeypatch.setattr(parallel, "run", lambda *args: pytest.fail("the flow parsed the page again"))
        second = build_pack(source, tmp_path / "out", HTML)
    finally:
        parallel.shutdown()
    assert {t["item"] for t in second["tasks"] if t["stage"] == "extract" and t["status"] == "computed"} == {"2"}
    assert "tide gauges" in (tmp_path / "out" / "report" / "stages" / "clean.md").read_text(encoding="utf-8")


# --- 3. settings -----------------------------------------------------------------------


def test_settings_precedence_toml_then_env_then_flags(tmp_path, monkeypatch):
    from tasks.settings import Settings

    (tmp_path / "briefpack.toml").write_text(
        'formats = ["html"]\napply_threshold = 0.5\nlanguage = "en-US"\ntemplates = "house"\n', encoding="utf-8"
    )
    monkeypatch.delenv("BRIEFPACK_APPLY_THRESHOLD", raising=False)
    assert Settings.beside(tmp_path).formats == ["html"]
    assert Settings.beside(tmp_path).templates == tmp_path / "house"  # relative to the toml's folder
    monkeypatch.setenv("BRIEFPACK_APPLY_THRESHOLD", "0.7")
    monkeypatch.setenv("BRIEFPACK_LANGUAGE", "en-GB")
    settings = Settings.beside(tmp_path, language="en-US")
    assert (settings.apply_threshold, settings.language) == (0.7, "en-US")
    assert Settings.beside(tmp_path / "elsewhere").formats == ["docx", "epub", "html"]  # no toml there


def test_settings_doc_is_current():
    from tasks.settings import Settings, settings_markdown

    doc = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    assert doc == settings_markdown(), "docs/settings.md is stale: python -m tasks.settings > docs/settings.md"
    for name in Settings.model_fields:
        assert f"| `{name}` |" in doc


# --- 9. artifacts ----------------------------------------------------------------------


def test_each_run_publishes_corrections_and_briefs_artifacts(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    source = meeting(tmp_path, "artifacts", name="artifact-meeting")
    build_pack(source, tmp_path / "out", HTML)
    with get_client(sync_client=True) as client:
        for key in ("artifact-meeting-corrections", "artifact-meeting-briefs"):
            found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
            assert found and found[0].type == "markdown", key
            assert found[0].flow_run_id is not None
    briefs = found[0].data
    assert "Session 2" in briefs or "Insurance" in briefs


# --- 5. batches ------------------------------------------------------------------------


def test_batch_builds_the_good_sources_and_reports_the_bad(prefect_harness, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from flows import cli, environment

    folder = tmp_path / "reports"
    meeting(folder, "batch-a", name="alpha")
    meeting(folder, "batch-b", name="beta")
    (folder / "garbled.md").write_bytes(b"# Report\n\n\xff\xfe not UTF-8 \xc3\x28\n")  # fails inside its build
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<<")  # fails the check before Prefect
    monkeypatch.setattr(environment, "prefect_environment", lambda *args: None)  # the harness has set Prefect up
    result = CliRunner().invoke(cli.app, ["build", str(folder), "--out", str(tmp_path / "out"), "--formats", "html"])
    assert result.exit_code not in (0, None), result.output
    for stem in ("alpha", "beta"):
        manifest = json.loads((tmp_path / "out" / stem / "manifest.json").read_text())
        assert manifest["outputs"][0]["format"] == "html"
    assert not (tmp_path / "out" / "garbled").exists() and not (tmp_path / "out" / "broken").exists()
    output = " ".join(result.output.split())
    assert "not UTF-8" in output and "damaged" in output
    for stem in ("alpha", "beta", "garbled", "broken"):
        assert stem in output, result.output  # the summary table names every source


def test_build_folder_flow_isolates_a_failing_source(prefect_harness, tmp_path):
    from flows.batch import build_folder

    folder = tmp_path / "reports"
    meeting(folder, "folder-flow", name="good")
    (folder / "bad.pdf").write_bytes(b"not a pdf at all")
    results = build_folder(str(folder), str(tmp_path / "out"), HTML)
    by_name = {Path(r["source"]).name: r for r in results}
    assert by_name["good.md"]["status"] == "built" and by_name["good.md"]["computed"] > 0
    assert by_name["bad.pdf"]["status"] == "failed" and by_name["bad.pdf"]["exit_code"] == 4
    assert (tmp_path / "out" / "good" / "good.html").is_file()


def test_batch_builds_each_source_in_a_task_with_its_subflow(prefect_harness, tmp_path, monkeypatch):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowFilter, FlowFilterName, FlowRunFilter, FlowRunFilterId

    from flows.batch import build_folder

    folder = tmp_path / "reports"
    for name in ("first", "second"):
        meeting(folder, f"subflow-{name}", name=name)
    monkeypatch.setenv("BRIEFPACK_PROCESSES", "2")  # two worker processes, whatever this machine has
    results = build_folder(str(folder), str(tmp_path / "out"), HTML)
    assert [r["status"] for r in results] == ["built", "built"]
    with get_client(sync_client=True) as client:
        packs = client.read_flow_runs(flow_filter=FlowFilter(name=FlowFilterName(any_=["build-pack"])))
        ours = [run for run in packs if str(run.parameters.get("source", "")).startswith(str(folder))]
        batches = {client.read_task_run(run.parent_task_run_id).flow_run_id for run in ours}
        assert len(ours) == 2 and len(batches) == 1  # both subflows of one build-folder run
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=list(batches))))
    assert sum(t.name.startswith("build-source") for t in tasks) == 2


# --- 6. watch --------------------------------------------------------------------------


def test_watch_rebuilds_after_a_source_edit(prefect_harness, tmp_path):
    from flows.watch import watch_folder

    folder = tmp_path / "reports"
    source = meeting(folder, "watch", name="watched")
    out = tmp_path / "out"
    stop = threading.Event()
    results: list[dict] = []
    watcher = threading.Thread(
        target=watch_folder, args=(folder, out, HTML, stop, results.append), kwargs={"debounce_ms": 200}, daemon=True
    )
    watcher.start()
    try:
        html = out / "watched" / "watched.html"
        wait_for(lambda: len(results) >= 1, "the first build", timeout=90)
        assert results[0]["status"] == "built" and html.is_file()
        time.sleep(0.5)  # let the watcher settle on its folder before the edit
        source.write_text(source.read_text(encoding="utf-8").replace("Palais des Nations", "Palais Wilson"), encoding="utf-8")
        wait_for(lambda: "Palais Wilson" in (html.read_text(encoding="utf-8") if html.is_file() else ""), "the rebuild", timeout=90)
        (folder / "watched.errata.toml").write_text('[replacements]\n"Palais Wilson" = "Palais Wilsen"\n', encoding="utf-8")
        wait_for(lambda: len(results) >= 3, "the rebuild after an errata change", timeout=90)
        assert all(r["status"] == "built" for r in results)
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not watcher.is_alive()




# --- 7. schedules ----------------------------------------------------------------------


def test_serve_deployment_has_the_cron_schedule_and_folder(tmp_path):
    from flows.schedule import folder_deployment

    deployment = folder_deployment(tmp_path / "reports", tmp_path / "out", "0 6 * * 1", {"formats": ["html"]})
    assert deployment.flow_name == "build-folder"
    assert [s.schedule.cron for s in deployment.schedules] == ["0 6 * * 1"]
    assert deployment.parameters == {
        "folder": str((tmp_path / "reports").resolve()),
        "out": str((tmp_path / "out").resolve()),
        "settings": {"formats": ["html"]},
    }


def test_prefect_yaml_points_at_real_flows():
    import importlib

    import yaml

    config = yaml.safe_load((ROOT / "prefect.yaml").read_text(encoding="utf-8"))
    assert config["deployments"]
    for deployment in config["deployments"]:
        path, name = deployment["entrypoint"].split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert getattr(module, name).name == deployment["flow_name"] if "flow_name" in deployment else True
        assert hasattr(module, name)
        for schedule in deployment.get("schedules", []):
            from prefect.client.schemas.schedules import CronSchedule

            CronSchedule(cron=schedule["cron"])


# --- 8. Dask ---------------------------------------------------------------------------


def test_build_on_a_local_dask_cluster(prefect_harness, tmp_path):
    from flows import runners

    source = meeting(tmp_path, "dask", name="dasked")
    flow = build_pack.with_options(task_runner=runners.task_runner("dask", processes=False))
    try:
        manifest = flow(source, tmp_path / "out", HTML)
    finally:
        runners.close()
    assert {t["stage"] for t in manifest["tasks"]} >= {"extract", "clean", "correct", "structure", "brief", "render"}
    assert (tmp_path / "out" / "dasked" / "dasked.html").is_file()
    assert json.loads((tmp_path / "out" / "dasked" / "stages" / "briefs.json").read_text())["briefs"]
