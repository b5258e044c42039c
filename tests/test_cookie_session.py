"""app.web.cookie_session: the session cookie signed and read as Flask does, with one
serializer per set of keys."""

from __future__ import annotations

from flask import session

from app.web.cookie_session import CookieSessions
from app.web.lti.frames import LtiSessionInterface


def test_the_application_uses_it_under_the_lti_wrapper(app):
    assert isinstance(app.session_interface, LtiSessionInterface)
    assert isinstance(app.session_interface.inner, CookieSessions)


def _session_routes(app, name: str) -> None:
    """`GET /_test/<name>/<value>` keeps a value in the session, `GET /_test/<name>` reads it."""
    def put(value):
        session["v"] = value
        return "ok"

    app.add_url_rule(f"/_test/{name}/<value>", f"_test_{name}_put", put)
    app.add_url_rule(f"/_test/{name}", f"_test_{name}_get", lambda: session.get("v", "none"))


def test_a_session_survives_the_round_trip_and_the_serializer_is_made_once(app):
    _session_routes(app, "session")
    client = app.test_client()
    client.get("/_test/session/kept")
    assert client.get("/_test/session").get_data(as_text=True) == "kept"
    inner = app.session_interface.inner
    assert inner.get_signing_serializer(app) is inner.get_signing_serializer(app)


def test_a_rotated_key_still_opens_the_cookies_signed_with_the_old_one(app):
    _session_routes(app, "rotate")
    client = app.test_client()
    client.get("/_test/rotate/before")
    old = app.secret_key
    app.secret_key = "a-new-key-" + "y" * 32
    try:
        assert client.get("/_test/rotate").get_data(as_text=True) == "none"
        app.config["SECRET_KEY_FALLBACKS"] = [old]
        assert client.get("/_test/rotate").get_data(as_text=True) == "before"
    finally:
        app.secret_key = old
        app.config["SECRET_KEY_FALLBACKS"] = []
