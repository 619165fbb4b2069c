#!/usr/bin/env python3
"""Small helpers for annotating a notice by hand in the source format of ``build_gold.py``.

    python scripts/annotate_tool.py show ID            # the text, each line with its offset
    python scripts/annotate_tool.py find ID 区委第一巡察组  # every offset of a string
    python scripts/annotate_tool.py check ID [--dir corpus/annotations_b]
                                                       # build one source, list what it resolves to
    python scripts/annotate_tool.py inventory - '整改工作领导小组' [--label ORG]
                                                       # every occurrence in the corpus: tagged or not

``check`` uses the same code as ``build_gold.py`` and prints every entity, problem and outcome
with its offsets, or the first error, so an annotator sees at once what the source means.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_gold import AnnotationError, build_one  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def _text(doc_id: str) -> str:
    return (ROOT / "corpus" / "notices" / f"{doc_id}.txt").read_text(encoding="utf-8")


def _inventory(pattern: re.Pattern[str], label: str, folder: Path) -> int:
    """Each match of ``pattern`` in every annotated notice: exactly tagged, overlapped or not."""
    counts = {"exact": 0, "overlap": 0, "untagged": 0}
    for src in sorted(folder.glob("*.json")):
        source = json.loads(src.read_text(encoding="utf-8"))
        text = _text(source["id"])
        try:
            gold, _ = build_one(source, text)
        except AnnotationError as exc:
            print(f"error: {exc}")
            continue
        spans = [(e["start"], e["end"]) for e in gold["entities"] if e["label"] == label]
        for m in pattern.finditer(text):
            s, e = m.span()
            if (s, e) in spans:
                kind = "exact"
            elif any(a < e and b > s for a, b in spans):
                kind = "overlap " + ",".join(text[a:b] for a, b in spans if a < e and b > s)
            else:
                kind = "untagged"
            counts[kind.split()[0]] += 1
            left = text[max(0, s - 10):s].replace("\n", "⏎")
            print(f"{source['id'][:3]} {s:5d} {kind:10s} …{left}[{m.group()}]")
    print(counts)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("command", choices=["show", "find", "check", "inventory"])
    ap.add_argument("id")
    ap.add_argument("string", nargs="?")
    ap.add_argument("--label", default="ORG", help="the label an inventory looks for")
    ap.add_argument("--dir", type=Path, default=ROOT / "corpus" / "annotations",
                    help="where the annotation source is (check)")
    args = ap.parse_args(argv)
    if args.command == "inventory":
        return _inventory(re.compile(args.string), args.label, args.dir)
    text = _text(args.id)
    if args.command == "show":
        pos = 0
        for line in text.splitlines(keepends=True):
            print(f"{pos:6d}  {line.rstrip()}")
            pos += len(line)
        print(f"{len(text):6d}  <end>")
    elif args.command == "find":
        if not args.string:
            ap.error("find needs a string")
        at, hits = text.find(args.string), []
        while at >= 0:
            hits.append(at)
            at = text.find(args.string, at + 1)
        print(" ".join(map(str, hits)) or "not found")
    else:
        source = json.loads((args.dir / f"{args.id}.json").read_text(encoding="utf-8"))
        try:
            gold, _ = build_one(source, text)
        except AnnotationError as exc:
            print(f"error: {exc}")
            return 1
        for e in gold["entities"]:
            print(f"{e['label']:8s} {e['start']:5d}-{e['end']:<5d} {e['text']}")
        for i, p in enumerate(gold["problems"]):
            print(f"problem {i} {p['number']} level {p['level']} parent {p['parent']} "
                  f"status {p['status']}: {p['statement']} ({len(p['measures'])} measures)")
        for o in gold["outcomes"]:
            print(f"outcome {o['raw']} -> {o['metric']} | {o['value']} {o['unit']} "
                  f"q={o['qualifier']} problem={o['problem']} period={o['period']}")
        for r in gold["relations"]:
            h, t = gold["entities"][r["head"]], gold["entities"][r["tail"]]
            print(f"{r['label']}: {h['text']} -> {t['text']}")
        print(json.dumps({k: gold[k] for k in ("kind", "inspection", "publisher",
                                               "published_date", "summary")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
