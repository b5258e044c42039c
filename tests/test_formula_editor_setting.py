"""The formula editor as an account's choice: the Account page form, what the answer box
renders for each choice, and the Content-Security-Policy relaxed only where the editor is."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.extensions import db
from app.models import User

PROBLEM = "/practice/sigmoid-affine/3"
EDITOR_CSP = "style-src 'self'; style-src-attr 'unsafe-inline'"


def _register(client) -> None:
    response = client.post("/auth/register", data={
        "display_name": "Sam", "email": "sam@example.org",
        "password": "s3cret-pass", "confirm": "s3cret-pass"})
    assert response.status_code == 302


def _choice(app) -> bool:
    with app.app_context():
        return db.session.scalar(select(User.formula_editor))


def test_the_text_box_is_the_default(client, app):
    _register(client)
    assert _choice(app) is False
    page = client.get(PROBLEM)
    html = page.get_data(as_text=True)
    assert 'data-testid="answer-input"' in html
    assert "data-formula-editor" not in html and "mathlive" not in html
    assert "style-src-attr" not in page.headers["Content-Security-Policy"]
    account = client.get("/auth/account").get_data(as_text=True)
    assert "checked" in _radio(account, "text") and "checked" not in _radio(account, "editor")


def _radio(html: str, value: str) -> str:
    return re.search(rf'<input[^>]*value="{value}"[^>]*>', html).group(0)


def test_choosing_the_editor_and_back(client, app):
    _register(client)
    response = client.post("/auth/account/answer-input", data={"mode": "editor"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/auth/account")
    assert _choice(app) is True
    account = client.get("/auth/account").get_data(as_text=True)
    assert "now entered with the formula editor" in account
    assert "checked" in _radio(account, "editor")

    page = client.get(PROBLEM)
    html = page.get_data(as_text=True)
    # The editor's scripts and container; the plain input is still the submitted field.
    assert "data-formula-editor" in html and "vendor/mathlive/mathlive.min.js" in html
    assert 'name="answer"' in html and 'data-testid="answer-input"' in html
    assert EDITOR_CSP in page.headers["Content-Security-Policy"]
    # Pages without an answer box keep the strict policy.
    for path in ("/auth/account", "/practice/", "/"):
        assert "style-src-attr" not in client.get(path).headers["Content-Security-Policy"], path

    client.post("/auth/account/answer-input", data={"mode": "text"})
    assert _choice(app) is False
    assert "data-formula-editor" not in client.get(PROBLEM).get_data(as_text=True)


def test_a_bad_choice_is_refused_and_changes_nothing(client, app):
    _register(client)
    for data in ({}, {"mode": "canvas"}):
        response = client.post("/auth/account/answer-input", data=data)
        assert response.status_code == 400
        assert "Entering answers" in response.get_data(as_text=True)
    assert _choice(app) is False


def test_the_choice_needs_a_login(client):
    response = client.post("/auth/account/answer-input", data={"mode": "editor"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    # Anonymous practice pages never load the editor.
    assert "data-formula-editor" not in client.get("/practice/").get_data(as_text=True)
