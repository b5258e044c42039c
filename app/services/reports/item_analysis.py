"""Item analysis: how each item of an assignment went, and which wrong answers were common.

Wrong answers are grouped by mathematical equivalence, so `σ(x)(1+σ(x))` and
`σ(x)+σ(x)^2` count as one. Equivalence only makes sense within one variant (the same
template and seed): the checker fingerprints each wrong answer when it grades it, equivalent
answers to a variant share the fingerprint, and answers graded before fingerprints existed
are grouped by how the engine read them. Answers with a diagnosed mistake are grouped by the
mistake across seeds (the diagnosis compares by equivalence, so equivalent answers share it),
which is what makes "forgot the chain factor" show up as one common answer across a class
that each saw different numbers.

Two aggregate queries whatever the size of the class, and no engine work on a view.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import String, case, cast, distinct, func, select

from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem, Submission, Verdict

TOP_GROUPS = 8


@dataclass(frozen=True)
class WrongAnswerGroup:
    # Answers of the group as typed: the alphabetically first and last (one if they agree).
    examples: list[str]
    count: int
    mistake_kind: str | None
    mistake_message: str | None
    # How many students gave an answer of this group.
    students: int

    @property
    def example(self) -> str:
        return self.examples[0]


@dataclass
class ItemStats:
    item: AssignmentItem
    students: int
    first_try_correct: int
    eventually_correct: int
    attempts: int
    wrong_groups: list[WrongAnswerGroup]
    # The mean over the students who tried it of their best points (partial credit counts:
    # a multi-part item earns a share of its points).
    mean_points: float = 0.0

    @property
    def first_try_percent(self) -> float:
        return round(100 * self.first_try_correct / self.students, 1) if self.students else 0.0

    @property
    def overall_percent(self) -> float:
        return round(100 * self.eventually_correct / self.students, 1) if self.students else 0.0


def _counts(assignment: Assignment) -> dict[int, tuple[int, int, int, int, float]]:
    """item id -> (students, attempts, students who solved it, right on the first try, the
    mean of each student's best points), in one statement: per student, then per item."""
    S = Submission
    correct = S.verdict == Verdict.CORRECT
    per_student = (
        select(S.item_id, func.count(S.id).label("tries"),
               func.count(S.id).filter(correct).label("right"),
               func.count(S.id).filter(correct, S.attempt_number == 1).label("first"),
               func.max(S.points_awarded).label("best"))
        .join(AssignmentItem, S.item_id == AssignmentItem.id)
        .where(AssignmentItem.assignment_id == assignment.id)
        .group_by(S.item_id, S.student_id)
        .subquery())
    c = per_student.c
    rows = db.session.execute(
        select(c.item_id, func.count(), func.sum(c.tries),
               func.count().filter(c.right > 0), func.sum(c.first), func.avg(c.best))
        .group_by(c.item_id))
    return {item_id: (students, int(tries), solved, int(first), round(float(mean or 0), 2))
            for item_id, students, tries, solved, first, mean in rows}


def _wrong_groups(assignment: Assignment) -> dict[int, list[WrongAnswerGroup]]:
    """item id -> its most common groups of wrong answers, most common first."""
    S = Submission
    read = func.coalesce(S.answer_fingerprint,
                         "read:" + func.coalesce(S.canonical, func.trim(S.answer_text)))
    # Undiagnosed answers are equivalent only within their variant.
    variant_class = case((S.mistake_kind.is_(None),
                          S.template_id + ":" + cast(S.seed, String) + ":" + read))
    count = func.count(S.id)
    grouped = (
        select(S.item_id, S.mistake_kind, count.label("count"),
               func.count(distinct(S.student_id)).label("students"),
               func.min(S.answer_text).label("first"), func.max(S.answer_text).label("last"),
               func.min(S.mistake_message).label("message"),
               func.row_number().over(partition_by=S.item_id,
                                      order_by=(count.desc(), func.min(S.answer_text)))
               .label("rank"))
        .join(AssignmentItem, S.item_id == AssignmentItem.id)
        .where(AssignmentItem.assignment_id == assignment.id, S.verdict == Verdict.INCORRECT)
        .group_by(S.item_id, S.mistake_kind, variant_class)
        .subquery())
    rows = db.session.execute(
        select(grouped).where(grouped.c.rank <= TOP_GROUPS)
        .order_by(grouped.c.item_id, grouped.c.rank))
    by_item: dict[int, list[WrongAnswerGroup]] = defaultdict(list)
    for row in rows:
        examples = [row.first] if row.first == row.last else [row.first, row.last]
        by_item[row.item_id].append(WrongAnswerGroup(
            examples, row.count, row.mistake_kind, row.message if row.mistake_kind else None,
            row.students))
    return by_item


def analyse(assignment: Assignment) -> list[ItemStats]:
    counts = _counts(assignment)
    wrong = _wrong_groups(assignment)
    stats = []
    for item in assignment.items:
        students, tries, solved, first, mean = counts.get(item.id, (0, 0, 0, 0, 0.0))
        stats.append(ItemStats(item=item, students=students, first_try_correct=first,
                               eventually_correct=solved, attempts=tries,
                               wrong_groups=wrong.get(item.id, []),
                               mean_points=mean))
    return stats
