"""Validate output against the rectification JSON schema (a copy ships in ``resources/``)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def load_schema() -> dict[str, Any]:
    """The rectification JSON schema shipped with the package."""
    text = resources.files("rectify_nlp").joinpath("resources/rectification.schema.json")
    return json.loads(text.read_text(encoding="utf-8"))


def schema_errors(data: dict[str, Any]) -> list[str]:
    """Messages of every schema violation in ``data`` (empty when valid).

    Needs the optional ``jsonschema`` package (``pip install rectify-nlp[test]``).
    """
    try:
        import jsonschema
    except ImportError as exc:  # pragma: no cover
        raise ImportError("schema validation needs 'jsonschema': pip install jsonschema") from exc
    validator = jsonschema.Draft202012Validator(load_schema())
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
            for e in validator.iter_errors(data)]
