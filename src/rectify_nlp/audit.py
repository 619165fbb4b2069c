"""A notice checked against itself: figures, dates, numbering and outcomes that disagree.

:func:`audit` runs small, independent checks over one :class:`~rectify_nlp.schema.Rectification`
and returns :class:`Finding` objects, each with the character spans it rests on (offsets into
the text the result was extracted from), so a reader can look at the words and decide whether
the notice contradicts itself or the extraction went wrong. The checks are registered, in order,
in :data:`CHECKS`; pass ``checks=`` to run only some.

=====================  ========  ==============================================================
check                  severity  what it compares
=====================  ========  ==============================================================
problems_count         info      ``summary.problems_total`` with the problems listed at the
                                 outline level whose count comes closest
rectified_le_total     error     ``summary.problems_rectified`` ≤ ``summary.problems_total``
completion_rate        warning   the stated rate with rectified / total (±0.5 point)
date_order             warning   start ≤ end ≤ feedback ≤ published; years 2000 … this year + 1
numbering              warning   gaps and repeats among sibling problems (1, 2, 4; (一)(二)(二))
rate_over_100          warning   a rate or share (…率, 占比) above 100%
unit_metric            warning   a unit that cannot measure its metric (资金 in 人, 率 in 个)
metric_repeated        info      one metric (same words, unit and period) with two values
=====================  ========  ==============================================================

The audit is pure: it reads the result only (and the year it is given for the date check).

>>> from rectify_nlp.schema import Rectification, Summary
>>> r = Rectification(summary=Summary(problems_total=5, problems_rectified=6))
>>> [(f.check, f.severity) for f in audit(r)]
[('rectified_le_total', 'error')]
"""

from __future__ import annotations

import datetime
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rectify_nlp.normalizers.dates import written_date_pattern
from rectify_nlp.normalizers.numbers import parse_number
from rectify_nlp.schema import Entity, Outcome, Problem, Rectification, TextSpan

logger = logging.getLogger(__name__)

__all__ = ["CHECKS", "AuditContext", "Finding", "audit"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """One thing a notice says that does not fit something else it says.

    ``check`` names the check (a key of :data:`CHECKS`), ``severity`` is ``error``, ``warning``
    or ``info``, and ``spans`` are the characters the finding rests on.

    >>> Finding("numbering", "warning", "1, 2, 4", (TextSpan("甲", 0, 1),)).to_dict()["spans"]
    [{'text': '甲', 'start': 0, 'end': 1}]
    """

    check: str
    severity: str
    message: str
    spans: tuple[TextSpan, ...] = ()

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ValueError(f"severity {self.severity!r} is not one of {SEVERITIES}")

    def to_dict(self) -> dict[str, Any]:
        """``{check, severity, message, spans: [{text, start, end}]}``, ready for JSON."""
        return {
            "check": self.check,
            "severity": self.severity,
            "message": self.message,
            "spans": [{"text": s.text, "start": s.start, "end": s.end} for s in self.spans],
        }


@dataclass(frozen=True)
class AuditContext:
    """What the checks may need besides the result: the current year (for plausible dates)."""

    current_year: int


Check = Callable[[Rectification, AuditContext], list[Finding]]


# -- helpers ------------------------------------------------------------------------------------
def _fmt(x: float | int) -> str:
    """``100.0`` → ``100``, ``83.333…`` → ``83.33``."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.2f}".rstrip("0").rstrip(".")


def _problem_span(p: Problem) -> TextSpan:
    return TextSpan(text=p.statement, start=p.start, end=p.end)


def _outcome_span(o: Outcome) -> TextSpan:
    return TextSpan(text=o.raw, start=o.start, end=o.end)


def _summary_spans(result: Rectification, *names: str) -> tuple[TextSpan, ...]:
    """Where the named summary figures are stated, for those located."""
    located = result.summary.spans
    return tuple(located[n] for n in names if n in located)


# -- 1. problems stated vs listed ------------------------------------------------------------------
def check_problems_count(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """The stated number of problems against the problems listed at each outline level: the
    level whose count is closest is compared (ties: the shallower level). Listing fewer is
    common on truncated pages and in notices that group problems, so this is ``info``."""
    stated = result.summary.problems_total
    if stated is None or not result.problems:
        return []
    by_level: dict[int, list[Problem]] = defaultdict(list)
    for p in result.problems:
        by_level[p.level].append(p)
    level = min(by_level, key=lambda lv: (abs(len(by_level[lv]) - stated), lv))
    listed = len(by_level[level])
    if listed == stated:
        return []
    compared = ", ".join(f"level {lv}: {len(ps)}" for lv, ps in sorted(by_level.items()))
    return [Finding(
        "problems_count", "info",
        f"states {stated} problems but lists {listed} at outline level {level}, the closest "
        f"level ({compared})",
        _summary_spans(result, "problems_total") + tuple(_problem_span(p) for p in by_level[level]),
    )]


# -- 2. rectified <= total ---------------------------------------------------------------------------
def check_rectified_le_total(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """No more problems can be rectified than were fed back."""
    s = result.summary
    if s.problems_total is None or s.problems_rectified is None:
        return []
    if s.problems_rectified <= s.problems_total:
        return []
    return [Finding(
        "rectified_le_total", "error",
        f"{s.problems_rectified} problems rectified of {s.problems_total} fed back",
        _summary_spans(result, "problems_total", "problems_rectified"),
    )]


# -- 3. stated completion rate vs rectified / total --------------------------------------------------
RATE_TOLERANCE = 0.5  # percentage points


def check_completion_rate(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """The stated completion rate against problems_rectified / problems_total (±0.5 point)."""
    s = result.summary
    if s.completion_rate is None or s.problems_rectified is None or not s.problems_total:
        return []
    stated = s.completion_rate * 100
    computed = s.problems_rectified / s.problems_total * 100
    if abs(stated - computed) <= RATE_TOLERANCE:
        return []
    return [Finding(
        "completion_rate", "warning",
        f"completion rate stated {_fmt(stated)}%, but {s.problems_rectified} of "
        f"{s.problems_total} rectified is {_fmt(computed)}%",
        _summary_spans(result, "completion_rate", "problems_rectified", "problems_total"),
    )]


# -- 4. dates in order, years plausible ----------------------------------------------------------
_DATE_FIELDS: tuple[tuple[str, str], ...] = (
    ("start_date", "inspection start"),
    ("end_date", "inspection end"),
    ("feedback_date", "feedback"),
    ("published_date", "publication"),
)
_ISO = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def _dates(result: Rectification) -> list[tuple[str, str, str]]:
    """(field, label, ISO value) of the notice's dates that are set, in the expected order."""
    ins = result.inspection
    values = {"start_date": ins.start_date, "end_date": ins.end_date,
              "feedback_date": ins.feedback_date, "published_date": result.published_date}
    return [(f, label, values[f]) for f, label in _DATE_FIELDS if values[f]]


def _date_span(iso: str, entities: Sequence[Entity], *, last: bool = False) -> TextSpan | None:
    """The written form of a date inside a DATE entity (the last one for the publication date,
    which stands under the signature), or ``None``."""
    pattern = written_date_pattern(iso)
    if pattern is None:
        return None
    dates = [e for e in entities if e.label == "DATE"]
    for e in reversed(dates) if last else dates:
        m = pattern.search(e.text)
        if m is not None:
            return TextSpan(text=e.text, start=e.start, end=e.end)
    return None


def _before(a: str, b: str) -> bool:
    """Whether ISO date ``a`` is not after ``b``, compared at the coarser of the two
    precisions (``2021-03`` is not after ``2021-03-15``)."""
    n = min(len(a), len(b))
    return a[:n] <= b[:n]


def check_date_order(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """Inspection start ≤ end ≤ feedback ≤ publication, and every year in 2000 … this year + 1."""
    dates = _dates(result)
    spans = {f: _date_span(iso, result.entities, last=f == "published_date")
             for f, _label, iso in dates}

    def where(*names: str) -> tuple[TextSpan, ...]:
        return tuple(s for n in names if (s := spans.get(n)) is not None)

    findings: list[Finding] = []
    for field, label, iso in dates:
        m = _ISO.match(iso)
        year = int(m.group(1)) if m else None
        if year is None or not 2000 <= year <= ctx.current_year + 1:
            findings.append(Finding(
                "date_order", "warning",
                f"{label} date {iso}: year outside 2000–{ctx.current_year + 1}", where(field)))
    for (f1, l1, d1), (f2, l2, d2) in zip(dates, dates[1:]):
        if not _before(d1, d2):
            findings.append(Finding(
                "date_order", "warning", f"{l1} date {d1} is after {l2} date {d2}",
                where(f1, f2)))
    return findings


# -- 5. outline numbering -------------------------------------------------------------------------
_NUMBERING = re.compile(
    r"^(?P<pre>[((〔\[【]?|第)\s*(?P<n>[0-9０-９]+|[零〇一二两三四五六七八九十百]+)\s*(?P<post>.*)$")
_FULLWIDTH = str.maketrans("()０１２３４５６７８９．、", "()0123456789.、")


def parse_numbering(number: str | None) -> tuple[str, int] | None:
    """The style and value of an outline number: ``(一)`` → ``("(C)", 1)``, ``12.`` →
    ``("A.", 12)``, ``二是`` → ``("C是", 2)``; ``None`` when it is not one.

    >>> parse_numbering("(三)"), parse_numbering("4."), parse_numbering("二是")
    (('(C)', 3), ('A.', 4), ('C是', 2))
    """
    if not number:
        return None
    m = _NUMBERING.match(number.strip().translate(_FULLWIDTH))
    if m is None:
        return None
    value = parse_number(m.group("n"))
    if value is None or value != int(value) or value <= 0:
        return None
    kind = "A" if m.group("n")[0].isdigit() else "C"
    return f"{m.group('pre')}{kind}{m.group('post').strip()}", int(value)


def _siblings(problems: Sequence[Problem]) -> dict[tuple[Any, ...], list[tuple[int, int]]]:
    """Problems grouped by parent, level, category and numbering style: (index, value) lists."""
    groups: dict[tuple[Any, ...], list[tuple[int, int]]] = defaultdict(list)
    for i, p in enumerate(problems):
        parsed = parse_numbering(p.number)
        if parsed is not None:
            style, value = parsed
            groups[(p.parent, p.level, p.category, style)].append((i, value))
    return groups


def check_numbering(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """Gaps (1, 2, 4), repeats ((二)(二)) and steps back among sibling problems numbered in one
    style. A group that starts above 1 is not flagged (pages and parents may continue a count)."""
    findings: list[Finding] = []
    for members in _siblings(result.problems).values():
        issues: list[str] = []
        involved: list[int] = []
        for (i, a), (j, b) in zip(members, members[1:]):
            if b == a + 1:
                continue
            if b == a:
                issues.append(f"{result.problems[j].number} repeated")
            elif b > a + 1:
                missing = range(a + 1, b)
                issues.append(f"{len(missing)} missing after {result.problems[i].number}"
                              if len(missing) > 3 else
                              "missing " + ", ".join(str(k) for k in missing))
            else:
                issues.append(f"{result.problems[j].number} after {result.problems[i].number}")
            involved += [k for k in (i, j) if k not in involved]
        if issues:
            seq = ", ".join(result.problems[i].number or "" for i, _v in members)
            findings.append(Finding(
                "numbering", "warning", f"sibling problems numbered {seq}: {'; '.join(issues)}",
                tuple(_problem_span(result.problems[k]) for k in involved)))
    return findings


# -- 6. rates over 100% ------------------------------------------------------------------------------
_METRIC_TAIL = re.compile(r"(?:已经?|均|总体)?(?:达到|达|为|是|提升至|提高到|提高至|升至)?$")
_RATE_METRIC = re.compile(r"(?:率|占比|比例|比重)$")
_CHANGE_WORDS = re.compile(r"增长|增幅|增加|提高|提升|上升|下降|降低|减少|同比|环比|增速|涨")


def _metric_core(metric: str) -> str:
    """The metric without the verb before its number (完成率达到 → 完成率)."""
    return _METRIC_TAIL.sub("", metric.strip(" ,,:"))


def check_rate_over_100(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """A rate or share (…率, 占比, 比例) above 100%. Changes (增长率, 同比提高) may exceed 100 and
    are not checked."""
    findings = []
    for o in result.outcomes:
        core = _metric_core(o.metric)
        if (o.unit == "%" and o.value > 100 and _RATE_METRIC.search(core)
                and not _CHANGE_WORDS.search(core)):
            findings.append(Finding(
                "rate_over_100", "warning", f"{core} of {_fmt(o.value)}%: a rate above 100%",
                (_outcome_span(o),)))
    return findings


# -- 7. unit vs metric --------------------------------------------------------------------------------
_MONEY_METRIC = re.compile(
    r"资金|金额|款项|罚款|欠款|贷款|借款|拨款|善款|赃款|经费|费用|补贴|补助|工资|薪酬|租金|押金"
    r"|保证金|慰问金|奖金|基金|税款|税费|罚没")
_PERSON_METRIC = re.compile(r"人员|人数|干部|党员|群众|职工|人次")
_PERSON_UNITS = frozenset({"人", "人次", "名", "位"})
_MONEY_UNITS = frozenset({"元", "美元", "港元", "欧元"})
_RATE_UNITS = frozenset({"%", "‰", "成"})


def _unit_problem(o: Outcome) -> str | None:
    """Why ``o.unit`` cannot measure ``o.metric``, or ``None``. Kept conservative: only pairs
    that cannot both be right are named."""
    core, unit = _metric_core(o.metric), o.unit
    if unit is None:
        return None
    money = _MONEY_METRIC.search(core)
    if money and unit in _PERSON_UNITS:
        return f"{money.group()} counted in {unit}, not in a money unit"
    if core.endswith("率") and unit not in _RATE_UNITS and "百分点" not in unit \
            and not _CHANGE_WORDS.search(core):
        return f"a rate ({core}) in {unit}, not in %"
    person = _PERSON_METRIC.search(core)
    if person and not money and unit in _MONEY_UNITS:
        return f"{person.group()} counted in {unit}"
    return None


def check_unit_metric(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """An outcome whose unit cannot measure its metric: money (资金, 金额, 罚款 …) counted in
    persons, a rate (…率) not in %, persons (人员, 党员 …) counted in 元."""
    findings = []
    for o in result.outcomes:
        why = _unit_problem(o)
        if why is not None:
            findings.append(Finding("unit_metric", "warning", f"{o.raw}: {why}",
                                    (_outcome_span(o),)))
    return findings


# -- 8. one metric, two values -----------------------------------------------------------------------
_LEAD = re.compile(r"^(?:共计|累计|共|合计|总计|先后|已经|已|目前|全年|全部|均|又)+")
_PUNCT = re.compile(r"[\s,,;;::。、“”\"‘’()()]")
MIN_METRIC_CHARS = 4


def _metric_key(o: Outcome) -> tuple[str, str | None, str | None] | None:
    """The normalised metric, unit and period, or ``None`` for a metric too short to compare or
    taken from the context (分别增长16.6%、33.9%: the raw span is the number alone)."""
    metric = _LEAD.sub("", _PUNCT.sub("", _metric_core(o.metric)))
    if len(metric) < MIN_METRIC_CHARS or not o.metric or o.metric not in o.raw:
        return None
    return metric, o.unit, o.period


def _agree(a: Outcome, b: Outcome) -> bool:
    """Equal values, or bounds that overlap (800余 and 820)."""
    lo_a, hi_a = a.lower if a.lower is not None else a.value, a.upper
    lo_b, hi_b = b.lower if b.lower is not None else b.value, b.upper
    if not (a.approximate or b.approximate or a.qualifier or b.qualifier):
        return abs(a.value - b.value) < 1e-9
    hi_a = hi_a if hi_a is not None else (float("inf") if a.qualifier else a.value)
    hi_b = hi_b if hi_b is not None else (float("inf") if b.qualifier else b.value)
    return max(lo_a, lo_b) <= min(hi_a, hi_b)


def check_metric_repeated(result: Rectification, ctx: AuditContext) -> list[Finding]:
    """One metric (same words, unit and period) reported with different values. Notices often
    repeat a metric for different actions or units (出动执法车辆 in two campaigns), so this is
    ``info``: the spans show which."""
    groups: dict[tuple[str, str | None, str | None], list[Outcome]] = defaultdict(list)
    for o in result.outcomes:
        key = _metric_key(o)
        if key is not None:
            groups[key].append(o)
    findings = []
    for (metric, unit, _period), outcomes in groups.items():
        if all(_agree(outcomes[0], o) for o in outcomes[1:]):
            continue
        values = ", ".join(f"{_fmt(o.value)}{unit or ''}" for o in outcomes)
        findings.append(Finding(
            "metric_repeated", "info", f"{metric} reported {len(outcomes)} times: {values}",
            tuple(_outcome_span(o) for o in outcomes)))
    return findings


# -- the registry -------------------------------------------------------------------------------------
#: Every check, in the order :func:`audit` runs them; pick some by name with ``checks=``.
CHECKS: dict[str, Check] = {
    "problems_count": check_problems_count,
    "rectified_le_total": check_rectified_le_total,
    "completion_rate": check_completion_rate,
    "date_order": check_date_order,
    "numbering": check_numbering,
    "rate_over_100": check_rate_over_100,
    "unit_metric": check_unit_metric,
    "metric_repeated": check_metric_repeated,
}


def audit(result: Rectification, checks: Iterable[str] | None = None, *,
          current_year: int | None = None) -> list[Finding]:
    """Run the checks (all of :data:`CHECKS` by default, in its order) over one result.

    ``current_year`` bounds plausible years (default: this year). An unknown check name raises
    :class:`ValueError` naming the known ones. An empty result yields no finding.

    >>> audit(Rectification.empty())
    []
    """
    names = list(CHECKS) if checks is None else list(checks)
    unknown = [n for n in names if n not in CHECKS]
    if unknown:
        raise ValueError(f"unknown audit check(s) {', '.join(unknown)}; "
                         f"known: {', '.join(CHECKS)}")
    ctx = AuditContext(current_year=current_year or datetime.date.today().year)
    findings: list[Finding] = []
    for name in names:
        found = CHECKS[name](result, ctx)
        logger.debug("audit %s: %d finding(s)", name, len(found))
        findings.extend(found)
    return findings
