"""The OUTCOME decider on sentences written for the tests: anchors, extents, features, decisions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rectify_nlp.decide import get_decider
from rectify_nlp.decide.base import Candidate, GoldView
from rectify_nlp.decide.component import DecideComponent
from rectify_nlp.decide.linear import LinearModel
from rectify_nlp.decide.outcomes import OutcomeDecider, metric_of
from rectify_nlp.rules.analysis import analyze

NOTICE = (
    "关于巡察整改进展情况的通报\n"
    "巡察反馈后,区委成立4个督查小组,累计开展督导12次。街道执法队共出动执法人员120人次,"
    "清理乱堆放杂物35处;对城郊3条道路开展集中整治。镇党委计划新增停车位200个。\n"
)


def _at(text: str, cands: list[Candidate], span: str) -> Candidate:
    return next(c for c in cands if text[c.start:c.end] == span)


@pytest.fixture(scope="module")
def proposed() -> tuple[OutcomeDecider, object, list[Candidate]]:
    decider = OutcomeDecider()
    analysis = analyze(NOTICE)
    return decider, analysis, decider.propose(NOTICE, analysis)


def test_registered() -> None:
    assert isinstance(get_decider("outcomes"), OutcomeDecider)
    assert OutcomeDecider.name == "outcomes"


def test_each_number_is_a_group_of_extents(proposed) -> None:
    _, analysis, cands = proposed
    texts = {NOTICE[c.start:c.end] for c in cands}
    # the rules' own spans are candidates, named after the boundaries that proposed them
    for o in analysis.outcomes:
        c = _at(NOTICE, cands, o.span.text)
        assert "rule" in c.proposer.split(":")[1]
        assert c.proposer.startswith("outcomes.rules:")
    # with the alternatives the guidelines ask for: after the actor, at the number
    assert {"成立4个督查小组", "区委成立4个督查小组", "4个督查小组", "3条道路",
            "对城郊3条道路"} <= texts
    # a number the rule rejected (a plan) is proposed too, as a new anchor
    planned = _at(NOTICE, cands, "新增停车位200个")
    assert planned.proposer.startswith("outcomes.anchor:")
    # one group per number, and every candidate holds its number and no other
    groups: dict[int, set[str]] = {}
    for c in cands:
        q = c.ref.anchor
        assert c.start <= q.qs < q.qe <= c.end and c.label == "OUTCOME"
        groups.setdefault(c.group, set()).add(NOTICE[q.qs:q.qe])
    assert sorted(g.pop() for g in groups.values() if len(g) == 1) == sorted(
        ["4个", "12次", "120人次", "35处", "3条", "200个"])
    for c in cands:
        inside = NOTICE[c.start:c.end]
        assert sum(ch.isdigit() and not inside[i - 1:i].isdigit()
                   for i, ch in enumerate(inside)) == 1
        assert "\n" not in inside and "。" not in inside


def test_features_one_list_per_candidate(proposed) -> None:
    decider, analysis, cands = proposed
    feats = decider.features(NOTICE, analysis, cands)
    assert len(feats) == len(cands)
    for c, f in zip(cands, feats):
        assert all(isinstance(x, str) for x in f)
        assert ("a:o=rule" in f) == (c.ref.anchor.mention is not None)
        assert 20 <= len(f) <= 100
    at_verb = feats[cands.index(_at(NOTICE, cands, "成立4个督查小组"))]
    assert "l:shape=V-" in at_verb and "lr:rel=>=" in at_verb
    plan = feats[cands.index(_at(NOTICE, cands, "新增停车位200个"))]
    assert "a:plan|new" in plan


def test_gold_marks_exact_spans_only(proposed) -> None:
    decider, _, cands = proposed
    a = NOTICE.index("成立4个督查小组")
    view = GoldView({"OUTCOME": frozenset({(a, a + 8)})}, {}, lambda s, e: (s, e))
    kept = [NOTICE[c.start:c.end] for c, y in zip(cands, decider.gold(cands, view)) if y]
    assert kept == ["成立4个督查小组"]


def test_apply_rebuilds_the_outcomes(proposed) -> None:
    decider, analysis, cands = proposed
    pick = {"成立4个督查小组": 0.9, "区委成立4个督查小组": 0.8, "开展督导12次": 0.9,
            "出动执法人员120人次": 0.9, "3条道路": 0.7, "对城郊3条道路": 0.6}
    scores = [pick.get(NOTICE[c.start:c.end], 0.01) for c in cands]
    out = decider.apply(NOTICE, analysis, cands, scores, 0.5)
    assert [o.span.text for o in out.outcomes] == [
        "成立4个督查小组", "开展督导12次", "出动执法人员120人次", "3条道路"]
    rules = {o.quantity: o for o in analysis.outcomes}
    for o in out.outcomes:
        assert NOTICE[o.span.start:o.span.end] == o.span.text and o.span.label == "OUTCOME"
        assert o.span.contains(o.quantity)
        assert o.value == rules[o.quantity].value  # the quantity and its value stay the rule's
    # the metric follows the extent; a number-first span takes its modifier from the rule
    assert [o.metric for o in out.outcomes] == ["成立督查小组", "开展督导", "出动执法人员",
                                                "城郊道路"]
    # everything else is the rules' analysis
    assert replace(out, outcomes=()) == replace(analysis, outcomes=())
    assert [s.text for s in out.entity_spans() if s.label == "OUTCOME"] == [
        o.span.text for o in out.outcomes]
    # nothing scored: no outcome
    assert decider.apply(NOTICE, analysis, cands, [0.0] * len(cands), 0.5).outcomes == ()


def test_overlaps_resolved_best_first(proposed) -> None:
    decider, analysis, cands = proposed
    # 清理乱堆放杂物35处 and a long extent of 3条 that would swallow it cannot both stay
    scores = [0.0] * len(cands)
    for c in cands:
        t = NOTICE[c.start:c.end]
        if t == "35处":
            scores[cands.index(c)] = 0.9
        if t == "3条道路":
            scores[cands.index(c)] = 0.8
        if t == "对城郊3条道路":
            scores[cands.index(c)] = 0.85
    got = [o.span.text for o in decider.apply(NOTICE, analysis, cands, scores, 0.5).outcomes]
    assert got == ["35处", "对城郊3条道路"]
    spans = [(o.span.start, o.span.end) for o in
             decider.apply(NOTICE, analysis, cands, [0.9] * len(cands), 0.5).outcomes]
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_a_rule_anchor_needs_less_than_a_new_one(proposed) -> None:
    decider, analysis, cands = proposed
    scores = [0.4 if NOTICE[c.start:c.end] in ("开展督导12次", "新增停车位200个") else 0.0
              for c in cands]
    got = [o.span.text for o in decider.apply(NOTICE, analysis, cands, scores, 0.5).outcomes]
    assert got == ["开展督导12次"]
    scores = [0.9 if NOTICE[c.start:c.end] == "新增停车位200个" else s
              for c, s in zip(cands, scores)]
    got = [o.span.text for o in decider.apply(NOTICE, analysis, cands, scores, 0.5).outcomes]
    assert got == ["开展督导12次", "新增停车位200个"]


def test_metric_of_an_extent(proposed) -> None:
    _, _, cands = proposed
    c = _at(NOTICE, cands, "累计开展督导12次")
    assert metric_of(NOTICE, c.ref.anchor, c.start, c.end) == "累计开展督导"
    bare = _at(NOTICE, cands, "120人次")
    assert metric_of(NOTICE, bare.ref.anchor, bare.start, bare.end) == "出动执法人员"


def _toy_model(decider: OutcomeDecider, texts: list[str], wanted: set[str]) -> LinearModel:
    feats: list[list[str]] = []
    labels: list[int] = []
    for text in texts:
        analysis = analyze(text)
        cands = decider.propose(text, analysis)
        feats += decider.features(text, analysis, cands)
        labels += [int(text[c.start:c.end] in wanted) for c in cands]
    return LinearModel.fit(feats, labels, epochs=20, seed=1)


TRAIN = [
    "巡察整改以来,街道党工委成立3个专项工作组,镇纪委组建5个督导组。",
    "巡察反馈后,县委成立6个整改专班,县纪委组建2个核查组,累计开展督查9次。",
]
WANTED = {"成立3个专项工作组", "组建5个督导组", "成立6个整改专班", "组建2个核查组", "开展督查9次"}


def test_a_trained_model_changes_the_rules_extent() -> None:
    decider = OutcomeDecider()
    model = _toy_model(decider, TRAIN, WANTED)
    analysis = analyze(NOTICE)
    assert "区委成立4个督查小组" in [o.span.text for o in analysis.outcomes]
    cands = decider.propose(NOTICE, analysis)
    scores = model.scores(decider.features(NOTICE, analysis, cands)).tolist()
    got = [o.span.text for o in decider.apply(NOTICE, analysis, cands, scores, 0.5).outcomes]
    assert "成立4个督查小组" in got and "区委成立4个督查小组" not in got


def test_not_a_notice_proposes_nothing() -> None:
    text = "今天天气很好,走了8000步。"
    assert OutcomeDecider().propose(text, analyze(text)) == []


def test_extractor_with_the_decider(township_text: str) -> None:
    from rectify_nlp.decide.train import decide_pipeline
    from rectify_nlp.extractor import Extractor
    from rectify_nlp.validation import schema_errors

    decider = OutcomeDecider()
    component = DecideComponent(None, "decide", ["outcomes"])
    component.set_model("outcomes", _toy_model(decider, TRAIN, WANTED))
    extractor = Extractor(decide_pipeline(component))
    for text in (township_text, NOTICE):
        data = extractor(text).to_dict()
        assert schema_errors(data) == []
        for e in data["entities"]:
            assert text[e["start"]:e["end"]] == e["text"]
        outcome_spans = [(e["start"], e["end"]) for e in data["entities"]
                         if e["label"] == "OUTCOME"]
        assert [(o["start"], o["end"]) for o in data["outcomes"]] == outcome_spans
        for o in data["outcomes"]:
            assert text[o["start"]:o["end"]] == o["raw"]
    got = {o["raw"]: o for o in extractor(NOTICE).to_dict()["outcomes"]}
    assert got["成立4个督查小组"]["value"] == 4 and got["成立4个督查小组"]["unit"] == "个"


def test_candidates_survive_odd_text() -> None:
    decider = OutcomeDecider()
    for text in ("巡察整改" + "1个" * 40, "巡察整改共(((3次)))", "整改巡视" + "、" * 30 + "5人",
                 "巡察整改,完成率100%以上", "巡察整改排名第3,占比1/5"):
        analysis = analyze(text)
        cands = decider.propose(text, analysis)
        feats = decider.features(text, analysis, cands)
        out = decider.apply(text, analysis, cands, [0.9] * len(cands), 0.5)
        assert len(feats) == len(cands)
        spans = [(o.span.start, o.span.end) for o in out.outcomes]
        assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
        assert all(text[o.span.start:o.span.end] == o.span.text for o in out.outcomes)
