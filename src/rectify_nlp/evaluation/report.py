"""Score containers: :class:`PRF` counts, macro averages and the :class:`EvaluationReport`.

Conventions (identical to ``shared/eval/score.py``):

* ``p = tp / pred``; with nothing predicted it is 1.0 if there was nothing to find, else 0.0;
* ``r = tp / gold``; with nothing in gold it is 1.0 if nothing was predicted, else 0.0;
* ``f`` is the harmonic mean of the unrounded ``p`` and ``r`` (0.0 when both are 0);
* :meth:`PRF.to_dict` rounds ``p``, ``r`` and ``f`` to 4 decimals.

>>> PRF(tp=3, gold=4, pred=5).to_dict()
{'p': 0.6, 'r': 0.75, 'f': 0.6667, 'tp': 3, 'gold': 4, 'pred': 5}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "PRF",
    "MacroPRF",
    "EvaluationReport",
    "macro_average",
    "merge_scores",
]

MISSING_KEY = "missing_predictions"
_DIGITS = 4


@dataclass(frozen=True, slots=True)
class PRF:
    """True positives, gold items and predicted items of one kind, with P/R/F derived.

    Instances add up: ``PRF(1, 2, 2) + PRF(1, 1, 0) == PRF(2, 3, 2)``.

    >>> PRF().p, PRF().r, PRF(0, 1, 0).p
    (1.0, 1.0, 0.0)
    """

    tp: int = 0
    gold: int = 0
    pred: int = 0

    def __post_init__(self) -> None:
        # Accept bools (a single comparison) but store plain ints for JSON.
        for name in ("tp", "gold", "pred"):
            value = getattr(self, name)
            if not isinstance(value, int):
                raise TypeError(f"PRF.{name} must be an int, got {type(value).__name__}")
            if value < 0:
                raise ValueError(f"PRF.{name} must be >= 0, got {value}")
            object.__setattr__(self, name, int(value))

    def __add__(self, other: PRF) -> PRF:
        if not isinstance(other, PRF):
            return NotImplemented
        return PRF(self.tp + other.tp, self.gold + other.gold, self.pred + other.pred)

    @property
    def p(self) -> float:
        """Precision."""
        if self.pred:
            return self.tp / self.pred
        return 1.0 if not self.gold else 0.0

    @property
    def r(self) -> float:
        """Recall."""
        if self.gold:
            return self.tp / self.gold
        return 1.0 if not self.pred else 0.0

    @property
    def f(self) -> float:
        """F1 of the unrounded precision and recall."""
        p, r = self.p, self.r
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, float | int]:
        """``{"p", "r", "f", "tp", "gold", "pred"}`` with rates rounded to 4 places."""
        return {
            "p": round(self.p, _DIGITS),
            "r": round(self.r, _DIGITS),
            "f": round(self.f, _DIGITS),
            "tp": self.tp,
            "gold": self.gold,
            "pred": self.pred,
        }


@dataclass(frozen=True, slots=True)
class MacroPRF(PRF):
    """Unweighted mean of several :class:`PRF` (one per label).

    ``p``, ``r`` and ``f`` are the means of the parts' own values (``f`` is the mean F1, not
    the F1 of the mean P and R); ``tp``/``gold``/``pred`` are the sums, for reference.
    ``parts`` is how many labels were averaged.

    >>> m = macro_average([PRF(1, 1, 1), PRF(0, 1, 1)])
    >>> m.p, m.f, m.tp
    (0.5, 0.5, 1)
    """

    macro_p: float = 1.0
    macro_r: float = 1.0
    macro_f: float = 1.0
    parts: int = 0

    @property
    def p(self) -> float:
        return self.macro_p

    @property
    def r(self) -> float:
        return self.macro_r

    @property
    def f(self) -> float:
        return self.macro_f

    def __add__(self, other: PRF) -> PRF:
        raise TypeError("macro averages cannot be summed; average the summed parts instead")


def macro_average(parts: Iterable[PRF]) -> MacroPRF:
    """Macro average of ``parts``; with no parts P = R = F = 1.0 (nothing to get wrong)."""
    items = list(parts)
    if not items:
        return MacroPRF()
    n = len(items)
    return MacroPRF(
        tp=sum(x.tp for x in items),
        gold=sum(x.gold for x in items),
        pred=sum(x.pred for x in items),
        macro_p=sum(x.p for x in items) / n,
        macro_r=sum(x.r for x in items) / n,
        macro_f=sum(x.f for x in items) / n,
        parts=n,
    )


def merge_scores(*tables: Mapping[str, PRF]) -> dict[str, PRF]:
    """Sum count tables key by key (a key present in any table is present in the result).

    >>> merge_scores({"a": PRF(1, 1, 1)}, {"a": PRF(0, 1, 0), "b": PRF()})
    {'a': PRF(tp=1, gold=2, pred=1), 'b': PRF(tp=0, gold=0, pred=0)}
    """
    merged: dict[str, PRF] = {}
    for table in tables:
        for key, value in table.items():
            merged[key] = (
                merged[key] + value if key in merged else PRF(value.tp, value.gold, value.pred)
            )
    return merged


# --------------------------------------------------------------------------- report


@dataclass(frozen=True)
class EvaluationReport:
    """The scores of a set of predicted rectifications against gold ones.

    ``scores`` holds every key of ``score.py --json`` (``header``, ``field:<name>``,
    ``targets``, ``summary``, ``problems``, ``problem.status``, ``problem.parent``,
    ``outcomes``, ``outcome.problem``, ``entities``, ``entity:<L>``, ``entity~:<L>``,
    ``relations``) with identical numbers, plus the project's extra ones
    (``entities~``, ``entities.macro``, ``entities~.macro``, ``relation:<L>``,
    ``relation~:<L>``, ``relations~``, ``relations.macro``). ``by_doc`` has the same
    tables per document when asked for; ``missing`` lists documents with no prediction.
    """

    scores: dict[str, PRF]
    by_doc: dict[str, dict[str, PRF]] | None = None
    missing: list[str] = field(default_factory=list)

    def __getitem__(self, key: str) -> PRF:
        return self.scores[key]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict shaped like ``score.py --json``, plus ``by_doc`` when present.

        Keys are sorted; ``missing_predictions`` comes after the scores.
        """
        out: dict[str, Any] = {k: v.to_dict() for k, v in sorted(self.scores.items())}
        out[MISSING_KEY] = list(self.missing)
        if self.by_doc is not None:
            out["by_doc"] = {
                doc: {k: v.to_dict() for k, v in sorted(table.items())}
                for doc, table in self.by_doc.items()
            }
        return out

    def to_table(self) -> str:
        """A human-readable table, grouped by layer (see :func:`format_table`)."""
        return format_table(self.scores, self.missing)


_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Header fields", ("header", "field:", "targets")),
    ("Summary", ("summary",)),
    ("Problems", ("problems", "problem.")),
    ("Outcomes", ("outcomes", "outcome.")),
)


def _row(name: str, prf: PRF, width: int = 30) -> str:
    return (
        f"  {name:<{width}} P {prf.p:6.3f}  R {prf.r:6.3f}  F {prf.f:6.3f}"
        f"   (tp {prf.tp}, gold {prf.gold}, pred {prf.pred})"
    )


def _belongs(key: str, prefixes: tuple[str, ...]) -> bool:
    return any(key == p or (p.endswith((":", ".")) and key.startswith(p)) for p in prefixes)


def _pair_rows(
    scores: Mapping[str, PRF], exact_prefix: str, loose_prefix: str, width: int = 14
) -> list[str]:
    labels = sorted(
        {k[len(exact_prefix) :] for k in scores if k.startswith(exact_prefix)}
        | {k[len(loose_prefix) :] for k in scores if k.startswith(loose_prefix)}
    )
    lines = [f"  {'label':<{width}} {'exact P/R/F':>23}   {'overlap P/R/F':>23}   gold  pred"]
    for label in labels:
        exact = scores.get(exact_prefix + label, PRF())
        loose = scores.get(loose_prefix + label, PRF())
        lines.append(
            f"  {label:<{width}} {exact.p:7.3f}{exact.r:8.3f}{exact.f:8.3f}"
            f"   {loose.p:7.3f}{loose.r:8.3f}{loose.f:8.3f}   {exact.gold:4d}  {exact.pred:4d}"
        )
    return lines


def format_table(scores: Mapping[str, PRF], missing: Iterable[str] = ()) -> str:
    """Render ``scores`` as text, one section per layer; empty sections are left out.

    >>> print(format_table({"header": PRF(5, 7, 7)}))
    Header fields
      header                         P  0.714  R  0.714  F  0.714   (tp 5, gold 7, pred 7)
    """
    lines: list[str] = []
    for title, prefixes in _GROUPS:
        keys = [k for k in scores if _belongs(k, prefixes)]
        if not keys:
            continue
        order = {p: n for n, p in enumerate(prefixes)}
        keys.sort(key=lambda k: (min(order[p] for p in prefixes if _belongs(k, (p,))), k))
        lines.append(title)
        lines.extend(_row(k, scores[k]) for k in keys)
    entity_keys = [k for k in scores if k.startswith("entit")]
    if entity_keys:
        lines.append("Entities (exact | overlapping boundaries)")
        lines.extend(_pair_rows(scores, "entity:", "entity~:"))
        for key in ("entities", "entities~", "entities.macro", "entities~.macro"):
            if key in scores:
                lines.append(_row(key, scores[key]))
    relation_keys = [k for k in scores if k.startswith("relation")]
    if relation_keys:
        lines.append("Relations (exact | overlapping head and tail)")
        lines.extend(_pair_rows(scores, "relation:", "relation~:"))
        for key in ("relations", "relations~", "relations.macro"):
            if key in scores:
                lines.append(_row(key, scores[key]))
    missing = list(missing)
    if missing:
        lines.append("Missing predictions: " + ", ".join(missing))
    return "\n".join(lines)
