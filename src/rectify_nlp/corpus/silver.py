"""Silver data: rule-labelled windows of unlabelled text, for pre-training or augmenting the NER model.

The rule functions (:func:`~rectify_nlp.rules.orgs.find_orgs`,
:func:`~rectify_nlp.rules.dates.find_dates`, :func:`~rectify_nlp.rules.outcomes.find_outcomes`)
are run directly on each window's clean text — not through
:func:`~rectify_nlp.rules.analysis.analyze`, which returns nothing for text that is not a notice
(government work reports, congress reports). Offsets are mapped back to the window's original
text, overlapping spans are resolved (longer wins) and every window with at least
``min_entities`` entities becomes a :class:`~rectify_nlp.corpus.records.CorpusRecord`.

Silver labels are only as good as the rules: see ``docs/silver.md`` for a precision spot check.

>>> recs = list(silver_records([("doc", "2023年,城镇新增就业1244万人。\\n\\n今天天气很好。")]))
>>> [(r.id, [(e.label, e.text) for e in r.entities]) for r in recs]
[('doc#0', [('DATE', '2023年'), ('OUTCOME', '城镇新增就业1244万人')])]
"""

from __future__ import annotations

import bisect
import json
import logging
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation, non_overlapping
from rectify_nlp.errors import RectifyInputError
from rectify_nlp.rules.dates import find_dates
from rectify_nlp.rules.orgs import find_orgs
from rectify_nlp.rules.outcomes import find_outcomes
from rectify_nlp.spans import Span
from rectify_nlp.text.clean import clean_text

logger = logging.getLogger(__name__)

__all__ = ["SILVER_LABELS", "paragraph_windows", "read_political", "silver_records", "window_entities"]

#: The labels a rule can produce silver spans for (PROBLEM has no span rule).
SILVER_LABELS: tuple[str, ...] = ("ORG", "DATE", "OUTCOME")

_MIN_MAX_CHARS = 20
_PARAGRAPH_RE = re.compile(r"[^\r\n]+")
# A sentence ends after 。!?; (either width) and any closing quotes/brackets that follow.
_SENTENCE_END_RE = re.compile(r"[。!?;！？；…]+[”’」』)）]*")
_CLAUSE_END_RE = re.compile(r"[,，、:：]")
# Silver-only plan filter: a plan/target cue anywhere earlier in the sentence (or inside the
# span) marks a figure as a target, not a result. Work reports list the year's targets after one
# heading (今年发展主要预期目标是:…;…;…), out of reach of the rule's clause-level check.
_PLAN_CUE_RE = re.compile(
    r"预期|预计|目标|(?<![五年度定划])计划(?!经济|生育|单列)|力争|争取|确保|力求|打算|准备"
    r"|(?<![草模比])拟(?![定订稿])|将(?![近军领士帅])"
    r"|(?<![主重需纲必摘只首紧简扼])要(?![求素点件闻害务领职])"
)
_SENTENCE_BREAK_RE = re.compile(r"[。!?！？\n]")


# --------------------------------------------------------------------------- windows


def paragraph_windows(text: str, max_chars: int = 2000) -> Iterator[tuple[int, int]]:
    """``(start, end)`` offsets of the windows of ``text``: its paragraphs (lines), stripped.

    A paragraph longer than ``max_chars`` is cut at sentence ends (。!?; and their full-width
    forms), packing whole sentences while they fit; a sentence still too long is cut after a
    comma, or at ``max_chars`` as a last resort. Blank lines yield nothing.

    >>> t = "一、回顾\\n\\n经济增长5%。就业稳定。"
    >>> [t[s:e] for s, e in paragraph_windows(t)]
    ['一、回顾', '经济增长5%。就业稳定。']
    >>> [t[s:e] for s, e in paragraph_windows(t, max_chars=20)][1:]
    ['经济增长5%。就业稳定。']
    """
    if max_chars < 1:
        raise ValueError(f"max_chars must be positive, got {max_chars}")
    for m in _PARAGRAPH_RE.finditer(text):
        start, end = _strip(text, m.start(), m.end())
        if start >= end:
            continue
        if end - start <= max_chars:
            yield start, end
        else:
            yield from _split_long(text, start, end, max_chars)


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _cut_points(text: str, start: int, end: int, pattern: re.Pattern[str]) -> list[int]:
    cuts = [m.end() for m in pattern.finditer(text, start, end) if m.end() < end]
    cuts.append(end)
    return cuts


def _split_long(text: str, start: int, end: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Pack the sentences of ``text[start:end]`` into windows of at most ``max_chars``."""
    for s, e in _pack(_cut_points(text, start, end, _SENTENCE_END_RE), start, max_chars):
        if e - s <= max_chars:
            piece = _strip(text, s, e)
            if piece[0] < piece[1]:
                yield piece
            continue
        # one sentence longer than max_chars: clauses, then a hard cut
        for cs, ce in _pack(_cut_points(text, s, e, _CLAUSE_END_RE), s, max_chars):
            while ce - cs > max_chars:
                piece = _strip(text, cs, cs + max_chars)
                if piece[0] < piece[1]:
                    yield piece
                cs += max_chars
            piece = _strip(text, cs, ce)
            if piece[0] < piece[1]:
                yield piece


def _pack(cuts: Sequence[int], start: int, max_chars: int) -> Iterator[tuple[int, int]]:
    """Greedy packing of the segments ``start..cuts[0]..cuts[1]..`` into runs ≤ ``max_chars``
    (a single segment longer than that comes out alone)."""
    win_start = prev = start
    for cut in cuts:
        if cut - win_start > max_chars and prev > win_start:
            yield win_start, prev
            win_start = prev
        prev = cut
    if prev > win_start:
        yield win_start, prev


# --------------------------------------------------------------------------- entities


def _check_labels(labels: Iterable[str]) -> tuple[str, ...]:
    if isinstance(labels, str):
        labels = [x for x in re.split(r"[,\s]+", labels) if x]
    out: list[str] = []
    for lab in labels:
        lab = str(lab).strip().upper()
        if lab not in SILVER_LABELS:
            raise ValueError(f"no silver rule for label {lab!r} (expected some of "
                             f"{', '.join(SILVER_LABELS)})")
        if lab not in out:
            out.append(lab)
    if not out:
        raise ValueError("labels must name at least one of " + ", ".join(SILVER_LABELS))
    return tuple(out)


def window_entities(
    window: str, labels: Iterable[str] = SILVER_LABELS, *, plan_filter: bool = True
) -> list[EntityAnnotation]:
    """The non-overlapping rule entities of one window, offsets into ``window`` itself.

    The rules read the clean text (full-width → half-width, traditional → simplified); every
    span is mapped back with :meth:`CleanText.original_span`, so ``e.text`` is the original
    slice. Overlaps across labels are dropped, longer span wins. Entities are numbered in
    text order. ``plan_filter`` drops OUTCOME spans whose sentence has a plan or target cue
    (预期, 目标, 计划, 力争, 将, 要 …) before or inside them.

    >>> [(e.label, e.text) for e in window_entities("2024年国内生产总值增长5.2%", ["DATE"])]
    [('DATE', '2024年')]
    """
    wanted = _check_labels(labels)
    if not isinstance(window, str):
        raise TypeError(f"window must be str, got {type(window).__name__}")
    if not window.strip():
        return []
    ct = clean_text(window, html=False)
    text = ct.text
    if not text:
        return []
    spans: list[Span] = []
    if "ORG" in wanted:
        spans.extend(find_orgs(text))
    if "DATE" in wanted or "OUTCOME" in wanted:
        date_spans = [d.span for d in find_dates(text)]
        if "DATE" in wanted:
            spans.extend(date_spans)
        if "OUTCOME" in wanted:
            outcomes = [o.span for o in find_outcomes(text, exclude=date_spans)]
            if plan_filter:
                outcomes = _drop_planned(text, outcomes)
            spans.extend(outcomes)
    candidates: list[EntityAnnotation] = []
    for sp in spans:
        if sp.label not in wanted:
            continue
        o = ct.original_span(sp)
        start, end = _strip(window, o.start, o.end)
        if start >= end:
            continue
        candidates.append(EntityAnnotation(len(candidates), sp.label, start, end, window[start:end]))
    kept, _dropped = non_overlapping(candidates)
    return [EntityAnnotation(i, e.label, e.start, e.end, e.text) for i, e in enumerate(kept)]


def _drop_planned(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` less those with a plan cue between their sentence start and their end."""
    breaks = [m.end() for m in _SENTENCE_BREAK_RE.finditer(text)]
    out = []
    for sp in spans:
        i = bisect.bisect_right(breaks, sp.start) - 1
        sent_start = breaks[i] if i >= 0 else 0
        if _PLAN_CUE_RE.search(text, sent_start, sp.end) is None:
            out.append(sp)
    return out


def silver_records(
    texts: Iterable[tuple[str, str]],
    *,
    labels: Iterable[str] = SILVER_LABELS,
    min_entities: int = 1,
    max_chars: int = 2000,
    plan_filter: bool = True,
) -> Iterator[CorpusRecord]:
    """Silver :class:`CorpusRecord` objects from ``(doc_id, text)`` pairs, lazily.

    Each document is cut into windows (:func:`paragraph_windows`); window ``n`` (counted over all
    windows of the document, so ids do not move when filters change) becomes the record
    ``"<doc_id>#<n>"`` with ``text`` the original window and the entities of
    :func:`window_entities` (``plan_filter`` passed on), when it has at least
    ``min_entities`` of them (``0`` keeps every window, entity-free ones included).
    ``meta = {"source": doc_id, "silver": True, "labels": [...], "offset": <window start in
    the document>}``. Text is treated as plain text (no HTML detection).

    >>> r = next(silver_records([("gwr", "中国人民银行下调利率。")], labels=("ORG",)))
    >>> r.id, r.entities[0].text, r.meta["silver"]
    ('gwr#0', '中国人民银行', True)
    """
    wanted = _check_labels(labels)
    if max_chars < _MIN_MAX_CHARS:
        raise ValueError(f"max_chars must be at least {_MIN_MAX_CHARS}, got {max_chars}")
    for doc_id, text in texts:
        if not isinstance(text, str):
            raise TypeError(f"{doc_id}: text must be str, got {type(text).__name__}")
        for n, (start, end) in enumerate(paragraph_windows(text, max_chars)):
            window = text[start:end]
            entities = window_entities(window, wanted, plan_filter=plan_filter)
            if len(entities) < min_entities:
                continue
            yield CorpusRecord(
                id=f"{doc_id}#{n}",
                text=window,
                entities=tuple(entities),
                meta={"source": str(doc_id), "silver": True, "labels": list(wanted),
                      "offset": start},
            )


# --------------------------------------------------------------------------- input


def read_political(path: str | os.PathLike[str]) -> Iterator[tuple[str, str]]:
    """``(id, content)`` of each document of the political corpus, lazily.

    ``path`` is one JSON-lines file (``{title, url, content, ...}`` a line) or a folder of
    them (``*.jsonl``, sorted by name). The id is ``"<file stem>:<line number>"``, e.g.
    ``"government_work_reports:3"``. Lines without a string ``content`` are skipped with a
    warning; a missing path or invalid JSON raises :class:`RectifyInputError`.

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "gwr.jsonl")
    >>> _ = open(f, "w", encoding="utf-8").write('{"title": "t", "content": "正文"}\\n')
    >>> list(read_political(f))
    [('gwr:1', '正文')]
    """
    p = Path(path)
    if p.is_dir():
        files = sorted(p.glob("*.jsonl"))
        if not files:
            raise RectifyInputError("no *.jsonl files in folder", source=str(p))
    elif p.is_file():
        files = [p]
    else:
        raise RectifyInputError("no such file or folder", source=str(p))
    for f in files:
        yield from _read_jsonl_contents(f)


def _read_jsonl_contents(f: Path) -> Iterator[tuple[str, str]]:
    try:
        fh = f.open(encoding="utf-8-sig")
    except OSError as exc:
        raise RectifyInputError(f"cannot open: {exc.strerror or exc}", source=str(f)) from exc
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise RectifyInputError(f"line {lineno}: invalid JSON: {exc.msg}",
                                        source=str(f)) from exc
            content = obj.get("content") if isinstance(obj, dict) else None
            if not isinstance(content, str):
                logger.warning("%s:%d: no string 'content', skipped", f, lineno)
                continue
            yield f"{f.stem}:{lineno}", content
