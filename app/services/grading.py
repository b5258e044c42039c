"""Grade a student's answer text for one problem-bank variant (template id, seed).

One function, `grade`, used by practice and by assignment submissions and regrades. The
whole grading (building the variant, parsing the answer with the variant's variables,
equivalence on its domain and tolerance, its form requirement, and the diagnosis of a wrong
answer) is ONE task in the hard-limited worker pool, so a hostile answer costs at most one
time limit and can never hold a web worker.

The outcome is a frozen, picklable dataclass with four states:

* ``correct`` / ``incorrect``: a verdict, counted as an attempt;
* ``invalid``: the text cannot be read (the parse error and its position are given);
* ``timeout``: no verdict was reached (time or memory limit, busy pool, or an undecidable
  comparison); never guessed and never counted.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, replace
from functools import lru_cache

from app.cas.pool import CheckTimeout, PoolError, WorkerMemoryError, WorkerPool
from app.models.practice import Verdict
from app.services.checking import UNDECIDED, AnswerProblem, limit_problem, run_limited

log = logging.getLogger(__name__)


class UnknownVariant(LookupError):
    """The template does not exist in the bank (or the seed is out of range)."""


@dataclass(frozen=True)
class GradeOutcome:
    verdict: Verdict
    # The parse error for ``invalid``, the reason for ``timeout``; None otherwise.
    error: AnswerProblem | None = None
    mistake_kind: str | None = None
    mistake_message: str | None = None
    # How the engine read the answer, when it could.
    canonical: str | None = None
    answer_latex: str | None = None
    answer_mathml: str | None = None
    elapsed_ms: float = 0.0

    @property
    def valid(self) -> bool:
        return self.verdict in (Verdict.CORRECT, Verdict.INCORRECT)

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.CORRECT

    @property
    def counted(self) -> bool:
        return self.verdict.counts_as_attempt


# --------------------------------------------------------------------------------------------
# Worker side


@lru_cache(maxsize=256)
def load_variant(problems_dir: str, template_id: str, seed: int):
    # Cached per worker: a student retrying one variant, or a class answering the same
    # assignment item, pays for building it (and its typical mistakes) once.
    from app.bank import load_bank

    try:
        return load_bank(problems_dir).variant(template_id, seed)
    except (KeyError, ValueError) as exc:
        raise UnknownVariant(f"no problem {template_id!r} with seed {seed}") from exc


def _tolerance(variant):
    from app.cas.equivalence import Tolerance

    if variant.tolerance is None:
        return None
    relative, absolute = variant.tolerance
    return Tolerance(relative=relative, absolute=absolute)


def evaluate_grade(problems_dir: str, template_id: str, seed: int, answer: str) -> GradeOutcome:
    """The whole grading in this process, with no limits: call it only inside a pool task."""
    from app.cas.equivalence import equivalent
    from app.cas.errors import AnswerError
    from app.cas.mistakes import diagnose, form_violation
    from app.cas.parser import parse, to_plain
    from app.cas.render import to_latex, to_mathml

    variant = load_variant(problems_dir, template_id, seed)
    try:
        expr = parse(answer, variables=list(variant.variables))
    except AnswerError as error:
        problem = AnswerProblem(error.code, error.message, error.position)
        return GradeOutcome(Verdict.INVALID, error=problem)
    read = {
        "canonical": to_plain(expr),
        "answer_latex": to_latex(expr),
        "answer_mathml": to_mathml(expr),
    }
    try:
        same = equivalent(expr, variant.expected, domain=variant.domain,
                          tolerance=_tolerance(variant))
    except AnswerError as error:
        # Readable but unusable, e.g. undefined everywhere on the domain.
        problem = AnswerProblem(error.code, error.message, error.position)
        return GradeOutcome(Verdict.INVALID, error=problem, **read)
    if same is None:
        problem = AnswerProblem(
            UNDECIDED,
            "The checker could not decide whether this answer is right; try writing it in a "
            "simpler form.",
        )
        return GradeOutcome(Verdict.TIMEOUT, error=problem, **read)
    if same:
        unmet = form_violation(expr, variant.form)
        if unmet is None:
            return GradeOutcome(Verdict.CORRECT, **read)
        return GradeOutcome(Verdict.INCORRECT, mistake_kind="form", mistake_message=unmet, **read)
    mistake = diagnose(expr, variant)
    if mistake is None:
        return GradeOutcome(Verdict.INCORRECT, **read)
    return GradeOutcome(Verdict.INCORRECT, mistake_kind=mistake.kind,
                        mistake_message=mistake.message, **read)


# --------------------------------------------------------------------------------------------
# Calling side


def grade(
    template_id: str,
    seed: int,
    answer: str,
    *,
    pool: WorkerPool,
    problems_dir: str,
    timeout: float | None = None,
) -> GradeOutcome:
    """Grade ``answer`` for the variant (template_id, seed) under the pool's hard limits.

    Raises `UnknownVariant` when the bank has no such template; every problem with the
    answer itself (unreadable, too slow, too big) is an outcome, never an exception.
    """
    start = time.perf_counter()
    try:
        outcome = run_limited(evaluate_grade, str(problems_dir), template_id, int(seed), answer,
                              pool=pool, timeout=timeout)
    except UnknownVariant:
        raise
    except PoolError as exc:
        if not isinstance(exc, CheckTimeout | WorkerMemoryError):
            log.error("the checking pool failed while grading", exc_info=exc)
        outcome = GradeOutcome(Verdict.TIMEOUT, error=limit_problem(exc))
    except Exception as exc:
        log.error("grading %s#%s failed", template_id, seed, exc_info=exc)
        outcome = GradeOutcome(
            Verdict.TIMEOUT,
            error=AnswerProblem("internal", "The checker failed on this answer, so there is no "
                                            "verdict; please try again."),
        )
    return replace(outcome, elapsed_ms=round((time.perf_counter() - start) * 1000, 1))
