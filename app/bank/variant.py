"""Variants: a template with its parameters drawn for one seed, fully worked out.

A variant holds everything a page, the grader or the CLI needs: the prompt, the expected
answer (sympy), the worked solution for each method and the typical mistakes. Building
one parses and differentiates, so variants are cached per (template, seed); the same
(template, seed) gives the same variant in every process.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field, replace

import sympy as sp

from app.bank import spaces
from app.bank.errors import TemplateError
from app.bank.evaluation import NUMERIC_DIGITS, answer_steps, evaluation_steps
from app.bank.params import Value, format_value, sample, substitute
from app.bank.prompt import prompt_html
from app.bank.template import Template
from app.cas.derivation import Final, Step, derive, tidy
from app.cas.errors import AnswerError
from app.cas.i18n import _, current_language, localized
from app.cas.mistakes import Mistake, distinct_mistakes, typical_mistakes
from app.cas.mistakes.precision import half_unit
from app.cas.parse import parse
from app.cas.plain import to_plain
from app.cas.render import to_latex
from app.cas.requirements import Requirement, prompt_sentences, significant_digits
from app.cas.symbols import var

# Every template accepts the seeds 0 <= seed < SEED_RANGE (they fit a signed 32-bit column):
# practice seeds below spaces.ASSESSMENT_START, assignment seeds above.
SEED_RANGE = spaces.SEED_RANGE

__all__ = ["NUMERIC_DIGITS", "SEED_RANGE", "Solution", "Variant", "VariantError",
           "build_variant"]


@dataclass(frozen=True)
class Solution:
    method: str
    title: str
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Variant:
    template_id: str
    seed: int
    title: str
    topic: str
    difficulty: int
    prompt: str
    params: tuple[tuple[str, str], ...]
    variables: tuple[str, ...]
    domain: dict[str, tuple[float, float]] = field(hash=False)
    tolerance: tuple[float, float] | None
    function: sp.Expr | None
    wrt: sp.Symbol | None
    expected: sp.Expr
    requirements: tuple[Requirement, ...]
    solutions: tuple[Solution, ...]
    mistakes: tuple[Mistake, ...]
    # A multi-part template's parts (app.bank.part_variants.PartVariant), each with its own
    # variant; this variant is then the last part's, under the template's combined prompt.
    parts: tuple = field(default=(), hash=False, compare=False)
    # The prompt before the parts' own (the whole `prompt` of a single-answer variant).
    stem: str = ""

    @property
    def form(self) -> tuple[Requirement, ...]:
        """The requirements, under the name `app.cas.mistakes.form_violation` was given."""
        return self.requirements

    @property
    def significant(self) -> int | None:
        """Significant figures a decimal answer must have right, when the template asks."""
        return significant_digits(self.requirements)

    @property
    def steps(self) -> tuple[Step, ...]:
        """The first (main) method's steps."""
        return self.solutions[0].steps

    def prompt_html(self) -> str:
        return prompt_html(self.prompt)

    def to_dict(self) -> dict:
        """The JSON shape of `flask problems show --format json`."""
        return {
            "id": self.template_id,
            "seed": self.seed,
            "title": self.title,
            "topic": self.topic,
            "prompt": self.prompt,
            "variables": list(self.variables),
            "domain": {name: [lo, hi] for name, (lo, hi) in self.domain.items()},
            "tolerance": (
                None
                if self.tolerance is None
                else {"relative": self.tolerance[0], "absolute": self.tolerance[1]}
            ),
            "function": None if self.function is None else to_plain(self.function),
            "wrt": None if self.wrt is None else self.wrt.name,
            "expected": to_plain(self.expected),
            "steps": [
                {"rule": step.rule, "text": step.text, "latex": step.latex} for step in self.steps
            ],
            "mistakes": [
                {"answer": to_plain(m.shown), "message": m.message} for m in self.mistakes
            ],
            "requirements": [r.to_dict(self.significant) for r in self.requirements],
            **({"parts": [_part_dict(part) for part in self.parts]} if self.parts else {}),
        }


def _part_dict(part) -> dict:
    shown = part.variant.to_dict()
    return {"id": part.id, "label": part.label, "points": part.points,
            "follow_through": part.follow_through, "uses": list(part.uses),
            **{key: shown[key] for key in ("prompt", "variables", "expected", "steps",
                                           "mistakes", "requirements")}}


class VariantError(ValueError):
    """A template whose expressions fail for some seed; carries a TemplateError."""

    def __init__(self, error: TemplateError) -> None:
        super().__init__(str(error))
        self.error = error


class _Builder:
    def __init__(self, template: Template, seed: int) -> None:
        self.template = template
        self.seed = seed
        self.values: dict[str, Value] = {}

    def fail(self, field_name: str, message: str) -> VariantError:
        line = dict(self.template.field_lines).get(field_name.split(".")[0].split("[")[0])
        return VariantError(
            TemplateError(self.template.file, field_name, line, f"{message} (seed {self.seed})")
        )

    def fill(self, text: str, field_name: str) -> str:
        try:
            return substitute(text, self.values)
        except KeyError as exc:
            raise self.fail(field_name, f"unknown placeholder {{{{{exc.args[0]}}}}}") from None

    def expr(self, text: str, field_name: str, variables) -> sp.Expr:
        filled = self.fill(text, field_name)
        try:
            return _evaluated(parse(filled, variables))
        except AnswerError as exc:
            raise self.fail(field_name, f"{filled!r}: {exc.message}") from None

    def build(self) -> Variant:
        t = self.template
        try:
            self.values = sample(t.params, t.id, self.seed)
        except ValueError as exc:
            raise self.fail("params", str(exc)) from None
        declared = None
        if t.variables is not None:
            declared = [self.fill(name, "variables") for name in t.variables]
        domain = {self.fill(name, "domain"): (lo, hi) for name, lo, hi in t.domain}
        if t.function is not None:
            worked = self.derivative(declared, domain)
        else:
            worked = self.explicit(declared, domain)
        function, wrt, expected, variables, solutions, mistakes = worked
        # The domain may name variables only some variants have (p_4 of 2-4 classes).
        domain = {name: bounds for name, bounds in domain.items() if name in variables}
        requirements = self.requirements()
        return Variant(
            template_id=t.id,
            seed=self.seed,
            title=localized(t.title, t.title_zh),
            topic=t.topic,
            difficulty=t.difficulty,
            prompt=self.prompt(function, wrt, variables, requirements),
            params=tuple((k, format_value(v)) for k, v in self.values.items()),
            variables=tuple(variables),
            domain=domain,
            tolerance=_tolerance(t.tolerance, expected, significant_digits(requirements)),
            function=function,
            wrt=wrt,
            expected=expected,
            requirements=requirements,
            solutions=tuple(solutions),
            mistakes=tuple(mistakes),
        )

    def derivative(self, declared, domain):
        """The worked solutions and typical mistakes of d/d(wrt) function (at a point)."""
        t = self.template
        wrt_name = self.fill(t.wrt, "wrt")
        allowed = None if declared is None else [*declared, wrt_name]
        function = self.expr(t.function, "function", allowed)
        wrt = var(wrt_name)
        variables = declared if declared is not None else _names(function)
        if wrt_name not in variables and not t.at:
            raise self.fail("wrt", f"{wrt_name!r} is not one of the variables")
        final = self.note(t.final, "final", allowed)
        rewrite = self.note(t.rewrite, "rewrite", allowed)
        point = {var(self.fill(k, "at")): self.expr(v, f"at.{k}", []) for k, v in t.at}
        derivations = []
        for method in t.methods:
            try:
                derivations.append(derive(function, wrt, method, final=final, rewrite=rewrite))
            except ValueError as exc:
                raise self.fail("methods", str(exc)) from None
        digits = significant_digits(self.requirements())
        solutions = []
        for derivation in derivations:
            steps = derivation.steps
            if point:
                steps = steps + evaluation_steps(derivation, point, t.is_numeric, digits)
            solutions.append(Solution(derivation.method, derivation.title, steps))
        expected = derivations[0].result
        mistakes = typical_mistakes(
            [d.tree for d in derivations], function, expected,
            extra=self.template_mistakes(allowed), domain=domain, point=point,
        )
        if point:
            expected = tidy(expected.xreplace(point))
            variables = [v for v in variables if var(v) not in point]
        return function, wrt, expected, variables, solutions, mistakes

    def explicit(self, declared, domain):
        """An answer given by the template: its value and the template's mistakes."""
        t = self.template
        expected = self.expr(t.answer, "answer", declared)
        variables = declared if declared is not None else _names(expected)
        digits = significant_digits(self.requirements())
        steps = answer_steps(expected, t.is_numeric, digits)
        mistakes = distinct_mistakes(self.template_mistakes(declared), expected, domain)
        return None, None, expected, variables, [Solution("evaluate", _("Evaluate"), steps)], mistakes

    def requirements(self) -> tuple[Requirement, ...]:
        return tuple(
            Requirement(r.kind, tuple(self.fill(n, "requirements") for n in r.names), r.digits)
            for r in self.template.requirements
        )

    def note(self, note, field_name: str, allowed) -> Final | None:
        if note is None:
            return None
        return Final(
            self.expr(note.expr, f"{field_name}.expr", allowed),
            self.fill(localized(note.note, note.note_zh), f"{field_name}.note"),
        )

    def template_mistakes(self, allowed) -> tuple[Mistake, ...]:
        return tuple(
            Mistake(
                self.expr(m.answer, f"mistakes[{i}].answer", allowed),
                self.fill(localized(m.message, m.message_zh), f"mistakes[{i}].message"),
                "template",
            )
            for i, m in enumerate(self.template.mistakes)
        )

    def shown_extra(self) -> dict[str, Value]:
        """More placeholders of the prompt (a part's: the earlier parts' results)."""
        return {}

    def prompt(self, function, wrt, variables, requirements) -> str:
        shown: dict[str, Value] = {**self.values, **self.shown_extra()}
        for name, text in self.template.display:
            shown[name] = to_latex(self.expr(text, f"display.{name}", None), textbook=True)
        if function is not None:
            shown["function"] = to_latex(function, textbook=True)
            shown["wrt"] = to_latex(wrt)
        try:
            text = substitute(localized(self.template.prompt, self.template.prompt_zh), shown)
        except KeyError as exc:
            raise self.fail("prompt", f"unknown placeholder {{{{{exc.args[0]}}}}}") from None
        sentences = prompt_sentences(requirements)
        if sentences:
            text = text.rstrip() + "\n\n" + " ".join(sentences) + "\n"
        return text


def _tolerance(declared, expected: sp.Expr, significant: int | None):
    """The template's tolerance, or the one its significant figures imply: half a unit in
    the last figure asked for, so that 0.07586 is right for sigma(-2.5) to 4 figures."""
    if significant is None:
        return declared
    return (0.0, float(half_unit(expected, significant)))


def _evaluated(expr: sp.Expr) -> sp.Expr:
    """`expr` with every node re-evaluated.

    The parser keeps `0*log(1 - ŷ)` as written, since for a student's answer the log still
    restricts where it is defined; in a template with t = 1 it is just a vanished term.
    """
    if not expr.args:
        return expr
    return expr.func(*(_evaluated(arg) for arg in expr.args))


def _names(expr: sp.Expr) -> list[str]:
    return sorted(symbol.name for symbol in expr.free_symbols)


_CACHE_SIZE = 4096
_variants: OrderedDict[tuple, Variant] = OrderedDict()
_variants_lock = threading.Lock()


def build_variant(template: Template, seed: int) -> Variant:
    """Variant `seed` of `template` (cached; raises VariantError for a broken template)."""
    # Negative seeds are pre-split assignment seeds (app/bank/spaces.py: legacy_seed).
    if isinstance(seed, bool) or not isinstance(seed, int) or not -SEED_RANGE <= seed < SEED_RANGE:
        raise ValueError("a seed is an integer of the seed range")
    try:
        values = sample(template.params, template.id, seed)
    except ValueError as exc:
        raise _Builder(template, seed).fail("params", str(exc)) from None
    # Seeds that draw the same parameters share one build (a template with three choices
    # has three variants, however many seeds ask for them).
    # Its sentences are in the language it is built in (app.cas.i18n): one build per language.
    key = (template, tuple(values.items()), current_language())
    with _variants_lock:
        variant = _variants.get(key)
        if variant is not None:
            _variants.move_to_end(key)
    if variant is None:
        if template.parts:
            # Imported here: part_variants builds each part with this module's builder.
            from app.bank.part_variants import build_parts_variant

            variant = build_parts_variant(template, seed)
        else:
            variant = _Builder(template, seed).build()
        with _variants_lock:
            _variants[key] = variant
            while len(_variants) > _CACHE_SIZE:
                _variants.popitem(last=False)
    return variant if variant.seed == seed else replace(variant, seed=seed)


def clear_variant_cache() -> None:
    with _variants_lock:
        _variants.clear()
