"""Answer requirements: the form an answer must take beyond being equal to the right one.

One `Requirement` is the single source of three things: the sentence the student reads in
the prompt (`markdown`), the words that name it in a verdict (`wording`), and the check on
the answer (`violation`). So a prompt cannot ask for one form while the checker enforces
another.

The checks read the parsed expression tree, never the text, so every spelling of a function
counts (`tanh`, `e^`, `exp`, `2^x` are all seen). They work on the evaluated tree `parse`
returns and on a tree built as written (every node unevaluated), when there is one. The
evaluated tree loses what is harmless here (``σ(0)`` is ``1/2``, a number anyway, and
``0*e^x`` is gone), except that a number times a single sum is multiplied out (``2(x + 1)``
reads as ``2x + 2``): on it `factored` accepts an expanded c·(sum) it cannot tell from a
factored one, rather than refuse a right answer.

Vocabulary (``kind``): ``number``, ``significant`` (with ``digits``), ``sigma-only``,
``exp-only``, ``single-fraction``, ``factored``, ``no-log``, ``forbid`` and ``require`` (with
``names``: function names in any spelling, ``e``, ``pi`` or variable names).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from app.cas.form_checks import (
    factored,
    forbidden,
    functions_used,
    join,
    only_functions,
    plain_number,
    required,
    resolve_name,
    show_name,
    single_fraction,
    without_log,
)
from app.cas.i18n import _
from app.cas.sigmoid import sigmoid

KINDS = (
    "number",
    "significant",
    "sigma-only",
    "exp-only",
    "single-fraction",
    "factored",
    "no-log",
    "forbid",
    "require",
)
# Kinds written as a bare word in a template; the others take a value.
FLAGS = frozenset(KINDS) - {"significant", "forbid", "require"}



@dataclass(frozen=True)
class Requirement:
    kind: str
    names: tuple[str, ...] = ()
    digits: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown requirement {self.kind!r}; known: {', '.join(KINDS)}")

    @property
    def label(self) -> str:
        """The requirement as a template writes it: "sigma-only", "significant: 4"."""
        if self.kind == "significant":
            return f"significant: {self.digits}"
        if self.names:
            return f"{self.kind}: [{', '.join(self.names)}]"
        return self.kind

    def wording(self, significant: int | None = None) -> str:
        """What is asked, as the end of "…not in the requested form: {wording}"."""
        match self.kind:
            case "number":
                if significant:
                    return (_("give a decimal to %(significant)s significant figures, without σ, e or other "
                               "functions") % {"significant": significant})
                return _("give a number (a decimal or a fraction), without σ, e or other functions")
            case "significant":
                return _("give a decimal to %(digits)s significant figures") % {"digits": self.digits}
            case "sigma-only":
                return _("write it in terms of σ only, with no exp, e^…, tanh or other functions")
            case "exp-only":
                return _("write it with exponentials only, with no σ, tanh or other functions")
            case "single-fraction":
                return _("write it as a single fraction")
            case "factored":
                return _("write it in factored form, as a product")
            case "no-log":
                return _("write it without log")
            case "forbid":
                return _("write it without %(shown_names)s") % {"shown_names": join(self.shown_names)}
            case _:
                return _("write it using %(shown_names)s") % {"shown_names": join(self.shown_names)}

    def markdown(self, significant: int | None = None) -> str:
        """The sentence added to the prompt (Markdown with LaTeX between $...$)."""
        match self.kind:
            case "number":
                if significant:
                    return (_("Give your answer as a decimal to %(significant)s significant figures (a "
                               "number, without $\\sigma$, $e$ or other functions).") % {"significant": significant})
                return (_("Give your answer as a number (a decimal or a fraction), without $\\sigma$, $e$ "
                           "or other functions."))
            case "significant":
                return _("Give your answer to %(digits)s significant figures.") % {"digits": self.digits}
            case "sigma-only":
                return (_("Write your answer in terms of $\\sigma$ only: no $\\exp$, $e^{\\dots}$, $\\tanh$ "
                           "or other functions."))
            case "exp-only":
                return (_("Write your answer with exponentials only: no $\\sigma$, $\\tanh$ or other "
                           "functions."))
            case "single-fraction":
                return _("Write your answer as a single fraction.")
            case "factored":
                return _("Write your answer in factored form, as a product.")
            case "no-log":
                return _("Write your answer without $\\log$: simplify the logarithms away.")
            case "forbid":
                return _("Do not use %(shown_names)s in your answer.") % {"shown_names": join(self.shown_names)}
            case _:
                return _("Your answer must use %(shown_names)s.") % {"shown_names": join(self.shown_names)}

    @property
    def shown_names(self) -> list[str]:
        return [show_name(name) for name in self.names]

    def to_dict(self, significant: int | None = None) -> dict:
        data: dict = {"kind": self.kind, "sentence": _sentence(self.wording(significant))}
        if self.names:
            data["names"] = list(self.names)
        if self.digits is not None:
            data["digits"] = self.digits
        return data

    def violation(self, expr: sp.Expr, written: bool = False) -> str | None:
        """None when `expr` meets the requirement, else what breaks it ("it uses tanh").

        `written`: `expr` is the tree as the student wrote it (nothing multiplied out), not
        the evaluated one `parse` returns.
        """
        if self.kind == "factored":
            return factored(expr, written)
        if self.kind in ("forbid", "require"):
            return _CHECKS[self.kind](self.names, expr)
        return _CHECKS[self.kind](expr)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


_CHECKS = {
    "number": plain_number,
    "significant": lambda expr: None,  # a precision, checked against the right value
    "sigma-only": only_functions({sigmoid}),
    "exp-only": only_functions({sp.exp}),
    "single-fraction": single_fraction,
    "no-log": without_log,
    "forbid": forbidden,
    "require": required,
}


# -- a set of requirements ------------------------------------------------------------------


def significant_digits(requirements) -> int | None:
    for requirement in requirements:
        if requirement.kind == "significant":
            return requirement.digits
    return None


def first_violation(
    requirements, expr: sp.Expr, written: bool = False
) -> tuple[Requirement, str] | None:
    """The first requirement `expr` breaks, with what breaks it; None when all are met."""
    for requirement in requirements:
        broken = requirement.violation(expr, written)
        if broken is not None:
            return requirement, broken
    return None


def form_message(requirement: Requirement, broken: str, significant: int | None = None) -> str:
    """The student sentence for an answer that is right in value but not in form."""
    return (_("Your answer has the right value, but not the requested form: %(wording)s "
               "(%(broken)s).") % {"wording": requirement.wording(significant), "broken": broken})


def prompt_sentences(requirements) -> list[str]:
    """The prompt's sentences, one per requirement (significant figures join `number`)."""
    digits = significant_digits(requirements)
    has_number = any(r.kind == "number" for r in requirements)
    return [
        requirement.markdown(digits)
        for requirement in requirements
        if not (requirement.kind == "significant" and has_number)
    ]


def conflicts(requirements) -> list[str]:
    """Requirements that cannot hold together, as messages for the template's author."""
    kinds = {r.kind for r in requirements}
    problems = []
    if {"sigma-only", "exp-only"} <= kinds:
        problems.append(_("sigma-only and exp-only cannot both hold"))
    if "significant" in kinds and "number" not in kinds:
        problems.append(_("significant figures go with number (add the requirement number)"))
    if "number" in kinds and kinds & {"sigma-only", "exp-only", "factored", "single-fraction"}:
        problems.append(_("a number cannot also be in terms of σ, exponentials or factors"))
    return problems


__all__ = [
    "FLAGS",
    "KINDS",
    "Requirement",
    "conflicts",
    "first_violation",
    "form_message",
    "functions_used",
    "prompt_sentences",
    "resolve_name",
    "significant_digits",
]
