"""The `parts` of a multi-part template: their schema (this module) and their variants
(`app.bank.part_variants`).

A part is a single answer in the template's own vocabulary (function + wrt or answer,
requirements, methods, mistakes, rewrite, final) with an `id`, a `prompt`, `points` and
`follow_through`. Its `answer` may name earlier parts by id, so that the expected answer of
a later part is written in terms of the earlier results (σ' = (u'v - uv')/v^2 as
`(du*v - u*dv)/v^2`); errors name the part's field and line (`parts[2].answer`).
"""

from __future__ import annotations

import re
from string import ascii_lowercase

from app.bank.forms import prose_problems, read_requirements
from app.bank.template import Part

PART_FIELDS = {
    "id", "label", "prompt", "function", "wrt", "answer", "at", "requirements", "form",
    "methods", "rewrite", "final", "mistakes", "points", "follow_through", "where", "symbol",
}  # fmt: skip
# What a single-answer template declares at the top and a multi-part one in each part.
PER_PART = ("function", "wrt", "answer", "at", "requirements", "form", "methods", "rewrite",
            "final", "mistakes")
MAX_PARTS = 8
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def check_parts(checker, data: dict, params: set[str]) -> tuple[Part, ...]:
    """The template's parts; every problem is reported through `checker.error` with the
    part's path (`checker` is the schema's, app.bank.schema)."""
    for key in PER_PART:
        if key in data:
            checker.error((key,), "goes in each part when the template has parts")
    raw = data["parts"]
    if not isinstance(raw, list) or not raw:
        checker.error(("parts",), "must be a non-empty list of parts")
        return ()
    if len(raw) > MAX_PARTS:
        checker.error(("parts",), f"at most {MAX_PARTS} parts")
    default = checker.flag(data, "follow_through")
    found: list[Part] = []
    ids: list[str] = []
    for index, item in enumerate(raw):
        nested = checker.nested("parts", index)
        if not isinstance(item, dict):
            nested.error((), "must be a mapping with id, prompt and function or answer")
            continue
        part = _part(nested, item, index, default)
        if part is None:
            continue
        if part.id in ids:
            nested.error(("id",), f"{part.id!r} is the id of an earlier part")
        elif part.id in params:
            nested.error(("id",), f"{part.id!r} is also a parameter's name")
        _check_references(nested, part, ids, [_id(p) for p in raw[index + 1:]])
        ids.append(part.id)
        found.append(part)
    return tuple(found)


def _id(item) -> str | None:
    return item.get("id") if isinstance(item, dict) else None


def _part(checker, item: dict, index: int, default: bool) -> Part | None:
    count = len(checker.errors)
    for key in item:
        if key not in PART_FIELDS:
            checker.error((key,), f"unknown field for a part (known: {', '.join(sorted(PART_FIELDS))})")
    part_id = checker.text(item, "id")
    if part_id is not None and not NAME.fullmatch(part_id):
        checker.error(("id",), "must be a name (letters, digits, _) that later parts can use")
    label = item.get("label", ascii_lowercase[index % 26])
    if not isinstance(label, str | int) or isinstance(label, bool) or not str(label).strip():
        checker.error(("label",), "must be a short text, like a or ii")
    prompt = checker.text(item, "prompt")
    for problem in prose_problems(prompt or ""):
        checker.error(("prompt",), problem)
    # The schema's own reading (one of function + wrt and answer, at, methods).
    from_schema = _what_is_asked_nested(checker, item)
    requirements = read_requirements(checker, item)
    points = item.get("points", 1)
    if isinstance(points, bool) or not isinstance(points, int | float) or not points > 0:
        checker.error(("points",), "must be a positive number (the part's weight)")
    symbol = item.get("symbol")
    if symbol is not None and (not isinstance(symbol, str) or not symbol.strip()):
        checker.error(("symbol",), "must be LaTeX text, like u'")
    parts = dict(
        rewrite=checker.note(item, "rewrite"), final=checker.note(item, "final"),
        mistakes=checker.mistakes(item.get("mistakes")),
        follow_through=checker.flag(item, "follow_through", default),
        where=_where(checker, item.get("where")),
    )
    if len(checker.errors) > count:
        return None
    function, wrt, answer, at, methods = from_schema
    return Part(
        id=part_id, label=str(label), prompt=prompt, function=function, wrt=wrt,
        answer=answer, at=at, requirements=requirements,
        methods=tuple(methods) if answer is None else (), points=float(points),
        symbol=symbol, line=checker.source.line(checker.prefix), **parts,
    )


PLACEHOLDER = re.compile(r"\{\{[A-Za-z_][A-Za-z0-9_]*\}\}")


def _where(checker, raw) -> tuple[tuple[str, str], ...]:
    """`where`: names (or a parameter's placeholder) mapped to what replaces them."""
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(
            isinstance(v, str | int | float) and not isinstance(v, bool) for v in raw.values()):
        checker.error(("where",), "must map names to expressions")
        return ()
    for name in raw:
        if not isinstance(name, str) or not (NAME.fullmatch(name) or PLACEHOLDER.fullmatch(name)):
            checker.error(("where", str(name)), "must be a name or a {{parameter}}")
    return tuple((str(k), str(v)) for k, v in raw.items())


def _what_is_asked_nested(checker, item: dict):
    # Imported here: app.bank.schema imports this module for check_parts.
    from app.bank.schema import what_is_asked

    return what_is_asked(checker, item)


def _check_references(checker, part: Part, earlier: list[str], later: list) -> None:
    """A part's answer may use earlier parts' ids only: never its own or a later one."""
    if part.answer is None:
        if part.where:
            checker.error(("where",), "only goes with an answer that uses earlier parts")
        return
    names = set(NAME.findall(part.answer))
    if part.id in names:
        checker.error(("answer",), f"uses its own id {part.id!r}")
    for name in sorted(names & {n for n in later if isinstance(n, str)}):
        checker.error(("answer",), f"uses {name!r}, a later part: only earlier parts can be used")
    if part.where and not names & set(earlier):
        checker.error(("where",), "only goes with an answer that uses earlier parts")
