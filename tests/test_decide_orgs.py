"""The ORG decider on notices written for the tests: candidates, features, gold, decisions."""

from __future__ import annotations

from dataclasses import replace

import pytest

from rectify_nlp.decide import get_decider
from rectify_nlp.decide.base import Candidate, GoldView
from rectify_nlp.decide.component import DecideComponent
from rectify_nlp.decide.linear import LinearModel
from rectify_nlp.decide.orgs import OrgDecider
from rectify_nlp.rules.analysis import analyze

NOTICE = (
    "中共上乡镇委员会关于巡察整改进展情况的通报\n"
    "2024年3月5日,县委第三轮巡察组对上乡镇党委开展了常规巡察。"
    "5月10日,县委第三轮巡察组向上乡镇党委反馈了巡察意见。\n"
    "上乡镇党委坚持把巡察整改作为重大政治任务,成立上乡镇巡察整改工作领导小组,"
    "由镇党委书记任组长。县政协党组、县人大常委会党组给予指导。\n"
    "中共上乡镇委员会\n2024年8月1日"
)


def _texts(text: str, cands: list[Candidate]) -> set[str]:
    return {text[c.start:c.end] for c in cands}


@pytest.fixture(scope="module")
def proposed() -> tuple[OrgDecider, object, list[Candidate]]:
    decider = OrgDecider()
    analysis = analyze(NOTICE)
    return decider, analysis, decider.propose(NOTICE, analysis)


def test_registered() -> None:
    assert isinstance(get_decider("orgs"), OrgDecider)
    assert OrgDecider.name == "orgs"


def test_candidates_cover_the_rules_and_their_alternatives(proposed) -> None:
    decider, analysis, cands = proposed
    texts = _texts(NOTICE, cands)
    # every ORG entity of the rules is a candidate, named after the rule that found it
    rule_orgs = {s.text for s in analysis.entity_spans() if s.label == "ORG"}
    assert rule_orgs <= texts
    assert any(c.proposer.startswith(("orgs.", "header.", "signature.")) for c in cands)
    # names the rules drop or cut: an inspection group with an ordinal, a party group after an
    # organ, a working group with its place
    assert {"县委第三轮巡察组", "县政协党组", "上乡镇巡察整改工作领导小组"} <= texts
    # a name never runs over a preposition (…巡察组对上乡镇党委)
    assert not any("对上乡镇" in t or t.startswith("由") for t in texts)


def test_candidates_point_at_their_characters(proposed) -> None:
    _, _, cands = proposed
    assert cands == sorted(cands, key=lambda c: (c.start, c.end))
    assert len({(c.start, c.end) for c in cands}) == len(cands)
    for c in cands:
        assert 0 <= c.start < c.end <= len(NOTICE)
        assert c.label == "ORG" and c.proposer
        assert "\n" not in NOTICE[c.start:c.end]


def test_alternatives_of_one_suffix_share_a_group(proposed) -> None:
    _, _, cands = proposed
    by_text = {NOTICE[c.start:c.end]: c for c in cands}
    assert by_text["上乡镇巡察整改工作领导小组"].group == by_text["整改工作领导小组"].group
    assert by_text["县委第三轮巡察组"].group != by_text["县政协党组"].group


def test_features_one_list_per_candidate(proposed) -> None:
    decider, analysis, cands = proposed
    feats = decider.features(NOTICE, analysis, cands)
    assert len(feats) == len(cands)
    for c, f in zip(cands, feats):
        assert all(isinstance(x, str) for x in f)
        assert f"prop={c.proposer}" in f
        assert 10 <= len(f) <= 80
    same = [f for c, f in zip(cands, feats) if NOTICE[c.start:c.end] == "县政协"][0]
    assert "rel=same" in same


def test_gold_marks_exact_spans_only(proposed) -> None:
    decider, _, cands = proposed
    a = NOTICE.index("县政协党组")
    view = GoldView({"ORG": frozenset({(a, a + 5)})}, {}, lambda s, e: (s, e))
    labels = decider.gold(cands, view)
    kept = [NOTICE[c.start:c.end] for c, y in zip(cands, labels) if y]
    assert kept == ["县政协党组"]


def test_apply_keeps_the_best_non_overlapping(proposed) -> None:
    decider, analysis, cands = proposed
    pick = {"县政协党组": 0.95, "县政协": 0.9, "县委第三轮巡察组": 0.95, "巡察组": 0.9}
    scores = [pick.get(NOTICE[c.start:c.end], 0.01) for c in cands]
    out = decider.apply(NOTICE, analysis, cands, scores, 0.5)
    ents = out.org_entities
    assert ents is not None
    # the two inspection groups and the party group; the header's target stays an entity
    target = analysis.header.targets[0]
    assert [e.text for e in ents] == ["县委第三轮巡察组", target.text, "县委第三轮巡察组",
                                      "县政协党组"]
    assert (ents[1].start, ents[1].end) == (target.start, target.end)
    for e in ents:
        assert NOTICE[e.start:e.end] == e.text and e.label == "ORG"
    assert all(x.end <= y.start for x, y in zip(ents, ents[1:]))
    # the header and the signature are another decider's
    assert out.header == analysis.header and out.signature == analysis.signature
    orgs = [s for s in out.entity_spans() if s.label == "ORG"]
    assert [s.text for s in orgs] == [e.text for e in ents]
    # nothing scored: only what the header names is left
    none = decider.apply(NOTICE, analysis, cands, [0.0] * len(cands), 0.5).org_entities
    assert [(e.start, e.end) for e in none] == [(t.start, t.end) for t in analysis.header.targets]


def test_a_span_of_the_rules_needs_less_than_a_new_one(proposed) -> None:
    decider, analysis, cands = proposed
    # the same middling score keeps the rules' 县政协 but not the new 县政协党组
    scores = [0.45 if NOTICE[c.start:c.end] in ("县政协", "县政协党组") else 0.0 for c in cands]
    got = [e.text for e in decider.apply(NOTICE, analysis, cands, scores, 0.5).org_entities]
    assert "县政协" in got and "县政协党组" not in got


def _toy_model(decider: OrgDecider, texts: list[str], wanted: set[str]) -> LinearModel:
    feats: list[list[str]] = []
    labels: list[int] = []
    for text in texts:
        analysis = analyze(text)
        cands = decider.propose(text, analysis)
        feats += decider.features(text, analysis, cands)
        labels += [int(text[c.start:c.end] in wanted) for c in cands]
    return LinearModel.fit(feats, labels, epochs=20, seed=1)


TRAIN = [
    "2023年4月,市委第二轮巡察组对东岭街道党工委开展了巡察。市政协党组、市人大常委会党组"
    "多次听取整改汇报,东岭街道党工委成立东岭街道巡察整改工作领导小组。",
    "6月,区委第四轮巡察组向西湖镇党委反馈了巡察意见。区政协党组专题研究,"
    "西湖镇党委成立西湖镇巡察整改工作领导小组。",
]


def test_a_trained_model_changes_the_rules_decision() -> None:
    decider = OrgDecider()
    wanted = {"市委第二轮巡察组", "市政协党组", "市人大常委会党组", "东岭街道党工委",
              "东岭街道巡察整改工作领导小组", "区委第四轮巡察组", "区政协党组", "西湖镇党委",
              "西湖镇巡察整改工作领导小组"}
    model = _toy_model(decider, [t + "巡察整改通报" for t in TRAIN], wanted)
    analysis = analyze(NOTICE)
    rules = {s.text for s in analysis.entity_spans() if s.label == "ORG"}
    cands = decider.propose(NOTICE, analysis)
    decided = decider.apply(NOTICE, analysis, cands,
                            model.scores(decider.features(NOTICE, analysis, cands)).tolist(), 0.5)
    got = {s.text for s in decided.entity_spans() if s.label == "ORG"}
    assert "县政协党组" in got and "县政协" not in got
    assert got != rules


def test_not_a_notice_proposes_nothing() -> None:
    decider = OrgDecider()
    analysis = analyze("今天天气很好。")
    assert decider.propose("今天天气很好。", analysis) == []


def test_extractor_with_the_decider(township_text: str) -> None:
    from rectify_nlp.decide.train import decide_pipeline
    from rectify_nlp.extractor import Extractor
    from rectify_nlp.validation import schema_errors

    decider = OrgDecider()
    component = DecideComponent(None, "decide", ["orgs"])
    component.set_model("orgs", _toy_model(decider, [t + "巡察整改通报" for t in TRAIN],
                                           {"市政协党组", "区政协党组", "西湖镇党委"}))
    extractor = Extractor(decide_pipeline(component))
    for text in (township_text, NOTICE):
        result = extractor(text)
        data = result.to_dict()
        assert schema_errors(data) == []
        for e in data["entities"]:
            assert text[e["start"]:e["end"]] == e["text"]
    orgs = [e for e in extractor(NOTICE).to_dict()["entities"] if e["label"] == "ORG"]
    assert orgs and all(a["end"] <= b["start"] for a, b in zip(orgs, orgs[1:]))


def test_candidates_survive_odd_text() -> None:
    decider = OrgDecider()
    for text in ("巡察整改" + "局" * 50, "巡察整改(((()))党委", "整改巡视组" + "、" * 30 + "市"):
        analysis = analyze(text)
        cands = decider.propose(text, analysis)
        feats = decider.features(text, analysis, cands)
        out = decider.apply(text, analysis, cands, [0.9] * len(cands), 0.5)
        assert len(feats) == len(cands)
        ents = out.org_entities or ()
        assert all(x.end <= y.start for x, y in zip(ents, ents[1:]))
        assert replace(out, org_entities=None) == replace(analysis, org_entities=None)


# -- context features, the rules' public names, scores shared by one name's mentions ---------

def _features_of(text: str, wanted: str) -> list[str]:
    """The features of the candidate whose string is ``wanted`` (the first such)."""
    decider = OrgDecider()
    analysis = analyze(text)
    cands = decider.propose(text, analysis)
    feats = decider.features(text, analysis, cands)
    hits = [f for c, f in zip(cands, feats) if text[c.start:c.end] == wanted]
    assert hits, f"{wanted} is not a candidate"
    return hits[0]


def test_a_verb_inside_a_span_is_a_feature() -> None:
    # the rule reads the subject and its verb as one name: 县科协|高度重视|巡察组
    text = "巡察整改情况\n县科协高度重视巡察组反馈意见,成立整改工作领导小组。"
    assert "inner_word" in _features_of(text, "县科协高度重视巡察组")
    assert "inner_word" not in _features_of(text, "县科协")


def test_a_level_word_after_a_verb_and_a_counter_before_a_name_are_features() -> None:
    text = ("巡察整改情况\n认真领会市委巡察组反馈意见。召开3场县委常委会(扩大)会议,"
            "市委第二巡察组对我局开展巡察。")
    assert "inner_level" in _features_of(text, "领会市委巡察组")
    assert "inner_level" not in _features_of(text, "市委巡察组")
    assert "starts_counter" in _features_of(text, "场县委常委会")
    assert "after_count" in _features_of(text, "县委常委会")


def test_page_chrome_and_aliases_are_features() -> None:
    text = ("2022年5月9日 来源:青山市科协 阅读312次\n"
            "市委第二巡察组对青山市科学技术协会党组(以下简称“市科协党组”)开展巡察整改。")
    assert "chrome_line" in _features_of(text, "青山市科协")
    assert "chrome_line" not in _features_of(text, "市委第二巡察组")
    assert "alias" in _features_of(text, "市科协党组")


def test_list_items_and_self_references_are_features() -> None:
    text = "巡察整改情况\n区人大常委会党组、区政府党组、区政协党组先后召开会议,集团党委书记带头抓整改。"
    assert "in_list" in _features_of(text, "区政府党组")
    assert "self_start" in _features_of(text, "集团党委")


def test_mentions_of_one_name_share_their_score() -> None:
    from rectify_nlp.decide import orgs as decide_orgs

    text = "市委巡察组向青石镇党委反馈意见。青石镇党委召开会议。巡视整改"
    a = text.index("青石镇党委")
    b = text.index("青石镇党委", a + 1)
    cands = [Candidate(a, a + 5, "ORG", "alt.suffix", 0),
             Candidate(b, b + 5, "ORG", "alt.suffix", 1)]
    analysis = analyze(text)
    # the second mention scores just below what a new span needs; the first scores high
    keep_new = 0.5 + 0.5 * decide_orgs._ALT_MARGIN
    low, high = keep_new - 0.01, 0.99
    assert low + decide_orgs._SAME_STRING_WEIGHT * ((high + low) / 2 - low) >= keep_new
    alone = OrgDecider().apply(text, analysis, cands[1:], [low], 0.5).org_entities
    assert (b, b + 5) not in [(e.start, e.end) for e in alone]
    out = OrgDecider().apply(text, analysis, cands, [high, low], 0.5).org_entities
    assert [(e.start, e.end) for e in out if e.text == "青石镇党委"] == [(a, a + 5), (b, b + 5)]


def test_the_decider_reads_only_public_names_of_the_rule() -> None:
    import inspect

    import rectify_nlp.decide.orgs as decide_orgs
    from rectify_nlp.rules import orgs as org_rules

    assert "org_rules._" not in inspect.getsource(decide_orgs)
    for name in ("SUFFIX_RE", "VERBS", "BOUNDARY_WORDS", "COMMON_WORDS", "BOUNDARY_EXCEPT",
                 "BAD_HEAD_RE", "remaining_name", "is_generic_head"):
        assert name in org_rules.__all__
    assert org_rules.SUFFIX_RE.search("荔湾区委员会") and not org_rules.SUFFIX_RE.fullmatch("局面")
    assert org_rules.is_generic_head(org_rules.remaining_name("区物业"))
    assert not org_rules.is_generic_head(org_rules.remaining_name("荔湾区"))


def test_features_survive_hostile_text() -> None:
    import time

    decider = OrgDecider()
    texts = ["巡视整改" + "省委" * 3000, "巡察整改\n" + "来源:" * 2000 + "党委",
             "巡察整改" + "、区委" * 2000, "巡视整改(以下简称“" * 500 + "党组",
             "巡视整改1场2场3场区委常委会" * 300, "整改巡察组\u3000\t\r\n" * 500]
    for text in texts:
        analysis = analyze(text)
        t0 = time.perf_counter()
        cands = decider.propose(text, analysis)
        feats = decider.features(text, analysis, cands)
        out = decider.apply(text, analysis, cands, [0.9] * len(cands), 0.5)
        assert time.perf_counter() - t0 < 10.0
        assert len(feats) == len(cands)
        ents = out.org_entities or ()
        assert all(x.end <= y.start for x, y in zip(ents, ents[1:]))
        assert all(text[e.start:e.end] == e.text for e in ents)
