"""Worked solutions read like a textbook: conventional order, one operation per line, no line
repeated, no detour (that every step is an equality is tested in test_variants)."""

from __future__ import annotations

import re

import pytest

from app.bank import read_templates
from app.bank.spaces import ASSESSMENT_START

from .conftest import REPO_PROBLEMS

TEMPLATE_IDS = [t.id for t in read_templates(REPO_PROBLEMS)[0]]

# Machine forms a teacher does not write: a coefficient (t - 1) for -(1 - t), 1/(ŷ - 1) for
# -1/(1 - ŷ), a log times its coefficient, "1 + -", the generic one-line "simplify".
MACHINE = [
    re.compile(r"\\left\((?:t|y) - 1\\right\)"),
    re.compile(r"\{\\hat\{y\} - 1\}|\{p - 1\}|\{q - 1\}"),
    re.compile(r"\\right\)} \\left\(1 - (?:t|y)\\right\)"),
    re.compile(r"\\sigma\\left\([a-z]\\right\) - 1\b"),
]


def variants(bank, template_id, count=6):
    return [bank.variant(template_id, seed) for seed in range(count)]


def right_side(latex: str) -> str:
    return latex.rsplit(" = ", 1)[-1].replace(" ", "")


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_no_line_repeats_the_one_before(bank, template_id):
    for variant in variants(bank, template_id):
        for solution in variant.solutions:
            steps = solution.steps
            for before, after in zip(steps, steps[1:], strict=False):
                if before.lhs == after.lhs:
                    assert right_side(before.latex) != right_side(after.latex), (
                        template_id, variant.seed, after.rule, after.latex)


@pytest.mark.parametrize("template_id", TEMPLATE_IDS)
def test_conventional_forms(bank, template_id):
    for variant in variants(bank, template_id):
        texts = [variant.prompt] + [s.latex for sol in variant.solutions for s in sol.steps]
        for text in texts:
            for pattern in MACHINE:
                assert not pattern.search(text), (template_id, variant.seed, pattern, text)
        for solution in variant.solutions:
            for step in solution.steps:
                assert step.text != "Multiply out, cancel and collect like terms.", (
                    template_id, step.latex)


def test_the_loss_is_written_as_in_the_textbook(bank):
    variant = bank.variant("bce-prediction", ASSESSMENT_START)
    assert (r"-\left(t \log{\left(\hat{y} \right)} + \left(1 - t\right) "
            r"\log{\left(1 - \hat{y} \right)}\right)") in variant.prompt
    first = variant.steps[0].latex
    assert first.endswith(r"-t \cdot \frac{d}{d\hat{y}} \log{\left(\hat{y} \right)} - "
                          r"\left(1 - t\right) \cdot \frac{d}{d\hat{y}} \log{\left(1 - \hat{y} \right)}")
    inner = next(s for s in variant.steps if "inner function 1 - ŷ" in s.text)
    assert inner.latex.endswith(r"= - \frac{1}{1 - \hat{y}}")


def test_two_fractions_become_one_in_visible_lines(bank):
    variant = bank.variant("bce-prediction", ASSESSMENT_START)
    rules = [s.rule for s in variant.steps]
    assert rules[-4:] == ["Substitute", "Common denominator", "Add the fractions",
                          "Simplify the numerator"]
    assert "the terms in tŷ cancel" in variant.steps[-1].text
    assert variant.steps[-1].latex.endswith(r"\frac{\hat{y} - t}{\hat{y} \left(1 - \hat{y}\right)}")


def test_the_second_derivative_takes_out_the_common_factor(bank):
    variant = bank.variant("sigmoid-second-derivative", 0)
    z = variant.wrt.name
    assert variant.steps[0].text == f"With u = σ({z}) and v = 1 - σ({z}): (uv)' = u'v + uv'."
    common = next(s for s in variant.steps if s.rule == "Common factor")
    assert f"σ({z})(1 - σ({z}))" in common.text
    assert variant.steps[-1].rule == "Simplify the bracket"


def test_the_loss_through_the_logit_shows_the_cancellation(bank):
    variant = bank.variant("bce-logit", 0)
    rules = [s.rule for s in variant.steps]
    assert rules[-3:] == ["Substitute", "Multiply out", "Collect like terms"]
    assert variant.steps[-1].text == "The terms in tσ(z) cancel."
    cancels = [s.text for s in variant.steps if s.rule == "Cancel"]
    assert cancels == ["Cancel the common factor σ(z).", "Cancel the common factor 1 - σ(z)."]


def test_softmax_true_class_takes_no_detour(bank):
    for variant in variants(bank, "softmax-cross-entropy-true-class", 5):
        c = dict(variant.params)["c"]
        for step in variant.steps:
            # -e^{z_j}/S for another class would be rewritten back to p_c - 1 later.
            assert not re.search(r"= - \\frac\{e\^\{z_\{(\d)\}\}\}", step.latex), step.latex
        assert variant.steps[-1].latex.endswith(r"} - 1")
        assert f"z_{c}" in variant.steps[-1].latex or f"z_{{{c}}}" in variant.steps[-1].latex


def test_a_factor_stays_in_front():
    from app.cas.derivation import derive
    from app.cas.parse import parse
    from app.cas.symbols import var

    loss = parse("-(t log(σ(3w + b)) + (1 - t) log(1 - σ(3w + b)))", ["t", "w", "b"])
    steps = derive(loss, var("w")).steps
    assert [s.rule for s in steps[-3:]] == ["Multiply out", "Collect like terms", "Factor"]
    assert steps[-1].text == "Take out the common factor 3."
    assert steps[-1].latex.endswith(r"= 3 \left(\sigma\left(3 w + b\right) - t\right)")
