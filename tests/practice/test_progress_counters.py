"""Practice progress kept as counters with each answer: the same rules as recomputing it from
the history (first verdict per variant, in order), on SQLite and PostgreSQL, with pages that
never read the history."""

from __future__ import annotations

import random
import re
import threading

import pytest
from sqlalchemy import event, select

from app.checker.results import GradeOutcome, Verdict
from app.extensions import db
from app.models import PracticeProgress, PracticeSubmission, ProgressScope
from app.services.practice import attempts, progress
from tests.conftest import TEST_PASSWORD, _make_app
from tests.practice.conftest import BANK, sigmoid_answers


@pytest.fixture
def app(any_db_url, tmp_path):
    yield from _make_app(any_db_url, tmp_path, PROBLEMS_DIR=str(BANK), CHECK_TIMEOUT_SECONDS=10)


@pytest.fixture
def student(make_user, login):
    user_id = make_user("ada@example.org")
    login("ada@example.org")
    return user_id


def reference(rows) -> dict[str, progress.Progress]:
    """Progress per template recomputed from the history, as the pages once did."""
    seen, result = set(), {}
    for row in sorted(rows, key=lambda r: r.id):
        if not row.verdict.counts_as_attempt or (row.template_id, row.seed) in seen:
            continue
        seen.add((row.template_id, row.seed))
        result[row.template_id] = result.get(row.template_id, progress.Progress()).after(
            row.verdict is Verdict.CORRECT)
    return result


def _family_line(html: str) -> str:
    return re.search(r'data-testid="family-progress">(.*?)</p>', html, re.S).group(1)


def test_pages_follow_the_counting_rules(app, client, student):
    answers = {seed: sigmoid_answers(seed) for seed in (3, 4, 5, 6)}
    sequence = [(3, "chain_dropped"), (3, "correct"), (4, "correct"), (5, "invalid"),
                (5, "correct"), (6, "correct")]
    for seed, kind in sequence:
        client.post(f"/practice/sigmoid-affine/{seed}", data={"answer": answers[seed][kind]})
    line = " ".join(_family_line(client.get("/practice/sigmoid-affine/3").get_data(
        as_text=True)).split())
    assert "3 of 4 correct, streak 3." in line
    # An unreadable answer to an answered variant keeps the note that it no longer counts.
    html = client.post("/practice/sigmoid-affine/3", data={"answer": answers[3]["invalid"]})
    assert 'data-testid="already-answered"' in html.get_data(as_text=True)
    topics = client.get("/practice/").get_data(as_text=True)
    row = re.search(r'data-testid="family-sigmoid-affine">(.*?)</tr>', topics, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", row) == ["4", "3", "3"]
    assert "3 of 4 correct" in topics and "current streak 3" in topics
    with app.app_context():
        rows = db.session.scalars(select(PracticeSubmission)).all()
        assert len(rows) == 7
        assert progress.report(student).templates == reference(rows)


def test_counters_match_the_history_for_random_sequences(app):
    rng = random.Random(5)
    with app.app_context():
        from app.services.accounts import users

        user = users.create_user("bo@example.org", "Bo", TEST_PASSWORD)
        db.session.commit()
        for _ in range(120):
            template = rng.choice(["sigmoid-affine", "bce-yhat"])
            verdict = rng.choice([Verdict.CORRECT, Verdict.INCORRECT, Verdict.INVALID,
                                  Verdict.TIMEOUT])
            attempts.record(user.id, template, "topic-" + template, rng.randrange(6), "x",
                            GradeOutcome(verdict))
            if rng.random() < 0.3:
                db.session.commit()
        db.session.commit()
        rows = db.session.scalars(select(PracticeSubmission)).all()
        report = progress.report(user.id)
        assert report.templates == reference(rows)
        for template, expected in reference(rows).items():
            assert report.topics["topic-" + template] == expected


def test_pages_never_read_the_history(app, client, student):
    page = "/practice/sigmoid-affine/7"
    client.post(page, data={"answer": sigmoid_answers(7)["correct"]})
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def seen(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", seen)
    try:
        client.get(page)
        client.get("/practice/")
        client.post(page, data={"answer": sigmoid_answers(7)["correct"]})
        client.post("/practice/sigmoid-affine/8", data={"answer": sigmoid_answers(8)["correct"]})
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    reading = [s for s in statements if "from practice_submissions" in s
               or "join practice_submissions" in s]
    assert statements and reading == []


@pytest.mark.parametrize("any_db_url", ["postgresql"], indirect=True)
@pytest.mark.parametrize("alone", [False, True])  # alone: its own transaction on PostgreSQL
def test_racing_answers_to_one_variant_count_once(app, alone):
    with app.app_context():
        from app.services.accounts import users

        user_id = users.create_user("cy@example.org", "Cy", TEST_PASSWORD).id
        db.session.commit()
    barrier = threading.Barrier(6, timeout=30)

    def answer():
        with app.app_context():
            barrier.wait()
            attempts.record(user_id, "sigmoid-affine", "sigmoid", 9, "x",
                            GradeOutcome(Verdict.CORRECT), alone=alone)
            db.session.commit()
            db.session.remove()

    threads = [threading.Thread(target=answer) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with app.app_context():
        counters = {row.scope: (row.attempted, row.correct, row.streak) for row in
                    db.session.scalars(select(PracticeProgress)
                                       .where(PracticeProgress.user_id == user_id))}
        assert counters == {ProgressScope.TEMPLATE: (1, 1, 1), ProgressScope.TOPIC: (1, 1, 1)}
        assert db.session.query(PracticeSubmission).count() == 6
