"""A batch of 20 sources (one corrupt) against the same 20 built one by one.

    PYTHONPATH=. .venv/bin/python benchmarks/batch.py [--count 20] [--pages 8]

Generates reports with the tests' typesetter, then, each under a temporary Prefect API
and with an empty cache: builds them one after another (the sum of single builds) and
as one batch (`build-batch`, the flow `briefpack build DIR` runs). Prints wall times,
the batch's CPU seconds over its wall seconds (cores kept busy), and what became of the
corrupt source.
"""

from __future__ import annotations

import argparse
import os
import resource
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
    corrupt.write_bytes(sources[0].read_bytes()[:2000])
    return sources + [corrupt]


RUN = """
import json, resource, sys, time
from pathlib import Path
from prefect.testing.utilities import prefect_test_harness
from flows import parallel
from flows.batch import build_one, run_builds
sources, out, mode = [Path(p) for p in json.loads(sys.argv[1])], Path(sys.argv[2]), sys.argv[3]
with prefect_test_harness(server_startup_timeout=180):
    start = time.perf_counter()
    if mode == "single":
        results = [build_one(s, out / s.stem) for s in sources]
    else:
        results = run_builds(sources, out)
    wall = time.perf_counter() - start
    parallel.shutdown()
usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
cpu = sum(u.ru_utime + u.ru_stime for u in usage)
print(json.dumps({"wall": wall, "cpu": cpu, "results": results}))
"""


def run(sources: list[Path], out: Path, mode: str) -> dict:
    import json

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_LOCAL_STORAGE_PATH": str(out / ".cache")}
    done = subprocess.run(
        [sys.executable, "-c", RUN, json.dumps([str(s) for s in sources]), str(out), mode],
        env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--pages", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="briefpack-batch-") as folder:
        sources = make_sources(Path(folder), args.count - 1, args.pages)
        single = run(sources, Path(folder) / "single", "single")
        batch = run(sources, Path(folder) / "batch", "batch")
    built = sum(r["status"] == "built" for r in batch["results"])
    failed = [f"{Path(r['source']).name}: {r['detail']}" for r in batch["results"] if r["status"] != "built"]
    print(f"sources: {len(sources)} ({args.pages} pages each, one corrupt), cores: {os.cpu_count()}")
    print(f"one by one: {single['wall']:.1f} s wall")
    print(f"batch:      {batch['wall']:.1f} s wall, {batch['cpu']:.1f} s CPU -> {batch['cpu'] / batch['wall']:.2f} cores busy")
    print(f"batch / one by one: {batch['wall'] / single['wall']:.2f}")
    print(f"built {built}, failed {len(failed)}: {failed}")


if __name__ == "__main__":
    main()
