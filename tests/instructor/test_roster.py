"""Roster CSV import: a per-row report, and clear refusals for unusable files."""

import pytest

from app.extensions import db
from app.models import Course
from app.services.courses import roster
from app.services.errors import ServiceError


def _import(app, setup, data: bytes):
    with app.app_context():
        course = db.session.get(Course, setup.course_id)
        results = roster.import_roster(course, data)
        db.session.commit()
        return [(r.line, r.email, r.status.value) for r in results]


def test_rows_are_added_skipped_or_invalid(app, setup, make_user):
    make_user("cleo@example.org")
    data = (b"Name,Email\nCleo,CLEO@example.org\nAnn,ann@example.org\nNobody,nobody@example.org\n"
            b"Bad,not-an-email\nCleo again,cleo@example.org\nEmpty,\n")
    assert _import(app, setup, data) == [
        (2, "cleo@example.org", "added"),
        (3, "ann@example.org", "skipped"),
        (4, "nobody@example.org", "skipped"),
        (5, "not-an-email", "invalid"),
        (6, "cleo@example.org", "skipped"),
        (7, "", "invalid"),
    ]
    # A second upload changes nothing.
    assert [s for *_, s in _import(app, setup, data)].count("added") == 0


def test_one_email_per_line_with_bom_and_semicolons(app, setup, make_user):
    make_user("dan@example.org")
    assert _import(app, setup, "\ufeffdan@example.org\n".encode()) == [
        (1, "dan@example.org", "added")]
    make_user("eve@example.org")
    assert _import(app, setup, b"name;email\nEve;eve@example.org\n") == [
        (2, "eve@example.org", "added")]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    ("émile@example.org\n".encode("latin-1"), "not UTF-8"),
    (b"a,b\nc,d\n", "no header"),
    (b"x" * (roster.MAX_ROSTER_BYTES + 1), "larger than"),
])
def test_unusable_files_are_refused_clearly(app, setup, data, message):
    with app.app_context(), pytest.raises(ServiceError, match=message):
        roster.import_roster(db.session.get(Course, setup.course_id), data)


def test_upload_route_reports_each_row(client, login, setup):
    import io

    login("teach@example.org")
    response = client.post(f"/courses/{setup.course_id}/roster", data={
        "roster": (io.BytesIO(b"email\nann@example.org\nbroken\n"), "roster.csv")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "0 added, 1 skipped, 1 invalid." in page
    bad = client.post(f"/courses/{setup.course_id}/roster", data={
        "roster": (io.BytesIO(b"\xff\xfe\x00bad"), "roster.csv")},
        content_type="multipart/form-data")
    assert bad.status_code == 303
