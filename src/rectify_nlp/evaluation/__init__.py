"""Evaluation of extracted rectifications against gold ones.

Re-implements the official scorer (``shared/eval/score.py``) with identical numbers for
every key it reports, and adds entity/relation metrics per label (exact and overlapping
boundaries, micro and macro). See ``docs/evaluation_metrics.md``.

>>> from rectify_nlp.evaluation import evaluate_pairs
>>> report = evaluate_pairs([("doc", {"kind": "巡察"}, {"kind": "巡察"})])
>>> report.scores["field:kind"].to_dict()
{'p': 1.0, 'r': 1.0, 'f': 1.0, 'tp': 1, 'gold': 1, 'pred': 1}
"""

from .matching import char_f1, greedy_match, norm, same
from .notice import evaluate_folders, evaluate_pairs, outcome_score, score_notice
from .report import PRF, EvaluationReport, MacroPRF, macro_average, merge_scores
from .spans import add_macro_averages, entity_scores, relation_scores, relation_triples

__all__ = [
    "PRF",
    "EvaluationReport",
    "MacroPRF",
    "add_macro_averages",
    "char_f1",
    "entity_scores",
    "evaluate_folders",
    "evaluate_pairs",
    "greedy_match",
    "macro_average",
    "merge_scores",
    "norm",
    "outcome_score",
    "relation_scores",
    "relation_triples",
    "same",
    "score_notice",
]
