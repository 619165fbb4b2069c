"""Notice-level figures (guidelines §4): problems fed back, problems rectified, completion rate,
number of rectification measures.

Notices state them once, usually in the first part: 针对巡察反馈的11项问题, 涉及整改问题523项,
已完成整改问题523项, 整改完成率100%, 制定86项细化整改措施. The first statement of each figure in
the notice is taken (per-problem figures come later and use other words); a figure that is not
stated is ``None``, never guessed.

``evidence`` holds a ``SUMMARY`` span over the number and unit of every count of problems or
measures found (not only the chosen ones), so that :func:`rectify_nlp.rules.outcomes.find_outcomes`
can exclude them. The completion rate is not evidence: it is an OUTCOME as well.

>>> f = parse_summary("针对巡察反馈的11项问题,制定86项细化整改措施,整改完成率100%。")
>>> (f.problems_total, f.measures_total, f.completion_rate)
(11, 86, 1.0)
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from rectify_nlp.normalizers.numbers import NUMBER_PATTERN, parse_number
from rectify_nlp.spans import Span

logger = logging.getLogger(__name__)

__all__ = ["SummaryFigures", "parse_summary"]


@dataclass(frozen=True)
class SummaryFigures:
    """The notice-level counts; ``None`` where the notice does not state them."""

    problems_total: int | None = None
    problems_rectified: int | None = None
    completion_rate: float | None = None
    measures_total: int | None = None
    evidence: tuple[Span, ...] = ()


# the lookbehind keeps number-first patterns linear on long digit runs
_N = rf"(?<![0-9０-９.零〇一二两三四五六七八九十百千万亿])(?<![0-9],)(?P<n>{NUMBER_PATTERN})"
_U = r"(?P<u>项|个|条|类)(?!方面|大方面|领域)"
_GAP = r"[^,;。:\n]{0,14}?"
_PROBLEM = r"(?:具体|突出|主要|各类)?问题"

# problems fed back by the inspection
_RE_TOTAL = [
    re.compile(rf"(?:反馈|指出|交办|移交|巡察发现|巡视发现|巡察组发现|巡视组发现)(?:的|了|出)?{_GAP}{_N}{_U}{_PROBLEM}"),
    re.compile(rf"(?:反馈|指出|交办|移交|涉及整改|巡察发现|巡视发现)(?:的|了)?{_GAP}问题(?:共|共计|总计|合计)?{_N}{_U}"),
]
# problems reported rectified
_RE_DONE = [
    re.compile(rf"(?:已经?|目前已经?|现已|均已|共)?(?:完成整改|整改完成|整改到位|办结|销号)(?:的)?(?:问题|任务|事项)?(?:共|共计)?{_N}{_U}"),
    re.compile(rf"已经?整改(?:问题)?{_N}{_U}"),
    re.compile(rf"{_N}{_U}(?:问题)?(?:已经?|均已|全部)(?:全部)?(?:完成整改|整改完成|整改到位|办结|销号)"),
]
# the completion rate
_RE_RATE = re.compile(
    rf"(?:整改|问题|总体|整体|任务|销号)[^,;。:\n]{{0,6}}?(?:完成率|整改率|销号率|到位率)"
    rf"(?:已经?|均)?(?:达到?|为|是)?(?:(?P<pct>百分之)(?P<pn>{NUMBER_PATTERN})|{_N}(?P<sign>%|‰))"
)
# rectification measures
_RE_MEASURES = [
    re.compile(rf"{_N}(?P<u>项|条|个)(?:细化|具体|务实|针对性)?(?:的)?整改(?:措施|举措|任务)"),
    re.compile(rf"整改(?:措施|举措|任务)(?:共|共计|合计)?{_N}(?P<u>项|条|个)"),
    re.compile(rf"(?:制定|提出|细化|明确|形成)(?:了|出)?(?:具体|细化)?(?:整改)?(?:措施|举措){_N}(?P<u>项|条|个)"),
    re.compile(rf"(?:制定|提出|细化|明确|形成)(?:了|出)?{_N}(?P<u>项|条|个)(?:细化|具体)?(?:措施|举措)"),
]
# counts of problems not used as a figure but still not outcomes (梳理出31个具体问题)
_RE_OTHER_PROBLEMS = re.compile(rf"(?:梳理|细化|分解|查摆|查找)(?:出|了|为)*{_GAP}{_N}{_U}(?:具体)?问题")


_NOT_A_COUNT = frozenset("第每这该此单某")
_RE_BARE_RATE = re.compile(
    rf"(?:^|(?<=[,;。:\n]))(?:总体|整体)?完成率(?:已经?|均)?(?:达到?|为|是)?"
    rf"(?:(?P<pct>百分之)(?P<pn>{NUMBER_PATTERN})|{_N}(?P<sign>%|‰))"
)


def _count(m: re.Match[str]) -> int | None:
    value = parse_number(m.group("n"))
    if value is None or value < 0 or value != int(value) or value > 10**7:
        return None
    return int(value)


def _evidence(m: re.Match[str]) -> Span:
    start, end = m.start("n"), m.end("u")
    return Span(start, end, "SUMMARY", m.string[start:end])


def _first(patterns: list[re.Pattern[str]], text: str) -> tuple[int | None, list[re.Match[str]]]:
    """The earliest match over all patterns (its count), and every valid match."""
    hits: list[re.Match[str]] = []
    for pattern in patterns:
        for m in pattern.finditer(text):
            if _count(m) is not None and m.string[m.start("n") - 1:m.start("n")] not in _NOT_A_COUNT:
                hits.append(m)
    if not hits:
        return None, []
    hits.sort(key=lambda m: m.start("n"))
    return _count(hits[0]), hits


def parse_summary(text: str) -> SummaryFigures:
    """The notice-level figures stated in ``text`` (clean text).

    >>> parse_summary("涉及整改问题523项,目前已经完成整改问题523项,整改完成率100%。").problems_rectified
    523
    >>> parse_summary("") == SummaryFigures()
    True
    """
    if not isinstance(text, str) or not text:
        return SummaryFigures()
    total, total_hits = _first(_RE_TOTAL, text)
    done, done_hits = _first(_RE_DONE, text)
    measures, measure_hits = _first(_RE_MEASURES, text)

    rate: float | None = None
    rates = [*_RE_RATE.finditer(text)]
    rates += [m for m in _RE_BARE_RATE.finditer(text) if "整改" in text[max(0, m.start() - 40):m.start()]]
    rates.sort(key=lambda m: m.start())
    for m in rates:
        number = m.group("pn") if m.group("pct") else m.group("n")
        value = 100.0 if m.group("pct") and number == "百" else parse_number(number)
        if value is None:
            continue
        if m.group("pct"):
            rate = value / 100
        elif m.group("sign") == "‰":
            rate = value / 1000
        else:
            rate = value / 100
        break

    spans: dict[tuple[int, int], Span] = {}
    others = [m for m in _RE_OTHER_PROBLEMS.finditer(text) if _count(m) is not None]
    for m in [*total_hits, *done_hits, *measure_hits, *others]:
        span = _evidence(m)
        spans.setdefault((span.start, span.end), span)
    evidence = tuple(sorted(spans.values(), key=lambda s: (s.start, s.end)))
    return SummaryFigures(
        problems_total=total,
        problems_rectified=done,
        completion_rate=rate,
        measures_total=measures,
        evidence=evidence,
    )
