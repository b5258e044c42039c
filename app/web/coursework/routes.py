"""The student side of assignments: the item list and an item page that reuses the practice
components (answer box, preview, verdict, solution) under the assignment's rules."""

from __future__ import annotations

import time
from functools import partial

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.cas.i18n import N_
from app.checker.client import CheckerBusy, Unavailable
from app.checker.results import UnknownVariant, Verdict
from app.extensions import db
from app.models import Course
from app.models.base import utcnow
from app.services.assignments import builder, sandbox, submissions
from app.services.assignments import part_answers as parts_service
from app.services.assignments.variants import seed_for
from app.services.courses import membership
from app.services.courses.timezones import display
from app.services.errors import ServiceError
from app.web import part_answers
from app.web.answer_text import busy_headers, pace_heavy, refusal
from app.web.checker import checker
from app.web.course_access import student_assignment
from app.web.coursework import bp


def clock():
    """The current time; tests replace it to move across deadlines."""
    return utcnow()


def _instructor_elsewhere(course_id: int, endpoint: str, **ids):
    """An instructor of the course who opens a student page is sent to try it as a student
    (a sandbox); None for everyone else."""
    course = db.session.get(Course, course_id)
    if course is None or membership.is_course_student(course, current_user):
        return None
    if membership.is_course_instructor(course, current_user):
        return redirect(url_for(endpoint, course_id=course_id, **ids))
    return None


@bp.route("/<int:assignment_id>")
@login_required
def assignment(course_id: int, assignment_id: int):
    elsewhere = _instructor_elsewhere(course_id, "coursework.try_assignment",
                                      assignment_id=assignment_id)
    if elsewhere is not None:
        return elsewhere
    course, assignment = student_assignment(course_id, assignment_id)
    items = submissions.progress(assignment, current_user.id)
    due = submissions.policy_for(assignment, None, current_user.id).due_at
    return render_template("coursework/assignment.html", course=course, assignment=assignment,
                           items=items, display=display, now=clock(), due=due)


def _view(assignment, item):
    try:
        return checker().view(item.template_id, seed_for(assignment, item, current_user.id))
    except (Unavailable, UnknownVariant):
        abort(503, N_("This problem could not be prepared right now; please try again shortly."))


def item_page(course, assignment, item, *, answer="", outcome=None, refusal=None,
              status=200, busy=False, store=submissions, sandbox=False, parts=None,
              answers=(), part_outcomes=None):
    """The item page; `store` keeps the attempts (`submissions`, or `sandbox` when an
    instructor tries the assignment as a student)."""
    view = _view(assignment, item)
    item_progress = store.item_progress(assignment, item, current_user.id)
    now = clock()
    # A solved item takes no more answers, and saying why (no attempts left) would only
    # read like a complaint next to the "Correct" verdict.
    open_for_answers = refusal is None and not item_progress.solved
    if open_for_answers:
        try:
            store.check_can_submit(assignment, item, current_user.id, now,
                                   used=item_progress.attempts_used)
        except ServiceError as exc:
            refusal, open_for_answers = str(exc), False
    history = store.history(item, current_user.id, latest=store.HISTORY_SHOWN)
    return render_template(
        "coursework/item.html", course=course, assignment=assignment, item=item, view=view,
        answer=answer, outcome=outcome, refusal=refusal, open_for_answers=open_for_answers,
        progress=item_progress, history=history,
        earlier=item_progress.attempts_used - len(history),
        show_solution=submissions.solution_visible(assignment, item_progress, now),
        display=display, busy=busy, sandbox=sandbox, now=now, parts_outcome=parts,
        part_outcomes=part_outcomes or ({p.part_id: p for p in parts.parts} if parts else {}),
        answers=dict(zip((p.part_id for p in view.parts), answers, strict=False)),
    ), status, busy_headers(busy)


@bp.route("/<int:assignment_id>/items/<int:item_id>", methods=["GET", "POST"])
@login_required
def item(course_id: int, assignment_id: int, item_id: int):
    elsewhere = _instructor_elsewhere(course_id, "coursework.try_item",
                                      assignment_id=assignment_id, item_id=item_id)
    if elsewhere is not None:
        return elsewhere
    course, assignment = student_assignment(course_id, assignment_id)
    return answer_item(course, assignment, item_id, submissions)


def answer_item(course, assignment, item_id: int, store, sandbox: bool = False):
    """GET shows the item, POST grades an answer and keeps it in `store`."""
    started = time.monotonic()
    try:
        item = builder.get_item(assignment, item_id)
    except ServiceError:
        abort(404)
    page = partial(item_page, course, assignment, item, store=store, sandbox=sandbox)
    if request.method == "GET":
        return page()
    view = _view(assignment, item)
    if view.parts:
        return _submit_parts(page, assignment, item, view, store, started)
    answer = request.form.get("answer", "")
    refused = refusal(answer)
    if refused is not None:
        pace_heavy(started, [answer], [refused])
        return page(answer=answer, outcome=refused, status=422)
    try:
        outcome, _stored = store.submit_answer(assignment, item, current_user.id, answer,
                                               checker(), clock)
    except ServiceError as exc:
        db.session.rollback()
        return page(answer=answer, refusal=str(exc), status=409)
    except UnknownVariant:
        abort(404)
    except CheckerBusy:
        db.session.rollback()
        pace_heavy(started, [answer])
        return page(answer=answer, status=503, busy=True)
    db.session.commit()
    pace_heavy(started, [answer], [outcome])
    return page(answer="" if outcome.valid else answer, outcome=outcome,
                status=422 if outcome.verdict is Verdict.INVALID else 200)


def _submit_parts(page, assignment, item, view, store, started: float):
    """Every part's box graded together: one attempt (app.services.assignments.part_answers,
    or the sandbox's own when an instructor tries it)."""
    answers, refused = part_answers.read(view)
    page = partial(page, answers=answers)
    if refused:
        pace_heavy(started, answers, (p.outcome for p in refused.values()))
        return page(part_outcomes=refused, status=422)
    submit = sandbox.submit_parts if store is sandbox else parts_service.submit_parts
    try:
        graded, _stored = submit(assignment, item, current_user.id, answers, checker(), clock)
    except ServiceError as exc:
        db.session.rollback()
        return page(refusal=str(exc), status=409)
    except UnknownVariant:
        abort(404)
    except CheckerBusy:
        db.session.rollback()
        pace_heavy(started, answers)
        return page(status=503, busy=True)
    db.session.commit()
    pace_heavy(started, answers, (p.outcome for p in graded.parts))
    return page(parts=graded, status=200 if graded.counted else 422)
