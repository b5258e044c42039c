"""Where plots hold the other variables (app.cas.slices) and what their captions say
(app.cas.plot_text): a wrong answer must show, labels are labels, probabilities sum to 1."""

from __future__ import annotations

import math

import pytest

from app.cas import plot_text, slices
from app.cas.parse import parse
from app.cas.symbols import var

LR_VARIABLES = ["t", "w", "x", "b"]
PROBABILITIES = {"p_1": (0.0, 1.0), "p_2": (0.0, 1.0), "p_3": (0.0, 1.0)}
MULTICLASS = ["p_1", "p_2", "p_3", "t_1", "t_2", "t_3"]


def _gap(expected, answer, wrt, where, lo=-6.0, hi=6.0):
    xs = slices.grid(lo, hi, 241)
    e = slices.evaluate(expected, var(wrt), xs, where)
    a = slices.evaluate(answer, var(wrt), xs, where)
    return slices.gap(e, a, slices.view_range(e, [a]))


def test_the_bias_gradient_for_the_weight_one_is_told_apart():
    # At x = 1 (the value every other variable used to get) the two are the same curve.
    expected = parse("x*(sigma(w*x + b) - t)", LR_VARIABLES)
    answer = parse("sigma(w*x + b) - t", LR_VARIABLES)
    at_one = slices.Slice((("t", 1.0), ("x", 1.0), ("b", 1.0)))
    assert _gap(expected, answer, "w", at_one).largest == pytest.approx(0, abs=1e-12)
    where = slices.separating_slice(expected, answer, var("w"), LR_VARIABLES, {}, -6, 6)
    assert dict(where.fixed)["x"] != 1.0
    assert _gap(expected, answer, "w", where).score >= slices.VISIBLE


def test_a_label_is_one_or_zero_and_the_other_case_is_tried():
    # (ŷ - t)/(ŷ(1-ŷ)) against the sign-swapped t ↔ 1 - t mistake: equal at t = 1/2 only.
    domain = {"yhat": (0.0, 1.0)}
    expected = parse("(yhat - t)/(yhat*(1 - yhat))", ["t", "yhat"])
    for candidate in slices.slices(["t", "yhat"], "yhat", domain):
        assert dict(candidate.fixed)["t"] in (0.0, 1.0)
    answer = parse("(yhat - (1 - t))/(yhat*(1 - yhat))", ["t", "yhat"])
    where = slices.separating_slice(expected, answer, var("yhat"), ["t", "yhat"], domain, 0, 1)
    assert _gap(expected, answer, "yhat", where, 0, 1).score >= slices.VISIBLE


def test_multiclass_labels_are_one_hot_and_probabilities_sum_to_one():
    candidates = slices.slices(MULTICLASS, "p_1", PROBABILITIES)
    assert candidates
    for candidate in candidates:
        labels = [value for name, value in candidate.fixed if name.startswith("t_")]
        assert sorted(labels) == [0.0, 0.0, 1.0]
        assert {name for name, _ in candidate.tied} == {"p_2", "p_3"}
        for x in (0.1, 0.5, 0.9):
            point = candidate.point(var("p_1"), x)
            assert math.fsum(point[var(f"p_{k}")] for k in (1, 2, 3)) == pytest.approx(1)
    # The plotted class's own label comes first: t₁ = 1 when the plot is in p₁.
    assert dict(candidates[0].fixed)["t_1"] == 1.0
    assert candidates[0].describe("p_1") == "t₁ = 1, t₂ = 0, t₃ = 0, p₂ = p₃ = (1 − p₁)/2"


def test_a_dropped_label_shows_on_the_class_it_is_not():
    # -1/p₁ for -t₁/p₁: the same curve when t₁ = 1, so the search picks another class.
    expected = parse("-t_1/p_1", MULTICLASS)
    answer = parse("-1/p_1", MULTICLASS)
    where = slices.separating_slice(expected, answer, var("p_1"), MULTICLASS, PROBABILITIES, 0, 1)
    assert dict(where.fixed)["t_1"] == 0.0
    assert _gap(expected, answer, "p_1", where, 0, 1).score >= slices.VISIBLE


def test_probabilities_held_off_the_plot_lie_on_the_simplex():
    for candidate in slices.slices(["p_1", "p_2", "z"], "z", {"p_1": (0, 1), "p_2": (0, 1)}):
        fixed = dict(candidate.fixed)
        assert fixed["p_1"] + fixed["p_2"] == pytest.approx(1)
        assert not candidate.tied


def test_bounded_variables_stay_inside_their_domain():
    for candidate in slices.slices(["a", "x"], "x", {"a": (2.0, 3.0)}):
        assert 2.0 < dict(candidate.fixed)["a"] < 3.0


def test_slices_are_tried_nearest_to_the_preferred_values_first():
    assert list(slices._by_rank([2, 3])) == [(0, 0), (0, 1), (1, 0), (0, 2), (1, 1), (1, 2)]
    first = slices.slices(LR_VARIABLES, "w", {})[0]
    assert first.fixed == (("t", 1.0), ("x", 1.0), ("b", 1.0))
    assert len(slices.slices(["a", "b", "c", "d", "e", "x"], "x", {})) == slices.MAX_SLICES


def test_a_flat_derivative_does_not_squeeze_a_wrong_answer_off_the_plot():
    lo, hi = slices.view_range([0.0] * 5, [[-1.0, -2.0, -3.0, -4.0, -5.0]])
    assert lo < -5 and hi >= 0


def test_a_pole_is_trimmed_from_the_range():
    xs = slices.grid(0.001, 1, 200)
    lo, hi = slices.view_range([-1 / x for x in xs])
    assert -100 < lo < -10 and hi > -1


def test_the_caption_names_where_the_curves_part():
    xs = [0.0, 1.0, 2.0, 3.0]
    expected, answer = [0.0, 1.0, 2.0, 3.0], [0.0, 1.0, 4.0, 3.0]
    text = plot_text.comparison_finding(xs, expected, answer, slices.view_range(expected, [answer]),
                                        "x")
    assert text == "They are farthest apart at x = 2: your answer is 4, the derivative 2."


def test_the_caption_says_when_a_difference_is_too_small_to_see():
    xs = slices.grid(0, 1, 50)
    expected = list(xs)
    answer = [x + 2e-5 for x in xs]
    text = plot_text.comparison_finding(xs, expected, answer, slices.view_range(expected, [answer]),
                                        "yhat")
    assert "too little to see" in text and "at most 2×10⁻⁵" in text


@pytest.mark.parametrize(("function", "expected_words"), [
    ("sigma(x)", ["rises across the plot", "largest in size, 0.25, at x = 0"]),
    ("-log(sigma(x))", ["falls across the plot", "negative throughout"]),
    ("sigma(x)*(1 - sigma(x))", ["positive where the function rises", "at x ≈ 0"]),
])
def test_the_function_caption_is_true_of_the_curves(function, expected_words):
    from sympy import diff

    f = parse(function, ["x"])
    xs = slices.grid(-6, 6, 241)
    ys = slices.evaluate(f, var("x"), xs, slices.Slice())
    ds = slices.evaluate(diff(f, var("x")), var("x"), xs, slices.Slice())
    text = plot_text.function_finding(xs, ys, ds, "x")
    for words in expected_words:
        assert words in text
    assert "sigmoid" not in text


def test_names_and_numbers_read_as_written():
    assert slices.display_name("p_12") == "p₁₂"
    assert slices.display_name("yhat") == "ŷ"
    assert slices.number_text(-0.5) == "−0.5"
    assert slices.number_text(2.0) == "2"
