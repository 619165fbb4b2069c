"""The one span type of the library: end-exclusive character offsets plus provenance."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Literal

Source = Literal["rule", "model"]


@dataclass(frozen=True, slots=True)
class Span:
    """A labelled stretch of text, ``text == doc_text[start:end]``.

    Offsets are Python ``str`` indices, end exclusive. Inside the pipeline they index the
    *clean* text (see :mod:`rectify_nlp.text`); the assembled output maps them back to the
    caller's original string.

    >>> s = Span(0, 4, "DATE", "7月30日"[:4])
    >>> s.shift(10).start
    10
    """

    start: int
    end: int
    label: str
    text: str
    source: Source = "rule"
    score: float | None = None

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"bad span offsets: {self.start}..{self.end}")

    def __len__(self) -> int:
        return self.end - self.start

    def shift(self, offset: int) -> Span:
        """The same span moved by ``offset`` characters."""
        return replace(self, start=self.start + offset, end=self.end + offset)

    def overlaps(self, other: Span) -> bool:
        return min(self.end, other.end) - max(self.start, other.start) > 0

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class ScoredRelation:
    """A relation between two entities of one list: ``label`` from ``head`` to ``tail``.

    ``head`` and ``tail`` index the entity list the relation was predicted over; ``score`` is
    the relation model's probability (``None`` for a structural rule).

    >>> ScoredRelation("ADDRESSES", 3, 1, 0.92).label
    'ADDRESSES'
    """

    label: str
    head: int
    tail: int
    score: float | None = None


class _IntervalSet:
    """Non-overlapping intervals kept sorted, with an O(log n) overlap test."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_right(self._starts, start)
        if i > 0 and self._ends[i - 1] > start:
            return True
        return i < len(self._starts) and self._starts[i] < end

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self._starts, start)
        self._starts.insert(i, start)
        self._ends.insert(i, end)


def drop_overlaps(spans: Iterable[Span]) -> list[Span]:
    """The spans without duplicates or overlaps, the longer span winning; sorted by start.

    >>> a, b = Span(0, 6, "ORG", "区委第三巡察组"[:6]), Span(2, 7, "ORG", "第三巡察组")
    >>> [s.text for s in drop_overlaps([b, a])]
    ['区委第三巡察']
    """
    kept: list[Span] = []
    taken = _IntervalSet()
    for s in sorted({(s.start, s.end): s for s in spans}.values(),
                    key=lambda s: (-(s.end - s.start), s.start)):
        if not taken.overlaps(s.start, s.end):
            taken.add(s.start, s.end)
            kept.append(s)
    return sorted(kept, key=lambda s: s.start)
