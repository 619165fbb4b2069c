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


_CLOSING = "一、整改落实情况\n村级财务问题已整改到位,追回资金4.2万元。\n欢迎社会各界监督。\n\n"


@pytest.mark.parametrize("publisher", ["中共青石镇委员会", "长宁县委巡察整改工作领导小组",
                                       "中共东湖区纪律检查委员会", "溪口街道党工委"])
@pytest.mark.parametrize("date_first", [False, True])
def test_publisher_before_or_after_the_date(publisher, date_first):
    date = "2023年12月1日"
    tail = f"{date}\n{publisher}\n" if date_first else f"{publisher}\n{date}\n"
    text = _CLOSING + tail
    sig = parse_signature(text)
    assert sig.publisher is not None and sig.publisher.text == publisher
    assert text[sig.publisher.start:sig.publisher.end] == publisher
    assert sig.published_date == "2023-12-01"


def test_date_first_with_chrome_after_the_publisher():
    text = (_CLOSING + "二〇二四年五月二十日\n中共柳江县委\n"
            "主办单位:柳江县人民政府办公室\n桂ICP备10000001号\n")
    sig = parse_signature(text)
    assert (sig.publisher.text, sig.published_date) == ("中共柳江县委", "2024-05-20")


@pytest.mark.parametrize("after", [
    "联系电话:0771-5551234",
    "联系电话 0771-5551234",
    "公开期限自公布之日起三十日",
    "公开期限:30天",
    "附件下载",
    "打印本页 关闭窗口",
    "电子邮箱:xcb@qq.com",
])
def test_contact_or_period_line_after_the_date_is_never_the_publisher(after):
    text = _CLOSING + f"2024年1月8日\n{after}\n"
    sig = parse_signature(text)
    assert sig.publisher is None
    assert sig.published_date == "2024-01-08"


@pytest.mark.parametrize("before", ["联系电话0771-5551234", "公开期限三十日", "联系电话 0771 5551234"])
def test_contact_line_before_the_date_is_skipped_for_a_name_after_it(before):
    text = _CLOSING + f"{before}\n2024年1月8日\n中共南岭乡委员会\n"
    sig = parse_signature(text)
    assert sig.publisher is not None and sig.publisher.text == "中共南岭乡委员会"


def test_publisher_before_the_date_still_wins():
    # a later org-like line (a related link, a second page block) does not displace it
    text = _CLOSING + "中共北山镇委员会\n2023年6月30日\n中共南山镇委员会\n"
    assert parse_signature(text).publisher.text == "中共北山镇委员会"
