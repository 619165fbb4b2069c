"""The public entry point: :func:`load` an :class:`Extractor`, call it on notices.

The pipeline, step by step (one package each)::

    io.read        bytes/file   → str                (decode UTF-8/GBK/BOM; reject binary)
    text.clean     str          → CleanText          (strip HTML and boilerplate, normalise;
                                                       keeps an offset map to the original)
    rules          CleanText    → RuleAnalysis       (outline, header, dates, outcomes …)
    pipeline       CleanText    → spaCy Docs         (character tokens, the rules' findings as
                                                       features, NER over chunks, relations
                                                       over the whole notice)
    assemble       all of it    → Rectification      (rule and model entities combined,
                                                       fields read off the relations,
                                                       offsets mapped back to the original)

>>> import rectify_nlp
>>> nlp = rectify_nlp.load("rules")
>>> nlp("今天天气很好。").kind is None
True
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import pickle
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rectify_nlp import __version__
from rectify_nlp.assemble.build import assemble
from rectify_nlp.assemble.entities import combine_entities
from rectify_nlp.assemble.relations import structural_relations
from rectify_nlp.errors import RectifyError, RectifyInputError, RectifyModelError
from rectify_nlp.io.read import decode_bytes, read_text
from rectify_nlp.pipeline.language import (
    BLANK_NAME,
    BLANK_VERSION,
    DEFAULT_CHUNK_CHARS,
    blank_pipeline,
    char_doc,
    chunk_text,
    pipes_by_factory,
    uses_char_tokens,
)
from rectify_nlp.rules.analysis import RuleAnalysis, analyze
from rectify_nlp.schema import ENTITY_LABELS, Rectification
from rectify_nlp.spans import ScoredRelation, Span
from rectify_nlp.text.clean import CleanText, clean_text

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc

logger = logging.getLogger(__name__)

#: Where the shipped default pipeline lives (the repository's ``models/`` folder).
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "rectify_zh"
MODEL_ENV = "RECTIFY_MODEL"

TextInput = str | bytes | bytearray | memoryview
#: factories whose components do not tag entities over chunks
_NOT_ENTITY_FACTORIES = frozenset({"rectify_decide", "rectify_relations", "rectify_rules",
                                   "rectify_links"})


class Extractor:
    """Turns notice texts into :class:`~rectify_nlp.schema.Rectification` objects.

    Build it with :func:`load`. Calling it on one text returns one result; :meth:`pipe`
    streams many. The wrapped spaCy pipeline is ``extractor.nlp``.

    ``nlp=None`` is the rule layer alone (``load("rules")``): it runs no spaCy component, so
    its (blank) spaCy pipeline is made only when ``extractor.nlp`` is asked for, and extracting
    with it never imports spaCy (a command's start-up, and each worker's, stays short).
    """

    def __init__(self, nlp: Language | None, *, path: str | None = None,
                 chunk_chars: int = DEFAULT_CHUNK_CHARS) -> None:
        self._nlp = nlp
        self.path = path
        self.chunk_chars = chunk_chars
        #: how rule and model entities combine, per label (see rectify_nlp.assemble.entities)
        self.policy: dict[str, str] | str | None = None
        self._relations_pipe: str | None = None
        self._rule_features = False
        #: worker processes are spawned, not forked, for a torch (transformer) pipeline
        self._uses_torch = False
        if nlp is not None:
            self.policy = nlp.config.get("rectify", {}).get("combine")
            self._relations_pipe = next(iter(pipes_by_factory(nlp, "rectify_relations")), None)
            self._rule_features = bool(pipes_by_factory(nlp, "rectify_rule_features"))
            self._uses_torch = "TransformerTok2Vec" in nlp.config.to_str()

    @property
    def nlp(self) -> Language:
        """The spaCy pipeline (for the rule layer alone, a blank one, made on first use)."""
        if self._nlp is None:
            self._nlp = blank_pipeline()
        return self._nlp

    @property
    def meta(self) -> dict[str, Any]:
        """The pipeline's ``meta.json`` (name, version…); the rule layer's without making
        its blank pipeline."""
        if self._nlp is None:
            return {"name": BLANK_NAME, "version": BLANK_VERSION}
        return dict(self._nlp.meta)

    @property
    def pipe_names(self) -> list[str]:
        """The pipeline's components, in order (none for the rule layer alone)."""
        return [] if self._nlp is None else list(self._nlp.pipe_names)

    @property
    def name(self) -> str:
        return str(self.meta.get("name", "rectify"))

    @property
    def has_model(self) -> bool:
        """Whether the pipeline has components (a trained model), not just the tokenizer."""
        return bool(self.pipe_names)

    @property
    def entity_components(self) -> list[str]:
        """The components that tag entities over chunks of the text (a tok2vec and an ner);
        empty for the rule layer and for a deciding pipeline (rules → decide → links)."""
        return list(self._entity_pipes)

    @property
    def _entity_pipes(self) -> list[str]:
        return [n for n in self.pipe_names
                if self.nlp.get_pipe_meta(n).factory not in _NOT_ENTITY_FACTORIES]

    @property
    def _rules_pipe(self) -> str | None:
        """The rule component: a pipeline that has one runs whole in spaCy (_run_pipeline)."""
        if self._nlp is None:
            return None
        return next(iter(pipes_by_factory(self._nlp, "rectify_rules")), None)

    def __repr__(self) -> str:
        return f"Extractor(name={self.name!r}, components={self.pipe_names}, path={self.path!r})"

    # -- single text -------------------------------------------------------------------
    def __call__(self, text: TextInput, *, source: str | None = None) -> Rectification:
        """Extract one notice. ``text`` is a ``str`` or raw ``bytes`` (decoded here).

        Raises :class:`RectifyInputError` for bytes that are not text. Text that is not a
        notice gives an empty result (nulls and empty lists), never an exception.
        """
        return next(iter(self._run([(text, source)], batch_size=1)))

    def extract_file(self, path: str | os.PathLike[str]) -> Rectification:
        """Read, decode and extract one file (UTF-8, GBK/GB18030, HTML…)."""
        return self(read_text(path), source=str(path))

    # -- many texts ----------------------------------------------------------------------
    def pipe(self, texts: Iterable[TextInput], *, batch_size: int = 16,
             n_process: int = 1) -> Iterator[Rectification]:
        """Extract many texts, in order, streaming (the input is read lazily).

        ``n_process > 1`` runs worker processes (each loads the pipeline once); at most a few
        batches are in flight, so a long generator is never read ahead. An input that cannot
        be read raises :class:`RectifyInputError` in order; use :meth:`pipe_files` to get
        per-item errors instead.
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if n_process < 1:
            raise ValueError("n_process must be at least 1")
        if n_process == 1:
            yield from self._run(((t, None) for t in texts), batch_size=batch_size)
            return
        for result in _bounded_pool_map(self._spec(), _worker_extract, texts, n_process,
                                        window=n_process * batch_size,
                                        mp_spawn=self._uses_torch):
            if isinstance(result, BaseException):
                raise result
            yield result

    def pipe_files(self, paths: Iterable[str | os.PathLike[str]], *, n_process: int = 1,
                   max_bytes: int | None = None) -> Iterator[FileResult]:
        """Read and extract files, in order; a file that fails gives its error, not an exception.

        >>> import rectify_nlp
        >>> [r.error for r in rectify_nlp.load("rules").pipe_files(["missing.txt"])]
        ['missing.txt: no such file']
        """
        jobs = ((str(p), max_bytes) for p in paths)
        if n_process <= 1:
            _init_worker(None, self)
            try:
                yield from map(_worker_file, jobs)
            finally:
                _init_worker(None, None)
            return
        yield from _bounded_pool_map(self._spec(), _worker_file, jobs, n_process,
                                     window=n_process * 4, mp_spawn=self._uses_torch)

    # -- internals ---------------------------------------------------------------------
    def _run(self, items: Iterable[tuple[TextInput, str | None]],
             batch_size: int) -> Iterator[Rectification]:
        batch: list[tuple[TextInput, str | None]] = []
        for item in items:
            batch.append(item)
            if len(batch) >= batch_size:
                yield from self._run_batch(batch)
                batch = []
        if batch:
            yield from self._run_batch(batch)

    def _run_batch(self, batch: list[tuple[TextInput, str | None]]) -> Iterator[Rectification]:
        cleaned = [clean_text(_as_text(text, source)) for text, source in batch]
        if self._rules_pipe is not None:
            yield from self._run_pipeline(batch, cleaned)
            return
        analyses = [analyze(c.text, page_date=c.page_date_text) for c in cleaned]
        model_spans, chunks = self._model_spans(cleaned, analyses)
        for (_, source), clean, analysis, spans, n_chunks in zip(
                batch, cleaned, analyses, model_spans, chunks):
            meta = self._meta(source, clean, n_chunks)
            if not analysis.is_notice:
                yield assemble(clean, analysis, meta=meta)
                continue
            entities = combine_entities(analysis.entity_spans(), spans, self.policy)
            relations = self._relations(clean, analysis, entities)
            yield assemble(clean, analysis, entities, relations, meta=meta)

    def _meta(self, source: str | None, clean: CleanText, chunks: int) -> dict[str, Any]:
        return {"source": source, "characters": len(clean.original), "is_html": clean.is_html,
                "boilerplate_lines_dropped": len(clean.dropped), "pipeline": self.name,
                "components": self.pipe_names, "version": __version__,
                "chunks": chunks}

    def _run_pipeline(self, batch: list[tuple[TextInput, str | None]],
                      cleaned: list[CleanText]) -> Iterator[Rectification]:
        """One spaCy pipeline does it all (``rectify_rules`` first): a ``Doc`` of each clean
        text goes through ``nlp.pipe``; assembly reads the analysis, the entities and the
        relations the components left on it."""
        from rectify_nlp.pipeline.components import set_doc_text

        fast = uses_char_tokens(self.nlp)  # spaCy's own char tokenizer is quadratic in length
        docs = []
        for c in cleaned:
            doc = char_doc(self.nlp.vocab, c.text) if fast else self.nlp.make_doc(c.text)
            set_doc_text(doc, c.text)
            doc._.rectify_page_date = c.page_date_text
            docs.append(doc)
        for (_, source), clean, doc in zip(batch, cleaned, self.nlp.pipe(docs)):
            analysis: RuleAnalysis = doc._.rectify_rules
            meta = self._meta(source, clean, 0)
            if not analysis.is_notice:
                yield assemble(clean, analysis, meta=meta)
                continue
            entities = list(doc._.rectify_entities or [])
            relations = doc._.relations
            if relations is None:
                relations = structural_relations(clean.text, entities, analysis)
            yield assemble(clean, analysis, entities, relations, meta=meta)

    def _model_spans(self, cleaned: list[CleanText], analyses: list[RuleAnalysis],
                     ) -> tuple[list[list[Span]], list[int]]:
        """Run the spaCy entity components over every chunk of every notice.

        Returns the model's spans (clean offsets) and the number of chunks, per text. Chunks
        carry the rule layer's findings on the whole notice as features when the pipeline
        reads them (``rectify_rule_features``).
        """
        out: list[list[Span]] = [[] for _ in cleaned]
        chunks = [0] * len(cleaned)
        if not self._entity_pipes:
            return out, chunks
        pieces = [(i, offset, piece) for i, c in enumerate(cleaned) if analyses[i].is_notice
                  for offset, piece in chunk_text(c.text, self.chunk_chars)]
        for i, _, _ in pieces:
            chunks[i] += 1
        features: dict[int, Any] = {}  # whole-notice rule features, computed once per notice
        docs = (self._chunk_doc(p, analyses[i], offset, features, i, len(cleaned[i].text))
                for i, offset, p in pieces)
        disable = [n for n in self.nlp.pipe_names if n not in self._entity_pipes]
        for (i, offset, _), doc in zip(pieces, self.nlp.pipe(docs, batch_size=8,
                                                             disable=disable)):
            for ent in doc.ents:
                if ent.label_ in ENTITY_LABELS:
                    out[i].append(Span(ent.start_char, ent.end_char, ent.label_, ent.text,
                                       source="model").shift(offset))
        return out, chunks

    def _chunk_doc(self, piece: str, analysis: RuleAnalysis, offset: int,
                   features: dict[int, Any], key: int, length: int) -> Doc:
        doc = self.nlp.make_doc(piece)
        if self._rule_features:
            from rectify_nlp.pipeline.rule_features import char_features, set_char_features

            if key not in features:
                features.clear()  # chunks come notice by notice: keep one notice's array
                features[key] = char_features(analysis, 0, length)
            set_char_features(doc, features[key][offset:offset + len(piece)])
        return doc

    def _relations(self, clean: CleanText, analysis: RuleAnalysis,
                   entities: list[Span]) -> list[ScoredRelation]:
        """The relation component's relations over ``entities``; without one, the
        structural rules'."""
        if self._relations_pipe is None:
            return structural_relations(clean.text, entities, analysis)
        pipe = self.nlp.get_pipe(self._relations_pipe)
        doc = self.nlp.make_doc(clean.text)
        group, back = [], []
        for i, e in enumerate(entities):
            span = doc.char_span(e.start, e.end, label=e.label, alignment_mode="expand")
            if span is not None:
                group.append(span)
                back.append(i)
        doc.spans[getattr(pipe, "spans_key", "rectify_entities")] = group
        doc._.rectify_rules = analysis
        doc = pipe(doc)
        return [ScoredRelation(r.label, back[r.head], back[r.tail], r.score)
                for r in (doc._.relations or [])]

    def _spec(self) -> bytes:
        return pickle.dumps(self)


def _as_text(text: TextInput, source: str | None) -> str:
    if isinstance(text, (bytes, bytearray, memoryview)):
        return decode_bytes(bytes(text), source=source)
    if isinstance(text, str):
        return text
    raise TypeError(f"expected str or bytes, got {type(text).__name__}")


@dataclass(frozen=True)
class FileResult:
    """The outcome of one file in :meth:`Extractor.pipe_files`: a result or an error message."""

    path: str
    result: Rectification | None
    error: str | None


_WORKER: Extractor | None = None  # the extractor of a worker process (one per process)


def _init_worker(spec: bytes | None, extractor: Extractor | None = None) -> None:
    """Set up a worker: load the pickled extractor; leave Ctrl-C to the parent process."""
    global _WORKER
    if spec is not None:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if hasattr(signal, "pthread_sigmask"):  # born with SIGINT blocked (_sigint_blocked)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        extractor = pickle.loads(spec)
    _WORKER = extractor


@contextlib.contextmanager
def _sigint_blocked() -> Iterator[None]:
    """Block SIGINT in this thread for the duration: worker processes started meanwhile (the
    pool starts them inside ``submit``) inherit the mask, so a Ctrl-C during their start-up
    cannot kill one before :func:`_init_worker` makes it ignore Ctrl-C (a worker killed while
    holding the pool's queue lock would hang the others, and the parent waiting for them)."""
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - Windows
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _worker_extract(text: TextInput) -> Rectification | BaseException:
    assert _WORKER is not None  # noqa: S101
    try:
        return _WORKER(text)
    except RectifyError as exc:  # raised in order by the parent
        return exc


def _worker_file(job: tuple[str, int | None]) -> FileResult:
    assert _WORKER is not None  # noqa: S101
    path, max_bytes = job
    try:
        return FileResult(path, _WORKER(read_text(path, max_bytes=max_bytes), source=path), None)
    except RectifyError as exc:
        msg = str(exc)
        return FileResult(path, None, msg if msg.startswith(path) else f"{path}: {msg}")
    except Exception as exc:  # one bad file must not stop the others
        logger.exception("internal error on %s", path)
        return FileResult(path, None, f"{path}: internal error: {type(exc).__name__}: {exc}")


def _bounded_pool_map(spec: bytes, fn: Callable[[Any], Any], items: Iterable[Any],
                      n_process: int, *, window: int, mp_spawn: bool = False) -> Iterator[Any]:
    """``map(fn, items)`` over worker processes, in order, with at most ``window`` in flight.

    On Ctrl-C (or any error) the queued jobs are cancelled and only the few running ones are
    waited for, so an interrupt returns promptly.
    """
    # a torch model in a forked child can deadlock on the parent's thread pool: spawn then
    context = multiprocessing.get_context("spawn") if mp_spawn else None
    pool = ProcessPoolExecutor(max_workers=n_process, initializer=_init_worker,
                               initargs=(spec,), mp_context=context)
    pending: deque[Future[Any]] = deque()
    try:
        for item in items:
            with _sigint_blocked():
                pending.append(pool.submit(fn, item))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def load(name_or_path: str | os.PathLike[str] | None = None, **kwargs: Any) -> Extractor:
    """Load an extractor.

    * ``None``: the pipeline named by ``$RECTIFY_MODEL``, else the shipped default in
      ``models/rectify_zh``, else the rule layer alone;
    * ``"rules"``: the rule layer alone (no model, no torch);
    * a folder: a spaCy pipeline saved with ``nlp.to_disk`` (e.g. one ``rectify train`` wrote).

    Nothing is ever downloaded.
    """
    if name_or_path is None:
        env = os.environ.get(MODEL_ENV)
        if env:
            name_or_path = env
        elif (DEFAULT_MODEL_DIR / "config.cfg").exists():
            name_or_path = DEFAULT_MODEL_DIR
        else:
            name_or_path = "rules"
    if str(name_or_path) == "rules":
        return Extractor(None, path="rules", **kwargs)
    path = Path(name_or_path)
    if not (path / "config.cfg").exists():
        raise RectifyModelError(f"no pipeline at {path}: expected a folder with config.cfg "
                                "(or use 'rules' for the rule layer alone)")
    try:
        import spacy

        import rectify_nlp.decide.component  # noqa: F401  (registers factories)
        import rectify_nlp.pipeline.components  # noqa: F401
        nlp = spacy.load(path)
    except Exception as exc:  # spaCy raises many types for broken folders
        raise RectifyModelError(f"cannot load pipeline at {path}: {exc}") from exc
    return Extractor(nlp, path=str(path), **kwargs)


def extract(text: TextInput, *, model: str | os.PathLike[str] | None = None) -> Rectification:
    """One-off extraction: ``load(model)(text)``. For many texts, keep the extractor."""
    return load(model)(text)


__all__ = ["Extractor", "FileResult", "RectifyInputError", "extract", "load"]
