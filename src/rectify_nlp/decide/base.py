"""Candidates, the gold they are labelled from, and the decider protocol."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from rectify_nlp.rules.analysis import RuleAnalysis


@dataclass(frozen=True)
class Candidate:
    """A span (clean-text offsets) a rule proposes, with what it would become.

    ``label`` names the decision (``ORG``, ``OUTCOME``, ``PROBLEM``, ``TARGET``…);
    ``proposer`` names the rule that proposed it (``orgs.find_orgs``, ``outcomes.left_extent``…);
    ``group`` ties alternatives together (at most one of a group is kept; -1: no group);
    ``ref`` is the rule object behind it (an ``OutcomeMention``, an outline node index…), so
    nothing has to be found again by overlap.
    """

    start: int
    end: int
    label: str
    proposer: str
    group: int = -1
    ref: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class GoldView:
    """One notice's gold annotation in clean-text offsets, for labelling candidates.

    ``entities`` maps a label to its gold ``(start, end)`` spans; ``fields`` is the gold
    rectification dict (``inspection``, ``problems``, ``outcomes``… with original offsets);
    ``to_clean`` maps an original ``(start, end)`` to clean offsets.
    """

    entities: dict[str, frozenset[tuple[int, int]]]
    fields: dict[str, Any]
    to_clean: Callable[[int, int], tuple[int, int]]

    def spans(self, label: str) -> frozenset[tuple[int, int]]:
        return self.entities.get(label, frozenset())


@runtime_checkable
class Decider(Protocol):
    """One kind of decision: propose candidates, describe them, write the choice back."""

    #: registry name, also the model's file name in a saved pipeline
    name: str

    def propose(self, text: str, analysis: RuleAnalysis) -> list[Candidate]:
        """Candidates in ``text`` (the clean text ``analysis`` was made from)."""
        ...

    def features(self, text: str, analysis: RuleAnalysis,
                 candidates: Sequence[Candidate]) -> list[list[str]]:
        """One list of string features per candidate."""
        ...

    def gold(self, candidates: Sequence[Candidate], gold: GoldView) -> list[int]:
        """1 for each candidate the gold annotation keeps, else 0."""
        ...

    def apply(self, text: str, analysis: RuleAnalysis, candidates: Sequence[Candidate],
              scores: Sequence[float], threshold: float) -> RuleAnalysis:
        """``analysis`` with this decision made: candidates scored at or above ``threshold``
        are kept (the best of each group), the rest dropped."""
        ...


#: name → "module:attribute" of a class whose instances are deciders (imported on demand)
_DECIDERS: dict[str, str] = {
    "orgs": "rectify_nlp.decide.orgs:OrgDecider",
    "targets": "rectify_nlp.decide.targets:TargetDecider",
    "outcomes": "rectify_nlp.decide.outcomes:OutcomeDecider",
    "outline": "rectify_nlp.decide.outline:OutlineRoleDecider",
}


def registered_deciders() -> list[str]:
    """The names :func:`get_decider` knows, in the order a pipeline applies them."""
    return list(_DECIDERS)


def get_decider(name: str) -> Decider:
    """A fresh decider by registry name.

    >>> get_decider("nope")
    Traceback (most recent call last):
    ...
    KeyError: "unknown decider 'nope'; known: orgs, targets, outcomes, outline"
    """
    if name not in _DECIDERS:
        raise KeyError(f"unknown decider {name!r}; known: {', '.join(_DECIDERS)}")
    module, attr = _DECIDERS[name].split(":")
    decider: Decider = getattr(importlib.import_module(module), attr)()
    return decider


def exact_matches(candidates: Sequence[Candidate], gold: GoldView, label: str) -> list[int]:
    """1 for each candidate whose span is exactly a gold ``label`` span, else 0 (how the
    entity scores count a match).

    >>> g = GoldView({"ORG": frozenset({(0, 4)})}, {}, lambda a, b: (a, b))
    >>> exact_matches([Candidate(0, 4, "ORG", "a"), Candidate(0, 3, "ORG", "a")], g, "ORG")
    [1, 0]
    """
    spans = gold.spans(label)
    return [int((c.start, c.end) in spans) for c in candidates]


def best_of_groups(candidates: Sequence[Candidate], scores: Sequence[float],
                   threshold: float) -> list[int]:
    """Indices of the kept candidates: at or above ``threshold``, the best of each group
    (ties: the earlier candidate), in candidate order.

    >>> c = [Candidate(0, 2, "ORG", "a", 0), Candidate(0, 3, "ORG", "b", 0), Candidate(5, 6, "ORG", "a")]
    >>> best_of_groups(c, [0.6, 0.9, 0.7], 0.5)
    [1, 2]
    """
    best: dict[int, int] = {}
    kept: list[int] = []
    for i, (c, s) in enumerate(zip(candidates, scores)):
        if s < threshold:
            continue
        if c.group < 0:
            kept.append(i)
        elif c.group not in best or s > scores[best[c.group]]:
            best[c.group] = i
    return sorted(kept + list(best.values()))
