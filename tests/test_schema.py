"""The output objects: serialisation round trips and schema validity."""

from __future__ import annotations

import json

from conftest import SHARED

from rectify_nlp.schema import (
    Entity,
    Inspection,
    Outcome,
    Problem,
    Rectification,
    Relation,
    Summary,
    TextSpan,
)
from rectify_nlp.validation import load_schema, schema_errors


def _example() -> Rectification:
    return Rectification(
        kind="巡察",
        inspection=Inspection(inspector="县委第三巡察组", targets=["中共青山镇委员会"],
                              start_date="2023-09-04", end_date="2023-10-27",
                              feedback_date="2023-12-15"),
        publisher="中共青山镇委员会", published_date="2024-04-10",
        summary=Summary(problems_total=12, completion_rate=0.833, measures_total=38),
        problems=[Problem(statement="乡村振兴产业发展基础薄弱", start=10, end=22, number="1.",
                          status="已完成", measures=[TextSpan("引进特色种植项目", 30, 38)],
                          outcomes=[0])],
        outcomes=[Outcome(metric="新增茶叶种植面积", value=1200.0, unit="亩", qualifier=None,
                          raw="新增茶叶种植面积1200亩", start=40, end=53, problem=0)],
        entities=[Entity("PROBLEM", "乡村振兴产业发展基础薄弱", 10, 22),
                  Entity("OUTCOME", "新增茶叶种植面积1200亩", 40, 53, score=0.9, source="model")],
        relations=[Relation("ADDRESSES", head=1, tail=0)],
    )


def test_round_trip_through_json():
    r = _example()
    assert Rectification.from_json(r.to_json()) == r


def test_integral_values_are_written_as_integers():
    d = _example().to_dict()
    assert d["outcomes"][0]["value"] == 1200 and isinstance(d["outcomes"][0]["value"], int)
    assert "score" not in d["entities"][0] and d["entities"][1]["score"] == 0.9


def test_example_and_empty_results_validate():
    assert schema_errors(_example().to_dict()) == []
    assert schema_errors(Rectification.empty().to_dict()) == []


def test_schema_errors_name_the_field():
    d = _example().to_dict()
    d["inspection"]["start_date"] = "4 April"
    errors = schema_errors(d)
    assert errors and errors[0].startswith("inspection/start_date")


def test_shipped_schema_is_the_spec():
    spec = SHARED / "spec" / "rectification.schema.json"
    if spec.exists():
        assert load_schema() == json.loads(spec.read_text(encoding="utf-8"))


def test_from_dict_ignores_unknown_keys():
    d = _example().to_dict()
    d["problems"][0]["note"] = "extra"
    d["unknown"] = 1
    assert Rectification.from_dict(d).problems[0].statement == "乡村振兴产业发展基础薄弱"


def test_to_dict_is_a_fresh_copy_like_asdict():
    from dataclasses import asdict

    result = _example()
    data = result.to_dict()
    reference = asdict(result)
    reference["summary"]["completion_rate"] = 0.833
    reference["outcomes"][0]["value"] = 1200
    for item in (*reference["entities"][:1], *reference["relations"]):
        item.pop("score")
    reference["outcomes"][0].pop("score")
    assert data == reference
    data["problems"][0]["measures"][0]["text"] = "changed"
    data["inspection"]["targets"].append("another")
    assert result.problems[0].measures[0].text == "引进特色种植项目"
    assert result.inspection.targets == ["中共青山镇委员会"]


def test_results_pickle_compactly_and_round_trip():
    """Results cross process boundaries (``pipe(n_process=2)``, Dask) as pickles."""
    import copy
    import pickle

    result = _example()
    data = pickle.dumps(result)
    assert pickle.loads(data) == result
    assert copy.deepcopy(result) == result
    assert b"statement" not in data  # field names are not repeated per object
