#!/usr/bin/env python3
"""Inter-annotator agreement between two independent annotations of the same notices.

    python scripts/agreement.py                          # corpus/annotations vs corpus/annotations_b
    python scripts/agreement.py --json agreement.json --disagreements corpus/notes/disagreements.md

Both annotations are built with ``build_gold.build_one`` and compared with the project's scorer
(:func:`rectify_nlp.evaluation.evaluate_pairs`), annotator A taken as reference: span F1 is
symmetric, so which side is "gold" does not change it. Reported: entity span F1 per label (exact
and overlapping), relation F1, problems/outcomes matched as the shared scorer matches them, and
agreement on every notice-level field. Where a field lists alternatives (``a|b``), the two
annotators agree when their alternatives share one.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_gold import AnnotationError, build_one  # noqa: E402

from rectify_nlp.evaluation import evaluate_pairs  # noqa: E402
from rectify_nlp.evaluation.matching import norm  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("kind", "inspection.inspector", "inspection.start_date", "inspection.end_date",
          "inspection.feedback_date", "inspection.round", "publisher", "published_date",
          "summary.problems_total", "summary.problems_rectified", "summary.completion_rate",
          "summary.measures_total")
LABELS = ("ORG", "DATE", "PROBLEM", "OUTCOME")


def _get(doc: dict[str, Any], dotted: str) -> Any:
    for k in dotted.split("."):
        doc = doc.get(k) if isinstance(doc, dict) else None
    return doc


def _agree(a: Any, b: Any) -> bool:
    if isinstance(a, str) and isinstance(b, str):
        return bool({norm(x) for x in a.split("|")} & {norm(x) for x in b.split("|")})
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) <= 1e-6 * max(1.0, abs(a))
    return a == b


def _targets_agree(a: list[str], b: list[str]) -> tuple[int, int, int]:
    alts_b = [{norm(x) for x in t.split("|")} for t in b]
    hit = sum(any({norm(x) for x in t.split("|")} & s for s in alts_b) for t in a)
    return hit, len(a), len(b)


def _pred_view(a: dict[str, Any], b: dict[str, Any]) -> dict[str, Any]:
    """B as a prediction: each alternative list reduced to the alternative A accepts, if any."""
    b = json.loads(json.dumps(b))
    for field in ("inspection.inspector", "inspection.round", "publisher"):
        va, vb = _get(a, field), _get(b, field)
        if isinstance(vb, str) and "|" in vb:
            alts = vb.split("|")
            ok = [x for x in alts if isinstance(va, str) and norm(x) in {norm(y) for y in va.split("|")}]
            parent, key = (b["inspection"], field.split(".")[1]) if "." in field else (b, field)
            parent[key] = (ok or alts)[0]
    for p in b.get("problems", []):
        if isinstance(p.get("status"), str):
            p["status"] = p["status"].split("|")[0]
    return b


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--a", type=Path, default=ROOT / "corpus" / "annotations")
    ap.add_argument("--b", type=Path, default=ROOT / "corpus" / "annotations_b")
    ap.add_argument("--json", type=Path, default=None, help="write the figures as JSON here")
    ap.add_argument("--disagreements", type=Path, default=None,
                    help="write every disagreement, notice by notice, as Markdown here")
    args = ap.parse_args(argv)
    notices = ROOT / "corpus" / "notices"
    pairs, fields = [], {f: [0, 0] for f in FIELDS}
    targets = [0, 0, 0]
    lines: list[str] = []
    for b_path in sorted(args.b.glob("*.json")):
        doc_id = b_path.stem
        a_path = args.a / b_path.name
        if not a_path.exists():
            print(f"{doc_id}: no annotation A, skipped")
            continue
        text = (notices / f"{doc_id}.txt").read_text(encoding="utf-8")
        try:
            ga, _ = build_one(json.loads(a_path.read_text(encoding="utf-8")), text)
            gb, _ = build_one(json.loads(b_path.read_text(encoding="utf-8")), text)
        except AnnotationError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        pairs.append((doc_id, ga, _pred_view(ga, gb)))
        diff = []
        for f in FIELDS:
            va, vb = _get(ga, f), _get(gb, f)
            fields[f][1] += 1
            if _agree(va, vb):
                fields[f][0] += 1
            else:
                diff.append(f"- `{f}`: A {va!r} / B {vb!r}")
        hit, na, nb = _targets_agree(ga["inspection"]["targets"], gb["inspection"]["targets"])
        targets = [targets[0] + hit, targets[1] + na, targets[2] + nb]
        if hit != na or na != nb:
            diff.append(f"- targets: A {ga['inspection']['targets']} / B {gb['inspection']['targets']}")
        spans_a = {(e["label"], e["start"], e["end"]) for e in ga["entities"]}
        spans_b = {(e["label"], e["start"], e["end"]) for e in gb["entities"]}
        for lab, s, e in sorted(spans_a - spans_b, key=lambda x: x[1]):
            diff.append(f"- {lab} only A: [{text[s:e]}] @{s}")
        for lab, s, e in sorted(spans_b - spans_a, key=lambda x: x[1]):
            diff.append(f"- {lab} only B: [{text[s:e]}] @{s}")
        if diff:
            lines += [f"## {doc_id}", *diff, ""]

    if not pairs:
        print("no notice annotated twice")
        return 1
    report = evaluate_pairs(pairs)
    s = report.scores
    out: dict[str, Any] = {"notices": len(pairs), "entities": {}, "fields": {}}
    print(f"{len(pairs)} notices annotated twice\n")
    print(f"{'label':10s} {'exact F1':>9s} {'overlap F1':>11s}   A     B")
    for lab in LABELS:
        ex, lo = s.get(f"entity:{lab}"), s.get(f"entity~:{lab}")
        if ex is None:
            continue
        out["entities"][lab] = {"f1": round(ex.f, 4), "f1_overlap": round(lo.f, 4),
                                "a": ex.gold, "b": ex.pred}
        print(f"{lab:10s} {ex.f:9.3f} {lo.f:11.3f}  {ex.gold:4d}  {ex.pred:4d}")
    for key in ("entities", "relations", "problems", "outcomes", "problem.parent",
                "problem.status", "outcome.problem"):
        if key in s:
            name = "entities (all labels)" if key == "entities" else key
            out[name] = {"f1": round(s[key].f, 4), "a": s[key].gold, "b": s[key].pred}
            print(f"{key:16s} F1 {s[key].f:.3f}  (A {s[key].gold}, B {s[key].pred})")
    print("\nfield agreement")
    for f, (ok, n) in fields.items():
        out["fields"][f] = round(ok / n, 4)
        print(f"  {f:28s} {ok}/{n} = {ok / n:.3f}")
    tp, na, nb = targets
    f1 = 2 * tp / (na + nb) if na + nb else 1.0
    out["fields"]["inspection.targets (F1)"] = round(f1, 4)
    print(f"  {'inspection.targets (F1)':28s} {f1:.3f}  (A {na}, B {nb}, agreed {tp})")
    if args.json:
        args.json.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if args.disagreements:
        args.disagreements.write_text("# Disagreements between annotators A and B\n\n"
                                      + "\n".join(lines), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
