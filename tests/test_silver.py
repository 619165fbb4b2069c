"""Silver data: rule-labelled windows of unlabelled text (rectify_nlp.corpus.silver).

The texts are written for the tests in the register of government work reports; nothing here
reads /work/shared except the last test, which is skipped when the data is absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rectify_nlp.corpus.records import CorpusRecord, read_jsonl
from rectify_nlp.corpus.silver import (
    paragraph_windows,
    read_political,
    silver_records,
    window_entities,
)
from rectify_nlp.errors import RectifyInputError

ROOT = Path(__file__).resolve().parents[1]
POLITICAL = ROOT.parent / "shared" / "data" / "political"

REPORT = (
    "各位代表:\n\n"
    "一、2023年工作回顾\n\n"
    "过去一年,经济总体回升向好。国内生产总值超过126万亿元,增长5.2%。"
    "城镇新增就业1244万人,粮食产量达到13908亿斤。\n\n"
    "中国人民银行两次降低存款准备金率,财政部发行国债1万亿元。\n\n"
    "我们深切体会到,必须坚持党的全面领导。\n\n"
    "二、2024年发展预期目标\n\n"
    "今年发展主要预期目标是:国内生产总值增长5%左右;城镇新增就业1200万人以上。\n"
)


def _records(text: str = REPORT, **kw) -> list[CorpusRecord]:
    return list(silver_records([("gwr2024", text)], **kw))


def _labelled(rec: CorpusRecord) -> list[tuple[str, str]]:
    return [(e.label, e.text) for e in rec.entities]


# --------------------------------------------------------------------------- records


def test_records_are_valid_and_offsets_point_into_the_window():
    recs = _records()
    assert recs, "the report has dates, organisations and figures"
    for r in recs:
        assert r.validate() == []
        assert r.id.startswith("gwr2024#")
        assert r.meta["silver"] is True and r.meta["source"] == "gwr2024"
        assert r.meta["labels"] == ["ORG", "DATE", "OUTCOME"]
        # the record text is the window of the original document, at the offset in meta
        assert REPORT[r.meta["offset"]:r.meta["offset"] + len(r.text)] == r.text
        for e in r.entities:
            assert r.text[e.start:e.end] == e.text
    found = {lt for r in recs for lt in _labelled(r)}
    assert ("DATE", "2023年") in found
    assert ("OUTCOME", "增长5.2%") in found
    assert ("OUTCOME", "城镇新增就业1244万人") in found
    assert ("ORG", "中国人民银行") in found


def test_window_without_entities_is_skipped_but_keeps_its_number():
    recs = _records()
    texts = [r.text for r in recs]
    assert "我们深切体会到,必须坚持党的全面领导。" not in texts
    assert "各位代表:" not in texts
    # ids count every window of the document, so they are stable under the filters
    all_windows = list(paragraph_windows(REPORT))
    for r in recs:
        n = int(r.id.split("#")[1])
        s, e = all_windows[n]
        assert REPORT[s:e] == r.text


def test_offsets_map_back_to_unnormalised_original():
    text = "２０２３年，城鎮新增就業１２４４萬人，國內生產總值增長５．２％。"
    (rec,) = _records(text)
    assert rec.validate() == []
    assert rec.text == text
    by_label = {e.label: e for e in rec.entities}
    assert by_label["DATE"].text == "２０２３年"
    outs = [e.text for e in rec.entities if e.label == "OUTCOME"]
    assert "城鎮新增就業１２４４萬人" in outs
    for e in rec.entities:
        assert text[e.start:e.end] == e.text


def test_plan_targets_are_not_outcomes():
    recs = _records("今年发展主要预期目标是:国内生产总值增长5%左右;城镇新增就业1200万人以上。")
    outs = [t for r in recs for lab, t in _labelled(r) if lab == "OUTCOME"]
    assert outs == []
    # the silver plan filter can be switched off; the rule's own clause check still applies
    loose = _records("今年发展主要预期目标是:国内生产总值增长5%左右;城镇新增就业1200万人以上。",
                     plan_filter=False)
    assert any(lab == "OUTCOME" for r in loose for lab, _ in _labelled(r))


# --------------------------------------------------------------------------- filters


def test_overlaps_across_labels_are_dropped_longer_wins():
    # a date inside an outcome-like figure, an org inside a longer org candidate …
    text = "2022年6月至2023年12月,国家开发银行累计发放贷款3200亿元,增长12.5%。"
    for r in _records(text):
        ents = sorted(r.entities, key=lambda e: e.start)
        for a, b in zip(ents, ents[1:]):
            assert a.end <= b.start, (a, b)
        assert [e.id for e in r.entities] == list(range(len(r.entities)))


def test_overlap_resolution_keeps_the_longer_span(monkeypatch):
    import rectify_nlp.corpus.silver as silver
    from rectify_nlp.spans import Span

    monkeypatch.setattr(silver, "find_orgs", lambda t: [Span(0, 4, "ORG", t[0:4])])
    monkeypatch.setattr(silver, "find_outcomes",
                        lambda t, exclude=(): [type("O", (), {"span": Span(2, 10, "OUTCOME",
                                                                           t[2:10])})()])
    ents = window_entities("甲乙丙丁戊己庚辛壬癸", ["ORG", "OUTCOME"])
    assert [(e.label, e.start, e.end) for e in ents] == [("OUTCOME", 2, 10)]


def test_labels_filter():
    only_dates = _records(labels=("DATE",))
    assert only_dates
    assert {e.label for r in only_dates for e in r.entities} == {"DATE"}
    assert all(r.meta["labels"] == ["DATE"] for r in only_dates)
    orgs = _records(labels=["org"])
    assert {e.label for r in orgs for e in r.entities} == {"ORG"}
    # an outcome must still avoid dates when dates are not wanted
    outs = _records("2023年8月,全国新开工保障性住房200万套。", labels=("OUTCOME",))
    for r in outs:
        assert all(not e.text.startswith("2023") for e in r.entities)


@pytest.mark.parametrize("bad", [("PROBLEM",), ("FOO",), ()])
def test_unknown_or_empty_labels_raise(bad):
    with pytest.raises(ValueError):
        _records(labels=bad)


def test_min_entities_filters():
    counts = [len(r.entities) for r in _records(min_entities=1)]
    assert min(counts) >= 1
    many = _records(min_entities=3)
    assert all(len(r.entities) >= 3 for r in many)
    assert len(many) < len(counts)
    assert _records(min_entities=1000) == []
    # 0 keeps every window, entity-free ones included
    assert len(_records(min_entities=0)) == len(list(paragraph_windows(REPORT)))


# --------------------------------------------------------------------------- windows


def test_long_paragraph_is_cut_at_sentence_ends():
    sentence = "全年粮食产量达到6.9亿吨,比上年增长1.3%。"
    para = sentence * 200  # one paragraph, far longer than the window
    wins = list(paragraph_windows(para, max_chars=300))
    assert len(wins) > 1
    for s, e in wins:
        assert e - s <= 300
        assert para[s:e].endswith("。")
    assert "".join(para[s:e] for s, e in wins) == para
    recs = _records(para, max_chars=300)
    assert all(len(r.text) <= 300 and r.validate() == [] for r in recs)


def test_sentence_longer_than_window_is_cut_at_clauses_or_hard():
    para = "城镇新增就业1100万人," * 50 + "甲" * 700
    wins = list(paragraph_windows(para, max_chars=120))
    assert all(0 < e - s <= 120 for s, e in wins)
    assert "".join(para[s:e] for s, e in wins) == para


@pytest.mark.parametrize("text", ["", "   \n\n\t ", "Hello world, GDP grew 5 percent.",
                                  "<p>国务院常务会议</p>", "\u200b\n\u3000\n"])
def test_hostile_input_does_not_crash(text):
    for r in _records(text, min_entities=0):
        assert r.validate() == []


def test_huge_input_is_fast():
    import time

    text = ("2023年,全国城镇新增就业1244万人,国家开发银行发放贷款3200亿元。\n" * 3000)
    t0 = time.perf_counter()
    n = sum(1 for _ in silver_records([("big", text)]))
    assert n == 3000
    assert time.perf_counter() - t0 < 15


def test_bad_arguments():
    with pytest.raises(ValueError):
        _records(max_chars=5)
    with pytest.raises(TypeError):
        list(silver_records([("x", None)]))  # type: ignore[list-item]


# --------------------------------------------------------------------------- input


def test_read_political_file_and_folder(tmp_path):
    f = tmp_path / "reports.jsonl"
    lines = [
        {"title": "报告一", "url": "u", "content": "2020年城镇新增就业1186万人。"},
        {"title": "无正文", "url": "u"},
        {"title": "报告二", "url": "u", "content": "中国人民银行发布数据。", "year": 2021},
    ]
    f.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n",
                 encoding="utf-8")
    docs = list(read_political(f))
    assert docs == [("reports:1", "2020年城镇新增就业1186万人。"), ("reports:3", "中国人民银行发布数据。")]
    assert list(read_political(tmp_path)) == docs
    with pytest.raises(RectifyInputError):
        list(read_political(tmp_path / "missing"))
    (tmp_path / "bad.jsonl").write_text("{not json\n", encoding="utf-8")
    with pytest.raises(RectifyInputError):
        list(read_political(tmp_path / "bad.jsonl"))


def test_script_writes_silver_jsonl(tmp_path):
    data = tmp_path / "political"
    data.mkdir()
    (data / "gwr.jsonl").write_text(
        json.dumps({"title": "t", "url": "u", "content": REPORT}, ensure_ascii=False) + "\n",
        encoding="utf-8")
    out = tmp_path / "silver" / "p.jsonl"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "make_silver.py"), "--data", str(data),
         "--out", str(out), "--labels", "DATE,OUTCOME"],
        capture_output=True, text=True, timeout=60, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert proc.returncode == 0, proc.stderr
    recs = read_jsonl(out)
    assert recs and all(r.validate() == [] for r in recs)
    assert {e.label for r in recs for e in r.entities} <= {"DATE", "OUTCOME"}
    assert "DATE" in proc.stdout and "time:" in proc.stdout


@pytest.mark.skipif(not POLITICAL.is_dir(), reason="shared political corpus not present")
def test_real_political_sample_is_valid():
    docs = list(read_political(POLITICAL))[:2]
    recs = list(silver_records(docs))
    assert recs and all(r.validate() == [] for r in recs)
