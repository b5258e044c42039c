"""Time that means computing: slow answers move to a lane of their own, a check that cannot
start is "busy" (503, nothing recorded), and only an answer's own time makes a time-out."""

from __future__ import annotations

import threading
import time

import pytest

from app.checker.client import HEAVY_LENGTH, Checker, CheckerBusy, CheckerSettings
from app.checker.pool import PoolBusy
from app.checker.requests import parse_check_request
from app.checker.results import Verdict
from app.web.api.replies import check_reply, preview_reply
from tests.checker.holding import hold, wait_for
from tests.practice.conftest import BANK, sigmoid_answers


def occupy(checker: Checker, seconds: float) -> threading.Thread:
    """Keep the checker's only main-lane worker busy (sleeping uses no CPU time); returns
    once the worker is taken."""
    pool = checker.pool
    wait_for(lambda: pool.free == 1)
    thread = threading.Thread(target=checker.run, args=(hold, seconds), daemon=True)
    thread.start()
    wait_for(lambda: pool.free == 0)
    return thread


@pytest.fixture(scope="module")
def lanes():
    # A tiny main-lane budget, so that building a fresh variant (tens of milliseconds of CPU)
    # is already "slow" and must move to the slow lane.
    checker = Checker(CheckerSettings(workers=1, slow_workers=1, timeout=20, fast_budget=0.005,
                                      queue_timeout=5, problems_dir=str(BANK)))
    yield checker
    checker.close()


def test_an_answer_over_the_main_lanes_budget_gets_its_verdict_in_the_slow_lane(lanes):
    seed = 31
    answer = sigmoid_answers(seed)["correct"]
    restarts = lanes.pool.restarts
    outcome = lanes.grade("sigmoid-affine", seed, answer)
    assert outcome.verdict is Verdict.CORRECT
    # The main-lane worker that ran out of budget was replaced, and the text is remembered.
    assert lanes.pool.restarts == restarts + 1
    assert lanes.is_heavy(answer)
    # The same text again, in another language so that no kept grade answers it: it goes
    # straight to the slow lane, and the main lane's worker is not spent on it a second time.
    slow_restarts = lanes.slow_pool.restarts
    assert lanes.in_language("zh_Hans").grade("sigmoid-affine", seed, answer).verdict \
        is Verdict.CORRECT
    assert lanes.pool.restarts == restarts + 1 and lanes.slow_pool.restarts == slow_restarts


def test_long_or_deep_answers_start_in_the_slow_lane(lanes):
    long_answer = "+".join(["x"] * (HEAVY_LENGTH // 2 + 1))
    deep_answer = "σ(" * 20 + "x" + ")" * 20
    assert lanes.is_heavy(long_answer) and lanes.is_heavy(deep_answer)
    assert not lanes.is_heavy("σ(3x + 2)(1 - σ(3x + 2))")
    # While the main lane's only worker is held, heavy answers are still served.
    holder = occupy(lanes, 3)
    spec = parse_check_request({"answer": deep_answer, "expected": "x", "variables": ["x"]})
    assert lanes.check(spec).valid
    holder.join()


def test_a_check_that_cannot_start_is_busy_not_a_timeout():
    checker = Checker(CheckerSettings(workers=1, slow_workers=0, timeout=5, queue_timeout=0.3,
                                      problems_dir=str(BANK)))
    try:
        checker.run(hold, 0)  # started and warm
        holder = occupy(checker, 3)
        with pytest.raises(CheckerBusy):
            checker.grade("sigmoid-affine", 1, "x")
        status, body, headers = check_reply(checker, {"answer": "x", "expected": "x"})
        assert status == 503
        assert body == {"error": {"code": "busy", "message": body["error"]["message"]}}
        assert "not checked" in body["error"]["message"]
        assert int(headers["Retry-After"]) >= 1
        status, body, headers = preview_reply(checker, {"answer": "x"})
        assert status == 503 and body["error"]["code"] == "busy" and "Retry-After" in headers
        holder.join()
        assert check_reply(checker, {"answer": "x", "expected": "x"}).status == 200
    finally:
        checker.close()


def test_an_honest_answer_waiting_behind_another_is_never_timed_out():
    # One worker, a CPU limit far below the time the answer waits: it still gets its verdict.
    checker = Checker(CheckerSettings(workers=1, slow_workers=0, timeout=0.5, fast_budget=0.5,
                                      queue_timeout=10, problems_dir=str(BANK)))
    try:
        seed = 8
        answers = sigmoid_answers(seed)
        answer = answers["correct"]
        # Builds the variant in the worker; another answer, or the grade would be recalled.
        checker.grade("sigmoid-affine", seed, answers["chain_dropped"])
        holder = occupy(checker, 1.5)
        started = time.monotonic()
        outcome = checker.grade("sigmoid-affine", seed, answer)
        waited = time.monotonic() - started
        holder.join()
        assert waited > 1.0
        assert outcome.verdict is Verdict.CORRECT
    finally:
        checker.close()


def test_only_as_many_answers_wait_for_the_slow_lane_as_it_has_workers():
    # Each waiting answer holds a web server thread; past the slow lane's queue the next one
    # is busy at once, so hostile answers cannot take every thread of the web server.
    checker = Checker(CheckerSettings(workers=1, slow_workers=1, timeout=5, queue_timeout=5,
                                      problems_dir=str(BANK)))
    try:
        slow = checker.slow_pool
        slow.run(hold, (0,))
        running = threading.Thread(target=slow.run, args=(hold, (2,)), daemon=True)
        waiting = threading.Thread(target=slow.run, args=(hold, (0,)), daemon=True)
        running.start()
        wait_for(lambda: slow.free == 0)
        waiting.start()
        wait_for(lambda: slow.waiting == 1)
        with pytest.raises(CheckerBusy) as refused:
            checker.grade("sigmoid-affine", 1, "σ(" * 20 + "x" + ")" * 20)
        # Refused at once, not after waiting out the queue time.
        assert isinstance(refused.value.__cause__, PoolBusy)
        assert refused.value.__cause__.seconds == 0
        running.join()
        waiting.join()
        # The main lane has no such bound: its answers wait up to the queue time.
        assert checker.pool.max_waiting is None
        assert checker.grade("sigmoid-affine", 1, "σ(" * 20 + "x" + ")" * 20).verdict \
            is Verdict.INCORRECT
    finally:
        checker.close()


HOSTILE = {
    "a power of a power of ten": "x^(10^100)",
    "a polynomial of degree a million": "(x+1)^(10^6)",
    "a thousand factors": "x" + "*x" * 999,
    "a thousand divisions": "x" + "/x" * 999,
    "a thousand signs": "-" * 1998 + "x",
    "a thousand terms": "1" + "+x" * 999,
    "four hundred sigmoids multiplied": "σ(x)" * 399,
    "products and quotients": "x" + "*x/x" * 399,
    "fifty nested sigmoids": "σ(" * 50 + "x" + ")" * 50,
}


@pytest.mark.parametrize("answer", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_answers_get_a_verdict_quickly_and_never_an_internal_error(answer):
    # Within the limits of the contract (2,000 characters, 100 levels), so each gets a verdict
    # within the checker's default limits: naming a mistake never turns one into a time-out.
    checker = Checker(CheckerSettings(workers=1, slow_workers=1, problems_dir=str(BANK)))
    try:
        checker.grade("sigmoid-affine", 1, "x")  # the workers are warm, the variant built
        outcome = checker.grade("sigmoid-affine", 1, answer)
        assert outcome.verdict is Verdict.INCORRECT, outcome.error
        assert outcome.answer_mathml.startswith("<math")
    finally:
        checker.close()
