"""The checker's settings and its two lanes of workers.

Answers run in two lanes, so that a hostile or slow answer cannot hold up honest ones: the
main lane gives each answer a small CPU budget; one that uses it up (or looks heavy before it
starts: very long, very deep) runs again in the slow lane, whose workers have a lower CPU
priority, with the full time limit. Only as many answers wait for the slow lane as it has
workers: each waits in a web server thread, and hostile answers queueing there would hold
every thread of the web server, starving the honest answers of threads rather than of CPU.
"""

from __future__ import annotations

import atexit
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.checker import tasks
from app.checker.pool import (
    DEFAULT_MEMORY_MB,
    DEFAULT_QUEUE_TIMEOUT,
    DEFAULT_TIMEOUT,
    DEFAULT_WALL_TIMEOUT,
    WorkerPool,
)

BOOT_MODULE = "app.checker.boot"
# Answers longer or deeper than this start in the slow lane: no honest answer to these
# problems comes near (the longest expected answers are about 120 characters).
HEAVY_LENGTH = 400
HEAVY_DEPTH = 12
# Slow-lane workers yield the CPU to the main lane's on a loaded machine.
SLOW_NICENESS = 10
# Answers that may wait for a slow-lane worker, per worker; the next one is busy at once.
SLOW_WAITING_PER_WORKER = 1


@dataclass(frozen=True)
class CheckerSettings:
    workers: int = 2
    # Workers of the slow lane (0: slow answers share the main lane's workers).
    slow_workers: int = 1
    # CPU seconds an answer may use; in the main lane it first gets only `fast_budget`.
    timeout: float = DEFAULT_TIMEOUT
    fast_budget: float = 1.0
    # For validating and previewing a course template: several variants, each differentiated
    # with its worked steps and mistakes.
    template_timeout: float = 10.0
    wall_timeout: float = DEFAULT_WALL_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT
    problems_dir: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CheckerSettings:
        return cls(
            workers=int(config["CHECK_WORKERS"]),
            slow_workers=int(config["CHECK_SLOW_WORKERS"]),
            timeout=float(config["CHECK_TIMEOUT_SECONDS"]),
            fast_budget=float(config["CHECK_FAST_SECONDS"]),
            template_timeout=float(config["CHECK_TEMPLATE_SECONDS"]),
            wall_timeout=float(config["CHECK_WALL_SECONDS"]),
            memory_mb=int(config["CHECK_MEMORY_MB"]),
            queue_timeout=float(config["CHECK_QUEUE_SECONDS"]),
            problems_dir=str(config["PROBLEMS_DIR"]),
        )


def start_pool(settings: CheckerSettings, *, slow: bool = False) -> WorkerPool:
    """A worker pool for these settings (the slow lane's with ``slow``), warmed for checking
    and closed at exit."""
    pool = WorkerPool(
        workers=settings.slow_workers if slow else settings.workers,
        timeout=settings.timeout,
        wall_timeout=settings.wall_timeout,
        memory_mb=settings.memory_mb,
        queue_timeout=settings.queue_timeout,
        niceness=SLOW_NICENESS if slow else 0,
        max_waiting=settings.slow_workers * SLOW_WAITING_PER_WORKER if slow else None,
        initializer=tasks.warm_up,
        preload=(BOOT_MODULE,),
    )
    atexit.register(pool.close)
    return pool


def looks_heavy(text: str) -> bool:
    """An answer too long or too deep for the main lane, before it starts."""
    return len(text) > HEAVY_LENGTH or _depth(text) > HEAVY_DEPTH


def _depth(text: str) -> int:
    depth = deepest = 0
    for char in text:
        if char == "(":
            depth += 1
            deepest = max(deepest, depth)
        elif char == ")":
            depth -= 1
    return deepest
