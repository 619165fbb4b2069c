"""The outline-role decider: which numbered headings of a notice state the problems it reports.

The outline rules (:mod:`rectify_nlp.rules.outline`) number, nest and classify every heading
and choose the problems from the heading's wording (针对X的问题, X方面问题, a statement with a
status) and from its place (the items of the section of problems). Their errors on the corpus
are of three kinds:

* headings of tasks and of how the work was organised taken for problems, where the
  work-organisation lexicon does not reach (提高站位抓部署, 健全工作机制, 以强烈使命担当狠抓落实);
* problems left as the items of a problem above them: the numbered items under an aspect
  heading that is itself worded as a problem (``(一)…有缺失…方面`` then ``1.…不到位``), or under
  a category the rules took for a problem;
* statements read off the wrong characters: ``(一)反馈问题:X`` (the statement is X, after the
  colon), a quotation mark left at one end (``关于“甲,“乙”丙”问题``).

This decider proposes every outline node as a problem (but the 一是/① items the rules do not
frame as problems: measures), each with the statement extents it could have (one ``group`` per
node, at most one kept): the rules' own (``outline.rules``), the whole heading
(``outline.heading``), the heading without its framing (关于/针对…的问题, quotation marks, 方面:
``outline.tidy``) and the text after a label's colon (``outline.after_colon``). On the 124
corpus notices these hold 195 of the 197 gold problem statements exactly (the other two are
not outline nodes: an unnumbered 针对… line the parser drops, a 反馈问题一: line). Features
describe the wording (words of shortcomings against words of tasks and of work organisation),
the place (siblings of the same numbering, the parent, the nearest heading above that says what
it holds, the top section), the body (children, a status, labels such as 整改情况:, outcomes) and
the extent, and every one is conjoined with the rules' decision, so that the model learns where
the rules go wrong and otherwise follows them. :meth:`OutlineRoleDecider.apply` rebuilds
the outline's problems from the chosen nodes with
:func:`~rectify_nlp.rules.outline.outline_with_problems`: levels, parents among the chosen
problems, categories (the nearest category heading above), statuses and measures are derived
exactly as the rules derive them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Final

from rectify_nlp.decide.base import Candidate, GoldView, best_of_groups
from rectify_nlp.evaluation.matching import char_f1
from rectify_nlp.rules import outline as outline_rules
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.rules.outline import (
    NodeReading,
    Outline,
    OutlineNode,
    outline_with_problems,
    read_outline,
)

__all__ = ["OutlineRoleDecider"]

#: the evaluation's threshold for a predicted problem statement to match a gold one
_MATCH: Final[float] = 0.7
_MAX_AFTER_COLON: Final[int] = 200
_TRIM: Final[str] = " \t\u3000\u00a0,，、.．。:：;；!?！？\n"
_OPEN_QUOTES: Final[str] = "“\"「‘『"
_CLOSE_QUOTES: Final[str] = "”\"」’』"
_LEADS: Final[tuple[str, ...]] = ("关于", "针对", "对于")
_TAILS: Final[tuple[str, ...]] = (
    "的整改情况", "整改情况", "的整改", "方面存在的问题", "方面的问题", "方面问题", "存在的问题",
    "等问题", "的问题", "问题", "方面",
)
_STOP_AFTER_COLON = re.compile(r"[。;；!?！？\n]")
# words of the genre, each looked up as a feature of the statement
_SHORTCOMING = outline_rules._SHORTCOMING
_TASK_START = outline_rules._TASK_START
_WORK_ORG = outline_rules._WORK_ORG
_SECTION_PROBLEMS = re.compile(r"问题|整改落实|整改进展|整改情况|落实情况|整改任务|整改事项")
_SECTION_WORK = re.compile(r"组织领导|工作开展|主体责任|思想认识|政治站位|整改工作|加强领导")
_SECTION_NEXT = re.compile(r"下一步|下步|今后|巩固|长效|工作打算|工作计划")
_BODY_LABEL = re.compile(
    r"[ \t\u3000]{0,4}+(?:整改|主要|具体)?(?:措施|举措|情况|进展情况|进展|进度|成效|结果|完成情况|状态)"
    r"(?:及成效)?[ \t\u3000]{0,4}+[:：]"
)
_WORDS: Final[tuple[str, ...]] = (
    "问题", "不够", "不到位", "有待", "缺乏", "不足", "差距", "薄弱", "不强", "不严", "不实", "存在",
    "滞后", "落实不", "仍", "还", "较", "加强", "建立", "完善", "坚持", "健全", "强化", "推进",
    "提高", "提升", "深化", "压实", "抓", "以", "聚焦", "围绕", "方面", "整改", "情况", "工作",
    "机制", "责任", "领导", "推动", "确保", "持续", "着力", "严格", "落实", "制度",
)


@dataclass(frozen=True)
class _Notice:
    """One notice's outline as the rules read it, shared by its candidates."""

    text: str
    outline: Outline
    readings: tuple[NodeReading, ...]
    children: tuple[tuple[int, ...], ...]
    top: tuple[int, ...]
    shortcoming: tuple[bool, ...]
    outcome_starts: tuple[int, ...]


@dataclass(frozen=True)
class _Ref:
    notice: _Notice
    node: int
    kinds: tuple[str, ...]


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


def _tidy(text: str, s: int, e: int) -> tuple[int, int]:
    """``(s, e)`` without the framing around a statement: 关于/针对, …的问题, 方面, 的整改情况,
    quotation marks at either end (also a lone one), punctuation."""
    for _ in range(8):
        s, e = _trim(text, s, e)
        seg = text[s:e]
        lead = next((w for w in _LEADS if seg.startswith(w) and len(seg) > len(w) + 1), None)
        if lead is not None:
            s += len(lead)
            continue
        tail = next((w for w in _TAILS if seg.endswith(w) and len(seg) > len(w) + 1), None)
        if tail is not None:
            e -= len(tail)
            continue
        if len(seg) > 2 and seg[0] in _OPEN_QUOTES:
            s += 1
            continue
        if len(seg) > 2 and seg[-1] in _CLOSE_QUOTES:
            e -= 1
            continue
        break
    return s, e


def _after_colon(text: str, heading_end: int, end: int) -> tuple[int, int] | None:
    """The text after the colon that ends a heading (反馈问题:X), to the end of its sentence."""
    a = heading_end
    while a < end and text[a] in " \t\u3000\u00a0":
        a += 1
    if a >= end or text[a] not in ":：":
        return None
    a += 1
    limit = min(end, a + _MAX_AFTER_COLON)
    m = _STOP_AFTER_COLON.search(text, a, limit)
    s, e = _trim(text, a, m.start() if m else limit)
    return (s, e) if e - s >= 2 else None


def _extents(text: str, notice: _Notice, i: int) -> dict[tuple[int, int], list[str]]:
    """The statement extents node ``i`` could have, each with the names of what proposed it."""
    node, reading = notice.outline.nodes[i], notice.readings[i]
    out: dict[tuple[int, int], list[str]] = {}

    def add(span: tuple[int, int] | None, kind: str) -> None:
        if span is None:
            return
        s, e = span
        if e - s >= 2 and node.start <= s and e <= node.end and text[s:e].strip():
            kinds = out.setdefault((s, e), [])
            if kind not in kinds:
                kinds.append(kind)

    add(reading.statement, "rules")
    add((node.heading.start, node.heading.end), "heading")
    add(_tidy(text, *reading.statement), "tidy")
    add(_tidy(text, node.heading.start, node.heading.end), "tidy")
    add(_after_colon(text, node.heading.end, node.end), "after_colon")
    return out


def _bucket(n: int, edges: Sequence[int]) -> str:
    for edge in edges:
        if n <= edge:
            return f"<={edge}"
    return f">{edges[-1]}"


def _notice(text: str, analysis: RuleAnalysis) -> _Notice:
    outline, readings = read_outline(text)
    nodes = outline.nodes
    children: list[list[int]] = [[] for _ in nodes]
    top: list[int] = []
    for i, n in enumerate(nodes):
        if n.parent is not None:
            children[n.parent].append(i)
        top.append(i if n.parent is None else top[n.parent])
    shortcoming = tuple(bool(_SHORTCOMING.search(n.heading.text)) for n in nodes)
    return _Notice(
        text=text, outline=outline, readings=readings, children=tuple(tuple(c) for c in children),
        top=tuple(top), shortcoming=shortcoming,
        outcome_starts=tuple(sorted(o.span.start for o in analysis.outcomes)),
    )


def _ancestors(nodes: Sequence[OutlineNode], i: int) -> list[int]:
    out = []
    p = nodes[i].parent
    while p is not None:
        out.append(p)
        p = nodes[p].parent
    return out


def _words(prefix: str, s: str) -> list[str]:
    return [f"{prefix}w={w}" for w in _WORDS if w in s]


_INLINE: Final[frozenset[str]] = frozenset({"enum", "circled"})


def _features(text: str, notice: _Notice, i: int, span: tuple[int, int],
              kinds: Sequence[str]) -> list[str]:
    """The features of one candidate extent of node ``i``, each conjoined with the rules'
    decision: ``P:`` the rules' own problem statement, ``p:`` another extent of a node the rules
    take for a problem, ``n:`` a node they do not. The model thus learns where the rules go
    wrong, and follows them where it has seen nothing like the node (on 124 notices, most of
    the problems are in four; a model free to re-learn the rules from the rest forgets them)."""
    nodes, readings = notice.outline.nodes, notice.readings
    node, reading = nodes[i], readings[i]
    x = text[span[0]:span[1]]
    head = node.heading.text
    rules_ext = span == reading.statement
    short = bool(_SHORTCOMING.search(x))
    task = bool(_TASK_START.match(x))
    # the rules' reading and the extent
    f = ["bias", f"rules_ext={rules_ext}", f"kind={reading.kind}",
         f"role={reading.role or 'out'}"]
    f += [f"ext={k}" for k in kinds]
    # the wording: shortcomings (不够, 不到位, 有待, 缺乏…) against tasks (加强, 建立, 完善…)
    f += [f"short={short}", f"task={task}", f"work={bool(_WORK_ORG.search(x))}",
          f"short_task={short}|{task}", f"quoted={x[:1] in _OPEN_QUOTES}",
          f"h_has_wenti={'问题' in head}"]
    f += _words("x", x)
    # the siblings of the same numbering: problems come in lists of problems
    siblings = (notice.children[node.parent] if node.parent is not None
                else tuple(j for j, n in enumerate(nodes) if n.parent is None))
    same = [j for j in siblings if nodes[j].style == node.style]
    f.append(f"nsib={_bucket(len(same), (1, 2, 4, 8))}")
    if same:
        share = sum(notice.shortcoming[j] for j in same) / len(same)
        sib_problem = sum(readings[j].role == "problem" for j in same) / len(same)
        sib_work = sum(readings[j].kind == "workorg" for j in same) / len(same)
        f += [f"sib_short={_bucket(round(4 * share), (0, 1, 2, 3))}",
              f"sib_short_self={_bucket(round(4 * share), (0, 1, 3))}|{short}",
              f"sib_problem={_bucket(round(4 * sib_problem), (0, 1, 2, 3))}",
              f"sib_work={_bucket(round(4 * sib_work), (0, 1, 2))}"]
    # the parent
    if node.parent is not None:
        p, pr = nodes[node.parent], readings[node.parent]
        f += [f"p_kind={pr.kind}", f"p_role={pr.role or 'out'}", f"p_style={p.style}",
              f"p_short={notice.shortcoming[node.parent]}",
              f"p_short_self={notice.shortcoming[node.parent]}|{short}",
              f"p_fangmian={p.heading.text.endswith('方面')}"]
    else:
        f.append("p=none")
    # the nearest heading above that says what it holds (a problem, an aspect, the organisation
    # of the work…): under a heading of how the work was organised (组织整改落实情况,
    # 加强组织领导) items are tasks, not problems, whatever their wording
    near = next((readings[a].kind for a in _ancestors(nodes, i)
                 if readings[a].kind != "plain"), "none")
    work_above = near == "workorg"
    top = nodes[notice.top[i]].heading.text
    f += [f"anc_work={work_above}", f"task_anc_work={task}|{work_above}",
          f"short_anc_work={short}|{work_above}", f"kind_anc_work={reading.kind}|{work_above}",
          f"near={near}", f"near_kind={near}|{reading.kind}",
          f"sec_problems={bool(_SECTION_PROBLEMS.search(top))}",
          f"sec_work={bool(_SECTION_WORK.search(top))}",
          f"sec_next={bool(_SECTION_NEXT.search(top))}", f"in_section={reading.role is not None}"]
    # the children and the body: measures, a status, labels (整改情况:), outcomes
    kids = notice.children[i]
    f.append(f"kids={_bucket(len(kids), (0, 1, 3, 6))}")
    f += [f"kid_style={k}" for k in sorted({nodes[c].style for c in kids})]
    if kids:
        kid_short = sum(notice.shortcoming[c] for c in kids) / len(kids)
        f += [f"kid_short={_bucket(round(4 * kid_short), (0, 1, 2, 3))}",
              f"kid_problem={any(readings[c].role == 'problem' for c in kids)}"]
    body_end = nodes[kids[0]].start if kids else node.end
    body = text[reading.body:body_end] if reading.body < body_end else ""
    starts = notice.outcome_starts  # sorted: count those inside the node by bisection
    outcomes = bisect.bisect_left(starts, node.end) - bisect.bisect_left(starts, node.start)
    # a heading the end of the text cuts (the page shows only the opening of the notice) does
    # not state a whole problem
    cut = not text[node.heading.end:].strip(_TRIM)
    f += [f"cut={cut}", f"status={reading.status is not None}",
          f"status_label={reading.status_label}",
          f"body={_bucket(len(body.strip()), (0, 20, 100, 400))}",
          f"body_label={bool(_BODY_LABEL.match(body.lstrip()))}",
          f"outcomes={_bucket(outcomes, (0, 1, 3))}"]
    r = ("P" if rules_ext else "p") if reading.role == "problem" else "n"
    return [f"{r}:{x}" for x in dict.fromkeys(f)]


class OutlineRoleDecider:
    """Which outline nodes are problems, and which characters state each one."""

    name = "outline"

    def propose(self, text: str, analysis: RuleAnalysis) -> list[Candidate]:
        """Every outline node with each statement extent it could have (one group a node)."""
        if analysis.outline is None or not analysis.outline.nodes:
            return []
        notice = _notice(text, analysis)
        out: list[Candidate] = []
        for i, node in enumerate(notice.outline.nodes):
            # a 一是/① item is a problem only where the rules frame it as one; the rest are
            # measures (thousands of them, and no problem among them in the corpus)
            if node.style in _INLINE and notice.readings[i].role != "problem":
                continue
            for (s, e), kinds in _extents(text, notice, i).items():
                out.append(Candidate(s, e, "PROBLEM", "outline." + kinds[0], group=i,
                                     ref=_Ref(notice, i, tuple(kinds))))
        return out

    def features(self, text: str, analysis: RuleAnalysis,
                 candidates: Sequence[Candidate]) -> list[list[str]]:
        """The heading, its place, its body and the rules' reading of it, per candidate."""
        return [_features(text, c.ref.notice, c.ref.node, (c.start, c.end), c.ref.kinds)
                for c in candidates]

    def gold(self, candidates: Sequence[Candidate], gold: GoldView) -> list[int]:
        """1 for a candidate whose span is a gold PROBLEM span; a gold span no candidate hits
        exactly labels the candidate that matches it best as the evaluation matches problems
        (statement char-F1 at least 0.7), so that the node is still learnt as a problem."""
        spans = gold.spans("PROBLEM")
        labels = [int((c.start, c.end) in spans) for c in candidates]
        hit = {(c.start, c.end) for c, y in zip(candidates, labels) if y}
        for s, e in spans - hit:
            best, best_f = -1, _MATCH
            for k, c in enumerate(candidates):
                if c.end <= s or e <= c.start:
                    continue
                t = c.ref.notice.text
                f1 = char_f1(t[s:e], t[c.start:c.end])
                if f1 >= best_f:
                    best, best_f = k, f1
            if best >= 0:
                labels[best] = 1
        return labels

    def apply(self, text: str, analysis: RuleAnalysis, candidates: Sequence[Candidate],
              scores: Sequence[float], threshold: float) -> RuleAnalysis:
        """The outline rebuilt with the best extent of each node scored at or above
        ``threshold`` as its problems."""
        if analysis.outline is None:
            return analysis
        kept = best_of_groups(candidates, scores, threshold)
        statements = {candidates[k].ref.node: (candidates[k].start, candidates[k].end)
                      for k in kept}
        return replace(analysis, outline=outline_with_problems(text, statements))
