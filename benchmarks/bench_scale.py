#!/usr/bin/env python3
"""Scale: worker processes against one, memory while streaming, time against input size.

    python benchmarks/bench_scale.py                       # everything (about 40 min on 2 cores)
    python benchmarks/bench_scale.py --only speedup --models rules
    python benchmarks/bench_scale.py --only scaling --sizes 1 2 4 --models rules
    python benchmarks/bench_scale.py --quick               # a smoke run (small sizes)

Four parts, each printed as a Markdown table (``--json FILE`` also writes the figures):

speedup
    The shared notices (``../shared/notices/*.txt``) repeated to ``--speedup-mb`` (5) MB of
    UTF-8, extracted by ``Extractor.pipe(texts, n_process=1)`` and ``n_process=2`` (in this
    process, the pipeline already loaded), and by ``rectify extract DIR --out OUT --workers 1``
    and ``--workers 2`` (a fresh process each, start-up included, one JSON written per
    notice), for each of ``--models``.
dask
    ``rectify extract DIR --out OUT --dask local:2`` (JSON files; and ``--format parquet``,
    partitioned) against ``--workers 1`` on the same ``--speedup-mb`` MB, with ``--dask-model``
    (rules), start-up (the local cluster's too) included; and whether the outputs are the
    same (JSON files byte for byte, Parquet tables row for row).
memory
    ``--stream-n`` (10,000) notices made on the fly (the shared notices cut to
    ``--stream-chars`` characters, each with its own number) streamed through
    ``pipe(generator)`` with 1 and 2 processes, results dropped; the resident memory of this
    process and its workers is sampled every ``--sample-every`` notices.
scaling
    The shared notices repeated to each of ``--sizes`` MB (1 … 64), ``pipe`` with 1 and 2
    processes: seconds, MB/s, speed-up and the largest resident memory seen (sampled every
    0.2 s, this process plus its workers). ``--scaling-model-sizes`` gives the sizes for
    pipelines other than ``rules`` (the shipped model is ~30x slower).

Timings are wall-clock on whatever machine runs this; the load average (1 min) is printed
before and after each run, since a shared machine's other work takes cores from this one.
Nothing here asserts a speed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED_NOTICES = ROOT.parent / "shared" / "notices"
MB = 1024 * 1024


def _psutil() -> Any:
    try:
        import psutil
    except ImportError:
        sys.exit("bench_scale.py needs psutil (pip install psutil; it comes with distributed)")
    return psutil


def tree_rss_mb() -> float:
    """Resident memory of this process and all its children, MB."""
    psutil = _psutil()
    me = psutil.Process()
    total = 0
    for p in [me, *me.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / MB


class PeakSampler:
    """Samples :func:`tree_rss_mb` every ``interval`` seconds in a thread; ``peak`` after."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval, self.peak = interval, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def load1() -> float:
    return os.getloadavg()[0]


class CpuMeter:
    """CPU seconds over a block: this process and its reaped children (``os.times``), and
    the whole machine's busy seconds (``/proc/stat``, Linux), so that ``others`` (busy time
    not ours, in cores) tells how much of the machine other work took meanwhile."""

    def __enter__(self) -> CpuMeter:
        self._t, self._w, self._m = os.times(), time.perf_counter(), self._machine()
        return self

    def __exit__(self, *exc: object) -> None:
        t, wall, machine = os.times(), time.perf_counter() - self._w, self._machine()
        self.wall = wall
        self.ours = (t.user - self._t.user + t.system - self._t.system
                     + t.children_user - self._t.children_user
                     + t.children_system - self._t.children_system)
        busy = machine - self._m if machine is not None and self._m is not None else None
        self.others = None if busy is None else max(0.0, (busy - self.ours) / wall)

    @staticmethod
    def _machine() -> float | None:
        try:
            fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
        except OSError:
            return None
        ticks = [int(x) for x in fields[:8]]
        busy = sum(ticks) - ticks[3] - ticks[4]  # minus idle and iowait
        return busy / os.sysconf("SC_CLK_TCK")


def seed_texts(folder: Path) -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.txt"))]
    if not texts:
        sys.exit(f"no notices in {folder}")
    return texts


def repeated(seeds: list[str], megabytes: float) -> list[str]:
    """The seed notices, cycled until their UTF-8 size reaches ``megabytes``."""
    out: list[str] = []
    size, target, i = 0, megabytes * MB, 0
    while size < target:
        text = seeds[i % len(seeds)]
        out.append(text)
        size += len(text.encode("utf-8"))
        i += 1
    return out


def mb_of(texts: Iterable[str]) -> float:
    return sum(len(t.encode("utf-8")) for t in texts) / MB


def time_pipe(nlp: Any, texts: Iterable[str], n_process: int) -> tuple[float, float, CpuMeter]:
    """(seconds, peak RSS MB, CPU) of ``nlp.pipe(texts, n_process=…)``, results dropped (the
    worker processes are reaped when ``pipe`` ends, so their CPU time is counted)."""
    with PeakSampler() as peak, CpuMeter() as cpu:
        t0 = time.perf_counter()
        for _ in nlp.pipe(texts, n_process=n_process):
            pass
        dt = time.perf_counter() - t0
    return dt, peak.peak, cpu


def time_cli(model: str, folder: Path, workers: int) -> tuple[float, CpuMeter]:
    """Wall seconds and CPU of ``rectify extract FOLDER --out OUT --workers N`` in a fresh
    process (start-up included), into a temporary folder."""
    out = Path(tempfile.mkdtemp(prefix="bench_scale_out_"))
    try:
        return run_cli(model, folder, out, "--workers", str(workers))
    finally:
        shutil.rmtree(out, ignore_errors=True)


def run_cli(model: str, folder: Path, out: Path, *options: str) -> tuple[float, CpuMeter]:
    """Wall seconds and CPU of ``rectify extract FOLDER --out OUT -m MODEL OPTIONS…``."""
    with CpuMeter() as cpu:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rectify_nlp.cli", "extract", str(folder),
                        "--out", str(out), "-m", model, "-q", "--no-resume", *options],
                       check=True, capture_output=True)
        dt = time.perf_counter() - t0
    return dt, cpu


def model_label(model: str) -> str:
    return "rules" if model == "rules" else Path(model).name


# -- parts -------------------------------------------------------------------------------


def part_speedup(models: list[str], seeds: list[str], megabytes: float,
                 log: Callable[[str], None]) -> list[dict[str, Any]]:
    import rectify_nlp

    texts = repeated(seeds, megabytes)
    size = mb_of(texts)
    rows = []
    folder = Path(tempfile.mkdtemp(prefix="bench_scale_in_"))
    try:
        for i, t in enumerate(texts):
            (folder / f"n{i:05d}.txt").write_text(t, encoding="utf-8")
        for model in models:
            nlp = rectify_nlp.load(model)
            nlp(seeds[0][:2000])  # warm
            row: dict[str, Any] = {"model": model_label(model), "mb": size,
                                   "notices": len(texts)}
            for n in (1, 2):
                before = load1()
                dt, peak, cpu = time_pipe(nlp, texts, n)
                row[f"pipe{n}_s"], row[f"pipe{n}_load"] = dt, (before, load1())
                row[f"pipe{n}_cpu"], row[f"pipe{n}_others"] = cpu.ours, cpu.others
                log(f"  pipe n_process={n} {model_label(model)}: {dt:.1f} s, CPU {cpu.ours:.1f} s"
                    f", others {cpu.others or 0:.2f} cores")
            one = Path(tempfile.mkdtemp(prefix="bench_scale_one_"))
            (one / "n00000.txt").write_text(seeds[0][:2000], encoding="utf-8")
            for n in (1, 2):  # start-up: a fresh process, imports, pool, one short notice
                row[f"cli{n}_startup_s"] = min(time_cli(model, one, n)[0] for _ in range(3))
            shutil.rmtree(one, ignore_errors=True)
            for n in (1, 2):
                before = load1()
                dt, cpu = time_cli(model, folder, n)
                row[f"cli{n}_s"], row[f"cli{n}_load"] = dt, (before, load1())
                row[f"cli{n}_cpu"], row[f"cli{n}_others"] = cpu.ours, cpu.others
                log(f"  rectify extract --workers {n} {model_label(model)}: {dt:.1f} s, CPU "
                    f"{cpu.ours:.1f} s, others {cpu.others or 0:.2f} cores")
            rows.append(row)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return rows


def part_dask(model: str, seeds: list[str], megabytes: float, n_workers: int,
              log: Callable[[str], None]) -> list[dict[str, Any]]:
    """``rectify extract --dask local:N`` (JSON files, and Parquet partitions) against
    ``--workers 1``, and whether the outputs are the same."""
    import pandas as pd

    texts = repeated(seeds, megabytes)
    work = Path(tempfile.mkdtemp(prefix="bench_scale_dask_"))
    folder = work / "in"
    folder.mkdir()
    rows = []
    try:
        for i, t in enumerate(texts):
            (folder / f"n{i:05d}.txt").write_text(t, encoding="utf-8")
        runs = [("json, --workers 1", "serial_json", ["--workers", "1"]),
                (f"json, --dask local:{n_workers}", "dask_json",
                 ["--dask", f"local:{n_workers}"]),
                ("parquet, --workers 1", "serial_pq", ["--workers", "1", "--format", "parquet"]),
                (f"parquet, --dask local:{n_workers}", "dask_pq",
                 ["--dask", f"local:{n_workers}", "--format", "parquet"])]
        for label, name, options in runs:
            before = load1()
            dt, cpu = run_cli(model, folder, work / name, *options)
            rows.append({"model": model_label(model), "run": label, "mb": mb_of(texts),
                         "notices": len(texts), "seconds": dt, "cpu": cpu.ours,
                         "others": cpu.others, "load": (before, load1())})
            log(f"  {label}: {dt:.1f} s")
        same_json = all((work / "dask_json" / p.name).read_bytes() == p.read_bytes()
                        for p in (work / "serial_json").glob("*.json"))
        same_json = same_json and len(list((work / "dask_json").glob("*.json"))) == len(texts)
        same_pq = True
        for frame in ("notices", "problems", "outcomes", "entities", "relations"):
            a = pd.read_parquet(work / "serial_pq" / f"{frame}.parquet")
            b = pd.read_parquet(work / "dask_pq" / frame)
            key = [c for c in a.columns if c in ("notice", "problem", "outcome", "entity",
                                                 "relation")]
            a = a.sort_values(key).reset_index(drop=True)
            b = b.sort_values(key).reset_index(drop=True)
            same_pq = same_pq and a.astype(str).equals(b.astype(str))
        for r in rows:
            r["same_as_serial"] = same_json if r["run"].startswith("json") else same_pq
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def stream(seeds: list[str], n: int, chars: int) -> Iterator[str]:
    """``n`` notices made on the fly: a shared notice cut to ``chars`` characters, numbered."""
    for i in range(n):
        yield seeds[i % len(seeds)][:chars] + f"\n（本通报编号 {i}）\n"


def part_memory(model: str, seeds: list[str], n: int, chars: int, every: int,
                log: Callable[[str], None]) -> list[dict[str, Any]]:
    import rectify_nlp

    nlp = rectify_nlp.load(model)
    nlp(seeds[0][:2000])
    rows = []
    for n_process in (1, 2):
        samples: list[tuple[int, float]] = []
        before = load1()
        with CpuMeter() as cpu:
            t0 = time.perf_counter()
            for k, _ in enumerate(nlp.pipe(stream(seeds, n, chars), n_process=n_process), 1):
                if k % every == 0:
                    samples.append((k, tree_rss_mb()))
            dt = time.perf_counter() - t0
        rss = [mb for _, mb in samples]
        rows.append({"model": model_label(model), "n_process": n_process, "notices": n,
                     "seconds": dt, "samples": samples, "first_mb": rss[0], "last_mb": rss[-1],
                     "max_mb": max(rss), "min_mb": min(rss), "load": (before, load1()),
                     "cpu": cpu.ours, "others": cpu.others})
        log(f"  stream n_process={n_process}: {dt:.1f} s, RSS {rss[0]:.0f} -> {rss[-1]:.0f} MB "
            f"(max {max(rss):.0f})")
    return rows


def part_scaling(models: list[str], seeds: list[str], sizes: list[float],
                 model_sizes: list[float], log: Callable[[str], None]) -> list[dict[str, Any]]:
    import rectify_nlp

    rows = []
    for model in models:
        nlp = rectify_nlp.load(model)
        nlp(seeds[0][:2000])
        for size in (sizes if model == "rules" else model_sizes):
            texts = repeated(seeds, size)
            row: dict[str, Any] = {"model": model_label(model), "mb": mb_of(texts),
                                   "notices": len(texts),
                                   "chars": sum(len(t) for t in texts)}
            for n in (1, 2):
                before = load1()
                dt, peak, cpu = time_pipe(nlp, texts, n)
                row[f"p{n}_s"], row[f"p{n}_peak"], row[f"p{n}_load"] = dt, peak, (before,
                                                                                   load1())
                row[f"p{n}_others"], row[f"p{n}_cpu"] = cpu.others, cpu.ours
            log(f"  {model_label(model)} {size:g} MB: {row['p1_s']:.1f} s / {row['p2_s']:.1f} s")
            rows.append(row)
            del texts
    return rows


# -- report --------------------------------------------------------------------------------


def _load(pair: tuple[float, float]) -> str:
    return f"{pair[0]:.1f}→{pair[1]:.1f}"


def report(results: dict[str, Any]) -> str:
    lines = [f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, "
             f"load average (1 min) before→after each run in the tables"]
    if "speedup" in results:
        lines += ["", "### Worker processes against one (shared notices repeated to "
                  f"{results['speedup'][0]['mb']:.1f} MB)", "",
                  "CPU s: this process and its workers; cores obtained: CPU s / wall s; "
                  "others: cores the rest of the machine's work took meanwhile.", "",
                  "| pipeline | run | wall s | **speed-up** | CPU s | cores obtained | others "
                  "| load 1 min |", "|---|---|---:|---:|---:|---:|---:|---|"]
        runs = [("pipe1", "pipe, n_process=1"), ("pipe2", "pipe, n_process=2"),
                ("cli1", "rectify extract --workers 1"), ("cli2", "rectify extract --workers 2")]
        for r in results["speedup"]:
            for key, label in runs:
                base = r[key[:-1] + "1_s"]
                lines.append(
                    f"| {r['model']} | {label} | {r[key + '_s']:.1f} | "
                    f"**{base / r[key + '_s']:.2f}x** | {r[key + '_cpu']:.1f} | "
                    f"{r[key + '_cpu'] / r[key + '_s']:.2f} | {r[key + '_others'] or 0:.2f} | "
                    f"{_load(r[key + '_load'])} |")
        for r in results["speedup"]:
            if "cli1_startup_s" in r:
                a = r["cli1_s"] - r["cli1_startup_s"]
                b = r["cli2_s"] - r["cli2_startup_s"]
                lines += ["", f"{r['model']}: `rectify extract` start-up (a fresh process on one "
                          f"2,000-character notice, best of 3): {r['cli1_startup_s']:.1f} s with "
                          f"--workers 1, {r['cli2_startup_s']:.1f} s with --workers 2; after it, "
                          f"{a:.1f} s against {b:.1f} s: **{a / b:.2f}x**."]
    if "dask" in results:
        lines += ["", "### Dask against one process (rectify extract, shared notices repeated to "
                  f"{results['dask'][0]['mb']:.1f} MB, start-up included)", "",
                  "| pipeline | run | wall s | CPU s | others | same outputs as --workers 1 | "
                  "load 1 min |", "|---|---|---:|---:|---:|---|---|"]
        for r in results["dask"]:
            lines.append(f"| {r['model']} | {r['run']} | {r['seconds']:.1f} | {r['cpu']:.1f} | "
                         f"{r['others'] or 0:.2f} | {'yes' if r['same_as_serial'] else 'NO'} | "
                         f"{_load(r['load'])} |")
    if "memory" in results:
        lines += ["", "### Memory while streaming", "",
                  "| pipeline | processes | notices | wall s | cores obtained | "
                  "RSS at first sample MB | RSS at end MB | min–max MB | load |",
                  "|---|---:|---:|---:|---:|---:|---:|---|---|"]
        for r in results["memory"]:
            lines.append(f"| {r['model']} | {r['n_process']} | {r['notices']:,} | "
                         f"{r['seconds']:.0f} | {r['cpu'] / r['seconds']:.2f} | "
                         f"{r['first_mb']:.0f} | {r['last_mb']:.0f} | "
                         f"{r['min_mb']:.0f}–{r['max_mb']:.0f} | {_load(r['load'])} |")
    if "scaling" in results:
        lines += ["", "### Time against input size (shared notices repeated)", "",
                  "| pipeline | MB | notices | characters | 1 process s | MB/s | 2 processes s "
                  "| MB/s | speed-up | peak RSS MB (1 / 2) | cores obtained (1 / 2) | "
                  "others (1 / 2) | load (1 / 2) |",
                  "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---|---|"]
        for r in results["scaling"]:
            lines.append(
                f"| {r['model']} | {r['mb']:.1f} | {r['notices']:,} | {r['chars']:,} | "
                f"{r['p1_s']:.1f} | {r['mb'] / r['p1_s']:.2f} | {r['p2_s']:.1f} | "
                f"{r['mb'] / r['p2_s']:.2f} | {r['p1_s'] / r['p2_s']:.2f}x | "
                f"{r['p1_peak']:.0f} / {r['p2_peak']:.0f} | "
                f"{r['p1_cpu'] / r['p1_s']:.2f} / {r['p2_cpu'] / r['p2_s']:.2f} | "
                f"{r['p1_others'] or 0:.1f} / {r['p2_others'] or 0:.1f} | "
                f"{_load(r['p1_load'])} / {_load(r['p2_load'])} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", choices=["speedup", "dask", "memory", "scaling"], nargs="+",
                    default=["speedup", "dask", "memory", "scaling"])
    ap.add_argument("--dask-workers", type=int, default=2)
    ap.add_argument("--dask-model", default="rules")
    ap.add_argument("--models", nargs="+", default=None,
                    help="'rules' and/or pipeline folders (default: rules and models/rectify_zh)")
    ap.add_argument("--notices", type=Path, default=SHARED_NOTICES)
    ap.add_argument("--speedup-mb", type=float, default=5.0)
    ap.add_argument("--stream-n", type=int, default=10_000)
    ap.add_argument("--stream-chars", type=int, default=2_000)
    ap.add_argument("--stream-model", default="rules")
    ap.add_argument("--sample-every", type=int, default=500)
    ap.add_argument("--sizes", type=float, nargs="+", default=[1, 2, 4, 8, 16, 32, 64])
    ap.add_argument("--scaling-model-sizes", type=float, nargs="+", default=[1, 2, 4])
    ap.add_argument("--quick", action="store_true", help="small sizes, to check the script")
    ap.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = ap.parse_args()
    if args.quick:
        args.speedup_mb, args.stream_n, args.sample_every = 0.3, 400, 100
        args.sizes, args.scaling_model_sizes = [0.25, 0.5], [0.1]
    models = args.models or ["rules", str(ROOT / "models" / "rectify_zh")]
    seeds = seed_texts(args.notices)

    def log(msg: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')} load {load1():.1f}] {msg}", file=sys.stderr,
              flush=True)

    results: dict[str, Any] = {}
    if "speedup" in args.only:
        log("speedup")
        results["speedup"] = part_speedup(models, seeds, args.speedup_mb, log)
    if "dask" in args.only:
        log("dask")
        results["dask"] = part_dask(args.dask_model, seeds, args.speedup_mb, args.dask_workers,
                                    log)
    if "memory" in args.only:
        log("memory")
        results["memory"] = part_memory(args.stream_model, seeds, args.stream_n,
                                        args.stream_chars, args.sample_every, log)
    if "scaling" in args.only:
        log("scaling")
        results["scaling"] = part_scaling(models, seeds, args.sizes, args.scaling_model_sizes,
                                          log)
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
