"""What the assignment pages need from the problem bank, on top of `problem_views` (which
runs the engine work in the pool and caches it): the catalogue as a mapping by template id,
and one variant's view, or None when the engine could not build it in time."""

from __future__ import annotations

from app.cas.pool import PoolError
from app.services import problem_views
from app.services.grading import UnknownVariant


def catalog(engine) -> dict[str, problem_views.CatalogueEntry]:
    entries = problem_views.catalogue(pool=engine.pool, problems_dir=engine.problems_dir)
    return {entry.template_id: entry for entry in entries}


def view(engine, template_id: str, seed: int) -> problem_views.ProblemView | None:
    try:
        return problem_views.problem_view(template_id, int(seed), pool=engine.pool,
                                          problems_dir=engine.problems_dir)
    except (PoolError, UnknownVariant):
        return None
