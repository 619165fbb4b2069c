#!/usr/bin/env python3
"""Trained deciders against the rules alone, on notices held out by group.

    python scripts/decide_heldout.py --deciders orgs outcomes --by province
    python scripts/decide_heldout.py --deciders outline --by style --json out.json

For every group (a province, a style…) of ``corpus/sources.csv`` the deciders are trained on
the corpus's other notices and extract the group's notices; the rules alone extract the same
notices. Prints F1 per field and label over all held-out notices (rules, decided, difference)
and per group, as Markdown. ``--each`` also scores each decider alone.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from rectify_nlp.corpus.sources import groups_of, read_sources
from rectify_nlp.decide import registered_deciders
from rectify_nlp.decide.train import heldout_predictions, prepare
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.evaluation.groups import HEADLINE_KEYS, headline_f1
from rectify_nlp.extractor import load

ROOT = Path(__file__).resolve().parents[1]


def f1_table(rows: dict[str, dict[str, float]], keys=HEADLINE_KEYS) -> str:
    names = list(rows)
    lines = ["| field | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for k in keys:
        lines.append(f"| {k} | " + " | ".join(
            f"{rows[n][k]:.3f}" if k in rows[n] else "–" for n in names) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deciders", nargs="+", default=registered_deciders(),
                    choices=registered_deciders())
    ap.add_argument("--by", default="province")
    ap.add_argument("--each", action="store_true", help="also each decider alone")
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    ap.add_argument("--score-without", nargs="*", default=[], metavar="PREFIX",
                    help="score only notices whose id starts with none of these (they still "
                         "train the other folds), e.g. the founding 000_ 001_ 002_ 004_")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    t0 = time.perf_counter()
    triples = list(gold_pairs(args.gold, ROOT / "corpus" / "notices"))
    notices = prepare(triples)
    groups = groups_of(read_sources(args.sources), args.by)
    golds = {i: g for i, g, _ in triples}
    rules = load("rules")
    rule_out = {i: rules(t, source=i).to_dict() for i, _, t in triples if i in groups}
    runs = {"rules": rule_out}
    sets = [list(args.deciders)] + ([[d] for d in args.deciders] if args.each
                                    and len(args.deciders) > 1 else [])
    for names in sets:
        runs["+".join(names)] = heldout_predictions(notices, groups, names,
                                                    threshold=args.threshold)
    ids = sorted(i for i in rule_out if not any(i.startswith(p) for p in args.score_without))
    table = {name: headline_f1([(i, golds[i], out[i]) for i in ids]) for name, out in runs.items()}
    main_run = "+".join(args.deciders)
    table["difference"] = {k: table[main_run][k] - table["rules"][k] for k in table["rules"]}
    print(f"{len(ids)} notices, each predicted by deciders trained without its {args.by} "
          f"({time.perf_counter() - t0:.0f} s)\n")
    print(f1_table(table) + "\n")
    per_group: dict[str, dict[str, dict[str, float]]] = {}
    for g in sorted(set(groups[i] for i in ids)):
        members = [i for i in ids if groups[i] == g]
        per_group[g] = {name: headline_f1([(i, golds[i], runs[name][i]) for i in members])
                        for name in ("rules", main_run)}
    print(f"### by {args.by}: F1 rules → decided (notices)\n")
    keys = [k for k in HEADLINE_KEYS if k in table["rules"]]
    print(f"| {args.by} | n | " + " | ".join(keys) + " |")
    print("|---|---:|" + "---|" * len(keys))
    for g, s in per_group.items():
        n = sum(1 for i in ids if groups[i] == g)
        print(f"| {g} | {n} | " + " | ".join(
            f"{s['rules'].get(k, 0):.2f}→{s[main_run].get(k, 0):.2f}" for k in keys) + " |")
    if args.json:
        args.json.write_text(json.dumps({"overall": table, "groups": per_group}, indent=1,
                                        ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
