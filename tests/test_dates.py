"""Date normalisation (parse_date) and the DATE rule (find_dates), on sentences written for the tests."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_nlp.normalizers.dates import DateContext, parse_date
from rectify_nlp.rules.dates import find_dates

_CN = "〇一二三四五六七八九"


def _cn_year(y: int) -> str:
    return "".join(_CN[int(c)] for c in str(y))


def _cn_small(n: int) -> str:
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _CN[ones]
    return ("" if tens == 1 else _CN[tens]) + "十" + ("" if ones == 0 else _CN[ones])


_dates = st.dates(min_value=__import__("datetime").date(1950, 1, 1),
                  max_value=__import__("datetime").date(2099, 12, 31))


@given(_dates, st.sampled_from(["cn", "dash", "dot", "slash", "cnnum", "padded", "spaced"]))
def test_rendered_day_roundtrips(d, fmt):
    y, m, dd = d.year, d.month, d.day
    text = {
        "cn": f"{y}年{m}月{dd}日",
        "dash": f"{y}-{m:02d}-{dd:02d}",
        "dot": f"{y}.{m}.{dd}",
        "slash": f"{y}/{m:02d}/{dd:02d}",
        "cnnum": f"{_cn_year(y)}年{_cn_small(m)}月{_cn_small(dd)}日",
        "padded": f"{y}年{m:02d}月{dd:02d}日",
        "spaced": f"{y} 年 {m} 月 {dd} 日",
    }[fmt]
    v = parse_date(text)
    assert v is not None, text
    assert v.value == d.isoformat()
    assert v.granularity == "day"


@given(_dates, _dates)
def test_ranges_are_ordered(a, b):
    lo, hi = min(a, b), max(a, b)
    v = parse_date(f"{lo.year}年{lo.month}月{lo.day}日至{hi.year}年{hi.month}月{hi.day}日")
    assert v is not None
    assert v.lower == lo.isoformat() and v.upper == hi.isoformat()
    assert v.lower <= v.upper


@given(st.integers(1950, 2099), st.integers(1, 12), st.integers(1, 12))
def test_month_ranges_inherit_year_and_roll_over(y, m1, m2):
    v = parse_date(f"{y}年{m1}月至{m2}月")
    assert v is not None
    assert v.lower == f"{y}-{m1:02d}"
    assert v.upper == f"{y if m2 >= m1 else y + 1}-{m2:02d}"
    assert v.lower <= v.upper


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_never_raises_on_random_text(s):
    parse_date(s)
    parse_date(s, DateContext(2024, 6))
    for d in find_dates(s):
        assert s[d.span.start:d.span.end] == d.span.text


@pytest.mark.parametrize(
    "text, ctx, value, gran",
    [
        ("2024年4月3日", None, "2024-04-03", "day"),
        ("2023年11月5日至12月20日", None, "2023-11-05/2023-12-20", "day"),
        ("9月至11月", DateContext(2021), "2021-09/2021-11", "month"),
        ("2020年1—6月", None, "2020-01/2020-06", "month"),
        ("2019年第二季度", None, "2019-04/2019-06", "quarter"),
        ("2025年上半年", None, "2025-01/2025-06", "half"),
        ("2021年底", None, "2021-12", "month"),
        ("10月中旬", DateContext(2022), "2022-10", "xun"),
        ("2016年", None, "2016", "year"),
        ("2017.3.9", None, "2017-03-09", "day"),
        ("二〇二二年九月", None, "2022-09", "month"),
        ("今年5月", DateContext(2023), "2023-05", "month"),
        ("去年", DateContext(2023), "2022", "year"),
        ("3月8—12日", DateContext(2020), "2020-03-08/2020-03-12", "day"),
        ("2019—2021年", None, "2019/2021", "year"),
        ("截至2023年6月底", None, "2023-06", "xun"),
        ("2021年12月至2022年2月", None, "2021-12/2022-02", "month"),
    ],
)
def test_parse_date_genre(text, ctx, value, gran):
    v = parse_date(text, ctx)
    assert v is not None and v.value == value and v.granularity == gran


def test_year_end_is_approximate_and_xun_has_day_bounds():
    v = parse_date("2022年底")
    assert v is not None and v.approximate
    v = parse_date("5月下旬", DateContext(2024))
    assert v is not None and (v.lower, v.upper) == ("2024-05-21", "2024-05-31")


def test_rollover_and_missing_year():
    assert parse_date("1月9日", DateContext(2022, 12)).value == "2023-01-09"
    assert parse_date("6月9日", DateContext(2022, 3)).value == "2022-06-09"
    assert parse_date("1月9日") is None
    assert parse_date("2月30日", DateContext(2022)) is None


@pytest.mark.parametrize("text", ["", "   ", "hello world", "下一步", "近期", "每月25日", "两个月内",
                                  "14小时", "<p>2024</p>", "目前"])
def test_not_dates(text):
    assert parse_date(text, DateContext(2024)) is None


def _spans(text):
    return [d.span.text for d in find_dates(text)]


def test_find_dates_span_rules():
    text = ("2023年9月4日至10月27日,县委巡察组开展巡察;截至2024年3月底,已完成整改;力争2024年底前"
            "全部完成。今年以来,组织培训6期。每月25日召开例会,两个月内完成,14小时值守。"
            "印发《2023年度考核办法》。2024年1—3月共处置12宗。")
    assert _spans(text) == ["2023年9月4日至10月27日", "2024年3月底", "2024年底", "今年", "2024年1—3月"]


def test_find_dates_document_years_and_rollover():
    text = "县委第五巡察组于2022年11月7日至12月30日进驻。1月12日反馈意见。随后2月至3月开展整改。"
    vals = [d.value.value for d in find_dates(text)]
    assert vals == ["2022-11-07/2022-12-30", "2023-01-12", "2023-02/2023-03"]


def test_find_dates_far_backward_month_does_not_roll_over():
    text = "2021年8月5日反馈。" + "整改工作持续推进。" * 60 + "1至7月全区新增就业岗位300个。"
    assert find_dates(text)[-1].value.value == "2021-01/2021-07"


def test_find_dates_yearless_without_context_keeps_span():
    ds = find_dates("7月3日召开会议。")
    assert [d.span.text for d in ds] == ["7月3日"] and ds[0].value is None


def test_find_dates_today_uses_signature_year():
    text = "2019年5月巡察。今年以来完成整改。\n中共某某县委\n2020年3月2日"
    ds = find_dates(text)
    assert ds[1].span.text == "今年" and ds[1].value.value == "2020"


def test_find_dates_sorted_and_offsets():
    text = "(一)2018年3月12日,开展;5月15日结束;2018-11-27发布"
    ds = find_dates(text)
    assert [d.span.start for d in ds] == sorted(d.span.start for d in ds)
    for d in ds:
        assert text[d.span.start:d.span.end] == d.span.text and d.span.label == "DATE"


def test_find_dates_unnormalised_and_hostile():
    assert _spans("2024年4月3日至6月17日，区委巡察组") == ["2024年4月3日至6月17日"]
    assert find_dates("") == []
    assert find_dates("<html><body>No dates here</body></html>") == []
    assert find_dates("Meeting on 2024/13/45 and 3.1415") == []


def test_find_dates_huge_input_is_fast():
    block = "2024年4月3日至6月17日开展巡察,7月30日反馈,8月至10月整改,出动执法车辆102车次。"
    text = (block * (1_000_000 // len(block)))[:1_000_000]
    t0 = time.perf_counter()
    ds = find_dates(text)
    assert time.perf_counter() - t0 < 10
    assert len(ds) > 1000
