"""Results as pandas tables: :func:`to_frames` gives one DataFrame per kind of row.

pandas is an optional dependency (``pip install 'rectify-nlp[frames]'``); it is imported only
when :func:`to_frames` is called.

Every frame has a ``notice`` column first: the notice's id — the key when ``results`` is a
mapping, else the result's ``meta["source"]``, else its position in ``results``. Row indices
(``problem``, ``outcome``, ``entity``, ``relation``) are positions in the result's own lists,
so ``parent``, ``problem``, ``head`` and ``tail`` join on them within one notice. Offsets
(``start``/``end``) index the notice's original text. Dates stay ISO strings as extracted
(``2024-07-30``, or ``2021-03`` for a month). Integer columns that can be empty use pandas'
nullable ``Int64``.

================  ======================================================================
frame             columns
================  ======================================================================
``notices``       notice, source, kind, inspector, targets (list), round, start_date,
                  end_date, feedback_date, publisher, published_date, problems_total,
                  problems_rectified, completion_rate, measures_total, n_problems,
                  n_outcomes, n_entities, n_relations
``problems``      notice, problem, number, level, parent, category, status, statement, start,
                  end, n_measures, n_outcomes
``outcomes``      notice, outcome, metric, value, unit, qualifier, lower, upper, approximate,
                  raw, start, end, period, problem, score
``entities``      notice, entity, label, text, start, end, source, score
``relations``     notice, relation, label, head, tail, head_label, head_text, tail_label,
                  tail_text, score
================  ======================================================================

>>> from rectify_nlp.schema import Rectification
>>> frames = to_frames([Rectification.empty(source="a.txt")])  # doctest: +SKIP
>>> frames["notices"]["notice"].tolist()  # doctest: +SKIP
['a.txt']
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from rectify_nlp.schema import Rectification

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["FRAME_COLUMNS", "to_frames"]

#: The columns of each frame, in order.
FRAME_COLUMNS: dict[str, tuple[str, ...]] = {
    "notices": ("notice", "source", "kind", "inspector", "targets", "round", "start_date",
                "end_date", "feedback_date", "publisher", "published_date", "problems_total",
                "problems_rectified", "completion_rate", "measures_total", "n_problems",
                "n_outcomes", "n_entities", "n_relations"),
    "problems": ("notice", "problem", "number", "level", "parent", "category", "status",
                 "statement", "start", "end", "n_measures", "n_outcomes"),
    "outcomes": ("notice", "outcome", "metric", "value", "unit", "qualifier", "lower", "upper",
                 "approximate", "raw", "start", "end", "period", "problem", "score"),
    "entities": ("notice", "entity", "label", "text", "start", "end", "source", "score"),
    "relations": ("notice", "relation", "label", "head", "tail", "head_label", "head_text",
                  "tail_label", "tail_text", "score"),
}

# column dtypes fixed so that empty frames and frames with gaps keep them
_DTYPES: dict[str, dict[str, str]] = {
    "notices": {"problems_total": "Int64", "problems_rectified": "Int64",
                "completion_rate": "float64", "measures_total": "Int64", "n_problems": "int64",
                "n_outcomes": "int64", "n_entities": "int64", "n_relations": "int64"},
    "problems": {"problem": "int64", "level": "int64", "parent": "Int64", "start": "int64",
                 "end": "int64", "n_measures": "int64", "n_outcomes": "int64"},
    "outcomes": {"outcome": "int64", "value": "float64", "lower": "float64", "upper": "float64",
                 "approximate": "bool", "start": "int64", "end": "int64", "problem": "Int64",
                 "score": "float64"},
    "entities": {"entity": "int64", "start": "int64", "end": "int64", "score": "float64"},
    "relations": {"relation": "int64", "head": "int64", "tail": "int64", "score": "float64"},
}


def _pandas() -> Any:
    """The pandas module, or an ImportError that names the extra to install."""
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise ImportError("to_frames needs pandas: pip install 'rectify-nlp[frames]'") from exc


def _notices(results: Iterable[Rectification] | Mapping[Any, Rectification]
             ) -> list[tuple[Any, Rectification]]:
    """(notice id, result) pairs: the mapping's keys, else meta source, else position."""
    if isinstance(results, Mapping):
        return list(results.items())
    return [(r.meta.get("source") or i, r) for i, r in enumerate(results)]


def _notice_row(nid: Any, r: Rectification) -> dict[str, Any]:
    """One ``notices`` row."""
    ins, s = r.inspection, r.summary
    return {
        "notice": nid, "source": r.meta.get("source"), "kind": r.kind,
        "inspector": ins.inspector, "targets": list(ins.targets), "round": ins.round,
        "start_date": ins.start_date, "end_date": ins.end_date,
        "feedback_date": ins.feedback_date, "publisher": r.publisher,
        "published_date": r.published_date, "problems_total": s.problems_total,
        "problems_rectified": s.problems_rectified, "completion_rate": s.completion_rate,
        "measures_total": s.measures_total, "n_problems": len(r.problems),
        "n_outcomes": len(r.outcomes), "n_entities": len(r.entities),
        "n_relations": len(r.relations),
    }


def _problem_rows(nid: Any, r: Rectification) -> list[dict[str, Any]]:
    """The ``problems`` rows of one notice."""
    return [{
        "notice": nid, "problem": i, "number": p.number, "level": p.level, "parent": p.parent,
        "category": p.category, "status": p.status, "statement": p.statement, "start": p.start,
        "end": p.end, "n_measures": len(p.measures), "n_outcomes": len(p.outcomes),
    } for i, p in enumerate(r.problems)]


def _outcome_rows(nid: Any, r: Rectification) -> list[dict[str, Any]]:
    """The ``outcomes`` rows of one notice."""
    return [{
        "notice": nid, "outcome": j, "metric": o.metric, "value": o.value, "unit": o.unit,
        "qualifier": o.qualifier, "lower": o.lower, "upper": o.upper,
        "approximate": o.approximate, "raw": o.raw, "start": o.start, "end": o.end,
        "period": o.period, "problem": o.problem, "score": o.score,
    } for j, o in enumerate(r.outcomes)]


def _entity_rows(nid: Any, r: Rectification) -> list[dict[str, Any]]:
    """The ``entities`` rows of one notice."""
    return [{
        "notice": nid, "entity": k, "label": e.label, "text": e.text, "start": e.start,
        "end": e.end, "source": e.source, "score": e.score,
    } for k, e in enumerate(r.entities)]


def _relation_rows(nid: Any, r: Rectification) -> list[dict[str, Any]]:
    """The ``relations`` rows of one notice, with the texts and labels of both ends."""
    def ends(i: int) -> tuple[str | None, str | None]:
        if 0 <= i < len(r.entities):
            return r.entities[i].label, r.entities[i].text
        return None, None

    rows = []
    for k, rel in enumerate(r.relations):
        (hl, ht), (tl, tt) = ends(rel.head), ends(rel.tail)
        rows.append({
            "notice": nid, "relation": k, "label": rel.label, "head": rel.head,
            "tail": rel.tail, "head_label": hl, "head_text": ht, "tail_label": tl,
            "tail_text": tt, "score": rel.score,
        })
    return rows


def to_frames(results: Iterable[Rectification] | Mapping[Any, Rectification]
              ) -> dict[str, pd.DataFrame]:
    """Five DataFrames over ``results`` (results, or a mapping notice id → result):
    ``notices``, ``problems``, ``outcomes``, ``entities`` and ``relations``, with the columns
    of :data:`FRAME_COLUMNS` (see the module docstring). Empty input gives empty frames with
    those columns.

    Raises ImportError naming the ``frames`` extra when pandas is not installed.
    """
    pd = _pandas()
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in FRAME_COLUMNS}
    for nid, r in _notices(results):
        rows["notices"].append(_notice_row(nid, r))
        rows["problems"] += _problem_rows(nid, r)
        rows["outcomes"] += _outcome_rows(nid, r)
        rows["entities"] += _entity_rows(nid, r)
        rows["relations"] += _relation_rows(nid, r)
    frames = {}
    for name, columns in FRAME_COLUMNS.items():
        frame = pd.DataFrame.from_records(rows[name], columns=list(columns))
        frames[name] = frame.astype(_DTYPES[name])
    return frames
