"""Chinese and Arabic numerals and quantities, normalised.

Two pure functions and the regex sources they are built on:

* :func:`parse_number` reads one numeral — Arabic (``1,600``, ``66.57``), Arabic with a Chinese
  multiplier (``66.57万``), Chinese (``两千``, ``一百零五``, ``三千二百万``, ``二〇二四``), financial
  numerals (``壹佰``) or a fraction (``1/5``, ``三分之一``) — and returns a float.
* :func:`parse_quantity` reads a number with its hedge and unit (``约1300平方米``, ``800余台``,
  ``1.5万余人次``, ``百分之八十``, ``98%以上``) into a :class:`~rectify_nlp.values.NormalizedValue`.

>>> parse_number("三千二百万")
32000000.0
>>> q = parse_quantity("1.5万余人次")
>>> (q.value, q.unit, q.qualifier, q.lower)
(15000.0, '人次', '余', 15000.0)
"""

from __future__ import annotations

import logging
import re
from decimal import Decimal, InvalidOperation
from typing import Final

from rectify_nlp.values import NormalizedValue

logger = logging.getLogger(__name__)

__all__ = [
    "ARABIC_PATTERN",
    "CHINESE_NUMERAL_PATTERN",
    "NUMBER_PATTERN",
    "POST_QUALIFIERS",
    "PRE_QUALIFIERS",
    "parse_number",
    "parse_quantity",
]

# --------------------------------------------------------------------------- regex sources

_D = "0-9０-９"
#: One Arabic numeral with optional thousands separators, decimals and Chinese multipliers.
#: 千/百 are not read as multipliers before 米/克/瓦/分 (5千米 is 5 km, not 5000 米).
ARABIC_PATTERN: Final[str] = (
    rf"(?:[{_D}]{{1,3}}(?:[,，][{_D}]{{3}})+(?![{_D}])|[{_D}]+)(?:[.．][{_D}]+)?"
    r"(?:[百千佰仟](?![米克瓦分]))?(?:万亿|万|亿|萬|億)?"
)
_CN_DIGITS = "零〇一二两三四五六七八九壹贰贰叁肆伍陆柒捌玖貳參陸"
_CN_UNITS = "十百千万亿拾佰仟萬億"
#: A run of Chinese numeral characters (千 not before 米/克/瓦, so 三千米 is 3 千米).
CHINESE_NUMERAL_PATTERN: Final[str] = (
    rf"(?:[千仟](?![米克瓦])|[{_CN_DIGITS}十百万亿拾佰萬億])+"
)
_FRACTION_AR = rf"[{_D}]+/[{_D}]+"
_FRACTION_CN = rf"(?:{CHINESE_NUMERAL_PATTERN}|[{_D}]+)分之(?:{CHINESE_NUMERAL_PATTERN}|{ARABIC_PATTERN})"
#: One numeral: an Arabic fraction, an Arabic number (with multipliers) or Chinese numerals.
NUMBER_PATTERN: Final[str] = rf"(?:{_FRACTION_AR}|{_FRACTION_CN}|{ARABIC_PATTERN}|{CHINESE_NUMERAL_PATTERN})"

#: Hedges written before a number, longest first.
PRE_QUALIFIERS: Final[tuple[str, ...]] = (
    "不少于", "不低于", "不超过", "不足", "不到", "超过", "大约", "将近", "接近", "至少", "低至",
    "高于", "多于", "低于", "少于", "约", "近", "超", "逾", "前",
)
#: Hedges written after a number (余/多 before the unit, the others after it).
POST_QUALIFIERS: Final[tuple[str, ...]] = ("以上", "左右", "上下", "以下", "以内", "余", "多", "许")

_LOWER_BOUND = frozenset({"余", "多", "以上", "超", "超过", "逾", "不少于", "不低于", "至少", "高于", "多于", "许"})
_UPPER_BOUND = frozenset({"近", "将近", "接近", "不足", "不到", "低至", "以下", "以内", "不超过", "低于", "少于", "前"})
_APPROXIMATE = frozenset({"约", "大约", "左右", "上下", "近", "将近", "接近"})

# --------------------------------------------------------------------------- tables

_FULLWIDTH = str.maketrans("０１２３４５６７８９，．／％", "0123456789,./%")
_DIGIT: Final[dict[str, int]] = {
    "零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "两": 2, "贰": 2, "貳": 2, "三": 3, "叁": 3,
    "參": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6, "陸": 6, "七": 7, "柒": 7,
    "八": 8, "捌": 8, "九": 9, "玖": 9,
}
_SMALL: Final[dict[str, int]] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG: Final[dict[str, int]] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_MULT: Final[dict[str, int]] = {**_SMALL, **_BIG, "万亿": 10**12}

_MAX_DIGITS = 18  # longer digit runs are ids or noise, not quantities
_RE_ARABIC = re.compile(r"([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(\.[0-9]+)?([百千佰仟])?(万亿|万|亿|萬|億)?")
# The three below are used with fullmatch() only; \A keeps a search from restarting them at every
# position of a long digit or numeral run (quadratic), and the runs are possessive.
_RE_FRAC_AR = re.compile(r"\A([0-9]++)/([0-9]++)")
_RE_FRAC_CN = re.compile(r"\A(.+?)分之(.+)")
_RE_CN_POINT = re.compile(rf"\A([{_CN_DIGITS}{_CN_UNITS}]++)点([{_CN_DIGITS}]++)")


# --------------------------------------------------------------------------- parse_number


def _parse_arabic(s: str) -> float | None:
    m = _RE_ARABIC.fullmatch(s)
    if m is None:
        return None
    digits, frac, small, big = m.groups()
    digits = digits.replace(",", "")
    if len(digits) > _MAX_DIGITS:
        return None
    try:
        value = Decimal(digits + (frac or ""))
    except InvalidOperation:  # pragma: no cover - the regex admits digits only
        return None
    if small:
        value *= _SMALL[small]
    if big:
        value *= _MULT[big]
    return float(value)


def _parse_chinese(s: str) -> float | None:
    """Chinese numerals: positional (一百零五), colloquial (一万二) or a digit run (二〇二四)."""
    if all(c in _DIGIT for c in s):
        if len(s) == 1:
            return float(_DIGIT[s])
        # 三五, 七八 are vague ranges ("three or five"), not 35; a run with 〇/零 or of 3+ is a
        # digit sequence (二〇二四 → 2024).
        if len(s) == 2 and not any(c in "零〇" for c in s):
            return None
        if "两" in s or len(s) > _MAX_DIGITS:
            return None
        return float("".join(str(_DIGIT[c]) for c in s))
    total = 0
    section = 0
    digit: int | None = None
    last_small = 10**5  # larger than any small unit
    last_unit: int | None = None
    after_unit = False  # the previous character was a unit
    zero_seen = False
    for c in s:
        if c in _DIGIT:
            d = _DIGIT[c]
            if d == 0:
                zero_seen = True
                digit = None
                after_unit = False
                continue
            if digit is not None:
                return None  # two digits in a row inside a positional numeral
            digit = d
            continue
        if c in _SMALL:
            u = _SMALL[c]
            if u >= last_small:
                return None  # 十百, 百百
            if digit is None:
                if u != 10:
                    return None  # 百/千 need a digit; 十 alone means 一十
                digit = 1
            section += digit * u
            last_small, last_unit = u, u
        elif c in _BIG:
            u = _BIG[c]
            value = section + (digit or 0)
            if value == 0 and total == 0:
                return None  # a bare 万/亿
            if u == 10**8:
                total = (total + value) * u
            else:
                total += value * u
            section = 0
            last_small, last_unit = 10**5, u
        else:
            return None
        digit = None
        zero_seen = False
        after_unit = True
        continue
    if digit is not None:
        if after_unit and last_unit is not None and last_unit >= 100 and not zero_seen:
            section += digit * last_unit // 10  # 一万二 = 12000, 三千五 = 3500
        else:
            section += digit
    return float(total + section)


def _prepare(text: object) -> str | None:
    """Stripped, half-width text of a plausible numeral (≤ 64 chars), else ``None``."""
    if not isinstance(text, str):
        return None
    s = text.strip().translate(_FULLWIDTH)
    return s if s and len(s) <= 64 else None


def parse_number(text: str) -> float | None:
    """The value of one numeral, or ``None`` when ``text`` is not exactly one numeral.

    Multipliers are applied, fractions divided; a percentage written 百分之N is the fraction N/100
    (use :func:`parse_quantity` to keep it as ``N %``).

    >>> [parse_number(t) for t in ("1,600", "66.57万", "两千", "一百零五", "二〇二四", "1/5")]
    [1600.0, 665700.0, 2000.0, 105.0, 2024.0, 0.2]
    >>> parse_number("一批") is None
    True
    """
    s = _prepare(text)
    if s is None:
        return None
    if s[0].isdigit() and s[0] in "0123456789":
        m = _RE_FRAC_AR.fullmatch(s)
        if m:
            num, den = m.groups()
            if len(num) > _MAX_DIGITS or len(den) > _MAX_DIGITS or int(den) == 0:
                return None
            return int(num) / int(den)
        return _parse_arabic(s)
    m = _RE_FRAC_CN.fullmatch(s)
    if m:
        den_s, num_s = m.groups()
        den = float(_MULT[den_s]) if den_s in _MULT else parse_number(den_s)
        num = parse_number(num_s)
        if den is None or num is None or den == 0:
            return None
        return num / den
    m = _RE_CN_POINT.fullmatch(s)
    if m:
        whole = _parse_chinese(m.group(1))
        if whole is None:
            return None
        frac = "".join(str(_DIGIT[c]) for c in m.group(2))
        return float(Decimal(f"{int(whole)}.{frac}"))
    return _parse_chinese(s)


# --------------------------------------------------------------------------- parse_quantity

_RE_QUANTITY = re.compile(
    r"(?P<pre>" + "|".join(PRE_QUALIFIERS) + r")?"
    r"(?P<pct>百分之)?"
    r"(?P<num>(?>" + NUMBER_PATTERN + r"))"
    r"(?P<mid>余|多|许)?"
    r"(?P<unit>.*?)"
    r"(?P<post>以上|左右|上下|以下|以内)?"
)
_RE_UNIT_OK = re.compile(r"[%‰]|[\u4e00-\u9fff/·]{1,8}|[A-Za-z]{1,4}")


def _bounds(value: float, qualifier: str | None) -> tuple[float | None, float | None, bool]:
    if qualifier is None:
        return None, None, False
    lower = value if qualifier in _LOWER_BOUND else None
    upper = value if qualifier in _UPPER_BOUND else None
    return lower, upper, qualifier in _APPROXIMATE


def parse_quantity(text: str) -> NormalizedValue | None:
    """A number with its optional hedge and unit, or ``None`` when ``text`` is not one.

    The whole of ``text`` must be the quantity (surrounding whitespace aside). The unit is what
    follows the number and the 余/多 hedge, without the multiplier; percentages keep their
    written value with unit ``%``; fractions are values with no unit. Bounds: 余/多/以上/超过
    give ``lower``, 近/不足/低至/以内/前 give ``upper``; 约/近/左右 set ``approximate``.

    >>> q = parse_quantity("约1300平方米")
    >>> (q.value, q.unit, q.qualifier, q.approximate)
    (1300.0, '平方米', '约', True)
    >>> parse_quantity("百分之八十").unit
    '%'
    >>> parse_quantity("计划新增") is None
    True
    """
    s = _prepare(text)
    if s is None:
        return None
    m = _RE_QUANTITY.fullmatch(s)
    if m is None:
        return None
    num_text = m.group("num")
    unit = m.group("unit") or None
    if m.group("pct"):
        if unit is not None or "分之" in num_text or "/" in num_text:
            return None
        value = 100.0 if num_text == "百" else parse_number(num_text)  # 百分之百
        unit = "%"
    else:
        value = parse_number(num_text)
        if unit is not None and len(unit) > 1 and unit[0] in "万亿" and value is not None:
            value = float(Decimal(str(value)) * _BIG[unit[0]])  # 80多万元 → 800000 元
            unit = unit[1:]
        if unit is not None and not _RE_UNIT_OK.fullmatch(unit):
            return None
        if value is not None and ("/" in num_text or "分之" in num_text) and unit is not None:
            return None
    if value is None:
        return None
    pre, mid, post = m.group("pre"), m.group("mid"), m.group("post")
    qualifier = pre or mid or post
    lower, upper, approximate = _bounds(value, qualifier)
    if pre and (mid or post):
        # 约1300平方米左右: both hedges; bounds from either
        lo2, up2, ap2 = _bounds(value, mid or post)
        lower = lower if lower is not None else lo2
        upper = upper if upper is not None else up2
        approximate = approximate or ap2
    return NormalizedValue(
        value=value,
        unit=unit,
        lower=lower,
        upper=upper,
        approximate=approximate,
        qualifier=qualifier,
    )
