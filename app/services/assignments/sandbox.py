"""Trying an assignment as a student: the same variants, verdicts, attempt limits, late rules
and reveal policy, with attempts kept apart from real ones.

Sandbox attempts live in their own table (`SandboxAttempt`), keyed by the person trying; the
gradebook, exports, item analysis, LTI passback and practice progress only ever read
`Submission` and the practice tables, so nothing here can reach them. A reset deletes the
person's sandbox attempts on one assignment. The window is looser than a student's in one
way: a draft or a not-yet-open assignment can be tried (that is when instructors check it);
the due date and late rules apply as they will to students.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import delete, func, select

from app.checker.client import Checker
from app.checker.part_results import PartsOutcome
from app.checker.results import MISSES, GradeOutcome, Verdict
from app.extensions import db
from app.models.adjustments import SandboxAttempt
from app.models.assignment import Assignment, AssignmentItem
from app.services.assignments import scoring
from app.services.assignments.submissions import HISTORY_SHOWN, ItemProgress, NoAttemptsLeft
from app.services.assignments.variants import seed_for
from app.services.errors import ServiceError
from app.services.problems.part_rows import summary

__all__ = ["HISTORY_SHOWN", "check_can_submit", "history", "item_progress", "progress",
           "record", "reset", "submit_answer", "submit_parts"]


def _state(item_id: int, user_id: int) -> tuple[int, int, float, bool]:
    """(attempts, wrong attempts, best points, solved)."""
    A = SandboxAttempt
    used, wrong, best, right = db.session.execute(
        select(func.count(A.id), func.count(A.id).filter(A.verdict.in_(MISSES)),
               func.max(A.points_awarded), func.count(A.id).filter(A.verdict == Verdict.CORRECT))
        .where(A.item_id == item_id, A.user_id == user_id)).one()
    return used, wrong, float(best or 0.0), bool(right)


def item_progress(assignment: Assignment, item: AssignmentItem, user_id: int) -> ItemProgress:
    used, wrong, best, solved = _state(item.id, user_id)
    policy = scoring.Policy.of(assignment)
    return ItemProgress(item=item, attempts_used=used,
                        attempts_left=scoring.attempts_left(policy, used),
                        score=best if used else 0.0, solved=solved, missed=wrong > 0,
                        due_at=assignment.due_at)


def progress(assignment: Assignment, user_id: int) -> list[ItemProgress]:
    return [item_progress(assignment, item, user_id) for item in assignment.items]


def history(item: AssignmentItem, user_id: int,
            latest: int | None = None) -> list[SandboxAttempt]:
    query = (select(SandboxAttempt)
             .where(SandboxAttempt.item_id == item.id, SandboxAttempt.user_id == user_id)
             .order_by(SandboxAttempt.attempt_number.desc()))
    if latest is not None:
        query = query.limit(latest)
    return list(reversed(db.session.scalars(query).all()))


def _late_days(assignment: Assignment, now: datetime) -> int:
    policy = scoring.Policy.of(assignment)
    try:
        # Before the opening, as if it had opened: the instructor is checking it early.
        return scoring.check_window(policy, max(now, policy.open_at))
    except scoring.WindowClosed as exc:
        raise ServiceError(str(exc)) from None


def check_can_submit(assignment: Assignment, item: AssignmentItem, user_id: int,
                     now: datetime, used: int | None = None) -> int:
    days = _late_days(assignment, now)
    if used is None:
        used = _state(item.id, user_id)[0]
    allowed = assignment.attempts_allowed
    if allowed is not None and used >= allowed:
        raise NoAttemptsLeft(allowed)
    return days


def record(assignment: Assignment, item: AssignmentItem, user_id: int, answer_text: str,
           outcome: GradeOutcome, now: datetime) -> SandboxAttempt | None:
    """Keep a counted sandbox attempt, scored as a student's would be."""
    form = outcome.verdict == Verdict.FORM
    return _keep(assignment, item, user_id, answer_text, outcome.counted, outcome.verdict, now,
                 lambda policy, days, wrong: scoring.attempt_points(
                     item.points, outcome.verdict == Verdict.CORRECT, policy, days, wrong,
                     form=form))


def _keep(assignment: Assignment, item: AssignmentItem, user_id: int, answer_text: str,
          counted: bool, verdict: Verdict, now: datetime,
          points: Callable[[scoring.Policy, int, int], float]) -> SandboxAttempt | None:
    """Store the next sandbox attempt with `points(policy, late days, wrong attempts before)`;
    None for an answer that does not count."""
    days = check_can_submit(assignment, item, user_id, now)
    if not counted:
        return None
    used, wrong, _best, _solved = _state(item.id, user_id)
    attempt = SandboxAttempt(
        item_id=item.id, user_id=user_id, attempt_number=used + 1, submitted_at=now,
        answer_text=answer_text, verdict=verdict, late_days=days,
        points_awarded=points(scoring.Policy.of(assignment), days, wrong))
    db.session.add(attempt)
    db.session.flush()
    return attempt


def submit_answer(assignment: Assignment, item: AssignmentItem, user_id: int, answer: str,
                  checker: Checker, now_fn: Callable[[], datetime]
                  ) -> tuple[GradeOutcome, SandboxAttempt | None]:
    """Grade against the trying person's own variant (seeded as a student's is)."""
    check_can_submit(assignment, item, user_id, now_fn())
    graded = checker.grade(item.template_id, seed_for(assignment, item, user_id), answer)
    return graded, record(assignment, item, user_id, answer, graded, now_fn())


def submit_parts(assignment: Assignment, item: AssignmentItem, user_id: int,
                 answers: tuple[str, ...], checker: Checker, now_fn: Callable[[], datetime]
                 ) -> tuple[PartsOutcome, SandboxAttempt | None]:
    """A multi-part answer tried as a student: every part graded in one task, kept as one
    sandbox attempt with the parts' weighted credit (as `part_answers.submit_parts` scores)."""
    check_can_submit(assignment, item, user_id, now_fn())
    graded = checker.grade_parts(item.template_id, seed_for(assignment, item, user_id), answers)
    credit = graded.credit(assignment.form_credit, assignment.follow_through)
    return graded, _keep(assignment, item, user_id, summary(graded, answers), graded.counted,
                         graded.verdict, now_fn(),
                         lambda policy, days, wrong: scoring.credit_points(
                             item.points, credit, policy, days, wrong))


def reset(assignment: Assignment, user_id: int) -> int:
    """Forget the person's sandbox attempts on the assignment; returns how many."""
    item_ids = [item.id for item in assignment.items]
    if not item_ids:
        return 0
    result = db.session.execute(delete(SandboxAttempt).where(
        SandboxAttempt.user_id == user_id, SandboxAttempt.item_id.in_(item_ids)))
    db.session.flush()
    return result.rowcount or 0
