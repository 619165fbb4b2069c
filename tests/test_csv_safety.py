"""Safe outputs end to end: ``rectify extract --format csv`` neutralises formula cells, and the
JSON/JSONL it writes is valid UTF-8 even for input that decodes badly."""

from __future__ import annotations

import csv
import json

from click.testing import CliRunner

from rectify_nlp.cli import cli

PAYLOAD = "=cmd|' /C calc'!A0"

# an invented county notice; the first problem's statement is a spreadsheet formula
NOTICE = (
    "关于县委第二巡察组巡察反馈意见整改情况的通报\n"
    "根据县委统一部署,2023年3月1日至4月30日,县委第二巡察组对县林业局党组开展了巡察。"
    "2023年6月2日,巡察组反馈了意见。\n"
    "一、整改落实情况\n"
    f"(一)关于“{PAYLOAD}”的问题。已整改。新建制度5项。\n"
    "(二)关于“护林员管理不严”的问题。开展培训2次。\n"
    "中共某县林业局党组\n2023年9月1日\n"
)


def _extract(*args: str) -> None:
    res = CliRunner().invoke(cli, ["extract", "-m", "rules", "-q", *args],
                             catch_exceptions=False)
    assert res.exit_code == 0, res.output


def test_formula_in_a_problem_statement_is_neutralised(tmp_path):
    f = tmp_path / "notice.txt"
    f.write_text(NOTICE, encoding="utf-8")
    out = tmp_path / "tables"
    _extract(str(f), "--format", "csv", "--out", str(out))
    with (out / "problems.csv").open(encoding="utf-8", newline="") as fh:
        problems = list(csv.DictReader(fh))
    assert problems[0]["statement"] == "'" + PAYLOAD  # one quote in front, the rest kept
    assert problems[1]["statement"] == "护林员管理不严"  # plain text untouched
    assert problems[0]["start"].isdigit()  # offsets stay numbers
    text = (out / "problems.csv").read_text(encoding="utf-8")
    assert "\n=" not in text and ",=" not in text and '"=' not in text
    with (out / "outcomes.csv").open(encoding="utf-8", newline="") as fh:
        outcomes = list(csv.DictReader(fh))
    assert {o["raw"] for o in outcomes} == {"新建制度5项", "开展培训2次"}
    assert outcomes[0]["problem_statement"] == "'" + PAYLOAD


def test_badly_decoding_input_gives_utf8_jsonl_and_json(tmp_path):
    good = NOTICE.encode("utf-8")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "cut.txt").write_bytes(good[:-5] + b"\xe6\x95")   # cut mid-character
    (tmp_path / "in" / "bad.txt").write_bytes(good.replace("护林员".encode(), b"\xff\xfe"))
    (tmp_path / "in" / "gbk.txt").write_bytes(NOTICE.encode("gbk")[:-1])
    _extract(str(tmp_path / "in"), "--out", str(tmp_path / "all.jsonl"))
    lines = (tmp_path / "all.jsonl").read_bytes().decode("utf-8").splitlines()  # strict
    assert len(lines) == 3
    assert all(json.loads(line)["kind"] == "巡察" for line in lines)
    _extract(str(tmp_path / "in" / "bad.txt"), "--out", str(tmp_path / "bad.json"))
    data = json.loads((tmp_path / "bad.json").read_bytes().decode("utf-8"))
    assert "\ufffd" in data["problems"][1]["statement"]
