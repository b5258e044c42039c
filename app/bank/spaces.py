"""Two seed spaces, so that no assignment variant is ever a practice variant.

Seeds below `ASSESSMENT_START` are practice seeds, the others assessment seeds (assignments
derive theirs there from the per-assignment secret: `services/assignments/variants.py`).
The split is in what the seeds draw, not only in their numbers: a template with N listed
parameter combinations gives the first half (rounded up, in its shuffled order) to practice
and the rest to assessments, and a template with too many combinations to list
sorts each drawn combination into one space by a hash of its values (a seed draws again
until it lands in its own space). So however a student walks the practice seeds, they meet
no combination an assignment can hand out.

Assignments made before the split keep their variants: their seeds are stored negated
(`-1 - s`), and a negative seed draws as seed `s` did then (`legacy_seed`): the listed entry
`s mod N`, or the first draw of a large space. Practice never accepts a negative seed.

A template with a single combination (no parameters) has nothing to split: its one variant
is `SHARED`, and practice must hide it while an assignment uses it
(`services/practice/hidden.py`).
"""

from __future__ import annotations

import hashlib
import random

SEED_RANGE = 2**31 - 1
ASSESSMENT_START = 2**30
PRACTICE_SEEDS = range(0, ASSESSMENT_START)
ASSESSMENT_SEEDS = range(ASSESSMENT_START, SEED_RANGE)

PRACTICE = "practice"
ASSESSMENT = "assessment"
SHARED = "shared"

# Draws a seed may make to land in its space; each succeeds with probability 1/2, so running
# out (2**-64) does not happen, and then the seed says so rather than crossing over.
MAX_DRAWS = 64


def legacy_seed(seed: int) -> int | None:
    """The seed a negative (pre-split) seed stood for; None for today's seeds."""
    return -1 - seed if seed < 0 else None


def space_of(seed: int) -> str:
    return ASSESSMENT if seed >= ASSESSMENT_START else PRACTICE


def listed_index(seed: int, count: int) -> int:
    """Which of `count` listed combinations the seed takes: practice seeds 0, 1, 2, ... the
    first half in turn (seed n below it takes entry n, as before the split), assessment seeds
    the second half."""
    if count == 1:
        return 0
    practice = (count + 1) // 2
    if seed >= ASSESSMENT_START:
        return practice + (seed - ASSESSMENT_START) % (count - practice)
    return seed % practice


def values_space(template_id: str, values: dict) -> str:
    digest = hashlib.sha256(f"gradwork-space:{template_id}:{sorted(values.items())!r}"
                            .encode()).digest()
    return ASSESSMENT if digest[0] & 1 else PRACTICE


def drawn_rngs(template_id: str, seed: int):
    """The random generators a seed of a large space tries in turn (the first is the one
    seeds always used)."""
    yield random.Random(f"gradwork:{template_id}:{seed}")
    for draw in range(1, MAX_DRAWS):
        yield random.Random(f"gradwork:{template_id}:{seed}:{draw}")


class NoVariantInSpace(ValueError):
    """A seed found no combination of its own space (see MAX_DRAWS)."""
