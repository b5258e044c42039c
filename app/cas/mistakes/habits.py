"""Mistakes read off the function and its derivative rather than off one rule: the habits of
students working with the sigmoid and cross-entropy.

Each generator returns finished `Mistake`s for d/d`wrt` `function` with derivative `expected`:
σ' remembered wrongly, stopping at dL/dŷ, the squared-error factor σ' carried into
cross-entropy, the label's two cases swapped, ŷ and 1 - ŷ swapped, σ' written for σ, the
derivative in another variable, every term of a sum differentiated, another index used.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sympy as sp

from app.cas.derivation.tidy import tidy
from app.cas.derivation.wording import say
from app.cas.i18n import _
from app.cas.mistakes.core import Mistake, sigmoid_atoms
from app.cas.mistakes.rules import SIGMOID_BELIEFS
from app.cas.sigmoid import sigmoid

_INDEXED = re.compile(r"^(?P<stem>.+)_(?P<index>\d+)$")


@dataclass(frozen=True)
class Problem:
    function: sp.Expr
    wrt: sp.Symbol
    expected: sp.Expr
    domain: Mapping[str, tuple[float, float]]

    def is_probability(self, expr: sp.Expr) -> bool:
        """σ(u), or a variable whose domain lies in (0, 1) (ŷ, p_j)."""
        if isinstance(expr, sigmoid):
            return True
        if expr.is_Symbol:
            lo, hi = self.domain.get(expr.name, (None, None))
            return lo is not None and lo >= 0 and hi <= 1
        return False


def _sigma_prime(u: sp.Expr) -> sp.Expr:
    return sigmoid(u) * (1 - sigmoid(u))


def _as_polynomial(expr: sp.Expr, atom: sp.Expr):
    """`expr` as a polynomial in `atom` (other atoms frozen), or None."""
    y = sp.Dummy("y")
    try:
        poly = sp.Poly(sp.cancel(expr.xreplace({atom: y})), y)
    except sp.PolynomialError:
        return None, y
    if any(c.has(atom) for c in poly.coeffs()):
        return None, y
    return poly, y


def sigma_prime_pattern(problem: Problem) -> Iterable[Mistake]:
    """The derivative is q·σ(u)(1 - σ(u)): each belief about σ' puts its own form there."""
    for atom in sigmoid_atoms(problem.expected):
        u = atom.args[0]
        y = sp.Dummy("y")
        q = sp.cancel(problem.expected.xreplace({atom: y}) / (y * (1 - y)))
        if q.has(y) or q.has(atom):
            continue
        for wrong, message, kind in SIGMOID_BELIEFS:
            yield Mistake(q * wrong(u), _(message), kind)
        if u != problem.wrt and u.has(problem.wrt):
            lost = q * _sigma_prime(problem.wrt)
            yield Mistake(
                lost,
                _("σ' is taken at the inner function, σ'(%(u)s): your answer has %(wrt)s where "
                   "%(u)s belongs.") % {"u": say(u), "wrt": say(problem.wrt)},
                "argument_lost",
            )


def predictions(function: sp.Expr) -> list[sigmoid]:
    """The σ(u) a binary cross-entropy is taken of: both log σ(u) and log(1 - σ(u)) occur."""
    logs = {log.args[0] for log in function.atoms(sp.log)}
    return [atom for atom in sigmoid_atoms(function) if atom in logs and tidy(1 - atom) in logs]


def prediction_habits(problem: Problem) -> Iterable[Mistake]:
    """Stopping at dL/dŷ, and the squared-error habit of multiplying the error by σ'."""
    for atom in predictions(problem.function):
        u = atom.args[0]
        y = sp.Dummy("y")
        outer = sp.diff(problem.function.xreplace({atom: y}), y).xreplace({y: atom})
        link = tidy(sp.diff(atom, problem.wrt))
        yield Mistake(
            outer,
            _("That is dL/dŷ, the derivative in the prediction ŷ = σ(%(u)s): the chain rule "
               "goes on and multiplies it by dŷ/d%(wrt)s = %(link)s.") % {"u": say(u), "wrt": say(problem.wrt), "link": say(link)},
            "stopped_at_prediction",
        )
        yield Mistake(
            link,
            _("That is dŷ/d%(wrt)s, the derivative of the prediction ŷ = σ(%(u)s); the "
               "loss's derivative multiplies it by dL/dŷ.") % {"wrt": say(problem.wrt), "u": say(u)},
            "prediction_derivative",
        )
        yield Mistake(
            problem.expected * _sigma_prime(u),
            _("Your answer has an extra factor σ(%(u)s)(1 - σ(%(u)s)). For cross-entropy it "
               "cancels against the ŷ(1 - ŷ) in the denominator of dL/dŷ; multiplying the "
               "error by σ' is the gradient of the squared error, not of cross-entropy.") % {"u": say(u)},
            "squared_error_habit",
        )


def label_swap(problem: Problem) -> Iterable[Mistake]:
    """The loss with log(ŷ) and log(1 - ŷ) exchanged: the label's two cases swapped.

    Only for a binary cross-entropy: the logs are of one prediction, σ(u) with both log σ(u)
    and log(1 - σ(u)), or a variable in (0, 1) such as ŷ (the loss for a given label may
    have only one of its logs).
    """
    logs = sorted(problem.function.atoms(sp.log), key=sp.default_sort_key)
    bases = {log.args[0] for log in logs}
    candidates = [*bases, *(tidy(1 - g) for g in bases)]
    shown = next((g for g in candidates if g.is_Symbol and problem.is_probability(g)), None)
    if shown is None:
        found = predictions(problem.function)
        shown = found[0] if len(found) == 1 else None
    if shown is None or not bases <= {shown, tidy(1 - shown)}:
        return
    swap = {log: sp.log(tidy(1 - log.args[0])) for log in logs}
    swapped = problem.function.xreplace(swap)
    yield Mistake(
        sp.diff(swapped, problem.wrt),
        _("Your answer swaps the label's two cases: it is the derivative with "
           "log(%(shown)s) and log(%(value)s) exchanged. In L = -(t log ŷ + (1 - t) log(1 "
           "- ŷ)) the label t goes with log ŷ and 1 - t with log(1 - ŷ).") % {"shown": say(shown), "value": say(1 - shown)},
        "label_swapped",
    )


def prediction_swap(problem: Problem) -> Iterable[Mistake]:
    """ŷ and 1 - ŷ exchanged in the answer (σ and 1 - σ for a prediction σ(u)): when the
    answer is linear in σ(u) (σ - t, a(1 - σ(ax))), or a loss's derivative in ŷ."""
    for atom in sigmoid_atoms(problem.expected):
        poly, _gens = _as_polynomial(problem.expected, atom)
        if poly is None or poly.degree() != 1:
            continue
        yield Mistake(
            problem.expected.xreplace({atom: 1 - atom}),
            _("Your answer has σ(%(args)s) where 1 - σ(%(args)s) belongs (and the other way "
               "round).") % {"args": say(atom.args[0])},
            "prediction_swapped",
        )
    logged = {log.args[0] for log in problem.function.atoms(sp.log)}
    for symbol in sorted(problem.expected.free_symbols, key=lambda s: s.name):
        if problem.is_probability(symbol) and symbol in logged | {tidy(1 - g) for g in logged}:
            yield Mistake(
                problem.expected.xreplace({symbol: 1 - symbol}),
                _("Your answer has %(symbol)s where 1 - %(symbol)s belongs (and the other way "
                   "round).") % {"symbol": say(symbol)},
                "prediction_swapped",
            )


def sigma_prime_for_sigma(problem: Problem) -> Iterable[Mistake]:
    """σ'(u) = σ(u)(1 - σ(u)) written where the answer has σ(u) itself."""
    for atom in sigmoid_atoms(problem.expected):
        poly, _gens = _as_polynomial(problem.expected, atom)
        if poly is None or poly.degree() != 1:
            continue
        u = atom.args[0]
        yield Mistake(
            problem.expected.xreplace({atom: _sigma_prime(u)}),
            _("Your answer has σ'(%(u)s) = σ(%(u)s)(1 - σ(%(u)s)) where σ(%(u)s) itself "
               "belongs.") % {"u": say(u)},
            "sigma_prime_for_sigma",
        )


def _family(symbol: sp.Symbol) -> tuple[str, str] | None:
    match = _INDEXED.match(symbol.name)
    return (match.group("stem"), match.group("index")) if match else None


def _variables_alike(problem: Problem) -> list[sp.Symbol]:
    """Other variables a student may differentiate by instead: those sharing a function's
    argument with the variable (w and b in σ(wx + b)), multiplying a term that contains it
    (t_2 in t_2 log p_2), or of its family (p_1, p_2, ...)."""
    wrt = problem.wrt
    alike = set()
    for atom in problem.function.atoms(sp.Function):
        if atom.has(wrt):
            alike |= {s for s in atom.args[0].free_symbols if s != wrt}
    for term in sp.Add.make_args(sp.expand(problem.function)):
        if term.has(wrt):
            alike |= {f for f in sp.Mul.make_args(term) if f.is_Symbol and f != wrt}
    family = _family(wrt)
    if family is not None:
        alike |= {s for s in problem.function.free_symbols
                  if s != wrt and (_family(s) or ("", ""))[0] == family[0]}
    return sorted(alike, key=lambda s: s.name)


def other_variables(problem: Problem) -> Iterable[Mistake]:
    wrt = problem.wrt
    for symbol in _variables_alike(problem):
        yield Mistake(
            sp.diff(problem.function, symbol),
            _("That is the derivative with respect to %(symbol)s; the question asks for the "
               "derivative with respect to %(wrt)s.") % {"symbol": say(symbol), "wrt": say(wrt)},
            "wrong_variable",
        )
    family = _family(wrt)
    if family is None:
        return
    members = sorted((s for s in problem.function.free_symbols
                      if (_family(s) or ("", ""))[0] == family[0]), key=lambda s: s.name)
    every = tidy(sp.Add(*(sp.diff(problem.function, s) for s in members)))
    if len(members) > 1 and every.free_symbols:  # a constant sum (softmax's 0) explains nothing
        yield Mistake(
            every,
            _("Your answer differentiates every term of the sum, each in its own variable. "
               "The derivative with respect to %(wrt)s sees only the terms that contain "
               "%(wrt)s; the others are constants.") % {"wrt": say(wrt)},
            "every_term",
        )
    yield from _index_swaps(problem, family, members)


def _index_swaps(problem: Problem, family, members) -> Iterable[Mistake]:
    """Another index's terms written for the variable's: indices i and j exchanged, in every
    indexed name (t_j/p_j for t_i/p_i) or in the variable's family only (t_i/p_j)."""
    stem, index = family
    indexed = {}
    for symbol in problem.function.free_symbols | problem.expected.free_symbols:
        found = _family(symbol)
        if found is not None:
            indexed[found] = symbol
    for member in members:
        other = _family(member)[1]
        if other == index:
            continue
        for stems in (None, {stem}):
            exchange = {}
            for (s, i), symbol in indexed.items():
                if stems is not None and s not in stems:
                    continue
                if i == index and (s, other) in indexed:
                    exchange[symbol] = indexed[(s, other)]
                    exchange[indexed[(s, other)]] = symbol
            if not exchange:
                continue
            yield Mistake(
                problem.expected.xreplace(exchange),
                _("Your answer has index %(other)s where index %(index)s belongs: the derivative "
                   "with respect to %(wrt)s is about the terms with index %(index)s.") % {"other": other, "index": index, "wrt": say(problem.wrt)},
                "index_swapped",
            )


def point_mistakes(derivative: sp.Expr, wrt: sp.Symbol, value: sp.Expr) -> Iterable[Mistake]:
    """The derivative at a point, taken at the wrong point: 0 (σ'(0) = 1/4) or -value."""
    shown = say(value)
    for wrong in (sp.S.Zero, -value):
        if wrong == value:
            continue
        yield Mistake(
            derivative.xreplace({wrt: wrong}),
            _("That is the derivative at %(wrt)s = %(wrong)s, not at %(wrt)s = %(shown)s.") % {"wrt": say(wrt), "wrong": say(wrong), "shown": shown},
            "wrong_point",
        )


def sign_flipped(problem: Problem) -> Mistake:
    return Mistake(
        -problem.expected,
        _("Check the sign: your answer is the negative of the right one."),
        "sign_flipped",
    )


# prediction_habits come first (see generate.py): for a cross-entropy, "stopped at dL/dŷ"
# names what "σ' taken as 1" only reproduces.
HABITS = (
    sigma_prime_pattern,
    label_swap,
    prediction_swap,
    sigma_prime_for_sigma,
    other_variables,
)

__all__ = ["HABITS", "Problem", "point_mistakes", "prediction_habits", "predictions",
           "sign_flipped"]
