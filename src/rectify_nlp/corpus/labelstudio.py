"""Label Studio JSON export (NER ``Labels`` on a ``Text`` tag, plus ``Relations``).

:func:`to_labelstudio` writes tasks that import into a project with this labelling config::

    <View>
      <Relations>
        <Relation value="INSPECTS"/><Relation value="ADDRESSES"/><Relation value="DURING"/>
      </Relations>
      <Labels name="label" toName="text">
        <Label value="ORG"/><Label value="DATE"/><Label value="PROBLEM"/><Label value="OUTCOME"/>
      </Labels>
      <Text name="text" value="$text"/>
    </View>

A task is ``{"data": {"text", "record_id", "meta"}, "annotations": [{"result": [...]}]}``;
entity regions have ids ``"e<entity id>"``. :func:`from_labelstudio` reads the first
non-cancelled annotation of each task (or, with ``use_predictions=True`` and no annotation, the
first prediction).

>>> from rectify_nlp.corpus.records import CorpusRecord, EntityAnnotation
>>> rec = CorpusRecord("a", "区委巡察组", (EntityAnnotation(0, "ORG", 0, 5, "区委巡察组"),))
>>> from_labelstudio(to_labelstudio([rec]))[0] == rec
True
"""

from __future__ import annotations

import copy
import json
import logging
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from rectify_nlp.corpus.records import (
    CorpusRecord,
    EntityAnnotation,
    RelationAnnotation,
    make_record_id,
    write_lines_atomic,
)
from rectify_nlp.errors import RectifyInputError

logger = logging.getLogger(__name__)


def to_labelstudio(
    records: Iterable[CorpusRecord], *, from_name: str = "label", to_name: str = "text"
) -> list[dict[str, Any]]:
    """Label Studio tasks (with one annotation each) for the records.

    ``from_name``/``to_name`` must match the ``Labels``/``Text`` tag names of the project.
    """
    tasks = []
    for rec in records:
        result: list[dict[str, Any]] = [
            {
                "id": f"e{e.id}",
                "type": "labels",
                "from_name": from_name,
                "to_name": to_name,
                "value": {"start": e.start, "end": e.end, "text": e.text, "labels": [e.label]},
            }
            for e in rec.entities
        ]
        result.extend(
            {
                "type": "relation",
                "from_id": f"e{r.head}",
                "to_id": f"e{r.tail}",
                "direction": "right",
                "labels": [r.label],
            }
            for r in rec.relations
        )
        tasks.append({
            "data": {"text": rec.text, "record_id": rec.id, "meta": copy.deepcopy(rec.meta)},
            "annotations": [{"result": result}],
        })
    return tasks


def from_labelstudio(
    tasks: Sequence[Mapping[str, Any]] | Mapping[str, Any], *, use_predictions: bool = False
) -> list[CorpusRecord]:
    """Records from Label Studio tasks (a JSON export list, or one task).

    The record id is ``data.record_id``, else the task id, else a hash of the text. Regions
    with several labels keep the first; relations with several labels give one relation each;
    ``direction: "left"`` swaps head and tail. Offsets that Label Studio counted in UTF-16 code
    units (text with characters beyond U+FFFF) are repaired when the region's text shows it.
    Raises ``ValueError`` on a task without string ``data.text`` or a relation naming an
    unknown region.
    """
    if isinstance(tasks, Mapping):
        tasks = [tasks]
    return [_task_to_record(t, i, use_predictions) for i, t in enumerate(tasks)]


def _task_to_record(task: Mapping[str, Any], index: int, use_predictions: bool) -> CorpusRecord:
    data = task.get("data") if isinstance(task, Mapping) else None
    if not isinstance(data, Mapping) or not isinstance(data.get("text"), str):
        raise ValueError(f"Label Studio task {index}: no string data.text")
    text: str = data["text"]
    if data.get("record_id") is not None:
        rid = str(data["record_id"])
    elif task.get("id") is not None:
        rid = str(task["id"])
    else:
        rid = make_record_id(text, index)
    meta: dict[str, Any] = {}
    if isinstance(data.get("meta"), Mapping):
        meta.update(copy.deepcopy(dict(data["meta"])))
    for k, v in data.items():
        if k not in ("text", "record_id", "meta"):
            meta[k] = copy.deepcopy(v)

    result = _pick_result(task, rid, use_predictions=False)
    if result is None and use_predictions:
        result = _pick_result(task, rid, use_predictions=True)
    entities: list[EntityAnnotation] = []
    index_of: dict[str, int] = {}
    rel_items: list[Mapping[str, Any]] = []
    utf16: list[int] | None = None
    for item in result or ():
        kind = item.get("type")
        if kind == "relation":
            rel_items.append(item)
            continue
        value = item.get("value") or {}
        labels = value.get("labels")
        if kind != "labels" or not labels or "start" not in value:
            logger.warning("%s: skipping Label Studio result of type %r", rid, kind)
            continue
        if len(labels) > 1:
            logger.warning("%s: region %s has labels %s; keeping %r", rid, item.get("id"),
                           labels, labels[0])
        start, end = int(value["start"]), int(value["end"])
        region_text = value.get("text")
        if isinstance(region_text, str) and text[start:end] != region_text:
            if utf16 is None:
                utf16 = _utf16_to_codepoint(text)
            if end < len(utf16) and text[utf16[start]:utf16[end]] == region_text:
                start, end = utf16[start], utf16[end]
        if item.get("id") is not None:
            index_of[str(item["id"])] = len(entities)
        entities.append(EntityAnnotation(len(entities), str(labels[0]), start, end,
                                         text[start:end]))
    relations: list[RelationAnnotation] = []
    for item in rel_items:
        src, dst = str(item.get("from_id")), str(item.get("to_id"))
        if src not in index_of or dst not in index_of:
            raise ValueError(f"Label Studio task {rid!r}: relation {src}->{dst} names an "
                             "unknown region")
        direction = item.get("direction", "right")
        if direction == "left":
            src, dst = dst, src
        elif direction != "right":
            logger.warning("%s: relation %s->%s has direction %r; read as 'right'",
                           rid, src, dst, direction)
        labels = item.get("labels") or []
        if not labels:
            logger.warning("%s: relation %s->%s has no label; skipped", rid, src, dst)
        relations.extend(RelationAnnotation(str(lab), index_of[src], index_of[dst])
                         for lab in labels)
    return CorpusRecord(rid, text, tuple(entities), tuple(relations), meta)


def _pick_result(task: Mapping[str, Any], rid: str, *,
                 use_predictions: bool) -> list[Mapping[str, Any]] | None:
    key = "predictions" if use_predictions else "annotations"
    items = [a for a in task.get(key) or () if isinstance(a, Mapping)
             and not a.get("was_cancelled")]
    if not items:
        return None
    if len(items) > 1:
        logger.info("%s: %d %s; using the first", rid, len(items), key)
    return list(items[0].get("result") or [])


def _utf16_to_codepoint(text: str) -> list[int]:
    """``m[u]`` = code-point index of UTF-16 offset ``u`` (length ``utf16_len + 1``)."""
    m: list[int] = []
    for i, ch in enumerate(text):
        m.append(i)
        if ord(ch) > 0xFFFF:
            m.append(i + 1)  # an offset inside the surrogate pair maps past the character
    m.append(len(text))
    return m


def read_labelstudio(path: str | os.PathLike[str], *,
                     use_predictions: bool = False) -> list[CorpusRecord]:
    """Records from a Label Studio JSON export file (a list of tasks)."""
    p = Path(path)
    try:
        data = json.loads(p.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise RectifyInputError(f"cannot open: {exc.strerror or exc}", source=str(p)) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RectifyInputError(f"not a JSON file: {exc}", source=str(p)) from exc
    try:
        return from_labelstudio(data, use_predictions=use_predictions)
    except ValueError as exc:
        raise RectifyInputError(str(exc), source=str(p)) from exc


def write_labelstudio(records: Iterable[CorpusRecord], path: str | os.PathLike[str]) -> None:
    """Write records as a Label Studio import/export JSON file (atomic)."""
    write_lines_atomic([json.dumps(to_labelstudio(records), ensure_ascii=False, indent=1),
                        "\n"], path)
