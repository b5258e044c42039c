"""Accuracy and speed of the answer checker against sympy's own equality tests.

Every labelled pair is checked three ways on the same sympy expressions:

- the engine: ``app.cas.equivalence.equivalent`` (None counts as wrong);
- ``sympy.simplify(a - b) == 0``;
- ``a.equals(b)`` (None counts as wrong).

The baselines know nothing of domains or tolerances and see the sigmoid as sympy does (an
opaque function with a derivative); that is part of what is measured. They get a time cap per
pair (a capped run counts as wrong). Times are "warm": the
engine has seen the expected expression before (as in service, where one expected expression
is checked against many answers; its median of 5 runs is reported) and sympy has been warmed
up on another pair before the baselines are timed, once each.

Run: ``.venv/bin/python -m bench.check_bench`` or ``.venv/bin/python bench/check_bench.py``
(``--cap SECONDS`` for the baselines' cap, ``--quick`` to skip the baselines).
"""

from __future__ import annotations

import argparse
import signal
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sympy as sp  # noqa: E402

from app.cas.equivalence import Tolerance, equivalent  # noqa: E402
from app.cas.parse import parse  # noqa: E402


@dataclass(frozen=True)
class Pair:
    category: str
    expected: str  # "d/dx: f" means the derivative of f with respect to x
    answer: str
    label: bool
    domain: tuple[tuple[str, float, float], ...] = ()
    tolerance: tuple[float, float] | None = None


def _pairs() -> list[Pair]:
    pairs: list[Pair] = []

    def add(category, expected, answer, label, domain=(), tolerance=None):
        pairs.append(Pair(category, expected, answer, label, tuple(domain), tolerance))

    # -- sigmoid derivatives ----------------------------------------------------------------
    for a, b in [(1, 0), (2, -1), (3, 2), (-1, 0), (5, 3), (1, 4)]:
        u = f"({a}*x + {b})"
        f = f"d/dx: sigma{u}"
        add("sigmoid", f, f"{a}*σ{u}(1-σ{u})", True)
        add("sigmoid", f, f"{a}*e^(-{u})/(1+e^(-{u}))^2", True)
        add("sigmoid", f, f"{a}*e^{u}/(1+e^{u})^2", True)
        add("sigmoid", f, f"{a}/(4cosh({u}/2)^2)", True)
        add("sigmoid", f, f"{a}*(1-tanh({u}/2)^2)/4", True)
        add("sigmoid", f, f"{a}*σ{u}σ(-{u})", True)
        add("sigmoid", f, f"σ{u}(1-σ{u})", a == 1)
        add("sigmoid", f, f"{a}*σ{u}(1+σ{u})", False)
        add("sigmoid", f, f"-{a}*σ{u}(1-σ{u})", False)
        add("sigmoid", f, f"{a}*σ{u}(1-σ{u}) + e^(-40)", False)
        add("sigmoid", f, f"{a}*σ{u}(1-σ{u}) + 10^(-12)", False)
        add("sigmoid", f, f"{a}*σ{u}^2", False)
    add("sigmoid", "d/dx: sigma(x)", "1/(2+2cosh(x))", True)
    add("sigmoid", "d/dx: sigma(x)", "σ(x)(1-σ(x)) + e^(-1000)", False)
    add("sigmoid", "d/dx: sigma(x)^2", "2σ(x)^2(1-σ(x))", True)
    add("sigmoid", "d/dx: sigma(x)^2", "2σ(x)(1-σ(x))", False)
    add("sigmoid", "d/dx: log(sigma(x))", "1-σ(x)", True)
    add("sigmoid", "d/dx: log(sigma(x))", "σ(-x)", True)
    add("sigmoid", "d/dx: log(sigma(x))", "σ(x)", False)
    add("sigmoid", "d/dx: x*sigma(x)", "σ(x) + xσ(x)(1-σ(x))", True)
    add("sigmoid", "d/dx: x*sigma(x)", "σ(x) + x σ(x)^2", False)

    # -- binary cross-entropy ---------------------------------------------------------------
    bce = "-(t*log(yhat) + (1-t)*log(1-yhat))"
    dom = [("yhat", 0, 1)]
    add("bce", f"d/dyhat: {bce}", "(yhat-t)/(yhat(1-yhat))", True, dom)
    add("bce", f"d/dyhat: {bce}", "-t/yhat + (1-t)/(1-yhat)", True, dom)
    add("bce", f"d/dyhat: {bce}", "(t-yhat)/(yhat(yhat-1))", True, dom)
    add("bce", f"d/dyhat: {bce}", "-t/yhat - (1-t)/(1-yhat)", False, dom)
    add("bce", f"d/dyhat: {bce}", "(yhat-t)/(yhat(1+yhat))", False, dom)
    add("bce", f"d/dyhat: {bce}", "(t-yhat)/(yhat(1-yhat))", False, dom)
    add("bce", f"d/dt: {bce}", "log(1-yhat) - log(yhat)", True, dom)
    add("bce", f"d/dt: {bce}", "log((1-yhat)/yhat)", True, dom)
    add("bce", f"d/dt: {bce}", "log(yhat) - log(1-yhat)", False, dom)
    bces = "-(t*log(sigma(z)) + (1-t)*log(1-sigma(z)))"
    add("bce", f"d/dz: {bces}", "σ(z) - t", True)
    add("bce", f"d/dz: {bces}", "-(t - σ(z))", True)
    add("bce", f"d/dz: {bces}", "1/(1+e^-z) - t", True)
    add("bce", f"d/dz: {bces}", "-t(1-σ(z)) + (1-t)σ(z)", True)
    add("bce", f"d/dz: {bces}", "t - σ(z)", False)
    add("bce", f"d/dz: {bces}", "σ(z)(1-σ(z)) - t", False)
    add("bce", f"d/dz: {bces}", "σ(z) - t + 10^(-15)", False)
    bcew = "-(t*log(sigma(w*x+b)) + (1-t)*log(1-sigma(w*x+b)))"
    add("bce", f"d/dw: {bcew}", "(σ(wx+b) - t)x", True)
    add("bce", f"d/dw: {bcew}", "x σ(w x + b) - t x", True)
    add("bce", f"d/dw: {bcew}", "σ(wx+b) - t", False)
    add("bce", f"d/db: {bcew}", "σ(wx+b) - t", True)
    add("bce", f"d/db: {bcew}", "(σ(wx+b) - t)x", False)

    # -- cross-entropy, softplus, log-sum-exp ---------------------------------------------
    add("cross-entropy", "d/dz: log(1+e^z)", "σ(z)", True)
    add("cross-entropy", "d/dz: log(1+e^z)", "e^z/(1+e^z)", True)
    add("cross-entropy", "d/dz: log(1+e^z)", "1/(1+e^z)", False)
    add("cross-entropy", "d/dz: log(1+e^(-z))", "σ(z) - 1", True)
    add("cross-entropy", "d/dz: log(1+e^(-z))", "-σ(-z)", True)
    add("cross-entropy", "d/dz: log(1+e^(-z))", "1 - σ(z)", False)
    add("cross-entropy", "d/da: log(e^a + e^b)", "e^a/(e^a+e^b)", True)
    add("cross-entropy", "d/da: log(e^a + e^b)", "σ(a-b)", True)
    add("cross-entropy", "d/da: log(e^a + e^b)", "σ(b-a)", False)
    add("cross-entropy", "d/da: -a + log(e^a + e^b)", "-σ(b-a)", True)
    add("cross-entropy", "d/da: -a + log(e^a + e^b)", "σ(a-b) - 1", True)
    add("cross-entropy", "d/da: -a + log(e^a + e^b)", "1 - σ(a-b)", False)
    add("cross-entropy", "d/dp: -(q*log(p))", "-q/p", True, [("p", 0, 1)])
    add("cross-entropy", "d/dp: -(q*log(p))", "q/p", False, [("p", 0, 1)])
    add("cross-entropy", "d/dz: (sigma(z) - t)^2/2", "(σ(z)-t)σ(z)(1-σ(z))", True)
    add("cross-entropy", "d/dz: (sigma(z) - t)^2/2", "σ(z)-t", False)
    add("cross-entropy", "d/dx: tanh(x)", "1 - tanh(x)^2", True)
    add("cross-entropy", "d/dx: tanh(x)", "sech(x)^2", True)
    add("cross-entropy", "d/dx: tanh(x)", "4σ(2x)(1-σ(2x))", True)
    add("cross-entropy", "d/dx: tanh(x)", "1 + tanh(x)^2", False)

    # -- general algebra ------------------------------------------------------------------
    algebra = [
        ("x^2 - 1", "(x-1)(x+1)", True),
        ("x^2 - 1", "(x-1)^2", False),
        ("(x+1)^3", "x^3 + 3x^2 + 3x + 1", True),
        ("(x+1)^3", "x^3 + 3x^2 + 3x + 2", False),
        ("(x^2-1)/(x-1)", "x+1", True),
        ("1/(x-1) - 1/(x+1)", "2/(x^2-1)", True),
        ("1/(x-1) - 1/(x+1)", "2/(x^2+1)", False),
        ("x/(x+y) + y/(x+y)", "1", True),
        ("(a+b)^2", "a^2 + 2ab + b^2", True),
        ("(a+b)^2", "a^2 + b^2", False),
        ("(a-b)(a+b)", "a^2 - b^2", True),
        ("x^10 - 1", "(x-1)(x^9+x^8+x^7+x^6+x^5+x^4+x^3+x^2+x+1)", True),
        ("x^10 - 1", "(x-1)(x^9+x^8+x^7+x^6+x^5+x^4+x^3+x^2+x)", False),
        ("d/dx: x^3", "3x^2", True),
        ("d/dx: x^3", "3x^3", False),
        ("d/dx: x*e^x", "e^x(1+x)", True),
        ("d/dx: x*e^x", "xe^x", False),
        ("d/dx: e^(x^2)", "2xe^(x^2)", True),
        ("d/dx: e^(x^2)", "e^(x^2)", False),
        ("d/dx: log(x)", "1/x", True),
        ("d/dx: log(x)", "log(x)/x", False),
        ("d/dx: sqrt(x)", "1/(2sqrt(x))", True),
        ("d/dx: sqrt(x)", "1/sqrt(x)", False),
        ("d/dx: sqrt(1-x^2)", "-x/sqrt(1-x^2)", True),
        ("d/dx: sqrt(1-x^2)", "x/sqrt(1-x^2)", False),
        ("d/dx: log(x-50)", "1/(x-50)", True),
        ("d/dx: 2^x", "2^x log(2)", True),
        ("d/dx: 2^x", "x*2^(x-1)", False),
        ("d/dx: x^x", "x^x(log(x)+1)", True),
        ("d/dx: x^x", "x^x log(x)", False),
        ("4^x", "2^(2x)", True),
        ("e^(2log(x))", "x^2", True),
        ("d/dx: (x^2+1)/(x-1)", "(x^2-2x-1)/(x-1)^2", True),
        ("d/dx: (x^2+1)/(x-1)", "(x^2-2x+1)/(x-1)^2", False),
        ("d/dx: 1/(1+x^2)", "-2x/(1+x^2)^2", True),
        ("d/dx: 1/(1+x^2)", "2x/(1+x^2)^2", False),
    ]
    for expected, answer, label in algebra:
        add("algebra", expected, answer, label)

    # -- trigonometry ------------------------------------------------------------------------
    trig = [
        ("sin(2x)", "2sin(x)cos(x)", True),
        ("cos(2x)", "cos(x)^2 - sin(x)^2", True),
        ("cos(2x)", "1 - 2sin(x)^2", True),
        ("cos(2x)", "2cos(x)^2", False),
        ("1", "sin(x)^2 + cos(x)^2", True),
        ("sec(x)^2", "1 + tan(x)^2", True),
        ("d/dx: tan(x)", "sec(x)^2", True),
        ("d/dx: tan(x)", "1/cos(x)^2", True),
        ("d/dx: tan(x)", "-1/cos(x)^2", False),
        ("d/dx: sin(x)^2", "sin(2x)", True),
        ("d/dx: sin(x)^2", "2sin(x)", False),
        ("d/dx: sin(3x+1)", "3cos(3x+1)", True),
        ("d/dx: sin(3x+1)", "cos(3x+1)", False),
        ("d/dx: cos(x^2)", "-2x sin(x^2)", True),
        ("d/dx: cos(x^2)", "2x sin(x^2)", False),
        ("sin(x+y)", "sin(x)cos(y) + cos(x)sin(y)", True),
        ("sin(x+y)", "sin(x)cos(y) - cos(x)sin(y)", False),
        ("d/dx: atan(x)", "1/(1+x^2)", True),
        ("d/dx: asin(x)", "1/sqrt(1-x^2)", True),
        ("d/dx: sinh(x)", "cosh(x)", True),
        ("d/dx: cosh(x)^2", "sinh(2x)", True),
        ("cosh(x)^2 - sinh(x)^2", "1", True),
        ("cos(x)^2", "1 - sin(x)^2 + 10^(-20)", False),
    ]
    for expected, answer, label in trig:
        add("trig", expected, answer, label)

    # -- numeric answers ---------------------------------------------------------------------
    add("numeric", "1/2", "0.5", True)
    add("numeric", "1/3", "0.333", False)
    add("numeric", "1/3", "0.333", True, tolerance=(0.01, 0))
    add("numeric", "1/3", "0.3", False, tolerance=(0.01, 0))
    add("numeric", "3/4", "0.75", True)
    add("numeric", "51/1000", "5.1e-2", True)
    add("numeric", "sqrt(2)", "2/sqrt(2)", True)
    add("numeric", "sqrt(2)", "1.41421356", False)
    add("numeric", "sqrt(2)", "1.41421356", True, tolerance=(1e-6, 0))
    add("numeric", "pi", "3.14159", False)
    add("numeric", "e^2", "exp(2)", True)
    add("numeric", "log(8)", "3log(2)", True)
    add("numeric", "log(8)", "2log(2)", False)
    add("numeric", "sigma(0)", "1/2", True)
    add("numeric", "d/dx: sigma(x)", "1/4", False)

    # -- traps -------------------------------------------------------------------------------
    add("trap", "x", "sqrt(x^2)", False)
    add("trap", "x", "abs(x)", True, [("x", 0, 5)])
    add("trap", "x", "sqrt(x)^2", False)
    add("trap", "x", "sqrt(x)^2", True, [("x", 0, 5)])
    add("trap", "x", "exp(log(x))", False)
    add("trap", "2log(x)", "log(x^2)", True)
    add("trap", "log(x^2)", "2log(x)", False)
    add("trap", "pi/2", "asin(x) + acos(x)", False)
    add("trap", "pi/2", "asin(x) + acos(x)", True, [("x", -1, 1)])
    add("trap", "pi/2", "atan(x) + atan(1/x)", True, [("x", 0.1, 10)])
    add("trap", "pi/2", "atan(x) + atan(1/x)", False)
    add("trap", "x + 1", "(x^2 - 1)/(x - 1)", True)
    add("trap", "d/dx: sigma(x)", "σ(x)(1-σ(x))(1 + 10^(-30))", False)
    return pairs


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


def main(argv=None) -> int:
    options = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    options.add_argument("--cap", type=float, default=2.0, help="baseline cap per pair (s)")
    options.add_argument("--quick", action="store_true", help="skip the sympy baselines")
    args = options.parse_args(argv)

    pairs = _pairs()
    print(f"{len(pairs)} labelled pairs ({sum(p.label for p in pairs)} equivalent)")
    methods = ["engine"] if args.quick else ["engine", "simplify", "equals"]
    correct = {m: 0 for m in methods}
    times: dict[str, list[float]] = {m: [] for m in methods}
    ratios: list[float] = []
    wrong: dict[str, list[str]] = {m: [] for m in methods}
    by_category: dict[str, list[int]] = {}
    if not args.quick:
        # Warm sympy up (imports, caches of the printers and simplifier) before timing it.
        warm = parse("σ(x)(1-σ(x))")
        _simplify_baseline(warm, warm)
        _equals_baseline(warm, warm * 2)
    started_all = time.perf_counter()
    for pair in pairs:
        expected = _expected_expr(pair.expected)
        names = sorted({s.name for s in expected.free_symbols} | {n for n, _, _ in pair.domain})
        answer = parse(pair.answer, names or None)
        domain = {n: (lo, hi) for n, lo, hi in pair.domain} or None
        tolerance = Tolerance(*pair.tolerance) if pair.tolerance else None

        def engine(answer=answer, expected=expected, domain=domain, tolerance=tolerance):
            return equivalent(answer, expected, domain=domain, tolerance=tolerance)

        engine()  # warm: the expected expression is now cached, as in service
        runs = []
        for _ in range(5):
            started = time.perf_counter()
            verdict = engine()
            runs.append(time.perf_counter() - started)
        engine_time = statistics.median(runs)
        times["engine"].append(engine_time)
        outcomes = {"engine": verdict}
        if not args.quick:
            for name, baseline in (("simplify", _simplify_baseline), ("equals", _equals_baseline)):
                result, elapsed = _capped(
                    lambda b=baseline, a=answer, e=expected: b(a, e), args.cap
                )
                outcomes[name] = result
                times[name].append(elapsed)
            ratios.append(times["equals"][-1] / engine_time)
        stats = by_category.setdefault(pair.category, [0, 0])
        stats[1] += 1
        for name, result in outcomes.items():
            if result is pair.label:
                correct[name] += 1
                if name == "engine":
                    stats[0] += 1
            else:
                wrong[name].append(f"{pair.expected} vs {pair.answer} -> {result}")

    n = len(pairs)
    print(f"total wall time {time.perf_counter() - started_all:.1f} s\n")
    print(f"{'method':<22}{'accuracy':>14}{'median':>12}{'p99':>12}{'max':>12}")
    for name in methods:
        label = {
            "engine": "engine (equivalent)",
            "simplify": "simplify(a-b)==0",
            "equals": "a.equals(b)",
        }[name]
        series = times[name]
        print(
            f"{label:<22}{correct[name]:>5}/{n} {100 * correct[name] / n:5.1f}%"
            f"{1e3 * statistics.median(series):>10.2f}ms"
            f"{1e3 * _percentile(series, 0.99):>10.2f}ms"
            f"{1e3 * max(series):>10.2f}ms"
        )
    if not args.quick:
        print(
            f"\nspeed ratio a.equals(b) / engine, per pair: median "
            f"{statistics.median(ratios):.0f}x, "
            f"ratio of medians {statistics.median(times['equals']) / statistics.median(times['engine']):.0f}x; "
            f"simplify / engine ratio of medians "
            f"{statistics.median(times['simplify']) / statistics.median(times['engine']):.0f}x"
        )
        print(f"(baselines capped at {args.cap:g} s per pair; a capped run counts as wrong)")
    print("\nengine accuracy by category:")
    for category, (good, total) in by_category.items():
        print(f"  {category:<14}{good:>4}/{total}")
    for name in methods:
        if wrong[name]:
            print(f"\n{name} wrong on {len(wrong[name])}:")
            for line in wrong[name][:60]:
                print("  ", line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
