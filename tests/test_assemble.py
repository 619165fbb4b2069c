"""Assembly helpers: relation sweeps, entity combination and matching agree with their plain
definitions."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_nlp.assemble.entities import combine_entities
from rectify_nlp.assemble.relations import (
    EntityIndex,
    link_during,
    link_problems,
    structural_relations,
)
from rectify_nlp.rules.analysis import analyze
from rectify_nlp.rules.dates import DateMention
from rectify_nlp.spans import Span, drop_overlaps


@st.composite
def outline_extents(draw):
    """Nested extents, like an outline: sections containing items containing sub-items."""
    extents, pos = [], 0
    for _ in range(draw(st.integers(0, 4))):
        start = pos + draw(st.integers(0, 5))
        pos = start
        children = []
        for _ in range(draw(st.integers(0, 3))):
            c_start = pos + draw(st.integers(0, 5))
            c_end = c_start + draw(st.integers(1, 20))
            children.append(SimpleNamespace(start=c_start, end=c_end, level=2))
            pos = c_end
        end = pos + draw(st.integers(1, 10))
        extents.append(SimpleNamespace(start=start, end=end, level=1))
        extents.extend(children)
        pos = end
    return extents


def _spans(draw, label, n_max=8, limit=200):
    out = []
    for _ in range(draw(st.integers(0, n_max))):
        a = draw(st.integers(0, limit))
        out.append(Span(a, a + draw(st.integers(1, 15)), label, "x"))
    return out


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_link_problems_is_the_innermost_containing_problem(data):
    problems = data.draw(outline_extents())
    outcomes = data.draw(st.builds(lambda: None).flatmap(
        lambda _: st.composite(lambda d: _spans(d, "OUTCOME"))()))
    got = link_problems(outcomes, problems)
    for j, o in enumerate(outcomes):
        holders = [i for i, p in enumerate(problems) if p.start <= o.start and o.end <= p.end]
        if not holders:
            assert j not in got
        else:
            smallest = min(problems[i].end - problems[i].start for i in holders)
            assert problems[got[j]].end - problems[got[j]].start == smallest


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_each_combination_policy_agrees_with_its_pairwise_definition(data):
    rules = data.draw(st.composite(lambda d: _spans(d, "ORG"))())
    model = [Span(m.start, m.end, m.label, m.text, "model")
             for m in data.draw(st.composite(lambda d: _spans(d, "ORG"))())]
    keys = lambda spans: {(s.start, s.end) for s in spans}  # noqa: E731
    union = combine_entities(rules, model, "union")
    assert keys(union) == keys(rules) | {(m.start, m.end) for m in model
                                         if not any(r.overlaps(m) for r in rules)}
    back = combine_entities(rules, model, {"ORG": "model_then_rules"})
    assert keys(back) == keys(model) | {(r.start, r.end) for r in rules
                                        if not any(m.overlaps(r) for m in model)}
    assert keys(combine_entities(rules, model, "rules")) == keys(rules)
    assert keys(combine_entities(rules, model, "model")) == keys(model)
    assert union == sorted(union, key=lambda s: (s.start, -s.end, s.label))


def test_an_unknown_policy_is_refused():
    import pytest

    with pytest.raises(ValueError, match="policy"):
        combine_entities([Span(0, 2, "ORG", "区委")], [], "majority")


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_drop_overlaps_keeps_the_longer_span(data):
    rules = data.draw(st.composite(lambda d: _spans(d, "ORG"))())
    kept = drop_overlaps(rules)
    assert all(not a.overlaps(b) for i, a in enumerate(kept) for b in kept[i + 1:])
    for r in rules:  # every dropped span overlaps a kept one at least as long
        assert any(k.overlaps(r) and len(k) >= len(r) for k in kept)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_entity_index_finds_the_most_overlapping_entity_of_the_label(data):
    ents = data.draw(st.composite(lambda d: _spans(d, "OUTCOME", n_max=12))())
    probe = data.draw(st.composite(lambda d: _spans(d, "OUTCOME", n_max=1))())
    for p in probe:
        got = EntityIndex(ents).find(p)
        exact = [i for i, e in enumerate(ents) if (e.start, e.end) == (p.start, p.end)]
        ov = [min(e.end, p.end) - max(e.start, p.start) for e in ents]
        if exact:
            assert got == exact[0] or (ents[got].start, ents[got].end) == (p.start, p.end)
        elif max(ov, default=0) <= 0:
            assert got is None
        else:
            assert ov[got] == max(ov)


def test_structural_relations_follow_the_outline_the_sentence_and_the_header():
    text = ("2023年5月8日至7月10日,县委第二巡察组对城关镇党委开展了常规巡察。"
            "现将整改进展情况通报如下。\n"
            "一、关于“基层治理不到位”问题\n"
            "整改情况:2023年9月以来,新建调解室6个,化解矛盾纠纷32件。\n"
            "二、关于“惠民资金监管不严”问题\n"
            "整改情况:追回违规资金15.6万元。\n")
    analysis = analyze(text)
    ents = analysis.entity_spans()
    rels = {(r.label, ents[r.head].text, ents[r.tail].text)
            for r in structural_relations(text, ents, analysis)}
    assert ("INSPECTS", "县委第二巡察组", "城关镇党委") in rels
    assert ("DURING", "新建调解室6个", "2023年9月") in rels
    addressed = {h: t for lab, h, t in rels if lab == "ADDRESSES"}
    assert "基层治理不到位" in addressed["化解矛盾纠纷32件"]
    assert "惠民资金监管不严" in addressed["追回违规资金15.6万元"]
    assert all(lab != "DURING" or h != "追回违规资金15.6万元" for lab, h, _ in rels)


def test_during_stops_at_the_sentence_end():
    text = "8月至10月设置护栏1600米,新增车位40个。培训群众320人次。"
    date = DateMention(Span(0, 6, "DATE", "8月至10月"), None)
    outcomes = []
    for raw in ("设置护栏1600米", "新增车位40个", "培训群众320人次"):
        a = text.index(raw)
        outcomes.append(Span(a, a + len(raw), "OUTCOME", raw))
    assert sorted(link_during(text, outcomes, [date])) == [0, 1]


def test_many_spans_assemble_fast():
    import time

    problems = [SimpleNamespace(start=i * 100, end=i * 100 + 90, level=1) for i in range(20_000)]
    outcomes = [Span(i * 50 + 1, i * 50 + 9, "OUTCOME", "x") for i in range(40_000)]
    t0 = time.perf_counter()
    got = link_problems(outcomes, problems)
    drop_overlaps(outcomes)
    combine_entities(outcomes, outcomes[::2], "union")
    assert time.perf_counter() - t0 < 5
    assert got[0] == 0 and got[2] == 1
