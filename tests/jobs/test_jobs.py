"""Regrade and exports as jobs: started from the pages, run by a worker, progress as JSON;
the embedded thread without Redis; RQ with Redis."""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from app.extensions import db
from app.jobs import dispatch, embedded, runner
from app.models import Job, JobStatus
from app.models.assignment import Submission, Verdict
from tests.conftest import _make_app
from tests.instructor.helpers import right_answer


def _submit(app, client, login, s, answers):
    login("ann@example.org")
    for item_index, answer in answers:
        url = f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[item_index]}"
        assert client.post(url, data={"answer": answer}).status_code == 200
    client.post("/auth/logout")


def _edit_url(s):
    return f"/courses/{s.course_id}/assignments/{s.assignment_id}"


def test_regrade_from_the_page_with_progress_json(app, client, login, setup):
    s = setup
    _submit(app, client, login, s, [(0, "x"), (0, right_answer(app, s.assignment_id,
                                                             s.item_ids[0], s.student_ids[0]))])
    with app.app_context():  # an old verdict the current engine disagrees with
        first = db.session.scalar(select(Submission).order_by(Submission.id))
        first.verdict = Verdict.CORRECT
        db.session.commit()
    login("teach@example.org")
    page = client.get(_edit_url(s)).get_data(as_text=True)
    assert 'data-testid="regrade-button"' in page
    started = client.post(_edit_url(s) + "/regrade")
    assert started.status_code == 302
    again = client.post(_edit_url(s) + "/regrade", follow_redirects=True)
    assert "already running" in again.get_data(as_text=True)
    page = client.get(_edit_url(s)).get_data(as_text=True)
    url = re.search(r'data-job-url="([^"]+)" data-job-kind="regrade"', page).group(1)
    queued = client.get(url).get_json()
    assert (queued["status"], queued["done"], queued["total"]) == ("queued", 0, 2)
    with app.app_context():
        assert runner.sweep() == (1, 0)
    done = client.get(url).get_json()
    assert (done["status"], done["percent"], done["finished"]) == ("done", 100, True)
    assert done["result"]["checked"] == 2 and done["result"]["changed_count"] == 1
    assert done["result"]["changed"][0]["before"] == "correct"
    client.post("/auth/logout")
    login("other@example.org")
    assert client.get(url).status_code == 404


def test_export_job_download(app, client, login, setup):
    s = setup
    login("teach@example.org")
    started = client.post(f"/courses/{s.course_id}/export-jobs/gradebook")
    assert started.status_code == 302
    with app.app_context():
        assert runner.sweep() == (1, 0)
        job = db.session.scalar(select(Job))
        assert job.status == JobStatus.DONE
    page = client.get(f"/courses/{s.course_id}").get_data(as_text=True)
    link = re.search(r'href="(/jobs/\d+/download)" data-testid="export-download"', page).group(1)
    body = client.get(link)
    assert body.status_code == 200 and body.mimetype == "text/csv"
    # The download is the same file as the direct export: UTF-8 with the mark Excel needs.
    assert body.get_data().startswith("\ufeffname,email,Week 1 (".encode())
    assert client.post(f"/courses/{s.course_id}/export-jobs/nonsense").status_code == 404
    client.post("/auth/logout")
    login("other@example.org")
    assert client.get(link).status_code == 404


def test_failed_job_records_its_error(app, setup):
    from app.services.jobs import queue

    with app.app_context():
        job = queue.enqueue("regrade", {"assignment_id": 999999}, None)
        db.session.commit()
        runner.sweep()
        db.session.refresh(job)
        assert job.status == JobStatus.FAILED and "no longer exists" in job.error


def test_embedded_thread_runs_jobs_without_redis(sqlite_url, tmp_path, make_user):
    gen = _make_app(sqlite_url, tmp_path)  # the default: embedded thread on
    app = next(gen)
    try:
        from app.services.jobs import queue

        with app.app_context():
            job = queue.enqueue("regrade", {"assignment_id": 424242}, None)
            db.session.commit()  # the after-commit hook wakes the thread
            job_id = job.id
        deadline = time.monotonic() + 20
        status = None
        while time.monotonic() < deadline:
            with app.app_context():
                status = db.session.get(Job, job_id).status
            if status.finished:
                break
            time.sleep(0.1)
        assert status == JobStatus.FAILED  # it ran (and said why it could not regrade)
    finally:
        worker = embedded.worker_for(app)
        if worker:
            worker.stop()
        next(gen, None)


def test_rq_worker_runs_jobs_from_redis(redis_url, sqlite_url, tmp_path, make_user):
    from rq import SimpleWorker

    from app.services.jobs import queue

    gen = _make_app(sqlite_url, tmp_path, REDIS_URL=redis_url)
    app = next(gen)
    try:
        with app.app_context():
            job = queue.enqueue("export", {"course_id": 1, "format": "gradebook"}, None)
            db.session.commit()  # the after-commit hook puts "run job N" on Redis
            rq_queue = dispatch.rq_queue(redis_url)
            assert rq_queue.count == 1
            assert SimpleWorker([rq_queue], connection=rq_queue.connection).work(burst=True)
            db.session.expire_all()
            assert db.session.get(Job, job.id).status == JobStatus.FAILED  # no course 1
            assert "no longer exists" in db.session.get(Job, job.id).error
    finally:
        next(gen, None)
