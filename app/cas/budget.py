"""A CPU-time budget for work that is worth doing only if it is quick.

The verdict on an answer is decided by the equivalence check, under the checker's own time
limit. What comes after it for a wrong answer, naming the mistake, is teaching, not grading:
sympy's factoring and cancelling are exponential in the worst case (``x^1000``,
``(x+1)^(10^6)``, 400 factors of σ), and a hostile answer must not turn a 10 ms verdict into a
time-out. `cpu_budget` stops such work after a few hundred milliseconds of the process's own
CPU time (never time spent waiting for a CPU), so the student still gets the verdict and the
general message.

It uses the interval timer of the process (``ITIMER_PROF``, user and system time), so it works
only in the main thread of a process where nothing else uses that timer: the checker's
workers. Elsewhere (a test's thread, a profiler's process, a platform without interval
timers) the work runs unbounded, which is what the caller would get without the budget.

Stopping code at an arbitrary point can skip another library's clean-up (a precision it
meant to restore), so a process whose budget ran out says so (`take_stopped`) and the checker
replaces that worker after its task (`app/checker/worker.py`).
"""

from __future__ import annotations

import gc
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

# Once the budget is spent the signal comes again at this interval, in case something caught
# the first one.
_REPEAT_SECONDS = 0.05


class OutOfBudget(BaseException):
    """The work ran past its CPU budget and was stopped (a BaseException, so that a library's
    ``except Exception`` cannot swallow it)."""


class _State:
    armed = False
    stopped = False


_state = _State()


def take_stopped() -> bool:
    """Whether a budget stopped work in this process since the last call."""
    stopped, _state.stopped = _state.stopped, False
    return stopped


def _stop(_signum, _frame) -> None:
    # A signal that arrives while the block is being left is ignored: the work finished.
    if _state.armed:
        _state.stopped = True
        raise OutOfBudget()


def _available() -> bool:
    if not (hasattr(signal, "setitimer") and hasattr(signal, "SIGPROF")
            and threading.current_thread() is threading.main_thread()):
        return False
    handler = signal.getsignal(signal.SIGPROF)
    # Someone else's timer (a profiler): leave it alone.
    return handler in (signal.SIG_DFL, signal.SIG_IGN, None) and not signal.getitimer(
        signal.ITIMER_PROF)[0]


@contextmanager
def cpu_budget(seconds: float) -> Iterator[None]:
    """Raise `OutOfBudget` inside the block once it has used ``seconds`` of CPU time.

    A budget inside another one (the handler already installed) runs under the outer one:
    nesting never extends a budget.
    """
    if _state.armed or not _available():
        yield
        return
    previous = signal.signal(signal.SIGPROF, _stop)
    # The budget is the work's own CPU: a full collection of the process's older garbage
    # (hundreds of milliseconds in a large heap) would spend it, and the stop raised inside
    # a collector's callback is ignored. The work is short: its garbage waits for the end.
    collecting = gc.isenabled()
    gc.disable()
    _state.armed = True
    signal.setitimer(signal.ITIMER_PROF, seconds, _REPEAT_SECONDS)
    try:
        yield
    finally:
        try:
            _state.armed = False
        finally:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)
            if collecting:
                gc.enable()
