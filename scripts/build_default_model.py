#!/usr/bin/env python
"""Build the shipped default pipeline ``models/rectify_zh`` — the one documented command.

    nice python scripts/build_default_model.py            # ~10-15 min on 2 CPU cores

Steps (all reproducible: fixed seed, data hashes in the model card):

1. with ``--silver`` only: silver DATE windows from the shared political corpus
   (``scripts/make_silver.py --labels DATE``; DATE is the one silver label whose precision was
   100 % when judged, docs/silver.md). Off by default: leave-one-notice-out measured that it
   *hurts* the rule-feature model (silver texts are not notices, so their rule features are
   empty and the model learns to tag from the text alone; docs/training.md);
2. ``rectify_nlp.training.train`` on ``corpus/gold.jsonl`` with ``ner_rules.cfg`` (the rule
   layer's findings as features), silver windows (if any) mixed in as rehearsal
   (``--silver-ratio`` per gold window), then the relation component (gold relations only);
3. the pipeline is written to a temporary folder next to ``--out`` and moved into place only
   when complete.
"""

from __future__ import annotations

import argparse
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "src" / "rectify_nlp" / "resources" / "configs"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=ROOT / "models" / "rectify_zh")
    ap.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "gold.jsonl")
    ap.add_argument("--config", type=Path, default=CONFIGS / "ner_rules.cfg")
    ap.add_argument("--silver", type=Path, default=ROOT / "silver" / "political_dates.jsonl")
    ap.add_argument("--political", type=Path, default=None,
                    help="the shared political corpus (default: make_silver.py's default, "
                         "../shared/data/political)")
    ap.add_argument("--silver-ratio", type=float, default=0.2)
    ap.add_argument("--with-silver", dest="use_silver", action="store_true",
                    help="mix silver DATE windows into training (measured to hurt; off)")
    ap.add_argument("--max-steps", type=int, default=1500)
    ap.add_argument("--relations-max-steps", type=int, default=300)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from rectify_nlp.training import train

    started = time.perf_counter()
    rehearse = None
    if args.use_silver:
        if not args.silver.exists():
            cmd = [sys.executable, str(ROOT / "scripts" / "make_silver.py"), "--labels", "DATE",
                   "--out", str(args.silver)]
            if args.political is not None:
                cmd += ["--data", str(args.political)]
            subprocess.run(cmd, check=True)
        rehearse = args.silver
    tmp = args.out.parent / f".{args.out.name}.building"
    if tmp.exists():
        shutil.rmtree(tmp)
    train(args.corpus, tmp, config=args.config, seed=args.seed, max_steps=args.max_steps,
          rehearse=rehearse, rehearse_ratio=None if rehearse is None else args.silver_ratio,
          relations_max_steps=args.relations_max_steps)
    if args.out.exists():
        shutil.rmtree(args.out)
    tmp.rename(args.out)
    size = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file())
    print(f"{args.out}: {size / 1e6:.1f} MB, built in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
