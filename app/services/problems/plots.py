"""SVG plots of a variant: the correct derivative against a student's answer, and the
function with its derivative (σ with σ' on sigmoid problems, as in the classic figure).

Sampling the expressions is engine work (the student's answer is parsed again), so the
checker does it in a worker and returns plain floats; drawing those floats with matplotlib
happens here. Finished SVGs are cached per variant (and per answer as the engine read it),
so a reload or a second student with the same wrong answer costs nothing.
"""

from __future__ import annotations

import io
import threading

import matplotlib
from cachetools import LRUCache
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from app.checker.client import Checker, Unavailable
from app.checker.results import PlotData, PlotKind, Series, UnknownVariant

CACHE_SIZE = 512
# Beyond this many units a curve is clipped: a wrong answer that blows up would otherwise
# flatten the correct derivative into a line at 0.
CLIP_FACTOR = 4.0

_cache: LRUCache = LRUCache(CACHE_SIZE)
_cache_lock = threading.Lock()
# matplotlib keeps global state (font cache, rcParams); drawing one figure at a time keeps
# the threaded web server safe without pyplot.
_draw_lock = threading.Lock()


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
        svg = _cache.get(key)
    if svg is not None:
        return svg
    svg = make()
    if svg is not None:
        with _cache_lock:
            _cache[key] = svg
    return svg


def _draw(checker: Checker, kind: PlotKind, template_id: str, seed: int,
          answer: str | None = None) -> str | None:
    try:
        data = checker.plot_data(kind, template_id, seed, answer)
    except (Unavailable, UnknownVariant):
        # No plot is better than a failed page: the verdict and the steps stand on their own.
        return None
    return render_svg(data)


def comparison_svg(checker: Checker, template_id: str, seed: int,
                   canonical_answer: str) -> str | None:
    """SVG of the derivative against the answer (in the engine's plain syntax), or None."""
    key = (PlotKind.COMPARISON, checker.settings.problems_dir, template_id, int(seed),
           canonical_answer)
    return _cached(key, lambda: _draw(checker, PlotKind.COMPARISON, template_id, seed,
                                      canonical_answer))


def function_svg(checker: Checker, template_id: str, seed: int) -> str | None:
    """SVG of the variant's function with its derivative, or None."""
    key = (PlotKind.FUNCTION, checker.settings.problems_dir, template_id, int(seed))
    return _cached(key, lambda: _draw(checker, PlotKind.FUNCTION, template_id, seed))
