"""Answers too big for the main lane are answered at a pace (HEAVY_ANSWER_SECONDS): a script
sending them in a loop cannot crowd the class's answers off the CPU, and an honest answer,
right, wrong or mistyped, never waits."""

from __future__ import annotations

import time

import pytest

from app.web import answer_text
from tests.conftest import _make_app
from tests.practice.conftest import BANK, sigmoid_answers

PAUSE = 0.4
# Where sleep is stubbed, a pause far longer than any request: a slow host (the slow lane's
# first start can take a second) never finishes the request after the pause is over.
STUBBED_PAUSE = 60.0
PAGE = "/practice/sigmoid-affine/4"
HEAVY = {
    "refused as too long": "x+" * 1000 + "x",
    "refused as too large": "9^9^9",
    "long enough for the slow lane": "x" + "*x" * 300,
    "deep enough for the slow lane": "(" * 20 + "x" + ")" * 20,
}


@pytest.fixture
def app(request, sqlite_url, tmp_path):
    pause = STUBBED_PAUSE if "pauses" in request.fixturenames else PAUSE
    yield from _make_app(sqlite_url, tmp_path, PROBLEMS_DIR=str(BANK), CHECK_TIMEOUT_SECONDS=10,
                         HEAVY_ANSWER_SECONDS=pause)


@pytest.fixture
def student(make_user, login):
    make_user("pace@example.org")
    login("pace@example.org")


@pytest.fixture
def pauses(monkeypatch):
    """The pauses the pages ask for, instead of waiting them out; none may be taken inside a
    database transaction (it would hold a connection)."""
    asked: list[float] = []

    def sleep(seconds: float) -> None:
        from app.extensions import db

        assert not db.session().in_transaction()
        asked.append(seconds)

    monkeypatch.setattr(answer_text.time, "sleep", sleep)
    return asked


@pytest.mark.parametrize("answer", HEAVY.values(), ids=HEAVY.keys())
def test_a_heavy_answer_is_answered_at_the_pace(client, student, pauses, answer):
    reply = client.post(PAGE, data={"answer": answer})
    assert reply.status_code in (200, 422)
    assert 'data-testid="verdict"' in reply.get_data(as_text=True)
    assert len(pauses) == 1 and 0 < pauses[0] <= STUBBED_PAUSE


@pytest.mark.parametrize("kind", ["correct", "chain_dropped", "invalid"])
def test_an_honest_answer_never_waits(client, student, pauses, kind):
    reply = client.post(PAGE, data={"answer": sigmoid_answers(4)[kind]})
    assert reply.status_code in (200, 422)
    assert pauses == []


def test_the_pause_is_real_and_counts_from_the_request(client, student):
    started = time.monotonic()
    reply = client.post(PAGE, data={"answer": HEAVY["refused as too long"]})
    assert reply.status_code == 422
    assert time.monotonic() - started >= PAUSE


def test_no_pause_when_it_is_off(sqlite_url, tmp_path, pauses):
    for app in _make_app(sqlite_url, tmp_path, PROBLEMS_DIR=str(BANK), HEAVY_ANSWER_SECONDS=0):
        from app.extensions import db
        from app.services.accounts import users

        with app.app_context():
            users.create_user("off@example.org", "Off", "a-long-password-1")
            db.session.commit()
        client = app.test_client()
        client.post("/auth/login", data={"email": "off@example.org",
                                         "password": "a-long-password-1"})
        reply = client.post(PAGE, data={"answer": HEAVY["refused as too long"]})
        assert reply.status_code == 422
        assert pauses == []

