#!/usr/bin/env python3
"""Extraction speed and memory against input size (the rule layer, or a pipeline).

    python benchmarks/bench_extract.py                    # rules; 0.1, 1, 5, 20 MB
    python benchmarks/bench_extract.py --model models/rectify_zh --sizes 0.1 1

Inputs are the corpus notices repeated to each size. Each size runs in a fresh process so the
peak memory (ru_maxrss) belongs to that size alone. Prints characters per second and peak RSS;
linear time means chars/s stays flat as the size grows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, resource, sys, time
from pathlib import Path
import rectify_nlp
model, size_mb = sys.argv[1], float(sys.argv[2])
seed = "\n".join(p.read_text(encoding="utf-8") for p in sorted(Path(sys.argv[3]).glob("*.txt")))
target = int(size_mb * 1024 * 1024)
text = (seed + "\n") * max(1, target // len(seed.encode("utf-8")))
nlp = rectify_nlp.load(model)
nlp("热身:区委巡察组对某单位开展了巡察整改。")
t0 = time.perf_counter()
r = nlp(text)
dt = time.perf_counter() - t0
print(json.dumps({"chars": len(text), "seconds": dt, "peak_mb":
      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
      "problems": len(r.problems), "outcomes": len(r.outcomes)}))
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="rules")
    ap.add_argument("--sizes", type=float, nargs="+", default=[0.1, 1, 5, 20])
    ap.add_argument("--notices", type=Path, default=ROOT / "corpus" / "notices")
    args = ap.parse_args()
    print(f"pipeline: {args.model}")
    print(f"{'size MB':>8} {'chars':>11} {'seconds':>8} {'chars/s':>10} {'peak MB':>8} "
          f"{'problems':>8} {'outcomes':>8}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, "-c", CHILD, args.model, str(size),
                              str(args.notices)], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"{size:8.1f} {r['chars']:11,d} {r['seconds']:8.2f} "
              f"{r['chars'] / r['seconds']:10,.0f} {r['peak_mb']:8.0f} "
              f"{r['problems']:8d} {r['outcomes']:8d}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
