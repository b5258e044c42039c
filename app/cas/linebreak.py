"""Display equations that wrap on a narrow screen.

Browsers do not break a MathML formula across lines: a long step of a worked solution is cut
at the edge of a phone. So a formula is cut here, at the places a teacher would break it,
into a row of small ``<math>`` elements with a ``<wbr>`` between them; the browser then wraps
them like words, only where the line is full. The places, by preference: before a relation (=, ≤ …),
before a binary + or −, and before an explicit · or × outside parentheses; a piece that is
still too long for a phone's line is broken before a + or − inside its parentheses too, the
outermost first (the parentheses are then split between pieces). Nothing else is ever split: a
function stays with its argument, a fraction, power or root stays whole, and parentheses
around a fraction (whose size depends on it) are never split.

Pieces keep the display style of the whole (full-size fractions), and an operator that starts
a continuation line keeps its binary spacing. Works on any presentation MathML this project
makes (latex2mathml's for steps and prompts, the engine's printers for answers).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from functools import lru_cache
from html import escape

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_NS = "{" + MATHML_NS + "}"
ET.register_namespace("", MATHML_NS)

RELATIONS = frozenset("=≠<>≤≥≈≡∼≃→⇒")
BINARY = frozenset("+−-±∓")
PRODUCTS = frozenset("·×⋅")
OPENING = {"(": ")", "[": "]", "{": "}", "|": "|"}
# Tall content: parentheses around it stretch to its height, so they must stay in one piece.
TALL = frozenset({"mfrac", "munder", "mover", "munderover", "msqrt", "mroot", "mtable"})
# A piece longer than this many characters (about a phone's line of display math) is broken
# inside its parentheses too; a shorter one moves to the next line whole.
LONG = 30
_DISPLAY_MATH = re.compile(r"<math\b[^>]*\bdisplay=\"block\"[^>]*>.*?</math>", re.S)


def _local(element: ET.Element) -> str:
    return element.tag.removeprefix(_NS)


def _text(element: ET.Element) -> str:
    return (element.text or "").strip()


def _fenced(row: ET.Element) -> bool:
    """An ``<mrow>`` that is one pair of parentheses around its content."""
    children = list(row)
    if len(children) < 3 or _local(children[0]) != "mo" or _local(children[-1]) != "mo":
        return False
    opening, closing = _text(children[0]), _text(children[-1])
    return OPENING.get(opening) == closing


def _tall(element: ET.Element) -> bool:
    return any(_local(node) in TALL for node in element.iter())


class _Pieces:
    """Walks a formula's top row, collecting its elements and where a line may break."""

    def __init__(self) -> None:
        self.items: list[ET.Element] = []
        # Where a piece may start: (index into items, how many parentheses are open there).
        self.breaks: list[tuple[int, int]] = []
        self.depth = 0  # parentheses open around the current position

    def walk(self, children: list[ET.Element]) -> None:
        for child in children:
            name = _local(child)
            if name == "mrow" and not _fenced(child):
                self.walk(list(child))  # grouping only: no mark on the page
            elif name == "mrow" and not _tall(child):
                inner = list(child)
                self.add(inner[0])
                self.depth += 1
                self.walk(inner[1:-1])
                self.depth -= 1
                self.add(inner[-1])
            elif name == "mo":
                self.operator(child)
            else:
                self.add(child)

    def operator(self, mo: ET.Element) -> None:
        text = _text(mo)
        if text in OPENING and text != "|":
            self.add(mo)
            self.depth += 1
            return
        if text in (")", "]", "}"):
            self.depth = max(self.depth - 1, 0)
            self.add(mo)
            return
        binary = self.items and not self._after_operator()
        if binary and (text in RELATIONS or text in BINARY
                       or (text in PRODUCTS and self.depth == 0)):
            self.breaks.append((len(self.items), self.depth))
            mo.set("form", "infix")  # keeps binary spacing when it starts a line
        self.add(mo)

    def _after_operator(self) -> bool:
        last = self.items[-1]
        return _local(last) == "mo" and _text(last) not in (")", "]", "}", "|")

    def add(self, element: ET.Element) -> None:
        self.items.append(element)


def _own_width(element: ET.Element) -> float | None:
    """The width of a leaf, or None for an element made of its children."""
    name = _local(element)
    if name in ("mi", "mn", "mtext"):
        return len(_text(element))
    if name == "mo":
        text = _text(element)
        if text in ("\u2061", "\u2062", ""):
            return 0
        # Parentheses are narrow and take no spacing; other operators have room either side.
        return 1 if text in OPENING or text in ")]}" else len(text) + 1
    return None


def _combined(element: ET.Element, widths: list[float]) -> float:
    name = _local(element)
    if name == "mfrac" and len(widths) == 2:
        return max(widths)
    if name in ("msup", "msub", "msubsup") and widths:
        return widths[0] + 0.7 * sum(widths[1:])
    return sum(widths) + (1 if name in ("msqrt", "mroot") else 0)


def glyphs(element: ET.Element) -> float:
    """A rough width of `element`, in characters: enough to tell a short piece from one
    that will not fit a phone's line. Walked without recursion: an answer of 2,000
    characters can nest a fraction a thousand levels deep (x/x/x/…)."""
    done: dict[int, float] = {}
    stack: list[tuple[ET.Element, bool]] = [(element, False)]
    while stack:
        node, expanded = stack.pop()
        own = _own_width(node)
        if own is not None:
            done[id(node)] = own
        elif not expanded:
            stack.append((node, True))
            stack.extend((child, False) for child in node)
        else:
            done[id(node)] = _combined(node, [done[id(child)] for child in node])
    return done[id(element)]


def _starts(pieces: _Pieces) -> list[int]:
    """The breaks to offer: every one outside parentheses, and inside parentheses only those
    of a piece still too long for a narrow line, one level deeper at a time; a browser
    wrapping greedily would otherwise break inside σ(3x + 2) with a good place just before
    it."""
    size = len(pieces.items)
    inner = [(k, depth) for k, depth in pieces.breaks if 0 < k < size]
    chosen = {k for k, depth in inner if depth == 0}
    for level in range(1, max((depth for _, depth in inner), default=0) + 1):
        bounds = [0, *sorted(chosen), size]
        for a, b in zip(bounds, bounds[1:], strict=False):
            if sum(glyphs(item) for item in pieces.items[a:b]) > LONG:
                chosen.update(k for k, depth in inner if depth == level and a < k < b)
    return sorted(chosen)


def _piece(items: list[ET.Element], display: bool, hidden: bool) -> str:
    math = ET.Element(_NS + "math")
    if display:
        math.set("displaystyle", "true")
    if hidden:
        math.set("aria-hidden", "true")
    row = ET.SubElement(math, _NS + "mrow")
    row.extend(items)
    return ET.tostring(math, encoding="unicode")


@lru_cache(maxsize=2048)
def breakable(markup: str, css_class: str = "math-lines") -> str:
    """`markup` (one ``<math>`` element) as pieces a browser can wrap, in a ``<span>`` of
    `css_class`; unchanged when there is nowhere to break it or it is not well formed."""
    try:
        # The engine's own printers' output, never text from outside.
        root = ET.fromstring(markup)  # noqa: S314
    except ET.ParseError:
        return markup
    if _local(root) != "math":
        return markup
    pieces = _Pieces()
    pieces.walk(list(root))
    starts = _starts(pieces)
    if not starts:
        return markup
    display = root.get("display") == "block" or root.get("displaystyle") == "true"
    bounds = [0, *starts, len(pieces.items)]
    words = root.get("aria-label") or root.get("alttext")
    parts = [_piece(pieces.items[a:b], display, hidden=bool(words))
             for a, b in zip(bounds, bounds[1:], strict=False)]
    # The pieces are one formula: a screen reader hears it once, in the words of the whole.
    label = f' role="math" aria-label="{escape(words, quote=True)}"' if words else ""
    # <wbr>: a place to break with no space of its own (the operator brings its spacing).
    return f'<span class="{css_class}"{label}>' + "<wbr>".join(parts) + "</span>"


def breakable_html(html: str) -> str:
    """Every display formula in `html` (a rendered prompt) made breakable."""
    return _DISPLAY_MATH.sub(lambda match: breakable(match.group(0)), html)
