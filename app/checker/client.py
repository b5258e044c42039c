"""The checker as the rest of the app calls it: one `Checker` per app, bound in create_app.

Every method runs one task of `app.checker.tasks` in the worker pool under the hard time and
memory limits, and this is the one place where what the pool reports instead of a result
(time limit, memory cap, busy, crash) becomes something a caller can show: an
`AnswerProblem` inside the result for answers, `Unavailable` for the rest (views, plots).
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from cachetools import LRUCache

from app.checker import tasks
from app.checker.pool import (
    DEFAULT_MEMORY_MB,
    DEFAULT_QUEUE_TIMEOUT,
    DEFAULT_TIMEOUT,
    CheckTimeout,
    PoolBusy,
    PoolError,
    WorkerMemoryError,
    WorkerPool,
)
from app.checker.requests import CheckRequestError, CheckSpec
from app.checker.results import (
    INTERNAL,
    AnswerProblem,
    CatalogueEntry,
    CheckResult,
    GradeOutcome,
    PlotData,
    PlotKind,
    PreviewResult,
    ProblemView,
    UnknownVariant,
    Verdict,
)

log = logging.getLogger(__name__)

BOOT_MODULE = "app.checker.boot"
VIEW_CACHE_SIZE = 1024


class Unavailable(RuntimeError):
    """The checker could not produce this right now (busy, over a limit, or failed)."""


@dataclass(frozen=True)
class CheckerSettings:
    workers: int = 2
    timeout: float = DEFAULT_TIMEOUT
    memory_mb: int = DEFAULT_MEMORY_MB
    queue_timeout: float = DEFAULT_QUEUE_TIMEOUT
    problems_dir: str = ""

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> CheckerSettings:
        return cls(
            workers=int(config["CHECK_WORKERS"]),
            timeout=float(config["CHECK_TIMEOUT_SECONDS"]),
            memory_mb=int(config["CHECK_MEMORY_MB"]),
            problems_dir=str(config["PROBLEMS_DIR"]),
        )


def answer_problem(exc: PoolError) -> AnswerProblem:
    """The student-facing explanation of a task the pool stopped or could not run."""
    if isinstance(exc, PoolBusy):
        return AnswerProblem(
            "timeout",
            "The checker is busy and could not start on this answer in time; "
            "please try again in a moment.",
        )
    if isinstance(exc, CheckTimeout):
        return AnswerProblem(
            "timeout",
            f"Checking this answer took longer than the {exc.seconds:g}-second limit, so there "
            "is no verdict. Try writing it in a simpler form.",
        )
    if isinstance(exc, WorkerMemoryError):
        return AnswerProblem(
            "too_large",
            "Checking this answer needed more memory than allowed, so there is no verdict. "
            "Try writing it in a simpler form.",
        )
    log.error("the checking pool failed", exc_info=exc)
    return internal_problem()


def start_pool(settings: CheckerSettings) -> WorkerPool:
    """A worker pool for these settings, warmed for checking and closed at exit."""
    pool = WorkerPool(
        workers=settings.workers,
        timeout=settings.timeout,
        memory_mb=settings.memory_mb,
        queue_timeout=settings.queue_timeout,
        initializer=tasks.warm_up,
        preload=(BOOT_MODULE,),
    )
    atexit.register(pool.close)
    return pool


def internal_problem() -> AnswerProblem:
    return AnswerProblem(
        INTERNAL, "The checker failed on this answer, so there is no verdict; please try again."
    )


class Checker:
    """Answer checks, grading, problem views and plot data, each run in the worker pool.

    The pool starts on first use, never at creation (gunicorn forks workers after building the
    app), and again in a forked child, which must not share its parent's workers. ``pool``
    shares an existing pool instead (tests run many apps on one); a shared pool is not closed.
    """

    def __init__(self, settings: CheckerSettings, pool: WorkerPool | None = None):
        self.settings = settings
        self._pool = pool
        self._owns_pool = pool is None
        self._lock = threading.Lock()
        self._views: LRUCache = LRUCache(VIEW_CACHE_SIZE)
        self._catalogue: tuple[CatalogueEntry, ...] | None = None

    @property
    def pool(self) -> WorkerPool:
        with self._lock:
            if self._pool is None or (self._owns_pool and not self._pool.usable_here):
                self._pool = start_pool(self.settings)
            return self._pool

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """``fn(*args)`` in a worker under the limits; raises the pool's errors as they are."""
        return self.pool.run(fn, args, timeout=self.settings.timeout if timeout is None
                             else timeout)

    def close(self) -> None:
        with self._lock:
            if self._pool is not None and self._owns_pool:
                self._pool.close()
            self._pool = None

    # ----------------------------------------------------------------------------------------
    # Answers: problems with the answer come back inside the result

    def check(self, spec: CheckSpec, *, timeout: float | None = None) -> CheckResult:
        """Check a validated request; raises `CheckRequestError` for an invalid expected side."""
        start = time.perf_counter()
        try:
            result = self.run(tasks.evaluate_check, spec, timeout=timeout)
        except CheckRequestError:
            raise
        except PoolError as exc:
            result = CheckResult(True, None, answer_problem(exc), None, None)
        except Exception as exc:
            log.error("an answer check failed", exc_info=exc)
            result = CheckResult(True, None, internal_problem(), None, None)
        return replace(result, elapsed_ms=_elapsed_ms(start))

    def preview(self, answer: str, variables: tuple[str, ...] | None = None, *,
                timeout: float | None = None) -> PreviewResult:
        """How the engine reads ``answer`` (without ``variables``, any name is a variable)."""
        try:
            return self.run(tasks.evaluate_preview, answer, variables, timeout=timeout)
        except PoolError as exc:
            problem = answer_problem(exc)
        except Exception as exc:
            log.error("an answer preview failed", exc_info=exc)
            problem = internal_problem()
        # No reading of the answer came back, so it cannot be shown as read.
        return PreviewResult(False, problem, None, None, None)

    def grade(self, template_id: str, seed: int, answer: str, *,
              timeout: float | None = None) -> GradeOutcome:
        """Grade ``answer`` for the variant (template_id, seed).

        Raises `UnknownVariant` when the bank has no such template; every problem with the
        answer itself (unreadable, too slow, too big) is an outcome, never an exception.
        """
        start = time.perf_counter()
        try:
            outcome = self.run(tasks.evaluate_grade, self.settings.problems_dir, template_id,
                               int(seed), answer, timeout=timeout)
        except UnknownVariant:
            raise
        except PoolError as exc:
            outcome = GradeOutcome(Verdict.TIMEOUT, error=answer_problem(exc))
        except Exception as exc:
            log.error("grading %s#%s failed", template_id, seed, exc_info=exc)
            outcome = GradeOutcome(Verdict.TIMEOUT, error=internal_problem())
        return replace(outcome, elapsed_ms=_elapsed_ms(start))

    # ----------------------------------------------------------------------------------------
    # The bank: what cannot be produced raises `Unavailable`

    def _produce(self, fn: Callable[..., Any], *args: Any) -> Any:
        try:
            return self.run(fn, self.settings.problems_dir, *args)
        except UnknownVariant:
            raise
        except PoolError as exc:
            raise Unavailable(str(exc)) from exc
        except Exception as exc:
            log.warning("%s%r failed", fn.__name__, args[:3], exc_info=exc)
            raise Unavailable(f"{fn.__name__} failed: {exc}") from exc

    def catalogue(self) -> tuple[CatalogueEntry, ...]:
        """The bank's templates, read once (the bank changes only on deploy)."""
        if self._catalogue is None:
            self._catalogue = self._produce(tasks.build_catalogue)
        return self._catalogue

    def view(self, template_id: str, seed: int) -> ProblemView:
        """What a page shows of (template_id, seed); cached, so a reload costs no pool trip."""
        key = (template_id, int(seed))
        with self._lock:
            found = self._views.get(key)
        if found is not None:
            return found
        view = self._produce(tasks.build_view, template_id, int(seed))
        with self._lock:
            self._views[key] = view
        return view

    def plot_data(self, kind: PlotKind, template_id: str, seed: int,
                  answer: str | None = None) -> PlotData:
        return self._produce(tasks.plot_data, kind, template_id, int(seed), answer)

    def equivalence_classes(self, template_id: str, seed: int, answers: list[str]) -> list[int]:
        return self._produce(tasks.equivalence_classes, template_id, int(seed), answers)


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
