"""Step 6 of the pipeline: turn the entities and their relations into a :class:`Rectification`.

Everything upstream works on the *clean* text; this is the one place where offsets are mapped
back to the caller's original string (through :class:`~rectify_nlp.text.clean.CleanText`), so
every ``start``/``end`` in the output indexes the input exactly as it was passed in.

The inputs are the notice's entity list (rule and model spans already combined, see
:mod:`rectify_nlp.assemble.entities`) and the relations over it (the trained relation component's,
or the structural rules' of :mod:`rectify_nlp.assemble.relations`). The structured fields are read
off them (see docs/design.md):

* ``outcomes``: one per OUTCOME entity whose quantity the number normaliser can read (the rule
  layer's reading of the same stretch when it has one);
* ``outcomes[j].problem`` / ``problems[i].outcomes``: the ADDRESSES relations, PROBLEM entities
  matched to the outline's problems;
* ``outcomes[j].period``: the DURING relation's DATE, normalised;
* ``inspection.targets``: the tails of the INSPECTS relations (the header's targets when the
  relation layer found none); the outline, header, summary and signature come from the rules;
* ``summary.spans``: where each chosen summary figure is stated (the rule layer's evidence).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from rectify_nlp.assemble.relations import EntityIndex, structural_relations
from rectify_nlp.normalizers.numbers import parse_number
from rectify_nlp.rules.analysis import RuleAnalysis
from rectify_nlp.rules.outcomes import OutcomeMention, find_outcomes
from rectify_nlp.rules.summary import SummaryFigures
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
from rectify_nlp.spans import ScoredRelation, Span
from rectify_nlp.text.clean import CleanText


def assemble(
    clean: CleanText,
    analysis: RuleAnalysis,
    entities: Sequence[Span] | None = None,
    relations: Sequence[ScoredRelation] | None = None,
    *,
    meta: dict[str, Any] | None = None,
) -> Rectification:
    """Build the rectification object for one notice.

    ``entities`` (clean offsets; default: the rule layer's) and ``relations`` (indices into
    ``entities``; default: the structural rules over them) give the entity layer; the result
    carries original offsets.
    """
    meta = {"is_notice": analysis.is_notice, **(meta or {})}
    if not analysis.is_notice:
        return Rectification.empty(**meta)
    header, outline = analysis.header, analysis.outline
    assert header is not None and outline is not None  # noqa: S101 - set when is_notice
    if entities is None:
        entities = analysis.entity_spans()
    if relations is None:
        relations = structural_relations(clean.text, entities, analysis)

    def orig(span: Span) -> Span:
        """The span in original offsets; its text is the text as written, without markup."""
        o = clean.original_span(span)
        return Span(o.start, o.end, o.label, clean.written(span.start, span.end), o.source,
                    o.score)

    # -- entities in output order; relations re-indexed to it --------------------------------
    order = sorted(range(len(entities)),
                   key=lambda i: (entities[i].start, -entities[i].end, entities[i].label))
    spans = [entities[i] for i in order]
    new_index = {old: new for new, old in enumerate(order)}
    rels = sorted({ScoredRelation(r.label, new_index[r.head], new_index[r.tail], r.score)
                   for r in relations if r.head in new_index and r.tail in new_index},
                  key=lambda r: (r.head, r.tail, r.label))
    tails: dict[tuple[str, int], ScoredRelation] = {}
    for r in rels:  # at most one problem and one period per outcome: the best-scored
        old = tails.get((r.label, r.head))
        if old is None or (r.score or 0.0) > (old.score or 0.0):
            tails[(r.label, r.head)] = r

    # -- problems (the outline), matched to PROBLEM entities ---------------------------------
    problem_of_entity: dict[int, int] = {}
    problem_index = EntityIndex([p.statement for p in outline.problems])
    problems: list[Problem] = []
    for p in outline.problems:
        st = orig(p.statement)
        problems.append(Problem(
            statement=st.text, start=st.start, end=st.end, number=p.number, level=p.level,
            parent=p.parent, category=p.category, status=p.status,
            measures=[_text_span(orig(m)) for m in p.measures],
        ))
    for k, e in enumerate(spans):
        if e.label == "PROBLEM":
            hit = problem_index.find(e, "PROBLEM")
            if hit is not None:
                problem_of_entity.setdefault(k, hit)

    # -- outcomes: OUTCOME entities the normaliser can read ----------------------------------
    mention_index = EntityIndex([m.span for m in analysis.outcomes])
    date_index = EntityIndex([d.span for d in analysis.dates])
    outcomes: list[Outcome] = []
    for k, e in enumerate(spans):
        if e.label != "OUTCOME":
            continue
        mention = _reading(e, analysis.outcomes, mention_index, clean.text)
        if mention is None:
            continue
        sp, v = orig(e), mention.value
        period = None
        during = tails.get(("DURING", k))
        if during is not None:
            d = date_index.find(spans[during.tail], "DATE")
            if d is not None and analysis.dates[d].value is not None:
                period = _iso(analysis.dates[d].value.value)
        prob = None
        addresses = tails.get(("ADDRESSES", k))
        if addresses is not None:
            prob = problem_of_entity.get(addresses.tail)
        if prob is not None:
            problems[prob].outcomes.append(len(outcomes))
        outcomes.append(Outcome(
            metric=mention.metric, value=float(v.value), unit=v.unit,
            qualifier=v.qualifier, raw=sp.text, start=sp.start, end=sp.end,
            period=period, problem=prob, lower=_num(v.lower), upper=_num(v.upper),
            approximate=v.approximate, score=e.score,
        ))

    # -- inspection: targets from the INSPECTS relations ---------------------------------------
    inspected = sorted({r.tail for r in rels if r.label == "INSPECTS"})
    if inspected:
        targets = _unique(orig(spans[t]).text for t in inspected)
    else:
        targets = _unique(orig(t).text for t in header.targets)

    out_entities = []
    for s in spans:
        o = clean.original_span(s)  # entity text is the exact original slice
        out_entities.append(Entity(label=s.label, text=o.text, start=o.start, end=o.end,
                                   score=s.score, source=s.source))

    summary = analysis.summary
    signature = analysis.signature
    contacts = analysis.contacts.to_dict() if analysis.contacts is not None else {}
    return Rectification(
        kind=header.kind,
        inspection=Inspection(
            inspector=orig(header.inspector).text if header.inspector is not None else None,
            targets=targets,
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
            spans={name: _text_span(orig(sp)) for name, sp in
                   _summary_spans(summary, analysis.outcomes, clean.text).items()},
        ),
        problems=problems,
        outcomes=outcomes,
        entities=out_entities,
        relations=[Relation(label=r.label, head=r.head, tail=r.tail, score=r.score)
                   for r in rels],
        contacts=Contacts(
            phones=list(contacts.get("phones", [])), emails=list(contacts.get("emails", [])),
            address=contacts.get("address"), postcode=contacts.get("postcode"),
            websites=list(contacts.get("websites", [])),
        ),
        meta=meta,
    )


# the words near a count that say which figure it is (checked in a few characters around it)
_FIGURE_CUES: dict[str, re.Pattern[str]] = {
    "problems_total": re.compile(r"问题"),
    "problems_rectified": re.compile(r"完成|整改到位|已整改|办结|销号"),
    "measures_total": re.compile(r"措施|举措"),
}
_RATE_METRIC = re.compile(r"完成率|整改率|销号率|到位率")
_RATE_TEXT = re.compile(r"(?:完成率|整改率|销号率|到位率)[^,;。:\n0-9]{0,6}?(?P<n>[0-9]+(?:\.[0-9]+)?)\s*[%％]")


def _summary_spans(summary: SummaryFigures | None, outcomes: Sequence[OutcomeMention],
                   text: str) -> dict[str, Span]:
    """Where each chosen summary figure is stated (clean offsets).

    A count is the first ``evidence`` span whose number is the chosen value, preferring one
    with the figure's words nearby (问题, 完成, 措施 …) when the same number is stated for
    several figures. The completion rate is the first OUTCOME whose metric names a rate of
    completion (完成率, 整改率 …) and whose value is the rate, else the first such statement.
    """
    if summary is None:
        return {}
    found: dict[str, Span] = {}
    for name in ("problems_total", "problems_rectified", "measures_total"):
        value = getattr(summary, name)
        if value is None:
            continue
        same = [e for e in summary.evidence if parse_number(e.text[:-1]) == value]
        cued = [e for e in same
                if _FIGURE_CUES[name].search(text, max(0, e.start - 10), e.end + 4)]
        if cued or same:
            found[name] = (cued or same)[0]
    rate = summary.completion_rate
    if rate is not None:
        pct = rate * 100
        hit = next((m.span for m in outcomes if _RATE_METRIC.search(m.metric)
                    and m.value.unit == "%" and isinstance(m.value.value, (int, float))
                    and abs(float(m.value.value) - pct) < 1e-6), None)
        if hit is None:
            hit = next((Span(m.start(), m.end(), "SUMMARY", m.group())
                        for m in _RATE_TEXT.finditer(text)
                        if abs(float(m.group("n")) - pct) < 1e-6), None)
        if hit is not None:
            found["completion_rate"] = hit
    return found


def _reading(entity: Span, mentions: Sequence[OutcomeMention], index: EntityIndex,
             text: str) -> OutcomeMention | None:
    """The quantity an OUTCOME entity states: the rule mention of the same stretch whose
    number lies inside the entity, else what the outcome rules read in the entity's text."""
    hit = index.find(entity, "OUTCOME")
    if hit is not None:
        q = mentions[hit].quantity
        if entity.start <= q.start and q.end <= entity.end:
            return mentions[hit]
    for m in find_outcomes(text[entity.start:entity.end]):
        if isinstance(m.value.value, (int, float)):
            return m
    return None


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
