"""The CPU budget that bounds the search for a wrong answer's mistake."""

from __future__ import annotations

import contextlib
import gc
import signal
import threading
import time

import pytest

from app.bank import judge as judging
from app.bank import load_bank
from app.cas.budget import OutOfBudget, cpu_budget, take_stopped
from app.cas.parse import parse
from tests.practice.conftest import BANK


def _spin(seconds: float) -> None:
    end = time.process_time() + seconds
    while time.process_time() < end:
        pass


def test_work_past_its_budget_is_stopped_and_the_timer_is_left_as_it_was():
    started = time.process_time()
    with pytest.raises(OutOfBudget), cpu_budget(0.05):
        _spin(5)
    assert time.process_time() - started < 1
    assert take_stopped() and not take_stopped()
    with cpu_budget(0.5):
        _spin(0.01)
    _spin(0.6)  # no budget is left running after a block ends
    assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
    assert signal.getsignal(signal.SIGPROF) in (signal.SIG_DFL, None)
    assert not take_stopped()


def test_the_collector_waits_for_the_end_of_a_budget():
    # Its pauses would spend the work's budget.
    assert gc.isenabled()
    with pytest.raises(OutOfBudget), cpu_budget(0.05):
        assert not gc.isenabled()
        _spin(5)
    assert gc.isenabled()
    take_stopped()
    gc.disable()
    try:
        with cpu_budget(0.5):
            _spin(0.01)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()


def test_work_that_swallows_the_first_stop_is_stopped_again():
    started = time.process_time()
    with pytest.raises(OutOfBudget), cpu_budget(0.05):
        with contextlib.suppress(BaseException):  # what a careless library might do
            _spin(5)
        _spin(5)
    assert time.process_time() - started < 1
    take_stopped()


def test_someone_elses_timer_is_left_alone():
    def theirs(_signum, _frame):
        pass

    previous = signal.signal(signal.SIGPROF, theirs)
    try:
        with cpu_budget(0.01):
            _spin(0.1)
        assert signal.getsignal(signal.SIGPROF) is theirs
    finally:
        signal.signal(signal.SIGPROF, previous)


def test_a_budget_inside_another_never_outlasts_it():
    started = time.process_time()
    with pytest.raises(OutOfBudget), cpu_budget(0.1), cpu_budget(10):
        _spin(5)
    assert time.process_time() - started < 1


def test_outside_the_main_thread_work_runs_unbounded():
    done = []

    def work():
        with cpu_budget(0.01):
            _spin(0.1)
        done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]


def test_a_wrong_answer_whose_diagnosis_runs_out_of_budget_keeps_its_verdict(monkeypatch):
    variant = load_bank(BANK).variant("sigmoid-affine", 1)

    def endless(*_args, **_kwargs):
        _spin(30)

    monkeypatch.setattr(judging, "diagnose", endless)
    monkeypatch.setattr(judging, "DIAGNOSIS_SECONDS", 0.05)
    started = time.process_time()
    judgement = judging.judge(variant, parse("x", list(variant.variables)), "x")
    assert time.process_time() - started < 1
    assert judgement.verdict == judging.INCORRECT and not judgement.specific
    assert judgement.message


@pytest.mark.parametrize("answer", ["x^1000", "(x+1)^(10^6)", "x^(10^100)", "σ(x)^400"])
def test_high_powers_are_not_factored_to_name_a_mistake(answer):
    variant = load_bank(BANK).variant("sigmoid-affine", 1)
    started = time.process_time()
    judgement = judging.judge(variant, parse(answer, list(variant.variables)), answer)
    assert judgement.verdict == judging.INCORRECT
    assert time.process_time() - started < 0.3
