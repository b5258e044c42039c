"""SVG plots of a variant: the correct derivative against a student's answer, and the
function with its derivative (σ with σ' on sigmoid problems, as in the classic figure).

Sampling the expressions is engine work (the student's answer is parsed again), so it runs
as one task in the hard-limited pool and comes back as plain floats; drawing those floats
with matplotlib happens here. Finished SVGs are cached per variant (and per answer as the
engine read it), so a reload or a second student with the same wrong answer costs nothing.
"""

from __future__ import annotations

import io
import logging
import threading
from collections import OrderedDict
from dataclasses import dataclass

from app.cas.pool import PoolError, WorkerPool
from app.cas.sampling import Curve
from app.services.checking import run_limited

log = logging.getLogger(__name__)

CACHE_SIZE = 512
# Beyond this many units a curve is clipped: a wrong answer that blows up would otherwise
# flatten the correct derivative into a line at 0.
CLIP_FACTOR = 4.0

_cache: OrderedDict[tuple, str] = OrderedDict()
_cache_lock = threading.Lock()
# matplotlib keeps global state (font cache, rcParams); drawing one figure at a time keeps
# the threaded web server safe without pyplot.
_draw_lock = threading.Lock()


@dataclass(frozen=True)
class Series:
    label: str
    curve: Curve
    style: str = "-"


@dataclass(frozen=True)
class PlotData:
    title: str
    xlabel: str
    series: tuple[Series, ...]
    # Other variables held fixed for the plot, shown in the caption ("t = 1").
    fixed: tuple[tuple[str, float], ...] = ()

    @property
    def held(self) -> str:
        """The fixed variables in words, for a caption: "t = 0.5"."""
        return ", ".join(f"{name} = {value:g}" for name, value in self.fixed)


# --------------------------------------------------------------------------------------------
# Worker side


def _grid(variant):
    from app.cas.symbols import var

    wrt = variant.wrt
    domain = variant.domain
    lo, hi = domain.get(wrt.name, (-6.0, 6.0))
    fixed = {}
    for name in variant.variables:
        if name != wrt.name:
            # Hold the other variables at the middle of their domain (labels such as t in
            # (0, 1) get 1/2), or at 1 when the template gives no domain.
            other_lo, other_hi = domain.get(name, (0.0, 2.0))
            fixed[var(name)] = (float(other_lo) + float(other_hi)) / 2
    return wrt, float(lo), float(hi), fixed


def comparison_data(problems_dir: str, template_id: str, seed: int, answer: str) -> PlotData:
    """Pool task: the correct derivative and the student's answer, sampled on the domain."""
    from app.cas.parser import parse
    from app.cas.sampling import sample
    from app.services.grading import load_variant

    variant = load_variant(problems_dir, template_id, seed)
    wrt, lo, hi, fixed = _grid(variant)
    expr = parse(answer, variables=list(variant.variables))
    return PlotData(
        title="Your answer against the derivative",
        xlabel=wrt.name,
        series=(
            Series("correct derivative", sample(variant.expected, wrt, lo, hi, fixed)),
            Series("your answer", sample(expr, wrt, lo, hi, fixed), "--"),
        ),
        fixed=tuple((s.name, v) for s, v in fixed.items()),
    )


def function_data(problems_dir: str, template_id: str, seed: int) -> PlotData:
    """Pool task: the function and its derivative, sampled on the domain."""
    from app.cas.sampling import sample
    from app.services.grading import load_variant

    variant = load_variant(problems_dir, template_id, seed)
    wrt, lo, hi, fixed = _grid(variant)
    return PlotData(
        title="The function and its derivative",
        xlabel=wrt.name,
        series=(
            Series(f"f({wrt.name})", sample(variant.function, wrt, lo, hi, fixed)),
            Series(f"f′({wrt.name})", sample(variant.expected, wrt, lo, hi, fixed), "--"),
        ),
        fixed=tuple((s.name, v) for s, v in fixed.items()),
    )


# --------------------------------------------------------------------------------------------
# Drawing (web process)


def _limits(series: tuple[Series, ...]) -> tuple[float, float] | None:
    """y-limits from the first (reference) curve, widened a little for the others."""
    reference = [y for y in series[0].curve.ys if y is not None]
    if not reference:
        return None
    lo, hi = min(reference), max(reference)
    span = max(hi - lo, 1e-9, 0.1 * max(abs(lo), abs(hi)))
    others = [y for s in series[1:] for y in s.curve.ys if y is not None]
    if others:
        lo = max(min(lo, min(others)), lo - CLIP_FACTOR * span)
        hi = min(max(hi, max(others)), hi + CLIP_FACTOR * span)
    pad = 0.08 * max(hi - lo, 1e-9)
    return lo - pad, hi + pad


def render_svg(data: PlotData) -> str:
    """Draw `data` as a standalone SVG document (text, fonts as paths: nothing external)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with _draw_lock, matplotlib.rc_context({"svg.hashsalt": "gradwork", "svg.fonttype": "path"}):
        figure = Figure(figsize=(6.4, 3.6), dpi=100)
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        for item in data.series:
            ys = [float("nan") if y is None else y for y in item.curve.ys]
            axes.plot(item.curve.xs, ys, item.style, linewidth=2, label=item.label)
        limits = _limits(data.series)
        if limits is not None:
            axes.set_ylim(*limits)
        axes.axhline(0, color="#888888", linewidth=0.8)
        axes.grid(True, alpha=0.3)
        axes.set_xlabel(data.xlabel)
        axes.set_title(f"{data.title} ({data.held})" if data.fixed else data.title)
        axes.legend(loc="best")
        figure.tight_layout()
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _cached(key: tuple, make) -> str | None:
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    svg = make()
    if svg is None:
        return None
    with _cache_lock:
        _cache[key] = svg
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return svg


def _draw(fn, *args, pool: WorkerPool, timeout: float | None) -> str | None:
    try:
        data = run_limited(fn, *args, pool=pool, timeout=timeout)
    except PoolError:
        # No plot is better than a failed page: the verdict and the steps stand on their own.
        return None
    except Exception as exc:
        log.warning("a plot of %s could not be made", args[1:3], exc_info=exc)
        return None
    return render_svg(data)


def comparison_svg(template_id: str, seed: int, canonical_answer: str, *, pool: WorkerPool,
                   problems_dir: str, timeout: float | None = None) -> str | None:
    """SVG of the derivative against the answer (in the engine's plain syntax), or None."""
    key = ("compare", str(problems_dir), template_id, int(seed), canonical_answer)
    return _cached(key, lambda: _draw(comparison_data, str(problems_dir), template_id,
                                      int(seed), canonical_answer, pool=pool, timeout=timeout))


def function_svg(template_id: str, seed: int, *, pool: WorkerPool, problems_dir: str,
                 timeout: float | None = None) -> str | None:
    """SVG of the variant's function with its derivative, or None."""
    key = ("function", str(problems_dir), template_id, int(seed))
    return _cached(key, lambda: _draw(function_data, str(problems_dir), template_id, int(seed),
                                      pool=pool, timeout=timeout))
