"""Practice and assignment variants never coincide: a property over many secrets, students,
items and templates, for listed parameter spaces and for drawn ones."""

import secrets

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.bank.params import IntegerParam, sample, variant_count
from app.bank.spaces import (
    ASSESSMENT_SEEDS,
    ASSESSMENT_START,
    PRACTICE_SEEDS,
    listed_index,
    space_of,
)
from app.services.assignments.variants import derive_seed, new_secret, seed_for


class _Row:
    legacy_seeds = False  # an assignment made after the seed spaces

    def __init__(self, **values):
        self.__dict__.update(values)


def _practice_params(template, limit=None):
    """Every parameter combination practice can show (all of them, for listed spaces)."""
    count = variant_count(template.params, template.id)
    return {tuple(sample(template.params, template.id, seed).items())
            for seed in range(min((count + 1) // 2, limit or count))}


@pytest.fixture(scope="module")
def practice_sets(bank):
    return {t.id: _practice_params(t) for t in bank.templates}


@settings(max_examples=300, deadline=None)
@given(secret=st.binary(min_size=32, max_size=32), student=st.integers(1, 10**7),
       item=st.integers(1, 10**7), index=st.integers(0, 10**6))
def test_no_assignment_variant_is_a_practice_variant(bank, practice_sets, secret, student,
                                                     item, index):
    template = bank.templates[index % len(bank.templates)]
    assignment, row = _Row(secret=secret.hex()), _Row(id=item)
    seed = seed_for(assignment, row, student)
    assert seed in ASSESSMENT_SEEDS and space_of(seed) == "assessment"
    values = tuple(sample(template.params, template.id, seed).items())
    assert values not in practice_sets[template.id], (template.id, seed)


def test_the_seed_still_comes_from_the_secret():
    secret = new_secret()
    assignment, item = _Row(secret=secret), _Row(id=7)
    assert seed_for(assignment, item, 3) == ASSESSMENT_START + derive_seed(
        secret, 3, 7, len(ASSESSMENT_SEEDS))
    assert seed_for(assignment, item, 3) != seed_for(_Row(secret=new_secret()), item, 3)


@settings(max_examples=200, deadline=None)
@given(count=st.integers(2, 5000), seed=st.integers(0, 2**31 - 2))
def test_listed_spaces_split_every_size(count, seed):
    index = listed_index(seed, count)
    practice = (count + 1) // 2
    assert 0 <= index < count
    assert (index < practice) == (seed in PRACTICE_SEEDS)


def test_a_single_combination_is_shared():
    assert listed_index(5, 1) == listed_index(ASSESSMENT_START + 5, 1) == 0


def test_drawn_spaces_split_by_the_values():
    # Three parameters of 40 values: 64,000 combinations, more than are listed, so drawn.
    params = tuple(IntegerParam(name, -20, 19) for name in ("a", "b", "c"))
    assert variant_count(params, "big") is None
    practice = {tuple(sample(params, "big", seed).items()) for seed in range(3000)}
    rng = secrets.SystemRandom()
    for _ in range(3000):
        seed = rng.randrange(ASSESSMENT_START, ASSESSMENT_SEEDS.stop)
        assert tuple(sample(params, "big", seed).items()) not in practice
    # And seeds of one space still vary (a fresh variant is another problem).
    assert len(practice) > 2500
