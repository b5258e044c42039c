"""Answer forms in templates: the `requirements` field, and prose that asks for a form.

A template declares what form its answer must take as data::

    requirements:
      - sigma-only            # a flag: number, sigma-only, exp-only, single-fraction,
      - significant: 4        #   factored, no-log
      - forbid: [tanh, cosh]  # names: functions in any spelling, e, pi, variables
      - require: [sigma]

The prompt's sentence about the form is generated from it, so the prompt's own prose must
not ask for a form: `flask problems validate` reports prose such as "in terms of σ" or
"as a single fraction" and says which requirement states it instead.
"""

from __future__ import annotations

import re

from app.bank.params import PLACEHOLDER
from app.cas.requirements import FLAGS, KINDS, Requirement, conflicts, resolve_name

# The older `form:` field: one flag.
LEGACY_FORMS = ("sigma-only", "exp-only", "no-log")
MAX_SIGNIFICANT = 15


def read_requirements(checker, data: dict) -> tuple[Requirement, ...]:
    """The template's requirements; problems are reported through `checker.error`."""
    found: list[Requirement] = []
    legacy = data.get("form")
    if legacy is not None:
        if legacy in LEGACY_FORMS:
            found.append(Requirement(legacy))
        else:
            checker.error(("form",), f"unknown form (known: {', '.join(LEGACY_FORMS)}); "
                          "declare answer forms under requirements")
    raw = data.get("requirements")
    if raw is None:
        return tuple(found)
    if not isinstance(raw, list):
        checker.error(("requirements",), "must be a list (like [sigma-only] or "
                      "[number, {significant: 4}])")
        return tuple(found)
    for index, item in enumerate(raw):
        requirement = _one(checker, ("requirements", index), item)
        if requirement is None:
            continue
        if any(r.kind == requirement.kind for r in found):
            checker.error(("requirements", index), f"{requirement.kind} is given twice")
            continue
        found.append(requirement)
    for problem in conflicts(found):
        checker.error(("requirements",), problem)
    if any(r.kind == "significant" for r in found) and "tolerance" in data:
        checker.error(("tolerance",), "significant figures set the tolerance: remove tolerance")
    return tuple(found)


def _one(checker, path: tuple, item) -> Requirement | None:
    known = ", ".join(KINDS)
    if isinstance(item, str):
        if item in FLAGS:
            return Requirement(item)
        if item in KINDS:
            checker.error(path, f"{item} needs a value, like {item}: "
                          + ("4" if item == "significant" else "[tanh]"))
        else:
            checker.error(path, f"unknown requirement {item!r} (known: {known})")
        return None
    if not isinstance(item, dict) or len(item) != 1:
        checker.error(path, "must be a name (sigma-only) or one key with its value "
                      "(significant: 4)")
        return None
    (kind, value), = item.items()
    if kind == "significant":
        if isinstance(value, bool) or not isinstance(value, int) or not (
            1 <= value <= MAX_SIGNIFICANT
        ):
            checker.error((*path, kind), f"must be a whole number from 1 to {MAX_SIGNIFICANT}")
            return None
        return Requirement("significant", digits=value)
    if kind in ("forbid", "require"):
        if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
            checker.error((*path, kind), "must be a non-empty list of names")
            return None
        for name in value:
            if PLACEHOLDER.search(name):
                continue
            try:
                resolve_name(name)
            except ValueError as exc:
                checker.error((*path, kind), str(exc))
                return None
        return Requirement(kind, names=tuple(value))
    checker.error(path, f"unknown requirement {kind!r} (known: {known})")
    return None


# Prose that asks for a form, and the requirement that states it instead.
_PROSE = (
    (re.compile(r"in terms of", re.I), "sigma-only (or exp-only, or require: [...])"),
    (re.compile(r"\b(?:single|one) fraction|common denominator", re.I), "single-fraction"),
    (re.compile(r"\bdecimal", re.I), "number (with significant: N)"),
    (re.compile(r"significant (?:digit|figure)|\bround(?:ed)? to\b", re.I), "significant: N"),
    (re.compile(r"\bfactori[sz]e|\bfactored\b", re.I), "factored"),
    (re.compile(r"\bsimplif", re.I), "a requirement that says which form"),
    (re.compile(r"\b(?:no|without) (?:exponentials|exp\b|\$\\exp)", re.I), "sigma-only"),
    (re.compile(r"\b(?:write|give|express)\b[^.]*?\b(?:with|using)\s+\$?\\sigma", re.I),
     "sigma-only"),
    (re.compile(r"\bexact (?:value|form|answer)", re.I), "number"),
)


def prose_problems(prompt: str) -> list[str]:
    """What the prompt's prose asks about the answer's form, each with what to declare."""
    problems = []
    for pattern, requirement in _PROSE:
        match = pattern.search(prompt)
        if match:
            problems.append(
                f"the prompt asks for a form in prose ({match.group(0)!r}): declare it under "
                f"requirements ({requirement}); its sentence is added to the prompt, so that "
                "what is asked and what is checked cannot differ"
            )
    return problems
