"""The derivative of an expression as a tree of rule applications.

`differentiate` decides, at every node, which rule a careful teacher would apply (sum,
constant multiple, product, quotient, chain, and the table of known derivatives), and
records the rule together with the pieces it works on. The tree is the single source the
worked solution (`narrate`) and the typical mistakes (`app.cas.mistakes`) are read from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from app.cas.plain import factor_order
from app.cas.sigmoid import sigmoid

# Rule keys, and the name a student reads for each.
RULE_NAMES: dict[str, str] = {
    "constant": "Constant rule",
    "variable": "Identity rule",
    "sum": "Sum rule",
    "constant_multiple": "Constant multiple rule",
    "power": "Power rule",
    "exp": "Exponential rule",
    "exponential": "Exponential rule",
    "log": "Logarithm rule",
    "sigmoid": "Sigmoid rule",
    "function": "Table of derivatives",
    "product": "Product rule",
    "quotient": "Quotient rule",
    "chain": "Chain rule",
}

# Outer functions the chain rule knows by name (the rest use sympy's own derivative).
_OUTER_RULES = {sp.exp: "exp", sp.log: "log", sigmoid: "sigmoid"}


@dataclass(frozen=True)
class Node:
    """One rule application: d/d`wrt` of `expr` is `result`.

    `parts` names the pieces the rule works on (``u``/``v`` of the product and quotient
    rules, ``outer``/``inner`` of the chain rule, ``c`` of a constant multiple) so that
    the narration and the mistake generator do not have to rediscover them.
    """

    rule: str
    expr: sp.Expr
    wrt: sp.Symbol
    result: sp.Expr
    children: tuple[Node, ...] = ()
    parts: dict[str, sp.Expr] = field(default_factory=dict, compare=False)

    @property
    def name(self) -> str:
        return RULE_NAMES[self.rule]

    def walk(self):
        """This node and every node below it, parents first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def is_elementary(self) -> bool:
        """A polynomial piece (like 3x + 2) that a student differentiates at a glance."""
        return all(
            node.rule in {"constant", "variable", "sum", "constant_multiple", "power"}
            for node in self.walk()
        )


def outer_derivative(outer: sp.FunctionClass | None, inner: sp.Expr, exponent=None) -> sp.Expr:
    """F'(u) for the chain rule's outer function F, evaluated at the inner u."""
    if outer is None:  # u**n
        return exponent * inner ** (exponent - 1)
    if outer is sp.exp:
        return sp.exp(inner)
    if outer is sp.log:
        return 1 / inner
    if outer is sigmoid:
        return sigmoid(inner) * (1 - sigmoid(inner))
    xi = sp.Dummy("xi")
    return sp.diff(outer(xi), xi).subs(xi, inner)


def _split_constant(expr: sp.Mul, wrt: sp.Symbol) -> tuple[sp.Expr, sp.Expr]:
    constant, rest = [], []
    for factor in expr.args:
        (rest if factor.has(wrt) else constant).append(factor)
    return sp.Mul(*constant), sp.Mul(*rest)


def _split_fraction(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """Numerator and denominator, keeping e^(-x) in the numerator where it was written."""
    numerator, denominator = [], []
    for factor in sp.Mul.make_args(expr):
        if factor.is_Pow and factor.exp.is_Number and factor.exp.is_negative:
            denominator.append(factor.base ** (-factor.exp))
        else:
            numerator.append(factor)
    return sp.Mul(*numerator), sp.Mul(*denominator)


def differentiate(expr: sp.Expr, wrt: sp.Symbol) -> Node:
    """The rule tree of d/d`wrt` `expr`."""
    expr = sp.sympify(expr)
    if not expr.has(wrt):
        return Node("constant", expr, wrt, sp.S.Zero)
    if expr == wrt:
        return Node("variable", expr, wrt, sp.S.One)
    if expr.is_Add:
        children = tuple(differentiate(term, wrt) for term in expr.args)
        return Node("sum", expr, wrt, sp.Add(*(c.result for c in children)), children)
    if expr.is_Mul:
        constant, rest = _split_constant(expr, wrt)
        if constant != 1:
            child = differentiate(rest, wrt)
            return Node(
                "constant_multiple", expr, wrt, constant * child.result, (child,), {"c": constant}
            )
        numerator, denominator = _split_fraction(expr)
        if denominator != 1 and numerator.has(wrt):
            return quotient_node(numerator, denominator, wrt)
        if denominator != 1:
            # 1/v: the chain rule on v^(-1) is how teachers differentiate a reciprocal.
            return differentiate(denominator**-1, wrt)
        # u and v in the order the product is written: σ(1 - σ) has u = σ, v = 1 - σ.
        first, *others = factor_order(list(expr.args))
        return product_node(first, sp.Mul(*others), wrt)
    if expr.is_Pow:
        base, exponent = expr.args
        if not exponent.has(wrt):
            if base == wrt:
                return Node(
                    "power", expr, wrt, exponent * wrt ** (exponent - 1), (), {"n": exponent}
                )
            return chain_node(None, base, wrt, exponent=exponent)
        if not base.has(wrt):
            if base == sp.E:
                return differentiate(sp.exp(exponent), wrt)
            inner = differentiate(exponent, wrt)
            return Node(
                "exponential",
                expr,
                wrt,
                expr * sp.log(base) * inner.result,
                (inner,),
                {"a": base, "inner": exponent},
            )
        # f(x)^g(x): rewrite as e^(g log f), the only way the rules above apply.
        return differentiate(sp.exp(exponent * sp.log(base)), wrt)
    if isinstance(expr, sp.Function) and len(expr.args) == 1:
        outer, (inner,) = expr.func, expr.args
        if inner == wrt:
            rule = _OUTER_RULES.get(outer, "function")
            return Node(rule, expr, wrt, outer_derivative(outer, wrt))
        return chain_node(outer, inner, wrt)
    # Anything else (several-argument functions, piecewise, ...) is outside what the
    # bank's rules teach; sympy still gives the right derivative, shown as one step.
    return Node("function", expr, wrt, sp.diff(expr, wrt))


def chain_node(outer, inner: sp.Expr, wrt: sp.Symbol, exponent=None) -> Node:
    expr = inner**exponent if outer is None else outer(inner)
    inner_node = differentiate(inner, wrt)
    outside = outer_derivative(outer, inner, exponent)
    outer_rule = "power" if outer is None else _OUTER_RULES.get(outer, "function")
    parts = {"inner": inner, "outer_derivative": outside, "outer_rule": outer_rule}
    if exponent is not None:
        parts["n"] = exponent
    return Node("chain", expr, wrt, outside * inner_node.result, (inner_node,), parts)


def product_node(u: sp.Expr, v: sp.Expr, wrt: sp.Symbol) -> Node:
    du, dv = differentiate(u, wrt), differentiate(v, wrt)
    return Node("product", u * v, wrt, du.result * v + u * dv.result, (du, dv), {"u": u, "v": v})


def quotient_node(u: sp.Expr, v: sp.Expr, wrt: sp.Symbol) -> Node:
    du, dv = differentiate(u, wrt), differentiate(v, wrt)
    result = (du.result * v - u * dv.result) / v**2
    return Node("quotient", u / v, wrt, result, (du, dv), {"u": u, "v": v})
