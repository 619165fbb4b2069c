"""The OUTCOME rule: quantified results of the rectification work (guidelines §1, §5).

A result is a number with a unit (or a rate, a share, a ranking) reported as achieved:
出动执法车辆102车次, 新增400个轿车车位, 整改完成率100%, 排名第4, 给予党纪处分0人. Numbers that
label or describe (第三季度, 三级机制, “六个百分百”, 1号楼, phone and document numbers, dates), plans
and targets (计划新增…, 力争…, 将达到…) and the counts of problems and measures (反馈的11项问题,
86项整改措施 — they belong to :mod:`rectify_nlp.rules.summary`) are left out.

Span: from the first word of what was counted — after clause punctuation, the actor and leading
adverbs (共, 累计, 先后, 已, 目前, 对, 将, 在) — to the unit, or to the counted noun when the number
comes first (新增400个轿车车位). Where 分别 spreads one metric over several numbers
(分别增长16.6%、33.9%) each number is its own span and the metric comes from the context.

>>> [o.span.text for o in find_outcomes("街道执法队共出动执法人员120人次,清理杂物35处")]
['出动执法人员120人次', '清理杂物35处']
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rectify_nlp.normalizers.numbers import (
    ARABIC_PATTERN,
    CHINESE_NUMERAL_PATTERN,
    NUMBER_PATTERN,
    PRE_QUALIFIERS,
    parse_quantity,
)
from rectify_nlp.rules.lexicon import AMBIGUOUS_UNITS, TIME_UNITS, UNIT_PATTERN
from rectify_nlp.spans import Span
from rectify_nlp.values import NormalizedValue

logger = logging.getLogger(__name__)

__all__ = ["OutcomeMention", "find_outcomes"]


@dataclass(frozen=True)
class OutcomeMention:
    """One quantified result: its span, the quantity inside it, the value and the metric.

    >>> o = find_outcomes("劝离绿地违停车辆800余台")[0]
    >>> (o.span.text, o.quantity.text, o.value.value, o.value.unit, o.metric)
    ('劝离绿地违停车辆800余台', '800余台', 800.0, '台', '劝离绿地违停车辆')
    """

    span: Span
    quantity: Span
    value: NormalizedValue
    metric: str


# --------------------------------------------------------------------------- patterns

_PRE = "|".join(PRE_QUALIFIERS)
_RE_QTY = re.compile(
    rf"(?P<pre>{_PRE})?"
    rf"(?:(?P<pct>百分之)(?P<pnum>{CHINESE_NUMERAL_PATTERN}|{ARABIC_PATTERN})|(?P<num>{NUMBER_PATTERN}))"
    r"(?P<mid>余|多)?"
    r"(?P<mult>(?<=[余多])(?:万|亿))?"
    rf"(?P<unit>{UNIT_PATTERN})?"
    r"(?P<post>以上|左右|上下|以下|以内)?"
)
_ASCII_ALNUM = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_BAD_BEFORE = _ASCII_ALNUM | frozenset(".-/#_~〔【[<=+·—－")
_BAD_AFTER_NUMBER = _ASCII_ALNUM | frozenset("-#/_~.－—")
_CN_NUM_CHARS = frozenset("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟")

_CLAUSE_BREAK = frozenset(",;。!?:\n\r\t\uff0c\uff1b\uff1a\uff01\uff1f")
_SENTENCE_BREAK = frozenset("。\n!?\uff01\uff1f")
_WINDOW = 80  # how far back a clause or sentence is searched

_RE_QUOTED = re.compile(r"《[^《》\n]{0,80}》|“[^“”\n]{0,40}”|‘[^‘’\n]{0,40}’|「[^「」\n]{0,40}」|\"[^\"\n]{0,40}\"")

# Plans, targets and requirements (checked in the clause before the number).
_RE_PLAN_BEFORE = re.compile(
    r"预计|力争|计划(?![的任目书表数内外])|(?<![草模比])拟(?![定订稿])|争取|力求|预期|确保|目标(?![任的])"
    r"|规划(?=[新建设用布])|打算|将要|将会|将于|(?<![已])将(?=达到|实现|完成|新增|建成|超过|突破|增加|增至|提升|提高|投入|惠及|带动|形成|覆盖)"
    r"|(?<![主重需纲必摘只首紧简扼])要(?![求素点件闻害务领职])|应当|必须|不得|须(?![知])|下一步|每"
)
# …and after it, in the same clause (第二批9个村计划2019年底前完工).
_RE_PLAN_AFTER = re.compile(r"^[^,;。:\n]{0,12}?(?:计划|预计|力争|拟(?![定订稿])|将于|争取|预期|以内完成|前完成)")
_RE_RANK_CONTEXT = re.compile(r"(?:排名|排位|排在|排第|位列|位居|名列|位次|进入|跻身|居)[^,;。]{0,8}$")

# Leading matter stripped from a metric-first prefix.
_RE_ADVERB = re.compile(
    r"共有|分别|累计|共计|合计|总计|总共|累积|先后|相继|陆续|已经|均已|现已|业已|目前|当前|至今|迄今"
    r"|(?<![公中总同])共(?![享建同性治产青谋商识赢担])|(?<![早并])已(?![经知])"
)
# Used with match(): nothing follows the repetition, so it never backtracks into an earlier
# item; `++` makes that explicit (and fullmatch linear), 一是 is bounded like 一、.
_RE_LEAD = re.compile(
    r"(?:[((][一二三四五六七八九十\d]{1,3}[))]|[一二三四五六七八九十]{1,3}是|[一二三四五六七八九十]{1,3}、|\d{1,3}[.、．](?!\d)"
    r"|[\s、,;:()\uff0c\uff1b\uff1a\uff08\uff09和及与并且还又]|同时|另外|此外|其中|以及|并且"
    r"|(?:今年|本年度?|年内|全年|当年|同期|期间|以来|其间)"
    r"|(?:截至|截止|至)?(?:\d{4}年|\d{1,2}月|\d{1,2}日|\d{1,2}号|底|初|中旬|上旬|下旬|上半年|下半年|第[一二三四]季度|[一二三四]季度)+"
    r"(?:[至到—\-~](?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:底|初)?)?(?:以来|期间|止|前|后|份)?"
    r"|(?:截至|截止)目前|自[^,;。]{0,12}以来"
    r"|(?:对(?![照标接口象话外于])|在(?![建线于内职岗册编])|将(?![近])|向|从)(?=[\u4e00-\u9fff\d])"
    r"|(?:全区|全市|全省|全县|全镇|全街|全街道|全国|我区|我市|我县|我镇|我街|我乡|我局|辖区内|辖区"
    r"|各(?:街道|社区|镇街|镇|乡镇|村|单位|部门|区|县|市|级))(?=[\u4e00-\u9fff])"
    r")++"
)
_RE_ACTOR = re.compile(
    r"(?:委|局|办|组|队|院|所|部|中心|街道|社区|支部|公司|分局|科|站|室|政府|单位|部门|小组|党工委|专班|集团|法院|检察院)"
    r"(?=出动|召开|开展|组织|检查|巡查|清理|查处|立案|新增|完成|建成|设置|发放|派发|举办|培训|处理|整治|扣押|发出|收集|解决|走访"
    r"|接待|抓获|查封|破获|逮捕|约谈|调解|受理|办结|审结|结案|处置|督促|排查|发现|投入|拆除|安装|配备|聘请|选派|印发|制定|出台|新建"
    r"|改造|打掉|侦破|立案|追究|给予|问责|处分|移送|收到|走访|慰问|帮扶|落实|推动|推进|实现|累计|共|先后|已)"
)
_NOUN_STOP = re.compile(
    r"的|和|以及|及|与|等(?![级次])|或|、|进行|开展|参加|参与|参训|实施|完成|落实|接受|给予|受到|获得|作出|做出|签订|办理|申报|巡查|检查"
    r"|开工|建成|投入|实现|纳入|列入|入驻|落户|涉及|存在|共有|均|已|全部|分别|共|为|在|对|被|向|到|赴|从|于|至|约|近|超|达|"
    r"以上|左右|通过|按照|根据|由|将|并|且|同时|期间"
)
_LABEL_NOUN = re.compile(
    r"(?:层面|方面|层级|层次|维度|确立|维护|意识|自信|覆盖|务必|必须|有效|坚持|统一|结合|融合|转变|原则|责任"
    r"|到位|百分百|决不|不|没有|清单|一|二|两|三|四|五|六|七|八|九|十|类|级|化|制|位一体|年|月|日|周|阶段|步|环节|规定|要求|法规|纪律|禁令|准则|精神|工程|行动|战略|理念|思维|能力|作用"
    r"|职能|等级|级别|方针|目标|主线|抓手|体系|模式|思路|坚定)"
)
_COUNT_UNITS_FOR_NOUN = frozenset(
    "个 名 位 家 户 宗 件 起 次 场 场次 台 辆 架 艘 份 张 条 项 篇 批 期 所 座 处 间 套 栋 幢 层 棵 株 盏 块 根 本 册 部 轮 档 只"
    " 匹 羽 枚 幅 封 通 笔 支 组 队 箱 袋 桶 瓶 包 车 趟 堂 节 个点位 点位 班 人 人次 车次 米 千米 公里 平方米 万平方米 亩 吨 公顷 立方米 延米".split()
)
_ONE_OK_UNITS = frozenset("名 人 人次 次 场 场次 家 宗 件 处 台 辆 户 所 座 栋".split())
_ONE_BAD_BEFORE = frozenset("每第逐统唯之万同单一某任其另这那哪专")

# Counts of problems and measures go to the summary, not to outcomes.
_RE_MEASURE_NOUN = re.compile(
    r"(?:整改|具体|细化|工作)?(?:措施|举措)$|^(?:项|条)?(?:细化|具体)?整改(?:措施|举措|任务)|整改任务"
)
_RE_PROBLEM_NOUN = re.compile(r"问题|整改$|^整改")
_RE_INSPECTION_CTX = re.compile(r"巡视|巡察|反馈|指出|交办|梳理|查摆|认领|涉及整改")
_PROBLEM_COUNT_UNITS = frozenset({"项", "个", "条", "类", "大项", "方面", None})
_SUBJECT_FOLLOW = re.compile(r"(?:涉及|存在|共有|为(?![民]))")
_RE_DATE_INSIDE = re.compile(
    r"(?:\d{4}年)?\d{1,2}(?:[-—~至到]\d{1,2})?月(?:份)?(?:\d{1,2}日)?(?:至今|以来|期间|底|初|中旬|上旬|下旬)?"
    r"|\d{4}年(?:度|底|初|以来)?|今年以来|本年度|今年|截至目前|截止目前"
)
# searched in text[clause_start:qs], at most 2 * _WINDOW characters: the tail run is bounded to that
# (unbounded, a search re-scanned it from every 巡察: quadratic)
_RE_INSPECTION_SCOPE = re.compile(
    r"(?:巡察|巡视)(?:[^,;。]{0,16}(?:对|指出|发现)[^,;。]{0,160}|[^,;。]{0,3})$"
)
_RE_NEXT_NUMBER = re.compile(rf"[、,和及与]\s*(?:{NUMBER_PATTERN})")
_RE_NOT_NEAR = re.compile(r"[最附临靠邻接]$")


# --------------------------------------------------------------------------- helpers


def _quoted_regions(text: str) -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for m in _RE_QUOTED.finditer(text):
        starts.append(m.start())
        ends.append(m.end())
    return starts, ends


def _inside(regions: tuple[list[int], list[int]], start: int, end: int) -> bool:
    starts, ends = regions
    i = bisect.bisect_right(starts, start) - 1
    return i >= 0 and ends[i] >= end


def _back_to(text: str, pos: int, breaks: frozenset[str]) -> int:
    """Start of the clause (or sentence) that contains ``pos``, searched at most _WINDOW back."""
    lo = max(0, pos - _WINDOW)
    for i in range(pos - 1, lo - 1, -1):
        if text[i] in breaks:
            return i + 1
    return lo


def _forward_to(text: str, pos: int, breaks: frozenset[str]) -> int:
    hi = min(len(text), pos + _WINDOW)
    for i in range(pos, hi):
        if text[i] in breaks:
            return i
    return hi


def _overlaps_any(spans: Sequence[Span], start: int, end: int) -> bool:
    return any(min(end, s.end) - max(start, s.start) > 0 for s in spans)


def _last_exclude_end(spans: Sequence[Span], lo: int, hi: int) -> int:
    best = lo
    for s in spans:
        if lo <= s.end <= hi and s.end > best:
            best = s.end
    return best


def _strip_prefix(text: str, start: int, end: int, *, open_tail: bool = False) -> int:
    """Move ``start`` past clause lead-ins, times, the actor and leading adverbs.

    ``open_tail``: the clause goes on after the quantity (两次对全区…), so an adverb right before
    the number means the counted thing follows it, and the span starts at the number.
    """
    prefix = text[start:end]
    last_date = None
    for found in _RE_DATE_INSIDE.finditer(prefix):
        last_date = found
    if last_date is not None and last_date.end() < len(prefix):
        start += last_date.end()
        prefix = text[start:end]
    adverbs = list(_RE_ADVERB.finditer(prefix))
    # drop a chain of adverbs right before the number (…宣传教育共计71场次)
    tail = len(prefix)
    while adverbs and adverbs[-1].end() == tail:
        tail = adverbs.pop().start()
    if tail < len(prefix) and (open_tail or not _has_content(prefix[:tail] if not adverbs else prefix[adverbs[-1].end():tail])):
        return end
    if adverbs:
        start += adverbs[-1].end()
        prefix = text[start:end]
    else:
        actor = _RE_ACTOR.search(prefix)
        if actor is not None and actor.end() < len(prefix):
            start += actor.end()
            prefix = text[start:end]
    m = _RE_LEAD.match(prefix)
    if m is not None:
        start = end if m.end() >= len(prefix) else start + m.end()
    return start


def _has_content(s: str) -> bool:
    m = _RE_LEAD.match(s)
    rest = s[m.end():] if m else s
    return bool(rest.strip())


def _counted_noun_end(text: str, pos: int) -> int:
    """End of the counted noun after a number+classifier (新增400个[轿车车位]), or ``pos``."""
    hi = min(len(text), pos + 14)
    i = pos
    while i < hi:
        if not ("\u4e00" <= text[i] <= "\u9fff") or _NOUN_STOP.match(text, i):
            break
        i += 1
    if i >= hi and hi < len(text) and "\u4e00" <= text[hi] <= "\u9fff":
        return pos  # a long run with no stop: not a counted noun we can delimit
    return i


# --------------------------------------------------------------------------- the rule


# the inspection's own groups (4个巡察组, 三个巡视组) are its scope, never a rectification result
_RE_INSPECTION_GROUP = re.compile(r"巡[视察](?:工作)?[组队]")


def find_outcomes(text: str, *, exclude: Sequence[Span] = ()) -> list[OutcomeMention]:
    """The quantified results in ``text`` (clean text), sorted by start.

    ``exclude``: spans already claimed (dates, contacts, summary evidence); no outcome overlaps
    one of them.

    >>> [(o.span.text, o.value.value) for o in find_outcomes("计划新增停车位200个;给予党纪处分0人")]
    [('给予党纪处分0人', 0.0)]
    """
    if not isinstance(text, str) or not text:
        return []
    ordered = sorted(exclude, key=lambda s: s.start)
    state = _State(
        text=text,
        exclude=ordered,
        ex_starts=[s.start for s in ordered],
        quoted=_quoted_regions(text),
    )
    out: list[OutcomeMention] = []
    for m in _RE_QTY.finditer(text):
        if m.group("unit") is None and m.group("pct") is None and m.group("pre") != "前":
            num = m.group("num")
            if "/" not in num and "分之" not in num and text[m.start() - 1:m.start()] != "第":
                continue  # no unit, no rate, no fraction, no ranking: cheap early exit
        mention = _judge(state, m)
        if mention is not None and not _RE_INSPECTION_GROUP.search(mention.span.text):
            out.append(mention)
            state.prev_end = mention.span.end
            state.prev_metric = mention.metric
    return out


@dataclass
class _State:
    """Per-call scan state (local to one :func:`find_outcomes` call)."""

    text: str
    exclude: list[Span]
    ex_starts: list[int]
    quoted: tuple[list[int], list[int]]
    prev_end: int = 0
    prev_metric: str = ""
    prev_clause: int = -1
    distributive_clause: int = -1


def _nearby_excludes(exclude: Sequence[Span], ex_starts: list[int], lo: int, hi: int) -> list[Span]:
    i = bisect.bisect_left(ex_starts, lo - 2 * _WINDOW)
    found = []
    while i < len(exclude) and exclude[i].start < hi:
        found.append(exclude[i])
        i += 1
    return found


def _judge(st: _State, m: re.Match[str]) -> OutcomeMention | None:  # one rule, read top-down
    text = st.text
    qs, qe = m.start(), m.end()
    num = m.group("num") or m.group("pnum") or ""
    unit = m.group("unit")
    pre = m.group("pre")
    post = m.group("post")
    is_pct = m.group("pct") is not None
    is_fraction = "/" in num or "分之" in num
    arabic = num[:1].isdigit()
    before = text[qs - 1] if qs > 0 else ""
    num_end = m.end("num") if m.group("num") is not None else m.end("pnum")
    after = text[num_end] if num_end < len(text) else ""

    # ---- what the number is glued to (ids, codes, 3D, 1号楼, 第三季度)
    if before in _BAD_BEFORE or (arabic and after in _BAD_AFTER_NUMBER):
        return None
    if not arabic and before in _CN_NUM_CHARS:
        return None
    if pre == "近" and _RE_NOT_NEAR.search(text, max(0, qs - 1), qs):
        return None  # 最近一次
    nearby = _nearby_excludes(st.exclude, st.ex_starts, qs, qe)
    if _overlaps_any(nearby, qs, qe) or _inside(st.quoted, qs, qe):
        return None

    # ---- rankings (排名第4, 排名前3); other ordinals never count
    ranking = False
    if before == "第" or pre == "前":
        ctx = qs - 1 if before == "第" else qs
        if not _RE_RANK_CONTEXT.search(text, max(0, ctx - 12), ctx):
            return None
        if unit is not None and unit not in {"名", "位"}:
            return None
        ranking = True
        if before == "第":
            qs -= 1

    # ---- a unit is required (or a rate, a fraction, a ranking)
    if unit is None and not (is_pct or is_fraction or ranking):
        return None
    if is_fraction and (unit is not None or not re.search(r"(?:占|为|达|约|近|超|的|到)$", text[max(0, qs - 2):qs])):
        return None

    # ---- Chinese numerals: only with a real counting unit, never as 两名以上 requirements
    if not arabic and not is_pct:
        if unit is None or unit in AMBIGUOUS_UNITS or post in {"以上", "以下", "以内"}:
            return None
        if num in {"一", "壹"} and (unit not in _ONE_OK_UNITS or before in _ONE_BAD_BEFORE):
            return None
        if num[0] in "万亿十百千" and num[0] != "十":
            return None

    value = parse_quantity(m.group(0))
    if value is None:
        return None
    # "是对全体党员干部的一次深刻洗礼": 一次 describes, it counts nothing
    if num in {"一", "1"} and unit == "次" and (
            before == "的" or "是" in text[_back_to(text, qs, _CLAUSE_BREAK):qs]):
        return None
    if ranking and pre is None:
        value = NormalizedValue(value=value.value, unit=value.unit)

    clause_start = _back_to(text, qs, _CLAUSE_BREAK)
    if clause_start == qs and qs > 0 and text[qs - 1] in ":\uff1a":
        clause_start = _back_to(text, qs - 1, _CLAUSE_BREAK)  # 整改完成率:100%
    clause_end = _forward_to(text, qe, _CLAUSE_BREAK)
    sentence_start = _back_to(text, qs, _SENTENCE_BREAK)

    # ---- time units describe (14小时巡回保洁, 两个月内) unless they close the clause
    if unit in TIME_UNITS:
        if qe < clause_end and text[qe] not in "、)":
            return None
        if re.search(r"(?:历时|用时|耗时|为期|期限|时限|限期|时间|周期|每)$", text[max(0, qs - 2):qs]):
            return None

    # ---- plans, targets, requirements; the inspection's own scope (巡察组对…8个社区)
    if _RE_PLAN_BEFORE.search(text, clause_start, qs) or _RE_PLAN_AFTER.search(text[qe:clause_end]):
        return None
    if re.search(r"下一步|今后|未来", text[sentence_start:qs]):
        return None
    if _RE_INSPECTION_SCOPE.search(text[clause_start:qs]):
        return None

    # ---- the counted noun after a number+classifier (新增400个轿车车位)
    noun_end = qe
    if unit in _COUNT_UNITS_FOR_NOUN and unit not in {"人", "人次"} and post is None and not ranking:
        noun_end = _counted_noun_end(text, qe)
        if _overlaps_any(nearby, qe, noun_end):
            noun_end = qe
    if noun_end > qe and _LABEL_NOUN.match(text, qe):
        return None  # 三个层面, 八项规定, 两项职能
    noun = text[qe:noun_end]
    if noun and pre is None and _SUBJECT_FOLLOW.match(text, noun_end):
        return None  # 29个社区涉及…: the scope, not a result

    # ---- where the span starts, and the metric
    span_lo = max(clause_start, st.prev_end, _last_exclude_end(nearby, clause_start, qs))
    prefix_all = text[clause_start:qs]
    distributive = "分别" in prefix_all and (
        st.distributive_clause == clause_start
        or _RE_NEXT_NUMBER.match(text, qe) is not None
    )
    if distributive:
        span_start = qs
        head, _, after_fb = prefix_all.rpartition("分别")
        metric = re.split(r"[0-9]", after_fb)[0]
        metric = re.sub(r"^[为是达到]+|[为是达到:、,和及]+$", "", metric).strip()
        if not metric:
            metric = head[_strip_prefix(head, 0, len(head)):].strip("、, ")
        st.distributive_clause = clause_start
    else:
        open_tail = noun_end < clause_end and text[noun_end] not in "、)"
        span_start = min(_strip_prefix(text, span_lo, qs, open_tail=open_tail), qs)
        metric = (text[span_start:qs].rstrip(":\uff1a") + noun).strip()
        if not metric and st.prev_clause == clause_start and st.prev_metric:
            metric = st.prev_metric  # 出动25车次60人次: 60人次 shares 出动

    # ---- counts of problems and measures belong to the summary
    what = text[span_start:qs] + noun
    if unit in _PROBLEM_COUNT_UNITS:
        if _RE_MEASURE_NOUN.search(what) or noun.startswith("具体问题"):
            return None
        if _RE_PROBLEM_NOUN.search(what) and _RE_INSPECTION_CTX.search(text, sentence_start, qe):
            return None
        if noun.startswith("问题") and _RE_INSPECTION_CTX.search(text, sentence_start, qs):
            return None

    if _overlaps_any(nearby, span_start, noun_end):
        span_start = max(span_start, _last_exclude_end(nearby, span_start, qs))
        if _overlaps_any(nearby, span_start, noun_end):
            return None
    st.prev_clause = clause_start
    return OutcomeMention(
        span=Span(span_start, noun_end, "OUTCOME", text[span_start:noun_end]),
        quantity=Span(qs, qe, "QUANTITY", text[qs:qe]),
        value=value,
        metric=metric,
    )
