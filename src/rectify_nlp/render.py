"""A self-contained HTML review page for one extraction.

:func:`render_html` turns a notice's text and its :class:`~rectify_nlp.schema.Rectification`
into one HTML page with inline CSS and script (no network, works from ``file://``):

* the notice text with its ``ORG``/``DATE``/``PROBLEM``/``OUTCOME`` entities marked, one colour
  per label, with a legend; overlapping entities nest (an entity crossing another's end is cut
  into parts, each a ``<mark>`` with the same ``data-ent``);
* the notice-level fields (kind, inspection, publisher, summary figures, contacts);
* the outline as a tree of ``<details>``: problem → its measures → its outcomes;
* the relations: hovering an entity lists them, clicking it (or an outcome or problem in the
  tree) marks the entities it is related to and lists them in a panel;
* optional audit findings, listed at the top and flagged on their spans in the text.

Everything that has offsets carries ``data-start``/``data-end``; clicking it scrolls the text
to those characters and gives them the class ``is-focus``. The summary figures link to
``summary.spans`` where the extraction located them. The schema gives no offsets for the other
notice-level fields (inspector, dates, publisher, contacts …), so the page finds their
characters by searching the text (the ``INSPECTS`` relation's entities for inspector and
targets, ``DATE`` entities for the dates, written forms like 2023年3月6日 or 十月九日); a
field found that way is underlined dotted, and one that cannot be found is shown without a link.

The offsets must index ``text``, the very string the extraction ran on (for a file, the decoded
text, HTML included); entities whose text differs from ``text[start:end]`` are reported in a
banner on the page and logged.

>>> from rectify_nlp.schema import Entity, Rectification
>>> r = Rectification(entities=[Entity("ORG", "区委第一巡察组", 0, 7)])
>>> page = render_html("区委第一巡察组<b>", r)
>>> 'class="ent ent-ORG"' in page, "&lt;b&gt;" in page, "<b>" in page
(True, True, False)
"""

from __future__ import annotations

import bisect
import heapq
import html
import json
import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rectify_nlp.normalizers.dates import written_date_pattern
from rectify_nlp.schema import ENTITY_LABELS, Outcome, Problem, Rectification

__all__ = ["render_html"]

logger = logging.getLogger(__name__)

#: Offsets as (start, end), end exclusive.
Range = tuple[int, int]

_LABEL_RANK = {label: i for i, label in enumerate(ENTITY_LABELS)}
_SAFE_CLASS = re.compile(r"[^A-Za-z0-9_-]")


# -- input normalisation ---------------------------------------------------------------------
@dataclass(frozen=True)
class _Finding:
    """An audit finding, read from any object or mapping with the same fields."""

    check: str
    severity: str
    message: str
    spans: tuple[Range, ...]
    bad_spans: int = 0


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for a mapping, else ``obj.name``."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _as_range(span: Any, n: int) -> Range | None:
    """A valid ``(start, end)`` within ``[0, n]`` from a span object, mapping or pair."""
    if isinstance(span, (tuple, list)) and len(span) == 2:
        start, end = span
    else:
        start, end = _get(span, "start"), _get(span, "end")
    if isinstance(start, bool) or isinstance(end, bool):
        return None
    if not isinstance(start, int) or not isinstance(end, int):
        return None
    if 0 <= start <= end <= n:
        return start, end
    return None


def _findings(findings: Iterable[Any] | None, n: int) -> list[_Finding]:
    out: list[_Finding] = []
    for f in findings or ():
        spans, bad = [], 0
        for s in _get(f, "spans") or ():
            r = _as_range(s, n)
            if r is None:
                bad += 1
            else:
                spans.append(r)
        if bad:
            logger.warning("finding %r: %d span(s) outside the text ignored", _get(f, "check"), bad)
        out.append(_Finding(
            check=str(_get(f, "check") or ""),
            severity=str(_get(f, "severity") or "info"),
            message=str(_get(f, "message") or ""),
            spans=tuple(spans),
            bad_spans=bad,
        ))
    return out


# -- locating the notice-level fields ---------------------------------------------------------


def _date_regex(iso: str) -> re.Pattern[str] | None:
    """A pattern for the written forms of an ISO *day* (a month alone is not looked for).

    >>> bool(_date_regex("2023-10-09").search("二〇二三年十月九日")), _date_regex("2023-10")
    (True, None)
    """
    return written_date_pattern(iso) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso or "") else None


def _count_pattern(n: int) -> re.Pattern[str]:
    return re.compile(rf"(?<![0-9.,]){n}(?![0-9.])\s*(?:项|个|条|件|处)")


_COUNT_CUES: dict[str, tuple[tuple[str, ...], tuple[str, ...], int]] = {
    # field: (cues, cues that rule an occurrence out (before it), characters after it looked at)
    "problems_total": (("问题",), ("完成", "已整改", "到位", "销号", "办结"), 4),
    "problems_rectified": (("完成", "已整改", "到位", "销号", "办结"), (), 0),
    "measures_total": (("措施", "举措"), (), 4),
}


def _find_count(text: str, n: int | None, name: str) -> Range | None:
    """The first ``n项/个/条…`` whose neighbourhood reads like the summary figure ``name``."""
    if n is None:
        return None
    cues, avoid, after = _COUNT_CUES[name]
    for m in _count_pattern(n).finditer(text):
        before = text[max(0, m.start() - 15):m.start()]
        window = before + text[m.end():m.end() + after]
        if any(c in window for c in cues) and not any(a in before for a in avoid):
            return m.span()
    return None


class _Locator:
    """Finds the characters of notice-level fields, which the schema gives as strings."""

    def __init__(self, text: str, result: Rectification, valid: Sequence[Range | None]) -> None:
        self.text = text
        self.result = result
        self.valid = valid
        ents = result.entities
        inspects = [r for r in result.relations if r.label == "INSPECTS"]
        self.heads = [r.head for r in inspects]
        self.tails = [r.tail for r in inspects]
        self.by_label: dict[str, list[int]] = {}
        for i, e in enumerate(ents):
            if valid[i] is not None:
                self.by_label.setdefault(e.label, []).append(i)

    def _entity(self, value: str, candidates: Iterable[int]) -> Range | None:
        for i in candidates:
            if 0 <= i < len(self.valid) and self.valid[i] is not None \
                    and self.result.entities[i].text == value:
                return self.valid[i]
        return None

    def org(self, value: str | None, preferred: Sequence[int], *, last: bool = False
            ) -> Range | None:
        """An ORG entity with this text (``preferred`` first), else the text's occurrence."""
        if not value:
            return None
        orgs = self.by_label.get("ORG", [])
        hit = self._entity(value, preferred) or self._entity(
            value, reversed(orgs) if last else orgs)
        return hit or self.find(value, last=last)

    def find(self, value: str | None, *, last: bool = False) -> Range | None:
        if not value:
            return None
        i = self.text.rfind(value) if last else self.text.find(value)
        return (i, i + len(value)) if i >= 0 else None

    def date(self, iso: str | None, *, last: bool = False) -> Range | None:
        """The written form of an ISO day: inside a DATE entity if one has it, else anywhere."""
        pattern = _date_regex(iso or "")
        if pattern is None:
            return None
        dates = self.by_label.get("DATE", [])
        for i in reversed(dates) if last else dates:
            start, end = self.valid[i]  # type: ignore[misc]
            m = pattern.search(self.text, start, end)
            if m:
                return m.span()
        found = list(pattern.finditer(self.text))
        if found:
            return (found[-1] if last else found[0]).span()
        return None

    def completion_rate(self, rate: float | None) -> Range | None:
        if rate is None:
            return None
        pct = _fmt_number(rate * 100)
        for i in self.by_label.get("OUTCOME", []):
            e = self.result.entities[i]
            if "完成率" in e.text and pct in e.text:
                return self.valid[i]
        m = re.search(rf"完成率[^0-9%％。\n]{{0,6}}{re.escape(pct)}\s*[%％]", self.text)
        return m.span() if m else None


# -- formatting ------------------------------------------------------------------------------
def _fmt_number(x: float | int | None) -> str:
    """``123500.0`` → ``123500``, ``0.25`` → ``0.25``, None → ``""``."""
    if x is None:
        return ""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return str(int(x))
    return f"{x:g}" if isinstance(x, float) else str(x)


def _esc(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _label_class(label: str) -> str:
    return "ent-" + (_SAFE_CLASS.sub("_", label) or "_")


def _jump(text: str, rng: Range | None, *, cls: str = "", ent: int | None = None,
          field_name: str | None = None, located: bool = False, title: str | None = None) -> str:
    """A clickable value linking to ``rng`` of the text, or a plain one when ``rng`` is None."""
    classes = " ".join(c for c in ("jump" if rng else "value", cls, "located" if located and rng
                                   else "") if c)
    attrs = [f'class="{classes}"']
    if field_name:
        attrs.append(f'data-field="{_esc(field_name)}"')
    if rng is not None:
        attrs += [f'data-start="{rng[0]}"', f'data-end="{rng[1]}"', 'tabindex="0"',
                  'role="button"']
    if ent is not None:
        attrs.append(f'data-ent="{ent}"')
    if located and rng is not None and title is None:
        title = "found by searching the text: the schema gives no offsets for this field"
    if title:
        attrs.append(f'title="{_esc(title)}"')
    return f"<span {' '.join(attrs)}>{_esc(text)}</span>"


_MISSING = '<span class="missing">not stated</span>'


# -- the text with nested marks ---------------------------------------------------------------
@dataclass(order=True, frozen=True)
class _Piece:
    """An entity, or the part of one that lies inside an enclosing entity."""

    start: int
    neg_end: int
    rank: int
    ent: int
    part: int = field(default=0, compare=False)

    @property
    def end(self) -> int:
        return -self.neg_end


def _nest(pieces: list[_Piece], parts: dict[int, int] | None = None
          ) -> list[tuple[_Piece, list[Any]]]:
    """A forest of properly nested pieces: an entity that crosses the end of the one before
    it is cut there, its first part a child of that one, the rest laid out after it.

    ``parts`` counts the cuts per entity (shared by the recursion, so part numbers are unique).
    """
    heap = list(pieces)
    heapq.heapify(heap)
    parts = {} if parts is None else parts
    forest: list[tuple[_Piece, list[Any]]] = []
    while heap:
        top = heapq.heappop(heap)
        inner: list[_Piece] = []
        while heap and heap[0].start < top.end:
            p = heapq.heappop(heap)
            if p.end <= top.end:
                inner.append(p)
                continue
            parts[p.ent] = parts.get(p.ent, p.part) + 1
            inner.append(_Piece(p.start, -top.end, p.rank, p.ent, p.part))
            heapq.heappush(heap, _Piece(top.end, p.neg_end, p.rank, p.ent, parts[p.ent]))
        forest.append((top, _nest(inner, parts)))
    return forest


class _TextRenderer:
    """Writes the notice text: nested entity marks around segments cut at every boundary."""

    def __init__(self, text: str, result: Rectification, valid: Sequence[Range | None],
                 boundaries: Iterable[int], findings: Sequence[_Finding],
                 titles: Sequence[str]) -> None:
        self.text = text
        self.result = result
        self.valid = valid
        self.titles = titles
        self.bounds = sorted({0, len(text), *boundaries})
        # which findings cover the segment starting at each boundary
        self.cover: dict[int, list[int]] = {}
        self.flag_at: dict[int, list[int]] = {}
        for k, f in enumerate(findings):
            for start, end in f.spans:
                self.flag_at.setdefault(start, []).append(k)
                i = bisect.bisect_left(self.bounds, start)
                while i < len(self.bounds) - 1 and self.bounds[i] < end:
                    self.cover.setdefault(self.bounds[i], []).append(k)
                    i += 1
        self.findings = findings

    def render(self) -> str:
        pieces = [_Piece(r[0], -r[1], _LABEL_RANK.get(e.label, len(_LABEL_RANK)), i)
                  for i, (e, r) in enumerate(zip(self.result.entities, self.valid))
                  if r is not None and r[0] < r[1]]
        out: list[str] = []
        self._emit(_nest(pieces), 0, len(self.text), out)
        return "".join(out)

    def _emit(self, forest: list[tuple[_Piece, list[Any]]], lo: int, hi: int,
              out: list[str]) -> None:
        pos = lo
        for piece, children in forest:
            self._segments(pos, piece.start, out)
            e = self.result.entities[piece.ent]
            start, end = self.valid[piece.ent]  # type: ignore[misc]
            attrs = (f'class="ent {_label_class(e.label)}" data-ent="{piece.ent}" '
                     f'data-label="{_esc(e.label)}" data-start="{start}" data-end="{end}"')
            if piece.start != start or piece.end != end:
                attrs += f' data-part="{piece.part}"'
            out.append(f'<mark {attrs} title="{_esc(self.titles[piece.ent])}">')
            self._emit(children, piece.start, piece.end, out)
            out.append("</mark>")
            pos = piece.end
        self._segments(pos, hi, out)

    def _segments(self, lo: int, hi: int, out: list[str]) -> None:
        if lo >= hi:
            return
        i = bisect.bisect_right(self.bounds, lo)
        cuts = [lo, *self.bounds[i:bisect.bisect_left(self.bounds, hi)], hi]
        for a, b in zip(cuts, cuts[1:]):
            cls, extra = "seg", ""
            covering = self.cover.get(a)
            if covering:
                sev = _SAFE_CLASS.sub("_", self.findings[covering[0]].severity.lower())
                cls += f" flagged sev-{sev}"
                extra += (f' data-findings="{" ".join(map(str, covering))}" title="'
                          + _esc("; ".join(f"{self.findings[k].check}: {self.findings[k].message}"
                                           for k in covering)) + '"')
                if a in self.flag_at:
                    cls += " flag-start"
                    extra += f' data-flag="⚑{",".join(str(k + 1) for k in self.flag_at[a])}"'
            out.append(f'<span class="{cls}" data-s="{a}" data-e="{b}"{extra}>'
                       f"{html.escape(self.text[a:b], quote=False)}</span>")


# -- the page --------------------------------------------------------------------------------
def _valid_entities(text: str, result: Rectification) -> tuple[list[Range | None], int]:
    """Each entity's range when it lies within the text, and how many disagree with it."""
    valid: list[Range | None] = []
    mismatched = 0
    for e in result.entities:
        r = _as_range(e, len(text))
        valid.append(r)
        if r is None or text[r[0]:r[1]] != e.text:
            mismatched += 1
    return valid, mismatched


def _relation_titles(result: Rectification) -> list[str]:
    """The hover text of each entity: its label and its relations."""
    ents = result.entities
    lines: list[list[str]] = [[f"{e.label} #{i}"] for i, e in enumerate(ents)]
    for r in result.relations:
        if not (0 <= r.head < len(ents) and 0 <= r.tail < len(ents)):
            continue
        h, t = ents[r.head], ents[r.tail]
        lines[r.head].append(f"{r.label} → {t.label} «{_short(t.text, 30)}»")
        lines[r.tail].append(f"← {r.label} from {h.label} «{_short(h.text, 30)}»")
    return ["\n".join(x) for x in lines]


class _EntityFinder:
    """The entity of a label at given offsets (exactly, else the first one overlapping them)."""

    def __init__(self, result: Rectification) -> None:
        self.entities = result.entities
        self.exact: dict[tuple[str, int, int], int] = {}
        for i, e in enumerate(result.entities):
            self.exact.setdefault((e.label, e.start, e.end), i)

    def __call__(self, label: str, start: int, end: int) -> int | None:
        hit = self.exact.get((label, start, end))
        if hit is not None:
            return hit
        for i, e in enumerate(self.entities):
            if e.label == label and min(e.end, end) > max(e.start, start):
                return i
        return None


def _outcome_item(o: Outcome, k: int, rng: Range | None, ent: int | None,
                  problems: Sequence[Problem]) -> str:
    value = _fmt_number(o.value)
    if o.lower is not None and o.upper is not None and o.lower != o.upper:
        value += f" ({_fmt_number(o.lower)}–{_fmt_number(o.upper)})"
    elif o.lower is not None and o.upper is None:
        value += f" (≥{_fmt_number(o.lower)})"
    elif o.upper is not None and o.lower is None:
        value += f" (≤{_fmt_number(o.upper)})"
    facts = [("metric", o.metric), ("value", value + (" approx." if o.approximate else "")),
             ("unit", o.unit), ("qualifier", o.qualifier), ("period", o.period)]
    if o.problem is not None and 0 <= o.problem < len(problems):
        p = problems[o.problem]
        facts.append(("problem", f"{p.number or ''} {_short(p.statement, 24)}".strip()))
    dl = "".join(f"<dt>{name}</dt><dd>{_esc(v) if v not in (None, '') else '—'}</dd>"
                 for name, v in facts)
    return (f'<li class="outcome" data-outcome="{k}">'
            f'{_jump(o.raw, rng, cls="raw", ent=ent)}<dl class="facts">{dl}</dl></li>')


class _Page:
    """Builds the page's parts; :meth:`html` joins them."""

    def __init__(self, text: str, result: Rectification, title: str | None,
                 findings: Iterable[Any] | None) -> None:
        self.text, self.result = text, result
        n = len(text)
        self.findings = _findings(findings, n)
        self.valid, self.mismatched = _valid_entities(text, result)
        if self.mismatched:
            logger.warning("%d of %d entities do not match the text at their offsets: was the "
                           "page given the text the extraction ran on?", self.mismatched,
                           len(result.entities))
        self.locator = _Locator(text, result, self.valid)
        self.anchors: list[Range] = []
        self.title = title or self._default_title()

    def _default_title(self) -> str:
        r = self.result
        who = r.meta.get("source") or r.inspection.inspector or r.publisher
        return f"Rectification review: {who}" if who else "Rectification review"

    def _anchor(self, rng: Range | None) -> Range | None:
        """``rng`` when it lies within the text (remembered as a segment boundary)."""
        if rng is None:
            return None
        r = _as_range(rng, len(self.text))
        if r is not None and r[0] < r[1]:
            self.anchors.append(r)
            return r
        return None

    # -- header ------------------------------------------------------------------------------
    def header(self) -> str:
        r, loc = self.result, self.locator
        ins = r.inspection

        def row(name: str, values: str) -> str:
            return f'<dt>{_esc(name)}</dt><dd data-row="{_esc(name)}">{values or _MISSING}</dd>'

        def located(name: str, value: Any, rng: Range | None, shown: str | None = None,
                    given: Any = None) -> str:
            """A field's value linked to ``given`` (offsets the result states) when it lies
            in the text, else to ``rng`` (found by searching the text)."""
            if value is None or value == "" or value == []:
                return ""
            exact = self._anchor(_as_range(given, len(self.text))) if given is not None \
                else None
            return _jump(shown if shown is not None else str(value),
                         exact or self._anchor(rng), field_name=name, located=exact is None)

        rows = [
            row("kind", _esc(r.kind) if r.kind else ""),
            row("inspector", located("inspector", ins.inspector,
                                     loc.org(ins.inspector, loc.heads))),
            row("targets", " ".join(located("targets", t, loc.org(t, loc.tails))
                                    for t in ins.targets)),
            row("start date", located("start_date", ins.start_date, loc.date(ins.start_date))),
            row("end date", located("end_date", ins.end_date, loc.date(ins.end_date))),
            row("feedback date", located("feedback_date", ins.feedback_date,
                                         loc.date(ins.feedback_date))),
            row("round", located("round", ins.round, loc.find(ins.round))),
            row("publisher", located("publisher", r.publisher,
                                     loc.org(r.publisher, (), last=True))),
            row("published date", located("published_date", r.published_date,
                                          loc.date(r.published_date, last=True))),
        ]
        s = r.summary
        stated = getattr(s, "spans", None) or {}  # where the extraction found each figure

        def count(name: str) -> str:
            value = getattr(s, name)
            return row(name.replace("_", " "), located(
                name, value, None if name in stated else _find_count(self.text, value, name),
                given=stated.get(name)))

        rate = s.completion_rate
        figures = [
            count("problems_total"),
            count("problems_rectified"),
            row("completion rate", located(
                "completion_rate", rate,
                None if "completion_rate" in stated else loc.completion_rate(rate),
                shown=None if rate is None else f"{_fmt_number(rate * 100)}%",
                given=stated.get("completion_rate"))),
            count("measures_total"),
        ]
        c = r.contacts
        contacts = [
            located("phones", p, loc.find(p)) for p in c.phones
        ] + [located("emails", m, loc.find(m)) for m in c.emails] + [
            located("websites", w, loc.find(w)) for w in c.websites
        ] + [located("address", c.address, loc.find(c.address)),
             located("postcode", c.postcode, loc.find(c.postcode))]
        contact_row = row("contacts", " ".join(x for x in contacts if x))
        return (f'<section id="header"><h2>Notice</h2><dl class="fields">{"".join(rows)}</dl>'
                f'<h3>Summary</h3><dl class="fields">{"".join(figures)}{contact_row}</dl>'
                "</section>")

    # -- findings ----------------------------------------------------------------------------
    def findings_list(self) -> str:
        if not self.findings:
            return ""
        items = []
        for k, f in enumerate(self.findings):
            sev = _SAFE_CLASS.sub("_", f.severity.lower())
            links = " ".join(_jump(_short(self.text[a:b], 30) or "(empty)", self._anchor((a, b)),
                                   cls="finding-span") for a, b in f.spans)
            if f.bad_spans:
                links += f' <span class="missing">{f.bad_spans} span(s) outside the text</span>'
            items.append(f'<li class="finding sev-{sev}" data-finding="{k}">'
                         f'<span class="flag">⚑{k + 1}</span> <span class="sev">{_esc(f.severity)}'
                         f'</span> <code>{_esc(f.check)}</code> {_esc(f.message)} {links}</li>')
        return (f'<section id="findings"><h2>Audit findings ({len(self.findings)})</h2>'
                f'<ul>{"".join(items)}</ul></section>')

    # -- outline -----------------------------------------------------------------------------
    def outline(self) -> str:
        r = self.result
        problems, outcomes = r.problems, r.outcomes
        children: dict[int | None, list[int]] = {}
        for i, p in enumerate(problems):
            parent = p.parent if p.parent is not None and 0 <= p.parent < len(problems) \
                and p.parent != i else None
            children.setdefault(parent, []).append(i)
        outcome_ranges = [self._anchor((o.start, o.end)) for o in outcomes]
        entity_of = _EntityFinder(r)
        outcome_ents = [entity_of("OUTCOME", o.start, o.end) for o in outcomes]
        seen: set[int] = set()

        def node(i: int) -> str:
            if i in seen:  # a cycle in ``parent``: show each problem once
                return ""
            seen.add(i)
            p = problems[i]
            badges = "".join(f'<span class="badge {cls}">{_esc(v)}</span>'
                             for cls, v in (("status", p.status), ("category", p.category)) if v)
            stmt = _jump(p.statement, self._anchor((p.start, p.end)), cls="stmt",
                         ent=entity_of("PROBLEM", p.start, p.end))
            measures = "".join(
                f'<li class="measure">{_jump(m.text, self._anchor((m.start, m.end)))}</li>'
                for m in p.measures)
            outs = "".join(_outcome_item(outcomes[k], k, outcome_ranges[k], outcome_ents[k],
                                         problems)
                           for k in p.outcomes if 0 <= k < len(outcomes))
            body = ""
            if measures:
                body += f'<h4>measures ({len(p.measures)})</h4><ol class="measures">{measures}</ol>'
            if outs:
                body += f'<h4>outcomes ({len(p.outcomes)})</h4><ul class="outcomes">{outs}</ul>'
            body += "".join(node(c) for c in children.get(i, []))
            return (f'<details open class="problem level-{int(p.level)}" data-problem="{i}">'
                    f'<summary><span class="num">{_esc(p.number or "·")}</span> {stmt} '
                    f'{badges}</summary><div class="body">{body or _MISSING}</div></details>')

        tree = "".join(node(i) for i in children.get(None, []))
        tree += "".join(node(i) for i in range(len(problems)) if i not in seen)
        loose = [k for k, o in enumerate(outcomes)
                 if o.problem is None or not 0 <= o.problem < len(problems)]
        if loose:
            items = "".join(_outcome_item(outcomes[k], k, outcome_ranges[k], outcome_ents[k],
                                          problems) for k in loose)
            tree += (f'<details open class="loose"><summary>outcomes not tied to a problem '
                     f'({len(loose)})</summary><ul class="outcomes">{items}</ul></details>')
        return (f'<section id="outline"><h2>Outline: {len(problems)} problems, '
                f'{len(outcomes)} outcomes</h2>{tree or _MISSING}</section>')

    # -- relations ---------------------------------------------------------------------------
    def relations(self) -> str:
        ents = self.result.entities
        rows = []
        for r in self.result.relations:
            if not (0 <= r.head < len(ents) and 0 <= r.tail < len(ents)):
                continue
            h, t = ents[r.head], ents[r.tail]
            score = "" if r.score is None else f" ({r.score:.2f})"
            head = _jump(_short(h.text, 30), self.valid[r.head], cls=_label_class(h.label),
                         ent=r.head)
            tail = _jump(_short(t.text, 30), self.valid[r.tail], cls=_label_class(t.label),
                         ent=r.tail)
            rows.append(f'<li>{head} <span class="rel">{_esc(r.label)}{score} →</span> '
                        f"{tail}</li>")
        return ('<section id="relations"><h2>Relations</h2>'
                '<div id="relations-panel" class="panel">Click an entity in the text, or a '
                'problem or outcome in the outline, to see what it is related to.</div>'
                f'<details><summary>all relations ({len(rows)})</summary>'
                f'<ul class="rels">{"".join(rows)}</ul></details></section>')

    # -- legend, text, data ------------------------------------------------------------------
    def legend(self) -> str:
        counts: dict[str, int] = {}
        for e, r in zip(self.result.entities, self.valid):
            if r is not None:
                counts[e.label] = counts.get(e.label, 0) + 1
        labels = list(ENTITY_LABELS) + sorted(set(counts) - set(ENTITY_LABELS))
        items = "".join(
            f'<label class="key"><input type="checkbox" checked data-toggle="{_esc(lab)}">'
            f'<mark class="ent {_label_class(lab)}">{_esc(lab)}</mark> {counts.get(lab, 0)}</label>'
            for lab in labels)
        return (f'<div class="legend">{items}<label class="key"><input type="checkbox" '
                'data-tags> label tags</label></div>')

    def data(self) -> str:
        """The entities and relations, for the script (``<`` ``>`` ``&`` escaped)."""
        payload = {
            "ents": [[e.label, r[0], r[1], _short(e.text, 60)] if r else None
                     for e, r in zip(self.result.entities, self.valid)],
            "rels": [[r.label, r.head, r.tail] for r in self.result.relations],
        }
        raw = json.dumps(payload, ensure_ascii=True, separators=(",", ":"))
        return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")

    def html(self) -> str:
        findings = self.findings_list()
        header = self.header()
        outline = self.outline()
        relations = self.relations()
        for f in self.findings:
            self.anchors.extend(f.spans)
        boundaries = [x for a in self.anchors for x in a]
        body_text = _TextRenderer(self.text, self.result, self.valid, boundaries,
                                  self.findings, _relation_titles(self.result)).render()
        warning = ""
        if self.mismatched:
            warning = (f'<p class="warning">{self.mismatched} of {len(self.result.entities)} '
                       "entities do not match the text at their offsets: this page may not have "
                       "been given the text the extraction ran on.</p>")
        empty = "" if self.text else '<p class="missing">(the text is empty)</p>'
        notice = "" if self.result.meta.get("is_notice", True) or self.result.entities else (
            '<p class="missing">Not recognised as a rectification notice: nothing extracted.</p>')
        return _PAGE.format(
            title=_esc(self.title), css=_CSS, script=_SCRIPT, data=self.data(),
            side=findings + warning + notice + header + outline + relations,
            legend=self.legend() + empty, text=body_text, chars=len(self.text),
        )


def render_html(text: str, result: Rectification, *, title: str | None = None,
                findings: Iterable[Any] | None = None) -> str:
    """One self-contained HTML page to review ``result``, the extraction of ``text``.

    ``text`` must be the string the extraction ran on (the offsets index it). ``title`` names
    the page (default: the source, the inspector or the publisher). ``findings`` are audit
    findings: objects or mappings with ``check``, ``severity``, ``message`` and ``spans`` (each
    with ``start``/``end``, or a ``(start, end)`` pair); they are listed at the top and flagged
    on their spans. Offsets outside the text are ignored (and logged), never an error.
    """
    if not isinstance(text, str):
        raise TypeError(f"render_html expects the notice text as str, got {type(text).__name__}")
    return _Page(text, result, title, findings).html()


_CSS = """
:root{--org:#2563eb;--org-bg:#dbeafe;--date:#16a34a;--date-bg:#dcfce7;--problem:#ea580c;
--problem-bg:#ffedd5;--outcome:#9333ea;--outcome-bg:#f3e8ff;--other:#64748b;--other-bg:#e2e8f0;
--focus:#dc2626;--focus-bg:#fef08a;--related:#0891b2}
*{box-sizing:border-box}
body{margin:0;height:100vh;display:flex;flex-direction:column;overflow:hidden;font:14px/1.55 system-ui,"Noto Sans CJK SC","Source Han Sans SC","PingFang SC",
"Microsoft YaHei",sans-serif;color:#1e293b;background:#f8fafc}
header.top{padding:8px 16px;background:#0f172a;color:#f8fafc}
header.top h1{font-size:16px;margin:0}
header.top .sub{font-size:12px;color:#94a3b8}
header.top{flex:none}
.layout{flex:1;min-height:0;display:grid;grid-template-columns:minmax(340px,42%) 1fr}
.side{overflow:auto;padding:8px 16px;border-right:1px solid #cbd5e1;background:#fff}
.main{overflow:auto;padding:0 24px 24px}
h2{font-size:14px;margin:14px 0 6px;color:#334155;text-transform:uppercase;letter-spacing:.04em}
h3{font-size:13px;margin:10px 0 4px;color:#475569}
h4{font-size:12px;margin:6px 0 2px;color:#64748b;font-weight:600}
dl.fields{display:grid;grid-template-columns:10.5em 1fr;gap:2px 8px;margin:0}
dl.fields dt{color:#64748b}dl.fields dd{margin:0}
.missing{color:#94a3b8;font-style:italic}
.jump{cursor:pointer;border-radius:3px;padding:0 2px}
.jump:hover,.jump:focus{background:var(--focus-bg);outline:1px solid var(--focus)}
dl.fields .jump{text-decoration:underline #94a3b8;text-underline-offset:3px}
dl.fields .jump.located{text-decoration:underline dotted #64748b}
dd .jump+.jump{margin-left:6px}
details{margin:2px 0 2px 4px;padding-left:8px;border-left:2px solid #e2e8f0}
details>summary{cursor:pointer;padding:2px 0}
details.problem>summary .num{color:#64748b;font-variant-numeric:tabular-nums}
.stmt{font-weight:600;color:#9a3412}
.badge{display:inline-block;font-size:11px;border-radius:8px;padding:0 6px;margin-left:4px;
background:#e2e8f0;color:#334155}
.badge.status{background:#dcfce7;color:#166534}
ol.measures,ul.outcomes,ul.rels,#findings ul{margin:2px 0;padding-left:20px}
li.measure .jump{display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;
overflow:hidden;color:#334155}
li.outcome .raw{color:#6b21a8;font-weight:600}
dl.facts{display:flex;flex-wrap:wrap;gap:0 10px;margin:0;font-size:12px;color:#475569}
dl.facts dt{color:#94a3b8}dl.facts dt:after{content:":"}dl.facts dd{margin:0}
.panel{background:#f1f5f9;border-radius:4px;padding:6px 8px;font-size:13px}
.panel ul{margin:4px 0;padding-left:18px}
.rel{color:#64748b;font-size:12px}
.warning{background:#fee2e2;color:#991b1b;padding:6px 8px;border-radius:4px}
#findings li{margin:2px 0}
.finding .sev{font-weight:600;text-transform:uppercase;font-size:11px}
.sev-error .sev,.sev-error .flag{color:#b91c1c}.sev-warning .sev,.sev-warning .flag{color:#b45309}
.legend{position:sticky;top:0;background:#f8fafc;padding:8px 0;border-bottom:1px solid #cbd5e1;
z-index:2;display:flex;flex-wrap:wrap;gap:4px 14px;font-size:13px}
.key{cursor:pointer;white-space:nowrap}
#text{white-space:pre-wrap;word-break:break-word;font-size:15px;line-height:2.1;padding-top:8px}
mark.ent{background:var(--other-bg);border-bottom:2px solid var(--other);color:inherit;
padding:1px 0 3px;border-radius:2px;cursor:pointer}
mark.ent mark.ent{padding:0 0 1px}
.ent-ORG{--bg:var(--org-bg);--c:var(--org)}.ent-DATE{--bg:var(--date-bg);--c:var(--date)}
.ent-PROBLEM{--bg:var(--problem-bg);--c:var(--problem)}
.ent-OUTCOME{--bg:var(--outcome-bg);--c:var(--outcome)}
mark.ent.ent-ORG,mark.ent.ent-DATE,mark.ent.ent-PROBLEM,mark.ent.ent-OUTCOME{
background:var(--bg);border-bottom-color:var(--c)}
.legend mark.ent{padding:0 4px}
span.jump.ent-ORG,span.jump.ent-DATE,span.jump.ent-PROBLEM,span.jump.ent-OUTCOME{
border-bottom:2px solid var(--c)}
#text.show-tags mark.ent:after{content:attr(data-label);font-size:9px;vertical-align:super;
color:var(--c);margin-left:1px}
#text.show-tags mark.ent[data-part]:not([data-part="0"]):after{content:none}
#text.hide-ORG .ent-ORG,#text.hide-DATE .ent-DATE,#text.hide-PROBLEM .ent-PROBLEM,
#text.hide-OUTCOME .ent-OUTCOME{background:none;border-bottom-color:transparent}
.seg.flagged{text-decoration:underline wavy #d97706;text-underline-offset:4px}
.seg.flagged.sev-error{text-decoration-color:#dc2626}
.seg.flag-start:before{content:attr(data-flag);font-size:10px;color:#b45309;vertical-align:super}
.is-related{outline:2px dashed var(--related);outline-offset:1px}
.is-focus{background:var(--focus-bg)!important;outline:2px solid var(--focus);outline-offset:0}
"""

_SCRIPT = r"""
(function () {
  "use strict";
  var root = document.getElementById("text");
  var segs = Array.prototype.slice.call(root.querySelectorAll(".seg"));
  var starts = segs.map(function (s) { return +s.getAttribute("data-s"); });
  var data = JSON.parse(document.getElementById("rectify-data").textContent);
  var panel = document.getElementById("relations-panel");
  var marked = [];
  function mark(el, cls) { el.classList.add(cls); marked.push(el); }
  function clear() {
    marked.forEach(function (el) { el.classList.remove("is-focus", "is-related"); });
    marked = [];
  }
  function first(x) {
    var lo = 0, hi = starts.length;
    while (lo < hi) { var m = (lo + hi) >> 1; if (starts[m] < x) lo = m + 1; else hi = m; }
    return lo;
  }
  function markRange(s, e, cls) {
    var hit = null;
    for (var i = first(s); i < segs.length && starts[i] < e; i++) {
      mark(segs[i], cls); hit = hit || segs[i];
    }
    return hit;
  }
  function markEnt(k, cls) {
    root.querySelectorAll('mark[data-ent="' + k + '"]').forEach(function (el) { mark(el, cls); });
  }
  function link(k) {
    var e = data.ents[k], a = document.createElement("span");
    a.className = "jump ent-" + e[0];
    a.setAttribute("data-start", e[1]); a.setAttribute("data-end", e[2]);
    a.setAttribute("data-ent", k); a.tabIndex = 0;
    a.textContent = e[3];
    return a;
  }
  function relations(k) {
    var e = data.ents[k];
    if (!e) return;
    panel.textContent = "";
    var head = document.createElement("div");
    head.appendChild(document.createTextNode(e[0] + " "));
    head.appendChild(link(k));
    panel.appendChild(head);
    var list = document.createElement("ul"), n = 0;
    data.rels.forEach(function (r) {
      var other = r[1] === k ? r[2] : (r[2] === k ? r[1] : null);
      if (other === null || !data.ents[other]) return;
      var li = document.createElement("li");
      li.appendChild(document.createTextNode(
        (r[1] === k ? r[0] + " \u2192 " : "\u2190 " + r[0] + " from ") + data.ents[other][0] + " "));
      li.appendChild(link(other));
      list.appendChild(li); n++;
      markEnt(other, "is-related");
      markRange(data.ents[other][1], data.ents[other][2], "is-related");
    });
    if (!n) list.appendChild(document.createTextNode("no relations"));
    panel.appendChild(list);
  }
  function focus(el) {
    var s = +el.getAttribute("data-start"), e = +el.getAttribute("data-end");
    var k = el.getAttribute("data-ent");
    clear();
    if (k !== null) relations(+k);
    var hit = markRange(s, e, "is-focus");
    root.querySelectorAll('mark[data-start="' + s + '"][data-end="' + e + '"]')
      .forEach(function (m) { mark(m, "is-focus"); });
    if (el.closest("#text") === null) mark(el, "is-focus");
    if (hit) hit.scrollIntoView({block: "center"});
  }
  document.addEventListener("click", function (ev) {
    var el = ev.target.closest("[data-start]");
    if (!el) return;
    if (el.closest("summary")) ev.preventDefault();
    ev.stopPropagation();
    focus(el);
  });
  document.addEventListener("keydown", function (ev) {
    if ((ev.key === "Enter" || ev.key === " ") && ev.target.matches && ev.target.matches(".jump")) {
      ev.preventDefault(); focus(ev.target);
    }
  });
  document.querySelectorAll("[data-toggle]").forEach(function (box) {
    box.addEventListener("change", function () {
      root.classList.toggle("hide-" + box.getAttribute("data-toggle"), !box.checked);
    });
  });
  var tags = document.querySelector("[data-tags]");
  if (tags) tags.addEventListener("change", function () {
    root.classList.toggle("show-tags", tags.checked);
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<meta name="generator" content="rectify_nlp.render">
<title>{title}</title>
<style>{css}</style>
</head>
<body>
<header class="top"><h1>{title}</h1><div class="sub">{chars} characters · click any underlined value or highlighted span</div></header>
<div class="layout">
<aside class="side">{side}</aside>
<main class="main">{legend}<div id="text">{text}</div></main>
</div>
<script type="application/json" id="rectify-data">{data}</script>
<script>{script}</script>
</body>
</html>
"""
