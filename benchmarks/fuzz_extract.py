"""Fuzz the extract stage: mutated PDFs through check_source, extract_pages and clean.

    python benchmarks/fuzz_extract.py [--count 10000] [--seed 0] [--timeout 4] [--workers 2]
    python benchmarks/fuzz_extract.py --replay INDEX [--seed 0]     # one input, in-process, traceback shown

Seeds: tests/fixtures/roundtable-2010.pdf and small PDFs written here with tests/pdfs.py's
Typesetter and tests/badpdfs.py (compressed and uncompressed, one and two columns, notes,
a ruled table, an encrypted one opened with its password, an image-only one). Input i is
seed file `choice(i)` with 1-4 byte mutations (bit flips, special bytes, truncation,
chunk duplication and deletion, numbers and PDF keywords swapped), all drawn from
random.Random(f"{seed}:{i}"), so any input is remade from (seed, i) alone.

An input is fine when all three steps finish or check_source/extract raise a
tasks.errors.SourceError. Any other exception is a finding: its seed, index and
traceback are printed and the bytes kept in --findings DIR. An input running over
--timeout seconds (signal alarm) is counted as slow, not as a finding. Workers run
under a memory cap (--memory-mb), so a blow-up is a MemoryError finding, not a dead machine.
"""

from __future__ import annotations

import argparse
import collections
import logging
import multiprocessing
import random
import re
import resource
import shutil
import signal
import sys
import tempfile
import time
import traceback
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "fuzz-pw"
# seed name -> weight: the 11-page fixture takes ~15 s to extract whole, so it is drawn
# rarely (most of its surviving mutants hit the time limit); the one-page seeds ~0.1-0.5 s.
WEIGHTS = {
    "roundtable-2010.pdf": 2,
    "plain-uncompressed.pdf": 22,
    "plain-compressed.pdf": 12,
    "notes-uncompressed.pdf": 22,
    "two-columns.pdf": 14,
    "table-uncompressed.pdf": 14,
    "encrypted.pdf": 8,
    "image-only.pdf": 6,
}
KEYWORDS = [b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"startxref", b"/Length",
            b"/Type", b"/Page", b"/Pages", b"/Kids", b"/Count", b"/Font", b"/MediaBox", b"/Contents",
            b"/Filter", b"/FlateDecode", b"Tf", b"Tj", b"TJ", b"Td", b"Tm", b"BT", b"ET", b"re", b"cm", b"Ts"]
NUMBERS = [b"0", b"-1", b"1", b"-0", b"65535", b"2147483648", b"-999999999", b"1e308", b"0.000001",
           b"99999999999999999999", b"NaN", b"3.4", b"-.5"]
SPECIAL = b"()<>[]{}/%\\\n\r\x00\xff0 #"
NUMBER = re.compile(rb"-?\d+(?:\.\d+)?")


def make_seeds(folder: Path) -> dict[str, Path]:
    from tests import badpdfs
    from tests.pdfs import Column, Typesetter

    folder.mkdir(parents=True, exist_ok=True)
    seeds = {"roundtable-2010.pdf": ROOT / "tests/fixtures/roundtable-2010.pdf"}
    text = ["# Findings", "The panel agreed^1 that the fund should grow,", "and asked for a review in 2021.",
            "", "• A first point", "  • a nested point"]

    def uncompressed(setter: Typesetter, path: Path) -> Path:
        import fpdf

        original = fpdf.FPDF.__init__

        def init(self, *args, **kwargs):
            original(self, *args, **kwargs)
            self.set_compression(False)

        fpdf.FPDF.__init__ = init
        try:
            return setter.write(path)
        finally:
            fpdf.FPDF.__init__ = original

    seeds["plain-uncompressed.pdf"] = badpdfs.text_pdf(folder / "plain-uncompressed.pdf", compress=False)
    seeds["plain-compressed.pdf"] = badpdfs.text_pdf(folder / "plain-compressed.pdf", pages=2)
    notes = Typesetter(format="A4", header="Expert Meeting, Geneva 2019")
    notes.page(Column(text, notes=["^1 The fund is described in annex 2."]))
    seeds["notes-uncompressed.pdf"] = uncompressed(notes, folder / "notes-uncompressed.pdf")
    columns = Typesetter(format="letter", columns=2, footer="{n}")
    left = [f"Left column line {n} of running prose text." for n in range(8)]
    right = [f"Right column line {n} with a marker^*" if n == 3 else f"Right column line {n} of prose." for n in range(8)]
    columns.page(Column(left), Column(right, notes=["^* The starred note."]))
    seeds["two-columns.pdf"] = columns.write(folder / "two-columns.pdf")
    table = Typesetter(format="A4", footer=None)
    table.page(Column(["# Participants", "The list follows."], table=[["Name", "Organisation"], ["Aerts", "Ministry"]]))
    seeds["table-uncompressed.pdf"] = uncompressed(table, folder / "table-uncompressed.pdf")
    seeds["encrypted.pdf"] = badpdfs.encrypted_pdf(folder / "encrypted.pdf", PASSWORD)
    seeds["image-only.pdf"] = badpdfs.image_only_pdf(folder / "image-only.pdf", pages=1)
    return seeds


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        if not out:
            break
        kind = rng.choice(("flip", "flip", "byte", "truncate", "duplicate", "delete", "number", "number", "keyword"))
        at = rng.randrange(len(out))
        if kind == "flip":
            out[at] ^= 1 << rng.randrange(8)
        elif kind == "byte":
            out[at] = rng.choice(SPECIAL)
        elif kind == "truncate":
            del out[rng.randrange(max(1, len(out) // 4), len(out)) :]
        elif kind == "duplicate":
            size = rng.choice((1, 4, 16, 64, 512))
            out[rng.randrange(len(out)) : 0] = out[at : at + size] * rng.choice((1, 2, 8))
        elif kind == "delete":
            del out[at : at + rng.choice((1, 4, 16, 64, 512))]
        elif kind == "number":
            numbers = list(NUMBER.finditer(out))
            if numbers:
                match = rng.choice(numbers)
                out[match.start() : match.end()] = rng.choice(NUMBERS)
        else:
            found = [m.start() for m in re.finditer(re.escape(rng.choice(KEYWORDS)), out)]
            if found:
                start = rng.choice(found)
                old = next(k for k in sorted(KEYWORDS, key=len, reverse=True) if out.startswith(k, start))
                out[start : start + len(old)] = rng.choice(KEYWORDS)
    return bytes(out)


def case(seed: int, index: int, seeds: dict[str, bytes]) -> tuple[str, bytes]:
    rng = random.Random(f"{seed}:{index}")
    names = list(WEIGHTS)
    name = rng.choices(names, weights=[WEIGHTS[n] for n in names])[0]
    return name, mutate(seeds[name], rng)


class Slow(BaseException):
    """The time limit: a BaseException, so no `except Exception` in the code under test swallows it."""


def _alarm(signum, frame):
    raise Slow


_worker: dict = {}


def _init(seed_files: dict[str, str], memory_mb: int, folder: str) -> None:
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    cap = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    signal.signal(signal.SIGALRM, _alarm)
    _worker["seeds"] = {name: Path(path).read_bytes() for name, path in seed_files.items()}
    _worker["folder"] = Path(tempfile.mkdtemp(prefix="fuzz-", dir=folder))
    from tasks.clean import clean  # noqa: F401 - imports once per worker, not per input
    from tasks.extract import extract_pages  # noqa: F401


def run_case(job: tuple[int, int, float]) -> tuple[int, str, str, str, str]:
    """(index, seed name, outcome, step, detail): outcome ok, rejected:<Error>, slow or finding."""
    from tasks.clean import clean
    from tasks.errors import SourceError, check_source
    from tasks.extract import extract_pages

    seed, index, timeout = job
    name, data = case(seed, index, _worker["seeds"])
    path = _worker["folder"] / f"{index}.pdf"
    path.write_bytes(data)
    password = PASSWORD if name == "encrypted.pdf" else ""
    step = "check"
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        check_source(path, 50_000_000, 200, password)
        step = "extract"
        pages = extract_pages(path, password)
        step = "clean"
        clean(pages)
        return index, name, "ok", step, ""
    except SourceError as error:
        return index, name, f"rejected:{type(error).__name__}@{step}", step, str(error)
    except Slow:
        return index, name, "slow", step, ""
    except Exception:
        return index, name, "finding", step, traceback.format_exc()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        path.unlink(missing_ok=True)


def signature(step: str, detail: str) -> str:
    """A finding's kind: the step, the exception type and the deepest project frame."""
    frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', detail)
    ours = [f for f in frames if str(ROOT) in f[0] and "benchmarks" not in f[0]] or frames
    where = f"{Path(ours[-1][0]).name}:{ours[-1][2]}" if ours else "?"
    last = detail.strip().splitlines()[-1].split(":")[0] if detail.strip() else "?"
    return f"{step}: {last} at {where}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=4.0, help="seconds per input")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--memory-mb", type=int, default=3000, help="address-space cap per worker")
    parser.add_argument("--findings", type=Path, default=Path(tempfile.gettempdir()) / "briefpack-fuzz-findings")
    parser.add_argument("--replay", type=int, default=None, help="rerun input INDEX in this process")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="briefpack-fuzz-"))
    try:
        seed_files = {name: str(path) for name, path in make_seeds(work / "seeds").items()}
        if args.replay is not None:
            _replay(args, seed_files, work)
            return
        _run(args, seed_files, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args: argparse.Namespace, seed_files: dict[str, str], work: Path) -> None:
    args.findings.mkdir(parents=True, exist_ok=True)
    counts: collections.Counter[str] = collections.Counter()
    by_seed: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    kinds: dict[str, list[int]] = collections.defaultdict(list)
    slow: list[str] = []
    start = time.monotonic()
    jobs = ((args.seed, index, args.timeout) for index in range(args.count))
    with multiprocessing.Pool(args.workers, _init, (seed_files, args.memory_mb, str(work)), maxtasksperchild=300) as pool:
        for done, (index, name, outcome, step, detail) in enumerate(pool.imap_unordered(run_case, jobs, chunksize=4), 1):
            counts[outcome.split(":")[0]] += 1
            if outcome == "slow" and name != "roundtable-2010.pdf":
                slow.append(f"{index} ({name}, in {step})")
            by_seed[name][outcome] += 1
            if outcome == "finding":
                kind = signature(step, detail)
                if not kinds[kind]:
                    print(f"\nFINDING seed={args.seed} index={index} ({name}) {kind}\n{detail}", flush=True)
                kinds[kind].append(index)
                _, data = case(args.seed, index, {n: Path(p).read_bytes() for n, p in seed_files.items()})
                (args.findings / f"{args.seed}-{index}-{name}").write_bytes(data)
            if done % 500 == 0:
                rate = done / (time.monotonic() - start)
                print(f"{done}/{args.count} inputs, {rate:.1f}/s: {dict(counts)}", flush=True)
    seconds = time.monotonic() - start
    print(f"\n{args.count} mutated inputs (seed {args.seed}) in {seconds:.0f} s on {args.workers} workers, "
          f"timeout {args.timeout} s")
    print(f"outcomes: {dict(counts)}")
    for name in WEIGHTS:
        print(f"  {name:26} {sum(by_seed[name].values()):6}  {dict(by_seed[name].most_common())}")
    if slow:
        print(f"slow one-page seeds ({len(slow)}; replay to see where the time goes): {', '.join(slow[:12])}")
    print(f"distinct findings: {len(kinds)}")
    for kind, indexes in sorted(kinds.items(), key=lambda k: -len(k[1])):
        print(f"  {len(indexes):5} x {kind}  (e.g. --replay {indexes[0]})")
    if kinds:
        print(f"inputs kept in {args.findings}")
    sys.exit(1 if kinds else 0)


def _replay(args, seed_files: dict[str, str], work: Path) -> None:
    _init(seed_files, args.memory_mb, str(work))
    index, name, outcome, step, detail = run_case((args.seed, args.replay, args.timeout))
    print(f"seed={args.seed} index={index} ({name}): {outcome} in {step}")
    print(detail)


if __name__ == "__main__":
    main()
