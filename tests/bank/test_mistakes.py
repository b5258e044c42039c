"""Typical mistakes name what went wrong; form requirements; the diagnosis."""

from __future__ import annotations

from app.cas.derivation import derive
from app.cas.mistakes import diagnose, form_violation, generate_mistakes
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


def test_quotient_rule_mistakes():
    _, mistakes = mistakes_of(sigmoid(x), method="quotient")
    kinds = {m.kind for m in mistakes}
    assert {"quotient_reversed", "denominator_not_squared"} <= kinds
    found = diagnose(parse("e^-x/(1+e^-x)", ["x"]), mistakes)
    assert found.kind == "denominator_not_squared"


def test_log_without_inner_derivative_and_label_differentiated():
    t, yhat = var("t"), var("yhat")
    loss = parse("-(t log(yhat) + (1-t) log(1-yhat))", ["t", "yhat"])
    _, mistakes = mistakes_of(loss, wrt=yhat, domain={"yhat": (0, 1)})
    found = diagnose(
        parse("-t/yhat - (1-t)/(1-yhat)", ["t", "yhat"]), mistakes, domain={"yhat": (0, 1)}
    )
    assert found.kind == "log_without_inner"
    assert "1 - ŷ" in found.message
    kinds = {m.kind for m in mistakes}
    assert {"constant_differentiated", "function_not_derivative", "sign_flipped"} <= kinds
    assert t in {s for m in mistakes for s in m.answer.free_symbols}


def test_constant_term_kept_and_factor_dropped():
    _, mistakes = mistakes_of(parse("5σ(2x+1) + 3", ["x"]))
    kinds = {m.kind for m in mistakes}
    assert {"constant_term_kept", "constant_factor_dropped", "chain_dropped"} <= kinds


def test_form_requirements():
    assert form_violation(parse("e^-x/(1+e^-x)^2", ["x"]), "sigma-only") is not None
    assert form_violation(parse("σ(x)(1-σ(x))", ["x"]), "sigma-only") is None
    assert form_violation(parse("σ(x)", ["x"]), "exp-only") is not None
    assert form_violation(parse("x", ["x"]), None) is None


def test_variant_mistakes_take_the_variant_domain(bank):
    variant = bank.variant("bce-prediction", 0)
    found = diagnose(parse("(t - yhat)/(yhat(1-yhat))", ["t", "yhat"]), variant)
    assert found is not None and found.kind == "sign_flipped"
