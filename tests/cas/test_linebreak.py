"""Formulas cut into pieces a narrow screen can wrap (app.cas.linebreak): nothing lost, cut
only where a teacher would break a line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from latex2mathml.converter import convert

from app.cas import linebreak
from app.cas.parse import as_typed, parse, read
from app.cas.render import to_mathml

M = "{http://www.w3.org/1998/Math/MathML}"


def _pieces(html: str) -> list[ET.Element]:
    assert html.startswith('<span class="math-lines">') and html.endswith("</span>")
    inner = html.removeprefix('<span class="math-lines">').removesuffix("</span>")
    return [ET.fromstring(part) for part in inner.split("<wbr>")]


def _text(element: ET.Element) -> str:
    return "".join(element.itertext()).replace(" ", "")


def _block(latex: str) -> str:
    return convert(latex, display="block")


def test_a_chain_of_equalities_breaks_before_each_relation_and_loses_nothing():
    markup = _block(r"\frac{d}{dx}\sigma(x) = \sigma(x)\left(1 - \sigma(x)\right) = "
                    r"\frac{e^{-x}}{\left(1 + e^{-x}\right)^{2}}")
    pieces = _pieces(linebreak.breakable(markup))
    assert len(pieces) == 3
    assert [_text(p)[0] for p in pieces[1:]] == ["=", "="]
    assert "".join(_text(p) for p in pieces) == _text(ET.fromstring(markup))
    for piece in pieces:
        assert piece.get("displaystyle") == "true"  # full-size fractions, as displayed
    first_op = pieces[1].find(f".//{M}mo")
    assert first_op.get("form") == "infix"  # keeps its spacing at the start of a line


def test_a_short_product_is_never_cut_inside_its_parentheses():
    markup = to_mathml(parse("sigma(3*x + 2)*(1 - sigma(3*x + 2))", ["x"]))
    assert linebreak.breakable(markup) == markup  # nothing outside parentheses to break at


def test_a_long_sum_in_parentheses_breaks_inside_them():
    latex = (r"\frac{d}{dw}\left(- t \log{\left(\sigma\left(b + w x\right) \right)} - "
             r"\log{\left(1 - \sigma\left(b + w x\right) \right)} \left(1 - t\right)\right)")
    pieces = _pieces(linebreak.breakable(_block(latex)))
    assert len(pieces) == 2
    assert _text(pieces[1]).startswith("−log")


def test_a_unary_minus_is_not_a_break_and_a_fraction_stays_whole():
    markup = _block(r"-\frac{1}{1 + e^{-x}} = -x")
    pieces = _pieces(linebreak.breakable(markup))
    assert len(pieces) == 2
    assert pieces[0].find(f".//{M}mfrac") is not None and _text(pieces[0]).startswith("−")


def test_parentheses_around_a_fraction_are_not_split():
    markup = _block(r"2 \left(\frac{1 + e^{x}}{\left(e^{x} + 1\right)^{2}} - "
                    r"\frac{1}{\left(e^{x} + 1\right)^{2}} + \frac{1}{2} - \frac{1}{3} "
                    r"+ \frac{1}{4}\right)")
    assert linebreak.breakable(markup) == markup


def test_an_answer_as_typed_breaks_between_its_terms():
    tree = read("-(t*log(yhat) + (1 - t)*log(1 - yhat)) + t*yhat + yhat^2",
                ["t", "yhat"]).tree
    html = linebreak.breakable(as_typed.mathml(tree), "math-run")
    assert html.startswith('<span class="math-run"') and html.count("<wbr>") >= 2
    assert 'role="math"' in html and html.count('aria-hidden="true"') == html.count("<math")


def test_what_is_not_well_formed_is_left_alone():
    assert linebreak.breakable("<math><mi>x</mi>") == "<math><mi>x</mi>"
    assert linebreak.breakable("<b>x</b>") == "<b>x</b>"


def test_only_display_formulas_of_a_prompt_are_cut():
    inline = convert("a + b = c", display="inline")
    block = _block("a + b = c + d")
    html = f"<p>Here {inline} and</p><p>{block}</p>"
    result = linebreak.breakable_html(html)
    assert inline in result
    assert result.count('<span class="math-lines">') == 1
    assert re.search(r"<p><span class=\"math-lines\">.*</span></p>", result)


def test_the_estimated_width_counts_what_is_drawn():
    assert linebreak.glyphs(ET.fromstring(_block(r"\frac{abc}{d}"))) == 3
    assert linebreak.glyphs(ET.fromstring(_block("x + y"))) == 4
