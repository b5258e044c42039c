"""Migration 0040 fills the practice counters from the existing history with the rules the
pages used before (first verdict per variant, in submission order; topics from the bank)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

from flask_migrate import upgrade
from sqlalchemy import text

from app import create_app
from app.extensions import db
from tests.conftest import base_config
from tests.practice.conftest import BANK
from tests.practice.test_progress_counters import reference


class _Row:
    def __init__(self, id, template_id, seed, verdict):
        from app.checker.results import Verdict

        self.id, self.template_id, self.seed = id, template_id, seed
        self.verdict = Verdict(verdict)


def test_counters_are_filled_from_the_history(any_db_url):
    app = create_app(base_config(any_db_url, PROBLEMS_DIR=str(BANK)))
    rng = random.Random(8)
    with app.app_context():
        upgrade(revision="0004")
        now = datetime(2026, 1, 1, tzinfo=UTC)
        for user in (1, 2):
            db.session.execute(text(
                "INSERT INTO users (id, email, display_name, password_hash, role, created_at) "
                "VALUES (:id, :email, 'S', 'x', 'student', :now)"),
                {"id": user, "email": f"s{user}@example.org", "now": now})
        history = []
        for index in range(1, 301):
            row = (index, rng.choice((1, 2)), rng.choice(("sigmoid-affine", "bce-yhat", "gone")),
                   rng.randrange(5), rng.choice(("correct", "incorrect", "invalid", "timeout")))
            history.append(row)
            db.session.execute(text(
                "INSERT INTO practice_submissions (id, user_id, template_id, seed, answer_text, "
                "verdict, created_at) VALUES (:id, :user, :template, :seed, 'x', :verdict, :now)"),
                {"id": row[0], "user": row[1], "template": row[2], "seed": row[3],
                 "verdict": row[4], "now": now})
        db.session.commit()
        upgrade()
        stored = db.session.execute(text(
            "SELECT user_id, scope, key, attempted, correct, streak FROM practice_progress"
        )).all()
        markers = db.session.execute(text(
            "SELECT count(*) FROM practice_answered_variants")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    for user in (1, 2):
        expected = reference([_Row(i, t, s, v) for i, u, t, s, v in history if u == user])
        got = {key: (a, c, s) for u, scope, key, a, c, s in stored
               if u == user and scope == "template"}
        assert got == {t: (p.attempted, p.correct, p.streak) for t, p in expected.items()}
        topics = {key: (a, c, s) for u, scope, key, a, c, s in stored
                  if u == user and scope == "topic"}
        # "gone" is no longer in the bank: counted for its template, in no topic.
        assert len(topics) == 2 and all(v in got.values() for v in topics.values())
    assert markers == len({(u, t, s) for _, u, t, s, v in history
                           if v in ("correct", "incorrect")})
