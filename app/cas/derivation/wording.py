"""Expressions inside one-line explanations and mistake messages, as a student types them.

Messages say "the inner function 3x + 2", not "3*x + 2": the plain syntax with the
multiplication signs a person leaves out, σ and ŷ for sigma and yhat. What comes out is
still valid answer syntax (implicit multiplication, Unicode names), so a student can copy it.
"""

from __future__ import annotations

import re

import sympy as sp

from app.cas.plain import to_plain

_NUMBER_TIMES = re.compile(r"(?<![\w.^])(\d+)\*(?=[A-Za-z(σ])")


def _drop_times_after_groups(text: str) -> str:
    """Remove `*` after a closing parenthesis, unless that group is an exponent (`^(...)`)."""
    out: list[str] = []
    exponent_groups: list[bool] = []
    closed_exponent = False
    for index, char in enumerate(text):
        if char == "(":
            exponent_groups.append(index > 0 and text[index - 1] == "^")
        elif char == ")":
            closed_exponent = exponent_groups.pop() if exponent_groups else False
        elif char == "*" and out and out[-1] == ")" and not closed_exponent:
            following = text[index + 1 : index + 2]
            if following == "(" or following.isalpha():
                continue
        out.append(char)
    return "".join(out)


# "t*ŷ", "w*x", "ŷ*(1 - ŷ)": a one-letter variable times a bracket, σ, ŷ or another letter is
# written without the sign (never before a longer name: t*log(ŷ) keeps it).
_LETTER_TIMES = re.compile(r"(?<![\w.^])([A-Za-zŷ])\*(?=[(σŷ]|[A-Za-z](?![\w(]))")


def say(expr: sp.Expr) -> str:
    text = to_plain(sp.sympify(expr))
    text = _NUMBER_TIMES.sub(r"\1", text)
    text = re.sub(r"(?<![A-Za-z_])sigma\(", "σ(", text)
    text = re.sub(r"(?<![A-Za-z_])yhat(?![A-Za-z0-9_])", "ŷ", text)
    text = re.sub(r"(?<![A-Za-z_])exp\(", "e^(", text)
    text = _LETTER_TIMES.sub(r"\1", text)
    return _drop_times_after_groups(text)


def say_group(expr: sp.Expr) -> str:
    """`say`, in parentheses when the expression is a sum or starts with a minus, as a factor
    or a base is written: (1 - σ(x))', not 1 - σ(x)'."""
    expr = sp.sympify(expr)
    text = say(expr)
    if expr.is_Add or text.startswith("-"):
        return f"({text})"
    return text
