"""Multi-part answers to assignment items: all parts graded together, one attempt.

One submission of the whole problem is one attempt (as a STACK question's "Check" or a
PrairieLearn "Save & Grade" submits every input at once); an answer with a part left
unreadable is not graded, costs no attempt and says which part to fix. The attempt's points
are the parts' credits weighted by their points (follow-through included) times the item's
points, under the assignment's penalties; each part's answer and verdict is kept in
`SubmissionPart`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import insert, select

from app.checker.client import Checker, CheckerBusy
from app.checker.part_results import PartsOutcome, part_credit
from app.checker.results import UnknownVariant, Verdict
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem, Submission
from app.models.parts import SubmissionPart
from app.services.assignments import scoring
from app.services.assignments.submissions import (
    _check_window,
    check_can_submit,
    policy_for,
    store_attempt,
)
from app.services.assignments.variants import seed_for
from app.services.problems.part_rows import first_mistake, part_rows, summary


def record_parts(assignment: Assignment, item: AssignmentItem, student_id: int, seed: int,
                 answers: tuple[str, ...], outcome: PartsOutcome, now: datetime) -> int | None:
    """Store a counted multi-part attempt and its parts; None when it does not count."""
    policy = policy_for(assignment, item, student_id)
    days = _check_window(assignment, policy, now)
    if not outcome.counted:
        return None
    credit = outcome.credit(assignment.form_credit, assignment.follow_through)
    stored = store_attempt(
        assignment, item, student_id, days, policy, dict(
            submitted_at=now, template_id=item.template_id, seed=seed,
            answer_text=summary(outcome, answers), verdict=outcome.verdict, canonical=None,
            mistake_kind=first_mistake(outcome), mistake_message=None,
            answer_fingerprint=None),
        lambda policy, wrong: scoring.credit_points(item.points, credit, policy, days, wrong))
    rows = part_rows(outcome, answers, assignment.form_credit, assignment.follow_through)
    db.session.execute(insert(SubmissionPart.__table__),
                       [{**row, "submission_id": stored} for row in rows])
    return stored


def submit_parts(assignment: Assignment, item: AssignmentItem, student_id: int,
                 answers: tuple[str, ...], checker: Checker,
                 now_fn: Callable[[], datetime]) -> tuple[PartsOutcome, int | None]:
    """Grade a student's answers to every part of their variant of `item` and record them
    when they count (like `submissions.submit_answer`)."""
    check_can_submit(assignment, item, student_id, now_fn())
    seed = seed_for(assignment, item, student_id)
    graded = checker.grade_parts(item.template_id, seed, answers)
    return graded, record_parts(assignment, item, student_id, seed, answers, graded, now_fn())


def parts_of(submission_ids: Iterable[int]) -> dict[int, list[SubmissionPart]]:
    """The stored parts of these submissions, in order."""
    ids = list(submission_ids)
    found: dict[int, list[SubmissionPart]] = {i: [] for i in ids}
    if not ids:
        return found
    rows = db.session.scalars(select(SubmissionPart)
                              .where(SubmissionPart.submission_id.in_(ids))
                              .order_by(SubmissionPart.submission_id, SubmissionPart.position))
    for row in rows:
        found[row.submission_id].append(row)
    return found


def stored_credit(parts: list[SubmissionPart], form_credit: float,
                  follow_through: bool) -> float:
    """The item's share earned by stored parts under these settings (nothing is written)."""
    total = sum(p.points for p in parts)
    earned = sum(p.points * part_credit(p.verdict, p.carried, form_credit, follow_through)
                 for p in parts)
    return earned / total if total else 0.0


def refresh_credits(assignment: Assignment) -> None:
    """Set every stored part's credit to what the assignment's settings give it now."""
    rows = db.session.scalars(
        select(SubmissionPart).join(Submission, SubmissionPart.submission_id == Submission.id)
        .join(AssignmentItem, Submission.item_id == AssignmentItem.id)
        .where(AssignmentItem.assignment_id == assignment.id))
    for row in rows:
        row.credit = part_credit(row.verdict, row.carried, assignment.form_credit,
                                 assignment.follow_through)


def regrade_parts(sub: Submission, parts: list[SubmissionPart],
                  checker: Checker) -> Verdict | None:
    """Re-check a stored multi-part answer, part by part, and store the new verdicts; None
    when it could not be re-checked (busy, a time limit, a template whose parts changed),
    and then nothing changes. The points are recomputed by the caller."""
    answers = tuple(p.answer_text for p in parts)
    try:
        graded = checker.grade_parts(sub.template_id, sub.seed, answers)
    except (CheckerBusy, UnknownVariant):
        return None
    if any(p.outcome.verdict is Verdict.TIMEOUT for p in graded.parts):
        return None
    for row, part in zip(parts, graded.parts, strict=True):
        row.verdict, row.canonical = part.outcome.verdict, part.outcome.canonical
        row.mistake_kind = part.outcome.mistake_kind
        row.mistake_message = part.outcome.mistake_message
        row.answer_fingerprint = part.outcome.fingerprint
        row.carried, row.points = part.carried, part.points
    sub.verdict = graded.verdict
    sub.mistake_kind = first_mistake(graded)
    return graded.verdict
