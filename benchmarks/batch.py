"""A batch of 20 sources (one corrupt) against the same 20 built one at a time.

    PYTHONPATH=. .venv/bin/python benchmarks/batch.py [--count 20] [--pages 8]

Generates reports with the tests' typesetter, then builds them three ways, each with
an empty cache and Prefect's logging as quiet as the CLI's:

* commands: one `briefpack build SOURCE` per source, one after another (what a user
  without batches runs; each starts Python and Prefect's ephemeral API);
* one by one: build_one for each source in turn, in one process under one temporary
  Prefect API (no start-up costs: the strictest sum of single builds);
* batch: `build-batch`'s run_builds, what `briefpack build DIR` runs.

The last two run under a temporary Prefect API on SQLite (as a plain CLI run does)
or, with --api URL, against a running Prefect server (e.g. one on PostgreSQL).

Prints wall times, the CPU seconds the machine spent over the wall seconds (cores
kept busy; the benchmark should run alone), and what became of the corrupt source.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.pdfs import Column, Typesetter  # noqa: E402

SENTENCE = "Speakers from city governments and development banks compared ways of paying for {topic}."


def make_sources(folder: Path, count: int, pages: int) -> list[Path]:
    sources = []
    for index in range(count):
        setter = Typesetter(format="A4")
        for page in range(pages):
            topic = f"topic {index}-{page}"
            lines = [f"# Panel {page + 1}: Session on {topic}"] + [SENTENCE.format(topic=topic)[:60]] * 30
            setter.page(Column(lines))
        sources.append(setter.write(folder / f"report-{index:02}.pdf"))
    corrupt = folder / "report-corrupt.pdf"
    whole = sources[0].read_bytes()
    corrupt.write_bytes(whole[: len(whole) // 2])  # cut off mid-file, whatever its size
    return sources + [corrupt]


QUIET = {"PREFECT_LOGGING_LEVEL": "CRITICAL", "PREFECT_SERVER_LOGGING_LEVEL": "CRITICAL",
         "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}

RUN = """
import contextlib, json, os, sys, time
from pathlib import Path
from prefect.testing.utilities import prefect_test_harness
from flows import parallel
from flows.batch import build_one, run_builds
sources, out, mode = [Path(p) for p in json.loads(sys.argv[1])], Path(sys.argv[2]), sys.argv[3]
def busy():  # seconds all cores of the machine spent not idle (the benchmark runs alone)
    fields = [int(f) for f in open("/proc/stat").readline().split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")
api = prefect_test_harness(server_startup_timeout=180) if not os.environ.get("PREFECT_API_URL") else contextlib.nullcontext()
with api:
    start, cpu = time.perf_counter(), busy()
    if mode == "single":
        results = [build_one(s, out) for s in sources]
    else:
        results = run_builds(sources, out)
    parallel.shutdown()
    wall, cpu = time.perf_counter() - start, busy() - cpu
print(json.dumps({"wall": wall, "cpu": cpu, "results": results}))
"""


def run(sources: list[Path], out: Path, mode: str) -> dict:
    """Build in a fresh interpreter: 'single' (one by one) or 'batch'."""
    env = {**os.environ, **QUIET, "PYTHONPATH": str(ROOT), "PREFECT_LOCAL_STORAGE_PATH": str(out / ".cache")}
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps([str(s) for s in sources]), str(out), mode],
        env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def commands(sources: list[Path], out: Path) -> tuple[float, int]:
    """Seconds for one `briefpack build SOURCE` per source, one after another, and how many failed."""
    start, failed = time.perf_counter(), 0
    for source in sources:
        home = out / ".prefect" / source.stem  # a fresh Prefect database each, as on a new machine
        home.mkdir(parents=True)  # Prefect's server cannot create it (and retries for minutes)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(home)}
        build = [sys.executable, "-m", "flows.cli", "build", str(source), "--out", str(out), "--cache-dir", str(out / ".cache")]
        done = subprocess.run(build, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        failed += done.returncode != 0
    return time.perf_counter() - start, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--pages", type=int, default=8)
    parser.add_argument("--api", help="a running Prefect server's API URL instead of a temporary SQLite one")
    parser.add_argument("--no-commands", action="store_true", help="skip the separate `briefpack build` runs")
    args = parser.parse_args()
    if args.api:
        os.environ["PREFECT_API_URL"] = args.api
    with tempfile.TemporaryDirectory(prefix="briefpack-batch-") as folder:
        sources = make_sources(Path(folder), args.count - 1, args.pages)
        separate = None if args.no_commands else commands(sources, Path(folder) / "commands")
        single = run(sources, Path(folder) / "single", "single")
        batch = run(sources, Path(folder) / "batch", "batch")
    built = sum(r["status"] == "built" for r in batch["results"])
    failed = [f"{Path(r['source']).name}: {r['detail']}" for r in batch["results"] if r["status"] != "built"]
    print(f"sources: {len(sources)} ({args.pages} pages each, one corrupt), cores: {os.cpu_count()}")
    if separate:
        wall, failures = separate
        print(f"commands:   {wall:.1f} s wall, {failures} failed; batch / commands: {batch['wall'] / wall:.2f}")
    print(f"one by one: {single['wall']:.1f} s wall, {single['cpu']:.1f} s CPU -> {single['cpu'] / single['wall']:.2f} cores busy")
    print(f"batch:      {batch['wall']:.1f} s wall, {batch['cpu']:.1f} s CPU -> {batch['cpu'] / batch['wall']:.2f} cores busy")
    print(f"batch / one by one: {batch['wall'] / single['wall']:.2f}")
    print(f"built {built}, failed {len(failed)}: {failed}")


if __name__ == "__main__":
    main()
