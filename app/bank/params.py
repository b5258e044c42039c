"""Random parameters of a template and their seeded sampling.

When a template has at most `ENUMERATED` combinations of parameter values, they are listed
once and shuffled by a `random.Random` seeded with the template id; a seed takes the entry
`spaces.listed_index` gives it: practice seeds 0, 1, 2, ... take the first half of the
entries in turn and assessment seeds the second half, so consecutive seeds give different
variants (a student asking for another problem gets one) and every combination of a space
is reached. Larger spaces draw each value from a `random.Random` seeded with the template id
and the seed, drawing again until the combination belongs to the seed's space
(`app/bank/spaces.py`). A string seed is hashed with SHA-512 by `random`, the same in every
process and Python version; `hash()` is salted per process and never used.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from app.bank import spaces

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

Value = int | str | Decimal
Bound = int | Decimal | str  # a number, or the name of an earlier parameter


class ParamError(ValueError):
    """A parameter that cannot be sampled (empty range, unknown bound)."""


def substitute(text: str, values: dict[str, Value]) -> str:
    """Replace every `{{name}}` by the value of `name`; unknown names raise KeyError."""
    return PLACEHOLDER.sub(lambda match: format_value(values[match.group(1)]), text)


def placeholders(text: str) -> list[str]:
    return PLACEHOLDER.findall(text)


def format_value(value: Value) -> str:
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text
    return str(value)


def _resolve(bound: Bound, values: dict[str, Value], name: str) -> int | Decimal:
    if isinstance(bound, str):
        if bound not in values:
            raise ParamError(f"{name}: bound {bound!r} is not an earlier parameter")
        resolved = values[bound]
        if isinstance(resolved, str):
            raise ParamError(f"{name}: bound {bound!r} is not a number")
        return resolved
    return bound


@dataclass(frozen=True)
class IntegerParam:
    name: str
    min: Bound
    max: Bound
    exclude: tuple[Bound, ...] = ()

    def options(self, values: dict[str, Value]) -> list[Value]:
        lo, hi = _resolve(self.min, values, self.name), _resolve(self.max, values, self.name)
        excluded = {_resolve(v, values, self.name) for v in self.exclude}
        return [v for v in range(int(lo), int(hi) + 1) if v not in excluded]


@dataclass(frozen=True)
class RangeParam:
    """Decimal values min, min + step, ..., max (exact: 0.1 is one tenth)."""

    name: str
    min: Decimal
    max: Decimal
    step: Decimal
    exclude: tuple[Decimal, ...] = ()

    def options(self, values: dict[str, Value]) -> list[Value]:
        count = int((self.max - self.min) / self.step)
        options = (self.min + k * self.step for k in range(count + 1))
        return [v for v in options if v not in self.exclude]


@dataclass(frozen=True)
class ChoiceParam:
    name: str
    values: tuple[Value, ...]
    exclude: tuple[Value, ...] = ()

    def options(self, values: dict[str, Value]) -> list[Value]:
        return [v for v in self.values if v not in self.exclude]


@dataclass(frozen=True)
class SequenceParam:
    """`item` written for index = start..stop, joined: "exp(z_1) + exp(z_2) + exp(z_3)"."""

    name: str
    index: str
    start: Bound
    stop: Bound
    item: str
    separator: str = " + "

    def build(self, values: dict[str, Value]) -> str:
        lo = int(_resolve(self.start, values, self.name))
        hi = int(_resolve(self.stop, values, self.name))
        if hi < lo:
            raise ParamError(f"{self.name}: empty sequence from {lo} to {hi}")
        return self.separator.join(
            substitute(self.item, {**values, self.index: k}) for k in range(lo, hi + 1)
        )


Param = IntegerParam | RangeParam | ChoiceParam | SequenceParam


# Parameter spaces up to this size are enumerated, so that consecutive seeds differ.
ENUMERATED = 20_000


def sample(params: tuple[Param, ...], template_id: str, seed: int) -> dict[str, Value]:
    """The parameter values of variant `seed` of a template, in declaration order."""
    combinations = _shuffled(params, template_id)
    legacy = spaces.legacy_seed(seed)
    if combinations is not None:
        index = (legacy % len(combinations) if legacy is not None
                 else spaces.listed_index(seed, len(combinations)))
        return _with_sequences(params, dict(combinations[index]))
    if legacy is not None:
        return _drawn(params, next(spaces.drawn_rngs(template_id, legacy)))
    wanted = spaces.space_of(seed)
    for rng in spaces.drawn_rngs(template_id, seed):
        values = _drawn(params, rng)
        if spaces.values_space(template_id, values) == wanted:
            return values
    raise spaces.NoVariantInSpace(f"seed {seed} found no combination of its own space")


def variant_count(params: tuple[Param, ...], template_id: str) -> int | None:
    """How many different parameter combinations there are (None: too many to list)."""
    combinations = _shuffled(params, template_id)
    return None if combinations is None else len(combinations)


@lru_cache(maxsize=256)
def _shuffled(params: tuple[Param, ...], template_id: str):
    found: list[tuple[tuple[str, Value], ...]] = []

    def extend(index: int, values: dict[str, Value]) -> bool:
        if len(found) > ENUMERATED:
            return False
        if index == len(params):
            found.append(tuple((k, v) for k, v in values.items() if k in chosen_names))
            return True
        param = params[index]
        if isinstance(param, SequenceParam):
            return extend(index + 1, {**values, param.name: param.build(values)})
        options = param.options(values)
        if not options:
            raise ParamError(f"{param.name}: no value left to choose from")
        return all(extend(index + 1, {**values, param.name: option}) for option in options)

    chosen_names = {p.name for p in params if not isinstance(p, SequenceParam)}
    if not extend(0, {}):
        return None
    random.Random(f"gradwork:{template_id}:order").shuffle(found)
    return tuple(found)


def _with_sequences(params: tuple[Param, ...], chosen: dict[str, Value]) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for param in params:
        if isinstance(param, SequenceParam):
            values[param.name] = param.build(values)
        else:
            values[param.name] = chosen[param.name]
    return values


def _drawn(params: tuple[Param, ...], rng: random.Random) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for param in params:
        if isinstance(param, SequenceParam):
            values[param.name] = param.build(values)
            continue
        options = param.options(values)
        if not options:
            raise ParamError(f"{param.name}: no value left to choose from")
        values[param.name] = rng.choice(options)
    return values
