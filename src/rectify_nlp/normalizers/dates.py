"""Calendar expressions of the genre, normalised to ISO strings.

One pure entry point, :func:`parse_date`, reads a single date or date range as written in a
notice — ``2024年4月3日``, ``2024年4月3日至6月17日``, ``8月至10月``, ``2021年1—9月``,
``2023年第三季度``, ``2022年底``, ``11月上旬``, ``2018-11-27``, ``二〇二四年三月``, ``今年3月`` —
and returns a :class:`~rectify_nlp.values.NormalizedValue` whose ``value`` is an ISO string
(``2024-04-03``) or an interval ``start/end`` (``2024-08/2024-10``), ``lower``/``upper`` the ISO
ends and ``granularity`` the finest unit written.

Dates written without a year take it from a :class:`DateContext` (the nearest preceding full
date of the document); a month earlier than the context month rolls into the next year
(feedback on 1月27日 after a December inspection).  With no year and no context the date
cannot be placed and :func:`parse_date` returns ``None``.

The regex sources (:data:`DATE_PATTERN`) are shared with :mod:`rectify_nlp.rules.dates`, which
finds the expressions in running text.

>>> parse_date("2024年4月3日至6月17日").value
'2024-04-03/2024-06-17'
>>> parse_date("1月27日", DateContext(year=2023, month=12)).value
'2024-01-27'
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass, replace
from typing import Final

from rectify_nlp.normalizers.numbers import parse_number
from rectify_nlp.values import Granularity, NormalizedValue

logger = logging.getLogger(__name__)

__all__ = [
    "DATE_PATTERN",
    "written_date_pattern",
    "DateContext",
    "DateParts",
    "parse_date",
    "normalize_parts",
    "parse_date_parts",
    "resolve_year",
    "strip_affixes",
    "to_iso",
]

# --------------------------------------------------------------------------- regex sources

_CN = "〇零○一二三四五六七八九"
_YN = rf"(?:(?:19|20)\d{{2}}|[一二][{_CN}]{{3}})"
_YREL = "今年|去年|明年|前年|同年|当年|本年|上年"
#: A year, numeric or relative (relative ones need a month, quarter … after them).
_Y = rf"(?:{_YN}[ ]?年度?|{_YREL})"
#: A year that may stand alone as a date (同年/当年 alone are anaphoric, not dates).
_Y_SOLO = rf"(?:{_YN}[ ]?年度?|今年|去年|明年|前年)"
_MN = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DN = (
    r"(?:3[01]|[12]\d|0?[1-9]|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?"
    r"|[一二三四五六七八九])"
)
_QN = r"[一二三四1-4]"
_SEP_WORDS = r"(?:至|到|~|～|—{1,2}|–|－|-)"
_SEP = rf"[ ]?{_SEP_WORDS}[ ]?"
_EDGE = r"(?:初(?![步心衷期级稿始次见])|底|末)"
_MTAIL = rf"(?:[ ]?{_DN}[ ]?[日号]|[上中下]旬|{_EDGE}|份)"
_MD = rf"{_MN}[ ]?月{_MTAIL}?"
_PERIOD = rf"(?:第?{_QN}季度|前{_QN}季度|[上下]半年)"
_POINT = rf"(?:(?:{_Y}[ ]?)?(?:{_MD}|{_PERIOD})|{_Y}{_EDGE}|{_Y_SOLO})"
_NUM_DAY = r"(?:19|20)\d{2}([-./])(?:1[0-2]|0?[1-9])\1(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_NUM_DAY2 = r"(?:19|20)\d{2}([-./])(?:1[0-2]|0?[1-9])\2(?:3[01]|[12]\d|0?[1-9])(?!\d)"
_NUM_MONTH = r"(?:19|20)\d{2}[-/](?:1[0-2]|0[1-9])(?![\d./-])"

#: One date or date range as written (the regex the finder runs; linear, no nested repeats).
DATE_PATTERN: Final[str] = (
    r"(?<![\d.\-/])(?:"
    rf"{_NUM_DAY}(?:[ ]?(?:至|到|~|～|—{{1,2}})[ ]?{_NUM_DAY2})?"
    rf"|{_NUM_MONTH}"
    rf"|(?:{_Y}[ ]?)?{_MN}{_SEP}{_MN}[ ]?月{_MTAIL}?"  # 2021年1—9月
    rf"|{_YN}{_SEP}{_YN}[ ]?年度?"  # 2021—2023年
    rf"|(?:{_Y}[ ]?)?{_MN}[ ]?月[ ]?{_DN}{_SEP}{_DN}[ ]?[日号]"  # 4月3—5日
    rf"|{_POINT}(?:{_SEP}(?:{_POINT}|{_DN}[ ]?[日号]))?"
    r")"
)
_DATE_RE = re.compile(DATE_PATTERN)

_NUMERIC_RE = re.compile(
    r"^(?P<y>\d{4})[-./](?P<m>\d{1,2})(?:[-./](?P<d>\d{1,2}))?$"
)
_PART_RE = re.compile(
    rf"^(?:(?P<y>{_YN})[ ]?年度?|(?P<yrel>{_YREL}))?[ ]?"
    rf"(?:第?(?P<q>{_QN})季度|前(?P<qn>{_QN})季度|(?P<h>[上下])半年|(?P<yedge>{_EDGE}))?"
    rf"(?:(?P<m>{_MN})[ ]?月份?)?"
    rf"(?:[ ]?(?P<d>{_DN})[ ]?[日号]|(?P<xun>[上中下]旬|{_EDGE}))?"
    rf"(?P<bare>\d{{1,4}}|[{_CN}十]{{1,4}})?$"
)
_SPLIT_RE = re.compile(_SEP)
_LEAD_RE = re.compile(r"^\s*(?:截至|截止到|截止|自|从|至|于|在|到)\s*")
# three optional \s* in a row were cubic on a whitespace run; entered at the run's first character
_TRAIL_RE = re.compile(
    r"(?<!\s)\s*+(?:(?:以来|至今|起|前|以后|之后|期间|以前|之前|为止|止)\s*+)?(?:[,.;:!?,。;:]\s*+)?$"
)

_REL_OFFSET: Final[dict[str, int]] = {
    "今年": 0, "本年": 0, "当年": 0, "同年": 0, "去年": -1, "上年": -1, "明年": 1, "前年": -2,
}
_GRAN_RANK: Final[dict[str, int]] = {
    "day": 0, "xun": 1, "month": 2, "quarter": 3, "half": 4, "year": 5,
}

# --------------------------------------------------------------------------- types


@dataclass(frozen=True)
class DateContext:
    """What a yearless date is placed against: the nearest preceding full date.

    >>> DateContext(year=2024, month=7).year
    2024
    """

    year: int | None = None
    month: int | None = None


@dataclass(frozen=True)
class DateParts:
    """One end of a date expression, as written (``None`` for what is not written)."""

    year: int | None = None
    rel_year: str | None = None
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    quarters_upto: int | None = None
    half: int | None = None
    year_edge: str | None = None
    xun: str | None = None
    bare: int | None = None

    @property
    def has_year(self) -> bool:
        return self.year is not None or self.rel_year is not None

    @property
    def first_month(self) -> int | None:
        """The first calendar month the part covers, if any is written."""
        if self.month is not None:
            return self.month
        if self.quarter is not None:
            return 3 * self.quarter - 2
        if self.quarters_upto is not None:
            return 1
        if self.half is not None:
            return 1 if self.half == 1 else 7
        if self.year_edge is not None:
            return 1 if self.year_edge == "初" else 12
        return None

    @property
    def last_month(self) -> int | None:
        if self.month is not None:
            return self.month
        if self.quarter is not None:
            return 3 * self.quarter
        if self.quarters_upto is not None:
            return 3 * self.quarters_upto
        if self.half is not None:
            return 6 if self.half == 1 else 12
        if self.year_edge is not None:
            return 1 if self.year_edge == "初" else 12
        return None


@dataclass(frozen=True)
class _End:
    """One resolved end: its ISO value(s), bounds and granularity."""

    first: str
    last: str
    lower: str
    upper: str
    granularity: Granularity
    approximate: bool
    qualifier: str | None


# --------------------------------------------------------------------------- helpers


def _num(text: str | None) -> int | None:
    if not text:
        return None
    text = text.strip()
    if text.isdigit():
        return int(text)
    value = parse_number(text)
    if value is None or value != int(value):
        return None
    return int(value)


def _parse_part(text: str) -> DateParts | None:
    m = _PART_RE.match(text.strip())
    if m is None:
        return None
    g = m.groupdict()
    q = _num(g["q"])
    qn = _num(g["qn"])
    return DateParts(
        year=_num(g["y"]),
        rel_year=g["yrel"],
        month=_num(g["m"]),
        day=_num(g["d"]),
        quarter=q,
        quarters_upto=qn,
        half=None if g["h"] is None else (1 if g["h"] == "上" else 2),
        year_edge=g["yedge"],
        xun=g["xun"],
        bare=_num(g["bare"]),
    )


def parse_date_parts(text: str) -> tuple[DateParts, DateParts | None] | None:
    """Split a date expression into its written ends, before any year is resolved.

    A day-only second end takes the first's month (``4月3日至17日``: month 4), and a
    bare number before a separator takes its unit from the second end (``1—9月``).

    >>> head, tail = parse_date_parts("2021年1—9月")
    >>> (head.year, head.month, tail.month)
    (2021, 1, 9)
    """
    text = text.strip()
    if not text:
        return None
    num = _NUMERIC_RE.match(text)
    if num is not None:
        return DateParts(year=int(num["y"]), month=int(num["m"]),
                         day=None if num["d"] is None else int(num["d"])), None
    # a numeric range 2018-11-27至2018-12-01
    pieces = re.split(r"[ ]?(?:至|到|~|～|—{1,2})[ ]?", text, maxsplit=1)
    if len(pieces) == 2 and all(_NUMERIC_RE.match(p) for p in pieces):
        a, b = (_NUMERIC_RE.match(p) for p in pieces)
        assert a is not None and b is not None
        return (
            DateParts(year=int(a["y"]), month=int(a["m"]), day=_num(a["d"])),
            DateParts(year=int(b["y"]), month=int(b["m"]), day=_num(b["d"])),
        )
    pieces = _SPLIT_RE.split(text, maxsplit=1)
    head = _parse_part(pieces[0])
    if head is None:
        return None
    if len(pieces) == 1:
        if head.bare is not None:
            return None
        return head, None
    tail = _parse_part(pieces[1])
    if tail is None:
        return None
    if tail.bare is not None:
        return None
    if head.bare is not None:
        # the bare number takes its unit from the tail
        if tail.day is not None and tail.month is None and head.month is not None:
            head = _replace(head, day=head.bare, bare=None)
        elif tail.month is not None and head.month is None and head.day is None:
            head = _replace(head, month=head.bare, bare=None)
        elif tail.year is not None and not head.has_year and head.month is None:
            head = _replace(head, year=head.bare, bare=None)
        else:
            return None
    # a day-only tail inherits the head's month (its year is resolved in normalize_parts)
    if tail.month is None and tail.day is not None:
        if head.month is None:
            return None
        tail = _replace(tail, month=head.month)
    return head, tail


def _replace(p: DateParts, **kw: object) -> DateParts:
    return replace(p, **kw)  # type: ignore[arg-type]


def resolve_year(parts: DateParts, context: DateContext | None) -> int | None:
    """The calendar year of ``parts``: written, relative to the context, or the context's.

    A yearless month earlier than the context month rolls into the next year.

    >>> resolve_year(DateParts(month=1, day=27), DateContext(2023, 12))
    2024
    >>> resolve_year(DateParts(rel_year="去年"), DateContext(2024))
    2023
    """
    if parts.year is not None:
        return parts.year
    ctx_year = context.year if context else None
    if ctx_year is None:
        return None
    if parts.rel_year is not None:
        return ctx_year + _REL_OFFSET.get(parts.rel_year, 0)
    first = parts.first_month
    if context is not None and context.month is not None and first is not None and first < context.month:
        return ctx_year + 1
    return ctx_year


def to_iso(year: int, month: int | None = None, day: int | None = None) -> str:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    >>> to_iso(2024, 4, 3)
    '2024-04-03'
    """
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


_XUN_DAYS: Final[dict[str, tuple[int, int | None]]] = {
    "上旬": (1, 10), "初": (1, 10), "中旬": (11, 20), "下旬": (21, None), "底": (21, None),
    "末": (21, None),
}


def _resolve_end(p: DateParts, year: int) -> _End | None:
    if not 1900 <= year <= 2100:
        return None
    if p.month is not None:
        if not 1 <= p.month <= 12:
            return None
        last_day = calendar.monthrange(year, p.month)[1]
        if p.day is not None:
            if not 1 <= p.day <= last_day:
                return None
            iso = to_iso(year, p.month, p.day)
            return _End(iso, iso, iso, iso, "day", False, None)
        iso = to_iso(year, p.month)
        if p.xun is not None:
            lo, hi = _XUN_DAYS[p.xun]
            approx = p.xun in ("初", "底", "末")
            return _End(iso, iso, to_iso(year, p.month, lo), to_iso(year, p.month, hi or last_day),
                        "xun", approx, p.xun if approx else None)
        return _End(iso, iso, iso, iso, "month", False, None)
    if p.day is not None:
        return None
    if p.quarter is not None or p.quarters_upto is not None:
        q_last = p.quarter or p.quarters_upto
        if q_last is None or not 1 <= q_last <= 4:
            return None
        first, last = to_iso(year, p.first_month), to_iso(year, p.last_month)
        return _End(first, last, first, last, "quarter", False, None)
    if p.half is not None:
        first, last = to_iso(year, p.first_month), to_iso(year, p.last_month)
        return _End(first, last, first, last, "half", False, None)
    if p.year_edge is not None:
        iso = to_iso(year, p.first_month)
        return _End(iso, iso, iso, iso, "month", True, p.year_edge)
    iso = to_iso(year)
    return _End(iso, iso, iso, iso, "year", False, None)


def _span_value(first: str, last: str) -> str:
    return first if first == last else f"{first}/{last}"


def normalize_parts(
    head: DateParts, tail: DateParts | None, context: DateContext | None = None
) -> NormalizedValue | None:
    """Resolve parsed ends against ``context`` into a :class:`NormalizedValue` (or ``None``).

    >>> h, t = parse_date_parts("8月至10月")
    >>> normalize_parts(h, t, DateContext(2024)).value
    '2024-08/2024-10'
    """
    y1 = resolve_year(head, context)
    if y1 is None:
        return None
    a = _resolve_end(head, y1)
    if a is None:
        return None
    if tail is None:
        return NormalizedValue(
            value=_span_value(a.first, a.last), lower=a.lower, upper=a.upper,
            approximate=a.approximate, qualifier=a.qualifier, granularity=a.granularity,
        )
    if tail.year is not None:
        y2 = tail.year
    elif tail.rel_year is not None:
        y2 = resolve_year(tail, context) or y1
    else:
        # the year is inherited from the head; roll over when the tail's month comes first
        y2 = y1
        hm, tm = head.last_month, tail.first_month
        if hm is not None and tm is not None and tm < hm:
            y2 = y1 + 1
    b = _resolve_end(tail, y2)
    if b is None:
        return None
    if b.upper < a.lower:
        return None
    gran = a.granularity if _GRAN_RANK[a.granularity] <= _GRAN_RANK[b.granularity] else b.granularity
    return NormalizedValue(
        value=f"{a.first}/{b.last}", lower=a.lower, upper=b.upper,
        approximate=a.approximate or b.approximate, qualifier=b.qualifier or a.qualifier,
        granularity=gran,
    )


def strip_affixes(text: str) -> str:
    """``text`` without the words the DATE span leaves out (截至/自/从/至 …, 以来/前/起 …).

    >>> strip_affixes("截至2022年底前")
    '2022年底'
    """
    text = _LEAD_RE.sub("", text)
    return _TRAIL_RE.sub("", text)


def parse_date(text: str, context: DateContext | None = None) -> NormalizedValue | None:
    """Normalise one date or date range as written; ``None`` when it is not one or has no year.

    Leading 截至/截止/自/从/至/于 and trailing 以来/至今/起/前/以后/期间 are tolerated.

    >>> parse_date("2023年第三季度").value
    '2023-07/2023-09'
    >>> parse_date("8月至10月", DateContext(year=2024)).granularity
    'month'
    >>> parse_date("下一步") is None
    True
    """
    if not isinstance(text, str) or not text or len(text) > 200:
        return None
    core = strip_affixes(text.strip())
    if not core or _DATE_RE.fullmatch(core) is None:
        return None
    parts = parse_date_parts(core)
    if parts is None:
        return None
    try:
        return normalize_parts(parts[0], parts[1], context)
    except (ValueError, OverflowError):  # defensive: odd numerals
        logger.debug("cannot normalise date %r", text)
        return None


# --------------------------------------------------------------------------- ISO -> as written
_CN_DIGITS: Final[str] = "〇一二三四五六七八九"
_NOT_AFTER_NUMERAL: Final[str] = r"(?<![0-9０-９〇○零一二三四五六七八九十])"
_ISO_PARTS = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def _cn_small(n: int) -> str:
    """一 … 三十一, the way months and days are written out."""
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("十" if tens == 1 else _CN_DIGITS[tens] + "十") + (_CN_DIGITS[ones] if ones else "")


def written_date_pattern(iso: str | None) -> re.Pattern[str] | None:
    """A pattern for the ways a normalised date is written in a notice: the month (and day) in
    Arabic or Chinese numerals, with the year before them optional (2023年3月6日, 3月6日,
    二〇二三年三月六日; 2021年3月 for ``2021-03``). ``None`` for a year alone or a value that is
    not ``YYYY-MM[-DD]``. The inverse of :func:`parse_date`, for pointing a field back at its
    characters.

    >>> bool(written_date_pattern("2023-10-09").search("于二〇二三年十月九日反馈"))
    True
    >>> written_date_pattern("2023-03").search("2023年3月起").group()
    '2023年3月'
    >>> written_date_pattern("2023") is None
    True
    """
    m = _ISO_PARTS.fullmatch(iso or "")
    if m is None or m.group(2) is None:
        return None
    year, month = m.group(1), int(m.group(2))
    cn_years = {"".join(zero if d == "0" else _CN_DIGITS[int(d)] for d in year) for zero in "〇○零"}
    years = "|".join([year, *sorted(cn_years)])
    pattern = (rf"(?:(?:{years})\s*年\s*)?{_NOT_AFTER_NUMERAL}(?:0?{month}|{_cn_small(month)})\s*月")
    if m.group(3) is not None:
        day = int(m.group(3))
        pattern += rf"\s*{_NOT_AFTER_NUMERAL}(?:0?{day}|{_cn_small(day)})\s*[日号]"
    return re.compile(pattern)
