"""What a page shows of a variant: prompt, variables, worked solutions, all as strings.

Building a variant and rendering its prompt and solution steps is engine work, so it runs as
one pool task and comes back as a small picklable `ProblemView` of plain strings (MathML
already rendered on the server: no JavaScript math, no CDN). Views are cached per variant in
the web process, so showing the same problem again costs no pool round trip.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from markupsafe import Markup

from app.cas.pool import WorkerPool
from app.services.checking import run_limited

CACHE_SIZE = 1024

_cache: OrderedDict[tuple, ProblemView] = OrderedDict()
_lock = threading.Lock()


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
class ProblemView:
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

    @property
    def prompt_html(self) -> Markup:
        # Produced by the bank's prompt renderer, which escapes the template's text and
        # renders its math as MathML.
        return Markup(self.prompt_source)  # noqa: S704 - escaped by the bank renderer

    @property
    def answer_mathml(self) -> Markup:
        return Markup(self.answer_mathml_source)  # noqa: S704 - sympy printer output


def _step_mathml(step) -> str:
    from app.bank.prompt import latex_to_mathml

    return latex_to_mathml(step.latex, display=True)


def build_view(problems_dir: str, template_id: str, seed: int) -> ProblemView:
    """Pool task: the view of one variant."""
    from app.cas.render import to_mathml
    from app.cas.sigmoid import sigmoid
    from app.services.grading import load_variant

    variant = load_variant(problems_dir, template_id, seed)
    methods = tuple(
        MethodView(solution.title,
                   tuple(StepView(step.text, _step_mathml(step)) for step in solution.steps))
        for solution in variant.solutions
    )
    wrt = variant.wrt.name if variant.wrt is not None else ""
    return ProblemView(
        template_id=template_id,
        seed=seed,
        title=variant.title,
        topic=variant.topic,
        prompt_source=variant.prompt_html(),
        variables=tuple(variant.variables),
        wrt=wrt,
        methods=methods,
        is_sigmoid=variant.function is not None and bool(variant.function.atoms(sigmoid)),
        # A derivative at a point has a number for an answer: nothing to plot against.
        plottable=wrt in variant.variables,
        answer_mathml_source=to_mathml(variant.expected),
    )


def problem_view(template_id: str, seed: int, *, pool: WorkerPool, problems_dir: str,
                 timeout: float | None = None) -> ProblemView:
    """The view of (template_id, seed); raises `grading.UnknownVariant` or the pool's errors."""
    key = (str(problems_dir), template_id, int(seed))
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    view = run_limited(build_view, str(problems_dir), template_id, int(seed), pool=pool,
                       timeout=timeout)
    with _lock:
        _cache[key] = view
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return view


@dataclass(frozen=True)
class CatalogueEntry:
    template_id: str
    title: str
    topic: str


def build_catalogue(problems_dir: str) -> tuple[CatalogueEntry, ...]:
    """Pool task: every template of the bank, in the bank's order."""
    from app.bank import load_bank

    return tuple(CatalogueEntry(t.id, t.title, t.topic) for t in load_bank(problems_dir).templates)


def catalogue(*, pool: WorkerPool, problems_dir: str,
              timeout: float | None = None) -> tuple[CatalogueEntry, ...]:
    """The bank's templates; read once per process (the bank changes only on deploy)."""
    key = ("catalogue", str(problems_dir))
    with _lock:
        if key in _catalogues:
            return _catalogues[key]
    entries = run_limited(build_catalogue, str(problems_dir), pool=pool, timeout=timeout)
    with _lock:
        _catalogues[key] = entries
    return entries


_catalogues: dict[tuple, tuple[CatalogueEntry, ...]] = {}
