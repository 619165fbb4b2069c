"""The header of a notice: which inspection, of whom, when, and when it was fed back.

Works on the opening of a notice — the sentence that says 「X巡察组对Y开展了巡察」 or
「X巡视组对Y进行了巡视」, however late a title line, a 来源 line or page chrome pushes it — and
on the sentence that says when the opinions were fed back (…反馈了巡察意见, 反馈会).  Unknown
fields are ``None``, never guessed.

>>> h = parse_header("2024年4月3日至6月17日,区委第三巡察组对龙穴街道党工委开展了巡察。"
...                  "7月30日,区委第三巡察组向龙穴街道党工委反馈了巡察意见。")
>>> (h.kind, h.inspector.text, [t.text for t in h.targets])
('巡察', '区委第三巡察组', ['龙穴街道党工委'])
>>> (h.start_date, h.end_date, h.feedback_date)
('2024-04-03', '2024-06-17', '2024-07-30')
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rectify_nlp.rules.dates import DateMention, find_dates, title_ranges
from rectify_nlp.rules.orgs import (
    SELF_REFERENCE_RE,
    find_inspectors,
    find_orgs,
    inspection_target_spans,
)
from rectify_nlp.rules.signature import Signature, parse_signature
from rectify_nlp.spans import Span

logger = logging.getLogger(__name__)

__all__ = ["Header", "parse_header"]

_ZONE = 4000  # how far past the zone start the header sentence is looked for
_LOOKBACK = 300  # how far before an anchor the header sentence may start
_TITLE_LOOKBACK = 400  # how much of what precedes the header sentence the zone keeps (title)
_NUM = r"[〇零一二两三四五六七八九十百\d]{1,4}"
# The first inspection sentence anchors the header zone, so that a long preamble (page chrome,
# an English or unrelated lead text) does not push the header out of it. Strong: 对X开展/进行了
# …巡察, 进驻X开展巡视; weak: a 巡视组/巡察组 mention or 反馈…巡察意见. Bounded repetitions only.
_STRONG_ANCHOR_RE = re.compile(
    r"(?:对|进驻)[^,。;:!?,;:!?\n]{2,120}?"
    r"(?:进行|开展|实施)了?(?:为期[^,。,]{1,8}的)?[^,。;,;对\n]{0,14}?(?:巡视|巡察)"
)
_WEAK_ANCHOR_RE = re.compile(
    rf"(?:巡视|巡察)(?:工作)?(?:{_NUM})?组|第{_NUM}(?:巡视|巡察)组"
    r"|反馈[^。!?!?\n]{0,8}?(?:巡视|巡察)|(?:巡视|巡察)(?:意见)?反馈"
)
_FEEDBACK_WINDOW = 600
_SENT_END = "。!?!?\n"
_FEEDBACK_RE = re.compile(r"反馈(?:了)?(?:[^,。,;;\n]{0,6}?)(?:意见|问题|情况|会)|反馈会")
_RECIPIENT_RE = re.compile(r"向(?P<t>[^,。,;;\n]{2,40}?)(?:反馈|集中反馈|进行了反馈)")
_ROUND_RE = re.compile(
    r"(?:(?:[一二三四五六七八九十]{1,3}|\d{1,2})届)?"
    r"(?:中央|省委|市委|区委|县委|州委|旗委|党委|党组)?"
    r"(?:(?:19|20)\d{2}年度?)?"
    r"第[一二三四五六七八九十\d]{1,3}轮(?:第[一二三四五六七八九十\d]{1,2}批)?"
)
_KIND_RE = re.compile(r"巡视|巡察")
_TITLE_KIND_RE = re.compile(r"(巡视|巡察)(?:集中)?整改")
_ALIAS_RE = re.compile(r"[((](?:以下)?(?:简称|下称)[“\"‘「]?(?P<a>[^”\"’」))]{2,20})[”\"’」]?[))]")
_TITLE_SCAN = 400  # how far into the page a title line 'X关于…整改…' is looked for
_NOTICE_TITLE_ORG_RE = re.compile(r"^(?P<o>[\u4e00-\u9fff()()]{4,40}?)关于")


@dataclass(frozen=True)
class Header:
    """The notice-level inspection fields (guidelines §4); ``None``/empty when not stated."""

    kind: str | None = None
    inspector: Span | None = None
    targets: tuple[Span, ...] = ()
    start_date: str | None = None
    end_date: str | None = None
    feedback_date: str | None = None
    round: Span | None = None
    evidence: tuple[Span, ...] = ()


def _sentence(text: str, pos: int, lo: int = 0) -> tuple[int, int]:
    """The (start, end) of the sentence around ``pos`` (ended by 。!? or a line break)."""
    a = pos
    while a > lo and text[a - 1] not in _SENT_END:
        a -= 1
    b = pos
    n = len(text)
    while b < n and text[b] not in _SENT_END:
        b += 1
    if b < n and text[b] != "\n":
        b += 1
    return a, b


def _ends(value: str) -> tuple[str, str]:
    first, _, last = value.partition("/")
    return first, (last or first)


def _zone_start(text: str) -> tuple[int, int]:
    """Where the header zone starts and how far back a header sentence may reach: ``(0, 0)``
    for an ordinary notice, else a line start shortly before the first inspection sentence
    (the earliest anchor that keeps the first strong one in the zone) and that sentence's start."""
    strong = _STRONG_ANCHOR_RE.search(text)
    weak = _WEAK_ANCHOR_RE.search(text, 0, strong.start() if strong else len(text))
    if strong is not None:
        anchor = strong.start()
        if weak is not None and strong.end() - weak.start() < _ZONE - _TITLE_LOOKBACK - _LOOKBACK:
            anchor = weak.start()
    elif weak is not None:
        anchor = weak.start()
    else:
        return 0, 0
    if anchor < _ZONE // 2:
        return 0, 0
    sent_a, _ = _sentence(text, anchor, max(0, anchor - _LOOKBACK))
    zs = max(0, sent_a - _TITLE_LOOKBACK)
    nl = text.find("\n", zs, sent_a)
    return (nl + 1 if nl >= 0 else sent_a), sent_a


def _date_in(dates: Sequence[DateMention], a: int, b: int) -> list[DateMention]:
    return [d for d in dates if a <= d.span.start and d.span.end <= b]


def _kind(
    text: str, clause_kind: str | None, inspector: Span | None, zs: int = 0
) -> str | None:
    if clause_kind:
        return clause_kind
    if inspector is not None:
        m = _KIND_RE.search(inspector.text)
        if m:
            return m.group()
    head = text[zs: zs + 600]
    m = _TITLE_KIND_RE.search(head)
    if m:
        return m.group(1)
    # majority outside 《》 titles, only when clear
    zone = text[zs: zs + _ZONE]
    titles = title_ranges(zone)
    counts = {"巡视": 0, "巡察": 0}
    for m in _KIND_RE.finditer(zone):
        if any(a <= m.start() < b for a, b in titles):
            continue
        counts[m.group()] += 1
    if counts["巡察"] >= 2 * max(1, counts["巡视"]):
        return "巡察"
    if counts["巡视"] >= 2 * max(1, counts["巡察"]) and counts["巡察"] == 0:
        return "巡视"
    return None


def _own_name(text: str, zs: int = 0, head_lo: int = 0,
              signature: Signature | None = None) -> Span | None:
    """The name the notice gives itself: the signature, else a title line 'X关于…' (the
    opening line, or after a long preamble a line kept before the header sentence)."""
    sig = signature if signature is not None else parse_signature(text)
    if sig.publisher is not None:
        return sig.publisher
    starts = [0]
    if zs > 0:
        starts = [zs] + [i + 1 for i in range(zs, head_lo) if text[i] == "\n"]
    # a page's chrome (政府公告, breadcrumbs) may come before the title line
    starts += [i + 1 for i in range(0, min(len(text), _TITLE_SCAN)) if text[i] == "\n"]
    for a in starts:
        line = text[a: a + 200].split("\n", 1)[0]
        first = line.lstrip()
        off = a + len(line) - len(first)
        m = _NOTICE_TITLE_ORG_RE.match(first)
        if m and (a in starts[:1] or "整改" in first):
            return Span(off, off + len(m.group("o")), "ORG", m.group("o"))
    return None


def _resolve_pronoun(text: str, target: Span, zs: int = 0, head_lo: int = 0,
                     signature: Signature | None = None) -> Span | None:
    """我乡/我单位 → the name the notice gives elsewhere (alias, signature or title)."""
    own = _own_name(text, zs, head_lo, signature)
    if own is not None:
        return own
    # "中共X乡委员会(以下简称“我乡”)": the name before the alias
    for m in _ALIAS_RE.finditer(text, zs, min(len(text), zs + _ZONE)):
        if m.group("a") == target.text:
            orgs = [o for o in find_orgs(text[: m.start()]) if o.end >= m.start() - 1]
            if orgs:
                return orgs[-1]
    return None


def parse_header(text: str, *, dates: Sequence[DateMention] | None = None,
                 signature: Signature | None = None) -> Header:
    """Read the inspection fields from the opening of a notice.

    ``dates`` are the document's resolved dates (from :func:`find_dates`) and ``signature``
    its :func:`parse_signature` result (used to resolve 我乡-style targets); each is computed
    here when absent.

    >>> parse_header("").kind is None
    True
    """
    if not isinstance(text, str) or not text.strip():
        return Header()
    zs, head_lo = _zone_start(text)
    zone = text[zs: zs + _ZONE]
    targets_found = [(sp.shift(zs), k) for sp, k in inspection_target_spans(zone)]
    inspectors = [sp.shift(zs) for sp in find_inspectors(zone)]
    clause_kind: str | None = None
    head_a = head_b = None
    if targets_found:
        first = targets_found[0][0]
        clause_kind = targets_found[0][1]
        head_a, head_b = _sentence(text, first.start, head_lo)
        targets = [sp for sp, _k in targets_found if head_a <= sp.start < head_b]
    else:
        targets = []
        if inspectors:
            head_a, head_b = _sentence(text, inspectors[0].start, head_lo)
    if head_a is None or head_b is None:
        kind = _kind(text, None, None, zs)
        rnd = _round(text)
        return Header(kind=kind, round=rnd)

    if dates is None:
        dates = find_dates(text[: min(len(text), head_b + _FEEDBACK_WINDOW + 200)])
    evidence: list[Span] = [Span(head_a, head_b, "HEADER", text[head_a:head_b])]

    inspector = next((s for s in inspectors if head_a <= s.start < head_b), None)
    if inspector is None and inspectors:
        inspector = inspectors[0]

    # inspection period: a date of the header sentence before the feedback words
    fb_in_head = _FEEDBACK_RE.search(text, head_a, head_b)
    period_end = fb_in_head.start() if fb_in_head else head_b
    start_date = end_date = None
    period_dates = [d for d in _date_in(dates, head_a, period_end) if d.value is not None]
    if fb_in_head:
        # the date right before the feedback words belongs to the feedback (并于11月3日反馈)
        clause_start = max(text.rfind(c, head_a, fb_in_head.start()) for c in ",,;;")
        period_dates = [d for d in period_dates if d.span.end <= max(clause_start, head_a)] or [
            d for d in period_dates if d.value is not None and d.value.is_interval
        ]
    if fb_in_head and not targets_found:
        # a feedback sentence only (X月X日,巡视组向Y反馈了意见): its one date is the feedback's
        period_dates = [d for d in period_dates if d.value is not None and d.value.is_interval]
    period = next((d for d in period_dates if d.value is not None and d.value.is_interval), None)
    if period is None and period_dates:
        period = period_dates[0]
    if period is not None and period.value is not None and period.value.value is not None:
        first, last = _ends(str(period.value.value))
        start_date = first
        end_date = last if period.value.is_interval else None
        evidence.append(period.span)

    feedback_date, fb_span, fb_sentence = _feedback(text, dates, head_a, head_b, period)
    if fb_span is not None:
        evidence.append(fb_span)
    if fb_sentence is not None and fb_sentence[0] != head_a:
        evidence.append(Span(fb_sentence[0], fb_sentence[1], "HEADER", text[fb_sentence[0]:fb_sentence[1]]))

    if not targets:
        targets = _recipients(text, head_a, min(len(text), head_b + _FEEDBACK_WINDOW))
    resolved: list[Span] = []
    seen: set[str] = set()
    for t in targets:
        if SELF_REFERENCE_RE.match(t.text):
            r = _resolve_pronoun(text, t, zs, head_lo, signature)
            if r is None:
                continue
            t = r
        if t.text in seen:
            continue
        seen.add(t.text)
        resolved.append(t)

    return Header(
        kind=_kind(text, clause_kind, inspector, zs),
        inspector=inspector,
        targets=tuple(resolved),
        start_date=start_date,
        end_date=end_date,
        feedback_date=feedback_date,
        round=_round(text),
        evidence=tuple(sorted(evidence, key=lambda s: (s.start, s.end))),
    )


def _recipients(text: str, a: int, b: int) -> list[Span]:
    for m in _RECIPIENT_RE.finditer(text, a, b):
        t = m.group("t")
        if "巡视组" in t or "巡察组" in t:
            continue
        return [Span(m.start("t"), m.end("t"), "ORG", t)]
    return []


def _feedback(
    text: str, dates: Sequence[DateMention], head_a: int, head_b: int, period: DateMention | None
) -> tuple[str | None, Span | None, tuple[int, int] | None]:
    limit = min(len(text), head_b + _FEEDBACK_WINDOW)
    for m in _FEEDBACK_RE.finditer(text, head_a, limit):
        sa, sb = _sentence(text, m.start(), head_a)
        cands = [
            d for d in _date_in(dates, sa, sb)
            if d.value is not None and d.value.value is not None
            and (period is None or d.span.start >= period.span.end)
            and not d.value.is_interval
        ]
        if not cands:
            continue
        before = [d for d in cands if d.span.end <= m.start()]
        d = before[-1] if before else cands[0]
        assert d.value is not None
        return _ends(str(d.value.value))[0], d.span, (sa, sb)
    return None, None, None


def _round(text: str) -> Span | None:
    """The inspection round as written (四届区委第七轮, 2024年第二轮), when stated."""
    for m in _ROUND_RE.finditer(text):
        s = m.group()
        after = text[m.end(): m.end() + 8]
        before = text[max(0, m.start() - 1): m.start()]
        qualified = s[0] != "第" or "巡" in after or before in ("届", "委")
        if qualified and ("巡视" in after or "巡察" in after or s[0] != "第"):
            return Span(m.start(), m.end(), "ROUND", s)
    return None
