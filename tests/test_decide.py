"""Rules propose, trained deciders choose: the framework every decider plugs into."""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import replace

import pytest

import rectify_nlp
from rectify_nlp.decide import base
from rectify_nlp.decide.base import Candidate, GoldView, best_of_groups, get_decider
from rectify_nlp.decide.component import DecideComponent
from rectify_nlp.decide.linear import LinearModel, hash_features
from rectify_nlp.decide.train import decide_pipeline, examples, gold_view, prepare
from rectify_nlp.extractor import Extractor
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.text.clean import clean_text
from rectify_nlp.validation import schema_errors


class ToyDecider:
    """Proposes every ORG the rules found; keeps those the model accepts."""

    name = "toy"

    def propose(self, text: str, analysis: RuleAnalysis) -> list[Candidate]:
        return [Candidate(s.start, s.end, "ORG", "rules.entity_spans", ref=s)
                for s in analysis.entity_spans() if s.label == "ORG"]

    def features(self, text: str, analysis: RuleAnalysis,
                 candidates: Sequence[Candidate]) -> list[list[str]]:
        return [["bias", f"last={text[c.end - 1]}"] for c in candidates]

    def gold(self, candidates: Sequence[Candidate], gold: GoldView) -> list[int]:
        return [int((c.start, c.end) in gold.spans("ORG")) for c in candidates]

    def apply(self, text: str, analysis: RuleAnalysis, candidates: Sequence[Candidate],
              scores: Sequence[float], threshold: float) -> RuleAnalysis:
        kept = best_of_groups(candidates, scores, threshold)
        return replace(analysis, org_entities=tuple(candidates[i].ref for i in kept))


@pytest.fixture()
def toy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(base._DECIDERS, "toy", "test_decide:ToyDecider")


def test_hashing_is_stable_across_processes():
    assert hash_features(["suffix=委员会"], 18).tolist() == [
        zlib.crc32("suffix=委员会".encode()) & (2**18 - 1)]


def test_linear_model_learns_and_round_trips():
    feats = [["proposer=orgs", "suffix=巡察组"], ["proposer=orgs", "suffix=同志"]] * 30
    model = LinearModel.fit(feats, [1, 0] * 30, n_bits=12, epochs=4)
    keep, drop = model.scores(feats[:2])
    assert keep > 0.8 > 0.2 > drop
    again = LinearModel.from_bytes(model.to_bytes())
    assert again.scores(feats[:2]).tolist() == model.scores(feats[:2]).tolist()


def test_linear_model_rejects_bad_arguments():
    with pytest.raises(ValueError):
        LinearModel.fit([["a"]], [1, 0])
    with pytest.raises(ValueError):
        LinearModel(n_bits=40)


def test_alternatives_of_one_group_keep_the_best():
    cands = [Candidate(0, 4, "ORG", "orgs.find", 7), Candidate(0, 7, "ORG", "orgs.left", 7),
             Candidate(9, 12, "ORG", "orgs.find")]
    assert best_of_groups(cands, [0.7, 0.8, 0.4], 0.5) == [1]
    assert best_of_groups(cands, [0.2, 0.3, 0.4], 0.5) == []


def test_unknown_decider_is_named():
    with pytest.raises(KeyError, match="unknown decider 'nope'"):
        get_decider("nope")
    with pytest.raises(KeyError):
        DecideComponent(None, "decide", ["toy"])


def test_gold_view_maps_original_offsets_to_the_clean_text():
    original = "<p>县委第三巡察组对中共青山镇委员会开展了巡察。</p>"
    clean = clean_text(original)
    start = original.index("县委第三巡察组")
    view = gold_view({"entities": [{"label": "ORG", "start": start, "end": start + 7}]}, clean)
    (s, e), = view.spans("ORG")
    assert clean.text[s:e] == "县委第三巡察组"


def test_an_untrained_decider_leaves_the_rules_alone(toy, township_text):
    extractor = Extractor(decide_pipeline(DecideComponent(None, "decide", ["toy"])))
    assert extractor(township_text).to_dict()["entities"] == \
        rectify_nlp.load("rules")(township_text).to_dict()["entities"]


def test_a_trained_decider_changes_what_the_user_sees(toy, township_text):
    """Trained to drop organisations whose name ends in 组, the pipeline drops them."""
    component = DecideComponent(None, "decide", ["toy"])
    feats = [["bias", "last=组"], ["bias", "last=会"]] * 20
    component.set_model("toy", LinearModel.fit(feats, [0, 1] * 20, n_bits=12))
    result = Extractor(decide_pipeline(component))(township_text)
    orgs = [e.text for e in result.entities if e.label == "ORG"]
    rules_orgs = [e.text for e in rectify_nlp.load("rules")(township_text).entities
                  if e.label == "ORG"]
    assert any(t.endswith("组") for t in rules_orgs)
    assert orgs and not any(t.endswith("组") for t in orgs)
    assert result.meta["chunks"] == 0  # no entity model ran over the text
    assert not schema_errors(result.to_dict())
    for e in result.entities:
        assert township_text[e.start:e.end] == e.text


def test_a_saved_pipeline_loads_with_its_decisions(toy, township_text, tmp_path):
    component = DecideComponent(None, "decide", ["toy"])
    feats = [["bias", "last=组"], ["bias", "last=会"]] * 20
    component.set_model("toy", LinearModel.fit(feats, [0, 1] * 20, n_bits=12))
    decide_pipeline(component).to_disk(tmp_path / "pipeline")
    loaded = rectify_nlp.load(tmp_path / "pipeline")
    assert loaded(township_text) == Extractor(decide_pipeline(component))(township_text)


def test_examples_label_candidates_from_gold(toy, township_text):
    result = rectify_nlp.load("rules")(township_text).to_dict()
    gold = {"entities": [e for e in result["entities"] if e["label"] == "ORG"][:1]}
    feats, labels = examples(get_decider("toy"), prepare([("t", gold, township_text)]))
    assert len(feats) == len(labels) > 1
    assert sum(labels) == 1


def _gold_folder(tmp_path, text: str, keep_suffix: str):
    """A gold folder of one notice whose ORG entities are the rules' ending in keep_suffix."""
    import json

    result = rectify_nlp.load("rules")(text).to_dict()
    kept = [e for e in result["entities"] if e["label"] == "ORG" and e["text"].endswith(keep_suffix)]
    folder = tmp_path / "gold"
    (tmp_path / "notices").mkdir()
    folder.mkdir()
    (tmp_path / "notices" / "a.txt").write_text(text, encoding="utf-8")
    (folder / "a.json").write_text(json.dumps({"entities": kept, "relations": []},
                                              ensure_ascii=False), encoding="utf-8")
    return folder


def test_rectify_train_decide_then_fine_tune(toy, township_text, tmp_path):
    from click.testing import CliRunner

    from rectify_nlp.cli import cli

    gold = _gold_folder(tmp_path, township_text, "委员会")
    runner = CliRunner()
    res = runner.invoke(cli, ["train", str(gold), "--out", str(tmp_path / "m"), "--decide",
                               "--deciders", "toy"])
    assert res.exit_code == 0, res.output
    trained = rectify_nlp.load(tmp_path / "m")
    orgs = {e.text for e in trained(township_text).entities if e.label == "ORG"}
    assert orgs and all(t.endswith("委员会") for t in orgs)
    # a user's annotations that keep the 巡察组 instead: fine-tuning from the model changes it
    # (reversing what the base learnt takes more passes than the default few)
    (tmp_path / "user").mkdir()
    gold2 = _gold_folder(tmp_path / "user", township_text, "组")
    res = runner.invoke(cli, ["train", str(gold2), "--out", str(tmp_path / "m2"),
                               "--base-model", str(tmp_path / "m"), "--epochs", "20"])
    assert res.exit_code == 0, res.output
    tuned = rectify_nlp.load(tmp_path / "m2")
    assert any(e.text.endswith("组") for e in tuned(township_text).entities if e.label == "ORG")
    assert tuned.nlp.meta["rectify_training"]["base_model"] == str(tmp_path / "m")
    # nothing is overwritten without asking
    res = runner.invoke(cli, ["train", str(gold), "--out", str(tmp_path / "m"), "--decide",
                               "--deciders", "toy"])
    assert res.exit_code != 0 and "exists" in res.output


def test_a_model_keeps_its_examples_and_fine_tuning_rehearses_them():
    """Fine-tuning refits on the base model's own examples plus the new ones (weighted), so a
    few new examples move what they speak about and leave the rest."""
    feats = [["proposer=orgs", "suffix=巡察组"], ["proposer=orgs", "suffix=同志"],
             ["proposer=orgs", "suffix=委员会"]] * 20
    base = LinearModel.fit(feats, [1, 0, 1] * 20, n_bits=12)
    again = LinearModel.from_bytes(base.to_bytes())
    assert again.examples is not None and len(again.examples.labels) == 60
    assert again.scores(feats[:3]).tolist() == base.scores(feats[:3]).tolist()
    tuned = LinearModel.fit([["proposer=orgs", "suffix=同志"]] * 4, [1] * 4, rehearse=again,
                            n_bits=12, new_weight=20.0)
    before, after = base.scores(feats[:3]), tuned.scores(feats[:3])
    assert after[1] > before[1]                 # the user's label moved its candidates
    assert after[0] > 0.5 and after[2] > 0.5    # what they did not speak about is kept
    assert len(tuned.examples.labels) == 64
