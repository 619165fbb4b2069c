#!/usr/bin/env python3
"""Move harvested notices from ``corpus/staging/<group>/`` into the corpus, with provenance.

    python scripts/ingest_notices.py                 # dry run: what would be added, and why not
    python scripts/ingest_notices.py --write         # copy texts, append to corpus/sources.csv

Each staging group holds ``NN.txt`` (the page text exactly as the store returned it) and
``rows.csv`` (``file,url,title,issuer,issuer_kind,province,level,kind,published,truncated,notes``).
A notice enters only if

* ``../shared/eval/check_reserved.py`` passes on its address and on its text (the team's
  evaluation notices come from the same store; one that lands here stops measuring anything);
* its address is new and its text is not the same notice as one already in (shingle overlap
  over 50 %, the check's own measure: notices of the genre share at most ~15 %);
* the row's columns are valid (:meth:`SourceRow.problems`).

The id is ``NNN_<first 16 hex of sha1(url)>``, numbered after the last id in the corpus; the
style is :func:`rectify_nlp.corpus.sources.layout_style` of the text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import subprocess
import sys
from pathlib import Path

from rectify_nlp.corpus.sources import SourceRow, layout_style, read_sources, write_sources
from rectify_nlp.io.write import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
CHECK = ROOT.parent / "shared" / "eval" / "check_reserved.py"
SHINGLE = 16


def _shingles(text: str) -> set[str]:
    t = "".join(ch for ch in text if ch.isalnum())
    return {t[i:i + SHINGLE] for i in range(max(0, len(t) - SHINGLE + 1))}


def _same_notice(a: set[str], b: set[str]) -> bool:
    return bool(a and b) and len(a & b) / min(len(a), len(b)) > 0.5


def _reserved(urls: list[str], files: list[Path]) -> set[str]:
    """Addresses and file paths the shared check flags (its output lines name them)."""
    args = [sys.executable, str(CHECK)]
    for u in urls:
        args += ["--url", u]
    for f in files:
        args += ["--text", str(f)]
    out = subprocess.run(args, capture_output=True, text=True, check=False).stdout
    flagged = set()
    for line in out.splitlines():
        if line.startswith("reserved page: "):
            flagged.add(line.removeprefix("reserved page: ").strip())
        elif line.startswith("reserved text"):
            flagged.add(line.rsplit(": ", 1)[1].strip())
    return flagged


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--staging", type=Path, default=ROOT / "corpus" / "staging")
    ap.add_argument("--groups", nargs="*", help="staging groups to take (default: all)")
    ap.add_argument("--write", action="store_true", help="add the notices (default: dry run)")
    args = ap.parse_args(argv)
    if not CHECK.exists():
        print(f"error: {CHECK} not found: the reserved-page check must run", file=sys.stderr)
        return 2

    sources_path = ROOT / "corpus" / "sources.csv"
    rows = read_sources(sources_path) if sources_path.exists() else []
    notices = ROOT / "corpus" / "notices"
    known_urls = {r.url.strip().lower().rstrip("/") for r in rows if r.url}
    known_texts = [_shingles(p.read_text(encoding="utf-8")) for p in sorted(notices.glob("*.txt"))]
    next_no = 1 + max((int(r.id.split("_")[0]) for r in rows), default=4)

    staged = []
    for rows_csv in sorted(args.staging.glob("*/rows.csv")):
        if args.groups and rows_csv.parent.name not in args.groups:
            continue
        with rows_csv.open(encoding="utf-8", newline="") as f:
            for raw in csv.DictReader(f):
                path = rows_csv.parent / raw["file"].strip()
                if not path.exists():
                    print(f"skip {path}: no text file")
                    continue
                staged.append((path, raw))

    flagged = _reserved([raw["url"].strip() for _, raw in staged], [p for p, _ in staged])
    added, skipped = [], {"reserved": 0, "duplicate": 0, "invalid": 0}
    for path, raw in staged:
        url = raw["url"].strip()
        text = path.read_text(encoding="utf-8")
        if url in flagged or str(path) in flagged:
            skipped["reserved"] += 1
            print(f"drop {path}: reserved ({url})")
            continue
        key = url.lower().rstrip("/")
        sh = _shingles(text)
        if key in known_urls or any(_same_notice(sh, k) for k in known_texts):
            skipped["duplicate"] += 1
            print(f"drop {path}: already in the corpus ({url})")
            continue
        doc_id = f"{next_no:03d}_{hashlib.sha1(url.encode()).hexdigest()[:16]}"
        row = SourceRow(
            id=doc_id, url=url, title=raw["title"].strip(), issuer=raw["issuer"].strip(),
            issuer_kind=raw["issuer_kind"].strip(), province=raw["province"].strip(),
            level=raw["level"].strip(), kind=raw["kind"].strip(),
            published=raw["published"].strip(), chars=len(text),
            truncated=raw["truncated"].strip().lower() in ("yes", "true", "1"),
            style=layout_style(text),
        )
        if row.problems():
            skipped["invalid"] += 1
            print(f"drop {path}: " + "; ".join(row.problems()))
            continue
        next_no += 1
        known_urls.add(key)
        known_texts.append(sh)
        added.append((row, text))

    print(f"{len(added)} to add; dropped: {skipped}")
    if args.write and added:
        for row, text in added:
            atomic_write_text(notices / f"{row.id}.txt", text)
        write_sources(rows + [r for r, _ in added], sources_path)
        # the whole corpus once more, as CI checks it
        rc = subprocess.run([sys.executable, str(CHECK), "--dir", str(notices),
                             "--sources", str(sources_path)], check=False).returncode
        if rc:
            print("error: the corpus holds a reserved page now; remove it", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
