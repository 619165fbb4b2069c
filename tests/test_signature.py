"""The signature parser: publisher and date at the end, page-date fallback, hostile input."""

from __future__ import annotations

import time

import pytest

from rectify_nlp.rules.signature import Signature, parse_signature

BODY = "一、整改工作情况\n镇党委高度重视,制定整改措施38条。\n欢迎广大干部群众监督。\n"


def test_publisher_line_before_date():
    text = BODY + "中共白沙乡委员会\n2023年10月8日\n"
    sig = parse_signature(text)
    assert sig.publisher.text == "中共白沙乡委员会" and sig.published_date == "2023-10-08"
    assert text[sig.date_span.start:sig.date_span.end] == "2023年10月8日"
    assert text[sig.publisher.start:sig.publisher.end] == sig.publisher.text
    assert sig.publisher.label == "ORG"


def test_contact_block_and_chrome_are_skipped():
    text = (BODY + "公开期限:2024年3月1日至4月1日。联系电话:0797-1234567;电子邮箱:abc@163.com。\n"
            "中共黄石县委巡察整改工作领导小组\n  2024年3月1日  \n"
            "主办单位:黄石县人民政府办公室\n网站标识码:3607000001\n赣ICP备12345678号\n")
    sig = parse_signature(text)
    assert sig.publisher.text == "中共黄石县委巡察整改工作领导小组"
    assert sig.published_date == "2024-03-01"


def test_signature_and_date_on_one_line():
    sig = parse_signature(BODY + "中共河口镇委员会 2022年12月30日")
    assert (sig.publisher.text, sig.published_date) == ("中共河口镇委员会", "2022-12-30")


def test_chinese_numeral_date():
    sig = parse_signature(BODY + "中共青云区委\n二〇二一年六月九日\n")
    assert (sig.publisher.text, sig.published_date) == ("中共青云区委", "2021-06-09")


@pytest.mark.parametrize(
    "page_date, iso",
    [("发布时间:2023-05-06 10:00", "2023-05-06"), ("日期:2018年11月27日", "2018-11-27"),
     ("2020/01/02", "2020-01-02"), ("发布日期:2021.7.9", "2021-07-09")],
)
def test_page_date_fallback(page_date, iso):
    sig = parse_signature(BODY, page_date=page_date)
    assert sig.publisher is None and sig.published_date == iso and sig.date_span is None


def test_page_date_line_in_text():
    sig = parse_signature("来源:某某纪委监委网站 发布时间:2022-08-19 09:30\n" + BODY)
    assert sig.published_date == "2022-08-19"


def test_no_signature():
    assert parse_signature(BODY) == Signature()


@pytest.mark.parametrize("text", ["", "  \n ", "Just English text.", "<html></html>", "2024年"])
def test_hostile_input(text):
    sig = parse_signature(text, page_date="garbage")
    assert sig.published_date is None


def test_huge_input_is_fast():
    text = "整改持续推进。" * 150_000 + "\n中共某某县委\n2024年1月5日"
    t0 = time.perf_counter()
    sig = parse_signature(text)
    assert time.perf_counter() - t0 < 10
    assert sig.published_date == "2024-01-05"
