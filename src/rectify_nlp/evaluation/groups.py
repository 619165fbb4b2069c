"""Scores by group of notices: province, level, issuer kind, style (``corpus/sources.csv``).

The library is judged on notices of house styles it has not seen, so one pooled figure hides
what matters: :func:`evaluate_by_group` scores each group separately, and
:func:`format_group_table` puts the headline F1 of every group side by side.

>>> pairs = [("a", {"kind": "巡察"}, {"kind": "巡察"}), ("b", {"kind": "巡视"}, {"kind": "巡察"})]
>>> reports = evaluate_by_group(pairs, {"a": "north", "b": "south"})
>>> print(format_group_table(reports, keys=("field:kind",)))
group  notices  field:kind
all          2       0.500
north        1       1.000
south        1       0.000
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rectify_nlp.evaluation.notice import evaluate_pairs
from rectify_nlp.evaluation.report import EvaluationReport

#: the headline keys of a group table: notice fields, then entities (exact), then relations
HEADLINE_KEYS: tuple[str, ...] = (
    "header", "targets", "summary", "problems", "outcomes",
    "entity:ORG", "entity:DATE", "entity:PROBLEM", "entity:OUTCOME", "relations",
)
ALL = "all"


@dataclass(frozen=True)
class GroupReport:
    """The scores of one group of notices."""

    name: str
    notices: int
    report: EvaluationReport


def headline_f1(pairs: Iterable[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]],
                keys: Sequence[str] = HEADLINE_KEYS) -> dict[str, float]:
    """F1 of each of ``keys`` over ``(doc_id, gold, pred)`` triples (those the pairs score).

    >>> same = {"inspection": {"targets": ["某镇党委"]}}
    >>> headline_f1([("a", same, same)], ["targets"])
    {'targets': 1.0}
    """
    report = evaluate_pairs(pairs)
    return {k: report.scores[k].f for k in keys if k in report.scores}


def evaluate_by_group(
    pairs: Iterable[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]],
    groups: Mapping[str, str],
) -> list[GroupReport]:
    """One report for all notices, then one per group in sorted order; a notice that is not in
    ``groups`` falls in ``"(unknown)"``."""
    pairs = list(pairs)
    by_group: dict[str, list[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]]] = {}
    for pair in pairs:
        by_group.setdefault(groups.get(pair[0], "(unknown)"), []).append(pair)
    out = [GroupReport(ALL, len(pairs), evaluate_pairs(pairs))]
    out += [GroupReport(name, len(by_group[name]), evaluate_pairs(by_group[name]))
            for name in sorted(by_group)]
    return out


def format_group_table(
    reports: Sequence[GroupReport],
    *,
    keys: Sequence[str] = HEADLINE_KEYS,
    markdown: bool = False,
) -> str:
    """F1 per group (rows) and key (columns); ``-`` where a group has nothing of that key."""
    def cell(report: EvaluationReport, key: str) -> str:
        prf = report.scores.get(key)
        return "-" if prf is None or (prf.gold == 0 and prf.pred == 0) else f"{prf.f:.3f}"

    rows = [(g.name, g.notices, [cell(g.report, k) for k in keys]) for g in reports]
    if markdown:
        out = ["| group | notices | " + " | ".join(keys) + " |",
               "|---|---:|" + "---:|" * len(keys)]
        out += [f"| {n} | {c} | " + " | ".join(cells) + " |" for n, c, cells in rows]
        return "\n".join(out)
    width = max(len("group"), *(len(n) for n, _, _ in rows))
    out = [f"{'group':<{width}}  notices  " + "  ".join(f"{k:>{max(5, len(k))}}" for k in keys)]
    for n, c, cells in rows:
        out.append(f"{n:<{width}}  {c:7d}  "
                   + "  ".join(f"{v:>{max(5, len(k))}}" for v, k in zip(cells, keys)))
    return "\n".join(out)
