"""The relation component trained on the entities the deciding pipeline serves
(rectify_nlp.decide.relations): cross-fitted entities, labels from gold, the structural-feature
switch, and a pipeline that extracts with it. A tiny training on four short corpus notices."""

from __future__ import annotations

from pathlib import Path

import numpy
import pytest

from rectify_nlp.decide.relations import (
    Served,
    crossfit_served,
    fold_of,
    relation_examples,
    relation_records,
    served_relations_pipeline,
)
from rectify_nlp.decide.train import prepare, train_component
from rectify_nlp.evaluation.gold import gold_pairs
from rectify_nlp.extractor import Extractor
from rectify_nlp.pipeline.relations import without_structural
from rectify_nlp.spans import Span

ROOT = Path(__file__).resolve().parents[1]
DECIDERS = ["orgs", "outcomes"]


@pytest.fixture(scope="module")
def notices():
    triples = list(gold_pairs(ROOT / "corpus" / "gold", ROOT / "corpus" / "notices"))
    with_rels = [t for t in triples
                 if {r["label"] for r in t[1].get("relations") or []} >= {"ADDRESSES"}]
    shortest = sorted(with_rels, key=lambda t: len(t[2]))[:4]
    return prepare(shortest)


@pytest.fixture(scope="module")
def served(notices):
    return crossfit_served(notices, DECIDERS, k=2)


def test_crossfit_serves_every_notice_from_other_folds(notices, served):
    assert set(served) == {n.id for n in notices}
    for n in notices:
        s = served[n.id]
        assert s.analysis.is_notice
        for e in s.entities:
            assert n.clean.text[e.start:e.end] == e.text
    folds = {fold_of(n.id, 2) for n in notices}
    assert folds <= {0, 1}


def test_examples_carry_served_entities_and_gold_relations(notices, served):
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    records = relation_records(notices)
    examples = relation_examples(nlp, list(records.values()), "ents", served)
    assert len(examples) == len(notices)
    for eg in examples:
        rid = next(r.id for r in records.values() if r.text == eg.predicted.text)
        got = [(s.start_char, s.label_, s.text) for s in eg.predicted.spans["ents"]]
        # a span's trailing space is its last token's whitespace, not part of the span
        assert got == [(e.start, e.label, e.text.rstrip()) for e in served[rid].entities]
        assert eg.predicted._.rectify_rules is served[rid].analysis
        assert eg.reference._.relations


def test_pair_is_positive_only_when_both_spans_match_gold(notices):
    import spacy

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    pipe = nlp.add_pipe("rectify_relations", name="relations", config={"spans_key": "ents"})
    rr = next(iter(relation_records(notices[:1]).values()))
    rel = next(r for r in rr.relations if r.label == "ADDRESSES")
    head = rr.entities[rel.head]
    assert len(head) > 2
    moved = Span(head.start, head.end - 1, head.label, head.text[:-1])
    for entities, positive in ((list(rr.entities), True),
                               ([moved if e == head else e for e in rr.entities], False)):
        docs = relation_examples(nlp, [rr], "ents", {rr.id: Served(tuple(entities),
                                                                   rr.analysis)})
        pipe.initialize(lambda docs=docs: docs)
        scores = pipe.predict([docs[0].predicted])
        _, grad = pipe.get_loss(docs, scores)
        cands = scores.batch.doc_candidates[0]
        col = pipe.labels.index("ADDRESSES")
        rows = [r for r, c in enumerate(cands) if c.label == "ADDRESSES"
                and entities[c.head].start == head.start and c.tail == rel.tail]
        assert rows
        assert (numpy.asarray(grad)[rows[0], col] < 0) == positive


def test_structural_feature_switch():
    feats = ["ADDRESSES|bias", "ADDRESSES|struct=1", "ADDRESSES|struct+rank=10",
             "ADDRESSES|outl+struct=inner1", "ADDRESSES|b1=构"]
    assert without_structural(feats) == ["ADDRESSES|bias", "ADDRESSES|b1=构"]


def test_pipeline_with_trained_relations_extracts(notices, served):
    component = train_component(DECIDERS, notices)
    records = list(relation_records(notices).values())
    nlp = served_relations_pipeline(component, records, served, steps=8,
                                     structural_feature=False)
    assert nlp.pipe_names == ["rules", "decide", "relations"]
    pipe = nlp.get_pipe("relations")
    assert pipe.cfg["structural_feature"] is False
    assert pipe.spans_key == nlp.get_pipe("decide").spans_key
    clone = nlp.get_pipe("relations").from_bytes(pipe.to_bytes())
    assert clone.cfg["structural_feature"] is False
    result = Extractor(nlp)(notices[0].clean.original, source=notices[0].id).to_dict()
    # every relation links two of the notice's entities with a label the schema knows, in the
    # direction the guidelines give (an INSPECTS head is an ORG, a DURING tail a DATE)
    ents = result["entities"]
    assert result["relations"]
    for rel in result["relations"]:
        head, tail = ents[rel["head"]], ents[rel["tail"]]
        assert rel["label"] in {"INSPECTS", "ADDRESSES", "DURING"}
        if rel["label"] == "INSPECTS":
            assert head["label"] == tail["label"] == "ORG"
        if rel["label"] == "DURING":
            assert tail["label"] == "DATE"
