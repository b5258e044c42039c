"""The SVG plots of a practice variant, as images of their own (CSP: img-src 'self')."""

from __future__ import annotations

from flask import Response, abort, request
from flask_login import login_required

from app.cas.i18n import N_
from app.cas.symbols import MAX_LENGTH
from app.services.problems import plots
from app.web.checker import checker
from app.web.practice import bp, problems

# A variant's plot never changes, so the browser may keep it; private because pages behind
# a login should not sit in shared caches.
CACHE_CONTROL = "private, max-age=86400"


def _svg(svg: str | None) -> Response:
    if svg is None:
        abort(404, N_("This plot is not available."))
    response = Response(svg, mimetype="image/svg+xml")
    response.headers["Cache-Control"] = CACHE_CONTROL
    return response


def _narrow() -> bool:
    """``layout=narrow``: the drawing for phones (the page offers it in a <picture>)."""
    layout = request.args.get("layout", "")
    if layout not in ("", "narrow"):
        abort(404, N_("This plot is not available."))
    return layout == "narrow"


@bp.get("/<template_id>/<int:seed>/function.svg")
@login_required
def function_plot(template_id: str, seed: int):
    if not problems.view(template_id, seed).is_sigmoid:
        abort(404, N_("This plot is not available."))
    return _svg(plots.function_svg(checker(), template_id, seed, _narrow()))


@bp.get("/<template_id>/<int:seed>/compare.svg")
@login_required
def compare_plot(template_id: str, seed: int):
    """The derivative against an answer (`answer`: the engine's reading of it, plain syntax;
    `layout=narrow` for phones)."""
    if not problems.view(template_id, seed).plottable:
        abort(404, N_("This plot is not available."))
    answer = request.args.get("answer", "")
    if not answer.strip() or len(answer) > MAX_LENGTH:
        abort(404, N_("This plot is not available."))
    return _svg(plots.comparison_svg(checker(), template_id, seed, answer, _narrow()))
