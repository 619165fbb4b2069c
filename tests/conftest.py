"""Shared fixtures: a notice written for the tests, the schema, the corpus notices."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).resolve().parent / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def township_text() -> str:
    """An invented township notice (county 巡察), in a house style none of the seeds use."""
    return (DATA / "township_notice.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def schema() -> dict:
    from rectify_nlp.validation import load_schema

    return load_schema()


@pytest.fixture(scope="session")
def corpus_notices() -> list[Path]:
    return sorted((ROOT / "corpus" / "notices").glob("*.txt"))


@pytest.fixture(scope="session")
def rules_extractor():
    import rectify_nlp

    return rectify_nlp.load("rules")


def load_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
