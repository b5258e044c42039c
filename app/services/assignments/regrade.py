"""Regrading: re-check every stored answer of an assignment with the current engine and bank,
then recompute points."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from app.checker.client import Checker, CheckerBusy
from app.checker.results import Verdict
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem, Submission
from app.services.assignments import builder, part_answers
from app.services.lti.passback import scores_changed


@dataclass(frozen=True)
class VerdictChange:
    submission_id: int
    student_id: int
    item_position: int
    answer: str
    before: Verdict
    after: Verdict


@dataclass
class RegradeReport:
    checked: int = 0
    changed: list[VerdictChange] = field(default_factory=list)
    # Answers the engine could not re-check this time (time limit, busy): their verdict is kept,
    # because a missing verdict is never a reason to change a grade.
    unchecked: int = 0
    rescored: int = 0


def _regrade_parts(sub: Submission, parts, checker: Checker, report: RegradeReport) -> None:
    before = sub.verdict
    report.checked += 1
    after = part_answers.regrade_parts(sub, parts, checker)
    if after is None:
        report.unchecked += 1
    elif after != before:
        report.changed.append(VerdictChange(sub.id, sub.student_id, sub.item.position,
                                            sub.answer_text, before, after))


def regrade(assignment: Assignment, checker: Checker,
            on_progress: Callable[[int], None] = lambda _n: None) -> RegradeReport:
    """Re-check every stored answer with the current engine and bank, then recompute points.

    Only the verdict and its diagnosis are replaced; the answer, its time and its variant are
    what the student submitted. Running it twice changes nothing the second time.
    """
    report = RegradeReport()
    subs = list(db.session.scalars(
        select(Submission).join(AssignmentItem)
        .where(AssignmentItem.assignment_id == assignment.id)
        .order_by(Submission.id)))
    parts = part_answers.parts_of(sub.id for sub in subs)
    for sub in subs:
        if parts[sub.id]:
            _regrade_parts(sub, parts[sub.id], checker, report)
            on_progress(1)
            continue
        try:
            graded = checker.grade(sub.template_id, sub.seed, sub.answer_text)
        except CheckerBusy:
            graded = None
        report.checked += 1
        on_progress(1)
        if graded is None or graded.verdict is Verdict.TIMEOUT:
            report.unchecked += 1
            continue
        if graded.verdict != sub.verdict:
            report.changed.append(VerdictChange(sub.id, sub.student_id, sub.item.position,
                                                sub.answer_text, sub.verdict, graded.verdict))
        sub.verdict = graded.verdict
        sub.canonical = graded.canonical
        sub.mistake_kind = graded.mistake_kind
        sub.mistake_message = graded.mistake_message
        sub.answer_fingerprint = graded.fingerprint
    db.session.flush()
    report.rescored = len(builder.recompute_scores(assignment))
    # A changed verdict is a changed score: the LMS's copy changes in this transaction too.
    scores_changed(assignment, {change.student_id for change in report.changed})
    return report
