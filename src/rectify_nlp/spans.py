"""The one span type of the library: end-exclusive character offsets plus provenance."""

from __future__ import annotations

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
