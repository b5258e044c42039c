"""A task that occupies a checker worker without using CPU, in a module of its own: a worker
imports the module of each task it runs, and this one must import nothing heavy."""

import time


def hold(seconds: float) -> float:
    time.sleep(seconds)
    return seconds
