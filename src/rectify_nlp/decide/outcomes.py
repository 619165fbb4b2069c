"""The OUTCOME decider: whether a number is a result, and where its span starts and ends.

The OUTCOME rule (:func:`rectify_nlp.rules.outcomes.find_outcomes`) reads one extent per number:
back to clause punctuation, past lead-ins, the actor and leading adverbs, on to the unit or the
counted noun. On the 124 gold notices its spans score P 0.671 R 0.734 F 0.701 (exact). Of its
143 spans that are not gold, 46 overlap no gold span (一次深刻洗礼, 下设四个工作专班, counts of
problems and tasks) and 97 have the wrong extent: 58 start too early (an actor, an adverb or a
prepositional phrase left in: 区委[成立4个督查小组], 成功[协助处置…4起], 向企业和群众[发放…100箱];
a modifier before a number-first count: 对城乡结合部[9条街道]), 39 end wrongly (short of the
counted noun: [组织16次]夜间…专项整治行动; past it: [完成3个微型消防站]建设). 10 gold spans it finds
no part of (numbers it rejects: 巡视组指出的[3个党支部]).

Candidates. An *anchor* is a number with its unit: each quantity of the rules' outcomes, and each
Arabic number+unit the rule rejected (not in a date, a contact, the summary or the header, not
glued to a code). Each anchor is one ``group``; its candidates are its left boundaries crossed
with its right boundaries:

* left (``outcomes.…:<left>/<right>`` in :attr:`Candidate.proposer`): the number itself
  (``num``), the rule's start (``rule``), the clause start (``clause``), after 、 ( ) 和 及 与 并
  and quotes (``punct``), after the rule's lead-ins (``lead``), adverbs (``adverb``), actors
  (``actor``) and dates (``date``), each verb start (``verb``) and what the rule's prefix
  stripping gives from the clause start (``strip``);
* right: the quantity's end (``qty``; without 以上/左右…: ``nopost``), the rule's end, the rule's
  counted-noun end (``noun``), the clause end, and inside the next 40 characters each list or
  stop word (``punct``, ``stop``) and verb start (``verb``).

A span holds one number: its left boundary is never before the previous anchor and its right
never after the next. 97% of the gold OUTCOME spans are among the candidates.

Features: of the anchor (rule or new, unit and its class, the characters around the number,
plan/scope/label/measure cues of the rule, the verbs of the clause, the neighbouring anchors and
what separates them) and of the extent (why each boundary was proposed, where it lies against
the rule's, the characters at and around each boundary, whether the span starts at a verb, at
the first verb of the clause, after a prepositional phrase, whether the counted noun holds a
verb or is followed by one).

:meth:`OutcomeDecider.apply` keeps, best first, the candidates that overlap nothing kept, at
most one per anchor, and rebuilds :attr:`RuleAnalysis.outcomes` with the chosen spans, the
anchor's quantity and value, and a metric read off the chosen extent (:func:`metric_of`). An
anchor of the rules is kept down to a lower score (``RULE_MARGIN``), a new one only at a higher
score (``NEW_MARGIN``): trained with balanced classes, the held-out scores of the one gold extent
among an anchor's alternatives run low, and a rule anchor is a result 89% of the time while
a number the rule rejected is one about 20% of the time.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from rectify_nlp.decide.base import Candidate, GoldView, exact_matches
from rectify_nlp.normalizers.numbers import parse_quantity
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.rules.lexicon import RATE_UNITS, TIME_UNITS
from rectify_nlp.rules.outcomes import (
    _BAD_AFTER_NUMBER,
    _BAD_BEFORE,
    _CLAUSE_BREAK,
    _LABEL_NOUN,
    _NOUN_STOP,
    _RE_ACTOR,
    _RE_ADVERB,
    _RE_INSPECTION_SCOPE,
    _RE_LEAD,
    _RE_MEASURE_NOUN,
    _RE_PLAN_AFTER,
    _RE_PLAN_BEFORE,
    _RE_QTY,
    _RE_QUOTED,
    _SENTENCE_BREAK,
    _SUBJECT_FOLLOW,
    OutcomeMention,
    _back_to,
    _counted_noun_end,
    _forward_to,
    _strip_prefix,
)
from rectify_nlp.spans import Span
from rectify_nlp.values import NormalizedValue

__all__ = ["NEW_MARGIN", "RULE_MARGIN", "OutcomeDecider", "metric_of"]

#: share of the threshold below it at which an anchor of the rules is still kept
RULE_MARGIN: Final[float] = 0.6
#: share of the distance from the threshold to 1 above it at which a new anchor is kept
NEW_MARGIN: Final[float] = 0.5

# Verbs an outcome span starts with or its counted noun stops before (召开3次会议, 开展培训12场次,
# 完成3个微型消防站|建设), 新 included (新成立). Not the verbs of a noun-first metric, whose span
# starts before them (警情同比下降28.51%, 挂牌企业达到14家). A list of literals: linear.
_VERBS = """
召开 开展 完成 组织 出动 巡查 下设 培训 新增 发出 抓获 清理 主持 协助 参与 立案 派发 举办 建立
研究 发动 发放 走访 检查 解决 设置 提醒 收集 处理 整治 扣押 冻结 约谈 组成 推动 制定 深入 成立
提请 作出 做出 劝离 张贴 提出 报送 安装 查处 查办 办理 办结 受理 审结 接待 开通 拆除 整改 处置
督办 督促 排查 发现 投入 配备 聘请 选派 印发 出台 新建 改造 打掉 侦破 追究 给予 问责 移送
收到 慰问 帮扶 落实 推进 实现 宣传 讲授 举行 签订 回收 收回 清退 追回 挽回 退还 返还 补缴 核查
核实 谈话 函询 通报 曝光 公示 印制 发送 推送 编印 制作 创建 设立 组建 培育 引进 吸纳 发展 招聘
录用 调整 撤换 提拔 任用 交流 轮岗 整顿 关停 取缔 清查 清除 清运 修复 修缮 维修 更换 铺设 种植
建设 建成 开工 竣工 完工 投用 启用 上线 覆盖 惠及 服务 入户 调研 督导 督查 抽查 暗访 审计 审核
审查 审议 审定 修订 修改 废止 完善 梳理 分解 形成 列入 纳入 处分 查扣 查获 破获 逮捕 起诉 判决
执行 追缴 收缴 没收 罚款 处罚 劝导 教育 警示 批评 诫勉 免职 降职 撤职 开除 挽救 化解 调解 办件
讲党课 授课 讲课 学习 参加 列席 观看 参观 举报 反映 回复 答复 反馈 交办 转办 移交 督察 考核 评选
表彰 奖励 命名 认定 评定 确定 选树 选拔 储备 充实 补齐 配齐 增加 增设 增补 减少 压减 压缩 节约
降低 提升 提高 发布 刊发 刊登 播出 报道 编发 转发 下发
印送 推广 开设 上报 聚焦 召集 对接 沟通 协调 走访慰问 联系 带领 带队 督办 拨付 发放 兑现 支付
筹集 争取 募集 捐赠 捐款 安置 吸收 就业 培养 发展党员 转正 接收 整合 合并 撤并 撤销 清收 追讨
清欠 偿还 化解 出具 颁发 核发 办证 注册 登记 备案 验收 评估 测评 考察 约见 面谈 走访调研
治理 加快 蹲守 担任 提交 进入 进行 开始 抽调 明确
""".split()
_RE_VERB = re.compile("新?(?:" + "|".join(sorted(set(_VERBS), key=lambda v: (-len(v), v))) + ")")
#: a left boundary may follow these (list items, brackets, quotes)
_LIST_BREAK: Final = frozenset("、()\uff08\uff09和及与并“”《》")
#: a right boundary may come before these
_RIGHT_STOP: Final = frozenset("、()\uff08\uff09“”《》等的和及与并")
#: how far past the quantity a counted noun is looked for
_MAX_NOUN: Final[int] = 40
_MEASURES: Final = frozenset(
    "米 延米 千米 公里 平方米 平米 万平方米 平方公里 平方千米 立方米 万立方米 方 亩 万亩 公顷 吨 万吨 "
    "千克 公斤 斤 克 升 千瓦 千瓦时 度".split())
_PREPS: Final = frozenset("对向在由为从以将与于按据经")
_RE_PREP = re.compile(r"对|向|在|由|为|从|与|根据|围绕|按照|依照|通过|针对|结合|就|以|将")
_RE_INSP = re.compile(r"巡视|巡察|反馈|指出|交办|梳理|查摆|认领")
#: manner adverbs the guidelines leave out of a span, like 共 and 先后 (成功[协助处置…4起])
_RE_MANNER = re.compile(r"成功|积极|依法|迅速|主动|及时|认真|全力|扎实|切实|专门|亲自|集中|全面|有效|陆续|同步|分别|多次|专题")
_RE_PROBLEM_AFTER = re.compile(r"[^,;。]{0,6}?(?:问题|措施|举措|任务|意见|建议)")


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True)
class _Anchor:
    """A number with its unit, the clause around it and the rule's mention of it (if any)."""

    qs: int
    qe: int
    value: NormalizedValue
    mention: OutcomeMention | None
    clause_start: int
    clause_end: int
    pre: str | None
    post: str | None
    arabic: bool


@dataclass(frozen=True)
class _Extent:
    """What a candidate stands for: its anchor, why each boundary was proposed, the anchors
    before and after."""

    anchor: _Anchor
    left: frozenset[str]
    right: frozenset[str]
    index: int
    prev: _Anchor | None
    next: _Anchor | None


class _Intervals:
    """Sorted, merged intervals; ``hits(s, e)``: whether ``[s, e)`` overlaps one."""

    def __init__(self, spans: Sequence[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(spans):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self.starts = [s for s, _ in merged]
        self.ends = [e for _, e in merged]

    def hits(self, s: int, e: int) -> bool:
        i = bisect.bisect_left(self.starts, e) - 1
        return i >= 0 and self.ends[i] > s

    def add(self, s: int, e: int) -> None:
        """Add ``[s, e)``, which must not overlap any interval held (check :meth:`hits`
        first): O(log n) to find its place, so choosing among many outcomes stays linear-ish.

        >>> t = _Intervals([]); t.add(5, 8); t.add(0, 2)
        >>> [t.hits(a, b) for a, b in ((2, 5), (1, 3), (7, 9), (8, 10), (0, 20))]
        [False, True, True, False, True]
        """
        i = bisect.bisect_left(self.starts, s)
        self.starts.insert(i, s)
        self.ends.insert(i, e)


def _excluded(analysis: RuleAnalysis) -> list[tuple[int, int]]:
    """What the outcome rule may not overlap (as :func:`~rectify_nlp.rules.analysis.analyze`
    gives it): dates, contacts, summary evidence, the header sentence and the round."""
    spans: list[Span] = [d.span for d in analysis.dates]
    if analysis.contacts is not None:
        spans.extend(analysis.contacts.spans())
    if analysis.summary is not None:
        spans.extend(analysis.summary.evidence)
    if analysis.header is not None:
        spans.extend(s for s in analysis.header.evidence if s.label == "HEADER")
        if analysis.header.round is not None:
            spans.append(analysis.header.round)
    return [(s.start, s.end) for s in spans]


def _clause(text: str, qs: int) -> tuple[int, int]:
    cs = _back_to(text, qs, _CLAUSE_BREAK)
    if cs == qs and qs > 0 and text[qs - 1] in ":\uff1a":
        cs = _back_to(text, qs - 1, _CLAUSE_BREAK)  # 整改完成率:100%
    return cs, _forward_to(text, qs, _CLAUSE_BREAK)


def _anchors(text: str, analysis: RuleAnalysis) -> list[_Anchor]:
    """The rules' quantities, then the Arabic numbers with a unit (or a rate) the rule rejected,
    by position."""
    out: list[_Anchor] = []
    for o in analysis.outcomes:
        qs, qe = o.quantity.start, o.quantity.end
        m = _RE_QTY.match(text, qs + 1 if text[qs:qs + 1] == "第" else qs)
        cs, ce = _clause(text, qs)
        out.append(_Anchor(qs, qe, o.value, o, cs, max(ce, o.span.end),
                           m.group("pre") if m else None, m.group("post") if m else None,
                           text[qs:qs + 1].isdigit()))
    taken = _Intervals([(a.qs, a.qe) for a in out])
    excluded = _Intervals(_excluded(analysis))
    for m in _RE_QTY.finditer(text):
        num = m.group("num") or m.group("pnum") or ""
        unit = m.group("unit")
        if m.end() == m.start() or not num[:1].isdigit() or unit in TIME_UNITS:
            continue  # Chinese numerals the rule rejects (两个维护, 一期工程) are almost never results
        if unit is None and m.group("pct") is None and "/" not in num:
            continue
        qs, qe = m.start(), m.end()
        if taken.hits(qs, qe) or excluded.hits(qs, qe):
            continue
        before = text[qs - 1] if qs else ""
        num_end = m.end("num") if m.group("num") is not None else m.end("pnum")
        after = text[num_end:num_end + 1]
        if before in _BAD_BEFORE or before == "第" or (after and after in _BAD_AFTER_NUMBER):
            continue
        value = parse_quantity(m.group(0))
        if value is None or not isinstance(value.value, (int, float)):
            continue
        cs, ce = _clause(text, qs)
        out.append(_Anchor(qs, qe, value, None, cs, ce, m.group("pre"), m.group("post"), True))
    out.sort(key=lambda a: a.qs)
    return out


def _left_bounds(text: str, a: _Anchor, analysis: RuleAnalysis) -> dict[int, set[str]]:
    """Where the span of anchor ``a`` may start, each with why."""
    qs, lo = a.qs, a.clause_start
    found: dict[int, set[str]] = {}

    def add(pos: int, why: str) -> None:
        if lo <= pos <= qs:
            found.setdefault(pos, set()).add(why)

    add(qs, "num")
    if a.mention is not None:
        add(a.mention.span.start, "rule")
    add(lo, "clause")
    for i in range(lo, qs):
        if text[i] in _LIST_BREAK:
            add(i + 1, "punct")
        if _RE_VERB.match(text, i, qs):
            add(i, "verb")
    m = _RE_LEAD.match(text, lo, qs)
    if m is not None:
        add(m.end(), "lead")
    for m in _RE_ADVERB.finditer(text, lo, qs):
        add(m.end(), "adverb")
    for m in _RE_ACTOR.finditer(text, lo, qs):
        add(m.end(), "actor")
    for d in analysis.dates:
        if lo <= d.span.end <= qs:
            add(d.span.end, "date")
    add(min(_strip_prefix(text, lo, qs), qs), "strip")
    return found


def _right_bounds(text: str, a: _Anchor) -> dict[int, set[str]]:
    """Where the span of anchor ``a`` may end, each with why."""
    qe = a.qe
    hi = min(a.clause_end, qe + _MAX_NOUN)
    lowest = qe - len(a.post or "")
    found: dict[int, set[str]] = {}

    def add(pos: int, why: str) -> None:
        if lowest <= pos <= max(hi, qe):
            found.setdefault(pos, set()).add(why)

    add(qe, "qty")
    if a.post:
        add(lowest, "nopost")
    if a.mention is not None:
        add(a.mention.span.end, "rule")
    add(_counted_noun_end(text, qe), "noun")
    add(a.clause_end, "clause")
    for i in range(qe + 1, hi):
        if text[i] in _RIGHT_STOP:
            add(i, "punct")
        if _NOUN_STOP.match(text, i):
            add(i, "stop")
        if _RE_VERB.match(text, i, hi):
            add(i, "verb")
    return found


class OutcomeDecider:
    """Chooses the extent of each quantified outcome, or drops the number.

    >>> from rectify_nlp.rules.analysis import analyze
    >>> text = "巡察整改以来,区委成立4个督查小组,累计开展督导12次。"
    >>> d = OutcomeDecider()
    >>> candidates = d.propose(text, analyze(text))
    >>> spans = {text[c.start:c.end] for c in candidates if c.group == 0}
    >>> {"区委成立4个督查小组", "成立4个督查小组", "4个督查小组", "4个"} <= spans
    True
    """

    name = "outcomes"

    def propose(self, text: str, analysis: RuleAnalysis) -> list[Candidate]:
        """Every left boundary of each anchor crossed with every right boundary; one group per
        anchor."""
        out: list[Candidate] = []
        found = _anchors(text, analysis)
        for k, a in enumerate(found):
            prev = found[k - 1] if k else None
            nxt = found[k + 1] if k + 1 < len(found) else None
            # a span holds one number: it reaches back over no anchor and on over none
            floor = prev.qe if prev is not None else 0
            ceiling = nxt.qs if nxt is not None else len(text)
            lefts = {p: w for p, w in _left_bounds(text, a, analysis).items() if p >= floor}
            rights = {p: w for p, w in _right_bounds(text, a).items() if p <= ceiling}
            origin = "rules" if a.mention is not None else "anchor"
            for lo in sorted(lefts, reverse=True):  # from the number outwards
                for hi in sorted(rights):
                    lw, rw = lefts[lo], rights[hi]
                    out.append(Candidate(
                        lo, hi, "OUTCOME",
                        f"outcomes.{origin}:{'+'.join(sorted(lw))}/{'+'.join(sorted(rw))}", k,
                        _Extent(a, frozenset(lw), frozenset(rw), k, prev, nxt)))
        return out

    def features(self, text: str, analysis: RuleAnalysis,
                 candidates: Sequence[Candidate]) -> list[list[str]]:
        """The anchor's features (computed once per group) and the extent's."""
        per_anchor: dict[int, list[str]] = {}
        out = []
        for c in candidates:
            x: _Extent = c.ref
            af = per_anchor.get(x.index)
            if af is None:
                af = per_anchor[x.index] = _anchor_features(text, x)
            out.append(af + _extent_features(text, x, c.start, c.end))
        return out

    def gold(self, candidates: Sequence[Candidate], gold: GoldView) -> list[int]:
        """1 where the candidate's span is a gold OUTCOME span, exactly."""
        return exact_matches(candidates, gold, "OUTCOME")

    def apply(self, text: str, analysis: RuleAnalysis, candidates: Sequence[Candidate],
              scores: Sequence[float], threshold: float) -> RuleAnalysis:
        """``analysis`` with its outcomes rebuilt from the kept candidates: best first, at most
        one per anchor, none overlapping another (an anchor whose best overlaps a better outcome
        falls back on its next best); a rule anchor is kept from ``threshold * (1 -
        RULE_MARGIN)``, a new one from ``threshold + (1 - threshold) * NEW_MARGIN``."""
        rule_t = threshold * (1.0 - RULE_MARGIN)
        new_t = threshold + (1.0 - threshold) * NEW_MARGIN
        order = sorted(
            (i for i, s in enumerate(scores)
             if s >= (rule_t if candidates[i].ref.anchor.mention is not None else new_t)),
            key=lambda i: (-scores[i], i))
        chosen: list[Candidate] = []
        score_of: dict[int, float] = {}
        done: set[int] = set()
        taken = _Intervals([])  # the chosen spans: testing each one was quadratic
        for i in order:
            c = candidates[i]
            if c.group in done or taken.hits(c.start, c.end):
                continue
            taken.add(c.start, c.end)
            chosen.append(c)
            score_of[id(c)] = scores[i]
            done.add(c.group)
        chosen.sort(key=lambda c: (c.start, c.end))
        return replace(analysis, outcomes=tuple(_mention(text, c, score_of[id(c)])
                                                for c in chosen))


def metric_of(text: str, anchor: _Anchor, start: int, end: int) -> str:
    """The metric of an outcome spanning ``start..end`` around ``anchor``, as the outcome rule
    writes one: the span's text without the quantity (its own mention's metric where the span
    is the rule's). A span that starts at the number takes what comes before it from the rule's
    mention, else from its clause after the rule's lead-ins (对河堤旁的[2处违建]: 河堤旁的违建)."""
    a = anchor
    if a.mention is not None and (start, end) == (a.mention.span.start, a.mention.span.end):
        return a.mention.metric
    noun = text[a.qe:end]
    if start < a.qs:
        head = text[start:a.qs].rstrip(":\uff1a")
    elif a.mention is not None and a.mention.span.start < a.qs:
        head = text[a.mention.span.start:a.qs]
    elif a.mention is not None and not noun:
        return a.mention.metric  # 分别增长16.6%: the rule's metric from the context
    else:
        head = text[min(_strip_prefix(text, a.clause_start, a.qs), a.qs):a.qs]
    return (head + noun).strip().strip("、, ")


def _mention(text: str, c: Candidate, score: float | None = None) -> OutcomeMention:
    """The outcome the rules would have made of ``c``'s extent; with ``score``, its span is
    marked as the model's decision (``source="model"``) with that probability."""
    a: _Anchor = c.ref.anchor
    span = Span(c.start, c.end, "OUTCOME", text[c.start:c.end])
    if score is not None:
        span = replace(span, source="model", score=round(float(score), 4))
    return OutcomeMention(
        span=span,
        quantity=Span(a.qs, a.qe, "QUANTITY", text[a.qs:a.qe]),
        value=a.value,
        metric=metric_of(text, a, c.start, c.end),
    )


# --------------------------------------------------------------------------- features


def _bucket(n: int) -> str:
    for b in (0, 1, 2, 3, 5, 8, 12, 20):
        if n <= b:
            return str(b)
    return "more"


def _unit_class(unit: str | None) -> str:
    if unit is None:
        return "none"
    if unit in RATE_UNITS:
        return "rate"
    if unit in TIME_UNITS:
        return "time"
    if unit.endswith("元"):
        return "money"
    if unit in _MEASURES:
        return "measure"
    return "count"


def _verbs(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _RE_VERB.finditer(text, lo, hi)] if hi > lo else []


def _starts_prep(text: str, lo: int, hi: int) -> bool:
    """Whether ``text[lo:hi]`` (what a span leaves out of its clause) opens with a preposition,
    after the rule's lead-ins (which may end with one: 截至目前对…)."""
    if hi <= lo:
        return False
    m = _RE_LEAD.match(text, lo, hi)
    if m is None:
        return bool(_RE_PREP.match(text, lo, hi))
    return text[m.end() - 1] in "对在将向从" or bool(_RE_PREP.match(text, m.end(), hi))


def _quoted(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    start = _back_to(text, lo, _SENTENCE_BREAK)
    return [(m.start(), m.end()) for m in _RE_QUOTED.finditer(text, start, hi)]


def _anchor_features(text: str, x: _Extent) -> list[str]:
    """Whether the number is a result at all: shared by the candidates of one anchor."""
    a = x.anchor
    qs, qe, cs, ce = a.qs, a.qe, a.clause_start, a.clause_end
    unit = a.value.unit
    ucls = _unit_class(unit)
    origin = "rule" if a.mention is not None else "new"
    f = [
        f"a:o={origin}", f"a:u={unit}", f"a:uc={ucls}", f"a:uo={unit}|{origin}",
        f"a:pre={a.pre}", f"a:post={a.post}",
        f"a:b1={text[qs - 1:qs]}", f"a:b2={text[max(0, qs - 2):qs]}",
        f"a:a1={text[qe:qe + 1]}", f"a:a2={text[qe:qe + 2]}",
        f"a:b1u={text[qs - 1:qs]}|{ucls}", f"a:a1u={text[qe:qe + 1]}|{ucls}",
    ]
    if not a.arabic:
        f.append("a:cn")
    if a.value.value == 1:
        f.append(f"a:one|{unit}")
    elif a.value.value == 0:
        f.append("a:zero")
    # what made the rule reject a number (for the rule's own anchors these never fire)
    if _RE_PLAN_BEFORE.search(text, cs, qs) or _RE_PLAN_AFTER.search(text[qe:ce]):
        f += ["a:plan", f"a:plan|{origin}"]
    if _RE_INSPECTION_SCOPE.search(text[cs:qs]):
        f.append(f"a:scope|{origin}")
    noun_end = _counted_noun_end(text, qe)
    if _SUBJECT_FOLLOW.match(text, noun_end):
        f.append(f"a:subject|{origin}")
    if noun_end > qe and _LABEL_NOUN.match(text, qe):
        f.append(f"a:label|{origin}")
    if _RE_MEASURE_NOUN.search(text[qe:noun_end]):
        f.append(f"a:measure|{origin}")
    if _RE_INSP.search(text, _back_to(text, qs, _SENTENCE_BREAK), qs):
        f.append(f"a:insp|{ucls}")
    if _RE_PROBLEM_AFTER.match(text, qe):
        f.append("a:prob_after")
    if "分别" in text[cs:qs]:
        f.append("a:dist")
    if any(s < qs and qe <= e for s, e in _quoted(text, cs, ce)):
        f.append("a:quoted")
    verbs = [m.group() for m in _RE_VERB.finditer(text, cs, qs)]
    f += [f"a:v={verbs[0] if verbs else '-'}", f"a:vlast={verbs[-1] if verbs else '-'}",
          f"a:clause={_bucket(qs - cs)}|{origin}"]
    if text[qe:qe + 1] in ("、", "和", "及", "与"):
        f.append("a:list_after")
    # results come in runs (出动214人次,58车次; 协调会12场、专题会4场)
    for side, b in (("prev", x.prev), ("next", x.next)):
        if b is None:
            f.append(f"a:{side}=none")
            continue
        between = text[b.qe:qs] if side == "prev" else text[qe:b.qs]
        sep = ("。" if any(ch in _SENTENCE_BREAK for ch in between)
               else "," if any(ch in _CLAUSE_BREAK for ch in between)
               else "、" if "、" in between else "-")
        borigin = "rule" if b.mention is not None else "new"
        f += [f"a:{side}={borigin}|{sep}|{_bucket(len(between))}", f"a:{side}={borigin}|{sep}"]
    return f


def _extent_features(text: str, x: _Extent, lo: int, hi: int) -> list[str]:
    """Where the span starts and ends: the candidate's own features."""
    a = x.anchor
    qs, qe, cs, ce = a.qs, a.qe, a.clause_start, a.clause_end
    unit = a.value.unit
    ucls = _unit_class(unit)
    f = [f"l:w={w}" for w in x.left] + [f"r:w={w}" for w in x.right]
    lw = "num" if lo == qs else ("rule" if "rule" in x.left else "+".join(sorted(x.left)))
    rw = "qty" if hi == qe else ("rule" if "rule" in x.right else "+".join(sorted(x.right)))
    f += [f"lr:{lw}/{rw}", f"lr:rule={int('rule' in x.left)}{int('rule' in x.right)}"]
    # the boundaries against the rule's own
    lrel = rrel = "?"
    if a.mention is not None:
        rs, r_e = a.mention.span.start, a.mention.span.end
        lrel = "=" if lo == rs else "<" if lo < rs else ">"
        rrel = "=" if hi == r_e else "<" if hi < r_e else ">"
        f.append(f"lr:rel={lrel}{rrel}")

    # the left boundary: what the span leaves out of its clause, and what it takes in
    out_verbs = _verbs(text, cs, lo)
    in_verbs = _verbs(text, lo, qs)
    shape = (("V" if in_verbs and in_verbs[0][0] == lo else "v" if in_verbs else "-")
             + ("V" if out_verbs else "-"))
    f += [f"l:shape={shape}", f"l:shape={shape}|{ucls}", f"l:shape={shape}|{lrel}"]
    if lo == cs:
        f.append("l:at_clause")
    if _starts_prep(text, cs, lo):
        f.append(f"l:out_prep|{shape}")
    if lo < qs:
        f += [f"l:c1={text[lo]}", f"l:c2={text[lo:lo + 2]}", f"l:p1={text[lo - 1:lo]}",
              f"l:len={_bucket(qs - lo)}"]
        if lo > cs:
            f.append(f"l:p2={text[max(cs, lo - 2):lo]}")
        if text[lo] in _PREPS:
            f.append("l:in_prep_start")
        elif any(text[i] in _PREPS for i in range(lo, qs)):
            f.append("l:in_prep")
        if _RE_ACTOR.search(text, lo, qs):
            f.append("l:in_actor")
        if _RE_ADVERB.match(text, lo, qs):
            f.append("l:in_adverb_start")
        if _RE_MANNER.match(text, lo, qs):
            f.append("l:at_manner")
        if lo - 2 >= cs and _RE_MANNER.match(text, lo - 2, lo):
            f.append("l:after_manner")
        f += [f"l:has={ch}" for ch in "、,()和的" if ch in text[lo:qs]]
    else:
        f += [f"l:numfirst|{unit}", f"l:numfirst_p1={text[qs - 1:qs]}"]
        if _starts_prep(text, cs, qs) or (out_verbs and text[qs - 1:qs] in _PREPS):
            f.append("l:numfirst_after_prep")
        if not out_verbs:
            f.append("l:numfirst_subject")

    # the right boundary: the counted noun the span takes in, and what follows it
    next_verb = bool(_RE_VERB.match(text, hi, ce))
    if next_verb:
        f.append("r:next_verb")
    if _NOUN_STOP.match(text, hi):
        f.append("r:next_stop")
    if hi >= ce:
        f += [f"r:clause_end|{ucls}", f"r:clause_end|{rrel}"]
    if hi > qe:
        f += [f"r:e1={text[hi - 1]}", f"r:n1={text[hi:hi + 1]}", f"r:n2={text[hi:hi + 2]}",
              f"r:len={_bucket(hi - qe)}", f"r:u={unit}|noun",
              f"r:noun_verb={min(len(_verbs(text, qe, hi)), 2)}|{lo == qs}",
              f"r:noun_left={lo < qs}|{ucls}"]
        f += [f"r:has={ch}" for ch in "的、()和及等“" if ch in text[qe:hi]]
    else:
        f += [f"r:bare|{unit}", f"r:n1={text[hi:hi + 1]}", f"r:n2={text[hi:hi + 2]}",
              f"r:bare_left={lo < qs}"]
        if _counted_noun_end(text, qe) > qe:
            f.append("r:bare_before_noun")
    f.append(f"lr:shape={shape}|{'N' if hi > qe else '-'}|{int(next_verb)}")
    return f
