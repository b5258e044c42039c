"""The tokenizer: whitelisted names, declared variables and their products (``wx``), Unicode
spellings, numbers and operators, with the cheap checks that keep deep or hostile input away
from the grammar."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from lark.lexer import Token

from app.cas.errors import AnswerError
from app.cas.i18n import _
from app.cas.parse.messages import PRIMES, prime_notation, stray_character, unknown_function
from app.cas.symbols import CONSTANTS, FUNCTIONS, MAX_DEPTH, RESERVED_NAMES, UNICODE_IDENTIFIERS

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
SUPERSCRIPTS = {"²": 2, "³": 3}
# After these a + or - is binary (it ends an exponent chain); elsewhere it is a sign.
_OPERAND_ENDS = frozenset({"NAME", "NUMBER", "CONST", "RPAR", "SUP"})

IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Multi-letter names that read as variables even before a parenthesis (instructor mode).
_VARIABLE_LOOKING = re.compile(r"[A-Za-z]\Z|yhat\Z|.*[0-9_]")


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
        if not IDENT_RE.match(name) or len(name) > 50:
            raise ValueError(f"{raw!r} is not a valid variable name")
        if name in RESERVED_NAMES:
            raise ValueError(f"{raw!r} is a constant or function name, not a variable")
        if name not in names:
            names.append(name)
    return tuple(names)


def check_characters_and_parentheses(text: str) -> None:
    """Cheap checks before any grammar work; also what keeps deep input away from Lark."""
    if not text.strip():
        raise AnswerError("syntax", _("the answer is empty: type an expression"), 0)
    depth = 0
    opened: list[int] = []
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
            if depth > MAX_DEPTH:
                raise AnswerError(
                    "too_deep",
                    _("parentheses are nested more than %(max_depth)s levels deep") % {"max_depth": MAX_DEPTH},
                    index,
                )
            opened.append(index)
        elif char == ")":
            if depth == 0:
                raise AnswerError("syntax", _("this ')' has no matching '(' before it"), index)
            depth -= 1
            opened.pop()
        elif (ord(char) < 32 and char not in "\t\r\n") or 0x7F <= ord(char) < 0xA0:
            raise AnswerError(
                "syntax", _("the answer contains a control character (code %(ord)s)") % {"ord": ord(char)}, index
            )
    if opened:
        raise AnswerError("syntax", _("this '(' is never closed: add a ')'"), opened[-1])


class Tokenizer:
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
                raise stray_character(text, index)
            kind = match.lastgroup
            value = match.group()
            end = match.end()
            if kind == "number":
                out.append(Token("NUMBER", value, start_pos=index, end_pos=end))
            elif kind == "name" or value == "σ":
                out.extend(self._identifier(value, index, _following(text, end)))
            elif kind == "pow":
                pow_runs[-1] += 1
                if len(pow_runs) - 1 + sum(pow_runs) > MAX_DEPTH:
                    raise AnswerError(
                        "too_deep",
                        _("the exponents are nested more than %(max_depth)s levels deep") % {"max_depth": MAX_DEPTH},
                        index,
                    )
                out.append(Token("POW", value, start_pos=index, end_pos=end))
            elif kind == "op":
                if value == "π":
                    out.append(Token("CONST", value, start_pos=index, end_pos=end))
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
                    out.append(Token(kind_of, value, start_pos=index, end_pos=end))
            index = end
        return out

    def _identifier(self, raw_name: str, pos: int, following: str | None) -> list[Token]:
        name = raw_name
        for spelling, ascii_name in UNICODE_IDENTIFIERS.items():
            name = name.replace(spelling, ascii_name)
        if following == "PRIME":
            raise prime_notation(raw_name, _next_char(self.text, pos + len(raw_name)))
        calls = following in ("LPAR", "POW", "SUP")
        end = pos + len(raw_name)
        if name in FUNCTIONS:
            if not calls:
                raise AnswerError(
                    "syntax",
                    _("put the argument of %(raw_name)s in parentheses: %(raw_name)s(...)") % {"raw_name": raw_name},
                    pos,
                )
            return [Token("FUNC", name, start_pos=pos, end_pos=end)]
        if name in CONSTANTS:
            return [Token("CONST", name, start_pos=pos, end_pos=end)]
        if self.allowed is None:
            if following == "LPAR" and not _VARIABLE_LOOKING.match(name):
                raise unknown_function(raw_name, pos)
            return [Token("NAME", name, start_pos=pos, end_pos=end)]
        if name in self.allowed_set:
            return [Token("NAME", name, start_pos=pos, end_pos=end)]
        pieces = _split_name(name, self.allowed_set, with_function=following == "LPAR")
        if pieces is not None and len(raw_name) == len(name):
            tokens = []
            offset = pos
            for piece in pieces:
                kind = "FUNC" if piece in FUNCTIONS else "CONST" if piece in CONSTANTS else "NAME"
                tokens.append(Token(kind, piece, start_pos=offset, end_pos=offset + len(piece)))
                offset += len(piece)
            return tokens
        if pieces is not None:
            # ŷ inside a longer name: positions inside it would not line up, read it whole.
            return [
                Token(
                    "FUNC" if p in FUNCTIONS else "CONST" if p in CONSTANTS else "NAME",
                    p,
                    start_pos=pos,
                    end_pos=end,
                )
                for p in pieces
            ]
        digits = re.match(r"(.*[A-Za-z_])(\d+)\Z", name)
        if digits and _split_name(digits.group(1), self.allowed_set, False) is not None:
            letters, number = digits.group(1), digits.group(2)
            raise AnswerError(
                "unknown_variable",
                _("'%(raw_name)s' is not a variable: write %(number)s*%(letters)s or "
                   "%(number)s%(letters)s, not %(raw_name)s") % {"raw_name": raw_name, "number": number, "letters": letters},
                pos,
            )
        if following == "LPAR":
            raise unknown_function(raw_name, pos)
        allowed_list = ", ".join(self.allowed) if self.allowed else "none"
        hint = difflib.get_close_matches(name, self.allowed, n=1, cutoff=0.6)
        suggestion = _(" Did you mean %(hint)s?") % {"hint": hint[0]} if hint else ""
        raise AnswerError(
            "unknown_variable",
            _("'%(raw_name)s' is not a variable of this problem (variables: "
               "%(allowed_list)s).") % {"raw_name": raw_name, "allowed_list": allowed_list}
            + suggestion,
            pos,
        )


def _next_char(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


def _following(text: str, index: int) -> str | None:
    """The kind of token after ``index`` that decides how a name is read."""
    index = _next_char(text, index)
    if index >= len(text):
        return None
    char = text[index]
    if char in PRIMES:
        return "PRIME"
    if char == "(":
        return "LPAR"
    if char == "^" or text.startswith("**", index):
        return "POW"
    if char in SUPERSCRIPTS:
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
