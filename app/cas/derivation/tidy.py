"""Algebraic tidying of derivatives into the form a teacher would write down.

sympy's `simplify` is slow and likes forms students never see (it turns e^(-x) into
e^x, or 1 - σ into -(σ - 1)). Here exponentials, logarithms and sigmoids are frozen as
opaque symbols, only polynomial algebra is done on the rest (expand, cancel, factor), and
the shortest result wins, with signs arranged the way the answer is usually printed:
σ(x)(1 - σ(x)) rather than -σ(x)(σ(x) - 1).
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from app.cas.sigmoid import sigmoid


def _freeze(expr: sp.Expr) -> tuple[sp.Expr, dict[sp.Dummy, sp.Expr]]:
    """Replace every exp/log/sigmoid application by a fresh symbol."""
    atoms = expr.atoms(sp.exp, sp.log, sigmoid)
    # Innermost first, so that the replacement of an outer atom sees frozen arguments.
    mapping = {}
    for atom in sorted(atoms, key=lambda a: sp.count_ops(a)):
        mapping[atom] = sp.Dummy("a", real=True, positive=atom.func is not sp.log or None)
    frozen = expr.xreplace(mapping)
    return frozen, {dummy: atom for atom, dummy in mapping.items()}


def _count_negative(terms) -> int:
    return sum(1 for term in terms if term.could_extract_minus_sign())


def prefer_negated(factor: sp.Expr) -> bool:
    """Whether -factor reads better than factor (1 - σ over σ - 1, ŷ - t over -t + ŷ)."""
    if not factor.is_Add:
        return False
    constant, _ = factor.as_coeff_Add()
    if constant != 0:
        return constant.is_negative
    return _count_negative(factor.args) > _count_negative((-factor).args)


def arrange_signs(expr: sp.Expr) -> sp.Expr:
    """Flip sum factors of odd power so that constants lead positive and few signs show:
    -1/(1 - ŷ) rather than 1/(ŷ - 1), -(1 - t)/(1 - ŷ) rather than (t - 1)/(1 - ŷ); in a sum,
    term by term."""
    if expr.is_Add:
        return sp.Add(*(arrange_signs(term) for term in expr.args))
    if expr.is_Pow:
        base, exponent = expr.args
        if exponent.is_Integer and exponent % 2 == 1 and prefer_negated(base):
            return sp.Mul(sp.S.NegativeOne, sp.expand(-base) ** exponent)
        return expr
    if not expr.is_Mul:
        return expr
    coefficient, factors = expr.as_coeff_mul()
    arranged = []
    for factor in factors:
        base, exponent = factor.as_base_exp()
        if exponent.is_Integer and exponent % 2 == 1 and prefer_negated(base):
            coefficient = -coefficient
            base = sp.expand(-base)
        arranged.append(base**exponent)
    if coefficient.is_negative:
        # Absorb a leading minus into a sum factor when that costs no extra sign.
        for index, factor in enumerate(arranged):
            base, exponent = factor.as_base_exp()
            if exponent.is_Integer and exponent % 2 == 1 and base.is_Add:
                negated = sp.expand(-base)
                if _count_negative(negated.args) <= _count_negative(base.args) and (
                    base.as_coeff_Add()[0] == 0
                ):
                    coefficient = -coefficient
                    arranged[index] = negated**exponent
                    break
    if len(arranged) == 1 and arranged[0].is_Add and coefficient not in (1, -1):
        # 3(σ - t) stays a product: evaluating would multiply the 3 into the sum.
        return sp.Mul(coefficient, arranged[0], evaluate=False)
    return sp.Mul(coefficient, *arranged)


def _thawed(expr: sp.Expr, thaw: dict) -> sp.Expr:
    """The frozen atoms put back, keeping a number times a sum as a product: 3(σ - t)."""
    coefficient, rest = expr.as_coeff_Mul()
    if rest.is_Add and coefficient not in (1, -1):
        return sp.Mul(coefficient, rest.xreplace(thaw), evaluate=False)
    return expr.xreplace(thaw)


def _size(expr: sp.Expr) -> int:
    return sp.count_ops(expr, visual=False)


@lru_cache(maxsize=4096)
def tidy(expr: sp.Expr) -> sp.Expr:
    """The shortest of a few standard forms of `expr`, signs arranged."""
    frozen, thaw = _freeze(expr)
    # Factored forms read best and keep a one-operation head start (-σ(1 - σ) over
    # σ^2 - σ); on a tie the earlier candidate wins.
    candidates = []
    for bonus, transform in (
        (1, lambda e: sp.factor(sp.cancel(e))),
        (1, sp.factor),
        (0, lambda e: e),
        (0, sp.cancel),
        (0, sp.expand),
    ):
        try:
            candidates.append((bonus, _thawed(arrange_signs(transform(frozen)), thaw)))
        except (sp.PolynomialError, sp.CoercionFailed):
            continue
    best = min(candidates, key=lambda pair: _size(pair[1]) - pair[0])[1]
    return best
