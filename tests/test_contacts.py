"""Contacts of the feedback part: phones, e-mails, address, postcode, websites."""

from __future__ import annotations

import time

import pytest

from rectify_nlp.rules.contacts import Contacts, find_contacts
from rectify_nlp.text import clean_text


def _texts(spans):
    return [s.text for s in spans]


def test_feedback_paragraph_all_fields():
    text = (
        "欢迎广大干部群众对巡视整改落实情况进行监督。如有意见建议,请及时向我们反映。"
        "联系方式:电话0351-4567890;电子邮箱:tyzgb@126.com;"
        "邮政信箱:山西省太原市迎泽区新建南路8号;邮政编码:030001。\n中共太原市某某区委\n2021年6月30日"
    )
    c = find_contacts(text)
    assert c.to_dict() == {
        "phones": ["0351-4567890"],
        "emails": ["tyzgb@126.com"],
        "address": "山西省太原市迎泽区新建南路8号",
        "postcode": "030001",
        "websites": [],
    }
    labels = [s.label for s in c.spans()]
    assert labels == ["PHONE", "EMAIL", "ADDRESS", "POSTCODE"]
    for s in c.spans():
        assert text[s.start : s.end] == s.text


@pytest.mark.parametrize(
    ("text", "phones"),
    [
        ("联系电话:020-81007107。", ["020-81007107"]),
        ("联系电话:0769-22118522;", ["0769-22118522"]),
        ("请及时向街道反映,联系电话:(022)66596006。", ["(022)66596006"]),
        ("联系电话：（022）66596006。", ["（022）66596006"]),
        ("举报电话:12388。", ["12388"]),
        ("联系人:王某,手机:13812345678。", ["13812345678"]),
        ("联系电话:010-12345678转123。", ["010-12345678转123"]),
        (
            "监督电话:0571-87001234、87001235,传真:0571-87001236",
            ["0571-87001234", "87001235", "0571-87001236"],
        ),
        ("也可拨打12388或0898-65301234反映。", ["12388", "0898-65301234"]),
        ("联系电话:\n0755-8888 1234\n", ["0755-8888 1234"]),
        ("举报热线 400-123-4567", ["400-123-4567"]),
    ],
)
def test_phone_shapes(text, phones):
    assert _texts(find_contacts(text).phones) == phones


@pytest.mark.parametrize(
    "text",
    [
        "根据〔2024〕5号文件精神,2024年4月3日至6月17日开展巡察。",
        "共收回资金13812345678元,整改问题12388个。",
        "全区GDP达到81007107万元,同比增长6.5%。",
        "通过电话回访群众12345人次,满意率98%。",
        "开通举报电话后,共受理来电12388件,办结率100%。",
        "编号为0201-20230001的合同已清理。",
        "新增就业岗位23456个,发放补贴8765432元。",
    ],
)
def test_body_numbers_are_not_phones(text):
    assert find_contacts(text).phones == ()


def test_emails_and_websites_anywhere():
    text = "电子邮箱:xcb_zg@mail.gz.gov.cn。举报网址:http://www.12388.gov.cn/,或登录www.gzjw.gov.cn。网站:jjjc.sz.gov.cn。"
    c = find_contacts(text)
    assert _texts(c.emails) == ["xcb_zg@mail.gz.gov.cn"]
    assert _texts(c.websites) == ["http://www.12388.gov.cn/", "www.gzjw.gov.cn", "jjjc.sz.gov.cn"]
    assert c.phones == ()


@pytest.mark.parametrize(
    ("text", "address", "postcode"),
    [
        (
            "来信请寄:湖南省长沙市岳麓区银杉路1号区委巡察办(邮编:410013)",
            "湖南省长沙市岳麓区银杉路1号区委巡察办",
            "410013",
        ),
        (
            "通信地址:成都市锦江区红星路二段12号,邮编610016。",
            "成都市锦江区红星路二段12号",
            "610016",
        ),
        ("邮政信箱:北京市西城区1001信箱\n邮政编码:100032", "北京市西城区1001信箱", "100032"),
        ("地址:南宁市青秀区民族大道100号;邮编:530028。", "南宁市青秀区民族大道100号", "530028"),
    ],
)
def test_address_and_postcode(text, address, postcode):
    d = find_contacts(text).to_dict()
    assert d["address"] == address
    assert d["postcode"] == postcode


def test_body_mention_of_address_not_tagged():
    c = find_contacts("核查企业注册地址2000余家,整改问题线索地址不实问题。邮编制度完善。")
    assert c.addresses == () and c.postcodes == ()


def test_empty_and_non_notice_text():
    for text in ("", " ", "This is not a notice.", "<p>x</p>", "根据区委统一部署开展巡察。"):
        c = find_contacts(text)
        assert c == Contacts() and not c
        assert c.to_dict() == {
            "phones": [],
            "emails": [],
            "address": None,
            "postcode": None,
            "websites": [],
        }


def test_duplicates_collapse_in_dict_but_not_in_spans():
    c = find_contacts("联系电话:12388。举报电话:12388。")
    assert len(c.phones) == 2
    assert c.to_dict()["phones"] == ["12388"]


def test_unnormalised_input_does_not_crash_and_works_after_clean():
    raw = "联系电话：０２０－８１００７１０７；电子邮箱：ｌｗ＠１６３．ｃｏｍ"
    find_contacts(raw)  # must not crash on full-width input
    ct = clean_text(raw)
    c = find_contacts(ct.text)
    assert _texts(c.phones) == ["020-81007107"]
    assert _texts(c.emails) == ["lw@163.com"]
    span = ct.original_span(c.phones[0])
    assert span.text == "０２０－８１００７１０７"


def test_site_footer_contacts_removed_by_clean_text():
    page = (
        "欢迎监督。联系电话:0769-22118522。\n中共某某街道工作委员会\n2025年10月16日\n"
        "中共某某市纪律检查委员会版权所有 联系地址:某某市南城区鸿福路99号 邮政编码:523888 粤ICP备19111585号"
    )
    c = find_contacts(clean_text(page).text)
    assert c.to_dict()["phones"] == ["0769-22118522"]
    assert c.addresses == () and c.postcodes == ()


def test_hostile_input_is_linear():
    for big in (
        "a" * 500_000 + "@",
        "电话" * 100_000,
        "1" * 500_000,
        "@" * 200_000,
        "www." * 100_000,
        "地址:" * 100_000,
    ):
        t0 = time.perf_counter()
        find_contacts(big)
        assert time.perf_counter() - t0 < 5, big[:10]
