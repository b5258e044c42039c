from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, Enrolment, Role, User
from tests.conftest import TEST_PASSWORD


def test_users_create_and_list(runner, app):
    result = runner.invoke(args=["users", "create", "--email", "Prof@Example.org", "--name", "Prof",
                                 "--role", "instructor", "--password", "prof-password"])
    assert result.exit_code == 0, result.output
    assert "Created instructor prof@example.org" in result.output
    with app.app_context():
        assert db.session.scalar(select(User)).role is Role.INSTRUCTOR
    listing = runner.invoke(args=["users", "list"])
    assert "prof@example.org" in listing.output


def test_users_create_reports_errors(runner):
    ok = ["users", "create", "--email", "a@example.org", "--name", "A", "--password", TEST_PASSWORD]
    assert runner.invoke(args=ok).exit_code == 0
    dup = runner.invoke(args=ok)
    assert dup.exit_code == 1 and "already exists" in dup.output
    bad = runner.invoke(args=["users", "create", "--email", "nope", "--name", "A",
                              "--password", TEST_PASSWORD])
    assert bad.exit_code == 1 and "not valid" in bad.output
    role = runner.invoke(args=["users", "create", "--email", "b@example.org", "--name", "B",
                               "--role", "king", "--password", TEST_PASSWORD])
    assert role.exit_code == 2


def test_set_password(runner, make_user, client):
    make_user("s@example.org")
    result = runner.invoke(args=["users", "set-password", "--email", "s@example.org",
                                 "--password", "brand-new-pw"])
    assert result.exit_code == 0, result.output
    assert client.post("/auth/login", data={"email": "s@example.org",
                                            "password": "brand-new-pw"}).status_code == 302
    missing = runner.invoke(args=["users", "set-password", "--email", "x@example.org",
                                  "--password", "brand-new-pw"])
    assert missing.exit_code == 1


def test_demo_seed_is_idempotent_and_accounts_log_in(runner, app, client):
    first = runner.invoke(args=["demo", "seed"])
    assert first.exit_code == 0, first.output
    second = runner.invoke(args=["demo", "seed"])
    assert second.output == first.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 3
        assert db.session.scalar(select(func.count()).select_from(Course)) == 1
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 3
    for line in first.output.splitlines():
        parts = line.split()
        if len(parts) == 3 and "@" in parts[1]:
            response = client.post("/auth/login", data={"email": parts[1], "password": parts[2]})
            assert response.status_code == 302, line
            client.post("/auth/logout")
