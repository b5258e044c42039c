"""An assignment's variants cannot be reached through Practice, hidden templates are refused
on every practice route while the assignment is open, and the reveal policy holds."""

import time
from datetime import timedelta

import pytest

from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem
from app.services.assignments.variants import seed_for
from app.services.practice.hidden import hidden_templates
from app.web.coursework import routes as coursework_routes
from app.web.practice import problems as practice_problems
from tests.instructor.conftest import DUE, OPEN, build_setup


@pytest.fixture
def clock(monkeypatch):
    now = {"t": DUE - timedelta(days=1)}
    monkeypatch.setattr(coursework_routes, "clock", lambda: now["t"])
    monkeypatch.setattr(practice_problems, "clock", lambda: now["t"])
    return now


def _routes(template, seed):
    base = f"/practice/{template}"
    return [("GET", base), ("GET", f"{base}/{seed}"), ("POST", f"{base}/{seed}"),
            ("GET", f"{base}/{seed}/function.svg"),
            ("GET", f"{base}/{seed}/compare.svg?answer=x")]


def _statuses(client, template, seed):
    out = []
    for method, url in _routes(template, seed):
        reply = client.open(url, method=method, data={"answer": "x"} if method == "POST" else None)
        out.append((url, reply.status_code, reply.get_data(as_text=True)))
    return out


def test_hidden_templates_are_refused_while_open_and_back_after(app, client, login, make_user,
                                                                clock):
    build_setup(app, make_user, hide_from_practice=True)
    login("ann@example.org")
    topics = client.get("/practice/").get_data(as_text=True)
    assert 'data-testid="family-sigmoid-affine"' not in topics
    assert 'data-testid="family-bce-prediction"' not in topics
    assert 'data-testid="family-softplus"' in topics
    assert "2 problems are hidden" in topics
    for url, status, body in _statuses(client, "sigmoid-affine", 5):
        assert status == 403, url
        assert "Week 1" in body and "not offered in practice" in body, url
    # Other templates are untouched.
    assert client.get("/practice/softplus/5").status_code == 200

    # Before the opening and after the due date, practice offers them again.
    clock["t"] = OPEN - timedelta(minutes=1)
    assert client.get("/practice/sigmoid-affine/5").status_code == 200
    clock["t"] = DUE + timedelta(minutes=1)
    for url, status, _body in _statuses(client, "sigmoid-affine", 5):
        assert status in (200, 302), url
    assert 'data-testid="family-sigmoid-affine"' in client.get("/practice/").get_data(
        as_text=True)
    client.post("/auth/logout")


def test_hiding_is_for_the_course_students_only(app, client, login, make_user, clock):
    build_setup(app, make_user, hide_from_practice=True)
    for email in ("outsider@example.org", "teach@example.org"):
        login(email)
        assert client.get("/practice/sigmoid-affine/5").status_code == 200, email
        client.post("/auth/logout")


def test_without_the_option_practice_is_open_but_the_twin_is_not(app, client, login, make_user,
                                                                 clock):
    s = build_setup(app, make_user)
    ann = s.student_ids[0]
    with app.app_context():
        assignment = db.session.get(Assignment, s.assignment_id)
        item = db.session.get(AssignmentItem, s.item_ids[0])
        seed = seed_for(assignment, item, ann)
    login("ann@example.org")
    assert client.get("/practice/sigmoid-affine/5").status_code == 200
    # Ann's own assignment seed names no practice problem, on any route.
    for url, status, _body in _statuses(client, "sigmoid-affine", seed)[1:]:
        assert status == 404, url


def test_single_variant_templates_hide_themselves(app, make_user, clock):
    s = build_setup(app, make_user)
    with app.app_context():
        hidden = hidden_templates(s.student_ids[0], DUE - timedelta(days=1), {"bce-prediction"})
        assert set(hidden) == {"bce-prediction"}
        assert hidden["bce-prediction"].until == DUE
        assert hidden_templates(s.student_ids[0], DUE + timedelta(seconds=1),
                                {"bce-prediction"}) == {}


def test_late_work_keeps_them_hidden_while_published(app, make_user):
    s = build_setup(app, make_user, hide_from_practice=True, accept_late=True,
                    late_penalty_per_day=0.1, late_penalty_cap=0.5)
    with app.app_context():
        hidden = hidden_templates(s.student_ids[0], DUE + timedelta(days=30))
        assert set(hidden) == {"sigmoid-affine", "bce-prediction"}
        assert hidden["sigmoid-affine"].until is None


def test_solution_never_shown_holds_on_every_route(app, client, login, make_user, clock):
    s = build_setup(app, make_user, attempts=2, solution_reveal="never")
    ann = s.student_ids[0]
    item_url = f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[0]}"
    login("ann@example.org")
    for answer in ("x", "x + 1"):
        page = client.post(item_url, data={"answer": answer}).get_data(as_text=True)
        assert 'data-testid="solution"' not in page
    clock["t"] = DUE + timedelta(days=3)
    assert 'data-testid="solution"' not in client.get(item_url).get_data(as_text=True)
    with app.app_context():
        seed = seed_for(db.session.get(Assignment, s.assignment_id),
                        db.session.get(AssignmentItem, s.item_ids[0]), ann)
    for url, status, _body in _statuses(client, "sigmoid-affine", seed)[1:]:
        assert status == 404, url
    preview = f"/courses/{s.course_id}/assignments/preview?template=sigmoid-affine&seed={seed}"
    assert client.get(preview).status_code == 403


def test_after_due_means_the_students_own_due_date(app, client, login, make_user, clock):
    s = build_setup(app, make_user, solution_reveal="after_due")
    ann = s.student_ids[0]
    login("teach@example.org")
    client.post(f"/courses/{s.course_id}/grades/students/{ann}/assignments/{s.assignment_id}"
                "/extension", data={"due_at": "2026-03-05T00:59", "extra_attempts": "0"})
    client.post("/auth/logout")
    clock["t"] = DUE + timedelta(days=1)
    item_url = f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[0]}"
    login("ann@example.org")
    page = client.get(item_url).get_data(as_text=True)
    assert 'data-testid="solution"' not in page and 'data-testid="answer-input"' in page
    client.post("/auth/logout")
    login("ben@example.org")
    assert 'data-testid="solution"' in client.get(item_url).get_data(as_text=True)


def test_a_single_variant_template_is_refused_in_practice_while_used(app, client, login,
                                                                     make_user, clock,
                                                                     monkeypatch):
    from dataclasses import replace

    build_setup(app, make_user)
    real = practice_problems.catalogue
    monkeypatch.setattr(practice_problems, "catalogue", lambda: tuple(
        replace(e, variants=1) if e.template_id == "sigmoid-affine" else e for e in real()))
    login("ann@example.org")
    reply = client.get("/practice/sigmoid-affine/0")
    assert reply.status_code == 403 and "Week 1" in reply.get_data(as_text=True)
    assert client.get("/practice/bce-prediction/0").status_code == 200
    clock["t"] = DUE + timedelta(minutes=1)
    assert client.get("/practice/sigmoid-affine/0").status_code == 200


def test_what_is_hidden_is_read_once_a_few_seconds_and_again_after_any_change(
        app, client, login, make_user, clock, monkeypatch):
    from sqlalchemy import create_engine, event, text

    from app.services.practice import hidden as hidden_module

    # The cache's clock moves only when the test says, however slow the host; it starts at
    # the real one, so what the test leaves behind is not fresh to later tests.
    ticks = {"t": time.monotonic()}
    monkeypatch.setattr(hidden_module, "_now", lambda: ticks["t"])
    hidden_module.forget()
    build_setup(app, make_user, hide_from_practice=False)
    login("ann@example.org")
    with app.app_context():
        engine = db.engine
        url = engine.url
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", seen)
    try:
        assert client.get("/practice/sigmoid-affine/5").status_code == 200
        assert client.get("/practice/sigmoid-affine/6").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert sum("assignment_items" in s for s in statements) <= 1

    # A change committed by this process is seen at once.
    with app.app_context():
        db.session.execute(db.select(Assignment)).scalar_one().hide_from_practice = True
        db.session.commit()
    assert client.get("/practice/sigmoid-affine/5").status_code == 403

    # One committed by another process (another engine here) within the cache's seconds.
    other = create_engine(url)
    with other.begin() as conn:
        conn.execute(text("UPDATE assignments SET hide_from_practice = :no"), {"no": False})
    other.dispose()
    ticks["t"] += hidden_module.CACHE_SECONDS - 0.1
    assert client.get("/practice/sigmoid-affine/5").status_code == 403
    ticks["t"] += 0.2
    assert client.get("/practice/sigmoid-affine/5").status_code == 200
