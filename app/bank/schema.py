"""Validation of template files against the template schema.

Every problem is collected (not just the first), each with the file, the dotted field
and the line, so that `flask problems validate` can list them all at once.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from app.bank.errors import TemplateError
from app.bank.forms import read_requirements
from app.bank.params import ChoiceParam, IntegerParam, Param, RangeParam, SequenceParam
from app.bank.parts import check_parts
from app.bank.source import Source
from app.bank.template import Note, Template, TemplateMistake
from app.cas.derivation import METHODS

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

FIELDS = {
    "id", "title", "title_zh", "topic", "difficulty", "prompt", "prompt_zh", "params", "function", "wrt", "answer",
    "at", "variables", "domain", "tolerance", "form", "requirements", "methods", "rewrite",
    "final", "display", "mistakes", "parts", "follow_through",
}  # fmt: skip
RESERVED_PLACEHOLDERS = {"function", "wrt", "answer"}


class _Checker:
    def __init__(self, source: Source, prefix: tuple = (),
                 errors: list[TemplateError] | None = None) -> None:
        self.source = source
        self.errors: list[TemplateError] = [] if errors is None else errors
        self.prefix = prefix

    def nested(self, *prefix) -> _Checker:
        """A checker for a nested mapping (a part) whose errors name its full path."""
        return _Checker(self.source, (*self.prefix, *prefix), self.errors)

    def error(self, path: tuple, message: str) -> None:
        path = (*self.prefix, *path)
        field = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
        field = field.replace(".[", "[")
        self.errors.append(
            TemplateError(self.source.file, field or None, self.source.line(path), message)
        )

    # -- scalar fields --------------------------------------------------------------------

    def text(self, data: dict, key: str, required: bool = True, path: tuple = ()) -> str | None:
        if key not in data:
            if required:
                self.error((*path, key), "is required")
            return None
        value = data[key]
        if not isinstance(value, str) or not value.strip():
            self.error((*path, key), "must be a non-empty string")
            return None
        return value

    def number(self, value, path: tuple) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.error(path, "must be a number")
            return None
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.error(path, f"{value!r} is not a number")
            return None
        if not number.is_finite():
            self.error(path, "must be a finite number")
            return None
        return number

    def bound(self, value, path: tuple, earlier: list[str]):
        if isinstance(value, str) and NAME_PATTERN.match(value):
            if value not in earlier:
                self.error(path, f"{value!r} is not an earlier integer parameter")
                return None
            return value
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(path, "must be an integer or the name of an earlier parameter")
            return None
        return value

    # -- structured fields ----------------------------------------------------------------

    def params(self, raw) -> tuple[Param, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.error(("params",), "must be a mapping from parameter name to its spec")
            return ()
        params: list[Param] = []
        numeric: list[str] = []
        for name, spec in raw.items():
            path = ("params", name)
            if not isinstance(name, str) or not NAME_PATTERN.match(name):
                self.error(path, "parameter names are letters, digits and _")
                continue
            if name in RESERVED_PLACEHOLDERS:
                self.error(path, f"{name!r} is reserved for the template's own placeholder")
                continue
            if not isinstance(spec, dict):
                self.error(path, "must be a mapping with a type")
                continue
            param = self.param(name, spec, path, numeric)
            if param is not None:
                params.append(param)
                if isinstance(param, IntegerParam | RangeParam):
                    numeric.append(name)
        return tuple(params)

    def param(self, name: str, spec: dict, path: tuple, earlier: list[str]) -> Param | None:
        kind = spec.get("type")
        allowed = {
            "integer": {"type", "min", "max", "exclude"},
            "range": {"type", "min", "max", "step", "exclude"},
            "choice": {"type", "values", "exclude"},
            "sequence": {"type", "index", "from", "to", "item", "separator"},
        }
        if kind not in allowed:
            self.error((*path, "type"), "must be one of integer, range, choice, sequence")
            return None
        for key in spec:
            if key not in allowed[kind]:
                self.error((*path, key), f"unknown field for a {kind} parameter")
        count = len(self.errors)
        exclude = spec.get("exclude", [])
        if not isinstance(exclude, list):
            self.error((*path, "exclude"), "must be a list")
            exclude = []
        if kind == "integer":
            lo = self.bound(spec.get("min"), (*path, "min"), earlier)
            hi = self.bound(spec.get("max"), (*path, "max"), earlier)
            exclude = [
                self.bound(value, (*path, "exclude", index), earlier)
                for index, value in enumerate(exclude)
            ]
            if (
                isinstance(lo, int)
                and isinstance(hi, int)
                and all(isinstance(v, int) for v in exclude)
            ):
                left = [v for v in range(lo, hi + 1) if v not in exclude]
                if not left:
                    self.error(path, "no value is left between min and max after exclude")
            if len(self.errors) > count:
                return None
            return IntegerParam(name, lo, hi, tuple(exclude))
        if kind == "range":
            lo = self.number(spec.get("min"), (*path, "min"))
            hi = self.number(spec.get("max"), (*path, "max"))
            step = self.number(spec.get("step"), (*path, "step"))
            excluded = [self.number(v, (*path, "exclude", i)) for i, v in enumerate(exclude)]
            if len(self.errors) > count:
                return None
            if step <= 0:
                self.error((*path, "step"), "must be positive")
            elif hi < lo:
                self.error(path, "max must not be below min")
            elif (hi - lo) / step > 10_000:
                self.error((*path, "step"), "too many values between min and max")
            if len(self.errors) > count:
                return None
            param = RangeParam(name, lo, hi, step, tuple(excluded))
            if not param.options({}):
                self.error(path, "no value is left after exclude")
                return None
            return param
        if kind == "choice":
            values = spec.get("values")
            if not isinstance(values, list) or not values:
                self.error((*path, "values"), "must be a non-empty list")
                return None
            for index, value in enumerate(values):
                if isinstance(value, bool) or not isinstance(value, int | str):
                    self.error((*path, "values", index), "must be an integer or a string")
            if len(self.errors) > count:
                return None
            param = ChoiceParam(name, tuple(values), tuple(exclude))
            if not param.options({}):
                self.error(path, "no value is left after exclude")
                return None
            return param
        index_name = spec.get("index")
        if not isinstance(index_name, str) or not NAME_PATTERN.match(index_name):
            self.error((*path, "index"), "must be a name")
        start = self.bound(spec.get("from"), (*path, "from"), earlier)
        stop = self.bound(spec.get("to"), (*path, "to"), earlier)
        item = self.text(spec, "item", path=path)
        separator = spec.get("separator", " + ")
        if not isinstance(separator, str):
            self.error((*path, "separator"), "must be a string")
        if len(self.errors) > count:
            return None
        return SequenceParam(name, index_name, start, stop, item, separator)

    def note(self, data: dict, key: str) -> Note | None:
        if key not in data:
            return None
        raw = data[key]
        if not isinstance(raw, dict):
            self.error((key,), "must be a mapping with expr and note")
            return None
        expr = self.text(raw, "expr", path=(key,))
        note = self.text(raw, "note", path=(key,))
        note_zh = self.text(raw, "note_zh", required=False, path=(key,))
        for extra in set(raw) - {"expr", "note", "note_zh"}:
            self.error((key, extra), "unknown field")
        if expr is None or note is None:
            return None
        return Note(expr, note, note_zh)

    def names(self, data: dict, key: str) -> tuple[str, ...] | None:
        if key not in data:
            return None
        raw = data[key]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            self.error((key,), "must be a list of variable names")
            return None
        return tuple(raw)

    def domain(self, raw) -> tuple[tuple[str, float, float], ...]:
        if raw is None:
            return ()
        if not isinstance(raw, dict):
            self.error(("domain",), "must map variable names to [low, high]")
            return ()
        entries = []
        for name, interval in raw.items():
            path = ("domain", name)
            if not isinstance(interval, list) or len(interval) != 2:
                self.error(path, "must be a list [low, high]")
                continue
            lo = self.number(interval[0], (*path, 0))
            hi = self.number(interval[1], (*path, 1))
            if lo is None or hi is None:
                continue
            if not lo < hi:
                self.error(path, "low must be below high (an open interval)")
                continue
            entries.append((str(name), float(lo), float(hi)))
        return tuple(entries)

    def tolerance(self, raw) -> tuple[float, float] | None:
        if raw is None:
            return None
        if not isinstance(raw, dict) or not set(raw) <= {"relative", "absolute"} or not raw:
            self.error(("tolerance",), "must be a mapping with relative and/or absolute")
            return None
        values = []
        for key in ("relative", "absolute"):
            number = self.number(raw.get(key, 0), ("tolerance", key))
            if number is not None and number < 0:
                self.error(("tolerance", key), "must not be negative")
            values.append(float(number or 0))
        return values[0], values[1]

    def mistakes(self, raw) -> tuple[TemplateMistake, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.error(("mistakes",), "must be a list of {answer, message}")
            return ()
        found = []
        for index, item in enumerate(raw):
            path = ("mistakes", index)
            if not isinstance(item, dict):
                self.error(path, "must be a mapping with answer and message")
                continue
            answer = self.text(item, "answer", path=path)
            message = self.text(item, "message", path=path)
            message_zh = self.text(item, "message_zh", required=False, path=path)
            for extra in set(item) - {"answer", "message", "message_zh"}:
                self.error((*path, extra), "unknown field")
            if answer and message:
                found.append(TemplateMistake(answer, message, message_zh))
        return tuple(found)

    def flag(self, data: dict, key: str, default: bool = False) -> bool:
        value = data.get(key, default)
        if not isinstance(value, bool):
            self.error((key,), "must be true or false")
            return default
        return value

    def pairs(self, data: dict, key: str) -> tuple[tuple[str, str], ...]:
        raw = data.get(key)
        if raw is None:
            return ()
        if not isinstance(raw, dict) or not all(
            isinstance(k, str) and isinstance(v, str | int | float) and not isinstance(v, bool)
            for k, v in raw.items()
        ):
            self.error((key,), "must map names to expressions")
            return ()
        for name in raw:
            if not NAME_PATTERN.match(name):
                self.error((key, name), "must be a name (letters, digits, _)")
        return tuple((k, str(v)) for k, v in raw.items())


def what_is_asked(checker: _Checker, data: dict):
    """function + wrt (with at and methods), or an explicit answer."""
    function = checker.text(data, "function", required=False)
    wrt = checker.text(data, "wrt", required=False)
    answer = checker.text(data, "answer", required=False)
    if (function is None) == (answer is None):
        checker.error(("function",), "give exactly one of function (with wrt) and answer")
    if function is not None and wrt is None:
        checker.error(("wrt",), "is required with function")
    if answer is not None and wrt is not None:
        checker.error(("wrt",), "only goes with function")
    at = checker.pairs(data, "at")
    if at and function is None:
        checker.error(("at",), "only goes with function")
    methods = data.get("methods", ["rules"])
    if not isinstance(methods, list) or not methods:
        checker.error(("methods",), "must be a non-empty list")
        methods = []
    for index, method in enumerate(methods):
        if method not in METHODS:
            checker.error(("methods", index), f"unknown method (known: {', '.join(METHODS)})")
    if answer is not None and "methods" in data:
        checker.error(("methods",), "only goes with function")
    return function, wrt, answer, at, methods


def check_template(source: Source) -> tuple[Template | None, list[TemplateError]]:
    """The template in `source`, or None, and every schema problem found in it."""
    checker = _Checker(source)
    data = source.data
    if not isinstance(data, dict):
        checker.error((), "a template file must be a YAML mapping of fields")
        return None, checker.errors
    for key in data:
        if key not in FIELDS:
            checker.error((key,), f"unknown field (known: {', '.join(sorted(FIELDS))})")
    template_id = checker.text(data, "id")
    if template_id is not None and not ID_PATTERN.match(template_id):
        checker.error(("id",), "must be lower-case words joined by '-' (like sigmoid-chain)")
    title = checker.text(data, "title")
    topic = checker.text(data, "topic")
    prompt = checker.text(data, "prompt")
    # Chinese versions of the template's own text; without one the English is shown.
    title_zh = checker.text(data, "title_zh", required=False)
    prompt_zh = checker.text(data, "prompt_zh", required=False)
    difficulty = data.get("difficulty")
    if isinstance(difficulty, bool) or not isinstance(difficulty, int) or not 1 <= difficulty <= 5:
        checker.error(("difficulty",), "must be an integer from 1 to 5")
    params = checker.params(data.get("params"))
    if "parts" in data:
        parts = check_parts(checker, data, {p.name for p in params})
        function, wrt, answer, at, methods, requirements = None, None, None, (), [], ()
    else:
        parts = ()
        function, wrt, answer, at, methods = what_is_asked(checker, data)
        requirements = read_requirements(checker, data)
    template = Template(
        id=template_id or "",
        title=title or "",
        title_zh=title_zh,
        topic=topic or "",
        difficulty=difficulty if isinstance(difficulty, int) else 0,
        prompt=prompt or "",
        prompt_zh=prompt_zh,
        params=params,
        function=function,
        wrt=wrt,
        answer=answer,
        at=at,
        variables=checker.names(data, "variables"),
        domain=checker.domain(data.get("domain")),
        tolerance=checker.tolerance(data.get("tolerance")),
        requirements=requirements,
        methods=tuple(methods) if answer is None else (),
        rewrite=checker.note(data, "rewrite"),
        final=checker.note(data, "final"),
        display=checker.pairs(data, "display"),
        mistakes=checker.mistakes(data.get("mistakes")),
        file=source.file,
        parts=parts,
        follow_through=checker.flag(data, "follow_through"),
    )
    if checker.errors:
        return None, checker.errors
    return template, []
