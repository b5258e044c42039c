"""What an expression is written with: the checks behind the answer requirements.

Each check reads the parsed tree (evaluated, or as written) and returns None when the
requirement is met, else what breaks it in words a student reads ("it uses tanh").
"""

from __future__ import annotations

import sympy as sp

from app.cas.i18n import N_, _
from app.cas.sigmoid import sigmoid
from app.cas.symbols import CONSTANTS, FUNCTIONS, PLAIN_NAMES

# How each function is named to a student ("it uses tanh").
_SHOWN = {sigmoid: "σ", sp.exp: "exp (e^…)", sp.log: "log", sp.Abs: "abs"}
_EXPONENTIAL = N_("an exponential (e^… or exp)")


def join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    # "a, b or c": the list's own words are the reader's language's.
    return _("%(items)s or %(last)s") % {"items": _(", ").join(items[:-1]), "last": items[-1]}


def show_name(name: str) -> str:
    if name in ("sigma", "sigmoid", "σ"):
        return "σ"
    if name in ("e", "exp"):
        return "e^… (exp)"
    if name in ("pi", "π"):
        return "π"
    return name


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
    return _("it uses %(names)s") % {"names": join(names)}


def _function_name(func) -> str:
    if func is sp.exp:
        return _(_EXPONENTIAL)
    if func is sp.sqrt:
        return _("a root")
    return _SHOWN.get(func) or PLAIN_NAMES.get(func, str(func))


def only_functions(allowed: set):
    """A check that `expr` uses no function but those in `allowed` (nor π)."""

    def check(expr: sp.Expr) -> str | None:
        extra = functions_used(expr) - allowed
        if expr.has(sp.pi):
            return _("it uses π")
        return _uses(extra) if extra else None

    return check


def _literal(expr: sp.Expr) -> bool:
    """A decimal or a fraction as written: n, -n, n/m, -(n/m) (also unevaluated)."""
    if expr.is_Rational:
        return True
    if expr.is_Mul and len(expr.args) == 2 and expr.args[0] == -1:
        return _literal(expr.args[1])
    if expr.is_Mul and len(expr.args) == 2:
        numerator, denominator = expr.args
        return (numerator.is_Rational and denominator.is_Pow and denominator.exp == -1
                and denominator.base.is_Rational)
    return False


def plain_number(expr: sp.Expr) -> str | None:
    symbols = sorted(s.name for s in expr.free_symbols)
    if symbols:
        return _("it contains the variable %(names)s") % {"names": join(symbols)}
    used = functions_used(expr)
    if used:
        return _uses(used)
    if expr.has(sp.pi):
        return _("it uses π")
    return None if _literal(expr) else _("it is a calculation, not one number")


def without_log(expr: sp.Expr) -> str | None:
    return _("it uses log") if expr.has(sp.log) else None


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


def single_fraction(expr: sp.Expr) -> str | None:
    numerator, denominator = _split(expr)
    if any(_has_denominator(part) for part in numerator + denominator):
        return _("it is a sum or a nest of fractions, not one numerator over one denominator")
    return None


def _frozen(expr: sp.Expr) -> sp.Expr:
    atoms = [a for a in expr.atoms(sp.Function) if not a.args[0].is_Number]
    return expr.xreplace({a: sp.Dummy() for a in atoms})


def _reducible(factor: sp.Expr) -> bool:
    frozen = _frozen(factor)
    try:
        _content, factors = sp.factor_list(frozen)
    except (sp.PolynomialError, sp.CoercionFailed):
        return False
    return sum(multiplicity for _factor, multiplicity in factors) > 1


def factored(expr: sp.Expr, written: bool = False) -> str | None:
    if expr.is_Add:
        content, rest = expr.primitive()
        if not written and content != 1 and not _reducible(rest):
            return None  # c·(sum): the parser multiplies it out, so it may be typed factored
        return _("it is a sum, not a product of factors")
    numerator, denominator = _split(expr)
    for part in numerator + denominator:
        base = part.base if part.is_Pow and part.exp.is_Integer else part
        if base.is_Add and _reducible(base):
            return _("the factor %(base)s can be factored further") % {"base": base}
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


def forbidden(names, expr: sp.Expr) -> str | None:
    used = [name for name in names if _present(resolve_name(name), expr)]
    if not used:
        return None
    return _("it uses %(names)s") % {"names": join([show_name(name) for name in used])}


def required(names, expr: sp.Expr) -> str | None:
    missing = [name for name in names if not _present(resolve_name(name), expr)]
    if not missing:
        return None
    return _("it does not use %(names)s") % {"names": join([show_name(name) for name in missing])}
