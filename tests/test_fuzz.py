"""Fuzzing the public API: pieces of an invented notice with awkward characters spliced in, as
``str`` and as bytes in the encodings of the Chinese web, cut anywhere.

Every input must give either a result or :class:`rectify_nlp.RectifyInputError`, and a result
must be schema-valid, with every offset inside the input and every span's text the input's
slice (for bytes, the input is the text :func:`rectify_nlp.io.decode_bytes` reads from them:
that is the string the extractor works on and its offsets index). Time is bounded generously,
as a hang guard only.

The examples per property default to 150 (15 with the shipped model) so the file runs in well
under a minute (about 30 s, most of it the two large inputs);
``RECTIFY_FUZZ_EXAMPLES=2000`` raises them. ``benchmarks/fuzz_long.py`` runs the same
properties (:func:`notice_inputs`, :func:`check_result`) for minutes and counts what fails.

The sentences below were written for these tests; none is taken from a real notice.
"""

from __future__ import annotations

import html
import json
import os
import time
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import rectify_nlp
from rectify_nlp.io import decode_bytes
from rectify_nlp.io.write import to_jsonl
from rectify_nlp.validation import schema_errors

EXAMPLES = int(os.environ.get("RECTIFY_FUZZ_EXAMPLES", "150"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- an invented notice, in pieces ------------------------------------------------------------

TITLES = [
    "关于十四届县委第三轮巡察反馈意见整改进展情况的通报",
    "中共清河镇委员会关于巡察整改情况的通报",
    "市委第二巡视组反馈意见整改落实情况的报告",
]
INTROS = [
    "根据县委统一部署,2023年4月10日至6月9日,县委第一巡察组对清河镇党委开展了常规巡察。",
    "2023年8月15日,县委第一巡察组向清河镇党委反馈了巡察意见。",
    "按照市委安排,市委第二巡视组于2022年10月进驻县交通运输局,开展了为期两个月的巡视。",
    "县委巡察办、县纪委监委派驻纪检监察组全程参与反馈。",
]
SECTIONS = [
    "一、提高政治站位,扎实推进整改",
    "二、巡察反馈问题整改落实情况",
    "三、下一步工作打算",
    "(一)关于党的领导弱化方面",
    "（二）关于全面从严治党不力方面",
]
PROBLEMS = [
    "1.关于“学习贯彻上级决策部署不够深入”的问题。",
    "(1)针对“村级财务管理不规范”问题,",
    "2.落实“三重一大”制度不严格,重大事项未经集体研究。",
    "问题3:干部队伍建设存在短板。整改情况:已完成整改。",
    "(三)关于“惠民资金发放不及时”的问题。整改进展:基本完成。",
]
MEASURES = [
    "一是召开专题会议3次,研究制定整改方案;二是建立健全制度7项;三是开展警示教育2场。",
    "整改措施:对12个村的账目逐一清理,追缴资金4.6万元,清退违规发放补贴1200余元。",
    "组织党员干部集中学习16次,覆盖党员380余人次,整改完成率达100%。",
    "约谈提醒村干部5人,诫勉谈话2人,给予党纪处分1人。",
    "截至目前,已整改到位问题23个,正在推进2个,完成率92%。",
]
SUMMARIES = [
    "巡察反馈的3个方面25个问题,已完成整改23个,整改完成率92%,制定整改措施68条。",
    "共梳理问题清单12项,建立长效机制9项。",
]
CONTACTS = [
    "欢迎广大干部群众对巡察整改落实情况进行监督。联系电话:0715-7654321;",
    "邮政信箱:清河镇人民政府大院3号,邮编:437000;电子邮箱:qhzg2023@163.com。",
]
SIGNATURES = ["中共清河镇委员会", "2023年11月20日", "二〇二三年十一月二十日"]
CHROME = ["首页 > 通知公告 > 正文", "发布时间:2023-11-21 09:30 来源:清河镇", "【打印】【关闭】",
          "第1页 共2页", "当前位置:首页>>巡察工作"]
PIECES = [*TITLES, *INTROS, *SECTIONS, *PROBLEMS, *MEASURES, *SUMMARIES, *CONTACTS,
          *SIGNATURES, *CHROME]
ORDERED = [CHROME, TITLES, INTROS, SUMMARIES, SECTIONS, PROBLEMS, MEASURES, CONTACTS, SIGNATURES]

SPLICES = [
    "\u200b", "\u200c", "\u00ad", "\ufeff", "\x00", "\ud800", "\udfff", "\t", "\r", "\r\n",
    "\u3000", "\u00a0",
    "(一)", "（二）", "一、", "1.", "1、", "(1)", "①", "一是", "二是", "第一,",
    "“", "”", "‘", "’", "\"", "「", "」", "《", "》",
    "<p>", "</p>", "<br>", "<br/>", "<span style=\"color:red\">", "</span>", "<b>", "</div>",
    "&nbsp;", "&amp;", "&lt;", "&#20013;", "<!-- x -->", "<script>var a=1;</script>",
    "巡視組", "對", "問題", "整改完成率", "億元", "檢查",
    "１２３", "（", "）", "：", "％", "，", "；", "ＡＢＣ", "－", "．",
    "%", "万元", "个", "项", "次", "人次", "余", "多", "近", "约", "至", "—", "～", "年", "月", "日",
    "\n", "\n\n", "。", "!", "?", ";", "…", "=", "+", "-", "@",
    "电话:", "0715-", "http://", "www.", "邮编", ".com", "附件:", "来源:", "浏览次数:", "|",
    "首页", "上一页", "下一页", "尾页", ">>", "【", "】", "第一轮", "十四届", "巡察组", "党委",
]
ENCODINGS = ["utf-8", "utf-8-sig", "gbk", "gb18030", "big5", "utf-16", "utf-16-le", "utf-16-be"]


@st.composite
def notice_text(draw: st.DrawFn) -> str:
    """A notice made of the pieces above, in notice order or shuffled (or a soup of the pieces
    to splice), with characters spliced in, digit/whitespace runs, deleted stretches and
    repeated pieces; sometimes as HTML."""
    shape = draw(st.integers(0, 7))
    if shape <= 3:
        parts = [draw(st.sampled_from(group)) for group in ORDERED
                 for _ in range(draw(st.integers(0, 3)))]
    elif shape <= 6:
        parts = draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=20))
    else:  # a soup of the spliced pieces alone
        parts = ["".join(draw(st.lists(st.sampled_from(SPLICES), max_size=60)))]
    sep = draw(st.sampled_from(["\n", "\r\n", "\n\n", "", " ", "\u3000\n"]))
    text = sep.join(parts)
    for _ in range(draw(st.integers(0, 12))):
        at = draw(st.integers(0, len(text)))
        kind = draw(st.integers(0, 9))
        if kind <= 4:
            piece = draw(st.sampled_from(SPLICES))
        elif kind == 5:  # a digit run (the hang of issue 10 was one)
            piece = draw(st.sampled_from("0123456789一二三四五六七八九十百千万")) * draw(st.integers(1, 60))
        elif kind == 6:  # a whitespace or punctuation run
            piece = draw(st.sampled_from([" ", "\u3000", "\t", "。", "、", "的", "和"])) * draw(
                st.integers(1, 80))
        elif kind == 7:
            piece = draw(st.text(max_size=6))
        elif kind == 8:  # delete a stretch
            text = text[:at] + text[at + draw(st.integers(1, 40)):]
            continue
        else:  # repeat a piece many times
            piece = draw(st.sampled_from(PIECES)) * draw(st.integers(2, 30))
        text = text[:at] + piece + text[at:]
    if draw(st.integers(0, 4)) == 0:
        text = "<html><body>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + \
            "</body></html>"
    return text


@st.composite
def notice_inputs(draw: st.DrawFn) -> str | bytes:
    """A notice as ``str`` (half the time) or as bytes in one of :data:`ENCODINGS` (characters
    the encoding lacks replaced), sometimes cut anywhere (mid-character) or with stray bytes."""
    text = draw(notice_text())
    if draw(st.booleans()):
        return text
    data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    damage = draw(st.integers(0, 5))
    if damage == 0 and data:  # truncated, mid-character as often as not
        data = data[:draw(st.integers(0, len(data)))]
    elif damage == 1:
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    elif damage == 2 and len(data) > 1:  # a lead byte left without its trail
        data = data[:-1]
    return data


# -- the properties -----------------------------------------------------------------------------

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"


def _subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


def _written_matches(written: str, original: str, is_html: bool) -> bool:
    """``written`` is the text of ``original`` (a slice of the input) as the caller wrote it:
    the slice itself for plain text without invisible characters (the documented contract of
    ``CleanText.written``); otherwise its characters, less markup, invisible characters and
    whitespace, in order (entities decoded)."""
    if written == original:
        return True
    if not is_html and not any(ch in _INVISIBLE for ch in original):
        return False
    source = html.unescape(original) if is_html else original
    return _subsequence("".join(written.split()), "".join(source.split()))


def input_text(inp: str | bytes) -> str:
    """The string the offsets of ``inp``'s result index: ``inp`` itself, or its decoding."""
    return inp if isinstance(inp, str) else decode_bytes(inp)


def check_result(inp: str | bytes, result: rectify_nlp.Rectification, *,
                 serialise: bool = True) -> list[str]:
    """Every invariant ``result`` (of ``inp``) breaks, as messages; empty when all hold.

    ``serialise=False`` checks the offsets only, skipping ``to_dict()``, the schema and JSON
    (``to_dict`` alone takes about 20 s on a result with 100,000 problems)."""
    text = input_text(inp)
    n, is_html = len(text), bool(result.meta.get("is_html"))
    failures: list[str] = []
    if result.meta.get("characters") != n:
        failures.append(f"meta.characters {result.meta.get('characters')} != {n}")
    if serialise:
        failures += [f"schema: {e}" for e in schema_errors(result.to_dict())]

    def span(kind: str, start: int, end: int, reported: str | None, exact: bool) -> None:
        if not 0 <= start <= end <= n:
            failures.append(f"{kind} [{start}, {end}) outside the input (length {n})")
        elif reported is not None:
            piece = text[start:end]
            ok = reported == piece if exact else _written_matches(reported, piece, is_html)
            if not ok:
                failures.append(f"{kind} [{start}, {end}) {reported!r} != text {piece!r}")

    for e in result.entities:
        span(f"entity {e.label}", e.start, e.end, e.text, exact=True)
    for i, p in enumerate(result.problems):
        span(f"problem {i}", p.start, p.end, p.statement, exact=False)
        for m in p.measures:
            span(f"problem {i} measure", m.start, m.end, m.text, exact=False)
        if p.parent is not None and not 0 <= p.parent < len(result.problems):
            failures.append(f"problem {i} parent {p.parent} out of range")
        if any(not 0 <= j < len(result.outcomes) for j in p.outcomes):
            failures.append(f"problem {i} outcomes {p.outcomes} out of range")
    for j, o in enumerate(result.outcomes):
        span(f"outcome {j}", o.start, o.end, o.raw, exact=False)
        if o.problem is not None and not 0 <= o.problem < len(result.problems):
            failures.append(f"outcome {j} problem {o.problem} out of range")
    for name, s in getattr(result.summary, "spans", {}).items():  # (older versions: none)
        span(f"summary.spans.{name}", s.start, s.end, s.text, exact=False)
    for r in result.relations:
        if not (0 <= r.head < len(result.entities) and 0 <= r.tail < len(result.entities)):
            failures.append(f"relation {r} out of range")
    if serialise:
        try:
            json.loads(to_jsonl([result]).encode("utf-8"))
        except (ValueError, UnicodeError) as exc:
            failures.append(f"JSONL not valid UTF-8 JSON: {exc}")
    return failures


def time_bound(n_chars: int) -> float:
    """Seconds an input of ``n_chars`` characters may take: a hang guard, ~100x the usual."""
    return 3.0 + n_chars * 1e-3


def run_one(extractor: Callable[[Any], rectify_nlp.Rectification],
            inp: str | bytes) -> tuple[rectify_nlp.Rectification | None, float]:
    """The result (None for a :class:`RectifyInputError`) and the seconds it took. Any other
    exception propagates: that is a crash."""
    t0 = time.perf_counter()
    try:
        result = extractor(inp)
    except rectify_nlp.RectifyInputError:
        result = None
    return result, time.perf_counter() - t0


def _assert_sound(extractor: Any, inp: str | bytes) -> None:
    result, seconds = run_one(extractor, inp)
    n = len(inp)
    assert seconds < time_bound(n), f"{seconds:.1f} s for {n} characters/bytes"
    if result is not None:
        assert check_result(inp, result) == []


@pytest.fixture(scope="module")
def rules() -> rectify_nlp.Extractor:
    return rectify_nlp.load("rules")


@FUZZ
@given(inp=notice_inputs())
def test_fuzzed_notices_through_the_rules(rules, inp):
    _assert_sound(rules, inp)


@FUZZ
@given(text=notice_text())
def test_fuzzed_str_notices_through_the_rules(rules, text):
    _assert_sound(rules, text)


@pytest.fixture(scope="module")
def default() -> rectify_nlp.Extractor:
    return rectify_nlp.load()  # the shipped model, or the rule layer where none is shipped


@settings(FUZZ, max_examples=max(3, EXAMPLES // 10))
@given(inp=notice_inputs())
def test_fuzzed_notices_through_the_default_pipeline(default, inp):
    _assert_sound(default, inp)


# -- the readers, once each ------------------------------------------------------------------

NOTICE = "\n".join([TITLES[0], *INTROS[:2], SECTIONS[1], PROBLEMS[0], MEASURES[0], PROBLEMS[2],
                    MEASURES[1], SUMMARIES[0], CONTACTS[0], SIGNATURES[0], SIGNATURES[1]])


@pytest.mark.parametrize("encoding", [None, "utf-8", "gb18030", "utf-16"])
def test_plain_notice_from_a_file(rules, tmp_path, encoding):
    path = tmp_path / "notice.txt"
    if encoding is None:
        path.write_text(NOTICE, encoding="utf-8")
    else:
        path.write_bytes(NOTICE.encode(encoding))
    result = rules.extract_file(path)
    assert result.kind == "巡察" and result.problems
    assert check_result(NOTICE, result) == []


def test_html_notice(rules):
    page = ("<!DOCTYPE html><html><head><title>通报</title></head><body><div class=\"nav\">"
            + CHROME[0] + "</div>" + "".join(f"<p>{line}</p>" for line in NOTICE.split("\n"))
            + "</body></html>")
    result = rules(page)
    assert result.meta["is_html"] and result.kind == "巡察"
    assert check_result(page, result) == []


def test_one_megabyte_single_line(rules, tmp_path):
    line = "".join([INTROS[0], PROBLEMS[0], MEASURES[0], MEASURES[2]])
    text = (line * (1_000_000 // len(line) + 1))[:1_000_000]
    path = tmp_path / "line.txt"
    path.write_bytes(text.encode("gb18030"))
    t0 = time.perf_counter()
    result = rules.extract_file(path)
    assert time.perf_counter() - t0 < 120  # about 8 s on one core
    assert result.outcomes
    assert check_result(text, result, serialise=False) == []


def test_a_hundred_thousand_outline_items(rules, tmp_path):
    text = "\n".join([TITLES[0], INTROS[0], SECTIONS[1],
                      *(f"{i}.关于“制度执行不严”的问题。新建制度{i % 9 + 1}项。"
                        for i in range(1, 100_001))])
    path = tmp_path / "items.txt"
    path.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    result = rules.extract_file(path)
    assert time.perf_counter() - t0 < 240  # about 17 s on one core
    assert result.problems and len(result.outcomes) == 100_000
    assert check_result(text, result, serialise=False) == []


# -- regressions: what the long fuzz run (benchmarks/fuzz_long.py) found ------------------------


@pytest.mark.parametrize("surrogate", ["\ud800", "\udfff", "\ud83d\ude00"])
def test_lone_surrogates_reach_no_spacy_doc(surrogate):
    """Found by fuzz_long with the shipped model: a ``str`` holding a surrogate code point
    crashed with UnicodeEncodeError in ``nlp.make_doc`` (spaCy encodes to UTF-8). The
    normaliser now maps surrogates to U+FFFD, one for one; the result keeps the text as given."""
    from rectify_nlp.extractor import DEFAULT_MODEL_DIR
    from rectify_nlp.text.normalize import normalize_text

    assert normalize_text(f"整改{surrogate}完成")[0] == "整改" + "\ufffd" * len(surrogate) + "完成"
    if not (DEFAULT_MODEL_DIR / "config.cfg").exists():
        pytest.skip("no shipped model in models/rectify_zh")
    text = NOTICE.replace("制度不严格", f"制度{surrogate}不严格")
    result = rectify_nlp.load(DEFAULT_MODEL_DIR)(text)
    assert result.kind == "巡察"
    assert check_result(text, result) == []
    assert any(surrogate in p.statement for p in result.problems)


# Found by fuzz_long against the code before the regex audit (3f21af1), all in
# text.boilerplate's _PAGER (a digit run inside its repeated group, exponential when the line
# turns out not to be a pager): 12 s, and two still running after 60 s. The audit had already
# made _PAGER possessive; these keep the fuzzer's own finds.
PAGER_HANGS = [
    "问题；3:干部队伍建设存在短板。整改情况:已完成整改。\n2.落实“三重一大”制度不严格,重大事项s"
    "\U000d3d17\x8f未经集体研究。\n第1页 共2页\n2月.落实“三重一大”制度不严格,重大事项未经集体研究。\n"
    "00000000000000000000000000H首页 > 通知22\"22檢查22222</div>22222个22222",
    "<html><body><p>约谈提醒村干部5人,诫勉谈话2人,给予党纪处分1人。\u3000</p><p>2222<br/>"
    "22222222222222222222222222222当前位置:首页>>巡察工作\u3000</p><p>二〇二三年十一月二十日\u3000"
    "</p><p>第1页 共2页\u3000</p><p>1.关于“学\x9e\U0001a9d0Â6\x15\U00084469习贯彻上级决策部署不够"
    "深入”的问题。</p></body></html>",
    "<html><body><p><!-- x -->555555555555555555555555555555555555555555555555555億元(一’)关于"
    "党的领导弱化方面中共清河镇委员会关于巡察整改情况的通报【打印】【中五共清河镇委员会关于巡察整改"
    "情况的通报中．共清河镇委员会关于巡五五五五五五五察整改情况的通报关闭】</p></body></html>",
]


@pytest.mark.parametrize("text", PAGER_HANGS, ids=["12s", "over60s-a", "over60s-b"])
def test_pager_hangs_found_by_the_fuzzer_stay_fixed(rules, text):
    t0 = time.perf_counter()
    result = rules(text)
    assert time.perf_counter() - t0 < 2.0
    assert check_result(text, result) == []
