"""``rectify_decide``: the spaCy component that holds a pipeline's trained deciders.

It reads the rule layer's analysis from ``doc._.rectify_rules`` (written by the
``rectify_rules`` component before it) and writes the decided analysis back, with its entities
on ``doc._.rectify_entities`` and ``doc.spans[spans_key]``; assembly reads those. Each decider's model is saved
as ``<name>.msgpack`` in the component's folder, and the config names the deciders in the order
they apply::

    [components.decide]
    factory = "rectify_decide"
    deciders = ["orgs", "outcomes"]
    threshold = 0.5
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from rectify_nlp.decide.base import Decider, get_decider
from rectify_nlp.decide.linear import LinearModel
from rectify_nlp.rules.analysis import RuleAnalysis

logger = logging.getLogger(__name__)

from rectify_nlp.pipeline.components import SPANS_KEY, doc_text, set_entities  # noqa: E402


class DecideComponent:
    """Applies trained deciders, in order, to a notice's rule analysis."""

    def __init__(self, nlp: Language | None, name: str, deciders: Sequence[str],
                 threshold: float = 0.5, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key
        self.threshold = float(threshold)
        self.deciders: dict[str, Decider] = {n: get_decider(n) for n in deciders}
        self.models: dict[str, LinearModel] = {}

    def __repr__(self) -> str:
        return f"DecideComponent(deciders={list(self.deciders)}, trained={sorted(self.models)})"

    def set_model(self, name: str, model: LinearModel) -> None:
        if name not in self.deciders:
            raise KeyError(f"{name!r} is not one of this component's deciders "
                           f"({', '.join(self.deciders)})")
        self.models[name] = model

    def decide(self, text: str, analysis: RuleAnalysis) -> RuleAnalysis:
        """``analysis`` (of the clean ``text``) with every trained decider's choice made."""
        if not analysis.is_notice:
            return analysis
        for name, decider in self.deciders.items():
            model = self.models.get(name)
            if model is None:
                continue
            candidates = decider.propose(text, analysis)
            if not candidates:
                continue
            scores = model.scores(decider.features(text, analysis, candidates))
            analysis = decider.apply(text, analysis, candidates, scores.tolist(),
                                     self.threshold)
        return analysis

    def __call__(self, doc: Doc) -> Doc:
        analysis = doc._.rectify_rules
        if analysis is None:
            raise ValueError(f"{self.name}: no rule analysis on the Doc; add the "
                             "'rectify_rules' component before 'rectify_decide'")
        decided = self.decide(doc_text(doc), analysis)
        doc._.rectify_rules = decided
        set_entities(doc, decided.entity_spans(), self.spans_key)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    # -- serialisation -------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, model in self.models.items():
            (path / f"{name}.msgpack").write_bytes(model.to_bytes())
        srsly.write_json(path / "cfg", {"trained": sorted(self.models)})

    def from_disk(self, path: str | Path, *, exclude: Sequence[str] = ()) -> DecideComponent:
        path = Path(path)
        self.models = {}
        for name in self.deciders:
            f = path / f"{name}.msgpack"
            if f.exists():
                self.models[name] = LinearModel.from_bytes(f.read_bytes())
            else:
                logger.warning("decider %r has no trained model in %s: left to the rules",
                               name, path)
        return self

    def to_bytes(self, *, exclude: Sequence[str] = ()) -> bytes:
        return srsly.msgpack_dumps({n: m.to_bytes() for n, m in self.models.items()})

    def from_bytes(self, data: bytes, *, exclude: Sequence[str] = ()) -> DecideComponent:
        self.models = {n: LinearModel.from_bytes(b) for n, b in srsly.msgpack_loads(data).items()
                       if n in self.deciders}
        return self


@Language.factory(
    "rectify_decide",
    requires=["doc._.rectify_rules"],
    assigns=["doc._.rectify_rules", "doc._.rectify_entities", "doc.spans"],
    default_config={"deciders": ["orgs", "targets", "outcomes", "outline"], "threshold": 0.5,
                    "spans_key": SPANS_KEY},
)
def make_decide(nlp: Language, name: str, deciders: list[str], threshold: float,
                spans_key: str) -> DecideComponent:
    """Factory of :class:`DecideComponent`."""
    return DecideComponent(nlp, name, deciders, threshold, spans_key)
