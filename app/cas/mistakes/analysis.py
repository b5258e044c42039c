"""What a wrong answer is, compared with the right one, without any template knowledge.

Each finding is a candidate built from the answer and the right one (k times it, it plus a
constant, it with an argument or a variable replaced) and is reported only when the answer
is equivalent to that candidate: the message says exactly what the answer is, never what it
resembles.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction

import sympy as sp

from app.cas.derivation.tidy import prefer_negated, tidy
from app.cas.derivation.wording import say, say_group
from app.cas.equivalence import Tolerance, equivalent
from app.cas.errors import AnswerError
from app.cas.i18n import _
from app.cas.mistakes.core import Mistake, fingerprint, sample_points
from app.cas.sigmoid import sigmoid

# Kinds of the findings below that name a specific mistake (the last ones only state facts).
SPECIFIC = frozenset({"sign_flipped", "off_by_factor", "off_by_constant", "argument_replaced",
                      "substituted", "extra_factor", "missing_factor"})
GENERAL = "not_equivalent"
# Factoring and cancelling are exponential in the degree: past this power (the bank's answers
# have squares and cubes) the factor and offset findings are not looked for, and an answer
# gets the others or the general message. A course template whose answers have such powers
# gets the same; the search would otherwise cost its students seconds per wrong answer.
_ALGEBRA_MAX_POWER = 12


def _holds(answer, candidate, domain, tolerance) -> bool:
    try:
        return equivalent(answer, candidate, domain=domain, tolerance=tolerance) is True
    except AnswerError:
        return False


def _simple_number(value: complex) -> sp.Rational | None:
    if abs(value.imag) > 1e-12 * max(1.0, abs(value.real)):
        return None
    fraction = Fraction(value.real).limit_denominator(1000)
    if abs(float(fraction) - value.real) > 1e-9 * max(1.0, abs(value.real)):
        return None
    return sp.Rational(fraction.numerator, fraction.denominator)


def _constant(values: Iterable[complex]) -> sp.Rational | None:
    values = list(values)
    if not values or any(abs(v - values[0]) > 1e-9 * max(1.0, abs(values[0])) for v in values):
        return None
    return _simple_number(values[0])


def _factor_and_offset(answer, expected, samples, context) -> Iterable[Mistake]:
    a, e = fingerprint(answer, samples), fingerprint(expected, samples)
    if a is None or e is None:
        return
    if all(abs(x) > 1e-12 for x in e):
        k = _constant(x / y for x, y in zip(a, e, strict=True))
        if k is not None and k not in (0, 1) and _holds(answer, k * expected, *context):
            if k == -1:
                yield Mistake(answer, _("Check the sign: your answer is the negative of the right one."), "sign_flipped")
            else:
                yield Mistake(answer, _("Your answer is %(k)s times the right one: a constant factor is off. Check the "
                                         "chain rule's inner derivative and the constant factors.") % {"k": say(k)}, "off_by_factor")
    c = _constant(x - y for x, y in zip(a, e, strict=True))
    if c is not None and c != 0 and _holds(answer, expected + c, *context):
        yield Mistake(answer, _("Your answer differs from the right one by the constant %(c)s.") % {"c": say(c)}, "off_by_constant")


def _powers(expr: sp.Expr) -> dict:
    """The factors of an expression as printed, base -> exponent (numbers left out)."""
    found: dict = {}
    for factor in sp.Mul.make_args(tidy(expr)):
        base, exponent = factor.as_base_exp()
        if base.is_Number or not exponent.is_Integer:
            continue
        if base.is_Add and prefer_negated(base):
            base = sp.expand(-base)
        found[base] = found.get(base, 0) + exponent
    return found


def _visible_part(part: sp.Expr, whole: sp.Expr) -> bool:
    """`part` is some of the factors of `whole` as written (not all of them)."""
    mine, theirs = _powers(part), _powers(whole)
    if not mine:
        return False
    for base, exponent in mine.items():
        have = theirs.get(base, 0)
        if exponent * have <= 0 or abs(exponent) > abs(have):
            return False
    return mine != theirs


def _simple_factor(answer, expected, context) -> Iterable[Mistake]:
    """The answer is the right one times a factor of its own (an extra σ'), or lacks one of
    the right one's factors (the input x, the denominator or part of it): the factor must be
    a visible part of the product it belongs to, never the whole of an answer such as 1."""
    if not answer.free_symbols:
        return
    ratio = tidy(sp.cancel(answer / expected))
    if ratio.is_Number or sp.count_ops(ratio) > 6:
        return
    numerator, denominator = sp.fraction(ratio)
    if not (numerator in (1, -1) or denominator == 1) or sp.Mul(
        *(f for f in sp.Mul.make_args(numerator * denominator) if f.is_Number)
    ) not in (1, -1):
        return  # a quotient of factors, or a factor and a number: two things at once
    _numerator, expected_denominator = sp.fraction(sp.together(expected))
    if not _holds(answer, ratio * expected, *context):
        return
    if denominator == 1 and tidy(numerator - expected_denominator) == 0:
        yield Mistake(answer, _("Your answer lacks the denominator %(expected_denominator_group)s of the right "
                                 "one.") % {"expected_denominator_group": say_group(expected_denominator)}, "missing_factor")
    elif denominator == 1 and _visible_part(numerator, expected_denominator):
        yield Mistake(answer, _("Your answer lacks the factor %(numerator_group)s of the right one's "
                                 "denominator.") % {"numerator_group": say_group(numerator)}, "missing_factor")
    elif denominator == 1 and _visible_part(numerator, answer):
        yield Mistake(answer, _("Your answer is the right one times %(ratio_group)s: that factor does not "
                                 "belong.") % {"ratio_group": say_group(ratio)}, "extra_factor")
    elif numerator in (1, -1) and _visible_part(denominator, expected):
        inverse = tidy(1 / ratio)
        yield Mistake(answer, _("Your answer is the right one divided by %(inverse_group)s: the factor "
                                 "%(inverse)s is missing.") % {"inverse_group": say_group(inverse), "inverse": say(inverse)}, "missing_factor")


def _offset_term(answer, expected, wrt, context) -> Iterable[Mistake]:
    difference = tidy(answer - expected)
    if wrt is None or difference.has(wrt) or difference.is_Number or sp.count_ops(difference) > 6:
        return
    if _holds(answer, expected + difference, *context):
        yield Mistake(answer, _("Your answer is the right one plus %(difference_group)s, a term that does not "
                                 "depend on %(wrt)s.") % {"difference_group": say_group(difference), "wrt": say(wrt)}, "off_by_constant")


def _arguments_replaced(answer, expected, context) -> Iterable[Mistake]:
    forms = [expected]
    if expected.has(sigmoid) and answer.has(sp.exp) and not answer.has(sigmoid):
        forms.append(expected.rewrite(sp.exp))
    for form in forms:
        for func in (sigmoid, sp.exp, sp.log):
            theirs = sorted(answer.atoms(func) - form.atoms(func), key=sp.default_sort_key)
            ours = sorted(form.atoms(func) - answer.atoms(func), key=sp.default_sort_key)
            for right in ours:
                for wrong in theirs:
                    if _holds(answer, form.xreplace({right: wrong}), *context):
                        yield Mistake(answer, _("Your answer has %(wrong)s where %(right)s belongs: check what goes inside.") % {"wrong": say(wrong), "right": say(right)}, "argument_replaced")
                        return


def _substitutions(answer, expected, domain, context) -> Iterable[Mistake]:
    symbols = sorted(expected.free_symbols, key=lambda s: s.name)
    trials = []
    for symbol in symbols:
        lo, hi = domain.get(symbol.name, (None, None))
        if lo is not None and lo >= 0 and hi <= 1:
            trials.append(({symbol: 1 - symbol}, _("%(symbol)s replaced by 1 - %(symbol)s") % {"symbol": say(symbol)}))
        trials.append(({symbol: -symbol}, _("%(symbol)s replaced by -%(symbol)s") % {"symbol": say(symbol)}))
    for index, first in enumerate(symbols):
        for second in symbols[index + 1:]:
            trials.append(({first: second, second: first},
                           _("%(first)s and %(second)s exchanged") % {"first": say(first), "second": say(second)}))
    for mapping, words in trials:
        candidate = expected.xreplace(mapping)
        if candidate != expected and _holds(answer, candidate, *context):
            yield Mistake(answer, _("Your answer is the right one with %(words)s.") % {"words": words}, "substituted")
            return


def analyse(
    answer: sp.Expr,
    expected: sp.Expr,
    *,
    wrt: sp.Symbol | None = None,
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: Tolerance | None = None,
) -> Mistake | None:
    """The first specific finding about a wrong `answer`, or None (then see `facts`)."""
    domain = dict(domain or {})
    if not expected.free_symbols and not answer.free_symbols:
        return None  # any wrong number is "k times" and "c more than" the right one
    context = (domain, tolerance)
    if _holds(answer, expected, *context):
        return None  # nothing is wrong (an even function's x -> -x would "explain" it)
    samples = sample_points(expected.free_symbols | answer.free_symbols, domain)
    finders = (
        _factor_and_offset(answer, expected, samples, context),
        _arguments_replaced(answer, expected, context),
        _substitutions(answer, expected, domain, context),
    )
    if _algebra_is_cheap(answer):
        finders += (_simple_factor(answer, expected, context),
                    _offset_term(answer, expected, wrt, context))
    for finder in finders:
        for finding in finder:
            return finding
    return None


def _algebra_is_cheap(expr: sp.Expr) -> bool:
    return all(not (p.exp.is_Integer and abs(p.exp) > _ALGEBRA_MAX_POWER)
               for p in expr.atoms(sp.Pow))


def facts(answer: sp.Expr, expected: sp.Expr, wrt: sp.Symbol | None = None) -> str:
    """A true general statement about a wrong answer, for when no mistake is recognised."""
    missing = sorted(expected.free_symbols - answer.free_symbols, key=lambda s: s.name)
    extra = sorted(answer.free_symbols - expected.free_symbols, key=lambda s: s.name)
    if missing:
        names = ", ".join(say(s) for s in missing)
        return _("The right answer depends on %(names)s; yours does not.") % {"names": names}
    if extra:
        names = ", ".join(say(s) for s in extra)
        return _("Your answer depends on %(names)s; the right one does not.") % {"names": names}
    if not expected.free_symbols:
        return _("Your value is not the right one.")
    return _("Your answer is not equal to the right one: compare it with the worked "
              "solution.")
