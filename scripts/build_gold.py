#!/usr/bin/env python3
"""Build the gold corpus from the hand-written annotation sources.

    python scripts/build_gold.py            # all notices in corpus/annotations/
    python scripts/build_gold.py --check    # validate only, write nothing

Reads ``corpus/annotations/<id>.json`` (the human-editable source, see docs/annotation.md) and
``corpus/notices/<id>.txt``, resolves every annotated string to character offsets, and writes

* ``corpus/gold/<id>.json`` — the gold rectification object (schema + entities + relations),
  the file ``../shared/eval/score.py`` and ``rectify evaluate`` compare predictions with;
* ``corpus/gold.jsonl`` — the corpus format (one notice a line: id, text, entities, relations,
  meta), the input of training and of the converters.

Locating strings: each list (``entities``, ``problems``, ``outcomes``) is written in document
order; an item is found at its first occurrence at or after the end of the previous item of
the same list. ``"after": "…"`` moves the cursor past a context string first; ``"at": N``
pins the start offset. Any string that cannot be found stops the build with a message.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rectify_nlp.io.write import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]
SCHEMA_VERSION = "1.0"


class AnnotationError(ValueError):
    pass


def _locate(text: str, needle: str, cursor: int, item: dict, where: str) -> int:
    if not needle:
        raise AnnotationError(f"{where}: empty string")
    if "at" in item:
        start = int(item["at"])
        if text[start:start + len(needle)] != needle:
            raise AnnotationError(f"{where}: text at {start} is {text[start:start+len(needle)]!r}, "
                                  f"not {needle!r}")
        return start
    if "after" in item:
        pos = text.find(item["after"], cursor)
        if pos < 0:
            raise AnnotationError(f"{where}: context {item['after']!r} not found after {cursor}")
        cursor = pos + len(item["after"])
    start = text.find(needle, cursor)
    if start < 0:
        raise AnnotationError(f"{where}: {needle!r} not found after offset {cursor} "
                              f"(first occurrence: {text.find(needle)})")
    return start


def build_one(source: dict, text: str) -> tuple[dict, dict]:
    """Return (gold rectification dict, corpus record dict) for one annotation source."""
    doc_id = source["id"]
    entities: list[dict] = []          # {label,start,end,text,key}
    keys: dict[str, int] = {}

    def add_entity(label: str, start: int, end: int, key: str | None) -> int:
        entities.append({"label": label, "start": start, "end": end, "text": text[start:end],
                         "_key": key})
        if key:
            if key in keys:
                raise AnnotationError(f"{doc_id}: duplicate key {key!r}")
            keys[key] = len(entities) - 1
        return len(entities) - 1

    cursor = 0
    for n, item in enumerate(source.get("entities", [])):
        if item["label"] not in {"ORG", "DATE"}:
            raise AnnotationError(f"{doc_id} entities[{n}]: only ORG/DATE here, got {item['label']}")
        start = _locate(text, item["text"], cursor, item, f"{doc_id} entities[{n}]")
        add_entity(item["label"], start, start + len(item["text"]), item.get("key"))
        cursor = start + len(item["text"])

    problems: list[dict] = []
    problem_keys: dict[str, int] = {}
    cursor = 0
    for n, item in enumerate(source.get("problems", [])):
        where = f"{doc_id} problems[{n}]"
        start = _locate(text, item["statement"], cursor, item, where)
        end = start + len(item["statement"])
        cursor = end
        measures, mcur = [], end
        for m in item.get("measures", []):
            ms = _locate(text, m if isinstance(m, str) else m["text"], mcur,
                         m if isinstance(m, dict) else {}, where + " measure")
            mtext = m if isinstance(m, str) else m["text"]
            measures.append({"text": mtext, "start": ms, "end": ms + len(mtext)})
            mcur = ms + len(mtext)
        parent = item.get("parent")
        if parent is not None and parent not in problem_keys:
            raise AnnotationError(f"{where}: parent {parent!r} unknown (parents come first)")
        ent = add_entity("PROBLEM", start, end, item.get("key"))
        problems.append({
            "statement": text[start:end], "number": item.get("number"),
            "level": item.get("level", 1),
            "parent": problem_keys[parent] if parent is not None else None,
            "category": item.get("category"), "status": item.get("status"),
            "start": start, "end": end, "measures": measures, "outcomes": [], "_entity": ent,
        })
        if item.get("key"):
            problem_keys[item["key"]] = len(problems) - 1

    relations: list[dict] = []
    outcomes: list[dict] = []
    cursor = 0
    for n, item in enumerate(source.get("outcomes", [])):
        where = f"{doc_id} outcomes[{n}]"
        start = _locate(text, item["raw"], cursor, item, where)
        end = start + len(item["raw"])
        cursor = end
        ent = add_entity("OUTCOME", start, end, item.get("key"))
        prob = item.get("problem")
        if prob is not None and prob not in problem_keys:
            raise AnnotationError(f"{where}: problem {prob!r} unknown")
        pidx = problem_keys[prob] if prob is not None else None
        outcomes.append({
            "metric": item["metric"], "value": item["value"], "unit": item.get("unit"),
            "qualifier": item.get("qualifier"), "raw": text[start:end], "start": start, "end": end,
            "period": item.get("period"), "problem": pidx,
        })
        if pidx is not None:
            problems[pidx]["outcomes"].append(len(outcomes) - 1)
            relations.append({"label": "ADDRESSES", "head": ent, "tail": problems[pidx]["_entity"]})
        if item.get("during"):
            if item["during"] not in keys:
                raise AnnotationError(f"{where}: DATE key {item['during']!r} unknown")
            tail = keys[item["during"]]
            if entities[tail]["label"] != "DATE":
                raise AnnotationError(f"{where}: during must name a DATE")
            relations.append({"label": "DURING", "head": ent, "tail": tail})
    for n, rel in enumerate(source.get("relations", [])):
        if rel["label"] != "INSPECTS":
            raise AnnotationError(f"{doc_id} relations[{n}]: only INSPECTS is written by hand")
        for k in (rel["head"], rel["tail"]):
            if k not in keys or entities[keys[k]]["label"] != "ORG":
                raise AnnotationError(f"{doc_id} relations[{n}]: {k!r} is not an ORG key")
        relations.append({"label": "INSPECTS", "head": keys[rel["head"]], "tail": keys[rel["tail"]]})

    # sort entities by offset, remap relation indices
    order = sorted(range(len(entities)), key=lambda i: (entities[i]["start"], -entities[i]["end"],
                                                        entities[i]["label"]))
    new_index = {old: new for new, old in enumerate(order)}
    ents_sorted = [{k: v for k, v in entities[i].items() if not k.startswith("_")} for i in order]
    rels = sorted({(r["label"], new_index[r["head"]], new_index[r["tail"]]) for r in relations},
                  key=lambda r: (r[1], r[2], r[0]))
    rels_out = [{"label": lab, "head": h, "tail": t} for lab, h, t in rels]
    for p in problems:
        p.pop("_entity")

    gold = {
        "schema_version": SCHEMA_VERSION,
        "id": doc_id,
        "kind": source.get("kind"),
        "inspection": {
            "inspector": None, "targets": [], "start_date": None, "end_date": None,
            "feedback_date": None, "round": None, **source.get("inspection", {}),
        },
        "publisher": source.get("publisher"),
        "published_date": source.get("published_date"),
        "summary": {"problems_total": None, "problems_rectified": None, "completion_rate": None,
                    "measures_total": None, **source.get("summary", {})},
        "problems": problems,
        "outcomes": outcomes,
        "entities": ents_sorted,
        "relations": rels_out,
        "contacts": source.get("contacts", {}),
    }
    record = {
        "id": doc_id, "text": text,
        "entities": [{"id": i, **e} for i, e in enumerate(ents_sorted)],
        "relations": rels_out,
        "meta": {"source": f"corpus/notices/{doc_id}.txt", **source.get("meta", {})},
    }
    return gold, record


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="validate only")
    ap.add_argument("--root", type=Path, default=ROOT)
    args = ap.parse_args(argv)
    sources = sorted((args.root / "corpus" / "annotations").glob("*.json"))
    records, failed = [], False
    for src in sources:
        source = json.loads(src.read_text(encoding="utf-8"))
        text = (args.root / "corpus" / "notices" / f"{source['id']}.txt").read_text(encoding="utf-8")
        try:
            gold, record = build_one(source, text)
        except AnnotationError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = True
            continue
        records.append(record)
        counts = {lab: sum(e["label"] == lab for e in gold["entities"])
                  for lab in ("ORG", "DATE", "PROBLEM", "OUTCOME")}
        print(f"{source['id']}: {counts} relations={len(gold['relations'])} "
              f"problems={len(gold['problems'])} outcomes={len(gold['outcomes'])}")
        if not args.check:
            atomic_write_text(args.root / "corpus" / "gold" / f"{source['id']}.json",
                          json.dumps(gold, ensure_ascii=False, indent=1) + "\n")
    if not args.check and records and not failed:
        atomic_write_text(args.root / "corpus" / "gold.jsonl",
                      "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
