"""Every regular expression of the rule layer runs in linear time on hostile input.

The patterns are collected automatically: every compiled ``re.Pattern`` at module level (or
class level) in ``rectify_nlp.rules``, ``rectify_nlp.text``, ``rectify_nlp.normalizers`` and
``rectify_nlp.corpus.silver``. A new pattern is covered without editing this file.

Each pattern is attacked with strings pumped from its own alphabet (the literal characters,
character-class members and literal runs of its source, pairs of neighbouring pieces, and the
genre's usual suspects: digit runs, ``(1)`` ``一、`` markers, quotes, chains of 的和等、), at
length ``N`` and ``8 * N``, with ``search``, ``finditer`` and ``fullmatch``. The bound is generous
and timed once, as a hang guard: every attack at ``N`` takes under 2 s, and when it takes more
than a few milliseconds the ``8 * N`` attack may take at most ~40 times as long (linear gives 8,
quadratic 64, exponential never returns). The attacks run in worker processes so that a
pattern that never returns fails its test instead of hanging the suite.

See docs/reliability.md, section "Regex audit".
"""

from __future__ import annotations

import importlib
import inspect
import multiprocessing
import pkgutil
import re
import re._constants as sre_c  # the parser is the only public-enough view of a pattern's pieces
import re._parser as sre_parse
import time
from collections.abc import Iterator

import pytest

import rectify_nlp
import rectify_nlp.normalizers
import rectify_nlp.rules
import rectify_nlp.text

N = 2_000
PER_CALL_LIMIT_S = 2.0  # at N
GROWTH_LIMIT = 40.0  # time(8N) / time(N), checked when time(N) is above NOISE_S
NOISE_S = 0.004
HANG_S = 240.0  # all attacks together; a pattern without an answer by then hung

# what every attack is also tried with: the genre's usual suspects
GENERIC_PUMPS = (
    "9", "(1)", "(一)", "一、", "1.", "①", "一是", "“”", "的和等、", "一二三", " ", " \n", "《",
)
TAILS = ("", "\x00", "。")  # a character no pattern accepts, and a common one
MAX_PUMPS = 16
GROWTH_CHECKS = 3  # the slowest attacks at N that are run again at 8N


def _modules() -> list[str]:
    names = []
    for pkg in (rectify_nlp.rules, rectify_nlp.text, rectify_nlp.normalizers):
        names += [f"{pkg.__name__}.{m.name}" for m in pkgutil.iter_modules(pkg.__path__)]
    return [*names, "rectify_nlp.corpus.silver"]


def collect_patterns() -> Iterator[tuple[str, re.Pattern[str]]]:
    """(module.NAME, pattern) for every compiled pattern at module or class level."""
    for name in _modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, re.Pattern):
                yield f"{name}.{attr}", value
            elif inspect.isclass(value) and value.__module__ == name:
                for cattr, cvalue in vars(value).items():
                    if isinstance(cvalue, re.Pattern):
                        yield f"{name}.{attr}.{cattr}", cvalue


PATTERNS = dict(collect_patterns())

_CATEGORY_CHAR = {
    sre_c.CATEGORY_DIGIT: "9",
    sre_c.CATEGORY_SPACE: " ",
    sre_c.CATEGORY_WORD: "a",
    sre_c.CATEGORY_LINEBREAK: "\n",
}


def pieces(pattern: re.Pattern[str]) -> list[str]:
    """The pattern's alphabet: literal runs (up to 8 characters) and class members, in order."""
    out: list[str] = []

    def add(s: str) -> None:
        if s and s not in out:
            out.append(s)

    def walk(seq) -> None:
        run = ""
        for op, av in seq:
            if op == sre_c.LITERAL:
                run += chr(av)
                continue
            add(run[:8])
            run = ""
            if op == sre_c.IN:
                negated = any(o == sre_c.NEGATE for o, _ in av)
                for o, a in av:
                    if negated:
                        break
                    if o == sre_c.LITERAL:
                        add(chr(a))
                    elif o == sre_c.RANGE:
                        add(chr(a[0]))
                        add(chr(a[1]))
                    elif o == sre_c.CATEGORY:
                        add(_CATEGORY_CHAR.get(a, "x"))
                if negated:
                    add("x")
            elif op in (sre_c.NOT_LITERAL, sre_c.ANY):
                add("x")
            elif op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT):
                walk(av[2])
            elif op == sre_c.SUBPATTERN:
                walk(av[3])
            elif op == sre_c.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op == sre_c.ATOMIC_GROUP:
                walk(av)
            elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
                walk(av[1])
        add(run[:8])

    walk(sre_parse.parse(pattern.pattern, pattern.flags))
    return out


def pumps(pattern: re.Pattern[str]) -> list[str]:
    """Strings to repeat: the pieces, neighbouring pairs, the whole alphabet, the usual suspects."""
    own = pieces(pattern)
    pairs = [a + b for a, b in zip(own, own[1:], strict=False)]
    chosen = list(dict.fromkeys([*own[:MAX_PUMPS], *pairs[:MAX_PUMPS], *GENERIC_PUMPS]))
    chosen.append("".join(own[:40]))
    return chosen


def attack(pump: str, n: int, tail: str) -> str:
    return (pump * (n // len(pump) + 1))[:n] + tail


def run_all(pattern: re.Pattern[str], s: str) -> float:
    """Seconds for search, finditer (consumed) and fullmatch on ``s``."""
    t = time.perf_counter()
    pattern.search(s)
    for _ in pattern.finditer(s):
        pass
    pattern.fullmatch(s)
    return time.perf_counter() - t


def check_pattern(key: str) -> list[str]:
    """Violations of the bound for one pattern (an empty list when it is linear).

    Every attack runs at length N; the slowest few run again at 8 * N (a super-linear pattern
    is slowest on its own attack already at N).
    """
    pattern = PATTERNS[key]
    timed = []
    for pump in pumps(pattern):
        for tail in TAILS:
            t1 = run_all(pattern, attack(pump, N, tail))
            if t1 > PER_CALL_LIMIT_S:
                return [f"{pump!r}+{tail!r}: {t1:.2f} s at n={N}"]
            timed.append((t1, pump, tail))
    bad = []
    for t1, pump, tail in sorted(timed, reverse=True)[:GROWTH_CHECKS]:
        if t1 <= NOISE_S:
            break
        t1 = min(t1, run_all(pattern, attack(pump, N, tail)))  # a second look: noise
        t8 = run_all(pattern, attack(pump, 8 * N, tail))
        if t1 > NOISE_S and t8 > GROWTH_LIMIT * t1:
            bad.append(f"{pump!r}+{tail!r}: {t1 * 1e3:.1f} ms -> {t8 * 1e3:.1f} ms at 8n")
    return bad


@pytest.fixture(scope="module")
def verdicts() -> dict[str, list[str] | None]:
    """Every pattern's violations, computed in worker processes (``None``: it hung)."""
    ctx = multiprocessing.get_context("fork")
    out: dict[str, list[str] | None] = {}
    with ctx.Pool(2) as pool:
        pending = {key: pool.apply_async(check_pattern, (key,)) for key in PATTERNS}
        deadline = time.monotonic() + HANG_S
        for key, res in pending.items():
            try:
                out[key] = res.get(timeout=max(0.1, deadline - time.monotonic()))
            except multiprocessing.TimeoutError:
                out[key] = None
        pool.terminate()
    return out


def test_patterns_are_collected():
    # the collection finds patterns in every audited package, class-level ones included
    assert len(PATTERNS) > 100
    for prefix in ("rectify_nlp.rules.", "rectify_nlp.text.", "rectify_nlp.normalizers.",
                   "rectify_nlp.corpus.silver."):
        assert any(k.startswith(prefix) for k in PATTERNS), prefix
    assert "rectify_nlp.rules.outline._GENERIC_X" in PATTERNS


def test_pieces_come_from_the_pattern_source():
    p = re.compile(r"第[一二三\d]{1,3}轮|(?:的|和|等)+")
    assert {"第", "一", "三", "9", "轮", "的", "和", "等"} <= set(pieces(p))


@pytest.mark.parametrize("key", sorted(PATTERNS))
def test_pattern_is_linear(verdicts, key):
    verdict = verdicts[key]
    assert verdict is not None, f"{key} did not finish its attacks in {HANG_S:.0f} s"
    assert verdict == [], f"{key} is super-linear: {verdict[:5]}"


def test_issue_10_input_through_the_public_api():
    # the 31-character input of issue 10: a (1) marker, a 25-digit run, then 员问题
    text = "(1)" + "9" * 25 + "员问题"
    assert len(text) == 31
    nlp = rectify_nlp.load("rules")
    t = time.perf_counter()
    nlp(text)
    # as a heading of a notice's rectification section it reaches the outline parser
    result = nlp("二、巡察反馈问题整改落实情况\n" + text + "\n" + text * 40)
    assert time.perf_counter() - t < 5.0
    assert result.to_dict()["schema_version"]
