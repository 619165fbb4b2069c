#!/usr/bin/env python3
"""Public Chinese NER benchmarks with the project's own trainer and config.

    nice python benchmarks/ner_benchmarks.py --dataset resume --max-steps 6000 \\
        --out /tmp/bench/resume_default.json
    nice python benchmarks/ner_benchmarks.py --dataset cluener --max-steps 4000 \\
        --out /tmp/bench/cluener_default.json
    # a variant: any config value, as for `rectify train --set`
    nice python benchmarks/ner_benchmarks.py --dataset resume --max-steps 6000 \\
        --set components.tok2vec.model.encode.width=192 --out /tmp/bench/resume_w192.json
    # a learning curve: the reported split scored at every evaluation (result's "curve")
    nice python benchmarks/ner_benchmarks.py --dataset cluener --max-steps 4000 \\
        --eval-frequency 250 --curve --out /tmp/bench/cluener_curve.json
    # another architecture (issue 13): the character BiLSTM, with SoftLexicon features,
    # on a GPU, stopped after 300 s of training whatever the step count
    python benchmarks/ner_benchmarks.py --dataset resume --arch softlexicon --gpu-id 0 \\
        --max-steps 20000 --max-seconds 300 --out /tmp/bench/resume_softlexicon.json

* ``resume``: ResumeNER. Train on ``train.char.bmes``, early-stop on ``dev.char.bmes``,
  report ``test.char.bmes`` (and dev).
* ``cluener``: CLUENER2020. The test labels are not public: train on ``train.json`` minus a
  stable 10 % hold-out (the trainer's own ``corpora.dev.holdout``), early-stop on that
  hold-out, report the public ``dev.json``.

The model is ``rectify_nlp.training.train`` with ``resources/configs/ner.cfg`` (or
``--arch``: ``cnn`` = ner.cfg, ``bigram`` = ner_bigram.cfg, ``bilstm`` = ner_bilstm.cfg,
``softlexicon`` = ner_softlexicon.cfg, ``wordseg`` = ner_wordseg.cfg (jieba B/M/E/S
word-boundary tags, or a pkuseg model with ``--set``); or ``--config``), the label lists overridden with the benchmark's labels: the same architecture
family as the shipped model, no pretrained weights. The trainer cleans the text as the
extractor does; predictions are made on the clean text and mapped back to the original, and
scored against the ORIGINAL gold spans (nothing the cleaning loses is forgiven).

Scores: exact-match entity micro precision/recall/F1 over ``(record, start, end, label)``
sets, overall and per label; training seconds; inference characters per second (the model's
``nlp.pipe`` over the evaluated sentences, one process, after a warm-up).

The data is read by path, never copied: ``--data-dir`` (default ``$RECTIFY_SHARED_DATA``, else
``../shared/data`` beside the repository).
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import platform
import re
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rectify_nlp.corpus.benchmarks import (  # noqa: E402
    CLUENER_LABELS,
    RESUME_LABELS,
    read_cluener,
    read_resume_bmes,
)
from rectify_nlp.corpus.records import CorpusRecord, write_jsonl  # noqa: E402
from rectify_nlp.training.config import parse_override  # noqa: E402

logger = logging.getLogger("ner_benchmarks")

Triple = tuple[str, int, int, str]

PUBLISHED = {
    "resume": {"split": "test", "Lattice LSTM (Zhang & Yang 2018)": 94.46,
               "spaCy efficiency config, from scratch (issue 4)": 89.0, "target": 94.5},
    "cluener": {"split": "test (published) / dev (here)", "BiLSTM-CRF (Xu et al. 2020)": 70.00,
                "BERT-base": 78.82, "target": 72.0},
}


CONFIGS = ROOT / "src" / "rectify_nlp" / "resources" / "configs"

#: ``--arch`` names -> configs (``rectify_nlp.training.architectures`` registers the layers).
ARCHS = {"cnn": "ner.cfg", "bigram": "ner_bigram.cfg", "bilstm": "ner_bilstm.cfg",
         "softlexicon": "ner_softlexicon.cfg", "wordseg": "ner_wordseg.cfg", "crf": "ner_crf.cfg",
         "softlexicon_crf": "ner_softlexicon_crf.cfg"}


def default_data_dir() -> Path:
    env = os.environ.get("RECTIFY_SHARED_DATA")
    return Path(env) if env else ROOT.parent / "shared" / "data"


# -- data ------------------------------------------------------------------------------------

def load_splits(dataset: str, data_dir: Path) -> dict[str, list[CorpusRecord]]:
    """``train`` / ``dev`` (None for cluener: the trainer holds out 10 % of train) / ``eval``
    sets of the benchmark; ``eval_split`` names what is reported."""
    if dataset == "resume":
        d = data_dir / "resume_ner"
        return {"train": read_resume_bmes(d / "train.char.bmes"),
                "dev": read_resume_bmes(d / "dev.char.bmes"),
                "test": read_resume_bmes(d / "test.char.bmes")}
    if dataset == "cluener":
        d = data_dir / "cluener"
        return {"train": read_cluener(d / "train.json"),
                "dev": read_cluener(d / "dev.json")}
    raise ValueError(f"unknown dataset {dataset!r}")


def labels_of(dataset: str) -> list[str]:
    return list(RESUME_LABELS if dataset == "resume" else CLUENER_LABELS)


# -- scoring ---------------------------------------------------------------------------------

def gold_triples(records: Iterable[CorpusRecord]) -> set[Triple]:
    return {(r.id, e.start, e.end, e.label) for r in records for e in r.entities}


def prf(gold: set[Triple], pred: set[Triple]) -> dict[str, Any]:
    """Exact-match micro P/R/F1 of two span sets.

    >>> prf({("a", 0, 2, "X"), ("a", 3, 4, "Y")}, {("a", 0, 2, "X"), ("a", 3, 5, "Y")})["f"]
    0.5
    """
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f": round(f, 4), "tp": tp,
            "gold": len(gold), "pred": len(pred)}


def score(gold: set[Triple], pred: set[Triple]) -> dict[str, Any]:
    labels = sorted({t[3] for t in gold | pred})
    return {"micro": prf(gold, pred),
            "per_label": {lab: prf({t for t in gold if t[3] == lab},
                                   {t for t in pred if t[3] == lab}) for lab in labels}}


def predict(nlp: Any, records: Sequence[CorpusRecord], *,
            warm_up: bool = True) -> tuple[set[Triple], dict[str, float]]:
    """Entities the model finds, in ORIGINAL offsets, and the inference speed."""
    from rectify_nlp.text.clean import clean_text

    cleans = [clean_text(r.text) for r in records]
    texts = [c.text for c in cleans]
    if warm_up:
        list(nlp.pipe(texts[:50]))
    t0 = time.perf_counter()
    docs = list(nlp.pipe(texts, batch_size=256))
    seconds = time.perf_counter() - t0
    pred: set[Triple] = set()
    for rec, clean, doc in zip(records, cleans, docs):
        for ent in doc.ents:
            s, e = clean.to_original(ent.start_char, ent.end_char)
            pred.add((rec.id, s, e, ent.label_))
    chars = sum(len(t) for t in texts)
    return pred, {"chars": chars, "seconds": round(seconds, 3),
                  "chars_per_s": round(chars / seconds) if seconds else None}


# -- training --------------------------------------------------------------------------------

class _Tee(io.TextIOBase):
    def __init__(self, *streams: Any) -> None:
        self.streams = streams

    def write(self, s: str) -> int:
        for st in self.streams:
            st.write(s)
            st.flush()
        return len(s)


_ROW = re.compile(r"^\s*(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
                  r"\s+([\d.]+)\s*$")


def parse_progress(log: str) -> dict[str, Any]:
    """Steps run and the best dev row from spaCy's progress table
    (``E  #  LOSS TOK2VEC  LOSS NER  ENTS_F  ENTS_P  ENTS_R  SCORE``)."""
    rows = [m.groups() for m in map(_ROW.match, log.splitlines()) if m]
    if not rows:
        return {}
    # SCORE is printed with 2 decimals: break its ties by ENTS_F (the config's only weight)
    best = max(rows, key=lambda r: (float(r[7]), float(r[4])))
    return {"epochs": int(rows[-1][0]) + 1, "steps_run": int(rows[-1][1]),
            "best_step": int(best[1]), "best_dev_ents_f": float(best[4]),
            "evaluations": len(rows)}


def parse_dev_curve(log: str) -> list[list[float]]:
    """``[step, ENTS_F]`` of every evaluation in spaCy's progress table: the learning curve
    on the selection set (the result's ``progress.dev_curve``).

    >>> parse_dev_curve("  0     200   1.00   2.00  40.50  41.00  40.00  0.41")
    [[200, 40.5]]
    """
    return [[int(m.group(2)), float(m.group(5))] for m in map(_ROW.match, log.splitlines()) if m]


#: The learning curve of a run with ``--curve``: one row per evaluation (filled by the logger).
CURVE: list[dict[str, Any]] = []
_CURVE_RECORDS: list[CorpusRecord] = []


def register_curve_logger() -> str:
    """Register (once) and name a training logger that, at every evaluation, also scores the
    reported split with the model as it is at that step (``--curve``). spaCy's own console
    table is still printed; the rows go to :data:`CURVE`. For measurement only: the model
    is still selected on the trainer's dev set (the hold-out for CLUENER)."""
    import spacy

    name = "rectify_bench.CurveLogger.v1"
    if name in spacy.registry.loggers:
        return name

    @spacy.registry.loggers(name)
    def curve_logger() -> Any:
        console = spacy.registry.resolve(  # the config's own console table
            {"logger": {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}})["logger"]

        def setup(nlp: Any, stdout: Any = sys.stdout, stderr: Any = sys.stderr) -> Any:
            log_step, finalize = console(nlp, stdout, stderr)

            def step(info: dict[str, Any] | None) -> None:
                log_step(info)
                if info is None or not _CURVE_RECORDS:
                    return
                t0 = time.perf_counter()
                pred, _ = predict(nlp, _CURVE_RECORDS, warm_up=False)
                s = prf(gold_triples(_CURVE_RECORDS), pred)
                CURVE.append({"step": info["step"], "epoch": info["epoch"],
                              "words": info["words"], "seconds": info["seconds"],
                              "dev_score": round(float(info["score"]) * 100, 2),
                              "p": round(s["p"] * 100, 2), "r": round(s["r"] * 100, 2),
                              "f": round(s["f"] * 100, 2)})
                stdout.write(f"[curve] step {info['step']} epoch {info['epoch']} "
                             f"selection-dev {CURVE[-1]['dev_score']:.2f} reported-split F1 "
                             f"{CURVE[-1]['f']:.2f} ({time.perf_counter() - t0:.0f} s)\n")

            return step, finalize

        return setup

    return name


DEADLINE_BATCHER = "rectify_bench.DeadlineBatcher.v1"
#: with ``--max-seconds`` spaCy's epoch loop must end by itself once the batcher is silent:
#: ``max_epochs`` becomes this (an epoch after the deadline costs one shuffle of the list)
DEADLINE_MAX_EPOCHS = 1000


def register_deadline_batcher() -> str:
    """Register (once) and name a batcher that wraps another and yields nothing once
    ``seconds`` have passed since its first batch (``--max-seconds``): training then ends at
    the end of spaCy's epoch loop (``max_epochs`` is made finite), keeping the best
    checkpoint. For wall-clock budgets on machines of unknown speed (the GPU run)."""
    import spacy

    if DEADLINE_BATCHER in spacy.registry.batchers:
        return DEADLINE_BATCHER

    @spacy.registry.batchers(DEADLINE_BATCHER)
    def deadline_batcher(seconds: float, batcher: Any, until: float = 0.0) -> Any:
        state: dict[str, float] = {}

        def over() -> bool:
            start = state.setdefault("start", time.time())
            now = time.time()
            return now - start >= seconds or bool(until and now >= until)

        def batch(items: Iterable[Any]) -> Iterable[Any]:
            if over():
                return
            for b in batcher(items):
                if over():
                    if not state.get("logged"):
                        state["logged"] = 1.0
                        logger.warning("--max-seconds %.0f / --train-until reached after %.0f s: "
                                       "training stops", seconds, time.time() - state["start"])
                    return
                yield b

        return batch

    return DEADLINE_BATCHER


def with_deadline(config: str | None, overrides: dict[str, Any], seconds: float,
                  until: float = 0.0) -> dict[str, Any]:
    """``overrides`` with the config's batcher (as overridden) wrapped in the deadline batcher
    (``seconds`` from the first batch, or the Unix time ``until``, whichever comes first) and
    ``max_epochs`` made finite (see :func:`register_deadline_batcher`)."""
    from rectify_nlp.training.config import load_training_config

    cfg = load_training_config(config, overrides)
    inner = json.loads(json.dumps(dict(cfg["training"]["batcher"])))
    out = {k: v for k, v in overrides.items() if not k.startswith("training.batcher.")}
    out["training.batcher"] = {"@batchers": register_deadline_batcher(), "seconds": seconds,
                               "until": until, "batcher": inner}
    out["training.max_epochs"] = DEADLINE_MAX_EPOCHS
    return out


def build_overrides(dataset: str, sets: Sequence[str], patience: int | None,
                    eval_frequency: int | None, *, curve: bool = False) -> dict[str, Any]:
    labels = labels_of(dataset)
    ov: dict[str, Any] = {"corpora.train.labels": labels, "corpora.dev.labels": labels,
                          "initialize.before_init.labels": labels}
    if curve:
        ov["training.logger"] = {"@loggers": register_curve_logger()}
    if patience is not None:
        ov["training.patience"] = patience
    if eval_frequency is not None:
        ov["training.eval_frequency"] = eval_frequency
    for item in sets:
        key, value = parse_override(item)
        ov[key] = value
    return ov


def run(args: argparse.Namespace) -> dict[str, Any]:
    import spacy

    import rectify_nlp.pipeline.crf_ner  # noqa: F401  (rectify_crf_ner, rectify.CRFTagger.v1)
    import rectify_nlp.training.architectures  # noqa: F401  (rectify.BiLSTMEncoder.v1, ...)
    import rectify_nlp.training.registry  # noqa: F401
    import rectify_nlp.training.wordseg  # noqa: F401  (rectify.WordBoundaryEmbed.v1)
    from rectify_nlp.training import train

    if args.config is None:  # ner.cfg unless --arch: the figures of docs/benchmarks.md
        args.config = str(CONFIGS / ARCHS[args.arch or "cnn"])
    data_dir = Path(args.data_dir)
    splits = load_splits(args.dataset, data_dir)
    if args.limit:  # smoke runs only: the first records of every split
        splits = {k: v[: args.limit] for k, v in splits.items()}
    overrides = build_overrides(args.dataset, args.set, args.patience, args.eval_frequency,
                                curve=args.curve)
    if args.max_seconds or args.train_until:
        overrides = with_deadline(args.config, overrides, args.max_seconds or 1e9,
                                  args.train_until or 0.0)
    report = ["test", "dev"] if args.dataset == "resume" else ["dev"]
    CURVE.clear()
    _CURVE_RECORDS[:] = splits[report[0]] if args.curve else []
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="ner_bench_"))
    work.mkdir(parents=True, exist_ok=True)
    train_file = work / f"{args.dataset}_train.jsonl"
    write_jsonl(splits["train"], train_file)
    dev_file = None
    if args.dataset == "resume":
        dev_file = work / "resume_dev.jsonl"
        write_jsonl(splits["dev"], dev_file)
    model_dir = work / f"{args.dataset}_model"

    log = io.StringIO()
    t0 = time.perf_counter()
    train(train_file, model_dir, config=args.config, dev=dev_file, seed=args.seed,
          max_steps=args.max_steps, overrides=overrides, gpu_id=args.gpu_id,
          stdout=_Tee(sys.stdout, log))
    train_seconds = time.perf_counter() - t0

    nlp = spacy.load(model_dir)
    evaluated = {}
    for split in report:
        gold = gold_triples(splits[split])
        pred, speed = predict(nlp, splits[split])
        evaluated[split] = dict(score(gold, pred), inference=speed)
    card = json.loads((model_dir / "model_card.json").read_text(encoding="utf-8"))
    return {
        "dataset": args.dataset,
        "reported_split": report[0],
        "selection": ("ResumeNER dev" if args.dataset == "resume"
                      else "stable 10 % hold-out of CLUENER train"),
        "arch": args.arch,
        "config": str(args.config),
        "overrides": {k: v for k, v in overrides.items()
                      if "labels" not in k and k != "training.logger"},
        "max_seconds": args.max_seconds,
        "train_until": args.train_until,
        "gpu_id": args.gpu_id,
        "seed": args.seed,
        "max_steps": args.max_steps,
        "progress": dict(parse_progress(log.getvalue()),
                         dev_curve=parse_dev_curve(log.getvalue())),
        "train_seconds": round(train_seconds, 1),
        "model_size_mb": round(card.get("size_bytes", 0) / 1e6, 1),
        "scores": evaluated,
        "curve": list(CURVE),
        "published": PUBLISHED[args.dataset],
        "records": {k: len(v) for k, v in splits.items()},
        "limit": args.limit or None,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "spacy": spacy.__version__, "nice": os.nice(0), "gpu": _gpu_name(args.gpu_id),
                    "threads": os.environ.get("OMP_NUM_THREADS")},
        "command": " ".join([Path(sys.executable).name] + sys.argv),
        "model_dir": str(model_dir),
    }


def _gpu_name(gpu_id: int) -> str | None:
    if gpu_id < 0:
        return None
    try:
        import torch

        return str(torch.cuda.get_device_name(gpu_id))
    except Exception:  # noqa: BLE001  (a name for the record only)
        return "unknown"


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dataset", choices=("resume", "cluener"), required=True)
    ap.add_argument("--data-dir", default=str(default_data_dir()),
                    help="folder holding resume_ner/ and cluener/ "
                         "(default: $RECTIFY_SHARED_DATA or ../shared/data)")
    ap.add_argument("--config", default=None,
                    help="spaCy config (default: the project's ner.cfg, the transition-based "
                         "ner; rectify train's own default is ner_crf.cfg: --arch crf)")
    ap.add_argument("--arch", choices=sorted(ARCHS), default=None,
                    help="a shipped config by name (" + ", ".join(f"{k}: {v}" for k, v in
                                                         ARCHS.items()) + "); --config wins")
    ap.add_argument("--gpu-id", type=int, default=-1, help="GPU to train and predict on "
                    "(-1: CPU; needs cupy, and a CUDA torch for the BiLSTM)")
    ap.add_argument("--max-seconds", type=float, default=None,
                    help="stop training after this many seconds (wall clock from the first "
                         "batch), whatever --max-steps; the best checkpoint is kept")
    ap.add_argument("--train-until", type=float, default=None, metavar="UNIX_TIME",
                    help="stop training at this time (seconds since the epoch), as "
                         "--max-seconds (parallel jobs sharing one wall-clock budget)")
    ap.add_argument("--max-steps", type=int, default=2000)
    ap.add_argument("--patience", type=int, default=None,
                    help="early stopping patience in steps (default: the config's)")
    ap.add_argument("--eval-frequency", type=int, default=None)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0,
                    help="use only the first N records of every split (smoke runs)")
    ap.add_argument("--curve", action="store_true",
                    help="at every evaluation also score the reported split (learning curve "
                         "in the result's 'curve'; selection is unchanged)")
    ap.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                    help="config override, repeatable")
    ap.add_argument("--work", default=None, help="folder for the JSONL copies and the model "
                    "(default: a fresh temp folder; never inside the repository)")
    ap.add_argument("--out", default=None, help="results JSON (default: print only)")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    result = run(args)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    s = result["scores"][result["reported_split"]]["micro"]
    print(f"{args.dataset} {result['reported_split']}: P {s['p']:.4f} R {s['r']:.4f} "
          f"F1 {s['f']:.4f}; trained {result['train_seconds']:.0f} s, "
          f"{result['progress'].get('steps_run')} steps (best {result['progress'].get('best_step')})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
