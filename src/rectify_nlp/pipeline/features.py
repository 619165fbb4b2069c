"""Extra embeddings for the character-token NER model (config variants).

Importing this module registers two spaCy architectures:

* ``rectify.RuleFeatureEmbed.v1`` (used by ``resources/configs/ner_rules.cfg``): the usual
  ``spacy.MultiHashEmbed.v2`` output concatenated with embeddings of the rule layer's per-token
  features (:mod:`rectify_nlp.pipeline.rule_features`, one small table per channel), mixed
  back down to ``width``. A doc without features is read as "the rules found nothing".
* ``rectify.CharBigramEmbed.v1``: it is
used by ``resources/configs/ner_bigram.cfg``: with one token per character, the left bigram
(previous + current character) and the right bigram (current + next character) of each token
are hashed to 64-bit ids and embedded with thinc ``HashEmbed`` tables; the two bigram vectors
are concatenated with the usual ``spacy.MultiHashEmbed.v2`` output (NORM, SHAPE) and mixed
back down to ``width`` by a layer-normalised Maxout, so the encoder sees ``width`` as before.

>>> import rectify_nlp.pipeline.features, spacy
>>> spacy.registry.architectures.get("rectify.CharBigramEmbed.v1").__name__
'create_char_bigram_embed'
>>> spacy.registry.architectures.get("rectify.RuleFeatureEmbed.v1").__name__
'create_rule_feature_embed'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy
import spacy
from spacy.ml.models.tok2vec import MultiHashEmbed
from spacy.strings import hash_string
from spacy.tokens import Doc
from thinc.api import Embed, HashEmbed, Maxout, Model, chain, concatenate, with_array
from thinc.types import Floats2d, Ints2d

BOS = "\x02"
"""Stand-in for the character before the first token."""
EOS = "\x03"
"""Stand-in for the character after the last token."""


def bigram_ids(words: Sequence[str]) -> numpy.ndarray:
    """``(n, 2)`` uint64 array: hash of (previous + current) and (current + next) token text.

    >>> ids = bigram_ids(["巡", "察", "组"])
    >>> ids.shape, ids.dtype.name
    ((3, 2), 'uint64')
    >>> bool(ids[0, 1] == ids[1, 0])  # "巡察" is the right bigram of 巡, the left one of 察
    True
    """
    n = len(words)
    out = numpy.zeros((n, 2), dtype="uint64")
    for i, cur in enumerate(words):
        prev = words[i - 1] if i > 0 else BOS
        nxt = words[i + 1] if i + 1 < n else EOS
        out[i, 0] = hash_string(prev + cur)
        out[i, 1] = hash_string(cur + nxt)
    return out


def _extract_bigrams_forward(model: Model[list[Doc], list[Ints2d]], docs: list[Doc],
                             is_train: bool) -> tuple[list[Ints2d], Callable]:
    ops = model.ops
    ids = [ops.asarray2i(bigram_ids([t.text for t in doc]), dtype="uint64") for doc in docs]

    def backprop(d_ids: list[Ints2d]) -> list[Doc]:
        return []

    return ids, backprop


def extract_bigrams() -> Model[list[Doc], list[Ints2d]]:
    """Docs -> one ``(n_tokens, 2)`` uint64 array of bigram hashes per doc."""
    return Model("extract_char_bigrams", _extract_bigrams_forward)


def char_bigram_embed(width: int, rows: int, seed: int = 17) -> Model[list[Doc], list[Floats2d]]:
    """Docs -> ``(n_tokens, 2 * width)`` arrays: left and right bigram embeddings."""
    tables = concatenate(HashEmbed(width, rows, column=0, seed=seed),
                         HashEmbed(width, rows, column=1, seed=seed + 1))
    return chain(extract_bigrams(), with_array(tables))  # type: ignore[arg-type]


@spacy.registry.architectures("rectify.CharBigramEmbed.v1")
def create_char_bigram_embed(width: int, attrs: list[str], rows: list[int],
                             include_static_vectors: bool = False, bigram_width: int = 64,
                             bigram_rows: int = 20000) -> Model[list[Doc], list[Floats2d]]:
    """``spacy.MultiHashEmbed.v2`` (``width``, ``attrs``, ``rows``) plus left/right character
    bigram embeddings (``bigram_width`` each, ``bigram_rows`` hash rows), mixed to ``width``.

    Config::

        [components.tok2vec.model.embed]
        @architectures = "rectify.CharBigramEmbed.v1"
        width = 96
        attrs = ["NORM","SHAPE"]
        rows = [8000,200]
        bigram_width = 64
        bigram_rows = 20000
    """
    if bigram_width < 1 or bigram_rows < 1:
        raise ValueError("bigram_width and bigram_rows must be positive")
    multi = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=include_static_vectors)
    return mixed_embed([multi, char_bigram_embed(bigram_width, bigram_rows)],
                       width + 2 * bigram_width, width, "char_bigram_embed")


def mixed_embed(branches: Sequence[Model[list[Doc], list[Floats2d]]], n_in: int, width: int,
                name: str) -> Model[list[Doc], list[Floats2d]]:
    """The character embedding ``branches`` side by side (``n_in`` columns in all), mixed to
    ``width`` by a layer-normalised Maxout: how every extra character feature (bigrams,
    SoftLexicon sets, word-boundary tags) joins spaCy's ``MultiHashEmbed``."""
    model: Model[list[Doc], list[Floats2d]] = chain(
        concatenate(*branches) if len(branches) > 1 else branches[0],
        with_array(Maxout(width, n_in, nP=3, normalize=True, dropout=0.0)),  # type: ignore[arg-type]
    )
    model.set_dim("nO", width)
    model.name = name
    return model


def _extract_rule_features_forward(model: Model[list[Doc], list[Ints2d]], docs: list[Doc],
                                   is_train: bool) -> tuple[list[Ints2d], Callable]:
    from rectify_nlp.pipeline.rule_features import doc_features

    ops = model.ops
    feats = [ops.asarray2i(doc_features(doc), dtype="int32") for doc in docs]

    def backprop(d_feats: list[Ints2d]) -> list[Doc]:
        return []

    return feats, backprop


def extract_rule_features() -> Model[list[Doc], list[Ints2d]]:
    """Docs -> one ``(n_tokens, n_channels)`` int32 array of rule features per doc (zeros for
    a doc without features)."""
    return Model("extract_rule_features", _extract_rule_features_forward)


def rule_feature_embed(width: int) -> Model[list[Doc], list[Floats2d]]:
    """Docs -> ``(n_tokens, n_channels * width)`` arrays: one embedding table per channel."""
    from rectify_nlp.pipeline.rule_features import CHANNEL_SIZES

    tables = concatenate(*(Embed(width, n, column=i) for i, n in enumerate(CHANNEL_SIZES)))
    return chain(extract_rule_features(), with_array(tables))  # type: ignore[arg-type]


@spacy.registry.architectures("rectify.RuleFeatureEmbed.v1")
def create_rule_feature_embed(width: int, attrs: list[str], rows: list[int],
                              include_static_vectors: bool = False,
                              feature_width: int = 16) -> Model[list[Doc], list[Floats2d]]:
    """``spacy.MultiHashEmbed.v2`` (``width``, ``attrs``, ``rows``) plus an embedding of
    ``feature_width`` per rule-feature channel, mixed to ``width`` by a layer-normalised Maxout.

    Config::

        [components.tok2vec.model.embed]
        @architectures = "rectify.RuleFeatureEmbed.v1"
        width = 96
        attrs = ["NORM","SHAPE"]
        rows = [8000,200]
        feature_width = 16
    """
    from rectify_nlp.pipeline.rule_features import CHANNEL_SIZES

    if feature_width < 1:
        raise ValueError("feature_width must be positive")
    multi = MultiHashEmbed(width=width, attrs=attrs, rows=rows,
                           include_static_vectors=include_static_vectors)
    n_in = width + len(CHANNEL_SIZES) * feature_width
    mix = Maxout(width, n_in, nP=3, normalize=True, dropout=0.0)
    model: Model[list[Doc], list[Floats2d]] = chain(
        concatenate(multi, rule_feature_embed(feature_width)),
        with_array(mix),  # type: ignore[arg-type]
    )
    model.set_dim("nO", width)
    model.name = "rule_feature_embed"
    return model


__all__ = ["BOS", "EOS", "bigram_ids", "char_bigram_embed", "create_char_bigram_embed",
           "create_rule_feature_embed", "extract_bigrams", "extract_rule_features",
           "rule_feature_embed"]


# the ``rectify_rule_features`` component belongs with its embedding: importing this module
# (as rectify_nlp.pipeline.components does) registers the factory too (circular, but
# rule_features needs nothing from this module at import time)
import rectify_nlp.pipeline.rule_features  # noqa: E402, F401
