#!/usr/bin/env python3
"""Generate silver NER data from the unlabelled political corpus (see docs/silver.md).

    python scripts/make_silver.py                                   # full corpus, all labels
    python scripts/make_silver.py --limit 5 --labels DATE,OUTCOME   # quick look
    python scripts/make_silver.py --data ../shared/data/political --out silver/political.jsonl

The rule functions label ORG, DATE and OUTCOME in each paragraph window
(:func:`rectify_nlp.corpus.silver.silver_records`); windows with at least ``--min-entities``
entities are written as corpus JSONL (atomically). ``silver/`` is git-ignored: the output is
generated on demand, never committed. Prints the counts per label and the time taken.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections import Counter
from pathlib import Path

from tqdm import tqdm

from rectify_nlp.corpus.records import write_jsonl
from rectify_nlp.corpus.silver import SILVER_LABELS, read_political, silver_records
from rectify_nlp.errors import RectifyInputError

ROOT = Path(__file__).resolve().parents[1]


def default_data() -> Path:
    env = os.environ.get("RECTIFY_SHARED_DATA")
    if env:
        p = Path(env)
        # the variable may name the shared data root or the political folder itself
        return p / "political" if (p / "political").is_dir() else p
    return ROOT.parent / "shared" / "data" / "political"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None,
                    help="political corpus folder or .jsonl file (default: $RECTIFY_SHARED_DATA "
                         "or ../shared/data/political next to the repository)")
    ap.add_argument("--out", type=Path, default=ROOT / "silver" / "political.jsonl",
                    help="output corpus JSONL (default: silver/political.jsonl)")
    ap.add_argument("--limit", type=int, default=None, help="only the first N documents")
    ap.add_argument("--labels", default=",".join(SILVER_LABELS),
                    help="comma-separated labels (default: ORG,DATE,OUTCOME)")
    ap.add_argument("--min-entities", type=int, default=1,
                    help="keep windows with at least this many entities (default 1)")
    ap.add_argument("--max-chars", type=int, default=2000,
                    help="longest window in characters (default 2000)")
    ap.add_argument("--no-plan-filter", action="store_true",
                    help="keep OUTCOME spans in sentences with a plan/target cue (预期, 计划, 将 …)")
    args = ap.parse_args(argv)

    data = args.data or default_data()
    labels = tuple(x.strip().upper() for x in args.labels.split(",") if x.strip())
    try:
        docs = list(itertools.islice(read_political(data), args.limit))
    except RectifyInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    counts: Counter[str] = Counter()
    n_records = 0

    def records():
        nonlocal n_records
        bar = tqdm(docs, unit="doc", desc="silver", file=sys.stderr)
        try:
            for rec in silver_records(bar, labels=labels, min_entities=args.min_entities,
                                      max_chars=args.max_chars,
                                      plan_filter=not args.no_plan_filter):
                n_records += 1
                counts.update(e.label for e in rec.entities)
                yield rec
        finally:
            bar.close()

    try:
        write_jsonl(records(), args.out)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - t0
    n_chars = sum(len(t) for _, t in docs)
    print(f"{len(docs)} documents, {n_chars:,} characters -> {n_records} records in {args.out}")
    for lab in labels:
        print(f"  {lab:8s} {counts[lab]:7d}")
    print(f"  {'total':8s} {sum(counts.values()):7d}")
    print(f"time: {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
