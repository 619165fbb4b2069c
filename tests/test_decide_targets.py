"""The targets decider on openings written for the tests: what it proposes, how candidates
are labelled from gold, what ``apply`` writes back, and a decider trained on a few notices."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rectify_nlp.decide import Decider, GoldView, get_decider
from rectify_nlp.decide.linear import LinearModel
from rectify_nlp.decide.targets import (
    INSPECTOR,
    LABEL,
    TargetDecider,
    name_key,
    same_organisation,
)
from rectify_nlp.rules.analysis import analyze

BODY = "\n一、整改工作情况\n局党组高度重视巡察整改工作,成立整改工作领导小组。\n"


def _targets(text: str, label: str = LABEL) -> dict[str, object]:
    """Candidate text → candidate, for one label."""
    d = TargetDecider()
    return {c.ref.text: c for c in d.propose(text, analyze(text)) if c.label == label}


def _view(targets: list[str], inspector: str | None = None) -> GoldView:
    return GoldView({}, {"inspection": {"targets": targets, "inspector": inspector}},
                    lambda s, e: (s, e))


def test_registered_and_a_decider():
    d = get_decider("targets")
    assert isinstance(d, TargetDecider) and isinstance(d, Decider)
    assert d.name == "targets"


def test_not_a_notice_proposes_nothing():
    assert TargetDecider().propose("今天天气很好。", analyze("今天天气很好。")) == []


def test_rules_targets_are_candidates_and_marked():
    text = ("2023年4月10日至6月2日,县委第二巡察组对县水利局党组开展了常规巡察。"
            "8月15日,县委第二巡察组向县水利局党组反馈了巡察意见。" + BODY)
    cands = _targets(text)
    rule = cands["县水利局党组"]
    assert "rule" in rule.ref.proposers and "reading" in rule.ref.proposers
    assert rule.ref.where == "head"
    # the feedback sentence's mention is the same name: one candidate, at the first mention
    assert sum(1 for t in cands if t == "县水利局党组") == 1
    assert "also=feedback" in rule.ref.extra
    feats = TargetDecider().features(text, analyze(text), [rule])[0]
    assert "rule" in feats and "reading" in feats and "where=head" in feats


def test_unresolved_self_reference_reads_the_unit():
    # no signature, no title 'X关于': the rules drop 我局; the same unit written later names it
    text = ("根据县委统一部署,2023年4月10日至6月2日,县委第二巡察组对我局开展了巡察。"
            "8月15日,县委第二巡察组向我局党组反馈了巡察意见。\n一、整改工作情况\n"
            "县交通运输局党组高度重视巡察整改工作。\n")
    a = analyze(text)
    assert a.header.targets == ()
    cands = _targets(text)
    unit = cands["县交通运输局党组"]
    assert "self.unit" in unit.ref.proposers and unit.group >= 0
    assert unit.ref.resolved == "unit-after" and "reading" in unit.ref.proposers


def test_parenthesised_former_units_are_proposed_one_by_one():
    text = ("2024年3月,市委第一巡察组对市农业局党组(原市农机局党组、市畜牧局党组)开展了巡察。"
            + BODY)
    cands = _targets(text)
    for name in ("市农业局党组", "市农机局党组", "市畜牧局党组"):
        assert "reading" in cands[name].ref.proposers, name
    whole = "市农业局党组(原市农机局党组、市畜牧局党组)"
    assert whole in cands and "reading" not in cands[whole].ref.proposers


def test_group_with_dui_in_its_name_and_description_after_a_name():
    text = "2024年9月,市委对村巡察第二组对东湖镇甲村等3个村党组织开展巡察。" + BODY
    cands = _targets(text)
    assert "reading" in cands["东湖镇甲村等3个村党组织"].ref.proposers
    insp = _targets(text, INSPECTOR)
    assert "reading" in insp["市委对村巡察第二组"].ref.proposers
    text = "2024年3月,省委第二巡视组对临江市委推进乡村振兴情况开展了巡视。" + BODY
    assert "reading" in _targets(text)["临江市委"].ref.proposers


def test_extension_and_long_qualifier():
    text = ("2024年3月,市委第七巡察组对西岭街道党工委开展了巡察,并延伸巡察了北坑社区党支部和"
            "南坑社区党支部。" + BODY)
    cands = _targets(text)
    assert {"北坑社区党支部", "南坑社区党支部"} <= {t for t, c in cands.items()
                                                 if "reading" in c.ref.proposers}
    text = ("2022年6月21日至9月30日,市委第三巡察组对滨海新区党工委开展了生态环境保护和"
            "安全生产领域专项巡察。" + BODY)
    assert analyze(text).header.targets == ()
    assert "reading" in _targets(text)["滨海新区党工委"].ref.proposers


def test_title_organisation_is_a_candidate():
    text = ("中共青石镇委员会关于巡察整改进展情况的通报\n根据县委统一部署,县委第一巡察组对"
            "青石镇党委开展了巡察。" + BODY)
    cands = _targets(text)
    assert cands["中共青石镇委员会"].ref.where == "title"
    assert "title.own" in cands["中共青石镇委员会"].ref.proposers


def test_gold_one_name_per_target_alternatives_and_traditional_characters():
    text = ("中共青石镇委员会关于巡察整改进展情况的通报\n根据县委统一部署,县委第一巡察组对"
            "青石镇党委开展了巡察。" + BODY)
    d = TargetDecider()
    a = analyze(text)
    cands = d.propose(text, a)
    labels = dict(zip((c.ref.text for c in cands), d.gold(cands, _view(
        ["青石镇党委|中共青石镇委员会"], "县委第一巡察组"))))
    # both names score as the target; a second one would be a false positive: the rules' wins
    assert labels["青石镇党委"] == 1 and labels["中共青石镇委员会"] == 0
    assert labels["县委第一巡察组"] == 1
    # gold written in traditional characters matches the clean (simplified) text
    labels = dict(zip((c.ref.text for c in cands), d.gold(cands, _view(["青石鎮黨委"]))))
    assert labels["青石镇党委"] == 1


def test_names_of_one_organisation():
    assert name_key("中共青石镇委员会") == name_key("青石镇党委") == "青石镇"
    assert same_organisation("广州市荔湾区委", "荔湾区")
    assert not same_organisation("市卫生健康委党委", "市卫生健康执法总队党委")
    assert not same_organisation("甲村党支部", "乙村党支部")


def _decide(text: str, keep: dict[str, float], default: float = 0.0):
    d = TargetDecider()
    a = analyze(text)
    cands = d.propose(text, a)
    scores = [keep.get(c.ref.text, default) for c in cands]
    return a, d.apply(text, a, cands, scores, 0.5)


def test_apply_replaces_targets_in_order_one_name_each():
    text = ("中共青石镇委员会关于巡察整改进展情况的通报\n根据县委统一部署,县委第一巡察组对"
            "青石镇党委及甲村党支部开展了巡察。" + BODY)
    _, out = _decide(text, {"甲村党支部": 0.9, "青石镇党委": 0.8, "中共青石镇委员会": 0.7})
    assert [t.text for t in out.header.targets] == ["青石镇党委", "甲村党支部"]
    assert all(text[t.start:t.end] == t.text for t in out.header.targets)


def test_apply_overlaps_go_to_the_better_score():
    text = "2024年3月,市委第一巡察组对市农业局党组(原市农机局党组、市畜牧局党组)开展了巡察。" + BODY
    whole = "市农业局党组(原市农机局党组、市畜牧局党组)"
    _, out = _decide(text, {whole: 0.6, "市农业局党组": 0.9, "市农机局党组": 0.8,
                            "市畜牧局党组": 0.7})
    assert [t.text for t in out.header.targets] == ["市农业局党组", "市农机局党组", "市畜牧局党组"]
    orgs = [s for s in out.entity_spans() if s.label == "ORG"]
    texts = [s.text for s in orgs]
    assert whole not in texts and {"市农机局党组", "市畜牧局党组"} <= set(texts)
    assert all(a.end <= b.start for a, b in zip(orgs, orgs[1:]))  # no overlaps


def test_apply_inspector_only_above_the_threshold():
    text = "2024年9月,市委对村巡察第二组对东湖镇甲村等3个村党组织开展巡察。" + BODY
    a, out = _decide(text, {"市委对村巡察第二组": 0.9, "东湖镇甲村等3个村党组织": 0.9})
    assert out.header.inspector.text == "市委对村巡察第二组"
    assert [t.text for t in out.header.targets] == ["东湖镇甲村等3个村党组织"]
    a, out = _decide(text, {"东湖镇甲村等3个村党组织": 0.9})
    assert out.header.inspector == a.header.inspector  # the rules' stays


def test_apply_unchanged_leaves_org_entities_to_the_rules():
    text = "2023年4月,县委第二巡察组对县水利局党组开展了常规巡察。" + BODY
    a, out = _decide(text, {"县水利局党组": 0.9, "县委第二巡察组": 0.9})
    assert [t.text for t in out.header.targets] == ["县水利局党组"]
    assert out.org_entities is None
    assert out.entity_spans() == a.entity_spans()


def test_apply_replaces_the_old_targets_in_decided_org_entities():
    text = "2024年3月,省委第二巡视组对临江市委推进乡村振兴情况开展了巡视。" + BODY
    a = analyze(text)
    old = a.header.targets[0]
    assert old.text == "临江市委推进乡村振兴情况"
    # another decider chose the ORG entities: the old target among them
    decided = replace(a, org_entities=(a.header.inspector, old))
    d = TargetDecider()
    cands = d.propose(text, decided)
    scores = [0.9 if c.ref.text in ("临江市委", "省委第二巡视组") else 0.1 for c in cands]
    out = d.apply(text, decided, cands, scores, 0.5)
    assert [t.text for t in out.header.targets] == ["临江市委"]
    assert [s.text for s in out.org_entities] == ["省委第二巡视组", "临江市委"]


def test_no_header_sentence_does_not_fail():
    text = "关于巡察整改进展情况的通报\n市卫生局党委高度重视巡察整改工作,成立领导小组。\n"
    d = TargetDecider()
    a = analyze(text)
    cands = d.propose(text, a)
    feats = d.features(text, a, cands)
    assert len(feats) == len(cands) and all(feats)
    out = d.apply(text, a, cands, [0.0] * len(cands), 0.5)
    assert out.header.targets == ()


# --------------------------------------------------------------------- trained end to end

_TRAIN = [
    ("2023年4月,县委第一巡察组对我局开展了巡察。5月,县委第一巡察组向我局党组反馈了巡察意见。\n"
     "一、整改情况\n县财政局党组高度重视整改工作。\n", ["县财政局党组|县财政局"]),
    ("2023年5月,县委第二巡察组对我院党组开展了巡察。\n一、整改情况\n县人民医院党组认真整改。\n",
     ["县人民医院党组"]),
    ("2023年6月,市委第三巡察组对东城区委推进营商环境建设情况开展了巡察。\n一、整改情况\n"
     "东城区委认真整改。\n", ["东城区委"]),
    ("2023年7月,市委第四巡察组对市林业局党组(原市园林局党组、市绿化办党组)开展了巡察。\n"
     "一、整改情况\n认真整改。\n", ["市林业局党组", "市园林局党组", "市绿化办党组"]),
    ("2023年8月,市委第五巡察组对市水务局党组开展了巡察。\n一、整改情况\n认真整改。\n",
     ["市水务局党组"]),
    ("2023年9月,市委第六巡察组对西湖街道党工委开展了巡察,8月2日向西湖街道党工委反馈了意见。\n"
     "一、整改情况\n认真整改。\n", ["西湖街道党工委"]),
    ("中共南山镇委员会关于巡察整改进展情况的通报\n2023年10月,县委第二巡察组对南山镇党委开展了"
     "巡察。\n一、整改情况\n认真整改。\n", ["南山镇党委|中共南山镇委员会"]),
]


@pytest.fixture(scope="module")
def trained_extractor():
    from rectify_nlp.decide.train import decide_pipeline, prepare, train_component
    from rectify_nlp.extractor import Extractor

    triples = [(f"t{i}", {"inspection": {"targets": g}}, t) for i, (t, g) in enumerate(_TRAIN)]
    component = train_component(["targets"], prepare(triples))
    assert isinstance(component.models["targets"], LinearModel)
    return Extractor(decide_pipeline(component))


def test_trained_decider_resolves_a_self_reference_the_rules_drop(trained_extractor):
    import rectify_nlp

    text = ("2024年3月,区委第三巡察组对我委开展了巡察。4月,区委第三巡察组向我委党组反馈了巡察"
            "意见。\n一、整改情况\n区发改委党组高度重视整改工作。\n")
    assert rectify_nlp.load("rules")(text).inspection.targets == []
    assert trained_extractor(text).inspection.targets == ["区发改委党组"]


def test_trained_decider_keeps_an_ordinary_target(trained_extractor):
    text = ("中共北山镇委员会关于巡察整改进展情况的通报\n2024年3月,县委第四巡察组对北山镇党委"
            "开展了巡察。\n一、整改情况\n认真整改。\n")
    r = trained_extractor(text)
    assert r.inspection.targets == ["北山镇党委"]
    assert r.inspection.inspector == "县委第四巡察组"
