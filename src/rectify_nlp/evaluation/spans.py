"""Entity and relation metrics: per label, exact and overlapping boundaries, micro and macro.

Entities are compared as ``(label, start, end)``; relations as *triples*
``(label, head span, tail span)`` where a span is ``(start, end)`` of the entity the
relation points at (entity labels are not part of the triple, as in score.py).

Keys produced (counts are per document and add up over a corpus):

===================  ==========================================================
``entity:<L>``        exact boundaries; tp = gold spans of label L whose exact span was
                      predicted with label L (score.py semantics, see below)
``entity~:<L>``       overlapping boundaries, same label, one to one (greedy)
``entities``          micro sum of ``entity:<L>``
``entities~``         micro sum of ``entity~:<L>``
``relation:<L>``      exact triples of relation label L (sets: duplicates count once)
``relation~:<L>``     relaxed: same label, head spans overlap and tail spans overlap,
                      one to one (greedy, best overlap first)
``relations``         micro sum of ``relation:<L>``
``relations~``        micro sum of ``relation~:<L>``
===================  ==========================================================

Macro averages (``entities.macro``, ``entities~.macro``, ``relations.macro``) are taken
over the summed per-label counts by :func:`add_macro_averages`, after the corpus is added
up. Exact entity tp follows score.py literally: a gold span listed twice counts twice
when predicted once (documents normally hold no duplicate spans).

>>> gold = [{"label": "ORG", "start": 0, "end": 4}, {"label": "DATE", "start": 6, "end": 10}]
>>> pred = [{"label": "ORG", "start": 0, "end": 3}, {"label": "DATE", "start": 6, "end": 10}]
>>> s = entity_scores(gold, pred)
>>> s["entity:ORG"].tp, s["entity~:ORG"].tp, s["entities"].to_dict()["f"]
(0, 1, 0.5)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .matching import greedy_match
from .report import PRF, macro_average

__all__ = [
    "Entity",
    "RelationTriple",
    "add_macro_averages",
    "as_entity",
    "entity_scores",
    "relation_scores",
    "relation_triples",
    "span_iou",
]

logger = logging.getLogger(__name__)

ENTITY_PREFIX = "entity:"
ENTITY_LOOSE_PREFIX = "entity~:"
RELATION_PREFIX = "relation:"
RELATION_LOOSE_PREFIX = "relation~:"


@dataclass(frozen=True, slots=True, order=True)
class Entity:
    """A labelled character span, the only thing entity metrics look at."""

    label: str
    start: int
    end: int

    def overlaps(self, other: Entity) -> bool:
        """At least one shared character (end exclusive)."""
        return span_overlap(self.start, self.end, other.start, other.end) > 0


@dataclass(frozen=True, slots=True, order=True)
class RelationTriple:
    """A relation reduced to its label and the spans of its head and tail entities."""

    label: str
    head: tuple[int, int]
    tail: tuple[int, int]


def as_entity(item: Mapping[str, Any] | Any) -> Entity:
    """An :class:`Entity` from an output dict or any object with label/start/end attributes.

    >>> from rectify_nlp.spans import Span
    >>> as_entity(Span(3, 7, "DATE", "7月30日"))
    Entity(label='DATE', start=3, end=7)
    >>> as_entity({"label": "ORG", "start": 0, "end": 2, "text": "区委"})
    Entity(label='ORG', start=0, end=2)
    """
    if isinstance(item, Mapping):
        return Entity(item["label"], item["start"], item["end"])
    return Entity(item.label, item.start, item.end)


def span_overlap(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Number of shared characters (negative or 0 when disjoint)."""
    return min(a_end, b_end) - max(a_start, b_start)


def span_iou(a: tuple[int, int], b: tuple[int, int]) -> float:
    """Intersection over union of two ``(start, end)`` spans (0.0 when disjoint).

    >>> span_iou((0, 4), (2, 6))
    0.3333333333333333
    """
    inter = span_overlap(a[0], a[1], b[0], b[1])
    if inter <= 0:
        return 0.0
    union = max(a[1], b[1]) - min(a[0], b[0])
    return inter / union


# --------------------------------------------------------------------------- entities


def _by_label(entities: Iterable[Entity], label: str) -> list[Entity]:
    return [e for e in entities if e.label == label]


def exact_entity_hits(gold: Sequence[Entity], pred: Sequence[Entity]) -> int:
    """Gold entities whose exact (label, start, end) is among the predictions."""
    predicted = set(pred)
    return sum(g in predicted for g in gold)


def overlap_entity_hits(gold: Sequence[Entity], pred: Sequence[Entity]) -> int:
    """One-to-one pairs of same-label entities that overlap (greedy, score.py order)."""

    def score(g: Entity, p: Entity) -> float:
        return 1.0 if g.label == p.label and g.overlaps(p) else 0.0

    return len(greedy_match(gold, pred, score, 1.0))


def entity_scores(
    gold: Iterable[Mapping[str, Any] | Any], pred: Iterable[Mapping[str, Any] | Any]
) -> dict[str, PRF]:
    """Per-label and micro entity counts of one document (keys: see module doc).

    Labels are those found in gold or pred; with neither, the result is empty.
    """
    gold_ents = [as_entity(e) for e in gold]
    pred_ents = [as_entity(e) for e in pred]
    labels = sorted({e.label for e in gold_ents} | {e.label for e in pred_ents})
    out: dict[str, PRF] = {}
    exact_total, loose_total = PRF(), PRF()
    for label in labels:
        gl, pl = _by_label(gold_ents, label), _by_label(pred_ents, label)
        exact = PRF(exact_entity_hits(gl, pl), len(gl), len(pl))
        loose = PRF(overlap_entity_hits(gl, pl), len(gl), len(pl))
        out[ENTITY_PREFIX + label] = exact
        out[ENTITY_LOOSE_PREFIX + label] = loose
        exact_total += exact
        loose_total += loose
    if labels:
        out["entities"] = exact_total
        out["entities~"] = loose_total
    return out


# --------------------------------------------------------------------------- relations


def _resolve(entities: Sequence[Mapping[str, Any]], index: Any) -> tuple[int, int] | None:
    # Python indexing, as score.py does (a negative index counts from the end); anything
    # out of range or not an int is skipped (score.py would crash on it).
    if isinstance(index, bool) or not isinstance(index, int):
        return None
    if not -len(entities) <= index < len(entities):
        return None
    ent = entities[index]
    return (ent["start"], ent["end"])


def relation_triples(doc: Mapping[str, Any]) -> set[RelationTriple]:
    """The set of relation triples of an output dict (duplicates collapse).

    Relations pointing outside ``entities`` are skipped with a warning.

    >>> doc = {"entities": [{"label": "OUTCOME", "start": 5, "end": 9},
    ...                     {"label": "DATE", "start": 0, "end": 4}],
    ...        "relations": [{"label": "DURING", "head": 0, "tail": 1}]}
    >>> relation_triples(doc)
    {RelationTriple(label='DURING', head=(5, 9), tail=(0, 4))}
    """
    entities = doc.get("entities") or []
    triples: set[RelationTriple] = set()
    for rel in doc.get("relations") or []:
        head, tail = _resolve(entities, rel.get("head")), _resolve(entities, rel.get("tail"))
        if head is None or tail is None:
            logger.warning(
                "relation %r points outside the %d entities; skipped", rel, len(entities)
            )
            continue
        triples.add(RelationTriple(rel["label"], head, tail))
    return triples


def _relaxed_score(g: RelationTriple, p: RelationTriple) -> float:
    if g.label != p.label:
        return 0.0
    head, tail = span_iou(g.head, p.head), span_iou(g.tail, p.tail)
    if head <= 0.0 or tail <= 0.0:
        return 0.0
    return (head + tail) / 2


def relaxed_relation_hits(gold: Sequence[RelationTriple], pred: Sequence[RelationTriple]) -> int:
    """One-to-one pairs with the same label whose heads overlap and whose tails overlap.

    Pairs are taken best mean IoU first, so exact pairs are never displaced.
    """
    return len(greedy_match(gold, pred, _relaxed_score, 1e-12))


def relation_scores(gold_doc: Mapping[str, Any], pred_doc: Mapping[str, Any]) -> dict[str, PRF]:
    """Per-label, micro exact and micro relaxed relation counts of one document."""
    gold, pred = relation_triples(gold_doc), relation_triples(pred_doc)
    labels = sorted({t.label for t in gold} | {t.label for t in pred})
    out: dict[str, PRF] = {}
    exact_total, loose_total = PRF(), PRF()
    for label in labels:
        gl = sorted(t for t in gold if t.label == label)
        pl = sorted(t for t in pred if t.label == label)
        exact = PRF(len(set(gl) & set(pl)), len(gl), len(pl))
        loose = PRF(relaxed_relation_hits(gl, pl), len(gl), len(pl))
        out[RELATION_PREFIX + label] = exact
        out[RELATION_LOOSE_PREFIX + label] = loose
        exact_total += exact
        loose_total += loose
    out["relations"] = exact_total
    out["relations~"] = loose_total
    return out


# --------------------------------------------------------------------------- macro


def _labelled(scores: Mapping[str, PRF], prefix: str) -> list[PRF]:
    return [v for k, v in sorted(scores.items()) if k.startswith(prefix)]


def add_macro_averages(scores: Mapping[str, PRF]) -> dict[str, PRF]:
    """``scores`` plus macro averages over the per-label keys that are present.

    Call it on counts already summed over the corpus (macro averages do not add up).

    >>> s = add_macro_averages({"entity:ORG": PRF(1, 1, 1), "entity:DATE": PRF(0, 2, 0)})
    >>> s["entities.macro"].to_dict()["f"]
    0.5
    """
    out = dict(scores)
    for key, prefix in (
        ("entities.macro", ENTITY_PREFIX),
        ("entities~.macro", ENTITY_LOOSE_PREFIX),
        ("relations.macro", RELATION_PREFIX),
    ):
        parts = _labelled(scores, prefix)
        if parts:
            out[key] = macro_average(parts)
    return out
