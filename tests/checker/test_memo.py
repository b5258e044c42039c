"""A worker answers a repeated answer from what it already found (app.checker.memo): the
same outcome, computed once; undecided outcomes never kept; off outside pool workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.checker import memo, tasks
from app.checker.pool import WorkerPool
from app.checker.results import Verdict

BANK = str(Path(__file__).resolve().parents[2] / "problems")


def memo_size() -> int:
    return len(memo.GRADES)


def _counting(outcome):
    calls = []

    def compute():
        calls.append(1)
        return outcome

    return compute, calls


def test_an_enabled_memo_computes_a_repeat_once():
    grades = memo.Memo()
    grades.enable(size=8)
    compute, calls = _counting("right")
    assert [grades.recall("q", compute, keep=lambda _o: True) for _ in range(3)] == ["right"] * 3
    assert len(calls) == 1


def test_what_keep_refuses_is_computed_every_time():
    grades = memo.Memo()
    grades.enable(size=8)
    compute, calls = _counting("undecided")
    for _ in range(3):
        grades.recall("q", compute, keep=lambda outcome: outcome != "undecided")
    assert len(calls) == 3 and len(grades) == 0


def test_a_disabled_memo_always_computes():
    compute, calls = _counting("right")
    grades = memo.Memo()
    for _ in range(2):
        grades.recall("q", compute, keep=lambda _o: True)
    assert len(calls) == 2 and len(grades) == 0


def test_the_least_recently_used_goes_first():
    grades = memo.Memo()
    grades.enable(size=2)
    keep = lambda _o: True  # noqa: E731
    grades.recall("a", lambda: 1, keep)
    grades.recall("b", lambda: 2, keep)
    grades.recall("a", lambda: 1, keep)  # a is now the most recent
    grades.recall("c", lambda: 3, keep)  # b goes
    compute, calls = _counting(2)
    grades.recall("b", compute, keep)
    assert len(calls) == 1
    compute, calls = _counting(1)
    grades.recall("c", compute, keep)
    assert not calls  # c stayed; a went when b came back


def test_in_process_grading_does_not_remember():
    variant = tasks.load_variant(BANK, "sigmoid-affine", 3)
    answer = str(variant.expected)
    first = tasks.evaluate_grade(BANK, "sigmoid-affine", 3, answer)
    assert first.verdict is Verdict.CORRECT
    assert len(memo.GRADES) == 0


@pytest.fixture
def one_worker():
    with WorkerPool(workers=1, timeout=20, memory_mb=1500, initializer=None) as pool:
        yield pool


def test_a_worker_answers_a_repeat_from_its_memo(one_worker):
    variant = tasks.load_variant(BANK, "sigmoid-affine", 3)
    right, wrong = str(variant.expected), "x"
    graded = [one_worker.run(tasks.evaluate_grade, (BANK, "sigmoid-affine", 3, text))
              for text in (right, wrong, right, wrong)]
    assert [g.verdict for g in graded] == [Verdict.CORRECT, Verdict.INCORRECT] * 2
    assert graded[0] == graded[2] and graded[1] == graded[3]
    assert one_worker.run(memo_size) == 2
    # Another language is another question: its messages differ.
    chinese = one_worker.run(tasks.evaluate_grade, (BANK, "sigmoid-affine", 3, wrong, "zh_Hans"))
    assert chinese.verdict is Verdict.INCORRECT
    assert one_worker.run(memo_size) == 3


def test_a_worker_remembers_checks_of_the_api_too(one_worker):
    from app.checker.requests import CheckSpec

    spec = CheckSpec(answer="sigma(x)*(1-sigma(x))", function="sigma(x)", wrt="x")
    first, again = (one_worker.run(tasks.evaluate_check, (spec,)) for _ in range(2))
    assert first.equivalent is True and first == again
    assert one_worker.run(memo_size) == 1
