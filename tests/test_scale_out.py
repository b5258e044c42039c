"""More than one app server: two instances of the compose `app` command on two ports against
one PostgreSQL database, the same students alternating between them (and racing on both at
once). Sessions, CSRF tokens, attempt limits, practice progress and login throttling hold as
they do on one server, because every piece of state they need is in the database."""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from sqlalchemy import create_engine, select, text

from app import create_app
from app.bank import load_bank
from app.cas.plain import to_plain
from app.extensions import db
from app.models import PracticeSubmission, Role
from app.models.assignment import Assignment, AssignmentItem, AssignmentStatus, Submission
from app.models.base import utcnow
from app.services.accounts import users
from app.services.assignments import builder
from app.services.assignments.variants import seed_for
from app.services.courses import membership
from app.services.practice import progress
from tests.conftest import TEST_PASSWORD, base_config, fresh_postgres_database
from tests.native_service import ROOT, NativeApp, app_command
from tests.practice.test_progress_counters import reference

pytestmark = pytest.mark.slow
# migrations/env.py's lock (not importable: Alembic loads that file itself).
MIGRATION_LOCK_KEY = 0x6772_6164
PASSWORD = TEST_PASSWORD
_CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class Browser:
    """One student's browser: one cookie jar, whichever server it talks to."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def open(self, url: str, form: dict | None = None) -> tuple[int, str]:
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            with self.opener.open(url, data=data, timeout=60) as reply:
                return reply.status, reply.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def token(self, url: str) -> str:
        status, html = self.open(url)
        assert status == 200, html[:300]
        return _CSRF.search(html).group(1)

    def log_in(self, server: str, email: str, password: str = PASSWORD) -> int:
        token = self.token(f"{server}/auth/login")
        status, _ = self.open(f"{server}/auth/login",
                              {"csrf_token": token, "email": email, "password": password})
        return status


@pytest.fixture(scope="module")
def database():
    """One database for the module's two servers (started once: they take a while)."""
    with fresh_postgres_database("gw_scale") as url:
        yield url


@pytest.fixture(scope="module")
def servers(database, tmp_path_factory):
    home = tmp_path_factory.mktemp("servers")
    # Plain HTTP here, so cookies without the Secure flag (compose sets it for HTTPS).
    apps = [NativeApp(database, home, GRADWORK_SECURE_COOKIES="false") for _ in range(2)]
    apps[0].start().wait_healthy()  # migrates the database first
    apps[1].start().wait_healthy()
    yield [a.url for a in apps]
    for app in apps:
        app.stop()


@pytest.fixture(scope="module")
def local(database, servers):
    """The same database, from this process, for seeding and reading."""
    app = create_app(base_config(database))
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def _course(local, attempts: int, student_email: str) -> tuple[str, int, int, int]:
    with local.app_context():
        teacher = users.create_user("teach-" + student_email, "T", PASSWORD, Role.INSTRUCTOR)
        student = users.create_user(student_email, "Ann", PASSWORD)
        course = membership.create_course("Scale", teacher)
        membership.enrol(course, student)
        now = utcnow()
        assignment = builder.create_assignment(course, builder.Settings(
            title="Quiz", instructions="", open_at=now - timedelta(days=1),
            due_at=now + timedelta(days=1), attempts_allowed=attempts))
        item = builder.add_item(assignment, "sigmoid-affine", 1, {"sigmoid-affine"})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        path = f"/courses/{course.id}/work/{assignment.id}/items/{item.id}"
        return path, assignment.id, item.id, student.id


def test_attempt_limit_holds_across_servers(servers, local):
    path, _assignment_id, item_id, student_id = _course(local, 3, "ann@example.org")
    browser = Browser()
    assert browser.log_in(servers[0], "ann@example.org") == 200
    token = browser.token(servers[1] + path)  # the session from server 0 works on server 1
    statuses = []
    for index in range(4):
        status, _ = browser.open(servers[index % 2] + path,
                                 {"csrf_token": token, "answer": f"x + {index}"})
        statuses.append(status)
    # Two more at the same moment, one on each server.
    racing: list[int] = []
    threads = [threading.Thread(target=lambda s=s: racing.append(browser.open(
        s + path, {"csrf_token": token, "answer": "x + 9"})[0])) for s in servers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200, 200, 200, 409] and sorted(racing) == [409, 409]
    with local.app_context():
        numbers = db.session.scalars(select(Submission.attempt_number)
                                     .where(Submission.item_id == item_id,
                                            Submission.student_id == student_id)).all()
        assert sorted(numbers) == [1, 2, 3]


def test_practice_progress_is_exact_across_servers(servers, local):
    with local.app_context():
        users.create_user("bo@example.org", "Bo", PASSWORD)
        db.session.commit()
    bank = load_bank(local.config["PROBLEMS_DIR"])
    browser = Browser()
    assert browser.log_in(servers[1], "bo@example.org") == 200
    token = browser.token(f"{servers[0]}/practice/")
    plan = []
    for seed in range(6):
        variant = bank.variant("sigmoid-affine", 100 + seed)
        right = to_plain(variant.expected)
        wrong = to_plain(variant.mistakes[0].answer) if variant.mistakes else "x"
        plan += [(seed, wrong if seed % 3 == 0 else right), (seed, right)]
    for index, (seed, answer) in enumerate(plan):
        status, _ = browser.open(f"{servers[index % 2]}/practice/sigmoid-affine/{100 + seed}",
                                 {"csrf_token": token, "answer": answer})
        assert status == 200
    with local.app_context():
        user_id = users.find_user_by_email("bo@example.org").id
        rows = db.session.scalars(select(PracticeSubmission)
                                  .where(PracticeSubmission.user_id == user_id)).all()
        expected = reference(rows)["sigmoid-affine"]
        assert progress.report(user_id).templates["sigmoid-affine"] == expected
        assert len(rows) == len(plan)
    line = f"{expected.correct} of {expected.attempted} correct, streak {expected.streak}."
    for server in servers:
        _, html = browser.open(f"{server}/practice/sigmoid-affine/100")
        assert line in " ".join(html.split())


def test_login_throttling_counts_failures_on_every_server(servers, local):
    with local.app_context():
        users.create_user("cy@example.org", "Cy", PASSWORD)
        db.session.commit()
    limit = local.config["LOGIN_MAX_FAILURES"]
    browser = Browser()
    failures = [browser.log_in(servers[i % 2], "cy@example.org", "wrong-password")
                for i in range(limit)]
    assert failures == [401] * limit
    # The right password is refused on both servers now: the pause is shared.
    assert [browser.log_in(s, "cy@example.org") for s in servers] == [429, 429]


def test_variants_agree_across_servers(servers, local):
    path, assignment_id, item_id, student_id = _course(local, 5, "dee@example.org")
    with local.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        item = db.session.get(AssignmentItem, item_id)
        seed = seed_for(assignment, item, student_id)
    browser = Browser()
    browser.log_in(servers[0], "dee@example.org")
    pages = [browser.open(server + path)[1] for server in servers]
    prompts = [re.search(r'data-testid="prompt">(.*?)</section>', p, re.S).group(1)
               for p in pages]
    assert prompts[0] == prompts[1]
    variant = load_bank(local.config["PROBLEMS_DIR"]).variant("sigmoid-affine", seed)
    right = to_plain(variant.expected)
    token = _CSRF.search(pages[1]).group(1)
    status, html = browser.open(servers[1] + path, {"csrf_token": token, "answer": right})
    assert status == 200 and 'data-verdict="correct"' in html


def test_app_servers_starting_together_migrate_one_at_a_time(tmp_path):
    """Each container's command starts with `db upgrade`. Run at once, they take turns (a
    PostgreSQL advisory lock, held here until all three wait for it) and all succeed."""
    with fresh_postgres_database("gw_migrate") as url:
        target = create_engine(url, isolation_level="AUTOCOMMIT")
        try:
            _migrate_together(NativeApp(url, tmp_path).environment(), target)
        finally:
            target.dispose()


def _migrate_together(env: dict, target) -> None:
    upgrade = app_command().split(" && ")[0]
    with target.connect() as holder:
        holder.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
        procs = [subprocess.Popen(["sh", "-c", upgrade], cwd=ROOT, env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                  text=True) for _ in range(3)]
        deadline = time.monotonic() + 90
        waiting = 0
        while time.monotonic() < deadline and waiting < 3:
            time.sleep(0.2)
            waiting = holder.execute(text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND NOT granted AND objid = :key"), {"key": MIGRATION_LOCK_KEY}).scalar()
        holder.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert waiting == 3, outputs
    assert [proc.returncode for proc in procs] == [0, 0, 0], outputs
