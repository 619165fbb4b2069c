#!/usr/bin/env python3
"""Count the real corpus by province, level, issuer kind, year, style and completeness.

    python scripts/corpus_report.py                 # tables to stdout (Markdown)
    python scripts/corpus_report.py --svg docs/img/corpus_by_province.svg

Reads ``corpus/sources.csv``. The SVG is a plain bar chart (no plotting library needed).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from html import escape
from pathlib import Path

from rectify_nlp.corpus.sources import read_sources
from rectify_nlp.io.write import atomic_write_text

ROOT = Path(__file__).resolve().parents[1]


def table(title: str, counts: Counter[str]) -> str:
    rows = [f"| {k or '(unknown)'} | {n} |" for k, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]
    return "\n".join([f"| {title} | notices |", "|---|---:|", *rows])


def bar_svg(counts: Counter[str], title: str) -> str:
    items = sorted(counts.items(), key=lambda x: (-x[1], x[0]))
    bar, gap, left, top = 18, 6, 90, 30
    width = 520
    scale = (width - left - 40) / max(n for _, n in items)
    height = top + len(items) * (bar + gap) + 10
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<text x="10" y="18" font-size="14">{escape(title)}</text>']
    for i, (name, n) in enumerate(items):
        y = top + i * (bar + gap)
        out.append(f'<text x="{left - 6}" y="{y + bar - 5}" text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{n * scale:.1f}" height="{bar}" fill="#4c78a8"/>')
        out.append(f'<text x="{left + n * scale + 4:.1f}" y="{y + bar - 5}">{n}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sources", type=Path, default=ROOT / "corpus" / "sources.csv")
    ap.add_argument("--svg", type=Path, default=None, help="write a bar chart by province here")
    args = ap.parse_args(argv)
    rows = read_sources(args.sources)
    provinces = Counter(r.province for r in rows)
    n_prov = len([p for p in provinces if p != "中央"])
    print(f"{len(rows)} notices; {n_prov} provinces (+ central units: {provinces.get('中央', 0)}); "
          f"{sum(r.truncated for r in rows)} truncated by the page store, "
          f"{sum(not r.truncated for r in rows)} full; "
          f"{sum(r.chars for r in rows):,} characters\n")
    for title, key in (("province", "province"), ("level", "level"), ("issuer kind", "issuer_kind"),
                       ("kind", "kind"), ("year", "year"), ("style", "style")):
        print(table(title, Counter(str(getattr(r, key)) for r in rows)) + "\n")
    print(table("text", Counter("truncated" if r.truncated else "full" for r in rows)))
    if args.svg:
        atomic_write_text(args.svg, bar_svg(provinces, f"Notices by province ({len(rows)})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
