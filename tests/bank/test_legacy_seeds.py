"""Assignments made before the seed spaces keep their students' variants: their seeds are
stored negated, a negative seed draws as seeds drew before the split (app/bank/spaces.py), and
migration 0080 marks those assignments and negates their stored seeds."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from app import create_app
from app.bank import build_variant, load_bank
from app.bank.params import _drawn, _shuffled, _with_sequences, sample
from app.extensions import db
from app.services.assignments.variants import derive_seed, seed_for
from tests.conftest import base_config
from tests.practice.conftest import BANK


def _before_the_split(template, seed: int) -> dict:
    """How seeds drew before the seed spaces: entry `seed mod N`, or one seeded draw."""
    combinations = _shuffled(template.params, template.id)
    if combinations is not None:
        return _with_sequences(template.params, dict(combinations[seed % len(combinations)]))
    return _drawn(template.params, random.Random(f"gradwork:{template.id}:{seed}"))


def test_a_negative_seed_draws_what_its_seed_drew_before_the_split():
    rng = random.Random(3)
    for template in load_bank(BANK).templates:
        for seed in [0, 1, 7, 2**30 + 5] + [rng.randrange(2**31 - 1) for _ in range(20)]:
            assert sample(template.params, template.id, -1 - seed) \
                == _before_the_split(template, seed), (template.id, seed)


def test_legacy_assignments_give_their_old_seed_negated_and_it_builds():
    old = SimpleNamespace(secret="ab" * 16, legacy_seeds=True)
    new = SimpleNamespace(secret="ab" * 16, legacy_seeds=False)
    item = SimpleNamespace(id=5)
    seed = seed_for(old, item, 9)
    assert seed == -1 - derive_seed(old.secret, 9, 5) and seed < 0
    assert seed_for(new, item, 9) >= 2**30
    template = load_bank(BANK).get("sigmoid-affine")
    assert build_variant(template, seed).seed == seed


def test_migration_keeps_earlier_assignments_on_their_variants(any_db_url):
    app = create_app(base_config(any_db_url))
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with app.app_context():
        upgrade(revision="0070_multipart_answers")
        statements = [
            "INSERT INTO users (id, email, display_name, password_hash, role, created_at) "
            "VALUES (1, 's@example.org', 'S', 'x', 'student', :now)",
            "INSERT INTO courses (id, title, timezone, join_code, created_at) "
            "VALUES (1, 'C', 'UTC', 'CODE1234', :now)",
            "INSERT INTO assignments (id, course_id, title, instructions, secret, status, "
            "open_at, due_at, accept_late, late_penalty_per_day, late_penalty_cap, "
            "wrong_attempt_penalty, solution_reveal, form_credit, follow_through, created_at, "
            "updated_at) VALUES (1, 1, 'A', '', 'secret', 'published', :now, :later, false, 0, "
            "0, 0, 'after_due', 0, true, :now, :now)",
            "INSERT INTO assignment_items (id, assignment_id, position, template_id, points) "
            "VALUES (1, 1, 1, 'sigmoid-affine', 1)",
            "INSERT INTO submissions (id, item_id, student_id, attempt_number, submitted_at, "
            "template_id, seed, answer_text, verdict, late_days, points_awarded) "
            "VALUES (1, 1, 1, 1, :now, 'sigmoid-affine', 123, 'x', 'correct', 0, 1)",
        ]
        for statement in statements:
            db.session.execute(text(statement), {"now": now, "later": now + timedelta(days=7)})
        db.session.commit()
        upgrade()
        seed = db.session.execute(text("SELECT seed FROM submissions")).scalar_one()
        legacy = db.session.execute(text("SELECT legacy_seeds FROM assignments")).scalar_one()
        db.session.commit()
        downgrade(revision="0070_multipart_answers")
        restored = db.session.execute(text("SELECT seed FROM submissions")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    assert (seed, bool(legacy), restored) == (-124, True, 123)
