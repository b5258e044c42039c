"""Validation of check and preview request bodies (contract section 3), in the calling
process: a malformed request is refused with a 400 code before any engine work is queued.

Unknown keys are refused (400 ``bad_request``): a misspelt optional field such as
``"tolerence"`` would otherwise silently turn an approximate check into an exact one.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace

from app.cas.parse import validate_variables
from app.cas.symbols import MAX_LENGTH

MAX_VARIABLES = 50

CHECK_KEYS = frozenset({"answer", "expected", "derivative_of", "variables", "domain", "tolerance"})
PREVIEW_KEYS = frozenset({"answer", "variables"})
DERIVATIVE_KEYS = frozenset({"function", "wrt"})
TOLERANCE_KEYS = frozenset({"relative", "absolute"})

# Codes of the 400 replies (the request is malformed, not the student's answer).
REQUEST_ERROR_CODES = frozenset(
    {
        "bad_request",
        "invalid_expected",
        "invalid_function",
        "invalid_wrt",
        "invalid_variables",
        "invalid_domain",
        "invalid_tolerance",
    }
)


class CheckRequestError(Exception):
    """The request is malformed or its expected side is invalid: HTTP 400."""

    def __init__(self, code: str, message: str) -> None:
        if code not in REQUEST_ERROR_CODES:
            raise ValueError(f"unknown request error code {code!r}")
        super().__init__(message)
        self.code = code
        self.message = message

    def __reduce__(self):
        # Raised inside pool workers and re-raised in the caller, so it must pickle.
        return (type(self), (self.code, self.message))

    def to_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message}}


@dataclass(frozen=True)
class CheckSpec:
    """A validated check request; picklable, so it is what travels to the worker."""

    answer: str
    expected: str | None = None
    function: str | None = None
    wrt: str | None = None
    variables: tuple[str, ...] | None = None
    domain: tuple[tuple[str, float, float], ...] | None = None
    tolerance: tuple[float, float] | None = None  # (relative, absolute)


def _fail(code: str, message: str) -> CheckRequestError:
    return CheckRequestError(code, message)


def _require_object(payload: object, what: str, code: str) -> dict:
    if not isinstance(payload, dict):
        raise _fail(code, f"{what} must be a JSON object.")
    return payload


def _refuse_unknown_keys(obj: dict, allowed: frozenset[str], what: str, code: str) -> None:
    unknown = sorted(str(key) for key in obj if key not in allowed)
    if unknown:
        listing = ", ".join(f'"{key}"' for key in unknown[:5])
        expected = ", ".join(f'"{key}"' for key in sorted(allowed))
        raise _fail(code, f"{what} has unknown field(s) {listing}; allowed: {expected}.")


def _validate_names(raw: Iterable[object], what: str, code: str) -> tuple[str, ...]:
    # The parser's own rule, so a name accepted here is one the parser accepts (and ``ŷ``
    # becomes ``yhat`` in both places).
    try:
        return validate_variables(raw)  # type: ignore[arg-type]
    except ValueError as exc:
        raise _fail(code, f"{what}: {exc}.") from None


def _validate_name(name: object, what: str, code: str) -> str:
    if not isinstance(name, str):
        raise _fail(code, f"{what} must be a string naming a variable.")
    return _validate_names([name], what, code)[0]


def _validate_variables(raw: object) -> tuple[str, ...] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise _fail("invalid_variables", '"variables" must be a list of variable names.')
    if len(raw) > MAX_VARIABLES:
        raise _fail("invalid_variables", f'"variables" may name at most {MAX_VARIABLES} variables.')
    return _validate_names(raw, '"variables"', "invalid_variables")


def _finite_number(value: object) -> float | None:
    # bool is an int in Python, but `true` is not a number in JSON.
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:
        return None
    return number if math.isfinite(number) else None


def _validate_domain(
    raw: object, variables: tuple[str, ...] | None
) -> tuple[tuple[str, float, float], ...] | None:
    if raw is None:
        return None
    domain = _require_object(raw, '"domain"', "invalid_domain")
    intervals = []
    for name, bounds in domain.items():
        name = _validate_name(name, "A domain key", "invalid_domain")
        if variables is not None and name not in variables:
            raise _fail(
                "invalid_domain", f'The domain names "{name}", which is not in "variables".'
            )
        numbers = (
            [_finite_number(bound) for bound in bounds]
            if isinstance(bounds, list) and len(bounds) == 2
            else [None]
        )
        if None in numbers:
            raise _fail(
                "invalid_domain",
                f'The domain of "{name}" must be [lo, hi]: two finite numbers.',
            )
        lo, hi = numbers
        if not lo < hi:
            raise _fail(
                "invalid_domain", f'The domain of "{name}" needs lo < hi (got [{lo:g}, {hi:g}]).'
            )
        intervals.append((name, lo, hi))
    return tuple(intervals)


def _validate_tolerance(raw: object) -> tuple[float, float] | None:
    if raw is None:
        return None
    tolerance = _require_object(raw, '"tolerance"', "invalid_tolerance")
    _refuse_unknown_keys(tolerance, TOLERANCE_KEYS, '"tolerance"', "invalid_tolerance")
    values = []
    for key in ("relative", "absolute"):
        value = _finite_number(tolerance.get(key, 0))
        if value is None or value < 0:
            raise _fail(
                "invalid_tolerance", f'"tolerance.{key}" must be a finite number of at least 0.'
            )
        values.append(value)
    return (values[0], values[1])


def _check_expression(text: str, field: str, code: str, what: str) -> None:
    """Refuse an empty or over-long expression here, naming the field: the parser's own
    messages speak of "the answer"."""

    if not text.strip():
        raise _fail(code, f"{field} is invalid: it is empty; give {what}.")
    if len(text) > MAX_LENGTH:
        raise _fail(code, f"{field} is invalid: it is {len(text)} characters long; the limit "
                          f"is {MAX_LENGTH}.")


def _validate_answer(payload: dict) -> str:
    if "answer" not in payload:
        raise _fail("bad_request", 'The request needs an "answer" (a string).')
    answer = payload["answer"]
    if not isinstance(answer, str):
        raise _fail("bad_request", '"answer" must be a string.')
    return answer


def parse_check_request(payload: object) -> CheckSpec:
    """Validate a check request body (decoded JSON) into a `CheckSpec`."""
    body = _require_object(payload, "The request body", "bad_request")
    _refuse_unknown_keys(body, CHECK_KEYS, "The request", "bad_request")
    answer = _validate_answer(body)
    has_expected = body.get("expected") is not None
    has_derivative = body.get("derivative_of") is not None
    if has_expected == has_derivative:
        raise _fail(
            "bad_request",
            'Give exactly one of "expected" and "derivative_of" (not both, not neither).',
        )
    variables = _validate_variables(body.get("variables"))
    spec = CheckSpec(
        answer=answer,
        variables=variables,
        domain=_validate_domain(body.get("domain"), variables),
        tolerance=_validate_tolerance(body.get("tolerance")),
    )
    if has_expected:
        expected = body["expected"]
        if not isinstance(expected, str):
            raise _fail("invalid_expected", '"expected" must be a string.')
        _check_expression(expected, '"expected"', "invalid_expected", "the expected expression")
        return replace(spec, expected=expected)
    derivative = _require_object(body["derivative_of"], '"derivative_of"', "bad_request")
    _refuse_unknown_keys(derivative, DERIVATIVE_KEYS, '"derivative_of"', "bad_request")
    function = derivative.get("function")
    if not isinstance(function, str):
        raise _fail("invalid_function", '"derivative_of.function" must be a string.')
    _check_expression(function, '"derivative_of.function"', "invalid_function",
                      "the function to differentiate")
    if "wrt" not in derivative:
        raise _fail(
            "invalid_wrt", '"derivative_of.wrt" is required: the variable to differentiate by.'
        )
    wrt = _validate_name(derivative["wrt"], '"derivative_of.wrt"', "invalid_wrt")
    if variables is not None and wrt not in variables:
        raise _fail("invalid_wrt", f'"derivative_of.wrt" ("{wrt}") must be one of "variables".')
    return replace(spec, function=function, wrt=wrt)


def parse_preview_request(payload: object) -> tuple[str, tuple[str, ...] | None]:
    """Validate a preview request body into ``(answer, variables)``."""
    body = _require_object(payload, "The request body", "bad_request")
    _refuse_unknown_keys(body, PREVIEW_KEYS, "The request", "bad_request")
    return _validate_answer(body), _validate_variables(body.get("variables"))
