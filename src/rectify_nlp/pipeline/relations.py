"""The trainable relation component: ``INSPECTS``, ``ADDRESSES`` and ``DURING`` between entities.

The structural rules (:mod:`rectify_nlp.assemble.relations`) link an outcome to the outline
problem that contains it, to the nearest date before it in its sentence, and the header's
inspection group to its targets. This component *learns* the same decisions from annotated
notices, with the structural rule as one of its features, so it can override the rule where
the genre's house styles break it (a date after the outcome, an outcome under a heading the
outline parser missed, a second inspection sentence).

How it works, per doc:

1. entities are read from ``doc.spans[spans_key]`` (a span group; spans may overlap; a
   relation's ``head``/``tail`` index that group's order); without that group, from
   ``doc.ents`` (which are then written to the group so the indices mean something);
2. the notice's rule analysis is ``doc._.rectify_rules`` (set by the ``rectify_rules``
   component), else :func:`~rectify_nlp.rules.analysis.analyze` of ``doc.text``;
3. :func:`candidate_pairs` proposes a bounded set of (label, head, tail) pairs — each OUTCOME
   with the ``addresses_k`` nearest PROBLEMs starting before it, with the ``during_k``
   nearest DATEs within ``during_max_chars``; each ORG with the ``inspects_k`` nearest ORGs
   within ``inspects_max_chars`` (both directions) — plus every pair the structural rule
   predicts. The cost is linear in the number of entities (times k);
4. :func:`pair_features` describes each pair with hashed string features (distance,
   direction, boundaries and same-label entities between, the characters between and around,
   the outline position, the structural rule's verdict, the header sentence);
5. ``rectify.RelationModel.v1`` scores each pair with one sigmoid per relation label (a sparse
   linear model plus a small MLP over summed feature embeddings, optionally with pooled
   head/tail vectors from a tok2vec);
6. decoding: ``ADDRESSES`` and ``DURING`` keep at most one tail per OUTCOME (the best above the
   label's threshold); ``INSPECTS`` keeps every pair above the threshold (of a pair predicted
   both ways, the higher-scoring direction). ``doc._.relations`` gets the
   :class:`~rectify_nlp.spans.ScoredRelation` list, with the probabilities as ``score``.

>>> import spacy
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
>>> rel = nlp.add_pipe("rectify_relations", name="relations")
>>> rel.labels
('INSPECTS', 'ADDRESSES', 'DURING')
"""

from __future__ import annotations

import bisect
import logging
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy
import srsly
from spacy import registry
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.strings import hash_string
from spacy.tokens import Doc, SpanGroup
from spacy.training import Example
from spacy.util import SimpleFrozenList, ensure_path
from thinc.api import (
    Dropout,
    HashEmbed,
    Linear,
    Model,
    Optimizer,
    Relu,
    SparseLinear_v2,
    set_dropout_rate,
)
from thinc.types import Floats2d

import rectify_nlp.pipeline.components  # noqa: F401  (registers doc._.rectify_rules)
from rectify_nlp.assemble.relations import EntityIndex, link_problems, structural_relations
from rectify_nlp.rules.analysis import RuleAnalysis, analyze
from rectify_nlp.spans import ScoredRelation, Span

logger = logging.getLogger(__name__)

#: Default span group holding the entities the relations are predicted over.
SPANS_KEY = "rectify_entities"
#: The relation labels, in the model's output order.
LABELS: tuple[str, ...] = ("INSPECTS", "ADDRESSES", "DURING")
#: (head label, tail label) of each relation label.
RELATION_TYPES: dict[str, tuple[str, str]] = {
    "INSPECTS": ("ORG", "ORG"),
    "ADDRESSES": ("OUTCOME", "PROBLEM"),
    "DURING": ("OUTCOME", "DATE"),
}
#: Labels whose head takes at most one tail (the best one above threshold).
ONE_TAIL_PER_HEAD: frozenset[str] = frozenset({"ADDRESSES", "DURING"})

if not Doc.has_extension("relations"):
    Doc.set_extension("relations", default=None)

_SENT_END_CHARS = "。;；!！?？"
_CLAUSE_CHARS = ",，、:："
_NGRAM_EDGE = 6  # characters kept at each end of the text between head and tail


# -- candidates -------------------------------------------------------------------------------
@dataclass(frozen=True)
class CandidateLimits:
    """How many candidate tails each head gets (see :func:`candidate_pairs`).

    >>> CandidateLimits().addresses_k
    5
    """

    addresses_k: int = 5
    during_k: int = 3
    during_max_chars: int = 150
    inspects_k: int = 3
    inspects_max_chars: int = 80

    def __post_init__(self) -> None:
        for name in ("addresses_k", "during_k", "during_max_chars", "inspects_k",
                     "inspects_max_chars"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")


@dataclass(frozen=True)
class Candidate:
    """A pair to score: ``label`` from entity ``head`` to entity ``tail`` (indices).

    ``rank``: the tail's place among the head's candidates of that label by character gap
    (0 = nearest); ``structural``: the structural rule predicts the pair.
    """

    label: str
    head: int
    tail: int
    rank: int = 0
    structural: bool = False


def char_gap(a: Span, b: Span) -> int:
    """Characters between two spans (0 when they touch or overlap).

    >>> char_gap(Span(0, 2, "X", "ab"), Span(5, 6, "Y", "c"))
    3
    """
    if b.start >= a.end:
        return b.start - a.end
    if a.start >= b.end:
        return a.start - b.end
    return 0


class _LabelIndex:
    """The entities of one label sorted by start, for bisect range queries."""

    def __init__(self, entities: Sequence[Span], label: str) -> None:
        items = sorted((e.start, e.end, i) for i, e in enumerate(entities) if e.label == label)
        self.starts = [s for s, _, _ in items]
        self.ids = [i for _, _, i in items]
        self.max_len = max((e - s for s, e, _ in items), default=0)

    def __len__(self) -> int:
        return len(self.ids)

    def before(self, pos: int, k: int) -> list[int]:
        """The ``k`` entities starting at or before ``pos``, nearest first."""
        hi = bisect.bisect_right(self.starts, pos)
        return [self.ids[j] for j in range(hi - 1, max(hi - 1 - k, -1), -1)]

    def around(self, start: int, end: int, max_gap: int) -> list[int]:
        """The entities within ``max_gap`` characters of ``[start, end)``."""
        lo = bisect.bisect_left(self.starts, start - max_gap - self.max_len)
        hi = bisect.bisect_right(self.starts, end + max_gap)
        return self.ids[lo:hi]

    def count_between(self, a: int, b: int) -> int:
        """How many of these entities start in ``[a, b)``."""
        if b <= a:
            return 0
        return bisect.bisect_left(self.starts, b) - bisect.bisect_left(self.starts, a)


def candidate_pairs(entities: Sequence[Span], structural: Iterable[ScoredRelation] = (),
                    limits: CandidateLimits | None = None,
                    labels: Sequence[str] = LABELS) -> list[Candidate]:
    """The pairs the model scores, bounded per head (see the module docstring).

    ``structural``: the structural rule's relations over ``entities``; each is added (and
    flagged) even when it lies outside the limits.

    >>> ents = [Span(0, 4, "PROBLEM", "整治不力"), Span(10, 14, "DATE", "5月以来"),
    ...         Span(15, 21, "OUTCOME", "拆除违建3处")]
    >>> [(c.label, c.head, c.tail) for c in candidate_pairs(ents)]
    [('ADDRESSES', 2, 0), ('DURING', 2, 1)]
    """
    lim = limits or CandidateLimits()
    wanted = set(labels)
    struct = {(r.label, r.head, r.tail) for r in structural}
    pairs: dict[tuple[str, int, int], None] = {}
    by_label = {lab: _LabelIndex(entities, lab) for lab in ("ORG", "DATE", "PROBLEM", "OUTCOME")}
    outcomes = by_label["OUTCOME"].ids
    if "ADDRESSES" in wanted and len(by_label["PROBLEM"]):
        for h in outcomes:
            for t in by_label["PROBLEM"].before(entities[h].start, lim.addresses_k):
                pairs[("ADDRESSES", h, t)] = None
    if "DURING" in wanted and len(by_label["DATE"]):
        for h in outcomes:
            e = entities[h]
            near = [(char_gap(e, entities[t]), entities[t].start, t)
                    for t in by_label["DATE"].around(e.start, e.end, lim.during_max_chars)]
            for gap, _, t in sorted(near)[: lim.during_k]:
                if gap <= lim.during_max_chars:
                    pairs[("DURING", h, t)] = None
    if "INSPECTS" in wanted and len(by_label["ORG"]) > 1:
        orgs = by_label["ORG"]
        for h in orgs.ids:
            e = entities[h]
            near = [(char_gap(e, entities[t]), entities[t].start, t)
                    for t in orgs.around(e.start, e.end, lim.inspects_max_chars) if t != h]
            for gap, _, t in sorted(near)[: lim.inspects_k]:
                if gap <= lim.inspects_max_chars:
                    pairs[("INSPECTS", h, t)] = None
                    pairs[("INSPECTS", t, h)] = None
    for key in struct:
        if key[0] in wanted and key[1] != key[2]:
            pairs[key] = None
    # rank of each tail among its head's candidates (by gap, then position)
    groups: dict[tuple[str, int], list[tuple[int, int, int]]] = {}
    for label, h, t in pairs:
        groups.setdefault((label, h), []).append(
            (char_gap(entities[h], entities[t]), -entities[t].start, t))
    out: list[Candidate] = []
    for (label, h), tails in groups.items():
        for rank, (_, _, t) in enumerate(sorted(tails)):
            out.append(Candidate(label, h, t, rank, (label, h, t) in struct))
    out.sort(key=lambda c: (c.head, c.label, c.tail))
    return out


# -- features -----------------------------------------------------------------------------------
def _prefix_counts(text: str, chars: str) -> numpy.ndarray:
    """``out[i]`` = how many of ``chars`` occur in ``text[:i]`` (length ``len(text) + 1``)."""
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    hit = numpy.isin(codes, numpy.array([ord(c) for c in chars], dtype=numpy.uint32))
    out = numpy.zeros(len(codes) + 1, dtype=numpy.int64)
    numpy.cumsum(hit, out=out[1:])
    return out


def _bucket(n: int) -> int:
    """0, 1, 2, 3 for n < 4, then one bucket per power of two (capped)."""
    if n < 4:
        return n
    return min(2 + int(math.log2(n)), 16)


@dataclass
class RelationContext:
    """What :func:`pair_features` needs to know about one doc, computed once per doc."""

    text: str
    entities: Sequence[Span]
    analysis: RuleAnalysis | None
    structural: list[ScoredRelation] = field(default_factory=list)
    by_label: dict[str, _LabelIndex] = field(default_factory=dict)
    sent_ends: numpy.ndarray | None = None
    line_ends: numpy.ndarray | None = None
    clause_marks: numpy.ndarray | None = None
    heading_starts: list[int] = field(default_factory=list)
    innermost: dict[int, int] = field(default_factory=dict)
    entity_problem: dict[int, int] = field(default_factory=dict)
    parents: list[int | None] = field(default_factory=list)
    levels: list[int] = field(default_factory=list)
    header_spans: list[tuple[int, int]] = field(default_factory=list)
    inspector: int | None = None
    targets: frozenset[int] = frozenset()

    @classmethod
    def build(cls, text: str, entities: Sequence[Span],
              analysis: RuleAnalysis | None) -> RelationContext:
        """Index ``entities`` (offsets into ``text``) and ``analysis`` for feature extraction.

        >>> ctx = RelationContext.build("甲。乙", [Span(0, 1, "ORG", "甲")], None)
        >>> int(ctx.sent_ends[-1])
        1
        """
        ctx = cls(text=text, entities=entities, analysis=analysis)
        ctx.by_label = {lab: _LabelIndex(entities, lab)
                        for lab in ("ORG", "DATE", "PROBLEM", "OUTCOME")}
        ctx.sent_ends = _prefix_counts(text, _SENT_END_CHARS)
        ctx.line_ends = _prefix_counts(text, "\n")
        ctx.clause_marks = _prefix_counts(text, _CLAUSE_CHARS)
        if analysis is None or not analysis.is_notice:
            return ctx
        ctx.structural = structural_relations(text, entities, analysis)
        index = EntityIndex(entities)
        outline = analysis.outline
        if outline is not None:
            ctx.heading_starts = sorted(n.start for n in outline.nodes)
            problems = outline.problems
            ctx.parents = [p.parent for p in problems]
            ctx.levels = [p.level for p in problems]
            ctx.innermost = link_problems(list(entities), problems)
            for i, p in enumerate(problems):
                j = index.find(p.statement, "PROBLEM")
                if j is not None and j not in ctx.entity_problem:
                    ctx.entity_problem[j] = i
        header = analysis.header
        if header is not None:
            ctx.header_spans = sorted((s.start, s.end) for s in header.evidence
                                      if s.label == "HEADER")
            if header.inspector is not None:
                ctx.inspector = index.find(header.inspector, "ORG")
            ctx.targets = frozenset(j for j in (index.find(t, "ORG") for t in header.targets)
                                    if j is not None)
        return ctx

    def in_header(self, i: int) -> int:
        """Index of the header sentence holding entity ``i``, or -1."""
        e = self.entities[i]
        for k, (s, t) in enumerate(self.header_spans):
            if s <= e.start and e.end <= t:
                return k
        return -1

    def outline_relation(self, head: int, tail: int) -> str:
        """Where the tail's outline problem stands to the innermost problem holding the head:
        ``inner``, ``anc1``..``anc3`` (ancestor, by distance), ``sib``, ``desc``, ``other``,
        or ``nohead``/``notail``/``nooutline`` when one side is not in the outline."""
        if not self.parents:
            return "nooutline"
        inner = self.innermost.get(head)
        if inner is None:
            return "nohead"
        tp = self.entity_problem.get(tail)
        if tp is None:
            return "notail"
        if tp == inner:
            return "inner"
        node, steps = self.parents[inner], 1
        while node is not None and steps < 20:
            if node == tp:
                return f"anc{min(steps, 3)}"
            node, steps = self.parents[node], steps + 1
        if self.parents[tp] == self.parents[inner]:
            return "sib"
        node = self.parents[tp]
        while node is not None and steps < 40:
            if node == inner:
                return "desc"
            node, steps = self.parents[node], steps + 1
        return "other"


def _ngrams(s: str, tag: str) -> list[str]:
    return [f"{tag}1={c}" for c in s] + [f"{tag}2={s[i:i + 2]}" for i in range(len(s) - 1)]


def pair_features(ctx: RelationContext, cand: Candidate) -> list[str]:
    """The hashed-string features of one candidate pair (each prefixed with its label).

    >>> t = "8月至10月,出动车辆12车次。"
    >>> ents = [Span(0, 6, "DATE", t[0:6]), Span(7, 15, "OUTCOME", t[7:15])]
    >>> feats = pair_features(RelationContext.build(t, ents, None), Candidate("DURING", 1, 0))
    >>> "DURING|dir=L" in feats, "DURING|sent=0" in feats
    (True, True)
    """
    text, ents = ctx.text, ctx.entities
    h, t = ents[cand.head], ents[cand.tail]
    label = cand.label
    if t.start >= h.end:
        direction, a, b = "R", h.end, t.start
    elif h.start >= t.end:
        direction, a, b = "L", t.end, h.start
    else:
        direction, a, b = "O", min(h.end, t.end), min(h.end, t.end)
    gap = b - a
    assert ctx.sent_ends is not None and ctx.line_ends is not None  # noqa: S101
    assert ctx.clause_marks is not None  # noqa: S101
    sent = int(ctx.sent_ends[b] - ctx.sent_ends[a])
    lines = int(ctx.line_ends[b] - ctx.line_ends[a])
    clauses = int(ctx.clause_marks[b] - ctx.clause_marks[a])
    tails_between = ctx.by_label[t.label].count_between(a, b) if t.label in ctx.by_label else 0
    heads_between = ctx.by_label[h.label].count_between(a, b) if h.label in ctx.by_label else 0
    headings = (bisect.bisect_left(ctx.heading_starts, b)
                - bisect.bisect_left(ctx.heading_starts, a)) if ctx.heading_starts else 0
    rank = min(cand.rank, 6)
    struct = int(cand.structural)
    f = [
        "bias", f"dir={direction}", f"gap={_bucket(gap)}", f"rank={rank}",
        f"sent={min(sent, 3)}", f"lines={min(lines, 3)}", f"clauses={min(clauses, 4)}",
        f"tbetween={min(tails_between, 4)}", f"hbetween={min(heads_between, 4)}",
        f"headings={min(headings, 3)}", f"struct={struct}",
        f"dir+gap={direction}{_bucket(gap)}", f"dir+rank={direction}{rank}",
        f"dir+sent={direction}{min(sent, 2)}", f"rank+tbetween={rank}{min(tails_between, 3)}",
        f"struct+rank={struct}{rank}", f"dir+sent+rank={direction}{min(sent, 2)}{rank}",
        f"struct+dir+sent={struct}{direction}{min(sent, 2)}",
    ]
    # the text between (both ends when long) and around the two entities
    between = text[a:b]
    if len(between) <= 2 * _NGRAM_EDGE:
        f += _ngrams(between, "b")
    else:
        f += _ngrams(between[:_NGRAM_EDGE], "bl") + _ngrams(between[-_NGRAM_EDGE:], "br")
    for tag, s in (("h", h), ("t", t)):
        before, after = text[max(0, s.start - 2):s.start], text[s.end:s.end + 2]
        f += [f"{tag}-1={before[-1:]}", f"{tag}-2={before}", f"{tag}+1={after[:1]}",
              f"{tag}+2={after}", f"{tag}first={s.text[:2]}", f"{tag}last={s.text[-2:]}",
              f"{tag}len={_bucket(len(s))}"]
    # the outline
    if ctx.analysis is None:
        f.append("noanalysis")
    elif not ctx.analysis.is_notice:
        f.append("nonotice")
    inner_h, inner_t = ctx.innermost.get(cand.head), ctx.innermost.get(cand.tail)
    depth_h = ctx.levels[inner_h] if inner_h is not None else 0
    f.append(f"hdepth={min(depth_h, 5)}")
    if label == "ADDRESSES" or t.label == "PROBLEM":
        rel = ctx.outline_relation(cand.head, cand.tail)
        tp = ctx.entity_problem.get(cand.tail)
        level = ctx.levels[tp] if tp is not None else 0
        f += [f"outl={rel}", f"tlevel={min(level, 5)}", f"outl+struct={rel}{struct}",
              f"outl+rank={rel}{rank}", f"outl+tlevel={rel}{min(level, 5)}"]
    else:
        same = inner_h is not None and inner_h == inner_t
        f.append(f"samesec={int(same)}")
    # the header sentence (INSPECTS)
    if label == "INSPECTS" or (h.label == "ORG" and t.label == "ORG"):
        hh, th = ctx.in_header(cand.head), ctx.in_header(cand.tail)
        f += [f"hhdr={int(hh >= 0)}", f"thdr={int(th >= 0)}",
              f"samehdr={int(hh >= 0 and hh == th)}",
              f"hinsp={int(cand.head == ctx.inspector)}",
              f"ttarget={int(cand.tail in ctx.targets)}",
              f"hinsp+ttarget={int(cand.head == ctx.inspector)}{int(cand.tail in ctx.targets)}",
              f"hlast3={h.text[-3:]}", f"tlast3={t.text[-3:]}"]
    return [f"{label}|{x}" for x in f]


def without_structural(features: Sequence[str]) -> list[str]:
    """``features`` less those that carry the structural rule's verdict (``struct=``,
    ``struct+rank=``, ``outl+struct=``…): the ablation ``structural_feature = false``.

    >>> without_structural(["DURING|bias", "DURING|struct=1", "DURING|outl+struct=inner1"])
    ['DURING|bias']
    """
    return [f for f in features if "struct" not in f.partition("=")[0]]


# -- the model input ----------------------------------------------------------------------
@dataclass
class RelationBatch:
    """The model's input: the docs, their candidates and the candidates' hashed features.

    ``keys``/``values``/``lengths``: the features of all candidates, concatenated (uint64,
    float32, int32; ``lengths[i]`` features for candidate ``i``). ``label_ids``: each
    candidate's output column. ``head_rows``/``head_lengths`` (and ``tail_*``): the token rows
    (into the docs' concatenated tokens) of each candidate's head and tail, for a tok2vec.
    ``doc_candidates[d]``: the candidates of doc ``d``, in batch order.
    """

    docs: list[Doc]
    doc_candidates: list[list[Candidate]]
    doc_entities: list[list[Span]]
    keys: numpy.ndarray
    values: numpy.ndarray
    lengths: numpy.ndarray
    label_ids: numpy.ndarray
    head_rows: numpy.ndarray
    head_lengths: numpy.ndarray
    tail_rows: numpy.ndarray
    tail_lengths: numpy.ndarray

    def __len__(self) -> int:
        return len(self.lengths)


def _span_rows(group: SpanGroup | None, i: int, offset: int) -> range:
    if group is None:
        return range(0)
    sp = group[i]
    return range(offset + sp.start, offset + max(sp.end, sp.start + 1))


def _hash(feats: Sequence[str]) -> list[int]:
    return [hash_string(x) for x in feats]


# -- the model ----------------------------------------------------------------------------
@registry.architectures("rectify.RelationModel.v1")
def build_relation_model(hidden_width: int = 64, embed_width: int = 64,
                         embed_rows: int = 20000, sparse_length: int = 2 ** 18,
                         dropout: float = 0.1, tok2vec: Model | None = None,
                         nO: int | None = None) -> Model[RelationBatch, Floats2d]:
    """Pair scorer: hashed features → SparseLinear + (HashEmbed-sum → Relu → Linear); one
    sigmoid per relation label. With ``tok2vec``, the mean token vectors of head and tail are
    concatenated to the summed embeddings before the hidden layer.

    The output is ``(n_candidates, n_labels)`` probabilities; backprop takes the gradient with
    respect to the *logits* (``probs - truth`` for binary cross-entropy).

    >>> m = build_relation_model(hidden_width=8, embed_width=8, embed_rows=100, nO=3)
    >>> m.name
    'rectify_relation_model'
    """
    layers: list[Model] = [SparseLinear_v2(nO, sparse_length),
                           HashEmbed(embed_width, embed_rows, seed=2718),
                           Relu(hidden_width), Dropout(dropout),
                           Linear(nO, hidden_width)]
    refs: dict[str, Model] = {"sparse": layers[0], "embed": layers[1], "hidden": layers[2],
                              "dropout": layers[3], "output": layers[4]}
    if tok2vec is not None:
        layers.append(tok2vec)
        refs["tok2vec"] = tok2vec
    return Model("rectify_relation_model", _model_forward, init=_model_init, layers=layers,
                 refs=refs, dims={"nO": nO, "embed_width": embed_width},
                 attrs={"has_tok2vec": tok2vec is not None})


def _model_init(model: Model, X: RelationBatch | None = None,
                Y: Floats2d | None = None) -> Model:
    if Y is not None:
        model.set_dim("nO", Y.shape[1])
    nO = model.get_dim("nO")
    sparse, embed = model.get_ref("sparse"), model.get_ref("embed")
    hidden, output = model.get_ref("hidden"), model.get_ref("output")
    sparse.set_dim("nO", nO)
    output.set_dim("nO", nO)
    n_in = model.get_dim("embed_width")
    if model.attrs["has_tok2vec"]:
        t2v = model.get_ref("tok2vec")
        t2v.initialize(X=X.docs if X is not None and X.docs else None)
        n_in += 2 * t2v.get_dim("nO")
    hidden.set_dim("nI", n_in)
    for layer in (sparse, embed, hidden, output):
        layer.initialize()
    return model


def _model_forward(model: Model, batch: RelationBatch,
                   is_train: bool) -> tuple[Floats2d, Callable[[Floats2d], RelationBatch]]:
    ops = model.ops
    nO = model.get_dim("nO")
    n = len(batch)
    if n == 0:
        return ops.alloc2f(0, nO), lambda d: batch
    sparse, embed = model.get_ref("sparse"), model.get_ref("embed")
    hidden, output = model.get_ref("hidden"), model.get_ref("output")
    lengths = ops.asarray1i(batch.lengths)
    linear, bp_linear = sparse((batch.keys, batch.values, batch.lengths), is_train)
    if is_train:
        E, bp_embed = embed(ops.asarray(batch.keys, dtype="uint64"), is_train)
        parts = [ops.reduce_sum(E, lengths)]
    else:  # a long notice has ~10^5 candidates x ~80 features: embed them in slices
        parts = [_pooled_embeddings(embed, batch.keys, batch.lengths)]
    bp_pool: Callable[[Floats2d], None] | None = None
    ew = model.get_dim("embed_width")
    if model.attrs["has_tok2vec"]:
        vecs, bp_vecs = model.get_ref("tok2vec")(batch.docs, is_train)
        flat = ops.flatten(vecs)
        doc_lens = [len(v) for v in vecs]
        h_rows, h_len = ops.asarray1i(batch.head_rows), ops.asarray1i(batch.head_lengths)
        t_rows, t_len = ops.asarray1i(batch.tail_rows), ops.asarray1i(batch.tail_lengths)
        parts += [ops.reduce_mean(flat[h_rows], h_len), ops.reduce_mean(flat[t_rows], t_len)]
        width = flat.shape[1]

        def bp_pool(dX: Floats2d) -> None:
            d_flat = ops.alloc2f(*flat.shape)
            dH = ops.backprop_reduce_mean(ops.as_contig(dX[:, ew:ew + width]), h_len)
            dT = ops.backprop_reduce_mean(ops.as_contig(dX[:, ew + width:]), t_len)
            ops.scatter_add(d_flat, h_rows, dH)
            ops.scatter_add(d_flat, t_rows, dT)
            bp_vecs(ops.unflatten(d_flat, ops.asarray1i(doc_lens)))

    X = ops.xp.hstack(parts) if len(parts) > 1 else parts[0]
    H, bp_hidden = hidden(X, is_train)
    H, bp_dropout = model.get_ref("dropout")(H, is_train)
    out, bp_output = output(H, is_train)
    probs = ops.sigmoid(linear + out)

    def backprop(d_logits: Floats2d) -> RelationBatch:
        bp_linear(ops.as_contig(d_logits))
        dX = bp_hidden(bp_dropout(bp_output(d_logits)))
        bp_embed(ops.backprop_reduce_sum(ops.as_contig(dX[:, :ew]), lengths))
        if bp_pool is not None:
            bp_pool(dX)
        return batch

    return probs, backprop


def _pooled_embeddings(embed: Model, keys: numpy.ndarray, lengths: numpy.ndarray,
                       per_slice: int = 4096) -> Floats2d:
    """Sum of each candidate's feature embeddings, ``per_slice`` candidates at a time, so
    that prediction memory does not grow with (features x width) of the whole notice."""
    ops = embed.ops
    offsets = numpy.concatenate([[0], numpy.cumsum(lengths)])
    out = ops.alloc2f(len(lengths), embed.get_dim("nO"))
    for a in range(0, len(lengths), per_slice):
        b = min(len(lengths), a + per_slice)
        E = embed.predict(ops.asarray(keys[offsets[a]:offsets[b]], dtype="uint64"))
        out[a:b] = ops.reduce_sum(E, ops.asarray1i(lengths[a:b]))
    return out


# -- the component ------------------------------------------------------------------------
@dataclass
class RelationScores:
    """What :meth:`RelationExtractor.predict` returns: the batch and its probabilities."""

    batch: RelationBatch
    probs: numpy.ndarray


def _entity_key(s: Any) -> tuple[str, int, int]:
    return (s.label_, s.start_char, s.end_char)


def gold_relation_keys(doc: Doc, spans_key: str) -> set[tuple[str, tuple, tuple]]:
    """``{(label, head key, tail key)}`` of ``doc._.relations`` over ``doc.spans[spans_key]``,
    an entity key being ``(label, start_char, end_char)`` — comparable across docs."""
    rels = doc._.relations or []
    if not rels:
        return set()
    group = doc.spans[spans_key] if spans_key in doc.spans else doc.ents
    out = set()
    for r in rels:
        if 0 <= r.head < len(group) and 0 <= r.tail < len(group):
            out.add((r.label, _entity_key(group[r.head]), _entity_key(group[r.tail])))
    return out


def score_relations(examples: Iterable[Example], spans_key: str = SPANS_KEY,
                    labels: Sequence[str] = LABELS) -> dict[str, Any]:
    """Exact relation P/R/F (label, head span and tail span all equal), pooled and per label:
    ``rel_p``, ``rel_r``, ``rel_f``, ``rel_f_per_type`` (``{label: {p, r, f}}``)."""
    tp = {lab: 0 for lab in labels}
    n_pred = dict(tp)
    n_gold = dict(tp)
    for eg in examples:
        pred = gold_relation_keys(eg.predicted, spans_key)
        gold = gold_relation_keys(eg.reference, spans_key)
        for lab in labels:
            p = {x for x in pred if x[0] == lab}
            g = {x for x in gold if x[0] == lab}
            tp[lab] += len(p & g)
            n_pred[lab] += len(p)
            n_gold[lab] += len(g)

    def prf(t: int, p: int, g: int) -> dict[str, float]:
        pr = t / p if p else 0.0
        rc = t / g if g else 0.0
        return {"p": pr, "r": rc, "f": 2 * pr * rc / (pr + rc) if pr + rc else 0.0}

    total = prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return {"rel_p": total["p"], "rel_r": total["r"], "rel_f": total["f"],
            "rel_f_per_type": {lab: prf(tp[lab], n_pred[lab], n_gold[lab]) for lab in labels}}


class RelationExtractor(TrainablePipe):
    """The ``rectify_relations`` component (see the module docstring)."""

    def __init__(self, vocab: Any, model: Model, name: str = "relations", *,
                 spans_key: str = SPANS_KEY, labels: Sequence[str] = LABELS,
                 threshold: float | dict[str, float] = 0.5,
                 limits: CandidateLimits | None = None, fallback: bool = False,
                 structural_feature: bool = True) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        unknown = [lab for lab in labels if lab not in RELATION_TYPES]
        if unknown or not labels:
            raise ValueError(f"unknown or no relation labels: {unknown or labels}")
        lim = limits or CandidateLimits()
        self.cfg: dict[str, Any] = {
            "spans_key": spans_key, "labels": list(labels),
            "threshold": _thresholds(threshold, labels),
            "limits": {k: getattr(lim, k) for k in CandidateLimits.__dataclass_fields__},
            "fallback": bool(fallback),
            "structural_feature": bool(structural_feature),
        }
        if not model.has_dim("nO") or model.get_dim("nO") is None:
            model.set_dim("nO", len(labels))

    # -- config views --------------------------------------------------------------------
    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def spans_key(self) -> str:
        return str(self.cfg["spans_key"])

    @property
    def thresholds(self) -> dict[str, float]:
        return dict(self.cfg["threshold"])

    @property
    def limits(self) -> CandidateLimits:
        return CandidateLimits(**self.cfg["limits"])

    # -- docs → batch ------------------------------------------------------------------
    def doc_entities(self, doc: Doc) -> tuple[SpanGroup | None, list[Span]]:
        """The doc's entity group (``doc.spans[spans_key]``, else ``doc.ents`` written to it)
        and the same entities as :class:`~rectify_nlp.spans.Span` (doc offsets)."""
        key = self.spans_key
        if key not in doc.spans:
            if not doc.ents:
                return None, []
            doc.spans[key] = list(doc.ents)
        group = doc.spans[key]
        return group, [Span(s.start_char, s.end_char, s.label_, s.text, "model")
                       for s in group]

    def _analysis(self, doc: Doc) -> RuleAnalysis:
        analysis = doc._.rectify_rules
        if isinstance(analysis, RuleAnalysis):
            return analysis
        return analyze(doc.text)

    def make_batch(self, docs: Sequence[Doc]) -> RelationBatch:
        """Candidates and features of every doc (see :func:`candidate_pairs`)."""
        keys: list[int] = []
        lengths: list[int] = []
        label_ids: list[int] = []
        h_rows: list[int] = []
        h_lens: list[int] = []
        t_rows: list[int] = []
        t_lens: list[int] = []
        label_index = {lab: i for i, lab in enumerate(self.labels)}
        all_cands: list[list[Candidate]] = []
        all_ents: list[list[Span]] = []
        want_rows = bool(self.model.attrs.get("has_tok2vec"))
        offset = 0
        limits = self.limits
        keep_struct = bool(self.cfg.get("structural_feature", True))
        for doc in docs:
            group, ents = self.doc_entities(doc)
            cands: list[Candidate] = []
            if ents and any(e.label == "OUTCOME" or e.label == "ORG" for e in ents):
                ctx = RelationContext.build(doc.text, ents, self._analysis(doc))
                cands = candidate_pairs(ents, ctx.structural, limits, self.labels)
                for c in cands:
                    names = pair_features(ctx, c)
                    if not keep_struct:
                        names = without_structural(names)
                    feats = _hash(names)
                    keys.extend(feats)
                    lengths.append(len(feats))
                    label_ids.append(label_index[c.label])
                    if want_rows:
                        hr = _span_rows(group, c.head, offset)
                        tr = _span_rows(group, c.tail, offset)
                        h_rows.extend(hr)
                        h_lens.append(len(hr))
                        t_rows.extend(tr)
                        t_lens.append(len(tr))
            all_cands.append(cands)
            all_ents.append(ents)
            offset += len(doc)
        return RelationBatch(
            docs=list(docs), doc_candidates=all_cands, doc_entities=all_ents,
            keys=numpy.asarray(keys, dtype=numpy.uint64),
            values=numpy.ones(len(keys), dtype=numpy.float32),
            lengths=numpy.asarray(lengths, dtype=numpy.int32),
            label_ids=numpy.asarray(label_ids, dtype=numpy.int32),
            head_rows=numpy.asarray(h_rows, dtype=numpy.int32),
            head_lengths=numpy.asarray(h_lens, dtype=numpy.int32),
            tail_rows=numpy.asarray(t_rows, dtype=numpy.int32),
            tail_lengths=numpy.asarray(t_lens, dtype=numpy.int32),
        )

    # -- TrainablePipe API -------------------------------------------------------------
    def predict(self, docs: Iterable[Doc]) -> RelationScores:
        """Score the candidate pairs of ``docs`` (nothing is written to the docs)."""
        batch = self.make_batch(list(docs))
        probs = self.model.predict(batch)
        return RelationScores(batch, self.model.ops.to_numpy(probs))

    def set_annotations(self, docs: Iterable[Doc], scores: RelationScores) -> None:
        """Decode ``scores`` into ``doc._.relations`` (see the module docstring)."""
        probs = scores.probs
        label_index = {lab: i for i, lab in enumerate(self.labels)}
        thresholds = self.thresholds
        row = 0
        for doc, cands in zip(docs, scores.batch.doc_candidates):
            rows = range(row, row + len(cands))
            row += len(cands)
            cand_probs = [float(probs[r, label_index[c.label]]) for r, c in zip(rows, cands)]
            found = decode(cands, cand_probs, thresholds)
            if self.cfg.get("fallback"):
                found = with_fallback(found, cands, cand_probs)
            doc._.relations = found

    def get_loss(self, examples: Iterable[Example],
                 scores: RelationScores) -> tuple[float, Floats2d]:
        """Binary cross-entropy of each candidate's own label column; gradient wrt logits."""
        examples = list(examples)
        probs = scores.probs
        truth = numpy.zeros_like(probs)
        mask = numpy.zeros_like(probs)
        label_index = {lab: i for i, lab in enumerate(self.labels)}
        row = 0
        for eg, cands, ents in zip(examples, scores.batch.doc_candidates,
                                   scores.batch.doc_entities):
            gold = gold_relation_keys(eg.reference, self.spans_key)
            keys = [(e.label, e.start, e.end) for e in ents]
            for c in cands:
                col = label_index[c.label]
                mask[row, col] = 1.0
                if (c.label, keys[c.head], keys[c.tail]) in gold:
                    truth[row, col] = 1.0
                row += 1
        n = max(1.0, float(mask.sum()))
        p = numpy.clip(probs, 1e-7, 1 - 1e-7)
        loss = float(-(mask * (truth * numpy.log(p) + (1 - truth) * numpy.log(1 - p))).sum() / n)
        d = (probs - truth) * mask / n
        return loss, self.model.ops.asarray2f(d.astype("float32"))

    def update(self, examples: Iterable[Example], *, drop: float = 0.0,
               sgd: Optimizer | None = None,
               losses: dict[str, float] | None = None) -> dict[str, float]:
        """One gradient step on ``examples`` (their predicted docs carry the entities)."""
        if losses is None:
            losses = {}
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        if not examples:
            return losses
        batch = self.make_batch([eg.predicted for eg in examples])
        if len(batch) == 0:
            return losses
        set_dropout_rate(self.model, drop)
        probs, backprop = self.model.begin_update(batch)
        loss, d_logits = self.get_loss(examples, RelationScores(batch, self.model.ops.to_numpy(probs)))
        backprop(d_logits)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def initialize(self, get_examples, *, nlp=None, labels=None) -> None:  # noqa: ANN001
        """Initialise the model on a few examples (only their shapes matter).

        ``get_examples``: ``() -> Iterable[Example]``; ``labels``: replace the label set.
        (Parameters are unannotated: spaCy validates them with pydantic, which cannot resolve
        postponed annotations.)
        """
        if labels is not None:
            self.cfg["labels"] = list(labels)
            self.cfg["threshold"] = _thresholds(self.cfg["threshold"], labels)
        self.model.set_dim("nO", len(self.labels))
        sample = []
        for eg in get_examples():
            sample.append(eg.predicted)
            if len(sample) >= 4:
                break
        batch = self.make_batch(sample) if sample else None
        self.model.initialize(X=batch)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, Any]:
        """``rel_p``, ``rel_r``, ``rel_f``, ``rel_f_per_type`` (see :func:`score_relations`)."""
        return score_relations(examples, self.spans_key, self.labels)

    def add_label(self, label: str) -> int:  # noqa: D102 - labels are fixed by the config
        raise NotImplementedError("relation labels are set by the component's 'labels' config")

    # -- serialisation (cfg + model; the vocab belongs to the pipeline) -----------------
    def to_bytes(self, *, exclude: Iterable[str] = SimpleFrozenList()) -> bytes:
        return srsly.msgpack_dumps({"cfg": srsly.json_dumps(self.cfg),
                                    "model": self.model.to_bytes()})

    def from_bytes(self, bytes_data: bytes, *,
                   exclude: Iterable[str] = SimpleFrozenList()) -> RelationExtractor:
        msg = srsly.msgpack_loads(bytes_data)
        self.cfg.update(srsly.json_loads(msg["cfg"]))
        self.model.set_dim("nO", len(self.labels))
        self.model.from_bytes(msg["model"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = SimpleFrozenList()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "cfg", self.cfg)
        self.model.to_disk(path / "model")

    def from_disk(self, path: str | Path, *,
                  exclude: Iterable[str] = SimpleFrozenList()) -> RelationExtractor:
        path = ensure_path(path)
        self.cfg.update(srsly.read_json(path / "cfg"))
        self.model.set_dim("nO", len(self.labels))
        self.model.from_disk(path / "model")
        return self


def decode(cands: Sequence[Candidate], probs: Sequence[float],
           thresholds: dict[str, float]) -> list[ScoredRelation]:
    """The relations kept from scored candidates (see the module docstring), sorted.

    >>> cs = [Candidate("DURING", 0, 1), Candidate("DURING", 0, 2), Candidate("INSPECTS", 3, 4),
    ...       Candidate("INSPECTS", 4, 3)]
    >>> [(r.label, r.head, r.tail) for r in decode(cs, [0.7, 0.9, 0.8, 0.6], {"DURING": 0.5,
    ...  "INSPECTS": 0.5})]
    [('DURING', 0, 2), ('INSPECTS', 3, 4)]
    """
    best: dict[tuple[str, int], tuple[float, int]] = {}
    pairs: dict[tuple[int, int], tuple[float, int]] = {}
    out: list[ScoredRelation] = []
    for c, p in zip(cands, probs):
        if p < thresholds.get(c.label, 0.5):
            continue
        if c.label in ONE_TAIL_PER_HEAD:
            key = (c.label, c.head)
            if key not in best or p > best[key][0]:
                best[key] = (p, c.tail)
        else:
            pair = (min(c.head, c.tail), max(c.head, c.tail))
            if pair not in pairs or p > pairs[pair][0]:
                pairs[pair] = (p, c.head)
    for (label, h), (p, t) in best.items():
        out.append(ScoredRelation(label, h, t, round(p, 6)))
    for (a, b), (p, h) in pairs.items():
        out.append(ScoredRelation("INSPECTS", h, b if h == a else a, round(p, 6)))
    return sorted(out, key=lambda r: (r.head, r.tail, r.label))


def with_fallback(found: list[ScoredRelation], cands: Sequence[Candidate],
                  probs: Sequence[float]) -> list[ScoredRelation]:
    """``found`` plus the structural rule's pairs where the model kept nothing: an OUTCOME
    without an ADDRESSES (or DURING) relation gets the rule's, and every INSPECTS pair of the
    header rule stands (the model can add pairs, not drop the header's targets); added pairs
    carry the model's probability.

    >>> cs = [Candidate("DURING", 0, 1, structural=True), Candidate("DURING", 2, 1),
    ...       Candidate("DURING", 2, 3, structural=True)]
    >>> [(r.head, r.tail) for r in with_fallback([ScoredRelation("DURING", 2, 1, 0.8)], cs,
    ...                                          [0.3, 0.8, 0.1])]
    [(0, 1), (2, 1)]
    """
    heads = {(r.label, r.head) for r in found}
    pairs = {frozenset((r.head, r.tail)) for r in found if r.label == "INSPECTS"}
    out = list(found)
    for c, p in zip(cands, probs):
        if not c.structural:
            continue
        if c.label in ONE_TAIL_PER_HEAD:
            if (c.label, c.head) not in heads:
                heads.add((c.label, c.head))
                out.append(ScoredRelation(c.label, c.head, c.tail, round(p, 6)))
        elif frozenset((c.head, c.tail)) not in pairs:
            pairs.add(frozenset((c.head, c.tail)))
            out.append(ScoredRelation(c.label, c.head, c.tail, round(p, 6)))
    return sorted(out, key=lambda r: (r.head, r.tail, r.label))


def _thresholds(threshold: float | dict[str, float], labels: Sequence[str]) -> dict[str, float]:
    if isinstance(threshold, dict):
        out = {lab: float(threshold.get(lab, 0.5)) for lab in labels}
    else:
        out = {lab: float(threshold) for lab in labels}
    for lab, v in out.items():
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"threshold of {lab} must lie in [0, 1], got {v}")
    return out


@Language.factory(
    "rectify_relations",
    assigns=["doc._.relations"],
    requires=["doc.spans"],
    default_config={
        "model": {"@architectures": "rectify.RelationModel.v1", "hidden_width": 64,
                  "embed_width": 64, "embed_rows": 20000, "sparse_length": 2 ** 18,
                  "dropout": 0.1, "tok2vec": None},
        "spans_key": SPANS_KEY,
        "labels": list(LABELS),
        "threshold": 0.5,
        "addresses_k": 5,
        "during_k": 3,
        "during_max_chars": 150,
        "inspects_k": 3,
        "inspects_max_chars": 80,
        "fallback": True,
        "structural_feature": True,
    },
    default_score_weights={"rel_f": 1.0, "rel_p": 0.0, "rel_r": 0.0, "rel_f_per_type": None},
)
def make_relations(nlp: Language, name: str, model: Model, spans_key: str,
                   labels: list[str], threshold: float | dict[str, float], addresses_k: int,
                   during_k: int, during_max_chars: int, inspects_k: int,
                   inspects_max_chars: int, fallback: bool,
                   structural_feature: bool) -> RelationExtractor:
    """Factory of the relation component (see the module docstring for the config keys)."""
    limits = CandidateLimits(addresses_k=addresses_k, during_k=during_k,
                             during_max_chars=during_max_chars, inspects_k=inspects_k,
                             inspects_max_chars=inspects_max_chars)
    return RelationExtractor(nlp.vocab, model, name, spans_key=spans_key, labels=labels,
                             threshold=threshold, limits=limits, fallback=fallback,
                             structural_feature=structural_feature)


def iter_relations(doc: Doc, spans_key: str = SPANS_KEY) -> Iterator[tuple[str, Any, Any, float]]:
    """``(label, head span, tail span, score)`` of ``doc._.relations`` (spaCy spans).

    >>> import spacy
    >>> list(iter_relations(spacy.blank("zh")("")))
    []
    """
    group = doc.spans[spans_key] if spans_key in doc.spans else doc.ents
    for r in doc._.relations or ():
        yield r.label, group[r.head], group[r.tail], r.score


__all__ = ["LABELS", "SPANS_KEY", "Candidate", "CandidateLimits", "RelationBatch",
           "RelationContext", "RelationExtractor", "RelationScores", "build_relation_model",
           "candidate_pairs", "char_gap", "decode", "gold_relation_keys", "iter_relations",
           "make_relations", "pair_features", "score_relations", "without_structural"]
