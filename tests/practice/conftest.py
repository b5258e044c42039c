"""A small fixed problem bank for practice tests, independent of the real problems/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import _make_app

BANK = Path(__file__).resolve().parent / "problems"


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, PROBLEMS_DIR=str(BANK), CHECK_TIMEOUT_SECONDS=10)


def variant(template_id: str, seed: int):
    from app.bank import load_bank

    return load_bank(BANK).variant(template_id, seed)


def sigmoid_answers(seed: int) -> dict[str, str]:
    """Answers to sigmoid-affine variant `seed`, by kind, in plain syntax."""
    params = dict(variant("sigmoid-affine", seed).params)
    inner = f"{params['a']}x + {params['b']}"
    return {
        "correct": f"{params['a']}σ({inner})(1 - σ({inner}))",
        "chain_dropped": f"σ({inner})(1 - σ({inner}))",
        "invalid": f"{params['a']}σ({inner}(1 - σ({inner}))",
    }
