"""Character-per-line CoNLL with BIO or BMES (or BIOES) tags. Entities only.

Layout written by :func:`to_conll`::

    -DOCSTART- 000_c17a44979e59e13d
    区<TAB>B-ORG
    委<TAB>I-ORG
    <SP><TAB>O
    ...
    <blank line>

One line per character: the character, a tab, the tag. Whitespace and other invisible
characters are written as placeholders (``<SP>`` space, ``<NL>`` newline, ``<TAB>``, ``<CR>``,
``<IDSP>`` U+3000, ``<NBSP>`` U+00A0, ``<U+XXXX>`` for any other), so the text survives exactly.
A blank line ends a document (or, with ``sentences=True``, a sentence: the reader joins all
blocks after one ``-DOCSTART-`` line into one document). Files without ``-DOCSTART-`` lines are
read one document per blank-line block.

CoNLL cannot carry relations, meta, or overlapping entities: where entities overlap, the
longer (outer) one is kept and the number dropped is logged as a warning
(:func:`conll_conflicts` gives them).

>>> from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation
>>> rec = CorpusRecord("a", "7月 反馈", (EntityAnnotation(0, "DATE", 0, 2, "7月"),))
>>> print(to_conll([rec], scheme="BMES"))  # doctest: +NORMALIZE_WHITESPACE
-DOCSTART- a
7 B-DATE
月 E-DATE
<SP> O
反 O
馈 O
<BLANKLINE>
>>> from_conll(to_conll([rec]))[0] == rec
True
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import accumulate, compress
from pathlib import Path

from rectify_nlp.corpus.records import (
    CorpusRecord,
    EntityAnnotation,
    make_record_id,
    non_overlapping,
    write_lines_atomic,
)
from rectify_nlp.errors import RectifyInputError

logger = logging.getLogger(__name__)

SCHEMES = ("BIO", "BMES", "BIOES")
DOCSTART = "-DOCSTART-"
_NAMED = {" ": "<SP>", "\n": "<NL>", "\t": "<TAB>", "\r": "<CR>", "\u3000": "<IDSP>",
          "\u00a0": "<NBSP>"}
_UNNAMED = {v: k for k, v in _NAMED.items()}
_CODEPOINT = re.compile(r"<U\+([0-9A-Fa-f]{4,6})>")
#: Sentence ends used by ``sentences=True`` (a break is made only where no entity crosses).
_SENT_END = frozenset("。!?！？;；\n")


def encode_char(ch: str) -> str:
    """The token written for one character (placeholders for invisible ones).

    >>> encode_char(" "), encode_char("区"), encode_char("\\u200b")
    ('<SP>', '区', '<U+200B>')
    """
    if ch in _NAMED:
        return _NAMED[ch]
    if ch.isspace() or not ch.isprintable() or unicodedata.category(ch) in ("Cf", "Cs", "Co"):
        return f"<U+{ord(ch):04X}>"
    return ch


def decode_token(tok: str) -> str:
    """The text of a token: placeholders decoded, anything else literal (word-level files)."""
    if len(tok) == 1:
        return tok
    if tok in _UNNAMED:
        return _UNNAMED[tok]
    m = _CODEPOINT.fullmatch(tok)
    if m:
        cp = int(m.group(1), 16)
        if cp <= 0x10FFFF:
            return chr(cp)
    return tok


def conll_conflicts(record: CorpusRecord) -> list[EntityAnnotation]:
    """The entities CoNLL must drop from this record (overlapped by a longer one, or empty)."""
    return non_overlapping(record.entities)[1]


def _tags(record: CorpusRecord, scheme: str) -> tuple[list[str], int]:
    kept, dropped = non_overlapping(record.entities)
    tags = ["O"] * len(record.text)
    inside = "M" if scheme == "BMES" else "I"
    for e in kept:
        if e.start < 0 or e.end > len(record.text):
            raise ValueError(f"{record.id}: entity {e.id} offsets {e.start}..{e.end} out of "
                             f"bounds")
        if scheme != "BIO" and e.end - e.start == 1:
            tags[e.start] = f"S-{e.label}"
            continue
        tags[e.start] = f"B-{e.label}"
        for i in range(e.start + 1, e.end):
            tags[i] = f"{inside}-{e.label}"
        if scheme != "BIO":
            tags[e.end - 1] = f"E-{e.label}"
    return tags, len(dropped)


def to_conll(records: Iterable[CorpusRecord], scheme: str = "BIO", *,
             sentences: bool = False) -> str:
    """Records as character-per-line CoNLL text.

    ``scheme``: ``"BIO"``, ``"BMES"`` (B/M/E/S) or ``"BIOES"`` (B/I/E/S). ``sentences=True``
    puts a blank line after sentence ends (。!?; and newline) where no entity crosses.
    Relations and meta are not written; overlapping entities are reduced (warning logged).
    """
    scheme = scheme.upper()
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {SCHEMES}")
    out: list[str] = []
    total_dropped = 0
    for rec in records:
        if any(c in rec.id for c in "\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"):
            raise ValueError(f"record id {rec.id!r} contains a line break")
        tags, dropped = _tags(rec, scheme)
        total_dropped += dropped
        out.append(f"{DOCSTART} {rec.id}\n")
        enc = {c: encode_char(c) for c in set(rec.text)}
        if not sentences:
            out.extend([f"{enc[c]}\t{t}\n" for c, t in zip(rec.text, tags)])
        else:
            for i, ch in enumerate(rec.text):
                out.append(f"{enc[ch]}\t{tags[i]}\n")
                if ch in _SENT_END and i + 1 < len(rec.text) and tags[i + 1][0] in "OBS":
                    out.append("\n")
        out.append("\n")
    if total_dropped:
        logger.warning("CoNLL cannot hold overlapping entities: dropped %d (kept the longer)",
                       total_dropped)
    return "".join(out)


def _detect(tags: Iterable[str]) -> str:
    prefixes = {t.split("-", 1)[0] for t in tags if t != "O"}
    if "M" in prefixes:
        return "BMES"
    if prefixes & {"E", "S"}:
        return "BIOES"
    return "BIO"


def from_conll(text: str, scheme: str | None = None) -> list[CorpusRecord]:
    """Records from CoNLL text (ours, or any file with the token first and the tag last).

    ``scheme=None`` detects BIO / BMES / BIOES from the tags. Decoding is lenient (an ``I``
    or ``M`` after ``O`` or another label starts an entity; a warning is logged), so ill-formed
    sequences still give entities. Tokens longer than one character that are not placeholders
    are taken literally, so word-level files work too (tokens are joined without spaces).
    Raises ``ValueError`` on a line without a tag or a tag outside the scheme.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    docs: list[tuple[str | None, list[str], list[str]]] = []
    cur: tuple[str | None, list[str], list[str]] | None = None
    have_docstart = False  # after a -DOCSTART- line, blank lines no longer start documents
    fresh = True
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line or line.isspace():
            fresh = True
            continue
        if line[0] == "-" and line.startswith(DOCSTART):
            have_docstart = True
            rest = line[len(DOCSTART):].strip()
            cur = (None if not rest or rest.startswith("-X-") else rest, [], [])
            docs.append(cur)
            continue
        tok, sep, tag = line.partition("\t")
        if not (sep and tok and tag and " " not in line and "\t" not in tag):
            cols = line.split()  # other layouts: whitespace-separated columns, tag last
            if len(cols) < 2:
                raise ValueError(f"CoNLL line {lineno}: expected 'token<TAB>tag', got {line!r}")
            tok, tag = cols[0], cols[-1]
        if cur is None or (fresh and not have_docstart):
            cur = (None, [], [])
            docs.append(cur)
        fresh = False
        cur[1].append(tok)
        cur[2].append(tag)

    tagset: set[str] = set().union(*(d[2] for d in docs))
    if scheme is None:
        scheme = _detect(tagset)
    scheme = scheme.upper()
    if scheme not in SCHEMES:
        raise ValueError(f"unknown scheme {scheme!r}; expected one of {SCHEMES}")
    allowed = {"BIO": "BI", "BMES": "BMES", "BIOES": "BIES"}[scheme]
    for t in tagset:
        if t != "O" and (len(t) < 3 or t[1] != "-" or t[0] not in allowed):
            raise ValueError(f"CoNLL tag {t!r} is not a {scheme} tag")
    return [_decode(rid, toks, tags, i) for i, (rid, toks, tags) in enumerate(docs)]


def _decode(rid: str | None, toks: list[str], tags: list[str], index: int) -> CorpusRecord:
    dec = {t: decode_token(t) for t in set(toks)}
    chars = [dec[t] for t in toks]
    text = "".join(chars)
    if rid is None:
        rid = make_record_id(text, index)
    # starts[i], starts[i + 1]: offsets of token i
    starts: Sequence[int] = (range(len(toks) + 1) if len(text) == len(toks)
                             else list(accumulate(map(len, chars), initial=0)))
    spans: list[list] = []  # [start, end, label]
    cur: list | None = None
    prev = -2
    ill_formed = 0
    for i in compress(range(len(tags)), map("O".__ne__, tags)):
        if i != prev + 1:
            cur = None  # an O came between
        prev = i
        tag = tags[i]
        prefix, label = tag[0], tag[2:]
        if prefix in "BS" or cur is None or cur[2] != label:
            if prefix not in "BS":
                ill_formed += 1
            cur = [starts[i], starts[i + 1], label]
            spans.append(cur)
        else:
            cur[1] = starts[i + 1]
        if prefix in "ES":
            cur = None
    if ill_formed:
        logger.warning("%s: %d entities start without B-/S- (ill-formed tags)", rid, ill_formed)
    entities = tuple(EntityAnnotation(i, lab, s, e, text[s:e])
                     for i, (s, e, lab) in enumerate(spans))
    return CorpusRecord(rid, text, entities, (), {})


def write_conll(records: Iterable[CorpusRecord], path: str | os.PathLike[str],
                scheme: str = "BIO", *, sentences: bool = False) -> None:
    """Write records to a CoNLL file (atomic). See :func:`to_conll`."""
    write_lines_atomic([to_conll(records, scheme, sentences=sentences)], path)


def read_conll(path: str | os.PathLike[str], scheme: str | None = None) -> list[CorpusRecord]:
    """Records from a CoNLL file. See :func:`from_conll`."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise RectifyInputError(f"cannot open: {exc.strerror or exc}", source=str(p)) from exc
    except UnicodeDecodeError as exc:
        raise RectifyInputError(f"not UTF-8 text: {exc}", source=str(p)) from exc
    try:
        return from_conll(text, scheme)
    except ValueError as exc:
        raise RectifyInputError(str(exc), source=str(p)) from exc
