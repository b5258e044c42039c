"""A bank file that changes under an assignment's item is shown, and can be accepted."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import ItemSource, Job
from tests.authoring.helpers import FIXED
from tests.instructor.conftest import build_setup

REPO_PROBLEMS = Path(__file__).resolve().parents[2] / "problems"


@pytest.fixture
def problems(tmp_path) -> Path:
    folder = tmp_path / "problems"
    shutil.copytree(REPO_PROBLEMS, folder)
    return folder


@pytest.fixture
def app(sqlite_url, tmp_path, problems):
    from tests.conftest import _make_app

    yield from _make_app(sqlite_url, tmp_path, CHECK_TIMEOUT_SECONDS=15,
                         PROBLEMS_DIR=str(problems), JOBS_EMBEDDED_THREAD=False)


def test_a_changed_bank_file_is_flagged_until_accepted(app, client, login, make_user,
                                                       problems):
    s = build_setup(app, make_user)
    login("teach@example.org")
    edit = f"/courses/{s.course_id}/assignments/{s.assignment_id}"
    assert client.post(f"{edit}/items", data={"template_id": "softplus",
                                              "points": 1}).status_code == 302
    client.post(f"/courses/{s.course_id}/templates/new", data={"source": FIXED,
                                                               "action": "save"})
    client.post(f"{edit}/items", data={"template_id": f"c{s.course_id}.scaled-sigmoid.v1",
                                       "points": 1})
    with app.app_context():
        # The bank item has its file's hash; the course template's reference needs none.
        assert len(db.session.scalars(select(ItemSource)).all()) == 1
    assert 'data-testid="bank-changed"' not in client.get(edit).get_data(as_text=True)

    path = problems / "softplus.yaml"
    path.write_text(path.read_text() + "# reworded\n")
    page = client.get(edit).get_data(as_text=True)
    assert 'data-testid="bank-changed"' in page and "item 3 changed" in page

    accepted = client.post(f"/courses/{s.course_id}/templates/bank-files/{s.assignment_id}")
    assert accepted.status_code == 302
    assert 'data-testid="bank-changed"' not in client.get(edit).get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Job.id)) is None  # nothing answered: no regrade
    login("ann@example.org")
    assert client.post(f"/courses/{s.course_id}/templates/bank-files/{s.assignment_id}"
                       ).status_code == 403
