"""Answer requirements: the form an answer must take beyond being equal to the right one.

One `Requirement` is the single source of three things: the sentence the student reads in
the prompt (`markdown`), the words that name it in a verdict (`wording`), and the check on
the answer (`violation`). So a prompt cannot ask for one form while the checker enforces
another.

The checks read the parsed expression tree, never the text, so every spelling of a function
counts (`tanh`, `e^`, `exp`, `2^x` are all seen). The parser evaluates as it builds; what that
loses is harmless here (``σ(0)`` becomes ``1/2``, a number anyway), except that a number times
a single sum is multiplied out (``2(x + 1)`` reads as ``2x + 2``): `factored` therefore accepts
an expanded c·(sum) it cannot tell from a factored one, rather than refuse a right answer.

Vocabulary (``kind``): ``number``, ``significant`` (with ``digits``), ``sigma-only``,
``exp-only``, ``single-fraction``, ``factored``, ``no-log``, ``forbid`` and ``require`` (with
``names``: function names in any spelling, ``e``, ``pi`` or variable names).
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from app.cas.sigmoid import sigmoid
from app.cas.symbols import CONSTANTS, FUNCTIONS, PLAIN_NAMES

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

# How each function is named to a student ("it uses tanh").
_SHOWN = {sigmoid: "σ", sp.exp: "exp (e^…)", sp.log: "log", sp.Abs: "abs"}
_EXPONENTIAL = "an exponential (e^… or exp)"


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
                    return (f"give a decimal to {significant} significant figures, without σ, "
                            "e or other functions")
                return "give a number (a decimal or a fraction), without σ, e or other functions"
            case "significant":
                return f"give a decimal to {self.digits} significant figures"
            case "sigma-only":
                return "write it in terms of σ only, with no exp, e^…, tanh or other functions"
            case "exp-only":
                return "write it with exponentials only, with no σ, tanh or other functions"
            case "single-fraction":
                return "write it as a single fraction"
            case "factored":
                return "write it in factored form, as a product"
            case "no-log":
                return "write it without log"
            case "forbid":
                return f"write it without {_join(self.shown_names)}"
            case _:
                return f"write it using {_join(self.shown_names)}"

    def markdown(self, significant: int | None = None) -> str:
        """The sentence added to the prompt (Markdown with LaTeX between $...$)."""
        match self.kind:
            case "number":
                if significant:
                    return (f"Give your answer as a decimal to {significant} significant "
                            r"figures (a number, without $\sigma$, $e$ or other functions).")
                return (r"Give your answer as a number (a decimal or a fraction), without "
                        r"$\sigma$, $e$ or other functions.")
            case "significant":
                return f"Give your answer to {self.digits} significant figures."
            case "sigma-only":
                return (r"Write your answer in terms of $\sigma$ only: no $\exp$, $e^{\dots}$, "
                        r"$\tanh$ or other functions.")
            case "exp-only":
                return (r"Write your answer with exponentials only: no $\sigma$, $\tanh$ or "
                        "other functions.")
            case "single-fraction":
                return "Write your answer as a single fraction."
            case "factored":
                return "Write your answer in factored form, as a product."
            case "no-log":
                return r"Write your answer without $\log$: simplify the logarithms away."
            case "forbid":
                return f"Do not use {_join(self.shown_names)} in your answer."
            case _:
                return f"Your answer must use {_join(self.shown_names)}."

    @property
    def shown_names(self) -> list[str]:
        return [_show_name(name) for name in self.names]

    def to_dict(self, significant: int | None = None) -> dict:
        data: dict = {"kind": self.kind, "sentence": _sentence(self.wording(significant))}
        if self.names:
            data["names"] = list(self.names)
        if self.digits is not None:
            data["digits"] = self.digits
        return data

    def violation(self, expr: sp.Expr) -> str | None:
        """None when `expr` meets the requirement, else what breaks it ("it uses tanh")."""
        return _CHECKS[self.kind](self, expr)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _show_name(name: str) -> str:
    if name in ("sigma", "sigmoid", "σ"):
        return "σ"
    if name in ("e", "exp"):
        return "e^… (exp)"
    if name in ("pi", "π"):
        return "π"
    return name


# -- what an expression uses ----------------------------------------------------------------


def functions_used(expr: sp.Expr) -> set:
    """The function classes in `expr`, with sp.exp standing for every exponential."""
    found = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function):
            found.add(node.func)
        elif node.is_Pow and node.exp.free_symbols:
            found.add(sp.exp)  # 2^x is an exponential too
        elif node.is_Pow and node.exp.is_Rational and not node.exp.is_Integer:
            found.add(sp.sqrt)
        elif node is sp.E:
            found.add(sp.exp)
    return found


def _uses(found: set) -> str:
    names = sorted(_function_name(f) for f in found)
    return "it uses " + _join(names)


def _function_name(func) -> str:
    if func is sp.exp:
        return _EXPONENTIAL
    if func is sp.sqrt:
        return "a root"
    return _SHOWN.get(func) or PLAIN_NAMES.get(func, str(func))


def _only(allowed: set):
    def check(requirement: Requirement, expr: sp.Expr) -> str | None:
        extra = functions_used(expr) - allowed
        if expr.has(sp.pi):
            return "it uses π"
        return _uses(extra) if extra else None

    return check


def _number(requirement: Requirement, expr: sp.Expr) -> str | None:
    symbols = sorted(s.name for s in expr.free_symbols)
    if symbols:
        return "it contains the variable " + _join(symbols)
    used = functions_used(expr)
    if used:
        return _uses(used)
    if expr.has(sp.pi):
        return "it uses π"
    return None if expr.is_Rational else "it is not a plain number"


def _significant(requirement: Requirement, expr: sp.Expr) -> str | None:
    # Checked as a precision against the right value (see `significant_tolerance`).
    return None


def _no_log(requirement: Requirement, expr: sp.Expr) -> str | None:
    return "it uses log" if expr.has(sp.log) else None


# -- fractions and factors ------------------------------------------------------------------


def _has_denominator(expr: sp.Expr) -> bool:
    """A negative power of something that is not a number, outside function arguments."""
    if isinstance(expr, sp.Function):
        return False
    if expr.is_Pow and expr.exp.is_negative and not expr.base.is_Number:
        return True
    return any(_has_denominator(arg) for arg in expr.args)


def _split(expr: sp.Expr) -> tuple[list[sp.Expr], list[sp.Expr]]:
    numerator, denominator = [], []
    for factor in sp.Mul.make_args(expr):
        if factor.is_Pow and factor.exp.is_negative and not factor.base.is_Number:
            denominator.append(factor.base ** -factor.exp)
        else:
            numerator.append(factor)
    return numerator, denominator


def _single_fraction(requirement: Requirement, expr: sp.Expr) -> str | None:
    numerator, denominator = _split(expr)
    if any(_has_denominator(part) for part in numerator + denominator):
        return "it is a sum or a nest of fractions, not one numerator over one denominator"
    return None


def _frozen(expr: sp.Expr) -> sp.Expr:
    atoms = [a for a in expr.atoms(sp.Function) if not a.args[0].is_Number]
    return expr.xreplace({a: sp.Dummy() for a in atoms})


def _reducible(factor: sp.Expr) -> bool:
    frozen = _frozen(factor)
    try:
        _, factors = sp.factor_list(frozen)
    except (sp.PolynomialError, sp.CoercionFailed):
        return False
    return sum(multiplicity for _, multiplicity in factors) > 1


def _factored(requirement: Requirement, expr: sp.Expr) -> str | None:
    if expr.is_Add:
        content, rest = expr.primitive()
        if content != 1 and not _reducible(rest):
            return None  # c·(sum): the parser multiplies it out, so it may be typed factored
        return "it is a sum, not a product of factors"
    numerator, denominator = _split(expr)
    for part in numerator + denominator:
        base = part.base if part.is_Pow and part.exp.is_Integer else part
        if base.is_Add and _reducible(base):
            return f"the factor {base} can be factored further"
    return None


# -- named functions ------------------------------------------------------------------------


def resolve_name(name: str):
    """What a name in `forbid`/`require` stands for: a function class, sp.pi, or a symbol
    name (str). Raises ValueError for a name that is neither a function nor a constant nor
    a possible variable."""
    if name in ("e", "exp"):
        return sp.exp
    if name in FUNCTIONS:
        function = FUNCTIONS[name]
        return sp.sqrt if function is sp.sqrt else function
    if name in CONSTANTS:
        return CONSTANTS[name]
    if name.replace("_", "").isalnum() and name[:1].isalpha():
        return name
    raise ValueError(f"{name!r} is not a function, a constant or a variable name")


def _present(target, expr: sp.Expr) -> bool:
    if isinstance(target, str):
        return any(s.name == target for s in expr.free_symbols)
    if target is sp.pi:
        return expr.has(sp.pi)
    return target in functions_used(expr)


def _forbid(requirement: Requirement, expr: sp.Expr) -> str | None:
    used = [name for name in requirement.names if _present(resolve_name(name), expr)]
    if not used:
        return None
    return "it uses " + _join([_show_name(name) for name in used])


def _require(requirement: Requirement, expr: sp.Expr) -> str | None:
    missing = [name for name in requirement.names if not _present(resolve_name(name), expr)]
    if not missing:
        return None
    return "it does not use " + _join([_show_name(name) for name in missing])


_CHECKS = {
    "number": _number,
    "significant": _significant,
    "sigma-only": _only({sigmoid}),
    "exp-only": _only({sp.exp}),
    "single-fraction": _single_fraction,
    "factored": _factored,
    "no-log": _no_log,
    "forbid": _forbid,
    "require": _require,
}


# -- a set of requirements ------------------------------------------------------------------


def significant_digits(requirements) -> int | None:
    for requirement in requirements:
        if requirement.kind == "significant":
            return requirement.digits
    return None


def first_violation(requirements, expr: sp.Expr) -> tuple[Requirement, str] | None:
    """The first requirement `expr` breaks, with what breaks it; None when all are met."""
    for requirement in requirements:
        broken = requirement.violation(expr)
        if broken is not None:
            return requirement, broken
    return None


def form_message(requirement: Requirement, broken: str, significant: int | None = None) -> str:
    """The student sentence for an answer that is right in value but not in form."""
    return (f"Your answer has the right value, but not the requested form: "
            f"{requirement.wording(significant)} ({broken}).")


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
        problems.append("sigma-only and exp-only cannot both hold")
    if "significant" in kinds and "number" not in kinds:
        problems.append("significant figures go with number (add the requirement number)")
    if "number" in kinds and kinds & {"sigma-only", "exp-only", "factored", "single-fraction"}:
        problems.append("a number cannot also be in terms of σ, exponentials or factors")
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
