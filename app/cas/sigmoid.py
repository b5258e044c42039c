"""The logistic sigmoid as a first-class sympy function.

sympy has no sigmoid, so `equals`/`simplify` treat an unknown `sigmoid(x)` as opaque.
Defining it here with its derivative, exp rewrite and numeric evaluation lets every part
of the engine (checking, derivations, rendering) reason about it.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import ArgumentIndexError


class sigmoid(sp.Function):  # noqa: N801 - sympy functions are lower-case by convention
    """σ(u) = 1 / (1 + e^(-u))."""

    nargs = 1

    @classmethod
    def eval(cls, arg):
        if arg.is_zero:
            return sp.S.Half
        if arg is sp.S.Infinity:
            return sp.S.One
        if arg is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex=1):
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, arg, **kwargs):
        return 1 / (1 + sp.exp(-arg))

    def _eval_rewrite_as_tanh(self, arg, **kwargs):
        return (1 + sp.tanh(arg / 2)) / 2

    def _eval_evalf(self, prec):
        arg = self.args[0]._eval_evalf(prec)
        if arg is None:
            return None
        return (1 / (1 + sp.exp(-arg)))._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_extended_real

    def _eval_is_positive(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _eval_is_finite(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _latex(self, printer, exp=None):
        inner = printer._print(self.args[0])
        base = rf"\sigma\left({inner}\right)"
        if exp is not None:
            return f"{base}^{{{exp}}}"
        return base

    def _sympystr(self, printer):
        return f"sigma({printer._print(self.args[0])})"

    def _mathml_presentation(self, printer):
        row = printer.dom.createElement("mrow")
        name = printer.dom.createElement("mi")
        name.appendChild(printer.dom.createTextNode("\u03c3"))
        row.appendChild(name)
        fenced = printer.dom.createElement("mrow")
        for text, node in (("(", None), (None, self.args[0]), (")", None)):
            if node is None:
                mo = printer.dom.createElement("mo")
                mo.appendChild(printer.dom.createTextNode(text))
                fenced.appendChild(mo)
            else:
                fenced.appendChild(printer._print(node))
        row.appendChild(fenced)
        return row

    # Code printers (lambdify with "mpmath", "math" or "numpy" on trusted expressions):
    # print the exp form, which every numeric module understands.
    def _mpmathcode(self, printer):
        return printer._print(self.rewrite(sp.exp))

    def _pythoncode(self, printer):
        return printer._print(self.rewrite(sp.exp))

    def _numpycode(self, printer):
        return printer._print(self.rewrite(sp.exp))


def sigmoid_complement(args: list[sp.Expr]) -> tuple[list[sp.Expr], tuple | None]:
    """Find ``c + k*s`` in a sum, with ``k = -c`` and ``s`` a sigmoid ``σ(u)`` or its exp form
    ``1/(1 + e^(-u))``: the other terms, and (c, -u) so that the pair is ``c*σ(-u)``."""
    constant = args[0]
    if not constant.is_Rational:
        return args, None
    for index in range(1, len(args)):
        coeff, rest = args[index].as_coeff_Mul()
        if coeff != -constant:
            continue
        u = sigmoid_argument(rest)
        if u is not None:
            return args[1:index] + args[index + 1 :], (constant, -u)
    return args, None


def sigmoid_argument(expr: sp.Expr) -> sp.Expr | None:
    """u when ``expr`` is σ(u) or 1/(1 + e^(-u))."""
    if isinstance(expr, sigmoid):
        return expr.args[0]
    if expr.is_Pow and expr.exp is sp.S.NegativeOne and expr.base.is_Add:
        terms = expr.base.args
        if len(terms) == 2 and terms[0] is sp.S.One:
            other = terms[1]
            if isinstance(other, sp.exp):
                return -other.args[0]
            if other.is_Pow and other.base is sp.E:
                return -other.exp
    return None
