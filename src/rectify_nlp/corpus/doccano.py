"""doccano JSONL: the relation-project export, and the older entity-only ``label`` form.

Relation form (what :func:`to_doccano` writes)::

    {"id": "000_…", "text": "…",
     "entities": [{"id": 0, "label": "ORG", "start_offset": 0, "end_offset": 7}],
     "relations": [{"id": 0, "from_id": 0, "to_id": 1, "type": "INSPECTS"}],
     "meta": {...}}

Older sequence-labelling form (read only): ``{"text": "…", "label": [[0, 7, "ORG"], …]}``.
Keys that are neither of these (doccano writes custom columns at top level, e.g. ``Comments``)
go into ``meta``; an empty ``Comments`` list is dropped.

>>> rec = from_doccano({"text": "区委第三巡察组", "label": [[0, 7, "ORG"]]}, id="a")
>>> rec.entities[0].text
'区委第三巡察组'
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Mapping
from typing import Any

from rectify_nlp.corpus.records import (
    CorpusRecord,
    EntityAnnotation,
    RelationAnnotation,
    dumps_jsonl_line,
    iter_json_lines,
    make_record_id,
    write_lines_atomic,
)
from rectify_nlp.errors import RectifyInputError

_RESERVED = {"id", "text", "entities", "relations", "label", "labels", "meta"}


def to_doccano(record: CorpusRecord) -> dict[str, Any]:
    """The doccano relation-export dict of a record (entity ids are the record's ids).

    >>> from rectify_nlp.corpus.records import CorpusRecord
    >>> to_doccano(CorpusRecord("a", "文本"))["entities"]
    []
    """
    return {
        "id": record.id,
        "text": record.text,
        "entities": [
            {"id": e.id, "label": e.label, "start_offset": e.start, "end_offset": e.end}
            for e in record.entities
        ],
        "relations": [
            {"id": i, "from_id": r.head, "to_id": r.tail, "type": r.label}
            for i, r in enumerate(record.relations)
        ],
        "meta": copy.deepcopy(record.meta),
    }


def is_doccano(d: Any) -> bool:
    """Whether a parsed JSONL line looks like doccano rather than the corpus format."""
    if not isinstance(d, Mapping):
        return False
    if "label" in d or "labels" in d:
        return True
    ents = d.get("entities")
    return bool(ents) and isinstance(ents[0], Mapping) and "start_offset" in ents[0]


def from_doccano(d: Mapping[str, Any], id: str | None = None) -> CorpusRecord:
    """A record from one doccano JSONL dict (relation export or older ``label`` form).

    Doccano entity ids (global in doccano) become list indices; relations are remapped.
    ``id`` overrides the dict's own id; with neither, the id is a hash of the text.
    Raises ``ValueError`` on a malformed dict or a relation naming an unknown entity.
    """
    if not isinstance(d, Mapping) or not isinstance(d.get("text"), str):
        raise ValueError("a doccano line must be an object with a string 'text'")
    text: str = d["text"]
    rid = id if id is not None else (str(d["id"]) if d.get("id") is not None
                                     else make_record_id(text))
    entities: list[EntityAnnotation] = []
    index_of: dict[Any, int] = {}
    try:
        for i, e in enumerate(d.get("entities") or ()):
            start, end = int(e["start_offset"]), int(e["end_offset"])
            index_of[e.get("id", i)] = len(entities)
            entities.append(EntityAnnotation(len(entities), str(e["label"]), start, end,
                                             text[start:end]))
        old = d.get("label", d.get("labels"))
        for item in old or ():
            if isinstance(item, Mapping):  # some exports write {"start_offset",...} here
                start, end, label = item["start_offset"], item["end_offset"], item["label"]
            else:
                start, end, label = item
            start, end = int(start), int(end)
            entities.append(EntityAnnotation(len(entities), str(label), start, end,
                                             text[start:end]))
        relations: list[RelationAnnotation] = []
        for r in d.get("relations") or ():
            head, tail = r["from_id"], r["to_id"]
            if head not in index_of or tail not in index_of:
                raise ValueError(f"relation {r.get('id')!r} names an unknown entity id "
                                 f"({head!r} -> {tail!r})")
            relations.append(RelationAnnotation(str(r["type"]), index_of[head], index_of[tail]))
    except (KeyError, TypeError) as exc:
        raise ValueError(f"doccano record {rid!r}: malformed entity or relation: {exc!r}") from exc
    except ValueError as exc:
        raise ValueError(f"doccano record {rid!r}: {exc}") from exc
    meta: dict[str, Any] = {}
    if isinstance(d.get("meta"), Mapping):
        meta.update(copy.deepcopy(dict(d["meta"])))
    for k, v in d.items():
        if k in _RESERVED or (k == "Comments" and not v):
            continue
        meta[k] = copy.deepcopy(v)
    return CorpusRecord(rid, text, tuple(entities), tuple(relations), meta)


def read_doccano(path: str | os.PathLike[str]) -> list[CorpusRecord]:
    """All records of a doccano JSONL export; lines without an id get ``<line-1:03d>_<hash>``."""
    out = []
    for lineno, obj in iter_json_lines(path):
        try:
            rid = None
            if isinstance(obj, Mapping) and obj.get("id") is None and isinstance(obj.get("text"),
                                                                                  str):
                rid = make_record_id(obj["text"], lineno - 1)
            out.append(from_doccano(obj, id=rid))
        except ValueError as exc:
            raise RectifyInputError(f"line {lineno}: {exc}", source=str(path)) from exc
    return out


def write_doccano(records: Iterable[CorpusRecord], path: str | os.PathLike[str]) -> None:
    """Write records as doccano relation-export JSONL (atomic)."""
    write_lines_atomic((dumps_jsonl_line(to_doccano(r)) + "\n" for r in records), path)
