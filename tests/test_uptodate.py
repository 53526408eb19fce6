"""The up-to-date check (flows/uptodate.py) and cache keys that cannot go stale (flows/stagecode.py).

One small pack is built under the session's Prefect harness; each test changes one
kind of input, checks the pack is no longer current, puts the input back and checks
it is current again (so each assertion can fail both ways).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows import stagecode, uptodate
from tests.answers import FIXTURES

ROOT = Path(__file__).resolve().parent.parent
MEETING = (FIXTURES / "expert-meeting-2019.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def built(prefect_harness, tmp_path_factory):
    """A Markdown report built to HTML with templates of its own (briefpack.toml beside it)."""
    from flows.pack import build_pack

    folder = tmp_path_factory.mktemp("uptodate")
    source = folder / "meeting.md"
    source.write_text(MEETING.replace("the Chatham House rule.", "the Chatham House rule. Marker uptodate.", 1), encoding="utf-8")
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "briefpack.toml").write_text('formats = ["html"]\ntemplates = "templates"\n', encoding="utf-8")
    out = folder / "out"
    build_pack(source, out)
    return source, out


@pytest.fixture
def pack(built):
    source, out = built
    assert uptodate.current(source, out) is not None  # every test starts from a current pack
    return source, out


def changed(pack, change, undo) -> None:
    """`change` makes the pack stale; `undo` makes it current again."""
    source, out = pack
    change()
    try:
        assert uptodate.current(source, out) is None
    finally:
        undo()
    assert uptodate.current(source, out) is not None


def edit(path: Path, text: str):
    before = path.read_bytes()
    return (lambda: path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8"),
            lambda: path.write_bytes(before))


def test_the_manifest_records_inputs_and_files(pack):
    source, out = pack
    manifest = json.loads((out / "meeting" / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest["inputs"]) == {"source", "errata", "settings", "templates", "code", "libraries"}
    assert "meeting.html" in manifest["files"] and "stages/clean.md" in manifest["files"]


def test_source_bytes(pack):
    changed(pack, *edit(pack[0], "\nOne more line.\n"))


def test_errata_appearing_and_disappearing(pack):
    errata = pack[0].with_name("meeting.errata.toml")
    changed(pack, lambda: errata.write_text('[replacements]\n"Geneva" = "Genève"\n', encoding="utf-8"),
            lambda: errata.unlink())


def test_errata_content(pack, tmp_path):
    source = pack[0]
    errata = source.with_name("meeting.errata.yaml")
    try:
        errata.write_text("replacements:\n  Geneva: Genève\n", encoding="utf-8")
        first = uptodate.inputs(source)
        errata.write_text("replacements:\n  Geneva: Geneve\n", encoding="utf-8")
        assert uptodate.inputs(source)["errata"] != first["errata"]
    finally:
        errata.unlink()
    assert uptodate.inputs(source)["errata"] is None


def test_a_setting_in_briefpack_toml(pack):
    changed(pack, *edit(pack[0].with_name("briefpack.toml"), "apply_threshold = 0.95\n"))


def test_a_briefpack_environment_variable(pack, monkeypatch):
    changed(pack, lambda: monkeypatch.setenv("BRIEFPACK_LANGUAGE", "en-US"), lambda: monkeypatch.delenv("BRIEFPACK_LANGUAGE"))


def test_a_flag(pack):
    source, out = pack
    assert uptodate.current(source, out, {"formats": ["html", "epub"]}) is None
    assert uptodate.current(source, out, {"formats": ["html"]}) is not None  # the same value as the toml's


def test_a_template(pack):
    changed(pack, *edit(pack[0].parent / "templates" / "pack.css", "\n/* a new rule */\n"))


def test_stage_code_and_rule_files(pack, tmp_path, monkeypatch):
    copy = tmp_path / "tasks"
    shutil.copytree(stagecode.TASKS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(uptodate, "CODE", (uptodate.CODE[0], copy))
    assert uptodate.current(*pack) is not None  # the same files elsewhere: the same code
    changed(pack, *edit(copy / "data" / "confusions.yaml", "\n# a new rule\n"))
    typos = copy / "typos.py"
    source = typos.read_text(encoding="utf-8")
    changed(pack, lambda: typos.write_text(source.replace('VERSION = "', 'VERSION = "9', 1), encoding="utf-8"),
            lambda: typos.write_text(source, encoding="utf-8"))


def test_a_library_version(pack, tmp_path, monkeypatch):
    site = tmp_path / "site"
    (site / "pdfplumber-0.0.1.dist-info").mkdir(parents=True)
    changed(pack, lambda: monkeypatch.syspath_prepend(str(site)), lambda: monkeypatch.setattr(sys, "path", sys.path[1:]))


@pytest.mark.parametrize("name", ["meeting.html", "stages/clean.md"])
def test_a_pack_file_edited_or_deleted_by_hand(pack, name):
    path = pack[1] / "meeting" / name
    changed(pack, *edit(path, "\n<!-- edited -->\n"))
    data = path.read_bytes()
    changed(pack, lambda: path.unlink(), lambda: path.write_bytes(data))


def test_a_pack_file_added_by_hand(pack):
    extra = pack[1] / "meeting" / "notes.txt"
    changed(pack, lambda: extra.write_text("mine\n", encoding="utf-8"), lambda: extra.unlink())


def test_the_cli_answers_up_to_date_without_prefect_or_pdfplumber(pack):
    source, out = pack
    probe = (
        "import sys\nfrom flows import cli\n"
        f"sys.argv = ['briefpack', 'build', {str(source)!r}, '--out', {str(out)!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit as e:\n    code = e.code\n"
        "heavy = [m for m in ('prefect', 'pdfplumber', 'pdfminer', 'pypandoc', 'wordfreq', 'tasks.typos', 'tasks.clean',"
        " 'tasks.structure', 'tasks.brief', 'flows.pack') if m in sys.modules]\n"
        "print(code, heavy)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, cwd=source.parent)
    assert result.stdout.strip() == "0 []", result.stdout + result.stderr
    assert f"{source}: up to date ({out / 'meeting'})" in result.stderr


# --- cache keys -------------------------------------------------------------------------


def test_editing_a_rule_file_recomputes_its_stage_only(prefect_harness, tmp_path, monkeypatch):
    from flows.pack import build_pack

    source = tmp_path / "rules.md"
    source.write_text(MEETING.replace("the Chatham House rule.", "the Chatham House rule. Marker rules.", 1), encoding="utf-8")
    copy = tmp_path / "tasks"
    shutil.copytree(stagecode.TASKS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(stagecode, "TASKS", copy)
    build_pack(source, tmp_path / "out", {"formats": ["html"]})
    (copy / "data" / "confusions.yaml").write_text(
        (copy / "data" / "confusions.yaml").read_text(encoding="utf-8") + "\n# a new rule\n", encoding="utf-8"
    )
    again = build_pack(source, tmp_path / "out", {"formats": ["html"]})
    status = {(t["stage"], t["item"]): t["status"] for t in again["tasks"]}
    assert status[("correct", None)] == "computed"
    assert status[("extract", None)] == status[("clean", None)] == status[("structure", "draft")] == "cached"


def test_only_the_stages_that_read_a_file_have_it_in_their_key():
    confusions = stagecode.TASKS / "data" / "confusions.yaml"
    assert confusions in stagecode.files("correct")
    assert confusions not in stagecode.files("extract")
    assert stagecode.TASKS / "typos.py" not in stagecode.files("render")
    assert stagecode.TASKS / "structure" / "__init__.py" in stagecode.files("brief")  # brief imports it


KEYS = """
import json
from flows import steps
from tasks.typos import Errata
errata = Errata(replacements={"teh": "the", "adn": "and"}, never_change=frozenset({"Genève", "UNCTAD", "Brexit", "ok"}))
params = {"protected": ["A", "B"], "errata": errata, "settings": {"language": "auto", "apply_threshold": 0.9}}
print(json.dumps({stage: steps.stage_key(stage)(None, params) for stage in steps.VERSIONS}))
"""


def test_keys_are_the_same_under_any_hash_seed():
    keys = {
        seed: subprocess.run([sys.executable, "-c", KEYS], capture_output=True, text=True, timeout=120, check=True,
                             env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "PYTHONHASHSEED": seed}).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(set(keys.values())) == 1, keys
    assert len(set(json.loads(keys["0"]).values())) == len(stagecode.ROOTS)  # each stage its own key


@pytest.mark.parametrize("args", [["--help"], ["build", "--help"], ["cache", "info"], ["server", "status"]])
def test_light_commands_import_no_heavy_module(tmp_path, args):
    probe = (
        "import sys\nfrom flows import cli\n"
        f"sys.argv = ['briefpack', *{args!r}, *(['--cache-dir', {str(tmp_path)!r}] if {args!r}[0] in ('cache', 'server') else [])]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('prefect', 'pdfplumber', 'pdfminer', 'pypandoc', 'wordfreq', 'tasks.typos', 'flows.pack')"
        " if m in sys.modules])\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, cwd=tmp_path)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_watch_does_not_rebuild_a_current_pack_at_start(pack):
    import threading

    from flows.watch import watch_folder

    source, out = pack
    stop, results = threading.Event(), []
    watcher = threading.Thread(target=watch_folder, args=(source.parent, out, None, stop, results.append), daemon=True)
    watcher.start()
    try:
        for _ in range(300):
            if results:
                break
            threading.Event().wait(0.1)
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert [r["status"] for r in results] == ["current"]
