"""Plain words for presentation MathML written from LaTeX (latex2mathml): the formulas of
prompts and worked steps, whose LaTeX is the template author's or the derivation's, not a
sympy expression.

The reader follows what is displayed: a row is read left to right, parentheses become "open
paren … close paren", a function name before a group or a name is applied to it ("sigma of
x"), `\\frac{d}{dx}` before something is "the derivative with respect to x of …",
factors side by side are joined by "times" (a number before a name by nothing: "3 x").
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.etree import ElementTree

from app.cas.spoken.expressions import ATOM, CALL, COMPOUND, symbol_words
from app.cas.spoken.words import (
    ACCENTS,
    FUNCTION_NAMES,
    LETTERS,
    OPERATORS,
    ORDINALS,
    number,
    say,
)

NS = "{http://www.w3.org/1998/Math/MathML}"
GROUP = "group"  # parentheses said aloud; what is inside is `inner`
_MINUS = {"-", "−"}
_TIMES = {"⋅", "·", "×", "*", "∗"}
_INVISIBLE = {"\u2061", "\u2062", "\u2063", "\u2064", ""}
_OPEN = {"(": ")", "[": "]", "{": "}", "|": "|", "‖": "‖"}
_SUMS = {"∑", "Σ"}
_DERIVATIVE_MARKS = {"d": False, "∂": True}
# f(x), g(x): one-letter names that are functions when a group follows them.
_FUNCTION_LETTERS = {"f", "g", "h"}


@dataclass
class Item:
    words: str
    kind: str  # ATOM, CALL, GROUP, COMPOUND, or "op", "function", "operator-of"
    inner: Item | None = None  # a group's contents
    symbol: str = ""  # an operator's character, a function's name, a derivative's variable
    weak: bool = False  # a function only when a group follows (f(x))
    order: str | None = None  # of a derivative operator written d²/dx²


def mathml_words(markup: str) -> str:
    """The words of a `<math>` element; "" when the markup cannot be read."""
    try:
        # Only the engine's own MathML comes here (latex2mathml of template and derivation
        # LaTeX): no DOCTYPE, no entity declarations, nothing from a student.
        root = ElementTree.fromstring(markup)  # noqa: S314
    except ElementTree.ParseError:
        return ""
    return _Reader().element(root).words


def _tag(element) -> str:
    return element.tag.removeprefix(NS)


def _text(element) -> str:
    return "".join(element.itertext()).strip()


def _children(element) -> list:
    """The parts of a row, through rows of one element."""
    parts = [element]
    while len(parts) == 1 and _tag(parts[0]) in ("mrow", "mstyle"):
        parts = list(parts[0])
    return parts


def _mark(element) -> tuple[str | None, str | None]:
    """("d" or "∂", the order written as d² / ∂², or None) when `element` is a derivative's d."""
    if _tag(element) == "msup":
        base, exponent = list(element)
        mark, _ = _mark(base)
        return (mark, _text(exponent)) if mark else (None, None)
    text = _text(element)
    return (text, None) if _tag(element) in ("mi", "mo") and text in _DERIVATIVE_MARKS \
        else (None, None)


class _Reader:
    def element(self, element) -> Item:
        tag = _tag(element)
        handler = getattr(self, "_" + tag, None)
        if handler is not None:
            return handler(element)
        if tag in ("math", "mrow", "mstyle", "mpadded", "menclose", "semantics", "mtd"):
            return self.row(list(element))
        if tag in ("mspace", "mphantom", "annotation", "annotation-xml"):
            return Item("", "skip")
        return Item(_text(element), ATOM)

    # ---- Leaves

    def _mi(self, element) -> Item:
        text = _text(element)
        if text in OPERATORS or text in ("±", "∓"):  # latex2mathml writes \pm as an mi
            return Item(text, "op", symbol=text)
        if text in FUNCTION_NAMES and (len(text) > 1 or text == "σ"):
            return Item(FUNCTION_NAMES[text], "function", symbol=text)
        if text in _FUNCTION_LETTERS:
            return Item(text, "function", symbol=text, weak=True)
        return Item(LETTERS.get(text) or symbol_words(text), ATOM, symbol=text)

    def _mn(self, element) -> Item:
        return Item(number(_text(element)), ATOM, symbol=_text(element))

    def _mo(self, element) -> Item:
        text = _text(element)
        if text in _INVISIBLE:
            return Item("", "skip")
        if text in _SUMS:
            return Item("", "operator-of", symbol=text)
        return Item(text, "op", symbol=text)

    def _mtext(self, element) -> Item:
        return Item(_text(element), ATOM)

    # ---- Layout

    def _mfrac(self, element) -> Item:
        top_element, bottom_element = list(element)
        derivative = self._derivative(_children(top_element), _children(bottom_element))
        if derivative is not None:
            return derivative
        top, bottom = self.element(top_element), self.element(bottom_element)
        if top.kind in (ATOM, CALL) and bottom.kind in (ATOM, CALL):
            return Item(say("over", a=top.words, b=bottom.words), COMPOUND)
        return Item(say("fraction", a=top.words, b=bottom.words), COMPOUND)

    def _derivative(self, top: list, bottom: list) -> Item | None:
        """d/dx (an operator waiting for what follows), dL/dx, ∂L/∂w, d²/dx²."""
        if not top or len(bottom) != 2:
            return None
        mark, order = _mark(top[0])
        if mark is None or _mark(bottom[0])[0] != mark:
            return None
        variable = bottom[1]
        if order is not None and _tag(variable) == "msup":
            variable = list(variable)[0]
        x = self.element(variable).words
        partial = _DERIVATIVE_MARKS[mark]
        if len(top) == 1:
            return Item("", "operator-of", symbol="partial" if partial else "d",
                        inner=Item(x, ATOM), order=order)
        of = self.row(top[1:]).words
        if order not in (None, "1"):
            return Item(say("derivative_n", n=number(order), a=of, x=x), COMPOUND)
        return Item(say("partial" if partial else "derivative", a=of, x=x), COMPOUND)

    def _msup(self, element) -> Item:
        base, exponent = (self.element(child) for child in element)
        if exponent.symbol in ("′", "'") or exponent.words in ("′", "'"):
            return self._primed(base, "prime")
        if exponent.symbol == "″" or exponent.words == "″":
            return self._primed(base, "double_prime")
        base_words = base.words if base.kind in (ATOM, CALL, GROUP) else say("group", a=base.words)
        if exponent.symbol == "2":
            return Item(say("squared", a=base_words), COMPOUND)
        if exponent.symbol == "3":
            return Item(say("cubed", a=base_words), COMPOUND)
        if exponent.symbol.isdigit() and int(exponent.symbol) in ORDINALS:
            return Item(say("power", a=base_words, b=ORDINALS[int(exponent.symbol)]), COMPOUND)
        simple = exponent.kind in (ATOM, CALL) or exponent.words.startswith("minus ") and \
            len(exponent.words.split()) == 2
        return Item(say("power" if simple else "power_long", a=base_words, b=exponent.words),
                    COMPOUND)

    def _primed(self, base: Item, phrase: str) -> Item:
        words = say(phrase, a=base.words)
        if base.kind == "function":
            return Item(words, "function", symbol=base.symbol)
        return Item(words, ATOM)

    def _msub(self, element) -> Item:
        base_element, sub_element = list(element)
        sub = self.element(sub_element)
        parts = _children(base_element)
        if len(parts) > 1 and _tag(parts[-1]) == "mo" and _text(parts[-1]) == "|":
            # \left. … \right|_{u = …}: evaluated at
            return Item(say("evaluated", a=self.row(parts[:-1]).words, x=sub.words), COMPOUND)
        base = self.element(base_element)
        if base.kind == "operator-of":
            return Item("", "operator-of", symbol=base.symbol,
                        inner=Item(say("sum_over", start=sub.words, a="{a}"), ATOM))
        return Item(say("sub", a=base.words, b=sub.words), ATOM)

    def _msubsup(self, element) -> Item:
        base, sub, sup = (self.element(child) for child in element)
        if base.kind == "operator-of":
            return Item("", "operator-of", symbol=base.symbol, inner=Item(
                say("sum_from_to", start=sub.words, end=sup.words, a="{a}"), ATOM))
        subbed = Item(say("sub", a=base.words, b=sub.words), ATOM)
        return Item(say("power", a=subbed.words, b=sup.words), COMPOUND)

    _munderover = _msubsup

    def _munder(self, element) -> Item:
        base, under = (self.element(child) for child in element)
        if base.kind == "operator-of":
            return Item("", "operator-of", symbol=base.symbol,
                        inner=Item(say("sum_over", start=under.words, a="{a}"), ATOM))
        return Item(say("sub", a=base.words, b=under.words), ATOM)

    def _mover(self, element) -> Item:
        base, accent = (self.element(child) for child in element)
        name = ACCENTS.get(accent.symbol or accent.words)
        if name is None:
            return Item(say("power", a=base.words, b=accent.words), COMPOUND)
        if base.symbol == "y" and name == "hat":
            return Item(LETTERS["yhat"], ATOM, symbol="ŷ")
        return Item(say("accent", a=base.words, accent=name), ATOM)

    def _msqrt(self, element) -> Item:
        inner = self.row(list(element))
        return Item(say("sqrt", a=self._argument(inner)), CALL)

    def _mroot(self, element) -> Item:
        body, index = (self.element(child) for child in element)
        return Item(say("root", n=index.words, a=self._argument(body)), CALL)

    def _mtable(self, element) -> Item:
        rows = [self.row(list(row)).words for row in element]
        text = rows[0] if rows else ""
        for row in rows[1:]:
            text = say("list", a=text, b=row)
        return Item(text, COMPOUND)

    # ---- Rows

    def row(self, children) -> Item:
        items = [item for item in (self.element(child) for child in children)
                 if item.kind != "skip"]
        items = self._fences(items)
        items = self._applications(items)
        return self._joined(items)

    def _fences(self, items: list[Item]) -> list[Item]:
        """Parentheses written as separate operators: ( … ) becomes one group item."""
        out: list[Item] = []
        stack: list[tuple[int, str]] = []
        for item in items:
            closes = stack and item.kind == "op" and item.symbol == _OPEN[stack[-1][1]]
            if closes:
                start, opener = stack.pop()
                inner = self._applied_row(out[start + 1:])
                del out[start:]
                out.append(self._group(inner, opener))
            elif item.kind == "op" and item.symbol in _OPEN:
                stack.append((len(out), item.symbol))
                out.append(item)
            else:
                out.append(item)
        return out

    def _applied_row(self, items: list[Item]) -> Item:
        return self._joined(self._applications(items))

    def _group(self, inner: Item, opener: str) -> Item:
        if opener in ("|", "‖"):
            return Item(say("abs", a=self._argument(inner)), CALL)
        return Item(say("group", a=inner.words), GROUP, inner=inner)

    def _argument(self, item: Item) -> str:
        if item.kind == GROUP and item.inner is not None:
            item = item.inner
        return item.words if item.kind in (ATOM, CALL) else say("group", a=item.words)

    def _applications(self, items: list[Item]) -> list[Item]:
        """A function name takes the group or operand after it; d/dx and ∑ take what
        follows up to the next operator."""
        out: list[Item] = []
        index = 0
        while index < len(items):
            item = items[index]
            following = items[index + 1] if index + 1 < len(items) else None
            operand = following is not None and following.kind in (ATOM, CALL, GROUP)
            if item.kind == "function" and item.weak:
                operand = following is not None and following.kind == GROUP
            if item.kind == "function" and operand:
                out.append(Item(say("of", f=item.words, a=self._argument(following)), CALL))
                index += 2
                continue
            if item.kind == "function":
                out.append(Item(item.words, ATOM))
            elif item.kind == "operator-of":
                run, index = self._run(items, index + 1)
                out.append(self._operator_of(item, run))
                continue
            else:
                out.append(item)
            index += 1
        return out

    def _run(self, items: list[Item], start: int) -> tuple[Item, int]:
        end = start
        while end < len(items) and items[end].kind != "op":
            end += 1
        return self._joined(self._applications(items[start:end])), end

    def _operator_of(self, item: Item, run: Item) -> Item:
        target = run.words if run.kind in (ATOM, CALL, GROUP) or item.symbol in _SUMS \
            else say("group", a=run.words)
        if item.symbol in ("d", "partial"):
            if item.order not in (None, "1"):
                return Item(say("derivative_n_of", n=number(item.order), x=item.inner.words,
                                a=target), COMPOUND)
            phrase = "partial_of" if item.symbol == "partial" else "derivative_of"
            return Item(say(phrase, x=item.inner.words, a=target), COMPOUND)
        if item.inner is not None:
            return Item(item.inner.words.format(a=target), COMPOUND)
        return Item(say("sum", a=target), COMPOUND)

    def _joined(self, items: list[Item]) -> Item:
        """Operands with the operators between them; side by side means times. An operator
        with no operand on its left (a leading minus, `= -5`) is a sign of what follows."""
        if len(items) == 1 and items[0].kind != "op":
            return items[0]
        text = ""
        previous: Item | None = None
        binary: str | None = None
        signs: list[str] = []
        for item in items:
            if item.kind == "op":
                if previous is None or binary is not None:
                    signs.append(item.symbol)
                else:
                    binary = item.symbol
                continue
            words = item.words
            for symbol in reversed(signs):
                words = say("negative", a=words) if symbol in _MINUS else \
                    say("signed", op=self._operator_word(symbol), a=words)
            signs = []
            text = words if previous is None else self._pair(text, previous, binary, item, words)
            previous, binary = item, None
        dangling = ([binary] if binary else []) + signs
        for symbol in dangling:
            text = say("trailing", a=text, op=self._operator_word(symbol)).strip()
        return Item(text, COMPOUND)

    def _pair(self, text: str, previous: Item, binary: str | None, item: Item,
              words: str) -> str:
        if binary is None:
            scaled = previous.symbol.isdigit() and not item.symbol.isdigit()
            return say("scaled" if scaled else "times", a=text, b=words)
        if binary in _MINUS:
            return say("minus", a=text, b=words)
        if binary == "+":
            return say("plus", a=text, b=words)
        if binary in _TIMES:
            return say("times", a=text, b=words)
        if binary == "/":
            return say("over", a=text, b=words)
        if binary == ",":
            return say("list", a=text, b=words)
        return say("relation", a=text, op=self._operator_word(binary), b=words)

    def _operator_word(self, symbol: str) -> str:
        if symbol in _MINUS:
            return "minus"
        if symbol == "+":
            return "plus"
        if symbol in _TIMES:
            return "times"
        return OPERATORS.get(symbol, symbol)
