"""What the worker pool (app.checker.pool) reports instead of a result; each says whether
anything ran, so that callers can tell "no verdict" from "not checked"."""

from __future__ import annotations


class PoolError(RuntimeError):
    """Base class of every failure the pool reports instead of a result."""


class CheckTimeout(PoolError):
    """The task used up its CPU time limit (or, with ``wall=True``, ran into the wall-clock
    backstop); its worker was killed and replaced."""

    def __init__(self, seconds: float, *, wall: bool = False):
        self.seconds = seconds
        self.wall = wall
        clock = "wall-clock" if wall else "CPU"
        super().__init__(f"the task did not finish within {seconds:g} s of {clock} time")

    def __reduce__(self):
        return (_timeout, (self.seconds, self.wall))


def _timeout(seconds: float, wall: bool) -> CheckTimeout:
    return CheckTimeout(seconds, wall=wall)


class PoolBusy(PoolError):
    """No worker became free in time to even start the task: nothing was computed."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"no worker became free within {seconds:g} s" if seconds else
                         "every worker is busy and as many callers as allowed are waiting")


class WorkerMemoryError(PoolError):
    """The task needed more memory than the worker's cap; the worker was replaced."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        super().__init__(f"the task needed more than {memory_mb} MB of memory")


class WorkerCrashed(PoolError):
    """The worker process died without answering (a crash, or killed from outside)."""

    def __init__(self, exitcode: int | None):
        self.exitcode = exitcode
        super().__init__(f"the worker process died (exit code {exitcode})")


class PoolClosed(PoolError):
    """The pool was closed before or while the task was waiting for a worker."""
