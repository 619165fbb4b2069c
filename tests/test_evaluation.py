"""Tests of rectify_nlp.evaluation: agreement with the official scorer, and the extra metrics.

The agreement tests write gold/pred pairs to temporary folders, run
``shared/eval/score.py --json`` on them in a subprocess and require every key it reports to
be equal in :meth:`EvaluationReport.to_dict`. The notices below are written for the tests.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify_nlp.errors import RectifyInputError
from rectify_nlp.evaluation import (
    PRF,
    EvaluationReport,
    MacroPRF,
    add_macro_averages,
    char_f1,
    entity_scores,
    evaluate_folders,
    evaluate_pairs,
    greedy_match,
    macro_average,
    relation_scores,
    relation_triples,
    same,
    score_notice,
)
from rectify_nlp.spans import Span

SCORE_PY = Path(__file__).resolve().parents[2] / "shared" / "eval" / "score.py"
EXTRA_KEYS = ("entities~", "entities.macro", "entities~.macro", "relations~", "relations.macro")
EXTRA_PREFIXES = ("relation:", "relation~:")

Doc = dict[str, Any]


# --------------------------------------------------------------------------- fixtures


def _ent(text: str, label: str, sub: str, nth: int = 0) -> Doc:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return {"label": label, "text": sub, "start": start, "end": start + len(sub)}


def _e(label: str, start: int, end: int) -> Doc:
    return {"label": label, "start": start, "end": end, "text": "x" * (end - start)}


def _outcome(text: str, raw: str, metric: str, value: float, unit: str | None, **kw: Any) -> Doc:
    start = text.index(raw)
    item = {
        "metric": metric,
        "value": value,
        "unit": unit,
        "qualifier": None,
        "raw": raw,
        "start": start,
        "end": start + len(raw),
        "period": None,
        "problem": None,
    }
    item.update(kw)
    return item


TEXT_A = (
    "中共平川县委员会关于县委第二巡察组反馈意见整改进展情况的通报\n"
    "根据县委统一部署,2023年3月6日至5月10日,县委第二巡察组对城关镇党委进行了巡察。"
    "6月2日,县委第二巡察组向城关镇党委反馈了巡察意见。\n"
    "一、针对落实意识形态工作责任制不到位问题的整改\n"
    "1.针对理论学习流于形式问题。一是制定学习计划;二是开展专题研讨12次。\n"
    "2.针对基层党组织软弱涣散问题。7月至9月,整顿软弱涣散党组织5个,发展党员23名。\n"
    "二、关于耕地保护不力的问题\n"
    "截至9月底,复垦耕地120.5亩,整改完成率100%。\n"
    "中共平川县城关镇委员会\n2023年10月20日"
)


def gold_a() -> Doc:
    t = TEXT_A
    ents = [
        _ent(t, "ORG", "县委第二巡察组", 1),  # 0
        _ent(t, "ORG", "城关镇党委"),  # 1
        _ent(t, "DATE", "2023年3月6日至5月10日"),  # 2
        _ent(t, "DATE", "6月2日"),  # 3
        _ent(t, "PROBLEM", "落实意识形态工作责任制不到位"),  # 4
        _ent(t, "PROBLEM", "理论学习流于形式"),  # 5
        _ent(t, "OUTCOME", "开展专题研讨12次"),  # 6
        _ent(t, "PROBLEM", "基层党组织软弱涣散"),  # 7
        _ent(t, "DATE", "7月至9月"),  # 8
        _ent(t, "OUTCOME", "整顿软弱涣散党组织5个"),  # 9
        _ent(t, "OUTCOME", "发展党员23名"),  # 10
        _ent(t, "PROBLEM", "耕地保护不力"),  # 11
        _ent(t, "DATE", "9月底"),  # 12
        _ent(t, "OUTCOME", "复垦耕地120.5亩"),  # 13
        _ent(t, "OUTCOME", "整改完成率100%"),  # 14
    ]
    rels = [
        {"label": "INSPECTS", "head": 0, "tail": 1},
        {"label": "ADDRESSES", "head": 6, "tail": 5},
        {"label": "ADDRESSES", "head": 9, "tail": 7},
        {"label": "ADDRESSES", "head": 10, "tail": 7},
        {"label": "DURING", "head": 9, "tail": 8},
        {"label": "DURING", "head": 10, "tail": 8},
        {"label": "ADDRESSES", "head": 13, "tail": 11},
        {"label": "DURING", "head": 13, "tail": 12},
    ]
    problems = [
        {
            "statement": "落实意识形态工作责任制不到位",
            "number": "一、",
            "level": 1,
            "parent": None,
            "status": None,
            "start": 0,
            "end": 1,
        },
        {
            "statement": "理论学习流于形式",
            "number": "1.",
            "level": 2,
            "parent": 0,
            "status": "已完成|完成",
            "start": 0,
            "end": 1,
        },
        {
            "statement": "基层党组织软弱涣散",
            "number": "2.",
            "level": 2,
            "parent": 0,
            "status": "长期推进",
            "start": 0,
            "end": 1,
        },
        {
            "statement": "耕地保护不力",
            "number": "二、",
            "level": 1,
            "parent": None,
            "status": None,
            "start": 0,
            "end": 1,
        },
    ]
    outcomes = [
        _outcome(t, "开展专题研讨12次", "开展专题研讨", 12, "次", problem=1),
        _outcome(
            t,
            "整顿软弱涣散党组织5个",
            "整顿软弱涣散党组织",
            5,
            "个",
            problem=2,
            period="2023-07/2023-09",
        ),
        _outcome(t, "发展党员23名", "发展党员", 23, "名", problem=2),
        _outcome(t, "复垦耕地120.5亩", "复垦耕地", 120.5, "亩", problem=3),
        _outcome(t, "整改完成率100%", "整改完成率", 100, "%"),
    ]
    return {
        "schema_version": "1.0",
        "kind": "巡察",
        "inspection": {
            "inspector": "县委第二巡察组",
            "targets": ["城关镇党委|城关镇"],
            "start_date": "2023-03-06",
            "end_date": "2023-05-10",
            "feedback_date": "2023-06-02",
            "round": None,
        },
        "publisher": "中共平川县城关镇委员会|平川县城关镇党委",
        "published_date": "2023-10-20",
        "summary": {
            "problems_total": None,
            "problems_rectified": None,
            "completion_rate": 1.0,
            "measures_total": None,
        },
        "problems": problems,
        "outcomes": outcomes,
        "entities": ents,
        "relations": rels,
    }


TEXT_B = (
    "省委第五巡视组于2022年9月至11月对(临江市)开展了常规巡视,12月1日反馈巡视意见。"
    "针对反馈的23项问题,制定整改措施86条,已完成整改19项。"
    "关于“营商环境优化力度有待加强”的问题:清理拖欠企业账款3.6亿元,新增市场主体1.2万余户。"
    "关于“生态环保短板明显”的问题:关停散乱污企业47家。"
)


def gold_b() -> Doc:
    t = TEXT_B
    ents = [
        _ent(t, "ORG", "省委第五巡视组"),
        _ent(t, "DATE", "2022年9月至11月"),
        _ent(t, "ORG", "临江市"),
        _ent(t, "DATE", "12月1日"),
        _ent(t, "PROBLEM", "营商环境优化力度有待加强"),
        _ent(t, "OUTCOME", "清理拖欠企业账款3.6亿元"),
        _ent(t, "OUTCOME", "新增市场主体1.2万余户"),
        _ent(t, "PROBLEM", "生态环保短板明显"),
        _ent(t, "OUTCOME", "关停散乱污企业47家"),
    ]
    rels = [
        {"label": "INSPECTS", "head": 0, "tail": 2},
        {"label": "ADDRESSES", "head": 5, "tail": 4},
        {"label": "ADDRESSES", "head": 6, "tail": 4},
        {"label": "ADDRESSES", "head": 8, "tail": 7},
    ]
    problems = [
        {
            "statement": "营商环境优化力度有待加强",
            "number": None,
            "level": 1,
            "parent": None,
            "status": "已取得阶段性成效",
            "start": 0,
            "end": 1,
        },
        {
            "statement": "生态环保短板明显",
            "number": None,
            "level": 1,
            "parent": None,
            "status": None,
            "start": 0,
            "end": 1,
        },
    ]
    outcomes = [
        _outcome(t, "清理拖欠企业账款3.6亿元", "清理拖欠企业账款", 360000000, "元", problem=0),
        _outcome(
            t, "新增市场主体1.2万余户", "新增市场主体", 12000, "户", qualifier="余", problem=0
        ),
        _outcome(t, "关停散乱污企业47家", "关停散乱污企业", 47, "家", problem=1),
    ]
    return {
        "schema_version": "1.0",
        "kind": "巡视",
        "inspection": {
            "inspector": "省委第五巡视组",
            "targets": ["(临江市)|临江市委", "临江市政府"],
            "start_date": "2022-09|2022-09-01",
            "end_date": "2022-11",
            "feedback_date": "2022-12-01",
        },
        "publisher": None,
        "published_date": None,
        "summary": {
            "problems_total": 23,
            "problems_rectified": 19,
            "completion_rate": None,
            "measures_total": 86,
        },
        "problems": problems,
        "outcomes": outcomes,
        "entities": ents,
        "relations": rels,
    }


def gold_c() -> Doc:
    """No entity/relation layers; outcomes without offsets; two identical problems (ties)."""
    return {
        "kind": "巡察",
        "inspection": {
            "inspector": "区委4个巡察组",
            "targets": [],
            "start_date": None,
            "end_date": None,
            "feedback_date": "2021-01-27",
        },
        "publisher": "中共东湖区委",
        "published_date": "2021-03-02",
        "summary": {},
        "problems": [
            {"statement": "“两个责任”落实不到位", "parent": None, "status": "已完成"},
            {"statement": "“两个责任”落实不到位", "parent": 0, "status": "长期推进"},
            {"statement": "选人用人把关不严", "parent": None, "status": None},
        ],
        "outcomes": [
            {"metric": "问责党员干部", "value": 5, "unit": "名", "problem": 0},
            {"metric": "问责党员干部", "value": 5, "unit": "名", "problem": 1},
            {"metric": "收回资金", "value": 665700, "unit": "元", "problem": None},
        ],
    }


def pred_a_handmade() -> Doc:
    """Errors of every kind against gold_a."""
    pred = copy.deepcopy(gold_a())
    pred["kind"] = "巡察"
    pred["inspection"] = {
        "inspector": " 县委第二 巡察组 ",
        "targets": ["城关镇", "城关镇", "城关镇政府"],
        "start_date": "2023-03-06",
        "end_date": None,
        "feedback_date": "2023-06-12",
    }
    del pred["publisher"]
    pred["summary"] = {"problems_total": 4, "completion_rate": 1, "measures_total": None}
    pred["problems"] = [
        {"statement": "耕地保护不力", "parent": None, "status": None},  # gold 3
        {
            "statement": "基层党组织软弱涣散问题",
            "parent": None,
            "status": "长期推进",
        },  # gold 2, bad parent
        {"statement": "理论学习", "parent": 0, "status": "完成"},  # below threshold
        {"statement": "落实意识形态工作责任制不到位", "parent": None, "status": "已完成"},  # gold 0
    ]
    ents = pred["entities"]
    ents[2] = dict(ents[2], start=ents[2]["start"] + 5)  # DATE shifted: overlap only
    ents[4] = dict(ents[4], label="OUTCOME")  # relabelled
    ents[13] = dict(ents[13], end=ents[13]["end"] - 1)  # truncated OUTCOME
    ents.append(dict(ents[1], start=ents[1]["start"] + 1))  # overlaps ORG 1, one-to-one
    ents.append({"label": "ORG", "text": "县委", "start": 0, "end": 2})
    pred["relations"] = [
        {"label": "INSPECTS", "head": 0, "tail": 15},  # tail overlaps: relaxed only
        {"label": "ADDRESSES", "head": 6, "tail": 5},
        {"label": "ADDRESSES", "head": 6, "tail": 5},  # duplicate collapses
        {"label": "DURING", "head": 9, "tail": 7},  # wrong tail
        {"label": "ADDRESSES", "head": 13, "tail": 11},  # head truncated: relaxed
        {"label": "DURING", "head": 10, "tail": 8},
    ]
    outs = pred["outcomes"]
    outs[0] = dict(outs[0], metric="专题研讨", problem=2)  # gold problem 1 unmatched -> None
    outs[1] = dict(outs[1], problem=1)  # gold problem 2 -> pred 1
    outs[2] = {k: v for k, v in outs[2].items() if k not in ("start", "end")}
    outs[3] = dict(outs[3], value=120.50000001, problem=0)
    outs[4] = dict(outs[4], unit="个")
    outs.append({"metric": "发展党员", "value": 23, "unit": "名", "problem": 1})
    return pred


def pred_b_handmade() -> Doc:
    pred = copy.deepcopy(gold_b())
    pred["kind"] = "巡察"
    pred["inspection"]["targets"] = ["（临江市）", "临江市政府", "临江市政府"]
    pred["inspection"]["start_date"] = "2022-09-01"
    pred["publisher"] = "中共临江市委"
    pred["summary"] = {"problems_total": 23, "problems_rectified": None, "measures_total": 86.0}
    pred["problems"] = list(reversed(pred["problems"]))
    pred["outcomes"][2] = dict(pred["outcomes"][2], problem=0)
    pred["entities"] = pred["entities"][:5]
    pred["relations"] = [r for r in pred["relations"] if r["head"] < 5 and r["tail"] < 5]
    return pred


def pred_c_handmade() -> Doc:
    return {
        "kind": "巡察",
        "inspection": {"inspector": "区委4个巡察组", "targets": ["东湖区教育局"]},
        "publisher": "中共东湖区委",
        "published_date": "2021-03-02",
        "summary": {"problems_rectified": 3},
        "problems": [
            {"statement": "两个责任落实不到位", "parent": None, "status": "长期推进"},
            {"statement": "两个责任落实不到位", "parent": None, "status": "已完成"},
        ],
        "outcomes": [
            {"metric": "问责党员干部", "value": 5, "unit": "名", "problem": 1},
            {"metric": "问责干部", "value": 5, "unit": "名", "problem": 0},
        ],
        "entities": [{"label": "ORG", "text": "东湖区", "start": 0, "end": 3}],
    }


def gold_d() -> Doc:
    """Edge cases: thresholds hit to the last decimal, duplicated gold items, a matched child
    of an unmatched parent, an outcome whose offset bonus decides the matching."""
    return {
        "kind": "巡察",
        "inspection": {
            "inspector": "市委第一巡察组",
            "targets": ["城北街道|城北街道党工委", "城北街道党工委", "城北街道党工委", "城北社区"],
        },
        "summary": {"problems_total": 0, "completion_rate": 0.98},
        "problems": [
            # char-F1 of a 12-char prefix of 22 chars: 0.7059 (matched)
            {"statement": "干部队伍建设明显滞后于事业发展需要的问题突出", "parent": None},
            # 8 of 15 chars: 0.6957 (unmatched)
            {"statement": "村级集体经济发展不平衡问题突出", "parent": None},
            # 7 of 13 chars: 0.7000000000000001 (matched)
            {"statement": "党费收缴使用管理存在漏洞多", "parent": None},
            {"statement": "小微权力监督缺位", "parent": 1, "status": "已完成"},
            {"statement": "年轻干部培养不够", "parent": 0, "status": None},
        ],
        "outcomes": [
            {
                "metric": "收回违规发放的补贴资金",
                "value": 5,
                "unit": "元",
                "start": 0,
                "end": 5,
                "problem": 0,
            },
            {"metric": "收回违规资金", "value": 5, "unit": "元", "problem": 2},
            # 4 of 11 chars: 0.5333 (matched, no offsets)
            {"metric": "清理规范各类临时聘用人", "value": 30, "unit": "人", "problem": 3},
            {"metric": "下降", "value": 2.0, "unit": "%", "start": 40, "end": 44, "problem": None},
        ],
        "entities": [_e("ORG", 0, 4), _e("ORG", 0, 4), _e("DATE", 6, 10), _e("DATE", 8, 12)],
        "relations": [],
    }


def pred_d_handmade() -> Doc:
    g = gold_d()
    statements = [p["statement"] for p in g["problems"]]
    return {
        "kind": "巡察\u3000",
        "inspection": {"inspector": "“市委第一巡察组”", "targets": ["城北街道党工委"]},
        "summary": {"problems_total": 0.0, "completion_rate": 0.9800001},
        "problems": [
            {"statement": statements[4], "parent": 3, "status": None},
            {"statement": statements[0][:12], "parent": None},
            {"statement": statements[1][:8], "parent": None},
            {"statement": statements[3], "parent": None, "status": "已完成"},
            {"statement": statements[2][:7], "parent": None},
        ],
        "outcomes": [
            {"metric": "退还款项", "value": 5, "unit": "元", "start": 1, "end": 4, "problem": 1},
            {"metric": "收回违规发放的补贴资", "value": 5, "unit": "元", "problem": 4},
            {"metric": "清理规范", "value": 30, "unit": "人", "problem": 3},
            {"metric": "降", "value": 2, "unit": "%", "start": 43, "end": 50, "problem": 0},
        ],
        "entities": [_e("ORG", 0, 4), _e("DATE", 7, 11), _e("DATE", 6, 10)],
        # A negative index counts from the end, as Python (and score.py) index lists.
        "relations": [
            {"label": "DURING", "head": 0, "tail": 1},
            {"label": "DURING", "head": -1, "tail": 0},
        ],
    }


# --------------------------------------------------------------------------- scorer harness


def _write(folder: Path, docs: dict[str, Doc | None]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, doc in docs.items():
        if doc is not None:
            (folder / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False), "utf-8")


def _official(gold: Path, pred: Path) -> dict[str, Any]:
    if not SCORE_PY.exists():
        pytest.skip(f"official scorer not found at {SCORE_PY}")
    done = subprocess.run(
        [sys.executable, str(SCORE_PY), str(gold), str(pred), "--json"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    )
    return json.loads(done.stdout)


def _is_extra(key: str) -> bool:
    return key in EXTRA_KEYS or key.startswith(EXTRA_PREFIXES) or key == "by_doc"


def assert_agrees(root: Path, corpus: dict[str, tuple[Doc, Doc | None]]) -> EvaluationReport:
    """Score ``corpus`` with score.py and with ours; every official key must be equal."""
    gold_dir, pred_dir = root / "gold", root / "pred"
    _write(gold_dir, {name: g for name, (g, _) in corpus.items()})
    _write(pred_dir, {name: p for name, (_, p) in corpus.items()})
    official = _official(gold_dir, pred_dir)
    report = evaluate_folders(gold_dir, pred_dir)
    ours = report.to_dict()
    for key, value in official.items():
        assert key in ours, f"missing key {key}"
        assert ours[key] == value, f"{key}: ours {ours[key]} != score.py {value}"
    shared = {k for k in ours if not _is_extra(k)}
    assert shared == set(official), "we report official-looking keys score.py does not"
    return report


HANDMADE = {
    "a_perfect": (gold_a, gold_a),
    "a_errors": (gold_a, pred_a_handmade),
    "b_errors": (gold_b, pred_b_handmade),
    "c_ties": (gold_c, pred_c_handmade),
    "d_edges": (gold_d, pred_d_handmade),
    "e_empty": (dict, dict),
}


@pytest.mark.parametrize("name", sorted(HANDMADE))
def test_agrees_with_score_py_per_document(tmp_path: Path, name: str) -> None:
    make_gold, make_pred = HANDMADE[name]
    report = assert_agrees(tmp_path, {name: (make_gold(), make_pred())})
    # One document: the by_doc table equals the corpus table.
    by_doc = evaluate_pairs([(name, make_gold(), make_pred())], by_doc=True).by_doc
    assert by_doc is not None
    assert {k: v.to_dict() for k, v in by_doc[name].items()} == {
        k: v.to_dict() for k, v in report.scores.items()
    }


def test_agrees_with_score_py_on_a_corpus(tmp_path: Path) -> None:
    corpus: dict[str, tuple[Doc, Doc | None]] = {
        name: (g(), p()) for name, (g, p) in HANDMADE.items()
    }
    corpus["d_missing"] = (gold_b(), None)
    corpus["e_empty"] = ({}, {})
    corpus["f_empty_pred"] = (gold_c(), {})
    corpus["g_no_gold_layers"] = ({"kind": None, "summary": {"completion_rate": 0.95}}, gold_a())
    corpus["h_entities_only"] = ({"entities": [], "relations": []}, gold_a())
    corpus["i_no_relations"] = ({"entities": gold_b()["entities"]}, gold_b())
    report = assert_agrees(tmp_path, corpus)
    assert report.missing == ["d_missing"]
    assert report.to_dict()["missing_predictions"] == ["d_missing"]


def _first_alternatives(value: Any) -> Any:
    """A prediction made from gold: every "A|B" string becomes "A"."""
    if isinstance(value, str):
        return value.split("|")[0]
    if isinstance(value, dict):
        return {k: _first_alternatives(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_first_alternatives(v) for v in value]
    return value


def test_perfect_prediction_scores_one() -> None:
    report = evaluate_pairs(
        (name, make(), _first_alternatives(make())) for name, make in (("a", gold_a), ("b", gold_b))
    )
    for key, prf in report.scores.items():
        assert (prf.p, prf.r, prf.f) == (1.0, 1.0, 1.0), key


# --------------------------------------------------------------------------- hypothesis


def _remap(index: Any, mapping: dict[int, int]) -> Any:
    return mapping.get(index) if isinstance(index, int) else index


def _permute(draw: Any, items: list[Doc], kinds: list[str]) -> tuple[list[Doc], dict[int, int]]:
    """Drop some items, shuffle the rest; returns the new list and old->new indices."""
    keep = [i for i in range(len(items)) if draw(st.sampled_from(kinds)) != "drop"]
    order = draw(st.permutations(keep)) if keep else []
    return [copy.deepcopy(items[i]) for i in order], {old: new for new, old in enumerate(order)}


@st.composite
def perturbed(draw: Any, gold: Doc) -> Doc:
    pred = copy.deepcopy(gold)
    small = st.integers(-3, 3)
    # Header and summary.
    for key in ("kind", "publisher", "published_date"):
        pred[key] = draw(st.sampled_from([gold.get(key), None, "巡视", "2023-10-20"]))
    insp = pred.setdefault("inspection", {})
    insp["end_date"] = draw(st.sampled_from([insp.get("end_date"), None, "2022-11"]))
    insp["targets"] = draw(
        st.lists(st.sampled_from(["城关镇", "临江市", "（临江市）", "某局"]), max_size=3)
    )
    pred["summary"] = {
        f: draw(st.sampled_from([None, 0, 1, 1.0, 19, 23, 86]))
        for f in ("problems_total", "problems_rectified", "completion_rate", "measures_total")
    }
    # Problems: drop, shuffle, edit.
    problems, pmap = _permute(draw, gold.get("problems", []), ["keep"] * 3 + ["drop"])
    for p in problems:
        p["parent"] = draw(st.sampled_from([_remap(p.get("parent"), pmap), None, 0]))
        if draw(st.booleans()):
            p["status"] = draw(st.sampled_from([None, "已完成", "完成", "长期推进"]))
        if draw(st.integers(0, 3)) == 0:
            p["statement"] = p["statement"][: max(1, len(p["statement"]) * 2 // 3)]
    pred["problems"] = problems
    if problems and draw(st.booleans()):
        problems.append(copy.deepcopy(draw(st.sampled_from(problems))))
    # Outcomes: drop, shuffle, shift, change value/unit/metric/problem, drop offsets.
    outcomes, _ = _permute(draw, gold.get("outcomes", []), ["keep"] * 3 + ["drop"])
    for o in outcomes:
        action = draw(
            st.sampled_from(["keep", "shift", "value", "unit", "metric", "nooffsets", "far"])
        )
        if action == "shift" and "start" in o:
            delta = draw(small)
            o["start"], o["end"] = o["start"] + delta, o["end"] + delta
        elif action == "value":
            o["value"] = o["value"] * draw(st.sampled_from([1, 10, 1.0000000001]))
        elif action == "unit":
            o["unit"] = draw(st.sampled_from([None, "个", o["unit"]]))
        elif action == "metric":
            o["metric"] = o["metric"][1:]
        elif action == "nooffsets":
            o.pop("start", None)
            o.pop("end", None)
        elif action == "far" and "start" in o:
            o["start"], o["end"] = o["start"] + 500, o["end"] + 500
        o["problem"] = draw(st.sampled_from([_remap(o.get("problem"), pmap), None, 0, 1]))
    pred["outcomes"] = outcomes
    # Entities: drop, shuffle, shift, relabel, duplicate; relations follow the indices.
    if "entities" in gold:
        entities, emap = _permute(draw, gold["entities"], ["keep"] * 3 + ["drop"])
        for e in entities:
            action = draw(st.sampled_from(["keep", "keep", "shift", "relabel", "widen"]))
            if action == "shift":
                delta = draw(small)
                e["start"], e["end"] = max(0, e["start"] + delta), max(0, e["end"] + delta)
            elif action == "relabel":
                e["label"] = draw(st.sampled_from(["ORG", "DATE", "PROBLEM", "OUTCOME"]))
            elif action == "widen":
                e["end"] += draw(st.integers(1, 4))
        if entities and draw(st.booleans()):
            entities.append(copy.deepcopy(draw(st.sampled_from(entities))))
        pred["entities"] = entities
        relations = []
        for r in gold.get("relations", []):
            head, tail = emap.get(r["head"]), emap.get(r["tail"])
            if head is None or tail is None or not draw(st.integers(0, 4)):
                continue
            label = draw(st.sampled_from([r["label"]] * 3 + ["DURING"]))
            relations.append({"label": label, "head": head, "tail": tail})
        n = len(entities)
        if n:
            extra = st.fixed_dictionaries(
                {
                    "label": st.sampled_from(["INSPECTS", "ADDRESSES", "DURING"]),
                    "head": st.integers(0, n - 1),
                    "tail": st.integers(0, n - 1),
                }
            )
            relations.extend(draw(st.lists(extra, max_size=2)))
        pred["relations"] = relations
    return pred


@st.composite
def corpora(draw: Any) -> dict[str, tuple[Doc, Doc | None]]:
    corpus: dict[str, tuple[Doc, Doc | None]] = {}
    for name, make in (("a", gold_a), ("b", gold_b), ("c", gold_c), ("d", gold_d)):
        gold = make()
        corpus[name] = (gold, draw(perturbed(gold)))
    return corpus


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(corpus=corpora())
def test_agrees_with_score_py_on_perturbed_predictions(tmp_path_factory: Any, corpus: Any) -> None:
    assert_agrees(tmp_path_factory.mktemp("perturbed"), corpus)


@settings(max_examples=60, deadline=None)
@given(corpus=corpora())
def test_extra_keys_are_consistent(corpus: dict[str, tuple[Doc, Doc]]) -> None:
    scores = evaluate_pairs((k, g, p) for k, (g, p) in corpus.items()).scores
    # Per-label relation counts add up to score.py's "relations"; relaxed >= exact.
    rel = [v for k, v in scores.items() if k.startswith("relation:")]
    assert sum(v.tp for v in rel) == scores["relations"].tp
    assert sum(v.pred for v in rel) == scores["relations"].pred
    assert scores["relations~"].tp >= scores["relations"].tp  # exact pairs are taken first
    for key, prf in scores.items():
        assert 0.0 <= prf.r <= 1.0 and 0.0 <= prf.f, key


# --------------------------------------------------------------------------- unit tests


def test_prf_conventions() -> None:
    assert PRF().to_dict() == {"p": 1.0, "r": 1.0, "f": 1.0, "tp": 0, "gold": 0, "pred": 0}
    assert (PRF(0, 3, 0).p, PRF(0, 3, 0).r, PRF(0, 3, 0).f) == (0.0, 0.0, 0.0)
    assert (PRF(0, 0, 2).p, PRF(0, 0, 2).r) == (0.0, 0.0)
    assert PRF(2, 3, 4).to_dict() == {
        "p": 0.5,
        "r": 0.6667,
        "f": 0.5714,
        "tp": 2,
        "gold": 3,
        "pred": 4,
    }
    assert PRF(True, 1, 1) + PRF(0, 1, 0) == PRF(1, 2, 1)
    with pytest.raises(ValueError):
        PRF(-1, 0, 0)


def test_macro_average_is_mean_of_label_scores() -> None:
    m = macro_average([PRF(1, 1, 1), PRF(1, 4, 1), PRF(0, 0, 0)])
    assert isinstance(m, MacroPRF) and m.parts == 3
    assert m.r == pytest.approx((1 + 0.25 + 1) / 3)
    assert m.f == pytest.approx((1 + 0.4 + 1) / 3)
    assert (m.tp, m.gold, m.pred) == (2, 5, 2)
    with pytest.raises(TypeError):
        m + PRF()


def test_matching_primitives() -> None:
    assert same("县委第三巡察组|区委第三巡察组", "区委 第三巡察组")
    assert same("（二）", "(二)") and same("“两个责任”", "两个责任")
    assert not same("巡察", None) and not same(None, "巡察") and same(None, None)
    assert same(100, 100.00000001) and not same(100, 101) and not same(5, "5")
    assert char_f1("", "abc") == 0.0 and char_f1("abc", "xyz") == 0.0
    assert char_f1("整顿软弱涣散党组织", "整顿软弱涣散党组织") == 1.0
    # Ties go to the later gold item, then to the later prediction.
    assert greedy_match(["x", "x"], ["x"], lambda g, p: 1.0, 1.0) == {1: 0}
    assert greedy_match(["x"], ["x", "x"], lambda g, p: 1.0, 1.0) == {0: 1}
    assert greedy_match(["a"], ["b"], lambda g, p: 0.2, 0.5) == {}


def test_entity_scores_exact_and_overlap() -> None:
    gold = [_e("ORG", 0, 6), _e("DATE", 10, 15), _e("DATE", 20, 24), _e("OUTCOME", 30, 40)]
    pred = [_e("ORG", 0, 6), _e("DATE", 11, 15), _e("DATE", 12, 14), _e("PROBLEM", 30, 40)]
    s = entity_scores(gold, pred)
    assert s["entity:ORG"] == PRF(1, 1, 1) and s["entity~:ORG"] == PRF(1, 1, 1)
    assert s["entity:DATE"] == PRF(0, 2, 2)
    assert s["entity~:DATE"] == PRF(1, 2, 2)  # two preds overlap one gold: one to one
    assert s["entity:OUTCOME"] == PRF(0, 1, 0) and s["entity:PROBLEM"] == PRF(0, 0, 1)
    assert s["entities"] == PRF(1, 4, 4) and s["entities~"] == PRF(2, 4, 4)
    macro = add_macro_averages(s)
    assert macro["entities.macro"].f == pytest.approx((1 + 0 + 0 + 0) / 4)
    assert macro["entities~.macro"].f == pytest.approx((1 + 0.5 + 0 + 0) / 4)
    assert entity_scores([], []) == {}


def test_entity_scores_accept_span_objects() -> None:
    gold = [Span(0, 4, "DATE", "7月3日"), Span(5, 9, "ORG", "区住建局")]
    pred = [{"label": "DATE", "start": 0, "end": 4}, Span(5, 8, "ORG", "区住建")]
    s = entity_scores(gold, pred)
    assert s["entities"] == PRF(1, 2, 2) and s["entities~"] == PRF(2, 2, 2)


def _doc(ents: list[Doc], rels: list[tuple[str, int, int]]) -> Doc:
    return {
        "entities": ents,
        "relations": [{"label": lab, "head": h, "tail": t} for lab, h, t in rels],
    }


def test_relation_scores_exact_relaxed_and_per_label() -> None:
    ents = [_e("OUTCOME", 0, 8), _e("DATE", 10, 14), _e("PROBLEM", 20, 30), _e("ORG", 40, 45)]
    gold = _doc(ents, [("DURING", 0, 1), ("ADDRESSES", 0, 2), ("INSPECTS", 3, 3)])
    shifted = [_e("OUTCOME", 1, 8), _e("DATE", 10, 14), _e("PROBLEM", 20, 30), _e("ORG", 50, 55)]
    pred = _doc(
        shifted, [("DURING", 0, 1), ("DURING", 0, 1), ("ADDRESSES", 1, 2), ("INSPECTS", 3, 3)]
    )
    s = relation_scores(gold, pred)
    assert s["relation:DURING"] == PRF(0, 1, 1)  # duplicates collapse; head boundary differs
    assert s["relation~:DURING"] == PRF(1, 1, 1)
    assert s["relation:ADDRESSES"] == PRF(0, 1, 1) and s["relation~:ADDRESSES"] == PRF(0, 1, 1)
    assert s["relation~:INSPECTS"] == PRF(0, 1, 1)  # no overlap at all
    assert s["relations"] == PRF(0, 3, 3) and s["relations~"] == PRF(1, 3, 3)


def test_relaxed_relations_keep_exact_pairs() -> None:
    ents = [_e("OUTCOME", 0, 10), _e("OUTCOME", 2, 10), _e("DATE", 20, 24)]
    gold = _doc(ents, [("DURING", 0, 2), ("DURING", 1, 2)])
    pred = _doc(ents, [("DURING", 1, 2), ("DURING", 0, 2)])
    assert relation_scores(gold, pred)["relations~"] == PRF(2, 2, 2)


def test_relations_pointing_outside_entities_are_skipped() -> None:
    doc = _doc([_e("ORG", 0, 3)], [("INSPECTS", 0, 5), ("INSPECTS", 0, "x")])  # type: ignore[list-item]
    assert relation_triples(doc) == set()


def test_score_notice_tolerates_sparse_and_null_layers() -> None:
    table = score_notice({"problems": None, "outcomes": None, "entities": None}, {})
    assert table["problems"] == PRF(0, 0, 0) and table["header"] == PRF(7, 7, 7)
    assert "entities" not in table
    with pytest.raises(TypeError):
        score_notice("not a dict", {})  # type: ignore[arg-type]


def test_report_to_dict_and_table() -> None:
    report = evaluate_pairs(
        [("a", gold_a(), pred_a_handmade()), ("b", gold_b(), None)], by_doc=True
    )
    data = report.to_dict()
    json.dumps(data)  # JSON-ready
    assert list(data)[-2:] == ["missing_predictions", "by_doc"]
    assert set(data["by_doc"]) == {"a", "b"}
    table = report.to_table()
    for heading in (
        "Header fields",
        "Summary",
        "Problems",
        "Outcomes",
        "Entities",
        "Relations",
        "Missing predictions: b",
    ):
        assert heading in table
    assert "entity~:" not in table and "DATE" in table
    assert report["header"] is report.scores["header"]


def test_duplicate_ids_with_by_doc_are_refused() -> None:
    with pytest.raises(ValueError):
        evaluate_pairs([("x", {}, {}), ("x", {}, {})], by_doc=True)
    assert evaluate_pairs([("x", {}, {}), ("x", {}, {})]).scores["header"] == PRF(14, 14, 14)


def test_folder_errors(tmp_path: Path) -> None:
    with pytest.raises(RectifyInputError):
        evaluate_folders(tmp_path / "nope", tmp_path)
    (tmp_path / "gold").mkdir()
    (tmp_path / "gold" / "x.json").write_text("{not json", "utf-8")
    with pytest.raises(RectifyInputError, match="x.json"):
        evaluate_folders(tmp_path / "gold", tmp_path / "pred")
    (tmp_path / "gold" / "x.json").write_text("[1, 2]", "utf-8")
    with pytest.raises(RectifyInputError):
        evaluate_folders(tmp_path / "gold", tmp_path / "pred")


def test_file_against_file(tmp_path: Path) -> None:
    g, p = tmp_path / "g.json", tmp_path / "p.json"
    g.write_text(json.dumps(gold_b(), ensure_ascii=False), "utf-8")
    p.write_text(json.dumps(pred_b_handmade(), ensure_ascii=False), "utf-8")
    ours = evaluate_folders(g, p).to_dict()
    official = _official(g, p)
    assert {k: ours[k] for k in official} == official


# --------------------------------------------------------------------------- docs example

TEXT_DOC = (
    "2024年4月3日至6月17日,区委第三巡察组对龙穴街道党工委进行了巡察。"
    "一是针对解决交通顽疾不够有力问题,8月至10月出动执法车辆102车次,劝离绿地违停车辆800余台。"
)


def _docs_example() -> tuple[Doc, Doc]:
    """The worked example of docs/evaluation_metrics.md."""
    t = TEXT_DOC
    ents = [("DATE", "2024年4月3日至6月17日"), ("ORG", "区委第三巡察组"), ("ORG", "龙穴街道党工委"),
            ("PROBLEM", "解决交通顽疾不够有力"), ("DATE", "8月至10月"),
            ("OUTCOME", "出动执法车辆102车次"), ("OUTCOME", "劝离绿地违停车辆800余台")]  # fmt: skip
    gold = {
        "kind": "巡察",
        "inspection": {
            "inspector": "区委第三巡察组",
            "targets": ["龙穴街道党工委|龙穴街道"],
            "start_date": "2024-04-03",
            "end_date": "2024-06-17",
            "feedback_date": "2024-07-30",
        },
        "publisher": None,
        "published_date": None,
        "summary": {"problems_total": 11, "completion_rate": None},
        "problems": [{"statement": "解决交通顽疾不够有力", "parent": None, "status": "已完成"}],
        "outcomes": [
            _outcome(t, "出动执法车辆102车次", "出动执法车辆", 102, "车次", problem=0),
            _outcome(t, "劝离绿地违停车辆800余台", "劝离绿地违停车辆", 800, "台", problem=0),
        ],
        "entities": [_ent(t, label, sub) for label, sub in ents],
        "relations": [
            {"label": lab, "head": h, "tail": tl}
            for lab, h, tl in [
                ("INSPECTS", 1, 2),
                ("ADDRESSES", 5, 3),
                ("ADDRESSES", 6, 3),
                ("DURING", 5, 4),
                ("DURING", 6, 4),
            ]
        ],
    }
    pred_ents = [ents[0], ("ORG", "第三巡察组"), ents[2], ents[3], ents[5],
                 ("OUTCOME", "绿地违停车辆800余台")]  # fmt: skip
    pred = {
        "kind": "巡察",
        "inspection": {
            "inspector": "第三巡察组",
            "targets": ["龙穴街道", "龙穴社区"],
            "start_date": "2024-04-03",
            "end_date": "2024-06-17",
            "feedback_date": None,
        },
        "publisher": None,
        "published_date": "2024-11-05",
        "summary": {"problems_total": 11, "completion_rate": 1.0},
        "problems": [{"statement": "交通顽疾不够有力", "parent": None, "status": "完成"}],
        "outcomes": [
            _outcome(t, "出动执法车辆102车次", "出动执法车辆", 102, "车次", problem=0),
            _outcome(t, "绿地违停车辆800余台", "绿地违停车辆", 800, "辆", problem=0),
        ],
        "entities": [_ent(t, label, sub) for label, sub in pred_ents],
        "relations": [
            {"label": lab, "head": h, "tail": tl}
            for lab, h, tl in [("INSPECTS", 1, 2), ("ADDRESSES", 4, 3), ("ADDRESSES", 5, 3)]
        ],
    }
    return gold, pred


def test_docs_worked_example(tmp_path: Path) -> None:
    gold, pred = _docs_example()
    scores = assert_agrees(tmp_path, {"n": (gold, pred)}).to_dict()
    expected = {
        "header": (4, 7, 7), "targets": (1, 1, 2), "summary": (1, 1, 2), "problems": (1, 1, 1),
        "problem.status": (0, 1, 1), "outcomes": (1, 2, 2), "outcome.problem": (1, 1, 1),
        "entities": (4, 7, 6), "entities~": (6, 7, 6), "relations": (1, 5, 3),
        "relations~": (3, 5, 3), "relation~:INSPECTS": (1, 1, 1), "relation:DURING": (0, 2, 0),
    }  # fmt: skip
    for key, counts in expected.items():
        assert (scores[key]["tp"], scores[key]["gold"], scores[key]["pred"]) == counts, key
    assert [scores["entities.macro"][k] for k in "prf"] == [0.75, 0.625, 0.6667]
    assert [scores["entities~.macro"][k] for k in "prf"] == [1.0, 0.875, 0.9167]
    assert scores["relations.macro"]["f"] == 0.1667
