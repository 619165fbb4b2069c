#!/usr/bin/env python3
"""The relation step of the deciding pipeline, held out by group: structural links against the
trained relation component (trained on gold entities, or on the entities the pipeline serves).

    python scripts/relations_heldout.py --by province
    python scripts/relations_heldout.py --by style --json /tmp/rel_style.json

For every group (province, style…) of ``corpus/sources.csv`` the deciders are trained on the
other groups' notices, and the group's notices are extracted by the same decided entities with
each of these relation steps:

* ``structural``: ``rectify_links``, the structural rules (the shipped pipeline);
* ``gold``: ``rectify_relations`` trained on the training notices' gold entities and rule
  analysis;
* ``served-nostruct``: trained on the entities and decided analysis the pipeline serves for the
  training notices, cross-fitted (``--k`` folds inside the training notices: a notice's
  entities come from deciders not trained on it), with the structural-rule features removed;
* ``served``: the same with the structural-rule features (does the rule link this pair?);
* ``served-nofallback``: ``served`` without the fallback, so the model may drop the rule's
  links (e.g. those over a span that is not an entity of gold).

A training candidate pair is positive when both spans equal gold entities linked by that
relation. Every relation component: ``--steps`` steps, one notice per step, the last weights;
the fallback on (an OUTCOME the model leaves without a relation gets the rule's) except in
``served-nofallback``. Prints Markdown tables: F1 per field over all held-out notices,
relations F1 per group, and what any relation step over the decided entities can reach.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from rectify_nlp.assemble.relations import structural_relations
from rectify_nlp.corpus.sources import groups_of, leave_one_group_out, read_sources
from rectify_nlp.decide import registered_deciders
from rectify_nlp.decide.relations import (
    crossfit_served,
    relation_records,
    served,
    served_relations_pipeline,
)
from rectify_nlp.decide.train import decide_pipeline, extract_notices, prepare, train_component
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.evaluation.groups import HEADLINE_KEYS, headline_f1

ROOT = Path(__file__).resolve().parents[1]
VARIANTS = ("structural", "gold", "served-nostruct", "served", "served-nofallback")
REL_KEYS = ("relation:INSPECTS", "relation:ADDRESSES", "relation:DURING")
KEYS = (*HEADLINE_KEYS, *REL_KEYS)


def f1_table(rows: dict[str, dict[str, float]], base: str = "structural") -> str:
    """Fields (rows) × variants (columns), with each variant's difference from ``base``."""
    names = list(rows)
    lines = ["| field | " + " | ".join(names) + " | " + " | ".join(
        f"{n} − {base}" for n in names if n != base) + " |",
        "|---|" + "---:|" * (2 * len(names) - 1)]
    for k in KEYS:
        if not all(k in rows[n] for n in names):
            continue
        cells = [f"{rows[n][k]:.3f}" for n in names]
        cells += [f"{rows[n][k] - rows[base][k]:+.3f}" for n in names if n != base]
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def reach_counts(record, entities, relations) -> dict[str, dict[str, int]]:
    """Per label: gold relations, those whose two spans are both among ``entities`` (what any
    relation step over them can reach), the structural ``relations`` (over ``entities``) that
    are right, wrong between two gold spans (a link error), wrong with a span that is not gold
    (an entity error)."""
    key = lambda e: (e.label, e.start, e.end)  # noqa: E731
    gold_ents = {key(e) for e in record.entities}
    have = {key(e) for e in entities}
    gold = {(r.label, key(record.entities[r.head]), key(record.entities[r.tail]))
            for r in record.relations}
    pred = {(r.label, key(entities[r.head]), key(entities[r.tail])) for r in relations}
    out: dict[str, dict[str, int]] = {}
    for label in ("INSPECTS", "ADDRESSES", "DURING"):
        g = {x for x in gold if x[0] == label}
        p = {x for x in pred if x[0] == label}
        wrong = p - g
        out[label] = {"gold": len(g), "reachable": sum(1 for x in g if x[1] in have
                                                       and x[2] in have),
                      "right": len(p & g),
                      "link_errors": sum(1 for x in wrong if x[1] in gold_ents
                                         and x[2] in gold_ents),
                      "entity_errors": sum(1 for x in wrong if x[1] not in gold_ents
                                           or x[2] not in gold_ents)}
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--by", default="province")
    ap.add_argument("--deciders", nargs="+", default=registered_deciders(),
                    choices=registered_deciders())
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=VARIANTS)
    ap.add_argument("--k", type=int, default=5, help="cross-fitting folds inside a training set")
    ap.add_argument("--steps", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--gold", type=Path, default=ROOT / "corpus" / "gold")
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    variants = ["structural", *[v for v in args.variants if v != "structural"]]

    t0 = time.perf_counter()
    triples = list(gold_pairs(args.gold, ROOT / "corpus" / "notices"))
    notices = prepare(triples)
    by_id = {n.id: n for n in notices}
    golds = {i: g for i, g, _ in triples}
    records = relation_records(notices)
    groups = groups_of(read_sources(args.sources), args.by)
    known = {n.id: groups[n.id] for n in notices if n.id in groups}
    runs: dict[str, dict[str, dict]] = {v: {} for v in variants}
    reach: dict[str, dict[str, int]] = {}
    for name, _, held in leave_one_group_out(known):
        held_set = set(held)
        train = [n for n in notices if n.id not in held_set]
        train_records = [records[n.id] for n in train]
        component = train_component(args.deciders, train)
        for i in held:
            n = by_id[i]
            s = served(component, n)
            rels = (structural_relations(n.clean.text, list(s.entities), s.analysis)
                    if s.analysis.is_notice else [])
            for label, c in reach_counts(records[i], s.entities, rels).items():
                for k, v in c.items():
                    reach.setdefault(label, {}).setdefault(k, 0)
                    reach[label][k] += v
        crossfit = (crossfit_served(train, args.deciders, k=args.k, seed=args.seed)
                    if any(v.startswith("served") for v in variants) else None)
        trained = {}
        for v in variants:
            if v == "structural":
                nlp = decide_pipeline(component)
            else:
                source = v.removesuffix("-nofallback")
                if source not in trained:
                    trained[source] = served_relations_pipeline(
                        component, train_records, None if source == "gold" else crossfit,
                        structural_feature=source != "served-nostruct", steps=args.steps,
                        seed=args.seed)
                nlp = trained[source]
                nlp.get_pipe("relations").cfg["fallback"] = not v.endswith("-nofallback")
            runs[v].update(extract_notices(nlp, [by_id[i] for i in held]))
        print(f"held out {name} ({len(held)}): {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    ids = sorted(known)
    table = {v: headline_f1([(i, golds[i], runs[v][i]) for i in ids], KEYS) for v in variants}
    print(f"{len(ids)} notices, {len(set(known.values()))} folds held out by {args.by}; "
          f"deciders {' '.join(args.deciders)}; relation component {args.steps} steps, "
          f"cross-fitting k={args.k}, seed {args.seed} ({time.perf_counter() - t0:.0f} s)\n")
    print(f1_table(table) + "\n")
    per_group: dict[str, dict[str, dict[str, float]]] = {}
    for g in sorted(set(known.values())):
        members = [i for i in ids if known[i] == g]
        per_group[g] = {v: headline_f1([(i, golds[i], runs[v][i]) for i in members], KEYS)
                        for v in variants}
    print(f"### relations F1 by {args.by} (notices)\n")
    print(f"| {args.by} | n | " + " | ".join(variants) + " |")
    print("|---|---:|" + "---:|" * len(variants))
    for g, s in per_group.items():
        n = sum(1 for i in ids if known[i] == g)
        print(f"| {g} | {n} | " + " | ".join(
            f"{s[v]['relations']:.3f}" if "relations" in s[v] else "–" for v in variants) + " |")
    print("\n### what the relation step can reach (decided entities, all held-out notices)\n")
    cols = ("gold", "reachable", "right", "link_errors", "entity_errors")
    print("| label | " + " | ".join(cols) + " |")
    print("|---|" + "---:|" * len(cols))
    for label, c in reach.items():
        print(f"| {label} | " + " | ".join(str(c[k]) for k in cols) + " |")
    if args.json:
        args.json.write_text(json.dumps({"by": args.by, "steps": args.steps, "k": args.k,
                                         "seed": args.seed, "overall": table, "reach": reach,
                                         "groups": per_group}, indent=1, ensure_ascii=False)
                             + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
