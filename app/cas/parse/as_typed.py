"""An answer printed in the student's own form, from its parse tree: their structure, their
decimals and function names, their parentheses, but every implicit reading made explicit.

Sympy's printers show the expression the engine built: `e^-s/(1+e^-s)^2` comes out as
1/((1 + e^-s)² e^s) and `0.1966` as 983/5000, which is true but not what the student typed,
so they cannot check their own reading. This printer works on the tree instead:

- an implicit product gets a visible dot: `2x` is 2·x, `wx` (two declared variables) w·x;
- a division is a fraction, so its reach shows: `1/2x` is 1 over 2·x;
- an exponent is a superscript, so `e^-x` shows e^(−x) and `e^-2x` shows e^(−2)·x;
- ``sin^2(x)`` stays sin²(x), ``ln`` stays ln, `0.1966` stays 0.1966.

Three outputs: presentation MathML (the page), LaTeX (API clients), and plain text in the
answer syntax with every product written ``*`` and the parentheses the reading needs
(`1/(2*x)`, `e^(-2)*x`), which parses back to the same expression. Chains (a 1,000-term sum,
a run of signs) are walked in loops, so only real nesting (at most `MAX_DEPTH` levels) recurses.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from lark import Token, Tree

from app.cas.parse.tokens import SUPERSCRIPTS
from app.cas.spoken import labelled, mathml_words

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
SIGMAS = frozenset({"σ", "sigma", "sigmoid"})
_LATEX_FUNCTIONS = frozenset({"sin", "cos", "tan", "sec", "csc", "cot", "sinh", "cosh", "tanh",
                              "coth", "exp", "log", "ln", "arcsin", "arccos", "arctan"})
_GREEK = {name: chr(code) for name, code in (
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4),
    ("epsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9),
    ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE),
    ("rho", 0x3C1), ("tau", 0x3C4), ("phi", 0x3C6), ("chi", 0x3C7), ("psi", 0x3C8),
    ("omega", 0x3C9))}
_SIGNS = {"neg": "−", "pos": "+"}


# --- a small layout tree, printed to MathML and LaTeX -------------------------------------


@dataclass(frozen=True)
class Ident:
    text: str  # a variable, constant or function name as displayed
    latex: str
    function: bool = False


@dataclass(frozen=True)
class Num:
    text: str


@dataclass(frozen=True)
class Op:
    text: str  # "+", "−", "·"
    prefix: bool = False


@dataclass(frozen=True)
class Row:
    items: tuple


@dataclass(frozen=True)
class Frac:
    num: object
    den: object


@dataclass(frozen=True)
class Sup:
    base: object
    exp: object


@dataclass(frozen=True)
class Sub:
    base: object
    sub: object


@dataclass(frozen=True)
class Hat:
    base: Ident


@dataclass(frozen=True)
class Fence:
    inner: object
    open: str = "("
    close: str = ")"


@dataclass(frozen=True)
class Root:
    inner: object


def _ident(name: str) -> object:
    if name == "yhat":
        return Hat(Ident("y", "y"))
    base, _, sub = name.partition("_")
    if sub and base:
        return Sub(_ident(base), _ident(sub) if not sub.isdigit() else Num(sub))
    if name in _GREEK:
        return Ident(_GREEK[name], "\\" + name)
    return Ident(name, name if len(name) == 1 else rf"\mathrm{{{name}}}")


def _number(text: str) -> object:
    mantissa, marker, exponent = text.lower().partition("e")
    if not marker:
        return Num(text)
    power = Num(exponent.lstrip("+")) if not exponent.startswith("-") else Row(
        (Op("−", prefix=True), Num(exponent[1:])))
    return Row((Num(mantissa), Op("×"), Sup(Num("10"), power)))


def _const(name: str) -> Ident:
    return Ident("π", r"\pi") if name in ("pi", "π") else Ident("e", "e")


def _function(name: str) -> Ident:
    if name in SIGMAS:
        return Ident("σ", r"\sigma", function=True)
    latex = "\\" + name if name in _LATEX_FUNCTIONS else rf"\operatorname{{{name}}}"
    return Ident(name, latex, function=True)


def _unfenced(tree) -> object:
    """The box of a subtree, without the parentheses typed around all of it (a fraction's
    bar or an exponent's height already groups it)."""
    if isinstance(tree, Tree) and tree.data == "group":
        return layout(tree.children[1])
    return layout(tree)


def _applied(func: Token, arg, power=None) -> object:
    inner = layout(arg)
    name = str(func)
    if name == "sqrt":
        applied = Root(inner)
    elif name == "abs":
        applied = Fence(inner, "|", "|")
    else:
        head = _function(name)
        return Row((head if power is None else Sup(head, power), Fence(inner)))
    return applied if power is None else Sup(applied, power)


def _left_chain(tree: Tree, kinds: frozenset[str]) -> list:
    """The operands and operators of a left-leaning chain (a - b + c, a*b/c, 2xy):
    ``[first, (op, second), (op, third), ...]`` with op the token (None for juxtaposition)."""
    parts: list = []
    node = tree
    while isinstance(node, Tree) and node.data in kinds:
        *left, right = node.children
        op = left[1] if len(left) == 2 else None
        parts.append((op, right))
        node = left[0]
    parts.append(node)
    parts.reverse()
    return parts


def _signs(tree: Tree) -> tuple[list[str], object]:
    """A run of unary signs (``--x``, ``-+x``) and what they apply to."""
    signs = []
    node = tree
    while isinstance(node, Tree) and node.data in _SIGNS:
        signs.append(node.data)
        node = node.children[1]
    return signs, node


def layout(tree) -> object:
    """The layout box of a parse subtree."""
    kind = tree.data
    children = tree.children
    if kind == "number":
        return _number(str(children[0]))
    if kind == "name":
        return _ident(str(children[0]))
    if kind == "const":
        return _const(str(children[0]))
    if kind == "group":
        return Fence(layout(children[1]))
    if kind == "call":
        return _applied(children[0], children[2])
    if kind == "powcall":
        return _applied(children[0], children[4], _unfenced(children[2]))
    if kind == "supcall":
        return _applied(children[0], children[3], Num(str(SUPERSCRIPTS[str(children[1])])))
    if kind in ("pow", "sup"):
        exponent = (Num(str(SUPERSCRIPTS[str(children[1])])) if kind == "sup"
                    else _unfenced(children[2]))
        return Sup(layout(children[0]), exponent)
    if kind in _SIGNS:
        signs, operand = _signs(tree)
        return Row((*(Op(_SIGNS[s], prefix=True) for s in signs), layout(operand)))
    if kind in ("add", "sub"):
        first, *rest = _left_chain(tree, frozenset({"add", "sub"}))
        items: list = [layout(first)]
        for op, operand in rest:
            items += [Op("+" if op.type == "PLUS" else "−"), layout(operand)]
        return Row(tuple(items))
    if kind == "imul":
        first, *rest = _left_chain(tree, frozenset({"imul"}))
        items = [layout(first)]
        for _, operand in rest:
            items += [Op("·"), layout(operand)]
        return Row(tuple(items))
    return _product(tree)


def _product(tree: Tree) -> object:
    """``a*b/c*d``: products with a visible dot, each division a fraction of what is left of
    it (the chain is read from the left, as it is evaluated)."""
    first, *rest = _left_chain(tree, frozenset({"mul", "div"}))
    items = [layout(first)]
    for op, operand in rest:
        if op.type == "DIV":
            left = items[0] if len(items) == 1 else Row(tuple(items))
            items = [Frac(_strip(left), _unfenced(operand))]
        else:
            items += [Op("·"), layout(operand)]
    return items[0] if len(items) == 1 else Row(tuple(items))


def _strip(box: object) -> object:
    return box.inner if isinstance(box, Fence) and box.open == "(" else box


# --- MathML ---------------------------------------------------------------------------------


def _mrow(box: object) -> str:
    text = _ml(box)
    return text if text.startswith("<mrow>") else f"<mrow>{text}</mrow>"


def _ml(box: object) -> str:
    if isinstance(box, Ident):
        text = f"<mi>{escape(box.text)}</mi>"
        return text + "<mo>\u2061</mo>" if box.function else text
    if isinstance(box, Num):
        return f"<mn>{escape(box.text)}</mn>"
    if isinstance(box, Op):
        form = ' form="prefix"' if box.prefix else ""
        return f"<mo{form}>{escape(box.text)}</mo>"
    if isinstance(box, Row):
        return "<mrow>" + "".join([_ml(item) for item in box.items]) + "</mrow>"
    if isinstance(box, Frac):
        return f"<mfrac>{_mrow(box.num)}{_mrow(box.den)}</mfrac>"
    if isinstance(box, Sup):
        base = box.base
        if isinstance(base, Ident) and base.function:
            base = Ident(base.text, base.latex)  # the application sign follows the power
            return f"<msup>{_ml(base)}{_mrow(box.exp)}</msup><mo>\u2061</mo>"
        return f"<msup>{_mrow(box.base)}{_mrow(box.exp)}</msup>"
    if isinstance(box, Sub):
        return f"<msub>{_ml(box.base)}{_ml(box.sub)}</msub>"
    if isinstance(box, Hat):
        return f'<mover accent="true">{_ml(box.base)}<mo>^</mo></mover>'
    if isinstance(box, Fence):
        return (f'<mrow><mo fence="true">{escape(box.open)}</mo>{_ml(box.inner)}'
                f'<mo fence="true">{escape(box.close)}</mo></mrow>')
    if isinstance(box, Root):
        return f"<msqrt>{_ml(box.inner)}</msqrt>"
    raise TypeError(f"no MathML for {box!r}")


def mathml(tree: Tree) -> str:
    """Presentation MathML of the answer as typed, a complete ``<math>`` element, labelled
    in plain words for screen readers (read from the same layout, so they follow what the
    student sees)."""
    markup = f'<math xmlns="{MATHML_NS}">{_mrow(layout(tree))}</math>'
    return labelled(markup, mathml_words(markup))


# --- LaTeX ----------------------------------------------------------------------------------


def _tex(box: object) -> str:
    if isinstance(box, Ident):
        return box.latex
    if isinstance(box, Num):
        return box.text
    if isinstance(box, Op):
        return {"−": "-", "·": r"\cdot", "×": r"\times"}.get(box.text, box.text)
    if isinstance(box, Row):
        return " ".join([_tex(item) for item in box.items])
    if isinstance(box, Frac):
        return rf"\frac{{{_tex(box.num)}}}{{{_tex(box.den)}}}"
    if isinstance(box, Sup):
        return f"{{{_tex(box.base)}}}^{{{_tex(box.exp)}}}"
    if isinstance(box, Sub):
        return f"{{{_tex(box.base)}}}_{{{_tex(box.sub)}}}"
    if isinstance(box, Hat):
        return rf"\hat{{{_tex(box.base)}}}"
    if isinstance(box, Fence):
        opening, closing = (r"\left(", r"\right)") if box.open == "(" else (r"\left|", r"\right|")
        return f"{opening}{_tex(box.inner)}{closing}"
    if isinstance(box, Root):
        return rf"\sqrt{{{_tex(box.inner)}}}"
    raise TypeError(f"no LaTeX for {box!r}")


def latex(tree: Tree) -> str:
    """LaTeX of the answer as typed."""
    return _tex(layout(tree))
