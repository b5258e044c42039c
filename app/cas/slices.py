"""Where to hold the other variables of a plot, so that a wrong answer shows.

A plot draws expressions against one variable, so every other variable needs a value. A fixed
choice hides mistakes: with x = 1, `σ(wx+b) − t` lies exactly on x(σ(wx+b) − t). So the
values are searched for: each held variable gets a short list of candidate values in order of
preference, and the slices (one candidate each) are tried in order of how far they stray from
the preferred values, until one shows the two expressions visibly apart on the plot.

Candidates follow what the variables mean in this bank (the names are how templates say it):

- a label ``t`` (or ``y``) is 1 or 0, never a half;
- labels ``t_1 … t_k`` form a one-hot vector: one of them is 1, the rest 0;
- indexed variables on (0, 1) (``p_1 … p_k``) are probabilities and sum to 1: when one of
  them is plotted, the others share the rest, ``p_j = w_j (1 − p_i)``;
- any other variable with a domain takes points inside it, and a free one small numbers.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from app.cas.numeric import Overflow, Undefined, compile_float
from app.cas.symbols import var

LABEL = re.compile(r"[ty](?:_\d+)?\Z")
INDEXED = re.compile(r"(?P<stem>[A-Za-z]+)_(?P<index>\d+)\Z")
# Free variables, most natural first (1 is what a reader expects when nothing is said).
FREE_VALUES = (1.0, 2.0, -1.0, 0.5, -2.0, 3.0, 0.0)
# Points of a bounded domain, as fractions of the way from its lower to its upper end.
INTERIOR = (0.5, 0.25, 0.75, 0.1, 0.9)
# A slice shows the error when the curves are this far apart (a share of the plot's height)
# over at least `SPAN_POINTS` sample points: a single spike could be a pole.
VISIBLE = 0.08
SPAN_POINTS = 3
SEARCH_POINTS = 41
MAX_SLICES = 120
# Beyond this many spans of the reference curve another curve is cut off: a wrong answer
# that blows up would otherwise flatten the right one into a line.
CLIP_SPANS = 4.0
# Share of values trimmed at each end when a curve has a pole in view (1/ŷ near 0).
TRIM = 0.05

_SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def display_name(name: str) -> str:
    """A variable as people write it in text: ``p_1`` → ``p₁``, ``yhat`` → ``ŷ``."""
    if name == "yhat":
        return "ŷ"
    match = INDEXED.match(name)
    if match:
        return match["stem"] + match["index"].translate(_SUBSCRIPTS)
    return name


def number_text(value: float) -> str:
    """A value for a caption: three significant figures at most, a real minus sign."""
    if value == 0:
        return "0"
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}×10{str(int(exponent)).translate(_SUPERSCRIPTS)}"
    return text.replace("-", "−")


@dataclass(frozen=True)
class Slice:
    """Values for every variable but the plotted one: ``fixed`` constants, and ``tied``
    probabilities that take the share ``w`` of what the plotted one leaves, w·(1 − x)."""

    fixed: tuple[tuple[str, float], ...] = ()
    tied: tuple[tuple[str, float], ...] = ()

    def point(self, wrt: sp.Symbol, x: float) -> dict[sp.Symbol, float]:
        values = {var(name): value for name, value in self.fixed}
        for name, share in self.tied:
            values[var(name)] = share * (1 - x)
        values[wrt] = x
        return values

    def describe(self, wrt: str) -> str:
        """Every value set, in words: ``t = 0, x = 2``; ``p₂ = p₃ = (1 − p₁)/2``."""
        return ", ".join(part for part in (self.held(), self.shared(wrt)) if part)

    def held(self) -> str:
        """The constants in words: ``t = 0, x = 2``."""
        return ", ".join(f"{display_name(name)} = {number_text(value)}"
                         for name, value in self.fixed)

    def shared(self, wrt: str) -> str:
        """The tied probabilities in words: ``p₂ = p₃ = (1 − p₁)/2``, or empty."""
        return _describe_tied(self.tied, display_name(wrt)) if self.tied else ""


def _describe_tied(tied: tuple[tuple[str, float], ...], wrt: str) -> str:
    shares = {share for _, share in tied}
    rest = f"(1 − {wrt})"
    if len(shares) == 1:
        names = " = ".join(display_name(name) for name, _ in tied)
        share = shares.pop()
        if len(tied) == 1:
            return f"{names} = 1 − {wrt}"
        return f"{names} = {rest}/{round(1 / share)}"
    return ", ".join(f"{display_name(name)} = {number_text(share)}{rest}" for name, share in tied)


@dataclass(frozen=True)
class _Axis:
    """One choice of the search: the variables it sets and their candidate settings."""

    names: tuple[str, ...]
    options: tuple[tuple[float, ...], ...]
    tied: bool = False  # the values are shares of 1 − x, not constants


def _families(names: Sequence[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in names:
        match = INDEXED.match(name)
        if match:
            found.setdefault(match["stem"], []).append(name)
    return {stem: members for stem, members in found.items() if len(members) >= 2}


def _index(name: str) -> int | None:
    match = INDEXED.match(name)
    return int(match["index"]) if match else None


def _one_hot(members: list[str], wrt: str) -> _Axis:
    size = len(members)
    order = list(range(size))
    # The plotted quantity's own class first: the case the prompt is usually about.
    mine = [k for k, name in enumerate(members) if _index(name) == _index(wrt)]
    order = mine + [k for k in order if k not in mine]
    return _Axis(tuple(members), tuple(tuple(float(k == hot) for k in range(size))
                                      for hot in order))


def _shares(size: int) -> tuple[tuple[float, ...], ...]:
    """Ways to split a whole among `size` members: equal first, then one member favoured."""
    options = [tuple(1 / size for _ in range(size))]
    if size > 1:
        for big in range(size):
            rest = 0.4 / (size - 1)
            options.append(tuple(0.6 if k == big else rest for k in range(size)))
    return tuple(options)


def _probabilities(members: list[str], wrt: str) -> _Axis:
    others = [name for name in members if name != wrt]
    if len(others) < len(members):
        return _Axis(tuple(others), _shares(len(others)), tied=True)
    return _Axis(tuple(members), _shares(len(members)))


def _single(name: str, domain: Mapping[str, tuple[float, float]]) -> _Axis:
    if LABEL.match(name) and name not in domain:
        return _Axis((name,), ((1.0,), (0.0,)))
    if name in domain:
        lo, hi = (float(v) for v in domain[name])
        return _Axis((name,), tuple((lo + f * (hi - lo),) for f in INTERIOR))
    return _Axis((name,), tuple((v,) for v in FREE_VALUES))


def axes(variables: Sequence[str], wrt: str,
         domain: Mapping[str, tuple[float, float]]) -> list[_Axis]:
    """The choices to make for every variable but `wrt`, grouped where values go together."""
    held = [name for name in variables if name != wrt]
    # The search varies the last axis first: labels (the other case of a loss), then the
    # single variables, and skews probabilities away from equal shares last.
    labels: list[_Axis] = []
    shares: list[_Axis] = []
    grouped: set[str] = set()
    for members in _families([*held, wrt]).values():
        if all(LABEL.match(name) and name not in domain for name in members):
            labels.append(_one_hot([m for m in members if m != wrt], wrt))
        elif all(tuple(domain.get(name, ())) == (0.0, 1.0) for name in members):
            shares.append(_probabilities(members, wrt))
        else:
            continue
        grouped.update(members)
    singles = [_single(name, domain) for name in held if name not in grouped]
    return [*shares, *singles, *labels]


def slices(variables: Sequence[str], wrt: str,
           domain: Mapping[str, tuple[float, float]]) -> list[Slice]:
    """Every slice the search may try, in order of preference (at most `MAX_SLICES`)."""
    choices = axes(variables, wrt, domain)
    found = []
    order = {name: k for k, name in enumerate(variables)}
    for picks in itertools.islice(_by_rank([len(a.options) for a in choices]), MAX_SLICES):
        fixed: list[tuple[str, float]] = []
        tied: list[tuple[str, float]] = []
        for axis, pick in zip(choices, picks, strict=True):
            target = tied if axis.tied else fixed
            target.extend(zip(axis.names, axis.options[pick], strict=True))
        found.append(Slice(tuple(sorted(fixed, key=lambda item: order.get(item[0], 0))),
                           tuple(tied)))
    return found


def _by_rank(sizes: Sequence[int]):
    """Every choice of one index per axis, those closest to all-zero first (by the sum of
    the indexes, then in lexicographic order), generated lazily."""
    if not sizes:
        yield ()
        return
    for total in range(sum(size - 1 for size in sizes) + 1):
        yield from _with_sum(tuple(sizes), total)


def _with_sum(sizes: tuple[int, ...], total: int):
    if len(sizes) == 1:
        if total < sizes[0]:
            yield (total,)
        return
    for first in range(min(sizes[0] - 1, total) + 1):
        for rest in _with_sum(sizes[1:], total - first):
            yield (first, *rest)


def evaluate(expr: sp.Expr, wrt: sp.Symbol, xs: Sequence[float],
             where: Slice) -> list[float | None]:
    """`expr` at each x of `xs` on the slice; None where it has no real float value."""
    return _values(compile_float(expr), wrt, xs, where)


def grid(lo: float, hi: float, points: int) -> tuple[float, ...]:
    step = (hi - lo) / (points - 1)
    return tuple(lo + k * step for k in range(points))


def _robust(values: Sequence[float]) -> tuple[float, float]:
    """A curve's range, without the far end of a pole (trimmed when it would dominate)."""
    ordered = sorted(values)
    lo, hi = ordered[0], ordered[-1]
    cut = int(len(ordered) * TRIM)
    if cut:
        inner_lo, inner_hi = ordered[cut], ordered[-1 - cut]
        inner = max(inner_hi - inner_lo, 1e-12)
        if hi - lo > 3 * inner:
            return inner_lo, inner_hi
    return lo, hi


def view_range(reference: Sequence[float | None],
               others: Sequence[Sequence[float | None]] = ()) -> tuple[float, float]:
    """The y-range of a plot: all of the reference curve (bar a pole's far end), the others
    as far as `CLIP_SPANS` spans beyond it, padded a little."""
    ref = [y for y in reference if y is not None]
    rest = [y for curve in others for y in curve if y is not None]
    if not ref and not rest:
        return -1.0, 1.0
    lo, hi = _robust(ref or rest)
    span = hi - lo
    if rest:
        other_lo, other_hi = _robust(rest)
        if span <= 1e-9 * max(1.0, abs(lo), abs(hi)):
            # A flat reference (a derivative that is 0 on this slice): the other curve
            # decides the scale, so a wrong answer is not squeezed off the plot.
            lo, hi = min(lo, other_lo), max(hi, other_hi)
        else:
            lo = max(min(lo, other_lo), lo - CLIP_SPANS * span)
            hi = min(max(hi, other_hi), hi + CLIP_SPANS * span)
    if hi - lo <= 1e-9 * max(1.0, abs(lo), abs(hi)):
        half = max(abs(lo), 1.0) * 0.5
        lo, hi = lo - half, hi + half
    pad = 0.08 * (hi - lo)
    return lo - pad, hi + pad


@dataclass(frozen=True)
class Gap:
    """How far two curves are apart on a plot, as a share of its height."""

    score: float  # the `SPAN_POINTS`-th largest visible distance: what the search ranks
    peak: float  # the largest visible distance
    index: int | None  # the sample where they are farthest apart on the plot
    largest: float  # the largest distance in value, where both are defined


def gap(expected: Sequence[float | None], answer: Sequence[float | None],
        limits: tuple[float, float]) -> Gap:
    lo, hi = limits
    height = hi - lo

    def seen(y: float) -> float:
        return min(max(y, lo), hi)

    distances = []
    largest = 0.0
    for e, a in zip(expected, answer, strict=True):
        if e is None and a is None:
            distances.append(0.0)
        elif e is None or a is None:
            # One curve has a gap where the other is drawn: visible when that one is in view.
            shown = a if e is None else e
            distances.append(0.25 if lo <= shown <= hi else 0.0)
        else:
            largest = max(largest, abs(a - e))
            distances.append(abs(seen(a) - seen(e)) / height)
    ranked = sorted(distances, reverse=True)
    score = ranked[min(SPAN_POINTS, len(ranked)) - 1] if ranked else 0.0
    # The point to name: the farthest apart of those where both curves are in view (a value
    # off the plot would not be where the reader sees the gap), else of all.
    in_view = [k for k, (e, a) in enumerate(zip(expected, answer, strict=True))
               if e is not None and a is not None and lo <= e <= hi and lo <= a <= hi]
    candidates = [k for k in in_view if distances[k] > 0] or range(len(distances))
    best = max(candidates, key=distances.__getitem__, default=None)
    if best is not None and distances[best] == 0:
        best = None
    return Gap(score, ranked[0] if ranked else 0.0, best, largest)


def separating_slice(expected: sp.Expr, answer: sp.Expr, wrt: sp.Symbol,
                     variables: Sequence[str], domain: Mapping[str, tuple[float, float]],
                     lo: float, hi: float) -> Slice:
    """The first slice (in order of preference) on which `answer` and `expected` are visibly
    apart, or the one where they are farthest apart when none is."""
    xs = grid(lo, hi, SEARCH_POINTS)
    compiled_e, compiled_a = compile_float(expected), compile_float(answer)
    best: tuple[float, Slice] | None = None
    for candidate in slices(variables, wrt.name, domain):
        ys_e = _values(compiled_e, wrt, xs, candidate)
        ys_a = _values(compiled_a, wrt, xs, candidate)
        score = gap(ys_e, ys_a, view_range(ys_e, [ys_a])).score
        if score >= VISIBLE:
            return candidate
        if best is None or score > best[0]:
            best = (score, candidate)
    return best[1] if best is not None else Slice()


def _values(compiled, wrt: sp.Symbol, xs: Sequence[float], where: Slice) -> list[float | None]:
    values: list[float | None] = []
    for x in xs:
        try:
            value = float(compiled(where.point(wrt, x)))
        except (Undefined, Overflow):
            value = None
        values.append(value if value is None or math.isfinite(value) else None)
    return values


def first_slice(variables: Sequence[str], wrt: str,
                domain: Mapping[str, tuple[float, float]]) -> Slice:
    """The preferred slice, for a plot with nothing to tell apart (a function and its
    derivative)."""
    found = slices(variables, wrt, domain)
    return found[0] if found else Slice()
