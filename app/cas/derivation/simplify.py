"""The lines a teacher writes between "substitute" and the answer, one operation each.

`simplification(raw, value)` turns the expression just substituted into its simplified form
through the intermediate lines of the usual hand computation:

- fractions: to a common denominator, then as one fraction, then the numerator multiplied
  out (saying which terms cancel);
- a common factor: taken out (σ(1 - σ)[(1 - σ) - σ]), then the bracket collected;
- products of sums: multiplied out term by term, then like terms collected;
- a product with a factor in numerator and denominator: cancelled, naming the factor.

Each line is returned as (rule, text, right-hand side in LaTeX, expression); the expression
is the line's value, equal to `raw`, so every line is checked to be an equality.
"""

from __future__ import annotations

import sympy as sp

from app.cas.derivation import latex as tx
from app.cas.derivation.tidy import arrange_signs, prefer_negated, tidy
from app.cas.derivation.wording import say
from app.cas.i18n import _

Line = tuple[str, str, str, sp.Expr]


def _signed_join(pieces: list[tuple[bool, str]]) -> str:
    """LaTeX of a sum from (negative, body) pieces, with one sign between terms."""
    out = []
    for index, (negative, body) in enumerate(pieces):
        if index == 0:
            out.append(("-" if negative else "") + body)
        else:
            out.append((" - " if negative else " + ") + body)
    return "".join(out)


def _term_piece(term: sp.Expr) -> tuple[bool, str]:
    term = arrange_signs(term)
    if term.is_Add:
        negative = prefer_negated(term)
        magnitude = sp.expand(-term) if negative else term
    else:
        negative = term.could_extract_minus_sign()
        magnitude = -term if negative else term
    body = tx.tex(magnitude)
    return negative, (rf"\left({body}\right)" if magnitude.is_Add else body)


def _ordered(expr: sp.Expr) -> list[sp.Expr]:
    from app.cas.plain import natural_order

    return natural_order(list(sp.Add.make_args(expr)))


def _cancelling(terms: list[sp.Expr]) -> list[sp.Expr]:
    """The monomials of `terms` that cancel when they are added."""
    totals: dict[sp.Expr, sp.Expr] = {}
    seen: dict[sp.Expr, int] = {}
    for term in terms:
        coefficient, rest = term.as_coeff_Mul()
        totals[rest] = totals.get(rest, 0) + coefficient
        seen[rest] = seen.get(rest, 0) + 1
    return [rest for rest, total in totals.items() if total == 0 and seen[rest] > 1
            and not rest.is_Number]


def _collect_text(terms: list[sp.Expr], start: str | None = None) -> str:
    gone = _cancelling(terms)
    if not gone:
        return _("%(start)s.") % {"start": start} if start else _("Collect like terms.")
    names = " and ".join(say(g) for g in gone)
    if start is None:
        return _("The terms in %(names)s cancel.") % {"names": names}
    return _("%(start)s: the terms in %(names)s cancel.") % {"start": start, "names": names}


def _numerator_denominator(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """Numerator and denominator as written: e^(-x) stays in the numerator."""
    numerator, denominator = [], []
    for factor in sp.Mul.make_args(sp.together(expr)):
        if factor.is_Pow and factor.exp.is_Integer and factor.exp.is_negative:
            denominator.append(factor.base ** -factor.exp)
        else:
            numerator.append(factor)
    return sp.Mul(*numerator), sp.Mul(*denominator)


def _fractions(raw: sp.Expr, value: sp.Expr) -> list[Line] | None:
    terms = [arrange_signs(t) for t in _ordered(raw)]
    parts = [_numerator_denominator(t) for t in terms]
    if sum(1 for _n, d in parts if not d.is_Number) < 1 or len(terms) < 2:
        return None
    _numerator, value_denominator = _numerator_denominator(value)
    if value.is_Add or value_denominator.is_Number:
        return None  # only towards one fraction
    common = sp.S.One
    for _n, d in parts:
        common = sp.lcm(common, d)
    common = arrange_signs(sp.factor(common))
    if common.could_extract_minus_sign():
        common = -common
    numerators = [tidy(sp.cancel(n * common / d)) for n, d in parts]
    if any(_numerator_denominator(n)[1].free_symbols for n in numerators):
        return None
    over = tx.tex(common)
    pieces = []
    for n in numerators:
        negative, body = _term_piece(n)
        pieces.append((negative, rf"\frac{{{body}}}{{{over}}}"))
    summed = sp.Add(*numerators)
    expanded = [piece for n in numerators for piece in sp.Add.make_args(sp.expand(n))]
    top, _denominator = _numerator_denominator(value)
    lines = [
        (_("Common denominator"), _("Bring the fractions to the common denominator %(common)s.") % {"common": say(common)},
         _signed_join(pieces), summed / common),
        (_("Add the fractions"), _("Write them as one fraction over the common denominator."),
         rf"\frac{{{_signed_join([_term_piece(n) for n in numerators])}}}{{{over}}}",
         summed / common),
        (_("Simplify the numerator"), _collect_text(expanded, _("Multiply out the numerator")),
         tx.tex(value), value),
    ]
    return lines if tidy(sp.cancel(top / sp.expand(summed))).is_Number else lines[:2] + [
        ("Simplify", _("Multiply out and cancel."), tx.tex(value), value)
    ]


def _common_factor(raw: sp.Expr, value: sp.Expr) -> list[Line] | None:
    terms = _ordered(raw)
    if len(terms) < 2:
        return None
    common = None
    for term in terms:
        powers = sp.Mul(*[f for f in sp.Mul.make_args(term) if not f.is_Number]).as_powers_dict()
        if common is None:
            common = dict(powers)
        else:
            common = {b: min(e, powers[b]) for b, e in common.items() if b in powers}
    factor = sp.Mul(*(b**e for b, e in (common or {}).items() if e.is_positive))
    if factor == 1 or not factor.atoms(sp.Function):
        return None
    quotients = [sp.cancel(term / factor) for term in terms]
    bracket = _signed_join([_term_piece(q) for q in quotients])
    inside = tidy(sp.Add(*quotients))
    return [
        (_("Common factor"), _("Take out the common factor %(factor)s.") % {"factor": say(factor)},
         rf"{tx.factor(factor, first=True)} \left({bracket}\right)", factor * sp.Add(*quotients)),
        (_("Simplify the bracket"), _("Collect the bracket: it is %(inside)s.") % {"inside": say(inside)},
         tx.tex(value), value),
    ]


def _expanded_in_order(term: sp.Expr) -> list[sp.Expr]:
    """c·(a + b) as [c·a, c·b], in the order the sum is written (-t(1 - σ) is -t + tσ)."""
    sums = [f for f in sp.Mul.make_args(term) if f.is_Add]
    if len(sums) != 1:
        return _ordered(sp.expand(term))
    (bracket,) = sums
    rest = sp.Mul(*(f for f in sp.Mul.make_args(term) if f is not bracket))
    return [rest * piece for piece in _ordered(bracket)]


def _multiply_out(raw: sp.Expr, value: sp.Expr) -> list[Line] | None:
    terms = _ordered(raw)
    if len(terms) < 2 or not any(
        t.is_Mul and any(f.is_Add for f in t.args) for t in terms
    ):
        return None
    expanded = [piece for t in terms for piece in _expanded_in_order(t)]
    shown = _signed_join([_term_piece(p) for p in expanded])
    collected = arrange_signs(sp.expand(raw))
    lines = [
        (_("Multiply out"), _("Multiply out each product."), shown, raw),
        (_("Collect like terms"), _collect_text(expanded), tx.tex(collected), collected),
    ]
    if tx.tex(collected).replace(" ", "") != tx.tex(value).replace(" ", ""):
        common, _primitive = collected.as_content_primitive()
        text = (_("Take out the common factor %(common)s.") % {"common": say(common)} if common != 1
                else _("Write it as a product."))
        lines.append(("Factor", text, tx.tex(value), value))
    return lines


def cancelled_factor(factors: list[sp.Expr]) -> sp.Expr | None:
    """A factor that appears in a numerator and a denominator of the product `factors`."""
    numerator, denominator = sp.S.One, sp.S.One
    for f in factors:
        n, d = _numerator_denominator(f)
        numerator, denominator = numerator * n, denominator * d
    common = sp.gcd(numerator, denominator)
    if common.is_Number or not common.free_symbols:
        return None
    if common.is_Add and prefer_negated(common):
        common = sp.expand(-common)
    return common


def simplification(raw: sp.Expr, value: sp.Expr, factors: list[sp.Expr] | None = None,
                   what: str | None = None) -> list[Line]:
    """The lines from `raw` to `value` (see the module docstring).

    `factors` are the factors of a product just written (outer and inner derivative of the
    chain rule), to name one that cancels; `what` names what the simplification is about
    ("the numerator" after the quotient rule).
    """
    if raw.is_Add:
        for narrate in (_fractions, _common_factor, _multiply_out):
            lines = narrate(raw, value)
            if lines:
                return lines
    if factors:
        common = cancelled_factor(factors)
        if common is not None:
            return [("Cancel", _("Cancel the common factor %(common)s.") % {"common": say(common)}, tx.tex(value), value)]
        return [("Multiply", _("Multiply the factors together."), tx.tex(value), value)]
    if what:
        return [("Simplify", _("Simplify %(what)s.") % {"what": what}, tx.tex(value), value)]
    if not raw.is_Add:
        return [("Multiply", _("Multiply the factors together."), tx.tex(value), value)]
    return [("Simplify", _("Multiply out, cancel and collect like terms."), tx.tex(value), value)]
