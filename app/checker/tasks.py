"""The code that runs inside checker worker processes (with `app.checker.template_tasks`).

Each public function here is one pool task (but `variant_view`, which the course-template
tasks in `app.checker.template_tasks` share): it gets plain arguments, does the engine work
(parsing, differentiating, comparing, rendering, building variants) with no limits of its
own, and returns a result type of `app.checker.results`. The pool around it enforces the
time and memory limits; `app.checker.client` is the only caller. Nothing here touches Flask,
the database or the services.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from functools import lru_cache

import sympy as sp

from app.bank import judge as judging
from app.bank import load_bank, prompt
from app.bank.loader import read_template_text
from app.bank.params import variant_count
from app.bank.template import Template
from app.bank.variant import Variant, build_variant
from app.cas.equivalence import Tolerance, equivalent
from app.cas.errors import AnswerError
from app.cas.i18n import _, localized, speaking
from app.cas.linebreak import breakable, breakable_html
from app.cas.parse import Reading, as_typed, parse, read, typed_plain
from app.cas.parse.hints import hints
from app.cas.plain import to_plain
from app.cas.render import to_latex, to_mathml
from app.cas.sigmoid import sigmoid
from app.cas.symbols import var
from app.checker import memo, plotting
from app.checker.course_templates import (
    InlineTemplate,
)
from app.checker.fingerprint import answer_fingerprint
from app.checker.part_results import PartOutcome, PartsOutcome
from app.checker.requests import CheckRequestError, CheckSpec
from app.checker.results import (
    UNDECIDED,
    AnswerProblem,
    CatalogueEntry,
    CheckResult,
    GradeOutcome,
    Hint,
    MethodView,
    PartView,
    PlotData,
    PlotKind,
    PreviewResult,
    ProblemView,
    StepView,
    TypedReading,
    UnknownVariant,
    Verdict,
)

log = logging.getLogger(__name__)


def _where(error: AnswerError) -> str:
    return "" if error.position is None else _(" (at character %(position)s)") % {"position": error.position}


def _problem(error: AnswerError) -> AnswerProblem:
    return AnswerProblem(code=error.code, message=error.message, position=error.position)


# --------------------------------------------------------------------------------------------
# The check API


@lru_cache(maxsize=1024)
def _parse_trusted(text: str, variables: tuple[str, ...] | None) -> sp.Expr:
    """Parse an instructor-side expression; cached because the same problem is checked often."""
    return parse(text, variables=None if variables is None else list(variables))


@lru_cache(maxsize=512)
def _derivative(function: str, wrt: str, variables: tuple[str, ...] | None) -> sp.Expr:
    return sp.diff(_parse_trusted(function, variables), var(wrt))


@lru_cache(maxsize=512)
def _expected_latex(expected: sp.Expr) -> str:
    # The same expected expression is checked against many answers: render it once.
    return to_latex(expected)


def _names(expr: sp.Expr) -> tuple[str, ...]:
    return tuple(sorted(symbol.name for symbol in expr.free_symbols))


def _expected_side(spec: CheckSpec) -> tuple[sp.Expr, tuple[str, ...]]:
    """The expected expression and the variables the answer may use."""
    if spec.expected is not None:
        try:
            expected = _parse_trusted(spec.expected, spec.variables)
        except AnswerError as error:
            raise CheckRequestError(
                "invalid_expected",
                _("The expected expression is invalid%(where)s: %(message)s") % {"where": _where(error), "message": error.message},
            ) from None
        return expected, spec.variables if spec.variables is not None else _names(expected)
    try:
        function = _parse_trusted(spec.function, spec.variables)
    except AnswerError as error:
        raise CheckRequestError(
            "invalid_function",
            _("The function to differentiate is invalid%(where)s: %(message)s") % {"where": _where(error), "message": error.message},
        ) from None
    allowed = spec.variables
    if allowed is None:
        allowed = tuple(sorted({*_names(function), spec.wrt}))
    return _derivative(spec.function, spec.wrt, spec.variables), allowed


def _compare(answer: sp.Expr, expected: sp.Expr, spec: CheckSpec) -> bool | None:
    domain = None if spec.domain is None else {name: (lo, hi) for name, lo, hi in spec.domain}
    tolerance = None
    if spec.tolerance is not None:
        tolerance = Tolerance(relative=spec.tolerance[0], absolute=spec.tolerance[1])
    try:
        return equivalent(answer, expected, domain=domain, tolerance=tolerance)
    except AnswerError as error:
        # The engine raises here only about the expected side: defined nowhere on the domain.
        if domain:
            raise CheckRequestError(
                "invalid_domain",
                _("The expected expression has no value on this domain: %(message)s.") % {"message": error.message},
            ) from None
        raise CheckRequestError(
            "invalid_expected", _("The expected expression is invalid: %(message)s.") % {"message": error.message}
        ) from None


def evaluate_check(spec: CheckSpec) -> CheckResult:
    """Pool task: the whole check of the contract.

    Raises `CheckRequestError` when the expected side is invalid; every problem with the
    student's answer is reported in the result instead.
    """
    # An undecided check (equivalent None) may be decided with time to spare: never kept.
    return memo.GRADES.recall(("check", spec), lambda: _check(spec),
                              keep=lambda result: not result.valid or result.equivalent is not None)


def _check(spec: CheckSpec) -> CheckResult:
    expected, allowed = _expected_side(spec)
    for name, _lo, _hi in spec.domain or ():
        if name not in allowed:
            raise CheckRequestError(
                "invalid_domain",
                _("The domain names \"%(name)s\", which the expected expression does not use.") % {"name": name},
            )
    expected_latex = _expected_latex(expected)
    try:
        answer = parse(spec.answer, variables=list(allowed))
    except AnswerError as error:
        return CheckResult(False, None, _problem(error), None, expected_latex)
    answer_latex = to_latex(answer)
    verdict = _compare(answer, expected, spec)
    error = None
    if verdict is None:
        error = AnswerProblem(
            UNDECIDED,
            _("The checker could not decide whether this answer is equal to the expected "
               "one; try writing it in a simpler form, or ask your instructor."),
        )
    return CheckResult(True, verdict, error, answer_latex, expected_latex)


def _as_typed(reading: Reading) -> TypedReading:
    return TypedReading(typed_plain.plain(reading.tree), as_typed.latex(reading.tree),
                        as_typed.mathml(reading.tree))


def evaluate_preview(answer: str, variables: tuple[str, ...] | None) -> PreviewResult:
    """Pool task: how the engine reads an answer: the canonical expression (the contract's
    fields) and the answer in the student's own form, with hints."""
    try:
        reading = read(answer, variables=None if variables is None else list(variables))
    except AnswerError as error:
        return PreviewResult(False, _problem(error), None, None, None)
    expr = reading.expr
    found = tuple(Hint(h.code, h.message, h.position) for h in hints(answer, reading.tree))
    return PreviewResult(True, None, to_latex(expr), to_mathml(expr), to_plain(expr),
                         as_typed=_as_typed(reading), hints=found)


def warm_up() -> None:
    """Worker initializer: run one small check through every stage, so a worker's first real
    task finds sympy's caches and the parser built."""
    spec = CheckSpec(answer="σ(x)(1-σ(x))", function="sigma(x)", wrt="x", variables=("x",))
    try:
        evaluate_check(spec)
        evaluate_preview("2x e^-x", None)
    except Exception:
        # Warming is only an optimisation: a broken stage shows up (and is logged) in the
        # task that needs it, while the stages that work keep serving.
        log.warning("warming up a checking worker failed", exc_info=True)


# --------------------------------------------------------------------------------------------
# Problem-bank variants


Origin = str | InlineTemplate


@lru_cache(maxsize=256)
def _inline_template(origin: InlineTemplate) -> Template:
    # A version's text never changes, so each worker reads it once.
    template, errors = read_template_text(origin.text, origin.ref)
    if template is None or errors:
        raise UnknownVariant(f"the course template {origin.ref!r} is not valid")
    return template


def load_variant(origin: Origin, template_id: str, seed: int) -> Variant:
    """Variant `seed` of a bank template (`origin` is the bank's folder) or of a course
    template (`origin` is its text)."""
    # The bank caches variants per worker: a student retrying one variant, or a class
    # answering the same assignment item, pays for building it (and its mistakes) once.
    try:
        if isinstance(origin, InlineTemplate):
            return build_variant(_inline_template(origin), seed)
        return load_bank(origin).variant(template_id, seed)
    except (KeyError, ValueError) as exc:
        raise UnknownVariant(f"no problem {template_id!r} with seed {seed}") from exc


def evaluate_grade(problems_dir: Origin, template_id: str, seed: int, answer: str,
                   language: str = "en") -> GradeOutcome:
    """Pool task: grade an answer to one variant (the bank's judge: equivalence on the
    variant's domain and tolerance, its requirements, the diagnosis of a wrong answer), its
    messages in `language`."""
    def grade() -> GradeOutcome:
        with speaking(language):
            return _grade(load_variant(problems_dir, template_id, seed), answer)[0]

    return memo.GRADES.recall(("grade", problems_dir, template_id, seed, answer, language),
                              grade, keep=lambda outcome: outcome.verdict is not Verdict.TIMEOUT)


def _grade(variant: Variant, answer: str) -> tuple[GradeOutcome, sp.Expr | None]:
    """The outcome of `answer` to `variant`, and the answer as read (None if unreadable)."""
    try:
        reading = read(answer, variables=list(variant.variables))
    except AnswerError as error:
        return GradeOutcome(Verdict.INVALID, error=_problem(error)), None
    expr = reading.expr
    # Stored and grouped by the canonical form; shown to the student in their own.
    read_as = {"canonical": to_plain(expr), "answer_mathml": as_typed.mathml(reading.tree)}
    try:
        judgement = judging.judge(variant, expr, answer, written=reading.written())
    except AnswerError as error:
        # Readable but unusable, e.g. undefined everywhere on the domain.
        return GradeOutcome(Verdict.INVALID, error=_problem(error), **read_as), expr
    if judgement.verdict == judging.UNDECIDED:
        return GradeOutcome(Verdict.TIMEOUT, error=AnswerProblem(UNDECIDED, judgement.message),
                            **read_as), expr
    if judgement.verdict == judging.CORRECT:
        return GradeOutcome(Verdict.CORRECT, **read_as), expr
    if judgement.verdict == judging.FORM:
        return GradeOutcome(Verdict.FORM, mistake_kind=judgement.kind,
                            mistake_message=judgement.message, **read_as), expr
    # Wrong answers carry their values' fingerprint: item analysis groups equal ones by it.
    read_as["fingerprint"] = answer_fingerprint(expr, variant.variables, variant.domain)
    if judgement.specific:
        return GradeOutcome(Verdict.INCORRECT, mistake_kind=judgement.kind,
                            mistake_message=judgement.message, **read_as), expr
    return GradeOutcome(Verdict.INCORRECT, analysis=judgement.message, **read_as), expr


def evaluate_grade_parts(problems_dir: Origin, template_id: str, seed: int,
                         answers: tuple[str, ...], language: str = "en") -> PartsOutcome:
    """Pool task: grade one answer per part of a multi-part variant, in order; a part that
    allows follow-through is also judged against the student's own earlier answers. Its
    messages are in `language`."""
    def grade() -> PartsOutcome:
        with speaking(language):
            return _grade_parts(load_variant(problems_dir, template_id, seed), template_id,
                                answers)

    return memo.GRADES.recall(
        ("parts", problems_dir, template_id, seed, tuple(answers), language), grade,
        keep=lambda outcome: all(p.outcome.verdict is not Verdict.TIMEOUT
                                 for p in outcome.parts))


def _grade_parts(variant: Variant, template_id: str, answers: tuple[str, ...]) -> PartsOutcome:
    if not variant.parts or len(answers) != len(variant.parts):
        raise UnknownVariant(f"{template_id!r} does not have {len(answers)} parts")
    labels = {part.id: part.label for part in variant.parts}
    read_so_far: dict[str, sp.Expr] = {}
    right: dict[str, bool] = {}
    found = []
    for part, answer in zip(variant.parts, answers, strict=True):
        outcome, expr = _grade(part.variant, answer)
        right[part.id] = outcome.verdict in (Verdict.CORRECT, Verdict.FORM)
        carried, given = False, ()
        if part.follow_through and outcome.verdict is Verdict.INCORRECT and expr is not None:
            carried, used = _carried(part, expr, read_so_far, right, answer)
            given = tuple(labels[name] for name in used)
        found.append(PartOutcome(part.id, part.label, part.points, outcome, carried, given))
        if expr is not None and outcome.counted:
            read_so_far[part.id] = expr
    return PartsOutcome(tuple(found))


def _carried(part, expr: sp.Expr, earlier: dict[str, sp.Expr], right: dict[str, bool],
             answer: str) -> tuple[bool, tuple[str, ...]]:
    """Whether `expr` is right given the student's own answers to the parts it uses."""
    wrong = tuple(name for name in part.uses if not right.get(name, False))
    expected = part.carried(earlier)
    if not wrong or expected is None:
        return False, ()
    carried_variant = replace(part.variant, expected=expected, mistakes=())
    try:
        judgement = judging.judge(carried_variant, expr, answer)
    except AnswerError:
        return False, ()
    if judgement.verdict != judging.CORRECT:
        return False, ()
    return True, wrong


def _step_view(step) -> StepView:
    # Broken into pieces a phone can wrap (app.cas.linebreak): steps are the longest lines.
    return StepView(step.text, breakable(prompt.latex_to_mathml(step.latex, display=True)))


def build_view(problems_dir: Origin, template_id: str, seed: int,
               language: str = "en") -> ProblemView:
    """Pool task: what a page shows of one variant, its prompt and steps in `language`."""
    with speaking(language):
        return variant_view(load_variant(problems_dir, template_id, seed), template_id, seed)


def variant_view(variant: Variant, template_id: str, seed: int) -> ProblemView:
    methods = _methods(variant)
    wrt = variant.wrt.name if variant.wrt is not None else ""
    parts = tuple(
        PartView(part.id, part.label, part.points,
                 breakable_html(prompt.prompt_html(part.variant.prompt)),
                 tuple(part.variant.variables), _methods(part.variant),
                 breakable(to_mathml(part.variant.expected)))
        for part in variant.parts)
    stem = variant.stem if parts else variant.prompt
    return ProblemView(
        template_id=template_id,
        seed=seed,
        title=variant.title,
        topic=variant.topic,
        prompt_source=breakable_html(prompt.prompt_html(stem)),
        variables=tuple(variant.variables),
        wrt=wrt,
        methods=methods,
        is_sigmoid=variant.function is not None and bool(variant.function.atoms(sigmoid)),
        # A derivative at a point has a number for an answer: nothing to plot against.
        plottable=wrt in variant.variables,
        answer_mathml_source=breakable(to_mathml(variant.expected)),
        parts=parts,
    )


def _methods(variant: Variant) -> tuple[MethodView, ...]:
    return tuple(
        MethodView(solution.title, tuple(_step_view(step) for step in solution.steps))
        for solution in variant.solutions
    )


def build_catalogue(problems_dir: str, language: str = "en") -> tuple[CatalogueEntry, ...]:
    """Pool task: every template of the bank, in the bank's order, titled in `language`."""
    with speaking(language):
        return tuple(CatalogueEntry(t.id, localized(t.title, t.title_zh), t.topic,
                                    variant_count(t.params, t.id))
                     for t in load_bank(problems_dir).templates)


# --------------------------------------------------------------------------------------------
# Plots

def plot_data(problems_dir: Origin, kind: PlotKind, template_id: str, seed: int,
              answer: str | None = None, language: str = "en") -> PlotData:
    """Pool task: the curves of one plot and its caption, on the variant's domain.

    A comparison plot draws the correct derivative against `answer` (in the engine's plain
    syntax), with the other variables held where the two differ visibly
    (`app.cas.slices`)."""
    with speaking(language):
        variant = load_variant(problems_dir, template_id, seed)
        if kind is PlotKind.COMPARISON:
            return plotting.comparison(variant, answer or "")
        return plotting.function(variant)
