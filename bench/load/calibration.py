"""How fast this machine runs Python, so that figures from different machines compare.

CPU milliseconds per request depend on the processor as much as on the code: the same commit
measured about 7 ms per graded answer on one machine of this kind and 11.5 ms on another a
day later. The figure printed is the CPU time of a fixed piece
of interpreter work (a loop of additions, attribute lookups and calls, the mix a request is
made of), median of five; divide a benchmark's CPU figures by it to compare machines.
"""

from __future__ import annotations

import statistics
import time


class _Thing:
    def __init__(self, value: int):
        self.value = value

    def bumped(self) -> int:
        return self.value + 1


def _work() -> int:
    total = 0
    things = [_Thing(i) for i in range(100)]
    for _ in range(2_000):
        for thing in things:
            total += thing.bumped()
    return total


def python_speed_ms() -> float:
    """CPU milliseconds of the fixed work (lower is faster)."""
    runs = []
    for _ in range(5):
        start = time.process_time()
        _work()
        runs.append(1000 * (time.process_time() - start))
    return statistics.median(runs)


def describe() -> str:
    return (f"machine: {python_speed_ms():.1f} CPU ms for the calibration work "
            f"(bench/load/calibration.py; CPU figures scale with it)")
