#!/usr/bin/env python
"""Leave-one-notice-out evaluation of the NER model against the rule layer.

For each notice of the gold corpus: train on the other notices (plus optional silver data),
then predict the held-out notice with

* ``model``: the trained pipeline alone (its ``doc.ents`` only, mapped to original offsets);
* ``model+rules``: ``rectify_nlp.load(model_dir)`` (the extractor merges model and rule spans);
* ``rules``: ``rectify_nlp.load("rules")``;

and score all three with :func:`rectify_nlp.evaluation.evaluate_pairs` against
``corpus/gold/<id>.json``. Prints a per-label table (exact and overlapping boundaries) and the
notice fields of rules vs model+rules; ``--out`` writes everything as JSON.

    nice python scripts/loo_ner.py --max-steps 400 --out /tmp/loo.json
    nice python scripts/loo_ner.py --silver silver/political.jsonl --out /tmp/loo_silver.json
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("ORG", "DATE", "PROBLEM", "OUTCOME")
SYSTEMS = ("rules", "model", "model+rules")


def model_entities(extractor: Any, text: str) -> dict[str, Any]:
    """The pipeline's own entities (no rules), original offsets, as a prediction dict."""
    from rectify_nlp.pipeline.language import chunk_text
    from rectify_nlp.spans import Span
    from rectify_nlp.text.clean import clean_text

    clean = clean_text(text)
    pieces = list(chunk_text(clean.text, extractor.chunk_chars)) if clean.text else []
    ents = []
    for (offset, _), doc in zip(pieces, extractor.nlp.pipe(p for _, p in pieces)):
        for e in doc.ents:
            if e.label_ in LABELS:
                s = clean.original_span(Span(e.start_char + offset, e.end_char + offset,
                                             e.label_, e.text, source="model"))
                ents.append({"label": s.label, "start": s.start, "end": s.end, "text": s.text})
    return {"entities": ents}


def entity_rows(report: Any) -> dict[str, dict[str, float]]:
    """``{label: {p, r, f, p~, r~, f~, gold, pred}}`` from an evaluation report."""
    rows: dict[str, dict[str, float]] = {}
    sc = report.scores
    for label in (*LABELS, "all"):
        ex = sc["entities" if label == "all" else f"entity:{label}"]
        ov = sc["entities~" if label == "all" else f"entity~:{label}"]
        rows[label] = {"p": ex.p, "r": ex.r, "f": ex.f, "p~": ov.p, "r~": ov.r, "f~": ov.f,
                       "gold": ex.gold, "pred": ex.pred}
    return rows


def table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["label     system        exact P   R     F    | overlap P   R     F    | gold pred",
             "-" * 86]
    for label in (*LABELS, "all"):
        for system in SYSTEMS:
            r = results[system][label]
            lines.append(f"{label:<9} {system:<12}  {r['p']:.3f} {r['r']:.3f} {r['f']:.3f} |"
                         f"   {r['p~']:.3f} {r['r~']:.3f} {r['f~']:.3f} | "
                         f"{r['gold']:>4} {r['pred']:>4}")
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold-jsonl", type=Path, default=ROOT / "corpus" / "gold.jsonl")
    ap.add_argument("--gold-dir", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--silver", type=Path, default=None,
                    help="optional silver corpus JSONL added to every fold's training data")
    ap.add_argument("--silver-limit", type=int, default=0,
                    help="use a random sample of this many silver records (0: all)")
    ap.add_argument("--max-steps", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--config", type=Path, default=None)
    ap.add_argument("--set", dest="settings", action="append", default=[],
                    metavar="SECTION.KEY=VALUE", help="config override (repeatable)")
    ap.add_argument("--work", type=Path, default=None,
                    help="folder for the fold models (default: a temporary folder)")
    ap.add_argument("--out", type=Path, default=None, help="write the JSON results here")
    ap.add_argument("--only", nargs="*", default=None, help="hold out only these notice ids")
    ap.add_argument("-v", "--verbose", action="store_true", help="show spaCy's training table")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    import rectify_nlp
    from rectify_nlp.corpus import read_jsonl, write_jsonl
    from rectify_nlp.evaluation import evaluate_pairs
    from rectify_nlp.training import parse_override, train

    records = read_jsonl(args.gold_jsonl)
    silver = read_jsonl(args.silver) if args.silver and args.silver.exists() else []
    if args.silver_limit and len(silver) > args.silver_limit:
        silver = random.Random(args.seed).sample(silver, args.silver_limit)
    if args.silver and not silver:
        print(f"note: no silver data at {args.silver}; training on gold only", file=sys.stderr)
    overrides = dict(parse_override(s) for s in args.settings)
    work = args.work or Path(tempfile.mkdtemp(prefix="loo_ner_"))
    rules = rectify_nlp.load("rules")
    pairs: dict[str, list[tuple[str, dict[str, Any], dict[str, Any]]]] = {s: [] for s in SYSTEMS}
    folds = []
    started = time.perf_counter()
    for held in records:
        if args.only and held.id not in args.only:
            continue
        gold = json.loads((args.gold_dir / f"{held.id}.json").read_text(encoding="utf-8"))
        train_path = work / f"train_{held.id}.jsonl"
        write_jsonl([r for r in records if r.id != held.id] + silver, train_path)
        t0 = time.perf_counter()
        model_dir = train(train_path, work / f"model_{held.id}", seed=args.seed,
                          max_steps=args.max_steps, config=args.config, overrides=overrides,
                          stdout=sys.stdout if args.verbose else io.StringIO())
        t_train = time.perf_counter() - t0
        extractor = rectify_nlp.load(model_dir)
        t1 = time.perf_counter()
        pred_model = model_entities(extractor, held.text)
        pred_both = extractor(held.text, source=held.id).to_dict()
        t_pred = time.perf_counter() - t1
        pairs["model"].append((held.id, gold, pred_model))
        pairs["model+rules"].append((held.id, gold, pred_both))
        pairs["rules"].append((held.id, gold, rules(held.text, source=held.id).to_dict()))
        card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
        fold = {"held_out": held.id, "train_seconds": round(t_train, 1),
                "predict_seconds": round(t_pred, 2), "dev_ents_f": card["scores"]["ents_f"],
                "model_bytes": card["size_bytes"],
                "per_system": {s: entity_rows(evaluate_pairs([pairs[s][-1]])) for s in SYSTEMS}}
        folds.append(fold)
        print(f"fold {held.id}: trained in {t_train:.0f} s, dev ents_f "
              f"{card['scores']['ents_f']:.3f}; held-out F (exact) "
              + ", ".join(f"{s} {fold['per_system'][s]['all']['f']:.3f}" for s in SYSTEMS),
              file=sys.stderr, flush=True)
    if not folds:
        print("no fold ran", file=sys.stderr)
        return 1
    reports = {s: evaluate_pairs(pairs[s]) for s in SYSTEMS}
    results = {s: entity_rows(reports[s]) for s in SYSTEMS}
    fields = {s: {k: v.to_dict() for k, v in reports[s].scores.items()
                  if not k.startswith(("entity", "entities")) and hasattr(v, "to_dict")}
              for s in ("rules", "model+rules")}
    total = time.perf_counter() - started
    print(f"\nLeave-one-notice-out, {len(folds)} folds, max_steps {args.max_steps}, seed "
          f"{args.seed}, silver records {len(silver)}, {total:.0f} s in all\n")
    print(table(results))
    print("notice fields (F): key                          rules   model+rules")
    for key in sorted(fields["rules"]):
        a, b = fields["rules"][key].get("f"), fields["model+rules"].get(key, {}).get("f")
        if a is not None and b is not None:
            print(f"  {key:<40} {a:.3f}   {b:.3f}")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({
            "max_steps": args.max_steps, "seed": args.seed, "silver_records": len(silver),
            "overrides": overrides, "seconds": round(total, 1), "folds": folds,
            "entities": results, "fields": fields,
        }, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
