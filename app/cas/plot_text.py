"""The sentences under a plot, computed from the curves drawn, so they are true of each plot
whatever the topic: where a wrong answer parts from the derivative, where a function rises,
falls and is steepest."""

from __future__ import annotations

from collections.abc import Sequence

from app.cas.i18n import _
from app.cas.slices import VISIBLE, display_name, gap, number_text


def _at(name: str, x: float) -> str:
    return f"{display_name(name)} = {number_text(x)}"


def comparison_finding(xs: Sequence[float], expected: Sequence[float | None],
                       answer: Sequence[float | None], limits: tuple[float, float],
                       wrt: str) -> str:
    """What the plot of the derivative against an answer shows."""
    found = gap(expected, answer, limits)
    if found.peak >= VISIBLE and found.index is not None:
        k = found.index
        e, a = expected[k], answer[k]
        where = _at(wrt, xs[k])
        if a is None:
            return _("At %(where)s your answer is undefined, while the derivative is "
                      "%(number_text)s.") % {"where": where, "number_text": number_text(e)}
        if e is None:
            return _("At %(where)s the derivative is undefined, while your answer is "
                      "%(number_text)s.") % {"where": where, "number_text": number_text(a)}
        return (_("They are farthest apart at %(where)s: your answer is %(number_text)s, the "
                   "derivative %(number_text2)s.") % {"where": where, "number_text": number_text(a), "number_text2": number_text(e)})
    if found.largest > 0:
        return (_("On this plot they differ by at most %(number_text)s, too little to see at "
                   "this scale.") % {"number_text": number_text(found.largest)})
    return (_("They agree at every point of this plot: your answer differs from the "
               "derivative for other values of the variables."))


def function_finding(xs: Sequence[float], function: Sequence[float | None],
                     derivative: Sequence[float | None], wrt: str) -> str:
    """What the plot of a function with its derivative shows: where it rises and falls, and
    where it is steepest."""
    points = [(x, d) for x, f, d in zip(xs, function, derivative, strict=True)
              if d is not None and f is not None]
    if not points:
        return ""
    size = max(abs(d) for _x, d in points)
    tiny = 1e-9 * max(size, 1.0)
    x_max, d_max = max(points, key=lambda point: abs(point[1]))
    steepest = {"number_text": number_text(d_max), "at": _at(wrt, x_max)}
    if size <= tiny:
        return _("The function is constant on this plot, so its derivative is 0.")
    # Far out a sigmoid's slope underflows to 0: only a clear sign counts against a trend.
    if not any(d < -tiny for _x, d in points):
        return _("The function rises across the plot, so its derivative is positive "
                 "throughout. The derivative is largest in size, %(number_text)s, at %(at)s, "
                 "where the function is steepest.") % steepest
    if not any(d > tiny for _x, d in points):
        return _("The function falls across the plot, so its derivative is negative "
                 "throughout. The derivative is largest in size, %(number_text)s, at %(at)s, "
                 "where the function is steepest.") % steepest
    turns = _sign_changes(points)
    where = [f"{display_name(wrt)} ≈ {number_text(x)}" for x in turns[:2]]
    if not where:
        return _("The derivative is positive where the function rises and negative where it "
                 "falls. The derivative is largest in size, %(number_text)s, at %(at)s, where "
                 "the function is steepest.") % steepest
    places = where[0] if len(where) == 1 else _("%(first)s and %(second)s") % {
        "first": where[0], "second": where[1]}
    return _("The derivative is positive where the function rises and negative where it "
             "falls; it is 0 where the function turns, at %(where)s. The derivative is largest "
             "in size, %(number_text)s, at %(at)s, where the function is steepest.") % {
        **steepest, "where": places}


def _sign_changes(points: Sequence[tuple[float, float]]) -> list[float]:
    turns = []
    for (x0, d0), (x1, d1) in zip(points, points[1:], strict=False):
        if d0 == 0:
            turns.append(x0)
        elif d0 * d1 < 0:
            # Where the chord crosses 0: close enough for "≈" at the plot's resolution.
            turns.append(x0 + (x1 - x0) * d0 / (d0 - d1))
    return turns
