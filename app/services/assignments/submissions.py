"""Recording assignment attempts: deadlines, attempt limits and points.

The answer is graded before anything here runs (grading is slow engine work in the pool, and
no lock or transaction should wait on it). Recording then takes the next attempt number for
(item, student) with an INSERT that does nothing on a conflict: the unique constraint on
(item, student, attempt_number) makes a concurrent request that picked the same number store
nothing, and it retries with a fresh count (no savepoint, no failed statement). Attempt
numbers above the limit are never written, so however many requests race, on however many
servers, at most `attempts_allowed` rows exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.checker.client import Checker
from app.checker.results import MISSES, GradeOutcome, Verdict
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem, SolutionReveal, Submission
from app.services.assignments import adjustments, scoring
from app.services.assignments.variants import seed_for
from app.services.errors import Conflict, ServiceError
from app.services.lti.passback import scores_changed

MAX_RETRIES = 100
# The item page lists this many of a student's latest attempts (with unlimited attempts a
# student may have thousands; the gradebook's student view lists them all).
HISTORY_SHOWN = 20


class NoAttemptsLeft(Conflict):
    def __init__(self, allowed: int):
        super().__init__(_("You have used all %(allowed)s attempts on this item.", allowed=allowed))


def history(item: AssignmentItem, student_id: int,
            latest: int | None = None) -> list[Submission]:
    """A student's attempts at `item` in order; only the `latest` ones when given."""
    query = (select(Submission)
             .where(Submission.item_id == item.id, Submission.student_id == student_id)
             .order_by(Submission.attempt_number.desc()))
    if latest is not None:
        query = query.limit(latest)
    return list(reversed(db.session.scalars(query).all()))


def _attempt_state(item_id: int, student_id: int) -> tuple[int, int]:
    """(attempts used, wrong attempts) from the unique index's range, in one query."""
    used, wrong = db.session.execute(
        select(func.count(Submission.id),
               func.count(Submission.id).filter(Submission.verdict.in_(MISSES)))
        .where(Submission.item_id == item_id, Submission.student_id == student_id)).one()
    return used, wrong


def policy_for(assignment: Assignment, item: AssignmentItem | None,
               student_id: int) -> scoring.Policy:
    """The assignment's rules with the student's extensions (due date, extra attempts)."""
    return scoring.Policy.of(assignment, adjustments.allowance(assignment, student_id),
                             item.id if item is not None else None)


def _check_window(assignment: Assignment, policy: scoring.Policy, now: datetime) -> int:
    if not assignment.is_published:
        raise ServiceError(_("This assignment is not published."))
    try:
        return scoring.check_window(policy, now)
    except scoring.WindowClosed as exc:
        raise ServiceError(str(exc)) from None


def check_can_submit(assignment: Assignment, item: AssignmentItem, student_id: int,
                     now: datetime, used: int | None = None) -> int:
    """Raise when no answer would be accepted now; return the late days otherwise. Called
    before grading so a refused answer costs no engine time (`used`: the attempts already
    counted, when the caller has them)."""
    policy = policy_for(assignment, item, student_id)
    days = _check_window(assignment, policy, now)
    if used is None:
        used, _wrong = _attempt_state(item.id, student_id)
    allowed = policy.attempts_allowed
    if allowed is not None and used >= allowed:
        raise NoAttemptsLeft(allowed)
    return days


def _insert(table):
    """INSERT with the backend's ON CONFLICT clause (SQLite and PostgreSQL share its form)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def record(assignment: Assignment, item: AssignmentItem, student_id: int, seed: int,
           answer_text: str, outcome: GradeOutcome, now: datetime) -> int | None:
    """Store a counted attempt and return its id; None for an answer that does not count
    (unreadable answers and time-outs cost the student nothing)."""
    policy = policy_for(assignment, item, student_id)
    days = _check_window(assignment, policy, now)
    if not outcome.counted:
        return None
    form = outcome.verdict == Verdict.FORM
    return store_attempt(
        assignment, item, student_id, days, policy, dict(
            submitted_at=now, template_id=item.template_id, seed=seed,
            answer_text=answer_text, verdict=outcome.verdict, canonical=outcome.canonical,
            mistake_kind=outcome.mistake_kind, mistake_message=outcome.mistake_message,
            answer_fingerprint=outcome.fingerprint),
        lambda policy, wrong: scoring.attempt_points(
            item.points, outcome.verdict == Verdict.CORRECT, policy, days, wrong, form=form))


def store_attempt(assignment: Assignment, item: AssignmentItem, student_id: int, days: int,
                  policy: scoring.Policy, values: dict,
                  points: Callable[[scoring.Policy, int], float]) -> int:
    """Insert the next attempt with `values` and `points(policy, wrong attempts before)`
    under `policy` (the student's own, see `policy_for`); the id of the stored row (see the
    module's docstring for the retries)."""
    for _attempt in range(MAX_RETRIES):
        used, wrong = _attempt_state(item.id, student_id)
        if policy.attempts_allowed is not None and used >= policy.attempts_allowed:
            raise NoAttemptsLeft(policy.attempts_allowed)
        stored = db.session.execute(_insert(Submission.__table__).values(
            item_id=item.id, student_id=student_id, attempt_number=used + 1,
            late_days=days, points_awarded=points(policy, wrong), **values)
            .on_conflict_do_nothing().returning(Submission.__table__.c.id)).first()
        if stored is not None:
            # The LMS's copy of the score changes in this same transaction (LTI passback).
            scores_changed(assignment, [student_id])
            return stored[0]
        # Another request took this attempt number first (the unique constraint); count again.
    raise Conflict(_("Too many answers arrived at once; please submit again."))


@dataclass(frozen=True)
class ItemProgress:
    item: AssignmentItem
    attempts_used: int
    attempts_left: int | None
    score: float
    solved: bool
    missed: bool
    # The score was set by an instructor (a grade override), not computed from the attempts.
    overridden: bool = False
    # The student's own due date (an extension), or the assignment's.
    due_at: datetime | None = None

    @property
    def last_seen(self) -> str:
        return "solved" if self.solved else ("tried" if self.attempts_used else "not started")


def _progress_rows(assignment: Assignment, student_id: int,
                   item_id: int | None = None) -> dict[int, tuple[int, float, bool, bool]]:
    """item id -> (attempts, best points, solved, missed), aggregated by the database."""
    S = Submission
    query = (select(S.item_id, func.count(S.id), func.max(S.points_awarded),
                    func.count(S.id).filter(S.verdict == Verdict.CORRECT),
                    func.count(S.id).filter(S.verdict.in_(MISSES)))
             .where(S.student_id == student_id)
             .group_by(S.item_id))
    if item_id is not None:
        query = query.where(S.item_id == item_id)
    else:
        query = query.join(AssignmentItem, S.item_id == AssignmentItem.id).where(
            AssignmentItem.assignment_id == assignment.id)
    return {i: (n, float(best or 0.0), bool(right), bool(wrong))
            for i, n, best, right, wrong in db.session.execute(query)}


def _item_progress(policy: scoring.Policy, item: AssignmentItem,
                   row: tuple[int, float, bool, bool] | None,
                   override: float | None = None) -> ItemProgress:
    used, best, solved, missed = row or (0, 0.0, False, False)
    score = scoring.item_score([best] if used else [])
    return ItemProgress(item=item, attempts_used=used,
                        attempts_left=scoring.attempts_left(policy, used),
                        score=score if override is None else override, solved=solved,
                        missed=missed, overridden=override is not None, due_at=policy.due_at)


def _item_overrides(assignment: Assignment, student_id: int) -> dict[int | None, float]:
    found = adjustments.overrides([assignment.id], student_id)
    return {item_id: points for (_s, _a, item_id), points in found.items()}


def progress(assignment: Assignment, student_id: int) -> list[ItemProgress]:
    rows = _progress_rows(assignment, student_id)
    allowance = adjustments.allowance(assignment, student_id)
    overridden = _item_overrides(assignment, student_id)
    return [_item_progress(scoring.Policy.of(assignment, allowance, item.id), item,
                           rows.get(item.id), overridden.get(item.id))
            for item in assignment.items]


def assignment_score(assignment: Assignment, student_id: int,
                     items: list[ItemProgress] | None = None) -> float:
    """The student's points on the assignment: an assignment-wide override, else the sum of
    the items' scores (each overridden or computed)."""
    whole = _item_overrides(assignment, student_id).get(None)
    if whole is not None:
        return whole
    return round(sum(p.score for p in (items or progress(assignment, student_id))), 4)


def item_progress(assignment: Assignment, item: AssignmentItem,
                  student_id: int) -> ItemProgress:
    """One item's progress (one aggregate query, whatever the number of attempts)."""
    rows = _progress_rows(assignment, student_id, item.id)
    return _item_progress(policy_for(assignment, item, student_id), item, rows.get(item.id),
                          _item_overrides(assignment, student_id).get(item.id))


def solution_visible(assignment: Assignment, item_progress: ItemProgress, now: datetime) -> bool:
    """The assignment's reveal policy for one student's item; "after the due date" means the
    student's own (an extension moves it), so a student still answering never sees it."""
    if assignment.solution_reveal == SolutionReveal.NEVER:
        return False
    if now > (item_progress.due_at or assignment.due_at):
        return True
    if assignment.solution_reveal == SolutionReveal.AFTER_MISS:
        return item_progress.missed or item_progress.solved \
            or item_progress.attempts_left == 0
    return False


def submit_answer(assignment: Assignment, item: AssignmentItem, student_id: int, answer: str,
                  checker: Checker, now_fn: Callable[[], datetime]
                  ) -> tuple[GradeOutcome, int | None]:
    """Grade a student's answer to their variant of `item` and record it when it counts
    (the stored attempt's id, or None).

    The window and attempt limit are checked before grading (a refused answer costs no engine
    time) and again when recording, since the clock and other requests moved meanwhile.
    """
    check_can_submit(assignment, item, student_id, now_fn())
    seed = seed_for(assignment, item, student_id)
    graded = checker.grade(item.template_id, seed, answer)
    return graded, record(assignment, item, student_id, seed, answer, graded, now_fn())
