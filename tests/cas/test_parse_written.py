"""The answer as written: the same reading as `parse`, every node left unevaluated, for the
checks of an answer's form."""

from __future__ import annotations

import pytest
import sympy as sp

from app.cas.equivalence import equivalent
from app.cas.parse import read


@pytest.mark.parametrize(("text", "node", "count"), [
    ("2(x + 1)", sp.Add, 1),         # the sum inside the product stays a sum
    ("0*e^x", sp.exp, 0),            # kept: nothing is multiplied away
    ("x/x", sp.Pow, 1),              # not cancelled to 1
    ("1/(1 + 0.5)", sp.Add, 1),      # arithmetic stays arithmetic
])
def test_nothing_is_evaluated(text, node, count):
    written = read(text, ["x"]).written()
    found = [n for n in sp.preorder_traversal(written) if isinstance(n, node)]
    assert len(found) >= count
    if node is sp.exp:
        assert written.has(sp.E) or written.has(sp.exp)


@pytest.mark.parametrize("text", ["2(x + 1)", "σ(x)(1 - σ(x))", "e^-x/(1+e^-x)^2",
                                  "x^2 - 2x + 1", "3/(4 + x)"])
def test_the_written_tree_has_the_value_of_the_reading(text):
    reading = read(text, ["x"])
    assert equivalent(reading.written().doit(), reading.expr) is True


def test_a_product_written_factored_is_told_apart_from_its_expansion():
    factored, expanded = read("2(x + 1)", ["x"]).written(), read("2x + 2", ["x"]).written()
    assert isinstance(factored, sp.Mul) and isinstance(expanded, sp.Add)

