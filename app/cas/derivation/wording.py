"""Expressions inside one-line explanations and mistake messages, as a student types them.

Messages say "the inner function 3x + 2", not "3*x + 2": the plain syntax with the
multiplication signs a person leaves out, σ and ŷ for sigma and yhat. What comes out is
still valid answer syntax (implicit multiplication, Unicode names), so a student can copy it.
"""

from __future__ import annotations

import re

import sympy as sp

_IMPLICIT_TIMES = re.compile(r"(?<=[0-9)])\*(?=[A-Za-z(σŷ])")
_POWER = re.compile(r"\*\*")


def say(expr: sp.Expr) -> str:
    text = sp.sstr(sp.sympify(expr))
    text = _POWER.sub("^", text)
    text = _IMPLICIT_TIMES.sub("", text)
    text = re.sub(r"\bsigma\(", "σ(", text)
    text = re.sub(r"\byhat\b", "ŷ", text)
    return text
