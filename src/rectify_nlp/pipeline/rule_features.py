"""The rule layer's findings as per-token input features of the NER model.

"The rules propose, the model decides": instead of merging model spans with rule spans after
the fact, the model *sees* what the rules found (``rectify.RuleFeatureEmbed.v1`` in
:mod:`rectify_nlp.pipeline.features` embeds these channels next to the characters) and can
learn where the rules are systematically off (span boundaries, spurious organisations).

Each token gets one small integer per channel (:data:`CHANNELS`):

* ``ORG`` ``DATE`` ``PROBLEM`` ``OUTCOME`` — the token's place in a rule entity of that label
  (:meth:`RuleAnalysis.entity_spans`): 0 outside, 1 begin, 2 inside, 3 last, 4 unit (one
  token). One channel per label, so overlapping entities of different labels stay visible;
* ``org_role`` — which rule found the organisation: 1 header inspector, 2 header target,
  3 signature publisher, 4 any other organisation mention;
* ``quantity`` — the number (with its unit) inside a rule outcome, BILU as above;
* ``outline`` — 1 numbering marker (``(一)``, ``1.``), 2 heading text of an outline node,
  3 body of a problem, 4 a measure, 5 elsewhere in the rectification section;
* ``depth`` — nesting depth of the innermost outline node (0 none, 1..5, deeper = 5);
* ``zone`` — 1 the header sentence, 2 the signature, 3 summary figures, 4 contact details,
  5 the inspection round.

The features live in ``doc.user_data[FEATURES_KEY]`` as an ``(n_tokens, n_channels)`` int32
array. :func:`annotate` fills it for a doc that is a window of an analysed clean text; the
``rectify_rule_features`` component does it for a doc that has none (running the rules on the
doc's own text), so ``spacy.load(model)(text)`` works on its own.

>>> import spacy
>>> from rectify_nlp.rules.analysis import analyze
>>> text = "2023年3月1日至5月10日,市委第二巡察组对某区民政局开展了巡察。现将整改情况通报如下。"
>>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
>>> doc = nlp.make_doc(text[22:])
>>> annotate(doc, analyze(text), offset=22)
>>> has_rule_features(doc), doc.user_data[FEATURES_KEY].shape == (len(doc), len(CHANNELS))
(True, True)
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from rectify_nlp.pipeline import features  # noqa: F401  (registers rectify.RuleFeatureEmbed.v1)
from rectify_nlp.rules.analysis import RuleAnalysis, analyze
from rectify_nlp.spans import Span

logger = logging.getLogger(__name__)

#: Where the features are stored on a doc (``doc.user_data``).
FEATURES_KEY = "rectify_rule_features"

#: The channels, in column order.
CHANNELS: tuple[str, ...] = ("ORG", "DATE", "PROBLEM", "OUTCOME", "org_role", "quantity",
                             "outline", "depth", "zone")
#: Number of distinct values of each channel (0 = nothing found).
CHANNEL_SIZES: tuple[int, ...] = (5, 5, 5, 5, 5, 5, 6, 6, 6)

_COL = {name: i for i, name in enumerate(CHANNELS)}
_MAX_DEPTH = 5

# BILU codes
O, B, I, L, U = 0, 1, 2, 3, 4  # noqa: E741

# kinds of mark: paint BILU codes, or one constant value
_BILU = 0
_FILL = 1


def _marks(analysis: RuleAnalysis) -> list[tuple[int, int, int, int, int]]:
    """``(start, end, column, kind, value)`` for everything the analysis found, in painting
    order (a later mark overwrites an earlier one on the same column)."""
    out: list[tuple[int, int, int, int, int]] = []
    if not analysis.is_notice:
        return out

    def add(spans: Iterable[Span | None], column: str, kind: int, value: int = 0) -> None:
        col = _COL[column]
        for s in spans:
            if s is not None and s.end > s.start:
                out.append((s.start, s.end, col, kind, value))

    # zone first, so the finer channels are independent of it
    header, signature = analysis.header, analysis.signature
    if analysis.summary is not None:
        add(analysis.summary.evidence, "zone", _FILL, 3)
    if analysis.contacts is not None:
        add(analysis.contacts.spans(), "zone", _FILL, 4)
    if header is not None:
        add((s for s in header.evidence if s.label == "HEADER"), "zone", _FILL, 1)
        add([header.round], "zone", _FILL, 5)
    if signature is not None:
        add([signature.publisher, signature.date_span], "zone", _FILL, 2)

    # outline: section < problem body < measure < heading < numbering marker
    outline = analysis.outline
    if outline is not None:
        if outline.section is not None:
            a, b = outline.section
            if b > a:
                out.append((a, b, _COL["outline"], _FILL, 5))
        for p in outline.problems:
            if p.end > p.start:
                out.append((p.start, p.end, _COL["outline"], _FILL, 3))
        for p in outline.problems:
            add(p.measures, "outline", _FILL, 4)
        for node in sorted(outline.nodes, key=lambda n: n.depth):
            if node.end > node.start:
                out.append((node.start, node.end, _COL["depth"], _FILL,
                            min(max(node.depth, 0) + 1, _MAX_DEPTH)))
        for node in outline.nodes:
            add([node.heading], "outline", _FILL, 2)
            if node.heading.start > node.start:
                out.append((node.start, node.heading.start, _COL["outline"], _FILL, 1))

    # organisations by role (other mentions first: the header/signature roles win)
    add(analysis.orgs, "org_role", _FILL, 4)
    if header is not None:
        add([header.inspector], "org_role", _FILL, 1)
        add(header.targets, "org_role", _FILL, 2)
    if signature is not None:
        add([signature.publisher], "org_role", _FILL, 3)

    # entities, one BILU channel per label
    for s in analysis.entity_spans():
        if s.label in _COL and s.end > s.start:
            out.append((s.start, s.end, _COL[s.label], _BILU, 0))
    add((o.quantity for o in analysis.outcomes), "quantity", _BILU)
    return out


def char_features(analysis: RuleAnalysis, start: int, end: int) -> numpy.ndarray:
    """``(end - start, n_channels)`` int32 features of the clean-text characters
    ``[start, end)``. A span cut by the window edge keeps its inside code (no begin/last
    where the span goes on outside the window).

    >>> char_features(analyze("今天天气很好。"), 0, 3).tolist()
    [[0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0, 0, 0, 0]]
    """
    n = max(end - start, 0)
    feats = numpy.zeros((n, len(CHANNELS)), dtype="int32")
    if n == 0:
        return feats
    for s, e, col, kind, value in _marks(analysis):
        if e <= start or s >= end:
            continue
        a, b = max(s, start) - start, min(e, end) - start
        if kind == _FILL:
            feats[a:b, col] = value
            continue
        feats[a:b, col] = I
        if e - s == 1:
            feats[a, col] = U
            continue
        if s >= start:
            feats[a, col] = B
        if e <= end:
            feats[b - 1, col] = L
    return feats


def annotate(doc: Doc, analysis: RuleAnalysis, offset: int = 0) -> None:
    """Store the rule features of ``doc`` in ``doc.user_data[FEATURES_KEY]``.

    ``doc`` is a piece of the analysed clean text starting at character ``offset``
    (``doc.text == clean_text[offset:offset + len(doc.text)]``); a token takes the features of
    its first character.

    >>> import spacy
    >>> nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"segmenter": "char"}}})
    >>> doc = nlp.make_doc("今天")
    >>> annotate(doc, analyze("今天"))
    >>> doc.user_data[FEATURES_KEY].shape
    (2, 9)
    """
    if offset < 0:
        raise ValueError("offset must not be negative")
    set_char_features(doc, char_features(analysis, offset, offset + len(doc.text)))


def set_char_features(doc: Doc, chars: numpy.ndarray) -> None:
    """Store per-character features (``(len(doc.text), n_channels)``, e.g. from
    :func:`char_features`) on ``doc``: each token takes the row of its first character."""
    if chars.shape != (len(doc.text), len(CHANNELS)):
        raise ValueError(f"expected features of shape {(len(doc.text), len(CHANNELS))}, "
                         f"got {chars.shape}")
    idx = numpy.fromiter((t.idx for t in doc), dtype="int64", count=len(doc))
    doc.user_data[FEATURES_KEY] = numpy.asarray(chars[idx], dtype="int32")


def has_rule_features(doc: Doc) -> bool:
    """Whether ``doc`` carries rule features (one row per token)."""
    feats = doc.user_data.get(FEATURES_KEY)
    return (feats is not None and getattr(feats, "ndim", 0) == 2
            and feats.shape == (len(doc), len(CHANNELS)))


def doc_features(doc: Doc) -> numpy.ndarray:
    """The doc's features as an ``(n_tokens, n_channels)`` int32 array; all zeros ("nothing
    found") when it has none. Values are clipped to each channel's range."""
    if not has_rule_features(doc):
        return numpy.zeros((len(doc), len(CHANNELS)), dtype="int32")
    feats = numpy.asarray(doc.user_data[FEATURES_KEY], dtype="int32")
    return numpy.clip(feats, 0, numpy.asarray(CHANNEL_SIZES, dtype="int32") - 1)


class RuleFeatures:
    """Pipeline component: annotate docs that carry no rule features yet.

    A doc already annotated (the extractor does it per chunk with the whole notice's analysis)
    is left alone; any other doc is analysed on its own text.
    """

    def __init__(self, nlp: Language, name: str = "rectify_rule_features") -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        if not has_rule_features(doc):
            annotate(doc, analyze(doc.text), 0)
        return doc


@Language.factory("rectify_rule_features", assigns=["doc.user_data"])
def make_rule_features(nlp: Language, name: str) -> RuleFeatures:
    """Factory of the ``rectify_rule_features`` component (non-trainable; put it before
    ``tok2vec``)."""
    return RuleFeatures(nlp, name)


__all__ = ["CHANNELS", "CHANNEL_SIZES", "FEATURES_KEY", "RuleFeatures", "annotate",
           "char_features", "doc_features", "has_rule_features", "make_rule_features",
           "set_char_features"]
