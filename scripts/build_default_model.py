#!/usr/bin/env python3
"""Build the shipped default, ``models/rectify_zh``: the deciding pipeline trained on the whole
corpus, with a model card that records its data, its splits and its held-out scores.

    python scripts/build_default_model.py --deciders orgs targets outcomes outline
    python scripts/build_default_model.py --deciders orgs --out /tmp/m --no-heldout

First the held-out figures: for each grouping of ``--by`` (province, style) every notice is
extracted by deciders trained without its group (``scripts/decide_heldout.py`` does the same,
with per-group tables), against ``load("rules")``. Then the deciders are trained on all
notices of ``corpus/gold`` and the pipeline (rules → decide → links) is written to ``--out``
with ``model_card.json`` and ``README.md``. Keep in ``--deciders`` only those that win held
out: the rules stay the baseline (``load("rules")``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path

import spacy

from rectify_nlp import __version__
from rectify_nlp.corpus.sources import groups_of, read_sources
from rectify_nlp.decide import registered_deciders
from rectify_nlp.decide.train import (
    candidate_counts,
    decide_pipeline,
    heldout_predictions,
    prepare,
    train_component,
)
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.evaluation.groups import HEADLINE_KEYS, headline_f1
from rectify_nlp.extractor import load

ROOT = Path(__file__).resolve().parents[1]


def scores(pairs) -> dict[str, float]:
    return {k: round(f, 4) for k, f in headline_f1(pairs).items()}


def gold_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.glob("*.json")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()


def readme(card: dict) -> str:
    lines = [f"# {card['name']} — model card", "",
             f"The shipped default of rectify_nlp {card['rectify_nlp']} (spaCy {card['spacy']}), "
             f"built {card['built']} by `python scripts/build_default_model.py`.",
             "Rules propose, trained deciders choose: `rules` (the rule layer, once per notice, "
             "on `doc._.rectify_rules`) → `decide` (one hashed-feature logistic regression per "
             "decider, rewriting the analysis) → `links` (the structural relations). "
             "`rectify_nlp.load()` = decode → clean → `nlp.pipe` → assemble; "
             "`rectify_nlp.load(\"rules\")` is the baseline.", "",
             f"- deciders: {', '.join(card['deciders'])}",
             f"- training data: `{card['data']['gold']}`, {card['data']['notices']} real notices "
             f"({card['data']['provinces']} provinces + central units, 6 layout styles), "
             f"sha256 `{card['data']['sha256'][:16]}…`",
             "- candidates per decider (kept in gold): " + ", ".join(
                 f"{n} {c['candidates']} ({c['kept_in_gold']})"
                 for n, c in card["candidates"].items()),
             f"- size: {card['size_mb']} MB", ""]
    for by, table in card.get("heldout", {}).items():
        lines += [f"## Held out by {by} ({table['folds']} folds, {table['notices']} notices)", "",
                  "Each notice extracted by deciders trained without its " + by + ".", "",
                  "| field | rules | this model | difference |", "|---|---:|---:|---:|"]
        for k in HEADLINE_KEYS:
            if k in table["rules"]:
                a, b = table["rules"][k], table["model"][k]
                lines.append(f"| {k} | {a:.3f} | {b:.3f} | {b - a:+.3f} |")
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--deciders", nargs="+", required=True, choices=registered_deciders())
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "rectify_zh")
    ap.add_argument("--by", nargs="+", default=["province", "style"])
    ap.add_argument("--no-heldout", action="store_true")
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    triples = list(gold_pairs(args.gold, ROOT / "corpus" / "notices"))
    notices = prepare(triples)
    rows = read_sources(args.sources)
    card: dict = {"name": "rectify_zh", "rectify_nlp": __version__, "spacy": spacy.__version__,
                  "built": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "deciders": args.deciders,
                  "data": {"gold": "corpus/gold", "notices": len(notices),
                           "provinces": len({r.province for r in rows}) - 1,
                           "sha256": gold_digest(args.gold)},
                  "splits": "held out by group (corpus/sources.csv): every notice is scored by "
                            "deciders trained on the other groups' notices",
                  "heldout": {}}
    if not args.no_heldout:
        golds = {i: g for i, g, _ in triples}
        rules = load("rules")
        rule = {n.id: rules(n.clean.original, source=n.id).to_dict() for n in notices}
        for by in args.by:
            groups = groups_of(rows, by)
            ids = sorted(i for i in golds if i in groups)
            pred = heldout_predictions(notices, groups, args.deciders)
            card["heldout"][by] = {
                "folds": len({groups[i] for i in ids}), "notices": len(ids),
                "rules": scores([(i, golds[i], rule[i]) for i in ids]),
                "model": scores([(i, golds[i], pred[i]) for i in ids])}
            print(f"held out by {by}: done ({time.perf_counter() - t0:.0f} s)", file=sys.stderr)
    component = train_component(args.deciders, notices)
    card["candidates"] = {name: candidate_counts(name, notices) for name in args.deciders}
    nlp = decide_pipeline(component)
    nlp.meta["name"] = "rectify_zh"
    nlp.meta["description"] = "Rules propose, trained deciders choose (rectify_nlp)."
    tmp = args.out.with_name(args.out.name + ".building")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    card["size_mb"] = round(sum(p.stat().st_size for p in tmp.rglob("*") if p.is_file())
                            / 2**20, 2)
    (tmp / "model_card.json").write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
    (tmp / "README.md").write_text(readme(card), encoding="utf-8")
    shutil.rmtree(args.out, ignore_errors=True)
    tmp.rename(args.out)
    print(readme(card))
    return 0


if __name__ == "__main__":
    sys.exit(main())
