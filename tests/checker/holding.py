"""A task that occupies a checker worker without using CPU, in a module of its own: a worker
imports the module of each task it runs, and this one must import nothing heavy."""

import time
from collections.abc import Callable


def hold(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def run_out_of_budget() -> str:
    """Work stopped by `app.cas.budget`, as a diagnosis can be: the task still answers."""
    from app.cas.budget import OutOfBudget, cpu_budget

    try:
        with cpu_budget(0.02):
            while True:
                pass
    except OutOfBudget:
        return "stopped"


def wait_for(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Poll until `condition()` holds: the state a test needs, however slow the host."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the pool never reached the state the test waits for")
        time.sleep(0.005)
