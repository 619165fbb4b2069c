"""Comparison primitives of the evaluation: normalisation, equality, char-F1, greedy matching.

These reproduce the conventions of the official scorer (``shared/eval/score.py``) so that
the project's own numbers agree with it exactly:

* strings are compared after :func:`norm` (whitespace and quote characters removed, ASCII
  parentheses turned full-width);
* a *gold* string may list accepted alternatives separated by ``"|"`` (see :func:`same`);
* numbers are equal within a relative tolerance of 1e-6 (absolute below 1);
* items are paired one to one by :func:`greedy_match`, best score first.

>>> same("区委第三巡察组|区委巡察组", " 区委巡察组 ")
True
>>> round(char_f1("营商环境优化", "营商环境"), 4)
0.8
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

__all__ = [
    "ALTERNATIVE_SEPARATOR",
    "Candidate",
    "alternatives",
    "char_f1",
    "get_path",
    "greedy_match",
    "norm",
    "offsets_overlap",
    "same",
]

ALTERNATIVE_SEPARATOR = "|"
"""Separates accepted alternatives inside a gold string field."""

# Whitespace (incl. U+3000) and the quotation marks a notice may or may not carry.
_IGNORED = re.compile(r"[\s\u3000“”\"'‘’「」]+")
_NUMBER_TOLERANCE = 1e-6

G = TypeVar("G")
P = TypeVar("P")


def norm(text: str | None) -> str:
    """Canonical form used for every string comparison.

    Removes whitespace and quotation marks and makes ASCII parentheses full-width.
    ``None`` and ``""`` both give ``""``.

    >>> norm(" (一) “区委” ")
    '（一）区委'
    """
    cleaned = _IGNORED.sub("", text or "")
    return cleaned.replace("(", "（").replace(")", "）")


def alternatives(gold: str) -> list[str]:
    """The accepted alternatives of a gold string, as written (not normalised).

    >>> alternatives("A|B")
    ['A', 'B']
    """
    return gold.split(ALTERNATIVE_SEPARATOR)


def _is_number(value: object) -> bool:
    # bool is an int subclass; score.py does not exclude it, so neither do we.
    return isinstance(value, (int, float))


def same(gold: Any, pred: Any) -> bool:
    """Whether ``pred`` counts as equal to ``gold`` under the scorer's rules.

    * ``gold`` None: only a None prediction is right;
    * ``gold`` a string: ``pred`` must be a string equal, after :func:`norm`, to one of
      the ``"|"``-separated alternatives;
    * both numbers: equal within 1e-6 relative (absolute below magnitude 1);
    * anything else: plain ``==``.

    >>> same(None, None), same(None, ""), same(1.0, 1), same("巡察", "巡视")
    (True, False, True, False)
    """
    if gold is None:
        return pred is None
    if isinstance(gold, str):
        if not isinstance(pred, str):
            return False
        wanted = {norm(option) for option in alternatives(gold)}
        return norm(pred) in wanted
    if _is_number(gold) and _is_number(pred):
        return abs(gold - pred) <= _NUMBER_TOLERANCE * max(1.0, abs(gold))
    return bool(gold == pred)


def char_f1(gold: str | None, pred: str | None) -> float:
    """Bag-of-characters F1 between two strings after :func:`norm` (0.0 if either is empty).

    Precision is measured against ``pred``, recall against ``gold``. ``"|"`` has no special
    meaning here: alternatives apply to exactly compared fields only.

    >>> char_f1("出动执法车辆", "出动车辆")
    0.8
    """
    gold_chars, pred_chars = norm(gold), norm(pred)
    if not gold_chars or not pred_chars:
        return 0.0
    common = sum((Counter(gold_chars) & Counter(pred_chars)).values())
    if common == 0:
        return 0.0
    precision = common / len(pred_chars)
    recall = common / len(gold_chars)
    return 2 * precision * recall / (precision + recall)


def get_path(obj: Any, dotted: str) -> Any:
    """Look up ``"a.b.c"`` in nested mappings; None as soon as a level is missing.

    >>> get_path({"inspection": {"inspector": "省委第十巡视组"}}, "inspection.inspector")
    '省委第十巡视组'
    >>> get_path({"inspection": None}, "inspection.inspector") is None
    True
    """
    current = obj
    for key in dotted.split("."):
        current = current.get(key) if isinstance(current, Mapping) else None
    return current


def offsets_overlap(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Whether two items with ``start``/``end`` offsets share at least one character.

    >>> offsets_overlap({"start": 0, "end": 3}, {"start": 2, "end": 5})
    True
    >>> offsets_overlap({"start": 0, "end": 3}, {"start": 3, "end": 5})
    False
    """
    return min(a["end"], b["end"]) - max(a["start"], b["start"]) > 0


@dataclass(frozen=True, slots=True, order=True)
class Candidate:
    """A possible gold/pred pairing; ordering is by score, then gold index, then pred index."""

    score: float
    gold: int
    pred: int


def greedy_match(
    gold: Sequence[G],
    pred: Sequence[P],
    score: Callable[[G, P], float],
    threshold: float,
) -> dict[int, int]:
    """Pair gold and predicted items one to one, best-scoring pairs first.

    Every pair scoring at least ``threshold`` is a candidate. Candidates are taken in
    descending order of ``(score, gold index, pred index)`` — so ties go to the *later*
    items, as in score.py — and kept when neither side is already paired.

    Returns ``{gold_index: pred_index}``.

    >>> greedy_match(["ab", "cd"], ["cd", "ab"], lambda g, p: float(g == p), 1.0)
    {1: 0, 0: 1}
    """
    candidates = [
        Candidate(score(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)
    ]
    candidates = sorted((c for c in candidates if c.score >= threshold), reverse=True)
    used_pred: set[int] = set()
    matched: dict[int, int] = {}
    for cand in candidates:
        if cand.gold in matched or cand.pred in used_pred:
            continue
        matched[cand.gold] = cand.pred
        used_pred.add(cand.pred)
    return matched
