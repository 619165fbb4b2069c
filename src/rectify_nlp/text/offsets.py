"""Offset maps: positions in a derived ("clean") string back to the string it came from.

Every cleaning step (HTML stripping, normalisation, boilerplate removal) builds its output with
a :class:`TextBuilder`, which records which stretch of its input each output stretch stands
for. The resulting :class:`OffsetMap` is stored as *segments* in ``array('q')`` columns and
looked up with :mod:`bisect`, so memory grows with the number of edits, not with the length
of the text (a 50 MB page with few edits costs a few bytes per edit, not per character).

Semantics (``to_original(start, end)``, end exclusive):

* a clean character copied unchanged (or replaced 1:1, e.g. ``，`` → ``,``) maps to the one
  original character it came from;
* a clean character produced by a replacement of a longer stretch (``&amp;`` → ``&``,
  ``\\r\\n`` → ``\\n``, a run of spaces → one space) maps to the whole stretch;
* a non-empty span maps from the original start of its first character to the original end
  of its last character; an empty span at ``p`` maps to the point where clean character ``p``
  starts (``original_length`` for ``p == clean_length``).

>>> b = TextBuilder("a&amp;b")
>>> b.keep(0, 1); b.replace("&", 1, 6); b.keep(6, 7)
>>> text, m = b.build()
>>> text, m.to_original(1, 2), m.to_original(0, 3)
('a&b', (1, 6), (0, 7))
"""

from __future__ import annotations

from array import array
from bisect import bisect_right

__all__ = ["OffsetMap", "TextBuilder"]


class OffsetMap:
    """Maps spans of a clean string to spans of the original string (see module docstring).

    Built by :class:`TextBuilder` or :meth:`identity`; chained with :meth:`compose`.

    >>> m = OffsetMap.identity(5)
    >>> m.to_original(1, 3)
    (1, 3)
    """

    __slots__ = ("_cs", "_os", "_oe", "_copy", "_clean_length", "_original_length")

    def __init__(
        self,
        clean_starts: array,
        orig_starts: array,
        orig_ends: array,
        copy_flags: array,
        clean_length: int,
        original_length: int,
    ) -> None:
        # Segment i covers clean [clean_starts[i], clean_starts[i+1]) (the last one up to
        # clean_length) and stands for original [orig_starts[i], orig_ends[i]). A copy segment
        # maps character by character (equal lengths); a replacement maps each of its clean
        # characters to the whole original stretch. Segments are never empty on the clean side.
        self._cs = clean_starts
        self._os = orig_starts
        self._oe = orig_ends
        self._copy = copy_flags
        self._clean_length = clean_length
        self._original_length = original_length

    # ------------------------------------------------------------------ construction
    @classmethod
    def identity(cls, n: int) -> OffsetMap:
        """The map of a text to itself, ``n`` characters long."""
        if n < 0:
            raise ValueError("length must be >= 0")
        if n == 0:
            return cls(array("q"), array("q"), array("q"), array("b"), 0, 0)
        return cls(array("q", [0]), array("q", [0]), array("q", [n]), array("b", [1]), n, n)

    # ------------------------------------------------------------------ properties
    @property
    def clean_length(self) -> int:
        """Length of the clean (derived) string."""
        return self._clean_length

    @property
    def original_length(self) -> int:
        """Length of the original string."""
        return self._original_length

    @property
    def segment_count(self) -> int:
        """Number of stored segments (a measure of memory use)."""
        return len(self._cs)

    @property
    def is_identity(self) -> bool:
        """True when the clean text is the original, character for character."""
        return (
            self._clean_length == self._original_length
            and len(self._cs) <= 1
            and (len(self._cs) == 0 or bool(self._copy[0]))
        )

    def __repr__(self) -> str:
        return (
            f"OffsetMap(clean_length={self._clean_length}, "
            f"original_length={self._original_length}, segments={len(self._cs)})"
        )

    # ------------------------------------------------------------------ lookup
    def _char_span(self, i: int) -> tuple[int, int]:
        """Original span of clean character ``i`` (0 <= i < clean_length)."""
        k = bisect_right(self._cs, i) - 1
        if self._copy[k]:
            o = self._os[k] + (i - self._cs[k])
            return o, o + 1
        return self._os[k], self._oe[k]

    def _point(self, p: int) -> int:
        if p >= self._clean_length:
            return self._original_length
        return self._char_span(p)[0]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the clean span ``[start, end)``.

        >>> OffsetMap.identity(4).to_original(2, 2)
        (2, 2)
        """
        if not 0 <= start <= end <= self._clean_length:
            raise ValueError(
                f"span {start}..{end} out of bounds for clean length {self._clean_length}"
            )
        if start == end:
            p = self._point(start)
            return p, p
        return self._char_span(start)[0], self._char_span(end - 1)[1]

    def to_original_point(self, pos: int) -> int:
        """Original position where clean character ``pos`` starts."""
        return self.to_original(pos, pos)[0]

    # ------------------------------------------------------------------ composition
    def compose(self, inner: OffsetMap) -> OffsetMap:
        """Chain maps: ``self`` maps B→A and ``inner`` maps C→B; the result maps C→A.

        >>> a = OffsetMap.identity(3)
        >>> a.compose(OffsetMap.identity(3)).to_original(0, 3)
        (0, 3)
        """
        if inner._original_length != self._clean_length:
            raise ValueError(
                "cannot compose: inner map's original length "
                f"{inner._original_length} != clean length {self._clean_length}"
            )
        if self.is_identity:
            return inner
        if inner.is_identity:
            return self
        out = _SegmentWriter()
        scs, sos, soe, scp = self._cs, self._os, self._oe, self._copy
        n_inner = len(inner._cs)
        for j in range(n_inner):
            c0 = inner._cs[j]
            c1 = inner._cs[j + 1] if j + 1 < n_inner else inner._clean_length
            b0, b1 = inner._os[j], inner._oe[j]
            if not inner._copy[j]:
                a0, a1 = self.to_original(b0, b1)
                out.add(c0, c1, a0, a1, False)
                continue
            # a copy run: clean C [c0, c1) is B [b0, b1); cut self's segments k0..k1 to it
            k0 = bisect_right(scs, b0) - 1
            k1 = bisect_right(scs, b1 - 1) - 1
            shift = c0 - b0
            if k0 == k1:
                if scp[k0]:
                    a0 = sos[k0] + (b0 - scs[k0])
                    out.add(c0, c1, a0, a0 + (b1 - b0), True)
                else:
                    out.add(c0, c1, sos[k0], soe[k0], False)
                continue
            first_end = scs[k0 + 1] + shift
            if scp[k0]:
                out.add(c0, first_end, sos[k0] + (b0 - scs[k0]), soe[k0], True)
            else:
                out.add(c0, first_end, sos[k0], soe[k0], False)
            if k1 > k0 + 1:
                out.extend_shifted(self, k0 + 1, k1, shift)
            last_start = scs[k1]
            if scp[k1]:
                out.add(last_start + shift, c1, sos[k1], sos[k1] + (b1 - last_start), True)
            else:
                out.add(last_start + shift, c1, sos[k1], soe[k1], False)
        return out.finish(inner._clean_length, self._original_length)


class _SegmentWriter:
    """Accumulates segments, merging adjacent copy segments."""

    __slots__ = ("cs", "os", "oe", "copy", "_last_clean_end")

    def __init__(self) -> None:
        self.cs = array("q")
        self.os = array("q")
        self.oe = array("q")
        self.copy = array("b")
        self._last_clean_end = 0

    def add(self, c0: int, c1: int, o0: int, o1: int, copy: bool) -> None:
        if c1 <= c0:
            return
        oe = self.oe
        if copy and oe and oe[-1] == o0 and self._last_clean_end == c0 and self.copy[-1]:
            oe[-1] = o1
        else:
            self.cs.append(c0)
            self.os.append(o0)
            oe.append(o1)
            self.copy.append(copy)
        self._last_clean_end = c1

    def extend_shifted(self, m: OffsetMap, i: int, j: int, shift: int) -> None:
        """Append segments ``i..j-1`` of ``m`` whole, their clean starts moved by ``shift``
        (array slices, so long runs cost C time, not a Python loop)."""
        cs = m._cs[i:j]
        self.cs.extend(map(shift.__add__, cs) if shift else cs)
        self.os.extend(m._os[i:j])
        self.oe.extend(m._oe[i:j])
        self.copy.extend(m._copy[i:j])
        self._last_clean_end = m._cs[j] + shift

    def finish(self, clean_length: int, original_length: int) -> OffsetMap:
        return OffsetMap(self.cs, self.os, self.oe, self.copy, clean_length, original_length)


class TextBuilder:
    """Builds a derived string from an original one, recording an :class:`OffsetMap`.

    Calls must move forward through the original (each ``orig_start`` at or after the previous
    ``orig_end``); original characters that no call covers are deleted.

    >>> b = TextBuilder("x\\r\\ny")
    >>> b.keep(0, 1); b.replace("\\n", 1, 3); b.keep(3, 4)
    >>> text, m = b.build()
    >>> text, m.to_original(1, 2)
    ('x\\ny', (1, 3))
    """

    __slots__ = ("_original", "_pieces", "_writer", "_clean_pos", "_orig_pos")

    def __init__(self, original: str) -> None:
        self._original = original
        self._pieces: list[str] = []
        self._writer = _SegmentWriter()
        self._clean_pos = 0
        self._orig_pos = 0

    @property
    def original(self) -> str:
        """The string being rewritten."""
        return self._original

    @property
    def position(self) -> int:
        """The original offset up to which the builder has consumed (kept, replaced or skipped)."""
        return self._orig_pos

    def _check(self, orig_start: int, orig_end: int) -> None:
        if not self._orig_pos <= orig_start <= orig_end <= len(self._original):
            raise ValueError(
                f"builder span {orig_start}..{orig_end} must lie in "
                f"{self._orig_pos}..{len(self._original)}"
            )

    def keep(self, orig_start: int, orig_end: int) -> None:
        """Copy ``original[orig_start:orig_end]`` unchanged."""
        if not self._orig_pos <= orig_start <= orig_end <= len(self._original):
            self._check(orig_start, orig_end)
        if orig_end > orig_start:
            self._pieces.append(self._original[orig_start:orig_end])
            n = orig_end - orig_start
            self._writer.add(self._clean_pos, self._clean_pos + n, orig_start, orig_end, True)
            self._clean_pos += n
        self._orig_pos = orig_end

    def replace(self, piece: str, orig_start: int, orig_end: int) -> None:
        """Emit ``piece`` standing for ``original[orig_start:orig_end]`` ("" deletes it).

        A piece as long as the stretch it replaces maps character by character.
        """
        if not self._orig_pos <= orig_start <= orig_end <= len(self._original):
            self._check(orig_start, orig_end)
        if piece:
            n = len(piece)
            self._pieces.append(piece)
            copy = n == orig_end - orig_start
            self._writer.add(self._clean_pos, self._clean_pos + n, orig_start, orig_end, copy)
            self._clean_pos += n
        self._orig_pos = orig_end

    def build(self) -> tuple[str, OffsetMap]:
        """The derived string and its map to the original."""
        text = "".join(self._pieces)
        return text, self._writer.finish(len(text), len(self._original))
