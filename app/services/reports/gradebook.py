"""The gradebook: each student's points per assignment (best attempt per item, summed)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, EnrolmentRole, User
from app.models.assignment import Assignment, AssignmentItem, Submission
from app.services.assignments import adjustments
from app.services.assignments.builder import assignments_of
from app.services.courses.membership import members


@dataclass
class Gradebook:
    course: Course
    students: list[User]
    assignments: list[Assignment]
    # (student id, assignment id) -> points; absent means no submission yet.
    points: dict[tuple[int, int], float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Each figure once, not once per cell a page shows (a class of 500 is 500 rows).
        self.possible = round(sum(a.total_points for a in self.assignments), 4)
        totals: dict[int, float] = defaultdict(float)
        for (student, _assignment), points in self.points.items():
            totals[student] += points
        self._totals = {student: round(total, 4) for student, total in totals.items()}

    def cell(self, student: User, assignment: Assignment) -> float:
        return self.points.get((student.id, assignment.id), 0.0)

    def total(self, student: User) -> float:
        return self._totals.get(student.id, 0.0)

    def percent(self, student: User) -> float:
        return round(100 * self.total(student) / self.possible, 2) if self.possible else 0.0


def best_points(assignment_ids: list[int]) -> dict[tuple[int, int], float]:
    """(student, assignment) -> points: the best attempt of each item, summed (in SQL), with
    the instructors' grade overrides in place of what they replace."""
    if not assignment_ids:
        return {}
    best = (
        select(Submission.student_id, AssignmentItem.assignment_id,
               func.max(Submission.points_awarded).label("best"))
        .join(AssignmentItem, Submission.item_id == AssignmentItem.id)
        .where(AssignmentItem.assignment_id.in_(assignment_ids))
        .group_by(Submission.student_id, AssignmentItem.assignment_id, Submission.item_id)
        .subquery())
    rows = db.session.execute(
        select(best.c.student_id, best.c.assignment_id, func.sum(best.c.best))
        .group_by(best.c.student_id, best.c.assignment_id))
    points = {(s, a): round(float(p), 4) for s, a, p in rows}
    overrides = adjustments.overrides(assignment_ids)
    if overrides:
        _apply_overrides(points, overrides)
    return points


def _apply_overrides(points: dict[tuple[int, int], float],
                     overrides: dict[tuple[int, int, int | None], float]) -> None:
    """Overridden items count their set points instead of their best attempt; an
    assignment-wide override replaces the total. Few rows have one, so their items' best
    attempts are read here rather than in the sum above."""
    item_ids = {i for (_s, _a, i) in overrides if i is not None}
    best = {}
    if item_ids:
        best = {(s, i): float(p) for s, i, p in db.session.execute(
            select(Submission.student_id, Submission.item_id,
                   func.max(Submission.points_awarded))
            .where(Submission.item_id.in_(item_ids))
            .group_by(Submission.student_id, Submission.item_id))}
    for (student, assignment, item), value in overrides.items():
        if item is not None and (student, assignment, None) not in overrides:
            change = value - best.get((student, item), 0.0)
            points[(student, assignment)] = round(
                points.get((student, assignment), 0.0) + change, 4)
    for (student, assignment, item), value in overrides.items():
        if item is None:
            points[(student, assignment)] = round(value, 4)


def build(course: Course) -> Gradebook:
    assignments = assignments_of(course, published_only=True)
    return Gradebook(course, members(course, EnrolmentRole.STUDENT), assignments,
                     best_points([a.id for a in assignments]))


@dataclass(frozen=True)
class ItemCell:
    points: float
    attempts: int
    solved: bool
    overridden: bool = False


@dataclass
class AssignmentGrades:
    assignment: Assignment
    students: list[User]
    cells: dict[tuple[int, int], ItemCell]  # (student id, item id)

    def __post_init__(self) -> None:
        totals: dict[int, float] = defaultdict(float)
        for (student, _item), cell in self.cells.items():
            totals[student] += cell.points
        self._totals = {student: round(total, 4) for student, total in totals.items()}
        self.overridden_totals: set[int] = set()

    def set_totals(self, overridden: dict[int, float]) -> None:
        """Assignment-wide overrides: these students' totals are the points set by hand."""
        for student, value in overridden.items():
            self._totals[student] = round(value, 4)
            self.overridden_totals.add(student)

    def cell(self, student: User, item: AssignmentItem) -> ItemCell | None:
        return self.cells.get((student.id, item.id))

    def total(self, student: User) -> float:
        return self._totals.get(student.id, 0.0)


def _override_cells(cells: dict[tuple[int, int], ItemCell],
                    overrides: dict[tuple[int, int, int | None], float]) -> dict[int, float]:
    """Put item overrides into `cells`; return the assignment-wide ones by student."""
    whole = {}
    for (student, _assignment, item), value in overrides.items():
        if item is None:
            whole[student] = value
            continue
        cell = cells.get((student, item), ItemCell(0.0, 0, False))
        cells[(student, item)] = ItemCell(value, cell.attempts, cell.solved, overridden=True)
    return whole


def assignment_grades(assignment: Assignment) -> AssignmentGrades:
    rows = db.session.execute(
        select(Submission.student_id, Submission.item_id, func.max(Submission.points_awarded),
               func.count(Submission.id),
               func.count(Submission.id).filter(Submission.verdict == "correct"))
        .join(AssignmentItem, Submission.item_id == AssignmentItem.id)
        .where(AssignmentItem.assignment_id == assignment.id)
        .group_by(Submission.student_id, Submission.item_id))
    cells = {(s, i): ItemCell(float(p), n, bool(c)) for s, i, p, n, c in rows}
    whole = _override_cells(cells, adjustments.overrides([assignment.id]))
    grades = AssignmentGrades(assignment, members(assignment.course, EnrolmentRole.STUDENT),
                              cells)
    grades.set_totals(whole)
    return grades


def score_distribution(book: Gradebook, assignment: Assignment | None = None,
                       bins: int = 10) -> list[int]:
    """How many students fall in each tenth of the possible points (the last bin includes
    full marks)."""
    possible = assignment.total_points if assignment else book.possible
    counts = [0] * bins
    for student in book.students:
        got = book.cell(student, assignment) if assignment else book.total(student)
        share = got / possible if possible else 0.0
        counts[min(bins - 1, int(share * bins))] += 1
    return counts
