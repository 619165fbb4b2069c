"""The relation component trained on the entities the deciding pipeline serves.

The shipped pipeline is ``rectify_rules`` → ``rectify_decide`` → ``rectify_links`` (the
structural relations). This module puts the trained relation component
(:mod:`rectify_nlp.pipeline.relations`) in place of ``rectify_links`` and trains it on what it
will see when served: the *decided* entities and the decided rule analysis, not the gold
entities only.

* :func:`served` — the entities and analysis a trained :class:`DecideComponent` serves for a
  notice (what ``doc.spans`` and ``doc._.rectify_rules`` hold after ``rectify_decide``);
* :func:`crossfit_served` — the same for every notice of a training set, each from deciders
  trained on the other ``k`` - 1 folds of that set (no notice's entities come from deciders
  that saw its gold);
* :func:`relation_examples` — one ``Example`` per notice: the predicted doc carries the
  served (or gold) entities and analysis, the reference doc the gold entities and relations;
  a candidate pair is positive when both of its spans equal gold entities linked by that
  relation (``RelationExtractor.get_loss``);
* :func:`train_relation_pipe` — a fixed number of steps of Adam on those examples, one notice
  per step (the settings of ``relations.cfg``; the last weights, no model selection);
* :func:`served_relations_pipeline` — ``rectify_rules`` → ``rectify_decide`` →
  ``rectify_relations`` trained as above (measured by ``scripts/relations_heldout.py``; it did
  not beat the structural links, so nothing ships it).
"""

from __future__ import annotations

import logging
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rectify_nlp.pipeline.relations  # noqa: F401  (registers rectify_relations)
from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation, RelationAnnotation
from rectify_nlp.decide.component import DecideComponent
from rectify_nlp.decide.train import Notice, decide_pipeline, train_component
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.spans import Span
from rectify_nlp.training.relations import RelationRecord, prepare_record, relation_example

logger = logging.getLogger(__name__)

#: Where a relation component's training entities come from.
ENTITY_SOURCES = ("gold", "served")
#: Steps, learning rate and dropout of a training run (``relations.cfg``'s).
STEPS = 300
LEARN_RATE = 0.005
DROPOUT = 0.1


@dataclass(frozen=True)
class Served:
    """What the deciding pipeline serves for one notice: entities (clean offsets) and the
    decided rule analysis."""

    entities: tuple[Span, ...]
    analysis: RuleAnalysis


def corpus_record(doc_id: str, gold: Mapping[str, Any], text: str) -> CorpusRecord:
    """A gold rectification JSON (entities and relations over ``text``) as a corpus record.

    >>> g = {"entities": [{"label": "DATE", "start": 0, "end": 2, "text": "5月"}],
    ...      "relations": []}
    >>> corpus_record("a", g, "5月,拆除").entities[0].text
    '5月'
    """
    ents = tuple(EntityAnnotation(i, str(e["label"]), int(e["start"]), int(e["end"]),
                                  str(e.get("text", text[int(e["start"]):int(e["end"])])))
                 for i, e in enumerate(gold.get("entities") or []))
    rels = tuple(RelationAnnotation(str(r["label"]), int(r["head"]), int(r["tail"]))
                 for r in gold.get("relations") or [])
    return CorpusRecord(doc_id, text, ents, rels)


def relation_records(notices: Sequence[Notice]) -> dict[str, RelationRecord]:
    """Each notice's gold entities and relations in clean offsets (``{id: record}``)."""
    return {n.id: prepare_record(corpus_record(n.id, n.gold, n.clean.original))
            for n in notices}


def served(component: DecideComponent, notice: Notice) -> Served:
    """The entities and analysis ``component`` serves for ``notice``."""
    analysis = component.decide(notice.clean.text, notice.analysis)
    return Served(tuple(analysis.entity_spans()), analysis)


def fold_of(doc_id: str, k: int, seed: int = 0) -> int:
    """A stable fold in ``0..k-1`` for ``doc_id`` (a hash of the id and ``seed``).

    >>> fold_of("a", 5) == fold_of("a", 5)
    True
    """
    import hashlib

    digest = hashlib.sha1(f"{seed}:{doc_id}".encode()).hexdigest()
    return int(digest[:8], 16) % k


def crossfit_served(notices: Sequence[Notice], names: Sequence[str], *, k: int = 5,
                    seed: int = 0, threshold: float = 0.5,
                    **fit_options: Any) -> dict[str, Served]:
    """Each notice's served entities and analysis from deciders trained on the notices of the
    other ``k`` - 1 folds (:func:`fold_of`): ``{id: Served}``."""
    if k < 2:
        raise ValueError("k must be >= 2")
    folds = {n.id: fold_of(n.id, k, seed) for n in notices}
    out: dict[str, Served] = {}
    for f in range(k):
        held = [n for n in notices if folds[n.id] == f]
        if not held:
            continue
        train = [n for n in notices if folds[n.id] != f]
        component = train_component(names, train, threshold=threshold, **fit_options)
        for n in held:
            out[n.id] = served(component, n)
    return out


def relation_examples(nlp: Any, records: Sequence[RelationRecord], spans_key: str,
                      entities: Mapping[str, Served] | None = None) -> list[Any]:
    """One training ``Example`` per record: gold entities and rule analysis when ``entities``
    is None, else the record's served entities and decided analysis (records without an entry
    are skipped). Records without a relation are skipped."""
    out = []
    for rr in records:
        if not rr.relations:
            continue
        if entities is None:
            out.append(relation_example(nlp, rr, spans_key))
            continue
        s = entities.get(rr.id)
        if s is None:
            continue
        example = relation_example(nlp, rr, spans_key, list(s.entities))
        example.predicted._.rectify_rules = s.analysis
        out.append(example)
    return out


def train_relation_pipe(pipe: Any, examples: Sequence[Any], *, steps: int = STEPS,
                        seed: int = 0, learn_rate: float = LEARN_RATE,
                        dropout: float = DROPOUT) -> dict[str, float]:
    """Initialise ``pipe`` (a ``rectify_relations`` component) and train it ``steps`` steps,
    one example per step, in a fresh shuffle each epoch (Adam as in ``relations.cfg``).
    Returns the summed loss of the last epoch's steps."""
    from spacy.util import fix_random_seed
    from thinc.api import Adam

    if not examples:
        raise ValueError("no training example (no notice with relations)")
    fix_random_seed(seed)
    pipe.initialize(lambda: examples)
    sgd = Adam(learn_rate, L2=1e-4, grad_clip=1.0, L2_is_weight_decay=True)
    rng = random.Random(seed)
    order: list[int] = []
    losses: dict[str, float] = {}
    for _ in range(steps):
        if not order:
            order = list(range(len(examples)))
            rng.shuffle(order)
            losses = {}
        pipe.update([examples[order.pop()]], drop=dropout, sgd=sgd, losses=losses)
    return losses


def served_relations_pipeline(component: DecideComponent, records: Sequence[RelationRecord],
                              entities: Mapping[str, Served] | None, *,
                              structural_feature: bool = True, fallback: bool = True,
                              steps: int = STEPS, seed: int = 0) -> Any:
    """``rectify_rules`` → ``rectify_decide`` (``component``) → ``rectify_relations`` trained
    on ``records`` with ``entities`` (see :func:`relation_examples`; None: gold entities).
    ``structural_feature``: whether the pairs' features say if the structural rule links them;
    ``fallback``: whether an OUTCOME the model leaves without a relation gets the rule's (else
    the model may drop the rule's links, e.g. those over a span it does not trust).
    """
    nlp = decide_pipeline(component, links=False)
    spans_key = nlp.get_pipe("decide").spans_key
    pipe = nlp.add_pipe("rectify_relations", name="relations",
                        config={"spans_key": spans_key,
                                "structural_feature": structural_feature,
                                "fallback": fallback})
    examples = relation_examples(nlp, records, spans_key, entities)
    train_relation_pipe(pipe, examples, steps=steps, seed=seed)
    return nlp


def train_served_relations(notices: Sequence[Notice], names: Sequence[str], *,
                           source: str = "served", k: int = 5, threshold: float = 0.5,
                           structural_feature: bool = True, fallback: bool = True,
                           steps: int = STEPS, seed: int = 0,
                           component: DecideComponent | None = None,
                           **fit_options: Any) -> Any:
    """The deciding pipeline with a trained relation step, all trained on ``notices``: the
    deciders (``component`` if given), then the relation component on ``source`` entities
    (``"served"``: cross-fitted by :func:`crossfit_served`; ``"gold"``)."""
    if source not in ENTITY_SOURCES:
        raise ValueError(f"source must be one of {ENTITY_SOURCES}, got {source!r}")
    if component is None:
        component = train_component(names, notices, threshold=threshold, **fit_options)
    records = list(relation_records(notices).values())
    entities = (crossfit_served(notices, names, k=k, seed=seed, threshold=threshold,
                                **fit_options) if source == "served" else None)
    return served_relations_pipeline(component, records, entities,
                                     structural_feature=structural_feature,
                                     fallback=fallback, steps=steps, seed=seed)


__all__ = ["ENTITY_SOURCES", "Served", "corpus_record", "crossfit_served", "fold_of",
           "relation_examples", "relation_records", "served", "served_relations_pipeline",
           "train_relation_pipe", "train_served_relations"]
