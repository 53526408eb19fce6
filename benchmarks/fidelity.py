"""Harm benchmark: does extract + clean keep what real PDFs say?

    python benchmarks/fidelity.py FOLDER... [--correct] [--show N]

For every PDF in the folders, pdftotext's words are compared with the clean stage's
Markdown (tasks.markdown.document_markdown), per document:

- words: source words missing from the Markdown (lost), Markdown words not in the
  source (added), and the lost ones that survive only in another form (changed:
  same letters after NFKC, casefolding and removing hyphens); page furniture the
  clean stage removed and recorded counts as kept;
- numbers: every number of the source must survive byte for byte ("70.9" is one
  number; "70.[^9]" loses it); changed = source numbers missing or numbers added;
- links: URLs and e-mail addresses missing or added;
- notes: with a key beside the PDF, notes found and right, and notes spliced (a
  keyed note not found as a note whose first words are in a paragraph of the body).
  Keys: <stem>.footnotes.json (benchmarks/footnotes.py), the `footnotes` of a
  corpus key <stem>.key.json (benchmarks/corpus/README.md), or the sample's
  <stem>.answers.json; marks compare without brackets ("(3)" is note 3);
- lists: list items detected, and list items or other source text that Pandoc
  reads as a code block (nothing in a report is code unless set in monospace);
- mono: pieces of text set in a monospace font, shown as inline code and never corrected;
- glued: Markdown tokens longer than 20 letters that wordfreq does not know,
  as a count and as a share of all tokens;
- cid: "(cid:N)" glyph codes left in the text; ctrl: control characters;
- with --correct, the corrections the correct stage applied (if it imports).

Run by hand; the PDFs are not committed (see docs/extraction.md for the figures).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pypandoc  # noqa: E402
from wordfreq import zipf_frequency  # noqa: E402

from benchmarks.footnotes import squash  # noqa: E402
from tasks.clean import clean  # noqa: E402
from tasks.extract import extract_pages  # noqa: E402
from tasks.markdown import document_markdown  # noqa: E402
from tasks.model import Document  # noqa: E402

WORD = re.compile(r"[^\W\d_]+|\d+")  # letters and digits apart: "children2" is a word and a marker
NUMBER = re.compile(r"(?<![\d.,])\d+(?:[.,:/]\d+)*(?![\w])")
LINK = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]+[^\s<>\".,;:)\]]|\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
NOTE_REF = re.compile(r"\[\^([^\]]+)\]:?")
ESCAPE = re.compile(r"\\(.)")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
READER = "markdown-smart"


def source_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def plain(markdown: str) -> str:
    """The Markdown's text: escapes undone, note labels kept as the numbers they print."""
    text = NOTE_REF.sub(lambda m: f" {m[1].split('-')[0]} ", markdown)
    text = re.sub(r"<((?:https?://|mailto:)[^>]+)>", r"\1", text).replace("mailto:", "")
    return ESCAPE.sub(r"\1", text)


def fold(word: str) -> str:
    return unicodedata.normalize("NFKC", word).casefold().replace("-", "")


def compare(source: Counter, result: Counter) -> tuple[int, int, int, list[str]]:
    lost, added = source - result, result - source
    folded_added = Counter()
    for word, n in added.items():
        folded_added[fold(word)] += n
    changed = 0
    for word, n in lost.items():
        same = min(n, folded_added[fold(word)])
        changed += same
        folded_added[fold(word)] -= same
    examples = [w for w, _ in lost.most_common(6)]
    return sum(lost.values()) - changed, sum(added.values()) - changed, changed, examples


def changed_links(source: str, result: str) -> tuple[list[str], list[str]]:
    """URLs and e-mails of one side that the other does not hold character for character.

    Compared with whitespace and hyphens removed (either side may break an address
    over lines, and pdftotext drops a line-end hyphen even inside one) and NFKC
    applied (a ligature glyph is the same letters)."""
    squashed_source, squashed_result = squash_keep_case(source), squash_keep_case(result)
    lost = [link for link in LINK.findall(source) if squash_keep_case(link) not in squashed_result]
    added = [link for link in LINK.findall(result) if squash_keep_case(link) not in squashed_source]
    return lost, added


def squash_keep_case(text: str) -> str:
    return re.sub(r"[\s\-\u200b-\u200d\u2060\ufeff]+", "", unicodedata.normalize("NFKC", text))


def code_blocks(markdown: str) -> int:
    ast = json.loads(pypandoc.convert_text(markdown, "json", format=READER))
    return sum(_count(block, "CodeBlock") for block in ast["blocks"])


def _count(node, kind: str) -> int:
    if isinstance(node, dict):
        own = 1 if node.get("t") == kind else 0
        return own + _count(node.get("c"), kind)
    if isinstance(node, list):
        return sum(_count(item, kind) for item in node)
    return 0


def glued(tokens: list[str]) -> list[str]:
    return [t for t in tokens if len(t) > 20 and t.isalpha() and zipf_frequency(t.lower(), "en") == 0]


def note_key(pdf: Path) -> list[dict] | None:
    """The keyed notes of a PDF as {"page", "number", "body_start"}, or None without a key."""
    for suffix in (".footnotes.json", ".key.json"):
        if pdf.with_suffix(suffix).exists():
            return json.loads(pdf.with_suffix(suffix).read_text())["footnotes"]
    answers = pdf.with_suffix(".answers.json")
    if answers.exists():
        notes = json.loads(answers.read_text())["footnotes"]
        return [{"page": n["body_pages"][0], "number": str(n["number"]), "body_start": " ".join(n["body"].split()[:8])} for n in notes]
    return None


def notes_score(expected: list[dict], document: Document) -> tuple[int, int, int, int]:
    """Keyed notes, notes found, found ones right (page, mark, start of text), keyed notes spliced."""
    found = [(n.source.page, n.marker, n.text) for n in document.footnotes if n.status != "no-body"]
    matched: set[int] = set()
    for page, marker, text in found:
        for index, entry in enumerate(expected):
            if index not in matched and mark(entry["number"]) == mark(marker) and entry["page"] == page and squash(text).startswith(squash(entry["body_start"])):
                matched.add(index)
                break
    body = squash(" ".join(b.text for b in document.blocks))
    spliced = sum(1 for index, entry in enumerate(expected) if index not in matched and squash(entry["body_start"]) in body)
    return len(expected), len(found), len(matched), spliced


def mark(marker: str) -> str:
    return squash(marker).strip("()[].")


def applied_corrections(document: Document) -> int | str:
    try:
        from tasks.typos import correct

        _, corrections = correct(document, set())
    except Exception as error:  # the corrector is rewritten in parallel; report, do not fail
        return f"n/a ({type(error).__name__})"
    return sum(1 for c in corrections.corrections if c.applied)


def measure(pdf: Path, with_corrections: bool) -> dict:
    document = clean(extract_pages(pdf))
    markdown = document_markdown(document)
    text = plain(markdown)
    source = source_text(pdf)
    # removed and recorded is kept: furniture, and sideways text reported by extraction
    furniture = " ".join([f.text for f in document.furniture] + [i.message.split(": ", 1)[-1] for i in document.issues if i.kind == "rotated-text"])
    kept = Counter(WORD.findall(text)) + Counter(WORD.findall(furniture))
    lost, added, changed, examples = compare(Counter(WORD.findall(source)), kept)
    numbers_source = Counter(NUMBER.findall(source))
    numbers_result = Counter(NUMBER.findall(text)) + Counter(NUMBER.findall(furniture))
    links_lost, links_added = changed_links(source, text)
    tokens = WORD.findall(text)
    row = {
        "file": pdf.name,
        "words": sum(Counter(WORD.findall(source)).values()),
        "lost": lost,
        "added": added,
        "changed": changed,
        "num_lost": sum((numbers_source - numbers_result).values()),
        "num_added": sum((numbers_result - numbers_source).values()),
        "num_examples": sorted(numbers_source - numbers_result)[:8],
        "links_lost": len(links_lost),
        "links_added": len(links_added),
        "link_examples": (links_lost + links_added)[:4],
        "notes": notes_score(key, document) if (key := note_key(pdf)) is not None else None,
        "items": sum(1 for b in document.blocks if b.kind == "item"),
        "code": code_blocks(markdown),
        "mono": sum(1 for b in document.blocks for i in b.inlines if i.monospace),
        "glued": len(glued(tokens)),
        "glued_examples": glued(tokens)[:4],
        "tokens": len(tokens),
        "cid": markdown.count("(cid:"),
        "ctrl": len(CONTROL.findall(markdown)),
        "lost_examples": examples,
    }
    if with_corrections:
        row["applied"] = applied_corrections(document)
    return row


def distinct_pdfs(folders: list[Path]) -> list[Path]:
    """The PDFs of the folders, each content once (a report may sit in two folders), the
    copy with a footnote key preferred."""
    chosen: dict[str, Path] = {}
    for pdf in (pdf for folder in folders for pdf in sorted(folder.glob("*.pdf"))):
        digest = hashlib.sha256(pdf.read_bytes()).hexdigest()
        if digest not in chosen or (note_key(chosen[digest]) is None and note_key(pdf) is not None):
            chosen[digest] = pdf
    return list(chosen.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", type=Path, nargs="+")
    parser.add_argument("--correct", action="store_true", help="also run the correct stage and count applied corrections")
    parser.add_argument("--show", action="store_true", help="print examples of lost words, numbers, links and glued tokens")
    args = parser.parse_args()
    rows = [measure(pdf, args.correct) for pdf in distinct_pdfs(args.folders)]
    header = f"{'file':44} {'words':>6} {'lost':>5} {'added':>5} {'chngd':>5} {'num-':>4} {'num+':>4} {'url-':>4} {'url+':>4} {'notes key/found/right/spliced':>30} {'items':>5} {'code':>4} {'mono':>5} {'glued':>5} {'cid':>4} {'ctrl':>4}"
    print(header + (" applied" if args.correct else ""))
    for row in rows + [total(rows)]:
        notes = "/".join(map(str, row["notes"])) if row["notes"] else "-"
        line = f"{row['file'][:44]:44} {row['words']:>6} {row['lost']:>5} {row['added']:>5} {row['changed']:>5} {row['num_lost']:>4} {row['num_added']:>4} {row['links_lost']:>4} {row['links_added']:>4} {notes:>30} {row['items']:>5} {row['code']:>4} {row['mono']:>5} {row['glued']:>5} {row['cid']:>4} {row['ctrl']:>4}"
        print(line + (f" {row.get('applied', '')}" if args.correct else ""))
    overall = total(rows)
    if overall["notes"]:
        expected, found, right, spliced = overall["notes"]
        print(f"footnotes: recall {right / expected:.3f}, precision {right / found if found else 1:.3f}, spliced {spliced}")
    print(f"glued tokens: {overall['glued']} of {overall['tokens']} ({overall['glued'] / max(1, overall['tokens']):.3%})")
    if args.show:
        for row in rows:
            print(f"\n{row['file']}: lost {row['lost_examples']} numbers {row['num_examples']} links+ {row['link_examples']} glued {row['glued_examples']}")


def total(rows: list[dict]) -> dict:
    summed = {k: sum(r[k] for r in rows) for k in ("words", "lost", "added", "changed", "num_lost", "num_added", "links_lost", "links_added", "items", "code", "mono", "glued", "tokens", "cid", "ctrl")}
    keyed = [r["notes"] for r in rows if r["notes"]]
    notes = tuple(sum(n[i] for n in keyed) for i in range(4)) if keyed else None
    applied = sum(r["applied"] for r in rows if isinstance(r.get("applied"), int))
    return {"file": "overall", **summed, "notes": notes, "applied": applied}


if __name__ == "__main__":
    main()
