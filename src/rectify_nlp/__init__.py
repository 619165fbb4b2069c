"""rectify_nlp: structured data from Chinese inspection rectification notices.

>>> import rectify_nlp
>>> extractor = rectify_nlp.load()            # the shipped pipeline (or the rule layer)
>>> result = extractor("……")                  # a Rectification
>>> result.to_json()                           # schema-valid JSON  # doctest: +SKIP

The public names are imported lazily, so ``import rectify_nlp.normalizers.dates`` stays light
(no spaCy import).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "Extractor": "rectify_nlp.extractor",
    "load": "rectify_nlp.extractor",
    "extract": "rectify_nlp.extractor",
    "Rectification": "rectify_nlp.schema",
    "RectifyError": "rectify_nlp.errors",
    "RectifyInputError": "rectify_nlp.errors",
    "RectifyModelError": "rectify_nlp.errors",
    "to_frames": "rectify_nlp.frames",
}

if TYPE_CHECKING:  # pragma: no cover
    from rectify_nlp.errors import RectifyError, RectifyInputError, RectifyModelError
    from rectify_nlp.extractor import Extractor, extract, load
    from rectify_nlp.frames import to_frames
    from rectify_nlp.schema import Rectification


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'rectify_nlp' has no attribute {name!r}")


__all__ = ["Extractor", "Rectification", "RectifyError", "RectifyInputError",
           "RectifyModelError", "__version__", "extract", "load", "to_frames"]
