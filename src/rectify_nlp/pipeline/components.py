"""spaCy factories of rectify_nlp.

``rectify_rules`` runs the rule layer inside any spaCy pipeline and writes its entities to
``doc.spans["rectify_rules"]`` (labels ORG, DATE, PROBLEM, OUTCOME; overlapping allowed) and the
full analysis to ``doc._.rectify_rules``::

    nlp = rectify_nlp.pipeline.blank_pipeline()
    nlp.add_pipe("rectify_rules")
    doc = nlp("2024年4月3日至6月17日,区委第三巡察组对某街道党工委开展了巡察……")
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from rectify_nlp.pipeline import features  # noqa: F401  (registers rectify.CharBigramEmbed.v1)
from rectify_nlp.rules.analysis import RuleAnalysis, analyze

SPANS_KEY = "rectify_rules"

if not Doc.has_extension("rectify_rules"):
    Doc.set_extension("rectify_rules", default=None)


class RuleComponent:
    """Runs :func:`rectify_nlp.rules.analysis.analyze` on ``doc.text``."""

    def __init__(self, nlp: Language, name: str, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        analysis: RuleAnalysis = analyze(doc.text)
        doc._.rectify_rules = analysis
        group = []
        for s in analysis.entity_spans():
            span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="expand")
            if span is not None:
                group.append(span)
        doc.spans[self.spans_key] = group
        return doc


@Language.factory(
    "rectify_rules",
    assigns=["doc.spans", "doc._.rectify_rules"],
    default_config={"spans_key": SPANS_KEY},
)
def make_rule_component(nlp: Language, name: str, spans_key: str) -> RuleComponent:
    """Factory of the rule component (see module docstring)."""
    return RuleComponent(nlp, name, spans_key)
