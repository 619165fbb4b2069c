"""Structural relation rules: which problem an outcome addresses, which date it falls in.

These are the fallbacks the trained relation model is measured against (and one of its
features):

* ``ADDRESSES``: an outcome addresses the innermost outline problem whose extent contains it;
* ``DURING``: an outcome falls in the nearest DATE before it in the same sentence (a sentence
  ends at 。, ;, ！, ？ or a line break — a DATE scopes the comma-separated clauses after it);
* ``INSPECTS``: the header's inspector inspects each of the header's targets.

:func:`structural_relations` applies them to any entity list (the rule layer's, the model's or
a gold one), matching the rules' spans to the list's entities.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from rectify_nlp.rules.dates import DateMention
from rectify_nlp.spans import ScoredRelation, Span

if TYPE_CHECKING:
    from rectify_nlp.rules.analysis import RuleAnalysis

_SENTENCE_END = re.compile(r"[。;；!！?？\n]")


class _HasExtent(Protocol):
    start: int
    end: int
    level: int


def link_problems(outcomes: Sequence[Span], problems: Sequence[_HasExtent]) -> dict[int, int]:
    """Map outcome index → index of the innermost problem whose extent contains it.

    Problem extents nest like the outline they come from, so one sweep with a stack of open
    problems finds the innermost one in O((n + m) log m) time.

    >>> from types import SimpleNamespace as P
    >>> link_problems([Span(15, 18, "OUTCOME", "x")], [P(start=0, end=100, level=1),
    ...                                                P(start=10, end=20, level=2)])
    {0: 1}
    """
    order = sorted(range(len(problems)),
                   key=lambda i: (problems[i].start, -problems[i].end))
    out: dict[int, int] = {}
    stack: list[int] = []
    k = 0
    for j, o in sorted(enumerate(outcomes), key=lambda x: x[1].start):
        while k < len(order) and problems[order[k]].start <= o.start:
            stack.append(order[k])
            k += 1
        while stack and problems[stack[-1]].end <= o.start:
            stack.pop()
        for i in reversed(stack):  # innermost first; usually the top one
            if o.end <= problems[i].end:
                out[j] = i
                break
    return out


def link_during(text: str, outcomes: Sequence[Span],
                dates: Sequence[DateMention]) -> dict[int, DateMention]:
    """Map outcome index → the DATE that scopes it (nearest before it, same sentence).

    >>> from rectify_nlp.rules.dates import DateMention
    >>> t = "8月至10月设置护栏1600米。"
    >>> d = DateMention(Span(0, 6, "DATE", "8月至10月"), None)
    >>> link_during(t, [Span(6, 15, "OUTCOME", "设置护栏1600米")], [d])[0].span.text
    '8月至10月'
    """
    out: dict[int, DateMention] = {}
    ordered = sorted(dates, key=lambda d: d.span.start)
    ends = [m.start() for m in _SENTENCE_END.finditer(text)]  # one pass: linear overall
    k = 0
    last: DateMention | None = None
    for j, o in sorted(enumerate(outcomes), key=lambda x: x[1].start):
        while k < len(ordered) and ordered[k].span.end <= o.start:
            last = ordered[k]
            k += 1
        if last is None:
            continue
        # a sentence end in [last.end, o.start)?
        i = bisect.bisect_left(ends, last.span.end)
        if i >= len(ends) or ends[i] >= o.start:
            out[j] = last
    return out


class EntityIndex:
    """Find the entity of a list that stands for a span the rules found.

    An entity with the same label and offsets wins; else the entity of that label that overlaps
    the span most (ties: the earlier one); else ``None``.

    >>> ents = [Span(0, 4, "ORG", "市委巡察"), Span(10, 14, "DATE", "2024")]
    >>> EntityIndex(ents).find(Span(0, 6, "ORG", "市委巡察一组"))
    0
    """

    def __init__(self, entities: Sequence[Span]) -> None:
        self._exact = {(e.label, e.start, e.end): i for i, e in enumerate(entities)}
        self._by_label: dict[str, list[tuple[int, int, int]]] = {}
        for i, e in enumerate(entities):
            self._by_label.setdefault(e.label, []).append((e.start, e.end, i))
        for items in self._by_label.values():
            items.sort()
        self._max_len = {lab: max((e - s for s, e, _ in items), default=0)
                         for lab, items in self._by_label.items()}

    def find(self, span: Span, label: str | None = None) -> int | None:
        label = label or span.label
        hit = self._exact.get((label, span.start, span.end))
        if hit is not None:
            return hit
        items = self._by_label.get(label, [])
        # candidates start before span.end and after span.start - the longest entity
        lo = bisect.bisect_left(items, (span.start - self._max_len.get(label, 0), -1, -1))
        best, best_ov = None, 0
        for s, e, i in items[lo:]:
            if s >= span.end:
                break
            ov = min(e, span.end) - max(s, span.start)
            if ov > best_ov:
                best, best_ov = i, ov
        return best


def structural_relations(text: str, entities: Sequence[Span],
                         analysis: RuleAnalysis) -> list[ScoredRelation]:
    """The structural rules' relations over ``entities`` (clean offsets), indices into it.

    OUTCOME entities are linked to the problem whose outline extent contains them and to the
    DATE that scopes them; the header's inspector ORG to each target ORG. A rule's span is
    matched to the list by :class:`EntityIndex`; pairs whose ends find no entity are dropped.

    >>> from rectify_nlp.rules.analysis import analyze
    >>> t = "2024年3月,市委第一巡察组对某镇党委开展巡察。整改情况:2024年5月以来拆除违建12处。"
    >>> ents = analyze(t).entity_spans()
    >>> [(r.label, ents[r.head].text, ents[r.tail].text)
    ...  for r in structural_relations(t, ents, analyze(t)) if r.label == "DURING"]
    [('DURING', '拆除违建12处', '2024年5月')]
    """
    if not analysis.is_notice:
        return []
    index = EntityIndex(entities)
    out: set[ScoredRelation] = set()
    outcomes = [(i, e) for i, e in enumerate(entities) if e.label == "OUTCOME"]
    spans = [e for _, e in outcomes]
    if analysis.outline is not None:
        problems = analysis.outline.problems
        for j, p in link_problems(spans, problems).items():
            tail = index.find(problems[p].statement, "PROBLEM")
            if tail is not None:
                out.add(ScoredRelation("ADDRESSES", outcomes[j][0], tail))
    dates = [d for d in analysis.dates if index.find(d.span, "DATE") is not None]
    for j, d in link_during(text, spans, dates).items():
        tail = index.find(d.span, "DATE")
        if tail is not None:
            out.add(ScoredRelation("DURING", outcomes[j][0], tail))
    header = analysis.header
    if header is not None and header.inspector is not None:
        head = index.find(header.inspector, "ORG")
        for t in header.targets:
            tail = index.find(t, "ORG")
            if head is not None and tail is not None and head != tail:
                out.add(ScoredRelation("INSPECTS", head, tail))
    return sorted(out, key=lambda r: (r.head, r.tail, r.label))
