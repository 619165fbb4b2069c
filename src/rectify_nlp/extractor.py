"""The public entry point: :func:`load` an :class:`Extractor`, call it on notices.

The pipeline, step by step (one package each)::

    io.read        bytes/file   → str                (decode UTF-8/GBK/BOM; reject binary)
    text.clean     str          → CleanText          (strip HTML and boilerplate, normalise;
                                                       keeps an offset map to the original)
    pipeline       CleanText    → spaCy Docs         (character tokens, model components,
                                                       long texts in chunks)
    rules          CleanText    → RuleAnalysis       (outline, header, dates, outcomes …)
    assemble       all of it    → Rectification      (offsets mapped back to the original)

>>> import rectify_nlp
>>> nlp = rectify_nlp.load("rules")
>>> nlp("今天天气很好。").kind is None
True
"""

from __future__ import annotations

import logging
import os
import pickle
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from rectify_nlp import __version__
from rectify_nlp.assemble.build import assemble
from rectify_nlp.errors import RectifyInputError, RectifyModelError
from rectify_nlp.io.read import decode_bytes, read_text
from rectify_nlp.pipeline.language import DEFAULT_CHUNK_CHARS, blank_pipeline, chunk_text
from rectify_nlp.rules.analysis import analyze
from rectify_nlp.schema import ENTITY_LABELS, Rectification
from rectify_nlp.spans import Span
from rectify_nlp.text.clean import CleanText, clean_text

logger = logging.getLogger(__name__)

#: Where the shipped default pipeline lives (the repository's ``models/`` folder).
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "rectify_zh"
MODEL_ENV = "RECTIFY_MODEL"

TextInput = str | bytes


class Extractor:
    """Turns notice texts into :class:`~rectify_nlp.schema.Rectification` objects.

    Build it with :func:`load`. Calling it on one text returns one result; :meth:`pipe`
    streams many. The wrapped spaCy pipeline is ``extractor.nlp``.
    """

    def __init__(self, nlp: Language, *, path: str | None = None,
                 chunk_chars: int = DEFAULT_CHUNK_CHARS) -> None:
        self.nlp = nlp
        self.path = path
        self.chunk_chars = chunk_chars

    @property
    def name(self) -> str:
        return str(self.nlp.meta.get("name", "rectify"))

    @property
    def has_model(self) -> bool:
        """Whether the pipeline has components (a trained model), not just the tokenizer."""
        return bool(self.nlp.pipe_names)

    def __repr__(self) -> str:
        return f"Extractor(name={self.name!r}, components={self.nlp.pipe_names}, path={self.path!r})"

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
        """Extract many texts, in order, streaming.

        ``n_process > 1`` runs worker processes (each loads the pipeline once).
        """
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        if n_process < 1:
            raise ValueError("n_process must be at least 1")
        items = ((t, None) for t in texts)
        if n_process == 1:
            yield from self._run(items, batch_size=batch_size)
            return
        with ProcessPoolExecutor(max_workers=n_process, initializer=_init_worker,
                                 initargs=(self._spec(),)) as pool:
            yield from pool.map(_worker_extract, (t for t, _ in items), chunksize=batch_size)

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
        cleaned: list[tuple[CleanText, str | None]] = []
        for text, source in batch:
            cleaned.append((clean_text(_as_text(text, source)), source))
        model_spans = self._model_spans([c for c, _ in cleaned])
        for (clean, source), spans in zip(cleaned, model_spans):
            analysis = analyze(clean.text, page_date=clean.page_date_text)
            meta: dict[str, Any] = {
                "source": source, "characters": len(clean.original),
                "is_html": clean.is_html, "boilerplate_lines_dropped": len(clean.dropped),
                "pipeline": self.name, "components": list(self.nlp.pipe_names),
                "version": __version__,
                "chunks": max(1, -(-len(clean.text) // self.chunk_chars)) if self.has_model else 0,
            }
            yield assemble(clean, analysis, spans, meta=meta)

    def _model_spans(self, cleaned: list[CleanText]) -> list[list[Span]]:
        """Run the spaCy components over every chunk of every text; spans in clean offsets."""
        out: list[list[Span]] = [[] for _ in cleaned]
        if not self.has_model:
            return out
        pieces = [(i, offset, piece) for i, c in enumerate(cleaned)
                  for offset, piece in chunk_text(c.text, self.chunk_chars)]
        docs = self.nlp.pipe((p for _, _, p in pieces), batch_size=8)
        for (i, offset, _), doc in zip(pieces, docs):
            for ent in doc.ents:
                if ent.label_ in ENTITY_LABELS:
                    out[i].append(Span(ent.start_char, ent.end_char, ent.label_, ent.text,
                                       source="model").shift(offset))
        return out

    def _spec(self) -> bytes:
        return pickle.dumps(self)


def _as_text(text: TextInput, source: str | None) -> str:
    if isinstance(text, bytes):
        return decode_bytes(text, source=source)
    if isinstance(text, str):
        return text
    raise TypeError(f"expected str or bytes, got {type(text).__name__}")


_WORKER: Extractor | None = None


def _init_worker(spec: bytes) -> None:  # pragma: no cover - runs in a child process
    global _WORKER
    _WORKER = pickle.loads(spec)


def _worker_extract(text: TextInput) -> Rectification:  # pragma: no cover - child process
    assert _WORKER is not None  # noqa: S101
    return _WORKER(text)


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
        return Extractor(blank_pipeline(), path="rules", **kwargs)
    path = Path(name_or_path)
    if not (path / "config.cfg").exists():
        raise RectifyModelError(f"no pipeline at {path}: expected a folder with config.cfg "
                                "(or use 'rules' for the rule layer alone)")
    try:
        import rectify_nlp.pipeline.components  # noqa: F401  (registers factories)
        nlp = spacy.load(path)
    except Exception as exc:  # spaCy raises many types for broken folders
        raise RectifyModelError(f"cannot load pipeline at {path}: {exc}") from exc
    return Extractor(nlp, path=str(path), **kwargs)


def extract(text: TextInput, *, model: str | os.PathLike[str] | None = None) -> Rectification:
    """One-off extraction: ``load(model)(text)``. For many texts, keep the extractor."""
    return load(model)(text)


__all__ = ["Extractor", "RectifyInputError", "extract", "load"]
