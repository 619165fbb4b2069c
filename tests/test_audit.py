"""rectify_nlp.audit: each check on invented notices in the genre, then on hand-built results;
the ``rectify audit`` command's JSON and text output."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from rectify_nlp.audit import CHECKS, Finding, audit, parse_numbering
from rectify_nlp.cli import cli
from rectify_nlp.schema import Inspection, Outcome, Problem, Rectification, Summary, TextSpan

_ITEMS = (
    "针对乡村振兴产业发展基础薄弱的问题。引进特色种植项目,新增茶叶种植面积1200亩。",
    "针对农村人居环境整治不彻底的问题。开展村庄清洁行动,清理垃圾1.5万吨。",
    "针对“三重一大”制度执行不严格的问题。修订完善议事规则,对3名相关责任人进行约谈提醒。",
    "针对基层党组织建设薄弱的问题。整顿软弱涣散村党组织2个。",
    "针对作风建设不扎实的问题。开展作风专项整治,查处问题线索4条。",
)


def notice(summary: str = "镇党委针对反馈的5项问题,制定整改措施12条。", *,
           numbers: tuple[int, ...] = (1, 2, 3, 4, 5), extra: str = "",
           feedback: str = "2023年12月15日") -> str:
    """An invented township notice: five problems numbered 1.–5. unless told otherwise."""
    items = "\n".join(f"{n}.{_ITEMS[i]}" for i, n in enumerate(numbers))
    return ("中共青山镇委员会关于县委巡察整改进展情况的通报\n\n"
            "根据县委统一部署,2023年9月4日至10月27日,县委第三巡察组对中共青山镇委员会开展了"
            f"常规巡察。{feedback},县委第三巡察组向青山镇党委反馈了巡察意见。"
            "现将巡察整改进展情况予以公布。\n\n一、整改工作组织情况\n"
            f"{summary}{extra}\n\n二、巡察反馈问题整改落实情况\n{items}\n\n"
            "中共青山镇委员会\n2024年4月10日\n")


@pytest.fixture(scope="module")
def run(rules_extractor):
    def _run(text: str) -> tuple[Rectification, list[Finding]]:
        result = rules_extractor(text)
        return result, audit(result)
    return _run


def only(findings: list[Finding], check: str) -> list[Finding]:
    return [f for f in findings if f.check == check]


def assert_spans_index(text: str, finding: Finding) -> None:
    assert finding.spans
    for s in finding.spans:
        assert text[s.start:s.end] == s.text


# -- on invented notices --------------------------------------------------------------------------
def test_a_consistent_notice_has_no_finding(run):
    result, findings = run(notice())
    assert len(result.problems) == 5 and result.summary.problems_total == 5
    assert findings == []
    assert result.audit() == []


def test_five_problems_stated_four_listed(run):
    text = notice(numbers=(1, 2, 3, 4))
    _, findings = run(text)
    [f] = only(findings, "problems_count")
    assert f.severity == "info"
    assert "states 5" in f.message and "lists 4" in f.message and "level 1" in f.message
    assert f.spans[0].text == "5项"  # the stated figure first, then the statements listed
    assert len(f.spans) == 5
    assert_spans_index(text, f)


def test_six_rectified_of_five(run):
    text = notice("针对反馈的5项问题,已完成整改问题6项。")
    _, findings = run(text)
    [f] = only(findings, "rectified_le_total")
    assert f.severity == "error"
    assert {s.text for s in f.spans} == {"5项", "6项"}
    assert_spans_index(text, f)


def test_full_completion_rate_with_three_of_five_done(run):
    text = notice("针对反馈的5项问题,已完成整改问题3项,整改完成率100%。")
    result, findings = run(text)
    assert result.summary.spans["completion_rate"].text == "整改完成率100%"
    [f] = only(findings, "completion_rate")
    assert "100%" in f.message and "60%" in f.message
    assert_spans_index(text, f)


def test_rate_within_half_a_point_is_consistent(run):
    _, findings = run(notice("针对反馈的12项问题,已完成整改问题10项,整改完成率83.3%。"))
    assert only(findings, "completion_rate") == []


def test_feedback_before_the_inspection(run):
    text = notice(feedback="2023年8月15日")
    result, findings = run(text)
    assert result.inspection.feedback_date == "2023-08-15"
    [f] = only(findings, "date_order")
    assert "2023-08-15" in f.message and "feedback" in f.message
    assert_spans_index(text, f)


def test_numbering_gap(run):
    text = notice(numbers=(1, 2, 4))
    _, findings = run(text)
    [f] = only(findings, "numbering")
    assert "missing 3" in f.message
    assert_spans_index(text, f)


def test_share_over_100(run):
    text = notice(extra="全镇党员参学占比120%。")
    _, findings = run(text)
    [f] = only(findings, "rate_over_100")
    assert f.spans[0].text.endswith("120%")
    assert_spans_index(text, f)


def test_money_counted_in_persons(run):
    text = notice(extra="清退违规资金3人。")
    _, findings = run(text)
    [f] = only(findings, "unit_metric")
    assert "资金" in f.message and f.spans[0].text == "清退违规资金3人"


def test_the_same_metric_twice(run):
    text = notice(extra="清退违规资金3.2万元;全面清理后,清退违规资金4.5万元。")
    _, findings = run(text)
    [f] = only(findings, "metric_repeated")
    assert "清退违规资金" in f.message and "32000" in f.message and "45000" in f.message
    assert len(f.spans) == 2
    assert_spans_index(text, f)


# -- on hand-built results --------------------------------------------------------------------------
def problem(number: str, start: int, **kw) -> Problem:
    return Problem(statement=f"问题{number}", start=start, end=start + 3, number=number, **kw)


def test_numbering_repeat_and_restart_under_another_parent():
    r = Rectification(problems=[
        problem("(一)", 0), problem("(二)", 10), problem("(二)", 20),
        problem("1.", 30, level=2, parent=0), problem("2.", 40, level=2, parent=0),
        problem("1.", 50, level=2, parent=1),  # a new parent: numbering starts again
    ])
    findings = audit(r, ["numbering"])
    assert [f.message for f in findings] == ["sibling problems numbered (一), (二), (二): (二) repeated"]


def test_parse_numbering():
    assert parse_numbering("(十二)") == ("(C)", 12)
    assert parse_numbering("(3)") == ("(A)", 3)
    assert parse_numbering("第三") == ("第C", 3)
    assert parse_numbering("一、") == ("C、", 1)
    assert parse_numbering("甲.") is None and parse_numbering(None) is None


def test_implausible_year_and_partial_dates():
    r = Rectification(inspection=Inspection(start_date="2021-03", end_date="2021-03-20",
                                            feedback_date="1998-05-01"))
    [f, g] = audit(r, ["date_order"], current_year=2025)
    assert "1998" in f.message and "year" in f.message
    assert "after" in g.message
    # month-granular start and a day in that month are in order
    r.inspection.feedback_date = None
    r.published_date = "2027-01-01"
    assert [f.message for f in audit(r, ["date_order"], current_year=2025)] == [
        "publication date 2027-01-01: year outside 2000–2026"]


def outcome(metric: str, value: float, unit: str | None, **kw) -> Outcome:
    raw = f"{metric}{value:g}{unit or ''}"
    return Outcome(metric=metric, value=value, unit=unit, qualifier=kw.pop("qualifier", None),
                   raw=raw, start=0, end=len(raw), **kw)


def test_units_that_cannot_measure_their_metric():
    r = Rectification(outcomes=[
        outcome("整改完成率", 5, "个"),
        outcome("培训党员干部", 120, "元"),
        outcome("清退违规资金", 3, "笔"),  # transactions: fine
        outcome("发放慰问党员资金", 2, "元"),  # money for persons: fine
        outcome("群众满意率提高", 3, "个百分点"),
        outcome("增长率达到", 150, "%"),
    ])
    assert [f.message for f in audit(r, ["unit_metric", "rate_over_100"])] == [
        "整改完成率5个: a rate (整改完成率) in 个, not in %",
        "培训党员干部120元: 党员 counted in 元",
    ]


def test_repeated_metrics_that_agree_are_not_findings():
    r = Rectification(outcomes=[
        outcome("劝离违停车辆", 800, "台", qualifier="余", lower=800.0),
        outcome("劝离违停车辆", 820, "台"),
        outcome("出动执法人员", 10, "人次", period="2024-08"),
        outcome("出动执法人员", 12, "人次", period="2024-09"),  # another month
        outcome("增长", 16.6, "%"),  # too short to compare
        outcome("增长", 33.9, "%"),
    ])
    assert audit(r, ["metric_repeated"]) == []


def test_the_checks_are_registered_in_order_and_selectable():
    assert list(CHECKS) == ["problems_count", "rectified_le_total", "completion_rate",
                            "date_order", "numbering", "rate_over_100", "unit_metric",
                            "metric_repeated"]
    r = Rectification(summary=Summary(problems_total=5, problems_rectified=6,
                                      completion_rate=1.0))
    assert [f.check for f in audit(r)] == ["rectified_le_total", "completion_rate"]
    assert [f.check for f in audit(r, ["completion_rate"])] == ["completion_rate"]
    with pytest.raises(ValueError, match="known: problems_count"):
        audit(r, ["no_such_check"])
    assert audit(Rectification.empty()) == []


def test_finding_to_dict_and_severity():
    f = Finding("numbering", "warning", "m", (TextSpan("甲", 1, 2),))
    assert f.to_dict() == {"check": "numbering", "severity": "warning", "message": "m",
                           "spans": [{"text": "甲", "start": 1, "end": 2}]}
    with pytest.raises(ValueError):
        Finding("numbering", "fatal", "m")


def test_summary_spans_round_trip(rules_extractor):
    result = rules_extractor(notice("针对反馈的5项问题,已完成整改问题3项,整改完成率100%。"))
    data = result.to_dict()
    assert set(data["summary"]["spans"]) == {"problems_total", "problems_rectified",
                                             "completion_rate"}
    assert Rectification.from_dict(json.loads(json.dumps(data))) == result


# -- the command --------------------------------------------------------------------------------------
def test_cli_json_shape(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "gap.txt"
    good.write_text(notice(), encoding="utf-8")
    bad.write_text(notice(numbers=(1, 2, 4)), encoding="utf-8")
    res = CliRunner().invoke(cli, ["audit", str(good), str(bad), "--rules", "--format", "json"],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output
    report = json.loads(res.stdout)
    assert [n["notice"] for n in report] == ["good", "gap"]
    assert report[0]["findings"] == []
    checks = {f["check"] for f in report[1]["findings"]}
    assert {"numbering", "problems_count"} <= checks
    for f in report[1]["findings"]:
        assert set(f) == {"check", "severity", "message", "spans"}
        assert f["spans"] and all(set(s) == {"text", "start", "end"} for s in f["spans"])
    text = bad.read_text(encoding="utf-8")
    assert all(text[s["start"]:s["end"]] == s["text"]
               for f in report[1]["findings"] for s in f["spans"])


def test_cli_text_selected_checks_and_errors(tmp_path):
    bad = tmp_path / "gap.txt"
    bad.write_text(notice(numbers=(1, 2, 4)), encoding="utf-8")
    res = CliRunner().invoke(cli, ["audit", str(bad), "-m", "rules", "--check", "numbering"],
                             catch_exceptions=False)
    assert res.exit_code == 0
    assert res.stdout.startswith("gap: 1 finding(s)\n  warning numbering: ")
    res = CliRunner().invoke(cli, ["audit", str(tmp_path / "missing.txt"), "--rules"])
    assert res.exit_code == 1 and "no such file" in res.stderr
    res = CliRunner().invoke(cli, ["audit", str(bad), "--rules", "-m", "models/x"])
    assert res.exit_code == 2
