"""The outline of a rectification notice: its numbered nodes and the problems they report.

A notice's rectification section is a numbered outline (guidelines §3)::

    二、巡察反馈问题整改落实情况
    (一)聚焦基层党组织建设方面            <- category
    1.针对党建工作存在薄弱环节的问题。     <- problem, level 1
    一是针对党支部标准化建设有差距问题。…  <- problem, level 2 (it frames a problem)
    一是建立台账;二是…                    <- measures

:func:`parse_outline` finds every numbered node (``一、`` ``(一)`` ``1.``/``1、`` ``(1)`` ``①``
``一是`` ``问题一:``), nests them, picks the rectification section and decides which nodes are
problems, which are categories and which are measures.

Decisions (documented for the lead):

* ``number`` is the numbering *as written* in the text, with the delimiter that belongs to it:
  ``"一、"``, ``"(一)"``, ``"1."``, ``"1、"``, ``"(3)"``, ``"①"``, ``"一是"``, ``"问题一"``.
  A ``、`` after a closing bracket (``(一)、``) and the colon after ``问题一`` are dropped.
  Full-width brackets in unnormalised input stay full-width (it is a slice of the input).
* ``heading`` is the text after the number up to the first ``。`` ``:`` ``;`` ``!`` ``?`` or line
  end outside brackets and quotes, without trailing punctuation and without a trailing
  status bracket such as ``(已完成整改)``.
* ``category`` is the nearest enclosing category heading as written, minus number and final
  punctuation (``聚焦党中央决策部署在基层的落实情况方面`` keeps its ``方面``).
* ``status`` is the bracket or label content as written, without the brackets.
* Structural numbers (everything but ``一是`` and ``①``) count only at the start of a line
  (leading whitespace and web tags like ``[NextPage]`` allowed); ``一是`` and ``①`` also after
  ``。`` ``:`` ``;``. Text with no line structure at all falls back to numbers after ``。``.

>>> o = parse_outline("二、问题整改落实情况\\n1.针对学习不深入的问题(已完成)。一是建立制度;二是开展培训。")
>>> [(p.number, p.statement.text, p.status) for p in o.problems]
[('1.', '学习不深入', '已完成')]
>>> [m.text for m in o.problems[0].measures]
['建立制度', '开展培训']
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field

from rectify_nlp.errors import RectifyInputError
from rectify_nlp.spans import Span

__all__ = ["NodeReading", "Outline", "OutlineNode", "Problem", "outline_with_problems",
           "parse_outline", "read_outline"]

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------- public types


@dataclass(frozen=True)
class OutlineNode:
    """One numbered node of the outline.

    ``start``/``end`` is the node's extent: from its number to just before the next node of
    the same or a higher level (or the end of the outline). ``parent`` indexes
    :attr:`Outline.nodes`. ``style`` is one of ``cn`` (一、), ``cn_paren`` ((一)), ``num``
    (1. 1、), ``num_paren`` ((1)), ``circled`` (①), ``enum`` (一是) and ``problem_n`` (问题一:).
    """

    number: str | None
    style: str
    depth: int
    heading: Span
    start: int
    end: int
    parent: int | None


@dataclass(frozen=True)
class Problem:
    """A reported problem: its statement (label ``PROBLEM``) and what the notice says about it.

    ``level`` is 1 for the top problem level found; ``parent`` indexes :attr:`Outline.problems`.
    ``measures`` are ``MEASURE`` spans (一是/二是… items, unframed sub-items, or the
    ``;``-separated clauses of the body when there are no items).
    """

    statement: Span
    number: str | None
    level: int
    parent: int | None
    category: str | None
    status: str | None
    start: int
    end: int
    measures: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Outline:
    """All outline nodes, the problems among them and the rectification section's extent."""

    nodes: tuple[OutlineNode, ...] = ()
    problems: tuple[Problem, ...] = ()
    section: tuple[int, int] | None = None


# --------------------------------------------------------------------------- patterns

_CNUM = "一二三四五六七八九十"
_STRUCTURAL = frozenset({"cn", "cn_paren", "num", "num_paren", "problem_n", "unnumbered"})
_INLINE_STYLES = frozenset({"enum", "circled"})

_MARKER_BODY = (
    r"(?P<cnp>[(（](?P<cnp_v>[一二三四五六七八九十]{1,3})[)）]、?)"
    r"|(?P<nump>[(（](?P<nump_v>\d{1,3})[)）]、?)"
    r"|(?P<pn>【?问题(?P<pn_v>[一二三四五六七八九十]{1,3}|\d{1,3})】?[:：、.．]?)"
    r"|(?P<cn>(?P<cn_v>[一二三四五六七八九十]{1,3})[、.．](?![\d一二三四五六七八九十]))"
    r"|(?P<num>(?P<num_v>\d{1,3})[.．、](?!\d))"
)
# structural numbers at the start of a line (web tags such as [NextPage][/NextPage] allowed)
_STRUCT_LINE = re.compile(
    r"(?m)^[ \t\u3000\u00a0]*+(?:[\[<][^\]>\n]{0,40}[\]>][ \t\u3000\u00a0]*+)*+(?P<m>"
    + _MARKER_BODY + ")"
)
# fallback for text that lost its line breaks: structural numbers after a full stop
# (a whitespace run is entered only at its first character: linear on long runs)
_STRUCT_AFTER_STOP = re.compile(
    r"(?:(?<=[。!?！？;；])[ \t\u3000\u00a0]*+|(?<![ \t\u3000\u00a0])[ \t\u3000\u00a0]++)"
    r"(?P<m>" + _MARKER_BODY + ")"
)
# an unnumbered paragraph framing a problem, standing for a missing outline level
_UNNUMBERED = re.compile(r"(?m)^[ \t\u3000\u00a0]*(?P<m>)(?=针对|关于)")
# 一是/二是 and ①②: at a line start or after 。:;
_INLINE = re.compile(
    r"(?:[\n。:：;；!?！？]|\A)[ \t\u3000\u00a0]*"
    r"(?P<m>(?P<enum>(?P<enum_v>[一二三四五六七八九十]{1,3})是)(?![否非])|(?P<cir>[①-⑳]))"
)

_OPEN = "(（【[“《「"
_CLOSE = ")）】]”》」"
_TERMINATORS = frozenset("。:：;；!?！？")
_HEAD_SPECIAL = re.compile(r"[(（【\[“《「)）】\]”》」。:：;；!?！？]")
_BODY_SPECIAL = re.compile(r"[(（【\[“《「)）】\]”》」;；\n]")
_TERM_RE = re.compile(r"[。:：;；!?！？]")
_TRAIL = " \t\u3000\u00a0,，、.．。:：;；!?！？"
_HEAD_CAP = 400

_STATUS_WORDS = re.compile(
    r"已完成|完成整改|基本完成|已整改|整改完成|整改到位|阶段性|长期推进|持续推进|长期坚持|持续整改"
    r"|正在推进|正在整改|推进中|整改中|已办结|办结|销号|立行立改|未完成|已落实|明显成效|长期整改"
    r"|持续深化|序时推进|按时序推进|已解决|基本解决"
)
_STATUS_CLAUSE = re.compile(
    r"(?:目前|现)?已?(?:基本)?(?:完成整改|整改完成|完成|整改到位|销号|办结)"
    r"|长期推进|持续推进|正在推进|推进中|整改中|持续整改|(?:已)?取得阶段性成效"
)
# used with match() on a 20-character window: the whitespace runs are bounded to 20
_STATUS_LABEL = re.compile(
    r"[ \t\u3000]{0,20}+(?:整改)?(?:进展情况|进展|进度|完成情况|情况|状态|结果)"
    r"[ \t\u3000]{0,20}+[:：][ \t\u3000]{0,20}+"
)

_STATUS_LINE = re.compile(
    r"(?<=[。;；\n])[ \t\u3000]*(?:整改)?(?:进展情况|进展|进度|完成情况|情况|状态|结果|成效)"
    r"[ \t\u3000]*[:：][ \t\u3000]*(?P<p>[^。;；,，\n]{1,30})"
)
_LABEL_LEAD = re.compile(
    r"[ \t\u3000]{0,20}+(?:整改|主要|具体)?(?:措施|举措|情况|进展情况|进展|进度|成效|结果|完成情况|状态)"
    r"[ \t\u3000]{0,20}+[:：][ \t\u3000]{0,20}+"
)
_PREFIX = re.compile(r"(?:针对|关于|对于|对(?![照标表接口外象比待于]))")
_FRAME_LABEL = re.compile(
    r"第[一二三四五六七八九十\d]{1,3}(?:方面|类|个|项|部分|条)?的?问题[,，:：、]?"
)
_ZHENGGAI_TAIL = re.compile(r"的?整改(?:落实)?(?:工作)?(?:情况|进展情况|进展)?")
# used with fullmatch() only: anchored with \A so that a search cannot restart the lazy x at
# every position (quadratic on a long heading without 方面)
_FANGMIAN = re.compile(
    r"\A(?P<pre>关于|在|聚焦|围绕|着眼于?|针对|对)?(?P<x>.+?)方面(?:(?:存在)?的?问题)?(?:的?整改(?:情况)?)?"
)
_SHORTCOMING = re.compile(
    r"不够|不足|不力|不到位|不严|不实|不强|不高|不明显|不规范|不完善|不健全|不彻底|不扎实|不充分"
    r"|不及时|不全面|不深入|不精准|不平衡|不细|不准确|不紧|不好|不佳|不畅|不牢|不正常|不落实|不当"
    r"|不清|不匹配|不适应|不符|不力|未落实|未建立|未形成|未能|未按|未完成|没有|缺乏|缺失|缺位|缺少|欠缺"
    r"|差距|弱|虚化|淡化|泛化|滞后|短板|有待|亟待|亟需|需要(?:提升|加强|强化|加力|改进|完善|提高|进一步)"
    r"|待加强|待提升|待提高|乏力|缓慢|落后|问题突出|较为突出|比较突出|仍然突出|十分突出|严重|混乱|偏差"
    r"|偏低|较低|较差|较少|过多|过少|过于|宽松软|失之于|松懈|懈怠|漏洞|违规|违纪|违法|超标|弄虚作假"
    r"|形式主义|官僚主义|庸俗|随意|频发|时有发生|禁而不绝|走过场|打折扣|搞变通|一言堂|存在问题"
)
_TASK_START = re.compile(
    r"(?:加强|强化|推进|推动|落实|整治|整改|解决|规范|完善|健全|建立|加大|加快|坚决|严格|持续|深入|开展"
    r"|及时|全面|切实|认真|着力|抓好|做好|抓实|提升|提高|优化|狠抓|集中|立行立改|彻底|积极|进一步|扎实"
    r"|大力|防止|杜绝|纠正|清理|查处|严肃|严查|根治|破解|化解|补齐|压实|夯实|筑牢|深化)"
)
_GENERIC_LEAD = re.compile(
    r"(?:(?:中央|省委|市委|区委|县委|州委|旗委|上级)?(?:第[一二三四五六七八九十\d]{1,3}(?:轮)?)?"
    r"(?:巡视|巡察)(?:组|办|工作)?(?:反馈|指出|发现|提出|反映)(?:的|(?=[“\"「])))"
)
# A heading made only of these words is generic ("巡察反馈的3个问题"). Used with fullmatch.
# Linear time: the repetition is possessive, so the words must tokenise greedily: 中央 is tried
# before 中, and a number takes 个 only when 个性 does not follow (一个性 is 一 + 个性). The
# number run itself is possessive (was `[…]+` inside `(…)+`: exponential on a digit run that
# ends in something not allowed, e.g. "(1)" + "9" * 25 + "员问题").
_GENERIC_X = re.compile(
    r"(?:巡视|巡察|审计|督查|反馈|指出|发现|提出|反映|上一轮|上轮|本轮|此次|这次|整改|落实|意见|共性|个性"
    r"|其他|其它|有关|相关|以上|上述|这些|各类|各项|具体|突出|存在|的|和|及|与|等|中央|中|省委|市委|区委"
    r"|县委|组|重点|主要|所有|全部|以下|下列|集中|情况"
    r"|[一二三四五六七八九十\d]++(?:项|个(?!性)|类|条|轮)?"
    r"|第[一二三四五六七八九十\d]++轮|、|,|，|\s)++"
)
# headings that report how the rectification work was organised (the first section's
# 提高政治站位 / 强化组织领导 / 压实整改责任 …, guidelines §3): not problems, and a top-level
# section made of them is not the section of problems
_WORK_ORG = re.compile(
    r"政治站位|政治责任|政治任务|政治自觉|思想自觉|行动自觉|整改自觉|思想认识|思想共识|统一思想"
    r"|组织领导|加强领导|主体责任|第一责任|责任担当|压实(?:整改)?责任|传导压力|责任落实|以上率下"
    r"|高度重视|照单全收|整改工作(?:开展|推进|落实)?情况|组织(?:落实|开展|推进)?(?:巡视|巡察)?整改"
    r"|整改(?:组织|工作)|抓(?:好|实|细)?(?:巡视|巡察)?整改|(?:推进|推动|促进|深化|督促|统筹|保障)(?:巡视|巡察)?整改"
    r"|整改(?:合力|实效|落地)|统筹谋划|统筹推进|部署推进|监督检查|督查督办|跟踪问效|督促检查"
    r"|建章立制|长效机制|成果运用|标本兼治|举一反三"
)
# section choice
_KW_STRONG = re.compile(
    r"整改落实情况|任务落实情况|问题整改|反馈问题|反馈意见整改|整改进展|整改任务|整改事项|具体问题"
    r"|问题的整改|意见的整改|落实整改情况"
)
_KW_WEAK = re.compile(r"整改落实|整改|落实情况")
_EXCL_STRONG = re.compile(
    r"下一步|下步|今后|巩固|长效机制|工作打算|工作计划|计划安排|努力方向|工作思路|深化整改"
)
_EXCL_WEAK = re.compile(r"组织领导|主体责任|思想认识|高度重视|政治站位|政治责任|加强领导|工作开展")
_CLOSING = re.compile(
    r"\n[ \t\u3000]*(?:欢迎(?:广大)?|如有意见|联系(?:电话|方式|人|地址)|公开期限|邮政编码|电子邮箱)"
)
_QUOTES = {"“": "”", '"': '"', "「": "」", "‘": "’", "『": "』"}


# --------------------------------------------------------------------------- internals


@dataclass(slots=True)
class _Node:
    start: int
    mend: int
    number: str
    style: str
    value: int
    depth: int = 0
    parent: int | None = None
    end: int = 0
    hs: int = 0
    he: int = 0
    body: int = 0  # first character after the heading (and its status)
    status: str | None = None
    status_label: bool = False  # the status came as 整改情况:… rather than in brackets
    kind: str = "plain"  # framed | weak | category | generic | workorg | plain
    xs: int = 0
    xe: int = 0
    children: list[int] = field(default_factory=list)


_CN_DIGITS = {c: i + 1 for i, c in enumerate(_CNUM[:9])}


def _cn_value(s: str) -> int:
    """Value of a small Chinese numeral (一 .. 九十九)."""
    digits = _CN_DIGITS
    if "十" in s:
        tens, _, units = s.partition("十")
        return (digits.get(tens, 1) if tens else 1) * 10 + (digits.get(units, 0) if units else 0)
    return digits.get(s, 0)


def _marker(m: re.Match[str]) -> tuple[str, int, str] | None:
    """(style, value, number as written) of a marker match."""
    g = m.group
    raw = g("m")
    if g("cnp"):
        return "cn_paren", _cn_value(g("cnp_v")), raw.rstrip("、")
    if g("nump"):
        return "num_paren", int(g("nump_v")), raw.rstrip("、")
    if g("pn"):
        v = g("pn_v")
        return "problem_n", int(v) if v.isdigit() else _cn_value(v), "问题" + v
    if g("cn"):
        return "cn", _cn_value(g("cn_v")), raw
    if g("num"):
        return "num", int(g("num_v")), raw
    return None


def _scan_markers(text: str) -> list[_Node]:
    found: dict[int, _Node] = {}
    struct = list(_STRUCT_LINE.finditer(text))
    if len(struct) < 2 and len(text) > 200:
        struct = struct + list(_STRUCT_AFTER_STOP.finditer(text))
    for m in struct:
        info = _marker(m)
        if info is None:
            continue
        style, value, number = info
        s = m.start("m")
        found.setdefault(s, _Node(s, m.end("m"), number, style, value))
    for m in _UNNUMBERED.finditer(text):
        s = m.start("m")
        found.setdefault(s, _Node(s, s, "", "unnumbered", 0))
    for m in _INLINE.finditer(text):
        s = m.start("m")
        if s in found:
            continue
        if m.group("enum"):
            found[s] = _Node(s, m.end("m"), m.group("m"), "enum", _cn_value(m.group("enum_v")))
        else:
            c = m.group("cir")
            found[s] = _Node(s, m.end("m"), c, "circled", ord(c) - ord("①") + 1)
    nodes = [found[k] for k in sorted(found)]
    # a marker swallowed by a previous marker (e.g. "(一)、") cannot start a node
    out: list[_Node] = []
    for n in nodes:
        if out and n.start < out[-1].mend:
            continue
        out.append(n)
    return out


def _nest(nodes: list[_Node], doc_end: int) -> None:
    """Assign depth, parent, children and extent with a numbering-style stack."""
    stack: list[int] = []
    for i, n in enumerate(nodes):
        if n.style in _STRUCTURAL:
            while stack and nodes[stack[-1]].style in _INLINE_STYLES:
                nodes[stack.pop()].end = n.start
        k = next((j for j in range(len(stack) - 1, -1, -1)
                  if nodes[stack[j]].style == n.style), None)
        if k is None and n.style == "cn":
            k = 0
        if k is None and n.style in _STRUCTURAL:
            # a new numbered style after the items of an unnumbered paragraph takes the
            # paragraph's level (the paragraph stood in for a missing number)
            u = next((j for j in range(len(stack) - 1, -1, -1)
                      if nodes[stack[j]].style == "unnumbered"), None)
            if u is not None and u < len(stack) - 1 and nodes[stack[-1]].style in _STRUCTURAL:
                k = u
        if k is not None:
            for j in stack[k:]:
                nodes[j].end = n.start
            del stack[k:]
        n.depth = len(stack)
        n.parent = stack[-1] if stack else None
        if n.parent is not None:
            nodes[n.parent].children.append(i)
        stack.append(i)
    for j in stack:
        nodes[j].end = doc_end


def _rstrip(text: str, s: int, e: int, chars: str = _TRAIL) -> int:
    while e > s and text[e - 1] in chars:
        e -= 1
    return e


def _lstrip(text: str, s: int, e: int, chars: str = _TRAIL) -> int:
    while s < e and text[s] in chars:
        s += 1
    return s


def _match_open(text: str, s: int, close_at: int) -> int | None:
    """Index of the bracket opening the one closing at ``close_at`` (scanning back to ``s``)."""
    depth = 0
    for i in range(close_at, s - 1, -1):
        c = text[i]
        if c in ")）】]":
            depth += 1
        elif c in "(（【[":
            depth -= 1
            if depth == 0:
                return i
    return None


def _is_status(content: str) -> bool:
    return 0 < len(content) <= 40 and "《" not in content and bool(_STATUS_WORDS.search(content))


def _heading(text: str, n: _Node, limit: int) -> None:
    """Heading span, status and body start of node ``n`` (limit: the next node's start)."""
    s = n.mend
    while s < limit and text[s] in " \t\u3000\u00a0":
        s += 1
    cap = min(limit, s + _HEAD_CAP)
    nl = text.find("\n", s, cap)
    line_end = cap if nl < 0 else nl
    tag = text.find("</", s, line_end)  # left-over HTML: <p>一、…</p>
    if tag >= 0:
        line_end = tag
    depth = 0
    term = None
    for m in _HEAD_SPECIAL.finditer(text, s, line_end):
        c = m.group()
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0:
            term = m.start()
            break
    if term is None and depth > 0:  # unbalanced brackets: take the first terminator at all
        m = _TERM_RE.search(text, s, line_end)
        term = m.start() if m else None
    he = line_end if term is None else term
    body = he if term is None else term + 1
    # a status bracket leading the heading: 1、【已完成】针对…
    if s < he and text[s] in "(（【[":
        close = _find_close(text, s, he)
        if close is not None and _is_status(text[s + 1:close]):
            n.status = text[s + 1:close].strip()
            s = _lstrip(text, close + 1, he)
    he = _rstrip(text, s, he)
    # a status bracket ending the heading: …问题(长期推进,已落实具体举措并取得明显成效)
    if he > s and text[he - 1] in ")）】]":
        o = _match_open(text, s, he - 1)
        if o is not None and n.status is None and _is_status(text[o + 1:he - 1]):
            n.status = text[o + 1:he - 1].strip()
            he = _rstrip(text, s, o)
    # a status clause ending the heading: …问题,已完成整改
    if n.status is None:
        cut = max(text.rfind(",", s, he), text.rfind("，", s, he))
        if cut > s:
            clause = text[cut + 1:he].strip()
            if _STATUS_CLAUSE.fullmatch(clause):
                n.status = clause
                he = _rstrip(text, s, cut)
    # status right after the heading: "。(已完成)" or "整改进展:已完成。"
    b = body
    while b < limit and text[b] in " \t\u3000\u00a0\n":
        b += 1
    if b < limit and text[b] in "(（【[":
        close = _find_close(text, b, min(limit, b + 45))
        if close is not None and _is_status(text[b + 1:close]):
            if n.status is None:
                n.status = text[b + 1:close].strip()
            body = close + 1
            while body < limit and text[body] in ":：;；,，。 \t\u3000":
                body += 1
    else:
        lm = _STATUS_LABEL.match(text, b, min(limit, b + 20))
        if lm:
            e = lm.end()
            stop = e
            while stop < min(limit, e + 30) and text[stop] not in "。;；,，\n":
                stop += 1
            phrase = text[e:stop].strip()
            if _is_status(phrase):
                if n.status is None:
                    n.status = phrase
                    n.status_label = True
                body = min(limit, stop + 1)
    if n.status is None:  # a status line further down the body: 整改成效:已完成
        for sm in _STATUS_LINE.finditer(text, body, min(limit, body + 300)):
            if _is_status(sm.group("p").strip()):
                n.status = sm.group("p").strip()
                n.status_label = True
                break
    n.hs, n.he, n.body = s, max(s, he), min(max(body, he), limit)


def _find_close(text: str, o: int, limit: int) -> int | None:
    depth = 0
    for i in range(o, min(limit, len(text))):
        c = text[i]
        if c in "(（【[":
            depth += 1
        elif c in ")）】]":
            depth -= 1
            if depth == 0:
                return i
    return None


def _strip_x(text: str, xs: int, xe: int) -> tuple[int, int]:
    """Remove framing left around a problem statement X (quotes, 的, 方面, 巡察指出的, …)."""
    for _ in range(6):
        xs = _lstrip(text, xs, xe, " \t\u3000,，、:：")
        xe = _rstrip(text, xs, xe, " \t\u3000,，、:：")
        seg = text[xs:xe]
        m = _GENERIC_LEAD.match(seg)
        if m and m.end() < len(seg):
            xs += m.end()
            continue
        changed = False
        for suf in ("方面存在的", "方面的", "方面", "存在的", "等", "的"):
            if seg.endswith(suf) and len(seg) > len(suf) + 1:
                xe -= len(suf)
                changed = True
                break
        if changed:
            continue
        if len(seg) >= 2 and seg[0] in _QUOTES and seg[-1] == _QUOTES[seg[0]]:
            inner = seg[1:-1]
            if _QUOTES[seg[0]] not in inner or seg[0] == '"':
                xs += 1
                xe -= 1
                continue
        break
    return xs, xe


def _generic(x: str) -> bool:
    return not x or _GENERIC_X.fullmatch(x) is not None


def _terminal_tail(tail: str) -> bool:
    """Whether what follows a 问题 closes a problem frame (end, bracket, colon, 的整改情况)."""
    if not tail or tail[0] in "(（【[:：":
        return True
    m = _ZHENGGAI_TAIL.match(tail)
    return m is not None and (m.end() == len(tail) or tail[m.end()] in "(（【[,，:：;；")


def _frame(text: str, n: _Node) -> None:
    """Classify node ``n`` by its heading: framed / weak / category / generic / plain."""
    hs, he = n.hs, n.he
    h = text[hs:he]
    n.kind, n.xs, n.xe = "plain", hs, he
    if not h:
        n.kind = "generic"
        return
    # 第一方面问题,贯彻落实……存在差距
    lab = _FRAME_LABEL.match(h)
    if lab:
        xs, xe = hs + lab.end(), he
        if xs >= xe:  # "第一方面问题:" with the statement after the colon
            xs = n.body
            xe = xs
            stop = min(n.end, xs + _HEAD_CAP)
            while xe < stop and text[xe] not in "。;；!?！？\n":
                xe += 1
        xs, xe = _strip_x(text, xs, _rstrip(text, xs, xe))
        if xe > xs:
            n.kind, n.xs, n.xe = "framed", xs, xe
        return
    pm = _PREFIX.match(h)
    pfx = pm.group() if pm else ""
    a = pm.end() if pm else 0
    inline = n.style in _INLINE_STYLES
    # candidates: 问题 that ends the frame (not inside a 《title》)
    best: tuple[int, int, bool] | None = None  # (priority, index, terminal)
    pos = h.find("问题", a)
    while pos >= 0:
        tail = h[pos + 2:]
        terminal = _terminal_tail(tail)
        if (terminal or tail[0] in ",，、;；") and h.count("《", 0, pos) <= h.count("》", 0, pos):
            before = h[pos - 1] if pos > a else ""
            prio = 0 if before in ("的", "”", '"', "」", "’") else (1 if terminal else 2)
            if best is None or prio < best[0]:
                best = (prio, pos, terminal)
            if prio == 0:
                break
        pos = h.find("问题", pos + 2)
    if best is not None:
        prio, pos, terminal = best
        raw_x = h[a:pos].rstrip("的")
        xs, xe = _strip_x(text, hs + a, hs + pos)
        x = text[xs:xe]
        if _generic(x):
            n.kind = "generic"
            return
        if x.endswith("突出") and "问题" not in x and text.startswith("问题", xe):
            xe += 2  # 存在突出问题
            x = text[xs:xe]
        n.xs, n.xe = xs, xe
        quoted = raw_x[:1] in _QUOTES or raw_x[-1:] in "”\"」"
        fang = raw_x.endswith("方面") or raw_x.endswith("方面存在")
        if fang and not _SHORTCOMING.search(x):
            n.kind = "weak"
        elif pfx in ("针对", "关于", "对于"):
            n.kind = "framed"
        elif pfx == "对":
            ok = not inline or ((prio == 0 or terminal) and len(x) <= 40
                                and "," not in x and "，" not in x)
            n.kind = "framed" if ok else "plain"
        elif (terminal and not _TASK_START.match(x) and "整改" not in x
              and len(x) <= (40 if inline else 80) and (quoted or _SHORTCOMING.search(x))):
            n.kind = "framed"  # X问题 stated without a prefix
        else:
            n.kind = "plain"
        if n.kind == "plain":
            n.xs, n.xe = hs, he
        return
    if pfx and not (inline and pfx == "对"):
        # 针对营商环境优化力度有待加强的整改
        for m in _ZHENGGAI_TAIL.finditer(h, a):
            if "的整改" not in m.group() and "情况" not in m.group():
                continue
            if m.end() == len(h) or h[m.end()] in "(（【[,，":
                xs, xe = _strip_x(text, hs + a, hs + m.start())
                if _generic(text[xs:xe]):
                    n.kind = "generic"
                else:
                    n.kind, n.xs, n.xe = "framed", xs, xe
                return
    fm = _FANGMIAN.fullmatch(h)
    if fm is None and _WORK_ORG.search(h) and not _SHORTCOMING.search(h):
        n.kind = "workorg"
        return
    if fm:
        xs, xe = _strip_x(text, hs + fm.start("x"), hs + fm.end("x"))
        x = text[xs:xe]
        if fm.group("pre") not in ("聚焦", "围绕", "着眼", "着眼于") and not x.startswith("聚焦") \
                and _SHORTCOMING.search(x) and not _generic(x):
            n.kind, n.xs, n.xe = "framed", xs, xe
        else:
            n.kind = "category"
        return
    n.kind = "plain"


def _closing_cut(text: str, nodes: list[_Node]) -> int:
    end = len(text)
    if nodes:
        m = _CLOSING.search(text, nodes[-1].mend)
        if m:
            end = m.start()
    return end


def _subtree_end(nodes: list[_Node], i: int) -> int:
    """Index one past the last descendant of node ``i`` (nodes are in document order)."""
    d = nodes[i].depth
    j = i + 1
    while j < len(nodes) and nodes[j].depth > d:
        j += 1
    return j


def _choose_section(text: str, nodes: list[_Node]) -> tuple[list[int], bool]:
    """Top-level node indices forming the rectification section, and whether it was found."""
    tops = [i for i, n in enumerate(nodes) if n.parent is None and n.style not in _INLINE_STYLES]
    if not tops:
        return [], False
    framed_count: dict[int, int] = {}
    for t in tops:
        stop = _subtree_end(nodes, t)
        framed_count[t] = sum(1 for j in range(t, stop) if nodes[j].kind in ("framed", "weak"))
    excl = {t: bool(_EXCL_STRONG.search(text[nodes[t].hs:nodes[t].he]))
            or (nodes[t].kind == "workorg" and not _KW_STRONG.search(text[nodes[t].hs:nodes[t].he]))
            for t in tops}
    best = max(framed_count.values())
    if best > 0:
        need = max(1, math.ceil(0.25 * best))
        cands = [t for t in tops if framed_count[t] >= need and not excl[t]]
        if not cands:
            cands = [t for t in tops if framed_count[t] >= need]
        lo, hi = tops.index(cands[0]), tops.index(cands[-1])
        keep = set(cands)
        return [t for t in tops[lo:hi + 1] if not excl[t] or t in keep], True
    scored: list[tuple[float, int]] = []
    for pos, t in enumerate(tops):
        h = text[nodes[t].hs:nodes[t].he]
        if excl[t] or not _KW_WEAK.search(h):
            continue
        score = 3.0 * bool(_KW_STRONG.search(h)) + 1.0 * bool(_KW_WEAK.search(h))
        score -= 1.0 * bool(_EXCL_WEAK.search(h))
        if len(tops) >= 3 and pos == 0:
            score -= 1.0
        score += min(0.5, 0.01 * (_subtree_end(nodes, t) - t - 1))
        scored.append((score, -pos))
    if not scored:
        return [], False
    score, neg = max(scored)
    t = tops[-neg]
    if score <= 0 or _subtree_end(nodes, t) - t < 2:
        return [], False
    return [t], True


def _trim_measure(text: str, a: int, b: int) -> tuple[int, int]:
    """Trim punctuation, whitespace and left-over HTML tags around a measure."""
    chars = _TRAIL + "\n"
    for _ in range(8):
        a = _lstrip(text, a, b, chars)
        b = _rstrip(text, a, b, chars)
        if a < b and text[a] == "<":
            close = text.find(">", a, b)
            if 0 <= close - a <= 40:
                a = close + 1
                continue
        if a < b and text[b - 1] == ">":
            open_ = text.rfind("<", a, b)
            if 0 <= b - open_ <= 40:
                b = open_
                continue
        break
    return a, b


def _body_measures(text: str, s: int, e: int) -> list[Span]:
    """Measures of a body without items: its ``;``- or line-separated parts (status lines and
    labels such as 整改措施: left out)."""
    out: list[Span] = []
    depth = 0
    seg = s
    cuts: list[tuple[int, int]] = []
    for m in _BODY_SPECIAL.finditer(text, s, e):
        c = m.group()
        if c in _OPEN:
            depth += 1
        elif c in _CLOSE:
            depth = max(0, depth - 1)
        elif c == "\n" or depth == 0:
            cuts.append((seg, m.start()))
            seg = m.end()
    cuts.append((seg, e))
    for a, b in cuts:
        a, b = _trim_measure(text, a, b)
        lab = _LABEL_LEAD.match(text, a, b)
        if lab:
            a = lab.end()
        a, b = _trim_measure(text, a, b)
        if b - a < 2:
            continue
        seg_text = text[a:b]
        if lab and len(seg_text) <= 30 and _is_status(seg_text) and "," not in seg_text:
            continue  # 整改情况:已完成
        out.append(Span(a, b, "MEASURE", seg_text))
    return out


def _remainder_measure(text: str, n: _Node) -> list[Span]:
    """The part of a run-in heading after its problem frame: 针对X的问题,[建立台账]."""
    cut = -1
    for i in range(n.xe, n.he):
        if text[i] in ",，":
            cut = i
            break
    if cut < 0:
        return []
    a = _lstrip(text, cut + 1, n.he)
    b = _rstrip(text, a, n.he)
    return [Span(a, b, "MEASURE", text[a:b])] if b - a >= 2 else []


def _item_measure(text: str, n: _Node) -> Span | None:
    a, b = _trim_measure(text, n.mend, n.end)
    if b - a < 2:
        return None
    return Span(a, b, "MEASURE", text[a:b])


# --------------------------------------------------------------------------- entry point


def _layout(text: str, nodes: list[_Node], doc_end: int) -> None:
    """Nest the nodes, then read and classify each heading."""
    _nest(nodes, doc_end)
    for i, n in enumerate(nodes):
        n.end = max(n.mend, _rstrip(text, n.mend, n.end, " \t\u3000\u00a0\n"))
        limit = nodes[i + 1].start if i + 1 < len(nodes) else n.end
        _heading(text, n, max(n.mend, min(limit, n.end)))
        _frame(text, n)
        if n.style == "problem_n" and n.kind != "framed" and n.he - n.hs >= 2:
            n.kind, n.xs, n.xe = "framed", n.hs, n.he


def parse_outline(text: str) -> Outline:
    """Parse the numbered outline of a notice and the problems it reports.

    Takes the clean text (offsets index it) and tolerates unnormalised punctuation.
    Text without an outline yields an empty :class:`Outline`; non-``str`` input raises
    :class:`~rectify_nlp.errors.RectifyInputError`.

    >>> t = "二、反馈问题整改落实情况\\n(一)关于“学习不深入”问题的整改情况\\n(1)针对“制度不健全”的问题,建章立制。"
    >>> o = parse_outline(t)
    >>> [(p.number, p.statement.text, p.level, p.parent) for p in o.problems]
    [('(一)', '学习不深入', 1, None), ('(1)', '制度不健全', 2, 0)]
    """
    parsed = _parse(text)
    if parsed is None:
        return Outline()
    return _build(text, parsed.nodes, parsed.role, parsed.scope, parsed.in_scope, parsed.section)


@dataclass(frozen=True)
class NodeReading:
    """How the rules read one outline node (:func:`read_outline`).

    ``kind`` is what the heading's wording says (``framed`` 针对X的问题, ``weak`` X方面问题,
    ``category`` X方面, ``generic`` 反馈问题, ``workorg`` 加强组织领导, ``plain``); ``role`` is
    the rules' decision (``problem``, ``category``, ``measure``, ``container``, ``other``), None
    for a node outside the part of the notice the rules searched; ``statement`` is the
    ``(start, end)`` of the problem statement the node would make (the framed X, else the
    heading); ``status`` as :attr:`Problem.status`, ``status_label`` whether it came as a label
    (整改情况:已完成); ``body`` the first character after the heading and its status.
    """

    kind: str
    role: str | None
    statement: tuple[int, int]
    status: str | None
    status_label: bool
    body: int


def read_outline(text: str) -> tuple[Outline, tuple[NodeReading, ...]]:
    """:func:`parse_outline`'s result and the rules' reading of each of its nodes (same
    order as :attr:`Outline.nodes`), for a component that decides the nodes' roles itself.

    >>> o, r = read_outline("二、问题整改落实情况\\n1.针对学习不深入的问题。一是建立制度。")
    >>> [(n.number, x.kind, x.role) for n, x in zip(o.nodes, r)]
    [('二、', 'generic', 'container'), ('1.', 'framed', 'problem'), ('一是', 'plain', 'measure')]
    """
    parsed = _parse(text)
    if parsed is None:
        return Outline(), ()
    outline = _build(text, parsed.nodes, parsed.role, parsed.scope, parsed.in_scope,
                     parsed.section)
    readings = tuple(
        NodeReading(kind=n.kind, role=parsed.role.get(i),
                    statement=(n.xs, n.xe) if n.xe > n.xs else (n.hs, n.he),
                    status=n.status, status_label=n.status_label, body=n.body)
        for i, n in enumerate(parsed.nodes))
    return outline, readings


def outline_with_problems(text: str, statements: Mapping[int, tuple[int, int]]) -> Outline:
    """The outline of ``text`` with the problems chosen elsewhere: ``statements`` maps a node
    (an index of :attr:`Outline.nodes`) to its statement ``(start, end)``, which must lie in
    the node. Everything else is derived as :func:`parse_outline` does: a node under a problem
    is a measure of it, a node with problems below is their category, levels, parents, status
    and measures as the rules compute them. Given the rules' own choice it returns
    :func:`parse_outline`'s result.

    >>> t = "二、问题整改落实情况\\n(一)学习方面\\n1.学习不深入。一是建立制度。"
    >>> [p.statement.text for p in parse_outline(t).problems]
    ['学习不深入']
    >>> o = outline_with_problems(t, {1: (14, 16)})
    >>> [(p.statement.text, p.category, [m.text for m in p.measures]) for p in o.problems]
    [('学习', None, ['学习不深入。一是建立制度'])]
    """
    parsed = _parse(text)
    if parsed is None:
        return Outline()
    nodes = parsed.nodes
    for i, (s, e) in statements.items():
        if not (0 <= i < len(nodes) and nodes[i].start <= s < e <= nodes[i].end):
            raise ValueError(f"statement {(s, e)} is not inside outline node {i}")
    chosen = set(statements)
    scope_set = set(parsed.scope)
    for i in sorted(chosen - scope_set):  # a problem outside the searched part takes its items
        scope_set.update(range(i, _subtree_end(nodes, i)))
    scope = sorted(scope_set)
    role: dict[int, str] = {}
    for i in scope:
        if i in chosen:
            role[i] = "problem"
        elif i in parsed.container:
            role[i] = "container"
        elif _ancestor_in(nodes, i, chosen) is not None:
            role[i] = "measure"
        else:
            role[i] = "pending"
    _settle_pending(nodes, role, scope, chosen, scope_set)
    return _build(text, nodes, role, scope, scope_set, parsed.section, statements)


@dataclass
class _Parsed:
    nodes: list[_Node]
    scope: list[int]
    in_scope: set[int]
    container: set[int]
    role: dict[int, str]
    section: tuple[int, int] | None


def _parse(text: str) -> _Parsed | None:
    """Nodes, the searched scope and the rules' roles (None: no outline)."""
    if not isinstance(text, str):
        raise RectifyInputError(f"expected text (str), got {type(text).__name__}")
    if not text.strip():
        return None
    nodes = _scan_markers(text)
    if not nodes:
        return None
    doc_end = _closing_cut(text, nodes)
    nodes = [n for n in nodes if n.start < doc_end]
    _layout(text, nodes, doc_end)
    # an unnumbered 针对…问题 paragraph is kept only where numbered items follow beneath it
    drop = {i for i, n in enumerate(nodes) if n.style == "unnumbered" and not (
        n.kind == "framed" and i + 1 < len(nodes) and nodes[i + 1].parent == i
        and nodes[i + 1].style in _STRUCTURAL and nodes[i + 1].style != "unnumbered")}
    if drop:
        nodes = [_Node(n.start, n.mend, n.number, n.style, n.value)
                 for i, n in enumerate(nodes) if i not in drop]
        if not nodes:
            return None
        _layout(text, nodes, doc_end)
    roots, found = _choose_section(text, nodes)
    section: tuple[int, int] | None = None
    scope: list[int]
    container: set[int] = set()
    if found:
        section = (nodes[roots[0]].start, nodes[roots[-1]].end)
        scope = [j for r in roots for j in range(r, _subtree_end(nodes, r))]
        if len(roots) == 1 and nodes[roots[0]].kind not in ("framed", "category"):
            container.add(roots[0])
        if len(roots) == 1 and nodes[roots[0]].kind == "category" \
                and _KW_WEAK.search(text[nodes[roots[0]].hs:nodes[roots[0]].he]):
            container.add(roots[0])
    else:
        tops_excl = {i for i, n in enumerate(nodes)
                     if n.parent is None and _EXCL_STRONG.search(text[n.hs:n.he])}
        scope = []
        i = 0
        while i < len(nodes):
            if i in tops_excl:
                i = _subtree_end(nodes, i)
                continue
            scope.append(i)
            i += 1
    in_scope = set(scope)
    role = _assign_roles(nodes, scope, in_scope, container, task_mode=found)
    return _Parsed(nodes, scope, in_scope, container, role, section)


def _assign_roles(nodes: list[_Node], scope: list[int], in_scope: set[int],
                  container: set[int], *, task_mode: bool) -> dict[int, str]:
    """problem / category / measure / container / other for each in-scope node."""
    role: dict[int, str] = {}
    strong = {i for i in scope if nodes[i].kind == "framed" and i not in container}
    # an item with a stated status (整改情况:已完成) reports a problem unless it sits in one
    # (a labelled status, or a structural item, makes it a problem even there)
    for i in scope:
        n = nodes[i]
        if n.status is None or n.kind != "plain" or i in container or n.he - n.hs < 2:
            continue
        if n.status_label or n.style in _STRUCTURAL or _ancestor_in(nodes, i, strong) is None:
            strong.add(i)
    # descendants that are strong problems (bottom-up: children follow parents)
    has_strong: dict[int, bool] = {}
    for i in reversed(scope):
        has_strong[i] = any(c in strong or has_strong.get(c, False)
                            for c in nodes[i].children if c in in_scope)
    problem: set[int] = set()
    # a task item worded like work organisation (1.压实管党治党主体责任) is still an item when a
    # problem or category heading frames it
    framing = {i for i in scope if nodes[i].kind in ("framed", "weak", "category")
               and i not in container}
    for i in scope:
        n = nodes[i]
        if i in container:
            role[i] = "container"
            continue
        inline = n.style in _INLINE_STYLES
        anc_problem = _ancestor_in(nodes, i, problem)
        if i in strong:
            problem.add(i)
            role[i] = "problem"
        elif (n.kind == "weak" and not inline and not has_strong[i]
              and not any(nodes[c].style in _STRUCTURAL for c in n.children)):
            problem.add(i)
            role[i] = "problem"
        elif anc_problem is not None:
            role[i] = "measure"
        elif (task_mode and not inline and not has_strong[i]
              and (n.kind == "plain" or (n.kind == "workorg" and _ancestor_in(nodes, i, framing)))
              and n.he - n.hs >= 2
              and not any(nodes[c].style in _STRUCTURAL for c in n.children)):
            problem.add(i)
            role[i] = "problem"
        else:
            role[i] = "pending"
    _settle_pending(nodes, role, scope, problem, in_scope)
    return role


def _ancestor_in(nodes: list[_Node], i: int, group: Container[int]) -> int | None:
    p = nodes[i].parent
    while p is not None:
        if p in group:
            return p
        p = nodes[p].parent
    return None


def _settle_pending(nodes: list[_Node], role: dict[int, str], scope: list[int],
                    problem: set[int], in_scope: set[int]) -> None:
    """Pending nodes with a problem below them are categories (unless inline), else other."""
    for i in reversed(scope):
        if role[i] == "pending":
            below = _has_problem_below(nodes, i, problem, in_scope)
            role[i] = "category" if below and nodes[i].style not in _INLINE_STYLES else "other"


def _has_problem_below(nodes: list[_Node], i: int, problem: set[int], in_scope: set[int]) -> bool:
    stop = _subtree_end(nodes, i)
    return any(j in problem for j in range(i + 1, stop) if j in in_scope)


def _build(text: str, nodes: list[_Node], role: dict[int, str], scope: list[int],
           in_scope: set[int], section: tuple[int, int] | None,
           statements: Mapping[int, tuple[int, int]] | None = None) -> Outline:
    out_nodes = tuple(
        OutlineNode(number=n.number or None, style=n.style, depth=n.depth,
                    heading=Span(n.hs, n.he, "HEADING", text[n.hs:n.he]),
                    start=n.start, end=n.end, parent=n.parent)
        for n in nodes
    )
    pidx: dict[int, int] = {}
    order = [i for i in scope if role.get(i) == "problem"]
    for k, i in enumerate(order):
        pidx[i] = k
    measures: dict[int, list[Span]] = {i: [] for i in order}
    # explicit measures: non-problem children of a problem; an unframed 一是 among problem
    # siblings continues the problem before it
    last_problem_child: dict[tuple[int, str], int] = {}
    for i in scope:
        n = nodes[i]
        r = role.get(i)
        if r == "problem" and n.parent is not None:
            last_problem_child[(n.parent, n.style)] = i
        if r != "measure":
            continue
        owner = n.parent
        if owner is None or role.get(owner) != "problem":
            continue  # part of a measure already
        if n.style in _INLINE_STYLES:
            owner = last_problem_child.get((owner, n.style), owner)
        sp = _item_measure(text, n)
        if sp is not None:
            measures[owner].append(sp)
    problems: list[Problem] = []
    level_of: dict[int, int] = {}
    for i in order:
        n = nodes[i]
        ms = measures[i]
        kids = [c for c in n.children if c in in_scope]
        if not any(role.get(c) == "problem" for c in kids):
            first = nodes[kids[0]].start if kids else n.end  # children are in text order
            ms = _body_measures(text, n.body, max(n.body, first)) + ms
            if not ms and n.xe < n.he:
                ms = _remainder_measure(text, n)
        ms.sort(key=lambda s: s.start)
        parent = _ancestor_in(nodes, i, pidx.keys())
        level = 1 if parent is None else level_of[parent] + 1
        level_of[i] = level
        cat = None
        a = n.parent
        while a is not None:
            if role.get(a) == "category":
                cat = text[nodes[a].hs:nodes[a].he] or None
                break
            a = nodes[a].parent
        if statements is not None and i in statements:
            xs, xe = statements[i]
        else:
            xs, xe = (n.xs, n.xe) if n.xe > n.xs else (n.hs, n.he)
        problems.append(Problem(
            statement=Span(xs, xe, "PROBLEM", text[xs:xe]),
            number=n.number or None, level=level,
            parent=pidx[parent] if parent is not None else None,
            category=cat, status=n.status, start=n.start,
            end=max([n.end] + [m.end for m in ms]),
            measures=tuple(ms),
        ))
    log.debug("outline: %d nodes, %d problems", len(nodes), len(problems))
    return Outline(nodes=out_nodes, problems=tuple(problems), section=section)
