"""Hugging Face ``datasets`` views of the corpus, splits, and a format-sniffing loader.

``datasets`` is optional (``pip install rectify-nlp[corpus]``); it is imported only when a
function here needs it. :func:`load_corpus` works without it.

Columns of every split: ``id``, ``text``, ``entities`` (list of ``{label, start, end, text}``,
list index = entity id), ``relations`` (list of ``{label, head, tail}``), ``meta`` (JSON string),
``tokens`` (the characters of ``text``, whitespace included) and ``ner_tags`` (BIO ids,
``ClassLabel`` with names :data:`NER_TAGS`; overlapping entities reduced as in CoNLL).

>>> from rectify_nlp.corpus.records import CorpusRecord
>>> dd = to_dataset_dict([CorpusRecord(f"r{i}", "文本") for i in range(10)], seed=1)
>>> sorted(dd), sum(len(d) for d in dd.values())
(['dev', 'test', 'train'], 10)
"""

from __future__ import annotations

import json
import os
import random
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_nlp.corpus.records import (
    LABELS,
    CorpusRecord,
    iter_json_lines,
    make_record_id,
    non_overlapping,
)
from rectify_nlp.errors import RectifyInputError

if TYPE_CHECKING:
    from datasets import Dataset, DatasetDict, Features

#: BIO tag names, index = ``ner_tags`` id.
NER_TAGS: tuple[str, ...] = ("O",) + tuple(f"{p}-{lab}" for lab in LABELS for p in "BI")
_TAG_ID = {t: i for i, t in enumerate(NER_TAGS)}


def _datasets() -> Any:
    try:
        import datasets
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "rectify_nlp.corpus.hf needs the optional 'datasets' package: "
            "pip install 'rectify-nlp[corpus]' (or pip install datasets)"
        ) from exc
    return datasets


def features() -> Features:
    """The ``datasets.Features`` of every split."""
    ds = _datasets()
    return ds.Features({
        "id": ds.Value("string"),
        "text": ds.Value("string"),
        "entities": [{"label": ds.Value("string"), "start": ds.Value("int32"),
                      "end": ds.Value("int32"), "text": ds.Value("string")}],
        "relations": [{"label": ds.Value("string"), "head": ds.Value("int32"),
                       "tail": ds.Value("int32")}],
        "meta": ds.Value("string"),
        "tokens": ds.Sequence(ds.Value("string")),
        "ner_tags": ds.Sequence(ds.ClassLabel(names=list(NER_TAGS))),
    })


def bio_ids(record: CorpusRecord) -> list[int]:
    """One BIO tag id per character (unknown labels become ``O``)."""
    tags = [0] * len(record.text)
    for e in non_overlapping(record.entities)[0]:
        b, i = _TAG_ID.get(f"B-{e.label}"), _TAG_ID.get(f"I-{e.label}")
        if b is None or i is None:
            continue
        tags[e.start] = b
        for k in range(e.start + 1, min(e.end, len(tags))):
            tags[k] = i
    return tags


def _row(rec: CorpusRecord) -> dict[str, Any]:
    return {
        "id": rec.id,
        "text": rec.text,
        "entities": [{"label": e.label, "start": e.start, "end": e.end, "text": e.text}
                     for e in rec.entities],
        "relations": [r.to_dict() for r in rec.relations],
        "meta": json.dumps(rec.meta, ensure_ascii=False, sort_keys=True),
        "tokens": list(rec.text),
        "ner_tags": bio_ids(rec),
    }


def to_dataset(records: Sequence[CorpusRecord]) -> Dataset:
    """One ``datasets.Dataset`` of the records, in order."""
    ds = _datasets()
    rows = [_row(r) for r in records]
    cols = {k: [row[k] for row in rows] for k in features()}
    return ds.Dataset.from_dict(cols, features=features())


def from_dataset(dataset: Any) -> list[CorpusRecord]:
    """Records back from a dataset made by :func:`to_dataset` (or any split of it)."""
    out = []
    for row in dataset:
        d = dict(row)
        d["entities"] = [dict(e, id=i) for i, e in enumerate(d["entities"])]
        d["meta"] = json.loads(d["meta"]) if d.get("meta") else {}
        out.append(CorpusRecord.from_dict(d))
    return out


def to_dataset_dict(
    records: Sequence[CorpusRecord],
    *,
    splits: Mapping[str, Sequence[str]] | None = None,
    dev_ratio: float = 0.1,
    test_ratio: float = 0.1,
    seed: int = 0,
) -> DatasetDict:
    """A ``DatasetDict`` of the records.

    With ``splits`` (split name -> record ids) those splits are built as given; ids must be
    known and appear in one split only (``ValueError`` otherwise); records named in no split
    are left out. Without it, a seeded shuffle gives ``train``/``dev``/``test`` with
    ``round(n * ratio)`` records in dev and test (any may be empty; all three are present).
    """
    ds = _datasets()
    ids = [r.id for r in records]
    if len(set(ids)) != len(ids):
        dup = sorted(i for i, n in Counter(ids).items() if n > 1)
        raise ValueError(f"duplicate record ids: {dup[:5]}")
    by_id = {r.id: r for r in records}
    if splits is None:
        if not (0 <= dev_ratio and 0 <= test_ratio and dev_ratio + test_ratio <= 1):
            raise ValueError("dev_ratio and test_ratio must be >= 0 and sum to <= 1")
        order = list(ids)
        random.Random(seed).shuffle(order)
        n_test = round(len(order) * test_ratio)
        n_dev = min(round(len(order) * dev_ratio), len(order) - n_test)
        splits = {
            "train": order[n_test + n_dev:],
            "dev": order[n_test:n_test + n_dev],
            "test": order[:n_test],
        }
    seen: dict[str, str] = {}
    for name, members in splits.items():
        for rid in members:
            if rid not in by_id:
                raise ValueError(f"split {name!r}: unknown record id {rid!r}")
            if rid in seen:
                raise ValueError(f"record {rid!r} is in splits {seen[rid]!r} and {name!r}")
            seen[rid] = name
    return ds.DatasetDict({name: to_dataset([by_id[i] for i in members])
                           for name, members in splits.items()})


def leave_one_out(records: Sequence[CorpusRecord]) -> Iterator[tuple[str, DatasetDict]]:
    """For each record: ``(record id, DatasetDict(train=all others, test=that record))``.

    >>> from rectify_nlp.corpus.records import CorpusRecord
    >>> [rid for rid, _ in leave_one_out([CorpusRecord("a", "x"), CorpusRecord("b", "y")])]
    ['a', 'b']
    """
    for rec in records:
        others = [r.id for r in records if r.id != rec.id]
        yield rec.id, to_dataset_dict(records, splits={"train": others, "test": [rec.id]})


def load_corpus(path: str | os.PathLike[str]) -> list[CorpusRecord]:
    """Read a corpus file in any supported format, chosen by extension.

    ``.jsonl``: corpus JSONL or doccano (detected per line); ``.json``: Label Studio export
    (or a JSON list of corpus records); ``.spacy``: DocBin; ``.conll``/``.bio``/``.bmes``/
    ``.bioes``: CoNLL. Raises :class:`~rectify_nlp.errors.RectifyInputError` otherwise.
    """
    from rectify_nlp.corpus import conll, docbin, doccano, labelstudio

    p = Path(path)
    ext = p.suffix.lower()
    if ext == ".jsonl":
        out = []
        for lineno, obj in iter_json_lines(p):
            try:
                if doccano.is_doccano(obj):
                    rid = None
                    if obj.get("id") is None and isinstance(obj.get("text"), str):
                        rid = make_record_id(obj["text"], lineno - 1)
                    out.append(doccano.from_doccano(obj, id=rid))
                else:
                    out.append(CorpusRecord.from_dict(obj))
            except ValueError as exc:
                raise RectifyInputError(f"line {lineno}: {exc}", source=str(p)) from exc
        return out
    if ext == ".json":
        try:
            data = json.loads(p.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise RectifyInputError(f"cannot open: {exc.strerror or exc}", source=str(p)) from exc
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise RectifyInputError(f"not a JSON file: {exc}", source=str(p)) from exc
        items = data if isinstance(data, list) else [data]
        try:
            if items and all(isinstance(t, Mapping) and "data" in t for t in items):
                return labelstudio.from_labelstudio(items)
            return [CorpusRecord.from_dict(d) for d in items]
        except ValueError as exc:
            raise RectifyInputError(str(exc), source=str(p)) from exc
    if ext == ".spacy":
        return docbin.read_docbin(p)
    if ext in (".conll", ".bio", ".bmes", ".bioes"):
        scheme = {".bmes": "BMES", ".bioes": "BIOES"}.get(ext)
        return conll.read_conll(p, scheme)
    raise RectifyInputError(f"unknown corpus file extension {ext!r} (expected .jsonl, .json, "
                            ".spacy, .conll, .bio, .bmes or .bioes)", source=str(p))

