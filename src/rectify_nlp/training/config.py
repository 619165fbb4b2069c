"""The project's training config (``resources/configs/ner_crf.cfg``) and how it is adjusted.

>>> cfg = load_training_config(overrides={"training.max_steps": 10})
>>> cfg["training"]["max_steps"], cfg["nlp"]["tokenizer"]["segmenter"]
(10, 'char')
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from thinc.api import Config

#: The default NER config shipped with the package: character CNN tok2vec + a linear-chain CRF
#: (``rectify_crf_ner``). It won over ``ner.cfg`` (the same tok2vec with spaCy's transition-based
#: ``ner``) on ResumeNER, CLUENER and the notice corpus held out by style (docs/benchmarks.md).
DEFAULT_CONFIG = Path(__file__).resolve().parents[1] / "resources" / "configs" / "ner_crf.cfg"

#: The relation component's factory (trained after the entity components, see train.py).
RELATIONS_FACTORY = "rectify_relations"

#: The factory of the component that puts the rule layer's findings on the tokens.
RULE_FEATURES_FACTORY = "rectify_rule_features"

#: Config paths that name local files; blanked in the config saved with a trained model.
LOCAL_PATHS = ("train", "dev", "rehearse", "transformer", "init_tok2vec")


def default_config_path() -> Path:
    """Path of the default NER config (``rectify_nlp/resources/configs/ner_crf.cfg``)."""
    return DEFAULT_CONFIG


def parse_override(item: str) -> tuple[str, Any]:
    """``"section.key=value"`` → ``("section.key", value)``; the value is read as JSON when it
    parses (numbers, true/false/null, lists, quoted strings), else kept as a string.

    >>> parse_override("training.dropout=0.3"), parse_override("paths.train=a.jsonl")
    (('training.dropout', 0.3), ('paths.train', 'a.jsonl'))
    """
    key, sep, raw = item.partition("=")
    key = key.strip().lstrip("-")
    if not sep or "." not in key:
        raise ValueError(f"expected section.key=value, got {item!r}")
    try:
        value = json.loads(raw)
    except ValueError:
        value = raw
    return key, value


def load_training_config(path: str | os.PathLike[str] | None = None,
                         overrides: Mapping[str, Any] | None = None) -> Config:
    """The training config (``path`` or the default), overrides applied, not interpolated."""
    from spacy import util

    return util.load_config(Path(path) if path is not None else DEFAULT_CONFIG,
                            overrides=dict(overrides or {}), interpolate=False)


def source_from(config: Config, base_model: str | os.PathLike[str]) -> Config:
    """Adjust ``config`` to fine-tune ``base_model``: its pipeline and every component are
    sourced from it (weights, labels, architecture), the tokenizer stays the config's.
    """
    base = Path(base_model)
    base_cfg = Config().from_disk(base / "config.cfg", interpolate=False)
    # the relation component is trained in its own stage (over whole notices), not here
    pipeline = [name for name in base_cfg["nlp"]["pipeline"]
                if base_cfg["components"].get(name, {}).get("factory") != RELATIONS_FACTORY]
    config = Config(config)
    config["nlp"]["pipeline"] = pipeline
    config["components"] = {name: {"source": str(base.resolve()), "component": name}
                            for name in pipeline}
    if "rectify" in base_cfg:  # the base's combination policy goes with its components
        config["rectify"] = base_cfg["rectify"]
    # a base that reads the rules' findings must be fine-tuned on windows that carry them
    uses_features = any(base_cfg["components"].get(name, {}).get("factory") == RULE_FEATURES_FACTORY
                        for name in pipeline)
    for part in ("train", "dev"):
        if part in config.get("corpora", {}):
            config["corpora"][part]["rule_features"] = uses_features
    return config


def blank_local_paths(config: Config) -> Config:
    """A copy of ``config`` with the local data paths set to null (for saving with a model)."""
    out = Config(config)
    for key in LOCAL_PATHS:
        if key in out.get("paths", {}):
            out["paths"][key] = None
    return out
