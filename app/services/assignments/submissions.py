"""Recording assignment attempts: deadlines, attempt limits and points.

The answer is graded before anything here runs (grading is slow engine work in the pool, and
no lock or transaction should wait on it). Recording then takes the next attempt number for
(item, student) inside a savepoint; the unique constraint on (item, student, attempt_number)
makes a concurrent request that picked the same number fail, and it retries with a fresh
count. Attempt numbers above the limit are never written, so however many requests race,
at most `attempts_allowed` rows exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.checker.client import Checker
from app.checker.results import MISSES, GradeOutcome, Verdict
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem, SolutionReveal, Submission
from app.services.assignments import scoring
from app.services.assignments.variants import seed_for
from app.services.errors import Conflict, ServiceError
from app.services.lti.passback import scores_changed

MAX_RETRIES = 100


class NoAttemptsLeft(Conflict):
    def __init__(self, allowed: int):
        super().__init__(f"You have used all {allowed} attempts on this item.")


def history(item: AssignmentItem, student_id: int) -> list[Submission]:
    return list(db.session.scalars(
        select(Submission)
        .where(Submission.item_id == item.id, Submission.student_id == student_id)
        .order_by(Submission.attempt_number)))


def _attempt_state(item_id: int, student_id: int) -> tuple[int, int]:
    used, wrong = db.session.execute(
        select(func.count(Submission.id),
               func.count(Submission.id).filter(Submission.verdict.in_(MISSES)))
        .where(Submission.item_id == item_id, Submission.student_id == student_id)).one()
    return used, wrong


def check_can_submit(assignment: Assignment, item: AssignmentItem, student_id: int,
                     now: datetime) -> int:
    """Raise when no answer would be accepted now; return the late days otherwise. Called
    before grading so a refused answer costs no engine time."""
    if not assignment.is_published:
        raise ServiceError("This assignment is not published.")
    policy = scoring.Policy.of(assignment)
    try:
        days = scoring.check_window(policy, now)
    except scoring.WindowClosed as exc:
        raise ServiceError(str(exc)) from None
    used, _ = _attempt_state(item.id, student_id)
    if policy.attempts_allowed is not None and used >= policy.attempts_allowed:
        raise NoAttemptsLeft(policy.attempts_allowed)
    return days


def record(assignment: Assignment, item: AssignmentItem, student_id: int, seed: int,
           answer_text: str, outcome: GradeOutcome, now: datetime) -> Submission | None:
    """Store a counted attempt and return it; None for an answer that does not count
    (unreadable answers and time-outs cost the student nothing)."""
    days = check_can_submit(assignment, item, student_id, now)
    if not outcome.counted:
        return None
    policy = scoring.Policy.of(assignment)
    for _ in range(MAX_RETRIES):
        used, wrong = _attempt_state(item.id, student_id)
        if policy.attempts_allowed is not None and used >= policy.attempts_allowed:
            raise NoAttemptsLeft(policy.attempts_allowed)
        submission = Submission(
            item_id=item.id, student_id=student_id, attempt_number=used + 1,
            submitted_at=now, template_id=item.template_id, seed=seed,
            answer_text=answer_text, verdict=outcome.verdict, canonical=outcome.canonical,
            mistake_kind=outcome.mistake_kind, mistake_message=outcome.mistake_message,
            late_days=days,
            points_awarded=scoring.attempt_points(
                item.points, outcome.verdict == Verdict.CORRECT, policy, days, wrong,
                form=outcome.verdict == Verdict.FORM))
        try:
            with db.session.begin_nested():
                db.session.add(submission)
        except IntegrityError:
            # Another request took this attempt number first; count again.
            continue
        # The LMS's copy of the score changes in this same transaction (LTI passback).
        scores_changed(assignment, [student_id])
        return submission
    raise Conflict("Too many answers arrived at once; please submit again.")




@dataclass(frozen=True)
class ItemProgress:
    item: AssignmentItem
    attempts_used: int
    attempts_left: int | None
    score: float
    solved: bool
    missed: bool

    @property
    def last_seen(self) -> str:
        return "solved" if self.solved else ("tried" if self.attempts_used else "not started")


def progress(assignment: Assignment, student_id: int) -> list[ItemProgress]:
    rows = db.session.execute(
        select(Submission.item_id, Submission.verdict, Submission.points_awarded)
        .join(AssignmentItem).where(AssignmentItem.assignment_id == assignment.id,
                                    Submission.student_id == student_id)).all()
    by_item: dict[int, list] = {}
    for item_id, verdict, points in rows:
        by_item.setdefault(item_id, []).append((verdict, points))
    policy = scoring.Policy.of(assignment)
    result = []
    for item in assignment.items:
        attempts = by_item.get(item.id, [])
        result.append(ItemProgress(
            item=item, attempts_used=len(attempts),
            attempts_left=scoring.attempts_left(policy, len(attempts)),
            score=scoring.item_score(p for _, p in attempts),
            solved=any(v == Verdict.CORRECT for v, _ in attempts),
            missed=any(v in MISSES for v, _ in attempts)))
    return result


def solution_visible(assignment: Assignment, item_progress: ItemProgress, now: datetime) -> bool:
    """The assignment's reveal policy for one student's item."""
    if assignment.solution_reveal == SolutionReveal.NEVER:
        return False
    if now > assignment.due_at:
        return True
    if assignment.solution_reveal == SolutionReveal.AFTER_MISS:
        return item_progress.missed or item_progress.solved \
            or item_progress.attempts_left == 0
    return False


def submit_answer(assignment: Assignment, item: AssignmentItem, student_id: int, answer: str,
                  checker: Checker, now_fn: Callable[[], datetime]
                  ) -> tuple[GradeOutcome, Submission | None]:
    """Grade a student's answer to their variant of `item` and record it when it counts.

    The window and attempt limit are checked before grading (a refused answer costs no engine
    time) and again when recording, since the clock and other requests moved meanwhile.
    """
    check_can_submit(assignment, item, student_id, now_fn())
    seed = seed_for(assignment, item, student_id)
    graded = checker.grade(item.template_id, seed, answer)
    return graded, record(assignment, item, student_id, seed, answer, graded, now_fn())
