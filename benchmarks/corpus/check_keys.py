"""Check the corpus answer keys: fields and types, and that every quoted string is in its PDF.

Usage: python benchmarks/corpus/check_keys.py [KEY_OR_FOLDER ...]
(default: every *.key.json under benchmarks/corpus/). Exits 1 on any mismatch.

A string "occurs" when its normalised form is a substring of the normalised
`pdftotext` output of the whole PDF, in reading order or in `-layout` order (two-column
pages read differently in each): NFKC, casefold, and only letters and digits kept, so
line breaks, line-break hyphens and layout spacing do not matter.
"""

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

CORPUS = Path(__file__).resolve().parent
ROLES = {"chair", "moderator", "facilitator", "convener", "rapporteur", "discussant"}
KINDS = {"real", "real-typeset", "generated"}

STR, INT, OPT_STR = str, int, (str, type(None))
TOP_FIELDS = {
    "id": STR, "pdf": STR, "kind": STR, "title": STR, "date": OPT_STR, "venue": OPT_STR,
    "sections": list, "keynotes": list, "sessions": list, "recommendations": list,
    "participants": list, "footnotes": list,
}
ITEM_FIELDS = {
    "sections": {"title": STR, "level": INT, "page": INT},
    "keynotes": {"title": OPT_STR, "speakers": list, "page": INT},
    "sessions": {"title": STR, "page": INT, "chairs": list, "speakers": list, "outcomes": list},
    "participants": {"name": STR, "organisation": OPT_STR},
    "footnotes": {"page": INT, "number": STR, "body_start": STR},
}
PERSON = {"name": STR, "organisation": OPT_STR}
CHAIR = dict(PERSON, role=STR)


def normalise(text):
    """Letters and digits only, NFKC and casefolded: layout-proof substring matching."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())


def pdf_text(pdf):
    """Normalised text in both pdftotext orders, and the number of pages."""
    texts = [subprocess.run(["pdftotext", *mode, str(pdf), "-"],
                            capture_output=True, text=True, check=True).stdout
             for mode in ([], ["-layout"])]
    return [normalise(text) for text in texts], texts[0].count("\f") or 1


def type_errors(obj, fields, where):
    if not isinstance(obj, dict):
        return [f"{where}: expected an object"]
    errors = [f"{where}: unknown field {k!r}" for k in obj if k not in fields]
    for name, kind in fields.items():
        if name not in obj:
            errors.append(f"{where}: missing field {name!r}")
        elif not isinstance(obj[name], kind) or isinstance(obj[name], bool):
            errors.append(f"{where}: {name!r} has type {type(obj[name]).__name__}")
    return errors


def structure_errors(key):
    errors = type_errors(key, TOP_FIELDS, "key")
    if errors:
        return errors
    if key["kind"] not in KINDS:
        errors.append(f"kind {key['kind']!r} not in {sorted(KINDS)}")
    for field, fields in ITEM_FIELDS.items():
        for i, item in enumerate(key[field]):
            errors += type_errors(item, fields, f"{field}[{i}]")
    for field in ("keynotes", "sessions"):
        for i, item in enumerate(key[field]):
            for j, person in enumerate(item.get("speakers", [])):
                errors += type_errors(person, PERSON, f"{field}[{i}].speakers[{j}]")
    for i, session in enumerate(key["sessions"]):
        for j, chair in enumerate(session.get("chairs", [])):
            errors += type_errors(chair, CHAIR, f"sessions[{i}].chairs[{j}]")
            if chair.get("role") not in ROLES:
                errors.append(f"sessions[{i}].chairs[{j}]: role {chair.get('role')!r}")
        errors += [f"sessions[{i}].outcomes: not all strings"
                   for o in session.get("outcomes", []) if not isinstance(o, str)][:1]
    errors += [f"recommendations: {r!r} is not a string"
               for r in key["recommendations"] if not isinstance(r, str)]
    for i, section in enumerate(key["sections"]):
        if isinstance(section.get("level"), int) and not 1 <= section["level"] <= 6:
            errors.append(f"sections[{i}]: level {section['level']} outside 1..6")
    return errors


def quoted_strings(key):
    """(where, string) for every string the key claims is printed in the PDF."""
    yield "title", key["title"]
    for field in ("date", "venue"):
        if key[field]:
            yield field, key[field]
    for s in key["sections"]:
        yield "section", s["title"]
    for item in key["keynotes"] + key["sessions"]:
        if item["title"]:
            yield "keynote/session title", item["title"]
        for person in item.get("chairs", []) + item["speakers"]:
            yield "person", person["name"]
            if person["organisation"]:
                yield "organisation", person["organisation"]
        for outcome in item.get("outcomes", []):
            yield "outcome", outcome
    for r in key["recommendations"]:
        yield "recommendation", r
    for p in key["participants"]:
        yield "participant", p["name"]
        if p["organisation"]:
            yield "participant organisation", p["organisation"]
    for f in key["footnotes"]:
        yield "footnote", f["body_start"]


def page_errors(key, pages):
    items = key["sections"] + key["keynotes"] + key["sessions"] + key["footnotes"]
    return [f"page {item['page']} outside 1..{pages}: {item.get('title') or item.get('body_start')!r}"
            for item in items if not 1 <= item["page"] <= pages]


def check(key_path):
    key = json.loads(key_path.read_text(encoding="utf-8"))
    errors = structure_errors(key)
    if errors:
        return errors
    pdf = key_path.with_name(key["pdf"])
    if key["id"] + ".key.json" != key_path.name or not pdf.exists():
        return [f"id/pdf do not match the key's file name or the PDF is missing: {pdf.name}"]
    text, pages = pdf_text(pdf)
    errors = page_errors(key, pages)
    errors += [f"{where} not in PDF text: {s!r}"
               for where, s in quoted_strings(key)
               if not any(normalise(s) in t for t in text)]
    return errors


def key_paths(args):
    for arg in args or [CORPUS]:
        path = Path(arg)
        yield from sorted(path.rglob("*.key.json")) if path.is_dir() else [path]


def load_keys(folder=CORPUS):
    """(pdf path, key) for every key under folder, for benchmarks that read the corpus."""
    for path in key_paths([folder]):
        key = json.loads(path.read_text(encoding="utf-8"))
        yield path.with_name(key["pdf"]), key


def main(args):
    failed = 0
    for path in key_paths(args):
        errors = check(path)
        failed += bool(errors)
        print(f"{'FAIL' if errors else 'ok  '} {path.name}")
        for error in errors:
            print(f"     {error}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
