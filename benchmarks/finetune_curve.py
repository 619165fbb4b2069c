#!/usr/bin/env python3
"""Does fine-tuning on a few notices of a new house style help, without forgetting the rest?

    python benchmarks/finetune_curve.py                        # all deciders, four styles
    python benchmarks/finetune_curve.py --styles narrative --ks 0 2 5 --draws 3 --json c.json
    python benchmarks/finetune_curve.py --plot docs/img/finetune_curve.svg

For each held-out style S (``corpus/sources.csv``'s ``style``): a base model (the deciders
of ``rectify_nlp.decide``) is trained on the corpus's notices of every other style except a
fixed fifth of them (``rest``: every fifth id, never trained on); then, for each draw, the
notices of S are shuffled (seed = draw), the first ``max(ks)`` form the pool that k notices
are taken from, and the others are S's evaluation set, the same for every k of that draw.
The base is fine-tuned on k = 0, 2, 5, 10 of them (``LinearModel.fit(rehearse=base)``, what
``rectify train --base-model`` does) and scored on S's evaluation set and on ``rest`` (for
forgetting). ``k`` larger than a style allows (it keeps at least ``--min-eval`` notices to
score) is skipped. Figures are F1 micro-averaged over the evaluation notices, then averaged
over draws (spread: min–max). Prints Markdown; ``--json`` and ``--plot`` (SVG) write files.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from rectify_nlp.corpus.sources import groups_of, read_sources
from rectify_nlp.decide import registered_deciders
from rectify_nlp.decide.train import (
    FINE_TUNE_EPOCHS,
    NEW_WEIGHT,
    Notice,
    decide_pipeline,
    prepare,
    train_component,
)
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.evaluation.groups import headline_f1
from rectify_nlp.extractor import Extractor

ROOT = Path(__file__).resolve().parents[1]
KEYS = ("problems", "targets", "entity:ORG", "entity:OUTCOME", "entity:PROBLEM", "relations")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def score(extractor: Extractor, notices: list[Notice]) -> dict[str, float]:
    return headline_f1([(n.id, n.gold, extractor(n.clean.original, source=n.id).to_dict())
                        for n in notices], KEYS)


def run(args: argparse.Namespace) -> dict[str, Any]:
    notices = prepare(gold_pairs(args.gold, ROOT / "corpus" / "notices"))
    style = groups_of(read_sources(args.sources), "style")
    notices = [n for n in notices if n.id in style]
    rest = [n for i, n in enumerate(sorted(notices, key=lambda n: n.id)) if i % 5 == 4]
    rest_ids = {n.id for n in rest}
    out: dict[str, Any] = {"deciders": args.deciders, "ks": args.ks, "draws": args.draws,
                           "fine_tune_epochs": args.epochs, "new_weight": args.new_weight,
                           "styles": {}}
    for s in args.styles:
        members = [n for n in notices if style[n.id] == s and n.id not in rest_ids]
        others = [n for n in notices if style[n.id] != s and n.id not in rest_ids]
        rest_other = [n for n in rest if style[n.id] != s]
        pool_size = min(max(args.ks), len(members) - args.min_eval)
        ks = [k for k in args.ks if k <= pool_size]
        log(f"{s}: {len(members)} notices, base on {len(others)}, k in {ks}")
        base = train_component(args.deciders, others, seed=0)
        rows: dict[int, list[dict[str, Any]]] = {k: [] for k in ks}
        for draw in range(args.draws):
            order = list(members)
            random.Random(draw).shuffle(order)
            pool, evaluation = order[:pool_size], order[pool_size:]
            for k in ks:
                model = base if k == 0 else train_component(
                    args.deciders, pool[:k], base=base, epochs=args.epochs, seed=0,
                    new_weight=args.new_weight)
                extractor = Extractor(decide_pipeline(model))
                rows[k].append({"style": score(extractor, evaluation),
                                "rest": score(extractor, rest_other),
                                "eval_notices": len(evaluation)})
                log(f"  draw {draw} k={k}: " + " ".join(
                    f"{key}={rows[k][-1]['style'].get(key, 0):.3f}" for key in KEYS[:4]))
        out["styles"][s] = {"notices": len(members), "rest_notices": len(rest_other),
                            "by_k": {str(k): summarise(v) for k, v in rows.items()}}
    return out


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    def agg(part: str) -> dict[str, list[float]]:
        keys = sorted({k for r in runs for k in r[part]})
        return {k: [statistics.fmean(r[part].get(k, 0.0) for r in runs),
                    min(r[part].get(k, 0.0) for r in runs),
                    max(r[part].get(k, 0.0) for r in runs)] for k in keys}

    return {"style": agg("style"), "rest": agg("rest"), "eval_notices": runs[0]["eval_notices"]}


def markdown(result: dict[str, Any]) -> str:
    lines = []
    for s, data in result["styles"].items():
        lines += [f"### {s} ({data['notices']} notices; rest: {data['rest_notices']})", "",
                  "| k | " + " | ".join(f"{k} (style)" for k in KEYS[:4]) + " | " +
                  " | ".join(f"{k} (rest)" for k in KEYS[:4]) + " |",
                  "|---:|" + "---:|" * 8]
        for k, row in data["by_k"].items():
            cells = [f"{row['style'].get(key, [0, 0, 0])[0]:.3f}" for key in KEYS[:4]]
            cells += [f"{row['rest'].get(key, [0, 0, 0])[0]:.3f}" for key in KEYS[:4]]
            lines.append(f"| {k} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def plot(result: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    keys = KEYS[:4]
    fig, axes = plt.subplots(1, len(keys), figsize=(4 * len(keys), 3.4), sharey=True)
    for ax, key in zip(axes, keys):
        for s, data in result["styles"].items():
            ks = [int(k) for k in data["by_k"]]
            ys = [data["by_k"][str(k)]["style"].get(key, [0, 0, 0])[0] for k in ks]
            rs = [data["by_k"][str(k)]["rest"].get(key, [0, 0, 0])[0] for k in ks]
            line, = ax.plot(ks, ys, marker="o", label=s)
            ax.plot(ks, rs, linestyle=":", color=line.get_color())
        ax.set_title(key)
        ax.set_xlabel("k notices of the style")
    axes[0].set_ylabel("F1 (solid: held-out style; dotted: rest)")
    axes[-1].legend(fontsize=7)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deciders", nargs="+", default=registered_deciders(),
                    choices=registered_deciders())
    ap.add_argument("--styles", nargs="+", default=["numbered-outline", "yishi-enumeration",
                                                    "framed-problem", "narrative"])
    ap.add_argument("--ks", nargs="+", type=int, default=[0, 2, 5, 10])
    ap.add_argument("--draws", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=FINE_TUNE_EPOCHS)
    ap.add_argument("--new-weight", type=float, default=NEW_WEIGHT,
                    help="how many times a fine-tuning example counts (rectify train: 5)")
    ap.add_argument("--min-eval", type=int, default=3)
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--plot", type=Path, default=None)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    t0 = time.perf_counter()
    result = run(args)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    print(markdown(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    if args.plot:
        plot(result, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
