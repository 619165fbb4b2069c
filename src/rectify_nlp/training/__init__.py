"""Training the NER pipeline: data conversion, the config, spaCy's training loop, model cards.

spaCy is imported when a function needs it. See ``docs/training.md``.

>>> from rectify_nlp.training import default_config_path
>>> default_config_path().name
'ner_crf.cfg'
"""

from rectify_nlp.training.config import default_config_path, load_training_config, parse_override
from rectify_nlp.training.data import (
    DEFAULT_WINDOW_CHARS,
    Window,
    iter_windows,
    original_to_clean,
    record_windows,
    records_hash,
    window_example,
    windows_to_docbin,
)
from rectify_nlp.training.train import render_model_card, train, write_model_card

__all__ = [
    "DEFAULT_WINDOW_CHARS",
    "Window",
    "default_config_path",
    "iter_windows",
    "load_training_config",
    "original_to_clean",
    "parse_override",
    "record_windows",
    "records_hash",
    "render_model_card",
    "train",
    "window_example",
    "windows_to_docbin",
    "write_model_card",
]
