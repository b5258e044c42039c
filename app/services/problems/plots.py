"""Plots of a variant: the correct derivative against a student's answer, and the function
with its derivative (σ with σ' on sigmoid problems, as in the classic figure).

Sampling the expressions and choosing where to hold the other variables is engine work (the
student's answer is parsed again), so the checker does it in a worker and returns floats
with the caption (`app.checker.tasks.plot_data`); `svg.line_chart` draws them here, in well
under a millisecond and without a lock. The data is cached per variant and per answer as the
engine read it, so the page (which shows the caption) and the image it links to cost one
worker trip between them, and a reload or a second student with the same wrong answer none.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from cachetools import LRUCache

from app.checker.client import Checker, Unavailable
from app.checker.results import PlotData, PlotKind, UnknownVariant
from app.services.problems.svg import HEIGHT, NARROW, WIDTH, line_chart

CACHE_SIZE = 512

_data: LRUCache = LRUCache(CACHE_SIZE)
_svgs: LRUCache = LRUCache(CACHE_SIZE)
_lock = threading.Lock()


def _cached(cache: LRUCache, key: tuple, make: Callable[[], object | None]):
    with _lock:
        found = cache.get(key)
    if found is not None:
        return found
    made = make()
    if made is not None:
        with _lock:
            cache[key] = made
    return made


def _fetch(checker: Checker, kind: PlotKind, template_id: str, seed: int,
           answer: str | None = None) -> PlotData | None:
    try:
        return checker.plot_data(kind, template_id, seed, answer)
    except (Unavailable, UnknownVariant):
        # No plot is better than a failed page: the verdict and the steps stand on their own.
        return None


def _key(checker: Checker, kind: PlotKind, template_id: str, seed: int, *rest: str) -> tuple:
    # Captions are sentences: one entry per language.
    return (kind, checker.settings.problems_dir, checker.language, template_id, int(seed), *rest)


def comparison(checker: Checker, template_id: str, seed: int,
               canonical_answer: str) -> PlotData | None:
    """The derivative against the answer (in the engine's plain syntax), or None."""
    key = _key(checker, PlotKind.COMPARISON, template_id, seed, canonical_answer)
    return _cached(_data, key, lambda: _fetch(checker, PlotKind.COMPARISON, template_id, seed,
                                              canonical_answer))


def function(checker: Checker, template_id: str, seed: int) -> PlotData | None:
    """The variant's function with its derivative, or None."""
    key = _key(checker, PlotKind.FUNCTION, template_id, seed)
    return _cached(_data, key, lambda: _fetch(checker, PlotKind.FUNCTION, template_id, seed))


def _svg(key: tuple, data: Callable[[], PlotData | None], narrow: bool) -> str | None:
    def draw() -> str | None:
        found = data()
        return None if found is None else line_chart(found, NARROW if narrow else (WIDTH, HEIGHT))

    return _cached(_svgs, (*key, narrow), draw)


def comparison_svg(checker: Checker, template_id: str, seed: int, canonical_answer: str,
                   narrow: bool = False) -> str | None:
    """SVG of the derivative against the answer (`narrow`: the phone layout), or None."""
    key = _key(checker, PlotKind.COMPARISON, template_id, seed, canonical_answer)
    return _svg(key, lambda: comparison(checker, template_id, seed, canonical_answer), narrow)


def function_svg(checker: Checker, template_id: str, seed: int,
                 narrow: bool = False) -> str | None:
    """SVG of the variant's function with its derivative (`narrow`: for phones), or None."""
    key = _key(checker, PlotKind.FUNCTION, template_id, seed)
    return _svg(key, lambda: function(checker, template_id, seed), narrow)
