"""The corpus record: one annotated notice, and its JSONL file format.

One notice per line::

    {"id": "000_c17a44979e59e13d", "text": "...",
     "entities": [{"id": 0, "label": "ORG", "start": 10, "end": 17, "text": "区委第三巡察组"}],
     "relations": [{"label": "INSPECTS", "head": 0, "tail": 1}],
     "meta": {"source": "...", "annotator": "..."}}

Offsets are Python ``str`` indices into ``text``, end exclusive; an entity's ``id`` is its index
in ``entities``; a relation's ``head``/``tail`` are entity ids. See ``docs/corpus_format.md``.

>>> rec = CorpusRecord.from_dict({"id": "x", "text": "区委第三巡察组", "entities": [
...     {"id": 0, "label": "ORG", "start": 0, "end": 7, "text": "区委第三巡察组"}]})
>>> rec.validate()
[]
"""

from __future__ import annotations

import bisect
import copy
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rectify_nlp.errors import RectifyInputError

logger = logging.getLogger(__name__)

LABELS: tuple[str, ...] = ("ORG", "DATE", "PROBLEM", "OUTCOME")
RELATION_LABELS: tuple[str, ...] = ("INSPECTS", "ADDRESSES", "DURING")
#: Allowed (head label, tail label) of each relation label.
RELATION_TYPES: dict[str, tuple[str, str]] = {
    "INSPECTS": ("ORG", "ORG"),
    "ADDRESSES": ("OUTCOME", "PROBLEM"),
    "DURING": ("OUTCOME", "DATE"),
}


@dataclass(frozen=True)
class EntityAnnotation:
    """One labelled span; ``text == record.text[start:end]``, ``id`` its index in the record.

    >>> EntityAnnotation(0, "DATE", 3, 8, "7月30日").to_dict()["end"]
    8
    """

    id: int
    label: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "label": self.label, "start": self.start, "end": self.end,
                "text": self.text}


@dataclass(frozen=True)
class RelationAnnotation:
    """A directed relation between two entities of one record, by entity id.

    >>> RelationAnnotation("DURING", 2, 1).to_dict()
    {'label': 'DURING', 'head': 2, 'tail': 1}
    """

    label: str
    head: int
    tail: int

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "head": self.head, "tail": self.tail}


@dataclass(frozen=True)
class CorpusRecord:
    """One annotated notice. ``meta`` is free-form JSON (source, annotator, ...).

    Frozen, but ``meta`` is a plain dict: treat it as read-only (it makes records unhashable).

    >>> r = CorpusRecord("a", "对龙穴街道党工委", (EntityAnnotation(0, "ORG", 1, 8, "龙穴街道党工委"),))
    >>> CorpusRecord.from_dict(r.to_dict()) == r
    True
    """

    id: str
    text: str
    entities: tuple[EntityAnnotation, ...] = ()
    relations: tuple[RelationAnnotation, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    # -- (de)serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """The JSONL line as a dict (``meta`` deep-copied)."""
        return {
            "id": self.id,
            "text": self.text,
            "entities": [e.to_dict() for e in self.entities],
            "relations": [r.to_dict() for r in self.relations],
            "meta": copy.deepcopy(self.meta),
        }

    @classmethod
    def from_parts(cls, id: str, parts: Iterable[tuple[str, str | None]]) -> CorpusRecord:
        """A record built by concatenating ``(text, label)`` pieces; a labelled piece becomes
        an entity (handy for fixtures and synthetic data: offsets cannot go wrong).

        >>> r = CorpusRecord.from_parts("x", [("对", None), ("青禾镇党委", "ORG"), ("开展巡察", None)])
        >>> [(e.label, e.start, e.end, e.text) for e in r.entities]
        [('ORG', 1, 6, '青禾镇党委')]
        """
        text, ents = "", []
        for piece, label in parts:
            if label:
                ents.append(EntityAnnotation(len(ents), label, len(text), len(text) + len(piece),
                                             piece))
            text += piece
        return cls(id, text, tuple(ents))

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> CorpusRecord:
        """Build a record from a JSONL dict.

        ``entities[i].id`` defaults to ``i`` and ``entities[i].text`` to the slice of ``text``;
        ``relations`` and ``meta`` may be absent. Values are taken as given (no repair):
        call :meth:`validate` to check them. Raises ``ValueError`` on a malformed dict.
        """
        if not isinstance(d, Mapping):
            raise ValueError(f"a corpus record must be a JSON object, got {type(d).__name__}")
        if "text" not in d or not isinstance(d["text"], str):
            raise ValueError(f"record {d.get('id')!r}: missing or non-string 'text'")
        text: str = d["text"]
        rid = d.get("id")
        rid = make_record_id(text) if rid is None else str(rid)
        try:
            entities = tuple(
                EntityAnnotation(
                    id=int(e.get("id", i)),
                    label=str(e["label"]),
                    start=int(e["start"]),
                    end=int(e["end"]),
                    text=str(e["text"]) if e.get("text") is not None
                    else text[int(e["start"]):int(e["end"])],
                )
                for i, e in enumerate(d.get("entities") or ())
            )
            relations = tuple(
                RelationAnnotation(label=str(r["label"]), head=int(r["head"]), tail=int(r["tail"]))
                for r in d.get("relations") or ()
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"record {rid!r}: malformed entity or relation: {exc!r}") from exc
        meta = d.get("meta") or {}
        if not isinstance(meta, Mapping):
            raise ValueError(f"record {rid!r}: 'meta' must be an object")
        return cls(id=rid, text=text, entities=entities, relations=relations,
                   meta=copy.deepcopy(dict(meta)))

    # -- checks --------------------------------------------------------------------------
    def validate(self) -> list[str]:
        """Everything wrong with this record, as human-readable messages (empty: valid).

        Checks: entity ids equal list indices; labels known; ``0 <= start < end <= len(text)``;
        ``text`` equals the slice; no duplicate or overlapping entities of the same label;
        relation labels known, head/tail ids existing and distinct, head/tail labels matching
        :data:`RELATION_TYPES`; no duplicate relations. Entities of different labels may overlap.

        >>> CorpusRecord("x", "abc", (EntityAnnotation(0, "ORG", 2, 9, "c"),)).validate()[0]
        'x: entity 0 (ORG) offsets 2..9 out of bounds for text of length 3'
        """
        problems: list[str] = []
        p = problems.append
        n = len(self.text)
        if not isinstance(self.id, str) or not self.id:
            p(f"{self.id!r}: record id must be a non-empty string")
        by_id: dict[int, EntityAnnotation] = {}
        for i, e in enumerate(self.entities):
            tag = f"{self.id}: entity {e.id} ({e.label})"
            if e.id != i:
                p(f"{tag} id differs from its list index {i}")
            if e.id in by_id:
                p(f"{tag} duplicate entity id")
            by_id.setdefault(e.id, e)
            if e.label not in LABELS:
                p(f"{tag} unknown label (expected one of {', '.join(LABELS)})")
            if not (0 <= e.start <= n and 0 <= e.end <= n):
                p(f"{tag} offsets {e.start}..{e.end} out of bounds for text of length {n}")
            elif e.start >= e.end:
                p(f"{tag} empty or reversed span {e.start}..{e.end}")
            elif self.text[e.start:e.end] != e.text:
                p(f"{tag} text {e.text!r} differs from text[{e.start}:{e.end}] = "
                  f"{self.text[e.start:e.end]!r}")
        problems.extend(_same_label_overlaps(self.id, self.entities))
        seen: set[tuple[str, int, int]] = set()
        for r in self.relations:
            tag = f"{self.id}: relation {r.label} {r.head}->{r.tail}"
            if r.label not in RELATION_TYPES:
                p(f"{tag} unknown relation label (expected one of {', '.join(RELATION_LABELS)})")
            head, tail = by_id.get(r.head), by_id.get(r.tail)
            if head is None:
                p(f"{tag} head id {r.head} is not an entity id")
            if tail is None:
                p(f"{tag} tail id {r.tail} is not an entity id")
            if r.head == r.tail:
                p(f"{tag} relates an entity to itself")
            want = RELATION_TYPES.get(r.label)
            if want and head is not None and tail is not None and (head.label, tail.label) != want:
                p(f"{tag} links {head.label}->{tail.label}, {r.label} must be {want[0]}->{want[1]}")
            key = (r.label, r.head, r.tail)
            if key in seen:
                p(f"{tag} duplicate relation")
            seen.add(key)
        return problems

    # -- helpers -------------------------------------------------------------------------
    def canonical(self) -> CorpusRecord:
        """The same annotation with entities sorted by ``(start, end, label)`` and renumbered,
        relations remapped and sorted. Formats that cannot keep list order give this back.
        """
        order = sorted(range(len(self.entities)),
                       key=lambda i: (self.entities[i].start, self.entities[i].end,
                                      self.entities[i].label, i))
        new_id = {self.entities[old].id: new for new, old in enumerate(order)}
        ents = tuple(
            EntityAnnotation(new, e.label, e.start, e.end, e.text)
            for new, e in enumerate(self.entities[i] for i in order)
        )
        rels = tuple(sorted(
            (RelationAnnotation(r.label, new_id.get(r.head, r.head), new_id.get(r.tail, r.tail))
             for r in self.relations),
            key=lambda r: (r.head, r.tail, r.label),
        ))
        return CorpusRecord(self.id, self.text, ents, rels, copy.deepcopy(self.meta))

    def without_relations(self) -> CorpusRecord:
        """A copy with no relations (what entity-only formats such as CoNLL can carry)."""
        return CorpusRecord(self.id, self.text, self.entities, (), copy.deepcopy(self.meta))


def _same_label_overlaps(rid: str, entities: Sequence[EntityAnnotation]) -> list[str]:
    """Duplicate/overlapping pairs among same-label entities, in O(n log n + hits)."""
    out: list[str] = []
    by_label: dict[str, list[EntityAnnotation]] = {}
    for e in entities:
        if e.start < e.end:
            by_label.setdefault(e.label, []).append(e)
    for label, ents in by_label.items():
        ents.sort(key=lambda e: (e.start, e.end))
        prev: EntityAnnotation | None = None  # the one reaching furthest right so far
        for e in ents:
            if prev is not None and e.start < prev.end:
                what = "duplicates" if (e.start, e.end) == (prev.start, prev.end) else "overlaps"
                out.append(f"{rid}: entity {e.id} ({label}) {what} entity {prev.id} "
                           f"({prev.start}..{prev.end} vs {e.start}..{e.end})")
            if prev is None or e.end > prev.end:
                prev = e
    return out


def non_overlapping(
    entities: Iterable[EntityAnnotation],
) -> tuple[list[EntityAnnotation], list[EntityAnnotation]]:
    """Split entities into a non-overlapping set (kept, in text order) and the dropped rest.

    Longer spans win (so an outer span beats what it contains); ties go to the earlier start.
    Empty spans are dropped.

    >>> a = EntityAnnotation(0, "OUTCOME", 0, 8, "x" * 8); b = EntityAnnotation(1, "DATE", 0, 3, "xxx")
    >>> [e.id for e in non_overlapping([a, b])[0]]
    [0]
    """
    ents = list(entities)
    kept: list[EntityAnnotation] = []
    dropped: list[EntityAnnotation] = []
    taken: list[tuple[int, int]] = []  # kept intervals, sorted by start
    for e in sorted(ents, key=lambda e: (-(e.end - e.start), e.start, e.end)):
        if e.end <= e.start:
            dropped.append(e)
            continue
        i = bisect.bisect_left(taken, (e.start, e.end))
        clash = (i > 0 and taken[i - 1][1] > e.start) or (i < len(taken) and taken[i][0] < e.end)
        if clash:
            dropped.append(e)
        else:
            taken.insert(i, (e.start, e.end))
            kept.append(e)
    kept.sort(key=lambda e: (e.start, e.end))
    return kept, dropped


def make_record_id(text: str, index: int | None = None) -> str:
    """A stable id from the text: ``"<index:03d>_<16 hex of sha1>"`` (or just the hash).

    >>> make_record_id("abc", 7)
    '007_a9993e364706816a'
    """
    digest = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return digest if index is None else f"{index:03d}_{digest}"


# -- JSONL I/O ---------------------------------------------------------------------------

def dumps_jsonl_line(obj: Any) -> str:
    """One JSON line: UTF-8 kept readable, but U+0085/U+2028/U+2029 escaped so that every
    line splitter (``str.splitlines`` included) sees one record per line."""
    return (json.dumps(obj, ensure_ascii=False).replace("\x85", "\\u0085")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def iter_json_lines(path: str | os.PathLike[str]) -> Iterator[tuple[int, Any]]:
    """``(line_number, parsed_object)`` for each non-blank line of a JSONL file."""
    p = Path(path)
    try:
        fh = p.open(encoding="utf-8-sig")
    except OSError as exc:
        raise RectifyInputError(f"cannot open corpus file: {exc.strerror or exc}",
                                source=str(p)) from exc
    with fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                yield lineno, json.loads(line)
            except json.JSONDecodeError as exc:
                raise RectifyInputError(f"line {lineno}: invalid JSON: {exc.msg}",
                                        source=str(p)) from exc


def iter_jsonl(path: str | os.PathLike[str]) -> Iterator[CorpusRecord]:
    """Records of a corpus JSONL file, lazily. Blank lines are skipped.

    Raises :class:`~rectify_nlp.errors.RectifyInputError` naming the file and line.
    """
    for lineno, obj in iter_json_lines(path):
        try:
            yield CorpusRecord.from_dict(obj)
        except ValueError as exc:
            raise RectifyInputError(f"line {lineno}: {exc}", source=str(path)) from exc


def read_jsonl(path: str | os.PathLike[str]) -> list[CorpusRecord]:
    """All records of a corpus JSONL file (see :func:`iter_jsonl`)."""
    return list(iter_jsonl(path))


def write_lines_atomic(lines: Iterable[str], path: str | os.PathLike[str]) -> None:
    """Write text lines (each ending in ``\\n``) to ``path`` atomically."""
    from rectify_nlp.io.write import atomic_write_text

    atomic_write_text(path, lines)


def write_bytes_atomic(data: bytes, path: str | os.PathLike[str]) -> None:
    """Write bytes to ``path`` atomically."""
    from rectify_nlp.io.write import atomic_write_bytes

    atomic_write_bytes(path, data)


def write_jsonl(records: Iterable[CorpusRecord], path: str | os.PathLike[str]) -> None:
    """Write records as corpus JSONL, atomically (temp file in the same folder, then replace).

    >>> import tempfile, os
    >>> f = os.path.join(tempfile.mkdtemp(), "c.jsonl")
    >>> write_jsonl([CorpusRecord("a", "文本")], f); read_jsonl(f)[0].text
    '文本'
    """
    write_lines_atomic((dumps_jsonl_line(r.to_dict()) + "\n" for r in records), path)
