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
        "成立领导小组,下设办公室,抽调专人组成工作专班。",
        "提高社区治理水平,丰富社区文化活动,促进社区和谐。",
        "印发《关于加强区住建局管理的通知》。",
        "辖区物业公司、相关部门要做好配合。",
        "全面加强党的领导,落实全面从严治党主体责任。",
    ],
)
def test_generic_phrases_are_not_orgs(text):
    assert _orgs(text) == []


def test_groups_named_by_their_task_are_named_bodies():
    # annotation guide ORG-9 and ruling R1 of the real corpus: the rectification group is a
    # named ad hoc body, with the committee or organisation that set it up
    text = ("第一时间成立巡察整改工作领导小组,区委巡视整改领导小组办公室负责日常工作。"
            "成立市委第三巡察组反馈意见整改工作领导小组。")
    assert _orgs(text) == ["巡察整改工作领导小组", "区委巡视整改领导小组办公室",
                           "市委第三巡察组反馈意见整改工作领导小组"]


def test_mass_organisations_and_the_study_group():
    text = "县妇联、县总工会和县融媒体中心召开会议。区委理论学习中心组开展专题学习。"
    assert _orgs(text) == ["县妇联", "县总工会", "县融媒体中心", "区委理论学习中心组"]
    assert _orgs("中央第四巡视组向最高人民检察院党组反馈了巡视意见") == ["中央第四巡视组", "最高人民检察院党组"]


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


# --------------------------------------------------------------- organs named by function


@pytest.mark.parametrize(
    "text, expected",
    [
        ("县发改局会同市生态环境局开展联合督查。", ["县发改局", "市生态环境局"]),
        ("由镇综治中心牵头,区城管执法大队配合。", ["镇综治中心", "区城管执法大队"]),
        ("乡司法所、县委编办和街道党群服务中心派员参加。", ["乡司法所", "县委编办", "街道党群服务中心"]),
        ("协调规自局核查用地,由消安办梳理案件。", ["规自局", "消安办"]),
        ("执法队新增两名持证人员。", ["执法队"]),
        ("住建局、卫健委、市场监管局联合检查。", ["住建局", "卫健委", "市场监管局"]),
        ("县住房和城乡建设局约谈施工单位。", ["县住房和城乡建设局"]),
        ("市规划和自然资源局出具意见。", ["市规划和自然资源局"]),
        ("区人力资源和社会保障局开展专项检查。", ["区人力资源和社会保障局"]),
        ("旗农牧局与苏木综合行政执法队联合行动。", ["旗农牧局", "苏木综合行政执法队"]),
        ("镇公共服务办公室走访困难群众。", ["镇公共服务办公室"]),
        ("街道巡察整改办公室多次召开协调会。", ["街道巡察整改办公室"]),
        ("纪工委加强日常监督。", ["纪工委"]),
        ("县委先后召开5次常委会会议,县委中心组专题学习。", ["常委会", "县委中心组"]),
        ("县委办与县委组织部加强沟通。", ["县委办", "县委组织部"]),
        ("协助区卫健部门开展义诊。", ["区卫健部门"]),
        ("国家统计局和财政部联合发布。", ["国家统计局", "财政部"]),
    ],
)
def test_function_named_organs(text, expected):
    assert _orgs(text) == expected


def test_conjuncts_share_the_elided_prefix():
    assert _orgs("县委常委及县人大、政协、法院、检察院主要负责同志参加。") == ["县人大", "政协", "法院", "检察院"]
    assert _orgs("与临江县委、县政府对接。") == ["临江县委", "县政府"]
    # bare 政府 in a list is not tagged, nor 区政府 alone
    assert _orgs("区政府分管领导督导。") == []


@pytest.mark.parametrize(
    "text",
    [
        "加强执法队伍建设,配齐执法队员。",
        "组织部门要把好选人用人关。",
        "督促相关职能部门落实责任,水务部门加强巡查。",
        "区城管、环保、水务等部门联合执法。",
        "他是发改委员。",
        "坚持建设法治政府,办好保险公司。",
        "给予城市政府更多自主权,加强地方政府性债务管理。",
        "扩大公立医院改革试点,规范信托公司经营。",
        "深化供销合作社综合改革,防止形成利益集团。",
        "反对无政府主义,做好政府工作。",
        "建设文化中心和体育中心。",
        "各级纪委要履行监督责任。",
        "以上集中学习两次。",
    ],
)
def test_generic_or_verbal_uses_are_not_orgs(text):
    assert _orgs(text) == []


def test_named_places_keep_names_with_verbs():
    assert _orgs("广州市城市建设投资集团承建。") == ["广州市城市建设投资集团"]
    assert _orgs("中国政府和苏联政府发表声明。") == ["中国政府", "苏联政府"]


def test_lexicon_entries_are_clean():
    from rectify_nlp.rules import orgs

    assert "规自" in orgs._STEMS and "住房和城乡建设" in orgs._STEMS
    assert all(w and not w.startswith("#") and " " not in w for w in orgs._STEMS | orgs.VERBS)
    assert {"纪工委", "编办"} <= orgs._BARE
    assert is_specific_org("规自", "局") and is_specific_org("街道城建", "办")
    assert not is_specific_org("法治", "政府") and not is_specific_org("水务", "部门")
