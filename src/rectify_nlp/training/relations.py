"""Training the relation component: corpus records → whole-notice ``Example`` s → spaCy's loop.

One ``Example`` per notice (relations span whole outline sections, so notices are not cut into
windows): the text is :func:`~rectify_nlp.text.clean.clean_text` of the record, as the
extractor sees it; the gold entities are mapped to clean offsets
(:meth:`CleanText.to_clean`, whitespace trimmed) and put, in the record's order, into
``doc.spans[spans_key]`` of both docs; the predicted doc also carries the notice's rule
analysis (``doc._.rectify_rules = analyze(clean.text, page_date=clean.page_date_text)``) and
the reference doc the gold relations (``doc._.relations``, indices into its span group).

* ``rectify.RelationCorpus.v1`` (reader): ``part="train"``/``"dev"``/``"all"``; without a dev
  file a stable ``holdout`` fraction of the *notices* is the dev set (``holdout = 0``: dev =
  train, for tiny corpora);
* :func:`train_relations`: spaCy's own training loop with ``resources/configs/relations.cfg``;
  returns (and optionally saves) a pipeline holding the one ``relations`` component, ready to
  be sourced into another pipeline::

      rel_nlp = train_relations("corpus/gold.jsonl", "/tmp/rel", max_steps=200)
      nlp.add_pipe("relations", source=rel_nlp)

>>> import spacy, rectify_nlp.training.relations
>>> spacy.registry.readers.get("rectify.RelationCorpus.v1").__name__
'create_relation_corpus_reader'
"""

from __future__ import annotations

import hashlib
import io
import logging
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import spacy

from rectify_nlp.corpus.records import RELATION_TYPES, CorpusRecord, write_jsonl
from rectify_nlp.pipeline.relations import SPANS_KEY
from rectify_nlp.rules.analysis import RuleAnalysis, analyze
from rectify_nlp.spans import ScoredRelation, Span
from rectify_nlp.text.clean import clean_text
from rectify_nlp.training.data import clean_entities

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.training import Example

logger = logging.getLogger(__name__)

#: The default relation training config shipped with the package.
RELATIONS_CONFIG = Path(__file__).resolve().parents[1] / "resources" / "configs" / "relations.cfg"

PARTS = ("train", "dev", "all")


@dataclass(frozen=True)
class RelationRecord:
    """One notice ready for relation training: clean text, gold entities and relations in
    clean offsets (``relations`` index ``entities``), and the rule analysis of the clean text.
    """

    id: str
    text: str
    entities: tuple[Span, ...]
    relations: tuple[ScoredRelation, ...]
    analysis: RuleAnalysis


def prepare_record(record: CorpusRecord) -> RelationRecord:
    """Clean ``record``'s text, map its entities and relations, run the rules.

    Entities that fall into dropped text are left out (and their relations with them); the
    others keep the record's order.

    >>> from rectify_nlp.corpus import CorpusRecord, EntityAnnotation, RelationAnnotation
    >>> rec = CorpusRecord("x", "８月至１０月，拆除违建３处。", (
    ...     EntityAnnotation(0, "DATE", 0, 6, "８月至１０月"),
    ...     EntityAnnotation(1, "OUTCOME", 7, 13, "拆除违建３处")),
    ...     (RelationAnnotation("DURING", 1, 0),))
    >>> rr = prepare_record(rec)
    >>> rr.text[:7], [e.text for e in rr.entities], rr.relations[0].head
    ('8月至10月,', ['8月至10月', '拆除违建3处'], 1)
    """
    clean = clean_text(record.text)
    mapped = clean_entities(record, clean)
    position = {e.id: i for i, e in enumerate(mapped)}
    entities = tuple(Span(e.start, e.end, e.label, e.text) for e in mapped)
    relations = []
    for r in record.relations:
        h, t = position.get(r.head), position.get(r.tail)
        if h is None or t is None or r.label not in RELATION_TYPES:
            logger.debug("%s: relation %s %d->%d lost in cleaning", record.id, r.label,
                         r.head, r.tail)
            continue
        relations.append(ScoredRelation(r.label, h, t))
    analysis = analyze(clean.text, page_date=clean.page_date_text)
    return RelationRecord(record.id, clean.text, entities, tuple(relations), analysis)


def _group(doc: Doc, entities: Sequence[Span]) -> tuple[list[Any], dict[int, int]]:
    """spaCy spans of ``entities`` (in order; those not on token boundaries dropped) and the
    map from entity index to group index."""
    spans, where = [], {}
    for i, e in enumerate(entities):
        sp = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
        if sp is None:
            logger.debug("entity %r at %d..%d is not on token boundaries", e.text, e.start,
                         e.end)
            continue
        where[i] = len(spans)
        spans.append(sp)
    return spans, where


def relation_docs(nlp: Language, rr: RelationRecord, spans_key: str = SPANS_KEY,
                  entities: Sequence[Span] | None = None) -> tuple[Doc, Doc]:
    """The predicted and reference docs of ``rr``.

    The predicted doc carries ``entities`` (default: the gold ones) in
    ``doc.spans[spans_key]`` and the rule analysis; the reference doc the gold entities and
    gold relations.
    """
    ref = nlp.make_doc(rr.text)
    gold_spans, where = _group(ref, rr.entities)
    ref.spans[spans_key] = gold_spans
    ref._.relations = [ScoredRelation(r.label, where[r.head], where[r.tail])
                       for r in rr.relations if r.head in where and r.tail in where]
    pred = nlp.make_doc(rr.text)
    pred.spans[spans_key] = _group(pred, rr.entities if entities is None else entities)[0]
    pred._.rectify_rules = rr.analysis
    return pred, ref


def relation_example(nlp: Language, rr: RelationRecord, spans_key: str = SPANS_KEY,
                     entities: Sequence[Span] | None = None) -> Example:
    """A training ``Example`` for ``rr`` (see :func:`relation_docs`)."""
    from spacy.training import Example

    return Example(*relation_docs(nlp, rr, spans_key, entities))


def holdout_ids(ids: Sequence[str], fraction: float) -> set[str]:
    """The record ids held out for dev: a stable hash picks about ``fraction`` of them (at
    least one, never all, when ``fraction > 0`` and there are two or more).

    >>> len(holdout_ids(["a", "b", "c", "d"], 0.25))
    1
    """
    if fraction <= 0 or len(ids) < 2:
        return set()
    scored = sorted((hashlib.sha1(i.encode("utf-8")).hexdigest(), i) for i in ids)
    n = max(1, min(len(ids) - 1, round(fraction * len(ids))))
    return {i for _, i in scored[:n]}


class RelationCorpus:
    """Callable ``nlp -> Iterator[Example]`` over one part of a corpus (module docstring).

    Records are cleaned and analysed once; each call builds fresh docs (shuffled for
    ``part="train"``).
    """

    def __init__(self, path: str | os.PathLike[str] | None, *,
                 dev_path: str | os.PathLike[str] | None = None, part: str = "train",
                 holdout: float = 0.25, spans_key: str = SPANS_KEY, limit: int = 0) -> None:
        if part not in PARTS:
            raise ValueError(f"part must be one of {PARTS}, got {part!r}")
        self.path = path
        self.dev_path = dev_path
        self.part = part
        self.holdout = holdout
        self.spans_key = spans_key
        self.limit = limit
        self._records: list[RelationRecord] | None = None
        self._calls = 0

    def records(self) -> list[RelationRecord]:
        """The prepared records of this part (cached)."""
        if self._records is None:
            self._records = [prepare_record(r) for r in self._load()]
        return self._records

    def _load(self) -> list[CorpusRecord]:
        from rectify_nlp.corpus import load_corpus

        if self.part == "dev" and self.dev_path is not None:
            return load_corpus(self.dev_path)
        if self.path is None:
            raise ValueError("rectify.RelationCorpus.v1: no corpus path (set paths.train)")
        records = load_corpus(self.path)
        if self.part == "all" or self.dev_path is not None:
            return records
        held = holdout_ids([r.id for r in records], self.holdout)
        if not held:
            if self.part == "dev":
                logger.warning("no dev hold-out (holdout=%s, %d records): dev = train",
                               self.holdout, len(records))
            return records
        return [r for r in records if (r.id in held) == (self.part == "dev")]

    def __call__(self, nlp: Language) -> Iterator[Example]:
        records = list(self.records())
        if self.part == "train":
            random.Random(self._calls).shuffle(records)
        self._calls += 1
        if self.limit:
            records = records[: self.limit]
        for rr in records:
            yield relation_example(nlp, rr, self.spans_key)


@spacy.registry.readers("rectify.RelationCorpus.v1")
def create_relation_corpus_reader(path: str | None, dev_path: str | None = None,
                                  part: str = "train", holdout: float = 0.25,
                                  spans_key: str = SPANS_KEY,
                                  limit: int = 0) -> Callable[[Language], Iterator[Example]]:
    """The relation corpus reader of ``relations.cfg`` (see :class:`RelationCorpus`)."""
    return RelationCorpus(path, dev_path=dev_path, part=part, holdout=holdout,
                          spans_key=spans_key, limit=limit)


def _as_path(data: str | os.PathLike[str] | Sequence[CorpusRecord], folder: Path,
             name: str) -> str:
    if isinstance(data, (str, os.PathLike)):
        return str(data)
    path = folder / f"{name}.jsonl"
    write_jsonl(list(data), path)
    return str(path)


def train_relations(corpus: str | os.PathLike[str] | Sequence[CorpusRecord],
                    output_dir: str | os.PathLike[str] | None = None, *,
                    config: str | os.PathLike[str] | None = None,
                    dev: str | os.PathLike[str] | Sequence[CorpusRecord] | None = None,
                    seed: int = 0, max_steps: int | None = None,
                    overrides: Mapping[str, Any] | None = None,
                    stdout: IO[str] | None = None, checkpoint: str = "best") -> Language:
    """Train the relation component on ``corpus`` and return the pipeline (best dev checkpoint).

    ``corpus``/``dev``: a corpus file :func:`rectify_nlp.corpus.load_corpus` reads, or a list
    of :class:`CorpusRecord`. Without ``dev``, ``corpora.dev.holdout`` of the notices is held
    out (``overrides={"corpora.train.holdout": 0, "corpora.dev.holdout": 0}``: train on all,
    dev = train). ``config``: default ``resources/configs/relations.cfg``; ``overrides``:
    ``{"section.key": value}`` (``seed``/``max_steps`` win). ``output_dir``: where to save
    the pipeline (else it is only returned). ``stdout``: spaCy's progress table (default: none).
    ``checkpoint``: ``"best"`` (best dev ``rel_f``) or ``"last"`` (the weights after the last
    step: no model selection, e.g. when dev = train).
    """
    if checkpoint not in ("best", "last"):
        raise ValueError(f"checkpoint must be 'best' or 'last', got {checkpoint!r}")
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    import rectify_nlp.pipeline.relations  # noqa: F401  (registers the factory)

    tmp = Path(tempfile.mkdtemp(prefix="rectify-rel-"))
    try:
        ov: dict[str, Any] = dict(overrides or {})
        ov["paths.train"] = _as_path(corpus, tmp, "train")
        ov["paths.dev"] = None if dev is None else _as_path(dev, tmp, "dev")
        ov["system.seed"] = int(seed)
        if max_steps is not None:
            ov["training.max_steps"] = int(max_steps)
        cfg = spacy.util.load_config(Path(config) if config is not None else RELATIONS_CONFIG,
                                     overrides=ov, interpolate=False)
        nlp = init_nlp(cfg, use_gpu=-1)
        stream = stdout if stdout is not None else io.StringIO()
        work = tmp / "out"
        work.mkdir()
        train_loop(nlp, work, use_gpu=-1, stdout=stream,
                   stderr=stream if stdout is not None else sys.stderr)
        best = work / f"model-{checkpoint}"
        if not best.exists():
            best = work / "model-last"
        # the saved config names no local file
        saved = spacy.util.load_config(best / "config.cfg", interpolate=False)
        for key in ("train", "dev"):
            saved["paths"][key] = None
        saved.to_disk(best / "config.cfg")
        if output_dir is not None:
            out = Path(output_dir)
            if out.exists() and any(out.iterdir()) and not (out / "config.cfg").exists():
                raise FileExistsError(f"{out} is not empty and holds no pipeline")
            if out.exists():
                shutil.rmtree(out)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(best), str(out))
            best = out
        return spacy.load(best)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


__all__ = ["RELATIONS_CONFIG", "RelationCorpus", "RelationRecord", "create_relation_corpus_reader",
           "holdout_ids", "prepare_record", "relation_docs", "relation_example",
           "train_relations"]
