"""A CPU-time budget for work that is worth doing only if it is quick.

The verdict on an answer is decided by the equivalence check, under the checker's own time
limit. What comes after it for a wrong answer, naming the mistake, is teaching, not grading:
sympy's factoring and cancelling are exponential in the worst case (``x^1000``,
``(x+1)^(10^6)``, 400 factors of σ), and a hostile answer must not turn a 10 ms verdict into a
time-out. `cpu_budget` stops such work after a few hundred milliseconds of the process's own
CPU time (never time spent waiting for a CPU), so the student still gets the verdict and the
general message.

It uses the interval timer of the process (``ITIMER_PROF``, user and system time), so it works
only in the main thread of a process that does not use that timer for something else: the
checker's workers. Elsewhere (a test's thread, a platform without interval timers) the work
runs unbounded, which is what the caller would get without the budget.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class OutOfBudget(Exception):
    """The work ran past its CPU budget and was stopped."""


def _available() -> bool:
    return (hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF")
            and threading.current_thread() is threading.main_thread())


def _stop(_signum, _frame) -> None:
    raise OutOfBudget()


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise `OutOfBudget` inside the block once it has used ``seconds`` of CPU time.

    A budget inside another one keeps the outer one's remaining time when that is shorter, so
    nesting never extends a budget.
    """
    if not _available():
        yield
        return
    previous_handler = signal.signal(signal.SIGPROF, _stop)
    outer_remaining, _interval = signal.getitimer(signal.ITIMER_PROF)
    limit = seconds if not outer_remaining else min(seconds, outer_remaining)
    signal.setitimer(signal.ITIMER_PROF, limit)
    try:
        yield
    finally:
        left, _interval = signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, previous_handler)
        if outer_remaining:
            # The outer budget goes on with what it had, less what this block used.
            used = limit - left
            signal.setitimer(signal.ITIMER_PROF, max(outer_remaining - used, 1e-6))
