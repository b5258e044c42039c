"""With the database really unreachable (a TCP proxy in front of PostgreSQL drops every
connection and refuses new ones), pages answer a clear 503 and API calls a JSON 503, fast;
nothing is half-saved; and once the database is back no request fails."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time

import pytest
from flask import jsonify
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from app import create_app
from app.extensions import db
from app.models import PracticeSubmission
from tests.conftest import base_config, shared_checker_pool
from tests.practice.conftest import BANK, sigmoid_answers

# Generous: a hang is what this catches (connects are bounded at 3 s), not speed.
NO_HANG_SECONDS = 10


class DroppingProxy:
    """Forwards TCP to the database until `down()`: then every open connection is reset and
    new ones are closed as soon as they are accepted, until `up()`."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.accepting = True
        self.lock = threading.Lock()
        self.open: set[socket.socket] = set()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.accepting:
                self._reset(client)
                continue
            server = socket.create_connection(self.target)
            with self.lock:
                self.open |= {client, server}
            for a, b in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source, sink):
        with contextlib.suppress(OSError):
            while chunk := source.recv(65536):
                sink.sendall(chunk)
        for sock in (source, sink):
            self._reset(sock)

    def _reset(self, sock):
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        with contextlib.suppress(OSError):
            sock.close()
        with self.lock:
            self.open.discard(sock)

    def down(self):
        self.accepting = False
        with self.lock:
            doomed = list(self.open)
        for sock in doomed:
            self._reset(sock)

    def up(self):
        self.accepting = True

    def close(self):
        self.down()
        self.listener.close()


@pytest.fixture
def proxy(postgres_url):
    url = make_url(postgres_url)
    proxy = DroppingProxy(url.host or "127.0.0.1", url.port or 5432)
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(
        hide_password=False)
    proxy.close()


@pytest.fixture
def app(proxy, tmp_path):
    _proxy, url = proxy
    app = create_app(base_config(url, PROBLEMS_DIR=str(BANK), CHECK_TIMEOUT_SECONDS=10),
                     checker_pool=shared_checker_pool())
    app.instance_path = str(tmp_path / "instance")

    # An API endpoint that needs the database (today's endpoints do not).
    @app.get("/api/v1/test-probe")
    def probe():
        return jsonify(value=db.session.scalar(text("SELECT 1")))

    with app.app_context():
        db.create_all()
    yield app
    _proxy.up()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _timed(call):
    started = time.monotonic()
    response = call()
    assert time.monotonic() - started < NO_HANG_SECONDS
    return response


def _stored(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(PracticeSubmission.id)))


def _assert_pages_work(client, page, answer):
    for response in (client.get("/practice/"), client.get(page),
                     client.post(page, data={"answer": answer}), client.get("/healthz"),
                     client.get("/api/v1/test-probe")):
        assert response.status_code == 200, response.get_data(as_text=True)[:300]


def test_pages_and_api_answer_503_while_the_database_is_gone(app, proxy, client, make_user,
                                                             login):
    drop, _url = proxy
    make_user("ada@example.org")
    login("ada@example.org")
    page, answer = "/practice/sigmoid-affine/7", sigmoid_answers(7)["correct"]
    _assert_pages_work(client, page, answer)
    before = _stored(app)

    drop.down()
    for call in (lambda: client.get("/practice/"), lambda: client.get(page),
                 lambda: client.post(page, data={"answer": answer}),
                 lambda: client.get("/courses/")):
        response = _timed(call)
        html = response.get_data(as_text=True)
        assert response.status_code == 503, html[:300]
        assert response.mimetype == "text/html"
        assert "The database is unavailable" in html and "nothing was saved" in html
        assert response.headers["Retry-After"]
    probe = _timed(lambda: client.get("/api/v1/test-probe"))
    assert probe.status_code == 503 and probe.is_json
    assert probe.get_json()["error"]["code"] == "database_unavailable"
    assert _timed(lambda: client.get("/healthz")).status_code == 503
    # A page that does not exist still says so, without the user menu it cannot load.
    assert _timed(lambda: client.get("/no/such/page")).status_code == 404
    # The checking API needs no database and keeps working.
    check = client.post("/api/v1/check", json={"answer": "2x", "expected": "x+x"})
    assert check.status_code == 200 and check.get_json()["equivalent"] is True

    drop.up()
    _assert_pages_work(client, page, answer)
    assert _stored(app) == before + 1  # the answer sent while it was down was not saved


def test_the_first_request_after_a_quiet_outage_succeeds(app, proxy, client, make_user,
                                                         login):
    drop, _url = proxy
    make_user("bo@example.org")
    login("bo@example.org")
    page, answer = "/practice/sigmoid-affine/8", sigmoid_answers(8)["correct"]
    _assert_pages_work(client, page, answer)
    # The pooled connections die while nobody uses them; the next requests must not fail.
    drop.down()
    time.sleep(0.2)
    drop.up()
    time.sleep(1.2)
    _assert_pages_work(client, page, answer)
