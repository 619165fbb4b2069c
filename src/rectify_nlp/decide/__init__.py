"""Rules propose, trained components decide.

The rule layer (:mod:`rectify_nlp.rules`) finds organisations, outcomes, outline headings and
header slots with high recall, and for each finding it can offer alternatives (other
boundaries, other roles). A *decider* turns one kind of finding into :class:`Candidate` spans,
describes each with features, and, given a trained :class:`~rectify_nlp.decide.linear.LinearModel`'s
scores, writes its choice back into the :class:`~rectify_nlp.rules.analysis.RuleAnalysis`, so
assembly reads decisions, not raw rule output. Every candidate keeps the name of what proposed
it.

* :mod:`~rectify_nlp.decide.base`: :class:`Candidate`, :class:`GoldView`, the :class:`Decider`
  protocol and the registry of deciders;
* :mod:`~rectify_nlp.decide.linear`: the hashed-feature logistic regression every decider uses;
* :mod:`~rectify_nlp.decide.component`: the spaCy component ``rectify_decide`` that holds the
  trained deciders of a pipeline;
* :mod:`~rectify_nlp.decide.train`: candidates labelled from gold annotations, training, and
  leave-one-group-out evaluation.
"""

from rectify_nlp.decide.base import Candidate, Decider, GoldView, get_decider, registered_deciders

__all__ = ["Candidate", "Decider", "GoldView", "get_decider", "registered_deciders"]
