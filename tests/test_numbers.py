"""Number and quantity normalisation: property round-trips plus written cases."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify_nlp.normalizers.numbers import NUMBER_PATTERN, parse_number, parse_quantity

_DIGITS = "零一二三四五六七八九"


def _section(n: int) -> str:
    """0 < n < 10000 in Chinese, with 零 for gaps (一千零五, 三百一十)."""
    out, zero = "", False
    for unit_value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit_value % 10
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += _DIGITS[d] + unit
    return out


def to_chinese(n: int) -> str:
    """Render 0 <= n < 10**16 the way a notice writes it (一万零五, 十二, 三千二百万)."""
    if n == 0:
        return "零"
    parts = [(n // 10**12 % 10**4, "万亿"), (n // 10**8 % 10**4, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")]
    out, pending_zero = "", False
    for value, unit in parts:
        if value == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or value < 1000):
            out += "零"
        out += _section(value) + unit
        pending_zero = False
    if out.startswith("一十"):
        out = out[1:]  # 十二, not 一十二
    return out


def _with_commas(n: int) -> str:
    return f"{n:,}"


@given(st.integers(min_value=0, max_value=10**12))
def test_arabic_round_trip(n: int) -> None:
    assert parse_number(str(n)) == n
    assert parse_number(_with_commas(n)) == n


@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_round_trip(n: int) -> None:
    text = to_chinese(n)
    assert parse_number(text) == n, text


@given(st.integers(min_value=0, max_value=10**12))
def test_chinese_numerals_match_the_pattern_whole(n: int) -> None:
    text = to_chinese(n)
    assert re.fullmatch(NUMBER_PATTERN, text)


@given(st.integers(min_value=0, max_value=99999), st.integers(min_value=0, max_value=99),
       st.sampled_from([("万", 10**4), ("亿", 10**8), ("千", 10**3)]))
def test_multipliers_on_decimals(whole: int, cents: int, mult: tuple[str, int]) -> None:
    text = f"{whole}.{cents:02d}{mult[0]}"
    expected = (whole * 100 + cents) * mult[1] / 100
    assert parse_number(text) == pytest.approx(expected, rel=1e-12)


@given(st.text(max_size=60))
@settings(max_examples=300)
def test_parsers_never_raise(text: str) -> None:
    parse_number(text)
    parse_quantity(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("102", 102), ("1,600", 1600), ("66.57万", 665700), ("1.5万", 15000), ("两千", 2000),
        ("五", 5), ("十二", 12), ("一百零五", 105), ("三千二百万", 32_000_000), ("〇", 0),
        ("二〇二四", 2024), ("1/5", 0.2), ("一万二", 12000), ("三千五", 3500), ("壹佰贰拾", 120),
        ("二十万零五百", 200_500), ("三分之一", 1 / 3), ("百分之八十", 0.8), ("３５", 35),
        ("一亿二千万", 120_000_000), ("三点五", 3.5), ("2万亿", 2 * 10**12),
    ],
)
def test_parse_number_cases(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", " ", "一批", "百", "万", "十百", "abc", "1,6000", "三五", "5千米", "1/0", None, 42])
def test_parse_number_rejects(text: object) -> None:
    assert parse_number(text) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier", "lower", "upper", "approx"),
    [
        ("800余台", 800, "台", "余", 800, None, False),
        ("66.57万元", 665700, "元", None, None, None, False),
        ("1.5万余人次", 15000, "人次", "余", 15000, None, False),
        ("100%", 100, "%", None, None, None, False),
        ("百分之八十", 80, "%", None, None, None, False),
        ("百分之百", 100, "%", None, None, None, False),
        ("五成", 5, "成", None, None, None, False),
        ("1/5", 0.2, None, None, None, None, False),
        ("3000多", 3000, None, "多", 3000, None, False),
        ("前3", 3, None, "前", None, 3, False),
        ("约1300平方米", 1300, "平方米", "约", None, None, True),
        ("0人", 0, "人", None, None, None, False),
        ("98%以上", 98, "%", "以上", 98, None, False),
        ("近200名", 200, "名", "近", None, 200, True),
        ("十余家", 10, "家", "余", 10, None, False),
        ("80多万元", 800000, "元", "多", 800000, None, False),
        ("低至0.5%", 0.5, "%", "低至", None, 0.5, False),
        ("2.5个百分点", 2.5, "个百分点", None, None, None, False),
        ("超过1,200人次", 1200, "人次", "超过", 1200, None, False),
        ("500平方米左右", 500, "平方米", "左右", None, None, True),
    ],
)
def test_parse_quantity_cases(text, value, unit, qualifier, lower, upper, approx) -> None:
    q = parse_quantity(text)
    assert q is not None
    assert q.value == pytest.approx(value)
    assert (q.unit, q.qualifier, q.lower, q.upper, q.approximate) == (unit, qualifier, lower, upper, approx)


@pytest.mark.parametrize("text", ["", "计划新增", "人次", "第三季度", "1/5人", "百分之八十人", "2024年4月3日,出动"])
def test_parse_quantity_rejects(text: str) -> None:
    assert parse_quantity(text) is None


def test_huge_digit_string_is_fast() -> None:
    text = "7" * 2_000_000
    t0 = time.perf_counter()
    assert parse_number(text) is None
    assert parse_quantity(text) is None
    assert re.fullmatch(NUMBER_PATTERN, "7" * 10_000)
    assert time.perf_counter() - t0 < 2
