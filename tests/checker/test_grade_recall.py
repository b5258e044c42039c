"""The checker's client answers a repeated grade itself (`Checker._graded`): without a worker,
the same outcome, kept only when whole and decided, one per variant, answer and language."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bank import load_bank
from app.cas.plain import to_plain
from app.checker.client import Checker, CheckerSettings
from app.checker.results import GradeOutcome, Verdict

BANK = str(Path(__file__).resolve().parents[2] / "problems")
SEED = 4


def answers(seed: int) -> dict[str, str]:
    """The right answer to sigmoid-affine variant `seed`, and its first typical mistake."""
    variant = load_bank(BANK).variant("sigmoid-affine", seed)
    return {"correct": to_plain(variant.expected),
            "mistake": to_plain(variant.mistakes[0].answer)}


@pytest.fixture(scope="module")
def checker():
    checker = Checker(CheckerSettings(workers=1, slow_workers=0, timeout=10, problems_dir=BANK))
    yield checker
    checker.close()


def counting(checker, monkeypatch, outcome=None, whole=True):
    """Counts the tasks that reach the main lane; with `outcome`, the lane answers it."""
    calls = []
    pool = checker.pool
    real = pool.run_whole

    def run_whole(fn, args=(), kwargs=None, **options):
        calls.append(args)
        if outcome is not None:
            return outcome, whole
        return real(fn, args, kwargs, **options)

    monkeypatch.setattr(pool, "run_whole", run_whole)
    return calls


def test_a_repeated_answer_is_graded_once(checker, monkeypatch):
    calls = counting(checker, monkeypatch)
    answer = answers(SEED)["mistake"]
    first = checker.grade("sigmoid-affine", SEED, answer)
    again = checker.grade("sigmoid-affine", SEED, answer)
    assert len(calls) == 1
    assert first.verdict is Verdict.INCORRECT and first.mistake_kind
    assert again.verdict is first.verdict and again.mistake_kind == first.mistake_kind
    assert again.canonical == first.canonical and again.fingerprint == first.fingerprint


def test_another_answer_variant_or_language_is_graded_anew(checker, monkeypatch):
    calls = counting(checker, monkeypatch)
    right, wrong = answers(SEED + 1)["correct"], answers(SEED + 1)["mistake"]
    checker.grade("sigmoid-affine", SEED + 1, right)
    english = checker.grade("sigmoid-affine", SEED + 1, wrong)
    checker.grade("sigmoid-affine", SEED + 2, right)
    chinese = checker.in_language("zh_Hans").grade("sigmoid-affine", SEED + 1, wrong)
    assert len(calls) == 4
    assert english.mistake_message and chinese.mistake_message
    assert english.mistake_message != chinese.mistake_message


def test_an_undecided_grade_is_asked_again(checker, monkeypatch):
    calls = counting(checker, monkeypatch, outcome=GradeOutcome(Verdict.TIMEOUT))
    for _ in range(2):
        assert checker.grade("sigmoid-affine", SEED, "x + 1").verdict is Verdict.TIMEOUT
    assert len(calls) == 2


def test_a_grade_whose_work_a_budget_cut_short_is_not_kept(checker, monkeypatch):
    # Its diagnosis may have stopped early: the next asking may name the mistake.
    calls = counting(checker, monkeypatch, outcome=GradeOutcome(Verdict.INCORRECT),
                     whole=False)
    for _ in range(2):
        assert checker.grade("sigmoid-affine", SEED, "x + 2").verdict is Verdict.INCORRECT
    assert len(calls) == 2


def test_a_repeated_multi_part_answer_is_graded_once(checker, monkeypatch):
    template = next(t for t in load_bank(BANK).templates if t.parts)
    view = checker.view(template.id, 0)
    answers = tuple("x" for _ in view.parts)
    calls = counting(checker, monkeypatch)
    first = checker.grade_parts(template.id, 0, answers)
    again = checker.grade_parts(template.id, 0, answers)
    assert len(calls) == 1
    assert [p.outcome.verdict for p in again.parts] == [p.outcome.verdict for p in first.parts]
