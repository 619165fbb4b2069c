"""The DATE rule: calendar expressions in running text, with their years resolved.

Span rules (guidelines §1): one span for a range written as one expression (X至Y, X—Y, X到Y);
截至/截止/自/从/至 before and 以来/至今/起/前/以后/期间 after are left out (the pattern never
takes them in); 初/中旬/下旬/底 are kept.  Vague times (目前, 近期), recurring ones (每月25日,
每年3月) and durations (两个月内, 14小时) are not dates, nor is anything inside a 《》 title.

Years are resolved through the document: each yearless date takes the year of the nearest
preceding full date (one with a written year), rolling into the next year when its month comes
before that date's month.

>>> [d.span.text for d in find_dates("2024年4月3日至6月17日开展巡察,7月30日反馈意见。")]
['2024年4月3日至6月17日', '7月30日']
>>> find_dates("7月30日反馈意见。2024年")[0].value is None
True
"""

from __future__ import annotations

import bisect
import logging
import re
from dataclasses import dataclass

from rectify_nlp.normalizers.dates import (
    DATE_PATTERN,
    DateContext,
    DateParts,
    normalize_parts,
    parse_date_parts,
)
from rectify_nlp.spans import Span
from rectify_nlp.values import NormalizedValue

logger = logging.getLogger(__name__)

__all__ = ["DateMention", "find_dates", "title_ranges"]

_DATE_RE = re.compile(DATE_PATTERN)
_TITLE_RE = re.compile(r"《[^《》\n]{0,300}》")
_CN_NUMERAL = set("〇零○一二两三四五六七八九十百千万亿")
# A yearless month earlier than the context month rolls into the next year only while the
# context date is this close (the header's chain 12月…巡察, 1月27日反馈); far from it a
# backward month is a look back (1-10月 statistics), not the next year.
_ROLLOVER_WINDOW = 300
# recurring times: 每月25日, 每年3月, 每季度, 逢每月…
_RECURRING_BEFORE = re.compile(r"每[年月周]?[ ]?$|逢$")


@dataclass(frozen=True)
class DateMention:
    """A DATE span and its normalised value (``None`` when its year cannot be placed)."""

    span: Span
    value: NormalizedValue | None


def title_ranges(text: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` offsets of the 《…》 titles in ``text``, sorted.

    >>> title_ranges("按照《条例》规定")
    [(2, 6)]
    """
    return [(m.start(), m.end()) for m in _TITLE_RE.finditer(text)]


def _inside(ranges: list[tuple[int, int]], starts: list[int], start: int, end: int) -> bool:
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and ranges[i][0] <= start and end <= ranges[i][1]


def _context_from(head: DateParts, tail: DateParts | None, value: NormalizedValue) -> DateContext:
    """The context a full date sets for the yearless dates after it."""
    upper = str(value.upper or value.value or "")
    year = int(upper[:4]) if upper[:4].isdigit() else None
    last = tail or head
    if last.quarter is not None or last.quarters_upto is not None or last.half is not None:
        month = last.first_month
    else:
        month = last.last_month
    return DateContext(year=year, month=month)


def find_dates(text: str) -> list[DateMention]:
    """Every DATE expression in ``text`` with its normalised value, sorted by start.

    >>> ds = find_dates("2023年10月9日至12月15日巡察,1月27日反馈")
    >>> [d.value.value for d in ds]
    ['2023-10-09/2023-12-15', '2024-01-27']
    """
    if not isinstance(text, str) or not text:
        return []
    titles = title_ranges(text)
    title_starts = [r[0] for r in titles]
    context: DateContext | None = None
    context_end = 0
    doc_year = _signature_year(text)
    max_year: int | None = None
    out: list[DateMention] = []
    for m in _DATE_RE.finditer(text):
        start, end = m.start(), m.end()
        s = m.group()
        if s[0] in _CN_NUMERAL and start > 0 and text[start - 1] in _CN_NUMERAL:
            continue
        if _RECURRING_BEFORE.search(text, max(0, start - 3), start):
            continue
        if titles and _inside(titles, title_starts, start, end):
            continue
        parts = parse_date_parts(s)
        if parts is None:
            continue
        head, tail = parts
        if _lone_chinese_month(head, tail, s):
            continue  # 一月一小结, 三月三: too ambiguous without a year or day
        ctx = context
        if ctx is not None and start - context_end > _ROLLOVER_WINDOW:
            ctx = DateContext(year=ctx.year, month=None)
        if ctx is not None and head.rel_year is not None and head.year is None:
            # 今年: the year the notice is signed, else the latest day written so far
            ctx = DateContext(year=doc_year or max_year or (ctx.year if ctx else None))
        try:
            value = normalize_parts(head, tail, ctx)
        except (ValueError, OverflowError):
            value = None
        if value is None and _invalid(head, tail):
            continue  # 2月30日: not a calendar date
        if value is not None and head.has_year:
            context = _context_from(head, tail, value)
            context_end = end
            if context.year is not None and head.year is not None and value.granularity == "day":
                max_year = context.year if max_year is None else max(max_year, context.year)
        out.append(DateMention(Span(start, end, "DATE", s), value))
    return out


_SIGNATURE_DATE_RE = re.compile(
    r"(?m)^[ \t]*(?:(?:19|20)\d{2}[ ]?年|[一二][〇零○一二三四五六七八九]{3}年)[^\n]{2,12}[日号][ \t]*$"
)


def _signature_year(text: str) -> int | None:
    """The year of a date written alone on a line near the end (the signature), if any."""
    tail_start = max(0, len(text) - 1500)
    found = None
    for m in _SIGNATURE_DATE_RE.finditer(text, tail_start):
        found = m
    if found is None:
        return None
    parts = parse_date_parts(found.group().strip())
    return parts[0].year if parts is not None else None


def _lone_chinese_month(head: DateParts, tail: DateParts | None, s: str) -> bool:
    return (
        tail is None and not head.has_year and head.day is None and head.xun is None
        and head.month is not None and not s[0].isdigit()
    )


def _invalid(head: DateParts, tail: DateParts | None) -> bool:
    """Whether the parts are impossible whatever the year (leap years allowed)."""
    probe = DateContext(year=2000)
    bare_head = DateParts(month=head.month, day=head.day, quarter=head.quarter,
                          quarters_upto=head.quarters_upto, half=head.half,
                          year_edge=head.year_edge, xun=head.xun)
    bare_tail = None
    if tail is not None:
        bare_tail = DateParts(month=tail.month, day=tail.day, quarter=tail.quarter,
                              quarters_upto=tail.quarters_upto, half=tail.half,
                              year_edge=tail.year_edge, xun=tail.xun)
        if head.year is not None and tail.year is not None:
            return tail.year < head.year
    return normalize_parts(bare_head, bare_tail, probe) is None
