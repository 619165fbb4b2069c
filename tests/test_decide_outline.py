"""The outline-role decider: every numbered heading proposed as a problem, with the extents its
statement could have; a trained model chooses, and the outline is rebuilt from its choice."""

from __future__ import annotations

import pytest

from rectify_nlp.decide import get_decider
from rectify_nlp.decide.base import GoldView
from rectify_nlp.decide.component import DecideComponent
from rectify_nlp.decide.linear import LinearModel
from rectify_nlp.decide.outline import OutlineRoleDecider
from rectify_nlp.decide.train import decide_pipeline, examples, prepare
from rectify_nlp.extractor import Extractor
from rectify_nlp.rules.analysis import analyze
from rectify_nlp.rules.outline import outline_with_problems, parse_outline, read_outline
from rectify_nlp.validation import schema_errors

# An invented notice: a first section on how the work was organised, then the problems: one
# stated after a label's colon (the rules read the label 反馈问题 as a category), one plain,
# one framed in quotation marks.
NOTICE = (
    "中共青山镇委员会关于巡察整改进展情况的通报\n"
    "根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对青山镇党委开展了巡察。"
    "现将整改进展情况公布如下。\n"
    "一、组织整改落实情况\n"
    "(一)提高政治站位,强化整改自觉\n"
    "镇党委召开专题会议研究部署整改工作。\n"
    "(二)健全工作机制,压实整改责任\n"
    "成立整改工作领导小组,制定整改方案。\n"
    "二、巡察反馈问题整改落实情况\n"
    "(一)反馈问题:学习贯彻党的创新理论不够深入\n"
    "1.理论学习不扎实\n"
    "整改情况:制定学习计划,开展专题学习12次。\n"
    "2.关于“基层党组织建设有差距”的问题\n"
    "整改情况:一是整顿软弱涣散党支部3个;二是发展党员5名。\n"
)


def span_of(text: str, s: str) -> tuple[int, int]:
    start = text.index(s)
    return start, start + len(s)


@pytest.fixture(scope="module")
def analysis():
    return analyze(NOTICE)


def node_of(heading: str) -> int:
    return next(i for i, n in enumerate(parse_outline(NOTICE).nodes) if n.heading.text == heading)


def test_the_decider_is_registered():
    assert isinstance(get_decider("outline"), OutlineRoleDecider)


def test_every_node_is_proposed_with_the_extents_its_statement_could_have(analysis):
    candidates = OutlineRoleDecider().propose(NOTICE, analysis)
    nodes = analysis.outline.nodes
    # every node but the 一是 items the rules do not frame as problems (measures)
    _, readings = read_outline(NOTICE)
    assert {c.group for c in candidates} == {
        i for i, n in enumerate(nodes) if n.style != "enum" or readings[i].role == "problem"}
    assert {nodes[i].number for i in range(len(nodes))} - {nodes[c.group].number
                                                          for c in candidates} == {"一是", "二是"}
    for c in candidates:
        node = nodes[c.group]
        assert c.label == "PROBLEM" and c.proposer.startswith("outline.")
        assert node.start <= c.start < c.end <= node.end
    texts = {(c.group, NOTICE[c.start:c.end]): c.proposer for c in candidates}
    # the rules' statement, and the whole heading where it differs
    framed = node_of("关于“基层党组织建设有差距”的问题")
    assert texts[(framed, "基层党组织建设有差距")] == "outline.rules"
    assert texts[(framed, "关于“基层党组织建设有差距”的问题")] == "outline.heading"
    # the statement after a label's colon, which the rules do not read
    label = node_of("反馈问题")
    assert texts[(label, "学习贯彻党的创新理论不够深入")] == "outline.after_colon"
    # one candidate per extent: the rules' extent that is also the heading is proposed once
    assert len(texts) == len(candidates)


def test_features_are_read_against_the_rules_decision(analysis):
    decider = OutlineRoleDecider()
    candidates = decider.propose(NOTICE, analysis)
    feats = decider.features(NOTICE, analysis, candidates)
    assert len(feats) == len(candidates)
    _, readings = read_outline(NOTICE)
    for c, f in zip(candidates, feats):
        r = readings[c.group]
        # P: the rules' own problem statement; p: another extent of a rules' problem; n: the rest
        prefix = "n:" if r.role != "problem" else ("P:" if (c.start, c.end) == r.statement
                                                   else "p:")
        assert f and all(x.startswith(prefix) for x in f)
    by_text = {NOTICE[c.start:c.end]: f for c, f in zip(candidates, feats)}
    assert "P:short=True" in by_text["理论学习不扎实"]                # 不扎实: a shortcoming
    assert "n:task=True" in by_text["提高政治站位,强化整改自觉"]      # 提高…: a task
    assert "n:anc_work=True" in by_text["提高政治站位,强化整改自觉"]  # under 组织整改落实情况
    assert "n:ext=after_colon" in by_text["学习贯彻党的创新理论不够深入"]
    assert "P:cut=False" in by_text["理论学习不扎实"]
    # a page that shows only the opening of a notice cuts its last heading
    cut = NOTICE + "3.关于“干部作风不够扎"
    analysis_cut = analyze(cut)
    candidates = decider.propose(cut, analysis_cut)
    last = [f for c, f in zip(candidates, decider.features(cut, analysis_cut, candidates))
            if c.group == len(analysis_cut.outline.nodes) - 1]
    assert last and all(any(x.endswith(":cut=True") for x in f) for f in last)


def test_gold_labels_exact_spans_and_else_the_best_close_one(analysis):
    decider = OutlineRoleDecider()
    candidates = decider.propose(NOTICE, analysis)
    exact = span_of(NOTICE, "理论学习不扎实")
    # no candidate ends at 深 (a gold span one character short): the best close one is labelled
    s, e = span_of(NOTICE, "学习贯彻党的创新理论不够深入")
    view = GoldView({"PROBLEM": frozenset({exact, (s, e - 1)})}, {}, lambda a, b: (a, b))
    labels = decider.gold(candidates, view)
    kept = {NOTICE[c.start:c.end] for c, y in zip(candidates, labels) if y}
    assert kept == {"理论学习不扎实", "学习贯彻党的创新理论不够深入"}


def test_outline_with_problems_rebuilds_the_rules_outline_from_their_choice():
    outline, readings = read_outline(NOTICE)
    assert outline == parse_outline(NOTICE)
    chosen = {i: r.statement for i, r in enumerate(readings) if r.role == "problem"}
    assert outline_with_problems(NOTICE, chosen) == outline
    with pytest.raises(ValueError):
        outline_with_problems(NOTICE, {0: (len(NOTICE) - 3, len(NOTICE) - 1)})


def test_apply_rebuilds_problems_from_the_chosen_nodes(analysis):
    decider = OutlineRoleDecider()
    candidates = decider.propose(NOTICE, analysis)
    want = {"学习贯彻党的创新理论不够深入", "理论学习不扎实", "基层党组织建设有差距"}
    scores = [0.9 if NOTICE[c.start:c.end] in want else 0.1 for c in candidates]
    decided = decider.apply(NOTICE, analysis, candidates, scores, 0.5)
    problems = decided.outline.problems
    assert [p.statement.text for p in problems] == [
        "学习贯彻党的创新理论不够深入", "理论学习不扎实", "基层党组织建设有差距"]
    top, first, second = problems
    assert (top.level, top.parent, top.number) == (1, None, "(一)")
    assert (first.level, first.parent) == (2, 0) and (second.level, second.parent) == (2, 0)
    assert first.category is None  # its parent is now a problem, not a category
    assert [m.text for m in first.measures] == ["制定学习计划,开展专题学习12次"]
    for p in problems:
        assert NOTICE[p.statement.start:p.statement.end] == p.statement.text
        assert p.start <= p.statement.start < p.statement.end <= p.end
    # the nodes and the rest of the analysis are the rules'
    assert decided.outline.nodes == analysis.outline.nodes
    assert decided.dates == analysis.dates
    # nothing above the threshold: no problems
    assert decider.apply(NOTICE, analysis, candidates, [0.2] * len(candidates),
                         0.5).outline.problems == ()


def test_a_trained_model_changes_what_the_user_sees():
    """Trained on notices whose work-organisation headings are not problems, the pipeline drops
    one the rules took for a problem and keeps the real ones."""
    gold = {"problems": [], "entities": [
        {"label": "PROBLEM", "start": s, "end": e} for s, e in (
            span_of(NOTICE, "学习贯彻党的创新理论不够深入"), span_of(NOTICE, "理论学习不扎实"),
            span_of(NOTICE, "基层党组织建设有差距"))]}
    notices = prepare([("a", gold, NOTICE)])
    feats, labels = examples(OutlineRoleDecider(), notices)
    assert sum(labels) == 3
    component = DecideComponent(None, "decide", ["outline"])
    component.set_model("outline", LinearModel.fit(feats * 5, labels * 5, n_bits=14))
    result = Extractor(decide_pipeline(component))(NOTICE).to_dict()
    rules = Extractor(decide_pipeline(DecideComponent(None, "decide", ["outline"])))(NOTICE)
    assert [p.statement for p in rules.problems] == ["理论学习不扎实", "基层党组织建设有差距"]
    assert [p["statement"] for p in result["problems"]] == [
        "学习贯彻党的创新理论不够深入", "理论学习不扎实", "基层党组织建设有差距"]
    assert not schema_errors(result)
    for e in result["entities"]:
        assert NOTICE[e["start"]:e["end"]] == e["text"]
    for p in result["problems"]:
        assert NOTICE[p["start"]:p["end"]].count(p["statement"]) >= 1
        for m in p["measures"]:
            assert NOTICE[m["start"]:m["end"]] == m["text"]
