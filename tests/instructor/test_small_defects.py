"""Issue 13's smaller defects: the New course form, Markdown instructions, item analysis
headings and plurals, reorder buttons, and the settings form's copy warnings."""

import re
from datetime import timedelta

from app.extensions import db
from app.models.assignment import Assignment
from app.services.assignments import submissions
from app.web.coursework import routes as coursework_routes
from tests.instructor.conftest import DUE, build_setup


def test_a_mistyped_time_zone_keeps_the_title(client, login, make_user):
    from app.models import Role

    make_user("teach@example.org", role=Role.INSTRUCTOR)
    login("teach@example.org")
    reply = client.post("/courses/new", data={"title": "Deep Learning σ", "timezone": "Europe/Pariss"})
    page = reply.get_data(as_text=True)
    assert reply.status_code == 422
    assert 'value="Deep Learning σ"' in page and 'value="Europe/Pariss"' in page
    assert 'id="timezone-errors"' in page and "is not a time zone name" in page
    assert 'aria-invalid="true"' in page
    empty = client.post("/courses/new", data={"title": "", "timezone": "UTC"})
    assert empty.status_code == 422 and 'id="title-errors"' in empty.get_data(as_text=True)
    made = client.post("/courses/new", data={"title": "Deep Learning", "timezone": "Europe/Paris"})
    assert made.status_code == 302


def test_instructions_are_safe_markdown(app, client, login, make_user, monkeypatch):
    s = build_setup(app, make_user)
    with app.app_context():
        db.session.get(Assignment, s.assignment_id).instructions = (
            "First **bold** paragraph.\n\nSecond one with [notes](https://example.org/n) and "
            "[bad](javascript:alert(1)).\n\n<script>alert(1)</script> <b onclick=x>raw</b>")
        db.session.commit()
    monkeypatch.setattr(coursework_routes, "clock", lambda: DUE - timedelta(days=1))
    login("ann@example.org")
    page = client.get(f"/courses/{s.course_id}/work/{s.assignment_id}").get_data(as_text=True)
    block = page[page.index('data-testid="instructions"'):]
    block = block[:block.index("</div>")]
    assert "<p>First <strong>bold</strong> paragraph.</p>" in block
    assert block.count("<p>") == 3
    assert '<a href="https://example.org/n" rel="nofollow noopener">notes</a>' in block
    assert "javascript:" not in block and "<a>bad</a>" in block
    assert "<script>" not in block and "&lt;script&gt;" in block
    assert "<b onclick" not in block and "&lt;b onclick=x&gt;" in block


def test_item_analysis_names_templates_and_counts_in_words(app, client, login, make_user):
    s = build_setup(app, make_user)
    ann = s.student_ids[0]
    with app.app_context():
        from app.checker.results import GradeOutcome, Verdict
        from app.models.assignment import AssignmentItem
        from app.services.assignments.variants import seed_for

        assignment = db.session.get(Assignment, s.assignment_id)
        item = db.session.get(AssignmentItem, s.item_ids[0])
        submissions.record(assignment, item, ann, seed_for(assignment, item, ann), "x",
                           GradeOutcome(Verdict.INCORRECT), DUE - timedelta(days=1))
        db.session.commit()
    login("teach@example.org")
    page = client.get(f"/courses/{s.course_id}/grades/assignments/{s.assignment_id}/analysis"
                      ).get_data(as_text=True)
    from app.bank import load_bank

    title = load_bank(app.config["PROBLEMS_DIR"]).get("sigmoid-affine").title
    assert f"Item 1: {title}</h2>" in page
    assert "<code>sigmoid-affine</code>" not in page
    assert "1 student tried it" in page and "(1 attempt)" in page
    assert "0 students tried it" in page and "(0 attempts)" in page


def test_no_up_on_the_first_item_nor_down_on_the_last(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    page = client.get(f"/courses/{s.course_id}/assignments/{s.assignment_id}").get_data(
        as_text=True)
    assert page.count('data-testid="move-up"') == 1 and page.count('data-testid="move-down"') == 1
    assert "Move item 1 down" in page and "Move item 1 up" not in page
    assert "Move item 2 up" in page and "Move item 2 down" not in page


def _settings(s, **changes):
    values = {"title": "Week 1", "instructions": "", "open_at": "2026-02-22T23:59",
              "due_at": "2026-03-01T23:59", "attempts_allowed": "3",
              "wrong_attempt_penalty": "0", "late_penalty_per_day": "0",
              "late_penalty_cap": "0", "form_credit": "0", "solution_reveal": "after_due"}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def test_settings_warn_when_the_solution_can_be_copied_for_credit(app, client, login,
                                                                   make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    url = f"/courses/{s.course_id}/assignments/{s.assignment_id}"
    assert 'data-testid="settings-warning"' not in client.get(url).get_data(as_text=True)

    client.post(url, data=_settings(s, solution_reveal="after_miss"))
    page = client.get(url).get_data(as_text=True)
    assert page.count('data-testid="settings-warning"') == 1
    assert "still earn 100 % of the points" in page
    # Saved all the same: a warning, not a refusal.
    with app.app_context():
        assert db.session.get(Assignment, s.assignment_id).solution_reveal.value == "after_miss"

    client.post(url, data=_settings(s, solution_reveal="after_miss", wrong_attempt_penalty="40"))
    assert "still earn 60 % of the points" in client.get(url).get_data(as_text=True)
    client.post(url, data=_settings(s, solution_reveal="after_miss", attempts_allowed="1"))
    assert 'data-testid="settings-warning"' not in client.get(url).get_data(as_text=True)

    client.post(url, data=_settings(s, accept_late="y", late_penalty_per_day="10",
                                    late_penalty_cap="50"))
    page = client.get(url).get_data(as_text=True)
    assert "a late answer copied from it earns 50 % of the points" in page
    client.post(url, data=_settings(s, accept_late="y", late_penalty_per_day="10",
                                    late_penalty_cap="50", solution_reveal="never"))
    assert 'data-testid="settings-warning"' not in client.get(url).get_data(as_text=True)
    # A refused form shows the warning for what was typed.
    typed = client.post(url, data=_settings(s, solution_reveal="after_miss", due_at="bad"))
    assert typed.status_code == 400 and 'data-testid="settings-warning"' in typed.get_data(
        as_text=True)


def test_hide_from_practice_is_a_setting(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    url = f"/courses/{s.course_id}/assignments/{s.assignment_id}"
    client.post(url, data=_settings(s, hide_from_practice="y"))
    with app.app_context():
        assert db.session.get(Assignment, s.assignment_id).hide_from_practice is True
    box = re.search(r'<input[^>]*name="hide_from_practice"[^>]*>',
                    client.get(url).get_data(as_text=True)).group(0)
    assert "checked" in box
