"""The formula editor's conversion (app/static/formula-text.js) in Node: its own unit tests
(tests/js/, `node --test`) and the round trip server LaTeX → answer text → server parser over
the contract's examples and the bank (tests/formula_corpus.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.formula_corpus import cases, same_expression

ROOT = Path(__file__).resolve().parents[1]
NODE = shutil.which("node")


@pytest.fixture(scope="module")
def node() -> str:
    if NODE is None:
        if os.environ.get("CI"):
            pytest.fail("node not found: the formula editor's tests need Node.js 20")
        pytest.skip("node not found (install Node.js 20)")
    return NODE


def test_node_unit_tests_pass(node):
    result = subprocess.run([node, "--test", "tests/js/"], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


def test_server_latex_round_trips_through_the_conversion(node):
    corpus = cases()
    result = subprocess.run([node, "tests/js/latex_to_answer.js"], cwd=ROOT, text=True,
                            input=json.dumps([[case.latex, case.variables] for case in corpus]),
                            capture_output=True, timeout=120)
    assert result.returncode == 0, result.stderr
    texts = json.loads(result.stdout)
    problems = [p for case, text in zip(corpus, texts, strict=True)
                if (p := same_expression(case, text)) is not None]
    assert len(corpus) > 100
    assert not problems, "\n".join(problems)
