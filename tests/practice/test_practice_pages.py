"""Practice pages without a browser: topics, problem page, the three verdicts, records."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.practice import PracticeSubmission, Verdict
from tests.practice.conftest import sigmoid_answers

SEED = 7
PAGE = f"/practice/sigmoid-affine/{SEED}"


@pytest.fixture
def student(make_user, login):
    user_id = make_user("ada@example.org")
    login("ada@example.org")
    return user_id


@pytest.fixture
def rows(app):
    def _rows(user_id):
        with app.app_context():
            return db.session.scalars(
                select(PracticeSubmission).where(PracticeSubmission.user_id == user_id)
                .order_by(PracticeSubmission.id)
            ).all()

    return _rows


def _verdict(html: str) -> str:
    match = re.search(r'data-testid="verdict"\s+data-verdict="(\w+)"', html)
    assert match, "no verdict on the page"
    return match.group(1)


def test_practice_needs_login(client):
    response = client.get("/practice/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_topics_group_families_with_progress(client, student):
    client.post(PAGE, data={"answer": sigmoid_answers(SEED)["correct"]})
    html = client.get("/practice/").get_data(as_text=True)
    assert html.index(">Sigmoid</h2>") < html.index(">Binary cross-entropy (BCE)</h2>")
    row = re.search(r'data-testid="family-sigmoid-affine">(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["1", "1", "1"]
    assert "1 of 1 correct" in html


def test_start_redirects_to_a_fresh_seed(client, student):
    response = client.get(f"/practice/sigmoid-affine?after={SEED}")
    assert response.status_code == 302
    match = re.fullmatch(r"/practice/sigmoid-affine/(\d+)", response.headers["Location"])
    assert match and int(match.group(1)) != SEED


def test_problem_page_renders_prompt_box_and_help(client, student):
    response = client.get(PAGE)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<math" in html  # the prompt, as MathML from the server
    for testid in ("answer-input", "answer-preview", "submit-answer", "new-variant"):
        assert f'data-testid="{testid}"' in html
    assert 'data-variables="[&#34;x&#34;]"' in html
    assert "Variables: <code>x</code>" in html
    assert "<script>" not in html and "style=" not in html
    assert 'src="/static/answer.js"' in html
    # A reload shows the same variant.
    assert client.get(PAGE).get_data(as_text=True) == html


def test_correct_answer(client, student, rows):
    response = client.post(PAGE, data={"answer": sigmoid_answers(SEED)["correct"]})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert _verdict(html) == "correct"
    assert 'data-testid="solution-steps"' in html and "<details" in html
    assert "<details class=\"solution\" data-testid=\"solution\" open" not in html
    [row] = rows(student)
    assert (row.template_id, row.seed, row.verdict) == ("sigmoid-affine", SEED, Verdict.CORRECT)
    assert row.answer_text == sigmoid_answers(SEED)["correct"]


def test_wrong_answer_gets_mistake_steps_and_plots(client, student, rows):
    response = client.post(PAGE, data={"answer": sigmoid_answers(SEED)["chain_dropped"]})
    html = response.get_data(as_text=True)
    assert _verdict(html) == "incorrect"
    assert 'data-testid="mistake-feedback"' in html and "chain rule" in html
    assert html.count('class="steps"') == 2  # both methods of the template
    assert "Method 2: Quotient rule" in html
    plot = re.search(r'<img src="([^"]+compare\.svg[^"]*)"', html).group(1)
    svg = client.get(plot.replace("&amp;", "&"))
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert b"<svg" in svg.data and b"<script" not in svg.data
    figure = client.get(f"{PAGE}/function.svg")
    assert figure.status_code == 200 and figure.mimetype == "image/svg+xml"
    [row] = rows(student)
    assert row.verdict is Verdict.INCORRECT and row.mistake_kind == "chain_dropped"


def test_invalid_answer_keeps_text_and_is_not_counted(client, student, rows):
    text = sigmoid_answers(SEED)["invalid"]
    response = client.post(PAGE, data={"answer": text})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _verdict(html) == "invalid"
    assert "did not count as an attempt" in html
    assert 'value="' + text.replace("(", "(") in html  # still in the box
    assert '<div id="answer-preview" class="answer-preview" data-testid="answer-preview"' in html
    [row] = rows(student)
    assert row.verdict is Verdict.INVALID and row.error_code == "syntax"
    topics = client.get("/practice/").get_data(as_text=True)
    assert "0 of 0" not in topics and "correct" not in topics.split("sigmoid-affine")[1][:40]


def test_empty_and_overlong_answers_are_not_stored(client, student, rows):
    assert client.post(PAGE, data={"answer": "  "}).status_code == 422
    assert client.post(PAGE, data={"answer": "x" * 2001}).status_code == 422
    assert rows(student) == []


def test_same_variant_counts_once(client, student, rows):
    correct = sigmoid_answers(SEED)["correct"]
    client.post(PAGE, data={"answer": sigmoid_answers(SEED)["chain_dropped"]})
    client.post(PAGE, data={"answer": correct})
    html = client.get(PAGE).get_data(as_text=True)
    assert "0 of 1 correct" in html
    assert 'data-testid="already-answered"' in html
    assert len(rows(student)) == 2


@pytest.mark.parametrize("path", [
    "/practice/no-such-problem/1",
    "/practice/sigmoid-affine/99999999999",
    "/practice/..%2Fetc/1",
    "/practice/no-such-problem",
    "/practice/sigmoid-affine/1/compare.svg",
])
def test_unknown_problems_are_404(client, student, path):
    assert client.get(path).status_code == 404


def test_posting_to_unknown_problem_is_404(client, student):
    assert client.post("/practice/nope/1", data={"answer": "x"}).status_code == 404
