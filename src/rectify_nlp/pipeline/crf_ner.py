"""A linear-chain CRF entity recogniser: the ``rectify_crf_ner`` component (issue 13).

spaCy's ``ner`` is transition-based: it reads the tok2vec and makes one move per token. This
component is the other classic of Chinese NER (the BiLSTM-CRF family): a ``Linear`` layer over
the tok2vec scores every token's BILUO tag (*emission* scores), learned *transition* scores
(tag → next tag, plus the first and the last tag) link them, training minimises the CRF's
negative log-likelihood of the gold tag sequence (forward-backward), and prediction is the
Viterbi path. Transitions that break BILUO (``O → I-X``, ``B-X → B-Y``, ``I-X → O``…) are
forbidden in training and decoding, so every predicted path is a valid set of entities
(``doc.ents``).

The tok2vec is any of the project's (``spacy.Tok2Vec.v2`` with the CNN or the BiLSTM encoder,
through a ``spacy.Tok2VecListener.v1``); ``ner_crf.cfg`` is ``ner.cfg`` with this component in
place of ``ner``. The CRF itself is numpy (batched over the documents of a batch), on the CPU
whatever the device of the tok2vec.

>>> tags = biluo_tags(["ORG"])
>>> tags
['O', 'B-ORG', 'I-ORG', 'L-ORG', 'U-ORG']
>>> allowed, first, last = allowed_transitions(tags)
>>> [tags[j] for j in range(len(tags)) if allowed[tags.index("B-ORG"), j]]
['I-ORG', 'L-ORG']
>>> [t for t, ok in zip(tags, first) if ok]
['O', 'B-ORG', 'U-ORG']
"""

# no ``from __future__ import annotations``: spaCy validates ``initialize``'s arguments against
# its signature with pydantic, which needs the annotations as objects
import itertools
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any, NamedTuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc
from spacy.training import (
    Example,
    biluo_tags_to_spans,
    validate_examples,
    validate_get_examples,
)
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Config, Linear, Model, chain, set_dropout_rate, with_array
from thinc.types import Floats2d

logger = logging.getLogger(__name__)

#: the score given to a forbidden transition (added in log space: exp(-1e4) is 0)
FORBIDDEN = -1e4

Array = numpy.ndarray


# -- the tag set -------------------------------------------------------------------------------

def biluo_tags(labels: Sequence[str]) -> list[str]:
    """``O`` then ``B-``, ``I-``, ``L-``, ``U-`` of each label, in the labels' order."""
    return ["O"] + [f"{p}-{label}" for label in labels for p in "BILU"]


def allowed_transitions(tags: Sequence[str]) -> tuple[Array, Array, Array]:
    """Which transitions keep a BILUO sequence valid: ``(allowed[i, j], first[j], last[i])``
    (tag ``i`` followed by tag ``j``; a sequence may start with ``j``; may end with ``i``)."""
    n = len(tags)
    allowed = numpy.zeros((n, n), dtype=bool)
    first = numpy.zeros(n, dtype=bool)
    last = numpy.zeros(n, dtype=bool)
    for i, a in enumerate(tags):
        a_prefix, _, a_label = a.partition("-")
        first[i] = a_prefix in ("O", "B", "U")
        last[i] = a_prefix in ("O", "L", "U")
        for j, b in enumerate(tags):
            b_prefix, _, b_label = b.partition("-")
            if a_prefix in ("B", "I"):  # inside an entity: go on or close it, same label
                allowed[i, j] = b_prefix in ("I", "L") and b_label == a_label
            else:  # outside: O, or open a new entity
                allowed[i, j] = b_prefix in ("O", "B", "U")
    return allowed, first, last


# -- the CRF (numpy, batched) ------------------------------------------------------------------

def _logsumexp(x: Array, axis: int) -> Array:
    top = x.max(axis=axis, keepdims=True)
    return (top + numpy.log(numpy.exp(x - top).sum(axis=axis, keepdims=True))).squeeze(axis)


def _pad(emissions: Sequence[Array]) -> tuple[Array, Array]:
    lengths = numpy.array([len(e) for e in emissions], dtype="int64")
    n_tags = emissions[0].shape[1]
    out = numpy.zeros((len(emissions), int(lengths.max()), n_tags), dtype="float64")
    for b, e in enumerate(emissions):
        out[b, :len(e)] = e
    return out, lengths


def crf_loss(emissions: Sequence[Array], gold: Sequence[Array], trans: Array, start: Array,
             end: Array) -> tuple[float, list[Array], Array, Array, Array]:
    """Negative log-likelihood of the ``gold`` tag ids under a linear-chain CRF, and its
    gradients: ``(loss, d_emissions, d_trans, d_start, d_end)``.

    ``emissions[b]`` is ``(n_b, T)`` (every ``n_b`` ≥ 1), ``gold[b]`` ``(n_b,)``; ``trans`` is
    ``(T, T)`` (from, to), ``start`` and ``end`` ``(T,)``; forbidden transitions are already
    in them (:data:`FORBIDDEN`). The loss is summed over the documents.
    """
    E, lengths = _pad(emissions)
    B, L, T = E.shape
    idx = numpy.arange(B)
    last_pos = lengths - 1
    # forward: alpha[b, i, t] = log-sum of the scores of all paths ending in t at i
    alpha = numpy.empty((B, L, T))
    alpha[:, 0] = start + E[:, 0]
    for i in range(1, L):
        step = _logsumexp(alpha[:, i - 1, :, None] + trans[None], axis=1) + E[:, i]
        alpha[:, i] = numpy.where((i < lengths)[:, None], step, alpha[:, i - 1])
    log_z = _logsumexp(alpha[idx, last_pos] + end, axis=1)
    # backward: beta[b, i, t] = log-sum of the scores of all continuations from t at i
    beta = numpy.zeros((B, L, T))
    beta[:, L - 1] = end
    for i in range(L - 2, -1, -1):
        step = _logsumexp(trans[None] + (E[:, i + 1] + beta[:, i + 1])[:, None, :], axis=2)
        beta[:, i] = numpy.where((i == last_pos)[:, None], end, step)
    valid = numpy.arange(L)[None, :] < lengths[:, None]  # (B, L)
    # past a document's end alpha and beta are placeholders: masked before exp, not after
    marginals = numpy.exp(numpy.where(valid[:, :, None], alpha + beta - log_z[:, None, None],
                                      -numpy.inf))
    # the gold paths' scores and their one-hot counts
    Y = numpy.zeros((B, L), dtype="int64")
    for b, g in enumerate(gold):
        Y[b, :len(g)] = g
    onehot = numpy.zeros((B, L, T))
    onehot[idx[:, None], numpy.arange(L)[None, :], Y] = 1.0
    onehot *= valid[:, :, None]
    gold_score = (start[Y[:, 0]] + (E * onehot).sum(axis=(1, 2)) + end[Y[idx, last_pos]])
    d_trans = numpy.zeros((T, T))
    for i in range(1, L):
        pair_ok = i < lengths
        if not pair_ok.any():
            break
        prev, cur = Y[pair_ok, i - 1], Y[pair_ok, i]
        gold_score[pair_ok] += trans[prev, cur]
        numpy.add.at(d_trans, (prev, cur), -1.0)
        xi = numpy.exp(alpha[pair_ok, i - 1, :, None] + trans[None]
                       + (E[pair_ok, i] + beta[pair_ok, i])[:, None, :]
                       - log_z[pair_ok, None, None])
        d_trans += xi.sum(axis=0)
    loss = float((log_z - gold_score).sum())
    d_e = marginals - onehot
    d_start = (marginals[:, 0] - onehot[:, 0]).sum(axis=0)
    d_end = (marginals[idx, last_pos] - onehot[idx, last_pos]).sum(axis=0)
    return loss, [d_e[b, :n] for b, n in enumerate(lengths)], d_trans, d_start, d_end


def viterbi(emissions: Sequence[Array], trans: Array, start: Array, end: Array) -> list[Array]:
    """The best tag-id path of each document (``emissions[b]``: ``(n_b, T)``; an empty
    document gives an empty path)."""
    paths: list[Array] = [numpy.zeros(0, dtype="int64") for _ in emissions]
    keep = [b for b, e in enumerate(emissions) if len(e)]
    if not keep:
        return paths
    E, lengths = _pad([emissions[b] for b in keep])
    B, L, T = E.shape
    score = start + E[:, 0]
    back = numpy.zeros((B, L, T), dtype="int64")
    for i in range(1, L):
        cand = score[:, :, None] + trans[None]  # (B, from, to)
        back[:, i] = cand.argmax(axis=1)
        score = numpy.where((i < lengths)[:, None], cand.max(axis=1) + E[:, i], score)
    best_last = (score + end).argmax(axis=1)
    for row, b in enumerate(keep):
        n = int(lengths[row])
        path = numpy.empty(n, dtype="int64")
        path[n - 1] = best_last[row]
        for i in range(n - 1, 0, -1):
            path[i - 1] = back[row, i, path[i]]
        paths[b] = path
    return paths


# -- the thinc model ---------------------------------------------------------------------------

@registry.architectures("rectify.CRFTagger.v1")
def build_crf_tagger(tok2vec: Model[list[Doc], list[Floats2d]],
                     nO: int | None = None) -> Model[list[Doc], list[Floats2d]]:
    """Emission scores (``tok2vec`` → ``Linear``, one row per token and ``nO`` tags) and the
    CRF's transition parameters ``trans`` (``nO × nO``), ``start`` and ``end`` (``nO``),
    initialised at zero. The forward pass gives the emissions; the component adds the CRF."""
    output = with_array(Linear(nO=nO))
    return Model("crf_tagger", _crf_forward, init=_crf_init, layers=[chain(tok2vec, output)],
                 dims={"nO": nO}, params={"trans": None, "start": None, "end": None},
                 refs={"tok2vec": tok2vec, "output": output})


def _crf_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d],
                                                                         Callable]:
    return model.layers[0](docs, is_train)


def _crf_init(model: Model, X: Any = None, Y: Any = None) -> None:
    n_tags = model.get_dim("nO")
    output = model.get_ref("output")
    output.layers[0].set_dim("nO", n_tags)
    model.layers[0].initialize(X=X)
    for name, shape in (("trans", (n_tags, n_tags)), ("start", (n_tags,)),
                        ("end", (n_tags,))):
        model.set_param(name, model.ops.alloc(shape, dtype="f"))


# -- the component -----------------------------------------------------------------------------

class _TagTable(NamedTuple):
    """What the component derives from its labels, kept until they change."""

    labels: tuple[str, ...]
    tags: list[str]
    index: dict[str, int]
    allowed: Array
    first: Array
    last: Array


class CRFEntityRecognizer(TrainablePipe):
    """Tags entities with a linear-chain CRF over BILUO tags (see the module docstring)."""

    def __init__(self, vocab: Vocab, model: Model, name: str = "ner", *,
                 scorer: Callable | None = None) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg: dict[str, Any] = {"labels": []}
        self.scorer = scorer
        self._table: _TagTable | None = None

    # labels
    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def tags(self) -> list[str]:
        """The BILUO tag names, in the order of the emission scores."""
        return self._tag_table().tags

    def _tag_table(self) -> _TagTable:
        """The tags, their ids and the allowed transitions of the present labels (cached)."""
        labels = self.labels
        if self._table is None or self._table.labels != labels:
            tags = biluo_tags(labels)
            self._table = _TagTable(labels, tags, {t: i for i, t in enumerate(tags)},
                                    *allowed_transitions(tags))
        return self._table

    def add_label(self, label: str) -> int:
        """Add an entity label (before :meth:`initialize`); 1 if new, 0 if known.

        The tag set is fixed once the model is initialised: fine-tuning a trained CRF on a new
        label raises ``ValueError`` (spaCy's transition-based ``ner`` can grow; train this one
        afresh with the new label)."""
        if not isinstance(label, str) or not label or "-" in label:
            raise ValueError(f"an entity label is a non-empty string without '-': {label!r}")
        if label in self.cfg["labels"]:
            return 0
        if self.model.has_dim("nO") and self.model.get_dim("nO"):
            raise ValueError(f"{self.name}: labels are fixed once the model is initialised "
                             f"(cannot add {label!r})")
        self.cfg["labels"].append(label)
        return 1

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *,
                   nlp: Language | None = None, labels: Sequence[str] | None = None) -> None:
        """Labels from ``labels``, else those added, else the examples' gold entities; then the
        model's shapes from a sample of the examples."""
        validate_get_examples(get_examples, "CRFEntityRecognizer.initialize")
        for label in labels or ():
            self.add_label(label)
        if not self.labels:
            found = sorted({e.label_ for eg in get_examples() for e in eg.reference.ents})
            for label in found:
                self.add_label(label)
        if not self.labels:
            raise ValueError(f"{self.name}: no entity label given or found in the examples")
        docs = [eg.predicted for eg in itertools.islice(get_examples(), 10)]
        self.model.set_dim("nO", len(self.tags))
        self.model.initialize(X=docs)

    # prediction
    def _constrained(self) -> tuple[Array, Array, Array]:
        """The transition parameters with the forbidden transitions added (numpy)."""
        table = self._tag_table()
        ops = self.model.ops
        trans, start, end = (ops.to_numpy(self.model.get_param(name)).astype("float64")
                             for name in ("trans", "start", "end"))
        return (numpy.where(table.allowed, trans, FORBIDDEN),
                numpy.where(table.first, start, FORBIDDEN),
                numpy.where(table.last, end, FORBIDDEN))

    def predict(self, docs: Iterable[Doc]) -> list[Array]:
        """The Viterbi tag ids of every document; a whitespace token is always ``O``, so no
        entity starts or ends on one (as in spaCy's ``ner``) nor runs across one."""
        docs = list(docs)
        if not docs:
            return []
        scores = self.model.predict(docs)
        trans, start, end = self._constrained()
        ops = self.model.ops
        emissions = []
        for doc, s in zip(docs, scores):
            e = ops.to_numpy(s).astype("float64")
            e[doc.to_array("IS_SPACE").astype(bool), 1:] = FORBIDDEN
            emissions.append(e)
        return viterbi(emissions, trans, start, end)

    def set_annotations(self, docs: Iterable[Doc], paths: list[Array]) -> None:
        tags = self.tags
        for doc, path in zip(docs, paths):
            doc.ents = biluo_tags_to_spans(doc, [tags[i] for i in path])

    # training
    def _gold(self, example: Example) -> Array | None:
        """The gold tag ids of the predicted tokens (a label this component does not know
        counts as ``O``); None when a token's gold tag is missing (no annotation, or no
        aligned token): this CRF learns from fully annotated documents only."""
        index = self._tag_table().index
        tags = example.get_aligned_ner()
        if any(t is None or t == "-" for t in tags):
            return None
        return numpy.array([index.get(t, 0) for t in tags], dtype="int64")

    def _loss(self, examples: Sequence[Example], scores: list[Floats2d],
              ) -> tuple[float, list[Floats2d], tuple[Array, Array, Array]]:
        ops = self.model.ops
        trans, start, end = self._constrained()
        table = self._tag_table()
        d_scores = [ops.alloc2f(*s.shape) for s in scores]
        keep, gold, skipped = [], [], 0
        for b, (eg, s) in enumerate(zip(examples, scores)):
            if not len(s):
                continue
            g = self._gold(eg)
            if g is None or not (table.first[g[0]] and table.last[g[-1]]
                                 and table.allowed[g[:-1], g[1:]].all()):
                skipped += 1
                continue
            keep.append(b)
            gold.append(g)
        if skipped:
            logger.warning("%s: %d of %d documents skipped in this batch: gold tags missing or "
                           "not valid BILUO (partly annotated, or misaligned tokens)",
                           self.name, skipped, len(examples))
        n_tags = len(table.tags)
        zero = (numpy.zeros((n_tags, n_tags)), numpy.zeros(n_tags), numpy.zeros(n_tags))
        if not keep:
            return 0.0, d_scores, zero
        loss, d_e, d_trans, d_start, d_end = crf_loss(
            [ops.to_numpy(scores[b]) for b in keep], gold, trans, start, end)
        for b, d in zip(keep, d_e):
            d_scores[b] = ops.asarray2f(d.astype("float32"))
        return loss, d_scores, (d_trans, d_start, d_end)

    def get_loss(self, examples: Iterable[Example], scores: list[Floats2d],
                 ) -> tuple[float, list[Floats2d]]:
        """The CRF's negative log-likelihood and its gradient for the emission scores."""
        loss, d_scores, _ = self._loss(list(examples), scores)
        return loss, d_scores

    def update(self, examples: Iterable[Example], *, drop: float = 0.0, sgd: Any = None,
               losses: dict[str, float] | None = None) -> dict[str, float]:
        """One gradient step on a batch (emissions through the tok2vec, and the transitions)."""
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "CRFEntityRecognizer.update")
        docs = [eg.predicted for eg in examples]
        if not any(len(doc) for doc in docs):
            return losses
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update(docs)
        loss, d_scores, (d_trans, d_start, d_end) = self._loss(examples, scores)
        backprop(d_scores)
        ops = self.model.ops
        for name, grad in (("trans", d_trans), ("start", d_start), ("end", d_end)):
            self.model.inc_grad(name, ops.asarray(grad.astype("float32")))
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses


DEFAULT_CRF_MODEL = """
[model]
@architectures = "rectify.CRFTagger.v1"
nO = null

[model.tok2vec]
@architectures = "spacy.Tok2VecListener.v1"
width = 96
upstream = "*"
"""


@Language.factory("rectify_crf_ner", assigns=["doc.ents"],
                  default_config={"model": Config().from_str(DEFAULT_CRF_MODEL)["model"],
                                  "scorer": {"@scorers": "spacy.ner_scorer.v1"}},
                  default_score_weights={"ents_f": 1.0, "ents_p": 0.0, "ents_r": 0.0,
                                         "ents_per_type": None})
def make_crf_ner(nlp: Language, name: str, model: Model, scorer: Callable | None,
                 ) -> CRFEntityRecognizer:
    """The ``rectify_crf_ner`` factory (the model: ``rectify.CRFTagger.v1``)."""
    return CRFEntityRecognizer(nlp.vocab, model, name, scorer=scorer)


__all__ = ["CRFEntityRecognizer", "FORBIDDEN", "allowed_transitions", "biluo_tags",
           "build_crf_tagger", "crf_loss", "make_crf_ner", "viterbi"]
