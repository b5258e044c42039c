"""What a student reads when their answer cannot be read: one sentence that says what is wrong
and, where there is one, how to write it instead."""

from __future__ import annotations

import difflib

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from app.cas.errors import AnswerError
from app.cas.symbols import FUNCTIONS

# What each terminal looks like to a student, for "expected ..." style messages.
TOKEN_WORDS = {
    "NUMBER": "a number",
    "NAME": "a variable",
    "CONST": "a constant",
    "FUNC": "a function",
    "PLUS": "'+'",
    "MINUS": "'-'",
    "TIMES": "'*'",
    "DIV": "'/'",
    "POW": "'^'",
    "SUP": "an exponent",
    "LPAR": "'('",
    "RPAR": "')'",
    "$END": "the end of the answer",
}

STRAY_HINTS = {
    ",": "commas are not allowed: every function takes one argument (for the log in base b "
    "write log(x)/log(b))",
    "=": "type only the expression, without '='",
    "'": "quotes are not allowed",
    '"': "quotes are not allowed",
    "[": "use round parentheses ( ) instead of brackets",
    "]": "use round parentheses ( ) instead of brackets",
    "{": "use round parentheses ( ) instead of braces",
    "}": "use round parentheses ( ) instead of braces",
    ".": "a '.' must be part of a number such as 0.5",
    "!": "factorials are not supported",
    "|": "write abs(x) for an absolute value",
    "\\": "type the expression, not LaTeX",
}


def unknown_function(raw_name: str, pos: int) -> AnswerError:
    hint = difflib.get_close_matches(raw_name.lower(), list(FUNCTIONS), n=1, cutoff=0.6)
    suggestion = f" Did you mean {hint[0]}?" if hint else ""
    return AnswerError(
        "unknown_function",
        f"'{raw_name}' is not a known function.{suggestion} Known functions: "
        "exp, log, ln, sqrt, abs, sin, cos, tan, sec, csc, cot, asin, acos, atan, sinh, "
        "cosh, tanh, sech, csch, coth, sigma.",
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
            f"prime notation ({name}') is not accepted: type the derivative as an expression, "
            f"e.g. {name}(u)(1 - {name}(u)) for {name}'(u)",
            pos,
        )
    shown = f" ({name}')" if name else ""
    unless = ", not its name" if name and name not in FUNCTIONS else ""
    return AnswerError(
        "syntax",
        f"prime notation{shown} is not accepted: type the derivative itself as an "
        f"expression{unless}",
        pos,
    )


def stray_character(text: str, index: int) -> AnswerError:
    char = text[index]
    before = text[:index].rstrip()
    if char in PRIMES and before and (before[-1].isalnum() or before[-1] in ")σŷ_"):
        return prime_notation(None, index)
    hint = STRAY_HINTS.get(char)
    if hint is None:
        shown = char if char.isprintable() else f"U+{ord(char):04X}"
        hint = f"'{shown}' is not allowed in an answer"
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
            f"the answer ends too early: something is missing after '{last}'",
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
            return AnswerError("syntax", "empty parentheses: put an expression inside", pos)
        return AnswerError(
            "syntax", f"something is missing before this ')' after '{previous}'", pos
        )
    if kind in ("TIMES", "DIV", "POW") and previous in ("", "(", "+", "-", "−", "*", "/", "^"):
        where = "at the start" if previous in ("", "(") else f"after '{previous}'"
        return AnswerError(
            "syntax", f"'{token.value}' {where} has nothing on its left: an operand is missing", pos
        )
    if kind == "NUMBER":
        return AnswerError(
            "syntax",
            f"a number cannot follow '{previous}' directly: put the number first (2x) or use "
            "'*' (x*2)",
            pos,
        )
    if kind == "SUP":
        return AnswerError("syntax", f"'{token.value}' must follow a number, variable or ')'", pos)
    return AnswerError(
        "syntax", f"unexpected {TOKEN_WORDS.get(kind, repr(token.value))} here", pos
    )


def _previous_token_text(text: str, pos: int) -> str:
    before = text[:pos].rstrip()
    return before[-1] if before else ""
