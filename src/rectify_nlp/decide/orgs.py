"""The ORG decider: which organisation spans a notice names, and where each one starts and ends.

The ORG rule (:mod:`rectify_nlp.rules.orgs`) keeps a name only when its head makes it specific
and reads the head leftwards to the first boundary. On the 124 gold notices its ORG entities
(with the header's and the signature's) score P 0.868 R 0.813 F 0.840; of the 224 gold ORG
spans it misses, 154 it finds no part of (names it filters out: 古镇镇党委, 市委第六轮巡察组,
团县委; places that stand for the inspected body: 巡视组向[郑州市]反馈; lists of places; names
with a parenthesis), 49 it cuts short (市政协|党组, 大朗镇|巡察整改工作领导小组) and 19 it
reads too long (领会|省委巡视组, 1场|区委常委会); 78 of its spans are spurious (集团党委 and
other self-references, source lines, generic bodies). This decider proposes:

* the rules' own ORG spans (``orgs.find_orgs``, ``header.inspector``, ``header.targets``,
  ``signature.publisher``; joined with ``+`` when several propose the same span);
* ``alt.suffix`` / ``alt.extra``: every organ suffix of the text (the rule's list, and suffixes
  it does not read: inspection groups with an ordinal, 专班, 领导小组, 工作小组, 督导组,
  纪检监察组, 机关, 督查室 …) with every plausible start of its head — the start of the run of
  characters before it (a parenthesis read over: 光明食品(集团)有限公司委员会; coordinated
  ordinals: 第二、五巡察组), and inside it each position after a boundary word or a counter, at
  中共, at a level word (省 市 县 区 州, 最高) and at the suffix itself (政协). These are the
  longer and shorter left extents of the rules' names and the names the rules drop; starts that
  were never gold in the corpus are not proposed (after a place unit: 荔湾区|政府; mid-word
  except at a level word; a piece of a rule span; a longer or shorter extent the rule would not
  call specific);
* ``alt.object``: the object of 向X反馈 / 对X开展…巡视 / 对X的巡视, often a place;
* ``alt.list``: short items of a list (、) that end in a place unit (站前街、西村街);
* ``alt.place``: the notice's own place names (the place prefixes of its rule names, with and
  without their unit: 荔湾区, 荔湾) and province names, where they stand alone.

Besides who proposed a candidate, its relation to the rules' spans and its characters, the
features say how it sits in its sentence (:func:`_context_features`): the two characters on
each side (向|X|反馈, 成立|X|, ⏎|X|高度), a verb or adverb inside it (区妇联|高度重视|巡察组), a
level word inside it after a piece that is no place (领会|省委巡视组), a counter after a number
before or at its start (1场|区委常委会), a line of page chrome or a teaser (来源:…, 核心提示:,
R2), an alias (以下简称“X”), a list around it (、), a self-reference (集团党委, 委党组, R3).

Alternatives read from one suffix occurrence form one ``group``. Before deciding, each score
is pulled halfway towards the mean score of the candidates with the same string
(:func:`_smooth_by_string`): a notice names a body the same way each time, so one mention's
context speaks for the others. :meth:`OrgDecider.apply` keeps,
best first, the candidates that overlap nothing kept, at most one per group, and sets
:attr:`RuleAnalysis.org_entities`; a span of the rules is kept at a lower score than a new one
(``_RULE_MARGIN``, ``_ALT_MARGIN``): trained with balanced classes, the model's scores of the
many alternatives (a few percent of them gold) are inflated, and held out by style a new span
was more often wrong than a rule span. The header's inspector and targets stay entities (the
INSPECTS relations and the targets are read from them): one the decision dropped comes back as
the header has it. The header and the signature themselves are left alone (the targets decider
owns them).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from rectify_nlp.decide.base import Candidate, GoldView, exact_matches
from rectify_nlp.rules import orgs as org_rules
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.spans import Span

__all__ = ["OrgDecider"]

_CJK: Final[str] = "\u3400-\u4dbf\u4e00-\u9fff"
_CJK_RE = re.compile(f"[{_CJK}]")
#: the rule's organ suffixes (with the rule's guards against 局面, 办理, 部分 …)
_RULE_SUFFIX_RE = org_rules.SUFFIX_RE
_NUM_CHARS: Final[str] = "〇零一二两三四五六七八九十百0123456789"
_NUM = r"[〇零一二两三四五六七八九十百\d]{1,4}"
#: suffixes the rule does not read as names
_EXTRA_SUFFIX_RE = re.compile(
    rf"(?:巡视|巡察)(?:第{_NUM}|{_NUM})?组|(?:巡视|巡察)办"
    r"|专班|领导小组(?:办公室)?|工作小组|督导组|督查组|纪检监察组|检查室|督查室|督察室|机关"
    r"|“两委”|两委|联合会|联社|研究会|学会|防治院|保健院|中院|文学馆|厂|庭|部务会|管委会|小组"
    r"|整改(?:落实)?办|理论学习中心组"
)
#: the object of 向X反馈 / 对X的巡视 / 对X开展…巡视: the inspected body, often a place
_OBJECT_RE = re.compile(
    rf"(?:(?<=[向对到])|(?<=巡视)|(?<=巡察))[{_CJK}]{{2,14}}?(?=反馈|的巡视|的巡察|开展|进行|巡视|巡察|的整改|的关心|的一次)"
)
#: a short list item between 、 (and the words that close a list): 站前街、西村街、沙面街等
_LIST_ITEM_RE = re.compile(rf"(?<=[、,,:和及与对到向])[{_CJK}]{{2,14}}?(?=[、等和及与]|。|,|,|;|;)")
_PLACE_UNIT_RE = re.compile(r"自治区|自治州|自治县|街道|社区|[省市州盟县区旗镇乡村街]")
_LEVEL_START_RE = re.compile(r"中共|[省市县区镇乡]委|[省市县区镇乡]")
_SPLIT_RE = re.compile(r"[和及与、]|以及")
_MAX_HEAD: Final[int] = 24
#: a span no rule proposed is kept at ``threshold + (1 - threshold) * _ALT_MARGIN`` (0.8 at
#: 0.5), a span of the rules at ``threshold * (1 - _RULE_MARGIN)`` (0.2 at 0.5); chosen among
#: a few settings on the corpus held out by style and by province (see ``apply``)
_ALT_MARGIN: float = 0.6
_RULE_MARGIN: float = 0.6
_MAX_LEN: Final[int] = 40
_STOP_CHARS: Final[frozenset[str]] = frozenset(
    "对向由在从与和及并或为将把被给是的了等以至到同跟让使请其该各全本我这此每之即也已再又还就才均"
)
#: provinces and regions by their short names (一般知识: the list of China's provincial units)
_PROVINCES: Final[tuple[str, ...]] = tuple(
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 "
    "广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆 香港 澳门 台湾".split()
)
_PLACE_NEXT_BAD: Final[str] = "委党政人纪监法检公"
_WORDS_AFTER_VERB: Final[frozenset[str]] = org_rules.VERBS | org_rules.BOUNDARY_WORDS
_COMMON: Final[frozenset[str]] = org_rules.COMMON_WORDS | frozenset({"简称", "下称"})
#: a stop character that begins a name when followed by these (和平区, 同安区, 内蒙古, 共青团)
_STOP_EXCEPT: Final[tuple[str, ...]] = tuple(
    c + w for c, ws in org_rules.BOUNDARY_EXCEPT.items() for w in ws)
#: what follows a body that is the subject of its sentence (荔湾区将…, 区妇联高度重视…)
_SUBJECT_NEXT: Final[frozenset[str]] = frozenset(
    "高度 坚持 切实 始终 深入 迅速 立即 认真 严格 坚决 主动 扎实 将把 党组 对照 召开 先后 多次".split())
_COUNTERS: Final[str] = "场次个项名家批年月日号届轮原"
_BAD_HEAD_RE = org_rules.BAD_HEAD_RE
_TITLE_RE = re.compile(r"《[^《》\n]{0,300}》")


def _is_cjk(ch: str) -> bool:
    return bool(_CJK_RE.match(ch))


def _walk_left(text: str, s: int) -> int:
    """Where a name ending at ``s`` can start at the earliest: the run of CJK characters (and
    short parentheticals inside it) before ``s``, at most ``_MAX_HEAD`` long."""
    i = s
    stop = max(0, s - _MAX_HEAD)
    while i > stop:
        ch = text[i - 1]
        if ch == ")" or ch == "）":
            j = text.rfind("(", max(stop, i - 12), i - 1)
            k = text.rfind("（", max(stop, i - 12), i - 1)
            j = max(j, k)
            if j < 0 or not all(_is_cjk(c) for c in text[j + 1:i - 1]):
                return i
            i = j
            continue
        if ch == "、" and i >= 2 and text[i - 2] in _NUM_CHARS and text[i:i + 1] in _NUM_CHARS:
            i -= 1  # 第二、五巡察组: coordinated ordinals
            continue
        if not _is_cjk(ch) or (ch in _STOP_CHARS and not text.startswith(_STOP_EXCEPT, i - 1)):
            return i
        i -= 1
    return i


def _starts(text: str, lo: int, s: int) -> list[int]:
    """Plausible starts of a name whose head runs from ``lo`` to ``s``."""
    out = {lo, s}
    for p in range(lo, s):
        if text[p] in "省市县区州" or text.startswith("最高", p):
            out.add(p)
        if p > lo and text[p - 1] in _COUNTERS:
            out.add(p)
        if text.startswith("中共", p):
            out.add(p)
        ch = text[p - 1] if p > 0 else ""
        if ch in _STOP_CHARS and p > lo:
            out.add(p)
        if _PLACE_UNIT_RE.match(text, p - 1) and p > lo:
            out.add(p)
        if p > lo and text[p - 1] == "委" and text[p - 2:p - 1] in "省市县区镇乡州":
            out.add(p)
        for n in (2, 3, 4):
            if p - n >= lo and (text[p - n:p] in _WORDS_AFTER_VERB or (
                    n == 2 and text[p - n:p] in _COMMON)):
                out.add(p)
    return sorted(out)


def _has_place(t: str, places: set[str], longest: int) -> bool:
    """Whether any of ``places`` occurs in ``t`` (O(len(t) × longest), not O(len(places)))."""
    return any(t[i:i + k] in places for i in range(len(t))
               for k in range(1, min(longest, len(t) - i) + 1))


def _places(text: str, spans: Sequence[tuple[int, int]]) -> set[str]:
    """The notice's own place names: the place prefixes of its organisations (荔湾区, 广州市荔湾区),
    and each without its unit where two characters or more remain (荔湾)."""
    found: set[str] = set()
    for a, b in spans:
        name = text[a:b]
        if name.startswith("中共"):
            name = name[2:]
        pos = 0
        for m in _PLACE_UNIT_RE.finditer(name):
            if m.end() >= len(name):
                break
            piece = name[pos:m.end()]
            whole = name[:m.end()]
            for w in {piece, whole}:
                if 2 <= len(w) <= 12 and not _BAD_HEAD_RE.search(w):
                    found.add(w)
                    core = w[: -len(m.group())]
                    if len(core) >= 2 and m.group() in ("市", "区", "县", "省"):
                        found.add(core)
            pos = m.end()
    return {p for p in found if not p.endswith(("社区", "村")) and p[0] not in "各全本该我"}


class OrgDecider:
    """Decides the ORG entities of a notice among the rules' spans and their alternatives."""

    name = "orgs"

    # -- candidates ------------------------------------------------------------------------
    def propose(self, text: str, analysis: RuleAnalysis) -> list[Candidate]:
        """The rules' ORG spans and their alternatives (see the module doc)."""
        if not analysis.is_notice or not text:
            return []
        rule: dict[tuple[int, int], list[str]] = {}

        def add_rule(sp: Span | None, who: str) -> None:
            if sp is not None and sp.end > sp.start:
                rule.setdefault((sp.start, sp.end), []).append(who)

        for sp in analysis.orgs:
            add_rule(sp, "orgs.find_orgs")
        if analysis.header is not None:
            add_rule(analysis.header.inspector, "header.inspector")
            for sp in analysis.header.targets:
                add_rule(sp, "header.targets")
        if analysis.signature is not None:
            add_rule(analysis.signature.publisher, "signature.publisher")

        cands: dict[tuple[int, int], tuple[str, int]] = {}
        group = 0

        def add(a: int, b: int, who: str, g: int) -> None:
            if b - a < 2 or b - a > _MAX_LEN or a < 0 or b > len(text):
                return
            if who.startswith("alt."):
                kind = _start_kind(text, a)
                # a name never drops its place prefix (荔湾区|政府), and starts mid-word only
                # at a level word (领会|省委巡视组)
                if kind == "unit" or (kind == "mid" and not _LEVEL_START_RE.match(text, a)):
                    return
            if (a, b) not in cands:
                cands[(a, b)] = (who, g)

        for (a, b), whos in sorted(rule.items()):
            add(a, b, "+".join(sorted(set(whos))), group)
            group += 1
        rule_spans = sorted(rule)
        rule_starts = [a for a, _ in rule_spans]
        # every organ suffix, with its plausible starts
        ends: list[tuple[int, int, str]] = []
        for rx, tag in ((_RULE_SUFFIX_RE, "suffix"), (_EXTRA_SUFFIX_RE, "extra")):
            for m in rx.finditer(text):
                ends.append((m.start(), m.end(), tag))
        for s, e, tag in sorted(ends):
            lo = _walk_left(text, s)
            g = group
            group += 1
            for p in _starts(text, lo, s):
                rel = _relation(rule_spans, rule_starts, p, e)
                # never seen kept in the corpus: a piece of a rule span, a span crossing one, a
                # longer left extent or a shorter name the rule would not call specific
                if rel in ("cross", "inside") or (
                        rel in ("longer_left", "shorter_left", "shorter_right")
                        and _specific(text[p:e]) == "no"):
                    continue
                add(p, e, f"alt.{tag}", g)
        # objects of 向X反馈 / 对X开展巡视, and short list items ending in a place unit or suffix
        def clean_item(a: int, b: int) -> int:
            a = _skip_words(text, a, b)
            return -1 if any(ch in _STOP_CHARS for ch in text[a:b]) else a

        for m in _OBJECT_RE.finditer(text):
            add(clean_item(m.start(), m.end()), m.end(), "alt.object", group)
            group += 1
        for m in _LIST_ITEM_RE.finditer(text):
            item = m.group()
            if _PLACE_UNIT_RE.search(item[-1:]) or item.endswith("新区"):
                add(clean_item(m.start(), m.end()), m.end(), "alt.list", group)
                group += 1
        # places standing for an organisation
        places = _places(text, rule_spans) | set(_PROVINCES)
        for w in sorted(places, key=len, reverse=True):
            start = 0
            while True:
                i = text.find(w, start)
                if i < 0:
                    break
                start = i + 1
                j = i + len(w)
                if j < len(text) and (text[j] in _PLACE_NEXT_BAD or _PLACE_UNIT_RE.match(text, j)):
                    continue
                if i > 0 and _is_cjk(text[i - 1]) and text[i - 1] not in _STOP_CHARS and \
                        not _PLACE_UNIT_RE.match(text, i - 1) and text[i - 1] not in "、":
                    # inside a longer word: only after a boundary word
                    if not any(text[i - n:i] in _WORDS_AFTER_VERB for n in (2, 3, 4)):
                        continue
                if _relation(rule_spans, rule_starts, i, j) != "none":
                    continue  # 荔湾区|委: the place of a name, not a name
                add(i, j, "alt.place", group)
                group += 1
        return [Candidate(a, b, "ORG", who, g) for (a, b), (who, g) in sorted(cands.items())]

    # -- features --------------------------------------------------------------------------
    def features(self, text: str, analysis: RuleAnalysis,
                 candidates: Sequence[Candidate]) -> list[list[str]]:
        """Strings describing each candidate: who proposed it, its relation to the rules' spans,
        its first and last characters, the characters around it, its shape."""
        rule_spans = sorted({(sp.start, sp.end) for sp in analysis.orgs})
        hdr = set()
        if analysis.header is not None:
            if analysis.header.inspector is not None:
                hdr.add((analysis.header.inspector.start, analysis.header.inspector.end))
            hdr.update((t.start, t.end) for t in analysis.header.targets)
        if analysis.signature is not None and analysis.signature.publisher is not None:
            p = analysis.signature.publisher
            hdr.add((p.start, p.end))
        all_rule = sorted(set(rule_spans) | hdr)
        rstarts = [a for a, _ in all_rule]
        titles = [(m.start(), m.end()) for m in _TITLE_RE.finditer(text)]
        tstarts = [a for a, _ in titles]
        strings = Counter(text[c.start:c.end] for c in candidates)
        rule_texts = {text[a:b] for a, b in all_rule}
        places = _places(text, all_rule) | set(_PROVINCES)
        places2 = {pl for pl in places if len(pl) >= 2}
        place_len = max((len(pl) for pl in places), default=0)
        n = len(text)
        line_starts, chrome = chrome_lines(text)
        # how each string stands elsewhere in the notice: after punctuation or a stop character
        clean_start: Counter[str] = Counter()
        clean_end: Counter[str] = Counter()
        for c in candidates:
            t = text[c.start:c.end]
            p = text[c.start - 1] if c.start > 0 else "^"
            if not _is_cjk(p) or p in _STOP_CHARS:
                clean_start[t] += 1
            q = text[c.end] if c.end < n else "$"
            if not _is_cjk(q):
                clean_end[t] += 1
        # the candidates around each one: is it the longest or the shortest of those it overlaps
        order = sorted(range(len(candidates)), key=lambda i: candidates[i].start)
        longest = [True] * len(candidates)
        shortest = [True] * len(candidates)
        n_over = [0] * len(candidates)
        for x, i in enumerate(order):
            ci = candidates[i]
            for j in order[x + 1:]:
                cj = candidates[j]
                if cj.start >= ci.end:
                    break
                n_over[i] += 1
                n_over[j] += 1
                li, lj = ci.end - ci.start, cj.end - cj.start
                if lj > li:
                    longest[i] = False
                    shortest[j] = False
                elif li > lj:
                    longest[j] = False
                    shortest[i] = False
        out: list[list[str]] = []
        for ci_, c in enumerate(candidates):
            a, b = c.start, c.end
            t = text[a:b]
            prev1 = text[a - 1] if a > 0 else "^"
            next1 = text[b] if b < n else "$"
            kind = c.proposer.split("+")[0] if "+" not in c.proposer else "rule.multi"
            rel = _relation(all_rule, rstarts, a, b)
            f = [
                "bias", f"prop={c.proposer}", f"kind={kind}", f"rel={rel}",
                f"rel+prop={rel}|{c.proposer}",
                f"last1={t[-1:]}", f"last2={t[-2:]}", f"first1={t[:1]}",
                f"prev1={prev1}", f"next1={next1}",
                f"len={min(b - a, 16)}", f"prop+len={c.proposer}|{min(b - a, 12)}",
                f"prev_cjk={_is_cjk(prev1)}", f"next_cjk={_is_cjk(next1)}",
                f"rel+prevcjk={rel}|{_is_cjk(prev1)}",
            ]
            start_kind = _start_kind(text, a)
            nw = "word" if (text[b:b + 2] in _WORDS_AFTER_VERB or text[b:b + 2] in _COMMON
                            or text[b:b + 2] in _SUBJECT_NEXT) else "-"
            f += [f"next_word={nw}", f"next_word+start={nw}|{start_kind}",
                  f"next_word+prop={nw}|{c.proposer}"]
            if t.startswith("中共"):
                f.append("zhonggong")
            m = _LEVEL_START_RE.match(t)
            f.append(f"level={m.group() if m else '-'}")
            units = len(_PLACE_UNIT_RE.findall(t))
            f.append(f"units={min(units, 3)}")
            if _BAD_HEAD_RE.search(t):
                f.append("badword")
                f.append(f"badword+last2={t[-2:]}")
            if any(ch in t for ch in "()“”"):
                f.append("punct_inside")
            if _SPLIT_RE.search(t):
                f.append("conj_inside")
            line_a = text.rfind("\n", 0, a) + 1
            line_b = text.find("\n", b)
            line_b = n if line_b < 0 else line_b
            if line_a == a:
                f.append("line_start")
                if line_b == b:
                    f.append("whole_line")
            if line_b - line_a < 40:
                f.append("short_line")
            if a < 400:
                f.append("early")
            if n - b < 300:
                f.append("late")
            if titles and _inside(titles, tstarts, a):
                f.append("in_title")
            if "来源" in text[max(0, a - 6):a]:
                f.append("source_line")
            f.append(f"freq={min(strings[t], 4)}")
            if t in rule_texts:
                f.append("same_text_as_rule")
            if (a, b) in hdr:
                f.append("header_or_signature")
            hit = a - 2 >= 0 and text[a - 2:a] in _WORDS_AFTER_VERB
            if hit:
                f.append("after_word")
            end_kind = "punct" if not _is_cjk(next1) else (
                "cjk_suffix" if _RULE_SUFFIX_RE.match(text, b) or _EXTRA_SUFFIX_RE.match(text, b)
                else "cjk")
            f += [f"start={start_kind}", f"end={end_kind}", f"start+end={start_kind}|{end_kind}",
                  f"start+prop={start_kind}|{c.proposer}", f"start+rel={start_kind}|{rel}",
                  f"end+rel={end_kind}|{rel}"]
            if t[:2] in _COMMON or t[:2] in _WORDS_AFTER_VERB:
                f.append("starts_word")
            if prev1 == "“" and next1 == "”":
                f.append("quoted")
            head = t
            ms = _final_suffix(t)
            if ms is not None:
                head = t[:ms.start()]
                f.append(f"suffix={ms.group()}")
            f.append(f"head_len={min(len(head), 10)}")
            if not head:
                f.append("bare_suffix")
            if any(head[:k] in places2 for k in range(2, min(place_len, len(head)) + 1)):
                f.append("head_starts_place")
            if t in places:
                f.append("is_place")
                f.append(f"is_place+prev1={prev1}")
                f.append(f"is_place+next1={next1}")
            ref = _nearest(all_rule, rstarts, a, b)
            if ref is not None and rel != "same":
                ra, rb = ref
                dl = a - ra
                dr = b - rb
                if dl < 0:
                    added = text[a:ra]
                    f.append(f"add_left={added if len(added) <= 3 else _shape(added)}")
                    f.append(f"add_left_shape={_shape(added)}")
                elif dl > 0:
                    dropped = text[ra:a]
                    f.append(f"drop_left={dropped if len(dropped) <= 3 else _shape(dropped)}")
                    f.append(f"drop_left_shape={_shape(dropped)}")
                if dr > 0:
                    f.append(f"add_right={text[rb:b][:4]}")
                elif dr < 0:
                    f.append(f"drop_right={text[b:rb][:4]}")
            cs = min(clean_start[t], 2)
            ce = min(clean_end[t], 2)
            f += [f"str_clean_start={cs}", f"str_clean_end={ce}", f"str_clean={cs}|{ce}",
                  f"str_clean_start+rel={cs}|{rel}",
                  f"longest={longest[ci_]}", f"shortest={shortest[ci_]}",
                  f"n_over={min(n_over[ci_], 6)}",
                  f"longest+start={longest[ci_]}|{start_kind}"]
            specific = _specific(t)
            f.append(f"specific={specific}")
            f.append(f"specific+prop={specific}|{c.proposer}")
            f.append(f"specific+start={specific}|{start_kind}")
            f.append(f"specific+rel={specific}|{rel}")
            rest = org_rules.remaining_name(head)
            if head and org_rules.is_generic_head(rest):
                f.append("generic_head")
                f.append(f"generic_head+prop={c.proposer}")
            if not _has_place(t, places, place_len) and not _LEVEL_START_RE.match(t):
                f.append("no_place")
                f.append(f"no_place+specific={specific}")
                f.append(f"no_place+head_len={min(len(head), 6)}")
                f.append(f"no_place+rel={rel}")
            line = bisect.bisect_right(line_starts, a) - 1
            f += _context_features(text, a, b, rel, c.proposer, chrome[line])
            out.append(f)
        return out

    # -- gold and decision -----------------------------------------------------------------
    def gold(self, candidates: Sequence[Candidate], gold: GoldView) -> list[int]:
        """1 for a candidate whose span is a gold ORG span."""
        return exact_matches(candidates, gold, "ORG")

    def apply(self, text: str, analysis: RuleAnalysis, candidates: Sequence[Candidate],
              scores: Sequence[float], threshold: float) -> RuleAnalysis:
        """``analysis`` with ``org_entities`` set: best first, the candidates that overlap
        nothing kept, at most one per group, a new span at or above a stricter threshold than
        ``threshold`` and a span of the rules at a more lenient one (``_ALT_MARGIN``,
        ``_RULE_MARGIN``); then the header's inspector and targets where nothing kept covers
        them."""
        scores = _smooth_by_string(text, candidates, scores)
        order = sorted(range(len(candidates)), key=lambda i: (-scores[i], candidates[i].start))
        starts: list[int] = []
        kept: list[tuple[int, int]] = []
        groups: set[int] = set()
        decided: dict[tuple[int, int], float] = {}  # kept by the model: its probability
        alt_threshold = threshold + (1.0 - threshold) * _ALT_MARGIN
        rule_threshold = threshold * (1.0 - _RULE_MARGIN)
        for i in order:
            if scores[i] < rule_threshold:
                break
            c = candidates[i]
            if scores[i] < (alt_threshold if c.proposer.startswith("alt.") else rule_threshold):
                continue
            if c.group >= 0 and c.group in groups:
                continue
            k = bisect.bisect_left(starts, c.start)
            if k > 0 and kept[k - 1][1] > c.start:
                continue
            if k < len(kept) and kept[k][0] < c.end:
                continue
            starts.insert(k, c.start)
            kept.insert(k, (c.start, c.end))
            decided[(c.start, c.end)] = scores[i]
            if c.group >= 0:
                groups.add(c.group)
        # the header's inspector and targets stay entities (the INSPECTS relations and the
        # targets read them): one the decision dropped entirely comes back as the header has it
        header = analysis.header
        if header is not None:
            for sp in ([header.inspector] if header.inspector is not None else []) + list(
                    header.targets):
                k = bisect.bisect_left(starts, sp.start)
                if (k > 0 and kept[k - 1][1] > sp.start) or (k < len(kept) and kept[k][0] < sp.end):
                    continue
                if sp.end > sp.start:
                    starts.insert(k, sp.start)
                    kept.insert(k, (sp.start, sp.end))
        # a span the model kept says so (source "model", its probability); a header span put
        # back without a decision stays the rules'
        ents = tuple(Span(a, b, "ORG", text[a:b], source="model",
                          score=round(float(decided[(a, b)]), 4)) if (a, b) in decided
                     else Span(a, b, "ORG", text[a:b]) for a, b in kept)
        return replace(analysis, org_entities=ents)


#: words of a page's chrome (R2: nothing on a 来源/作者/发布 line is tagged)
_CHROME_RE = re.compile(r"来源|作者|发布(?:时间|日期)|浏览|阅读|字体|网站|发文机关|核心提示|责任编辑|点击")
#: a teaser paragraph copied above the notice (R2: page chrome)
_TEASER_RE = re.compile(r"\s*(?:核心提示|内容提要|摘要|导读)")
_INNER_LEVEL_RE = re.compile(r"中共|[省市县区]委(?!员)|最高")
#: a verb or adverb inside a span: a name never holds one (区妇联|高度重视|巡察组)
_INNER_WORDS: Final[frozenset[str]] = (_WORDS_AFTER_VERB | _SUBJECT_NEXT) - frozenset({"党组"})


def chrome_lines(text: str) -> tuple[list[int], list[bool]]:
    """The start of every line of ``text`` and whether that line is page chrome (a short line
    naming a source, an author, a date of publication…) or opens a teaser paragraph; one pass
    over the text (finding each candidate's line afresh was quadratic on a long line).

    >>> chrome_lines("来源:区妇联\\n区委巡察组反馈意见")
    ([0, 7], [True, False])
    """
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    flags = []
    for i, s in enumerate(starts):
        e = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
        line = text[s:e]
        flags.append(bool((len(line) < 80 and _CHROME_RE.search(line))
                          or _TEASER_RE.match(line)))
    return starts, flags


def _context_features(text: str, a: int, b: int, rel: str, proposer: str,
                      chrome_line: bool) -> list[str]:
    """How a candidate ``text[a:b]`` sits in its sentence: the two characters on each side,
    a verb or a level word inside it, a counter before it, on a chrome line (see
    :func:`chrome_lines`), a list around it."""
    t = text[a:b]
    prev2 = text[max(0, a - 2):a]
    next2 = text[b:b + 2]
    f = [f"prev2={prev2}", f"next2={next2}"]
    inner = any(t[i:i + k] in _INNER_WORDS for i in range(1, len(t) - 1) for k in (2, 3, 4)
                if i + k <= len(t))
    if inner:
        f += ["inner_word", f"inner_word+rel={rel}"]
    # a level word (省委, 市委, 中共 …) inside, after a piece that is not a place
    for m in _INNER_LEVEL_RE.finditer(t, 1):
        before = t[:m.start()]
        if not _PLACE_UNIT_RE.search(before[-1:]) and not before.endswith(("中共", "新区")):
            f += ["inner_level", f"inner_level+rel={rel}", f"inner_level+prop={proposer}"]
            break
    if a >= 1 and t[0] in _COUNTERS and text[a - 1] in _NUM_CHARS:
        f.append("starts_counter")  # 1|场|区委常委会
    if a >= 1 and text[a - 1] in _COUNTERS and a >= 2 and text[a - 2] in _NUM_CHARS:
        f.append("after_count")  # 9场|福州新区党工委
    if chrome_line:
        f += ["chrome_line", f"chrome_line+rel={rel}"]
    if text[max(0, a - 3):a].rstrip("“\"").endswith(("简称", "下称")):
        f.append("alias")  # (以下简称“厚街镇党委”)
    if t[:1] in "我本该委局院" or t[:2] in ("集团", "中心", "机关"):
        f += ["self_start", f"self_start+rel={rel}"]
    if prev2[-1:] == "、" or next2[:1] == "、":
        f += ["in_list", f"in_list+prop={proposer}"]
    return f



#: how much of a candidate's score is the mean score of the candidates with its string
_SAME_STRING_WEIGHT: float = 0.5


def _smooth_by_string(text: str, candidates: Sequence[Candidate],
                      scores: Sequence[float]) -> list[float]:
    """Each score pulled towards the mean score of every candidate with the same string
    (``_SAME_STRING_WEIGHT``): a notice names a body the same way each time it mentions it, so
    one mention's context is evidence for the others.

    >>> c = [Candidate(0, 2, "ORG", "a"), Candidate(3, 5, "ORG", "a"), Candidate(6, 8, "ORG", "a")]
    >>> _smooth_by_string("区委,区委,市委", c, [0.9, 0.5, 0.4])
    [0.8, 0.6, 0.4]
    """
    sums: dict[str, list[float]] = {}
    for c, s in zip(candidates, scores):
        acc = sums.setdefault(text[c.start:c.end], [0.0, 0.0])
        acc[0] += float(s)
        acc[1] += 1.0
    w = _SAME_STRING_WEIGHT
    out = []
    for c, s in zip(candidates, scores):
        total, count = sums[text[c.start:c.end]]
        out.append(round((1.0 - w) * float(s) + w * total / count, 12))
    return out


def _relation(spans: list[tuple[int, int]], starts: list[int], a: int, b: int) -> str:
    """How a candidate sits against the rules' spans: same, longer, shorter, cross, none."""
    i = bisect.bisect_right(starts, b)
    best = "none"
    for j in range(max(0, i - 4), min(len(spans), i + 1)):
        s, e = spans[j]
        if s == a and e == b:
            return "same"
        if s >= b or e <= a:
            continue
        if a <= s and e <= b:
            best = "longer_left" if e == b else ("longer_right" if s == a else "longer_both")
        elif s <= a and b <= e:
            best = "shorter_left" if e == b else ("shorter_right" if s == a else "inside")
        elif best == "none":
            best = "cross"
    return best


def _skip_words(text: str, a: int, b: int) -> int:
    """``a`` moved past leading stop characters and common words (到|站前街, 完成|聚龙村)."""
    while a < b - 2:
        if text[a] in _STOP_CHARS:
            a += 1
        elif text[a:a + 2] in _COMMON or text[a:a + 2] in _WORDS_AFTER_VERB:
            a += 2
        else:
            break
    return a


def _start_kind(text: str, a: int) -> str:
    """What precedes a name starting at ``a``: punctuation, a stop character (对 向 和 …), a
    word (a verb, an adverb), a counter (3次), a place unit (the name would drop its place), or
    the middle of a word."""
    prev1 = text[a - 1] if a > 0 else "^"
    if not _is_cjk(prev1):
        return "punct"
    if prev1 in _STOP_CHARS:
        return "stop"
    if any(text[a - k:a] in _WORDS_AFTER_VERB or text[a - k:a] in _COMMON
           for k in (2, 3, 4) if a >= k):
        return "word"
    if prev1 in _COUNTERS:
        return "counter"
    if _PLACE_UNIT_RE.match(prev1):
        return "unit"
    return "mid"


def _nearest(spans: list[tuple[int, int]], starts: list[int], a: int,
             b: int) -> tuple[int, int] | None:
    """The rule span that overlaps ``(a, b)`` most, if any."""
    i = bisect.bisect_right(starts, b)
    best, size = None, 0
    for j in range(max(0, i - 4), min(len(spans), i + 1)):
        s, e = spans[j]
        ov = min(e, b) - max(s, a)
        if ov > size:
            best, size = (s, e), ov
    return best


def _shape(piece: str) -> str:
    """A coarse description of a piece of a name: a place, a party prefix, a verb, other."""
    if piece.startswith("中共"):
        return "zhonggong"
    if _PLACE_UNIT_RE.search(piece[-1:]) or piece.endswith(("街道", "新区")):
        return "place"
    if piece[-1:] == "委" or piece.endswith(("党委", "党组", "政府")):
        return "committee"
    if piece[:2] in _COMMON or piece[:2] in _WORDS_AFTER_VERB or piece[-2:] in _WORDS_AFTER_VERB:
        return "word"
    return f"other{min(len(piece), 4)}"


def _inside(ranges: list[tuple[int, int]], starts: list[int], pos: int) -> bool:
    i = bisect.bisect_right(starts, pos) - 1
    return i >= 0 and ranges[i][0] <= pos < ranges[i][1]


def _specific(name: str) -> str:
    """Whether the rule would call ``name`` specific, read at its longest suffix."""
    m = _final_suffix(name)
    if m is None:
        return "nosuffix"
    return "yes" if org_rules.is_specific_org(name[:m.start()], m.group()) else "no"


def _final_suffix(name: str) -> re.Match[str] | None:
    """The rule's organ suffix that ends ``name``, if one does."""
    last = None
    for last in _RULE_SUFFIX_RE.finditer(name):  # noqa: B007 - the last match is wanted
        pass
    return last if last is not None and last.end() == len(name) else None
