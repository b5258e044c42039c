"""Fixtures for the problem bank: the repository's bank and a scratch problems folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.bank import clear_cache, load_bank

REPO_PROBLEMS = Path(__file__).resolve().parents[2] / "problems"

VALID = """\
id: scratch-affine
title: Scratch
topic: sigmoid
difficulty: 1
prompt: |
  Differentiate ${{function}}$.
params:
  a: {type: integer, min: 2, max: 4}
function: "sigma({{a}}*x + 1)"
wrt: x
variables: [x]
"""


@pytest.fixture(scope="session")
def bank():
    return load_bank(REPO_PROBLEMS)


@pytest.fixture
def scratch(tmp_path):
    """An empty problems folder; write files into it, then load or validate it."""
    folder = tmp_path / "problems"
    folder.mkdir()
    yield folder
    clear_cache()
