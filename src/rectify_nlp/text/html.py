"""HTML to text, keeping every output character's offset into the HTML string.

Tags are dropped; ``<script>``, ``<style>``, ``<head>``, ``<noscript>``, ``<template>`` and
``<title>``, ``<nav>`` lose their content; comments and declarations go; block tags (``p``, ``div``,
``br``, ``li``, ``tr``, ``h1``…) become one ``"\\n"``; table cells become a space; entities
are decoded (``&nbsp;`` → U+00A0, ``&amp;`` → ``&``, ``&#12345;``, ``&#x4e00;``); runs of HTML
whitespace in text collapse to one space (except inside ``<pre>``). A regex tokenizer with
bounded repetition keeps it linear on hostile input; no third-party parser is needed.

>>> text, m = strip_html("<p>巡察&amp;整改</p>")
>>> text
'\\n巡察&整改\\n'
>>> m.to_original(3, 4)
(5, 10)
"""

from __future__ import annotations

import html as _html
import re

from rectify_nlp.text.offsets import OffsetMap, TextBuilder

__all__ = ["strip_html"]

# A comment, a declaration/processing instruction, or a tag. Attribute scanning is bounded so a
# stray "<" in a huge text costs at most a few thousand steps.
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^<>]{0,2000}>"
    r"|<(?P<close>/)?(?P<name>[A-Za-z][A-Za-z0-9:_-]{0,40})"
    r"(?P<attrs>(?:[^<>\"']|\"[^\"<]{0,2000}\"|'[^'<]{0,2000}'){0,400}+)>",
    re.S,
)
_ENTITY = re.compile(
    r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[A-Za-z][A-Za-z0-9]{1,31};"
    r"|(?:nbsp|amp|lt|gt|quot|copy|reg|ensp|emsp)(?![A-Za-z0-9;]))"
)
_WS_RUN = re.compile(r"[ \t\r\n\f]+")
# An entity, or a whitespace run other than a single space (which is kept as it is).
_TEXT_EVENT = re.compile(_ENTITY.pattern + r"|[\t\r\n\f][ \t\r\n\f]*| [ \t\r\n\f]+")

_BLOCK = frozenset(
    """p div br li ul ol dl dt dd tr table thead tbody tfoot caption h1 h2 h3 h4 h5 h6
    section article header footer nav aside main blockquote pre hr form fieldset legend
    address figure figcaption center details summary option select body html frame iframe""".split()
)
_CELL = frozenset({"td", "th"})
# Elements whose whole content is dropped. The first group is raw text in HTML (its content is
# never markup), so an unclosed one runs to the end; for the second an unclosed one only loses
# its tag, so a page with a broken <head> keeps its body.
_RAW_DROP = frozenset({"script", "style", "textarea", "xmp"})
_SOFT_DROP = frozenset({"head", "title", "noscript", "template", "svg", "object", "nav"})
_PRE = "pre"


def _close_re(name: str) -> re.Pattern[str]:
    return re.compile(r"</" + re.escape(name) + r"\s*>", re.I)


_CLOSERS = {name: _close_re(name) for name in _RAW_DROP | _SOFT_DROP}


def _emit_text(b: TextBuilder, html: str, start: int, end: int, pre: bool) -> bool:
    """Emit html[start:end] (text between tags): entities decoded, whitespace runs made one
    space (kept as is inside <pre>). Returns whether the stretch holds non-whitespace."""
    if start >= end:
        return False
    pos = start
    for m in (_ENTITY if pre else _TEXT_EVENT).finditer(html, start, end):
        s, e = m.start(), m.end()
        if s > pos:
            b.keep(pos, s)
        if html[s] == "&":
            raw = m.group()
            decoded = _html.unescape(raw)
            if decoded == raw:
                b.keep(s, e)
            else:
                b.replace(decoded, s, e)
        else:
            b.replace(" ", s, e)
        pos = e
    if pos < end:
        b.keep(pos, end)
    return not _is_blank(html, start, end)


def _is_blank(html: str, start: int, end: int) -> bool:
    m = _WS_RUN.match(html, start, end)
    return start == end or (m is not None and m.end() == end)


def _next_closer(
    cache: dict[str, re.Match[str] | None], html: str, name: str, start: int
) -> re.Match[str] | None:
    """First ``</name>`` at or after ``start``; ``start`` must not decrease between calls for the
    same ``name`` (true in :func:`strip_html`). A cached miss stays a miss; a cached hit stays
    valid while it lies at or after ``start`` (a closer holds no ``<`` after its first char, so
    two closers cannot overlap)."""
    if name in cache:
        c = cache[name]
        if c is None or c.start() >= start:
            return c
    c = _CLOSERS[name].search(html, start)
    cache[name] = c
    return c


def strip_html(html: str) -> tuple[str, OffsetMap]:
    """Text of an HTML document and the map of that text back to ``html``.

    >>> strip_html("<div>a<br>b</div><script>x()</script>")[0]
    '\\na\\nb\\n'
    """
    b = TextBuilder(html)
    pos = 0
    n = len(html)
    pre_depth = 0
    # True when the output currently ends with a block newline (plus only deleted markup since)
    at_block = False
    # Per drop-element name: the next closer at or after the last search start (None: there is
    # no closer from there to the end). ``pos`` only grows, so each closer search is amortised
    # and a page full of unclosed <nav>/<head> tags stays linear.
    closer_cache: dict[str, re.Match[str] | None] = {}
    while pos < n:
        lt = html.find("<", pos)
        if lt < 0:
            if _emit_text(b, html, pos, n, pre_depth > 0):
                at_block = False
            break
        m = _TOKEN.match(html, lt)
        if m is None:
            # a lone "<": ordinary text
            if _emit_text(b, html, pos, lt + 1, pre_depth > 0):
                at_block = False
            pos = lt + 1
            continue
        if at_block and pre_depth == 0 and _is_blank(html, pos, lt):
            b.replace("", pos, lt)
        elif _emit_text(b, html, pos, lt, pre_depth > 0):
            at_block = False
        name = (m.group("name") or "").lower()
        end = m.end()
        if not name:  # comment, declaration, CDATA
            b.replace("", lt, end)
            pos = end
            continue
        closing = bool(m.group("close"))
        self_closing = (m.group("attrs") or "").rstrip().endswith("/")
        if not closing and not self_closing and name in _CLOSERS:
            c = _next_closer(closer_cache, html, name, end)
            if c is not None:
                end = c.end()
            elif name in _RAW_DROP:
                end = n
        if name == _PRE:
            pre_depth = max(0, pre_depth + (-1 if closing else 1))
        if name in _BLOCK:
            if at_block:
                b.replace("", lt, end)
            else:
                b.replace("\n", lt, end)
                at_block = True
        elif name in _CELL and not closing:
            b.replace(" ", lt, end)
        else:
            b.replace("", lt, end)
        pos = end
    return b.build()
