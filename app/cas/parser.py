"""Read a student's (or an instructor's) answer into a sympy expression.

The text goes through a hand-written tokenizer (which knows the whitelisted names, the
declared variables and the Unicode spellings), then a Lark LALR grammar whose callbacks build
sympy objects directly. Nothing in the text is ever evaluated as Python: a name becomes a
sympy object only by being looked up in ``app.cas.symbols``.

Syntax decisions
----------------
Where the contract leaves a choice open, the parser follows what students usually mean;
the preview ("we read your answer as ...") always shows the reading.

- Implicit multiplication binds tighter than ``*`` and ``/``: ``1/2x`` is ``1/(2*x)`` and
  ``1/2sqrt(x)`` is ``1/(2*sqrt(x))``, as in handwriting. ``1/2*x`` is ``x/2``.
- A power binds to one factor: ``e^2x`` is ``e^2*x`` and ``e^x(1-x)`` is ``e^x*(1-x)``;
  write ``e^(2x)``. A sign may start an exponent: ``e^-x`` is ``e^(-x)``, ``x^-2`` is
  ``1/x^2``; ``e^-2x`` is therefore ``e^(-2)*x``.
- ``-x^2`` is ``-(x^2)`` and ``^``/``**`` are right-associative: ``2^3^2`` is ``2^9``.
- ``sin^2(x)`` and ``sin²(x)`` mean ``sin(x)^2`` (any exponent written after the function
  name). ``sin^-1(x)`` is refused, because it could mean ``asin(x)`` or ``1/sin(x)``.
- A function needs parentheses around its argument: ``sin x`` is refused with a hint.
- A number cannot follow a factor without an operator: ``x 2``, ``(x+1)2`` and ``2 3`` are
  refused (write ``2x``, ``2(x+1)``, ``2*3``); ``x2`` is a name, and when ``x`` is declared
  but ``x2`` is not, the error says to write ``2x``.
- Decimals are exact rationals (``0.5`` is ``1/2``, ``5.1e-2`` is ``51/1000``); ``e`` is a
  scientific exponent only when digits follow it (``2e3`` = 2000, ``2e-x`` = ``2*e - x``).
- With declared variables, an undeclared name made entirely of declared variables and the
  constants ``e``/``pi`` is their product (``wx`` is ``w*x``, ``xe^x`` is ``x*e^x``), and so
  is such a name ending in a function name before a parenthesis (``xsin(x)`` is
  ``x*sin(x)``). Without declared variables (instructor expressions) every such name is one
  variable, and a name of two or more letters directly followed by ``(`` is read as a
  function call (so ``diff(x)`` is an unknown function), except ``yhat`` and names with a
  digit or ``_`` (``yhat(1-yhat)``, ``x_1(1-x_1)`` are products).
- ``e``, ``pi``, the function names and their Unicode spellings cannot be variable names.
- Sympy simplifies while it builds (``x/x`` is ``1``), but never so as to widen where the
  expression is defined: ``sqrt(x)^2``, ``sqrt(x)*sqrt(x)``, ``log(x) - log(x)`` and
  ``exp(log(x))`` are kept as written, because they are undefined for ``x < 0`` while the
  simplified forms are not.
- A result that is undefined everywhere it could be evaluated (``1/0``, ``log(0)``,
  ``sqrt(-1)``) is refused with code ``undefined``; a power of numbers with more than
  ``MAX_NUMBER_DIGITS`` digits (``9^9^9``) is refused with code ``too_large`` before sympy
  computes it.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from lark import Lark, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import Lexer, Token

from app.cas.errors import AnswerError
from app.cas.plain import to_plain
from app.cas.symbols import (
    CONSTANTS,
    FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    MAX_NUMBER_DIGITS,
    RESERVED_NAMES,
    UNICODE_IDENTIFIERS,
    var,
)

__all__ = ["parse", "to_plain", "validate_variables"]

_GRAMMAR = r"""
?start: sum

?sum: product
    | sum PLUS product      -> add
    | sum MINUS product     -> sub

?product: signed
    | product TIMES signed  -> mul
    | product DIV signed    -> div

?signed: implicit
    | PLUS signed           -> pos
    | MINUS signed          -> neg

?implicit: power
    | implicit power_nn     -> imul

?power: postfix
    | postfix POW exponent  -> pow

?power_nn: postfix_nn
    | postfix_nn POW exponent -> pow

?exponent: power
    | MINUS exponent        -> neg
    | PLUS exponent         -> pos

?postfix: atom
    | postfix SUP           -> sup

?postfix_nn: atom_nn
    | postfix_nn SUP        -> sup

?atom: NUMBER               -> number
    | atom_nn

?atom_nn: NAME              -> name
    | CONST                 -> const
    | LPAR sum RPAR         -> group
    | FUNC LPAR sum RPAR    -> call
    | FUNC POW exponent LPAR sum RPAR -> powcall
    | FUNC SUP LPAR sum RPAR -> supcall

%declare NUMBER NAME CONST FUNC PLUS MINUS TIMES DIV POW SUP LPAR RPAR
"""

# What each terminal looks like to a student, for "expected ..." style messages.
_TOKEN_WORDS = {
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

_TOKEN_RE = re.compile(
    r"""
    (?P<space>[ \t\r\n]+)
  | (?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<name>(?:y\u0302|ŷ|[A-Za-z_])(?:y\u0302|ŷ|[A-Za-z0-9_])*)
  | (?P<pow>\*\*|\^)
  | (?P<op>[-+*/()σπ−·×²³])
    """,
    re.VERBOSE,
)
_SIMPLE_TOKENS = {
    "+": "PLUS",
    "-": "MINUS",
    "−": "MINUS",
    "*": "TIMES",
    "·": "TIMES",
    "×": "TIMES",
    "/": "DIV",
    "(": "LPAR",
    ")": "RPAR",
    "²": "SUP",
    "³": "SUP",
}
_SUPERSCRIPTS = {"²": 2, "³": 3}
# After these a + or - is binary (it ends an exponent chain); elsewhere it is a sign.
_OPERAND_ENDS = frozenset({"NAME", "NUMBER", "CONST", "RPAR", "SUP"})
_STRAY_HINTS = {
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
_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Multi-letter names that read as variables even before a parenthesis (instructor mode).
_VARIABLE_LOOKING = re.compile(r"[A-Za-z]\Z|yhat\Z|.*[0-9_]")


@dataclass(slots=True)
class _Val:
    """A sympy expression while it is being built, with what the guards need to know."""

    expr: sp.Expr
    depth: int  # nesting of parentheses, calls and exponents below this node
    guards: frozenset  # subexpressions that restrict where it is defined (sqrt, log, ...)
    pos: int  # where it starts in the text, for error messages


def validate_variables(variables: Iterable[str]) -> tuple[str, ...]:
    """Check a list of variable names; returns them normalised (``ŷ`` -> ``yhat``).

    Raises ``ValueError`` for a name that is not an identifier or is reserved: that is a
    malformed request, not a student's mistake.
    """
    if isinstance(variables, str):
        raise ValueError("variables must be a list of names, not one string")
    names: list[str] = []
    for raw in variables:
        if not isinstance(raw, str):
            raise ValueError(f"variable names must be strings, got {raw!r}")
        name = raw
        for spelling, ascii_name in UNICODE_IDENTIFIERS.items():
            name = name.replace(spelling, ascii_name)
        if not _IDENT_RE.match(name) or len(name) > 50:
            raise ValueError(f"{raw!r} is not a valid variable name")
        if name in RESERVED_NAMES:
            raise ValueError(f"{raw!r} is a constant or function name, not a variable")
        if name not in names:
            names.append(name)
    return tuple(names)


def parse(text: str, variables: Iterable[str] | None = None) -> sp.Expr:
    """Parse ``text`` (contract section 1) into a sympy expression.

    With ``variables=None`` every identifier that is not a function or constant is a
    variable; with a list, any other identifier is an ``unknown_variable`` error.
    Raises ``AnswerError``; raises ``ValueError`` only for an invalid ``variables`` list.
    """
    if not isinstance(text, str):
        raise AnswerError("syntax", "the answer must be text")
    allowed = None if variables is None else validate_variables(variables)
    if len(text) > MAX_LENGTH:
        raise AnswerError(
            "too_long",
            f"the answer is {len(text)} characters long; the limit is {MAX_LENGTH}",
            MAX_LENGTH,
        )
    _check_characters_and_parentheses(text)
    tokens = _Tokenizer(text, allowed).tokens()
    try:
        result = _PARSER.parse(tokens)
    except UnexpectedInput as exc:
        raise _syntax_error(text, exc) from None
    expr = result.expr
    _check_defined(expr)
    return expr


def _check_characters_and_parentheses(text: str) -> None:
    """Cheap checks before any grammar work; also what keeps deep input away from Lark."""
    if not text.strip():
        raise AnswerError("syntax", "the answer is empty: type an expression", 0)
    depth = 0
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise AnswerError(
                    "too_deep",
                    f"parentheses are nested more than {MAX_DEPTH} levels deep",
                    index,
                )
            opened.append(index)
        elif char == ")":
            if depth == 0:
                raise AnswerError("syntax", "this ')' has no matching '(' before it", index)
            depth -= 1
            opened.pop()
        elif (ord(char) < 32 and char not in "\t\r\n") or 0x7F <= ord(char) < 0xA0:
            raise AnswerError(
                "syntax", f"the answer contains a control character (code {ord(char)})", index
            )
    if opened:
        raise AnswerError("syntax", "this '(' is never closed: add a ')'", opened[-1])


class _Tokenizer:
    def __init__(self, text: str, allowed: tuple[str, ...] | None) -> None:
        self.text = text
        self.allowed = allowed
        self.allowed_set = frozenset(allowed) if allowed is not None else frozenset()

    def tokens(self) -> list[Token]:
        """All tokens, in order; the first problem in the text is the one reported."""
        out: list[Token] = []
        text = self.text
        index = 0
        # Exponent chains nest like parentheses do: count, per parenthesis level, the powers
        # since the last binary operator there, and refuse a tower before sympy builds it.
        # Juxtaposed factors (x^2 y^2) do not reset the count: that only over-counts.
        pow_runs = [0]
        while index < len(text):
            match = _TOKEN_RE.match(text, index)
            if match is None:
                raise _stray_character(text, index)
            kind = match.lastgroup
            value = match.group()
            end = match.end()
            if kind == "number":
                out.append(Token("NUMBER", value, start_pos=index))
            elif kind == "name" or value == "σ":
                out.extend(self._identifier(value, index, _following(text, end)))
            elif kind == "pow":
                pow_runs[-1] += 1
                if len(pow_runs) - 1 + sum(pow_runs) > MAX_DEPTH:
                    raise AnswerError(
                        "too_deep",
                        f"the exponents are nested more than {MAX_DEPTH} levels deep",
                        index,
                    )
                out.append(Token("POW", value, start_pos=index))
            elif kind == "op":
                if value == "π":
                    out.append(Token("CONST", value, start_pos=index))
                else:
                    kind_of = _SIMPLE_TOKENS[value]
                    if kind_of == "LPAR":
                        pow_runs.append(0)
                    elif kind_of == "RPAR" and len(pow_runs) > 1:
                        pow_runs.pop()
                    elif kind_of in ("TIMES", "DIV") or (
                        kind_of in ("PLUS", "MINUS") and out
                        and out[-1].type in _OPERAND_ENDS
                    ):
                        pow_runs[-1] = 0
                    out.append(Token(kind_of, value, start_pos=index))
            index = end
        return out

    def _identifier(self, raw_name: str, pos: int, following: str | None) -> list[Token]:
        name = raw_name
        for spelling, ascii_name in UNICODE_IDENTIFIERS.items():
            name = name.replace(spelling, ascii_name)
        calls = following in ("LPAR", "POW", "SUP")
        if name in FUNCTIONS:
            if not calls:
                raise AnswerError(
                    "syntax",
                    f"put the argument of {raw_name} in parentheses: {raw_name}(...)",
                    pos,
                )
            return [Token("FUNC", name, start_pos=pos)]
        if name in CONSTANTS:
            return [Token("CONST", name, start_pos=pos)]
        if self.allowed is None:
            if following == "LPAR" and not _VARIABLE_LOOKING.match(name):
                raise _unknown_function(raw_name, pos)
            return [Token("NAME", name, start_pos=pos)]
        if name in self.allowed_set:
            return [Token("NAME", name, start_pos=pos)]
        pieces = _split_name(name, self.allowed_set, with_function=following == "LPAR")
        if pieces is not None and len(raw_name) == len(name):
            tokens = []
            offset = pos
            for piece in pieces:
                kind = "FUNC" if piece in FUNCTIONS else "CONST" if piece in CONSTANTS else "NAME"
                tokens.append(Token(kind, piece, start_pos=offset))
                offset += len(piece)
            return tokens
        if pieces is not None:
            # ŷ inside a longer name: positions inside it would not line up, read it whole.
            return [
                Token(
                    "FUNC" if p in FUNCTIONS else "CONST" if p in CONSTANTS else "NAME",
                    p,
                    start_pos=pos,
                )
                for p in pieces
            ]
        digits = re.match(r"(.*[A-Za-z_])(\d+)\Z", name)
        if digits and _split_name(digits.group(1), self.allowed_set, False) is not None:
            letters, number = digits.group(1), digits.group(2)
            raise AnswerError(
                "unknown_variable",
                f"'{raw_name}' is not a variable: write {number}*{letters} or "
                f"{number}{letters}, not {raw_name}",
                pos,
            )
        if following == "LPAR":
            raise _unknown_function(raw_name, pos)
        allowed_list = ", ".join(self.allowed) if self.allowed else "none"
        hint = difflib.get_close_matches(name, self.allowed, n=1, cutoff=0.6)
        suggestion = f" Did you mean {hint[0]}?" if hint else ""
        raise AnswerError(
            "unknown_variable",
            f"'{raw_name}' is not a variable of this problem (variables: {allowed_list})."
            + suggestion,
            pos,
        )


def _following(text: str, index: int) -> str | None:
    """The kind of token after ``index`` that decides how a name is read."""
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    if index >= len(text):
        return None
    char = text[index]
    if char == "(":
        return "LPAR"
    if char == "^" or text.startswith("**", index):
        return "POW"
    if char in _SUPERSCRIPTS:
        return "SUP"
    return None


def _split_name(name: str, allowed: frozenset[str], with_function: bool) -> list[str] | None:
    """Split ``name`` into declared variables and constants (and a final function name when
    a parenthesis follows), preferring the longest pieces; None when no split exists."""
    pieces = sorted(allowed | {"e", "pi"}, key=len, reverse=True)
    functions = sorted(FUNCTIONS, key=len, reverse=True) if with_function else []
    size = len(name)
    # Filled from the end, so a 2,000-letter name costs no recursion: the piece that starts
    # a valid split at each position (longest first), or None where no split exists.
    first: list[str | None] = [None] * (size + 1)
    for start in range(size - 1, -1, -1):
        for function in functions:
            if start + len(function) == size and name.startswith(function, start):
                first[start] = function
                break
        if first[start] is not None:
            continue
        for piece in pieces:
            if not name.startswith(piece, start):
                continue
            end = start + len(piece)
            if (end == size and not with_function) or (end < size and first[end] is not None):
                first[start] = piece
                break
    if first[0] is None:
        return None
    found: list[str] = []
    position = 0
    while position < size:
        piece = first[position]
        found.append(piece)
        position += len(piece)
    if not any(piece in allowed for piece in found):
        return None
    return found


def _unknown_function(raw_name: str, pos: int) -> AnswerError:
    hint = difflib.get_close_matches(raw_name.lower(), list(FUNCTIONS), n=1, cutoff=0.6)
    suggestion = f" Did you mean {hint[0]}?" if hint else ""
    return AnswerError(
        "unknown_function",
        f"'{raw_name}' is not a known function.{suggestion} Known functions: "
        "exp, log, ln, sqrt, abs, sin, cos, tan, sec, csc, cot, asin, acos, atan, sinh, "
        "cosh, tanh, sech, csch, coth, sigma.",
        pos,
    )


def _stray_character(text: str, index: int) -> AnswerError:
    char = text[index]
    hint = _STRAY_HINTS.get(char)
    if hint is None:
        shown = char if char.isprintable() else f"U+{ord(char):04X}"
        hint = f"'{shown}' is not allowed in an answer"
    return AnswerError("syntax", hint, index)


def _syntax_error(text: str, exc: UnexpectedInput) -> AnswerError:
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
        return _stray_character(text, exc.pos_in_stream)
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
        "syntax", f"unexpected {_TOKEN_WORDS.get(kind, repr(token.value))} here", pos
    )


def _previous_token_text(text: str, pos: int) -> str:
    before = text[:pos].rstrip()
    return before[-1] if before else ""


class _TokenLexer(Lexer):
    """Feeds the tokenizer's list to Lark (the tokenizer already did the hard part)."""

    def __init__(self, lexer_conf) -> None:  # noqa: D107 - signature fixed by Lark
        pass

    def lex(self, data: list[Token]) -> Iterator[Token]:  # type: ignore[override]
        return iter(data)


@v_args(inline=True)
class _Builder(Transformer):
    """Lark callbacks: turn grammar matches into sympy objects, enforcing the guards.

    Stateless, so one instance serves every parse (and every thread).
    """

    # -- leaves -------------------------------------------------------------------------
    def number(self, token: Token) -> _Val:
        return _Val(_number(token), 0, frozenset(), token.start_pos)

    def name(self, token: Token) -> _Val:
        return _Val(var(str(token)), 0, frozenset(), token.start_pos)

    def const(self, token: Token) -> _Val:
        return _Val(CONSTANTS[str(token)], 0, frozenset(), token.start_pos)

    def group(self, lpar: Token, inner: _Val, rpar: Token) -> _Val:
        # Plain parentheses build no node; their nesting was already bounded before parsing.
        return _Val(inner.expr, inner.depth, inner.guards, lpar.start_pos)

    def call(self, func: Token, lpar: Token, arg: _Val, rpar: Token) -> _Val:
        return self._apply(func, arg)

    def powcall(self, func: Token, pow_token: Token, exponent: _Val, lpar, arg: _Val, rpar) -> _Val:
        exp_value = exponent.expr
        if not (exp_value.is_Integer and exp_value > 0):
            raise AnswerError(
                "syntax",
                f"write {func}(x)^n rather than {func}^n(x) unless n is a positive whole "
                f"number ({func}^-1 could mean the inverse function or 1/{func})",
                pow_token.start_pos,
            )
        return self._power(self._apply(func, arg), exponent, pow_token.start_pos)

    def supcall(self, func: Token, sup: Token, lpar, arg: _Val, rpar) -> _Val:
        exponent = _Val(sp.Integer(_SUPERSCRIPTS[str(sup)]), 0, frozenset(), sup.start_pos)
        return self._power(self._apply(func, arg), exponent, sup.start_pos)

    # -- operators ----------------------------------------------------------------------
    def add(self, left: _Val, op: Token, right: _Val) -> _Val:
        return self._combine(sp.Add, (left, right))

    def sub(self, left: _Val, op: Token, right: _Val) -> _Val:
        negated = self._combine(sp.Mul, (_minus_one(right.pos), right))
        return self._combine(sp.Add, (left, negated))

    def mul(self, left: _Val, op: Token, right: _Val) -> _Val:
        return self._combine(sp.Mul, (left, right))

    def imul(self, left: _Val, right: _Val) -> _Val:
        return self._combine(sp.Mul, (left, right))

    def div(self, left: _Val, op: Token, right: _Val) -> _Val:
        if right.expr.is_zero:
            raise AnswerError("undefined", "division by zero", op.start_pos)
        inverse = self._combine_pow(right, _Val(sp.S.NegativeOne, 0, frozenset(), op.start_pos))
        return self._combine(sp.Mul, (left, inverse))

    def pos(self, op: Token, operand: _Val) -> _Val:
        return _Val(operand.expr, operand.depth, operand.guards, op.start_pos)

    def neg(self, op: Token, operand: _Val) -> _Val:
        value = self._combine(sp.Mul, (_minus_one(op.start_pos), operand))
        value.pos = op.start_pos
        return value

    def pow(self, base: _Val, op: Token, exponent: _Val) -> _Val:
        return self._power(base, exponent, op.start_pos)

    def sup(self, base: _Val, sup: Token) -> _Val:
        exponent = _Val(sp.Integer(_SUPERSCRIPTS[str(sup)]), 0, frozenset(), sup.start_pos)
        return self._power(base, exponent, sup.start_pos)

    # -- helpers ------------------------------------------------------------------------
    def _deeper(self, inner: _Val, pos: int) -> int:
        depth = inner.depth + 1
        if depth > MAX_DEPTH:
            raise AnswerError(
                "too_deep", f"the answer is nested more than {MAX_DEPTH} levels deep", pos
            )
        return depth

    def _apply(self, func: Token, arg: _Val) -> _Val:
        depth = self._deeper(arg, func.start_pos)
        function = FUNCTIONS[str(func)]
        expr = function(arg.expr)
        guards = arg.guards
        key = _guard_key(expr)
        if key is not None:
            guards = guards | {key}
        if arg.guards and _lost_any(expr, arg.guards):
            expr = _unevaluated(function, (arg.expr,))
        return _Val(expr, depth, guards, func.start_pos)

    def _power(self, base: _Val, exponent: _Val, pos: int) -> _Val:
        _check_power_size(base.expr, exponent.expr, pos)
        depth = max(base.depth, self._deeper(exponent, pos))
        value = self._combine_pow(base, exponent)
        value.depth = depth
        return value

    def _combine_pow(self, base: _Val, exponent: _Val) -> _Val:
        if base.expr.is_zero and exponent.expr.is_negative:
            raise AnswerError("undefined", "0 to a negative power is a division by zero", base.pos)
        expr = sp.Pow(base.expr, exponent.expr)
        guards = base.guards | exponent.guards
        key = _guard_key(expr)
        if key is not None:
            guards = guards | {key}
        if (base.guards or exponent.guards) and _lost_any(expr, base.guards | exponent.guards):
            expr = sp.Pow(base.expr, exponent.expr, evaluate=False)
        return _Val(expr, max(base.depth, exponent.depth), guards, base.pos)

    def _combine(self, op, operands: tuple[_Val, ...]) -> _Val:
        args = tuple(v.expr for v in operands)
        expr = op(*args)
        guards = frozenset().union(*(v.guards for v in operands))
        if guards and _lost_any(expr, guards):
            expr = op(*args, evaluate=False)
        depth = max(v.depth for v in operands)
        return _Val(expr, depth, guards, operands[0].pos)


def _minus_one(pos: int) -> _Val:
    return _Val(sp.S.NegativeOne, 0, frozenset(), pos)


def _unevaluated(function, args):
    if function is sp.sqrt:
        return sp.Pow(args[0], sp.S.Half, evaluate=False)
    return function(*args, evaluate=False)


def _guard_key(expr: sp.Basic) -> tuple | None:
    """What restricts where ``expr`` (this node only) is defined, as (kind, argument)."""
    if expr.is_Pow:
        if not expr.exp.is_integer and not expr.base.is_positive:
            return ("root", expr.base)
        return None
    if isinstance(expr, sp.log):
        return ("log", expr.args[0])
    if isinstance(expr, (sp.asin, sp.acos)):
        return ("unit", expr.args[0])
    return None


def _lost_any(result: sp.Expr, guards: frozenset) -> bool:
    """True when building ``result`` simplified away a restriction of its operands
    (``sqrt(x)^2`` -> ``x``), so the node must be kept as written."""
    present = set()
    for node in sp.preorder_traversal(result):
        key = _guard_key(node)
        if key is not None:
            present.add(key)
    return not guards <= present


def _number(token: Token) -> sp.Rational:
    text = str(token)
    mantissa, _, exponent_text = text.lower().partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    if abs(exponent) > MAX_NUMBER_DIGITS:
        raise AnswerError(
            "too_large",
            f"{text} has an exponent of {exponent}; numbers are limited to "
            f"{MAX_NUMBER_DIGITS} digits",
            token.start_pos,
        )
    value = Fraction(mantissa) * Fraction(10) ** exponent
    return sp.Rational(value.numerator, value.denominator)


def _check_power_size(base: sp.Expr, exponent: sp.Expr, pos: int) -> None:
    """Refuse a power of numbers whose exact value would have too many digits.

    sympy computes ``9^387420489`` exactly if asked; the estimate is done on logarithms so
    that nothing large is ever built.
    """
    if not (base.is_Rational and exponent.is_Rational):
        if base.is_Rational and exponent.is_Number and abs(exponent) > 10**6:
            _too_large(pos)
        return
    if base.is_zero or abs(base) == 1 or exponent.is_zero:
        return
    size = max(abs(base.p), base.q)
    digits = abs(float(exponent)) * math.log10(size) if size > 1 else 0.0
    if not math.isfinite(digits) or digits > MAX_NUMBER_DIGITS:
        _too_large(pos)


def _too_large(pos: int) -> None:
    raise AnswerError(
        "too_large",
        f"this power is too large to compute (more than {MAX_NUMBER_DIGITS} digits)",
        pos,
    )


def _check_defined(expr: sp.Expr) -> None:
    if expr.has(sp.S.ComplexInfinity, sp.S.NaN, sp.S.Infinity, sp.S.NegativeInfinity):
        raise AnswerError(
            "undefined", "the expression is undefined (a division by zero or log(0)?)", None
        )
    if expr.has(sp.S.ImaginaryUnit):
        raise AnswerError(
            "undefined",
            "the expression is not a real number (a square root or log of a negative number?)",
            None,
        )


_PARSER = Lark(
    _GRAMMAR,
    parser="lalr",
    lexer=_TokenLexer,
    transformer=_Builder(),
    maybe_placeholders=False,
)
