#!/usr/bin/env python3
"""Leave-one-notice-out table of a pipeline on the gold corpus, and its worst errors.

    python scripts/evaluation_report.py --rules                 # the rule layer (baseline)
    python scripts/evaluation_report.py --model models/rectify_zh
    python scripts/evaluation_report.py --rules --errors 15     # also list errors

Each notice is held out in turn and scored alone (the rule layer has nothing to train, so for
it every fold is simply "extract this notice"; a model directory is scored the same way — use
scripts/loo_ner.py to retrain per fold). Prints a Markdown table: one column per held-out
notice and one for all notices pooled (micro), rows for the notice-level fields, per-label
entity F1 (exact and overlapping boundaries) and relations. Writes nothing.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from rectify_nlp.evaluation import evaluate_pairs
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.extractor import load

ROOT = Path(__file__).resolve().parents[1]

ROWS = [
    ("header (7 fields)", "header"), ("targets", "targets"), ("summary", "summary"),
    ("problems", "problems"), ("problem.parent", "problem.parent"),
    ("problem.status", "problem.status"), ("outcomes", "outcomes"),
    ("outcome.problem", "outcome.problem"),
    ("ORG exact", "entity:ORG"), ("ORG overlap", "entity~:ORG"),
    ("DATE exact", "entity:DATE"), ("DATE overlap", "entity~:DATE"),
    ("PROBLEM exact", "entity:PROBLEM"), ("PROBLEM overlap", "entity~:PROBLEM"),
    ("OUTCOME exact", "entity:OUTCOME"), ("OUTCOME overlap", "entity~:OUTCOME"),
    ("INSPECTS", "relation:INSPECTS"), ("ADDRESSES", "relation:ADDRESSES"),
    ("DURING", "relation:DURING"), ("relations (all)", "relations"),
]


def _context(text: str, start: int, end: int, width: int = 12) -> str:
    left = text[max(0, start - width):start].replace("\n", "⏎")
    right = text[end:end + width].replace("\n", "⏎")
    return f"…{left}[{text[start:end]}]{right}…"


def entity_errors(gold: dict, pred: dict, text: str) -> dict[str, Counter]:
    """Missed and spurious entities per label, with boundary errors told apart."""
    out: dict[str, Counter] = {}
    gset = {(e["label"], e["start"], e["end"]) for e in gold.get("entities", [])}
    pset = {(e["label"], e["start"], e["end"]) for e in pred.get("entities", [])}
    for label, s, e in gset - pset:
        near = any(lab == label and min(e, pe) > max(s, ps) for lab, ps, pe in pset - gset)
        kind = "boundary" if near else "missed"
        out.setdefault(label, Counter())[f"{kind}: {_context(text, s, e)}"] += 1
    for label, s, e in pset - gset:
        near = any(lab == label and min(e, ge) > max(s, gs) for lab, gs, ge in gset - pset)
        if not near:
            out.setdefault(label, Counter())[f"spurious: {_context(text, s, e)}"] += 1
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--rules", action="store_true", help="the rule layer alone")
    group.add_argument("--model", help="a pipeline folder")
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--texts", type=Path, default=ROOT / "corpus" / "notices")
    ap.add_argument("--errors", type=int, default=0, help="list N errors per label")
    ap.add_argument("--ids", nargs="*", default=["000", "001", "002", "004"],
                    help="notice id prefixes, one column each (default: the four founding "
                         "notices; the real corpus is scored by group with "
                         "scripts/evaluation_by_group.py)")
    ap.add_argument("--json", action="store_true", help="print the per-fold reports as JSON")
    args = ap.parse_args(argv)

    extractor = load("rules" if args.rules else args.model)
    pairs, texts = [], {}
    for doc_id, gold, text in gold_pairs(args.gold, args.texts):
        if args.ids and not doc_id.startswith(tuple(args.ids)):
            continue
        texts[doc_id] = text
        pairs.append((doc_id, gold, extractor(text, source=doc_id).to_dict()))
    folds = {doc_id: evaluate_pairs([(doc_id, g, p)]).to_dict() for doc_id, g, p in pairs}
    pooled = evaluate_pairs(pairs).to_dict()
    if args.json:
        print(json.dumps({"folds": folds, "pooled": pooled}, ensure_ascii=False, indent=1))
        return 0

    ids = list(folds)
    print("| metric (F1) | " + " | ".join(i.split("_")[0] for i in ids) + " | all (micro) |")
    print("|---|" + "---|" * (len(ids) + 1))
    for name, key in ROWS:
        cells = []
        for report in [*(folds[i] for i in ids), pooled]:
            v = report.get(key)
            cells.append("–" if v is None or (v["gold"] == 0 and v["pred"] == 0)
                         else f"{v['f']:.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\n(pooled counts: entities gold {pooled['entities']['gold']}, pred "
          f"{pooled['entities']['pred']}; outcomes gold {pooled['outcomes']['gold']}, pred "
          f"{pooled['outcomes']['pred']})")
    if args.errors:
        by_label: dict[str, Counter] = {}
        for doc_id, gold, pred in pairs:
            for label, counter in entity_errors(gold, pred, texts[doc_id]).items():
                by_label.setdefault(label, Counter()).update(
                    {f"{doc_id.split('_')[0]} {k}": v for k, v in counter.items()})
        for label in sorted(by_label):
            kinds = Counter(k.split(" ", 1)[1].split(":")[0] for k in by_label[label].elements())
            print(f"\n## {label} errors: " + ", ".join(f"{k} {v}" for k, v in kinds.most_common()))
            for item, _ in by_label[label].most_common(args.errors):
                print(f"- {item}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
