"""The answer box keeps what the student typed: an over-long answer is refused with a clear
error and stays whole in the box, and a graded answer is shown in the student's own form."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from app.cas.symbols import MAX_LENGTH
from tests.practice.conftest import sigmoid_answers

SEED = 7
PAGE = f"/practice/sigmoid-affine/{SEED}"


@pytest.fixture
def student(make_user, login):
    make_user("box@example.org")
    login("box@example.org")


def _value(page: str) -> str:
    return html_lib.unescape(re.search(r'data-testid="answer-input"[^>]*?\svalue="([^"]*)"|'
                                       r'value="([^"]*)"[^>]*data-testid="answer-input"',
                                       page, re.S).group(2) or "")


def test_the_box_has_no_maxlength_and_states_the_limit(client, student):
    page = client.get(PAGE).get_data(as_text=True)
    box = re.search(r"<input[^>]*data-answer-input[^>]*>", page, re.S).group(0)
    assert "maxlength" not in box
    assert f'data-max-length="{MAX_LENGTH}"' in box


def test_an_overlong_answer_is_refused_and_kept_whole(client, student):
    answer = "σ(x)+" * 420 + "x"  # 2,101 characters
    response = client.post(PAGE, data={"answer": answer})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Your answer is 2,101 characters long; an answer may be at most 2,000." in page
    assert "nothing was cut" in page
    assert _value(page) == answer
    # The echo marks where the limit falls, without repeating the whole answer.
    echo = re.search(r'<code class="preview-echo">(.*?)</code>', page, re.S).group(1)
    assert "<mark>" in echo and len(html_lib.unescape(re.sub("<[^>]+>", "", echo))) < 60


def test_you_answered_shows_the_answer_as_typed(client, student):
    answer = sigmoid_answers(SEED)["chain_dropped"]  # σ(ax + b)(1 - σ(ax + b))
    page = client.post(PAGE, data={"answer": answer}).get_data(as_text=True)
    read = re.search(r'<p class="verdict-read">You answered (.*?)</p>', page, re.S).group(1)
    assert read.count("<math") >= 1
    assert "·" in read  # the implicit products, shown
    assert "<mfrac>" not in read  # not sympy's rewriting of it


def test_a_decimal_is_shown_as_typed(client, student):
    page = client.post(PAGE, data={"answer": "0.1966"}).get_data(as_text=True)
    read = re.search(r'<p class="verdict-read">You answered (.*?)</p>', page, re.S).group(1)
    assert "<mn>0.1966</mn>" in read and "983" not in read
