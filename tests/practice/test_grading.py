"""Grading on its own, as assignments use it: one pool task per answer."""

from __future__ import annotations

import pytest

from app.checker.client import Checker, CheckerSettings
from app.checker.results import UnknownVariant
from app.models.practice import Verdict
from tests.practice.conftest import BANK, sigmoid_answers

SEED = 11


@pytest.fixture(scope="module")
def pool():
    checker = Checker(CheckerSettings(workers=1, timeout=10, problems_dir=str(BANK)))
    yield checker
    checker.close()


def _grade(answer, pool, template_id="sigmoid-affine", **kwargs):
    return pool.grade(template_id, SEED, answer, **kwargs)


def test_correct_in_any_notation(pool):
    outcome = _grade(sigmoid_answers(SEED)["correct"], pool)
    assert outcome.verdict is Verdict.CORRECT and outcome.correct and outcome.counted
    assert outcome.canonical and "sigma(" in outcome.canonical
    assert outcome.answer_mathml.startswith("<math")


def test_incorrect_with_diagnosed_mistake(pool):
    outcome = _grade(sigmoid_answers(SEED)["chain_dropped"], pool)
    assert outcome.verdict is Verdict.INCORRECT and outcome.counted and not outcome.correct
    assert outcome.mistake_kind == "chain_dropped"
    assert "chain rule" in outcome.mistake_message


def test_incorrect_without_a_known_mistake(pool):
    outcome = _grade("x^2", pool)
    assert outcome.verdict is Verdict.INCORRECT
    assert outcome.mistake_kind is None and outcome.mistake_message is None


def test_invalid_is_not_counted(pool):
    outcome = _grade("σ(x) + y", pool)
    assert outcome.verdict is Verdict.INVALID and not outcome.valid and not outcome.counted
    assert outcome.error.code == "unknown_variable" and outcome.error.position == 7


def test_bce_uses_the_domain(pool):
    outcome = pool.grade("bce-yhat", 0, "(yhat - t)/(yhat(1 - yhat))")
    assert outcome.verdict is Verdict.CORRECT


def test_time_limit_gives_no_verdict(pool):
    # A variant no test has built yet: building it alone takes far longer than the limit.
    outcome = pool.grade("sigmoid-affine", 424242, "x", timeout=0.01)
    assert outcome.verdict is Verdict.TIMEOUT and not outcome.counted
    assert outcome.error.code == "timeout"


def test_unknown_template(pool):
    with pytest.raises(UnknownVariant):
        _grade("x", pool, template_id="no-such-template")
