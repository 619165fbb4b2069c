"""Notice-level summary figures on sentences written for the tests."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_nlp.rules.outcomes import find_outcomes
from rectify_nlp.rules.summary import SummaryFigures, parse_summary

NOTICE = (
    "按照县委统一部署,县委第二巡察组于2023年5月对城关镇党委开展了常规巡察。"
    "针对巡察反馈的4个方面17项问题,镇党委制定了58项整改措施,"
    "截至目前,已完成整改15项,整改完成率88.2%。\n"
    "二、整改落实情况\n"
    "1.针对基层治理薄弱问题。开展矛盾纠纷排查,化解纠纷42起,已完成整改3项。"
)


def test_notice_level_figures() -> None:
    f = parse_summary(NOTICE)
    assert (f.problems_total, f.problems_rectified, f.measures_total) == (17, 15, 58)
    assert f.completion_rate == pytest.approx(0.882)


def test_evidence_spans_point_at_counts_and_are_excluded_from_outcomes() -> None:
    f = parse_summary(NOTICE)
    assert all(NOTICE[e.start:e.end] == e.text and e.label == "SUMMARY" for e in f.evidence)
    assert {"17项", "58项", "15项"} <= {e.text for e in f.evidence}
    found = find_outcomes(NOTICE, exclude=f.evidence)
    texts = [o.span.text for o in found]
    assert "化解纠纷42起" in texts
    assert any(o.value.unit == "%" and o.value.value == pytest.approx(88.2) for o in found)
    assert not any(o.span.overlaps(e) for o in found for e in f.evidence)


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("针对巡视反馈的21个问题,逐条研究整改。", "problems_total", 21),
        ("此次巡察指出该局存在问题36项。", "problems_total", 36),
        ("区委巡察组反馈了五个方面十二项问题。", "problems_total", 12),
        ("涉及整改问题104项,目前已经完成整改问题98项。", "problems_rectified", 98),
        ("反馈问题已整改到位9个,其余长期推进。", "problems_rectified", 9),
        ("制定整改措施45项。", "measures_total", 45),
        ("细化形成63条具体整改措施。", "measures_total", 63),
        ("整改任务完成率为百分之百。", "completion_rate", 1.0),
        ("问题整改完成率达到100%。", "completion_rate", 1.0),
        ("已完成整改8项,完成率80%。", "completion_rate", 0.8),
    ],
)
def test_single_figures(text: str, field: str, value: float) -> None:
    assert getattr(parse_summary(text), field) == pytest.approx(value)


@pytest.mark.parametrize(
    "text",
    [
        "出动执法人员120人次,清理杂物35处。",
        "绿化完成率达到120%。",
        "每一项整改措施均明确责任人。",
        "已全部完成整改。",
        "第3项整改措施已落实。",
    ],
)
def test_absent_figures_are_none(text: str) -> None:
    f = parse_summary(text)
    assert (f.problems_total, f.problems_rectified, f.completion_rate, f.measures_total) == (None,) * 4


def test_first_statement_wins_over_per_problem_figures() -> None:
    text = "针对反馈的9项问题制定整改措施30条。1.关于学习不深入问题,梳理问题3项,制定措施5条。"
    f = parse_summary(text)
    assert (f.problems_total, f.measures_total) == (9, 30)


@pytest.mark.parametrize("text", ["", " ", "Annual report: 12 items fixed.", "<html><body>整改</body></html>", None])
def test_hostile_inputs(text: object) -> None:
    assert parse_summary(text) == SummaryFigures()  # type: ignore[arg-type]


def test_huge_input_is_fast() -> None:
    text = "9" * 2_000_000 + "整改完成率100%"
    t0 = time.perf_counter()
    assert parse_summary(text).completion_rate == 1.0
    assert time.perf_counter() - t0 < 5


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_never_raises(text: str) -> None:
    f = parse_summary(text)
    for e in f.evidence:
        assert text[e.start:e.end] == e.text


def test_counts_right_after_a_clause_comma_are_read():
    text = "对照反馈意见,梳理出了24个具体问题,57项细化整改措施,明确整改时限。"
    assert parse_summary(text).measures_total == 57
    text = "二是整改任务与日常工作有效融合,45项整改措施由各职能部门对号入座。"
    assert parse_summary(text).measures_total == 45


def test_thousands_separator_is_not_a_clause_comma():
    assert parse_summary("制定整改措施1,200条。").measures_total == 1200


def test_rectification_tasks_are_measures() -> None:
    assert parse_summary("研究制定整改方案,提出87项整改任务,逐项明确责任。").measures_total == 87
    assert parse_summary("汇总制定整改任务105条。").measures_total == 105
