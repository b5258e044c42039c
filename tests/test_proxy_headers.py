"""Behind the reverse proxy (GRADWORK_TRUSTED_PROXIES=1) the client's address and scheme come
from the proxy's headers; without it, the headers a client sends are ignored."""

from __future__ import annotations

from flask import jsonify, request

from app import create_app
from tests.conftest import base_config


def _echo_app(sqlite_url, **extra):
    app = create_app(base_config(sqlite_url, **extra))

    @app.get("/test-echo")
    def echo():
        return jsonify(addr=request.remote_addr, scheme=request.scheme)

    return app


HEADERS = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def test_trusted_proxy_headers_give_the_client_address(sqlite_url):
    client = _echo_app(sqlite_url, TRUSTED_PROXIES=1).test_client()
    reply = client.get("/test-echo", headers=HEADERS, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert reply.get_json() == {"addr": "203.0.113.7", "scheme": "https"}


def test_without_a_proxy_forwarded_headers_are_ignored(sqlite_url):
    client = _echo_app(sqlite_url).test_client()
    reply = client.get("/test-echo", headers=HEADERS, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert reply.get_json() == {"addr": "10.0.0.2", "scheme": "http"}


def test_the_setting_is_read_from_the_environment(monkeypatch, sqlite_url):
    monkeypatch.setenv("GRADWORK_TRUSTED_PROXIES", "2")
    app = create_app(base_config(sqlite_url))
    assert app.config["TRUSTED_PROXIES"] == 2
