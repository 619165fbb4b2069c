"""Train (or fine-tune) the pipeline with spaCy's own training loop, and write a model card.

Two stages, one output folder:

1. the entity components (``tok2vec`` + ``ner``, and the rule-feature component when the config
   has one) on windows of the clean text (``resources/configs/ner_crf.cfg`` by default);
2. the relation component (``rectify_relations``) on whole notices with their gold entities
   (``resources/configs/relations.cfg``), added to the same pipeline. ``relations=False`` skips it
   (the extractor then uses the structural relation rules).

>>> from rectify_nlp.training import train
>>> train("corpus/gold.jsonl", "/tmp/my_model", max_steps=500)   # doctest: +SKIP
PosixPath('/tmp/my_model')

The output folder is a spaCy pipeline (``spacy.load`` / ``rectify_nlp.load`` read it) holding
the best checkpoint on the dev set, plus ``model_card.json`` and ``README.md``.

Fine-tuning (``base_model``): every component of the base pipeline is *sourced* (weights,
architecture, label set), so the labels it knew stay in its output layer; labels are never
removed. Against forgetting, pass ``rehearse`` (e.g. the corpus the base was trained on,
``corpus/gold.jsonl``): each epoch mixes a fresh random sample of its windows
(``rehearse_ratio`` × the number of new windows) into the training data.
"""

from __future__ import annotations

import io
import json
import logging
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, Any

from rectify_nlp import __version__
from rectify_nlp.pipeline.language import pipes_by_factory
from rectify_nlp.training.config import (
    RELATIONS_FACTORY,
    blank_local_paths,
    load_training_config,
    source_from,
)
from rectify_nlp.training.data import iter_windows, label_counts, records_hash

logger = logging.getLogger(__name__)

CARD_JSON = "model_card.json"
CARD_README = "README.md"
MODEL_NAME = "rectify_ner"


def _dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def _prepare_output(output_dir: Path) -> None:
    """Refuse to overwrite a folder that is neither empty nor a pipeline."""
    if output_dir.exists():
        if not output_dir.is_dir():
            raise FileExistsError(f"{output_dir} exists and is not a folder")
        if any(output_dir.iterdir()) and not (output_dir / "config.cfg").exists():
            raise FileExistsError(f"{output_dir} is not empty and holds no pipeline; "
                                  "refusing to overwrite it")


def _data_summary(path: str | os.PathLike[str], max_chars: int) -> dict[str, Any]:
    from rectify_nlp.corpus import load_corpus

    records = load_corpus(path)
    windows = list(iter_windows(records, max_chars))
    return {"file": Path(path).name, "records": len(records), "windows": len(windows),
            "characters": sum(len(r.text) for r in records),
            "entities": label_counts(windows), "sha256": records_hash(records)}


def stream_epochs(cfg: Any) -> Any:
    """Make spaCy call the train reader once per epoch (in place; returns ``cfg``).

    With ``[training] max_epochs >= 0`` spaCy's loop reads the train corpus ONCE and reshuffles
    that list every epoch, so the rehearsal sample ``rectify.Corpus.v1`` draws per call would be
    the same for the whole run (not "a fresh sample every epoch"). ``max_epochs = -1`` streams:
    spaCy calls the reader at every epoch, and the reader shuffles the train windows itself.
    ``0`` (no epoch limit) becomes ``-1``; a positive limit cannot be streamed and is kept with
    a warning (the rehearsal sample is then fixed for the run).

    >>> from thinc.api import Config
    >>> stream_epochs(Config({"training": {"max_epochs": 0}}))["training"]["max_epochs"]
    -1
    """
    epochs = int(cfg["training"].get("max_epochs", 0))
    if epochs == 0:
        cfg["training"]["max_epochs"] = -1
    elif epochs > 0:
        logger.warning("training.max_epochs = %d: spaCy reads the train corpus once, so the "
                       "rehearsal sample is drawn once for the whole run (set it to 0 for a "
                       "fresh sample every epoch)", epochs)
    return cfg


def train(corpus: str | os.PathLike[str], output_dir: str | os.PathLike[str], *,
          config: str | os.PathLike[str] | None = None,
          dev: str | os.PathLike[str] | None = None, seed: int = 0,
          max_steps: int | None = None, base_model: str | os.PathLike[str] | None = None,
          overrides: Mapping[str, Any] | None = None,
          rehearse: str | os.PathLike[str] | None = None, rehearse_ratio: float | None = None,
          relations: bool = True, relations_config: str | os.PathLike[str] | None = None,
          relations_max_steps: int | None = None, gpu_id: int = -1,
          stdout: IO[str] | None = None) -> Path:
    """Train the NER pipeline on ``corpus`` and save it (best dev checkpoint) in ``output_dir``.

    ``corpus``/``dev``/``rehearse``: any file :func:`rectify_nlp.corpus.load_corpus` reads.
    Without ``dev`` a stable 10 % of the training windows is held out (``corpora.dev.holdout``).
    ``config``: a spaCy config (default ``resources/configs/ner_crf.cfg``); ``overrides``:
    ``{"section.key": value}`` applied on top (``seed``/``max_steps`` win over them).
    ``base_model``: a pipeline folder to fine-tune (see the module docstring).
    ``relations``: also train the relation component (stage 2) with ``relations_config``
    (default ``resources/configs/relations.cfg``) for ``relations_max_steps`` (default: the
    config's); with ``base_model`` it is retrained on ``corpus`` plus ``rehearse``.
    ``gpu_id``: a GPU to train on (``-1``: CPU; needs cupy and a CUDA torch for transformers).
    ``stdout``: where spaCy's progress table goes (default ``sys.stdout``).
    Returns ``output_dir``, which then holds the pipeline and its model card.
    """
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as train_loop

    import rectify_nlp.training.registry  # noqa: F401  (registers rectify.* functions)

    out = Path(output_dir)
    _prepare_output(out)
    if base_model is not None and not (Path(base_model) / "config.cfg").exists():
        raise FileNotFoundError(f"no pipeline at {base_model} (expected config.cfg)")
    ov: dict[str, Any] = dict(overrides or {})
    ov["paths.train"] = str(corpus)
    ov["paths.dev"] = None if dev is None else str(dev)
    if rehearse is not None:
        ov["paths.rehearse"] = str(rehearse)
    if rehearse_ratio is not None:
        ov["corpora.train.rehearse_ratio"] = float(rehearse_ratio)
    ov["system.seed"] = int(seed)
    if max_steps is not None:
        ov["training.max_steps"] = int(max_steps)
    cfg = load_training_config(config, ov)
    if base_model is not None:
        cfg = source_from(cfg, base_model)
    if rehearse is not None:
        stream_epochs(cfg)

    started = time.perf_counter()
    stream = stdout if stdout is not None else sys.stdout
    if gpu_id >= 0:
        from thinc.api import require_gpu

        require_gpu(gpu_id)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{out.name}.train-", dir=out.parent))
    rel_scores: dict[str, Any] = {}
    try:
        nlp = init_nlp(cfg, use_gpu=gpu_id)
        train_loop(nlp, work, use_gpu=gpu_id, stdout=stream,
                   stderr=stream if stdout is not None else sys.stderr)
        best = work / "model-best"
        if not best.exists():
            best = work / "model-last"
        if relations:
            rel_scores = _add_relations(best, corpus, dev=dev, rehearse=rehearse, seed=seed,
                                        config=relations_config, max_steps=relations_max_steps,
                                        work=work, stdout=stream)
        if not rel_scores and base_model is not None:
            _keep_base_relations(best, base_model)
        if out.exists():
            shutil.rmtree(out)
        shutil.move(str(best), str(out))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds = time.perf_counter() - started

    # the saved config names no local file; the meta names the pipeline
    saved = spacy.util.load_config(out / "config.cfg", interpolate=False)
    blank_local_paths(saved).to_disk(out / "config.cfg")
    meta = json.loads((out / "meta.json").read_text(encoding="utf-8"))
    meta.update({"name": MODEL_NAME, "version": __version__,
                 "description": "rectify_nlp NER (ORG, DATE, PROBLEM, OUTCOME) over clean "
                                "text, one token per character"})
    (out / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n",
                                   encoding="utf-8")

    card = _model_card(cfg, meta, corpus=corpus, dev=dev, rehearse=rehearse,
                       base_model=base_model, seed=seed, seconds=seconds, out=out)
    if rel_scores:
        card["scores"].update(rel_scores)
    write_model_card(card, out)
    logger.info("trained %s in %.0f s (dev ents_f %s)", out, seconds,
                card["scores"].get("ents_f"))
    return out


def _add_relations(pipeline_dir: Path, corpus: str | os.PathLike[str], *,
                   dev: str | os.PathLike[str] | None, rehearse: str | os.PathLike[str] | None,
                   seed: int, config: str | os.PathLike[str] | None, max_steps: int | None,
                   work: Path, stdout: IO[str]) -> dict[str, Any]:
    """Stage 2: train the relation component and add it to the pipeline at ``pipeline_dir``.

    Returns the relation component's dev scores (``rel_*``)."""
    import spacy

    from rectify_nlp.corpus import load_corpus, write_jsonl
    from rectify_nlp.training.relations import train_relations

    # notices annotated with relations only: a record without any (silver data, an entity-only
    # corpus) would teach that no pair is ever related
    records = [*load_corpus(corpus), *(load_corpus(rehearse) if rehearse is not None else [])]
    annotated = [r for r in records if r.relations]
    if not annotated:
        logger.warning("no record has relations: the relation component is not trained")
        return {}
    if len(annotated) < len(records):
        logger.info("relation training: %d of %d records have relations", len(annotated),
                    len(records))
    data = work / "relations_train.jsonl"
    write_jsonl(annotated, data)
    stdout.write("\n=== relation component ===\n")
    rel_nlp = train_relations(data, dev=dev, config=config, seed=seed, max_steps=max_steps)
    nlp = spacy.load(pipeline_dir)
    for name in pipes_by_factory(nlp, RELATIONS_FACTORY):
        nlp.remove_pipe(name)
    rel_name = pipes_by_factory(rel_nlp, RELATIONS_FACTORY)[0]
    nlp.add_pipe(rel_name, source=rel_nlp)
    scores = {k: v for k, v in (rel_nlp.meta.get("performance") or {}).items()
              if k.startswith("rel_")}
    meta_perf = dict(nlp.meta.get("performance") or {})
    meta_perf.update(scores)
    nlp.meta["performance"] = meta_perf
    nlp.to_disk(pipeline_dir)
    return scores


def _keep_base_relations(pipeline_dir: Path, base_model: str | os.PathLike[str]) -> None:
    """Fine-tuning without a relation stage keeps the base's relation component."""
    import spacy

    base = spacy.load(base_model)
    names = pipes_by_factory(base, RELATIONS_FACTORY)
    if not names:
        return
    nlp = spacy.load(pipeline_dir)
    for name in names:
        if name not in nlp.pipe_names:
            nlp.add_pipe(name, source=base)
    nlp.to_disk(pipeline_dir)
    logger.info("kept the base model's relation component %s (not retrained)", names)


def _model_card(cfg: Any, meta: Mapping[str, Any], *, corpus: Any, dev: Any, rehearse: Any,
                base_model: Any, seed: int, seconds: float, out: Path) -> dict[str, Any]:
    import spacy

    interp = cfg.interpolate()
    max_chars = int(interp["corpora"]["train"].get("max_chars", 1000))
    from rectify_nlp.schema import RELATION_LABELS

    ner_labels: list[str] = []
    for name in meta.get("pipeline", []):
        ner_labels += list(meta.get("labels", {}).get(name, []))
    rel_labels = sorted(set(ner_labels) & set(RELATION_LABELS))
    ner_labels = [lab for lab in ner_labels if lab not in RELATION_LABELS]
    base_card = None
    if base_model is not None:
        p = Path(base_model) / CARD_JSON
        base_card = {"path": Path(base_model).name,
                     "data_sha256": (json.loads(p.read_text(encoding="utf-8"))
                                     .get("data", {}).get("train", {}).get("sha256")
                                     if p.exists() else None)}
    perf = dict(meta.get("performance", {}))
    return {
        "name": MODEL_NAME,
        "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "library": {"rectify_nlp": __version__, "spacy": spacy.__version__},
        "pipeline": list(meta.get("pipeline", [])),
        "labels": sorted(set(ner_labels)),
        "relation_labels": rel_labels,
        "seed": seed,
        "data": {
            "train": _data_summary(corpus, max_chars),
            "dev": (_data_summary(dev, max_chars) if dev is not None else
                    {"holdout_fraction": interp["corpora"]["dev"].get("holdout")}),
            "rehearse": (None if rehearse is None else
                         dict(_data_summary(rehearse, max_chars),
                              ratio=interp["corpora"]["train"].get("rehearse_ratio"))),
            "window_chars": max_chars,
            "text": "clean text (rectify_nlp.text.clean.clean_text), as the extractor sees it",
        },
        "base_model": base_card,
        "training": {"max_steps": interp["training"]["max_steps"],
                     "patience": interp["training"]["patience"],
                     "eval_frequency": interp["training"]["eval_frequency"],
                     "dropout": interp["training"]["dropout"],
                     "learn_rate": interp["training"]["optimizer"].get("learn_rate"),
                     "seconds": round(seconds, 1)},
        "scores": {"dev": "the best checkpoint's dev scores (spaCy, exact boundaries)",
                   "ents_f": perf.get("ents_f"), "ents_p": perf.get("ents_p"),
                   "ents_r": perf.get("ents_r"), "ents_per_type": perf.get("ents_per_type")},
        "size_bytes": _dir_size(out),
    }


def write_model_card(card: Mapping[str, Any], out: str | os.PathLike[str]) -> None:
    """Write ``model_card.json`` and a human-readable ``README.md`` into ``out``."""
    folder = Path(out)
    (folder / CARD_JSON).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n",
                                    encoding="utf-8")
    (folder / CARD_README).write_text(render_model_card(card), encoding="utf-8")


def _f(x: Any) -> str:
    return "-" if x is None else f"{float(x):.3f}"


def render_model_card(card: Mapping[str, Any]) -> str:
    """The model card as Markdown."""
    buf = io.StringIO()
    w = buf.write
    data = card.get("data", {})
    train = data.get("train", {})
    w(f"# {card.get('name')} — model card\n\n")
    w("spaCy pipeline trained by `rectify train` (rectify_nlp "
      f"{card.get('library', {}).get('rectify_nlp')}, spaCy "
      f"{card.get('library', {}).get('spacy')}) on {card.get('created')}.\n")
    w("Load it with `rectify_nlp.load(\"<this folder>\")`: rule and model entities combine as "
      "the `[rectify.combine]` section of its config.cfg says (docs/design.md), relations come "
      "from its relation component when it has one.\n\n")
    w(f"- components: {', '.join(card.get('pipeline', []))}\n")
    w(f"- labels: {', '.join(card.get('labels', []))}\n")
    if card.get("relation_labels"):
        w(f"- relation labels: {', '.join(card['relation_labels'])}\n")
    w(f"- seed: {card.get('seed')}\n")
    w(f"- training data: `{train.get('file')}`, {train.get('records')} records, "
      f"{train.get('windows')} windows of ≤ {data.get('window_chars')} clean characters, "
      f"entities {train.get('entities')}\n")
    w(f"- data sha256: `{train.get('sha256')}`\n")
    dev = data.get("dev") or {}
    if "sha256" in dev:
        w(f"- dev data: `{dev.get('file')}` ({dev.get('records')} records), sha256 "
          f"`{dev.get('sha256')}`\n")
    else:
        w(f"- dev data: a stable {dev.get('holdout_fraction')} hold-out of the training "
          "windows\n")
    reh = data.get("rehearse")
    if reh:
        w(f"- rehearsal: `{reh.get('file')}` (sha256 `{reh.get('sha256')}`), "
          f"ratio {reh.get('ratio')}\n")
    if card.get("base_model"):
        w(f"- fine-tuned from: `{card['base_model'].get('path')}` (its data sha256 "
          f"`{card['base_model'].get('data_sha256')}`)\n")
    t = card.get("training", {})
    w(f"- training: max_steps {t.get('max_steps')}, patience {t.get('patience')}, "
      f"dropout {t.get('dropout')}, learn rate {t.get('learn_rate')}, "
      f"{t.get('seconds')} s\n")
    w(f"- size: {card.get('size_bytes', 0) / 1e6:.1f} MB\n\n")
    s = card.get("scores", {})
    w("## Scores on dev (best checkpoint, exact boundaries)\n\n")
    w("| label | P | R | F |\n|---|---|---|---|\n")
    w(f"| all | {_f(s.get('ents_p'))} | {_f(s.get('ents_r'))} | {_f(s.get('ents_f'))} |\n")
    for label, prf in sorted((s.get("ents_per_type") or {}).items()):
        w(f"| {label} | {_f(prf.get('p'))} | {_f(prf.get('r'))} | {_f(prf.get('f'))} |\n")
    if s.get("rel_f") is not None:
        w(f"| relations | {_f(s.get('rel_p'))} | {_f(s.get('rel_r'))} | {_f(s.get('rel_f'))} |\n")
        for label, prf in sorted((s.get("rel_f_per_type") or {}).items()):
            w(f"| {label} | {_f(prf.get('p'))} | {_f(prf.get('r'))} | {_f(prf.get('f'))} |\n")
    w("\nDev windows come from the training notices unless a dev file was given: treat these "
      "figures as a sanity check, not as accuracy on unseen notices (see docs/training.md).\n")
    return buf.getvalue()
