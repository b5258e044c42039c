"""Expressions the formula editor's conversion is checked on: the contract's examples and
every template's expected answer and typical mistakes over a few seeds.

Both round trips use it — the server's LaTeX through formula-text.js in Node
(tests/test_formula_js.py) and through MathLive itself in Chromium
(tests/browser/test_formula_editor_browser.py) — and both compare what comes back through the
server's parser with `same_expression`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import sympy as sp

from app.bank import load_bank
from app.cas.equivalence import equivalent
from app.cas.parse import parse
from app.cas.plain import to_plain
from app.cas.render import to_latex

PROBLEMS = Path(__file__).resolve().parents[1] / "problems"

# (answer text, variables, domain) of the contract's section 4, expected sides included.
CONTRACT = [
    ("σ(x)(1-σ(x))", ["x"]),
    ("e^-x/(1+e^-x)^2", ["x"]),
    ("σ(x)(1+σ(x))", ["x"]),
    ("2σ(2x-1)(1-σ(2x-1))", ["x"]),
    ("σ(2x-1)(1-σ(2x-1))", ["x"]),
    ("(yhat-t)/(yhat(1-yhat))", ["t", "yhat"]),
    ("-t/yhat - (1-t)/(1-yhat)", ["t", "yhat"]),
    ("-(t log(yhat) + (1-t) log(1-yhat))", ["t", "yhat"]),
    ("σ(z) - t", ["t", "z"]),
    ("-(t log(σ(z)) + (1-t) log(1-σ(z)))", ["t", "z"]),
    ("x^2 - 1", ["x"]),
    ("(x-1)(x+1)", ["x"]),
    ("1/2", []),
    ("0.5", []),
    ("1/3", []),
    ("0.333", []),
    ("sqrt(x^2)", ["x"]),
    ("x + 1", ["x"]),
]
SEEDS = (1, 2, 3)


@dataclass(frozen=True)
class Case:
    label: str
    expr: sp.Expr
    variables: tuple[str, ...]

    @property
    def latex(self) -> str:
        return to_latex(self.expr)


@cache
def cases() -> tuple[Case, ...]:
    found: list[Case] = []
    for text, variables in CONTRACT:
        found.append(Case(f"contract {text}", parse(text, variables=variables), tuple(variables)))
    bank = load_bank(str(PROBLEMS))
    for template in bank.templates:
        for seed in SEEDS:
            variant = bank.variant(template.id, seed)
            found.append(Case(f"{template.id}/{seed} expected", variant.expected,
                              variant.variables))
            for mistake in variant.mistakes:
                found.append(Case(f"{template.id}/{seed} mistake {mistake.kind}",
                                  mistake.answer, variant.variables))
    unique = {(case.expr, case.variables): case for case in found}
    return tuple(unique.values())


def same_expression(case: Case, text: str) -> str | None:
    """None when `text` reads back as the case's expression (the same plain form, or equal by
    the engine where sympy builds it differently); otherwise what went wrong."""
    try:
        read = parse(text, variables=list(case.variables))
    except Exception as exc:  # the message says which case and text
        return f"{case.label}: {case.latex!r} became {text!r}, which does not parse: {exc}"
    if to_plain(read) == to_plain(case.expr):
        return None
    if equivalent(read, case.expr) is True:
        return None
    return (f"{case.label}: {case.latex!r} became {text!r}, read as {to_plain(read)!r}, "
            f"not {to_plain(case.expr)!r}")
