"""The targets decider: who was inspected (and by whom), chosen among spans of the header.

The header rule (:func:`rectify_nlp.rules.header.parse_header`) reads the targets from the
object of 「X巡察组对Y开展了巡察」 and splits it into organisations. Over the annotated corpus
its misses come from unusual objects: a self-reference it cannot resolve (我厅, 我院党组, 我镇
党委 with no signature or title to name it), a qualifier too long before 巡察 (开展了黄河流域…
专项巡察), a parenthesised list of former units (X党委(原A、B、C)), an inspection group with 对
in its name (市委对村巡察第四组对…), a description glued to the name (汕头市委推进“百千万工程”
情况), a counted list split apart, units added by 并延伸巡察了…, no header sentence at all.

Candidates, one per name (the mentions of one text are one decision, at the first mention):

* the rules' targets (``header.targets``; the rules' choice is a feature);
* the object of each 对/进驻…巡察 clause of the header's sentences, whole, split at every
  、/和/及, cut after an inner 对, its parenthesised list item by item, the organisations
  inside each piece; the units of 延伸巡察了X和Y; the recipients of 向X反馈;
* the organisations of the title line (中共XX委员会关于巡察整改…) and of the header's sentences
  (:attr:`~rectify_nlp.rules.analysis.RuleAnalysis.orgs`), or of the opening when there is no
  header sentence;
* for a self-reference, its readings (the notice's own name, the nearest organisation written
  with the same unit: 我厅 → 省商务厅党组), grouped so that at most one is kept.

A *second reading* marks the candidates a deterministic repair of the rules would give (the
shapes above mended; where the rules found nothing, the self-reference's unit, the looser
clause's object, the opening's first organisation); it is a feature like the others.
Features say where a span stands (title, header or feedback sentence), which proposers made
it, whether the rules or the reading chose it (and whether they disagree), the words before
and after it, its suffix and shape (a list, a count, a parenthesis, 巡察, 情况…), whether the
ORG rule or the signature found it.

The inspector is decided alongside (label ``INSPECTOR``, one group): the rules' inspector, the
group written right before the header clause's 对 (市委第二专项巡察组, 七届市委第十二轮巡察一组)
and the other inspection groups of the header's sentences.

:meth:`TargetDecider.apply` replaces ``header.targets`` by the kept candidates (overlaps
resolved by score, one name per organisation, order of appearance), ``header.inspector`` by
the best inspector candidate when it passes the threshold, and keeps the ORG entities
consistent with them.

>>> from rectify_nlp.rules.analysis import analyze
>>> t = "2024年3月,市委第一巡察组对某镇党委(原甲村党支部、乙村党支部)开展了巡察。整改情况如下。"
>>> d = TargetDecider()
>>> sorted(c.ref.text for c in d.propose(t, analyze(t)) if c.label == "TARGET")[:4]
['乙村党支部', '原甲村党支部', '某镇党委', '某镇党委(原甲村党支部、乙村党支部)']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from rectify_nlp.decide.base import Candidate, GoldView, best_of_groups
from rectify_nlp.evaluation.matching import alternatives, norm
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.rules.orgs import SELF_REFERENCE_RE, find_orgs
from rectify_nlp.spans import Span, drop_overlaps
from rectify_nlp.text.normalize import translate_chars

__all__ = ["TargetDecider", "TargetRef", "name_key", "same_organisation"]

LABEL = "TARGET"
INSPECTOR = "INSPECTOR"

# the object of an inspection clause; looser than the rule's (a longer qualifier before 巡察:
# 开展了黄河流域生态保护和高质量发展专项巡察)
_CLAUSE_RE = re.compile(
    r"(?:对|进驻)(?P<t>[^,。;:!?,;:!?\n]{2,120}?)"
    r"(?:进行|开展|实施)了?(?:为期[^,。,]{1,8}的)?[^,。;,;对\n]{0,30}?(?:巡视|巡察)"
)
_EXTEND_RE = re.compile(
    r"延伸(?:巡察|巡视)了?(?:对|到|至)?(?P<t>[^,。;:!?,;:!?\n]{2,80}?)"
    r"(?=[,。;:!?,;:!?\n]|(?:进行|开展)了?|$)"
)
_RECIPIENT_RE = re.compile(r"向(?P<t>[^,。,;;\n]{2,60}?)(?:集中)?(?:反馈|进行了反馈|通报)")
_SPLIT_RE = re.compile(r"以及|及其|[、和及与,,]")
_PAREN_RE = re.compile(r"[((](?P<l>[^()()]{0,80})[))]")
_LIST_PAREN_RE = re.compile(r"(?:原|含|包括|包含|即)?")
_ALIAS_RE = re.compile(r"[((](?:以下)?(?:简称|下称)")
_TITLE_ORG_RE = re.compile(r"^(?P<o>[\u4e00-\u9fff()()]{2,40}?)关于")
_TITLE_WORDS_RE = re.compile(r"整改|巡视|巡察")
_GROUP_RE = re.compile(r"巡[视察](?:工作)?第?[〇零一二两三四五六七八九十\d]*组|巡[视察]办")
_SELF_UNIT_RE = re.compile(r"^我(?P<u>[省市县区乡镇村局委办院校厅部]|街道?|单位|公司|社区|中心)?"
                           r"(?P<o>党委|党组|党工委|党总支)?$")
_SUFFIXES = ("党工委", "党委", "党组", "党支部", "党总支", "委员会", "工委", "政府", "办事处", "局",
             "厅", "委", "院", "办", "部", "中心", "公司", "集团", "学校", "社区", "村", "镇", "乡",
             "街道", "区", "县", "市", "党组织", "小组", "协会", "所", "站", "队")
_TITLE_SCAN = 400
_OPENING = 400  # how much of a notice without a header sentence is read for its targets
_FEEDBACK_READ = 1500  # how far past the header sentence a self-reference's unit is looked for
_WHERE_RANK = {"head": 0, "feedback": 1, "title": 2, "open": 3, "body": 4}


@dataclass(frozen=True)
class TargetRef:
    """What stands behind a candidate: every proposer of the span and where it stands."""

    text: str
    proposers: frozenset[str]
    where: str  # title, head (the header sentence), feedback, open (no header), body
    resolved: str = ""  # how a self-reference was read (own, unit-before, unit-after)
    extra: tuple[str, ...] = field(default=())


@dataclass
class _Pool:
    """Spans proposed so far, one entry per (start, end)."""

    text: str
    titles: list[tuple[int, int]]
    sents: list[tuple[int, int, str]]
    spans: dict[tuple[int, int], dict] = field(default_factory=dict)
    next_group: int = 0

    def where(self, pos: int) -> str:
        """title, head, feedback (the header's sentences), else body."""
        for a, b in self.titles:
            if a <= pos < b:
                return "title"
        for a, b, w in self.sents:
            if a <= pos < b:
                return w
        return "body"

    def add(self, start: int, end: int, proposer: str, where: str = "", *, group: int = -1,
            resolved: str = "", extra: Sequence[str] = ()) -> None:
        # trim spaces and a trailing 等
        while start < end and self.text[start] in " \t":
            start += 1
        while end > start and self.text[end - 1] in " \t等":
            end -= 1
        if end - start < 2 or end - start > 80 or "\n" in self.text[start:end]:
            return
        where = where or self.where(start)
        entry = self.spans.setdefault((start, end), {"proposers": set(), "where": where,
                                                     "group": group, "resolved": resolved,
                                                     "extra": set()})
        entry["proposers"].add(proposer)
        entry["extra"].update(extra)
        if entry["group"] < 0 <= group:
            entry["group"] = group
        if resolved and not entry["resolved"]:
            entry["resolved"] = resolved

    def group(self) -> int:
        self.next_group += 1
        return self.next_group - 1

    def candidates(self) -> list[Candidate]:
        """One candidate per name: the spans of one text are one decision (``apply``
        deduplicates by text), made at its first mention in the order rules' target,
        header sentence, feedback sentence, title, elsewhere; the other mentions add their
        proposers and where they stand."""
        by_text: dict[str, list[tuple[int, int]]] = {}
        for key in self.spans:
            by_text.setdefault(norm(self.text[key[0]:key[1]]), []).append(key)
        out = []
        for keys in by_text.values():
            keys.sort(key=lambda k: ("rule" not in self.spans[k]["proposers"],
                                     _WHERE_RANK.get(self.spans[k]["where"], 9), k))
            (s, e), first = keys[0], self.spans[keys[0]]
            proposers = set().union(*(self.spans[k]["proposers"] for k in keys))
            extra = set().union(*(self.spans[k]["extra"] for k in keys))
            extra.update(f"also={self.spans[k]['where']}" for k in keys[1:])
            group = next((self.spans[k]["group"] for k in keys if self.spans[k]["group"] >= 0), -1)
            resolved = next((self.spans[k]["resolved"] for k in keys if self.spans[k]["resolved"]),
                            "")
            ref = TargetRef(self.text[s:e], frozenset(proposers), first["where"], resolved,
                            tuple(sorted(extra)))
            out.append(Candidate(s, e, LABEL, "+".join(sorted(proposers)), group, ref))
        return sorted(out, key=lambda c: (c.start, c.end))


def _header_sentences(text: str, analysis: RuleAnalysis,
                      titles: Sequence[tuple[int, int]]) -> list[tuple[int, int, str]]:
    """(start, end, where) of the header's sentences: ``head`` for one naming the inspection
    (对X开展巡察, or the first one), ``feedback`` for the others; a sentence inside a title
    line is left to the title."""
    h = analysis.header
    if h is None:
        return []
    out: list[tuple[int, int, str]] = []
    for s in (e for e in h.evidence if e.label == "HEADER"):
        if any(a <= s.start and s.end <= b + 1 for a, b in titles):
            continue
        head = _CLAUSE_RE.search(text, s.start, s.end) is not None or not out
        out.append((s.start, s.end, "head" if head else "feedback"))
    if sum(w == "head" for _, _, w in out) > 1:  # the first naming sentence is the header
        first = next(i for i, x in enumerate(out) if x[2] == "head")
        out = [(a, b, "head" if i == first else "feedback") for i, (a, b, _) in enumerate(out)]
    return out


def _title_lines(text: str, head_a: int | None) -> list[tuple[int, int]]:
    """Lines before the header sentence (in the first 400 characters or the 400 before it)
    that look like a notice's title."""
    lo = [(0, min(len(text), _TITLE_SCAN))]
    if head_a is not None and head_a > _TITLE_SCAN:
        lo.append((max(0, head_a - _TITLE_SCAN), head_a))
    out: list[tuple[int, int]] = []
    for a, b in lo:
        pos = a
        if a > 0:
            nl = text.find("\n", a, b)
            if nl < 0:
                continue
            pos = nl + 1
        while pos < b:
            end = text.find("\n", pos)
            end = len(text) if end < 0 else end
            if head_a is not None and end > head_a:
                break
            line = text[pos:end]
            if 4 <= len(line.strip()) <= 120 and _TITLE_WORDS_RE.search(line) and (
                    "关于" in line or "通报" in line or "公布" in line or "情况" in line):
                if (pos, end) not in out:
                    out.append((pos, end))
            pos = end + 1
    return out


def _pieces(text: str, a: int, b: int) -> list[tuple[int, int]]:
    """``text[a:b]`` split at 、/和/及/与/以及 outside parentheses."""
    chunk = text[a:b]
    masked = _PAREN_RE.sub(lambda m: "_" * len(m.group()), chunk)
    out = []
    p = 0
    for m in _SPLIT_RE.finditer(masked):
        out.append((a + p, a + m.start()))
        p = m.end()
    out.append((a + p, b))
    return out


def _strip_alias(text: str, a: int, b: int) -> int:
    m = _ALIAS_RE.search(text, a, b)
    return m.start() if m else b


def _object(pool: _Pool, text: str, a: int, b: int, tag: str) -> None:
    """Propose the spans of one clause object ``text[a:b]`` (对X开展巡察's X)."""
    b = _strip_alias(text, a, b)
    pieces = _pieces(text, a, b)
    counted = ("counted",) if len(pieces) > 1 and _COUNT_TAIL_RE.search(text, a, b) else ()
    pool.add(a, b, tag + ".whole", extra=counted)
    for x, y in pieces:
        y = _strip_alias(text, x, y)
        pool.add(x, y, tag + ".piece", extra=(f"npieces={min(len(pieces), 4)}",) + counted)
        # a parenthesised list: the body before it and each unit inside (原A、B; 含A、B), not
        # a parenthesis inside a name (7个村(社区)党组织)
        for m in _PAREN_RE.finditer(text, x, y):
            listed = "、" in m.group("l") or _LIST_PAREN_RE.match(m.group("l")).end() > 0
            if not listed and m.end() < y:
                continue
            pool.add(x, m.start(), tag + ".before_paren")
            la = m.start("l")
            lead = _LIST_PAREN_RE.match(text, la, m.end("l"))
            la = lead.end() if lead else la
            for u, v in _pieces(text, la, m.end("l")):
                pool.add(u, v, tag + ".in_paren")
        # cut after an inner 对 (市委对村巡察第四组对三乡镇…)
        for m in re.finditer("对", text[x:y]):
            pool.add(x + m.end(), y, tag + ".after_dui")
        # the organisations named inside the piece (汕头市委|推进“百千万工程”情况)
        for o in find_orgs(text[x:y]):
            if (o.start, o.end) != (0, y - x):
                pool.add(x + o.start, x + o.end, tag + ".org_in")


_SHAPES = (("list", "、"), ("deng", "等"), ("paren", "("), ("quote", "“"), ("dui", "对"),
           ("about", "关于"), ("situ", "情况"), ("insp", "巡"), ("cpc", "中共"), ("he", "和"),
           ("orig", "原"))
# a list summed up by a count: 甲、乙、丙等7个村(社区)党组织
_COUNT_TAIL_RE = re.compile(r"等[\d〇一二两三四五六七八九十]+(?:个|家|所)[^、]{0,12}$")
_COUNT_RE = re.compile(r"[\d〇一二两三四五六七八九十]+(?:个|家|所)")


def _shape(t: str) -> list[str]:
    """What a span holds besides a name: a list, a count, a parenthesis, 巡察, 情况…"""
    out = [k for k, pat in _SHAPES if pat in t]
    if _COUNT_RE.search(t):
        out.append("count")
    if SELF_REFERENCE_RE.match(t):
        out.append("selfref")
    return out


_ORGAN_TAIL_RE = re.compile(r"(?:工作委员会|委员会|党工委|党委|党组|工委|委)$")


def name_key(t: str) -> str:
    """A name without 中共 and its committee word: what two names of one organisation share.

    >>> name_key("中共大朗镇委员会"), name_key("大朗镇党委"), name_key("万江街道党工委")
    ('大朗镇', '大朗镇', '万江街道')
    """
    t = norm(t)
    if t.startswith("中共"):
        t = t[2:]
    return _ORGAN_TAIL_RE.sub("", t)


def same_organisation(a: str, b: str) -> bool:
    """Whether two target names plausibly name one organisation: equal once 中共 and the
    committee word are dropped, or one ends the other (荔湾区 / 广州市荔湾区委).

    >>> same_organisation("中共莞城街道工作委员会", "莞城街道党工委")
    True
    >>> same_organisation("市卫生健康委党委", "市卫生健康执法总队党委")
    False
    """
    ka, kb = name_key(a), name_key(b)
    if len(ka) < 2 or len(kb) < 2:
        return ka == kb
    return ka.endswith(kb) or kb.endswith(ka)


def _unit_orgs(analysis: RuleAnalysis, unit: str, organ: str) -> list[Span]:
    """Organisations of the notice written with ``unit`` (+ ``organ``) at their end."""
    out = []
    for o in analysis.orgs:
        t = o.text
        if _GROUP_RE.search(t) or len(t) < 3:
            continue
        if organ and t.endswith(unit + organ):
            out.append(o)
        elif t.endswith(unit) or (unit and t.endswith(unit + "党组")) or (
                unit and t.endswith(unit + "党委")):
            out.append(o)
    return out


# the inspection group right before the 对 of the header clause (市委第二专项巡察组对…,
# 七届市委第十二轮巡察一组对…, 市委对村巡察第四组对…)
_INSPECTOR_BEFORE_RE = re.compile(
    r"(?:^|[,,;;:: ]|\d日|\d月|期间|以来)"
    r"(?P<i>[^,,;;::。\s]{2,30}?(?:巡视|巡察)[^,,;;::。\s]{0,10}?组)(?:于[^,。;]{0,40}?)?$"
)
_DESCRIPTION_RE = re.compile(r"情况|推进|落实|工作|“")


def _second_reading(text: str, analysis: RuleAnalysis, pool: _Pool) -> set[tuple[int, int]]:
    """The targets a second, deterministic reading of the header gives: the rules' targets
    mended where their shape says they went wrong, or, where the rules found none, the
    unit a self-reference names, the object of a looser clause, the opening's first
    organisation. A feature, not a decision: the model learns how far to trust it."""
    header = analysis.header
    rule = list(header.targets) if header is not None else []
    out: list[tuple[int, int]] = []
    for t in rule:
        a, b = t.start, t.end
        paren = next((m for m in _PAREN_RE.finditer(text, a, b)
                      if "、" in m.group("l") or _LIST_PAREN_RE.match(m.group("l")).end()), None)
        inner = [m for m in re.finditer("对", text[a:b])]
        orgs = [o for o in find_orgs(text[a:b]) if (o.start, o.end) != (0, b - a)]
        if paren is not None:  # 市卫生健康委党委(原市卫生健康执法总队党委、市疾控中心党委)
            out.append((a, paren.start()))
            la = paren.start("l") + _LIST_PAREN_RE.match(paren.group("l")).end()
            out += _pieces(text, la, paren.end("l"))
        elif inner and _GROUP_RE.search(text, a, a + inner[-1].start()):
            out.append((a + inner[-1].end(), b))  # 村巡察第四组对|三乡镇圩仔等9个村…
        elif _DESCRIPTION_RE.search(t.text) and orgs and orgs[0].start == 0:
            out.append((a, a + orgs[0].end))  # 汕头市委|推进“百千万工程”情况
        else:
            out.append((a, b))
    # a counted list the rules split (古二村、古三村…古镇社区等7个村(社区)党组织): whole
    if len(out) >= 3:
        last = out[-1]
        run = [out[-1]]
        for x in reversed(out[:-1]):
            if text[x[1]:run[0][0]] == "、":
                run.insert(0, x)
            else:
                break
        if len(run) >= 3 and _COUNT_TAIL_RE.search(text, run[0][0], last[1]):
            out = out[:len(out) - len(run)] + [(run[0][0], last[1])]
    if rule:
        # 并延伸巡察了石美社区石美小组和坝头社区下坝小组
        for a, b, w in pool.sents:
            if w != "head":
                continue
            for m in _EXTEND_RE.finditer(text, a, b):
                for x, y in _pieces(text, m.start("t"), m.end("t")):
                    if not any(min(y, q) > max(x, p) for p, q in out):
                        out.append((x, y))
        return set(out)
    grouped = {k for k, v in pool.spans.items() if v["proposers"] & {"self.unit"}}
    if grouped:
        return grouped
    for a, b, w in pool.sents:
        if w != "head":
            continue
        for m in _CLAUSE_RE.finditer(text, a, b):
            if _GROUP_RE.search(m.group("t")):
                continue
            x0, y0 = m.start("t"), _strip_alias(text, m.start("t"), m.end("t"))
            pieces = [(x, _strip_alias(text, x, y)) for x, y in _pieces(text, x0, y0)]
            # split only a list of organisations (not 住房和城乡建设局)
            if not all(text[x:y].endswith(_SUFFIXES) for x, y in pieces):
                pieces = [(x0, y0)]
            return set(pieces)
    opening = sorted(k for k, v in pool.spans.items() if "opening.org" in v["proposers"])
    return set(opening[:1])


def _inspector_reading(text: str, sents: Sequence[tuple[int, int, str]]) -> tuple[int, int] | None:
    """The inspection group written right before the 对 of the header clause (or before an
    inner 对: 市委对村巡察第四组|对三乡镇…)."""
    for a, b, w in sents:
        if w != "head":
            continue
        for m in _CLAUSE_RE.finditer(text, a, b):
            starts = [m.start()] + [m.start("t") + k.start() for k in re.finditer("对", m.group("t"))]
            for s0 in starts:
                found = _INSPECTOR_BEFORE_RE.search(text[a:s0])
                if found:
                    return a + found.start("i"), a + found.end("i")
    return None


def _inspector_candidates(text: str, analysis: RuleAnalysis,
                          sents: Sequence[tuple[int, int, str]]) -> list[Candidate]:
    """The inspector's candidates, one group: the rules' inspector, the group written before
    the header clause's 对, the other inspection groups of the header sentences."""
    header = analysis.header
    spans: dict[tuple[int, int], set[str]] = {}
    if header is not None and header.inspector is not None:
        spans.setdefault((header.inspector.start, header.inspector.end), set()).add("rule")
    reading = _inspector_reading(text, sents)
    if reading is not None:
        spans.setdefault(reading, set()).add("reading")
    for a, b, _ in sents:
        for o in analysis.orgs:
            if a <= o.start and o.end <= b and _GROUP_RE.search(o.text):
                spans.setdefault((o.start, o.end), set()).add("sentence.org")
    where = {k: next((w for a, b, w in sents if a <= k[0] < b), "body") for k in spans}
    # one group of its own, after the targets' self-reference groups
    return [Candidate(s, e, INSPECTOR, "+".join(sorted(p)), 1_000_000,
                      TargetRef(text[s:e], frozenset(p), where[(s, e)]))
            for (s, e), p in sorted(spans.items())]


class TargetDecider:
    """Decides ``header.targets`` among spans of the title and the header sentences."""

    name = "targets"

    # -- proposing ---------------------------------------------------------------------
    def propose(self, text: str, analysis: RuleAnalysis) -> list[Candidate]:
        if not analysis.is_notice:
            return []
        header = analysis.header
        evidence = [e for e in header.evidence if e.label == "HEADER"] if header else []
        naming = [e for e in evidence if _CLAUSE_RE.search(text, e.start, e.end)]
        head_a = (naming or evidence)[0].start if evidence else None
        titles = _title_lines(text, head_a)
        sents = _header_sentences(text, analysis, titles)
        pool = _Pool(text, titles, sents)
        for t in header.targets if header is not None else ():
            pool.add(t.start, t.end, "rule")
        for a, b in titles:
            line = text[a:b]
            off = a + len(line) - len(line.lstrip())
            m = _TITLE_ORG_RE.match(line.lstrip())
            if m:
                pool.add(off, off + len(m.group("o")), "title.own")
            for o in analysis.orgs:
                if a <= o.start and o.end <= b and not _GROUP_RE.search(o.text):
                    pool.add(o.start, o.end, "title.org")
        for a, b, _ in sents:
            for m in _CLAUSE_RE.finditer(text, a, b):
                if _GROUP_RE.search(m.group("t")) and "对" not in m.group("t"):
                    continue
                _object(pool, text, m.start("t"), m.end("t"), "clause")
            for m in _EXTEND_RE.finditer(text, a, b):
                for x, y in _pieces(text, m.start("t"), m.end("t")):
                    pool.add(x, y, "extend")
            for m in _RECIPIENT_RE.finditer(text, a, b):
                if _GROUP_RE.search(m.group("t")):
                    continue
                pool.add(m.start("t"), m.end("t"), "recipient.whole")
                for x, y in _pieces(text, m.start("t"), m.end("t")):
                    pool.add(x, y, "recipient.piece")
            for o in analysis.orgs:
                if a <= o.start and o.end <= b and not _GROUP_RE.search(o.text):
                    pool.add(o.start, o.end, "sentence.org")
        if not sents:
            lo = titles[-1][1] if titles else 0
            for o in analysis.orgs:
                if lo <= o.start < lo + _OPENING and not _GROUP_RE.search(o.text):
                    pool.add(o.start, o.end, "opening.org", "open")
        self._self_references(pool, text, analysis)
        for a, b in _second_reading(text, analysis, pool):
            pool.add(a, b, "reading")
        return pool.candidates() + _inspector_candidates(text, analysis, pool.sents)

    def _self_references(self, pool: _Pool, text: str, analysis: RuleAnalysis) -> None:
        """Readings of 我局/我院党组 in the header sentences, one group per self-reference:
        the notice's own name (publisher, title) and the nearest organisation written with
        the same unit after it (else before it)."""
        if not pool.sents:
            return
        head_end = max(b for _, b, _ in pool.sents)
        for s, e in [k for k in pool.spans if SELF_REFERENCE_RE.match(text[k[0]:k[1]])]:
            group = pool.group()
            sig = analysis.signature
            if sig is not None and sig.publisher is not None:
                p = sig.publisher
                pool.add(p.start, p.end, "self.publisher", group=group, resolved="own")
            for a, b in pool.titles:
                line = text[a:b]
                off = a + len(line) - len(line.lstrip())
                m = _TITLE_ORG_RE.match(line.lstrip())
                if m:
                    pool.add(off, off + len(m.group("o")), "self.title", group=group,
                             resolved="own")
            m = _SELF_UNIT_RE.match(text[s:e])
            if m is None or not m.group("u"):
                continue
            units = _unit_orgs(analysis, m.group("u"), m.group("o") or "")
            after = [o for o in units if s <= o.start < head_end + _FEEDBACK_READ]
            before = [o for o in units if o.end <= s]
            if after:
                o, how = after[0], "unit-after"
            elif before:
                o, how = before[-1], "unit-before"
            else:
                continue
            pool.add(o.start, o.end, "self.unit", group=group, resolved=how)

    # -- features ----------------------------------------------------------------------
    def features(self, text: str, analysis: RuleAnalysis,
                 candidates: Sequence[Candidate]) -> list[list[str]]:
        """Indicators only (a feature is present or absent, never ``rule=False``), so that a
        span the rules did not choose is judged by what it is, not by the rules' silence."""
        header = analysis.header
        rule = [(t.start, t.end) for t in header.targets] if header is not None else []
        rule_texts = [t.text for t in header.targets] if header is not None else []
        n_rule = min(len(rule), 2)
        sig = analysis.signature
        pub = sig.publisher if sig is not None else None
        org_spans = {(o.start, o.end) for o in analysis.orgs}
        out = []
        for c in candidates:
            ref: TargetRef = c.ref
            t = ref.text
            if c.label == INSPECTOR:
                out.append(_inspector_features(text, c))
                continue
            is_rule = (c.start, c.end) in rule
            reading = "reading" in ref.proposers
            shape = _shape(t)
            f = [f"where={ref.where}", f"nrule={n_rule}"]
            f += [f"p={p}" for p in sorted(ref.proposers) if p not in ("rule", "reading")]
            if is_rule:
                f += ["rule", f"rule&where={ref.where}"]
                f += [f"rule&has={k}" for k in shape]
            if reading:
                f += ["reading", f"reading&where={ref.where}", f"reading&nrule={n_rule}"]
            if is_rule != reading:  # the second reading mends or adds to the rules
                f.append("only=rule" if is_rule else f"only=reading&nrule={n_rule}")
            if not is_rule and not reading:
                f.append(f"other&nrule={n_rule}&where={ref.where}")
                f += [f"other&nrule={n_rule}&p={p}" for p in sorted(ref.proposers)]
            if not is_rule and t in rule_texts:
                f.append("rule_text")
            elif not is_rule and any(same_organisation(t, r) for r in rule_texts):
                f.append("rule_alias")
            for a, b in rule:
                if (a, b) == (c.start, c.end) or min(b, c.end) <= max(a, c.start):
                    continue
                rel = ("inside" if a <= c.start and c.end <= b else
                       "contains" if c.start <= a and b <= c.end else "overlaps")
                f.append(f"vs_rule={rel}")
            f += [f"x={x}" for x in ref.extra]
            if ref.resolved:
                f.append(f"self={ref.resolved}")
            if c.group >= 0:
                f.append("grouped")
            # the words around
            near_before = text[max(0, c.start - 6):c.start]
            near_after = text[c.end:c.end + 8]
            f += [f"before_has={w}" for w in ("对", "向", "延伸", "进驻", "关于")
                  if w in near_before]
            f += [f"after_has={w}" for w in ("开展", "进行", "反馈", "巡察", "巡视", "关于", "高度重视")
                  if w in near_after]
            # suffix and shape
            f.append(f"suffix={next((x for x in _SUFFIXES if t.endswith(x)), '')}")
            n = len(t)
            f.append(f"len={'<4' if n < 4 else '<8' if n < 8 else '<14' if n < 14 else '<25' if n < 25 else 'long'}")
            f += [f"has={k}" for k in shape]
            if (c.start, c.end) in org_spans:
                f.append("org=exact")
            elif any(o.start <= c.start and c.end <= o.end for o in analysis.orgs):
                f.append("org=inside")
            if pub is not None and (c.start, c.end) == (pub.start, pub.end):
                f.append("publisher")
            elif pub is not None and t == pub.text:
                f.append("publisher_text")
            out.append(f)
        return out

    # -- gold --------------------------------------------------------------------------
    def gold(self, candidates: Sequence[Candidate], gold: GoldView) -> list[int]:
        """1 for a candidate whose text scores as a gold target not already found.

        The scorer (``score_targets``, ``shared/eval/score.py``) compares texts after
        ``norm``, a gold target being found when any of its ``|`` alternatives was predicted;
        every prediction counts, so a second name of a target already found (中共汕头市委 in
        the title, 汕头市委 in the header sentence) is a false positive. Per gold target only
        the first matching text is kept, in the order the rules' targets, header sentence,
        feedback sentence, title, elsewhere (then by position); every candidate with that
        text is 1.
        """
        inspection = gold.fields.get("inspection") or {}
        targets = inspection.get("targets") or []
        texts = [norm(c.ref.text) for c in candidates]
        inspector = inspection.get("inspector")
        inspectors = ({norm(a) for a in alternatives(inspector)}
                      | {norm(translate_chars(a)) for a in alternatives(inspector)}
                      if inspector else set())
        order = sorted((i for i, c in enumerate(candidates) if c.label == LABEL), key=lambda i: (
            "rule" not in candidates[i].ref.proposers,
            _WHERE_RANK.get(candidates[i].ref.where, 9), candidates[i].start))
        chosen: set[str] = set()
        for g in targets:
            accepted = {norm(a) for a in alternatives(g)}
            accepted |= {norm(translate_chars(a)) for a in alternatives(g)}
            if accepted & chosen:
                continue
            first = next((texts[i] for i in order if texts[i] in accepted), None)
            if first is not None:
                chosen.add(first)
        return [int(t in inspectors) if c.label == INSPECTOR else int(t in chosen)
                for c, t in zip(candidates, texts)]

    # -- applying ----------------------------------------------------------------------
    def apply(self, text: str, analysis: RuleAnalysis, candidates: Sequence[Candidate],
              scores: Sequence[float], threshold: float) -> RuleAnalysis:
        header = analysis.header
        if header is None:
            return analysis
        inspector = header.inspector
        best = max((i for i, c in enumerate(candidates) if c.label == INSPECTOR),
                   key=lambda i: scores[i], default=None)
        if best is not None and scores[best] >= threshold:
            c = candidates[best]
            inspector = Span(c.start, c.end, "ORG", text[c.start:c.end])
        kept = [i for i in best_of_groups(candidates, scores, threshold)
                if candidates[i].label == LABEL]
        # overlapping candidates: the better scored wins
        chosen: list[int] = []
        for i in sorted(kept, key=lambda i: (-scores[i], candidates[i].start)):
            c = candidates[i]
            if any(min(c.end, candidates[j].end) - max(c.start, candidates[j].start) > 0
                   for j in chosen):
                continue
            chosen.append(i)
        # one name per organisation: the better scored of 中共大朗镇委员会 and 大朗镇党委
        named: list[int] = []
        for i in chosen:
            if not any(same_organisation(text[candidates[i].start:candidates[i].end],
                                         text[candidates[j].start:candidates[j].end])
                       for j in named):
                named.append(i)
        spans: list[Span] = []
        seen: set[str] = set()
        for i in sorted(named, key=lambda i: (candidates[i].start, candidates[i].end)):
            c = candidates[i]
            t = text[c.start:c.end]
            if t in seen:
                continue
            seen.add(t)
            spans.append(Span(c.start, c.end, "ORG", t))
        old = list(header.targets) + ([header.inspector] if header.inspector else [])
        new = spans + ([inspector] if inspector is not None and not any(
            inspector.overlaps(s) for s in spans) else [])
        return replace(analysis, header=replace(header, targets=tuple(spans), inspector=inspector),
                       org_entities=_org_entities(analysis, old, new))


def _inspector_features(text: str, c: Candidate) -> list[str]:
    ref: TargetRef = c.ref
    is_rule, reading = "rule" in ref.proposers, "reading" in ref.proposers
    f = ["I", f"I:where={ref.where}"]
    f += [f"I:p={p}" for p in sorted(ref.proposers)]
    if is_rule != reading:
        f.append("I:only=rule" if is_rule else "I:only=reading")
    t = ref.text
    f += [f"I:has={k}" for k, pat in (("round", "轮"), ("special", "专项"), ("office", "办"),
                                       ("dui", "对"), ("term", "届")) if pat in t]
    f.append(f"I:a1={text[c.end:c.end + 1]}")
    return f


def _org_entities(analysis: RuleAnalysis, old: Sequence[Span],
                  new: Sequence[Span]) -> tuple[Span, ...] | None:
    """The ORG entities with the old targets replaced by the new ones (the new ones win any
    overlap); ``None`` (the rules' own) when nothing changed and no decider set them."""
    if analysis.org_entities is None:
        if {(s.start, s.end) for s in old} == {(s.start, s.end) for s in new}:
            return None
        base = [s for s in analysis.entity_spans() if s.label == "ORG"]
    else:
        base = list(analysis.org_entities)
    # an old target the ORG rule found by itself stays an organisation
    old_keys = {(s.start, s.end) for s in old} - {(o.start, o.end) for o in analysis.orgs}
    kept = [s for s in base if (s.start, s.end) not in old_keys
            and not any(s.overlaps(n) for n in new)]
    return tuple(sorted(drop_overlaps(kept) + list(new), key=lambda s: (s.start, s.end)))
