#!/usr/bin/env python3
"""How much the annotators changed the rule layer's pre-annotation.

    python scripts/annotation_changes.py            # per label and field, over all pre-annotated notices

Compares ``corpus/notes/preannotation/<id>.json`` (what ``preannotate.py`` wrote) with
``corpus/annotations/<id>.json`` (what the annotator left): spans are kept when label, start and
text are unchanged; everything else is a deletion and/or an addition. Fields are changed when their
value differs.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("kind", "inspection.inspector", "inspection.targets", "inspection.start_date",
          "inspection.end_date", "inspection.feedback_date", "inspection.round", "publisher",
          "published_date", "summary.problems_total", "summary.problems_rectified",
          "summary.completion_rate", "summary.measures_total")


def spans(source: dict[str, Any]) -> set[tuple[str, int, str]]:
    out = {(e["label"], e["at"], e["text"]) for e in source.get("entities", [])}
    out |= {("PROBLEM", p["at"], p["statement"]) for p in source.get("problems", []) if "at" in p}
    out |= {("OUTCOME", o["at"], o["raw"]) for o in source.get("outcomes", []) if "at" in o}
    return out


def _get(doc: dict[str, Any], dotted: str) -> Any:
    for k in dotted.split("."):
        doc = doc.get(k) if isinstance(doc, dict) else None
    return doc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--root", type=Path, default=ROOT)
    args = ap.parse_args(argv)
    pre_dir = args.root / "corpus" / "notes" / "preannotation"
    ann_dir = args.root / "corpus" / "annotations"
    kept, added, deleted, fields_changed = Counter(), Counter(), Counter(), Counter()
    notices = untouched = 0
    for pre_path in sorted(pre_dir.glob("*.json")):
        ann_path = ann_dir / pre_path.name
        if not ann_path.exists():
            continue
        pre = json.loads(pre_path.read_text(encoding="utf-8"))
        ann = json.loads(ann_path.read_text(encoding="utf-8"))
        if not (ann.get("meta") or {}).get("annotator"):
            untouched += 1
            continue
        notices += 1
        a, b = spans(pre), spans(ann)
        for lab, _, _ in a & b:
            kept[lab] += 1
        for lab, _, _ in a - b:
            deleted[lab] += 1
        for lab, _, _ in b - a:
            added[lab] += 1
        for f in FIELDS:
            if _get(pre, f) != _get(ann, f):
                fields_changed[f] += 1
    print(f"{notices} checked notices ({untouched} pre-annotations not yet checked)\n")
    print("| label | pre-annotated | kept | deleted or moved | added or moved | final |")
    print("|---|---:|---:|---:|---:|---:|")
    for lab in ("ORG", "DATE", "PROBLEM", "OUTCOME"):
        pre_n = kept[lab] + deleted[lab]
        print(f"| {lab} | {pre_n} | {kept[lab]} | {deleted[lab]} | {added[lab]} | {kept[lab] + added[lab]} |")
    tot_pre = sum(kept.values()) + sum(deleted.values())
    print(f"| all | {tot_pre} | {sum(kept.values())} | {sum(deleted.values())} | "
          f"{sum(added.values())} | {sum(kept.values()) + sum(added.values())} |")
    print("\n| field | notices where the annotator changed it |\n|---|---:|")
    for f in FIELDS:
        print(f"| {f} | {fields_changed[f]} of {notices} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
