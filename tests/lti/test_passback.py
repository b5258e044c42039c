"""Grade passback through the outbox: an LMS that fails then recovers gets the latest score
exactly once; a worker killed mid-delivery duplicates nothing the LMS would count twice;
recomputed penalties and permanent failures (shown to the instructor, retried on request)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.extensions import db
from app.jobs import runner
from app.models.base import utcnow
from app.models.lti import OutboxStatus, ScoreOutbox
from tests.conftest import TEST_SECRET
from tests.instructor.helpers import right_answer
from tests.lti.conftest import BASE_URL, learner_launched

ROOT = Path(__file__).resolve().parents[2]


def _answer(client, course_id, assignment_id, item_id, answer):
    url = f"/courses/{course_id}/work/{assignment_id}/items/{item_id}"
    response = client.post(url, data={"answer": answer})
    assert response.status_code == 200, response.get_data(as_text=True)


def _time_passes(app, **expire) -> None:
    """Make every pending retry due now (as if its backoff had elapsed)."""
    with app.app_context():
        db.session.execute(update(ScoreOutbox).values(next_attempt_at=utcnow(), **expire))
        db.session.commit()


def _rows(app):
    with app.app_context():
        return [(r.status, r.version, r.delivered_version, r.attempts, r.last_error)
                for r in db.session.scalars(select(ScoreOutbox))]


def test_lms_down_then_up_gets_the_latest_score_exactly_once(app, client, people):
    lms = people
    _flow, course_id, assignment_id, item_ids, link, student = learner_launched(app, client,
                                                                                lms)
    lms.score_failures = 3
    _answer(client, course_id, assignment_id, item_ids[0], "x")  # wrong: 0 points
    with app.app_context():
        assert runner.sweep() == (0, 0)
    [(status, version, delivered, attempts, error)] = _rows(app)
    assert (status, version, delivered, attempts) == (OutboxStatus.PENDING, 1, 0, 1)
    assert "503" in error and "LMS is down" in error
    with app.app_context():
        assert runner.sweep() == (0, 0)  # not due yet: the backoff holds it

    answer = right_answer(app, assignment_id, item_ids[0], student)
    _answer(client, course_id, assignment_id, item_ids[0], answer)  # now 2 points
    delivered = 0
    for _ in range(5):
        _time_passes(app)
        with app.app_context():
            delivered += runner.sweep()[1]
    assert delivered == 1
    assert lms.score_failures == 0
    line = link.line_item
    assert len(line.posts) == 1 and line.accepted == 1
    assert line.results["learner-1"]["scoreGiven"] == 2
    [(status, version, delivered_version, _, error)] = _rows(app)
    assert (status, version, delivered_version, error) == (OutboxStatus.DELIVERED, 2, 2, None)

    page = client.get(f"/courses/{course_id}/work/{assignment_id}")
    assert page.status_code == 200


def test_worker_killed_mid_delivery_duplicates_nothing(app, client, people, sqlite_url):
    lms = people
    _flow, course_id, assignment_id, item_ids, link, student = learner_launched(app, client,
                                                                                lms)
    answer = right_answer(app, assignment_id, item_ids[0], student)
    lms.score_gate = threading.Event()
    _answer(client, course_id, assignment_id, item_ids[0], answer)

    env = {**{k: v for k, v in os.environ.items() if not k.startswith("GRADWORK_")},
           "DATABASE_URL": sqlite_url, "SECRET_KEY": TEST_SECRET, "GRADWORK_BASE_URL": BASE_URL}
    worker = subprocess.Popen([sys.executable, "-m", "flask", "--app", "app", "jobs", "worker"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while lms.inflight == 0 and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.1)
        assert lms.inflight == 1, "the worker never sent the score"
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
    lms.score_gate.set()  # the LMS finishes storing the score nobody heard back about
    lms.score_gate = None
    deadline = time.monotonic() + 10
    while not link.line_item.posts and time.monotonic() < deadline:
        time.sleep(0.05)

    [(status, _, delivered_version, attempts, _)] = _rows(app)
    assert (status, delivered_version, attempts) == (OutboxStatus.PENDING, 0, 1)
    with app.app_context():
        assert runner.sweep() == (0, 0)  # the dead worker's lease still holds the row
    _time_passes(app, lease_until=utcnow() - timedelta(seconds=1))
    with app.app_context():
        assert runner.sweep() == (0, 1)
    line = link.line_item
    assert len(line.posts) == 2
    assert line.posts[0] == line.posts[1]  # the very same score, same timestamp
    assert line.accepted == 1
    assert line.results["learner-1"]["scoreGiven"] == 2


def test_recomputed_penalty_is_published(app, client, people):
    lms = people
    _flow, course_id, assignment_id, item_ids, link, student = learner_launched(app, client,
                                                                                lms)
    _answer(client, course_id, assignment_id, item_ids[0],
            right_answer(app, assignment_id, item_ids[0], student))
    with app.app_context():
        runner.sweep()
    assert link.line_item.results["learner-1"]["scoreGiven"] == 2
    from app.models.assignment import Assignment
    from app.services.assignments import builder

    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        builder.set_item_points(assignment, item_ids[0], 3)
        assert len(builder.recompute_scores(assignment)) == 1
        db.session.commit()
        runner.sweep()
    result = link.line_item.results["learner-1"]
    assert (result["scoreGiven"], result["scoreMaximum"]) == (3, 5)


def test_permanent_failure_is_shown_and_retried_by_the_instructor(app, client, people):
    lms = people
    flow, course_id, assignment_id, item_ids, link, student = learner_launched(app, client, lms)
    lms.score_failures, lms.score_failure_status = 1, 400
    _answer(client, course_id, assignment_id, item_ids[0], "x")
    with app.app_context():
        runner.sweep()
    [(status, *_rest, error)] = _rows(app)
    assert status == OutboxStatus.FAILED and "HTTP 400" in error

    client.post("/auth/logout")
    response, _ = flow.launch("teacher-1", hint=link.id)
    assert response.headers["Location"] == f"/courses/{course_id}/assignments/{assignment_id}"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'data-testid="passback-failed">1<', page)
    assert "LMS is down" in page
    retry = client.post(f"/lti/courses/{course_id}/assignments/{assignment_id}/passback/retry")
    assert retry.status_code == 302
    with app.app_context():
        assert runner.sweep() == (0, 1)
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r'data-testid="passback-delivered">1<', page)
    assert link.line_item.results["learner-1"]["scoreGiven"] == 0


@pytest.mark.parametrize("lineitem, expected", [
    ("https://lms.example/api/lineitems/7", "https://lms.example/api/lineitems/7/scores"),
    ("https://lms.example/mod/lti/services.php/2/lineitems/9/lineitem?type_id=3",
     "https://lms.example/mod/lti/services.php/2/lineitems/9/lineitem/scores?type_id=3"),
    ("https://lms.example/li/5/?a=1&b=2", "https://lms.example/li/5/scores?a=1&b=2"),
])
def test_scores_url_keeps_the_query(lineitem, expected):
    from app.services.lti.passback import scores_url

    assert scores_url(lineitem) == expected
