"""The real corpus: every notice has its provenance, and none is a reserved evaluation page."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from rectify_nlp.corpus.sources import (
    LEVELS,
    layout_style,
    leave_one_group_out,
    read_sources,
)

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
CHECK = ROOT.parent / "shared" / "eval" / "check_reserved.py"


@pytest.fixture(scope="module")
def rows():
    return read_sources(CORPUS / "sources.csv")


@pytest.mark.skipif(not CHECK.exists(), reason="../shared/eval/check_reserved.py is not beside the repo")
def test_no_reserved_page_in_the_corpus():
    # by address (sources.csv) and by text (every notice, the staging area too)
    res = subprocess.run(
        [sys.executable, str(CHECK), "--sources", str(CORPUS / "sources.csv"), "--dir", str(CORPUS)],
        capture_output=True, text=True, check=False,
    )
    assert res.returncode == 0, res.stdout + res.stderr


def test_every_notice_has_one_valid_source_row(rows):
    ids = [r.id for r in rows]
    assert len(ids) == len(set(ids))
    on_disk = {p.stem for p in (CORPUS / "notices").glob("*.txt")}
    assert set(ids) == on_disk
    for r in rows:
        assert r.problems() == []
        text = (CORPUS / "notices" / f"{r.id}.txt").read_text(encoding="utf-8")
        assert r.chars == len(text)
        assert r.style == layout_style(text)


def test_addresses_are_unique(rows):
    urls = Counter(r.url.lower().rstrip("/") for r in rows if r.url)
    assert [u for u, n in urls.items() if n > 1] == []


def test_leave_one_group_out_holds_each_group_out_once(rows):
    groups = {r.id: r.level for r in rows}
    folds = list(leave_one_group_out(groups))
    assert sorted(name for name, _, _ in folds) == sorted(set(groups.values()))
    for name, train, held in folds:
        assert held and not set(train) & set(held)
        assert set(train) | set(held) == set(groups)
        assert all(groups[i] == name for i in held)
    assert set(groups.values()) <= set(LEVELS)


def test_style_is_read_off_the_layout():
    assert layout_style("根据区委统一部署,区委第一巡察组对区妇联党组开展了巡察。现将整改情况予以公布。") == "narrative"
    assert layout_style("一是提高站位,抓好整改。二是压实责任,推动落实。") == "yishi-enumeration"
    assert layout_style("(一)关于基层党组织软弱涣散的问题\n一是…") == "framed-problem"
    assert layout_style("(一)在党的建设方面\n1.理论学习不深入。\n整改进展:已完成。") == "item+status-label"
    assert layout_style("(一)落实全面从严治党方面\n1.理论学习不深入。") == "aspect-categories"
    assert layout_style("一、总体情况\n二、整改落实情况\n(一)理论学习不深入。") == "numbered-outline"
