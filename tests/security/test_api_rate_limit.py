"""The API rate limit (issue 16, finding 4): 429 with Retry-After past the limit, per key,
account or address, shared through Redis when configured, while students' grading goes on."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ApiKey, Role
from tests.conftest import _make_app, redis_test_url
from tests.practice.conftest import BANK, sigmoid_answers

# Hourly windows: the sliding-window counter forgets part of the last window's count as the
# next one goes on, so a test straddling a minute's end could see one request too many let in.
LIMITS = {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3/hour",
          "API_KEY_RATE_LIMIT": "6/hour", "PROBLEMS_DIR": str(BANK),
          "CHECK_TIMEOUT_SECONDS": 10}
CHECK = {"answer": "σ(x)(1-σ(x))", "derivative_of": {"function": "sigma(x)", "wrt": "x"}}


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, **LIMITS)


def _caller(app, address="203.0.113.9", **headers):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if headers:
        client.environ_base.update({f"HTTP_{k.upper().replace('-', '_')}": v
                                    for k, v in headers.items()})
    return client


def _use_up(client, n=3):
    for _ in range(n):
        assert client.get("/api/v1/openapi.json").status_code == 200


def test_429_with_retry_after_past_the_limit(app):
    caller = _caller(app)
    _use_up(caller)
    response = caller.post("/api/v1/check", json=CHECK)
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 3600
    error = response.get_json()["error"]
    assert error["code"] == "rate_limited"
    assert "3 per 1 hour" in error["message"]
    # Another client address has its own budget.
    assert _caller(app, "198.51.100.20").post("/api/v1/check", json=CHECK).status_code == 200


def test_students_grading_goes_on_while_the_api_answers_429(app, make_user):
    make_user("stu@example.org")
    student = _caller(app)
    assert student.post("/auth/login", data={"email": "stu@example.org",
                                             "password": "correct-horse-42"}).status_code == 302
    anonymous = _caller(app)
    _use_up(anonymous)
    assert anonymous.post("/api/v1/check", json=CHECK).status_code == 429
    for _ in range(5):
        graded = student.post("/practice/sigmoid-affine/3",
                              data={"answer": sigmoid_answers(3)["correct"]})
        assert graded.status_code == 200
        assert "Correct" in graded.get_data(as_text=True)
    assert anonymous.post("/api/v1/preview", json={"answer": "x"}).status_code == 429


def test_logged_in_users_are_counted_per_account(app, make_user):
    """A class behind one NAT address: each student's live preview has its own budget."""
    clients = []
    for n in range(2):
        make_user(f"s{n}@example.org")
        client = _caller(app)
        client.post("/auth/login", data={"email": f"s{n}@example.org",
                                         "password": "correct-horse-42"})
        clients.append(client)
    _use_up(clients[0])
    assert clients[0].post("/api/v1/preview", json={"answer": "x"}).status_code == 429
    assert clients[1].post("/api/v1/preview", json={"answer": "x"}).status_code == 200


def _new_key(app, make_user, login, client) -> str:
    make_user("teach@example.org", role=Role.INSTRUCTOR)
    login("teach@example.org")
    page = client.post("/auth/api-keys", data={"name": "grader script"})
    assert page.status_code == 201
    text = page.get_data(as_text=True)
    start = text.index('data-testid="new-api-key-value">') + len('data-testid="new-api-key-value">')
    return text[start:text.index("<", start)]


def test_api_keys_get_the_higher_limit_and_are_stored_as_hashes(app, make_user, login, client):
    key = _new_key(app, make_user, login, client)
    assert key.startswith("gwk_")
    with app.app_context():
        row = db.session.scalar(select(ApiKey))
        assert key not in (row.key_hash, row.prefix, row.name) and key.startswith(row.prefix)
    tool = _caller(app, Authorization=f"Bearer {key}")
    anonymous = _caller(app)
    _use_up(anonymous)
    assert anonymous.get("/api/v1/openapi.json").status_code == 429
    _use_up(tool, 6)
    limited = tool.get("/api/v1/openapi.json")
    assert limited.status_code == 429 and "API key" in limited.get_json()["error"]["message"]
    # The list shows the key's start only; revoking it refuses the tool loudly.
    listing = client.get("/auth/api-keys").get_data(as_text=True)
    assert key not in listing and "grader script" in listing
    assert client.post(f"/auth/api-keys/{row.id}/revoke").status_code == 302
    refused = tool.get("/api/v1/openapi.json")
    assert refused.status_code == 401
    assert refused.get_json()["error"]["code"] == "unauthorized"
    assert refused.headers["WWW-Authenticate"].lower().startswith("bearer")


@pytest.mark.parametrize("header", ["Bearer gwk_not-a-real-key", "Basic dXNlcjpwYXNz", "Bearer"])
def test_bad_authorization_headers_are_401(app, header):
    response = _caller(app, Authorization=header).post("/api/v1/check", json=CHECK)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


def test_students_cannot_create_keys(client, make_user, login):
    make_user("stu@example.org")
    login("stu@example.org")
    assert client.get("/auth/api-keys").status_code == 403


@pytest.fixture
def redis_url():
    return redis_test_url("rate_limit")


def test_app_servers_share_the_count_through_redis(sqlite_url, tmp_path, redis_url):
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    servers = [next(_make_app(sqlite_url, tmp_path / str(n), **LIMITS, REDIS_URL=redis_url))
               for n in range(2)]
    first, second = (_caller(server, address) for server in servers)
    _use_up(first, 2)
    _use_up(second, 1)
    assert first.get("/api/v1/openapi.json").status_code == 429
    assert second.get("/api/v1/openapi.json").status_code == 429


def test_an_unreachable_redis_does_not_break_the_api(sqlite_url, tmp_path):
    app = next(_make_app(sqlite_url, tmp_path, **LIMITS, REDIS_URL="redis://127.0.0.1:1/0"))
    caller = _caller(app)
    assert caller.post("/api/v1/check", json=CHECK).status_code == 200


def test_counting_a_logged_in_caller_loads_no_user(app, make_user):
    from sqlalchemy import event

    make_user("s@example.org")
    client = _caller(app)
    client.post("/auth/login", data={"email": "s@example.org", "password": "correct-horse-42"})
    statements = []
    with app.app_context():
        engine = db.engine

    def _record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        assert client.post("/api/v1/preview", json={"answer": "x"}).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", _record)
    assert statements == []


def test_pages_outside_the_api_never_resolve_limits(app, make_user, monkeypatch):
    # Only the API has limits: a page must not pay for looking them up on every request.
    from app.web.api.limits import EXTENSION

    limiter = app.extensions[EXTENSION]
    resolved = []
    real = limiter.limit_manager.resolve_limits

    def resolve(*args, **kwargs):
        resolved.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", resolve)
    make_user("p@example.org")
    student = _caller(app)
    student.post("/auth/login", data={"email": "p@example.org", "password": "correct-horse-42"})
    assert student.get("/practice/").status_code == 200
    assert student.get("/healthz").status_code == 200
    assert resolved == []
    assert student.post("/api/v1/preview", json={"answer": "x"}).status_code == 200
    assert resolved == ["api.preview"]


def test_the_limiters_hooks_run_for_the_api_alone(app, make_user):
    from app.web.api.limits import EXTENSION, _bound_to

    limiter = app.extensions[EXTENSION]
    for registry in (app.before_request_funcs, app.after_request_funcs,
                     app.teardown_request_funcs):
        hooks = registry.get(None, [])
        assert not [h for h in hooks if _bound_to(h, limiter)]  # none runs unwrapped
        assert [h for h in hooks if _bound_to(getattr(h, "limiter_hook", None), limiter)]
    # Where Flask-Limiter put it: right after the API key is resolved, before the app's own.
    before = [getattr(h, "__name__", "") for h in app.before_request_funcs[None]]
    assert before.index("_check_request_limit") == before.index("_resolve_api_key") + 1
    make_user("h@example.org")
    student = _caller(app)
    student.post("/auth/login", data={"email": "h@example.org", "password": "correct-horse-42"})
    page = student.get("/practice/")
    assert page.status_code == 200 and "X-RateLimit-Limit" not in page.headers
    api = student.post("/api/v1/preview", json={"answer": "x"})
    assert api.status_code == 200 and "X-RateLimit-Limit" in api.headers
