"""The judge: the one verdict function grading calls, and the feedback figure."""

from __future__ import annotations

from pathlib import Path

import sympy as sp

from app.bank.judge import CORRECT, FORM, INCORRECT, UNDECIDED, Judgement, judge
from app.bank.spaces import ASSESSMENT_START
from app.cas.parse import parse
from bench.feedback_bench import load_set, run, summary

SET = Path(__file__).parent / "feedback_set.yaml"


def verdict_of(variant, text):
    return judge(variant, parse(text, list(variant.variables)), text)


def test_the_four_verdicts(bank, monkeypatch):
    variant = bank.variant("sigmoid-quotient-rule", 0)
    v = variant.wrt.name
    assert verdict_of(variant, f"σ({v})(1-σ({v}))") == Judgement(CORRECT)
    form = verdict_of(variant, f"e^-{v}/(1+e^-{v})^2")
    assert form.verdict == FORM and form.kind == "sigma-only" and not form.correct
    assert form.message.startswith("Your answer has the right value, but not the requested form")
    wrong = verdict_of(variant, f"e^-{v}/(1+e^-{v})")
    assert wrong.verdict == INCORRECT and wrong.specific
    assert wrong.kind == "denominator_not_squared"
    # A wrong answer that also breaks the form is told both.
    assert wrong.message.endswith("Also, the question asks you to write it in terms of σ only, "
                                  "with no exp, e^…, tanh or other functions.")
    unknown = verdict_of(variant, f"{v}^3")
    assert unknown.verdict == INCORRECT and not unknown.specific and unknown.kind is None
    assert unknown.message
    monkeypatch.setattr("app.bank.judge.equivalent", lambda *a, **k: None)
    assert verdict_of(variant, f"σ({v})").verdict == UNDECIDED


def test_a_judgement_is_plain_data(bank):
    variant = bank.variant("bce-prediction", ASSESSMENT_START)
    data = verdict_of(variant, "-t/yhat + (1-t)/(1-yhat)").to_dict()
    assert data == {
        "verdict": "form",
        "message": "Your answer has the right value, but not the requested form: write it as "
                   "a single fraction (it is a sum or a nest of fractions, not one numerator "
                   "over one denominator).",
        "kind": "single-fraction",
        "requirement": "single-fraction",
        "specific": False,
    }


def test_every_right_answer_in_the_bank_is_correct(bank):
    for template in bank.templates:
        for seed in range(3):
            variant = bank.variant(template.id, seed)
            answer = variant.expected
            if variant.significant:  # a number is asked: its decimal, as a student types it
                answer = sp.Rational(str(sp.N(answer, 10)))
            judgement = judge(variant, answer)
            assert judgement.verdict == CORRECT, (template.id, seed, judgement)


def test_no_mistake_in_the_bank_is_judged_right(bank):
    for template in bank.templates:
        variant = bank.variant(template.id, 1)
        for mistake in variant.mistakes:
            judgement = judge(variant, mistake.answer)
            assert judgement.verdict == INCORRECT, (template.id, mistake.kind)
            assert judgement.message.startswith(mistake.message) or judgement.kind == "precision"


def test_feedback_on_typical_wrong_answers():
    entries = load_set(SET)
    outcomes = run(entries)
    table = summary(outcomes)
    assert len(table) == 18 and all(row["total"] >= 5 for row in table.values())
    misdescribed = [o for o in outcomes if o.status == "wrong message"]
    assert misdescribed == []
    broken = [o for o in outcomes if o.status == "not wrong"]
    assert broken == []
    hits = sum(o.status == "hit" for o in outcomes)
    assert hits >= 0.9 * len(outcomes), f"{hits}/{len(outcomes)}"


def test_a_judgement_never_needs_the_text(bank):
    variant = bank.variant("sigmoid-values", 0)
    assert judge(variant, sp.Rational(7586, 100000)).verdict == CORRECT
