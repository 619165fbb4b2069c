"""Notice-level scoring of rectification objects, in agreement with ``shared/eval/score.py``.

:func:`score_notice` turns one (gold, pred) pair into a table of counts; the tables of a
corpus add up (micro averages). :func:`evaluate_pairs` and :func:`evaluate_folders` build
an :class:`~rectify_nlp.evaluation.report.EvaluationReport` from them.

A key appears in a table only when the scorer has something to count for it, exactly as
in score.py: ``summary`` only when some summary field is set on either side,
``problem.status``/``problem.parent`` only for matched problems, ``outcome.problem`` only
for matched outcomes whose gold names a problem, the entity keys only when gold has an
``entities`` list and ``relations`` only when gold has both ``entities`` and ``relations``.

>>> gold = {"kind": "巡察|巡视", "problems": [{"statement": "营商环境优化力度有待加强"}]}
>>> pred = {"kind": "巡视", "problems": [{"statement": "营商环境优化力度有待加强。"}]}
>>> t = score_notice(gold, pred)
>>> t["field:kind"].tp, t["problems"].tp
(1, 1)
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import RectifyInputError
from .matching import alternatives, char_f1, get_path, greedy_match, norm, offsets_overlap, same
from .report import PRF, EvaluationReport, merge_scores
from .spans import add_macro_averages, entity_scores, relation_scores

__all__ = [
    "HEADER_FIELDS",
    "OUTCOME_THRESHOLD",
    "PROBLEM_THRESHOLD",
    "SUMMARY_FIELDS",
    "evaluate_folders",
    "evaluate_pairs",
    "outcome_score",
    "score_notice",
]

logger = logging.getLogger(__name__)

HEADER_FIELDS: tuple[str, ...] = (
    "kind",
    "inspection.inspector",
    "inspection.start_date",
    "inspection.end_date",
    "inspection.feedback_date",
    "publisher",
    "published_date",
)
SUMMARY_FIELDS: tuple[str, ...] = (
    "problems_total",
    "problems_rectified",
    "completion_rate",
    "measures_total",
)
PROBLEM_THRESHOLD = 0.7
"""Minimum statement char-F1 for a predicted problem to match a gold one."""
OUTCOME_THRESHOLD = 0.5
"""Minimum :func:`outcome_score` for a predicted outcome to match a gold one."""

Table = dict[str, PRF]


def _one(hit: bool) -> PRF:
    """A single yes/no judgement: one gold item, one prediction."""
    return PRF(int(hit), 1, 1)


def _items(doc: Mapping[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    return list(value) if isinstance(value, Sequence) and not isinstance(value, str) else []


# --------------------------------------------------------------------------- layers


def score_header(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> Table:
    """``field:<name>`` per header field and their sum ``header`` (exact after norm)."""
    out: Table = {}
    total = PRF()
    for name in HEADER_FIELDS:
        judged = _one(same(get_path(gold, name), get_path(pred, name)))
        out["field:" + name] = judged
        total += judged
    out["header"] = total
    return out


def score_targets(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> Table:
    """``targets``: a gold target is found when any of its alternatives was predicted.

    Not one to one (two gold targets may be found by the same prediction); every predicted
    target, duplicates included, counts as a prediction.
    """
    gold_targets = get_path(gold, "inspection.targets") or []
    predicted = [norm(p) for p in (get_path(pred, "inspection.targets") or [])]
    found = sum(
        any(norm(option) in predicted for option in alternatives(target)) for target in gold_targets
    )
    return {"targets": PRF(found, len(gold_targets), len(predicted))}


def score_summary(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> Table:
    """``summary``: each field set on either side counts; a None gold is never a hit."""
    total: PRF | None = None
    for name in SUMMARY_FIELDS:
        g, p = get_path(gold, "summary." + name), get_path(pred, "summary." + name)
        if g is None and p is None:
            continue
        judged = PRF(int(g is not None and same(g, p)), int(g is not None), int(p is not None))
        total = judged if total is None else total + judged
    return {} if total is None else {"summary": total}


def match_problems(
    gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]]
) -> dict[int, int]:
    """Greedy one-to-one problem matching on statement char-F1 >= :data:`PROBLEM_THRESHOLD`."""

    def score(g: Mapping[str, Any], p: Mapping[str, Any]) -> float:
        return char_f1(g["statement"], p.get("statement", ""))

    return greedy_match(gold, pred, score, PROBLEM_THRESHOLD)


def _same_parent(gold_parent: Any, pred_parent: Any, matched: Mapping[int, int]) -> bool:
    if gold_parent is None:
        return pred_parent is None
    # An unmatched gold parent maps to None, which a None predicted parent equals (score.py).
    return matched.get(gold_parent) == pred_parent


def score_problems(
    gold: Sequence[Mapping[str, Any]], pred: Sequence[Mapping[str, Any]], matched: Mapping[int, int]
) -> Table:
    """``problems`` (matching), and ``problem.status`` / ``problem.parent`` of matched pairs."""
    out: Table = {"problems": PRF(len(matched), len(gold), len(pred))}
    for i, j in matched.items():
        status = _one(same(gold[i].get("status"), pred[j].get("status")))
        parent = _one(_same_parent(gold[i].get("parent"), pred[j].get("parent"), matched))
        out["problem.status"] = out.get("problem.status", PRF()) + status
        out["problem.parent"] = out.get("problem.parent", PRF()) + parent
    return out


def _has_offsets(item: Mapping[str, Any]) -> bool:
    # score.py tests for the "start" key; offsets that are not ints would crash it.
    return all(
        isinstance(item.get(k), int) and not isinstance(item.get(k), bool) for k in ("start", "end")
    )


def outcome_score(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> float:
    """How well a predicted outcome fits a gold one, 0.0 .. 2.0.

    0 unless value and unit are the :func:`~.matching.same`; otherwise the metric char-F1,
    plus 1.0 when both carry offsets and the spans overlap.

    >>> g = {"metric": "出动执法车辆", "value": 102, "unit": "车次", "start": 10, "end": 20}
    >>> outcome_score(g, dict(g, metric="出动车辆"))
    1.8
    """
    if not (
        same(gold.get("value"), pred.get("value")) and same(gold.get("unit"), pred.get("unit"))
    ):
        return 0.0
    metric = char_f1(gold.get("metric"), pred.get("metric"))
    if _has_offsets(gold) and _has_offsets(pred) and offsets_overlap(gold, pred):
        return 1.0 + metric
    return metric


def score_outcomes(
    gold: Sequence[Mapping[str, Any]],
    pred: Sequence[Mapping[str, Any]],
    problem_match: Mapping[int, int],
) -> Table:
    """``outcomes`` (matching) and ``outcome.problem`` for matched outcomes with a gold problem."""
    matched = greedy_match(gold, pred, outcome_score, OUTCOME_THRESHOLD)
    out: Table = {"outcomes": PRF(len(matched), len(gold), len(pred))}
    for i, j in matched.items():
        gold_problem = gold[i].get("problem")
        if gold_problem is None:
            continue
        judged = _one(problem_match.get(gold_problem) == pred[j].get("problem"))
        out["outcome.problem"] = out.get("outcome.problem", PRF()) + judged
    return out


def score_notice(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> Table:
    """All counts for one document (no macro averages; those come after summing).

    ``pred`` may be ``{}`` for a missing prediction.
    """
    if not isinstance(gold, Mapping) or not isinstance(pred, Mapping):
        raise TypeError("gold and pred must be mappings (rectification dicts)")
    gold_problems, pred_problems = _items(gold, "problems"), _items(pred, "problems")
    problem_match = match_problems(gold_problems, pred_problems)
    table: Table = {}
    table.update(score_header(gold, pred))
    table.update(score_targets(gold, pred))
    table.update(score_summary(gold, pred))
    table.update(score_problems(gold_problems, pred_problems, problem_match))
    table.update(score_outcomes(_items(gold, "outcomes"), _items(pred, "outcomes"), problem_match))
    if "entities" in gold:
        table.update(entity_scores(_items(gold, "entities"), _items(pred, "entities")))
        if "relations" in gold:
            table.update(relation_scores(gold, pred))
    return table


# --------------------------------------------------------------------------- corpus


def evaluate_pairs(
    pairs: Iterable[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]],
    *,
    by_doc: bool = False,
) -> EvaluationReport:
    """Score ``(doc_id, gold, pred)`` triples; a ``None`` pred counts as missing (``{}``).

    >>> r = evaluate_pairs([("a", {"kind": "巡察"}, {"kind": "巡察"}), ("b", {"kind": "巡视"}, None)])
    >>> r.scores["field:kind"].tp, r.missing
    (1, ['b'])
    """
    tables: list[Table] = []
    per_doc: dict[str, Table] = {}
    missing: list[str] = []
    for doc_id, gold, pred in pairs:
        if pred is None:
            missing.append(doc_id)
            pred = {}
        table = score_notice(gold, pred)
        tables.append(table)
        if by_doc:
            if doc_id in per_doc:
                raise ValueError(f"duplicate document id {doc_id!r} with by_doc=True")
            per_doc[doc_id] = add_macro_averages(table)
    return EvaluationReport(
        scores=add_macro_averages(merge_scores(*tables)),
        by_doc=per_doc if by_doc else None,
        missing=missing,
    )


def _load_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise RectifyInputError(f"cannot read JSON: {exc}", source=str(path)) from exc
    if not isinstance(data, dict):
        raise RectifyInputError("expected one JSON object", source=str(path))
    return data


def iter_folder_pairs(
    gold: str | os.PathLike[str], pred: str | os.PathLike[str]
) -> Iterator[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """``(name, gold, pred or None)`` for two files, or two folders matched by file name.

    With folders, every ``*.json`` in ``gold`` (sorted) is paired with the same name in
    ``pred``; predictions without a gold file are ignored.
    """
    gold_path, pred_path = Path(gold), Path(pred)
    if gold_path.is_file():
        candidates = [(gold_path.stem, gold_path, pred_path)]
    elif gold_path.is_dir():
        candidates = [(g.stem, g, pred_path / g.name) for g in sorted(gold_path.glob("*.json"))]
    else:
        raise RectifyInputError("no such gold file or folder", source=str(gold_path))
    for name, g, p in candidates:
        yield name, _load_json(g), (_load_json(p) if p.exists() else None)


def evaluate_folders(
    gold_dir: str | os.PathLike[str],
    pred_dir: str | os.PathLike[str],
    *,
    by_doc: bool = False,
) -> EvaluationReport:
    """Score a folder of predicted JSON files against a folder of gold ones (or file vs file).

    Same pairing as ``score.py GOLD PRED``: gold ``x.json`` is compared with pred ``x.json``;
    a missing prediction is scored as ``{}`` and listed in ``missing``.
    """
    return evaluate_pairs(iter_folder_pairs(gold_dir, pred_dir), by_doc=by_doc)
