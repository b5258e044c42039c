"""Role x route access: students never reach instructor pages or other students' data;
instructors only reach their own courses."""

import pytest


def instructor_get_urls(s):
    c, a = s.course_id, s.assignment_id
    return [
        f"/courses/{c}/assignments/new",
        f"/courses/{c}/assignments/{a}",
        f"/courses/{c}/grades/",
        f"/courses/{c}/grades/chart.svg",
        f"/courses/{c}/grades/assignments/{a}",
        f"/courses/{c}/grades/export/gradebook.csv",
        f"/courses/{c}/grades/export/submissions.csv",
        f"/courses/{c}/grades/export/canvas.csv",
        f"/courses/{c}/grades/students/{s.student_ids[1]}",
    ]


def instructor_post_urls(s):
    c, a, i = s.course_id, s.assignment_id, s.item_ids[0]
    return [
        f"/courses/{c}/join-code",
        f"/courses/{c}/students",
        f"/courses/{c}/instructors",
        f"/courses/{c}/members/{s.student_ids[0]}/remove",
        f"/courses/{c}/assignments/{a}/status",
        f"/courses/{c}/assignments/{a}/recompute",
        f"/courses/{c}/assignments/{a}/items/{i}/remove",
        f"/courses/{c}/assignments/{a}/items/{i}/points",
        f"/courses/{c}/assignments/{a}/items/{i}/move",
    ]


def test_owner_reaches_every_instructor_page(client, login, setup):
    login("teach@example.org")
    for url in instructor_get_urls(setup):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize(("email", "status"), [
    ("ann@example.org", 403),      # a student of the course
    ("other@example.org", 404),    # an instructor of another course
])
def test_others_are_kept_out_of_instructor_pages(client, login, setup, email, status):
    login(email)
    for url in instructor_get_urls(setup):
        assert client.get(url).status_code == status, url
    for url in instructor_post_urls(setup):
        assert client.post(url, data={"email": "ben@example.org", "status": "draft",
                                      "points": "9"}).status_code == status, url


def test_anonymous_visitors_are_sent_to_login(client, setup):
    for url in [*instructor_get_urls(setup), f"/courses/{setup.course_id}",
                f"/courses/{setup.course_id}/work/{setup.assignment_id}"]:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.location, url


def test_course_page_depends_on_membership(client, login, setup):
    url = f"/courses/{setup.course_id}"
    login("outsider@example.org")
    assert client.get(url).status_code == 404
    assert client.get(f"/courses/{setup.course_id}/work/{setup.assignment_id}").status_code == 404
    client.post("/auth/logout")
    login("ann@example.org")
    page = client.get(url).get_data(as_text=True)
    assert "Week 1" in page and "join-code" not in page and "ben@example.org" not in page
    assert client.get(f"/courses/{setup.course_id}/work/{setup.assignment_id}").status_code == 200


def test_instructors_are_not_students(client, login, setup):
    login("teach@example.org")
    # The student pages send an instructor of the course to try them as a student.
    reply = client.get(f"/courses/{setup.course_id}/work/{setup.assignment_id}")
    assert reply.status_code == 302 and reply.location.endswith(f"/work/{setup.assignment_id}/try")


def test_course_list_shows_only_own_courses(client, login, setup, app):
    from app.extensions import db
    from app.models import User
    from app.services.courses import membership

    with app.app_context():
        other = db.session.scalar(db.select(User).where(User.email == "other@example.org"))
        membership.create_course("Someone else's course", other)
        db.session.commit()
    login("teach@example.org")
    page = client.get("/courses/").get_data(as_text=True)
    assert "Deep Learning" in page and "Someone else" not in page


def test_join_code_enrols_and_regenerating_revokes_it(client, login, setup, make_user, app):
    from app.extensions import db
    from app.models import Course

    make_user("new@example.org")
    with app.app_context():
        code = db.session.get(Course, setup.course_id).join_code
    login("teach@example.org")
    client.post(f"/courses/{setup.course_id}/join-code")
    client.post("/auth/logout")
    login("new@example.org")
    refused = client.post("/courses/join", data={"code": code}, follow_redirects=True)
    assert "No course has this join code" in refused.get_data(as_text=True)
    with app.app_context():
        fresh = db.session.get(Course, setup.course_id).join_code
    assert fresh != code
    joined = client.post("/courses/join", data={"code": fresh.lower()})
    assert joined.status_code == 302 and joined.location.endswith(f"/courses/{setup.course_id}")
