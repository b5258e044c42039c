"""Generated families of ``bench/check_corpus.py``, and a numeric check of their labels.

``python -m bench.check_families`` evaluates both sides of every generated pair with
sympy's ``evalf`` (which raises its own precision past cancellation) and reports any label
the numbers contradict; the engine takes no part in it.
"""

from __future__ import annotations

import random
import sys
from fractions import Fraction

from bench.check_corpus import Pair, pairs


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


def sigmoid_ab(rng: random.Random, count: int) -> list[Pair]:
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


def bce_ab(rng: random.Random, count: int) -> list[Pair]:
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


def softmax() -> list[Pair]:
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


def constants(rng: random.Random) -> list[Pair]:
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


def extreme() -> list[Pair]:
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

    from app.cas.parse import parse
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
