"""The structured rectification object and its parts.

These dataclasses are what :func:`rectify_nlp.extract` returns. ``to_dict()`` gives JSON that
validates against ``rectification.schema.json`` (the shared spec); ``from_dict()`` reads it back.
Every offset (``start``/``end``) is a character offset into the caller's original input string,
end exclusive, so ``original[o.start:o.end] == o.raw`` for every outcome.

>>> r = Rectification.empty()
>>> r.to_dict()["problems"]
[]
>>> Rectification.from_dict(r.to_dict()) == r
True
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, fields
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from rectify_nlp.audit import Finding

SCHEMA_VERSION = "1.0"

ENTITY_LABELS: tuple[str, ...] = ("ORG", "DATE", "PROBLEM", "OUTCOME")
RELATION_LABELS: tuple[str, ...] = ("INSPECTS", "ADDRESSES", "DURING")


def _clean_number(value: float | int) -> float | int:
    """Render integral floats as ints (``102.0`` → ``102``) so the JSON reads naturally."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` for these result objects, without its deep copies (several times
    faster: serialising was ~2/5 of the rule layer's time per notice)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    names = _field_names(type(value))
    return {name: _plain(getattr(value, name)) for name in names}


class _CompactPickle:
    """Pickles a result dataclass as its class and a tuple of its field values (no per-object
    dict of names), rebuilt by calling the class: a result crosses from a worker process to
    the parent (``Extractor.pipe(..., n_process=2)``) in about a quarter of the pickling time
    ``pickle``'s default takes, and is rebuilt there ~9x faster than by setting each object's
    ``__dict__`` (0.4 against 4 ms for a notice of 9,600 characters; the parent shares the
    cores with the workers, so its time caps the speed-up)."""

    __slots__ = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), tuple(getattr(self, n) for n in _field_names(type(self)))


@dataclass
class TextSpan(_CompactPickle):
    """A stretch of the original text: ``original[start:end] == text``."""

    text: str
    start: int
    end: int


@dataclass
class Inspection(_CompactPickle):
    """Who inspected whom, and when (guidelines §4)."""

    inspector: str | None = None
    targets: list[str] = field(default_factory=list)
    start_date: str | None = None
    end_date: str | None = None
    feedback_date: str | None = None
    round: str | None = None


@dataclass
class Summary(_CompactPickle):
    """Notice-level figures, ``None`` when the notice does not state them.

    ``spans`` says where each stated figure is written: field name → the span of the figure
    (``11项`` for ``problems_total``, ``整改完成率100%`` for ``completion_rate``). It is empty
    when nothing was located, and is serialised as the extra property ``summary.spans``.
    """

    problems_total: int | None = None
    problems_rectified: int | None = None
    completion_rate: float | None = None
    measures_total: int | None = None
    spans: dict[str, TextSpan] = field(default_factory=dict)


@dataclass
class Problem(_CompactPickle):
    """One problem of the rectification outline (guidelines §3).

    ``start``/``end`` locate ``statement``; ``parent`` and ``outcomes`` are indices into the
    notice's ``problems`` and ``outcomes`` lists.
    """

    statement: str
    start: int
    end: int
    number: str | None = None
    level: int = 1
    parent: int | None = None
    category: str | None = None
    status: str | None = None
    measures: list[TextSpan] = field(default_factory=list)
    outcomes: list[int] = field(default_factory=list)


@dataclass
class Outcome(_CompactPickle):
    """A quantified result (guidelines §5): ``出动执法车辆102车次`` → metric 出动执法车辆, 102 车次."""

    metric: str
    value: float
    unit: str | None
    qualifier: str | None
    raw: str
    start: int
    end: int
    period: str | None = None
    problem: int | None = None
    lower: float | None = None
    upper: float | None = None
    approximate: bool = False
    score: float | None = None


@dataclass
class Entity(_CompactPickle):
    """A labelled span of the original text (``ORG``, ``DATE``, ``PROBLEM``, ``OUTCOME``)."""

    label: str
    text: str
    start: int
    end: int
    score: float | None = None
    source: str = "rule"


@dataclass
class Relation(_CompactPickle):
    """A link between two entities, by index into ``Rectification.entities``."""

    label: str
    head: int
    tail: int
    score: float | None = None


@dataclass
class Contacts(_CompactPickle):
    """Where the public can send feedback."""

    phones: list[str] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    address: str | None = None
    postcode: str | None = None
    websites: list[str] = field(default_factory=list)


@dataclass
class Rectification(_CompactPickle):
    """Everything extracted from one notice. See ``docs/schema.md`` for a worked example."""

    kind: str | None = None
    inspection: Inspection = field(default_factory=Inspection)
    publisher: str | None = None
    published_date: str | None = None
    summary: Summary = field(default_factory=Summary)
    problems: list[Problem] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    contacts: Contacts = field(default_factory=Contacts)
    meta: dict[str, Any] = field(default_factory=dict)
    schema_version: str = SCHEMA_VERSION

    @classmethod
    def empty(cls, **meta: Any) -> Rectification:
        """A result with nulls and empty lists: what a non-notice yields."""
        return cls(meta=dict(meta))

    @property
    def is_empty(self) -> bool:
        return not (self.kind or self.problems or self.outcomes or self.entities
                    or self.inspection.inspector)

    # -- serialisation ---------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict that validates against ``rectification.schema.json``."""
        data = _plain(self)
        for outcome in data["outcomes"]:
            for key in ("value", "lower", "upper"):
                if outcome[key] is not None:
                    outcome[key] = _clean_number(outcome[key])
        if data["summary"]["completion_rate"] is not None:
            data["summary"]["completion_rate"] = _clean_number(data["summary"]["completion_rate"])
        for entity in data["entities"]:
            if entity["score"] is None:
                del entity["score"]
        for rel in data["relations"]:
            if rel["score"] is None:
                del rel["score"]
        for outcome in data["outcomes"]:
            if outcome["score"] is None:
                del outcome["score"]
        return data

    def to_json(self, *, indent: int | None = 1) -> str:
        """JSON text (UTF-8 characters kept, not escaped)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_html(self, text: str, **options: Any) -> str:
        """A self-contained HTML review page of this result over ``text``, the string it was
        extracted from (see :func:`rectify_nlp.render.render_html` for ``title``/``findings``).

        There is no ``_repr_html_``: the result does not keep the text its offsets index.
        """
        from rectify_nlp.render import render_html

        return render_html(text, self, **options)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rectification:
        """Read a dict made by :meth:`to_dict` (or any schema-valid object) back."""
        return cls(
            kind=data.get("kind"),
            inspection=_build(Inspection, data.get("inspection") or {}),
            publisher=data.get("publisher"),
            published_date=data.get("published_date"),
            summary=_summary(data.get("summary") or {}),
            problems=[
                _build(Problem, {**p, "measures": [_build(TextSpan, m) for m in p.get("measures", [])]})
                for p in data.get("problems", [])
            ],
            outcomes=[_build(Outcome, o) for o in data.get("outcomes", [])],
            entities=[_build(Entity, e) for e in data.get("entities", [])],
            relations=[_build(Relation, r) for r in data.get("relations", [])],
            contacts=_build(Contacts, data.get("contacts") or {}),
            meta=dict(data.get("meta") or {}),
            schema_version=data.get("schema_version", SCHEMA_VERSION),
        )

    @classmethod
    def from_json(cls, text: str) -> Rectification:
        return cls.from_dict(json.loads(text))

    def audit(self) -> list[Finding]:
        """The notice checked against itself: every check of :mod:`rectify_nlp.audit`."""
        from rectify_nlp.audit import audit

        return audit(self)


def _summary(data: dict[str, Any]) -> Summary:
    """A :class:`Summary` from its dict, the ``spans`` read back as :class:`TextSpan`."""
    spans = data.get("spans") or {}
    return _build(Summary, {**data, "spans": {k: _build(TextSpan, v) for k, v in spans.items()}})


def _build(cls: type, data: dict[str, Any]) -> Any:
    """Instantiate a dataclass from a dict, ignoring keys it does not know."""
    names = {f.name for f in fields(cls)}
    return cls(**{k: v for k, v in data.items() if k in names})
