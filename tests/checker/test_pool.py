"""The worker pool: hard time and memory limits, recovery, and concurrency."""

from __future__ import annotations

import gc
import os
import pickle
import resource
import threading
import time

import pytest

from app.checker.client import Checker, CheckerSettings
from app.checker.pool import (
    CheckTimeout,
    PoolBusy,
    PoolClosed,
    PoolError,
    WorkerCrashed,
    WorkerMemoryError,
    WorkerPool,
)
from app.checker.worker import RemoteError
from tests.checker.holding import hold, run_out_of_budget, wait_for

LIMIT = 0.5
# Scheduling slack on a loaded 2-core CI machine: a kill is never early, and never much late.
SLACK = 1.5
MEMORY_MB = 400


# Tasks run in worker processes, so they must be importable top-level functions.


def add(a, b, *, scale=1):
    return (a + b) * scale


def worker_pid():
    return os.getpid()


def address_space_limit():
    return resource.getrlimit(resource.RLIMIT_AS)[0]


def spin_forever():
    while True:
        pass


def sleep_for(seconds):
    time.sleep(seconds)
    return seconds


def allocate_forever():
    hoard = []
    while True:
        hoard.append(bytearray(32 * 1024 * 1024))


def fail_with_value_error():
    raise ValueError("bad value from the task")


class Unpicklable(Exception):
    def __reduce__(self):
        raise TypeError("cannot pickle this")


def fail_unpicklably():
    raise Unpicklable("nope")


def die_abruptly():
    os._exit(7)


def failing_initializer():
    raise RuntimeError("cannot warm up")


@pytest.fixture(scope="module")
def pool():
    with WorkerPool(workers=2, timeout=LIMIT, memory_mb=MEMORY_MB, initializer=None) as p:
        yield p


def timed(fn, *args, **kwargs):
    start = time.monotonic()
    try:
        return fn(*args, **kwargs), time.monotonic() - start
    except Exception as exc:
        return exc, time.monotonic() - start


def test_what_a_worker_loaded_before_its_first_task_is_left_out_of_collections(pool):
    # gc.freeze(): a full collection would otherwise walk sympy and the bank mid-check.
    assert pool.run(gc.get_freeze_count) > 0


def test_runs_a_task_and_returns_its_result(pool):
    assert pool.run(add, (2, 3), {"scale": 10}) == 50


def test_tasks_run_in_other_processes_under_the_memory_cap(pool):
    assert pool.run(worker_pid) != os.getpid()
    assert pool.run(address_space_limit) == MEMORY_MB * 1024 * 1024


def test_runaway_task_is_killed_at_the_limit_and_the_worker_replaced(pool):
    before = pool.restarts
    error, elapsed = timed(pool.run, spin_forever)
    # Killed for the CPU it used, never early; on a loaded machine a CPU second takes longer
    # than a wall-clock one, so only the backstop bounds the wait.
    assert isinstance(error, CheckTimeout) and not error.wall
    assert LIMIT <= elapsed < pool.wall_timeout
    assert pool.restarts == before + 1
    assert pool.run(add, (1, 1)) == 2


def test_per_call_time_limit_overrides_the_default(pool):
    error, elapsed = timed(pool.run, spin_forever, timeout=0.2)
    assert isinstance(error, CheckTimeout) and not error.wall
    assert error.seconds == 0.2
    assert 0.2 <= elapsed < pool.wall_timeout
    assert pool.run(add, (0, 7), timeout=2) == 7


def test_the_limit_counts_the_tasks_cpu_time_not_time_spent_waiting(pool):
    # Sleeping stands in for a task that waits for a CPU on a loaded machine: twice its CPU
    # limit of wall-clock time passes, yet it used almost no CPU and gets its answer.
    assert pool.run(sleep_for, (2 * LIMIT,)) == 2 * LIMIT


def test_a_wall_clock_backstop_stops_what_the_cpu_clock_cannot_see():
    with WorkerPool(workers=1, timeout=0.2, wall_timeout=0.5, initializer=None) as backstopped:
        error, elapsed = timed(backstopped.run, sleep_for, (30,))
        assert isinstance(error, CheckTimeout) and error.wall
        assert elapsed < 0.5 + SLACK
        assert backstopped.run(add, (2, 2)) == 4


def test_memory_hog_is_stopped_and_the_worker_replaced(pool):
    before = pool.restarts
    error, elapsed = timed(pool.run, allocate_forever, timeout=10)
    assert isinstance(error, WorkerMemoryError)
    assert error.memory_mb == MEMORY_MB
    assert elapsed < 10
    assert pool.restarts == before + 1
    assert pool.run(add, (2, 2)) == 4


def test_exceptions_from_the_task_reach_the_caller(pool):
    with pytest.raises(ValueError, match="bad value from the task") as info:
        pool.run(fail_with_value_error)
    assert any("fail_with_value_error" in note for note in info.value.__notes__)
    with pytest.raises(RemoteError, match="Unpicklable: nope"):
        pool.run(fail_unpicklably)
    assert pool.run(add, (1, 2)) == 3


def test_worker_that_dies_is_reported_and_replaced(pool):
    with pytest.raises(WorkerCrashed) as info:
        pool.run(die_abruptly)
    assert info.value.exitcode == 7
    assert pool.run(add, (3, 3)) == 6


def test_unpicklable_task_fails_in_the_caller_without_harming_the_pool(pool):
    with pytest.raises((pickle.PicklingError, AttributeError, TypeError)):
        pool.run(lambda: 1)
    assert pool.run(add, (4, 4)) == 8


def test_other_calls_are_served_while_a_worker_is_stuck(pool):
    # Causal rather than a wall-clock bound, so a loaded CI machine cannot fail it: every
    # call must come back while the stuck task still holds its worker.
    stuck = threading.Thread(target=timed, args=(pool.run, spin_forever), kwargs={"timeout": 4})
    stuck.start()
    try:
        wait_for(lambda: pool.free == 1)
        results = [pool.run(add, (i, i)) for i in range(20)]
        still_stuck = stuck.is_alive()
    finally:
        stuck.join()
    assert results == [2 * i for i in range(20)]
    assert still_stuck, "the calls waited for the stuck worker instead of using the free one"


def test_many_threads_share_the_pool_safely(pool):
    results: dict[int, object] = {}

    def call(i):
        results[i] = pool.run(add, (i, 1))

    threads = [threading.Thread(target=call, args=(i,)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {i: i + 1 for i in range(16)}


def test_caller_gives_up_when_no_worker_frees_up_in_time():
    with WorkerPool(workers=1, timeout=3, queue_timeout=0.3, initializer=None) as single:
        assert single.run(add, (0, 0)) == 0
        stuck = threading.Thread(
            target=timed, args=(single.run, spin_forever), kwargs={"timeout": 1.0}
        )
        stuck.start()
        wait_for(lambda: single.free == 0)
        error, elapsed = timed(single.run, add, (1, 1))
        stuck.join()
        # Not a time-out: nothing ran, so nothing can have run out of time.
        assert isinstance(error, PoolBusy) and not isinstance(error, CheckTimeout)
        assert elapsed < 0.3 + SLACK
        assert single.run(add, (1, 1)) == 2


def test_closed_pool_refuses_work():
    single = WorkerPool(workers=1, initializer=None)
    single.close()
    with pytest.raises(PoolClosed):
        single.run(add, (1, 1))


def test_worker_that_cannot_start_is_reported():
    with (
        WorkerPool(workers=1, initializer=failing_initializer) as broken,
        pytest.raises(PoolError, match="cannot warm up"),
    ):
        broken.run(add, (1, 1))


@pytest.mark.parametrize(
    "settings",
    [{"workers": 0}, {"timeout": 0}, {"timeout": -1}, {"wall_timeout": 0}, {"memory_mb": 10}],
)
def test_bad_settings_are_refused(settings):
    with pytest.raises(ValueError):
        WorkerPool(**settings)


def test_bad_per_call_limit_is_refused(pool):
    with pytest.raises(ValueError):
        pool.run(add, (1, 1), timeout=0)


def test_a_checker_starts_its_pool_once_and_again_after_close():
    checker = Checker(CheckerSettings(workers=1, timeout=1.0, memory_mb=300))
    first = checker.pool
    try:
        assert checker.pool is first
        assert first.workers == 1 and first.timeout == 1.0 and first.memory_mb == 300
        assert checker.run(add, 5, 5) == 10
    finally:
        checker.close()
    assert first.closed
    try:
        assert checker.pool is not first
    finally:
        checker.close()


def test_a_shared_pool_is_not_closed_by_the_checker_that_borrows_it(pool):
    borrower = Checker(CheckerSettings(), pool=pool)
    assert borrower.pool is pool and borrower.run(add, 2, 3) == 5
    borrower.close()
    assert not pool.closed


def test_a_forked_child_does_not_use_its_parents_pool(pool):
    read_end, write_end = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            pool.run(add, (1, 1))
            os.write(write_end, b"used")
        except PoolClosed:
            os.write(write_end, b"refused")
        finally:
            os._exit(0)
    os.close(write_end)
    os.waitpid(child, 0)
    assert os.read(read_end, 16) == b"refused"
    os.close(read_end)
    assert pool.run(add, (1, 1)) == 2


def test_loading_the_tasks_module_does_not_count_against_the_limit(tmp_path, monkeypatch):
    (tmp_path / "slow_to_import_task.py").write_text(
        "import time\ntime.sleep(1.0)\n\ndef answer():\n    return 42\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    import slow_to_import_task

    # Workers started now see the module path; the import in the worker takes 1 s, twice the
    # task's limit, yet the task itself is instant.
    with WorkerPool(workers=1, timeout=LIMIT, initializer=None) as fresh:
        assert fresh.run(slow_to_import_task.answer) == 42


def test_a_worker_whose_budget_stopped_work_answers_then_is_replaced():
    with WorkerPool(workers=1, timeout=5) as pool:
        assert pool.run_whole(run_out_of_budget) == ("stopped", False)
        assert pool.restarts == 1
        assert pool.run_whole(hold, (0,)) == (0, True)
        assert pool.restarts == 1


def test_equal_affinity_goes_to_the_same_worker_when_it_is_free(pool):
    first = pool.run(worker_pid, affinity=("sigmoid-affine", 7))
    for _ in range(6):
        pool.run(worker_pid)  # the other worker is the most recently used one now and then
        assert pool.run(worker_pid, affinity=("sigmoid-affine", 7)) == first


def test_affinity_takes_another_worker_when_its_own_is_busy(pool):
    own = pool.run(worker_pid, affinity="key")
    free = pool.free
    holder = threading.Thread(target=pool.run, args=(hold, (1.0,)), kwargs={"affinity": "key"})
    holder.start()
    wait_for(lambda: pool.free == free - 1)
    assert pool.run(worker_pid, affinity="key") != own  # not waiting for the busy one
    holder.join()


def test_a_replacement_keeps_its_predecessors_place(pool):
    own = pool.run(worker_pid, affinity="key")
    with pytest.raises(CheckTimeout):
        pool.run(spin_forever, affinity="key")
    replacement = pool.run(worker_pid, affinity="key")
    assert replacement != own
    for _ in range(4):
        pool.run(worker_pid)
        assert pool.run(worker_pid, affinity="key") == replacement
