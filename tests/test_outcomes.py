"""The OUTCOME rule on genre sentences written for the tests (not read off the seed notices)."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_nlp.rules.outcomes import OutcomeMention, find_outcomes
from rectify_nlp.rules.summary import parse_summary
from rectify_nlp.spans import Span


def spans(text: str, **kw) -> list[str]:
    return [o.span.text for o in find_outcomes(text, **kw)]


def check_offsets(text: str, found: list[OutcomeMention]) -> None:
    starts = [o.span.start for o in found]
    assert starts == sorted(starts)
    for o in found:
        assert text[o.span.start:o.span.end] == o.span.text
        assert text[o.quantity.start:o.quantity.end] == o.quantity.text
        assert o.span.contains(o.quantity)
        assert o.span.label == "OUTCOME" and o.quantity.label == "QUANTITY"


def test_two_outcomes_after_actor_and_adverb() -> None:
    text = "街道执法队共出动执法人员120人次,清理乱堆放杂物35处。"
    found = find_outcomes(text)
    check_offsets(text, found)
    assert [o.span.text for o in found] == ["出动执法人员120人次", "清理乱堆放杂物35处"]
    assert [o.metric for o in found] == ["出动执法人员", "清理乱堆放杂物"]
    assert [(o.value.value, o.value.unit) for o in found] == [(120, "人次"), (35, "处")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("镇综合执法办累计拆除违法建筑46宗,面积达1.2万平方米。", [("拆除违法建筑46宗", 46, "宗"), ("面积达1.2万平方米", 12000, "平方米")]),
        ("区市场监管局先后检查餐饮单位318家次,下达整改通知书27份。", [("检查餐饮单位318家次", 318, "家次"), ("下达整改通知书27份", 27, "份")]),
        ("今年以来,追缴违规资金36.8万元。", [("追缴违规资金36.8万元", 368000, "元")]),
        ("新建口袋公园6个,新增120个电动自行车充电桩、45个停车泊位。", [("新建口袋公园6个", 6, "个"), ("新增120个电动自行车充电桩", 120, "个"), ("45个停车泊位", 45, "个")]),
        ("共组织专题培训三场,培训干部两百余人次。", [("组织专题培训三场", 3, "场"), ("培训干部两百余人次", 200, "人次")]),
        ("全县村级集体经济收入排名第2。", [("村级集体经济收入排名第2", 2, None)]),
        ("目前已为困难群众办理实事1,024件。", [("为困难群众办理实事1,024件", 1024, "件")]),
        ("清运建筑垃圾约850吨", [("清运建筑垃圾约850吨", 850, "吨")]),
    ],
)
def test_written_genre_sentences(text: str, expected: list[tuple[str, float, str | None]]) -> None:
    found = find_outcomes(text)
    check_offsets(text, found)
    assert [(o.span.text, o.value.value, o.value.unit) for o in found] == expected


def test_number_first_span_includes_counted_noun() -> None:
    found = find_outcomes("社区新增300个非机动车停放位")
    assert [(o.span.text, o.metric) for o in found] == [("新增300个非机动车停放位", "新增非机动车停放位")]


def test_qualifiers_are_carried() -> None:
    o = find_outcomes("劝导流动摊贩600余人次")[0]
    assert (o.value.value, o.value.qualifier, o.value.lower) == (600, "余", 600)
    o = find_outcomes("改造老旧管网近15公里")[0]
    assert (o.value.value, o.value.unit, o.value.qualifier, o.value.upper) == (15, "公里", "近", 15)


@pytest.mark.parametrize(
    "text",
    [
        "计划新增停车位200个。",
        "力争年内完成8条道路改造。",
        "预计新增就业岗位1500个。",
        "到2026年将达到50家。",
        "确保覆盖率达到95%以上。",
        "每季度要开展一次以上专题学习。",
        "下一步,我们将新建3个文化广场。",
    ],
)
def test_plans_and_targets_are_not_outcomes(text: str) -> None:
    assert find_outcomes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "2024年第三季度召开会议,健全三级巡查机制。",
        "严格落实“六个百分百”要求,落实一岗双责。",
        "坚持“两个确立”,落实三会一课制度。",
        "联系电话:0755-81234567,地址:幸福路12号1号楼。",
        "印发《关于开展2024年度专项整治的通知》(区委办〔2024〕15号)。",
        "一是加强领导。二是压实责任。",
        "堵塞一批漏洞,推动一体化建设,深入一线,统一思想。",
        "学习《关于加强三项制度建设的意见》。",
        "贯彻落实中央八项规定精神,开展第一批主题教育。",
    ],
)
def test_labels_and_descriptions_are_not_outcomes(text: str) -> None:
    assert find_outcomes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "针对反馈的14项问题,逐项制定措施。",
        "梳理出27个具体问题,制定52项整改措施。",
        "制定整改措施45项。",
        "巡察组指出的问题共9个。",
    ],
)
def test_problem_and_measure_counts_are_not_outcomes(text: str) -> None:
    assert find_outcomes(text) == []


def test_measure_count_goes_to_summary_only() -> None:
    text = "制定整改措施45项。"
    assert parse_summary(text).measures_total == 45
    assert find_outcomes(text, exclude=parse_summary(text).evidence) == []


def test_completion_rate_is_outcome_and_summary() -> None:
    text = "截至目前,整改完成率达95%。"
    figures = parse_summary(text)
    assert figures.completion_rate == pytest.approx(0.95)
    found = find_outcomes(text, exclude=figures.evidence)
    assert [(o.span.text, o.value.value, o.value.unit) for o in found] == [("整改完成率达95%", 95, "%")]


def test_distributive_numbers_are_separate_spans() -> None:
    text = "一般公共预算收入和税收收入分别增长12.5%、20.1%。"
    found = find_outcomes(text)
    check_offsets(text, found)
    assert [o.span.text for o in found] == ["12.5%", "20.1%"]
    assert all(o.metric == "增长" for o in found)


def test_zero_counts_are_outcomes() -> None:
    found = find_outcomes("给予党纪处分0人。")
    assert [(o.span.text, o.value.value, o.value.unit) for o in found] == [("给予党纪处分0人", 0, "人")]


def test_exclude_is_respected() -> None:
    text = "8月至10月设置护栏2400米"
    date = Span(0, 6, "DATE", "8月至10月")
    found = find_outcomes(text, exclude=[date])
    assert [o.span.text for o in found] == ["设置护栏2400米"]
    assert not any(o.span.overlaps(date) for o in found)
    quantity = Span(10, 16, "SUMMARY", "2400米")
    assert find_outcomes(text, exclude=[quantity]) == []


@pytest.mark.parametrize("text", ["", "   \n\t", "The committee held 12 meetings.", "<p>出动<b>人员</b></p>", "，；（）！"])
def test_hostile_small_inputs(text: str) -> None:
    found = find_outcomes(text)
    check_offsets(text, found)


def test_unnormalised_punctuation_is_tolerated() -> None:
    text = "出动执法车辆36车次，查处违法行为9宗；"
    assert spans(text) == ["出动执法车辆36车次", "查处违法行为9宗"]


def test_huge_inputs_are_fast() -> None:
    digits = "1234567890" * 200_000
    t0 = time.perf_counter()
    assert find_outcomes(digits) == []
    prose = "共出动执法人员120人次,清理杂物35处。" * 20_000
    assert len(find_outcomes(prose)) == 40_000
    assert time.perf_counter() - t0 < 15


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_never_raises_on_random_text(text: str) -> None:
    check_offsets(text, find_outcomes(text))


def test_counts_of_inspection_groups_are_not_outcomes():
    assert find_outcomes("三个巡察组先后向被巡察企业反馈了巡察意见。") == []
    assert find_outcomes("省委派出2个巡视组进驻。") == []
    assert [o.span.text for o in find_outcomes("整改期间共约谈干部12人。")] == ["约谈干部12人"]


def test_a_descriptive_yici_counts_nothing() -> None:
    # "是对…的一次深刻洗礼" describes the inspection; "召开一次专题会议" counts a meeting
    text = "这次巡视是对全区党员干部的一次深刻党性洗礼。区委召开一次专题会议,召开推进会3次。"
    assert [o.span.text for o in find_outcomes(text)] == ["召开一次专题会议", "召开推进会3次"]


def test_counts_of_rectification_tasks_go_to_the_summary() -> None:
    text = "对照反馈意见,细化形成160条整改任务,明确责任单位。带头认领问题10个。清退资金5万元。"
    assert [o.span.text for o in find_outcomes(text)] == ["清退资金5万元"]
