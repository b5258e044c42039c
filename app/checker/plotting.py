"""Worker side of the plots: where to hold the other variables, the sampled curves and the
caption of each plot (run by `tasks.plot_data`, in a worker: no Flask, no database)."""

from __future__ import annotations

import sympy as sp

from app.bank.variant import Variant
from app.cas import plot_text, slices
from app.cas.i18n import _
from app.cas.parse import parse
from app.cas.sampling import Curve
from app.cas.slices import Slice
from app.checker.results import PlotData, Series

PLOT_POINTS = 241


def _plot_range(variant: Variant) -> tuple[float, float]:
    lo, hi = variant.domain.get(variant.wrt.name, (-6.0, 6.0))
    return float(lo), float(hi)


def _curve(expr: sp.Expr, wrt: sp.Symbol, xs: tuple[float, ...], where: Slice) -> Curve:
    return Curve(xs, tuple(slices.evaluate(expr, wrt, xs, where)))


def _held(where: Slice, wrt: str) -> tuple[str, str]:
    """Every value set for the plot in words, and the clause of a caption that says so."""
    held, shared = where.held(), where.shared(wrt)
    # The clause follows the variable's name in the caption's sentence ("against x, with …").
    if held and shared:
        clause = _(", with %(held)s held and %(shared)s, so that the probabilities sum to 1") % {
            "held": held, "shared": shared}
    elif held:
        clause = _(", with %(held)s held") % {"held": held}
    elif shared:
        clause = _(", with %(shared)s, so that the probabilities sum to 1") % {"shared": shared}
    else:
        clause = ""
    return where.describe(wrt), clause


def comparison(variant: Variant, answer: str) -> PlotData:
    wrt = variant.wrt
    lo, hi = _plot_range(variant)
    expr = parse(answer, variables=list(variant.variables))
    where = slices.separating_slice(variant.expected, expr, wrt, variant.variables,
                                    variant.domain, lo, hi)
    xs = slices.grid(lo, hi, PLOT_POINTS)
    right, yours = _curve(variant.expected, wrt, xs, where), _curve(expr, wrt, xs, where)
    limits = slices.view_range(right.ys, [yours.ys])
    held, clause = _held(where, wrt.name)
    name = slices.display_name(wrt.name)
    finding = plot_text.comparison_finding(xs, right.ys, yours.ys, limits, wrt.name)
    return PlotData(
        title=_("Your answer and the derivative"),
        xlabel=name,
        series=(Series(_("correct derivative"), right), Series(_("your answer"), yours, "--")),
        fixed=where.fixed,
        held_text=held,
        ylim=limits,
        caption=_("The correct derivative (solid) and your answer (dashed) against "
                   "%(name)s%(clause)s. %(finding)s") % {"name": name, "clause": clause, "finding": finding},
    )


def function(variant: Variant) -> PlotData:
    wrt = variant.wrt
    lo, hi = _plot_range(variant)
    where = slices.first_slice(variant.variables, wrt.name, variant.domain)
    xs = slices.grid(lo, hi, PLOT_POINTS)
    function = _curve(variant.function, wrt, xs, where)
    derivative = _curve(variant.expected, wrt, xs, where)
    held, clause = _held(where, wrt.name)
    name = slices.display_name(wrt.name)
    finding = plot_text.function_finding(xs, function.ys, derivative.ys, wrt.name)
    return PlotData(
        title=_("The function and its derivative"),
        xlabel=name,
        series=(Series(f"f({name})", function), Series(f"f′({name})", derivative, "--")),
        fixed=where.fixed,
        held_text=held,
        ylim=slices.view_range(function.ys, [derivative.ys]),
        caption=(_("The function (solid) and its derivative (dashed) against %(name)s%(clause)s. "
                   "%(finding)s") % {"name": name, "clause": clause, "finding": finding}).rstrip(),
    )
