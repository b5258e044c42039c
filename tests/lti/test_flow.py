"""The whole LTI flow against the test platform: register, instructor deep link (creating the
course), learner launch, answers, scores received and verified at the platform, roster sync."""

from __future__ import annotations

from datetime import datetime

from app.extensions import db
from app.jobs import runner
from app.models import Course, EnrolmentRole
from app.services.courses import membership
from tests.instructor.helpers import right_answer
from tests.lti.conftest import Flow, place_assignment, register, user_by_name
from tests.lti.platform import LEARNER


def test_register_deep_link_launch_answer_passback_and_roster(app, client, people):
    lms = people
    platform_id = register(app, lms)
    assert platform_id == 1
    flow, course_id, assignment_id, item_ids, link = place_assignment(app, client, lms)
    assert link.url == lms.tool["launch_url"]
    assert link.custom == {"gradwork_assignment_id": str(assignment_id)}
    assert (link.line_item.score_maximum, link.line_item.label) == (4, "Week 1")

    client.post("/auth/logout")
    response, _ = flow.launch("learner-1", hint=link.id)
    assert response.status_code == 303
    assert response.headers["Location"] == f"/courses/{course_id}/work/{assignment_id}"
    assert "SameSite=None" in response.headers["Set-Cookie"]
    page = flow.follow(response)
    assert page.status_code == 200 and "Lena Learner" in page.get_data(as_text=True)
    assert f"frame-ancestors 'self' {lms.url}" in page.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in page.headers

    student = user_by_name(app, "Lena Learner")
    answer = right_answer(app, assignment_id, item_ids[0], student)
    item_url = f"/courses/{course_id}/work/{assignment_id}/items/{item_ids[0]}"
    assert client.post(item_url, data={"answer": answer}).status_code == 200
    with app.app_context():
        assert runner.sweep() == (0, 1)
    [score] = link.line_item.results.values()
    assert score["userId"] == "learner-1"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (2, 4)
    assert (score["activityProgress"], score["gradingProgress"]) == ("InProgress", "FullyGraded")
    assert datetime.fromisoformat(score["timestamp"]).utcoffset() is not None

    second = right_answer(app, assignment_id, item_ids[1], student)
    client.post(f"/courses/{course_id}/work/{assignment_id}/items/{item_ids[1]}",
                data={"answer": second})
    with app.app_context():
        runner.sweep()
    score = link.line_item.results["learner-1"]
    assert (score["scoreGiven"], score["activityProgress"]) == (4, "Completed")
    assert link.line_item.accepted == 2

    lms.add_member("learner-3", "Lou Learner", LEARNER)
    lms.members["learner-2"].status = "Inactive"
    synced = app.test_cli_runner().invoke(args=["lti", "sync-roster", "--course",
                                                str(course_id)])
    assert synced.exit_code == 0, synced.output
    assert synced.output.strip().splitlines()[-1] == \
        "1 enrolled, 2 already enrolled, 0 no longer in the context"
    with app.app_context():
        course = db.session.get(Course, course_id)
        students = {u.display_name for u in membership.members(course, EnrolmentRole.STUDENT)}
        assert students == {"Lena Learner", "Lou Learner"}
    lms.members.pop("learner-1")
    again = app.test_cli_runner().invoke(args=["lti", "sync-roster", "--course",
                                               str(course_id)])
    assert again.output.strip().splitlines()[-1] == \
        "0 enrolled, 2 already enrolled, 1 no longer in the context"


def test_learner_before_setup_and_learner_deep_link_are_refused(app, client, people):
    register(app, people)
    flow = Flow(app, client, people)
    people.links["rl-x"] = type("L", (), {"id": "rl-x", "title": "x", "url": "u", "custom": {},
                                          "line_item": None})()
    response, _ = flow.launch("learner-1", hint="rl-x")
    assert response.status_code == 403
    assert "not set up GradWork" in response.get_data(as_text=True)
    response, _ = flow.launch("learner-1", hint="deep-link")
    assert response.status_code == 403
    assert "Only instructors" in response.get_data(as_text=True)


def test_instructor_links_context_to_existing_course_with_cli(app, client, people, make_user):
    from app.models import Role, User

    platform_id = register(app, people)
    owner = make_user("owner@example.org", role=Role.INSTRUCTOR, name="Owner")
    with app.app_context():
        course = membership.create_course("Existing", db.session.get(User, owner))
        db.session.commit()
        course_id = course.id
    linked = app.test_cli_runner().invoke(args=[
        "lti", "link-context", "--platform", str(platform_id), "--context", "ctx-101",
        "--course", str(course_id)])
    assert linked.exit_code == 0, linked.output
    response, _ = Flow(app, client, people).launch("teacher-1", hint="deep-link")
    assert response.status_code == 303 and response.headers["Location"].endswith("/deep-link")
    with app.app_context():
        course = db.session.get(Course, course_id)
        names = {u.display_name for u in membership.members(course, EnrolmentRole.INSTRUCTOR)}
        assert names == {"Owner", "Tess Teacher"}
