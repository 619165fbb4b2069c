"""Step 2 of the pipeline: the clean text every rule reads, with a map back to the original.

``clean_text`` composes three small steps, each returning its own :class:`OffsetMap`:

1. :func:`rectify_nlp.text.html.strip_html` (only for HTML input, auto-detected by default);
2. :func:`rectify_nlp.text.normalize.normalize_text` (full-width → half-width, spaces, line
   breaks, traditional → simplified one character to one);
3. :func:`rectify_nlp.text.boilerplate.drop_boilerplate` (page chrome lines, recorded in
   ``dropped``).

>>> ct = clean_text("来源:区委办\\n區委第三巡察組對某街道開展了巡察。")
>>> ct.text
'区委第三巡察组对某街道开展了巡察。'
>>> ct.to_original(0, 2), ct.original[7:9]
((7, 9), '區委')
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rectify_nlp.io.read import looks_like_html
from rectify_nlp.spans import Span
from rectify_nlp.text.boilerplate import drop_boilerplate
from rectify_nlp.text.html import strip_html
from rectify_nlp.text.normalize import normalize_text
from rectify_nlp.text.offsets import OffsetMap, TextBuilder

__all__ = ["CleanText", "DroppedLine", "clean_text"]


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")


class _CleanStarts(Sequence[int]):
    """``points[i]`` = original offset where clean character ``i`` starts (monotone), lazily."""

    def __init__(self, offsets: OffsetMap, n: int) -> None:
        self._offsets = offsets
        self._n = n

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):  # pragma: no cover - bisect never slices
            return [self[j] for j in range(*i.indices(self._n))]
        return self._offsets.to_original_point(i)


@dataclass(frozen=True, slots=True)
class DroppedLine:
    """A stretch of page chrome removed from the clean text.

    ``start``/``end`` are offsets into the ORIGINAL string; ``text`` is the stretch as
    normalised (half-width colons, simplified characters), e.g. ``"发布时间:2023-05-06"``;
    ``kind`` is one of site_footer, page_marker, source, page_date, nav, other.
    """

    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class CleanText:
    """The original input, its clean text and the map between them.

    >>> ct = clean_text("（一）整改")
    >>> ct.text, ct.original_span(Span(0, 3, "X", "(一)")).text
    ('(一)整改', '（一）')
    """

    original: str
    text: str
    offsets: OffsetMap
    is_html: bool
    dropped: tuple[DroppedLine, ...] = ()

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the clean span ``[start, end)``."""
        return self.offsets.to_original(start, end)

    def to_clean(self, start: int, end: int) -> tuple[int, int]:
        """Clean span covering the original span ``[start, end)`` (the inverse mapping).

        The clean start is the first clean character that starts at or after ``start``; the
        clean end is the first one that starts at or after ``end``. An original span that lies
        in deleted text (a tag, a boilerplate line) maps to an empty span.

        >>> ct = clean_text("（一）加强领导")
        >>> ct.to_clean(3, 7), ct.text[3:7]
        ((3, 7), '加强领导')
        """
        points = _CleanStarts(self.offsets, len(self.text) + 1)
        s = bisect_left(points, start)
        return s, bisect_left(points, end, lo=s)

    def original_span(self, span: Span) -> Span:
        """``span`` (clean offsets) moved to original offsets, its text read from the original."""
        start, end = self.offsets.to_original(span.start, span.end)
        return replace(span, start=start, end=end, text=self.original[start:end])

    def written(self, start: int, end: int) -> str:
        """The text of the clean span ``[start, end)`` as the caller wrote it, without markup.

        Plain text gives the original slice. Where the original holds HTML tags, entities or
        invisible characters, each clean character is taken from the original when it stands
        for exactly one original character (so traditional characters stay as written) and
        from the clean text otherwise (``&amp;`` → ``&``); tags and invisible characters are
        left out.

        >>> ct = clean_text("<p>區委<b>第三</b>巡察組&amp;</p>")
        >>> ct.written(0, len(ct.text))
        '區委第三巡察組&'
        """
        o_start, o_end = self.offsets.to_original(start, end)
        raw = self.original[o_start:o_end]
        if not self.is_html and not _INVISIBLE.search(raw):
            return raw
        out = []
        for i in range(start, end):
            a, b = self.offsets.to_original(i, i + 1)
            out.append(self.original[a] if b - a == 1 else self.text[i])
        return "".join(out)

    @property
    def page_date_text(self) -> str | None:
        """Text of the first dropped ``page_date`` line (e.g. ``"发布时间:2023-05-06"``), or None."""
        for d in self.dropped:
            if d.kind == "page_date":
                return d.text
        return None


def clean_text(original: str, *, html: bool | None = None, to_simplified: bool = True) -> CleanText:
    """Clean ``original`` for the rules; offsets map back into ``original``.

    ``html=None`` auto-detects HTML with :func:`rectify_nlp.io.looks_like_html`.
    Empty or whitespace-only input yields an empty clean text (no error).

    >>> clean_text("<p>整改完成率１００％</p>").text
    '整改完成率100%'
    """
    if not isinstance(original, str):
        raise TypeError(f"clean_text expects str, got {type(original).__name__}")
    is_html = looks_like_html(original) if html is None else bool(html)
    if is_html:
        t1, m1 = strip_html(original)
    else:
        t1, m1 = original, OffsetMap.identity(len(original))
    t2, m2 = normalize_text(t1, to_simplified=to_simplified)
    m12 = m1.compose(m2)
    t3, m3, raw = drop_boilerplate(t2)
    offsets = m12.compose(m3)
    dropped = tuple(
        DroppedLine(*m12.to_original(d.start, d.end), kind=d.kind, text=d.text) for d in raw
    )
    # Leading/trailing blank lines carry nothing; trim them so empty input gives "".
    text, offsets = _trim(t3, offsets)
    return CleanText(original, text, offsets, is_html, dropped)


def _trim(text: str, offsets: OffsetMap) -> tuple[str, OffsetMap]:
    start = len(text) - len(text.lstrip())
    end = len(text.rstrip())
    if start == 0 and end == len(text):
        return text, offsets
    b = TextBuilder(text)
    if end > start:
        b.keep(start, end)
    trimmed, inner = b.build()
    return trimmed, offsets.compose(inner)
