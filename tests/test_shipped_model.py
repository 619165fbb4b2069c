"""The shipped default pipeline (models/rectify_zh): what `rectify_nlp.load()` gives a user."""

from __future__ import annotations

import json
import socket

import pytest

import rectify_nlp
from rectify_nlp.extractor import DEFAULT_MODEL_DIR

pytestmark = pytest.mark.skipif(not (DEFAULT_MODEL_DIR / "config.cfg").exists(),
                                reason="no shipped model in models/rectify_zh")


@pytest.fixture(scope="module")
def shipped() -> rectify_nlp.Extractor:
    return rectify_nlp.load(DEFAULT_MODEL_DIR)


def test_load_without_arguments_finds_the_shipped_model_offline(monkeypatch):
    monkeypatch.delenv("RECTIFY_MODEL", raising=False)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")

    def no_network(*args, **kwargs):
        raise AssertionError("load() tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    nlp = rectify_nlp.load()
    assert nlp.has_model
    assert {"rectify_rule_features", "tok2vec", "ner", "relations"} <= set(nlp.nlp.pipe_names)


def test_the_model_card_describes_a_small_reproducible_model():
    card = json.loads((DEFAULT_MODEL_DIR / "model_card.json").read_text(encoding="utf-8"))
    assert card["size_bytes"] <= 50 * 1024 * 1024
    assert card["labels"] == ["DATE", "ORG", "OUTCOME", "PROBLEM"]
    assert card["relation_labels"] == ["ADDRESSES", "DURING", "INSPECTS"]
    assert len(card["data"]["train"]["sha256"]) == 64 and card["seed"] == 0


def test_shipped_extraction_is_schema_valid_and_points_back_to_the_input(
        shipped, township_text, schema):
    import jsonschema

    r = shipped(township_text)
    d = r.to_dict()
    jsonschema.validate(d, schema)
    assert r.inspection.inspector == "县委第三巡察组"
    assert r.problems and r.outcomes and r.inspection.targets
    for e in d["entities"]:
        assert township_text[e["start"]:e["end"]] == e["text"]
    for o in r.outcomes:
        assert township_text[o.start:o.end] == o.raw
    # relations come from the trained component: they carry its probability
    assert r.relations and all(rel.score is not None for rel in r.relations)
    linked = [o for o in r.outcomes if o.problem is not None]
    assert linked and all(linked.index(o) is not None for o in linked)
    for i, p in enumerate(r.problems):
        assert all(r.outcomes[j].problem == i for j in p.outcomes)


def test_the_shipped_policy_keeps_the_rules_spans_where_the_model_did_not_beat_them(
        shipped, township_text):
    policy = shipped.policy
    assert policy is not None
    rules = rectify_nlp.load("rules")(township_text)
    for label, how in dict(policy).items():
        if how == "rules":
            got = {(e.start, e.end) for e in shipped(township_text).entities if e.label == label}
            want = {(e.start, e.end) for e in rules.entities if e.label == label}
            assert got == want, label


def test_shipped_model_on_hostile_input(shipped):
    assert shipped("").problems == []
    assert shipped("Hello <b>world</b>").to_dict()["entities"] == []
    assert shipped("今天天气很好。").meta["is_notice"] is False


def test_fine_tuning_the_shipped_model_keeps_its_features_and_relations(tmp_path):
    import io

    import spacy

    from rectify_nlp.corpus import CorpusRecord, write_jsonl
    from rectify_nlp.training import train

    record = CorpusRecord.from_parts("ft0", [
        ("2024年5月,", None), ("市委第二巡察组", "ORG"), ("对", None), ("白沙镇党委", "ORG"),
        ("开展了巡察。现将整改情况通报如下。\n一、关于“", None), ("村务公开不及时", "PROBLEM"),
        ("”问题\n整改情况:", None), ("公开村务事项86项", "OUTCOME"), ("。\n", None)])
    path = tmp_path / "mine.jsonl"
    write_jsonl([record], path)  # entities only: no relations to retrain the component on
    out = train(path, tmp_path / "tuned", base_model=DEFAULT_MODEL_DIR, max_steps=2,
                stdout=io.StringIO(), overrides={"training.eval_frequency": 1})
    nlp = spacy.load(out)
    assert {"rectify_rule_features", "ner", "relations"} <= set(nlp.pipe_names)
    assert nlp.config["corpora"]["train"]["rule_features"] is True
    assert nlp.config["rectify"]["combine"]["ORG"] == "rules"
