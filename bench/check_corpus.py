"""The labelled pairs of ``bench/check_bench.py``: what students answer, right and wrong.

Hand-labelled classics (sigmoid and cross-entropy derivatives, algebra, trigonometry, traps)
and generated families that look like a class's traffic on randomized problems:
``d/dx σ(ax + b)`` with random slopes and offsets (each pair a fresh expected expression,
some with arguments in the hundreds), binary cross-entropy through a sigmoid, softmax,
constants such as ``σ(log 3)``, extreme arguments, and the wrong answers students write
(missing chain factor, sign slips, ``σ(1+σ)``, ``σ²``, the function instead of its
derivative, a dropped exponent sign). The generated families live in
``bench/check_families.py``; their labels hold by construction, and
``python -m bench.check_families`` re-checks them numerically, away from the engine.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Pair:
    category: str
    expected: str  # "d/dx: f" means the derivative of f with respect to x
    answer: str
    label: bool
    domain: tuple[tuple[str, float, float], ...] = ()
    tolerance: tuple[float, float] | None = None
    centre: float | None = None  # where the expected expression varies (label checking only)


def pairs(seed: int = 17) -> list[Pair]:
    """Every pair: the classics, then the generated families (deterministic for a seed)."""
    from bench import check_families as families  # it builds on Pair

    rng = random.Random(seed)
    return (
        _classic()
        + families.sigmoid_ab(rng, 160)
        + families.bce_ab(rng, 40)
        + families.softmax()
        + families.constants(rng)
        + families.extreme()
    )


def _classic() -> list[Pair]:
    """The hand-labelled pairs the benchmark started with."""
    out: list[Pair] = []

    def add(category, expected, answer, label, domain=(), tolerance=None):
        out.append(Pair(category, expected, answer, label, tuple(domain), tolerance))

    for section in (
        _classic_sigmoid,
        _classic_bce,
        _classic_cross_entropy,
        _classic_algebra,
        _classic_trig,
        _classic_numeric,
        _classic_traps,
    ):
        section(add)
    return out


def _classic_sigmoid(add) -> None:
    """Sigmoid derivatives."""
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


def _classic_bce(add) -> None:
    """Binary cross-entropy."""
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


def _classic_cross_entropy(add) -> None:
    """Cross-entropy, softplus, log-sum-exp."""
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


def _classic_algebra(add) -> None:
    """General algebra."""
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


def _classic_trig(add) -> None:
    """Trigonometry."""
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


def _classic_numeric(add) -> None:
    """Numeric answers."""
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


def _classic_traps(add) -> None:
    """Traps."""
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
