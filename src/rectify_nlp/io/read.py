"""Step 1 of the pipeline: read bytes or files and decode them to ``str``.

Encodings tried, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), UTF-16 without a BOM
(NUL bytes in one byte column, or text that reads as Chinese only that way), strict UTF-8,
strict GB18030 (a superset of GBK and GB2312, which much of the Chinese web still serves) or
Big5 (cp950) when both decode and Big5 gives clearly more common hanzi
(``resources/common_hanzi.txt``), then charset-normalizer as a last resort. Binary data (images, archives, PDF, Office files, NUL
bytes, control characters) raises :class:`~rectify_nlp.errors.RectifyInputError` with a
message that names the problem.

>>> decode_bytes("整改".encode("gbk"))
'整改'
>>> decode_bytes(b"")
''
"""

from __future__ import annotations

import codecs
import logging
import os
import re
from importlib import resources
from pathlib import Path
from typing import Final

from rectify_nlp.errors import RectifyInputError

__all__ = ["decode_bytes", "looks_like_html", "read_bytes", "read_text"]

logger = logging.getLogger(__name__)

# (magic prefix, offset, description)
_MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "PNG image"),
    (b"\xff\xd8\xff", 0, "JPEG image"),
    (b"GIF87a", 0, "GIF image"),
    (b"GIF89a", 0, "GIF image"),
    (b"%PDF-", 0, "PDF document"),
    (b"PK\x03\x04", 0, "ZIP archive (or DOCX/XLSX/ODT)"),
    (b"PK\x05\x06", 0, "ZIP archive (empty)"),
    (b"\x1f\x8b", 0, "gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z archive"),
    (b"Rar!\x1a\x07", 0, "RAR archive"),
    (b"\xfd7zXZ\x00", 0, "xz archive"),
    (b"BZh", 0, None),  # checked with NUL/control bytes below, "BZh" can start a text
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "OLE2 document (DOC/XLS/PPT)"),
    (b"{\\rtf", 0, "RTF document"),
    (b"II*\x00", 0, "TIFF image"),
    (b"MM\x00*", 0, "TIFF image"),
    (b"WEBP", 8, "WebP image"),
    (b"ftyp", 4, "MP4/QuickTime media"),
    (b"\x7fELF", 0, "ELF executable"),
    (b"SQLite format 3\x00", 0, "SQLite database"),
    (b"\xca\xfe\xba\xbe", 0, "Java class file"),
    (b"OggS", 0, "Ogg media"),
    (b"ID3", 0, "MP3 audio"),
    (b"wOFF", 0, "WOFF font"),
    (b"wOF2", 0, "WOFF2 font"),
)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that do not occur in text (tab, LF, VT, FF, CR and ESC excepted).
_BAD_CTRL = re.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# Characters that a wrong legacy decoding produces: private use, replacement character.
_ODD = re.compile(r"[\ue000-\uf8ff\ufffd\U000f0000-\U0010ffff]")
_SAMPLE = 262_144
_SCORE_SAMPLE = 65_536  # characters scored when comparing candidate decodings
# Big5 must beat GB18030 by this share of common characters (GB18030 wins ties: it is far
# more common on the mainland web, and GBK text rarely survives a strict Big5 decoding).
_BIG5_MARGIN = 0.15
_MIN_BIG5_ALONE = 0.5
_MIN_UTF16_SCORE = 0.8


_TOP = 1000  # the most frequent hanzi count fully, the rest of the list less
_REST_WEIGHT = 0.6


def _load_common_hanzi() -> dict[str, int]:
    """Frequency rank of the common hanzi in ``resources/common_hanzi.txt`` (a simplified
    character, then a tab and its traditional forms, which share its rank)."""
    text = (
        resources.files("rectify_nlp")
        .joinpath("resources/common_hanzi.txt")
        .read_text(encoding="utf-8")
    )
    ranks: dict[str, int] = {}
    rank = 0
    for line in text.splitlines():
        chars = line.replace("\t", "").strip()
        if not chars or line.startswith("#"):
            continue
        for ch in chars:
            ranks.setdefault(ch, rank)
        rank += 1
    return ranks


# CJK punctuation and full-width forms a correct decoding of a notice is full of.
_COMMON_PUNCT: Final[frozenset[str]] = frozenset(
    "。,、;:?!“”‘’()《》〈〉【】「」『』—…·　%"
    "，；：？！（）％．－／"
    "０１２３４５６７８９"
)
_RANKS: Final[dict[str, int]] = _load_common_hanzi()
_COMMON: Final[frozenset[str]] = frozenset(_RANKS) | _COMMON_PUNCT
_MAX_CTRL_RATIO = 0.01
_MAX_ODD_RATIO = 0.02


def _magic(data: bytes) -> str | None:
    for prefix, offset, what in _MAGIC:
        if what and data[offset : offset + len(prefix)] == prefix:
            return what
    return None


def _check_text(text: str, source: str | None) -> str:
    sample = text[:_SAMPLE]
    if sample:
        bad = len(_BAD_CTRL.findall(sample))
        if bad / len(sample) > _MAX_CTRL_RATIO:
            raise RectifyInputError("not text: control characters", source=source)
    return text


def _plausible(text: str) -> bool:
    sample = text[:_SAMPLE]
    if not sample:
        return True
    odd = len(_ODD.findall(sample)) + len(_BAD_CTRL.findall(sample))
    return odd / len(sample) <= _MAX_ODD_RATIO


def _common_share(text: str) -> float:
    """How common the non-ASCII characters of ``text`` (a sample) are: the mean over them of
    1 (CJK punctuation, one of the 1,000 most frequent hanzi), 0.6 (the next 2,500) or 0;
    1.0 when there are none.

    >>> _common_share("整改情况"), _common_share("國際") > _common_share("瓣悔")
    (1.0, True)
    """
    total = 0.0
    wide = 0
    for ch in text[:_SCORE_SAMPLE]:
        if ch <= "\x7f":
            continue
        wide += 1
        rank = _RANKS.get(ch)
        if rank is not None:
            total += 1.0 if rank < _TOP else _REST_WEIGHT
        elif ch in _COMMON_PUNCT:
            total += 1.0
    return total / wide if wide else 1.0


def _text_share(text: str) -> float:
    """Share of the characters of ``text`` (a sample) that text is made of: printable ASCII,
    tab/LF/CR, common hanzi, CJK punctuation."""
    sample = text[:_SCORE_SAMPLE]
    if not sample:
        return 0.0
    ok = sum(1 for ch in sample if ch in _COMMON or " " <= ch <= "~" or ch in "\t\n\r")
    return ok / len(sample)


def _decode_sample(data: bytes, encoding: str) -> str | None:
    """Strict decoding of the first bytes of ``data`` (cut at an even length), or None."""
    try:
        return data[: 2 * _SCORE_SAMPLE].decode(encoding)
    except UnicodeDecodeError:
        return None


def _utf16_without_bom(data: bytes, *, nul_free: bool = False) -> str | None:
    """Name of the UTF-16 variant of BOM-less ``data``, else None.

    ASCII-heavy text has NUL bytes in one byte column only; Chinese text has few NULs (and
    some in the other column: 一 is U+4E00), so the column hint is not required and both byte
    orders are decoded: the one that reads as text (common hanzi, ASCII, CJK punctuation) wins.
    ``nul_free`` data (no NUL byte at all) must read as Chinese almost throughout.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    sample = data[:_SAMPLE]
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    pairs = len(sample) // 2
    if odd_nul > 0.3 * pairs and even_nul == 0:
        return "utf-16-le"
    if even_nul > 0.3 * pairs and odd_nul == 0:
        return "utf-16-be"
    best: tuple[float, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        text = _decode_sample(data, encoding)
        if text is None or _BAD_CTRL.search(text):
            continue
        score = _text_share(text)
        if nul_free:
            # no ASCII at all in UTF-16 means nearly every character is a hanzi or punctuation
            wide = sum(1 for ch in text if ch > "\x7f")
            score = score if wide >= 0.9 * len(text) else 0.0
        if best is None or score > best[0]:
            best = (score, encoding)
    threshold = 0.95 if nul_free else _MIN_UTF16_SCORE
    if best is not None and best[0] >= threshold:
        return best[1]
    return None


def _prefer_big5(gb_text: str | None, data: bytes) -> str | None:
    """The Big5 (cp950) decoding of ``data`` when it decodes strictly and holds clearly more
    common hanzi than the strict GB18030 one (``gb_text``; None when that failed), else None.
    Short Big5 input decodes strictly as GB18030 too, to nonsense like 'ǖ诡俱э薄猵硄厨' for
    巡察整改情況通報."""
    try:
        big5_text = data.decode("cp950")
    except UnicodeDecodeError:
        return None
    if not _plausible(big5_text):
        return None
    # without a usable GB18030 reading (Big5 punctuation like ,。 lands in GB18030's private
    # use area) Big5 only has to read as mostly common characters
    gb_score = _common_share(gb_text) if gb_text is not None else _MIN_BIG5_ALONE - _BIG5_MARGIN
    big5_score = _common_share(big5_text)
    if big5_score >= gb_score + _BIG5_MARGIN:
        logger.info("decoded as Big5 (common hanzi %.2f vs GB18030 %.2f)", big5_score, gb_score)
        return big5_text
    return None


def _decode_utf16_without_bom(data: bytes, *, nul_free: bool = False) -> str | None:
    encoding = _utf16_without_bom(data, nul_free=nul_free)
    if encoding is None:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    if not _plausible(text):
        return None
    logger.info("decoded as %s without a byte-order mark", encoding.upper())
    return text


def _fallback(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - declared dependency
        return None
    best = from_bytes(data).best()
    if best is None:
        return None
    text = str(best)
    logger.info("decoded with charset-normalizer as %s", best.encoding)
    return text if _plausible(text) else None


def decode_bytes(data: bytes, *, source: str | None = None) -> str:
    """Decode ``data`` as text; a leading BOM is removed.

    Raises :class:`RectifyInputError` (naming ``source``) for binary data or bytes no
    encoding decodes sensibly. Empty bytes give ``""``.

    >>> decode_bytes("\\ufeff巡察".encode("utf-8"))
    '巡察'
    >>> decode_bytes(b"\\x89PNG\\r\\n\\x1a\\n....")
    Traceback (most recent call last):
    ...
    rectify_nlp.errors.RectifyInputError: binary data (PNG image)
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"decode_bytes expects bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data:
        return ""
    what = _magic(data)
    if what:
        raise RectifyInputError(f"binary data ({what})", source=source)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _check_text(data[len(bom) :].decode(encoding), source)
            except UnicodeDecodeError as exc:
                raise RectifyInputError(
                    f"invalid {encoding.upper()} after byte-order mark at byte {exc.start}",
                    source=source,
                ) from None
    if b"\x00" in data:
        text = _decode_utf16_without_bom(data)
        if text is not None:
            return _check_text(text, source)
        raise RectifyInputError("not text: NUL bytes", source=source)
    try:
        return _check_text(data.decode("utf-8"), source)
    except UnicodeDecodeError:
        pass
    # UTF-8 with a stray bad byte (a file cut mid-character): keep UTF-8, damage marked U+FFFD.
    # GBK read as UTF-8 fails on nearly every Chinese character, so it never passes this test.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text[:_SAMPLE] if ch > "\x7f") - bad
    if bad * 100 <= good or (bad <= 2 and good >= 20 * bad):
        logger.warning("%s: %d invalid UTF-8 sequence(s) replaced", source or "input", bad)
        return _check_text(text, source)
    # pure-CJK UTF-16 without a BOM has no NUL byte; GB18030 would read it as nonsense
    text = _decode_utf16_without_bom(data, nul_free=True)
    if text is not None:
        return _check_text(text, source)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible(text):
        return _check_text(_prefer_big5(text, data) or text, source)
    big5 = _prefer_big5(None, data)
    if big5 is not None:
        return _check_text(big5, source)
    text = data.decode("gb18030", errors="replace")
    bad = text.count("\ufffd")
    if bad <= max(1, len(text) // 1000) and _plausible(text):
        logger.warning("%s: %d invalid GB18030 sequence(s) replaced", source or "input", bad)
        return _check_text(text, source)
    text = _fallback(data)
    if text is not None:
        return _check_text(text, source)
    raise RectifyInputError("cannot decode as UTF-8 or GB18030", source=source)


def read_bytes(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> bytes:
    """The bytes of a file, undecoded.

    Raises :class:`RectifyInputError` (``source=str(path)``) for a missing file, a directory,
    an unreadable file or one larger than ``max_bytes`` (when given).

    >>> read_bytes("/no/such/notice.txt")
    Traceback (most recent call last):
    ...
    rectify_nlp.errors.RectifyInputError: /no/such/notice.txt: no such file
    """
    source = str(path)
    p = Path(path)
    try:
        if p.is_dir():
            raise RectifyInputError("is a directory, not a file", source=source)
        if not p.exists():
            raise RectifyInputError("no such file", source=source)
        if max_bytes is not None:
            size = p.stat().st_size
            if size > max_bytes:
                raise RectifyInputError(
                    f"file too large ({size} bytes > max_bytes={max_bytes})", source=source
                )
        with p.open("rb") as fh:
            data = fh.read() if max_bytes is None else fh.read(max_bytes + 1)
    except RectifyInputError:
        raise
    except OSError as exc:
        raise RectifyInputError(
            f"cannot read file: {exc.strerror or exc.__class__.__name__}", source=source
        ) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise RectifyInputError(f"file too large (> max_bytes={max_bytes})", source=source)
    return data


def read_text(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> str:
    """Read a file (:func:`read_bytes`) and decode it with :func:`decode_bytes`.

    Raises :class:`RectifyInputError` (``source=str(path)``) for a missing file, a directory,
    a file larger than ``max_bytes`` (when given) or undecodable content.

    >>> read_text("/no/such/notice.txt")
    Traceback (most recent call last):
    ...
    rectify_nlp.errors.RectifyInputError: /no/such/notice.txt: no such file
    """
    return decode_bytes(read_bytes(path, max_bytes=max_bytes), source=str(path))


_HTML_STRONG = re.compile(r"<!DOCTYPE\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s", re.I)
_HTML_TAG = re.compile(
    r"</?(?:p|div|br|span|table|tr|td|li|ul|a|h[1-6]|font|strong|b|img|section|article)"
    r"(?:\s[^<>]{0,500})?/?>",
    re.I,
)
_HTML_ENTITY = re.compile(r"&(?:nbsp|amp|lt|gt|quot|#\d{2,7}|#x[0-9a-f]{2,6});", re.I)


def looks_like_html(text: str) -> bool:
    """True when ``text`` is an HTML document or fragment (tags, not just a stray ``<``).

    >>> looks_like_html("<p>一、整改情况</p><p>二、下一步</p>"), looks_like_html("a < b > c")
    (True, False)
    """
    head = text[:_SAMPLE]
    if _HTML_STRONG.search(head[:4096]):
        return True
    tags = 0
    for _ in _HTML_TAG.finditer(head):
        tags += 1
        if tags >= 2:
            return True
    return tags >= 1 and bool(_HTML_ENTITY.search(head))
