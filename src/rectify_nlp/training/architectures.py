"""Registered NER architectures of issue 13, part 2: a character BiLSTM encoder and
SoftLexicon-style dictionary features.

Importing this module registers two spaCy architectures (it imports no torch; torch is
imported when a config *builds* the BiLSTM):

* ``rectify.CharLexiconEmbed.v1``: the usual ``spacy.MultiHashEmbed.v2`` character
  embedding (NORM, SHAPE), optionally concatenated with hashed left/right character-bigram
  embeddings (``bigram_width``; as ``rectify.CharBigramEmbed.v1``) and with **SoftLexicon
  features** (``lexicon``; Ma et al. 2020, "Simplify the Usage of Lexicon in Chinese NER"):
  for every character, the dictionary words that *Begin* at it, that it is in the *Middle*
  of, that *End* at it, and the *Single*-character word it is, four sets; each set is the mean
  of hashed word embeddings (``lexicon_width`` each, at most ``max_words`` words per set,
  longest first) plus ``log(1 + size of the set)``. Everything is mixed down to ``width`` by a
  layer-normalised Maxout, so the encoder sees ``width`` as with ``MultiHashEmbed``.
* ``rectify.BiLSTMEncoder.v1``: input dropout (``[training] dropout``), then ``depth`` bidirectional LSTM layers
  (torch ``nn.LSTM`` through thinc's ``PyTorchLSTM``/``PyTorchRNNWrapper``, ``width // 2``
  units each way) with a residual connection: ``List[Floats2d] -> List[Floats2d]`` of the same
  width, a drop-in for ``spacy.MaxoutWindowEncoder.v2`` in ``spacy.Tok2Vec.v2``. It runs on
  thinc's current device (``rectify train --gpu-id 0``: CUDA).

The dictionary (``lexicon``): ``"jieba"`` reads ``dict.txt`` of the installed ``jieba``
package (MIT; ``word freq tag`` lines, 349 046 words), any other string is a file of one
word per line, optionally followed by a frequency (``.gz`` allowed). It is read when the
model is *initialised* (``rectify train``) and then stored inside the model
(``nlp.to_disk``), so a trained pipeline loads without jieba or the file.

>>> lex = Lexicon.from_words(["巡察", "巡察组", "察组", "组"])
>>> for char, (b, m, e, s) in zip("巡察组", lex.sets("巡察组")):
...     print(char, "B", b, "M", m, "E", e, "S", s)
巡 B ['巡察', '巡察组'] M [] E [] S []
察 B ['察组'] M ['巡察组'] E ['巡察'] S []
组 B [] M [] E ['巡察组', '察组'] S ['组']
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import math
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy
import spacy
import srsly
from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.strings import hash_string
from spacy.tokens import Doc
from thinc.api import (
    Dropout,
    HashEmbed,
    Model,
    chain,
    deserialize_attr,
    residual,
    serialize_attr,
    with_array,
)
from thinc.types import Floats2d

from rectify_nlp.pipeline.features import char_bigram_embed, mixed_embed

logger = logging.getLogger(__name__)

#: The four SoftLexicon sets, in the order of the feature blocks.
SETS = ("B", "M", "E", "S")
#: The per-lexicon cache of SoftLexicon arrays holds at most this many tokens (~200 bytes
#: each with ``max_words = 4``), then starts afresh.
CACHE_TOKENS = 1_000_000


# -- the dictionary ---------------------------------------------------------------------------

def jieba_dict_path() -> Path:
    """Path of ``dict.txt`` in the installed ``jieba`` package (not imported).

    Raises ``FileNotFoundError`` when jieba is not installed (``pip install jieba``).
    """
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise FileNotFoundError("lexicon = \"jieba\" needs the jieba package (pip install jieba)"
                                " or a word-list path")
    path = Path(spec.origin).parent / "dict.txt"
    if not path.exists():
        raise FileNotFoundError(f"no dict.txt in the jieba package ({path.parent})")
    return path


def read_word_list(path: str | os.PathLike[str], *, min_freq: int = 0,
                   max_len: int = 8) -> dict[str, int]:
    """``word -> frequency`` from a word list: one word per line, optionally followed by
    whitespace and an integer frequency (jieba's ``word freq tag``); ``#`` lines and blank
    lines skipped; a missing frequency counts as 1. Words longer than ``max_len`` characters
    or rarer than ``min_freq`` are left out; a repeated word keeps its largest frequency."""
    p = Path(path)
    opener: Callable[..., Any] = gzip.open if p.suffix == ".gz" else open
    words: dict[str, int] = {}
    with opener(p, "rt", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if not parts or parts[0].startswith("#"):
                continue
            word = parts[0]
            try:
                freq = int(parts[1]) if len(parts) > 1 else 1
            except ValueError:
                freq = 1
            if len(word) > max_len or freq < min_freq:
                continue
            if freq > words.get(word, -1):
                words[word] = freq
    return words


class Lexicon:
    """A dictionary of words with frequencies, and the SoftLexicon sets of a text.

    Stored inside the thinc model (``serialize_attr``), so it travels with the pipeline.
    """

    def __init__(self, words: dict[str, int] | None = None, source: str | None = None) -> None:
        self.words: dict[str, int] = dict(words or {})
        self.source = source
        self.max_len = max((len(w) for w in self.words), default=0)
        self._hashes: dict[str, int] = {}
        #: SoftLexicon arrays of texts already seen (training revisits them every epoch)
        self._cache: dict[tuple[str, int, tuple[int, ...]], tuple[numpy.ndarray, ...]] = {}
        self._cached_tokens = 0

    @classmethod
    def from_words(cls, words: Iterable[str], source: str | None = None) -> Lexicon:
        """A lexicon of ``words`` (frequency 1 each)."""
        return cls({w: 1 for w in words if w}, source=source)

    @classmethod
    def load(cls, spec: str, *, min_freq: int = 0, max_len: int = 8) -> Lexicon:
        """``"jieba"`` (jieba's ``dict.txt``) or a word-list path (see :func:`read_word_list`)."""
        path = jieba_dict_path() if spec == "jieba" else Path(spec)
        lex = cls(read_word_list(path, min_freq=min_freq, max_len=max_len), source=spec)
        logger.info("lexicon %s: %d words up to %d characters", spec, len(lex), lex.max_len)
        return lex

    def __len__(self) -> int:
        return len(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def word_hash(self, word: str) -> int:
        """The 64-bit hash a word is embedded by (cached)."""
        h = self._hashes.get(word)
        if h is None:
            h = self._hashes[word] = hash_string("\x04" + word)
        return h

    def matches(self, text: str) -> list[tuple[int, int]]:
        """``(start, end)`` character spans of ``text`` that are dictionary words (every
        occurrence, overlapping, single characters included), by start then end."""
        out: list[tuple[int, int]] = []
        words, n, longest = self.words, len(text), self.max_len
        for i in range(n):
            for j in range(i + 1, min(n, i + longest) + 1):
                if text[i:j] in words:
                    out.append((i, j))
        return out

    def sets(self, text: str) -> list[list[list[str]]]:
        """For every character of ``text``: its B, M, E and S word lists (dictionary words
        that begin at it, contain it strictly inside, end at it, or are it)."""
        out: list[list[list[str]]] = [[[], [], [], []] for _ in text]
        for s, e in self.matches(text):
            word = text[s:e]
            if e - s == 1:
                out[s][3].append(word)
                continue
            out[s][0].append(word)
            for k in range(s + 1, e - 1):
                out[k][1].append(word)
            out[e - 1][2].append(word)
        return out

    def to_bytes(self) -> bytes:
        """msgpack of the words and frequencies (for the model file)."""
        return srsly.msgpack_dumps({"words": list(self.words), "freqs": list(self.words.values()),
                                    "source": self.source})

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        """Inverse of :meth:`to_bytes`."""
        msg = srsly.msgpack_loads(data)
        return cls(dict(zip(msg["words"], msg["freqs"])), source=msg.get("source"))


@serialize_attr.register(Lexicon)
def _serialize_lexicon(_: Lexicon, value: Lexicon, name: str, model: Model) -> bytes:
    return value.to_bytes()


@deserialize_attr.register(Lexicon)
def _deserialize_lexicon(_: Lexicon, value: bytes, name: str, model: Model) -> Lexicon:
    return Lexicon.from_bytes(value)


# -- SoftLexicon features ---------------------------------------------------------------------

def soft_lexicon_arrays(lexicon: Lexicon, doc: Doc,
                        max_words: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """The SoftLexicon inputs of one doc, per token (a token of several characters takes the
    sets of its first character for B, of its last for E, the union for M and S):

    * ``ids``: ``(n_tokens, 4, max_words)`` uint64 word hashes (0 where no word);
    * ``weights``: ``(n_tokens, 4, max_words)`` float32, ``1 / k`` on the ``k`` kept words of
      a set (their mean), 0 elsewhere; the longest words are kept, then the most frequent;
    * ``counts``: ``(n_tokens, 4)`` float32, ``log(1 + number of words in the set)`` (all of
      them, also those beyond ``max_words``).
    """
    key = (doc.text, max_words, tuple(t.idx for t in doc))
    hit = lexicon._cache.get(key)
    if hit is not None:
        return hit[0], hit[1], hit[2]
    arrays = _soft_lexicon_arrays(lexicon, doc, max_words)
    if lexicon._cached_tokens + len(doc) > CACHE_TOKENS:
        lexicon._cache.clear()
        lexicon._cached_tokens = 0
    lexicon._cache[key] = arrays
    lexicon._cached_tokens += len(doc)
    return arrays


def _soft_lexicon_arrays(lexicon: Lexicon, doc: Doc,
                         max_words: int) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    n = len(doc)
    ids = numpy.zeros((n, 4, max_words), dtype="uint64")
    weights = numpy.zeros((n, 4, max_words), dtype="float32")
    counts = numpy.zeros((n, 4), dtype="float32")
    if n == 0 or not lexicon:
        return ids, weights, counts
    text = doc.text
    char_sets = lexicon.sets(text)
    for t, token in enumerate(doc):
        a, b = token.idx, token.idx + len(token.text)
        if a >= b:
            continue
        per_set: list[list[str]] = [
            char_sets[a][0],
            sorted({w for k in range(a, b) for w in char_sets[k][1]}),
            char_sets[b - 1][2],
            sorted({w for k in range(a, b) for w in char_sets[k][3]}),
        ]
        for s, words in enumerate(per_set):
            if not words:
                continue
            counts[t, s] = math.log1p(len(words))
            kept = sorted(set(words), key=lambda w: (-len(w), -lexicon.words.get(w, 0), w))
            kept = kept[:max_words]
            for k, w in enumerate(kept):
                ids[t, s, k] = lexicon.word_hash(w)
                weights[t, s, k] = 1.0 / len(kept)
    return ids, weights, counts


def _soft_lexicon_init(model: Model, X: Any = None, Y: Any = None) -> None:
    lex: Lexicon = model.attrs["lexicon"]
    if not lex and model.attrs["lexicon_spec"]:
        model.attrs["lexicon"] = Lexicon.load(model.attrs["lexicon_spec"],
                                              min_freq=model.attrs["min_freq"],
                                              max_len=model.attrs["max_word_len"])
    model.get_ref("embed").initialize()


def _soft_lexicon_forward(model: Model, docs: list[Doc],
                          is_train: bool) -> tuple[list[Floats2d], Callable]:
    ops = model.ops
    lex: Lexicon = model.attrs["lexicon"]
    K: int = model.attrs["max_words"]
    embed = model.get_ref("embed")
    lw = embed.get_dim("nO")
    lengths = [len(doc) for doc in docs]
    total = sum(lengths)
    n_out = 4 * lw + 4
    if total == 0:
        empty = [ops.alloc2f(n, n_out) for n in lengths]
        return empty, lambda d: []
    parts = [soft_lexicon_arrays(lex, doc, K) for doc in docs]
    ids = numpy.concatenate([p[0] for p in parts]).reshape(-1, 1)
    weights = ops.asarray(numpy.concatenate([p[1] for p in parts]).reshape(total, 4, K, 1))
    counts = ops.asarray(numpy.concatenate([p[2] for p in parts]))
    vectors, bp_embed = embed(ops.asarray(ids, dtype="uint64"), is_train)
    pooled = (vectors.reshape(total, 4, K, lw) * weights).sum(axis=2).reshape(total, 4 * lw)
    output = ops.xp.concatenate([pooled, counts], axis=1).astype("float32")

    def backprop(d_outputs: list[Floats2d]) -> list[Doc]:
        d_out = ops.xp.concatenate(d_outputs, axis=0) if len(d_outputs) > 1 else d_outputs[0]
        d_pooled = d_out[:, : 4 * lw].reshape(total, 4, 1, lw)
        d_vectors = (d_pooled * weights).reshape(total * 4 * K, lw)
        bp_embed(ops.asarray2f(d_vectors))
        return []

    return list(ops.unflatten(output, ops.asarray1i(lengths))), backprop


def soft_lexicon_embed(lexicon: str | None, width: int, rows: int, *, max_words: int = 4,
                       max_word_len: int = 8, min_freq: int = 0,
                       seed: int = 23) -> Model[list[Doc], list[Floats2d]]:
    """Docs -> ``(n_tokens, 4 * width + 4)`` arrays: the mean hashed embedding of each
    SoftLexicon set (B, M, E, S) and ``log(1 + set size)`` of each (see module docstring).

    ``lexicon``: ``"jieba"`` or a word-list path, read at initialisation; ``None`` or ``""``
    leaves the dictionary empty (all features zero) unless one is loaded into the model.
    """
    if width < 1 or rows < 1 or max_words < 1 or max_word_len < 1:
        raise ValueError("width, rows, max_words and max_word_len must be positive")
    embed = HashEmbed(width, rows, column=0, seed=seed)
    model: Model[list[Doc], list[Floats2d]] = Model(
        "soft_lexicon", _soft_lexicon_forward, init=_soft_lexicon_init, layers=[embed],
        refs={"embed": embed}, dims={"nO": 4 * width + 4},
        attrs={"lexicon": Lexicon(), "lexicon_spec": lexicon or "", "max_words": max_words,
               "max_word_len": max_word_len, "min_freq": min_freq})
    return model


@spacy.registry.architectures("rectify.CharLexiconEmbed.v1")
def create_char_lexicon_embed(width: int, attrs: list[str], rows: list[int],
                              include_static_vectors: bool = False, bigram_width: int = 64,
                              bigram_rows: int = 20000, lexicon: str | None = "jieba",
                              lexicon_width: int = 32, lexicon_rows: int = 100000,
                              max_words: int = 4, max_word_len: int = 8,
                              min_freq: int = 0) -> Model[list[Doc], list[Floats2d]]:
    """``spacy.MultiHashEmbed.v2`` (``width``, ``attrs``, ``rows``), plus left/right character
    bigram embeddings (``bigram_width`` each; 0: none), plus SoftLexicon features of
    ``lexicon`` (``lexicon_width`` per set; ``null``: none), mixed to ``width``.

    Config::

        [components.tok2vec.model.embed]
        @architectures = "rectify.CharLexiconEmbed.v1"
        width = 128
        attrs = ["NORM","SHAPE"]
        rows = [8000,200]
        bigram_width = 64
        bigram_rows = 20000
        lexicon = "jieba"          # or a word-list path, or null
        lexicon_width = 32
        lexicon_rows = 100000
        max_words = 4
        max_word_len = 8
        min_freq = 0
    """
    if bigram_width < 0:
        raise ValueError("bigram_width must be >= 0")
    branches: list[Model] = [MultiHashEmbed(width=width, attrs=attrs, rows=rows,
                                            include_static_vectors=include_static_vectors)]
    n_in = width
    if bigram_width:
        branches.append(char_bigram_embed(bigram_width, bigram_rows))
        n_in += 2 * bigram_width
    if lexicon:
        branches.append(soft_lexicon_embed(lexicon, lexicon_width, lexicon_rows,
                                           max_words=max_words, max_word_len=max_word_len,
                                           min_freq=min_freq))
        n_in += 4 * lexicon_width + 4
    return mixed_embed(branches, n_in, width, "char_lexicon_embed")


# -- the BiLSTM encoder -----------------------------------------------------------------------

@spacy.registry.architectures("rectify.BiLSTMEncoder.v1")
def create_bilstm_encoder(width: int, depth: int = 2, dropout: float = 0.2,
                          use_residual: bool = True) -> Model[list[Floats2d], list[Floats2d]]:
    """``depth`` bidirectional LSTM layers of ``width // 2`` units each way over each doc's
    rows (``width`` in, ``width`` out), ``dropout`` between layers (torch's own), with a
    residual connection around the LSTM when ``use_residual``. Needs torch. The input goes
    through a thinc ``Dropout`` whose rate spaCy sets to ``[training] dropout`` while training.

    Config::

        [components.tok2vec.model.encode]
        @architectures = "rectify.BiLSTMEncoder.v1"
        width = 128
        depth = 2
        dropout = 0.2
        use_residual = true
    """
    from thinc.api import PyTorchLSTM, with_padded

    if width < 2 or width % 2:
        raise ValueError("width must be an even number >= 2 (half each way)")
    if depth < 1:
        raise ValueError("depth must be >= 1")
    lstm: Model = with_padded(PyTorchLSTM(width, width, bi=True, depth=depth,
                                          dropout=dropout if depth > 1 else 0.0))
    body: Model = residual(lstm) if use_residual else lstm
    model: Model[list[Floats2d], list[Floats2d]] = chain(
        with_array(Dropout(0.1)), body)  # type: ignore[arg-type]
    model.set_dim("nO", width)
    model.name = "bilstm_encoder"
    return model


__all__ = ["SETS", "Lexicon", "create_bilstm_encoder", "create_char_lexicon_embed",
           "jieba_dict_path", "read_word_list", "soft_lexicon_arrays", "soft_lexicon_embed"]

