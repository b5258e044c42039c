"""The labelled pairs of ``bench/check_bench.py``: what students answer, right and wrong.

Hand-labelled classics (sigmoid and cross-entropy derivatives, algebra, trigonometry, traps)
and generated families that look like a class's traffic on randomized problems:
``d/dx σ(ax + b)`` with random slopes and offsets (each pair a fresh expected expression,
some with arguments in the hundreds), binary cross-entropy through a sigmoid, softmax,
constants such as ``σ(log 3)``, extreme arguments, and the wrong answers students write
(missing chain factor, sign slips, ``σ(1+σ)``, ``σ²``, the function instead of its
derivative, a dropped exponent sign). Labels of generated pairs hold by construction;
``python -m bench.check_corpus`` re-checks every label at 120 digits with mpmath, away
from the engine.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True)
class Pair:
    category: str
    expected: str  # "d/dx: f" means the derivative of f with respect to x
    answer: str
    label: bool
    domain: tuple[tuple[str, float, float], ...] = ()
    tolerance: tuple[float, float] | None = None
    centre: float | None = None  # where the expected expression varies (label checking only)


def _classic() -> list[Pair]:
    """The hand-labelled pairs the benchmark started with."""
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



def pairs(seed: int = 17) -> list[Pair]:
    """Every pair: the classics, then the generated families (deterministic for a seed)."""
    rng = random.Random(seed)
    return (
        _classic()
        + _sigmoid_ab(rng, 160)
        + _bce_ab(rng, 40)
        + _softmax()
        + _constants(rng)
        + _extreme()
    )


def _affine(a: int, b: int, var: str = "x") -> str:
    """``ax + b`` as a student types it: ``216x + 978``, ``-3x - 2``, ``x``."""
    head = {1: var, -1: f"-{var}"}.get(a, f"{a}{var}")
    if b == 0:
        return head
    return f"{head} + {b}" if b > 0 else f"{head} - {-b}"


def _slope_offset(rng: random.Random, seen: set) -> tuple[int, int]:
    while True:
        if rng.random() < 0.6:
            a = rng.choice([-1, 1]) * rng.randint(1, 12)
        else:
            a = rng.choice([-1, 1]) * rng.randint(13, 1000)
        b = rng.randint(-10, 10) if rng.random() < 0.5 else rng.randint(-1000, 1000)
        if (a, b) not in seen:
            seen.add((a, b))
            return a, b


def _sigmoid_ab(rng: random.Random, count: int) -> list[Pair]:
    """d/dx σ(ax + b), every pair with new a and b: half right, half the usual mistakes."""
    out: list[Pair] = []
    seen: set = set()
    for _ in range(count):
        a, b = _slope_offset(rng, seen)
        u = f"({_affine(a, b)})"
        right = [
            f"{a}σ{u}(1-σ{u})",
            f"{a}e^(-{u})/(1+e^(-{u}))^2",
            f"{a}e^{u}/(1+e^{u})^2",
            f"{a}σ{u}σ(-{u})",
            f"{a}/(2+2cosh{u})",
            f"{a}(σ{u} - σ{u}^2)",
        ]
        wrong = [
            f"σ{u}(1-σ{u})" if a != 1 else f"-σ{u}(1-σ{u})",  # chain factor missing
            f"{a}σ{u}(1+σ{u})",
            f"{-a}σ{u}(1-σ{u})",
            f"{a}σ{u}^2",
            f"{a}e^{u}/(1+e^(-{u}))^2",  # exponent sign slip
            f"{a}σ{u}",  # the function, not its derivative
        ]
        label = rng.random() < 0.5
        answer = rng.choice(right if label else wrong)
        expected = f"d/dx: sigma({_affine(a, b)})"
        out.append(Pair("sigmoid(ax+b)", expected, answer, label, centre=-b / a))
    return out


def _bce_ab(rng: random.Random, count: int) -> list[Pair]:
    """d/dz of the cross-entropy of σ(az + b): a(σ(az+b) - t)."""
    out: list[Pair] = []
    seen: set = set()
    for _ in range(count):
        a, b = _slope_offset(rng, seen)
        a = max(-12, min(12, a)) or 1
        u = _affine(a, b, "z")
        s = f"σ({u})"
        function = f"-(t*log(sigma({u})) + (1-t)*log(1-sigma({u})))"
        right = [f"{a}({s} - t)", f"{a}{s} - {a}t", f"-{a}(t - {s})",
                 f"{a}(1/(1+e^(-({u}))) - t)", f"-{a}t(1-{s}) + {a}(1-t){s}"]
        wrong = [f"{s} - t" if a != 1 else f"t - {s}", f"{a}(t - {s})",
                 f"{a}{s}(1-{s}) - t", f"{a}({s} - t)/({s}(1-{s}))"]
        label = rng.random() < 0.5
        answer = rng.choice(right if label else wrong)
        out.append(Pair("bce(az+b)", f"d/dz: {function}", answer, label, centre=-b / a))
    return out


def _softmax() -> list[Pair]:
    out: list[Pair] = []
    softmax = "e^a/(e^a+e^b+e^c)"
    cases = [
        (f"d/da: log({softmax})", "1 - e^a/(e^a+e^b+e^c)", True),
        (f"d/da: log({softmax})", "(e^b+e^c)/(e^a+e^b+e^c)", True),
        (f"d/da: log({softmax})", "e^a/(e^a+e^b+e^c)", False),
        (f"d/da: log({softmax})", "e^a/(e^a+e^b+e^c) - 1", False),
        (f"d/db: log({softmax})", "-e^b/(e^a+e^b+e^c)", True),
        (f"d/db: log({softmax})", "e^b/(e^a+e^b+e^c)", False),
        (f"d/da: {softmax}", f"({softmax})(1 - {softmax})", True),
        (f"d/da: {softmax}", "e^a(e^b+e^c)/(e^a+e^b+e^c)^2", True),
        (f"d/da: {softmax}", f"({softmax})(1 + {softmax})", False),
        (f"d/db: {softmax}", "-e^(a+b)/(e^a+e^b+e^c)^2", True),
        (f"d/db: {softmax}", "e^(a+b)/(e^a+e^b+e^c)^2", False),
        ("d/da: e^a/(e^a+e^b)", "σ(a-b)σ(b-a)", True),
        ("d/da: e^a/(e^a+e^b)", "σ(a-b)(1-σ(a-b))", True),
        ("d/da: e^a/(e^a+e^b)", "σ(a-b)", False),
        ("d/da: -log(e^a/(e^a+e^b))", "σ(a-b) - 1", True),
        ("d/da: -log(e^a/(e^a+e^b))", "-σ(b-a)", True),
        ("d/da: -log(e^a/(e^a+e^b))", "1 - σ(a-b)", False),
        ("d/da: -(s*log(e^a/(e^a+e^b)) + (1-s)*log(e^b/(e^a+e^b)))", "σ(a-b) - s", True),
        ("d/da: -(s*log(e^a/(e^a+e^b)) + (1-s)*log(e^b/(e^a+e^b)))", "s - σ(a-b)", False),
    ]
    for expected, answer, label in cases:
        out.append(Pair("softmax", expected, answer, label))
    return out


def _fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def _decimal(value: Fraction) -> str | None:
    """``value`` as a terminating decimal, when it is one (students type 0.75, not 3/4)."""
    q = value.denominator
    for prime in (2, 5):
        while q % prime == 0:
            q //= prime
    if q != 1:
        return None
    text = f"{float(value):.12f}".rstrip("0").rstrip(".")
    return text if Fraction(text) == value else None


def _constants(rng: random.Random) -> list[Pair]:
    out = [
        Pair("constants", "sigma(log(3))", "0.75", True),
        Pair("constants", "sigma(log(2))(1-sigma(log(2)))", "2/9", True),
        Pair("constants", "sigma(-log(3))", "1/4", True),
        Pair("constants", "tanh(log(2))", "0.6", True),
        Pair("constants", "cosh(log(2))", "1.25", True),
        Pair("constants", "3", "exp(log(3))", True),
        Pair("constants", "x/3", "x*exp(-log(3))", True),
        Pair("constants", "log(6)", "log(2)+log(3)", True),
        Pair("constants", "e^(x log(2))", "2^x", True),
    ]
    functions = {
        "sigma": lambda t: t / (1 + t),
        "tanh": lambda t: (t * t - 1) / (t * t + 1),
        "cosh": lambda t: (t + 1 / t) / 2,
        "sinh": lambda t: (t - 1 / t) / 2,
        "exp": lambda t: t,
    }
    for _ in range(30):
        name = rng.choice(sorted(functions))
        r = Fraction(rng.randint(2, 9), rng.choice([1, 1, 2, 3]))
        k = rng.choice([1, -1, 2])
        value = functions[name](r**k)
        u = f"log({_fraction(r)})" if k == 1 else f"{k}log({_fraction(r)})"
        answer = _decimal(value) or _fraction(value)
        if rng.random() < 0.35:
            slip = rng.choice([Fraction(1, 100), Fraction(-1, 10), Fraction(1, 3)])
            out.append(Pair("constants", f"{name}({u})", _fraction(value + slip), False))
        else:
            out.append(Pair("constants", f"{name}({u})", answer, True))
    return out


def _extreme() -> list[Pair]:
    """Arguments in the hundreds and thousands, where 1 - σ(u) is 0 in any fixed precision."""
    wide = [("x", -2000, 2000)]
    out = [
        Pair("extreme", "d/dx: sigma(1000x)", "500/(1+cosh(1000x))", True),
        Pair("extreme", "d/dx: sigma(1000x)", "1000/(1+cosh(1000x))", False),
        Pair("extreme", "sigma(x)(1-sigma(x))", "e^x/(1+e^x)^2", True, wide),
        Pair("extreme", "sigma(x)(1-sigma(x))", "e^x/(1+e^x)", False, wide),
        Pair("extreme", "sigma(x)(1-sigma(x))", "e^x/(1+e^x)^2 + e^(-3000)", False, wide),
        Pair(
            "extreme",
            "d/dx: sigma(216x + 978)",
            "216e^(-(216x + (978)))/(1+e^(-(216x + (978))))^2",
            True,
        ),
    ]
    for a in (500, 2000, 5000):
        f = f"d/dx: sigma({a}x)"
        out.append(Pair("extreme", f, f"{a}/(2+2cosh({a}x))", True))
        out.append(Pair("extreme", f, f"{a}e^({a}x)/(1+e^({a}x))^2", True))
        out.append(Pair("extreme", f, f"{a}σ({a}x)(1+σ({a}x))", False))
        out.append(Pair("extreme", f, f"σ({a}x)(1-σ({a}x))", False))
    return out


CLASSIC = {"sigmoid", "bce", "cross-entropy", "algebra", "trig", "numeric", "trap"}


def _verify(digits: int = 60) -> int:
    """Re-check the generated labels with sympy's evalf (which raises its own precision past
    any cancellation) at six points of three scales (around ``centre`` when given), to ``digits`` digits; the classics are labelled by hand
    and include definedness traps numbers cannot show."""
    import sympy as sp

    from app.cas.parser import parse
    from app.cas.sigmoid import sigmoid

    def expression(text):
        if text.startswith("d/d"):
            head, body = text.split(":", 1)
            return sp.diff(parse(body.strip()), sp.Symbol(head[3:], real=True))
        return parse(text)

    wrong = 0
    rng = random.Random(1)
    for pair in pairs():
        if pair.category in CLASSIC:
            continue
        expected = expression(pair.expected)
        answer = parse(pair.answer, sorted(s.name for s in expected.free_symbols) or None)
        symbols = sorted(expected.free_symbols | answer.free_symbols, key=lambda s: s.name)
        forms = [e.rewrite([sigmoid, sp.tanh, sp.cosh, sp.sinh], sp.exp) for e in (expected, answer)]
        bounds = {name: (lo, hi) for name, lo, hi in pair.domain}
        equal = True
        # e^(-3000) next to values of e^(-2000) needs its 1,500 digits
        precision = 1500 if pair.category == "extreme" else digits
        for scale in (10, 0.01, 10, 0.01, 1, 1):
            point = {
                s: sp.Rational(rng.uniform(*bounds.get(s.name, (-scale, scale)))) for s in symbols
            }
            if pair.centre is not None and scale == 1:
                point = {s: v + sp.Rational(pair.centre) for s, v in point.items()}
            e, a = (sp.N(form.xreplace(point), precision, maxn=40000) for form in forms)
            size = max(abs(e), abs(a))
            if size != 0 and abs(a - e) > sp.Float(10, precision) ** (10 - precision) * size:
                equal = False
        if equal is not pair.label:
            wrong += 1
            print("label?", pair)
    print(f"{wrong} generated labels disagree with their {digits}-digit values")
    return wrong


if __name__ == "__main__":
    sys.exit(1 if _verify() else 0)
