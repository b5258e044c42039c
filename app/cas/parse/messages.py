"""What a student reads when their answer cannot be read: one sentence that says what is wrong
and, where there is one, how to write it instead."""

from __future__ import annotations

import difflib

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from app.cas.errors import AnswerError
from app.cas.i18n import N_, _
from app.cas.symbols import FUNCTIONS

# What each terminal looks like to a student, for "expected ..." style messages.
TOKEN_WORDS = {
    "NUMBER": N_("a number"),
    "NAME": N_("a variable"),
    "CONST": N_("a constant"),
    "FUNC": N_("a function"),
    "PLUS": "'+'",
    "MINUS": "'-'",
    "TIMES": "'*'",
    "DIV": "'/'",
    "POW": "'^'",
    "SUP": N_("an exponent"),
    "LPAR": "'('",
    "RPAR": "')'",
    "$END": N_("the end of the answer"),
}

STRAY_HINTS = {
    ",": N_("commas are not allowed: every function takes one argument (for the log in base b "
    "write log(x)/log(b))"),
    "=": N_("type only the expression, without '='"),
    "'": N_("quotes are not allowed"),
    '"': N_("quotes are not allowed"),
    "[": N_("use round parentheses ( ) instead of brackets"),
    "]": N_("use round parentheses ( ) instead of brackets"),
    "{": N_("use round parentheses ( ) instead of braces"),
    "}": N_("use round parentheses ( ) instead of braces"),
    ".": N_("a '.' must be part of a number such as 0.5"),
    "!": N_("factorials are not supported"),
    "|": N_("write abs(x) for an absolute value"),
    "\\": N_("type the expression, not LaTeX"),
}


def unknown_function(raw_name: str, pos: int) -> AnswerError:
    hint = difflib.get_close_matches(raw_name.lower(), list(FUNCTIONS), n=1, cutoff=0.6)
    suggestion = _(" Did you mean %(hint)s?") % {"hint": hint[0]} if hint else ""
    return AnswerError(
        "unknown_function",
        _("'%(raw_name)s' is not a known function.%(suggestion)s Known functions: exp, "
           "log, ln, sqrt, abs, sin, cos, tan, sec, csc, cot, asin, acos, atan, sinh, "
           "cosh, tanh, sech, csch, coth, sigma.") % {"raw_name": raw_name, "suggestion": suggestion},
        pos,
    )


# Straight and curly apostrophes and the prime signs: after a name or ')' they are a prime.
PRIMES = frozenset("'’′″ʹ")
_SIGMAS = frozenset({"σ", "sigma", "sigmoid"})


def prime_notation(name: str | None, pos: int) -> AnswerError:
    """The error for σ'(u), f'(x), (…)': a derivative must be typed as an expression."""
    if name in _SIGMAS:
        return AnswerError(
            "syntax",
            _("prime notation (%(name)s') is not accepted: type the derivative as an "
               "expression, e.g. %(name)s(u)(1 - %(name)s(u)) for %(name)s'(u)") % {"name": name},
            pos,
        )
    shown = f" ({name}')" if name else ""
    unless = _(", not its name") if name and name not in FUNCTIONS else ""
    return AnswerError(
        "syntax",
        _("prime notation%(shown)s is not accepted: type the derivative itself as an "
           "expression%(unless)s") % {"shown": shown, "unless": unless},
        pos,
    )


def stray_character(text: str, index: int) -> AnswerError:
    char = text[index]
    before = text[:index].rstrip()
    if char in PRIMES and before and (before[-1].isalnum() or before[-1] in ")σŷ_"):
        return prime_notation(None, index)
    hint = STRAY_HINTS.get(char)
    if hint is not None:
        hint = _(hint)
    else:
        shown = char if char.isprintable() else f"U+{ord(char):04X}"
        hint = _("'%(shown)s' is not allowed in an answer") % {"shown": shown}
    return AnswerError("syntax", hint, index)


def syntax_error(text: str, exc: UnexpectedInput) -> AnswerError:
    if isinstance(exc, AnswerError):
        return exc
    if isinstance(exc, UnexpectedEOF) or (
        isinstance(exc, UnexpectedToken) and exc.token.type == "$END"
    ):
        stripped = text.rstrip()
        last = stripped[-1] if stripped else ""
        return AnswerError(
            "syntax",
            _("the answer ends too early: something is missing after '%(last)s'") % {"last": last},
            len(stripped),
        )
    if isinstance(exc, UnexpectedCharacters):
        return stray_character(text, exc.pos_in_stream)
    token = exc.token
    pos = token.start_pos
    previous = _previous_token_text(text, pos)
    kind = token.type
    if kind == "RPAR":
        if previous == "(":
            return AnswerError("syntax", _("empty parentheses: put an expression inside"), pos)
        return AnswerError(
            "syntax", _("something is missing before this ')' after '%(previous)s'") % {"previous": previous}, pos
        )
    if kind in ("TIMES", "DIV", "POW") and previous in ("", "(", "+", "-", "−", "*", "/", "^"):
        if previous in ("", "("):
            message = _("'%(value)s' at the start has nothing on its left: an operand is missing")
        else:
            message = _("'%(value)s' after '%(previous)s' has nothing on its left: an operand "
                        "is missing")
        return AnswerError(
            "syntax", message % {"value": token.value, "previous": previous}, pos)
    if kind == "NUMBER":
        return AnswerError(
            "syntax",
            _("a number cannot follow '%(previous)s' directly: put the number first (2x) or "
               "use '*' (x*2)") % {"previous": previous},
            pos,
        )
    if kind == "SUP":
        return AnswerError("syntax", _("'%(value)s' must follow a number, variable or ')'") % {"value": token.value}, pos)
    return AnswerError(
        "syntax", _("unexpected %(get)s here") % {"get": _(TOKEN_WORDS[kind]) if kind in TOKEN_WORDS else repr(token.value)}, pos
    )


def _previous_token_text(text: str, pos: int) -> str:
    before = text[:pos].rstrip()
    return before[-1] if before else ""
