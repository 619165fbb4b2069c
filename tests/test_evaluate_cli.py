"""`rectify evaluate` on the gold corpus agrees with the shared scorer on the same predictions."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from click.testing import CliRunner
from conftest import ROOT, SHARED

from rectify_nlp.cli import cli

SCORE = SHARED / "eval" / "score.py"
GOLD = ROOT / "corpus" / "gold"


def test_evaluate_rules_agrees_with_the_shared_scorer(tmp_path):
    if not SCORE.exists():
        pytest.skip("../shared/eval/score.py is not beside the repository")
    preds = tmp_path / "pred"
    res = CliRunner().invoke(cli, ["evaluate", "--rules", "--gold", str(GOLD), "--json",
                                   "--save-predictions", str(preds)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    ours = json.loads(res.stdout)
    official = json.loads(subprocess.run(
        [sys.executable, str(SCORE), str(GOLD), str(preds), "--json"],
        capture_output=True, text=True, check=True).stdout)
    for key, value in official.items():
        assert ours[key] == value, key


def test_evaluate_writes_nothing_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(cli, ["evaluate", "--rules", "--gold", str(GOLD)],
                             catch_exceptions=False)
    assert res.exit_code == 0 and "Problems" in res.stdout
    assert list(tmp_path.iterdir()) == []


def test_evaluate_a_corpus_file_scores_entities_only(tmp_path):
    res = CliRunner().invoke(cli, ["evaluate", "--rules", "--gold",
                                   str(ROOT / "corpus" / "gold.jsonl"), "--json"],
                             catch_exceptions=False)
    report = json.loads(res.stdout)
    assert report["entities"]["gold"] > 0 and "relations" in report


def test_evaluate_by_group_scores_each_level_apart():
    res = CliRunner().invoke(cli, ["evaluate", "--rules", "--gold", str(GOLD), "--group-by", "level",
                                   "--json"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    groups = json.loads(res.stdout)["by_group"]
    assert groups["column"] == "level"
    notices = groups["groups"]
    assert notices["all"]["notices"] == sum(v["notices"] for k, v in notices.items() if k != "all")
    assert {"township", "county", "city"} <= set(notices)
    # a group's counts add up into the pooled figure
    assert notices["all"]["header"]["gold"] == sum(
        v["header"]["gold"] for k, v in notices.items() if k != "all")


def test_group_by_needs_a_sources_table(tmp_path):
    gold = tmp_path / "gold"
    gold.mkdir()
    res = CliRunner().invoke(cli, ["evaluate", "--rules", "--gold", str(gold), "--group-by", "style"])
    assert res.exit_code != 0 and "sources" in res.output
