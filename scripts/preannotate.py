#!/usr/bin/env python3
"""Write annotation sources pre-filled by the rule layer, for an annotator to check and correct.

    python scripts/preannotate.py                  # every notice without corpus/annotations/<id>.json
    python scripts/preannotate.py 012_ab12…        # these notices (never overwrites an annotation)

For each notice it writes ``corpus/annotations/<id>.json`` (the human-editable source format of
``scripts/build_gold.py``, every span pinned with ``"at"``) and keeps an untouched copy in
``corpus/notes/preannotation/<id>.json`` so that ``scripts/annotation_changes.py`` can count
what the annotator changed. Pre-annotation is a draft: the guidelines allow it only when every
span and field is then checked against the text.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import rectify_nlp
from rectify_nlp.io.write import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]


def to_source(doc_id: str, r: dict[str, Any]) -> dict[str, Any]:
    """The annotation source of one extraction (``Rectification.to_dict()``)."""
    ents = r["entities"]
    keys: dict[int, str] = {}
    entities = []
    for i, e in enumerate(ents):
        if e["label"] in ("ORG", "DATE"):
            keys[i] = f"e{len(entities) + 1}"
            entities.append({"label": e["label"], "text": e["text"], "at": e["start"],
                             "key": keys[i]})
    date_key = {(ents[i]["start"], ents[i]["end"]): k for i, k in keys.items()
                if ents[i]["label"] == "DATE"}
    during: dict[int, str] = {}
    for rel in r["relations"]:
        if rel["label"] == "DURING":
            t = ents[rel["tail"]]
            during[rel["head"]] = date_key.get((t["start"], t["end"]), "")
    outcome_entity = {(e["start"], e["end"]): i for i, e in enumerate(ents) if e["label"] == "OUTCOME"}

    problems = []
    for n, p in enumerate(r["problems"]):
        problems.append({
            "key": f"p{n + 1}", "statement": p["statement"], "at": p["start"],
            "number": p["number"], "level": p["level"],
            "parent": f"p{p['parent'] + 1}" if p["parent"] is not None else None,
            "category": p["category"], "status": p["status"],
            "measures": [{"text": m["text"], "at": m["start"]} for m in p["measures"]],
        })
    outcomes = []
    for o in r["outcomes"]:
        ent = outcome_entity.get((o["start"], o["end"]))
        outcomes.append({
            "raw": o["raw"], "at": o["start"], "metric": o["metric"], "value": o["value"],
            "unit": o["unit"], "qualifier": o["qualifier"],
            "problem": f"p{o['problem'] + 1}" if o["problem"] is not None else None,
            "during": during.get(ent) or None if ent is not None else None,
            "period": o["period"],
        })
    relations = [{"label": "INSPECTS", "head": keys[x["head"]], "tail": keys[x["tail"]]}
                 for x in r["relations"]
                 if x["label"] == "INSPECTS" and x["head"] in keys and x["tail"] in keys]
    contacts = {k: r["contacts"].get(k) for k in ("phones", "emails", "address", "postcode")}
    return {
        "id": doc_id, "kind": r["kind"], "inspection": r["inspection"],
        "publisher": r["publisher"], "published_date": r["published_date"],
        "summary": r["summary"], "contacts": contacts,
        "entities": entities, "problems": problems, "outcomes": outcomes,
        "relations": relations,
        "meta": {"annotator": None,
                 "method": "pre-annotated by the rule layer (rectify_nlp.load('rules')), "
                           "then every span and field checked against the text and the guidelines",
                 "preannotation": f"corpus/notes/preannotation/{doc_id}.json"},
    }


def dump_source(source: dict[str, Any]) -> str:
    """JSON with one list item a line, so that an annotator edits one span per line."""
    def one(v: Any) -> str:
        return json.dumps(v, ensure_ascii=False)

    parts = []
    for k, v in source.items():
        if isinstance(v, list) and v:
            items = ",\n  ".join(one(x) for x in v)
            parts.append(f" {one(k)}: [\n  {items}\n ]")
        else:
            parts.append(f" {one(k)}: {one(v)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ids", nargs="*", help="notice ids (default: all without an annotation)")
    ap.add_argument("--root", type=Path, default=ROOT)
    args = ap.parse_args(argv)
    notices = args.root / "corpus" / "notices"
    ann = args.root / "corpus" / "annotations"
    pre = args.root / "corpus" / "notes" / "preannotation"
    ids = args.ids or sorted(p.stem for p in notices.glob("*.txt") if not (ann / p.name).with_suffix(".json").exists())
    nlp = rectify_nlp.load("rules")
    for doc_id in ids:
        if (ann / f"{doc_id}.json").exists():
            print(f"{doc_id}: annotated already, left alone")
            continue
        text = (notices / f"{doc_id}.txt").read_text(encoding="utf-8")
        source = to_source(doc_id, nlp(text).to_dict())
        body = dump_source(source)
        atomic_write_text(pre / f"{doc_id}.json", body)
        atomic_write_text(ann / f"{doc_id}.json", body)
        print(f"{doc_id}: {len(source['entities'])} ORG/DATE, {len(source['problems'])} problems, "
              f"{len(source['outcomes'])} outcomes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
