#!/usr/bin/env python
"""Leave-one-notice-out evaluation of the NER model against (and combined with) the rule layer.

For each notice of the gold corpus: train on the other notices (plus optional silver data)
with ``--config`` (default ``ner.cfg``, the transition-based ner), then predict the held-out notice and score, with
:func:`rectify_nlp.evaluation.evaluate_pairs` against ``corpus/gold/<id>.json``, these
systems (all spans in original offsets):

* ``rules``: the rule layer's entities (``analysis.entity_spans()`` mapped to the original;
  the rules-only extractor is scored too, as ``rules_extractor``, a sanity check);
* ``model``: the model's own entities (chunks annotated with the whole notice's rule analysis
  when the pipeline has ``rectify_rule_features``, as the extractor does);
* ``model_then_rules``: model spans + each rule span that overlaps no model span of its label;
* ``union``: rule spans + each model span that overlaps no rule span of its label (the
  extractor's present merge).

Prints a per-label table (exact and overlapping boundaries) and a per-label recommendation
(the combination with the best pooled exact F; ``rules`` on ties); ``--out`` writes JSON,
``--md`` a Markdown table. ``--combine A.json B.json …`` re-tabulates saved runs side by side
(``--name`` labels a run) without training.

    nice python scripts/loo_ner.py --max-steps 800 --name plain --out /tmp/loo_plain.json
    nice python scripts/loo_ner.py --max-steps 800 --name rulefeat \\
        --config src/rectify_nlp/resources/configs/ner_rules.cfg --out /tmp/loo_rules.json
    python scripts/loo_ner.py --combine /tmp/loo_plain.json /tmp/loo_rules.json --md /tmp/loo.md
"""

from __future__ import annotations

import argparse
import inspect
import io
import json
import logging
import random
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("ORG", "DATE", "PROBLEM", "OUTCOME")
COMBOS = ("model", "model_then_rules", "union")
SYSTEMS = ("rules", "rules_extractor", *COMBOS)
POLICIES = ("rules", *COMBOS)


# --------------------------------------------------------------------------- spans


def model_spans(nlp: Any, clean: Any, analysis: Any, chunk_chars: int) -> list[Any]:
    """The pipeline's own entities over the clean text (clean offsets), chunk by chunk; each
    chunk is annotated with the whole notice's rule features when the pipeline uses them."""
    from rectify_nlp.pipeline.language import chunk_text
    from rectify_nlp.pipeline.rule_features import annotate
    from rectify_nlp.spans import Span

    pieces = list(chunk_text(clean.text, chunk_chars)) if clean.text else []
    docs = []
    for offset, piece in pieces:
        doc = nlp.make_doc(piece)
        if "rectify_rule_features" in nlp.pipe_names:
            annotate(doc, analysis, offset)
        docs.append(doc)
    out = []
    for (offset, _), doc in zip(pieces, nlp.pipe(docs)):
        for e in doc.ents:
            if e.label_ in LABELS:
                out.append(Span(e.start_char, e.end_char, e.label_, e.text,
                                source="model").shift(offset))
    return out


def add_unless_overlapping(base: Sequence[Any], extra: Sequence[Any]) -> list[Any]:
    """``base`` + each span of ``extra`` that overlaps no span of ``base`` with its label."""
    by_label: dict[str, list[Any]] = {}
    for s in base:
        by_label.setdefault(s.label, []).append(s)
    out = list(base)
    for s in extra:
        if not any(s.overlaps(b) for b in by_label.get(s.label, ())):
            out.append(s)
    return out


def as_prediction(clean: Any, spans: Sequence[Any]) -> dict[str, Any]:
    ents = []
    for span in spans:
        s = clean.original_span(span)
        ents.append({"label": s.label, "start": s.start, "end": s.end, "text": s.text})
    ents.sort(key=lambda e: (e["start"], e["end"], e["label"]))
    return {"entities": ents}


# --------------------------------------------------------------------------- tables


def entity_rows(report: Any) -> dict[str, dict[str, float]]:
    """``{label: {p, r, f, p~, r~, f~, gold, pred}}`` from an evaluation report."""
    rows: dict[str, dict[str, float]] = {}
    sc = report.scores
    none = SimpleNamespace(p=0.0, r=0.0, f=0.0, gold=0, pred=0)  # a label nobody found
    for label in (*LABELS, "all"):
        ex = sc.get("entities" if label == "all" else f"entity:{label}", none)
        ov = sc.get("entities~" if label == "all" else f"entity~:{label}", none)
        rows[label] = {"p": ex.p, "r": ex.r, "f": ex.f, "p~": ov.p, "r~": ov.r, "f~": ov.f,
                       "gold": ex.gold, "pred": ex.pred}
    return rows


def text_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    width = max(len(s) for s in results) + 2
    lines = [f"{'label':<9} {'system':<{width}} exact P   R     F    | overlap P   R     F    "
             "| gold pred", "-" * (80 + width)]
    for label in (*LABELS, "all"):
        for system, rows in results.items():
            r = rows[label]
            lines.append(f"{label:<9} {system:<{width}} {r['p']:.3f} {r['r']:.3f} {r['f']:.3f} |"
                         f"   {r['p~']:.3f} {r['r~']:.3f} {r['f~']:.3f} | "
                         f"{r['gold']:>4} {r['pred']:>4}")
        lines.append("")
    return "\n".join(lines)


def markdown_table(results: dict[str, dict[str, dict[str, float]]]) -> str:
    lines = ["| label | system | P | R | F | P~ | R~ | F~ | gold | pred |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for label in (*LABELS, "all"):
        best = max(results[s][label]["f"] for s in results)
        for system, rows in results.items():
            r = rows[label]
            f = f"**{r['f']:.3f}**" if r["f"] == best else f"{r['f']:.3f}"
            lines.append(f"| {label} | {system} | {r['p']:.3f} | {r['r']:.3f} | {f} | "
                         f"{r['p~']:.3f} | {r['r~']:.3f} | {r['f~']:.3f} | {r['gold']} | "
                         f"{r['pred']} |")
    return "\n".join(lines)


def recommend(results: dict[str, dict[str, dict[str, float]]],
              prefix: str = "") -> dict[str, dict[str, Any]]:
    """Per label, the policy (rules | model | model_then_rules | union) of the run ``prefix``
    with the best pooled exact F; ``rules`` unless another is strictly better."""
    out: dict[str, dict[str, Any]] = {}
    for label in LABELS:
        best, best_f = "rules", results["rules"][label]["f"]
        for policy in COMBOS:
            key = f"{prefix}{policy}"
            if key in results and results[key][label]["f"] > best_f + 1e-9:
                best, best_f = policy, results[key][label]["f"]
        out[label] = {"policy": best, "f": round(best_f, 4),
                      "f~": round(results[f"{prefix}{best}" if best != "rules" else "rules"]
                                  [label]["f~"], 4),
                      "rules_f": round(results["rules"][label]["f"], 4)}
    return out


# --------------------------------------------------------------------------- runs


def run_folds(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    import rectify_nlp
    import rectify_nlp.pipeline.rule_features  # noqa: F401
    from rectify_nlp.corpus import read_jsonl, write_jsonl
    from rectify_nlp.corpus.sources import groups_of, leave_one_group_out, read_sources
    from rectify_nlp.evaluation import evaluate_pairs
    from rectify_nlp.rules.analysis import analyze
    from rectify_nlp.text.clean import clean_text
    from rectify_nlp.training import parse_override, train

    records = read_jsonl(args.gold_jsonl)
    silver = read_jsonl(args.silver) if args.silver and args.silver.exists() else []
    if args.silver_limit and len(silver) > args.silver_limit:
        silver = random.Random(args.seed).sample(silver, args.silver_limit)
    if args.silver and not silver:
        print(f"note: no silver data at {args.silver}; training on gold only", file=sys.stderr)
    overrides = dict(parse_override(s) for s in args.settings)
    # the NER alone: no relation stage where train() has one
    extra = {"relations": False} if "relations" in inspect.signature(train).parameters else {}
    work = args.work or Path(tempfile.mkdtemp(prefix="loo_ner_"))
    rules_extractor = rectify_nlp.load("rules")
    pairs: dict[str, list[tuple[str, dict[str, Any], dict[str, Any]]]] = {s: [] for s in SYSTEMS}
    folds = []
    started = time.perf_counter()
    # one fold per notice, or (--by) per group of corpus/sources.csv: train on the others
    if args.by:
        group = groups_of(read_sources(args.sources), args.by)
        folds_of = {r.id: group[r.id] for r in records if r.id in group}
        missing = sorted(r.id for r in records if r.id not in group)
        if missing:  # as in decide.train.heldout_predictions
            print(f"note: {len(missing)} notice(s) not in {args.sources} are trained on in "
                  "every fold and never held out: " + ", ".join(missing[:5]), file=sys.stderr)
    else:
        folds_of = {r.id: r.id for r in records}
    by_id = {r.id: r for r in records}
    for name, _, held_ids in leave_one_group_out(folds_of):
        held_out = [by_id[i] for i in held_ids if not args.only or i in args.only]
        if not held_out:
            continue
        held_set = set(held_ids)
        train_path = work / f"train_{name}.jsonl"
        write_jsonl([r for r in records if r.id not in held_set] + silver, train_path)
        t0 = time.perf_counter()
        model_dir = train(train_path, work / f"model_{name}", seed=args.seed,
                          max_steps=args.max_steps, config=args.config, overrides=overrides,
                          stdout=sys.stdout if args.verbose else io.StringIO(), **extra)
        t_train = time.perf_counter() - t0
        nlp = spacy.load(model_dir)
        t1 = time.perf_counter()
        for held in held_out:
            gold = json.loads((args.gold_dir / f"{held.id}.json").read_text(encoding="utf-8"))
            clean = clean_text(held.text)
            analysis = analyze(clean.text, page_date=clean.page_date_text)
            rule = analysis.entity_spans()
            model = model_spans(nlp, clean, analysis, args.chunk_chars)
            preds = {
                "rules": as_prediction(clean, rule),
                "rules_extractor": rules_extractor(held.text, source=held.id).to_dict(),
                "model": as_prediction(clean, model),
                "model_then_rules": as_prediction(clean, add_unless_overlapping(model, rule)),
                "union": as_prediction(clean, add_unless_overlapping(rule, model)),
            }
            for s in SYSTEMS:
                pairs[s].append((held.id, gold, preds[s]))
        t_pred = time.perf_counter() - t1
        n = len(held_out)
        card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
        fold = {"held_out": name, "notices": n, "train_seconds": round(t_train, 1),
                "predict_seconds": round(t_pred, 2), "dev_ents_f": card["scores"]["ents_f"],
                "model_bytes": card["size_bytes"],
                "per_system": {s: entity_rows(evaluate_pairs(pairs[s][-n:])) for s in SYSTEMS}}
        folds.append(fold)
        print(f"fold {name} ({n} notice(s)): trained in {t_train:.0f} s, dev ents_f "
              f"{card['scores']['ents_f']:.3f}; held-out F (exact) "
              + ", ".join(f"{s} {fold['per_system'][s]['all']['f']:.3f}" for s in SYSTEMS),
              file=sys.stderr, flush=True)
    if not folds:
        raise SystemExit("no fold ran")
    results = {s: entity_rows(evaluate_pairs(pairs[s])) for s in SYSTEMS}
    return {"name": args.name, "config": str(args.config), "by": args.by,
            "max_steps": args.max_steps, "seed": args.seed, "silver_records": len(silver),
            "overrides": overrides, "seconds": round(time.perf_counter() - started, 1),
            "folds": folds, "entities": results,
            "recommendation": recommend(results)}


def combine(runs: list[dict[str, Any]]) -> dict[str, dict[str, dict[str, float]]]:
    """One results table over several runs: ``rules`` once, the others as ``name:system``."""
    table: dict[str, dict[str, dict[str, float]]] = {"rules": runs[0]["entities"]["rules"]}
    for run in runs:
        for system in COMBOS:
            table[f"{run['name']}:{system}"] = run["entities"][system]
    return table


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
    ap.add_argument("--config", type=Path,
                    default=ROOT / "src" / "rectify_nlp" / "resources" / "configs" / "ner.cfg",
                    help="training config (default: resources/configs/ner.cfg, the "
                         "transition-based ner; rectify train's own default is ner_crf.cfg)")
    ap.add_argument("--name", default=None, help="name of this run in tables (default: the "
                    "config's file name)")
    ap.add_argument("--set", dest="settings", action="append", default=[],
                    metavar="SECTION.KEY=VALUE", help="config override (repeatable)")
    ap.add_argument("--chunk-chars", type=int, default=100_000,
                    help="chunk length at prediction time (the extractor's default)")
    ap.add_argument("--work", type=Path, default=None,
                    help="folder for the fold models (default: a temporary folder)")
    ap.add_argument("--out", type=Path, default=None, help="write the JSON results here")
    ap.add_argument("--md", type=Path, default=None, help="write a Markdown table here")
    ap.add_argument("--only", nargs="*", default=None, help="hold out only these notice ids")
    ap.add_argument("--by", default=None,
                    help="hold out a group at a time: a column of --sources (e.g. style, "
                         "province) instead of one notice at a time")
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    ap.add_argument("--combine", nargs="+", type=Path, default=None,
                    help="tabulate saved --out files side by side instead of training")
    ap.add_argument("-v", "--verbose", action="store_true", help="show spaCy's training table")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    if args.name is None:
        args.name = args.config.stem

    if args.combine:
        runs = [json.loads(p.read_text(encoding="utf-8")) for p in args.combine]
        results = combine(runs)
        recs = {run["name"]: recommend(results, f"{run['name']}:") for run in runs}
        print(text_table(results))
        for name, rec in recs.items():
            print(f"recommended policy for {name}: "
                  + ", ".join(f"{k} {v['policy']} ({v['f']:.3f} vs rules {v['rules_f']:.3f})"
                              for k, v in rec.items()))
        if args.md:
            lines = [markdown_table(results), ""]
            for run in runs:
                lines.append(f"- `{run['name']}`: config {run['config']}, max_steps "
                             f"{run['max_steps']}, silver {run['silver_records']}, overrides "
                             f"{run['overrides']}, {run['seconds']:.0f} s")
            lines.append("")
            for name, rec in recs.items():
                lines.append(f"- recommended policy for `{name}`: " + ", ".join(
                    f"{k} → {v['policy']}" for k, v in rec.items()))
            args.md.write_text("\n".join(lines) + "\n", encoding="utf-8")
        if args.out:
            args.out.write_text(json.dumps({"entities": results, "recommendation": recs},
                                           ensure_ascii=False, indent=1) + "\n",
                                encoding="utf-8")
        return 0

    result = run_folds(args)
    print(f"\nLeave-one-notice-out, {len(result['folds'])} folds, config {result['config']}, "
          f"max_steps {args.max_steps}, seed {args.seed}, silver records "
          f"{result['silver_records']}, {result['seconds']:.0f} s in all\n")
    print(text_table(result["entities"]))
    print("recommended policy: " + ", ".join(
        f"{k} {v['policy']} ({v['f']:.3f} vs rules {v['rules_f']:.3f})"
        for k, v in result["recommendation"].items()))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n",
                            encoding="utf-8")
        print(f"\nwrote {args.out}", file=sys.stderr)
    if args.md:
        args.md.write_text(markdown_table(result["entities"]) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
