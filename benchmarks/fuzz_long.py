"""Run the fuzz properties of ``tests/test_fuzz.py`` for minutes and count what goes wrong.

The inputs are the test file's (:func:`notice_inputs`: an invented notice in pieces with
awkward characters spliced in, as ``str`` or as bytes in GBK/GB18030/Big5/UTF-16/UTF-8, cut
anywhere), the checks its :func:`check_result`. Nothing stops at the first failure: every input
is run, and the report counts

* **inputs** tried;
* **crashes**: exceptions other than :class:`rectify_nlp.RectifyInputError`;
* **invariant failures**: results that are not schema-valid, offsets outside the input, span
  texts that are not the input's slice, JSONL that is not valid UTF-8;
* **hangs**: inputs taking more than ``--hang`` seconds (5); one still running after
  ``--abort`` seconds (60) is interrupted and counted as a hang;
* the slowest **seconds per 1,000 characters** (inputs under 1,000 characters count as 1,000,
  so that the fixed cost of a call does not dominate); on a shared machine a pause of the
  process makes an input look slow, so the five slowest are timed again at the end (best of
  three) and that figure is reported as well.

Each distinct failure (exception type and place, or invariant) is kept with the smallest input
that showed it, in ``--report`` (JSON), for a regression test.

    nice python benchmarks/fuzz_long.py --minutes 10 --report /tmp/fuzz_after.json
    # the same harness against an older checkout of the library:
    git worktree add /tmp/fuzz_before 3f21af1
    PYTHONPATH=/tmp/fuzz_before/src nice python benchmarks/fuzz_long.py --minutes 10 \\
        --report /tmp/fuzz_before.json
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import signal
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from test_fuzz import check_result, input_text, notice_inputs  # noqa: E402

import rectify_nlp  # noqa: E402


class _Abort(Exception):
    """Raised by the alarm in an input that ran past ``--abort`` seconds."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Abort


def _where(exc: BaseException) -> str:
    """``Type at module.py:line``, the innermost frame inside rectify_nlp."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "rectify_nlp" in f.filename]
    place = f"{Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else "?"
    return f"{type(exc).__name__} at {place}"


def _length(inp: str | bytes) -> int:
    """Characters of the text the extractor reads from ``inp`` (bytes: decoded, else bytes)."""
    try:
        return len(input_text(inp))
    except rectify_nlp.RectifyInputError:
        return len(inp)


def _kind(message: str) -> str:
    """An invariant failure without its numbers and texts (so alike failures group)."""
    if message.startswith("schema: "):
        message = ":".join(message.split(":", 2)[:2])  # schema: the path
    elif " [" in message:
        message = message.split(" [", 1)[0]  # the span's kind
    else:
        message = message.split(":", 1)[0]
    return re.sub(r"(?<![\w-])\d+", "N", message)


class Tally:
    """What the run found."""

    def __init__(self, hang: float) -> None:
        self.hang = hang
        self.inputs = self.crashes = self.invalid = self.hangs = self.input_errors = 0
        self.chars = 0
        self.seconds = 0.0
        self.slowest = (0.0, 0)  # seconds per 1,000 characters, characters
        # the five slowest under the hang bound: per 1,000 characters, seconds, input
        self.slowest_inputs: list[tuple[float, float, str | bytes]] = []
        self.retimed: list[tuple[float, float, str | bytes]] = []
        self.kinds: Counter[str] = Counter()
        self.examples: dict[str, dict[str, Any]] = {}

    def keep(self, kind: str, inp: str | bytes, detail: str) -> None:
        self.kinds[kind] += 1
        old = self.examples.get(kind)
        if old is None or len(inp) < old["length"]:
            self.examples[kind] = {"length": len(inp), "input": repr(inp), "detail": detail}

    def run(self, extractor: rectify_nlp.Extractor, inp: str | bytes, abort: float) -> None:
        self.inputs += 1
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, abort)
        try:
            result = extractor(inp)
        except rectify_nlp.RectifyInputError:
            result = None
            self.input_errors += 1
        except _Abort:
            self.hangs += 1
            self.keep(f"abort after {abort:g} s", inp, "")
            return
        except Exception as exc:  # a crash: what this run is for
            self.crashes += 1
            self.keep(f"crash: {_where(exc)}", inp, "".join(
                traceback.format_exception_only(type(exc), exc)).strip())
            return
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - t0
        n = _length(inp)
        self.chars += n
        self.seconds += seconds
        per_k = seconds * 1000 / max(n, 1000)
        if per_k > self.slowest[0]:
            self.slowest = (per_k, n)
        if seconds <= self.hang and (len(self.slowest_inputs) < 5
                                     or per_k > self.slowest_inputs[-1][0]):
            self.slowest_inputs = sorted([*self.slowest_inputs, (per_k, seconds, inp)],
                                         key=lambda x: x[0], reverse=True)[:5]
        if seconds > self.hang:
            self.hangs += 1
            self.keep(f"hang over {self.hang:g} s", inp, f"{seconds:.1f} s, {n} characters")
        if result is not None:
            failures = check_result(inp, result)
            if failures:
                self.invalid += 1
                for kind in sorted({_kind(f) for f in failures}):
                    self.keep(f"invariant: {kind}", inp, "; ".join(failures[:3]))

    def retime(self, extractor: rectify_nlp.Extractor) -> None:
        """Time the slowest inputs again, best of three."""
        out = []
        for _, _, inp in self.slowest_inputs:
            best = float("inf")
            for _ in range(3):
                t0 = time.perf_counter()
                try:
                    extractor(inp)
                except rectify_nlp.RectifyInputError:
                    pass
                best = min(best, time.perf_counter() - t0)
            n = _length(inp)
            out.append((best * 1000 / max(n, 1000), best, inp))
        self.retimed = sorted(out, key=lambda x: x[0], reverse=True)

    def summary(self, minutes: float, library: str) -> dict[str, Any]:
        return {
            "library": library,
            "minutes": round(minutes, 2),
            "inputs": self.inputs,
            "input_errors": self.input_errors,
            "crashes": self.crashes,
            "invariant_failures": self.invalid,
            "hangs": self.hangs,
            "slowest_s_per_1000_chars": round(self.slowest[0], 4),
            "slowest_at_chars": self.slowest[1],
            "slowest_s_per_1000_chars_retimed": round(self.retimed[0][0], 4)
            if self.retimed else None,
            "mean_chars": round(self.chars / max(1, self.inputs - self.input_errors)),
            "chars_per_s": round(self.chars / self.seconds) if self.seconds else None,
            "failures_by_kind": dict(self.kinds.most_common()),
            "examples": self.examples,
            "slowest_inputs": [{"s_per_1000_chars": round(k, 4), "seconds": round(s, 4),
                                "input": repr(i)} for k, s, i in self.slowest_inputs],
            "slowest_retimed": [{"s_per_1000_chars": round(k, 4), "seconds": round(s, 4),
                                 "input": repr(i)} for k, s, i in self.retimed],
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--model", default="rules", help="'rules' (default) or a pipeline folder")
    parser.add_argument("--hang", type=float, default=5.0, help="seconds that count as a hang")
    parser.add_argument("--abort", type=float, default=60.0, help="seconds before interrupting")
    parser.add_argument("--seed", type=int, default=0, help="seed of the first round")
    parser.add_argument("--round", type=int, default=200, help="inputs per hypothesis round")
    parser.add_argument("--report", type=Path, help="write the figures and examples (JSON)")
    args = parser.parse_args(argv)

    signal.signal(signal.SIGALRM, _on_alarm)
    logging.getLogger("rectify_nlp").setLevel(logging.ERROR)  # not the decoders' warnings
    extractor = rectify_nlp.load(args.model)
    library = str(Path(rectify_nlp.__file__).resolve().parent)
    tally = Tally(args.hang)
    t0 = time.monotonic()
    deadline = t0 + args.minutes * 60
    rounds = 0
    while time.monotonic() < deadline:
        @seed(args.seed + rounds)
        @settings(max_examples=args.round, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(inp=notice_inputs())
        def probe(inp: str | bytes) -> None:
            if time.monotonic() < deadline:
                tally.run(extractor, inp, args.abort)

        probe()
        rounds += 1
        print(f"\r{tally.inputs} inputs, {tally.crashes} crashes, {tally.invalid} invalid, "
              f"{tally.hangs} hangs", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    tally.retime(extractor)
    report = tally.summary((time.monotonic() - t0) / 60, library)
    if args.report:
        args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                               encoding="utf-8")
    print(f"library: {library}")
    for key in ("minutes", "inputs", "input_errors", "crashes", "invariant_failures", "hangs",
                "slowest_s_per_1000_chars", "slowest_at_chars",
                "slowest_s_per_1000_chars_retimed", "mean_chars", "chars_per_s"):
        print(f"{key}: {report[key]}")
    for kind, count in report["failures_by_kind"].items():
        print(f"  {count:6d}  {kind}")
    return 1 if tally.crashes or tally.invalid or tally.hangs else 0


if __name__ == "__main__":
    sys.exit(main())
