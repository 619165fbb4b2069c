"""How the rule layer's entities and the model's combine into one entity list.

A *policy* says, per label, whose spans stand (see docs/design.md, "Rules and model"):

* ``rules``: the rule spans only (the model's are ignored);
* ``model``: the model's spans only (the model was trained with the rules' findings as
  features, so it already saw them: "the rules propose, the model decides");
* ``union``: the rule spans, plus each model span that overlaps no rule span of its label
  (the model fills what the rules missed);
* ``model_then_rules``: the model's spans, plus each rule span that overlaps no model span of
  its label (the rules fill what the model missed).

A pipeline carries its policy in the ``[rectify]`` section of its ``config.cfg``::

    [rectify.combine]
    ORG = "model_then_rules"
    PROBLEM = "rules"

A label it does not name gets :data:`DEFAULT_POLICY`.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from typing import Literal

from rectify_nlp.spans import Span

Policy = Literal["rules", "model", "union", "model_then_rules"]
POLICIES: tuple[str, ...] = ("rules", "model", "union", "model_then_rules")
#: What a pipeline without a stated policy gets (the behaviour of a plain NER model).
DEFAULT_POLICY: Policy = "union"


def resolve_policy(policy: str | Mapping[str, str] | None, labels: Sequence[str]) -> dict[str, str]:
    """``{label: policy}`` for every label; a single string applies to all labels.

    >>> resolve_policy({"ORG": "model"}, ["ORG", "DATE"])
    {'ORG': 'model', 'DATE': 'union'}
    """
    if policy is None or isinstance(policy, str):
        out = {label: policy or DEFAULT_POLICY for label in labels}
    else:
        out = {label: str(policy.get(label, DEFAULT_POLICY)) for label in labels}
    bad = sorted({p for p in out.values() if p not in POLICIES})
    if bad:
        raise ValueError(f"unknown combination policy {bad}; expected one of {POLICIES}")
    return out


def combine_entities(rule_spans: Sequence[Span], model_spans: Sequence[Span],
                     policy: str | Mapping[str, str] | None = None) -> list[Span]:
    """One entity list from the rules' and the model's spans, sorted by position.

    >>> rules = [Span(0, 4, "ORG", "区委巡察")]
    >>> model = [Span(0, 6, "ORG", "区委巡察一组"), Span(8, 10, "ORG", "街道")]
    >>> [s.text for s in combine_entities(rules, model, "union")]
    ['区委巡察', '街道']
    >>> [s.text for s in combine_entities(rules, model, "model")]
    ['区委巡察一组', '街道']
    """
    labels = sorted({s.label for s in rule_spans} | {s.label for s in model_spans})
    plan = resolve_policy(policy, labels)
    out: list[Span] = []
    for label in labels:
        rules = [s for s in rule_spans if s.label == label]
        model = [s for s in model_spans if s.label == label]
        how = plan[label]
        if how == "rules":
            chosen = rules
        elif how == "model":
            chosen = model
        elif how == "union":
            chosen = rules + _not_overlapping(model, rules)
        else:
            chosen = model + _not_overlapping(rules, model)
        out.extend({(s.start, s.end): s for s in chosen}.values())
    out.sort(key=lambda s: (s.start, -s.end, s.label))
    return out


def _not_overlapping(spans: Sequence[Span], others: Sequence[Span]) -> list[Span]:
    """The spans of ``spans`` that overlap none of ``others`` (O((n + m) log m))."""
    items = sorted((o.start, o.end) for o in others)
    starts, max_ends, hi = [], [], -1
    for a, b in items:  # ``others`` may overlap each other: keep a running max of ends
        hi = max(hi, b)
        starts.append(a)
        max_ends.append(hi)
    kept = []
    for s in spans:
        i = bisect.bisect_left(starts, s.end)  # others starting before s ends
        if i > 0 and max_ends[i - 1] > s.start:
            continue
        kept.append(s)
    return kept
