"""Plain words for a sympy expression, read the way the MathML printer shows it.

`σ(x)(1 - σ(x))` is "sigma of x times open paren one minus sigma of x close paren": the same
factor order and fractions as `app.cas.render`, every grouping said aloud (a listener cannot
see parentheses), small whole numbers in words. Words come from `app.cas.spoken.words`.
"""

from __future__ import annotations

import sympy as sp
from sympy.simplify import fraction

from app.cas.plain import ordered_terms
from app.cas.sigmoid import sigmoid
from app.cas.spoken.words import FUNCTION_NAMES, LETTERS, ORDINALS, number, say

# What a piece of words is, for deciding when it must be grouped: one name or number, a
# function applied, or anything with operators in it.
ATOM, CALL, COMPOUND = "atom", "call", "compound"


def expression_words(expr: sp.Expr) -> str:
    return _Speaker().words(expr)[0]


def symbol_words(name: str) -> str:
    """`yhat` is "y hat", `x_1` is "x sub 1", Greek letters by their names."""
    if name in LETTERS:
        return LETTERS[name]
    base, _, sub = name.partition("_")
    if sub:
        return say("sub", a=symbol_words(base), b=number(sub) if sub.isdigit() else sub)
    return name


class _Speaker:
    def words(self, expr: sp.Basic) -> tuple[str, str]:
        if expr.is_Number:
            return self._number(expr)
        if expr.is_Symbol:
            return symbol_words(expr.name), ATOM
        if expr is sp.E:
            return "e", ATOM
        if expr is sp.pi:
            return LETTERS["pi"], ATOM
        if expr.is_Add:
            return self._sum(expr), COMPOUND
        if expr.is_Mul or (expr.is_Pow and expr.exp.is_negative):
            return self._product(expr)
        if expr.is_Pow:
            return self._power(expr)
        if isinstance(expr, sp.exp):
            return self._raised("e", expr.args[0]), COMPOUND
        if isinstance(expr, sp.Abs):
            return say("abs", a=self._argument(expr.args[0])), CALL
        if isinstance(expr, sp.Derivative):
            return self._derivative(expr), COMPOUND
        if isinstance(expr, sp.Subs):
            return self._substitution(expr), COMPOUND
        if isinstance(expr, sp.Function):
            return self._call(expr), CALL
        if isinstance(expr, sp.Equality):
            return say("relation", a=self.words(expr.lhs)[0], op="equals",
                       b=self.words(expr.rhs)[0]), COMPOUND
        return str(expr), COMPOUND

    def _number(self, value: sp.Number) -> tuple[str, str]:
        if value.is_negative:
            return say("negative", a=self._number(-value)[0]), COMPOUND
        if value.is_Integer:
            return number(str(value.p)), ATOM
        if value.is_Rational:
            return say("over", a=number(str(value.p)), b=number(str(value.q))), COMPOUND
        text = sp.Float(value, 15).__format__("")
        return text.rstrip("0").rstrip(".") if "." in text else text, ATOM

    def grouped(self, expr: sp.Basic, keep: tuple[str, ...] = (ATOM, CALL)) -> str:
        """Words of `expr`, inside "open paren … close paren" unless it is one of `keep`."""
        text, kind = self.words(expr)
        return text if kind in keep else say("group", a=text)

    def _sum(self, expr: sp.Add) -> str:
        terms = ordered_terms(expr)
        text = self.words(terms[0])[0]
        for term in terms[1:]:
            if term.could_extract_minus_sign():
                text = say("minus", a=text, b=self.words(-term)[0])
            else:
                text = say("plus", a=text, b=self.words(term)[0])
        return text

    def _product(self, expr: sp.Expr) -> tuple[str, str]:
        if expr.could_extract_minus_sign():
            return say("negative", a=self.grouped(-expr, (ATOM, CALL, COMPOUND))), COMPOUND
        numer, denom = fraction(expr)
        if denom is not sp.S.One:
            return self._fraction(numer, denom), COMPOUND
        coeff, factors = expr.as_coeff_mul()
        # In the MathML printer's order (app.cas.render), sums last: σ(x) (1 - σ(x)).
        factors = sorted(sp.Mul._from_args(factors).as_ordered_factors(),
                         key=lambda factor: bool(factor.is_Add))
        pieces = [self._factor(factor) for factor in factors]
        text = pieces[0]
        for piece in pieces[1:]:
            text = say("times", a=text, b=piece)
        if coeff != 1:
            text = say("scaled", a=self.words(coeff)[0], b=text)
        return text, COMPOUND

    def _factor(self, factor: sp.Expr) -> str:
        # A power says where it ends ("… power", "end exponent"); other compound factors are
        # grouped.
        text, kind = self.words(factor)
        if kind != COMPOUND or factor.is_Pow or isinstance(factor, sp.exp):
            return text
        return say("group", a=text)

    def _fraction(self, numer: sp.Expr, denom: sp.Expr) -> str:
        top, top_kind = self.words(numer)
        bottom, bottom_kind = self.words(denom)
        if top_kind != COMPOUND and bottom_kind != COMPOUND:
            return say("over", a=top, b=bottom)
        return say("fraction", a=top, b=bottom)

    def _power(self, expr: sp.Pow) -> tuple[str, str]:
        base, exponent = expr.args
        if exponent == sp.S.Half:
            return say("sqrt", a=self._argument(base)), CALL
        if exponent.is_Rational and exponent.p == 1 and exponent.q > 2:
            return say("root", n=number(str(exponent.q)), a=self._argument(base)), CALL
        base_words = self.grouped(base) if base is not sp.E else "e"
        if exponent == 2:
            return say("squared", a=base_words), COMPOUND
        if exponent == 3:
            return say("cubed", a=base_words), COMPOUND
        return self._raised(base_words, exponent), COMPOUND

    def _raised(self, base_words: str, exponent: sp.Expr) -> str:
        if exponent.is_Integer and int(exponent) in ORDINALS:
            return say("power", a=base_words, b=ORDINALS[int(exponent)])
        text, kind = self.words(exponent)
        simple = kind != COMPOUND or (exponent.could_extract_minus_sign() and
                                      self.words(-exponent)[1] != COMPOUND)
        return say("power" if simple else "power_long", a=base_words, b=text)

    def _argument(self, arg: sp.Expr) -> str:
        return self.grouped(arg, (ATOM, CALL))

    def _call(self, expr: sp.Function) -> str:
        name = "sigmoid" if isinstance(expr, sigmoid) else expr.func.__name__
        spoken = FUNCTION_NAMES.get(name, name)
        args = [self._argument(arg) for arg in expr.args]
        text = args[0] if args else ""
        for arg in args[1:]:
            text = say("list", a=text, b=arg)
        return say("of", f=spoken, a=text)

    def _derivative(self, expr: sp.Derivative) -> str:
        text = self.words(expr.expr)[0]  # "with respect to" ends it: no grouping needed
        for variable, count in reversed(expr.variable_count):
            x = self.words(variable)[0]
            text = (say("derivative", a=text, x=x) if count == 1 else
                    say("derivative_n", n=number(str(count)), a=text, x=x))
        return text

    def _substitution(self, expr: sp.Subs) -> str:
        text = self.words(expr.expr)[0]
        for variable, value in zip(expr.variables, expr.point, strict=True):
            text = say("at", a=text, x=self.words(variable)[0], v=self.words(value)[0])
        return text
