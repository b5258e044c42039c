"""The names a GradWork expression may use, and the limits on its size.

Everything the parser can turn into sympy objects is listed here; a name that is not in
these tables is never looked up anywhere else (no sympify, no getattr), which is what keeps
student text from reaching Python.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

import sympy as sp

from app.cas.sigmoid import sigmoid

# An answer longer than this is refused before any parsing work (contract section 1).
MAX_LENGTH = 2000
# Deepest nesting of parentheses, function calls and exponents the engine accepts; sympy
# and its printers recurse on the tree, so depth (not size) is what can crash them.
MAX_DEPTH = 100
# A number (or an exact power of numbers) with more digits than this is refused: sympy would
# compute 9^9^9 exactly, for minutes, if it were asked to.
MAX_NUMBER_DIGITS = 1000


@lru_cache(maxsize=4096)
def var(name: str) -> sp.Symbol:
    """The one way to make a variable: every variable is a real sympy Symbol."""
    return sp.Symbol(name, real=True)


FUNCTIONS: dict[str, Callable[[sp.Expr], sp.Expr]] = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "sqrt": sp.sqrt,
    "abs": sp.Abs,
    "sin": sp.sin,
    "cos": sp.cos,
    "tan": sp.tan,
    "sec": sp.sec,
    "csc": sp.csc,
    "cot": sp.cot,
    "asin": sp.asin,
    "acos": sp.acos,
    "atan": sp.atan,
    "arcsin": sp.asin,
    "arccos": sp.acos,
    "arctan": sp.atan,
    "sinh": sp.sinh,
    "cosh": sp.cosh,
    "tanh": sp.tanh,
    "sech": sp.sech,
    "csch": sp.csch,
    "coth": sp.coth,
    "sigma": sigmoid,
    "sigmoid": sigmoid,
    "σ": sigmoid,
}

# The name each sympy function is written with in canonical plain text (the first,
# shortest spelling students are taught; `log` rather than `ln`, `sigma` rather than `σ`).
PLAIN_NAMES: dict[type, str] = {
    sp.exp: "exp",
    sp.log: "log",
    sp.Abs: "abs",
    sp.sin: "sin",
    sp.cos: "cos",
    sp.tan: "tan",
    sp.sec: "sec",
    sp.csc: "csc",
    sp.cot: "cot",
    sp.asin: "asin",
    sp.acos: "acos",
    sp.atan: "atan",
    sp.sinh: "sinh",
    sp.cosh: "cosh",
    sp.tanh: "tanh",
    sp.sech: "sech",
    sp.csch: "csch",
    sp.coth: "coth",
    sigmoid: "sigma",
}

CONSTANTS: dict[str, sp.Expr] = {
    "e": sp.E,
    "pi": sp.pi,
    "π": sp.pi,
}

# Identifiers typed with a Unicode letter, mapped to the ASCII name the engine uses.
UNICODE_IDENTIFIERS: dict[str, str] = {
    "ŷ": "yhat",
    "y\u0302": "yhat",  # y followed by a combining circumflex: how some keyboards type ŷ
}

RESERVED_NAMES = frozenset(FUNCTIONS) | frozenset(CONSTANTS)
