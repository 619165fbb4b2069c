"""Readers for public Chinese NER benchmarks (ResumeNER, CLUENER2020) as corpus records.

The data itself is never part of the project: pass the path of a file of
``../shared/data/`` (or of your own copy). Both readers return plain
:class:`~rectify_nlp.corpus.records.CorpusRecord` objects with end-exclusive character offsets
into the sentence, so the project's trainer (``rectify_nlp.training.train``) and its corpus
reader (``rectify.Corpus.v1``) take them like any other corpus once written as JSONL.

* :func:`read_resume_bmes` — ResumeNER (Zhang & Yang 2018): one ``char TAG`` per line, a blank
  line between sentences, tags ``B-/M-/E-/S-<LABEL>`` or ``O`` (labels NAME, CONT, RACE,
  TITLE, EDU, ORG, PRO, LOC). One record per sentence.
* :func:`read_cluener` — CLUENER2020 (Xu et al. 2020): JSON lines
  ``{"text": ..., "label": {type: {entity_text: [[start, end_inclusive], ...]}}}``; the
  inclusive end becomes exclusive. One record per line. Labels are kept as written
  (``name``, ``company``, ...).

The labels are the benchmarks' own, not :data:`rectify_nlp.corpus.LABELS`, so
``CorpusRecord.validate`` reports them as unknown; that is expected.

>>> recs = parse_resume_bmes("高 B-NAME\\n勇 E-NAME\\n： O\\n")
>>> [(e.label, e.start, e.end, e.text) for e in recs[0].entities]
[('NAME', 0, 2, '高勇')]
>>> recs = parse_cluener_lines(['{"text": "叶老桂在浙商银行", "label": {"name": {"叶老桂": [[0, 2]]}}}'])
>>> [(e.label, e.start, e.end, e.text) for e in recs[0].entities]
[('name', 0, 3, '叶老桂')]
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path

from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation
from rectify_nlp.errors import RectifyInputError

logger = logging.getLogger(__name__)

#: ResumeNER's entity labels.
RESUME_LABELS: tuple[str, ...] = ("NAME", "CONT", "RACE", "TITLE", "EDU", "ORG", "PRO", "LOC")
#: CLUENER2020's entity labels.
CLUENER_LABELS: tuple[str, ...] = ("address", "book", "company", "game", "government",
                                   "movie", "name", "organization", "position", "scene")

__all__ = [
    "CLUENER_LABELS",
    "RESUME_LABELS",
    "parse_cluener_lines",
    "parse_resume_bmes",
    "read_cluener",
    "read_resume_bmes",
]


def _split_line(line: str) -> tuple[str, str]:
    """``"高 B-NAME"`` → ``("高", "B-NAME")``; the tag is the last field, the character what
    precedes it (a line holding only a tag stands for a space character)."""
    body = line.rstrip("\r\n")
    stripped = body.rstrip()
    cut = max(stripped.rfind(" "), stripped.rfind("\t"))
    if cut < 0:
        raise ValueError(f"expected 'char TAG', got {line!r}")
    tag = stripped[cut + 1:]
    char = stripped[:cut].strip(" \t") or " "
    return char, tag


def _bmes_entities(chars: list[str], tags: list[str]) -> list[tuple[int, int, str]]:
    """Entity spans of one sentence from BMES (also BIO/BIOES) tags, leniently: an ``M``/``I``/
    ``E`` that does not continue an open entity of its label starts a new one."""
    spans: list[tuple[int, int, str]] = []
    open_start: int | None = None
    open_label = ""
    for i, tag in enumerate(tags):
        prefix, _, label = tag.partition("-")
        prefix = prefix.upper()
        if tag == "O" or not label:
            if open_start is not None:
                spans.append((open_start, i, open_label))
            open_start = None
            continue
        if prefix in ("B", "S") or open_start is None or label != open_label:
            if open_start is not None:
                spans.append((open_start, i, open_label))
            open_start, open_label = i, label
        if prefix in ("E", "S"):
            spans.append((open_start, i + 1, open_label))
            open_start = None
    if open_start is not None:
        spans.append((open_start, len(tags), open_label))
    return spans


def _record(rid: str, text: str, spans: Iterable[tuple[int, int, str]],
            meta: dict[str, object]) -> CorpusRecord:
    ents = tuple(EntityAnnotation(i, label, s, e, text[s:e])
                 for i, (s, e, label) in enumerate(sorted(set(spans))))
    return CorpusRecord(rid, text, ents, (), meta)


def parse_resume_bmes(content: str, *, prefix: str = "resume",
                      source: str = "ResumeNER") -> list[CorpusRecord]:
    """Records of ResumeNER-style BMES text (see :func:`read_resume_bmes`).

    >>> [r.text for r in parse_resume_bmes("中 B-CONT\\n国 E-CONT\\n\\n汉 B-RACE\\n族 E-RACE\\n")]
    ['中国', '汉族']
    """
    records: list[CorpusRecord] = []
    chars: list[str] = []
    tags: list[str] = []

    def flush() -> None:
        if chars:
            text = "".join(chars)
            records.append(_record(f"{prefix}-{len(records)}", text,
                                   _bmes_entities(chars, tags),
                                   {"source": source, "index": len(records)}))
        chars.clear()
        tags.clear()

    for lineno, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            flush()
            continue
        try:
            char, tag = _split_line(line)
        except ValueError as exc:
            raise RectifyInputError(f"line {lineno}: {exc}", source=source) from exc
        chars.append(char[0] if len(char) > 1 else char)
        tags.append(tag)
    flush()
    return records


def read_resume_bmes(path: str | os.PathLike[str]) -> list[CorpusRecord]:
    """ResumeNER file (``train.char.bmes``, ...) → one record per sentence.

    Record ids are ``<file stem>-<index>`` (e.g. ``test.char-0``); ``meta`` names the source
    file. Raises :class:`~rectify_nlp.errors.RectifyInputError` on an unreadable file or a
    line that is not ``char TAG``.

    Example: ``read_resume_bmes("../shared/data/resume_ner/test.char.bmes")`` → 477 records.
    """
    p = Path(path)
    try:
        content = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RectifyInputError(f"cannot read: {exc}", source=str(p)) from exc
    return parse_resume_bmes(content, prefix=p.stem, source=p.name)


def parse_cluener_lines(lines: Iterable[str], *, prefix: str = "cluener",
                        source: str = "CLUENER2020") -> list[CorpusRecord]:
    """Records of CLUENER2020 JSON lines (see :func:`read_cluener`). A span whose text differs
    from the entity text it is listed under is kept (the offsets are the annotation) and
    logged at WARNING; a span outside the text is dropped with a warning."""
    records: list[CorpusRecord] = []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError("'text' is not a string")
            spans: list[tuple[int, int, str]] = []
            for label, ents in (obj.get("label") or {}).items():
                for ent_text, offsets in (ents or {}).items():
                    for start, end_incl in offsets:
                        s, e = int(start), int(end_incl) + 1
                        if not 0 <= s < e <= len(text):
                            logger.warning("%s line %d: %s span %d..%d outside the text",
                                           source, lineno, label, s, e)
                            continue
                        if text[s:e] != ent_text:
                            logger.warning("%s line %d: %s span %r differs from %r", source,
                                           lineno, label, text[s:e], ent_text)
                        spans.append((s, e, str(label)))
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise RectifyInputError(f"line {lineno}: not a CLUENER record: {exc!r}",
                                    source=source) from exc
        records.append(_record(f"{prefix}-{len(records)}", text, spans,
                               {"source": source, "line": lineno}))
    return records


def read_cluener(path: str | os.PathLike[str]) -> list[CorpusRecord]:
    """CLUENER2020 file (``train.json``, ``dev.json``: JSON lines) → one record per line,
    offsets end-exclusive.

    Example: ``read_cluener("../shared/data/cluener/dev.json")`` → 1,343 records.
    """
    p = Path(path)
    try:
        with p.open(encoding="utf-8-sig") as fh:
            return parse_cluener_lines(fh, prefix=p.stem, source=p.name)
    except (OSError, UnicodeDecodeError) as exc:
        raise RectifyInputError(f"cannot read: {exc}", source=str(p)) from exc
