"""spaCy registered functions of rectify_nlp's training (``rectify.*.v1``).

Importing this module registers them; it is also the file to pass to spaCy's own CLI::

    python -m spacy train src/rectify_nlp/resources/configs/ner.cfg \\
        --code src/rectify_nlp/training/registry.py \\
        --paths.train corpus/gold.jsonl --output /tmp/spacy_out

* ``rectify.Corpus.v1`` (reader): any corpus file :func:`rectify_nlp.corpus.load_corpus` reads,
  as ``Example`` windows of CLEAN text (see :mod:`rectify_nlp.training.data`), with a stable
  dev hold-out when no dev file is given and an optional rehearsal sample mixed in; with
  ``rule_features = true`` every window's doc carries the rule layer's findings
  (:mod:`rectify_nlp.pipeline.rule_features`, for ``rectify.RuleFeatureEmbed.v1``);
* ``rectify.add_ner_labels.v1`` (callback for ``[initialize.before_init]``): adds every label
  to the NER component, so a model knows all four labels even when the data lacks one.

>>> import spacy, rectify_nlp.training.registry
>>> spacy.registry.readers.get("rectify.Corpus.v1").__name__
'create_corpus_reader'
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import spacy

import rectify_nlp.pipeline.components  # noqa: F401  (registers the project's factories and layers)
import rectify_nlp.pipeline.rule_features  # noqa: F401  (registers rectify_rule_features)
from rectify_nlp.training.data import (
    DEFAULT_WINDOW_CHARS,
    Window,
    holdout_keys,
    iter_windows,
    window_example,
)

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.training import Example

logger = logging.getLogger(__name__)

PARTS = ("train", "dev", "all")


def _read_windows(path: str | Path, max_chars: int, labels: Sequence[str] | None,
                  rule_features: bool = False) -> list[Window]:
    from rectify_nlp.corpus import load_corpus

    return list(iter_windows(load_corpus(path), max_chars, labels,
                             rule_features=rule_features))


class RectifyCorpus:
    """Callable ``nlp -> Iterator[Example]`` over one part of a corpus (see module docstring).

    The windows are read once and cached. Each call yields them (plus, for ``part="train"``,
    a fresh random rehearsal sample of ``rehearse_ratio`` × as many windows from
    ``rehearse_path``) in a shuffled order.
    """

    def __init__(self, path: str | Path | None, *, dev_path: str | Path | None = None,
                 part: str = "train", holdout: float = 0.1,
                 max_chars: int = DEFAULT_WINDOW_CHARS,
                 rehearse_path: str | Path | None = None, rehearse_ratio: float = 0.5,
                 labels: Sequence[str] | None = None, limit: int = 0,
                 rule_features: bool = False) -> None:
        if part not in PARTS:
            raise ValueError(f"part must be one of {PARTS}, got {part!r}")
        if max_chars < 1:
            raise ValueError("max_chars must be positive")
        self.path = path
        self.dev_path = dev_path
        self.part = part
        self.holdout = holdout
        self.max_chars = max_chars
        self.rehearse_path = rehearse_path
        self.rehearse_ratio = rehearse_ratio
        self.labels = list(labels) if labels is not None else None
        self.limit = limit
        self.rule_features = rule_features
        self._windows: list[Window] | None = None
        self._rehearsal: list[Window] | None = None
        self._calls = 0

    def windows(self) -> list[Window]:
        """The windows of this part (cached)."""
        if self._windows is None:
            self._windows = self._load()
        return self._windows

    def _load(self) -> list[Window]:
        if self.part == "dev" and self.dev_path is not None:
            return _read_windows(self.dev_path, self.max_chars, self.labels, self.rule_features)
        if self.path is None:
            raise ValueError("rectify.Corpus.v1: no corpus path (set paths.train)")
        windows = _read_windows(self.path, self.max_chars, self.labels, self.rule_features)
        if self.part == "all":
            return windows
        if self.dev_path is not None:  # an explicit dev file: train on everything
            return windows
        held = holdout_keys(windows, self.holdout)
        if self.part == "dev":
            if not held:  # one window only: score on it (better than no dev set)
                logger.warning("corpus too small for a dev hold-out; dev = train")
                return windows
            return [w for w in windows if w.key() in held]
        return [w for w in windows if w.key() not in held]

    def rehearsal_sample(self, rng: random.Random) -> list[Window]:
        """A random sample of the rehearsal windows (empty without ``rehearse_path``)."""
        if self.part != "train" or self.rehearse_path is None or self.rehearse_ratio <= 0:
            return []
        if self._rehearsal is None:
            self._rehearsal = _read_windows(self.rehearse_path, self.max_chars, self.labels,
                                            self.rule_features)
        n = min(len(self._rehearsal), max(1, round(self.rehearse_ratio * len(self.windows()))))
        return rng.sample(self._rehearsal, n)

    def __call__(self, nlp: Language) -> Iterator[Example]:
        rng = random.Random(self._calls)
        self._calls += 1
        windows = list(self.windows())
        if self.part == "train":
            windows += self.rehearsal_sample(rng)
            rng.shuffle(windows)
        if self.limit:
            windows = windows[: self.limit]
        for w in windows:
            yield window_example(nlp, w)


@spacy.registry.readers("rectify.Corpus.v1")
def create_corpus_reader(path: str | None, dev_path: str | None = None, part: str = "train",
                         holdout: float = 0.1, max_chars: int = DEFAULT_WINDOW_CHARS,
                         rehearse_path: str | None = None, rehearse_ratio: float = 0.5,
                         labels: list[str] | None = None,
                         limit: int = 0,
                         rule_features: bool = False) -> Callable[[Language], Iterator[Example]]:
    """The corpus reader of the project's config (see :class:`RectifyCorpus`).

    ``part``: ``"train"`` (all windows of ``path`` except the dev hold-out, unless
    ``dev_path`` is given), ``"dev"`` (``dev_path``, else the hold-out of ``path``) or
    ``"all"``. ``holdout``: fraction of windows held out for dev when there is no dev file.
    ``rule_features``: analyse each record once with the rule layer and put its findings on
    every window's doc (for a pipeline with ``rectify_rule_features``).
    """
    return RectifyCorpus(path, dev_path=dev_path, part=part, holdout=holdout,
                         max_chars=max_chars, rehearse_path=rehearse_path,
                         rehearse_ratio=rehearse_ratio, labels=labels, limit=limit,
                         rule_features=rule_features)


@spacy.registry.callbacks("rectify.add_ner_labels.v1")
def create_add_ner_labels(component: str = "ner",
                          labels: list[str] | None = None) -> Callable[[Language], Language]:
    """``[initialize.before_init]`` callback: add ``labels`` to the ``component`` NER."""
    wanted = list(labels or ())

    def add_labels(nlp: Language) -> Language:
        if component in nlp.pipe_names:
            pipe = nlp.get_pipe(component)
            for label in wanted:
                pipe.add_label(label)  # type: ignore[attr-defined]
        return nlp

    return add_labels
