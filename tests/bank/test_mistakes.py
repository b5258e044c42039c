"""Typical mistakes name what went wrong, exactly; the general analysis; the diagnosis."""

from __future__ import annotations

from app.cas.derivation import derive
from app.cas.mistakes import analyse, diagnose, facts, form_violation, generate_mistakes
from app.cas.parse import parse
from app.cas.sigmoid import sigmoid
from app.cas.symbols import var

x = var("x")


def mistakes_of(function, wrt=x, method="rules", domain=None):
    derivation = derive(function, wrt, method)
    return derivation, generate_mistakes(
        derivation.tree, derivation.result, function, domain=domain
    )


def test_dropped_chain_factor_is_named():
    derivation, mistakes = mistakes_of(sigmoid(3 * x + 2))
    found = diagnose(parse("σ(3x+2)(1-σ(3x+2))", ["x"]), mistakes)
    assert found is not None and found.kind == "chain_dropped"
    assert found.message.startswith("You dropped the factor 3 from the inner function 3x + 2")
    assert diagnose(parse("3σ(3x+2)(1-σ(3x+2))", ["x"]), mistakes) is None


def test_inner_argument_lost():
    _, mistakes = mistakes_of(parse("σ(5-5x)", ["x"]))
    found = diagnose(parse("-5σ(x)(1-σ(x))", ["x"]), mistakes)
    assert found.kind == "argument_lost"
    assert "5 - 5x" in found.message


def test_quotient_rule_mistakes():
    _, mistakes = mistakes_of(sigmoid(x), method="quotient")
    kinds = {m.kind for m in mistakes}
    assert {"quotient_reversed", "denominator_not_squared"} <= kinds
    found = diagnose(parse("e^-x/(1+e^-x)", ["x"]), mistakes)
    assert found.kind == "denominator_not_squared"


def test_equal_mistakes_are_told_apart_by_how_they_are_written(bank):
    # 1 - σ(x) is e^(-x)/(1 + e^(-x)): typed with σ, it is σ' without its factor σ, not the
    # quotient rule's denominator (the "confidently wrong" message).
    variant = bank.variant("sigmoid-quotient-rule", 1)
    v = variant.wrt.name
    typed_sigma = diagnose(parse(f"1-σ({v})", [v]), variant)
    typed_exp = diagnose(parse(f"e^-{v}/(1+e^-{v})", [v]), variant)
    assert typed_sigma.kind == "sigmoid_half" and "denominator" not in typed_sigma.message
    assert typed_exp.kind == "denominator_not_squared"


def test_second_derivative_answered_with_the_first():
    function = parse("σ(x)(1-σ(x))", ["x"])
    _, mistakes = mistakes_of(function)
    found = diagnose(function, mistakes)
    assert found.kind == "function_not_derivative"
    assert "sign" not in found.message


def test_beliefs_about_sigma_prime_apply_everywhere():
    # σ' = σ(1 + σ) used in one factor of σ(1 - σ) only gives σ(1 - σ) back: no student
    # writes that mixture, so no candidate may come from it.
    function = parse("σ(x)(1-σ(x))", ["x"])
    _, mistakes = mistakes_of(function)
    signs = [m for m in mistakes if m.kind == "sigmoid_sign"]
    assert len(signs) == 1
    assert diagnose(parse("σ(x)(1+σ(x))(1-2σ(x))", ["x"]), mistakes).kind == "sigmoid_sign"


def test_chain_rule_power_not_lowered_is_not_told_about_the_quotient_rule(bank):
    variant = bank.variant("sigmoid-chain-rule", 0)
    v = variant.wrt.name
    found = diagnose(parse(f"-(1+e^-{v})^-1 * (-e^-{v})", [v]), variant)
    assert found.kind == "power_not_lowered"
    assert "quotient" not in found.message


def test_log_without_inner_derivative():
    yhat = var("yhat")
    loss = parse("-(t log(yhat) + (1-t) log(1-yhat))", ["t", "yhat"])
    _, mistakes = mistakes_of(loss, wrt=yhat, domain={"yhat": (0, 1)})
    found = diagnose(
        parse("-t/yhat - (1-t)/(1-yhat)", ["t", "yhat"]), mistakes, domain={"yhat": (0, 1)}
    )
    assert found.kind == "log_without_inner"
    assert "1 - ŷ" in found.message
    kinds = {m.kind for m in mistakes}
    assert {"function_not_derivative", "sign_flipped", "label_swapped"} <= kinds
    # Differentiating the label as if it were the variable is a machine combination.
    assert "constant_differentiated" not in kinds


def test_constant_term_kept_and_factor_dropped():
    _, mistakes = mistakes_of(parse("5σ(2x+1) + 3", ["x"]))
    kinds = {m.kind for m in mistakes}
    assert {"constant_term_kept", "constant_factor_dropped", "chain_dropped"} <= kinds


def test_cross_entropy_habits(bank):
    variant = bank.variant("bce-logit", 0)
    t, z = variant.variables
    cases = {
        f"({'σ'}({z})-{t})σ({z})(1-σ({z}))": "squared_error_habit",
        f"-{t}/σ({z}) + (1-{t})/(1-σ({z}))": "stopped_at_prediction",
        f"σ({z})-(1-{t})": "label_swapped",
        f"1-σ({z})-{t}": "prediction_swapped",
        f"σ({z})(1-σ({z}))-{t}": "sigma_prime_for_sigma",
    }
    for answer, kind in cases.items():
        assert diagnose(parse(answer, [t, z]), variant).kind == kind, answer


def test_general_analysis_needs_no_template():
    expected = parse("3σ(3x)(1-σ(3x))", ["x"])
    cases = {
        "-3σ(3x)(1-σ(3x))": "sign_flipped",
        "6σ(3x)(1-σ(3x))": "off_by_factor",
        "3σ(3x)(1-σ(3x)) + 2": "off_by_constant",
        "3σ(x)(1-σ(x))": "argument_replaced",
        "3x σ(3x)(1-σ(3x))": "extra_factor",
    }
    for answer, kind in cases.items():
        found = analyse(parse(answer, ["x"]), expected, wrt=x)
        assert found is not None and found.kind == kind, answer
    assert analyse(parse("x^2", ["x"]), expected, wrt=x) is None
    assert analyse(expected, expected, wrt=x) is None


def test_general_analysis_of_swapped_variables():
    expected = parse("(yhat - t)/(yhat(1-yhat))", ["t", "yhat"])
    found = analyse(parse("(1 - yhat - t)/((1-yhat)yhat)", ["t", "yhat"]), expected,
                    domain={"yhat": (0, 1)})
    assert found.kind == "substituted" and "1 - ŷ" in found.message


def test_facts_are_true():
    expected = parse("σ(z) - t", ["t", "z"])
    assert "depends on t" in facts(parse("σ(z)^2", ["t", "z"]), expected)
    assert facts(parse("σ(z)^2 - t^2", ["t", "z"]), expected).startswith("Your answer is not")


def test_form_requirements_compatibility():
    assert form_violation(parse("e^-x/(1+e^-x)^2", ["x"]), "sigma-only") is not None
    assert form_violation(parse("σ(x)(1-σ(x))", ["x"]), "sigma-only") is None
    assert form_violation(parse("σ(x)", ["x"]), "exp-only") is not None
    assert form_violation(parse("x", ["x"]), None) is None


def test_variant_mistakes_take_the_variant_domain(bank):
    variant = bank.variant("bce-prediction", 2)
    t, yhat = variant.variables
    found = diagnose(parse(f"({t} - {yhat})/({yhat}(1-{yhat}))", [t, yhat]), variant)
    assert found is not None and found.kind == "sign_flipped"


def test_a_value_at_the_wrong_point(bank):
    variant = bank.variant("sigmoid-derivative-at-point", 1)
    found = diagnose(parse("0.25", []), variant, text="0.25")
    assert found.kind == "wrong_point" and "= 0," in found.message


def test_fewer_significant_figures_than_asked(bank):
    variant = bank.variant("sigmoid-values", 0)  # σ(-2.5) = 0.0758582...
    found = diagnose(parse("0.0759", []), variant, text="0.0759")
    assert found.kind == "precision" and "3 significant figures" in found.message
    assert "asks for 4" in found.message
