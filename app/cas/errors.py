"""The one exception the engine raises for input it will not accept.

Codes (stable; the HTTP API passes them through verbatim):

- ``syntax``: the text does not follow the answer syntax (unbalanced or unexpected
  parenthesis, missing operand, stray character, empty answer, ...).
- ``unknown_variable``: an identifier that is not one of the allowed variables.
- ``unknown_function``: a name used as a function that is not a known function.
- ``too_long``: more characters than ``symbols.MAX_LENGTH``.
- ``too_deep``: nested deeper than ``symbols.MAX_DEPTH`` (parentheses, calls, exponents).
- ``too_large``: a number, or a power of numbers, too large to work with (``9^9^9``).
- ``undefined``: the expression has no real value anywhere it could be evaluated, e.g.
  a division by zero (``1/0``), ``log(0)`` or ``sqrt(-1)``.
- ``timeout``: the check did not finish within its time limit (raised by the worker pool,
  never by the engine itself).
"""

from __future__ import annotations

CODES = frozenset(
    {
        "syntax",
        "unknown_variable",
        "unknown_function",
        "too_long",
        "too_deep",
        "too_large",
        "undefined",
        "timeout",
    }
)


class AnswerError(Exception):
    """An expression the engine refuses, with a message a student can act on."""

    def __init__(self, code: str, message: str, position: int | None = None) -> None:
        if code not in CODES:
            raise ValueError(f"unknown AnswerError code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.position = position

    def to_dict(self) -> dict[str, object]:
        return {"code": self.code, "message": self.message, "position": self.position}

    def __repr__(self) -> str:
        return f"AnswerError({self.code!r}, {self.message!r}, position={self.position!r})"
