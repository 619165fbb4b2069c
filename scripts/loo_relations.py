#!/usr/bin/env python
"""Leave-one-notice-out evaluation of the trained relation component against the structural rule.

For each notice of the gold corpus: train the ``relations`` component on the other notices
(:func:`rectify_nlp.training.relations.train_relations`, fixed ``--max-steps``, the last
checkpoint: no model selection on the held-out notice), then predict the held-out notice's
relations over

* ``gold`` entities: the notice's gold entities (clean offsets);
* ``rule`` entities: the rule layer's entities, ``analyze(clean).entity_spans()``;

and compare with :func:`rectify_nlp.assemble.relations.structural_relations` over the same
entity lists. A relation is correct when its label, head span and tail span (label + offsets)
all equal a gold relation's. Per-label and pooled P/R/F1 over all folds; the relations the
trained component gets right that the rule misses, and the reverse (counts, a few examples).

    nice python scripts/loo_relations.py --max-steps 150 --out /tmp/loo_relations.json
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("INSPECTS", "ADDRESSES", "DURING")
SYSTEMS = ("trained", "trained+fallback", "structural")
ENTITY_SETS = ("gold", "rule")

Key = tuple[str, tuple[str, int, int], tuple[str, int, int]]


def keys_of(relations: Any, entities: Any) -> set[Key]:
    """Relations as comparable keys: (label, (label, start, end) of head, ... of tail)."""
    out = set()
    for r in relations:
        h, t = entities[r.head], entities[r.tail]
        out.add((r.label, (h.label, h.start, h.end), (t.label, t.start, t.end)))
    return out


def prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    p = tp / pred if pred else 0.0
    r = tp / gold if gold else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0,
            "tp": tp, "pred": pred, "gold": gold}


def describe(key: Key, text: str) -> str:
    label, (hl, hs, he), (tl, ts, te) = key
    return f"{label}: {text[hs:he]} ({hl}@{hs}) -> {text[ts:te]} ({tl}@{ts})"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", default=str(ROOT / "corpus" / "gold.jsonl"))
    ap.add_argument("--max-steps", type=int, default=150)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--examples", type=int, default=4, help="examples of each difference")
    ap.add_argument("--out", help="write the results as JSON here")
    ap.add_argument("--verbose", action="store_true", help="show spaCy's training table")
    ap.add_argument("--gold-dir", default=str(ROOT / "corpus" / "gold"),
                    help="notice-level gold files scored with the shared score.py")
    ap.add_argument("--scorer", default=str(ROOT.parent / "shared" / "eval" / "score.py"),
                    help="the shared scorer (notice-level fields, incl. outcome.problem)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)

    from spacy.training import Example  # noqa: F401  (spaCy first: registers zh)

    from rectify_nlp.assemble.relations import structural_relations
    from rectify_nlp.corpus import load_corpus
    from rectify_nlp.extractor import Extractor, load
    from rectify_nlp.training.relations import prepare_record, relation_docs, train_relations

    records = load_corpus(args.corpus)
    prepared = [prepare_record(r) for r in records]
    counts: dict[str, dict[str, dict[str, list[int]]]] = {
        es: {sys_: {lab: [0, 0, 0] for lab in LABELS} for sys_ in SYSTEMS} for es in ENTITY_SETS}
    diffs: dict[str, dict[str, dict[str, list[str]]]] = {
        es: {tag: {lab: [] for lab in LABELS} for tag in ("trained_only", "structural_only")}
        for es in ENTITY_SETS}
    diff_counts: dict[str, dict[str, dict[str, int]]] = {
        es: {"trained_only": {lab: 0 for lab in LABELS},
             "structural_only": {lab: 0 for lab in LABELS}} for es in ENTITY_SETS}
    folds: list[dict[str, Any]] = []
    field_dir = Path(tempfile.mkdtemp(prefix="loo_relations_fields_"))
    rules = load("rules")
    t_all = time.perf_counter()
    for i, held in enumerate(prepared):
        train = [r for j, r in enumerate(records) if j != i]
        t0 = time.perf_counter()
        log = io.StringIO()
        nlp = train_relations(train, seed=args.seed, max_steps=args.max_steps,
                              overrides={"corpora.train.holdout": 0.0,
                                         "training.patience": 0},
                              stdout=sys.stdout if args.verbose else log, checkpoint="last")
        t_train = time.perf_counter() - t0
        rel = nlp.get_pipe("relations")
        # notice level: the whole extractor on the held-out notice, rule entities + the fold's
        # relation component, against the rule layer alone (structural relations)
        for name, extractor in (("trained+fallback", Extractor(nlp)), ("structural", rules)):
            out_dir = field_dir / name
            out_dir.mkdir(parents=True, exist_ok=True)
            pred = extractor(records[i].text, source=records[i].id)
            (out_dir / f"{records[i].id}.json").write_text(pred.to_json(), encoding="utf-8")
        gold_keys = keys_of(held.relations, held.entities)
        fold = {"id": held.id, "train_seconds": round(t_train, 1), "gold": len(gold_keys)}
        for es in ENTITY_SETS:
            ents = list(held.entities) if es == "gold" else held.analysis.entity_spans()
            t1 = time.perf_counter()
            pred_doc, _ = relation_docs(nlp, held, rel.spans_key, ents)
            rel.cfg["fallback"] = False
            rel(pred_doc)
            _, spans = rel.doc_entities(pred_doc)
            trained = keys_of(pred_doc._.relations or [], spans)
            rel.cfg["fallback"] = True
            rel(pred_doc)
            fallback = keys_of(pred_doc._.relations or [], spans)
            t_pred = time.perf_counter() - t1
            structural = keys_of(structural_relations(held.text, ents, held.analysis), ents)
            fold[f"{es}_predict_seconds"] = round(t_pred, 2)
            for name, found in (("trained", trained), ("trained+fallback", fallback),
                                ("structural", structural)):
                for lab in LABELS:
                    c = counts[es][name][lab]
                    p = {k for k in found if k[0] == lab}
                    g = {k for k in gold_keys if k[0] == lab}
                    c[0] += len(p & g)
                    c[1] += len(p)
                    c[2] += len(g)
                fold[f"{es}_{name}"] = prf(len(found & gold_keys), len(found), len(gold_keys))
            t_only = (trained & gold_keys) - structural
            s_only = (structural & gold_keys) - trained
            for tag, keys in (("trained_only", t_only), ("structural_only", s_only)):
                for k in sorted(keys):
                    diff_counts[es][tag][k[0]] += 1
                    if len(diffs[es][tag][k[0]]) < args.examples:
                        diffs[es][tag][k[0]].append(f"[{held.id[:3]}] {describe(k, held.text)}")
        folds.append(fold)
        print(f"fold {i} ({held.id}): trained in {t_train:.0f} s", file=sys.stderr)

    results: dict[str, Any] = {"max_steps": args.max_steps, "seed": args.seed, "folds": folds,
                               "seconds": round(time.perf_counter() - t_all, 1), "scores": {},
                               "differences": diff_counts, "examples": diffs}
    lines = ["| entities | label | trained P | R | F1 | trained+fallback P | R | F1 "
             "| structural P | R | F1 | gold |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for es in ENTITY_SETS:
        results["scores"][es] = {}
        for name in SYSTEMS:
            per = {lab: prf(*counts[es][name][lab]) for lab in LABELS}
            tot = [sum(counts[es][name][lab][k] for lab in LABELS) for k in range(3)]
            per["pooled"] = prf(*tot)
            results["scores"][es][name] = per
        for lab in (*LABELS, "pooled"):
            a = results["scores"][es]["trained"][lab]
            f = results["scores"][es]["trained+fallback"][lab]
            b = results["scores"][es]["structural"][lab]
            lines.append(f"| {es} | {lab} | {a['p']:.3f} | {a['r']:.3f} | {a['f']:.3f} | "
                         f"{f['p']:.3f} | {f['r']:.3f} | {f['f']:.3f} | "
                         f"{b['p']:.3f} | {b['r']:.3f} | {b['f']:.3f} | {a['gold']} |")
    print("\n".join(lines))
    for es in ENTITY_SETS:
        print(f"\n{es} entities: right only by trained {diff_counts[es]['trained_only']}, "
              f"right only by structural {diff_counts[es]['structural_only']}")
        for tag in ("trained_only", "structural_only"):
            for lab in LABELS:
                for ex in diffs[es][tag][lab]:
                    print(f"  {tag}: {ex}")
    results["notice_level"] = notice_level(args, field_dir)
    print("\nnotice level (shared score.py; rule entities; F1):")
    for name, rep in results["notice_level"].items():
        keys = ("outcome.problem", "outcomes", "relations", "targets")
        print(f"  {name:18s} " + "  ".join(f"{k} {rep[k]['f']:.3f} (tp {rep[k]['tp']}/"
                                           f"{rep[k]['gold']})" for k in keys if k in rep))
    print(f"\n{len(prepared)} folds, {results['seconds']} s")
    if args.out:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
    return 0


def notice_level(args: argparse.Namespace, field_dir: Path) -> dict[str, Any]:
    """Run the shared scorer on each system's held-out predictions."""
    out: dict[str, Any] = {}
    for sub in sorted(p for p in field_dir.iterdir() if p.is_dir()):
        res = subprocess.run([sys.executable, args.scorer, args.gold_dir, str(sub), "--json"],
                             capture_output=True, text=True, check=True)
        out[sub.name] = json.loads(res.stdout)
    return out


if __name__ == "__main__":
    sys.exit(main())
