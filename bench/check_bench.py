"""Accuracy and speed of the answer checker against sympy's own equality tests.

Every labelled pair of ``bench/check_corpus.py`` is checked three ways on the same sympy
expressions:

- the engine: ``app.cas.equivalence.equivalent`` (None counts as wrong);
- ``sympy.simplify(a - b) == 0`` (skipped with ``--no-simplify``);
- ``a.equals(b)``, PrairieLearn's method (None counts as wrong).

The baselines know nothing of domains or tolerances and see the sigmoid as sympy does (an
opaque function with a derivative); that is part of what is measured. They get a time cap per
pair (a capped run counts as wrong) and run once each, after sympy was warmed up on another
pair. The engine is timed twice per pair:

- **cold**: every engine cache emptied first (``equivalence.clear_caches()``), so the
  expected expression is fresh, as for the first answer to a new randomized variant (the
  median of 3 such runs, each after emptying the caches, so that one preempted run on a
  shared machine does not make the figure);
- **warm**: the median of 5 more runs, the expected side cached, as for the rest of a class.

Parsing (and differentiating for ``d/dx`` pairs) is not part of any timing: all three
methods get the same sympy expressions. Ratios are ``equals`` time over engine time, from
figures taken in this one run.

Run: ``.venv/bin/python -m bench.check_bench`` (``--cap SECONDS`` for the baselines' cap,
``--quick`` to skip the baselines, ``--no-simplify`` to run ``equals`` only).
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sympy as sp  # noqa: E402

from app.cas import render  # noqa: E402
from app.cas.equivalence import Tolerance, clear_caches, equivalent  # noqa: E402
from app.cas.parse import parse  # noqa: E402
from app.cas.render import to_latex  # noqa: E402
from bench.check_corpus import Pair, pairs  # noqa: E402


class _Capped(Exception):  # noqa: N818
    pass


def _alarm(signum, frame):
    raise _Capped


def _capped(function, cap: float):
    """``function()`` and its duration, or (None, cap) if it ran past ``cap`` seconds."""
    signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, cap)
    started = time.perf_counter()
    try:
        result = function()
    except _Capped:
        return None, cap
    except Exception:  # a baseline crashing on a pair counts as undecided
        result = None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
    return result, time.perf_counter() - started


def _expected_expr(text: str) -> sp.Expr:
    if text.startswith("d/d"):
        head, body = text.split(":", 1)
        return sp.diff(parse(body.strip()), sp.Symbol(head[3:], real=True))
    return parse(text)


def _simplify_baseline(answer, expected):
    return sp.simplify(answer - expected) == 0


def _equals_baseline(answer, expected):
    return answer.equals(expected)


def _percentile(values, q):
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def _ms(seconds: float) -> str:
    return f"{1e3 * seconds:8.2f}ms"


def _time_engine(pair: Pair, answer, expected):
    domain = {n: (lo, hi) for n, lo, hi in pair.domain} or None
    tolerance = Tolerance(*pair.tolerance) if pair.tolerance else None

    def engine():
        return equivalent(answer, expected, domain=domain, tolerance=tolerance)

    colds = []
    for _ in range(3):
        clear_caches()
        started = time.perf_counter()
        verdict = engine()
        colds.append(time.perf_counter() - started)
    cold = statistics.median(colds)
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        engine()
        runs.append(time.perf_counter() - started)
    return verdict, cold, statistics.median(runs)


def _worker_path(pair: Pair) -> dict[str, float]:
    """A fresh ``d/dx`` pair the way a checking worker handles it, every cache emptied:
    parse the function, differentiate, parse the answer, check, print both sides in LaTeX
    (what the check API replies with). Seconds per step."""
    clear_caches()
    render.clear_caches()
    head, body = pair.expected.split(":", 1)
    steps: dict[str, float] = {}
    started = time.perf_counter()
    function = parse(body.strip())
    steps["parse"] = time.perf_counter() - started
    mark = time.perf_counter()
    expected = sp.diff(function, sp.Symbol(head[3:], real=True))
    steps["derivative"] = time.perf_counter() - mark
    mark = time.perf_counter()
    answer = parse(pair.answer, sorted(s.name for s in expected.free_symbols))
    steps["parse"] += time.perf_counter() - mark
    mark = time.perf_counter()
    equivalent(answer, expected)
    steps["engine"] = time.perf_counter() - mark
    mark = time.perf_counter()
    to_latex(expected)
    to_latex(answer)
    steps["latex"] = time.perf_counter() - mark
    steps["total"] = time.perf_counter() - started
    return steps


def _run(args) -> dict:
    results = {"pairs": pairs(), "times": {}, "outcomes": {}}
    names = ["cold", "warm"]
    if not args.quick:
        names += (["simplify"] if args.simplify else []) + ["equals"]
        # Warm sympy up (imports, caches of the printers and simplifier) before timing it.
        warm = parse("σ(x)(1-σ(x))")
        _simplify_baseline(warm, warm)
        _equals_baseline(warm, warm * 2)
    times: dict[str, list[float]] = {name: [] for name in names}
    outcomes: dict[str, list] = {name: [] for name in names if name != "warm"}
    for pair in results["pairs"]:
        expected = _expected_expr(pair.expected)
        variables = sorted({s.name for s in expected.free_symbols} | {n for n, _, _ in pair.domain})
        answer = parse(pair.answer, variables or None)
        verdict, cold, warm = _time_engine(pair, answer, expected)
        times["cold"].append(cold)
        times["warm"].append(warm)
        outcomes["cold"].append(verdict)
        for name in names[2:]:
            baseline = _simplify_baseline if name == "simplify" else _equals_baseline
            result, elapsed = _capped(
                lambda b=baseline, a=answer, e=expected: b(a, e), args.cap
            )
            times[name].append(elapsed)
            outcomes[name].append(result)
    results["times"], results["outcomes"] = times, outcomes
    results["worker"] = [
        _worker_path(p) for p in results["pairs"] if p.category == "sigmoid(ax+b)"
    ]
    return results


def _report(results, args) -> None:
    pairs_, times, outcomes = results["pairs"], results["times"], results["outcomes"]
    n = len(pairs_)
    labels = {"cold": "engine", "simplify": "simplify(a-b)==0", "equals": "a.equals(b)"}
    print(f"{'method':<18}{'accuracy':>15}{'cold p50':>11}{'p99':>11}"
          f"{'warm p50':>11}{'p99':>11}{'max':>11}")
    for name, label in labels.items():
        if name not in outcomes:
            continue
        correct = sum(r is p.label for r, p in zip(outcomes[name], pairs_, strict=True))
        series = times[name]
        warm = times["warm"] if name == "cold" else series
        print(f"{label:<18}{correct:>6}/{n} {100 * correct / n:5.1f}%"
              f"{_ms(statistics.median(series))}{_ms(_percentile(series, 0.99))}"
              f"{_ms(statistics.median(warm))}{_ms(_percentile(warm, 0.99))}"
              f"{_ms(max(series + warm))}")
    if "equals" in times:
        equals = times["equals"]
        for kind in ("cold", "warm"):
            ratios = [e / t for e, t in zip(equals, times[kind], strict=True)]
            print(f"\n{kind}: a.equals(b) / engine at the median: "
                  f"{statistics.median(equals) / statistics.median(times[kind]):.1f}x "
                  f"(median of per-pair ratios {statistics.median(ratios):.1f}x)", end="")
        print(f"\n(baselines capped at {args.cap:g} s per pair; a capped run counts as wrong)")
    fresh = [t for t, p in zip(times["cold"], pairs_, strict=True)
             if p.category == "sigmoid(ax+b)"]
    print(f"\nfresh expected d/dx σ(ax+b) ({len(fresh)} pairs, new a and b each): "
          f"cold p50 {1e3 * statistics.median(fresh):.2f} ms, "
          f"p99 {1e3 * _percentile(fresh, 0.99):.2f} ms")
    worker = results["worker"]
    medians = {k: 1e3 * statistics.median(w[k] for w in worker) for k in worker[0]}
    total = [w["total"] for w in worker]
    print(f"the same pairs as a checking worker runs them, every cache emptied: p50 "
          f"{medians['total']:.2f} ms, p99 {1e3 * _percentile(total, 0.99):.2f} ms (medians: "
          + ", ".join(f"{k} {v:.2f}" for k, v in medians.items() if k != "total") + " ms)")
    print(f"\n{'category':<16}{'engine':>10}{'cold p50':>11}{'warm p50':>11}"
          + (f"{'equals':>10}{'p50':>11}" if "equals" in times else ""))
    categories = dict.fromkeys(p.category for p in pairs_)
    for category in categories:
        rows = [i for i, p in enumerate(pairs_) if p.category == category]
        good = sum(outcomes["cold"][i] is pairs_[i].label for i in rows)
        line = (f"  {category:<14}{good:>5}/{len(rows):<4}"
                f"{_ms(statistics.median(times['cold'][i] for i in rows))}"
                f"{_ms(statistics.median(times['warm'][i] for i in rows))}")
        if "equals" in times:
            right = sum(outcomes["equals"][i] is pairs_[i].label for i in rows)
            line += f"{right:>5}/{len(rows):<4}{_ms(statistics.median(times['equals'][i] for i in rows))}"
        print(line)
    for name, label in labels.items():
        if name not in outcomes:
            continue
        wrong = [f"{p.expected} vs {p.answer} -> {r}"
                 for r, p in zip(outcomes[name], pairs_, strict=True) if r is not p.label]
        if wrong:
            print(f"\n{label} wrong on {len(wrong)}:")
            for line in wrong[: 60 if name == "cold" else 12]:
                print("  ", line)


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--cap", type=float, default=2.0, help="baseline cap per pair (s)")
    options.add_argument("--quick", action="store_true", help="skip the sympy baselines")
    options.add_argument("--no-simplify", dest="simplify", action="store_false",
                         help="skip the simplify baseline (equals only)")
    args = options.parse_args(argv)
    started = time.perf_counter()
    results = _run(args)
    n = len(results["pairs"])
    print(f"{n} labelled pairs ({sum(p.label for p in results['pairs'])} equivalent), "
          f"total wall time {time.perf_counter() - started:.1f} s\n")
    _report(results, args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
