"""Assembly helpers: relation sweeps and span merging agree with their plain definitions."""

from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_nlp.assemble.build import _dedupe_label, _merge_model
from rectify_nlp.assemble.relations import link_during, link_problems
from rectify_nlp.rules.dates import DateMention
from rectify_nlp.spans import Span


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
def test_merge_and_dedupe_agree_with_pairwise_checks(data):
    rules = data.draw(st.composite(lambda d: _spans(d, "ORG"))())
    model = data.draw(st.composite(lambda d: _spans(d, "ORG"))())
    merged = _merge_model(rules, [Span(m.start, m.end, m.label, m.text, "model") for m in model])
    for m in model:
        keep = not any(r.overlaps(m) for r in rules)
        assert any(x.source == "model" and (x.start, x.end) == (m.start, m.end)
                   for x in merged) == keep
    kept = _dedupe_label(rules, "ORG")
    assert all(not a.overlaps(b) for i, a in enumerate(kept) for b in kept[i + 1:])
    for r in rules:  # every dropped span overlaps a kept one at least as long
        assert any(k.overlaps(r) and len(k) >= len(r) for k in kept)


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
    _dedupe_label(outcomes, "OUTCOME")
    assert time.perf_counter() - t0 < 5
    assert got[0] == 0 and got[2] == 1
