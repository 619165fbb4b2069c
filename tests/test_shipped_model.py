"""The shipped default pipeline (models/rectify_zh): what `rectify_nlp.load()` gives a user.

Rules propose, trained deciders choose, in one spaCy pipeline: rules → decide → links.
"""

from __future__ import annotations

import json
import socket

import pytest
import spacy

import rectify_nlp
from rectify_nlp.extractor import DEFAULT_MODEL_DIR
from rectify_nlp.text.clean import clean_text

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
    extractor = rectify_nlp.load()
    assert extractor.nlp.pipe_names == ["rules", "decide", "links"]
    assert extractor.entity_components == []  # no per-character model runs over the text
    assert extractor.nlp.get_pipe("decide").models  # trained deciders, not the rules alone


def test_the_model_card_records_data_splits_and_held_out_scores():
    card = json.loads((DEFAULT_MODEL_DIR / "model_card.json").read_text(encoding="utf-8"))
    assert card["size_mb"] <= 50
    assert card["data"]["notices"] >= 100 and len(card["data"]["sha256"]) == 64
    assert set(card["deciders"]) == set(
        rectify_nlp.load(DEFAULT_MODEL_DIR).nlp.get_pipe("decide").models)
    for by in ("province", "style"):
        table = card["heldout"][by]
        assert table["folds"] > 1 and set(table["rules"]) == set(table["model"])


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
    for i, p in enumerate(r.problems):
        assert all(r.outcomes[j].problem == i for j in p.outcomes)
    # what the deciders chose says so, with the model's probability; the rest is the rules'
    decided = [e for e in r.entities if e.source == "model"]
    assert {e.label for e in decided} >= {"ORG", "OUTCOME"}
    assert all(0.0 <= e.score <= 1.0 for e in decided)
    assert all(e.score is None for e in r.entities if e.source == "rule")


def test_spacy_load_and_rectify_load_are_the_same_computation(shipped, corpus_notices):
    """``spacy.load(path)`` on the clean text gives the entities and relations that
    ``rectify_nlp.load(path)`` returns (mapped back to the input), notice for notice."""
    nlp = spacy.load(DEFAULT_MODEL_DIR)
    for path in corpus_notices:
        text = path.read_text(encoding="utf-8")
        clean = clean_text(text)
        doc = nlp.make_doc(clean.text)
        doc._.rectify_page_date = clean.page_date_text  # what the extractor reads off the page
        doc = nlp(doc)
        result = shipped(text)
        spans = [(e.label, *clean.to_original(e.start, e.end)) for e in doc._.rectify_entities]
        got = [(e.label, e.start, e.end) for e in result.entities]
        assert sorted(got) == sorted(spans), path.name  # the result lists them in text order
        assert {(r.label, spans[r.head], spans[r.tail]) for r in doc._.relations} == \
            {(r.label, got[r.head], got[r.tail]) for r in result.relations}, path.name
        assert [(s.label_, s.start_char, s.end_char) for s in doc.spans["rectify_rules"]] == \
            [(e.label, e.start, e.end) for e in doc._.rectify_entities]


def test_shipped_model_on_hostile_input(shipped):
    assert shipped("").problems == []
    assert shipped("Hello <b>world</b>").to_dict()["entities"] == []
    assert shipped("今天天气很好。").meta["is_notice"] is False
    assert shipped("(1)" + "9" * 25 + "员问题 巡察 整改").meta["is_notice"] is True


def test_fine_tuning_the_shipped_model_on_a_users_annotations(tmp_path):
    from click.testing import CliRunner

    from rectify_nlp.cli import cli
    from rectify_nlp.corpus import CorpusRecord, write_jsonl

    record = CorpusRecord.from_parts("ft0", [
        ("2024年5月,", None), ("市委第二巡察组", "ORG"), ("对", None), ("白沙镇党委", "ORG"),
        ("开展了巡察。现将整改情况通报如下。\n一、关于“", None), ("村务公开不及时", "PROBLEM"),
        ("”问题\n整改情况:", None), ("公开村务事项86项", "OUTCOME"), ("。\n", None)])
    path = tmp_path / "mine.jsonl"
    write_jsonl([record], path)
    res = CliRunner().invoke(cli, ["train", str(path), "--out", str(tmp_path / "tuned"),
                                   "--base-model", str(DEFAULT_MODEL_DIR)])
    assert res.exit_code == 0, res.output
    tuned = rectify_nlp.load(tmp_path / "tuned")
    assert tuned.nlp.pipe_names == ["rules", "decide", "links"]
    meta = tuned.nlp.meta["rectify_training"]
    assert meta["base_model"] == str(DEFAULT_MODEL_DIR) and meta["notices"] == 1
    assert set(tuned.nlp.get_pipe("decide").models) == set(
        rectify_nlp.load(DEFAULT_MODEL_DIR).nlp.get_pipe("decide").models)
