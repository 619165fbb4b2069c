"""spaCy ``DocBin`` (``.spacy``) files, for ``spacy train`` and span-categoriser pipelines.

Each record becomes one ``Doc``:

- ``doc.spans["entities"]``: every entity, in record order (overlaps allowed);
- ``doc.ents``: the non-overlapping subset (longer spans win, see
  :func:`~rectify_nlp.corpus.records.non_overlapping`);
- ``doc.user_data["relations"]``: ``[(head_start, head_end, tail_start, tail_end, label), ...]``
  character offsets; ``doc.user_data["id"]`` and ``doc.user_data["meta"]`` the record id and meta.

Without ``nlp`` the doc is cut one token per character (every character, whitespace included,
is its own token, so every character offset aligns) over the vocab of ``spacy.blank("zh")``.
With an ``nlp``, ``nlp.make_doc`` tokenises; an entity that does not fall on token
boundaries is widened to the enclosing tokens in the spaCy view (a warning is logged).

>>> from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation
>>> rec = CorpusRecord("a", "7月30日 反馈", (EntityAnnotation(0, "DATE", 0, 5, "7月30日"),))
>>> from_docbin(to_docbin([rec]))[0] == rec
True
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_nlp.corpus.records import (
    RELATION_TYPES,
    CorpusRecord,
    EntityAnnotation,
    RelationAnnotation,
    make_record_id,
    non_overlapping,
    write_bytes_atomic,
)
from rectify_nlp.errors import RectifyInputError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, DocBin
    from spacy.vocab import Vocab

logger = logging.getLogger(__name__)

SPAN_KEY = "entities"


def _blank_zh() -> Language:
    import spacy

    return spacy.blank("zh")


def record_to_doc(record: CorpusRecord, nlp: Language | None = None, *,
                  vocab: Vocab | None = None) -> Doc:
    """One record as a spaCy ``Doc`` (see the module docstring for the layout).

    Without ``nlp``: one token per character over ``vocab`` (default: ``spacy.blank("zh")``'s).
    """
    from spacy.tokens import Doc
    from spacy.util import filter_spans

    if nlp is None:
        text = record.text
        doc = Doc(vocab or _blank_zh().vocab, words=list(text), spaces=[False] * len(text))
    else:
        doc = nlp.make_doc(record.text)
    spans = []
    for e in record.entities:
        span = doc.char_span(e.start, e.end, label=e.label)
        if span is None:
            span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
            logger.warning("%s: entity %d %d..%d does not fall on token boundaries; the spaCy "
                           "span is widened to %s", record.id, e.id, e.start, e.end,
                           None if span is None else f"{span.start_char}..{span.end_char}")
        if span is None:
            raise ValueError(f"{record.id}: entity {e.id} {e.start}..{e.end} cannot be placed "
                             "in the doc (offsets out of bounds?)")
        spans.append(span)
    doc.spans[SPAN_KEY] = spans
    # doc.ents takes the non-overlapping subset; widened spans may still collide, so filter.
    kept, _ = non_overlapping(record.entities)
    kept_ids = {e.id for e in kept}
    doc.ents = filter_spans([s for e, s in zip(record.entities, spans) if e.id in kept_ids])
    by_id = {e.id: e for e in record.entities}
    rels = []
    for r in record.relations:
        h, t = by_id.get(r.head), by_id.get(r.tail)
        if h is None or t is None:
            raise ValueError(f"{record.id}: relation {r.label} {r.head}->{r.tail} names an "
                             "unknown entity")
        rels.append((h.start, h.end, t.start, t.end, r.label))
    doc.user_data["relations"] = rels
    doc.user_data["id"] = record.id
    doc.user_data["meta"] = record.meta
    return doc


def to_docbin(records: Iterable[CorpusRecord], nlp: Language | None = None) -> DocBin:
    """A ``DocBin`` (with user data) holding one doc per record."""
    from spacy.tokens import DocBin

    db = DocBin(store_user_data=True)
    vocab = None if nlp is not None else _blank_zh().vocab
    for rec in records:
        db.add(record_to_doc(rec, nlp, vocab=vocab))
    return db


def doc_to_record(doc: Doc, index: int = 0) -> CorpusRecord:
    """A record from a ``Doc``: entities from ``doc.spans["entities"]``, else ``spans["sc"]``,
    else ``doc.ents``; relations from ``doc.user_data["relations"]`` when present.
    """
    text = doc.text
    if SPAN_KEY in doc.spans:
        spans: Sequence[Any] = list(doc.spans[SPAN_KEY])
    elif "sc" in doc.spans:
        spans = list(doc.spans["sc"])
    else:
        spans = list(doc.ents)
    entities = tuple(
        EntityAnnotation(i, s.label_, s.start_char, s.end_char, text[s.start_char:s.end_char])
        for i, s in enumerate(spans)
    )
    ud = doc.user_data
    rid = ud.get("id")
    rid = make_record_id(text, index) if rid is None else str(rid)
    where: dict[tuple[int, int, str], int] = {}
    for e in entities:
        where.setdefault((e.start, e.end, e.label), e.id)
    relations = []
    for item in ud.get("relations") or ():
        hs, he, ts, te, label = item
        head_label, tail_label = RELATION_TYPES.get(label, (None, None))
        head = _find(where, entities, hs, he, head_label)
        tail = _find(where, entities, ts, te, tail_label)
        if head is None or tail is None:
            raise ValueError(f"{rid}: relation {label} {hs}..{he} -> {ts}..{te} matches no entity")
        relations.append(RelationAnnotation(str(label), head, tail))
    meta = _lists(ud.get("meta") or {})
    return CorpusRecord(rid, text, entities, tuple(relations), dict(meta))


def _find(where: dict[tuple[int, int, str], int], entities: Sequence[EntityAnnotation],
          start: int, end: int, label: str | None) -> int | None:
    if label is not None and (start, end, label) in where:
        return where[(start, end, label)]
    for e in entities:  # unknown relation label: any entity at those offsets
        if e.start == start and e.end == end:
            return e.id
    return None


def _lists(x: Any) -> Any:
    """msgpack gives tuples back for lists; meta is JSON, so turn them into lists again."""
    if isinstance(x, dict):
        return {k: _lists(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_lists(v) for v in x]
    return x


def from_docbin(docbin: DocBin, nlp: Language | None = None) -> list[CorpusRecord]:
    """Records from a ``DocBin`` (ours, or any with ``spans``/``ents``)."""
    vocab: Vocab = (nlp or _blank_zh()).vocab
    return [doc_to_record(doc, i) for i, doc in enumerate(docbin.get_docs(vocab))]


def write_docbin(records: Iterable[CorpusRecord], path: str | os.PathLike[str],
                 nlp: Language | None = None) -> None:
    """Write records to a ``.spacy`` file (atomic)."""
    write_bytes_atomic(to_docbin(records, nlp).to_bytes(), path)


def read_docbin(path: str | os.PathLike[str], nlp: Language | None = None) -> list[CorpusRecord]:
    """Records from a ``.spacy`` file."""
    from spacy.tokens import DocBin

    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise RectifyInputError(f"cannot open: {exc.strerror or exc}", source=str(p)) from exc
    try:
        db = DocBin().from_bytes(data)
    except Exception as exc:  # msgpack/zlib raise assorted errors on a corrupt file
        raise RectifyInputError(f"not a spaCy DocBin file: {exc}", source=str(p)) from exc
    try:
        return from_docbin(db, nlp)
    except ValueError as exc:
        raise RectifyInputError(str(exc), source=str(p)) from exc
