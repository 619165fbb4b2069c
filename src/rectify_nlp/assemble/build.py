"""Step 6 of the pipeline: turn rule findings and model entities into a :class:`Rectification`.

Everything upstream works on the *clean* text; this is the one place where offsets are mapped
back to the caller's original string (through :class:`~rectify_nlp.text.clean.CleanText`), so
every ``start``/``end`` in the output indexes the input exactly as it was passed in.

How rule and model entities combine (see docs/design.md):
* rule spans always stand (they come from what the genre makes certain: the outline, the
  header, number+unit patterns);
* a model span is added where no rule span of the same label overlaps it;
* relations come from :mod:`rectify_nlp.assemble.relations` (structural rules: outline
  containment for ADDRESSES, sentence scope for DURING, the header sentence for INSPECTS).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from rectify_nlp.assemble.relations import link_during, link_problems
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.schema import (
    Contacts,
    Entity,
    Inspection,
    Outcome,
    Problem,
    Rectification,
    Relation,
    Summary,
    TextSpan,
)
from rectify_nlp.spans import Span, drop_overlaps
from rectify_nlp.text.clean import CleanText


def assemble(
    clean: CleanText,
    analysis: RuleAnalysis,
    model_spans: Sequence[Span] = (),
    *,
    meta: dict[str, Any] | None = None,
) -> Rectification:
    """Build the rectification object for one notice.

    ``analysis`` and ``model_spans`` carry clean-text offsets; the result carries original ones.
    """
    meta = {"is_notice": analysis.is_notice, **(meta or {})}
    if not analysis.is_notice:
        return Rectification.empty(**meta)
    header, outline = analysis.header, analysis.outline
    mentions = analysis.outcomes
    assert header is not None and outline is not None  # noqa: S101 - set when is_notice

    def orig(span: Span) -> Span:
        """The span in original offsets; its text is the text as written, without markup."""
        o = clean.original_span(span)
        return Span(o.start, o.end, o.label, clean.written(span.start, span.end), o.source,
                    o.score)

    # -- entities (clean offsets), keyed so relations can find them ----------------------
    rule_spans = analysis.entity_spans()
    spans = _merge_model(rule_spans, model_spans)
    spans.sort(key=lambda s: (s.start, -s.end, s.label))
    index = {(s.label, s.start, s.end): i for i, s in enumerate(spans)}

    # -- problems ---------------------------------------------------------------------------
    outcome_problem = link_problems([o.span for o in mentions], outline.problems)
    outcome_date = link_during(clean.text, [o.span for o in mentions], analysis.dates)
    problems: list[Problem] = []
    for p in outline.problems:
        st = orig(p.statement)
        problems.append(Problem(
            statement=st.text, start=st.start, end=st.end, number=p.number, level=p.level,
            parent=p.parent, category=p.category, status=p.status,
            measures=[_text_span(orig(m)) for m in p.measures],
        ))

    # -- outcomes ---------------------------------------------------------------------------
    outcomes: list[Outcome] = []
    relations: set[tuple[str, int, int]] = set()
    for j, o in enumerate(mentions):
        sp = orig(o.span)
        v = o.value
        date = outcome_date.get(j)
        prob = outcome_problem.get(j)
        outcomes.append(Outcome(
            metric=o.metric, value=float(v.value), unit=v.unit,
            qualifier=v.qualifier, raw=sp.text, start=sp.start, end=sp.end,
            period=_iso(date.value.value) if date is not None and date.value is not None else None,
            problem=prob, lower=_num(v.lower), upper=_num(v.upper), approximate=v.approximate,
        ))
        head = index.get(("OUTCOME", o.span.start, o.span.end))
        if head is None:
            continue
        if prob is not None:
            st = outline.problems[prob].statement
            tail = index.get(("PROBLEM", st.start, st.end))
            if tail is not None:
                relations.add(("ADDRESSES", head, tail))
            problems[prob].outcomes.append(j)
        if date is not None:
            tail = index.get(("DATE", date.span.start, date.span.end))
            if tail is not None:
                relations.add(("DURING", head, tail))
    if header.inspector is not None:
        head = index.get(("ORG", header.inspector.start, header.inspector.end))
        for t in header.targets:
            tail = index.get(("ORG", t.start, t.end))
            if head is not None and tail is not None and head != tail:
                relations.add(("INSPECTS", head, tail))

    entities = []
    for s in spans:
        o = clean.original_span(s)  # entity text is the exact original slice
        entities.append(Entity(label=s.label, text=o.text, start=o.start, end=o.end,
                               score=s.score, source=s.source))

    summary = analysis.summary
    signature = analysis.signature
    contacts = analysis.contacts.to_dict() if analysis.contacts is not None else {}
    return Rectification(
        kind=header.kind,
        inspection=Inspection(
            inspector=orig(header.inspector).text if header.inspector is not None else None,
            targets=_unique(orig(t).text for t in header.targets),
            start_date=header.start_date, end_date=header.end_date,
            feedback_date=header.feedback_date,
            round=orig(header.round).text if header.round is not None else None,
        ),
        publisher=orig(signature.publisher).text if signature and signature.publisher else None,
        published_date=signature.published_date if signature else None,
        summary=Summary(
            problems_total=summary.problems_total if summary else None,
            problems_rectified=summary.problems_rectified if summary else None,
            completion_rate=summary.completion_rate if summary else None,
            measures_total=summary.measures_total if summary else None,
        ),
        problems=problems,
        outcomes=outcomes,
        entities=entities,
        relations=[Relation(label=lab, head=h, tail=t)
                   for lab, h, t in sorted(relations, key=lambda r: (r[1], r[2], r[0]))],
        contacts=Contacts(
            phones=list(contacts.get("phones", [])), emails=list(contacts.get("emails", [])),
            address=contacts.get("address"), postcode=contacts.get("postcode"),
            websites=list(contacts.get("websites", [])),
        ),
        meta=meta,
    )


def _dedupe_label(spans: Iterable[Span], label: str) -> list[Span]:
    """Spans of one label without duplicates or overlaps (the longer span wins)."""
    return [replace(s, label=label) for s in drop_overlaps(spans)]


def _merge_model(rule_spans: list[Span], model_spans: Sequence[Span]) -> list[Span]:
    """Rule spans, plus each model span that overlaps no rule span of its label."""
    by_label: dict[str, list[tuple[int, int]]] = {}
    for r in rule_spans:
        by_label.setdefault(r.label, []).append((r.start, r.end))
    index: dict[str, tuple[list[int], list[int]]] = {}
    for label, items in by_label.items():
        items.sort()
        # rule spans of one label may overlap each other: keep running max of ends
        starts, max_ends, hi = [], [], -1
        for a, b in items:
            hi = max(hi, b)
            starts.append(a)
            max_ends.append(hi)
        index[label] = (starts, max_ends)
    merged = list(rule_spans)
    seen = {(s.label, s.start, s.end) for s in rule_spans}
    for m in model_spans:
        starts, max_ends = index.get(m.label, ([], []))
        i = bisect.bisect_left(starts, m.end)  # rule spans starting before m ends
        if i > 0 and max_ends[i - 1] > m.start:
            continue
        key = (m.label, m.start, m.end)
        if key not in seen:
            seen.add(key)
            merged.append(m)
    return merged


def _text_span(span: Span) -> TextSpan:
    return TextSpan(text=span.text, start=span.start, end=span.end)


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _num(x: float | str | None) -> float | None:
    return float(x) if isinstance(x, (int, float)) else None


def _iso(value: float | str | None) -> str | None:
    return value if isinstance(value, str) else None
