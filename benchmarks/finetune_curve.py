#!/usr/bin/env python3
"""Does fine-tuning on a few notices of a new house style help, without forgetting the rest?

    python benchmarks/finetune_curve.py                        # every style, 5 draws
    python benchmarks/finetune_curve.py --styles narrative --ks 0 2 5 --draws 2 --json c.json
    python benchmarks/finetune_curve.py --plot docs/img/finetune_curve.svg
    python benchmarks/finetune_curve.py --new-weight 2 --epochs 6 --tune outcomes outline

Protocol (fixed before the curve was looked at; keep it):

* Held-out style S: every style of ``corpus/sources.csv`` (``style``) unless ``--styles``.
  All of S's notices take part (none is set aside for ``rest``).
* Draw d = 0 … D-1 (``--draws``, 5): the notices of the other styles, sorted by id, are cut
  into ``--folds`` (5) folds by position; ``rest_d`` is fold ``d mod folds`` (so over five
  draws every other-style notice is scored as ``rest`` exactly once) and the base ``B_d`` is
  trained (seed 0) on the other-style notices outside ``rest_d``. S's notices are shuffled
  by ``random.Random(d)``; the fine-tuning sets are nested: ``F_k`` = the first k.
* k in ``--ks`` (0 2 5 10), kept while S keeps at least ``--min-eval`` (2) notices to score.
  ``M_{d,k}`` = ``B_d`` fine-tuned on ``F_k`` as ``rectify train --base-model`` does
  (``train_component(base=…)``: the base's examples rehearsed, each new one counting
  ``--new-weight``, ``--epochs``); ``M_{d,0} = B_d``.
* Held-out score of (d, k): micro F1 of each field over ``E_k`` = S minus ``F_k`` (every
  notice of S outside the fine-tuning set), for ``M_{d,k}`` and, paired, for ``B_d`` on the
  same ``E_k``; the gain is their difference. ``rest`` score: the same two on ``rest_d``.
* Summary score ("headline"): the mean of the F1 of problems, targets, entity:ORG and
  entity:OUTCOME (what the four deciders decide). ``entities`` (micro-F1 over all entity
  labels) is reported beside it.
* Every figure is the mean over draws; spread is the standard deviation over draws.
  ``entities`` gets the same verdicts as the headline, printed beside them.
* S "rises with k" when the mean headline gain is > 0 at every k > 0 tested, and the gain
  at the largest k is > 0 in at least 4 of 5 draws (80 % of the draws). Monotone (each k's
  mean headline gain at least the previous k's) is reported separately. "Lost elsewhere" is
  the most negative mean rest gain over k > 0, for the headline and for each field;
  the requirement is no more than 0.01.

Prints Markdown; ``--json`` and ``--plot`` (SVG) write files.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rectify_nlp.corpus.sources import groups_of, read_sources
from rectify_nlp.decide import registered_deciders
from rectify_nlp.decide.component import DecideComponent
from rectify_nlp.decide.train import (
    FINE_TUNE_EPOCHS,
    NEW_WEIGHT,
    Notice,
    decide_pipeline,
    extract_notices,
    prepare,
    train_component,
)
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.evaluation.groups import headline_f1

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("problems", "targets", "entity:ORG", "entity:OUTCOME")
KEYS = FIELDS + ("entities", "entity:PROBLEM", "relations")
HEADLINE = "headline"
SHOWN = (HEADLINE,) + FIELDS + ("entities",)
STYLES = ("numbered-outline", "yishi-enumeration", "framed-problem", "narrative",
          "aspect-categories", "item+status-label")


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def predict(component: DecideComponent, notices: Sequence[Notice]) -> dict[str, Any]:
    """Each notice's extraction by the deciding pipeline around ``component``."""
    return extract_notices(decide_pipeline(component), notices)


def score(notices: Sequence[Notice], preds: dict[str, Any]) -> dict[str, float]:
    """F1 of KEYS over ``notices`` (micro), and the headline mean of FIELDS."""
    out = headline_f1([(n.id, n.gold, preds[n.id]) for n in notices], KEYS)
    out[HEADLINE] = statistics.fmean(out.get(k, 0.0) for k in FIELDS)
    return out


def fine_tune(base: DecideComponent, notices: Sequence[Notice], args: argparse.Namespace
              ) -> DecideComponent:
    """``base`` fine-tuned on ``notices``; deciders outside ``--tune`` keep the base's model."""
    tune = [d for d in base.deciders if d in args.tune]
    return train_component(tune, notices, base=base, threshold=base.threshold,
                           epochs=args.epochs, seed=0, new_weight=args.new_weight,
                           warm_start=args.warm_start)


def run(args: argparse.Namespace) -> dict[str, Any]:
    notices = prepare(gold_pairs(args.gold, ROOT / "corpus" / "notices"))
    style = groups_of(read_sources(args.sources), "style")
    notices = sorted((n for n in notices if n.id in style), key=lambda n: n.id)
    out: dict[str, Any] = {"deciders": args.deciders, "tune": args.tune, "ks": args.ks,
                           "warm_start": args.warm_start,
                           "draws": args.draws, "folds": args.folds,
                           "min_eval": args.min_eval, "fine_tune_epochs": args.epochs,
                           "new_weight": args.new_weight, "styles": {}}
    for s in args.styles:
        members = [n for n in notices if style[n.id] == s]
        others = [n for n in notices if style[n.id] != s]
        ks = [k for k in args.ks if k <= len(members) - args.min_eval]
        log(f"{s}: {len(members)} notices, {len(others)} of other styles, k in {ks}")
        draws: list[dict[str, Any]] = []
        for d in range(args.draws):
            fold = d % args.folds
            rest = [n for i, n in enumerate(others) if i % args.folds == fold]
            train = [n for i, n in enumerate(others) if i % args.folds != fold]
            base = train_component(args.deciders, train, seed=0)
            order = list(members)
            random.Random(d).shuffle(order)
            base_style, base_rest = predict(base, order), predict(base, rest)
            rest_base = score(rest, base_rest)
            by_k: dict[str, Any] = {}
            for k in ks:
                evaluation = order[k:]
                if k == 0:
                    model_style, model_rest = base_style, base_rest
                else:
                    model = fine_tune(base, order[:k], args)
                    model_style, model_rest = predict(model, evaluation), predict(model, rest)
                by_k[str(k)] = {"eval_notices": len(evaluation),
                                "style": score(evaluation, model_style),
                                "style_base": score(evaluation, base_style),
                                "rest": score(rest, model_rest), "rest_base": rest_base}
                row = by_k[str(k)]
                log(f"  draw {d} k={k}: headline {row['style'][HEADLINE]:.3f} "
                    f"(gain {row['style'][HEADLINE] - row['style_base'][HEADLINE]:+.3f}), "
                    f"rest gain {row['rest'][HEADLINE] - rest_base[HEADLINE]:+.3f}")
            draws.append({"rest_notices": len(rest), "by_k": by_k})
        out["styles"][s] = {"notices": len(members), "ks": ks,
                            "rest_notices": [dr["rest_notices"] for dr in draws],
                            "draws": draws, "summary": summarise(draws, ks)}
    return out


def _mean_sd(values: list[float]) -> list[float]:
    return [statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0]


def summarise(draws: list[dict[str, Any]], ks: list[int]) -> dict[str, Any]:
    """Mean and standard deviation over draws of each score, gain and rest gain."""
    out: dict[str, Any] = {}
    for k in ks:
        rows = [dr["by_k"][str(k)] for dr in draws]
        keys = sorted({key for r in rows for key in r["style"]})
        out[str(k)] = {
            "eval_notices": [r["eval_notices"] for r in rows],
            "style": {key: _mean_sd([r["style"].get(key, 0.0) for r in rows]) for key in keys},
            "gain": {key: _mean_sd([r["style"].get(key, 0.0) - r["style_base"].get(key, 0.0)
                                    for r in rows]) for key in keys},
            "gain_positive": {key: [int(r["style"].get(key, 0.0)
                                        > r["style_base"].get(key, 0.0) + 1e-9) for r in rows]
                              for key in (HEADLINE, "entities")},
            "rest": {key: _mean_sd([r["rest"].get(key, 0.0) for r in rows]) for key in keys},
            "rest_gain": {key: _mean_sd([r["rest"].get(key, 0.0) - r["rest_base"].get(key, 0.0)
                                         for r in rows]) for key in keys},
        }
    tested = [str(k) for k in ks if k > 0]
    out["verdict"] = verdict(out, tested, len(draws), HEADLINE)
    out["verdict_entities"] = verdict(out, tested, len(draws), "entities")
    return out


def verdict(summary: dict[str, Any], tested: list[str], n_draws: int, key: str
            ) -> dict[str, Any]:
    """The protocol's criteria on ``key``: rises, monotone, and what is lost on the rest."""
    gains = [summary[k]["gain"][key][0] for k in tested]
    positive = sum(summary[tested[-1]]["gain_positive"][key]) if tested else 0
    return {
        "rises": bool(tested) and all(g > 0 for g in gains) and positive >= 0.8 * n_draws,
        "monotone": bool(tested) and all(b >= a for a, b in zip([0.0] + gains, gains)),
        "lost_elsewhere": {f: min([0.0] + [summary[k]["rest_gain"][f][0] for k in tested])
                           for f in (HEADLINE,) + FIELDS + ("entities",)},
    }


def _gain_cell(row: dict[str, Any], key: str) -> str:
    mean, sd = row["gain"][key]
    return f"{mean:+.3f} ({sd:.3f}; {sum(row['gain_positive'][key])}/{len(row['eval_notices'])})"


def markdown(result: dict[str, Any]) -> str:
    """One table (a row per held-out style and k), then the protocol's verdicts."""
    lines = ["| held-out style (notices) | k | scored | headline | headline gain (sd; draws > 0)"
             " | problems | targets | ORG | OUTCOME | entities | entities gain (sd; draws > 0)"
             " | rest: headline gain | rest: entities gain | rest: worst field gain |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    verdicts = []
    for s, data in result["styles"].items():
        summ = data["summary"]
        for i, k in enumerate(data["ks"]):
            row = summ[str(k)]
            ev = row["eval_notices"]
            scored = str(ev[0]) if min(ev) == max(ev) else f"{min(ev)}–{max(ev)}"
            cells = [f"{row['style'][HEADLINE][0]:.3f} ± {row['style'][HEADLINE][1]:.3f}",
                     "–" if k == 0 else _gain_cell(row, HEADLINE)]
            cells += [f"{row['style'].get(f, [0.0])[0]:.3f}" for f in FIELDS + ("entities",)]
            if k == 0:
                cells += ["–"] * 4
            else:
                worst = min(FIELDS, key=lambda f: row["rest_gain"][f][0])
                cells += [_gain_cell(row, "entities"),
                          f"{row['rest_gain'][HEADLINE][0]:+.3f}",
                          f"{row['rest_gain']['entities'][0]:+.3f}",
                          f"{row['rest_gain'][worst][0]:+.3f} ({worst.replace('entity:', '')})"]
            name = f"{s} ({data['notices']})" if i == 0 else ""
            lines.append(f"| {name} | {k} | {scored} | " + " | ".join(cells) + " |")
        vh, ve = summ["verdict"], summ["verdict_entities"]
        lost = vh["lost_elsewhere"]
        worst = min(FIELDS, key=lambda f: lost[f])
        verdicts.append(
            f"- {s}: rises with k on the headline {'yes' if vh['rises'] else 'no'} (monotone "
            f"{'yes' if vh['monotone'] else 'no'}), on entities {'yes' if ve['rises'] else 'no'}"
            f" (monotone {'yes' if ve['monotone'] else 'no'}); lost elsewhere (worst mean rest "
            f"gain over k): headline {lost[HEADLINE]:+.3f}, entities {lost['entities']:+.3f}, "
            f"worst field {lost[worst]:+.3f} ({worst})")
    styles = result["styles"].values()
    rising = sum(d["summary"]["verdict"]["rises"] for d in styles)
    rising_e = sum(d["summary"]["verdict_entities"]["rises"] for d in styles)
    return "\n".join(lines + ["", f"Styles rising with k: {rising} of {len(styles)} on the "
                              f"headline, {rising_e} on entities", ""] + verdicts) + "\n"


def plot(result: dict[str, Any], path: Path) -> None:
    """Headline (top) and entities (bottom): the held-out score, its gain over the base on
    the same notices, and the rest's gain; mean ± sd over draws."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    panels = [("style", "held-out style: {} F1\n(its notices outside the fine-tuning set)"),
              ("gain", "held-out style: {} gain over the base\n(same notices)"),
              ("rest_gain", "other styles (rest): {} gain\nover the base")]
    rows = [(HEADLINE, "headline"), ("entities", "entities")]
    fig, axes = plt.subplots(len(rows), len(panels), figsize=(4.4 * len(panels), 3.3 * len(rows)))
    for (key, label), line in zip(rows, axes):
        for ax, (part, title) in zip(line, panels):
            for s, data in result["styles"].items():
                ks = data["ks"]
                ys = [data["summary"][str(k)][part][key][0] for k in ks]
                sd = [data["summary"][str(k)][part][key][1] for k in ks]
                ax.errorbar(ks, ys, yerr=sd, marker="o", capsize=3, label=s)
            if part != "style":
                ax.axhline(0.0, color="grey", linewidth=0.8)
            if part == "rest_gain":
                ax.axhline(-0.01, color="grey", linewidth=0.8, linestyle=":")
            ax.set_title(title.format(label), fontsize=9)
            ax.set_xlabel("k notices of the style fine-tuned on", fontsize=8)
        line[0].set_ylabel(f"{label} F1, mean ± sd over draws", fontsize=8)
    axes[0][0].legend(fontsize=7)
    fig.suptitle("headline = mean F1 of " + ", ".join(FIELDS) + "; entities = micro-F1 over "
                 "all entity labels", fontsize=9)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deciders", nargs="+", default=registered_deciders(),
                    choices=registered_deciders())
    ap.add_argument("--tune", nargs="+", default=None, choices=registered_deciders(),
                    help="deciders refitted when fine-tuning (default: all of --deciders)")
    ap.add_argument("--styles", nargs="+", default=list(STYLES))
    ap.add_argument("--ks", nargs="+", type=int, default=[0, 2, 5, 10])
    ap.add_argument("--draws", type=int, default=5)
    ap.add_argument("--folds", type=int, default=5, help="folds of the other styles (rest)")
    ap.add_argument("--epochs", type=int, default=FINE_TUNE_EPOCHS)
    ap.add_argument("--new-weight", type=float, default=NEW_WEIGHT,
                    help=f"how many times a fine-tuning example counts (default {NEW_WEIGHT})")
    ap.add_argument("--warm-start", action="store_true",
                    help="fine-tune from the base's weights (the first fine-tuning) instead "
                         "of refitting its examples from zero")
    ap.add_argument("--min-eval", type=int, default=2)
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--plot", type=Path, default=None)
    ap.add_argument("--from-json", type=Path, default=None,
                    help="print (and --plot) a saved --json result instead of running")
    args = ap.parse_args(argv)
    if args.from_json:
        result = json.loads(args.from_json.read_text(encoding="utf-8"))
        for data in result["styles"].values():      # summaries from the draws kept
            data["summary"] = summarise(data["draws"], data["ks"])
        print(markdown(result))
        if args.plot:
            plot(result, args.plot)
        return 0
    args.tune = args.tune or list(args.deciders)
    if 0 not in args.ks:
        args.ks = [0] + args.ks
    args.ks = sorted(set(args.ks))
    logging.basicConfig(level=logging.WARNING)
    t0 = time.perf_counter()
    result = run(args)
    result["seconds"] = round(time.perf_counter() - t0, 1)
    print(markdown(result))
    log(f"{result['seconds']} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    if args.plot:
        plot(result, args.plot)
    return 0


if __name__ == "__main__":
    sys.exit(main())
