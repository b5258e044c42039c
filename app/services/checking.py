"""The answer-checking contract (docs: /work/shared/contract/check-api.md, section 3) as
plain functions, with no Flask: the JSON API, the practice pages and the problem bank all
check answers through here.

Two layers:

* `check` / `preview` take a decoded JSON body (any Python object) and return
  ``(http_status, json_body)`` exactly as the contract specifies.
* `check_answer` / `preview_answer` are the typed API behind them, returning `CheckResult` /
  `PreviewResult` and raising `CheckRequestError` when the request itself is wrong (for
  instance an instructor's expected expression that does not parse).

Request validation happens here in the calling process; everything that touches sympy
(parsing, differentiating, comparing, rendering) runs as one task in a pool worker, under the
hard time and memory limits of `app.cas.pool`. `run_limited` gives other services the same
limits for their own engine tasks, and `evaluate_check` is the worker-side check they can call
from inside such a task.

Request bodies are validated by `app.services.check_request` before anything is queued.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, replace
from functools import lru_cache
from typing import Any

from app.cas.pool import (
    CheckTimeout,
    PoolBusy,
    PoolError,
    WorkerMemoryError,
    WorkerPool,
    get_pool,
)
from app.services.check_request import (
    CheckRequestError,
    CheckSpec,
    parse_check_request,
    parse_preview_request,
)

log = logging.getLogger(__name__)

# Codes of the ``error`` object in a 200 reply, beyond the engine's own (app.cas.errors):
# ``undecided`` when the engine could not settle equivalence, ``internal`` when the checker
# itself failed (logged; never a 500).
UNDECIDED = "undecided"
INTERNAL = "internal"


@dataclass(frozen=True)
class AnswerProblem:
    """Why the student's answer got no verdict: the contract's ``error`` object."""

    code: str
    message: str
    position: int | None = None


@dataclass(frozen=True)
class CheckResult:
    valid: bool
    equivalent: bool | None
    error: AnswerProblem | None
    answer_latex: str | None
    expected_latex: str | None
    elapsed_ms: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class PreviewResult:
    valid: bool
    error: AnswerProblem | None
    answer_latex: str | None
    answer_mathml: str | None
    canonical: str | None

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


# --------------------------------------------------------------------------------------------
# Worker side: these run inside pool workers (or inside another service's pool task).


def _where(error) -> str:
    return "" if error.position is None else f" (at character {error.position})"


@lru_cache(maxsize=1024)
def _parse_trusted(text: str, variables: tuple[str, ...] | None):
    """Parse an instructor-side expression; cached because the same problem is checked often."""
    from app.cas.parser import parse

    return parse(text, variables=None if variables is None else list(variables))


@lru_cache(maxsize=512)
def _derivative(function: str, wrt: str, variables: tuple[str, ...] | None):
    import sympy as sp

    from app.cas.symbols import var

    return sp.diff(_parse_trusted(function, variables), var(wrt))


def _names(expr) -> tuple[str, ...]:
    return tuple(sorted(symbol.name for symbol in expr.free_symbols))


def _expected_side(spec: CheckSpec):
    """The expected expression and the variables the answer may use."""
    from app.cas.errors import AnswerError

    if spec.expected is not None:
        try:
            expected = _parse_trusted(spec.expected, spec.variables)
        except AnswerError as error:
            raise CheckRequestError(
                "invalid_expected",
                f"The expected expression is invalid{_where(error)}: {error.message}",
            ) from None
        return expected, spec.variables if spec.variables is not None else _names(expected)
    try:
        function = _parse_trusted(spec.function, spec.variables)
    except AnswerError as error:
        raise CheckRequestError(
            "invalid_function",
            f"The function to differentiate is invalid{_where(error)}: {error.message}",
        ) from None
    allowed = spec.variables
    if allowed is None:
        allowed = tuple(sorted({*_names(function), spec.wrt}))
    return _derivative(spec.function, spec.wrt, spec.variables), allowed


def _problem(error) -> AnswerProblem:
    return AnswerProblem(code=error.code, message=error.message, position=error.position)


def evaluate_check(spec: CheckSpec) -> CheckResult:
    """The whole check in this process, with no limits: call it only inside a pool task.

    Raises `CheckRequestError` when the expected side is invalid; every problem with the
    student's answer is reported in the result instead.
    """
    from app.cas.equivalence import Tolerance, equivalent
    from app.cas.errors import AnswerError
    from app.cas.parser import parse
    from app.cas.render import to_latex

    expected, allowed = _expected_side(spec)
    if spec.domain is not None:
        for name, _lo, _hi in spec.domain:
            if name not in allowed:
                raise CheckRequestError(
                    "invalid_domain",
                    f'The domain names "{name}", which the expected expression does not use.',
                )
    expected_latex = to_latex(expected)
    try:
        answer = parse(spec.answer, variables=list(allowed))
    except AnswerError as error:
        return CheckResult(False, None, _problem(error), None, expected_latex)
    answer_latex = to_latex(answer)
    domain = None if spec.domain is None else {name: (lo, hi) for name, lo, hi in spec.domain}
    tolerance = None
    if spec.tolerance is not None:
        tolerance = Tolerance(relative=spec.tolerance[0], absolute=spec.tolerance[1])
    try:
        verdict = equivalent(answer, expected, domain=domain, tolerance=tolerance)
    except AnswerError as error:
        # The engine raises here only about the expected side: defined nowhere on the domain.
        if domain:
            raise CheckRequestError(
                "invalid_domain",
                f"The expected expression has no value on this domain: {error.message}.",
            ) from None
        raise CheckRequestError(
            "invalid_expected", f"The expected expression is invalid: {error.message}."
        ) from None
    error = None
    if verdict is None:
        error = AnswerProblem(
            UNDECIDED,
            "The checker could not decide whether this answer is equal to the expected one; "
            "try writing it in a simpler form, or ask your instructor.",
        )
    return CheckResult(True, verdict, error, answer_latex, expected_latex)


def evaluate_preview(answer: str, variables: tuple[str, ...] | None) -> PreviewResult:
    """Read an answer and render it, in this process: call it only inside a pool task."""
    from app.cas.errors import AnswerError
    from app.cas.parser import parse, to_plain
    from app.cas.render import to_latex, to_mathml

    try:
        expr = parse(answer, variables=None if variables is None else list(variables))
    except AnswerError as error:
        return PreviewResult(False, _problem(error), None, None, None)
    return PreviewResult(True, None, to_latex(expr), to_mathml(expr), to_plain(expr))


def warm_up() -> None:
    """Worker initializer: import the engine and run one small check through every stage."""
    spec = CheckSpec(answer="σ(x)(1-σ(x))", function="sigma(x)", wrt="x", variables=("x",))
    try:
        evaluate_check(spec)
        evaluate_preview("2x e^-x", None)
    except Exception:
        # Warming is only an optimisation: a broken stage shows up (and is logged) in the
        # task that needs it, while the stages that work keep serving.
        log.warning("warming up a checking worker failed", exc_info=True)


# --------------------------------------------------------------------------------------------
# Calling side


def pool_from_config(config: Mapping[str, Any]) -> WorkerPool:
    """The process's shared checking pool for the app settings (CHECK_WORKERS, ...)."""
    return get_pool(
        workers=int(config.get("CHECK_WORKERS", 2)),
        timeout=float(config.get("CHECK_TIMEOUT_SECONDS", 2.0)),
        memory_mb=int(config.get("CHECK_MEMORY_MB", 1024)),
        initializer=warm_up,
    )


def run_limited(
    fn: Callable[..., Any], *args: Any, pool: WorkerPool, timeout: float | None = None, **kwargs
) -> Any:
    """Run a top-level engine function in the pool under the hard time and memory limits.

    Raises the pool's errors (`CheckTimeout`, `WorkerMemoryError`, ... all `PoolError`);
    `limit_problem` turns them into the answer ``error`` object of the contract.
    """
    return pool.run(fn, args, kwargs, timeout=timeout)


def limit_problem(exc: PoolError) -> AnswerProblem:
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
    return AnswerProblem(
        INTERNAL, "The checker failed on this answer, so there is no verdict; please try again."
    )


def _internal_problem(what: str, exc: BaseException) -> AnswerProblem:
    log.error("%s failed", what, exc_info=exc)
    return AnswerProblem(
        INTERNAL, "The checker failed on this answer, so there is no verdict; please try again."
    )


def check_spec(spec: CheckSpec, *, pool: WorkerPool, timeout: float | None = None) -> CheckResult:
    """Check a validated request under the pool's limits; raises `CheckRequestError`."""
    start = time.perf_counter()
    try:
        result = run_limited(evaluate_check, spec, pool=pool, timeout=timeout)
    except CheckRequestError:
        raise
    except PoolError as exc:
        if not isinstance(exc, CheckTimeout | WorkerMemoryError):
            log.error("the checking pool failed", exc_info=exc)
        result = CheckResult(True, None, limit_problem(exc), None, None)
    except Exception as exc:
        result = CheckResult(True, None, _internal_problem("an answer check", exc), None, None)
    elapsed_ms = round((time.perf_counter() - start) * 1000, 1)
    return replace(result, elapsed_ms=elapsed_ms)


def check_answer(
    answer: str,
    expected: str | None = None,
    *,
    derivative_of: tuple[str, str] | None = None,
    variables: Iterable[str] | None = None,
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: tuple[float, float] | None = None,
    pool: WorkerPool,
    timeout: float | None = None,
) -> CheckResult:
    """Check ``answer`` against ``expected`` (or the derivative ``(function, wrt)``).

    ``tolerance`` is ``(relative, absolute)``. The arguments go through the same validation as
    the JSON API, so a bad argument raises `CheckRequestError` with the API's code.
    """
    payload: dict[str, object] = {"answer": answer}
    if expected is not None:
        payload["expected"] = expected
    if derivative_of is not None:
        function, wrt = derivative_of
        payload["derivative_of"] = {"function": function, "wrt": wrt}
    if variables is not None:
        payload["variables"] = list(variables)
    if domain is not None:
        payload["domain"] = {name: list(bounds) for name, bounds in domain.items()}
    if tolerance is not None:
        payload["tolerance"] = {"relative": tolerance[0], "absolute": tolerance[1]}
    return check_spec(parse_check_request(payload), pool=pool, timeout=timeout)


def preview_answer(
    answer: str,
    *,
    variables: Iterable[str] | None = None,
    pool: WorkerPool,
    timeout: float | None = None,
) -> PreviewResult:
    """How the engine reads ``answer`` (without ``variables``, any name is a variable)."""
    payload: dict[str, object] = {"answer": answer}
    if variables is not None:
        payload["variables"] = list(variables)
    answer, names = parse_preview_request(payload)
    return _preview(answer, names, pool=pool, timeout=timeout)


def _preview(
    answer: str, variables: tuple[str, ...] | None, *, pool: WorkerPool, timeout: float | None
) -> PreviewResult:
    try:
        return run_limited(evaluate_preview, answer, variables, pool=pool, timeout=timeout)
    except PoolError as exc:
        if not isinstance(exc, CheckTimeout | WorkerMemoryError):
            log.error("the checking pool failed", exc_info=exc)
        problem = limit_problem(exc)
    except Exception as exc:
        problem = _internal_problem("an answer preview", exc)
    # No reading of the answer came back, so it cannot be shown as read.
    return PreviewResult(False, problem, None, None, None)


def check(payload: object, *, pool: WorkerPool, timeout: float | None = None) -> tuple[int, dict]:
    """POST /api/v1/check: ``(status, body)`` for a decoded JSON request body."""
    try:
        spec = parse_check_request(payload)
        return 200, check_spec(spec, pool=pool, timeout=timeout).to_dict()
    except CheckRequestError as exc:
        return 400, exc.to_dict()


def preview(payload: object, *, pool: WorkerPool, timeout: float | None = None) -> tuple[int, dict]:
    """POST /api/v1/preview: ``(status, body)`` for a decoded JSON request body."""
    try:
        answer, variables = parse_preview_request(payload)
    except CheckRequestError as exc:
        return 400, exc.to_dict()
    return 200, _preview(answer, variables, pool=pool, timeout=timeout).to_dict()
