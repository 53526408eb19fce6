"""The edit loop from the command line, as ratios to pdfplumber's bare text pass over the same PDF.

    PYTHONPATH=. .venv/bin/python benchmarks/loop.py [--pdf examples/roundtable-2010.pdf] [--rounds 3]

Every figure is a whole process's wall time (what a user waits for), measured in
interleaved rounds; the table gives each one's median and its ratio to the median of
the bare pass (`python -c "pdfplumber.open(pdf); page.extract_text() for every page"`):

* no-op: `briefpack build` of an unchanged source, the background server not running
  (only the up-to-date check runs);
* cold: an empty result store (`briefpack cache clear`) and no pack, the server not running
  (started by the build);
* cold, server up: the same with the server already running;
* one-page edit: one page's content changed (an incremental update of the PDF), server up;
* watch, errata edit: `briefpack watch` running; from writing <stem>.errata.toml to the
  new pack's manifest (on a second server of its own, so the cold rounds cannot stop it).

The PDF is edited in place by appending a changed copy of one page's content stream
(PDF incremental update), so exactly that page's fingerprint changes.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "roundtable-2010.pdf"
BARE = "import sys, pdfplumber\nwith pdfplumber.open(sys.argv[1]) as pdf:\n    [p.extract_text() for p in pdf.pages]\n"
TARGETS = {"no-op": 1.5, "one-page edit": 3.0, "cold": 6.0, "cold, server up": 4.0, "watch, errata edit": 2.0}


def environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "BRIEFPACK_"))}
    env.update(PYTHONPATH=str(ROOT), BRIEFPACK_CACHE_DIR=str(cache), BRIEFPACK_SERVER_IDLE="900")
    return env


def timed(command: list[str], env: dict[str, str], expect: str | None = None) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0 or (expect and expect not in result.stderr + result.stdout):
        raise SystemExit(f"{' '.join(command)} failed ({result.returncode}):\n{result.stderr[-2000:]}")
    return seconds


def briefpack(*args: str) -> list[str]:
    return [sys.executable, "-m", "flows.cli", *args]


def edit_page(pdf: Path, page: int, mark: str) -> None:
    """Append an incremental update giving page `page` a content stream with one more line of text."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1

    data = pdf.read_bytes()
    with pdf.open("rb") as handle:
        document = PDFDocument(PDFParser(handle))
        chosen = list(PDFPage.create_pages(document))[page - 1]
        contents = chosen.attrs["Contents"]
        reference = contents[0] if isinstance(contents, list) else contents
        stream = resolve1(reference).get_data()
        font = next(iter(resolve1(chosen.resources["Font"])))
        trailer = next(x.trailer for x in document.xrefs if "Root" in x.trailer)
        root, size = trailer["Root"].objid, trailer["Size"]
    previous = int(data.rsplit(b"startxref", 1)[1].split()[0])
    body = stream + f"\nBT /{font} 8 Tf 40 30 Td (Revised {mark}) Tj ET\n".encode()
    offset = len(data)
    obj = b"%d 0 obj\n<< /Length %d >>\nstream\n" % (reference.objid, len(body)) + body + b"\nendstream\nendobj\n"
    xref_at = offset + len(obj)
    xref = (f"xref\n0 1\n0000000000 65535 f \n{reference.objid} 1\n{offset:010d} 00000 n \n"
            f"trailer\n<< /Size {size} /Root {root} 0 R /Prev {previous} >>\nstartxref\n{xref_at}\n%%EOF\n").encode()
    pdf.write_bytes(data + obj + xref)


def clear_results(cache: Path) -> None:
    """What `briefpack cache clear` does: every stage result gone; the server's database and the
    resources/ folder (parsed word lists, language model, code fingerprints) stay, as they do for a user."""
    from flows.cache import clear

    clear(cache)


def wait_for_errata(manifest: Path, digest: str, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            errata = json.loads(manifest.read_text(encoding="utf-8"))["inputs"]["errata"]
            if errata and errata["sha256"] == digest:
                return
        except (OSError, ValueError, KeyError, TypeError):
            pass
        time.sleep(0.02)
    raise SystemExit("watch did not rebuild after the errata edit")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pdf", type=Path, default=SAMPLE)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--page", type=int, default=5, help="the page the one-page edit changes")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefpack-loop-"))
    cache, watch_cache = work / "cache", work / "watch-cache"
    env, watch_env = environment(cache), environment(watch_cache)
    source = work / "src" / args.pdf.name
    watched = work / "watch" / args.pdf.name
    for copy in (source, watched):
        copy.parent.mkdir(parents=True)
        shutil.copy(args.pdf, copy)
    out = work / "out"
    build = briefpack("build", str(source), "--out", str(out))
    stop = briefpack("server", "stop", "--cache-dir", str(cache))
    watcher = subprocess.Popen(briefpack("watch", str(watched.parent), "--out", str(work / "watch-out")),
                               env=watch_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    manifest = work / "watch-out" / watched.stem / "manifest.json"
    times: dict[str, list[float]] = {name: [] for name in ("bare", *TARGETS)}
    try:
        while not manifest.is_file():
            time.sleep(0.2)
        timed(build, env)  # the first build: the server's database is created once
        for round_ in range(1, args.rounds + 1):
            times["bare"].append(timed([sys.executable, "-c", BARE, str(source)], env))
            timed(stop, env)
            times["no-op"].append(timed(build, env, expect="up to date"))
            clear_results(cache)
            shutil.rmtree(out)
            times["cold"].append(timed(build, env))
            clear_results(cache)
            shutil.rmtree(out)
            times["cold, server up"].append(timed(build, env))
            edit_page(source, args.page, f"round {round_}")
            times["one-page edit"].append(timed(build, env))
            errata = watched.with_name(f"{watched.stem}.errata.toml")
            text = f'[replacements]\n"Roundtable" = "Round-table {round_}"\n'
            start = time.perf_counter()
            errata.write_text(text, encoding="utf-8")
            wait_for_errata(manifest, hashlib.sha256(text.encode()).hexdigest())
            times["watch, errata edit"].append(time.perf_counter() - start)
            print(f"round {round_}: " + ", ".join(f"{k} {v[-1]:.2f}s" for k, v in times.items()), flush=True)
    finally:
        watcher.terminate()
        watcher.wait(timeout=60)
        for folder in (cache, watch_cache):
            subprocess.run(briefpack("server", "stop", "--cache-dir", str(folder)), env=environment(folder),
                           capture_output=True)
        shutil.rmtree(work, ignore_errors=True)
    bare = statistics.median(times["bare"])
    print(f"\n{args.pdf.name}, {args.rounds} interleaved rounds, medians; bare pdfplumber extract_text pass {bare:.2f} s\n")
    print("| measure | median | vs bare | target | rounds |")
    print("|---|---|---|---|---|")
    for name, target in TARGETS.items():
        median = statistics.median(times[name])
        rounds = " / ".join(f"{t:.2f}" for t in times[name])
        print(f"| {name} | {median:.2f} s | {median / bare:.2f}x | <= {target}x | {rounds} |")


if __name__ == "__main__":
    main()
