"""The grammar: an LALR parser over the tokenizer's tokens, giving Lark's tree of the text
(which `app.cas.parse.build` turns into sympy and `app.cas.parse.typed` prints as typed)."""

from __future__ import annotations

from collections.abc import Iterator

from lark import Lark
from lark.lexer import Lexer, Token

GRAMMAR = r"""
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


class TokenLexer(Lexer):
    """Feeds the tokenizer's list to Lark (the tokenizer already did the hard part)."""

    def __init__(self, lexer_conf) -> None:  # noqa: D107 - signature fixed by Lark
        pass

    def lex(self, data: list[Token]) -> Iterator[Token]:  # type: ignore[override]
        return iter(data)


# No transformer: the tree is kept, for printing the answer in the student's own form; it
# costs about a tenth of building the sympy expression from it.
PARSER = Lark(GRAMMAR, parser="lalr", lexer=TokenLexer, maybe_placeholders=False)
