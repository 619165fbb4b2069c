"""Readers of the public NER benchmarks (ResumeNER BMES, CLUENER2020 JSON lines) and the
benchmark script's scorer, on tiny fixtures written here (never the shared data)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from rectify_nlp.corpus.benchmarks import (
    CLUENER_LABELS,
    RESUME_LABELS,
    parse_cluener_lines,
    parse_resume_bmes,
    read_cluener,
    read_resume_bmes,
)
from rectify_nlp.errors import RectifyInputError

RESUME_FIXTURE = """\
王 B-NAME
小 M-NAME
明 E-NAME
， O
汉 B-RACE
族 E-RACE
， O
任 O
杭 B-ORG
州 M-ORG
某 M-ORG
公 M-ORG
司 E-ORG
董 B-TITLE
事 E-TITLE
。 O

李 S-NAME
， O
硕 B-EDU
士 E-EDU

2 O
0 O
1 O
9 O
年 O
"""


def _ents(rec):
    return [(e.label, e.start, e.end, e.text) for e in rec.entities]


def test_resume_sentences_and_entities(tmp_path: Path) -> None:
    f = tmp_path / "mini.char.bmes"
    f.write_text(RESUME_FIXTURE, encoding="utf-8")
    recs = read_resume_bmes(f)
    assert [r.text for r in recs] == ["王小明,汉族,任杭州某公司董事。".replace(",", "，"),
                                      "李，硕士", "2019年"]
    assert _ents(recs[0]) == [("NAME", 0, 3, "王小明"), ("RACE", 4, 6, "汉族"),
                              ("ORG", 8, 13, "杭州某公司"), ("TITLE", 13, 15, "董事")]
    assert _ents(recs[1]) == [("NAME", 0, 1, "李"), ("EDU", 2, 4, "硕士")]
    assert recs[2].entities == ()
    assert [r.id for r in recs] == ["mini.char-0", "mini.char-1", "mini.char-2"]
    for r in recs:  # offsets consistent, ids are indices
        assert all(r.text[e.start:e.end] == e.text for e in r.entities)
        assert [e.id for e in r.entities] == list(range(len(r.entities)))
        assert {e.label for e in r.entities} <= set(RESUME_LABELS)


def test_resume_adjacent_entities_and_lenient_tags() -> None:
    # B directly after E, an entity running to the end, an orphan M, CRLF and extra blanks
    text = "中 B-CONT\r\n国 E-CONT\r\n美 B-CONT\r\n国 E-CONT\r\n\r\n\r\n某 M-ORG\n厂 E-ORG\n乙 B-LOC\n地 M-LOC\n"
    recs = parse_resume_bmes(text)
    assert len(recs) == 2
    assert _ents(recs[0]) == [("CONT", 0, 2, "中国"), ("CONT", 2, 4, "美国")]
    assert _ents(recs[1]) == [("ORG", 0, 2, "某厂"), ("LOC", 2, 4, "乙地")]


def test_resume_label_switch_inside_entity_and_bio() -> None:
    recs = parse_resume_bmes("甲 B-ORG\n乙 M-ORG\n丙 M-LOC\n丁 E-LOC\n\nA B-X\nB I-X\nC O\n")
    assert _ents(recs[0]) == [("ORG", 0, 2, "甲乙"), ("LOC", 2, 4, "丙丁")]
    assert _ents(recs[1]) == [("X", 0, 2, "AB")]


def test_resume_hostile_input(tmp_path: Path) -> None:
    assert parse_resume_bmes("") == []
    assert parse_resume_bmes("\n\n   \n") == []
    with pytest.raises(RectifyInputError):
        parse_resume_bmes("nospacehere\n")
    with pytest.raises(RectifyInputError):
        read_resume_bmes(tmp_path / "missing.bmes")
    # a tab separator is accepted
    assert _ents(parse_resume_bmes("张\tS-NAME\n")[0]) == [("NAME", 0, 1, "张")]


def _cluener_line(text: str, label: dict) -> str:
    return json.dumps({"text": text, "label": label}, ensure_ascii=False)


def test_cluener_end_inclusive_becomes_exclusive(tmp_path: Path) -> None:
    lines = [
        _cluener_line("周明远在远航科技公司任职，周明远认为",
                      {"name": {"周明远": [[0, 2], [13, 15]]}, "company": {"远航科技公司": [[4, 9]]}}),
        _cluener_line("玩《星海征途》", {"game": {"星海征途": [[2, 5]]}}),
        _cluener_line("没有实体的句子", {}),
        "",
    ]
    f = tmp_path / "dev.json"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recs = read_cluener(f)
    assert len(recs) == 3
    assert _ents(recs[0]) == [("name", 0, 3, "周明远"), ("company", 4, 10, "远航科技公司"),
                              ("name", 13, 16, "周明远")]
    assert _ents(recs[1]) == [("game", 2, 6, "星海征途")]
    assert recs[2].entities == () and recs[2].text == "没有实体的句子"
    assert [r.id for r in recs] == ["dev-0", "dev-1", "dev-2"]
    assert {e.label for r in recs for e in r.entities} <= set(CLUENER_LABELS)


def test_cluener_mismatch_kept_out_of_range_dropped(caplog: pytest.LogCaptureFixture) -> None:
    recs = parse_cluener_lines([
        _cluener_line("北京大学", {"organization": {"北大": [[0, 3]]}, "address": {"京": [[9, 9]]}}),
        _cluener_line("abc", {"label": None}),
    ])
    assert _ents(recs[0]) == [("organization", 0, 4, "北京大学")]
    assert recs[1].entities == ()
    assert "differs" in caplog.text and "outside" in caplog.text


def test_cluener_hostile_input() -> None:
    assert parse_cluener_lines([]) == []
    for bad in ("not json", "[1, 2]", '{"label": {}}', '{"text": 5}',
                '{"text": "ab", "label": {"x": {"a": [[0]]}}}'):
        with pytest.raises(RectifyInputError):
            parse_cluener_lines([bad])


def _load_script():
    path = Path(__file__).resolve().parents[1] / "benchmarks" / "ner_benchmarks.py"
    spec = importlib.util.spec_from_file_location("ner_benchmarks", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["ner_benchmarks"] = mod
    spec.loader.exec_module(mod)
    return mod


def test_benchmark_scorer_and_progress_parser() -> None:
    nb = _load_script()
    gold = {("a", 0, 2, "X"), ("a", 3, 5, "Y"), ("b", 0, 1, "X")}
    pred = {("a", 0, 2, "X"), ("a", 3, 4, "Y"), ("b", 0, 1, "Y")}
    s = nb.score(gold, pred)
    assert s["micro"]["tp"] == 1 and s["micro"]["p"] == pytest.approx(1 / 3, abs=1e-4)
    assert s["per_label"]["X"]["r"] == 0.5 and s["per_label"]["Y"]["p"] == 0.0
    assert nb.prf(set(), set())["f"] == 0.0
    log = ("E    #       LOSS TOK2VEC  LOSS NER  ENTS_F  ENTS_P  ENTS_R  SCORE \n"
           "  0       0          0.00    297.88    0.00    0.00    0.00    0.00\n"
           "  3     200        100.00    200.00   80.50   81.00   80.00    0.81\n"
           "  5     400         90.00    150.00   79.00   79.00   79.00    0.79\n"
           "  6     500         90.00    150.00   80.90   81.00   80.80    0.81\n")
    assert nb.parse_progress(log) == {"epochs": 7, "steps_run": 500, "best_step": 500,
                                      "best_dev_ents_f": 80.9, "evaluations": 4}
    ov = nb.build_overrides("cluener", ["training.dropout=0.3"], 500, None)
    assert ov["corpora.train.labels"] == list(CLUENER_LABELS)
    assert ov["training.dropout"] == 0.3 and ov["training.patience"] == 500


def test_benchmark_curve_logger_scores_the_reported_split() -> None:
    import io

    import spacy

    nb = _load_script()
    ov = nb.build_overrides("cluener", [], None, None, curve=True)
    assert ov["training.logger"] == {"@loggers": "rectify_bench.CurveLogger.v1"}
    setup = spacy.registry.resolve({"logger": ov["training.logger"]})["logger"]
    nlp = spacy.blank("zh")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "name", "pattern": [{"TEXT": "叶"}, {"TEXT": "老"},
                                                       {"TEXT": "桂"}]}])
    nb._CURVE_RECORDS[:] = parse_cluener_lines(
        ['{"text": "叶老桂在浙商银行", "label": {"name": {"叶老桂": [[0, 2]]}, '
         '"company": {"浙商银行": [[4, 7]]}}}'])
    nb.CURVE.clear()
    out = io.StringIO()
    log_step, finalize = setup(nlp, out, out)
    log_step(None)  # a step without evaluation adds no row
    log_step({"epoch": 1, "step": 250, "score": 0.5, "other_scores": {"ents_f": 0.5},
              "losses": {}, "checkpoints": [], "seconds": 3, "words": 900})
    finalize()
    assert nb.CURVE == [{"step": 250, "epoch": 1, "words": 900, "seconds": 3, "dev_score": 50.0,
                         "p": 100.0, "r": 50.0, "f": 66.67}]
    assert "[curve] step 250" in out.getvalue()
    nb._CURVE_RECORDS.clear()
