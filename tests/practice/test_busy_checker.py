"""A submission the checker is too busy to start on: a clear 503, the answer kept in the box,
and nothing recorded or counted."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app import create_app
from app.extensions import checker_of, db
from app.models.practice import PracticeSubmission
from app.models.user import Role
from app.services.accounts import users
from tests.checker.holding import hold, wait_for
from tests.conftest import TEST_PASSWORD, base_config
from tests.practice.conftest import BANK, sigmoid_answers


def test_a_busy_checker_grades_nothing_and_records_nothing(sqlite_url, tmp_path):
    app = create_app(base_config(sqlite_url, PROBLEMS_DIR=str(BANK), CHECK_WORKERS=1,
                                 CHECK_SLOW_WORKERS=0, CHECK_QUEUE_SECONDS=0.3))
    app.instance_path = str(tmp_path / "instance")
    checker = checker_of(app)
    try:
        with app.app_context():
            db.create_all()
            users.create_user("bo@example.org", "Bo", TEST_PASSWORD, Role.STUDENT)
            db.session.commit()
        client = app.test_client()
        client.post("/auth/login", data={"email": "bo@example.org", "password": TEST_PASSWORD})
        page = "/practice/sigmoid-affine/5"
        assert client.get(page).status_code == 200  # the view is built and cached
        answer = sigmoid_answers(5)["correct"]
        holder = threading.Thread(target=checker.run, args=(hold, 3), daemon=True)
        holder.start()
        wait_for(lambda: checker.pool.free == 0)
        response = client.post(page, data={"answer": answer})
        holder.join()
        html = response.get_data(as_text=True)
        assert response.status_code == 503
        assert response.headers["Retry-After"]
        assert 'data-testid="checker-busy"' in html and "not graded" in html
        assert 'data-testid="verdict"' not in html
        assert f'value="{answer}"' in html  # kept in the box, to send again
        with app.app_context():
            assert db.session.scalar(select(func.count(PracticeSubmission.id))) == 0
        # Once a worker is free, the same answer is graded and recorded.
        again = client.post(page, data={"answer": answer})
        assert again.status_code == 200 and 'data-verdict="correct"' in again.get_data(True)
        with app.app_context():
            assert db.session.scalar(select(func.count(PracticeSubmission.id))) == 1
    finally:
        checker.close()
        with app.app_context():
            db.engine.dispose()
