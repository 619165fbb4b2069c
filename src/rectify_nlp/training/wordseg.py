"""Word-boundary features for the character NER (issue 13, part 2): the B/M/E/S tag of every
character in a word segmentation of the Doc's text, embedded and concatenated with the usual
character embedding.

Importing this module registers ``rectify.WordBoundaryEmbed.v1`` (also an entry point of the
package). It imports neither jieba nor spacy-pkuseg: the segmenter named in the config is
loaded when the layer first sees Docs (or is initialised).

Segmenters (``segmenter``, ``segmenter_model``):

* ``"jieba"``: jieba's prefix dictionary + HMM (``hmm``); ``segmenter_model`` null = the
  ``dict.txt`` shipped in the jieba package (MIT), or the path of another jieba dictionary
  (``word freq [tag]`` lines). ``pip install rectify-nlp[wordseg]`` (or ``pip install jieba``).
* ``"pkuseg"``: a spacy-pkuseg model folder (``segmenter_model``, required: nothing is
  downloaded), e.g. one trained with ``spacy_pkuseg.train``; no user dictionary.

The segmenter is *not* stored in the trained model: loading and running a model trained with
this layer needs the same segmenter (jieba installed, the pkuseg folder at the same path).

A character's tag comes from the segment containing it: **B** first character of a word of
several, **M** inside one, **E** last one, **S** a one-character word; characters in no
segment (whitespace the segmenter drops) are **S**. A token of several characters gets B if
it starts a word and does not end one, E the reverse, S if it does both, M if neither.

>>> begins, ends = boundaries_from_words("巡察组 进驻", ["巡察组", "进驻"])
>>> tags_of_chars(begins, ends)
['B', 'M', 'E', 'S', 'B', 'E']
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable, Iterable
from typing import Any

import numpy
import spacy
from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.tokens import Doc
from thinc.api import Model, uniform_init
from thinc.types import Floats2d

from rectify_nlp.pipeline.features import mixed_embed

logger = logging.getLogger(__name__)

#: Tag ids: the rows of the tag embedding.
TAGS = ("B", "M", "E", "S")
#: A segmenter's cache of per-text boundaries holds at most this many characters, then
#: starts afresh (two booleans per character).
CACHE_CHARS = 5_000_000
SEGMENTERS = ("jieba", "pkuseg")


def boundaries_from_spans(n_chars: int,
                          spans: Iterable[tuple[int, int]]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """``(begins, ends)``: boolean arrays over ``n_chars`` characters, True where a segment
    ``(start, end)`` begins / where one ends (at its last character). Characters in no span
    are one-character segments (both True)."""
    begins = numpy.ones(n_chars, dtype=bool)
    ends = numpy.ones(n_chars, dtype=bool)
    for s, e in spans:
        if e - s > 1:
            begins[s + 1:e] = False
            ends[s:e - 1] = False
    return begins, ends


#: how far past skipped whitespace a word may be looked for (a segmenter that drops or
#: normalises a character must not send the search to the end of a long text)
_ALIGN_WINDOW = 8


def align_words(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """Character spans of ``words`` in ``text``, in order, each looked for just after the
    previous one (whitespace a segmenter dropped is skipped; the search never goes further than
    ``_ALIGN_WINDOW`` characters, so it is linear in the text); a word not found there is
    skipped, and its characters get no boundary of their own.

    >>> align_words("巡察 整改", ["巡察", "整改"])
    [(0, 2), (3, 5)]
    >>> align_words("巡察整改", ["巡察", "X", "整改"])
    [(0, 2), (2, 4)]
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    n = len(text)
    for w in words:
        if not w:
            continue
        while pos < n and text[pos].isspace() and not w[0].isspace():
            pos += 1
        i = text.find(w, pos, min(n, pos + _ALIGN_WINDOW + len(w)))
        if i < 0:
            continue
        spans.append((i, i + len(w)))
        pos = i + len(w)
    return spans


def boundaries_from_words(text: str, words: Iterable[str]) -> tuple[numpy.ndarray, numpy.ndarray]:
    """:func:`boundaries_from_spans` of ``words`` aligned to ``text``."""
    return boundaries_from_spans(len(text), align_words(text, words))


def tags_of_chars(begins: numpy.ndarray, ends: numpy.ndarray) -> list[str]:
    """The B/M/E/S letters of boolean boundary arrays (for reading and tests)."""
    return [TAGS[i] for i in tag_ids(begins, ends)]


def tag_ids(begins: numpy.ndarray, ends: numpy.ndarray) -> numpy.ndarray:
    """Tag ids (indices of :data:`TAGS`): B = begins only, M = neither, E = ends only, S = both."""
    b = begins.astype("int32")
    e = ends.astype("int32")
    # B=0 (1,0), M=1 (0,0), E=2 (0,1), S=3 (1,1)
    return numpy.where(b == 1, numpy.where(e == 1, 3, 0), numpy.where(e == 1, 2, 1)).astype("int32")


class Segmenter:
    """A word segmenter with a per-text cache of character boundaries."""

    def __init__(self, name: str, model: str | None = None, *, hmm: bool = True) -> None:
        if name not in SEGMENTERS:
            raise ValueError(f"segmenter must be one of {SEGMENTERS}, not {name!r}")
        self.name = name
        self.model = model or None
        self.hmm = hmm
        self._cut: Callable[[str], list[tuple[int, int]]] = self._load()
        self._cache: dict[str, tuple[numpy.ndarray, numpy.ndarray]] = {}
        self._cached_chars = 0

    def _load(self) -> Callable[[str], list[tuple[int, int]]]:
        if self.name == "jieba":
            if importlib.util.find_spec("jieba") is None:
                raise ImportError('segmenter = "jieba" needs the jieba package: '
                                  "pip install jieba (or rectify-nlp[wordseg])")
            import jieba

            tok = jieba.Tokenizer(self.model) if self.model else jieba.Tokenizer()
            hmm = self.hmm

            def cut_jieba(text: str) -> list[tuple[int, int]]:
                return [(s, e) for _, s, e in tok.tokenize(text, HMM=hmm)]
            return cut_jieba
        if importlib.util.find_spec("spacy_pkuseg") is None:
            raise ImportError('segmenter = "pkuseg" needs spacy-pkuseg: pip install spacy-pkuseg')
        if not self.model:
            raise ValueError('segmenter = "pkuseg" needs segmenter_model = the path of a '
                             "pkuseg model folder (nothing is downloaded)")
        import spacy_pkuseg

        seg = spacy_pkuseg.pkuseg(self.model, user_dict=None)

        def cut_pkuseg(text: str) -> list[tuple[int, int]]:
            return align_words(text, seg.cut(text))
        return cut_pkuseg

    def spans(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` character spans of the words of ``text`` (not cached)."""
        return self._cut(text) if text else []

    def boundaries(self, text: str) -> tuple[numpy.ndarray, numpy.ndarray]:
        """``(begins, ends)`` of ``text`` (:func:`boundaries_from_spans`), cached per text."""
        hit = self._cache.get(text)
        if hit is not None:
            return hit
        out = boundaries_from_spans(len(text), self.spans(text))
        if self._cached_chars + len(text) > CACHE_CHARS:
            self._cache.clear()
            self._cached_chars = 0
        self._cache[text] = out
        self._cached_chars += len(text)
        return out


_LOADED: dict[tuple[str, str | None, bool], Segmenter] = {}


def get_segmenter(name: str, model: str | None = None, *, hmm: bool = True) -> Segmenter:
    """The process-wide :class:`Segmenter` for these settings (loaded once)."""
    key = (name, model or None, hmm)
    seg = _LOADED.get(key)
    if seg is None:
        seg = _LOADED[key] = Segmenter(name, model, hmm=hmm)
        logger.info("segmenter %s (%s) loaded", name, model or "default")
    return seg


def doc_tag_ids(seg: Segmenter, doc: Doc) -> numpy.ndarray:
    """The tag id of every token of ``doc`` (see the module docstring for tokens of several
    characters)."""
    n = len(doc)
    if n == 0:
        return numpy.zeros(0, dtype="int32")
    begins, ends = seg.boundaries(doc.text)
    starts = numpy.fromiter((t.idx for t in doc), dtype="int64", count=n)
    lasts = starts + numpy.fromiter((max(len(t.text), 1) for t in doc), dtype="int64",
                                    count=n) - 1
    lasts = numpy.minimum(lasts, len(doc.text) - 1)
    return tag_ids(begins[starts], ends[lasts])


# -- the layer --------------------------------------------------------------------------------

def _segmenter_of(model: Model) -> Segmenter:
    a = model.attrs
    return get_segmenter(a["segmenter"], a["segmenter_model"] or None, hmm=a["hmm"])


def _tags_init(model: Model, X: Any = None, Y: Any = None) -> None:
    _segmenter_of(model)  # fail early, at initialisation, when the segmenter is missing
    if not model.has_param("E"):
        model.set_param("E", uniform_init(model.ops, (len(TAGS), model.get_dim("nO"))))


def _tags_forward(model: Model, docs: list[Doc],
                  is_train: bool) -> tuple[list[Floats2d], Callable]:
    ops = model.ops
    E = model.get_param("E")
    lengths = [len(doc) for doc in docs]
    seg = _segmenter_of(model)
    ids_np = (numpy.concatenate([doc_tag_ids(seg, doc) for doc in docs]) if docs
              else numpy.zeros(0, dtype="int32"))
    ids = ops.asarray1i(ids_np)
    output = E[ids]

    def backprop(d_outputs: list[Floats2d]) -> list[Doc]:
        if len(ids_np):
            d_out = ops.xp.concatenate(d_outputs, axis=0)
            dE = ops.alloc2f(*E.shape)
            ops.scatter_add(dE, ids, d_out)
            model.inc_grad("E", dE)
        return []

    return list(ops.unflatten(output, ops.asarray1i(lengths))), backprop


def word_boundary_tags(segmenter: str, width: int, *, segmenter_model: str | None = None,
                       hmm: bool = True) -> Model[list[Doc], list[Floats2d]]:
    """Docs -> ``(n_tokens, width)`` arrays: a learned embedding of each token's B/M/E/S tag in
    the segmentation by ``segmenter`` (``"jieba"`` or ``"pkuseg"``, ``segmenter_model``)."""
    if segmenter not in SEGMENTERS:
        raise ValueError(f"segmenter must be one of {SEGMENTERS}, not {segmenter!r}")
    if width < 1:
        raise ValueError("width must be positive")
    return Model("word_boundary_tags", _tags_forward, init=_tags_init, dims={"nO": width},
                 params={"E": None},
                 attrs={"segmenter": segmenter, "segmenter_model": segmenter_model or "",
                        "hmm": hmm})


@spacy.registry.architectures("rectify.WordBoundaryEmbed.v1")
def create_word_boundary_embed(width: int, attrs: list[str], rows: list[int],
                               include_static_vectors: bool = False, segmenter: str = "jieba",
                               segmenter_model: str | None = None, hmm: bool = True,
                               tag_width: int = 16) -> Model[list[Doc], list[Floats2d]]:
    """``spacy.MultiHashEmbed.v2`` (``width``, ``attrs``, ``rows``) concatenated with the
    embedded B/M/E/S word-boundary tag of each character (``tag_width``), mixed to ``width``
    by a layer-normalised Maxout (as ``rectify.CharLexiconEmbed.v1``).

    Config::

        [components.tok2vec.model.embed]
        @architectures = "rectify.WordBoundaryEmbed.v1"
        width = 96
        attrs = ["NORM","SHAPE"]
        rows = [8000,200]
        segmenter = "jieba"        # or "pkuseg"
        segmenter_model = null     # jieba: another dictionary; pkuseg: the model folder
        hmm = true                 # jieba's HMM for words not in the dictionary
        tag_width = 16
    """
    chars = MultiHashEmbed(width=width, attrs=attrs, rows=rows,
                           include_static_vectors=include_static_vectors)
    tags = word_boundary_tags(segmenter, tag_width, segmenter_model=segmenter_model, hmm=hmm)
    return mixed_embed([chars, tags], width + tag_width, width, "word_boundary_embed")


__all__ = ["SEGMENTERS", "TAGS", "Segmenter", "align_words", "boundaries_from_spans",
           "boundaries_from_words", "create_word_boundary_embed", "doc_tag_ids",
           "get_segmenter", "tag_ids", "tags_of_chars", "word_boundary_tags"]
