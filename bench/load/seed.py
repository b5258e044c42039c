"""Seeding the benchmark's database: students, a student with a long practice history, and a
large course (students × items × attempts).

Accounts and the large course are inserted in bulk (grading 50,000 answers through the engine
would take longer than the benchmark itself); the practice history goes through the practice
service's own `record`, so whatever it keeps beside each row (counters, markers) is kept.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import insert, select
from werkzeug.security import generate_password_hash

from app import create_app
from app.bank import load_bank
from app.bank.spaces import PRACTICE_SEEDS
from app.cas.plain import to_plain
from app.checker.results import GradeOutcome, Verdict
from app.extensions import db
from app.models import Course, Enrolment, EnrolmentRole, Role, User
from app.models.assignment import (
    Assignment,
    AssignmentItem,
    AssignmentStatus,
    SolutionReveal,
    Submission,
)
from app.models.base import utcnow
from app.services.assignments.variants import new_secret, seed_for
from app.services.practice import attempts

PASSWORD = "load-bench-password"
MISTAKE_KINDS = ("chain_factor", "sign", "quotient_rule", "product_rule", "form")


@dataclass(frozen=True)
class Task:
    """One practice answer a client posts: the variant's page and the text."""

    template_id: str
    seed: int
    answer: str


@contextmanager
def app_context(database_url: str) -> Iterator[None]:
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "seed-" + "x" * 16})
    with app.app_context():
        yield
        db.session.remove()
        db.engine.dispose()


def create_users(prefix: str, count: int, role: Role = Role.STUDENT) -> list[tuple[int, str]]:
    """`count` accounts sharing one password hash (hashing each would take minutes)."""
    hashed = generate_password_hash(PASSWORD)
    rows = [{"email": f"{prefix}{i}@load.example", "display_name": f"{prefix} {i}",
             "password_hash": hashed, "role": role, "created_at": utcnow()}
            for i in range(count)]
    db.session.execute(insert(User), rows)
    db.session.commit()
    found = db.session.execute(select(User.id, User.email)
                               .where(User.email.like(f"{prefix}%@load.example"))
                               .order_by(User.id)).all()
    return [(row.id, row.email) for row in found]


def practice_tasks(rng: random.Random, count: int) -> list[Task]:
    """`count` variants from across the bank, each with its right answer and, where the bank
    knows one, a typical mistake: about two in three posts are right."""
    bank = load_bank(current_app.config["PROBLEMS_DIR"])
    # Multi-part problems take one answer per box; these posts send one answer.
    templates = [t.id for t in bank.templates if not t.parts]
    tasks = []
    while len(tasks) < count:
        variant = bank.variant(rng.choice(templates), rng.randrange(PRACTICE_SEEDS.stop))
        right = to_plain(variant.expected)
        tasks.append(Task(variant.template_id, variant.seed, right))
        if variant.mistakes and rng.random() < 0.5:
            tasks.append(Task(variant.template_id, variant.seed,
                              to_plain(variant.mistakes[0].answer)))
        tasks.append(Task(variant.template_id, variant.seed, right))
    return tasks[:count]


def practice_history(user_id: int, count: int, rng: random.Random) -> None:
    """`count` practice submissions through the practice service, across the bank: mostly
    verdicts, some unreadable answers, some variants answered twice."""
    bank = load_bank(current_app.config["PROBLEMS_DIR"])
    # Multi-part problems take one answer per box; these posts send one answer.
    templates = [t.id for t in bank.templates if not t.parts]
    recent: list[tuple[str, int]] = []
    for index in range(count):
        if recent and rng.random() < 0.1:
            template_id, seed = rng.choice(recent)
        else:
            template_id, seed = rng.choice(templates), rng.randrange(PRACTICE_SEEDS.stop)
            recent = (recent + [(template_id, seed)])[-50:]
        roll = rng.random()
        if roll < 0.1:
            outcome = GradeOutcome(Verdict.INVALID)
        elif roll < 0.65:
            outcome = GradeOutcome(Verdict.CORRECT, canonical="x")
        else:
            outcome = GradeOutcome(Verdict.INCORRECT, canonical="2*x")
        attempts.record(user_id, template_id, bank.get(template_id).topic, seed, "x", outcome)
        if index % 500 == 499:
            db.session.commit()
    db.session.commit()


def large_course(instructor_id: int, students: list[int], items: int, tries: int,
                 rng: random.Random) -> tuple[int, int]:
    """A course with one published assignment of `items` items, every student having used
    `tries` attempts on each (inserted directly; wrong answers fall into a few classes per
    variant, most with a diagnosed mistake). Returns (course id, assignment id)."""
    now = utcnow()
    course = Course(title="Large course", timezone="UTC", join_code=f"L{rng.randrange(10**8)}")
    db.session.add(course)
    db.session.flush()
    db.session.add(Enrolment(course_id=course.id, user_id=instructor_id,
                             role=EnrolmentRole.INSTRUCTOR))
    db.session.execute(insert(Enrolment), [
        {"course_id": course.id, "user_id": s, "role": EnrolmentRole.STUDENT,
         "created_at": now} for s in students])
    assignment = Assignment(course_id=course.id, title="Quiz", instructions="",
                            secret=new_secret(), status=AssignmentStatus.PUBLISHED,
                            open_at=now - timedelta(days=1), due_at=now + timedelta(days=7),
                            attempts_allowed=tries, solution_reveal=SolutionReveal.AFTER_MISS)
    db.session.add(assignment)
    db.session.flush()
    bank = load_bank(current_app.config["PROBLEMS_DIR"])
    # Multi-part problems take one answer per box; these posts send one answer.
    templates = [t.id for t in bank.templates if not t.parts]
    item_rows = [AssignmentItem(assignment_id=assignment.id, position=i + 1,
                                template_id=templates[i % len(templates)], points=1.0)
                 for i in range(items)]
    db.session.add_all(item_rows)
    db.session.flush()
    for item in item_rows:
        rows = []
        for student in students:
            rows.extend(_attempts(assignment, item, student, tries, rng, now))
        db.session.execute(insert(Submission), rows)
    db.session.commit()
    return course.id, assignment.id


def _attempts(assignment, item, student: int, tries: int, rng: random.Random, now) -> list[dict]:
    seed = seed_for(assignment, item, student)
    rows = []
    for attempt in range(1, tries + 1):
        correct = attempt == tries and rng.random() < 0.6
        wrong_class = rng.randrange(3)
        kind = None if wrong_class == 2 else MISTAKE_KINDS[(seed + wrong_class) % 5]
        text = "1" if correct else f"{wrong_class + 2}/{seed % 97 + 1}"
        rows.append({
            "item_id": item.id, "student_id": student, "attempt_number": attempt,
            "submitted_at": now, "template_id": item.template_id, "seed": seed,
            "answer_text": text, "canonical": text,
            "verdict": Verdict.CORRECT if correct else Verdict.INCORRECT,
            "mistake_kind": None if correct else kind,
            "mistake_message": None if correct or kind is None else f"Mistake {kind}.",
            "late_days": 0, "points_awarded": 1.0 if correct else 0.0,
            **_fingerprint_column(seed, None if correct else wrong_class),
        })
    return rows


def _fingerprint_column(seed: int, wrong_class: int | None) -> dict:
    """The stored answer fingerprint, where the schema has one (synthetic: one value per
    wrong-answer class of a variant)."""
    if "answer_fingerprint" not in Submission.__table__.c:
        return {}
    return {"answer_fingerprint": None if wrong_class is None else f"{seed:x}-{wrong_class}"}
