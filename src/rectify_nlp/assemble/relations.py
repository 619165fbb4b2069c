"""Structural relation rules: which problem an outcome addresses, which date it falls in.

These are the fallbacks the trained relation model is measured against:

* ``ADDRESSES``: an outcome addresses the innermost outline problem whose extent contains it;
* ``DURING``: an outcome falls in the nearest DATE before it in the same sentence (a sentence
  ends at 。, ;, ！, ？ or a line break — a DATE scopes the comma-separated clauses after it).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from rectify_nlp.rules.dates import DateMention
from rectify_nlp.spans import Span

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
    k = 0
    last: DateMention | None = None
    for j, o in sorted(enumerate(outcomes), key=lambda x: x[1].start):
        while k < len(ordered) and ordered[k].span.end <= o.start:
            last = ordered[k]
            k += 1
        if last is None:
            continue
        if not _SENTENCE_END.search(text, last.span.end, o.start):
            out[j] = last
    return out
