"""The checker as the rest of the app calls it: one `Checker` per app, bound in create_app.

Every method runs one task of `app.checker.tasks` (or `template_tasks`) in a worker under the
hard time and memory limits (in its lane: `app/checker/lanes.py`), except a grade given
before, which the client keeps and answers itself (`Checker._graded`). What the pool reports
instead of a result becomes something a caller can show (`app/checker/problems.py`): an
`AnswerProblem` inside the result for an answer that ran out of its own time or memory,
`CheckerBusy` when no worker was free to start (nothing was decided), `Unavailable` for the
rest (views, plots).
Later answers with the text of one that used up the main lane's budget go to the slow lane
directly.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any

from cachetools import LRUCache

from app.checker import tasks, template_tasks
from app.checker.course_templates import InlineTemplate, TemplateReport, parse_course_ref
from app.checker.lanes import (
    HEAVY_DEPTH,
    HEAVY_LENGTH,
    CheckerSettings,
    looks_heavy,
    start_pool,
)
from app.checker.part_results import PartOutcome, PartsOutcome
from app.checker.pool import (
    CheckTimeout,
    PoolBusy,
    PoolError,
    WorkerMemoryError,
    WorkerPool,
)
from app.checker.problems import (
    RETRY_AFTER_SECONDS,
    CheckerBusy,
    Unavailable,
    answer_problem,
    internal_problem,
)
from app.checker.requests import CheckRequestError, CheckSpec
from app.checker.results import (
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

# Re-exported: callers import the checker's whole interface from here.
__all__ = ["HEAVY_DEPTH", "HEAVY_LENGTH", "RETRY_AFTER_SECONDS", "Checker", "CheckerBusy",
           "CheckerSettings", "Unavailable", "answer_problem", "internal_problem",
           "start_pool"]

log = logging.getLogger(__name__)

VIEW_CACHE_SIZE = 1024
HEAVY_CACHE_SIZE = 4096
SOURCE_CACHE_SIZE = 256
# A grade holds a few kilobytes (mostly the answer's MathML): some megabytes per web process.
GRADE_CACHE_SIZE = 2048


class Checker:
    """Answer checks, grading, problem views and plot data, each run in a worker (a grade
    given before is answered from the client's own cache).

    The pools start on first use, never at creation (gunicorn forks workers after building the
    app), and again in a forked child, which must not share its parent's workers. ``pool``
    shares an existing pool for both lanes instead (tests run many apps on one); a shared
    pool is not closed.
    """

    def __init__(self, settings: CheckerSettings, pool: WorkerPool | None = None):
        self.settings = settings
        self._shared = pool
        self._pools: dict[bool, WorkerPool] = {}
        self._lock = threading.Lock()
        self._views: LRUCache = LRUCache(VIEW_CACHE_SIZE)
        self._heavy: LRUCache = LRUCache(HEAVY_CACHE_SIZE)
        self._catalogues: dict[str, tuple[CatalogueEntry, ...]] = {}
        self._sources: LRUCache = LRUCache(SOURCE_CACHE_SIZE)
        self._grades: LRUCache = LRUCache(GRADE_CACHE_SIZE)
        # Reads a course template version's text from the database (bound in create_app);
        # the checker itself knows nothing of the database.
        self.source_of: Callable[[str], str | None] | None = None
        # The language of its sentences (steps, mistakes, prompts); see `in_language`.
        self.language = "en"

    def in_language(self, language: str) -> Checker:
        """This checker (the same pools and caches) saying its sentences in ``language``: the
        web layer hands one to the services, so a grade made for a page is in its language."""
        if language == self.language:
            return self
        other = copy.copy(self)
        other.language = language
        return other

    def _lane(self, slow: bool) -> WorkerPool:
        if self._shared is not None:
            return self._shared
        slow = slow and self.settings.slow_workers > 0
        with self._lock:
            pool = self._pools.get(slow)
            if pool is None or not pool.usable_here:
                pool = self._pools[slow] = start_pool(self.settings, slow=slow)
            return pool

    @property
    def pool(self) -> WorkerPool:
        """The main lane's pool."""
        return self._lane(slow=False)

    @property
    def slow_pool(self) -> WorkerPool:
        return self._lane(slow=True)

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float | None = None) -> Any:
        """``fn(*args)`` in a main-lane worker under the limits; raises the pool's errors."""
        return self.pool.run(fn, args, timeout=self._limit(timeout))

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close()

    def _limit(self, timeout: float | None) -> float:
        return self.settings.timeout if timeout is None else float(timeout)

    def _run_answer(self, fn: Callable[..., Any], text: str, *args: Any,
                    timeout: float | None, affinity: Hashable | None = None) -> Any:
        """Run a task about the answer `text` in its lane (see the module's docstring), in
        the worker `affinity` prefers when it is free (`WorkerPool.run`)."""
        return self._run_answer_whole(fn, text, *args, timeout=timeout, affinity=affinity)[0]

    def _run_answer_whole(self, fn: Callable[..., Any], text: str, *args: Any,
                          timeout: float | None,
                          affinity: Hashable | None = None) -> tuple[Any, bool]:
        """As `_run_answer`, and whether the work was whole (`WorkerPool.run_whole`)."""
        limit = self._limit(timeout)
        if self.is_heavy(text):
            return self.slow_pool.run_whole(fn, args, timeout=limit, affinity=affinity)
        budget = min(limit, self.settings.fast_budget)
        try:
            return self.pool.run_whole(fn, args, timeout=budget, affinity=affinity)
        except CheckTimeout as exc:
            if exc.wall or budget >= limit:
                raise
        with self._lock:
            self._heavy[text] = True
        return self.slow_pool.run_whole(fn, args, timeout=limit, affinity=affinity)

    def _graded(self, fn: Callable[..., Any], text: str, args: tuple, *,
                affinity: Hashable, timeout: float | None, keep: Callable[[Any], bool]) -> Any:
        """The grade `fn(*args)` gave before (args: the variant, the answer, the language),
        else one from a worker (`_run_answer`), kept for next time when whole and `keep` says.

        Workers keep grades too (app.checker.memo), but each only its own: a repeat that goes
        to another worker, or another lane, is graded again, and even a recalled one costs a
        round trip to the worker. A student's retry or reload, and a class sending the same
        typical answer to a single-variant item, are answered here."""
        key = (fn.__name__, *args)
        with self._lock:
            found = self._grades.get(key)
        if found is not None:
            return found
        outcome, whole = self._run_answer_whole(fn, text, *args, timeout=timeout,
                                                affinity=affinity)
        if whole and keep(outcome):
            with self._lock:
                self._grades[key] = outcome
        return outcome

    def is_heavy(self, text: str) -> bool:
        """Whether `text` runs in the slow lane: too long or deep for the main lane, or an
        answer that used up its main-lane budget before (for a multi-part answer: its parts'
        texts joined by newlines, as `grade_parts` sends them)."""
        if looks_heavy(text):
            return True
        with self._lock:
            return text in self._heavy

    # ----------------------------------------------------------------------------------------
    # Answers: problems with the answer come back inside the result; `CheckerBusy` when the
    # answer could not even start

    def check(self, spec: CheckSpec, *, timeout: float | None = None) -> CheckResult:
        """Check a validated request; raises `CheckRequestError` for an invalid expected side."""
        start = time.perf_counter()
        try:
            result = self._run_answer(tasks.evaluate_check, spec.answer, spec, timeout=timeout)
        except (CheckRequestError, CheckerBusy):
            raise
        except PoolBusy as exc:
            raise CheckerBusy() from exc
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
            return self._run_answer(tasks.evaluate_preview, answer, answer, variables,
                                    timeout=timeout)
        except PoolBusy as exc:
            raise CheckerBusy() from exc
        except PoolError as exc:
            problem = answer_problem(exc)
        except Exception as exc:
            log.error("an answer preview failed", exc_info=exc)
            problem = internal_problem()
        # No reading of the answer came back, so it cannot be shown as read.
        return PreviewResult(False, problem, None, None, None)

    def grade(self, template_id: str, seed: int, answer: str, *,
              timeout: float | None = None, language: str | None = None) -> GradeOutcome:
        """Grade ``answer`` for the variant (template_id, seed), its messages in ``language``.

        Raises `UnknownVariant` when the bank has no such template and `CheckerBusy` when no
        worker could start on it; every problem with the answer itself (unreadable, too slow,
        too big) is an outcome, never an exception.
        """
        start = time.perf_counter()
        language = language or self.language
        try:
            origin = self._origin(template_id)
            outcome = self._graded(
                tasks.evaluate_grade, answer, (origin, template_id, int(seed), answer, language),
                affinity=(template_id, int(seed)), timeout=timeout,
                keep=lambda graded: graded.verdict is not Verdict.TIMEOUT)
        except UnknownVariant:
            raise
        except PoolBusy as exc:
            raise CheckerBusy() from exc
        except PoolError as exc:
            outcome = GradeOutcome(Verdict.TIMEOUT, error=answer_problem(exc))
        except Exception as exc:
            log.error("grading %s#%s failed", template_id, seed, exc_info=exc)
            outcome = GradeOutcome(Verdict.TIMEOUT, error=internal_problem())
        return replace(outcome, elapsed_ms=_elapsed_ms(start))

    def grade_parts(self, template_id: str, seed: int, answers: tuple[str, ...], *,
                    timeout: float | None = None) -> PartsOutcome:
        """Grade one answer per part of a multi-part variant in one task (like `grade`: a
        problem the pool reports is every part's outcome, never an exception)."""
        start = time.perf_counter()
        answers = tuple(answers)
        try:
            origin = self._origin(template_id)
            outcome = self._graded(
                tasks.evaluate_grade_parts, "\n".join(answers),
                (origin, template_id, int(seed), answers, self.language),
                affinity=(template_id, int(seed)), timeout=timeout,
                keep=lambda graded: all(p.outcome.verdict is not Verdict.TIMEOUT
                                        for p in graded.parts))
        except UnknownVariant:
            raise
        except PoolBusy as exc:
            raise CheckerBusy() from exc
        except Exception as exc:
            if isinstance(exc, PoolError):
                problem = answer_problem(exc)
            else:
                log.error("grading %s#%s failed", template_id, seed, exc_info=exc)
                problem = internal_problem()
            view = self.view(template_id, seed)
            outcome = PartsOutcome(tuple(
                PartOutcome(part.part_id, part.label, part.points,
                            GradeOutcome(Verdict.TIMEOUT, error=problem))
                for part in view.parts))
        return replace(outcome, elapsed_ms=_elapsed_ms(start))

    # ----------------------------------------------------------------------------------------
    # The bank: what cannot be produced raises `Unavailable`

    def _origin(self, template_id: str) -> str | InlineTemplate:
        """What a task reads the template from: the bank's folder, or a course template's
        text (raises `UnknownVariant` for a reference to no stored version)."""
        if parse_course_ref(template_id) is None:
            return self.settings.problems_dir
        with self._lock:
            text = self._sources.get(template_id)
        if text is None:
            text = self.source_of(template_id) if self.source_of is not None else None
            if text is None:
                raise UnknownVariant(f"no course template {template_id!r}")
            # Versions are immutable: the text of a reference never changes.
            with self._lock:
                self._sources[template_id] = text
        return InlineTemplate(template_id, text)

    def _produce(self, fn: Callable[..., Any], *args: Any,
                 template_id: str | None = None, affinity: Hashable | None = None) -> Any:
        origin = self.settings.problems_dir if template_id is None else self._origin(template_id)
        try:
            return self.pool.run(fn, (origin, *args), timeout=self._limit(None),
                                 affinity=affinity)
        except UnknownVariant:
            raise
        except PoolError as exc:
            raise Unavailable(str(exc)) from exc
        except Exception as exc:
            log.warning("%s%r failed", fn.__name__, args[:3], exc_info=exc)
            raise Unavailable(f"{fn.__name__} failed: {exc}") from exc

    def catalogue(self, language: str | None = None) -> tuple[CatalogueEntry, ...]:
        """The bank's templates, read once per language (the bank changes only on deploy)."""
        language = language or self.language
        found = self._catalogues.get(language)
        if found is None:
            found = self._catalogues[language] = self._produce(tasks.build_catalogue, language)
        return found

    def view(self, template_id: str, seed: int, language: str | None = None) -> ProblemView:
        """What a page shows of (template_id, seed) in ``language``; cached, so a reload costs
        no pool trip."""
        language = language or self.language
        key = (template_id, int(seed), language)
        with self._lock:
            found = self._views.get(key)
        if found is not None:
            return found
        view = self._produce(tasks.build_view, template_id, int(seed), language,
                             template_id=template_id, affinity=(template_id, int(seed)))
        with self._lock:
            self._views[key] = view
        return view

    def plot_data(self, kind: PlotKind, template_id: str, seed: int,
                  answer: str | None = None, language: str | None = None) -> PlotData:
        try:
            return self._run_answer(tasks.plot_data, answer or "", self._origin(template_id),
                                    kind, template_id, int(seed), answer,
                                    language or self.language, timeout=None,
                                    affinity=(template_id, int(seed)))
        except UnknownVariant:
            raise
        except Exception as exc:
            if not isinstance(exc, PoolError):
                log.warning("a plot of %s#%s failed", template_id, seed, exc_info=exc)
            raise Unavailable(f"no plot of {template_id}#{seed}: {exc}") from exc

    # ----------------------------------------------------------------------------------------
    # Course templates

    def inspect_template(self, text: str, name: str,
                         preview_seeds: tuple[int, ...] = (0, 1, 2)) -> TemplateReport:
        """Validate a template's source and preview some seeds, in a slow-lane worker under
        the template time limit. Raises `CheckerBusy` when no worker could start and
        `Unavailable` (with a sentence for the instructor) when the limits stopped it."""
        limit = self.settings.template_timeout
        try:
            # An instructor's preview waits its turn like before: the bound on the slow
            # lane's queue is for answers, which a class sends by the hundred.
            return self.slow_pool.run(template_tasks.inspect_template,
                                      (text, name, tuple(preview_seeds), self.language),
                                      timeout=limit, queue_bound=False)
        except PoolBusy as exc:
            raise CheckerBusy() from exc
        except CheckTimeout as exc:
            raise Unavailable(f"Checking this template took longer than {exc.seconds:g} "
                              "seconds, so it cannot be used: make its expressions or "
                              "parameters smaller.") from exc
        except WorkerMemoryError as exc:
            raise Unavailable("Checking this template needed more memory than allowed, so it "
                              "cannot be used: make its expressions or parameters smaller."
                              ) from exc
        except PoolError as exc:
            raise Unavailable(f"The checker failed on this template: {exc}") from exc
        except Exception as exc:
            log.error("inspecting a course template failed", exc_info=exc)
            raise Unavailable("The checker failed on this template; please try again.") from exc


def _elapsed_ms(start: float) -> float:
    return round((time.perf_counter() - start) * 1000, 1)
