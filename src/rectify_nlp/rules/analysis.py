"""Run every rule component over one clean text and collect what they found.

The order matters only where one rule feeds another: dates feed the header; dates, contacts,
summary figures and the header's own spans are excluded from outcome candidates.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from rectify_nlp.rules.contacts import Contacts, find_contacts
from rectify_nlp.rules.dates import DateMention, find_dates
from rectify_nlp.rules.header import Header, parse_header
from rectify_nlp.rules.orgs import find_orgs
from rectify_nlp.rules.outcomes import OutcomeMention, find_outcomes
from rectify_nlp.rules.outline import Outline, parse_outline
from rectify_nlp.rules.signature import Signature, parse_signature
from rectify_nlp.rules.summary import SummaryFigures, parse_summary
from rectify_nlp.spans import Span, drop_overlaps

logger = logging.getLogger(__name__)

# A notice names an inspection (巡视/巡察) and its rectification (整改). Both words must occur,
# in simplified form (the clean text is already simplified).
_NOTICE_WORDS = re.compile(r"巡[视察]")
_RECTIFY_WORDS = re.compile(r"整改")


@dataclass(frozen=True)
class RuleAnalysis:
    """What the rule layer found in one clean text (offsets index that text)."""

    is_notice: bool
    header: Header | None = None
    signature: Signature | None = None
    summary: SummaryFigures | None = None
    outline: Outline | None = None
    dates: tuple[DateMention, ...] = ()
    orgs: tuple[Span, ...] = ()
    outcomes: tuple[OutcomeMention, ...] = ()
    contacts: Contacts | None = None
    #: the ORG entities once a trained decider has chosen them (``rectify_nlp.decide``); None:
    #: the rules' own (``orgs`` plus the header's and the signature's organisations)
    org_entities: tuple[Span, ...] | None = None

    def entity_spans(self) -> list[Span]:
        """Every entity the rules found (clean offsets): ORG — the orgs found anywhere plus the
        header's inspector and targets and the signature's publisher, overlaps resolved in
        favour of the longer span — then DATE, PROBLEM (problem statements) and OUTCOME."""
        if not self.is_notice:
            return []
        if self.org_entities is not None:
            return self._with_orgs([replace(s, label="ORG") for s in self.org_entities])
        orgs: list[Span] = list(self.orgs)
        if self.header is not None:
            if self.header.inspector is not None:
                orgs.append(self.header.inspector)
            orgs.extend(self.header.targets)
        if self.signature is not None and self.signature.publisher is not None:
            orgs.append(self.signature.publisher)
        return self._with_orgs([replace(s, label="ORG") for s in drop_overlaps(orgs)])

    def _with_orgs(self, spans: list[Span]) -> list[Span]:
        spans += [d.span for d in self.dates]
        if self.outline is not None:
            spans += [p.statement for p in self.outline.problems]
        spans += [o.span for o in self.outcomes]
        return spans


def looks_like_notice(text: str) -> bool:
    """Whether ``text`` is plausibly a rectification notice (mentions an inspection and 整改)."""
    return bool(_NOTICE_WORDS.search(text)) and bool(_RECTIFY_WORDS.search(text))


def analyze(text: str, *, page_date: str | None = None) -> RuleAnalysis:
    """Run the rule layer over a clean text.

    Text that is not a rectification notice yields ``RuleAnalysis(is_notice=False)``: an
    honest empty result, not an exception.

    >>> analyze("今天天气很好。").is_notice
    False
    """
    if not looks_like_notice(text):
        return RuleAnalysis(is_notice=False)
    contacts = find_contacts(text)
    dates = tuple(find_dates(text))
    summary = parse_summary(text)
    outline = parse_outline(text)
    signature = parse_signature(text, page_date=page_date, dates=dates)
    header = parse_header(text, dates=dates, signature=signature)
    orgs = tuple(find_orgs(text))
    exclude: list[Span] = [d.span for d in dates]
    exclude.extend(contacts.spans())
    exclude.extend(summary.evidence)
    # the header sentence counts the inspection's scope (4个巡察组, 32家事业单位), not results
    exclude.extend(s for s in header.evidence if s.label == "HEADER")
    if header.round is not None:
        exclude.append(header.round)
    # an outcome is a number: a mention whose value could not be parsed is not one
    outcomes = tuple(o for o in find_outcomes(text, exclude=exclude)
                     if isinstance(o.value.value, (int, float)))
    logger.debug("rules: %d dates, %d orgs, %d problems, %d outcomes", len(dates), len(orgs),
                 len(outline.problems), len(outcomes))
    return RuleAnalysis(
        is_notice=True, header=header, signature=signature, summary=summary, outline=outline,
        dates=dates, orgs=orgs, outcomes=outcomes, contacts=contacts,
    )
