"""clean_text: HTML, normalisation, traditional characters, boilerplate, hostile input."""

from __future__ import annotations

import time

import pytest

from rectify_nlp.spans import Span
from rectify_nlp.text import CleanText, clean_text
from rectify_nlp.text.boilerplate import classify_line, drop_boilerplate
from rectify_nlp.text.html import strip_html
from rectify_nlp.text.normalize import normalize_text, translate_chars, ts_table

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>关于市委第二巡察组巡察反馈意见整改进展情况的通报_清风网</title>
<style>p { color: red; }</style><script>var a = "<p>不是正文</p>";</script></head>
<body>
<div class="nav">当前位置:<a href="/">首页</a> &gt; <a href="/xc">巡视巡察</a> &gt; 整改通报</div>
<div class="info">发布时间:2023-09-12 来源:市纪委监委 浏览次数:1024</div>
<div class="content">
  <p>&nbsp;&nbsp;根据市委巡察工作统一部署，2023年3月6日至5月10日，市委第二巡察组对城南镇党委开展了常规巡察。</p>
  <p>（一）针对“落实意识形态工作责任制不到位”问题的整改情况</p>
  <p>整改完成率１００％，清退违规资金12.5万元&amp;追缴款项3笔。</p>
  <!-- 正文结束 -->
  <p>欢迎广大干部群众对巡察整改落实情况进行监督。联系电话：0731-88886666；电子邮箱：cnxc@163.com。</p>
  <p>中共城南镇委员会</p><p>2023年9月12日</p>
</div>
<div class="footer">主办单位：中共某某市纪律检查委员会<br>粤ICP备12345678号-1 | 网站标识码：4401000001</div>
</body></html>"""


def test_html_page_gives_notice_text_with_offsets_into_html():
    ct = clean_text(PAGE)
    assert ct.is_html
    lines = ct.text.split("\n")
    assert lines[0].startswith("根据市委巡察工作统一部署,2023年3月6日至5月10日")
    assert "(一)针对“落实意识形态工作责任制不到位”问题的整改情况" in lines
    assert "整改完成率100%,清退违规资金12.5万元&追缴款项3笔。" in lines
    assert lines[-2:] == ["中共城南镇委员会", "2023年9月12日"]
    for junk in (
        "清风网",
        "color",
        "不是正文",
        "主办单位",
        "ICP",
        "网站标识码",
        "当前位置",
        "浏览次数",
        "正文结束",
        "<",
        ">",
    ):
        assert junk not in ct.text, junk
    assert "联系电话:0731-88886666;电子邮箱:cnxc@163.com" in ct.text
    # offsets point into the HTML string
    i = ct.text.index("城南镇党委")
    a, b = ct.to_original(i, i + 5)
    assert PAGE[a:b] == "城南镇党委"
    i = ct.text.index("&追缴")
    assert ct.to_original(i, i + 1) == (PAGE.index("&amp;追缴"), PAGE.index("&amp;追缴") + 5)
    i = ct.text.index("100%")
    a, b = ct.to_original(i, i + 4)
    assert PAGE[a:b] == "１００％"
    span = ct.original_span(Span(i, i + 4, "OUTCOME", "100%"))
    assert span.text == "１００％" and span.label == "OUTCOME"
    assert ct.page_date_text == "发布时间:2023-09-12来源:市纪委监委 浏览次数:1024"
    kinds = {d.kind for d in ct.dropped}
    assert {"nav", "page_date", "site_footer"} <= kinds
    for d in ct.dropped:
        assert 0 <= d.start <= d.end <= len(PAGE)


def test_html_fragment_autodetected_and_plain_text_not():
    assert clean_text("<p>一、整改情况</p><p>二、下一步</p>").text == "一、整改情况\n二、下一步"
    ct = clean_text("整改 a<b 和 c>d 的情况")
    assert not ct.is_html and ct.text == "整改 a<b 和 c>d 的情况"


def test_html_forced_and_unclosed_markup_does_not_crash():
    for html in (
        "<p>未闭合",
        "<script>alert(1)",
        "<!-- 注释",
        "a < b",
        "<div",
        "&#99999999;",
        "<head><title>标题</title>正文",
        "<p title='a>b'>正文</p>",
        "&bogus; &amp",
    ):
        ct = clean_text(html, html=True)
        assert isinstance(ct, CleanText)
        assert ct.offsets.original_length == len(html)
    assert clean_text("<script>alert(1)", html=True).text == ""
    assert clean_text("<head><title>标题</title>正文", html=True).text == "正文"
    assert clean_text("<p title='a>b'>正文</p>", html=True).text == "正文"


def test_strip_html_blocks_cells_and_pre():
    text, _ = strip_html("<table><tr><td>问题</td><td>完成</td></tr><tr><td>3项</td></tr></table>")
    assert [line.split() for line in text.strip().split("\n")] == [["问题", "完成"], ["3项"]]
    text, _ = strip_html("<pre>a\n  b</pre><p>c\n   d</p>")
    assert "a\n  b" in text and "c d" in text


def test_traditional_sentence_normalised_with_identical_offsets():
    original = "區委第三巡察組對龍穴街道黨工委開展了巡察，發現問題１２個。"
    ct = clean_text(original)
    assert ct.text == "区委第三巡察组对龙穴街道党工委开展了巡察,发现问题12个。"
    assert len(ct.text) == len(original)
    for i in range(len(original)):
        assert ct.to_original(i, i + 1) == (i, i + 1)
    assert clean_text(original, to_simplified=False).text.startswith("區委第三巡察組")


def test_ts_table_is_one_to_one_and_keeps_punctuation():
    table = ts_table()
    assert table[ord("區")] == "区" and table[ord("開")] == "开"
    assert all(len(v) == 1 for v in table.values())
    keep = "。、“”《》—…〇"
    assert translate_chars(keep) == keep


def test_fullwidth_spaces_and_line_breaks():
    original = (
        "\u3000\u3000（二）聚焦问题：整改率９５．５％！\r\n\r\n  第二行\t\t有  空格  \r末行\xa0"
    )
    text, m = normalize_text(original)
    assert text == "(二)聚焦问题:整改率95.5%!\n\n第二行 有 空格\n末行"
    i = text.index("\n")
    assert m.to_original(i, i + 1) == (original.index("\r\n"), original.index("\r\n") + 2)
    i = text.index(" 有")
    a, b = m.to_original(i, i + 1)
    assert original[a:b] == "\t\t"
    assert m.to_original(0, 3) == (2, 5)


def test_boilerplate_lines_dropped_body_mentions_kept():
    original = "\n".join(
        [
            "当前位置:首页 > 巡视巡察 > 整改通报",
            "来源:中共某某区纪委监委网站 作者:区委巡察办",
            "发布日期:2022-12-30",
            "【字号 大 中 小】 【打印本页】 【关闭窗口】",
            "根据区委统一部署,区委第五巡察组对区民政局党组开展了巡察。",
            "经核查,问题线索来源主要为群众来信来访,共收到来信38件。",
            "来源不明的资金往来已全部清理,共清理3笔。",
            "编辑部门整改落实情况良好。",
            "欢迎广大干部群众监督。联系电话:0571-87654321;电子邮箱:mzj@hz.gov.cn。",
            "中共某某区民政局党组",
            "2022年12月30日",
            "|",
            "版权所有:中共某某区纪律检查委员会 技术支持:某某科技",
            "浙ICP备05012345号 浙公网安备33010202000123号",
            "网站地图 | 联系我们",
            "分享到:",
            "扫一扫在手机打开当前页",
        ]
    )
    ct = clean_text(original)
    assert ct.text.split("\n") == [
        "根据区委统一部署,区委第五巡察组对区民政局党组开展了巡察。",
        "经核查,问题线索来源主要为群众来信来访,共收到来信38件。",
        "来源不明的资金往来已全部清理,共清理3笔。",
        "编辑部门整改落实情况良好。",
        "欢迎广大干部群众监督。联系电话:0571-87654321;电子邮箱:mzj@hz.gov.cn。",
        "中共某某区民政局党组",
        "2022年12月30日",
    ]
    assert ct.page_date_text == "发布日期:2022-12-30"
    by_kind = {d.kind for d in ct.dropped}
    assert by_kind == {"nav", "source", "page_date", "other", "site_footer"}
    for d in ct.dropped:
        assert original[d.start : d.end].strip() == d.text


def test_nextpage_markers_removed_mid_line_rest_kept():
    original = "一、整改工作\n[NextPage][/NextPage]二、下一步工作计划\n[NextPage]\n三、附则"
    ct = clean_text(original)
    assert ct.text == "一、整改工作\n二、下一步工作计划\n三、附则"
    markers = [d for d in ct.dropped if d.kind == "page_marker"]
    assert [d.text for d in markers] == ["[NextPage]", "[/NextPage]", "[NextPage]"]
    i = ct.text.index("二")
    assert ct.to_original(i, i + 1) == (original.index("二"), original.index("二") + 1)


@pytest.mark.parametrize(
    "line",
    [
        "中共某某县委",
        "2023年5月6日",
        "联系电话:(022)66596006",
        "邮政信箱:广东省某某市某某路1号;邮政编码:523000。",
        "一、来源于群众反映的问题全部办结",
        "(三)关于“为民服务意识不强”问题的整改情况",
        "日期:",
    ],
)
def test_notice_lines_are_never_boilerplate(line):
    assert classify_line(line) is None


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("主办单位:天津市某某区人民政府办公室", "site_footer"),
        ("承办单位:某某区互联网信息办公室", "site_footer"),
        ("网站标识码:1201160001", "site_footer"),
        ("Copyright © 2024 某某市纪委监委 All Rights Reserved", "site_footer"),
        ("京ICP备10004203号", "site_footer"),
        ("首页 上一页 1 2 3 下一页 尾页", "page_marker"),
        ("您现在的位置:首页>工作动态", "nav"),
        ("上一篇:关于区委第一巡察组巡察整改情况的通报", "nav"),
        ("作者:张三", "source"),
        ("责任编辑:李四", "source"),
        ("时间:2021-08-02 10:21", "page_date"),
        ("阅读次数:356", "other"),
        ("打印本页 关闭窗口", "other"),
        ("| |", "other"),
    ],
)
def test_boilerplate_kinds(line, kind):
    assert classify_line(line) == kind


def test_drop_boilerplate_offsets_are_into_its_input():
    text = "正文。\n来源:某网\n正文二。"
    out, m, dropped = drop_boilerplate(text)
    assert out == "正文。\n正文二。"
    assert dropped[0].kind == "source" and text[dropped[0].start : dropped[0].end] == "来源:某网"
    i = out.index("正文二")
    assert m.to_original(i, i + 3) == (text.index("正文二"), text.index("正文二") + 3)


@pytest.mark.parametrize(
    "blank", ["", " ", "\n\n", "\u3000\r\n\t", "<html></html>", "<p>&nbsp;</p>"]
)
def test_empty_input_gives_empty_text(blank):
    ct = clean_text(blank)
    assert ct.text == ""
    assert ct.to_original(0, 0)[0] <= len(blank)
    assert ct.page_date_text is None


def test_english_and_non_notice_text_pass_through():
    text = "This is not a notice. It has  two spaces and a tab\there."
    ct = clean_text(text)
    assert ct.text == "This is not a notice. It has two spaces and a tab here."


def test_clean_text_rejects_bytes():
    with pytest.raises(TypeError):
        clean_text(b"abc")  # type: ignore[arg-type]


def test_large_input_is_linear():
    para = (
        "\u3000\u3000（一）针對“基层党组织建设薄弱”问题，區委巡察组開展整改１２次，"
        "清退违规资金66.57万元，整改完成率１００％。来源不明资金3笔已清理。\r\n"
    )
    big = para * (5_000_000 // len(para))
    t0 = time.perf_counter()
    ct = clean_text(big)
    elapsed = time.perf_counter() - t0
    assert elapsed < 10, elapsed
    assert ct.text.startswith("(一)针对“基层党组织建设薄弱”问题,区委巡察组开展整改12次,")
    assert ct.text.count("\n") == big.count("\r\n") - 1
    # memory: a few segments per edited line, not one entry per character
    assert ct.offsets.segment_count < 3 * big.count("\n") + 10
    n = len(ct.text)
    a, b = ct.to_original(n - 4, n)
    assert big[a:b] == "已清理。"


def test_large_html_is_linear():
    row = "<p>整改完成率&nbsp;100%<span>清退</span>资金&amp;款项</p>\n"
    big = "<html><body>" + row * (2_000_000 // len(row)) + "</body></html>"
    t0 = time.perf_counter()
    ct = clean_text(big)
    assert time.perf_counter() - t0 < 10
    # a space between CJK and a digit is dropped by normalisation (共 46 件 → 共46件)
    assert ct.text.startswith("整改完成率100%清退资金&款项\n")
    i = ct.text.rindex("款项")
    a, b = ct.to_original(i, i + 2)
    assert big[a:b] == "款项"


def test_hostile_markup_is_fast():
    for big in ("<" * 100_000, "<a " * 50_000, "&#" * 100_000, '<p title="' * 20_000):
        t0 = time.perf_counter()
        clean_text(big, html=True)
        assert time.perf_counter() - t0 < 5


@pytest.mark.parametrize("tag", ["nav", "title", "head", "noscript", "template", "svg", "object"])
def test_unclosed_soft_drop_tags_are_linear(tag):
    # A broken CMS template repeating an unclosed <nav> (etc.) must not rescan the page per tag.
    big = "<html><body><p>县委巡察组反馈问题整改情况</p>" + f"<{tag}>菜单项" * 50_000
    t0 = time.process_time()
    text, m = strip_html(big)
    assert time.process_time() - t0 < 1.5
    assert m.original_length == len(big)
    assert text.startswith("\n县委巡察组反馈问题整改情况\n")


def test_drop_tags_closed_later_still_drop_their_content():
    # amortised closer search must still find each element's own closer
    html = (
        "<nav>首页 &gt; 巡察</nav><p>一、整改进展</p><nav>栏目</nav>"
        "<title>通报</title><p>二、下一步打算</p><nav>未闭合<p>三、监督方式</p>"
        "<noscript>x</noscript><p>四、附件</p>"
    )
    text, _ = strip_html(html)
    for kept in ("一、整改进展", "二、下一步打算", "三、监督方式", "四、附件", "未闭合"):
        assert kept in text, kept
    for dropped in ("首页", "栏目", "通报"):
        assert dropped not in text, dropped
