"""Passwords, look-alike identities and roster enumeration (issue 16, finding 5)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, Enrolment, Role, User
from app.services.accounts import passwords, users
from app.services.courses import membership, roster
from app.services.errors import ServiceError
from tests.conftest import TEST_PASSWORD


def _register(client, name="Sam", email="sam@example.org", password="a-long-passphrase"):
    return client.post("/auth/register", data={"display_name": name, "email": email,
                                               "password": password, "confirm": password})


def test_bundled_list_has_at_least_ten_thousand_common_passwords():
    assert len(passwords.common_passwords()) >= 10_000
    assert {"password", "12345678", "password123", "qwertyuiop"} <= passwords.common_passwords()


@pytest.mark.parametrize("password", ["12345678", "password", "password12", "Password123",
                                      "qwertyuiop", "1234567890", "short-pw"])
def test_short_and_common_passwords_are_refused_on_the_form(client, password):
    response = _register(client, password=password)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "password" in page.lower() and 'class="errors"' in page


def test_the_rules_are_said_on_every_form_that_sets_a_password(client, make_user, login):
    hint = "At least 10 characters, and not one of the 20,000 most common passwords"
    assert hint in client.get("/auth/register").get_data(as_text=True)
    make_user("admin@example.org", role=Role.ADMIN)
    login("admin@example.org")
    assert hint in client.get("/auth/password").get_data(as_text=True)
    assert hint in client.get("/admin/users").get_data(as_text=True)


def test_password_may_not_be_the_email_or_name(app):
    with app.app_context(), pytest.raises(ServiceError, match="email address or your name"):
        users.create_user("quenburga.x@example.org", "Q", "quenburga.x", Role.STUDENT)


def test_full_width_email_is_the_same_account(client, app, make_user):
    make_user("alice@example.com")
    response = _register(client, email="ａlice@example.com")
    assert response.status_code == 400
    assert "cannot be registered" in response.get_data(as_text=True)
    login = client.post("/auth/login", data={"email": "ＡＬＩＣＥ@example.com",
                                            "password": TEST_PASSWORD})
    assert login.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize("name", ["Al\u202eecila", "Al\u200bice", "\u2066Alice\u2069", "Alice\ufeff",
                                  "Ali\u00adce", "A\u200dlice"])
def test_invisible_and_bidirectional_characters_are_refused_in_names(client, app, name):
    response = _register(client, name=name)
    assert response.status_code == 400
    assert "invisible character" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_names_are_nfkc_normalised(client, app):
    assert _register(client, name="  Ｂｏｂ   Ｓｍｉｔｈ ").status_code == 302
    with app.app_context():
        assert db.session.scalar(select(User.display_name)) == "Bob Smith"


@pytest.fixture
def course(app, make_user):
    teacher = make_user("teach@example.org", role=Role.INSTRUCTOR)
    with app.app_context():
        course = membership.create_course("ML", db.session.get(User, teacher))
        db.session.commit()
        return course.id


def _add(app, course_id, email):
    with app.app_context():
        result = roster.add_student(db.session.get(Course, course_id), email)
        db.session.commit()
        return result


def test_add_student_says_the_same_for_unknown_instructor_and_admin_accounts(app, make_user,
                                                                             course):
    make_user("colleague@example.org", role=Role.INSTRUCTOR)
    make_user("root@example.org", role=Role.ADMIN)
    results = [_add(app, course, email) for email in
               ("nobody@example.org", "colleague@example.org", "root@example.org")]
    assert {r.status for r in results} == {roster.RowStatus.SKIPPED}
    assert len({r.reason for r in results}) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 1


def test_add_student_page_does_not_reveal_accounts(client, app, make_user, course, login):
    make_user("colleague@example.org", role=Role.INSTRUCTOR)
    login("teach@example.org")
    pages = []
    for email in ("nobody@example.org", "colleague@example.org"):
        page = client.post(f"/courses/{course}/students", data={"email": email},
                           follow_redirects=True).get_data(as_text=True)
        # The CSRF token is signed with the time: pages a second apart differ there only.
        page = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)
        pages.append(page.replace(email, "EMAIL"))
    assert pages[0] == pages[1]
    make_user("stu@example.org")
    added = client.post(f"/courses/{course}/students", data={"email": "stu@example.org"},
                        follow_redirects=True).get_data(as_text=True)
    assert "Enrolled" in added
