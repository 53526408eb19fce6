"""Orchestration figures: cold, warm and incremental builds; extraction cost and scaling.

    PYTHONPATH=. .venv/bin/python benchmarks/orchestration.py [--sizes 30,100,300] [--builds sample,30,100]

Generates large reports (N pages of varied panels, made with fpdf2) in a temporary
folder, and measures, each in a fresh subprocess so peak memory (ru_maxrss) is its own:

* extraction of every page, sequential (briefpack's extract_pdf_page, as the flow calls
  it) against pdfplumber's bare pass over page.chars, and on a process pool of all
  cores (the flow's parallel extraction): seconds per page, ratio, speed-up; each the
  best of --repeat interleaved rounds;
* builds through the flow under a temporary Prefect API: cold (empty cache), warm
  (unchanged: all cached) and incremental (one page edited, same file name).

Prints a table; the figures in docs/orchestration.md come from it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "roundtable-2010.pdf"

TOPICS = [
    "Financing Sea Defences", "Insurance and Risk Pools", "Community-led Adaptation", "Urban Heat and Health",
    "Water Security in Drylands", "Migration and Climate", "Green Bonds for Cities", "Early Warning Systems",
    "Mangroves and Wetlands", "Data for Decisions", "Fiscal Rules and Resilience", "Private Capital at Scale",
]
WORDS = (
    "municipal lenders argued that long maturities matter because benefits accrue slowly while costs arrive early "
    "participants noted that transaction costs remain high for small cities and that pooling projects helps "
    "insurers described parametric triggers which pay within weeks and guide zoning decisions for planners "
    "community groups showed that savings schemes act as safety nets after floods and droughts in many regions "
    "the panel agreed that reliable local data precedes investment and that nature-based defences need measuring"
).split()
PEOPLE = ["Dr. Lena Fischer", "Tomas Ibarra", "Mei Tanaka", "Grace Mwangi", "Pierre Lambert", "Sunita Rao", "Jonas Berg"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 22))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def report_pdf(path: Path, pages: int, seed: int = 0, edit_page: int | None = None) -> Path:
    """A meeting report of exactly `pages` pages: a new panel every third page; `edit_page` reworded."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(False)
    for number in range(1, pages + 1):
        rng = random.Random(seed * 100_003 + number * (7 if number == edit_page else 1))
        pdf.add_page()
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 6, "Expert Meeting on Adaptation Finance - 2024", align="C", new_x="LMARGIN", new_y="NEXT")
        if number == 1:
            pdf.set_font("Helvetica", "B", 18)
            pdf.multi_cell(0, 10, "Expert Meeting on Adaptation Finance for Coastal Cities", new_x="LMARGIN", new_y="NEXT")
        if number % 3 == 1:
            panel = (number // 3) + 1
            pdf.set_font("Helvetica", "B", 14)
            pdf.cell(0, 9, f"Session {panel} - {TOPICS[panel % len(TOPICS)]}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
            speakers = "; ".join(rng.sample(PEOPLE, 3))
            pdf.multi_cell(0, 6, f"Speakers: {speakers}. Chair: {rng.choice(PEOPLE)}.", new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        while pdf.get_y() < 240:
            pdf.multi_cell(0, 6, " ".join(sentence(rng) for _ in range(4)), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
        pdf.set_y(-15)
        pdf.set_font("Helvetica", size=9)
        pdf.cell(0, 6, str(number), align="C")
    path.parent.mkdir(parents=True, exist_ok=True)
    pdf.output(str(path))
    return path


# --- measurements, each run in its own subprocess ------------------------------------------


def measure_extract(path: str, repeat: str = "3") -> dict:
    """Bare pdfplumber pass, briefpack's sequential extraction and the same on a process pool.

    Each is timed `repeat` times, interleaved, and the best kept (as timeit does: this
    VM's neighbours only ever add time). The pool is started in the first round, so
    its best round is steady-state throughput; the first round, with the workers'
    start-up (spawn, imports, opening the PDF), is returned too.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    import pdfplumber

    from flows.parallel import workers
    from flows.parallel import extract_page as extract_pdf_page  # what the flow runs per page
    from tasks.extract import page_count

    source = Path(path)
    pages = page_count(source)
    numbers = range(1, pages + 1)
    times: dict[str, list[float]] = {"bare": [], "sequential": [], "pooled": []}

    def timed(name: str, work) -> None:
        start = time.perf_counter()
        work()
        times[name].append(time.perf_counter() - start)

    def bare() -> None:
        with pdfplumber.open(source) as pdf:
            for page in pdf.pages:
                page.chars  # parses the page: the work every extractor starts from

    with ProcessPoolExecutor(workers(), mp_context=multiprocessing.get_context("spawn")) as pool:
        for _ in range(int(repeat)):
            timed("bare", bare)
            timed("sequential", lambda: [extract_pdf_page(source, n) for n in numbers])
            timed("pooled", lambda: list(pool.map(extract_pdf_page, [source] * pages, numbers)))
    best = {name: min(values) for name, values in times.items()}
    return {"pages": pages, **best, "pooled_first": times["pooled"][0], "workers": workers(), "repeat": int(repeat)}


def measure_builds(path: str, pages_edit: str) -> dict:
    """Cold, warm and incremental build_pack runs under a temporary Prefect API and result store."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "CRITICAL")
    from prefect.settings import PREFECT_LOCAL_STORAGE_PATH, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    from flows.pack import build_pack

    source = Path(path)
    work = Path(tempfile.mkdtemp(prefix="briefpack-bench-"))
    figures: dict = {}
    with prefect_test_harness(server_startup_timeout=180), temporary_settings({PREFECT_LOCAL_STORAGE_PATH: work / "cache"}):
        for name in ("cold", "warm", "incremental"):
            if name == "incremental":
                if pages_edit == "sample":  # the sample: change one word of its text layer? re-save as a copy instead
                    figures[name] = None
                    continue
                pages, edit = map(int, pages_edit.split(":"))
                report_pdf(source, pages, edit_page=edit)
            start = time.perf_counter()
            manifest = build_pack(source, work / "out", {})
            figures[name] = time.perf_counter() - start
            figures[f"{name}_computed"] = sum(t["status"] == "computed" for t in manifest["tasks"])
            figures[f"{name}_tasks"] = len(manifest["tasks"])
            if name == "cold":
                figures["extract_seconds"] = sum(t["seconds"] for t in manifest["tasks"] if t["stage"] == "extract")
    return figures


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def measure_ceiling(repeat: str = "3") -> dict:
    """What a process pool can gain on this machine now: pure Python work, one piece per core.

    Best of `repeat` rounds, like the extraction timings it bounds.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from flows.parallel import workers

    n, pieces = 10_000_000, workers()
    sequential, pooled = [], []
    with ProcessPoolExecutor(pieces, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(_burn, 1).result()  # started
        for _ in range(int(repeat)):
            start = time.perf_counter()
            for _ in range(pieces):
                _burn(n)
            sequential.append(time.perf_counter() - start)
            start = time.perf_counter()
            list(pool.map(_burn, [n] * pieces))
            pooled.append(time.perf_counter() - start)
    return {"speed_up": min(sequential) / min(pooled), "workers": pieces, "load": os.getloadavg()[0]}


def in_subprocess(function: str, *args: str) -> dict:
    """Run measure_<function>(*args) in a fresh interpreter; add its peak memory in MiB."""
    code = (
        "import json, resource, sys; sys.path.insert(0, %r); from benchmarks.orchestration import %s as f; "
        "r = f(*sys.argv[1:]); r['peak_mib'] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024; "
        "print('@@' + json.dumps(r))" % (str(ROOT), function)
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, cwd=ROOT)
    lines = [line for line in result.stdout.splitlines() if line.startswith("@@")]
    if result.returncode or not lines:
        raise RuntimeError(f"{function}{args} failed:\n{result.stderr[-3000:]}")
    return json.loads(lines[-1][2:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="30,100,300", help="page counts of the generated reports")
    parser.add_argument("--builds", default="sample,30,100", help="which reports to build cold/warm/incremental")
    parser.add_argument("--repeat", default="3", help="rounds of each extraction timing (the best is kept)")
    options = parser.parse_args()
    sizes = [int(s) for s in options.sizes.split(",") if s]
    folder = Path(tempfile.mkdtemp(prefix="briefpack-reports-"))
    sources = {"sample": SAMPLE}
    for size in sizes:
        sources[str(size)] = report_pdf(folder / f"report-{size}.pdf", size)

    c = in_subprocess("measure_ceiling", options.repeat)
    print(f"machine: {c['workers']} workers; pure-CPU pool speed-up now {c['speed_up']:.2f}x "
          f"(the ceiling for any parallel figure below; load average {c['load']:.1f})\n")
    print(f"{'report':>8} {'pages':>5} {'bare s':>8} {'extract s':>9} {'s/page':>7} {'x bare':>6} "
          f"{'pool s':>7} {'speed-up':>8} {'pool 1st s':>10} {'peak MiB':>8}")
    for name, path in sources.items():
        e = in_subprocess("measure_extract", str(path), options.repeat)
        print(f"{name:>8} {e['pages']:>5} {e['bare']:>8.2f} {e['sequential']:>9.2f} {e['sequential'] / e['pages']:>7.3f} "
              f"{e['sequential'] / e['bare']:>6.2f} {e['pooled']:>7.2f} {e['sequential'] / e['pooled']:>7.2f}x "
              f"{e['pooled_first']:>10.2f} {e['peak_mib']:>8.0f}", flush=True)

    print(f"\n{'report':>8} {'cold s':>7} {'warm s':>7} {'incr. s':>7} {'incr. computed':>14} {'extract s (sum)':>15} "
          f"{'peak MiB':>8}")
    for name in [b for b in options.builds.split(",") if b]:
        if name == "sample":
            b = in_subprocess("measure_builds", str(SAMPLE), "sample")
        else:
            pages = int(name)
            copy = report_pdf(folder / "build" / f"report-{pages}.pdf", pages)
            b = in_subprocess("measure_builds", str(copy), f"{pages}:{max(2, pages // 2)}")
        incremental = "-" if b["incremental"] is None else f"{b['incremental']:.1f}"
        computed = "-" if b["incremental"] is None else f"{b['incremental_computed']}/{b['incremental_tasks']}"
        print(f"{name:>8} {b['cold']:>7.1f} {b['warm']:>7.1f} {incremental:>7} {computed:>14} "
              f"{b['extract_seconds']:>15.1f} {b['peak_mib']:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
