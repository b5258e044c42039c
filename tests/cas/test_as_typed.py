"""The answer shown in the student's own form (app.cas.parse.as_typed, typed_plain), the hints
beside it (hints) and the prime-notation errors: what "we read your answer as" says."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from latex2mathml.converter import convert

from app.cas.errors import AnswerError
from app.cas.parse import as_typed, hints, parse, read, typed_plain
from app.cas.symbols import MAX_DEPTH, MAX_LENGTH

VARIABLES = ["x", "y", "s", "t", "w", "yhat", "z"]
M = "{http://www.w3.org/1998/Math/MathML}"


def _math(text: str, variables=VARIABLES) -> ET.Element:
    return ET.fromstring(as_typed.mathml(read(text, variables).tree))


def _plain(text: str, variables=VARIABLES) -> str:
    return typed_plain.plain(read(text, variables).tree)


def _texts(root: ET.Element, tag: str) -> list[str]:
    return [node.text for node in root.iter(M + tag)]


@pytest.mark.parametrize(("text", "plain"), [
    # The examples: the structure and the decimals stay as typed.
    ("e^-s/(1+e^-s)^2", "e^(-s)/(1 + e^(-s))^2"),
    ("0.1966", "0.1966"),
    ("2e^-2x", "2*e^(-2)*x"),
    # Every implicit reading spelt out.
    ("1/2x", "1/(2*x)"),
    ("wx", "w*x"),
    ("σ(x)(1-σ(x))", "σ(x)*(1 - σ(x))"),
    ("sin^2(x)", "sin(x)^2"),
    ("sin²(x) + x³", "sin(x)^2 + x^3"),
    ("-(t log(ŷ) + (1-t) ln(1-ŷ))", "-(t*log(yhat) + (1 - t)*ln(1 - yhat))"),
    ("x/-2y", "x/(-2*y)"),
    ("x/-y", "x/-y"),
    ("2^3^2", "2^3^2"),
    ("x²^3", "(x^2)^3"),
    (".5x", ".5*x"),
    ("5.1e-2", "5.1e-2"),
    ("x − −x", "x - -x"),
    ("2·x×y", "2*x*y"),
])
def test_plain_keeps_the_form_and_spells_out_the_reading(text, plain):
    assert _plain(text) == plain
    assert parse(plain, VARIABLES) == parse(text, VARIABLES)


def test_mathml_shows_the_structure_typed():
    root = _math("e^-s/(1+e^-s)^2")
    fraction = root.find(f".//{M}mfrac")
    assert fraction is not None
    numerator, denominator = list(fraction)
    assert numerator.find(f".//{M}msup") is not None  # e^(-s) over ...
    assert denominator.find(f"{M}msup") is not None  # ... (1 + e^(-s))², the square kept
    assert _texts(root, "mi").count("e") == 2
    assert "983" not in ET.tostring(_math("0.1966"), encoding="unicode")
    assert _texts(_math("0.1966"), "mn") == ["0.1966"]


@pytest.mark.parametrize(("text", "dots"), [("2x", 1), ("wx", 1), ("σ(x)(1-σ(x))", 1),
                                            ("2 x y", 2), ("2*x", 1), ("x+y", 0)])
def test_every_product_shows_a_dot(text, dots):
    assert _texts(_math(text), "mo").count("·") == dots


def test_a_division_is_a_fraction_of_what_it_reaches():
    root = _math("1/2x")
    numerator, denominator = list(root.find(f".//{M}mfrac"))
    assert _texts(numerator, "mn") == ["1"]
    assert _texts(denominator, "mn") == ["2"] and _texts(denominator, "mi") == ["x"]
    root = _math("a/b*c", None)
    assert [node.tag for node in root.find(f"{M}mrow")][:3] == [M + "mfrac", M + "mo", M + "mi"]


def test_names_read_as_written():
    root = _math("ŷ + x_1 + theta", ["yhat", "x_1", "theta"])
    assert root.find(f".//{M}mover") is not None  # ŷ
    assert root.find(f".//{M}msub") is not None  # x₁
    assert "θ" in _texts(root, "mi")
    assert _texts(_math("sigmoid(x) + ln(x) + arctan(x)"), "mi")[::2] == ["σ", "ln", "arctan"]


def test_latex_as_typed():
    assert as_typed.latex(read("e^-s/(1+e^-s)^2", ["s"]).tree) == (
        r"\frac{{e}^{- s}}{{\left(1 + {e}^{- s}\right)}^{2}}")
    assert as_typed.latex(read("0.1966").tree) == "0.1966"


@pytest.mark.parametrize(("text", "meant"), [
    ("2e^-2x", "e^(-2x)"), ("e^2x", "e^(2x)"), ("e^-xy", "e^(-xy)"), ("e^-2x^2", "e^(-2x^2)"),
])
def test_a_power_of_e_typed_against_a_variable_gets_a_hint(text, meant):
    [hint] = hints.hints(text, read(text, VARIABLES).tree)
    assert hint.code == "exponent"
    assert f"Did you mean {meant}?" in hint.message
    assert hint.position == text.index("^")


@pytest.mark.parametrize("text", ["e^-x", "e^(-2x)", "e^-2 x", "e^x(1-x)", "x^2y", "2x e^-x"])
def test_no_hint_where_the_reading_is_the_usual_one(text):
    assert hints.hints(text, read(text, VARIABLES).tree) == []


@pytest.mark.parametrize(("text", "position", "words"), [
    ("5σ'(5x-3)", 2, "σ(u)(1 - σ(u)) for σ'(u)"),
    ("5σ′(5x-3)", 2, "prime notation (σ') is not accepted"),
    ("sigmoid'(x)", 7, "sigmoid(u)(1 - sigmoid(u))"),
    ("f'(x)", 1, "prime notation (f') is not accepted"),
    ("sin'(x)", 3, "type the derivative itself"),
    ("σ(x)'", 4, "prime notation is not accepted"),
])
def test_prime_notation_says_what_to_type(text, position, words):
    with pytest.raises(AnswerError) as info:
        parse(text, ["x"])
    assert info.value.code == "syntax"
    assert info.value.position == position
    assert words in info.value.message
    assert "parentheses" not in info.value.message


def test_quotes_are_still_quotes():
    with pytest.raises(AnswerError, match="quotes"):
        parse("'x'")


@pytest.mark.parametrize("text", [
    "+".join(["x"] * (MAX_LENGTH // 2)),  # a chain as deep as it is long
    "-" * (MAX_LENGTH - 1) + "x",
    "(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH,
    "sin(" * (MAX_DEPTH - 1) + "x" + ")" * (MAX_DEPTH - 1),
    "x^" * 49 + "x",
    "2x" * (MAX_LENGTH // 2),
])
def test_the_largest_answers_print(text):
    reading = read(text)
    plain = typed_plain.plain(reading.tree)
    if len(plain) <= MAX_LENGTH:  # spelt out, a long answer may grow past what parse takes
        assert parse(plain) == reading.expr
    ET.fromstring(as_typed.mathml(reading.tree))
    assert as_typed.latex(reading.tree)


# --- every readable answer prints, and its plain form means the same -------------------------

_atoms = st.sampled_from(["x", "y", "2", "0.5", ".25", "3e-1", "e", "π", "pi", "ŷ", "wx"])


def _compose(parts):
    return st.one_of(
        st.tuples(parts, st.sampled_from(["+", "-", "*", "/", "^", " ", "", "·"]), parts)
        .map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
        parts.map(lambda p: f"({p})"),
        parts.map(lambda p: f"-{p}"),
        st.tuples(st.sampled_from(["σ", "sigma", "sin", "ln", "sqrt", "abs", "exp", "sin^2",
                                   "cos²"]), parts).map(lambda t: f"{t[0]}({t[1]})"),
        parts.map(lambda p: f"e^-{p}"),
        parts.map(lambda p: f"{p}²"),
    )


answers = st.recursive(_atoms, _compose, max_leaves=8)


@settings(max_examples=int(os.environ.get("CAS_PROPERTY_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(answers)
def test_any_readable_answer_prints_and_means_the_same(text):
    try:
        reading = read(text, VARIABLES)
    except AnswerError:
        assume(False)
        return
    plain = typed_plain.plain(reading.tree)
    assert parse(plain, VARIABLES) == reading.expr, plain
    ET.fromstring(as_typed.mathml(reading.tree))
    convert(as_typed.latex(reading.tree))  # LaTeX another tool can read


@pytest.mark.parametrize("text", ["x" + "*x" * 999, "σ(x)" * 399, "x " * 999])
def test_a_long_product_prints_without_deep_recursion(text):
    # Printed in the test's own thread, with Python's default recursion limit.
    markup = as_typed.mathml(read(text, ["x"]).tree)
    assert markup.count("<mo>·</mo>") >= 398
    assert as_typed.latex(read(text, ["x"]).tree)
