"""Security headers (issue 16, finding 6)."""

from __future__ import annotations

import pytest

from tests.conftest import _make_app
from tests.instructor.conftest import build_setup


@pytest.fixture
def secure_app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, SESSION_COOKIE_SECURE=True)


def test_hsts_only_with_secure_cookies(app, secure_app):
    assert "Strict-Transport-Security" not in app.test_client().get("/").headers
    hsts = secure_app.test_client().get("/").headers["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts


@pytest.fixture
def teacher(app, make_user, client, login):
    setup = build_setup(app, make_user)
    login("teach@example.org")
    return setup


def test_gradebook_and_exports_are_not_stored(client, teacher):
    course = teacher.course_id
    for url in (f"/courses/{course}/grades/", f"/courses/{course}/grades/export/gradebook.csv",
                f"/courses/{course}/grades/export/canvas.csv", "/courses/", "/auth/account"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store", url
        assert "Cookie" in response.headers["Vary"]


def test_public_pages_and_static_files_may_be_cached(client):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    assert "no-store" not in client.get("/static/app.css").headers.get("Cache-Control", "")


def test_csv_exports_name_one_charset(client, teacher):
    response = client.get(f"/courses/{teacher.course_id}/grades/export/gradebook.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_reset_pages_are_not_stored(client):
    assert client.get("/auth/reset/anything").headers["Cache-Control"] == "no-store"


def test_a_views_own_headers_are_kept_and_the_rest_added_once(app, make_user, login, client):
    @app.get("/_test/own-headers")
    def _own():
        return "x", 200, {"X-Frame-Options": "SAMEORIGIN", "Vary": "Accept-Language",
                          "referrer-policy": "no-referrer"}

    make_user("own@example.org")
    login("own@example.org")
    response = client.get("/_test/own-headers")
    headers = response.headers
    assert headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert headers.getlist("X-Content-Type-Options") == ["nosniff"]
    assert len(headers.getlist("Content-Security-Policy")) == 1
    assert set(response.vary) == {"Accept-Language", "Cookie"}
    assert client.get("/practice/").headers["Vary"] == "Cookie"
