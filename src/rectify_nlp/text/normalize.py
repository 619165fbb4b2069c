"""Character and whitespace normalisation, with an offset map.

Two passes:

1. :func:`translate_chars` — strictly one character to one character, so offsets do not
   move: full-width ASCII (U+FF01–U+FF5E: ``，；：（）！？％``, digits, letters) to half-width,
   U+3000 / NBSP / other Unicode spaces to ``" "``, form feed and Unicode line separators to
   ``"\\n"``, other control characters to ``" "``, surrogate code points (a ``str`` can hold
   them, UTF-8 and so spaCy cannot encode them) to U+FFFD, and (optionally) traditional
   characters to simplified with OpenCC's ``TSCharacters.txt`` (first candidate). Chinese
   punctuation ``。、“”《》—…`` and ``〇`` are left alone.
2. :func:`normalize_whitespace` — ``"\\r\\n"``/``"\\r"`` → ``"\\n"``, runs of spaces/tabs inside
   a line → one space, spaces at line starts and ends removed, zero-width characters removed.

>>> text, m = normalize_text("區委第三巡察組：\\r\\n　　一、整改")
>>> text
'区委第三巡察组:\\n一、整改'
>>> m.to_original(8, 9)
(8, 10)
"""

from __future__ import annotations

import functools
import logging
import re
from importlib import resources

from rectify_nlp.text.offsets import OffsetMap, TextBuilder

__all__ = ["normalize_text", "normalize_whitespace", "translate_chars", "ts_table"]

logger = logging.getLogger(__name__)

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_NEWLINES = "\x0b\x0c\x85\u2028\u2029"
_CONTROLS = "".join(chr(c) for c in range(0x20) if chr(c) not in "\t\n\r\x0b\x0c") + "\x7f"


def _base_table() -> dict[int, str]:
    table: dict[int, str] = {c: chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
    for ch in _SPACES:
        table[ord(ch)] = " "
    for ch in _NEWLINES:
        table[ord(ch)] = "\n"
    for ch in _CONTROLS:
        table[ord(ch)] = " "
    for code in range(0xD800, 0xE000):  # surrogates: spaCy's make_doc cannot encode them
        table[code] = "\ufffd"
    return table


_BASE_TABLE = _base_table()


@functools.lru_cache(maxsize=1)
def ts_table() -> dict[int, str]:
    """Traditional → simplified, one character to one character (OpenCC TSCharacters.txt).

    Loaded once, lazily. Returns an empty table (with a logged warning) when the ``opencc``
    package (opencc-python-reimplemented) is not installed.

    >>> ts_table()[ord("區")]
    '区'
    """
    try:
        data = (
            resources.files("opencc")
            .joinpath("dictionary", "TSCharacters.txt")
            .read_text(encoding="utf-8")
        )
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        logger.warning("opencc dictionary TSCharacters.txt not found; traditional text kept")
        return {}
    table: dict[int, str] = {}
    for line in data.splitlines():
        key, _, values = line.partition("\t")
        if len(key) != 1 or not values:
            continue
        first = values.split(" ", 1)[0]
        if len(first) == 1 and first != key:
            table[ord(key)] = first
    return table


@functools.lru_cache(maxsize=2)
def _table(to_simplified: bool) -> dict[int, str]:
    if not to_simplified:
        return _BASE_TABLE
    table = dict(ts_table())
    table.update(_BASE_TABLE)
    return table


def translate_chars(text: str, *, to_simplified: bool = True) -> str:
    """One-to-one character normalisation (same length, offsets unchanged).

    >>> translate_chars("（二）開展巡察１２次％")
    '(二)开展巡察12次%'
    """
    return text.translate(_table(to_simplified))


# \r\n or \r | spaces at a line start | spaces at a line end | a run of 2+ | a tab | zero-width
_WS = re.compile(
    r"\r\n?"
    r"|(?:(?<=[\r\n])|\A)[ \t]+"
    r"|[ \t]+(?=[\r\n]|\Z)"
    r"|(?<=[0-9])[ \t]+(?=[\u3400-\u9fff%])|(?<=[\u3400-\u9fff])[ \t]+(?=[0-9])"
    r"|[ \t]{2,}"
    r"|\t"
    r"|[\u200b\u200c\u200d\u2060\ufeff\u00ad]+"
)


def _glued(before: str, after: str) -> bool:
    """A space between a digit and a CJK character carries nothing in Chinese text (46 件,
    3.5 万元, 2023 年, 共 12 项): it is dropped so numbers, units and dates read as written."""
    return (before.isascii() and before.isdigit() and ("\u3400" <= after <= "\u9fff" or after == "%")) or (
        "\u3400" <= before <= "\u9fff" and after.isascii() and after.isdigit())


_EDGE = " \t\r\n\u200b\u200c\u200d\u2060\ufeff\u00ad"


def normalize_whitespace(text: str) -> tuple[str, OffsetMap]:
    """Line breaks to ``"\\n"``, inner space runs to one space, line-edge spaces removed;
    whitespace at the start and end of the whole text is removed too.

    >>> normalize_whitespace("  a  b \\r\\nc")[0]
    'a b\\nc'
    >>> normalize_whitespace("共 46 件, COVID 19")[0]
    '共46件, COVID 19'
    """
    b = TextBuilder(text)
    n = len(text)
    # whitespace around the whole text goes (this also makes blank input "")
    lead = n - len(text.lstrip(_EDGE))
    tail = len(text.rstrip(_EDGE)) if lead < n else n
    b.replace("", 0, lead)
    pos = lead
    for m in _WS.finditer(text, lead, tail):
        s, e = m.start(), m.end()
        b.keep(pos, s)
        first = text[s]
        if first == "\r":
            b.replace("\n", s, e)
        elif first in " \t":
            at_start = s == 0 or text[s - 1] in "\r\n"
            at_end = e == n or text[e] in "\r\n"
            b.replace("" if at_start or at_end or _glued(text[s - 1], text[e]) else " ", s, e)
        else:
            b.replace("", s, e)
        pos = e
    b.keep(pos, tail)
    return b.build()


def normalize_text(text: str, *, to_simplified: bool = True) -> tuple[str, OffsetMap]:
    """Both passes; the map points into ``text``.

    >>> normalize_text("開展了巡察（第一輪）")[0]
    '开展了巡察(第一轮)'
    """
    return normalize_whitespace(translate_chars(text, to_simplified=to_simplified))
