"""Training deciders on annotated notices, and scoring them on notices held out by group.

Training reads gold notices (``corpus/gold``: a rectification JSON with entities per notice,
plus its text), runs the rule layer on each clean text, labels every candidate from the gold
annotation (mapped to clean offsets) and fits one :class:`LinearModel` per decider. Held-out
evaluation trains on all notices outside a group (a style, a province) and extracts the
group's notices, so a figure never comes from a notice the model saw.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rectify_nlp.decide.base import Decider, GoldView, get_decider
from rectify_nlp.decide.component import DecideComponent
from rectify_nlp.decide.linear import LinearModel
from rectify_nlp.pipeline import components as _components  # noqa: F401  (factories)
from rectify_nlp.rules.analysis import RuleAnalysis, analyze
from rectify_nlp.text.clean import CleanText, clean_text

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    """One annotated notice, cleaned and analysed once (reused by every decider and fold)."""

    id: str
    gold: dict[str, Any]
    clean: CleanText
    analysis: RuleAnalysis
    view: GoldView


def gold_view(gold: dict[str, Any], clean: CleanText) -> GoldView:
    """The gold annotation of one notice in clean offsets.

    A corpus record without the rectification fields (a JSONL/doccano/Label Studio corpus
    has entities and relations only) gets ``inspection`` from its INSPECTS relations: the
    head is the inspector, the tails the targets.
    """
    spans: dict[str, set[tuple[int, int]]] = {}
    entities = gold.get("entities") or []
    for e in entities:
        s, t = clean.to_clean(int(e["start"]), int(e["end"]))
        if t > s:
            spans.setdefault(str(e["label"]), set()).add((s, t))
    fields = dict(gold)
    if "inspection" not in fields:
        inspects = [r for r in gold.get("relations") or [] if r.get("label") == "INSPECTS"]
        texts = [str(e.get("text", "")) for e in entities]
        fields["inspection"] = {
            "inspector": texts[inspects[0]["head"]] if inspects else None,
            "targets": list(dict.fromkeys(texts[r["tail"]] for r in inspects)),
        }
    return GoldView({k: frozenset(v) for k, v in spans.items()}, fields, clean.to_clean)


def prepare(pairs: Iterable[tuple[str, dict[str, Any], str]]) -> list[Notice]:
    """``(id, gold, text)`` triples (as :func:`rectify_nlp.evaluation.gold.gold_pairs` yields)
    cleaned, analysed and mapped."""
    out = []
    for doc_id, gold, text in pairs:
        clean = clean_text(text)
        analysis = analyze(clean.text, page_date=clean.page_date_text)
        out.append(Notice(doc_id, gold, clean, analysis, gold_view(gold, clean)))
    return out


def examples(decider: Decider, notices: Sequence[Notice]) -> tuple[list[list[str]], list[int]]:
    """Features and gold labels of every candidate ``decider`` proposes in ``notices``."""
    feats: list[list[str]] = []
    labels: list[int] = []
    for n in notices:
        if not n.analysis.is_notice:
            continue
        candidates = decider.propose(n.clean.text, n.analysis)
        if not candidates:
            continue
        feats.extend(decider.features(n.clean.text, n.analysis, candidates))
        labels.extend(decider.gold(candidates, n.view))
    return feats, labels


def train_decider(name: str, notices: Sequence[Notice], **fit_options: Any) -> LinearModel:
    """One decider's model trained on ``notices``."""
    decider = get_decider(name)
    feats, labels = examples(decider, notices)
    logger.info("decider %s: %d candidates, %d kept in gold", name, len(labels), sum(labels))
    return LinearModel.fit(feats, labels, **fit_options)


def train_component(names: Sequence[str], notices: Sequence[Notice], *,
                    threshold: float = 0.5, base: DecideComponent | None = None,
                    warm_start: bool = False, **fit_options: Any) -> DecideComponent:
    """A :class:`DecideComponent` with ``names`` trained on ``notices``.

    With ``base`` (fine-tuning), each decider is refitted on ``base``'s examples of it and the
    new ones together (see :func:`rehearsal_start`); ``warm_start`` starts from ``base``'s
    weights instead of from zero (the first fine-tuning, kept to measure it against).
    ``base``'s deciders outside ``names`` are kept as they are, so fine-tuning some deciders
    does not drop the others."""
    kept = [d for d in base.deciders if d not in names] if base is not None else []
    # deciders apply in order: the base's order, then any new ones
    order = ([*base.deciders, *(n for n in names if n not in base.deciders)]
             if base is not None else list(names))
    component = DecideComponent(None, "decide", order, threshold)
    for name in kept:
        if name in base.models:
            component.set_model(name, base.models[name])
    for name in names:
        old = base.models.get(name) if base is not None else None
        rehearse = rehearsal_start(old, warm_start=warm_start) if old is not None else None
        component.set_model(name, train_decider(name, notices, rehearse=rehearse,
                                                **fit_options))
    return component


def rehearsal_start(model: LinearModel, *, warm_start: bool = False) -> LinearModel:
    """What fine-tuning refits from: ``model``'s examples with zero weights, so that the
    refit is the base's own training run with the new examples added (with no new example
    and the base's epochs and seed, it gives the base back). ``model`` itself where it keeps
    no examples or with ``warm_start``.

    Continuing from the base's weights (AdaGrad restarts, so another ``FINE_TUNE_EPOCHS`` of
    full-size steps) overtrains: with no new notice at all, it lost up to 0.16 OUTCOME F1 on
    notices of other styles (docs/training.md, fine-tuning curve).
    """
    if warm_start or model.examples is None:
        return model
    return LinearModel(model.n_bits, examples=model.examples)


#: Epochs of a fine-tuning run: the base model's examples are refitted with the new ones
#: (from zero weights: the same as the base's own training, so no new notice = the base).
FINE_TUNE_EPOCHS = 12
#: How many times a new (the user's) example counts against one the base model learnt from.
NEW_WEIGHT = 5.0


def train_pipeline(corpus: str | Path, out: str | Path, *,
                   deciders: Sequence[str] | None = None,
                   base_model: str | Path | None = None, epochs: int | None = None,
                   threshold: float = 0.5, seed: int = 0, new_weight: float = NEW_WEIGHT,
                   overwrite: bool = False) -> Path:
    """Train (or, from ``base_model``, fine-tune) a deciding pipeline on ``corpus`` and save
    it to ``out``: the notices of a gold folder (``corpus/gold``) or any corpus file
    (JSONL, doccano, Label Studio, DocBin, CoNLL).

    The folder is written next to ``out`` and renamed into place when complete, so a failed
    run leaves nothing half-written. Returns ``out``.
    """
    import shutil
    import tempfile

    import spacy

    from rectify_nlp.decide.base import registered_deciders
    from rectify_nlp.errors import RectifyInputError
    from rectify_nlp.evaluation.gold import gold_pairs

    out = Path(out)
    if out.exists() and not overwrite:
        raise FileExistsError(f"{out} exists; choose another --out or remove it")
    notices = prepare(gold_pairs(Path(corpus)))
    if not notices:
        raise RectifyInputError("no annotated notice in the corpus", source=str(corpus))
    base: DecideComponent | None = None
    if base_model is not None:
        nlp = spacy.load(base_model)
        found = [p for _, p in nlp.pipeline if isinstance(p, DecideComponent)]
        if not found:
            raise RectifyInputError("the base model has no rectify_decide component to "
                                    "fine-tune", source=str(base_model))
        base = found[0]
        deciders = list(deciders or base.deciders)
        threshold = base.threshold
    names = list(deciders or registered_deciders())
    n_epochs = epochs or (FINE_TUNE_EPOCHS if base is not None else 12)
    fit_options: dict[str, Any] = {"new_weight": new_weight} if base is not None else {}
    component = train_component(names, notices, threshold=threshold, base=base,
                                epochs=n_epochs, seed=seed, **fit_options)
    nlp = decide_pipeline(component)
    nlp.meta["name"] = out.name
    nlp.meta["rectify_training"] = {
        "corpus": str(corpus), "notices": len(notices), "deciders": names,
        "base_model": str(base_model) if base_model is not None else None,
        "epochs": n_epochs, "seed": seed,
        "new_weight": new_weight if base is not None else None,
        "candidates": {n: candidate_counts(n, notices) for n in names},
    }
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent if out.parent.exists()
                                else None))
    try:
        nlp.to_disk(tmp / "pipeline")
        if out.exists():
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        (tmp / "pipeline").rename(out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    logger.info("saved %s (%d notices, deciders %s)", out, len(notices), ", ".join(names))
    return out


def candidate_counts(name: str, notices: Sequence[Notice]) -> dict[str, int]:
    """How many candidates decider ``name`` proposes in ``notices``, and how many gold keeps
    (what a model card records)."""
    _, labels = examples(get_decider(name), notices)
    return {"candidates": len(labels), "kept_in_gold": int(sum(labels))}


def decide_pipeline(component: DecideComponent, *, links: bool = True) -> Any:
    """A pipeline that decides: ``rectify_rules`` → ``rectify_decide`` with ``component``'s
    trained deciders → ``rectify_links`` (the structural relations); ``Extractor`` around it,
    or ``nlp.to_disk`` to ship it."""
    from rectify_nlp.pipeline.language import blank_pipeline

    nlp = blank_pipeline("rectify_decide")
    nlp.add_pipe("rectify_rules", name="rules")
    pipe = nlp.add_pipe("rectify_decide", name="decide",
                        config={"deciders": list(component.deciders),
                                "threshold": component.threshold})
    for name, model in component.models.items():
        pipe.set_model(name, model)
    if links:
        nlp.add_pipe("rectify_links", name="links")
    return nlp


def heldout_predictions(notices: Sequence[Notice], groups: dict[str, str],
                        names: Sequence[str], *, threshold: float = 0.5,
                        **fit_options: Any) -> dict[str, dict[str, Any]]:
    """Each notice's extraction (``to_dict()``) by deciders trained on the notices of every
    other group: ``{notice id: result}``. Notices without a group train every fold and are
    never predicted."""
    from rectify_nlp.corpus.sources import leave_one_group_out

    by_id = {n.id: n for n in notices}
    known = {i: g for i, g in groups.items() if i in by_id}
    out: dict[str, dict[str, Any]] = {}
    for name, _, held in leave_one_group_out(known):
        held_set = set(held)
        train = [n for n in notices if n.id not in held_set]
        nlp = decide_pipeline(train_component(names, train, threshold=threshold, **fit_options))
        out.update(extract_notices(nlp, [by_id[i] for i in held]))
        logger.info("held out %s: %d notices", name, len(held))
    return out


def extract_notices(nlp: Any, notices: Sequence[Notice]) -> dict[str, dict[str, Any]]:
    """Each notice's extraction (``to_dict()``) by the spaCy pipeline ``nlp`` (decoded, cleaned and
    assembled as :class:`~rectify_nlp.extractor.Extractor` does): ``{notice id: result}``."""
    from rectify_nlp.extractor import Extractor

    extractor = Extractor(nlp)
    return {n.id: extractor(n.clean.original, source=n.id).to_dict() for n in notices}
