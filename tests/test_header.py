"""The header parser on openings written for the tests (provinces, levels and phrasings vary)."""

from __future__ import annotations

import time

import pytest

from rectify_nlp.rules.dates import find_dates
from rectify_nlp.rules.header import Header, parse_header


def _summary(h: Header) -> tuple:
    return (h.kind, h.inspector.text if h.inspector else None, [t.text for t in h.targets],
            h.start_date, h.end_date, h.feedback_date)


def test_county_inspection_of_a_township_committee():
    text = ("按照县委巡察工作安排,县委第二巡察组于2023年4月10日至6月2日对中共石门乡委员会开展了常规巡察,"
            "8月15日召开巡察反馈会。按照有关要求,现将整改进展情况予以公布。")
    assert _summary(parse_header(text)) == (
        "巡察", "县委第二巡察组", ["中共石门乡委员会"], "2023-04-10", "2023-06-02", "2023-08-15")


def test_provincial_inspection_of_a_city_committee_month_precision():
    text = ("中共韶关市委关于省委巡视整改进展情况的通报\n"
            "根据省委统一部署,2023年3月至5月,省委第三巡视组对中共韶关市委进行了常规巡视,"
            "并于2023年7月12日反馈了巡视意见。")
    assert _summary(parse_header(text)) == (
        "巡视", "省委第三巡视组", ["中共韶关市委"], "2023-03", "2023-05", "2023-07-12")


def test_special_inspection_of_a_bureau_party_group():
    text = ("2022年9月5日至10月28日,市委第四巡察组对市自然资源局党组开展了专项巡察。"
            "12月6日,市委第四巡察组向市自然资源局党组反馈了巡察意见。")
    assert _summary(parse_header(text)) == (
        "巡察", "市委第四巡察组", ["市自然资源局党组"], "2022-09-05", "2022-10-28", "2022-12-06")


def test_december_inspection_with_january_feedback_rolls_over():
    text = ("区委第五巡察组于2023年11月20日至12月22日对区教育局党委进行了机动巡察。"
            "1月18日,区委第五巡察组向区教育局党委反馈了巡察意见。")
    h = parse_header(text, dates=find_dates(text))
    assert (h.start_date, h.end_date, h.feedback_date) == ("2023-11-20", "2023-12-22", "2024-01-18")


def test_pronoun_target_resolved_from_signature():
    text = ("2023年5月至6月,县委第一巡察组对我乡进行了巡察,7月20日反馈了巡察意见。\n"
            "一、整改工作情况\n乡党委高度重视。\n中共白沙乡委员会\n2023年10月8日")
    h = parse_header(text)
    assert [t.text for t in h.targets] == ["中共白沙乡委员会"]
    t = h.targets[0]
    assert text[t.start:t.end] == t.text


def test_several_groups_and_round():
    text = ("根据十一届省委第三轮巡视工作安排,2024年3月至5月,区委4个巡察组对区属12家单位"
            "开展了常规巡察。")
    h = parse_header(text)
    assert h.inspector.text == "区委4个巡察组"
    assert h.round is not None and h.round.text == "十一届省委第三轮"
    assert h.feedback_date is None


def test_extension_targets_each_once_and_same_sentence_feedback():
    text = ("按照区委统一部署,2022年8月1日至9月14日,区委巡察一组对青河街道党工委及延伸对青河社区党支部、"
            "柳岸社区党支部开展了常规巡察,并于11月3日反馈了巡察意见。")
    assert _summary(parse_header(text)) == (
        "巡察", "区委巡察一组", ["青河街道党工委", "青河社区党支部", "柳岸社区党支部"],
        "2022-08-01", "2022-09-14", "2022-11-03")


def test_central_inspection_of_a_province_and_title_first():
    text = ("来源:某某网 发布时间:2024-04-02\n"
            "2023年10月至12月,中央第十二巡视组对四川省进行了常规巡视。2024年2月1日,中央第十二巡视组"
            "向四川省委反馈了巡视意见。")
    assert _summary(parse_header(text)) == (
        "巡视", "中央第十二巡视组", ["四川省"], "2023-10", "2023-12", "2024-02-01")


def test_jinzhu_phrasing_and_round_with_year():
    text = ("根据2021年第二轮巡视安排,省委第六巡视组于2021年4月10日至6月10日进驻湛江市开展巡视,"
            "2021年8月5日反馈巡视意见。")
    h = parse_header(text)
    assert _summary(h)[1:] == ("省委第六巡视组", ["湛江市"], "2021-04-10", "2021-06-10", "2021-08-05")
    assert h.round.text == "2021年第二轮"


def test_unknown_fields_are_none():
    h = parse_header("市委巡察组对东山镇红星村党支部开展了提级巡察。")
    assert (h.start_date, h.end_date, h.feedback_date, h.round) == (None, None, None, None)
    assert h.kind == "巡察"


def test_evidence_spans_point_into_text():
    text = "2024年4月3日至6月17日,区委第三巡察组对龙山街道党工委开展了巡察。7月30日,区委第三巡察组向龙山街道党工委反馈了巡察意见。"
    h = parse_header(text)
    assert {s.label for s in h.evidence} == {"HEADER", "DATE"}
    for s in h.evidence:
        assert text[s.start:s.end] == s.text


@pytest.mark.parametrize("text", ["", "   ", "This is not a notice.", "<html><p>巡察</p></html>", "巡视" * 50])
def test_hostile_input(text):
    h = parse_header(text)
    assert isinstance(h, Header) and h.targets == () and h.inspector is None


def test_huge_input_is_fast():
    opening = "2024年4月3日至6月17日,区委第三巡察组对龙山街道党工委开展了巡察。7月30日反馈了巡察意见。\n"
    text = opening + "整改工作持续推进,出动执法车辆102车次。" * 50_000
    t0 = time.perf_counter()
    h = parse_header(text)
    assert time.perf_counter() - t0 < 10
    assert h.feedback_date == "2024-07-30"


def test_target_list_summed_up_by_a_count_is_split():
    text = ("根据县委统一安排,2023年3月6日至4月28日,县委组建3个巡察组对县水利局、县林业局、"
            "县统计局等3家单位开展了常规巡察。2023年6月2日,县委3个巡察组分别反馈了巡察意见。")
    header = parse_header(text)
    assert [t.text for t in header.targets] == ["县水利局", "县林业局", "县统计局"]


def test_a_count_of_communities_stays_one_target():
    text = "2023年3月6日至4月28日,区委巡察二组对某某街道及12个社区开展了巡察,并于5月9日反馈了巡察意见。"
    header = parse_header(text)
    assert "12个社区" in [t.text for t in header.targets]


_OPENING = ("按照州委巡察工作统一部署,2023年9月4日至10月27日,州委第六巡察组对中共清溪县林业局党组"
            "开展了常规巡察,并于12月8日反馈了巡察意见。现将整改进展情况予以公布。\n"
            "一、整改工作总体情况\n局党组坚持把巡察整改作为重要政治任务。\n")
_EXPECTED = ("巡察", "州委第六巡察组", ["中共清溪县林业局党组"], "2023-09-04", "2023-10-27", "2023-12-08")


def _chinese_preamble(n: int) -> str:
    # ordinary page text with no inspection sentence in it (related-news teasers, notices, chrome)
    lines = ["今年以来,全县持续推进乡村振兴各项工作,农村人居环境整治成效明显。",
             "县融媒体中心记者从县农业农村局获悉,全县累计发放惠农补贴资金2300余万元。",
             "当前位置:首页 > 政务公开 > 通知公告", "浏览次数:815 字号:大 中 小"]
    out, i, size = [], 0, 0
    while size < n:
        out.append(lines[i % len(lines)])
        size += len(out[-1]) + 1
        i += 1
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("preamble", [
    _chinese_preamble(6_000),
    _chinese_preamble(6_500).replace("\n", ""),  # one long run, no line breaks
    "This page is an English summary of local government news. " * 340 + "\n",  # ~20 KB
    ("Lorem ipsum dolor sit amet. " * 900),  # English run straight into the notice, no newline
], ids=["zh-lines", "zh-one-run", "en-20k", "en-no-newline"])
def test_header_found_after_a_long_preamble(preamble):
    assert len(preamble) > 6_000
    text = preamble + _OPENING + "整改工作持续推进。" * 200
    h = parse_header(text)
    assert _summary(h) == _EXPECTED
    for s in (*h.targets, h.inspector, *h.evidence):
        assert text[s.start:s.end] == s.text
    head = next(s for s in h.evidence if s.label == "HEADER")
    assert head.start >= len(preamble) - 400 and "州委第六巡察组" in head.text


def test_long_preamble_keeps_title_and_pronoun_resolution():
    text = (_chinese_preamble(7_000) + "中共青峰镇委员会关于县委巡察反馈意见整改情况的通报\n"
            "2024年3月至4月,县委第二巡察组对我镇进行了巡察,5月9日反馈了巡察意见。\n一、整改情况\n"
            "镇党委高度重视。\n")
    h = parse_header(text)
    assert (h.kind, h.inspector.text, [t.text for t in h.targets]) == (
        "巡察", "县委第二巡察组", ["中共青峰镇委员会"])
    assert (h.start_date, h.end_date, h.feedback_date) == ("2024-03", "2024-04", "2024-05-09")


def test_weak_header_sentence_not_skipped_for_a_later_body_clause():
    # the header names the group but has no 对…开展 clause; a body sentence further on has one
    text = (_chinese_preamble(5_000) + "2023年6月12日,省委第九巡视组向中共安平市委反馈了巡视意见。\n"
            + "各项整改有序推进。" * 100 + "市委对市属国企开展了专项检查。\n")
    h = parse_header(text)
    assert h.inspector is not None and h.inspector.text == "省委第九巡视组"
    assert [t.text for t in h.targets] == ["中共安平市委"]


def test_preamble_without_any_notice_gives_no_header_quickly():
    text = _chinese_preamble(2_000_000)
    t0 = time.process_time()
    h = parse_header(text)
    assert time.process_time() - t0 < 10
    assert h.inspector is None and h.targets == ()


def test_a_feedback_only_header_gives_a_feedback_date_not_a_period():
    text = ("2023年6月12日,省委第五巡视组向中共某某市委反馈了巡视意见。按照有关要求,"
            "现将巡视整改进展情况予以公布。")
    header = parse_header(text)
    assert header.start_date is None and header.end_date is None
    assert header.feedback_date == "2023-06-12"


def test_self_reference_resolved_from_a_title_after_page_chrome():
    # 我院党组 / 委党组 are resolved to the name the page gives itself (ruling R3)
    text = ("政务公开\n\n中共青禾县人民法院党组关于县委巡察整改进展情况的通报\n2024-05-06 来源:县法院\n"
            "根据县委统一部署,2023年9月1日至10月30日,县委第二巡察组对我院党组开展了巡察。"
            "12月5日,巡察组反馈了巡察意见。现将整改进展情况予以公布。")
    assert [t.text for t in parse_header(text).targets] == ["中共青禾县人民法院党组"]


def test_a_body_and_the_units_it_includes_are_each_a_target():
    text = ("根据县委统一部署,2024年3月1日至4月30日,县委巡察三组对县委宣传部(含县融媒体中心、县社科联、"
            "县文联)开展了巡察。6月5日反馈了巡察意见。")
    assert [t.text for t in parse_header(text).targets] == ["县委宣传部", "县融媒体中心", "县社科联", "县文联"]
