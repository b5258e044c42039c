"""Password reset by email through a real SMTP server on loopback (issue 16, finding 8)."""

from __future__ import annotations

import re
import socket
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from app.config import ConfigError, load_settings
from app.extensions import db
from app.models import PasswordResetToken, Role, User
from tests.conftest import TEST_PASSWORD, _make_app

PUBLIC = "https://gradwork.example.edu"
NEW = "a-brand-new-passphrase"


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content, policy=policy.default)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    yield controller.port, inbox
    controller.stop()


@pytest.fixture
def mail_app(sqlite_url, tmp_path, smtp):
    port, _inbox = smtp
    yield from _make_app(sqlite_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=port,
                         SMTP_TLS="none", SMTP_FROM="GradWork <gradwork@example.edu>",
                         BASE_URL=PUBLIC, PASSWORD_RESET_MINUTES=30)


@pytest.fixture
def ann(mail_app):
    from app.services.accounts import users

    with mail_app.app_context():
        users.create_user("ann@example.org", "Ann", TEST_PASSWORD, Role.STUDENT)
        db.session.commit()
    return "ann@example.org"


def _ask(client, email, **headers):
    return client.post("/auth/forgot", data={"email": email}, headers=headers,
                       follow_redirects=True)


def _link(inbox) -> str:
    (_rcpt, message), = inbox.messages
    return re.search(r"https://\S+", message.get_content()).group(0)


def test_without_smtp_the_page_says_who_resets_passwords(client):
    page = client.get("/auth/forgot").get_data(as_text=True)
    assert 'data-testid="reset-by-staff"' in page and "instructor" in page
    assert "Forgot your password?" in client.get("/auth/login").get_data(as_text=True)


def test_link_by_mail_resets_once_and_ends_every_session(mail_app, smtp, ann):
    _port, inbox = smtp
    logged_in = mail_app.test_client()
    assert logged_in.post("/auth/login", data={"email": ann, "password": TEST_PASSWORD}) \
        .status_code == 302
    client = mail_app.test_client()
    answer = _ask(client, ann, Host="evil.example").get_data(as_text=True)
    assert "If an account uses this email" in answer
    (rcpt, message), = inbox.messages
    assert rcpt == [ann] and message["From"] == "GradWork <gradwork@example.edu>"
    link = _link(inbox)
    assert link.startswith(f"{PUBLIC}/auth/reset/")  # never the request's Host header
    path = link.removeprefix(PUBLIC)
    assert "ann@example.org" in client.get(path).get_data(as_text=True)
    weak = client.post(path, data={"new_password": "password123", "confirm": "password123"})
    assert weak.status_code == 400
    done = client.post(path, data={"new_password": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert client.post("/auth/login", data={"email": ann, "password": NEW}).status_code == 302
    assert logged_in.get("/courses/").status_code == 302  # the old session has ended
    assert mail_app.test_client().get(path).status_code == 410  # single use


def test_unknown_email_gets_the_same_answer_and_no_mail(mail_app, smtp, ann):
    _port, inbox = smtp
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    unknown = _ask(mail_app.test_client(), "ghost@example.org")
    known = _ask(mail_app.test_client(), ann)
    assert strip(unknown) == strip(known)
    assert len(inbox.messages) == 1


def test_expired_and_forged_links_are_refused(mail_app, smtp, ann):
    _port, inbox = smtp
    client = mail_app.test_client()
    _ask(client, ann)
    path = _link(inbox).removeprefix(PUBLIC)
    with mail_app.app_context():
        row = db.session.scalar(select(PasswordResetToken))
        row.expires_at = row.created_at + timedelta(seconds=-1)
        db.session.commit()
    assert client.get(path).status_code == 410
    assert client.post(path, data={"new_password": NEW, "confirm": NEW}).status_code == 410
    assert client.get("/auth/reset/not-a-token").status_code == 410


def test_a_newer_reset_or_use_ends_older_links(mail_app, smtp, ann):
    _port, inbox = smtp
    client = mail_app.test_client()
    _ask(client, ann)
    _ask(client, ann)
    first, second = (re.search(r"https://\S+", m.get_content()).group(0).removeprefix(PUBLIC)
                     for _r, m in inbox.messages)
    assert client.post(second, data={"new_password": NEW, "confirm": NEW}).status_code == 302
    assert client.get(first).status_code == 410


def test_at_most_three_links_an_hour(mail_app, smtp, ann):
    _port, inbox = smtp
    for _ in range(5):
        _ask(mail_app.test_client(), ann)
    assert len(inbox.messages) == 3


def test_mail_server_down_answers_the_same(sqlite_url, tmp_path, caplog):
    app = next(_make_app(sqlite_url, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=_free_port(),
                         SMTP_TLS="none", SMTP_FROM="gw@example.edu", BASE_URL=PUBLIC))
    from app.services.accounts import users

    with app.app_context():
        users.create_user("ann@example.org", "Ann", TEST_PASSWORD, Role.STUDENT)
        db.session.commit()
    page = _ask(app.test_client(), "ann@example.org").get_data(as_text=True)
    assert "If an account uses this email" in page
    assert "sending a password reset link failed" in caplog.text


def test_admin_hands_out_a_reset_link(app, client, make_user, login):
    make_user("root@example.org", role=Role.ADMIN)
    target = make_user("bob@example.org")
    login("root@example.org")
    page = client.post(f"/admin/users/{target}/reset-link").get_data(as_text=True)
    link = re.search(r'data-testid="reset-link-value">([^<]+)<', page).group(1)
    path = link[link.index("/auth/reset/"):]
    other = app.test_client()
    assert other.post(path, data={"new_password": NEW, "confirm": NEW}).status_code == 302
    assert other.post("/auth/login", data={"email": "bob@example.org", "password": NEW}) \
        .status_code == 302
    with app.app_context():
        assert db.session.get(User, target).session_version > 1


@pytest.mark.parametrize(("env", "named"), [
    ({"GRADWORK_SMTP_HOST": "mail.example.edu"}, "GRADWORK_SMTP_FROM"),
    ({"GRADWORK_SMTP_HOST": "mail.example.edu", "GRADWORK_SMTP_FROM": "a@b.org"},
     "GRADWORK_BASE_URL"),
    ({"GRADWORK_SMTP_USER": "u"}, "GRADWORK_SMTP_PASSWORD"),
    ({"GRADWORK_SMTP_TLS": "maybe"}, "GRADWORK_SMTP_TLS"),
    ({"GRADWORK_BASE_URL": "gradwork.example.edu"}, "GRADWORK_BASE_URL"),
    ({"GRADWORK_TRUSTED_PROXIES": "-1"}, "GRADWORK_TRUSTED_PROXIES"),
    ({"GRADWORK_API_RATE_LIMIT": "lots"}, "GRADWORK_API_RATE_LIMIT"),
    ({"GRADWORK_REDIS_URL": "localhost:6379"}, "GRADWORK_REDIS_URL"),
    ({"GRADWORK_SESSION_IDLE_MINUTES": "0"}, "GRADWORK_SESSION_IDLE_MINUTES"),
])
def test_mail_and_security_settings_are_checked_at_start(tmp_path, env, named):
    with pytest.raises(ConfigError, match=named):
        load_settings(env, None, tmp_path)
