"""The tool's key pair lives in the database (one for every app server, created once even
when workers race), rotates with the CLI, and the CLI prints what scripts rely on."""

from __future__ import annotations

import json
import threading

from sqlalchemy import func, select

from app.extensions import db
from app.models.lti import LtiKey
from app.services.lti import keys


def test_key_is_created_once_when_workers_race(any_app):
    app = any_app
    barrier, errors, kids = threading.Barrier(4), [], []

    def start_worker():
        # Each thread has its own app context, so its own session and connection, as
        # separate app servers starting together would.
        try:
            with app.app_context():
                barrier.wait()
                kids.append(keys.current_key().kid)
                db.session.commit()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=start_worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(set(kids)) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(LtiKey.id))) == 1


def test_rotation_keeps_the_previous_key_published(app, client):
    first = client.get("/lti/jwks").get_json()["keys"]
    assert len(first) == 1 and first[0]["kty"] == "RSA" and first[0]["alg"] == "RS256"
    assert "d" not in first[0]  # public parts only
    runner = app.test_cli_runner()
    rotated = runner.invoke(args=["lti", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    second = client.get("/lti/jwks").get_json()["keys"]
    assert [k["kid"] for k in second][1] == first[0]["kid"]
    assert "none (the previous key stays published)" in rotated.output
    third = runner.invoke(args=["lti", "rotate-key"])
    assert f"Rotated out: {first[0]['kid']}" in third.output
    kids = [k["kid"] for k in client.get("/lti/jwks").get_json()["keys"]]
    assert kids == [third.output.split()[3].rstrip("."), second[0]["kid"]]


def test_cli_outputs(app, platform):
    runner = app.test_cli_runner()
    config = runner.invoke(args=["lti", "tool-config"])
    assert json.loads(config.output) == {
        "login_url": "http://localhost/lti/login", "launch_url": "http://localhost/lti/launch",
        "jwks_url": "http://localhost/lti/jwks", "deep_link_url": "http://localhost/lti/deep-link"}
    args = ["lti", "add-platform", "--issuer", "https://lms.example.edu/moodle", "--client-id",
            "abc", "--deployment-id", "1", "--auth-url", "https://lms.example.edu/auth",
            "--token-url", "https://lms.example.edu/token", "--jwks-url",
            "https://lms.example.edu/jwks"]
    added = runner.invoke(args=args)
    assert added.exit_code == 0 and added.output.splitlines()[-1] == "1"
    second = runner.invoke(args=[*args[:7], "2", *args[8:]])
    assert second.output.splitlines()[-1] == "1"  # another deployment of the same platform
    listed = runner.invoke(args=["lti", "list-platforms"]).output
    assert "https://lms.example.edu/moodle" in listed and "deployments 1,2" in listed
    clash = runner.invoke(args=[*args[:-1], "https://elsewhere.example/jwks"])
    assert clash.exit_code != 0 and "different jwks_url" in clash.output
    bad = runner.invoke(args=[*args[:3], "not-a-url", *args[4:]])
    assert bad.exit_code != 0 and "issuer must be an absolute" in bad.output


def test_tool_config_needs_the_base_url(sqlite_url, tmp_path):
    from tests.conftest import _make_app

    gen = _make_app(sqlite_url, tmp_path)
    app = next(gen)
    result = app.test_cli_runner().invoke(args=["lti", "tool-config"])
    assert result.exit_code != 0 and "GRADWORK_BASE_URL" in result.output
    next(gen, None)


def test_admin_registers_a_platform_on_the_web(app, client, make_user, login):
    from app.models import Role

    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    page = client.get("/lti/admin/platforms").get_data(as_text=True)
    assert "http://localhost/lti/launch" in page
    response = client.post("/lti/admin/platforms", data={
        "issuer": "https://canvas.instructure.com", "client_id": "10000000000001",
        "deployment_id": "1:abc", "auth_url": "https://sso.canvaslms.com/api/lti/authorize",
        "token_url": "https://sso.canvaslms.com/login/oauth2/token",
        "jwks_url": "https://sso.canvaslms.com/api/lti/security/jwks"}, follow_redirects=True)
    assert response.status_code == 200
    assert "10000000000001" in response.get_data(as_text=True)
