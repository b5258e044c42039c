"""What the checker answers: one verdict vocabulary and the result types every caller shares.

These cross the process boundary (a worker builds them, the web process reads them), so they
are frozen, picklable dataclasses of plain values. The models store `Verdict` as it is.
"""

from __future__ import annotations

import enum
from dataclasses import asdict, dataclass

from markupsafe import Markup

from app.cas.sampling import Curve


class Verdict(enum.StrEnum):
    CORRECT = "correct"
    INCORRECT = "incorrect"
    # Equivalent to the right answer, but not in the form the problem asks for: an attempt,
    # never correct (in an assignment the instructor sets its credit).
    FORM = "form"
    # Unreadable text: kept to show what students type, never counted as an attempt.
    INVALID = "invalid"
    # No verdict was reached (time or memory limit, or an undecidable comparison): never
    # guessed and never counted.
    TIMEOUT = "timeout"

    @property
    def counts_as_attempt(self) -> bool:
        return self in COUNTED


# The verdicts that are attempts; the others (unreadable, no verdict) cost nothing.
COUNTED = (Verdict.CORRECT, Verdict.INCORRECT, Verdict.FORM)
# Attempts that were not right: they count for the wrong-attempt penalty and as misses.
MISSES = (Verdict.INCORRECT, Verdict.FORM)


# Codes of the answer ``error`` object beyond the engine's own (app.cas.errors): ``undecided``
# when the engine could not settle equivalence, ``internal`` when the checker itself failed
# (logged; never a 500).
UNDECIDED = "undecided"
INTERNAL = "internal"


class UnknownVariant(LookupError):
    """The template does not exist in the bank (or the seed is out of range)."""


@dataclass(frozen=True)
class AnswerProblem:
    """Why the student's answer got no verdict: the contract's ``error`` object."""

    code: str
    message: str
    position: int | None = None


@dataclass(frozen=True)
class CheckResult:
    """The contract's reply to POST /api/v1/check."""

    valid: bool
    equivalent: bool | None
    error: AnswerProblem | None
    answer_latex: str | None
    expected_latex: str | None
    elapsed_ms: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class TypedReading:
    """An answer in the student's own form (their structure, decimals and names), with
    every implicit reading made explicit: `2x` as 2·x, `1/2x` as 1 over 2·x."""

    plain: str
    latex: str
    mathml: str


@dataclass(frozen=True)
class Hint:
    """A reading the student may not have meant (``e^-2x``: did you mean e^(-2x)?)."""

    code: str
    message: str
    position: int | None = None


@dataclass(frozen=True)
class PreviewResult:
    """The contract's reply to POST /api/v1/preview, with two fields of this project's:
    ``as_typed`` (what the page shows as "we read your answer as") and ``hints``.

    ``canonical``, ``answer_latex`` and ``answer_mathml`` are the contract's: the expression
    as the engine built it, in its canonical form (stable whatever the spelling, so API
    clients can compare readings)."""

    valid: bool
    error: AnswerProblem | None
    answer_latex: str | None
    answer_mathml: str | None
    canonical: str | None
    as_typed: TypedReading | None = None
    hints: tuple[Hint, ...] = ()

    def to_dict(self) -> dict[str, object]:
        body = asdict(self)
        body["hints"] = list(body["hints"])
        return body


@dataclass(frozen=True)
class GradeOutcome:
    """A student's answer to one problem variant, graded.

    ``correct``, ``incorrect`` and ``form`` are verdicts and count as attempts; ``invalid``
    (the text cannot be read: `error` says why and where) and ``timeout`` (no verdict
    reached: `error` says why) do not.

    `mistake_kind`/`mistake_message` name a recognised mistake (for ``incorrect``) or the
    broken requirement (for ``form``: the kind, such as "sigma-only", and the sentence);
    `analysis` is the true general statement about a wrong answer no mistake explains.
    """

    verdict: Verdict
    error: AnswerProblem | None = None
    mistake_kind: str | None = None
    mistake_message: str | None = None
    analysis: str | None = None
    # How the engine read the answer, when it could: the plain form (plots, grouping in item
    # analysis) and MathML (the page). Nothing else is rendered for a graded answer.
    canonical: str | None = None
    answer_mathml: str | None = None
    elapsed_ms: float = 0.0
    # Of a wrong answer: equal for equivalent answers to the variant (app.checker.fingerprint),
    # stored so item analysis groups answers without running the engine again.
    fingerprint: str | None = None

    @property
    def valid(self) -> bool:
        """The text was read and got a verdict."""
        return self.verdict in COUNTED

    @property
    def correct(self) -> bool:
        return self.verdict is Verdict.CORRECT

    @property
    def counted(self) -> bool:
        return self.verdict.counts_as_attempt


@dataclass(frozen=True)
class StepView:
    text: str
    mathml_source: str

    @property
    def mathml(self) -> Markup:
        # latex2mathml output of the engine's own LaTeX for a step (whitelisted names only),
        # never text a student typed.
        return Markup(self.mathml_source)  # noqa: S704 - engine output, see above


@dataclass(frozen=True)
class MethodView:
    title: str
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class PartView:
    """One part of a multi-part problem as a page shows it: its label, prompt and box."""

    part_id: str
    label: str
    points: float
    prompt_source: str
    variables: tuple[str, ...]
    methods: tuple[MethodView, ...]
    answer_mathml_source: str

    @property
    def prompt_html(self) -> Markup:
        return Markup(self.prompt_source)  # noqa: S704 - escaped by the bank renderer

    @property
    def answer_mathml(self) -> Markup:
        return Markup(self.answer_mathml_source)  # noqa: S704 - sympy printer output


@dataclass(frozen=True)
class ProblemView:
    """What a page shows of a variant, every piece already rendered (MathML on the server:
    no JavaScript math, no CDN)."""

    template_id: str
    seed: int
    title: str
    topic: str
    prompt_source: str
    variables: tuple[str, ...]
    wrt: str
    methods: tuple[MethodView, ...]
    # Sigmoid problems get the classic figure of the function with its derivative.
    is_sigmoid: bool
    plottable: bool
    answer_mathml_source: str
    # A multi-part problem's parts; `prompt_source` is then the stem alone.
    parts: tuple[PartView, ...] = ()

    @property
    def prompt_html(self) -> Markup:
        # Produced by the bank's prompt renderer, which escapes the template's text and
        # renders its math as MathML.
        return Markup(self.prompt_source)  # noqa: S704 - escaped by the bank renderer

    @property
    def answer_mathml(self) -> Markup:
        return Markup(self.answer_mathml_source)  # noqa: S704 - sympy printer output


@dataclass(frozen=True)
class CatalogueEntry:
    template_id: str
    title: str
    topic: str
    # How many different variants the template has (None: too many to count). A template
    # with one has no practice variant apart from its assignment one (`app/bank/spaces.py`).
    variants: int | None = None

    @property
    def single_variant(self) -> bool:
        return self.variants == 1


@dataclass(frozen=True)
class Series:
    label: str
    curve: Curve
    style: str = "-"


class PlotKind(enum.StrEnum):
    # The correct derivative against a student's answer.
    COMPARISON = "compare"
    # The function with its derivative (σ with σ' on sigmoid problems).
    FUNCTION = "function"


@dataclass(frozen=True)
class PlotData:
    """The curves of one plot and what to say about them, worked out in a worker."""

    title: str
    xlabel: str
    series: tuple[Series, ...]
    # Other variables held fixed for the plot, shown in the caption ("t = 1").
    fixed: tuple[tuple[str, float], ...] = ()
    # Every held value in words, including probabilities tied to the plotted one
    # ("t₁ = 1, t₂ = 0, p₂ = 1 − p₁"); empty when nothing is held.
    held_text: str = ""
    # The y-range drawn (the reference curve whole, the others clipped beyond it).
    ylim: tuple[float, float] | None = None
    # The sentence under the plot: which curve is which, what is held, what the plot shows.
    caption: str = ""

    @property
    def held(self) -> str:
        """The held variables in words, for a caption: "t = 0.5"."""
        if self.held_text:
            return self.held_text
        return ", ".join(f"{name} = {value:g}" for name, value in self.fixed)
