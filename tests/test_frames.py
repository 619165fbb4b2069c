"""rectify_nlp.to_frames: five pandas tables with stable columns and a notice id in each."""

from __future__ import annotations

import sys

import pytest

import rectify_nlp
from rectify_nlp.frames import FRAME_COLUMNS, to_frames
from rectify_nlp.schema import Rectification


@pytest.fixture(scope="module")
def township(rules_extractor, township_text) -> Rectification:
    return rules_extractor(township_text, source="township.txt")


def test_missing_pandas_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # makes `import pandas` fail
    with pytest.raises(ImportError, match=r"rectify-nlp\[frames\]"):
        to_frames([])


def test_columns_and_ids(township, township_text):
    pytest.importorskip("pandas")
    frames = rectify_nlp.to_frames([township, Rectification.empty()])
    assert list(frames) == ["notices", "problems", "outcomes", "entities", "relations"]
    for name, frame in frames.items():
        assert tuple(frame.columns) == FRAME_COLUMNS[name]
    notices = frames["notices"]
    assert notices["notice"].tolist() == ["township.txt", 1]  # source, else the position
    row = notices.iloc[0]
    assert row["problems_total"] == 12 and row["completion_rate"] == pytest.approx(0.833)
    assert row["n_problems"] == len(township.problems) == len(frames["problems"])
    assert row["targets"] == township.inspection.targets
    assert str(notices["problems_total"].dtype) == "Int64"
    assert notices["problems_total"].isna().tolist() == [False, True]

    problems, outcomes = frames["problems"], frames["outcomes"]
    assert problems["problem"].tolist() == list(range(len(township.problems)))
    assert len(outcomes) == len(township.outcomes)
    for o in outcomes.itertuples():
        assert township_text[o.start:o.end] == o.raw
    # outcomes join to their problems on (notice, problem)
    joined = outcomes.dropna(subset=["problem"]).merge(
        problems, on=["notice", "problem"], suffixes=("", "_problem"))
    assert len(joined) == outcomes["problem"].notna().sum() > 0
    for row in joined.itertuples():
        assert township.problems[row.problem].statement == row.statement

    entities, relations = frames["entities"], frames["relations"]
    assert len(entities) == len(township.entities)
    assert (entities["notice"] == "township.txt").all()
    assert len(relations) == len(township.relations) > 0
    first = relations.iloc[0]
    assert first["head_text"] == township.entities[int(first["head"])].text
    assert first["tail_label"] == township.entities[int(first["tail"])].label


def test_mapping_keys_are_the_ids_and_empty_input_keeps_columns(township):
    pytest.importorskip("pandas")
    frames = to_frames({"青山镇": township})
    assert set(frames["outcomes"]["notice"]) == {"青山镇"}
    empty = to_frames([])
    for name, frame in empty.items():
        assert frame.empty and tuple(frame.columns) == FRAME_COLUMNS[name]
    assert str(empty["outcomes"]["value"].dtype) == "float64"
    assert str(empty["problems"]["parent"].dtype) == "Int64"
