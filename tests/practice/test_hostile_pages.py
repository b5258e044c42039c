"""Answers at the contract's limits (2,000 characters) that nest as deep as they are long
get their page like any other: the verdict, the answer as read, no error."""

from __future__ import annotations

import pytest

from tests.practice.conftest import sigmoid_answers

CHAINS = {
    "a thousand divisions": "x" + "/x" * 999,
    "products and quotients": "(x+1)+x" + "*x/x" * 398,
    "a thousand factors": "x" + "*x" * 999,
    "a thousand signs": "-" * 1998 + "x",
}


@pytest.fixture
def student(make_user, login):
    make_user("deep@example.org")
    login("deep@example.org")


@pytest.mark.parametrize("answer", CHAINS.values(), ids=CHAINS.keys())
def test_a_chain_as_deep_as_it_is_long_gets_its_page(client, student, answer):
    assert len(answer) <= 2000
    reply = client.post("/practice/sigmoid-affine/4", data={"answer": answer})
    page = reply.get_data(as_text=True)
    assert reply.status_code == 200, page[:2000]
    assert 'data-verdict="incorrect"' in page
    # The page still works for the next answer.
    right = client.post("/practice/sigmoid-affine/4",
                        data={"answer": sigmoid_answers(4)["correct"]})
    assert 'data-verdict="correct"' in right.get_data(as_text=True)
