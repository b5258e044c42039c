"""Grading assignment answers and regrading stored ones, through `app.services.grading` (one
pool task per answer, under the hard limits)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.cas.pool import WorkerPool
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem, Submission, Verdict
from app.models.practice import Verdict as GradeVerdict
from app.services import grading
from app.services.assignments import builder
from app.services.assignments.submissions import Outcome
from app.services.checking import pool_from_config


@dataclass(frozen=True)
class Engine:
    """Where grading runs: the pool and the problem bank it reads."""

    pool: WorkerPool
    problems_dir: str

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Engine:
        return cls(pool_from_config(config), str(config["PROBLEMS_DIR"]))

    def grade(self, template_id: str, seed: int, answer: str) -> grading.GradeOutcome:
        return grading.grade(template_id, seed, answer, pool=self.pool,
                             problems_dir=self.problems_dir)


_VERDICTS = {
    GradeVerdict.CORRECT: Verdict.CORRECT,
    GradeVerdict.INCORRECT: Verdict.INCORRECT,
    GradeVerdict.INVALID: Verdict.INVALID,
    GradeVerdict.TIMEOUT: Verdict.UNDECIDED,
}


def to_outcome(graded: grading.GradeOutcome) -> Outcome:
    return Outcome(_VERDICTS[graded.verdict], graded.canonical, graded.mistake_kind,
                   graded.mistake_message)


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
    changed: list[VerdictChange] | None = None
    # Answers the engine could not re-check this time (time limit): their verdict is kept,
    # because a missing verdict is never a reason to change a grade.
    unchecked: int = 0
    rescored: int = 0

    def __post_init__(self):
        self.changed = self.changed or []


def regrade(assignment: Assignment, engine: Engine,
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
    for sub in subs:
        graded = engine.grade(sub.template_id, sub.seed, sub.answer_text)
        report.checked += 1
        on_progress(1)
        if graded.verdict is GradeVerdict.TIMEOUT:
            report.unchecked += 1
            continue
        outcome = to_outcome(graded)
        if outcome.verdict != sub.verdict:
            report.changed.append(VerdictChange(sub.id, sub.student_id, sub.item.position,
                                                sub.answer_text, sub.verdict, outcome.verdict))
        sub.verdict = outcome.verdict
        sub.canonical = outcome.canonical
        sub.mistake_kind = outcome.mistake_kind
        sub.mistake_message = outcome.mistake_message
    db.session.flush()
    report.rescored = len(builder.recompute_scores(assignment))
    # LTI grade passback hook (issue 14): a changed verdict is a changed score.
    from app.services.lti.passback import scores_changed

    scores_changed(assignment, {change.student_id for change in report.changed})
    return report


def submit_answer(assignment: Assignment, item: AssignmentItem, student_id: int, answer: str,
                  engine: Engine, now_fn: Callable[[], Any]
                  ) -> tuple[grading.GradeOutcome, Submission | None]:
    """Grade a student's answer to their variant of `item` and record it when it counts.

    The window and attempt limit are checked before grading (a refused answer costs no engine
    time) and again when recording, since the clock and other requests moved meanwhile.
    """
    from app.services.assignments import submissions
    from app.services.assignments.variants import seed_for

    submissions.check_can_submit(assignment, item, student_id, now_fn())
    seed = seed_for(assignment, item, student_id)
    graded = engine.grade(item.template_id, seed, answer)
    stored = submissions.record(assignment, item, student_id, seed, answer, to_outcome(graded),
                                now_fn())
    return graded, stored
