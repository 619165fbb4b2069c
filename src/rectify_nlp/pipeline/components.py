"""spaCy factories of rectify_nlp: the rule layer on the ``Doc``, and the structural links.

A pipeline that extracts is one spaCy pipeline (``rectify_nlp.load(path)`` is decode → clean
→ ``nlp.pipe`` → assemble)::

    rectify_rules   the rule layer, once per notice: its analysis on doc._.rectify_rules, its
                    entities on doc._.rectify_entities and doc.spans[spans_key]
    rectify_decide  trained deciders choose among the rules' candidates (rectify_nlp.decide)
                    and rewrite both
    rectify_links   the structural relations over those entities: doc._.relations
    (or rectify_relations, the trained relation component, in place of rectify_links)

``rectify_rules`` runs in any spaCy pipeline too::

    nlp = rectify_nlp.pipeline.blank_pipeline()
    nlp.add_pipe("rectify_rules")
    doc = nlp("2024年4月3日至6月17日,区委第三巡察组对某街道党工委开展了巡察……")

Offsets on the ``Doc`` index ``doc.text``; the extractor makes the ``Doc`` from the clean text
and maps them back to the caller's input.
"""

from __future__ import annotations

from collections.abc import Sequence

from spacy.language import Language
from spacy.tokens import Doc

from rectify_nlp.pipeline import features  # noqa: F401  (registers rectify.CharBigramEmbed.v1)
from rectify_nlp.rules.analysis import RuleAnalysis, analyze
from rectify_nlp.spans import Span

SPANS_KEY = "rectify_rules"

for _name in ("rectify_rules", "rectify_entities", "rectify_page_date", "relations"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


_TEXT_KEY = ("rectify_nlp", "text")


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per ``Doc`` (spaCy joins every token's text on each access:
    ~0.5 s for 200,000 characters) and kept in ``doc.user_data``; a ``Doc``'s text never
    changes. The extractor fills it in with the clean text it made the ``Doc`` from."""
    text = doc.user_data.get(_TEXT_KEY)
    if text is None:
        text = doc.user_data[_TEXT_KEY] = doc.text
    return str(text)


def set_doc_text(doc: Doc, text: str) -> None:
    """Record ``text`` as the text of ``doc`` (which must be made from it) for :func:`doc_text`."""
    doc.user_data[_TEXT_KEY] = text


def set_entities(doc: Doc, spans: Sequence[Span], spans_key: str) -> None:
    """Put ``spans`` (offsets into ``doc.text``) on the ``Doc``: our :class:`Span` objects in
    ``doc._.rectify_entities`` and spaCy spans in ``doc.spans[spans_key]``, one for one (a
    span that does not fall on token boundaries is left out of both)."""
    kept, group = [], []
    for s in spans:
        span = doc.char_span(s.start, s.end, label=s.label, alignment_mode="strict")
        if span is not None:
            kept.append(s)
            group.append(span)
    doc._.rectify_entities = kept
    doc.spans[spans_key] = group


class RuleComponent:
    """Runs :func:`rectify_nlp.rules.analysis.analyze` on ``doc.text`` (with the page date
    in ``doc._.rectify_page_date``, if the extractor found one in the page chrome)."""

    def __init__(self, nlp: Language, name: str, spans_key: str = SPANS_KEY) -> None:
        self.name = name
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        analysis: RuleAnalysis = analyze(doc_text(doc), page_date=doc._.rectify_page_date)
        doc._.rectify_rules = analysis
        set_entities(doc, analysis.entity_spans(), self.spans_key)
        return doc


@Language.factory(
    "rectify_rules",
    assigns=["doc.spans", "doc._.rectify_rules", "doc._.rectify_entities"],
    default_config={"spans_key": SPANS_KEY},
)
def make_rule_component(nlp: Language, name: str, spans_key: str) -> RuleComponent:
    """Factory of the rule component (see module docstring)."""
    return RuleComponent(nlp, name, spans_key)


class LinksComponent:
    """The structural relations (:func:`rectify_nlp.assemble.relations.structural_relations`)
    over ``doc._.rectify_entities``: indices into it, in ``doc._.relations``."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        from rectify_nlp.assemble.relations import structural_relations

        analysis = doc._.rectify_rules
        entities = doc._.rectify_entities or []
        doc._.relations = (structural_relations(doc_text(doc), entities, analysis)
                           if analysis is not None and analysis.is_notice else [])
        return doc


@Language.factory(
    "rectify_links",
    requires=["doc._.rectify_rules", "doc._.rectify_entities"],
    assigns=["doc._.relations"],
)
def make_links_component(nlp: Language, name: str) -> LinksComponent:
    """Factory of :class:`LinksComponent`."""
    return LinksComponent(nlp, name)
