"""An assignment item answers heavy answers at the same pace as practice
(tests/practice/test_heavy_pace.py), and honest ones at once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.web.coursework import routes as coursework_routes
from tests.conftest import _make_app
from tests.instructor.conftest import DUE, build_setup
from tests.practice.test_heavy_pace import HEAVY, PAUSE, pauses  # noqa: F401 - a fixture


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, CHECK_TIMEOUT_SECONDS=15,
                         HEAVY_ANSWER_SECONDS=PAUSE)


def test_an_assignment_item_paces_heavy_answers(app, client, login, make_user, pauses,  # noqa: F811
                                                monkeypatch):
    monkeypatch.setattr(coursework_routes, "clock", lambda: DUE - timedelta(days=1))
    s = build_setup(app, make_user, attempts=None)
    login("ann@example.org")
    url = f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[0]}"
    assert client.post(url, data={"answer": "x"}).status_code == 200
    assert pauses == []
    assert client.post(url, data={"answer": HEAVY["refused as too long"]}).status_code == 422
    assert client.post(url, data={"answer": HEAVY["deep enough for the slow lane"]}
                       ).status_code == 200
    assert len(pauses) == 2
