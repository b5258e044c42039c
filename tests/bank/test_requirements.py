"""Answer requirements: declared once, stated in the prompt, enforced on the parsed answer.

Every bypass the issue found is here, through the judge on the shipped variants.
"""

from __future__ import annotations

import pytest
import sympy as sp

from app.bank.judge import CORRECT, FORM, INCORRECT, judge
from app.bank.spaces import ASSESSMENT_START
from app.cas.parse import parse
from app.cas.requirements import Requirement, first_violation, prompt_sentences


def verdict_of(variant, text):
    return judge(variant, parse(text, list(variant.variables)), text)


def seed_where(bank, template_id, **params):
    """The first seed whose variant has these parameter values (practice seeds reach half of
    a template's combinations, assessment seeds the other half)."""
    for seed in [*range(200), *range(ASSESSMENT_START, ASSESSMENT_START + 200)]:
        values = dict(bank.variant(template_id, seed).params)
        if all(values.get(k) == str(v) for k, v in params.items()):
            return bank.variant(template_id, seed)
    raise AssertionError(f"no seed of {template_id} has {params}")


# -- sigma-only ------------------------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    "(1-tanh(s/2)^2)/4",
    "1/(2+2cosh(s))",
    "1/(4cosh(s/2)^2)",
    "sech(s/2)^2/4",
    "e^-s/(1+e^-s)^2",
    "exp(-s)/(1+exp(-s))^2",
    "e^s/(1+e^s)^2",
    "σ(s)(1-σ(s)) + σ(s) - 1/(1+e^-s)",
])
def test_sigma_only_refuses_every_spelling_of_exponentials(bank, answer):
    variant = seed_where(bank, "sigmoid-quotient-rule", v="s")
    judgement = verdict_of(variant, answer)
    assert judgement.verdict == FORM, answer
    assert judgement.requirement == "sigma-only"
    assert "in terms of σ only" in judgement.message


def test_sigma_only_accepts_sigma_and_arithmetic(bank):
    variant = seed_where(bank, "sigmoid-quotient-rule", v="s")
    for answer in ("σ(s)(1-σ(s))", "σ(s) - σ(s)^2", "sigmoid(s)*(1 - sigma(s))", "σ(s)σ(-s)"):
        assert verdict_of(variant, answer).verdict == CORRECT, answer


def test_tanh_via_sigmoid_refuses_the_tanh_derivative(bank):
    variant = seed_where(bank, "tanh-via-sigmoid", a=1)
    judgement = verdict_of(variant, "1-tanh(x)^2")
    assert judgement.verdict == FORM and "tanh" in judgement.message


def test_log_sigmoid_states_what_it_enforces(bank):
    variant = seed_where(bank, "log-sigmoid", a=-2)
    assert "in terms of $\\sigma$ only" in variant.prompt
    assert "simplify" not in variant.prompt.lower()
    assert verdict_of(variant, "-2/(1+e^(-2x))").verdict == FORM
    assert verdict_of(variant, "-2(1-σ(-2x))").verdict == CORRECT


def test_softplus_enforces_sigma(bank):
    variant = seed_where(bank, "softplus", a=2)
    assert verdict_of(variant, "2e^(2x)/(1+e^(2x))").verdict == FORM
    assert verdict_of(variant, "2σ(2x)").verdict == CORRECT


# -- number and significant figures ----------------------------------------------------------

def test_a_number_is_not_an_expression(bank):
    variant = seed_where(bank, "sigmoid-values", x0=-2.5)
    for answer in ("σ(-2.5)", "1/(1+e^2.5)", "sigmoid(-5/2)", "1/(1+exp(5/2))"):
        judgement = verdict_of(variant, answer)
        assert judgement.verdict == FORM, answer
        assert judgement.requirement == "number" and "decimal" in judgement.message
    assert verdict_of(variant, "0.07586").verdict == CORRECT
    assert verdict_of(variant, "0.0758582").verdict == CORRECT


def test_sigma_of_two_gets_no_marks(bank):
    variant = seed_where(bank, "sigmoid-values", x0=2)
    assert verdict_of(variant, "σ(2)").verdict == FORM
    assert verdict_of(variant, "0.8808").verdict == CORRECT


def test_fewer_significant_figures_says_so(bank):
    variant = seed_where(bank, "sigmoid-values", x0=-2.5)  # 0.0758582...
    judgement = verdict_of(variant, "0.076")
    assert judgement.verdict == INCORRECT and judgement.kind == "precision"
    assert "right to 2 significant figures" in judgement.message
    point = seed_where(bank, "sigmoid-derivative-at-point", x0=2.5)  # 0.0701037...
    assert verdict_of(point, "0.0701").verdict == CORRECT  # 0.07010 to 4 figures
    assert verdict_of(point, "0.070").kind == "precision"


def test_numeric_prompts_state_the_precision(bank):
    variant = bank.variant("sigmoid-values", 0)
    assert "to 4 significant figures" in variant.prompt
    assert variant.prompt.count("significant") == 1


# -- single fraction -------------------------------------------------------------------------

def test_single_fraction(bank):
    variant = seed_where(bank, "bce-prediction", t="t", p="yhat")
    judgement = verdict_of(variant, "-t/yhat + (1-t)/(1-yhat)")
    assert judgement.verdict == FORM and judgement.requirement == "single-fraction"
    for answer in ("(yhat-t)/(yhat(1-yhat))", "(-t(1-yhat) + (1-t)yhat)/(yhat(1-yhat))",
                   "(yhat - t)/(yhat - yhat^2)", "-(t-yhat)/(yhat*(1-yhat))"):
        assert verdict_of(variant, answer).verdict == CORRECT, answer
    for answer in ("(1-t)/(1-yhat) - t/yhat", "1/(yhat/(yhat-t) - yhat^2/(yhat-t))"):
        assert verdict_of(variant, answer).verdict == FORM, answer


# -- the other kinds, on expressions -----------------------------------------------------------

def violated(requirement, text, variables=("x",)):
    return first_violation((requirement,), parse(text, list(variables))) is not None


def test_factored():
    factored = Requirement("factored")
    assert not violated(factored, "σ(x)(1-σ(x))(1-2σ(x))")
    assert violated(factored, "σ(x) - 3σ(x)^2 + 2σ(x)^3")
    assert violated(factored, "σ(x)(1 - 3σ(x) + 2σ(x)^2)")
    assert not violated(factored, "(x-1)(x+1)")
    assert violated(factored, "x^2 - 1")
    # The parser multiplies 2(x + 1) out; a factored answer is never refused for that.
    assert not violated(factored, "2(x+1)")


def test_exp_only_and_no_log():
    assert violated(Requirement("exp-only"), "σ(x)")
    assert violated(Requirement("exp-only"), "1-tanh(x)^2")
    assert not violated(Requirement("exp-only"), "e^x/(1+e^x)^2")
    assert violated(Requirement("no-log"), "log(e^x)*x + ln(x)")
    assert not violated(Requirement("no-log"), "x")


def test_forbid_and_require_in_any_spelling():
    forbid = Requirement("forbid", names=("tanh", "e"))
    assert violated(forbid, "tanh(x)")
    assert violated(forbid, "exp(x)") and violated(forbid, "e^x") and violated(forbid, "2^x")
    assert not violated(forbid, "σ(x)")
    require = Requirement("require", names=("sigma",))
    assert violated(require, "1/(1+e^-x)")
    assert not violated(require, "sigmoid(x)")
    assert violated(Requirement("forbid", names=("x",)), "2x")


def test_number_refuses_functions_constants_and_variables():
    number = Requirement("number")
    for text in ("σ(2)", "e", "pi", "sqrt(2)", "2^(1/2)", "x"):
        assert violated(number, text, ["x"]), text
    for text in ("0.25", "1/4", "3/40", "-0.5", "2^-3"):
        assert not violated(number, text, ["x"]), text


def test_sentences_come_from_the_requirements(bank):
    for template in bank.templates:
        variant = bank.variant(template.id, 0)
        for sentence in prompt_sentences(variant.requirements):
            assert sentence in variant.prompt, (template.id, sentence)
        variant.prompt_html()  # the generated LaTeX renders


def test_requirements_read_a_tree_built_as_written(bank):
    # What a parser hook keeping the student's structure would give (evaluate=False).
    x = sp.Symbol("x", real=True)
    factored = Requirement("factored")
    written = sp.Mul(2, sp.Add(x, 1, evaluate=False), evaluate=False)
    assert factored.violation(written, written=True) is None
    expanded = sp.Add(sp.Mul(2, x, evaluate=False), 2, evaluate=False)
    assert factored.violation(expanded, written=True) is not None
    assert factored.violation(expanded) is None  # on the evaluated tree: could be 2(x + 1)
    number = Requirement("number")
    fraction = sp.Mul(3, sp.Pow(40, -1, evaluate=False), evaluate=False)
    assert number.violation(fraction) is None
    sum_of_numbers = sp.Pow(sp.Add(1, sp.Rational(821, 10000), evaluate=False), -1,
                            evaluate=False)
    assert number.violation(sum_of_numbers) == "it is a calculation, not one number"
    hidden = sp.Add(sp.Integer(1), sp.Mul(0, sp.exp(x), evaluate=False), evaluate=False)
    assert Requirement("sigma-only").violation(hidden) is not None
    variant = seed_where(bank, "sigmoid-values", x0=-2.5)
    text = "759/10000"
    judgement = judge(variant, parse(text, []), text,
                      written=sp.Mul(759, sp.Pow(10000, -1, evaluate=False), evaluate=False))
    assert judgement.verdict == INCORRECT and judgement.kind == "precision"
