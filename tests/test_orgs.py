"""The ORG rule on genre sentences written for the tests (various provinces, levels and styles)."""

from __future__ import annotations

import time

import pytest

from rectify_nlp.rules.orgs import (
    find_inspectors,
    find_orgs,
    inspection_target_spans,
    is_specific_org,
)


def _orgs(text: str) -> list[str]:
    return [s.text for s in find_orgs(text)]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("8月12日,县委第二巡察组向中共石门乡委员会反馈了巡察意见。", ["县委第二巡察组", "中共石门乡委员会"]),
        ("省委第七巡视组对中共韶关市委进行了常规巡视。", ["省委第七巡视组", "中共韶关市委"]),
        ("市委巡察二组进驻后,督促市自然资源局党组整改。", ["市委巡察二组", "市自然资源局党组"]),
        ("由区城管执法局牵头,会同区卫健局开展整治。", ["区城管执法局", "区卫健局"]),
        ("红星社区党支部书记主持会议。", ["红星社区党支部"]),
        ("对佛山市顺德区进行了巡视。", ["佛山市顺德区"]),
        ("约谈浙江宏达建材有限公司负责人。", ["浙江宏达建材有限公司"]),
        ("区纪委监委对3名干部进行了提醒谈话。", ["区纪委监委"]),
        ("南湖开发区党工委召开专题会议。", ["南湖开发区党工委"]),
        ("区委4个巡察组同步进驻。", ["区委4个巡察组"]),
        ("中央第八巡视组反馈意见。", ["中央第八巡视组"]),
    ],
)
def test_specific_organisations(text, expected):
    assert _orgs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "街道党工委高度重视,区委统一部署,各单位认真落实。",
        "省委和党中央的决策部署要坚决贯彻。",
        "开发区党工委书记带头整改。",
        "各社区党组织要加强学习。",
        "成立整改工作领导小组,下设办公室。",
        "提高社区治理水平,丰富社区文化活动,促进社区和谐。",
        "印发《关于加强区住建局管理的通知》。",
        "辖区物业公司、相关部门要做好配合。",
        "全面加强党的领导,落实全面从严治党主体责任。",
    ],
)
def test_generic_phrases_are_not_orgs(text):
    assert _orgs(text) == []


def test_place_prefix_is_kept_for_groups():
    assert [s.text for s in find_inspectors("经研究,清远市委第一巡察组于4月进驻")] == ["清远市委第一巡察组"]
    assert [s.text for s in find_inspectors("根据区委巡察三组反馈")] == ["区委巡察三组"]


def test_targets_split_on_extension_and_lists():
    text = "市委第三巡察组对白云镇党委及延伸对白云村党支部、青松村党支部开展了巡察。"
    assert [s.text for s, _ in inspection_target_spans(text)] == ["白云镇党委", "白云村党支部", "青松村党支部"]
    text = "对区住房和城乡建设局党组开展了专项巡察"
    assert [(s.text, k) for s, k in inspection_target_spans(text)] == [("区住房和城乡建设局党组", "巡察")]


def test_alias_parenthesis_is_left_out():
    text = "对中共北湖街道工作委员会(以下简称“北湖街道党工委”)开展了巡察"
    assert [s.text for s, _ in inspection_target_spans(text)] == ["中共北湖街道工作委员会"]


def test_is_specific_org():
    assert is_specific_org("青山镇", "党委")
    assert not is_specific_org("镇", "党委")
    assert is_specific_org("县", "法院")
    assert not is_specific_org("", "局")


def test_offsets_and_labels():
    text = "一、整改情况\n  县委第一巡察组向中共河口镇委员会反馈。"
    for s in find_orgs(text):
        assert text[s.start:s.end] == s.text and s.label == "ORG"


@pytest.mark.parametrize("text", ["", "   \n", "The committee met on Monday.", "<div>局</div>", "局委办"])
def test_hostile_input(text):
    assert find_orgs(text) == []


def test_unnormalised_punctuation():
    assert _orgs("县委第一巡察组，向中共河口镇委员会反馈。") == ["县委第一巡察组", "中共河口镇委员会"]


def test_huge_input_is_fast():
    block = "区委第三巡察组向龙山街道党工委反馈意见,督促区住建局整改,提高社区治理水平。"
    text = (block * (1_000_000 // len(block)))[:1_000_000]
    t0 = time.perf_counter()
    out = find_orgs(text)
    assert time.perf_counter() - t0 < 15
    assert len(out) > 1000
