#!/usr/bin/env python3
"""The rule layer (or a pipeline) on the real corpus, by province, level, issuer kind and style.

    python scripts/evaluation_by_group.py --rules --exclude-founding     # the honest baseline
    python scripts/evaluation_by_group.py --rules --read 020 021 --by style
    python scripts/evaluation_by_group.py --model models/rectify_zh --json out.json

Scores every notice of ``corpus/gold`` that has a row in ``corpus/sources.csv``. The four
founding notices (000-004) are the ones the rules were written on: ``--exclude-founding``
leaves them out so that the figures measure notices nobody tuned for. ``--read`` names notices
(id prefixes) that were read while changing the rules: they are reported as their own group
and left out of every other row, so a fix is scored only on notices, and styles, that its
author did not look at. Prints Markdown tables (one per grouping column); writes nothing
unless ``--json`` is given.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rectify_nlp.corpus.sources import groups_of, read_sources
from rectify_nlp.evaluation import evaluate_pairs
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.evaluation.groups import (
    HEADLINE_KEYS,
    GroupReport,
    evaluate_by_group,
    format_group_table,
)
from rectify_nlp.extractor import load

ROOT = Path(__file__).resolve().parents[1]
FOUNDING = ("000_", "001_", "002_", "004_")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    who = ap.add_mutually_exclusive_group(required=True)
    who.add_argument("--rules", action="store_true", help="the rule layer alone")
    who.add_argument("--model", help="a pipeline folder")
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    ap.add_argument("--by", nargs="+", default=["province", "level", "issuer_kind", "style"])
    ap.add_argument("--exclude-founding", action="store_true",
                    help="leave out the four notices the rules were written on")
    ap.add_argument("--read", nargs="*", default=[],
                    help="id prefixes of notices read while changing the rules")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)

    rows = read_sources(args.sources)
    extractor = load("rules" if args.rules else args.model)
    pairs, read = [], []
    for doc_id, gold, text in gold_pairs(args.gold, ROOT / "corpus" / "notices"):
        if args.exclude_founding and doc_id.startswith(FOUNDING):
            continue
        pair = (doc_id, gold, extractor(text, source=doc_id).to_dict())
        (read if any(doc_id.startswith(p) for p in args.read) else pairs).append(pair)
    if not pairs:
        print("no notice to score", file=sys.stderr)
        return 1
    out: dict[str, object] = {"notices": len(pairs), "read": [p[0] for p in read]}
    print(f"{len(pairs)} notices scored" + (f"; {len(read)} read while changing the rules are "
                                             "reported apart" if read else "") + "\n")
    for column in args.by:
        groups = groups_of(rows, column)
        reports = evaluate_by_group(pairs, groups)
        if read:
            reports.append(GroupReport("(read while fixing)", len(read), evaluate_pairs(read)))
        print(f"### F1 by {column}\n")
        print(format_group_table(reports, markdown=True) + "\n")
        out[column] = {g.name: {"notices": g.notices,
                                **{k: g.report.scores[k].to_dict() for k in HEADLINE_KEYS
                                   if k in g.report.scores}} for g in reports}
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
