#!/usr/bin/env python3
"""Extraction speed, one process, one run, the same text: the rule layer, the shipped
pipeline, spaCy's default efficiency NER and any extra pipeline (e.g. the transformer path).

    nice python benchmarks/bench_speed.py --out /tmp/speed.json          # 200 000 chars
    nice python benchmarks/bench_speed.py --model /tmp/model --quick     # smoke run
    nice python benchmarks/bench_speed.py --pipeline trf=models/rectify_trf --chars 50000

What is timed (characters per second; the best and the median of ``--repeat`` runs, each
after one untimed warm-up on the first ``--warmup-chars`` characters):

* ``rules``: ``rectify_nlp.load("rules")(text)``: clean, rules, relations, assemble; no model.
* ``shipped`` (``--model``, default ``models/rectify_zh`` when it exists, else skipped):
  ``full extraction``: ``extractor(text)``, the whole library (clean, model over the chunks,
  rules, assemble, relations); ``NER only``: the extractor's entity pass alone,
  ``extractor.nlp.pipe`` over the chunks it cuts
  (``chunk_text(clean_text(text).text, extractor.chunk_chars)``): tokenisation, the rule
  features when the pipeline reads them (the rule analysis itself is computed once, untimed),
  every component but the relation one.
* ``spacy-efficiency``: spaCy's own default NER config for Chinese,
  ``spacy.cli.init_config.init_config(lang="zh", pipeline=["ner"], optimize="efficiency")``
  (character segmenter, ``tok2vec`` + ``ner``, labels ORG/DATE/PROBLEM/OUTCOME), initialised
  on gold windows of ``--spacy-corpus`` and trained ``--spacy-steps`` steps: ``NER only`` over
  the same chunks, and ``full extraction`` with the library around it
  (``Extractor(that nlp)(text)``). The transition-based NER makes one move per token whatever
  its weights, so its speed does not depend on how well it is trained (the entity count, and
  so the assembly work in ``full extraction``, does a little).
* each ``--pipeline NAME=PATH``: ``rectify_nlp.load(PATH)``, the same two rows as ``shipped``.

Text: the corpus notices (``corpus/notices/*.txt``, sorted, joined by newlines), or
``--text FILE``, repeated and cut to ``--chars`` characters (``--chars 0``: as is).

Threads: ``OMP/MKL/OPENBLAS_NUM_THREADS`` are set to ``--threads`` (default 1) before numpy is
imported, and ``torch.set_num_threads(--threads)`` is called whenever torch has been imported
(a transformer pipeline imports it): one process, one compute thread, unless told otherwise.
CPU only. Memory, per row: the process's peak RSS during that row (warm-up and timed runs;
Linux resets the kernel's ``VmHWM`` mark before each row, elsewhere it is the process's
lifetime ``ru_maxrss``) and how far it rose over the RSS before the row; per system, the RSS
its loading added.

Output: a Markdown table on stdout, progress on stderr, everything in ``--out`` (JSON).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

LABELS = ("ORG", "DATE", "PROBLEM", "OUTCOME")
QUICK_CHARS, QUICK_REPEAT, QUICK_SPACY_STEPS = 20_000, 1, 10


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# -- environment -----------------------------------------------------------------------------

def limit_threads_env(threads: int) -> None:
    """Set the BLAS/OpenMP thread counts; effective only before numpy is imported."""
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ[var] = str(threads)


def limit_torch_threads(threads: int) -> None:
    """``torch.set_num_threads`` if torch is loaded (thinc imports it when installed)."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.get_num_threads() != threads:
        torch.set_num_threads(threads)


def reset_peak_rss() -> bool:
    """Reset the kernel's peak-RSS mark (``VmHWM``; Linux >= 4.0). False where impossible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def peak_rss_mb() -> float:
    """Peak resident set size: ``VmHWM`` (since the last :func:`reset_peak_rss`), else the
    process's lifetime ``ru_maxrss``."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def current_rss_mb() -> float | None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE") / (1024 * 1024)


def machine() -> dict[str, Any]:
    import spacy
    import thinc

    info: dict[str, Any] = {
        "cpus": os.cpu_count(), "python": platform.python_version(),
        "platform": platform.platform(), "spacy": spacy.__version__,
        "thinc": thinc.__version__, "nice": os.nice(0),
        "torch": str(sys.modules["torch"].__version__) if "torch" in sys.modules else None,
    }
    if hasattr(os, "sched_getaffinity"):
        info["cpus_usable"] = len(os.sched_getaffinity(0))
    return info


# -- text ------------------------------------------------------------------------------------

def build_text(text_file: str | None, notices: Path, chars: int) -> tuple[str, str]:
    """The benchmark text and a description of where it came from."""
    if text_file:
        from rectify_nlp.io.read import read_text

        seed, source = read_text(text_file), text_file
    else:
        files = sorted(notices.glob("*.txt"))
        if not files:
            raise SystemExit(f"no notices in {notices}; pass --text FILE")
        seed = "\n".join(p.read_text(encoding="utf-8") for p in files)
        source = f"{notices} ({len(files)} notices, {len(seed):,} chars)"
    if not seed.strip():
        raise SystemExit("the benchmark text is empty")
    if chars <= 0:
        return seed, source
    text = (seed + "\n") * (chars // (len(seed) + 1) + 1)
    return text[:chars], f"{source}, repeated to {chars:,} chars"


# -- timing ----------------------------------------------------------------------------------

def measure(system: str, timed: str, chars: int, fn: Callable[[], str],
            warmup: Callable[[], object], repeat: int) -> dict[str, Any]:
    """Warm up once, then time ``fn`` ``repeat`` times; ``fn`` returns a short output note."""
    gc.collect()
    rss_before = current_rss_mb()
    reset = reset_peak_rss()
    warmup()
    runs: list[float] = []
    note = ""
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        note = fn()
        runs.append(time.perf_counter() - t0)
    best, median = min(runs), statistics.median(runs)
    row = {
        "system": system, "timed": timed, "chars": chars,
        "runs_s": [round(r, 4) for r in runs], "best_s": round(best, 4),
        "median_s": round(median, 4),
        "chars_per_s_best": round(chars / best) if best else None,
        "chars_per_s_median": round(chars / median) if median else None,
        "rss_before_mb": None if rss_before is None else round(rss_before, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
        "peak_rss_scope": "row" if reset else "process",
        "output": note,
    }
    log(f"  {system:<18} {timed:<34} {row['chars_per_s_best']:>10,} chars/s (best of "
        f"{repeat}) {note}")
    return row


def time_extraction(system: str, extractor: Any, text: str, warm_chars: int,
                    repeat: int) -> dict[str, Any]:
    def run() -> str:
        r = extractor(text)
        return (f"{len(r.problems)} problems, {len(r.outcomes)} outcomes, "
                f"{len(r.entities)} entities")

    return measure(system, "full extraction (Extractor)", len(text), run,
                   lambda: extractor(text[:warm_chars]), repeat)


def pipe_by_factory(nlp: Any, factory: str) -> str | None:
    """The name of the pipeline's first component made by ``factory``, if any."""
    from rectify_nlp.pipeline.language import pipes_by_factory

    return next(iter(pipes_by_factory(nlp, factory)), None)


def time_ner(system: str, nlp: Any, chunks: Sequence[tuple[int, str]], analysis: Any,
             batch_size: int, warm_chars: int, repeat: int) -> dict[str, Any]:
    """The extractor's entity pass alone: ``nlp.pipe`` over the chunks (tokenisation, the
    rule features when the pipeline reads them, every component but the relation one)."""
    relations = pipe_by_factory(nlp, "rectify_relations")
    disable = [relations] if relations else []
    annotate: Callable[..., None] | None = None
    if pipe_by_factory(nlp, "rectify_rule_features"):
        from rectify_nlp.pipeline import rule_features

        annotate = rule_features.annotate

    def docs(pieces: Sequence[tuple[int, str]]) -> Any:
        for offset, piece in pieces:
            doc = nlp.make_doc(piece)
            if annotate is not None:
                annotate(doc, analysis, offset)
            yield doc

    def run() -> str:
        n = sum(len(doc.ents) for doc in nlp.pipe(docs(chunks), batch_size=batch_size,
                                                  disable=disable))
        return f"{n} entities"

    names = [n for n in nlp.pipe_names if n not in disable]
    what = f"NER only (nlp.pipe: {'+'.join(names)})"
    warm = [(chunks[0][0], chunks[0][1][:warm_chars])]
    return measure(system, what, sum(len(p) for _, p in chunks), run,
                   lambda: list(nlp.pipe(docs(warm), disable=disable)), repeat)


# -- systems ---------------------------------------------------------------------------------

def _synthetic_examples(nlp: Any) -> list[Any]:
    """Two made-up genre sentences with all four labels (used when no gold corpus exists)."""
    from spacy.training import Example

    sents = [("县委第二巡察组于2023年9月反馈意见,指出资金管理不规范的问题,已完成整改率95%。",
              [("县委第二巡察组", "ORG"), ("2023年9月", "DATE"), ("资金管理不规范", "PROBLEM"),
               ("已完成整改率95%", "OUTCOME")]),
             ("2024年3月,市商务局召开专题会议,针对制度执行不严,追回资金12万元。",
              [("2024年3月", "DATE"), ("市商务局", "ORG"), ("制度执行不严", "PROBLEM"),
               ("追回资金12万元", "OUTCOME")])]
    out = []
    for text, spans in sents:
        ents = [(text.index(s), text.index(s) + len(s), lab) for s, lab in spans]
        out.append(Example.from_dict(nlp.make_doc(text), {"entities": ents}))
    return out


def build_spacy_efficiency(corpus: Path, steps: int, batch_windows: int, window_chars: int,
                           seed: int) -> tuple[Any, dict[str, Any]]:
    """spaCy's default efficiency NER config for Chinese, initialised and briefly trained."""
    from spacy.cli.init_config import init_config
    from spacy.util import fix_random_seed, load_model_from_config, minibatch

    from rectify_nlp.corpus import load_corpus
    from rectify_nlp.training.data import iter_windows, window_example

    cfg = init_config(lang="zh", pipeline=["ner"], optimize="efficiency")
    cfg["nlp"]["tokenizer"]["segmenter"] = "char"  # zh's default: one token per character
    nlp = load_model_from_config(cfg, auto_fill=True, validate=True)
    ner = nlp.get_pipe("ner")
    for label in LABELS:
        ner.add_label(label)
    if corpus.exists():
        windows = list(iter_windows(load_corpus(corpus), window_chars, labels=LABELS))
        examples = [window_example(nlp, w) for w in windows]
        data = f"{corpus.name}: {len(windows)} windows of <= {window_chars} chars"
    else:
        examples = _synthetic_examples(nlp)
        data = "two synthetic sentences (no gold corpus)"
    fix_random_seed(seed)
    optimizer = nlp.initialize(lambda: examples)
    dropout = float(cfg["training"]["dropout"])
    rng = random.Random(seed)
    t0 = time.perf_counter()
    step, losses = 0, {}
    while step < steps:
        rng.shuffle(examples)
        for batch in minibatch(examples, size=batch_windows):
            nlp.update(batch, sgd=optimizer, drop=dropout, losses=losses)
            step += 1
            if step >= steps:
                break
    enc = cfg["components"]["tok2vec"]["model"]["encode"]
    emb = cfg["components"]["tok2vec"]["model"]["embed"]
    info = {
        "config": 'init_config(lang="zh", pipeline=["ner"], optimize="efficiency")',
        "pipeline": list(nlp.pipe_names), "labels": list(ner.labels),
        "tok2vec": {"width": enc["width"], "depth": enc["depth"],
                    "window_size": enc["window_size"], "attrs": list(emb["attrs"]),
                    "rows": list(emb["rows"])},
        "training": {"data": data, "steps": steps, "batch_windows": batch_windows,
                     "dropout": dropout, "seconds": round(time.perf_counter() - t0, 1),
                     "losses": {k: round(float(v), 1) for k, v in losses.items()}},
        "note": "speed only: the weights are barely trained; NER speed does not depend on them",
    }
    return nlp, info


def parse_pipeline(item: str) -> tuple[str, str]:
    name, sep, path = item.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"expected NAME=PATH, got {item!r}")
    return name, path


def default_model() -> str | None:
    path = ROOT / "models" / "rectify_zh"
    return str(path) if (path / "config.cfg").exists() else None


# -- report ----------------------------------------------------------------------------------

def _plus(row: dict[str, Any]) -> str:
    if row["peak_rss_scope"] != "row" or row["rss_before_mb"] is None:
        return " (process)"
    return f" (+{max(0.0, row['peak_rss_mb'] - row['rss_before_mb']):.0f})"


def markdown(rows: Sequence[dict[str, Any]]) -> str:
    lines = ["| system | what is timed | chars | best s | median s | chars/s (best) "
             "| chars/s (median) | peak RSS MB (+ over before) |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['system']} | {r['timed']} | {r['chars']:,} | {r['best_s']:.3f} | "
                     f"{r['median_s']:.3f} | {r['chars_per_s_best']:,} | "
                     f"{r['chars_per_s_median']:,} | {r['peak_rss_mb']:.0f}{_plus(r)} |")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> dict[str, Any]:
    import rectify_nlp
    from rectify_nlp.extractor import Extractor
    from rectify_nlp.pipeline.language import DEFAULT_CHUNK_CHARS, chunk_text
    from rectify_nlp.rules.analysis import analyze
    from rectify_nlp.text.clean import clean_text

    text, source = build_text(args.text, args.notices, args.chars)
    chunk_chars = args.chunk_chars or DEFAULT_CHUNK_CHARS
    clean = clean_text(text)
    chunks = list(chunk_text(clean.text, chunk_chars))
    analysis = analyze(clean.text, page_date=clean.page_date_text)  # for rule features
    warm = args.warmup_chars
    log(f"text: {source}; {len(text):,} chars, {len(chunks)} chunk(s) of <= {chunk_chars:,} "
        f"clean chars; threads {args.threads}; repeat {args.repeat}")
    rows: list[dict[str, Any]] = []
    systems: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    limit_torch_threads(args.threads)  # thinc imports torch when it is installed
    rss = current_rss_mb()
    baseline = {"rss_mb": None if rss is None else round(rss, 1),
                "peak_rss_mb": round(peak_rss_mb(), 1)}
    load_avg = [os.getloadavg()]

    def loaded(name: str, t0: float, rss0: float | None, **extra: Any) -> None:
        rss1 = current_rss_mb()
        systems[name] = dict(extra, load_s=round(time.perf_counter() - t0, 2),
                             load_rss_mb=None if rss0 is None or rss1 is None
                             else round(rss1 - rss0, 1))
        limit_torch_threads(args.threads)

    def pipeline_rows(name: str, path: str) -> None:
        t0, rss0 = time.perf_counter(), current_rss_mb()
        extractor = rectify_nlp.load(path, chunk_chars=chunk_chars)
        loaded(name, t0, rss0, path=path, components=list(extractor.nlp.pipe_names))
        rows.append(time_extraction(name, extractor, text, warm, args.repeat))
        if extractor.entity_components:
            rows.append(time_ner(name, extractor.nlp, chunks, analysis, args.batch_size,
                                 warm, args.repeat))

    if "rules" not in args.skip:
        pipeline_rows("rules", "rules")

    model = args.model if args.model is not None else default_model()
    if "shipped" in args.skip:
        pass
    elif model is None or model.lower() == "none":
        skipped["shipped"] = ("--model none" if model else
                              "no shipped model (models/rectify_zh/config.cfg missing); "
                              "pass --model PATH")
        log(f"skipping shipped: {skipped['shipped']}")
    else:
        pipeline_rows("shipped", model)

    if "spacy-efficiency" not in args.skip:
        log(f"building spacy-efficiency ({args.spacy_steps} training steps)...")
        t0, rss0 = time.perf_counter(), current_rss_mb()
        nlp, info = build_spacy_efficiency(args.spacy_corpus, args.spacy_steps,
                                           args.spacy_batch, args.spacy_window, args.seed)
        loaded("spacy-efficiency", t0, rss0, **info)
        extractor = Extractor(nlp, path="spacy-efficiency", chunk_chars=chunk_chars)
        rows.append(time_extraction("spacy-efficiency", extractor, text, warm, args.repeat))
        rows.append(time_ner("spacy-efficiency", nlp, chunks, analysis, args.batch_size,
                             warm, args.repeat))

    for name, path in args.pipeline:
        pipeline_rows(name, path)

    load_avg.append(os.getloadavg())
    return {
        "text": {"source": source, "chars": len(text), "chunks": len(chunks),
                 "chunk_chars": chunk_chars, "clean_chars": len(clean.text),
                 "is_notice": bool(getattr(analysis, "is_notice", True))},
        "settings": {"repeat": args.repeat, "warmup_chars": warm,
                     "batch_size": args.batch_size, "threads": args.threads,
                     "seed": args.seed, "device": "cpu"},
        "rows": rows, "systems": systems, "skipped": skipped,
        "baseline_after_imports": baseline,
        "machine": dict(machine(), load_average_before=load_avg[0],
                        load_average_after=load_avg[1]),
        "command": " ".join([Path(sys.executable).name] + sys.argv),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None,
                    help="the shipped pipeline (default: models/rectify_zh if it exists; "
                         "'none' to skip)")
    ap.add_argument("--pipeline", action="append", default=[], type=parse_pipeline,
                    metavar="NAME=PATH", help="an extra pipeline to time, repeatable")
    ap.add_argument("--skip", action="append", default=[],
                    choices=("rules", "shipped", "spacy-efficiency"))
    ap.add_argument("--text", default=None, help="text file to use instead of the notices")
    ap.add_argument("--notices", type=Path, default=ROOT / "corpus" / "notices")
    ap.add_argument("--chars", type=int, default=None,
                    help="repeat/cut the text to this many characters (default 200 000; "
                         "0: the text as is)")
    ap.add_argument("--repeat", type=int, default=None, help="timed runs (default 3)")
    ap.add_argument("--warmup-chars", type=int, default=10_000)
    ap.add_argument("--batch-size", type=int, default=8,
                    help="nlp.pipe batch size of the NER-only rows (the extractor uses 8)")
    ap.add_argument("--chunk-chars", type=int, default=None,
                    help="chunk length for every system (default: the extractor's, 100 000)")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--spacy-steps", type=int, default=None,
                    help="training steps of the spacy-efficiency model (default 50)")
    ap.add_argument("--spacy-batch", type=int, default=4, help="windows per training step")
    ap.add_argument("--spacy-window", type=int, default=500, help="training window chars")
    ap.add_argument("--spacy-corpus", type=Path, default=ROOT / "corpus" / "gold.jsonl")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--quick", action="store_true",
                    help=f"smoke run: {QUICK_CHARS:,} chars, repeat {QUICK_REPEAT}, "
                         f"{QUICK_SPACY_STEPS} spaCy steps (unless given)")
    ap.add_argument("--out", default=None, help="results JSON")
    args = ap.parse_args(argv)
    if args.chars is None:
        args.chars = QUICK_CHARS if args.quick else 200_000
    if args.repeat is None:
        args.repeat = QUICK_REPEAT if args.quick else 3
    if args.spacy_steps is None:
        args.spacy_steps = QUICK_SPACY_STEPS if args.quick else 50
    if args.repeat < 1 or args.threads < 1 or args.batch_size < 1:
        ap.error("--repeat, --threads and --batch-size must be at least 1")
    limit_threads_env(args.threads)  # before numpy (spaCy, thinc) is imported

    result = run(args)
    print(markdown(result["rows"]))
    if result["skipped"]:
        print()
        for name, why in result["skipped"].items():
            print(f"- {name} skipped: {why}")
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
