"""Read a student's (or an instructor's) answer into a sympy expression.

Six rooms: `tokens` (names, numbers, Unicode spellings, cheap pre-checks), `grammar` (the
LALR grammar), `build` (sympy objects, with the definedness guards), `messages` (what a
student reads when the text cannot be read), `typed` (the answer printed in the student's own
form, from the parse tree) and `hints` (readings a student may not have meant).

The text goes through a hand-written tokenizer (which knows the whitelisted names, the
declared variables and the Unicode spellings), then a Lark LALR grammar that gives the parse
tree, from which the builder makes sympy objects. Nothing in the text is ever evaluated as
Python: a name becomes a sympy object only by being looked up in ``app.cas.symbols``.

Syntax decisions
----------------
Where the contract leaves a choice open, the parser follows what students usually mean;
the preview ("we read your answer as ...") always shows the reading.

- Implicit multiplication binds tighter than ``*`` and ``/``: ``1/2x`` is ``1/(2*x)`` and
  ``1/2sqrt(x)`` is ``1/(2*sqrt(x))``, as in handwriting. ``1/2*x`` is ``x/2``.
- A power binds to one factor: ``e^2x`` is ``e^2*x`` and ``e^x(1-x)`` is ``e^x*(1-x)``;
  write ``e^(2x)``. A sign may start an exponent: ``e^-x`` is ``e^(-x)``, ``x^-2`` is
  ``1/x^2``; ``e^-2x`` is therefore ``e^(-2)*x``, and the preview adds the hint "did you mean
  e^(-2x)?" (`hints`) when a power of ``e`` is typed directly against a variable.
- Prime notation is refused with its own message: ``σ'(u)``, ``f'(x)``, ``(...)'`` (also with
  ``′`` or ``’``): the derivative has to be typed as an expression.
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

from collections.abc import Iterable
from dataclasses import dataclass

import sympy as sp
from lark import Tree
from lark.exceptions import UnexpectedInput

from app.cas.errors import AnswerError
from app.cas.i18n import _
from app.cas.parse.build import build, check_defined
from app.cas.parse.grammar import PARSER
from app.cas.parse.messages import syntax_error
from app.cas.parse.tokens import Tokenizer, check_characters_and_parentheses, validate_variables
from app.cas.symbols import MAX_LENGTH

__all__ = ["Reading", "parse", "read", "validate_variables"]


@dataclass(frozen=True, eq=False)
class Reading:
    """An answer as the engine read it: the text, its parse tree (tokens keep their
    positions and spellings) and the sympy expression built from the tree."""

    text: str
    tree: Tree
    expr: sp.Expr

    def written(self) -> sp.Expr:
        """The answer exactly as written, every node unevaluated: what a requirement on the
        answer's form (factored, one fraction, no exponentials) is checked on."""
        return build(self.tree, as_written=True)


def parse(text: str, variables: Iterable[str] | None = None) -> sp.Expr:
    """Parse ``text`` (contract section 1) into a sympy expression.

    With ``variables=None`` every identifier that is not a function or constant is a
    variable; with a list, any other identifier is an ``unknown_variable`` error.
    Raises ``AnswerError``; raises ``ValueError`` only for an invalid ``variables`` list.
    """
    return read(text, variables).expr


def read(text: str, variables: Iterable[str] | None = None) -> Reading:
    """As `parse`, keeping the parse tree (for printing the answer as typed)."""
    if not isinstance(text, str):
        raise AnswerError("syntax", _("the answer must be text"))
    allowed = None if variables is None else validate_variables(variables)
    if len(text) > MAX_LENGTH:
        raise AnswerError(
            "too_long",
            _("the answer is %(count)s characters long; the limit is %(max_length)s: shorten "
               "it (nothing was cut)") % {"count": format(len(text), ","), "max_length": format(MAX_LENGTH, ",")},
            MAX_LENGTH,
        )
    check_characters_and_parentheses(text)
    tokens = Tokenizer(text, allowed).tokens()
    try:
        tree = PARSER.parse(tokens)
    except UnexpectedInput as exc:
        raise syntax_error(text, exc) from None
    expr = build(tree)
    check_defined(expr)
    return Reading(text, tree, expr)
