"""Training data: corpus records → windows of CLEAN text → spaCy ``Example`` / ``DocBin``.

The extractor runs the model over :func:`rectify_nlp.text.clean.clean_text` of the input, so
training sees the same text: every record's text is cleaned, its gold offsets (into the
original) are mapped to clean offsets, and the clean text is cut into windows of at most
``max_chars`` characters at line breaks (:func:`rectify_nlp.pipeline.language.chunk_text`).

Entities that fall into dropped text (boilerplate) or across a window cut are left out (logged
at DEBUG). ``doc.ents`` cannot overlap, so overlapping gold entities are reduced as the corpus
converters do (:func:`rectify_nlp.corpus.records.non_overlapping`: the longer span wins, e.g. a
``PROBLEM`` statement over an ``ORG`` it names).

With ``rule_features=True`` each record's clean text is analysed once by the rule layer
(:func:`rectify_nlp.rules.analysis.analyze`, as the extractor calls it) and every window keeps
the rule features of its characters (:mod:`rectify_nlp.pipeline.rule_features`); the docs
made from it carry them, so a model with ``rectify.RuleFeatureEmbed.v1`` sees what the rules
found.

>>> from rectify_nlp.corpus import CorpusRecord, EntityAnnotation
>>> rec = CorpusRecord("a", "区委第三巡察组，７月３０日反馈。", (
...     EntityAnnotation(0, "ORG", 0, 7, "区委第三巡察组"), EntityAnnotation(1, "DATE", 8, 13, "７月３０日")))
>>> [(w.text, w.entities) for w in record_windows(rec)]
[('区委第三巡察组,7月30日反馈。', ((0, 7, 'ORG'), (8, 13, 'DATE')))]
"""

from __future__ import annotations

import hashlib
import json
import logging
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation, non_overlapping
from rectify_nlp.pipeline.language import chunk_text
from rectify_nlp.text.clean import CleanText, clean_text

if TYPE_CHECKING:
    import numpy
    from spacy.language import Language
    from spacy.tokens import Doc, DocBin
    from spacy.training import Example

logger = logging.getLogger(__name__)

#: Default window length (characters of clean text) for training.
DEFAULT_WINDOW_CHARS = 1500


@dataclass(frozen=True)
class Window:
    """A stretch of one record's clean text with its entities (offsets into ``text``).

    ``offset`` is where ``text`` starts in the record's clean text; ``entities`` are
    ``(start, end, label)``, non-overlapping, sorted. ``features``: the rule features of each
    character of ``text`` (``(len(text), n_channels)``) when the windows were cut with
    ``rule_features=True``, else ``None``.
    """

    record_id: str
    index: int
    offset: int
    text: str
    entities: tuple[tuple[int, int, str], ...]
    features: numpy.ndarray | None = field(default=None, compare=False, repr=False)

    def key(self) -> str:
        """A stable identifier (used for the dev hold-out)."""
        return f"{self.record_id}#{self.index}"


def original_to_clean(clean: CleanText, start: int, end: int) -> tuple[int, int]:
    """Clean span covering the original span ``[start, end)``: :meth:`CleanText.to_clean`.

    >>> ct = clean_text("（一）加强领导")
    >>> original_to_clean(ct, 3, 7), ct.text[3:7]
    ((3, 7), '加强领导')
    """
    return clean.to_clean(start, end)


def clean_entities(record: CorpusRecord, clean: CleanText) -> list[EntityAnnotation]:
    """The record's entities in clean offsets (whitespace trimmed; lost ones dropped)."""
    out: list[EntityAnnotation] = []
    text = clean.text
    for e in record.entities:
        s, t = original_to_clean(clean, e.start, e.end)
        while s < t and text[s].isspace():
            s += 1
        while t > s and text[t - 1].isspace():
            t -= 1
        if s >= t:
            logger.debug("%s: entity %d (%s) %r lies in dropped text", record.id, e.id,
                         e.label, e.text)
            continue
        out.append(EntityAnnotation(e.id, e.label, s, t, text[s:t]))
    return out


def record_windows(record: CorpusRecord, max_chars: int = DEFAULT_WINDOW_CHARS,
                   labels: Iterable[str] | None = None, *,
                   rule_features: bool = False) -> list[Window]:
    """Cut one record into training windows of clean text (see the module docstring).

    ``labels``: keep only these entity labels (default: all). ``rule_features``: analyse the
    record's clean text with the rule layer and keep each window's rule features.
    """
    clean = clean_text(record.text)
    analysis = None
    if rule_features:
        from rectify_nlp.rules.analysis import analyze

        analysis = analyze(clean.text, page_date=clean.page_date_text)
    ents = clean_entities(record, clean)
    if labels is not None:
        keep = set(labels)
        ents = [e for e in ents if e.label in keep]
    kept, dropped = non_overlapping(ents)
    if dropped:
        logger.debug("%s: %d overlapping entities left out of doc.ents", record.id, len(dropped))
    windows: list[Window] = []
    whole = None
    starts = [e.start for e in kept]
    for index, (offset, piece) in enumerate(chunk_text(clean.text, max_chars)):
        stop = offset + len(piece)
        lo = bisect_left(starts, offset)
        inside = []
        for e in kept[lo:]:
            if e.start >= stop:
                break
            if e.end <= stop:
                inside.append((e.start - offset, e.end - offset, e.label))
            else:
                logger.debug("%s: entity %d crosses a window cut, left out", record.id, e.id)
        if piece.strip():
            feats = None
            if analysis is not None:
                if whole is None:  # the notice's features, once; windows are slices of it
                    from rectify_nlp.pipeline.rule_features import char_features

                    whole = char_features(analysis, 0, len(clean.text)).astype("int8")
                feats = whole[offset:stop]
            windows.append(Window(record.id, index, offset, piece, tuple(inside), feats))
    return windows


def iter_windows(records: Iterable[CorpusRecord], max_chars: int = DEFAULT_WINDOW_CHARS,
                 labels: Iterable[str] | None = None, *,
                 rule_features: bool = False) -> Iterator[Window]:
    """:func:`record_windows` of every record, in order."""
    label_list = None if labels is None else list(labels)
    for rec in records:
        yield from record_windows(rec, max_chars, label_list, rule_features=rule_features)


def annotate_window_doc(doc: Doc, window: Window) -> Doc:
    """Put the window's rule features (if it has any) on ``doc``, a doc of ``window.text``."""
    if window.features is not None:
        from rectify_nlp.pipeline.rule_features import set_char_features

        set_char_features(doc, window.features)
    return doc


def window_doc(nlp: Language, window: Window) -> Doc:
    """The gold ``Doc`` of a window, tokenised by ``nlp`` (character tokens), with ``ents``."""
    doc = nlp.make_doc(window.text)
    spans = []
    for s, e, label in window.entities:
        span = doc.char_span(s, e, label=label, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    from spacy.util import filter_spans

    doc.ents = filter_spans(spans)
    return doc


def window_example(nlp: Language, window: Window) -> Example:
    """A training ``Example``: the unannotated doc and the gold doc of ``window``."""
    from spacy.training import Example

    return Example(annotate_window_doc(nlp.make_doc(window.text), window),
                   window_doc(nlp, window))


def windows_to_docbin(nlp: Language, windows: Iterable[Window]) -> DocBin:
    """A ``DocBin`` of the windows' gold docs (for ``spacy train`` with ``spacy.Corpus.v1``)."""
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=True)
    for w in windows:
        doc = annotate_window_doc(window_doc(nlp, w), w)
        doc.user_data["id"] = w.record_id
        doc.user_data["window"] = w.index
        db.add(doc)
    return db


def holdout_keys(windows: Sequence[Window], fraction: float) -> set[str]:
    """Keys of the windows held out for dev: every window of a stable, hash-picked set of
    *records* (notices), about ``fraction`` of the windows in all.

    Whole records are held out, so that no notice has windows in both train and dev (a window
    of a notice in train shares its house style, header and wording with its neighbours in dev,
    and the dev score would reward memorising them). At least one record is held out when
    ``fraction > 0`` and there are two or more records.

    >>> ws = [Window("a", 0, 0, "甲", ()), Window("a", 1, 1, "乙", ()), Window("b", 0, 0, "丙", ())]
    >>> sorted({k.split("#")[0] for k in holdout_keys(ws, 0.5)}) in (["a"], ["b"])
    True
    """
    if fraction <= 0:
        return set()
    by_record: dict[str, list[str]] = {}
    for w in windows:
        by_record.setdefault(w.record_id, []).append(w.key())
    if len(by_record) < 2:
        return set()
    order = sorted(by_record, key=lambda r: hashlib.sha1(r.encode("utf-8")).hexdigest())
    target = fraction * len(windows)
    held: set[str] = set()
    for n, record_id in enumerate(order):
        if held and (len(held) >= target or n == len(order) - 1):
            break
        held.update(by_record[record_id])
    return held


def records_hash(records: Iterable[CorpusRecord]) -> str:
    """sha256 of the records' canonical JSON (one line each, in order): the model card's
    data hash.

    >>> len(records_hash([CorpusRecord("a", "文本")]))
    64
    """
    h = hashlib.sha256()
    for rec in records:
        h.update(json.dumps(rec.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()


def label_counts(windows: Iterable[Window]) -> dict[str, int]:
    """Entities per label over the windows."""
    counts: dict[str, int] = {}
    for w in windows:
        for _, _, label in w.entities:
            counts[label] = counts.get(label, 0) + 1
    return dict(sorted(counts.items()))
