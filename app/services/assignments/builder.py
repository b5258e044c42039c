"""The assignment builder: settings, items, publishing, and edits that respect existing work.

Once students have submitted, an edit never rewrites their stored points: `pending_changes`
says which settings now differ from what the stored scores were computed with, and
`recompute_scores` applies the current rules only when the instructor asks.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, fields, replace
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.checker.results import MISSES, Verdict
from app.extensions import db
from app.models import Course
from app.models.assignment import (
    Assignment,
    AssignmentItem,
    AssignmentStatus,
    SolutionReveal,
    Submission,
)
from app.services.assignments import adjustments, part_answers, scoring
from app.services.assignments.variants import new_secret
from app.services.errors import Conflict, NotFound, ServiceError
from app.services.lti.passback import scores_changed

MAX_ITEMS = 100
MAX_POINTS = 1000.0
MAX_INSTRUCTIONS = 20_000


@dataclass(frozen=True)
class Settings:
    """Everything the builder form edits apart from the items."""

    title: str
    instructions: str
    open_at: datetime
    due_at: datetime
    accept_late: bool = False
    late_penalty_per_day: float = 0.0
    late_penalty_cap: float = 0.0
    attempts_allowed: int | None = None
    wrong_attempt_penalty: float = 0.0
    solution_reveal: SolutionReveal = SolutionReveal.AFTER_DUE
    form_credit: float = 0.0
    follow_through: bool = True
    # While open, Practice does not offer its templates to the course's students.
    hide_from_practice: bool = False

    @classmethod
    def of(cls, assignment: Assignment) -> Settings:
        return cls(**{f.name: getattr(assignment, f.name) for f in fields(cls)})


# Settings whose change alters the points of work already submitted.
SCORING_FIELDS = ("open_at", "due_at", "accept_late", "late_penalty_per_day",
                  "late_penalty_cap", "wrong_attempt_penalty", "form_credit",
                  "follow_through")


def _fraction(value: float, what: str) -> float:
    if not 0.0 <= value <= 1.0:
        raise ServiceError(_("The %(what)s must be between 0 %% and 100 %%.", what=what))
    return float(value)


def validate(settings: Settings) -> Settings:
    title = settings.title.strip()
    if not title:
        raise ServiceError(_("Please give the assignment a title."))
    if len(title) > 200:
        raise ServiceError(_("The title must have at most 200 characters."))
    if len(settings.instructions) > MAX_INSTRUCTIONS:
        raise ServiceError(_("The instructions must have at most %(max_instructions)s characters.", max_instructions=MAX_INSTRUCTIONS))
    if settings.due_at <= settings.open_at:
        raise ServiceError(_("The due date must come after the open date."))
    if settings.attempts_allowed is not None and not 1 <= settings.attempts_allowed <= 1000:
        raise ServiceError(_("Attempts allowed must be between 1 and 1000, or unlimited."))
    per_day = _fraction(settings.late_penalty_per_day, _("late penalty per day"))
    cap = _fraction(settings.late_penalty_cap, _("late penalty cap"))
    if settings.accept_late and per_day > 0 and cap == 0:
        raise ServiceError(_("A late penalty per day needs a cap above 0 % (100 % takes everything)."))
    return Settings(
        title=title, instructions=settings.instructions.strip(),
        open_at=settings.open_at, due_at=settings.due_at, accept_late=settings.accept_late,
        late_penalty_per_day=per_day if settings.accept_late else 0.0,
        late_penalty_cap=cap if settings.accept_late else 0.0,
        attempts_allowed=settings.attempts_allowed,
        wrong_attempt_penalty=_fraction(settings.wrong_attempt_penalty,
                                        _("penalty per wrong attempt")),
        solution_reveal=SolutionReveal(settings.solution_reveal),
        form_credit=_fraction(settings.form_credit,
                              _("credit for a right answer not in the requested form")),
        follow_through=bool(settings.follow_through),
        hide_from_practice=bool(settings.hide_from_practice))


def create_assignment(course: Course, settings: Settings) -> Assignment:
    settings = validate(settings)
    assignment = Assignment(course_id=course.id, secret=new_secret(),
                            status=AssignmentStatus.DRAFT, **vars(settings))
    db.session.add(assignment)
    db.session.flush()
    return assignment


def submission_count(assignment: Assignment) -> int:
    return db.session.scalar(
        select(func.count(Submission.id)).join(AssignmentItem)
        .where(AssignmentItem.assignment_id == assignment.id)) or 0


def _describe(name: str, value) -> str:
    if value is None:
        return "unlimited"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value * 100:g} %"
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


LABELS = {
    "open_at": "Open date", "due_at": "Due date", "accept_late": "Late work accepted",
    "late_penalty_per_day": "Late penalty per day", "late_penalty_cap": "Late penalty cap",
    "wrong_attempt_penalty": "Penalty per wrong attempt",
    "form_credit": "Credit for a right answer not in the requested form",
    "follow_through": "Follow-through credit in multi-part problems",
    "attempts_allowed": "Attempts allowed", "solution_reveal": "Solution shown",
    "title": "Title", "instructions": "Instructions",
    "hide_from_practice": "Templates hidden from practice while open",
}


def diff_settings(old: Settings, new: Settings) -> list[str]:
    changes = []
    for name in LABELS:
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            if name == "instructions":
                changes.append(_("Instructions edited"))
            else:
                changes.append(f"{LABELS[name]}: {_describe(name, before)} → "
                               f"{_describe(name, after)}")
    return changes


def update_settings(assignment: Assignment, settings: Settings) -> list[str]:
    """Apply the settings and return what changed, in words. Stored scores are untouched."""
    settings = validate(settings)
    changes = diff_settings(Settings.of(assignment), settings)
    if settings.attempts_allowed is not None \
            and assignment.attempts_allowed != settings.attempts_allowed:
        used = db.session.scalar(
            select(func.max(Submission.attempt_number)).join(AssignmentItem)
            .where(AssignmentItem.assignment_id == assignment.id)) or 0
        if used > settings.attempts_allowed:
            changes.append(_("Some students already used %(used)s attempts on an item; their attempts are "
                              "kept, they just cannot make more.", used=used))
    for name, value in vars(settings).items():
        setattr(assignment, name, value)
    db.session.flush()
    return changes


def set_status(assignment: Assignment, status: AssignmentStatus) -> None:
    if status == AssignmentStatus.PUBLISHED and not assignment.items:
        raise ServiceError(_("Add at least one item before publishing."))
    if status == AssignmentStatus.DRAFT and submission_count(assignment):
        raise Conflict(_("Students have already submitted work; the assignment stays published so that "
                          "their work stays visible to them."))
    assignment.status = status
    db.session.flush()


def _points(value: float) -> float:
    if not 0 <= value <= MAX_POINTS:
        raise ServiceError(_("Points must be between 0 and %(max_points)s.", max_points=format(MAX_POINTS, "g")))
    return round(float(value), 2)


def add_item(assignment: Assignment, template_id: str, points: float,
             known_templates: Collection[str]) -> AssignmentItem:
    """Add an item; `known_templates` are the bank's template ids."""
    template_id = (template_id or "").strip()
    if template_id not in known_templates:
        raise NotFound(_("The problem bank has no such template."))
    if len(assignment.items) >= MAX_ITEMS:
        raise ServiceError(_("An assignment holds at most %(max_items)s items.", max_items=MAX_ITEMS))
    position = max((item.position for item in assignment.items), default=0) + 1
    item = AssignmentItem(assignment=assignment, template_id=template_id,
                          points=_points(points), position=position)
    db.session.add(item)
    db.session.flush()
    return item


def get_item(assignment: Assignment, item_id: int) -> AssignmentItem:
    for item in assignment.items:
        if item.id == item_id:
            return item
    raise NotFound(_("No such item in this assignment."))


def item_has_submissions(item: AssignmentItem) -> bool:
    return db.session.scalar(
        select(Submission.id).where(Submission.item_id == item.id).limit(1)) is not None


def remove_item(assignment: Assignment, item_id: int) -> None:
    item = get_item(assignment, item_id)
    if item_has_submissions(item):
        raise Conflict(_("Students have answered this item; removing it would delete their work. Set "
                          "its points to 0 instead."))
    assignment.items.remove(item)
    db.session.flush()


def set_item_points(assignment: Assignment, item_id: int, points: float) -> str | None:
    """Change an item's worth; returns a note when stored scores now use the old value."""
    item = get_item(assignment, item_id)
    points = _points(points)
    if points == item.points:
        return None
    old, item.points = item.points, points
    db.session.flush()
    if item_has_submissions(item):
        return (_("Item %(position)s is now worth %(points)s points (was %(old)s). Stored scores "
                   "keep the old value until you recompute them.", position=item.position, points=format(points, "g"), old=format(old, "g")))
    return None


def move_item(assignment: Assignment, item_id: int, offset: int) -> None:
    items = list(assignment.items)
    index = items.index(get_item(assignment, item_id))
    other = index + offset
    if 0 <= other < len(items):
        items[index].position, items[other].position = items[other].position, \
            items[index].position
        db.session.flush()
        # The relationship keeps its loaded order until told otherwise.
        assignment.items.sort(key=lambda it: it.position)


def assignments_of(course: Course, *, published_only: bool = False) -> list[Assignment]:
    query = select(Assignment).where(Assignment.course_id == course.id)
    if published_only:
        query = query.where(Assignment.status == AssignmentStatus.PUBLISHED)
    return list(db.session.scalars(query.order_by(Assignment.due_at, Assignment.id)))


def get_assignment(course: Course, assignment_id: int) -> Assignment:
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.course_id != course.id:
        raise NotFound(_("No such assignment."))
    return assignment


@dataclass(frozen=True)
class ScoreChange:
    submission_id: int
    student_id: int
    item_position: int
    before: float
    after: float


def rescore(assignment: Assignment, student_id: int | None = None) -> list[ScoreChange]:
    """What the current rules give each stored verdict, without writing anything (only the
    answers of `student_id` when given). A student's extended due date counts."""
    base = scoring.Policy.of(assignment)
    extended = adjustments.due_dates(assignment)
    changes = []
    query = (select(Submission).join(AssignmentItem)
             .where(AssignmentItem.assignment_id == assignment.id)
             .order_by(Submission.item_id, Submission.student_id, Submission.attempt_number))
    if student_id is not None:
        query = query.where(Submission.student_id == student_id)
    rows = list(db.session.scalars(query))
    parts = part_answers.parts_of(sub.id for sub in rows)
    wrong_before: dict[tuple[int, int], int] = {}
    for sub in rows:
        key = (sub.item_id, sub.student_id)
        due = adjustments.due_of(assignment, extended, sub.student_id, sub.item_id)
        policy = replace(base, due_at=due)
        days = scoring.late_days(sub.submitted_at, due)
        if parts[sub.id]:
            # A multi-part answer earns the weighted credit of its parts.
            credit = part_answers.stored_credit(parts[sub.id], policy.form_credit,
                                                assignment.follow_through)
            points = scoring.credit_points(sub.item.points, credit, policy, days,
                                           wrong_before.get(key, 0))
        else:
            points = scoring.attempt_points(sub.item.points, sub.verdict == Verdict.CORRECT,
                                            policy, days, wrong_before.get(key, 0),
                                            form=sub.verdict == Verdict.FORM)
        if days and not assignment.accept_late:
            points = 0.0
        if sub.verdict in MISSES:
            wrong_before[key] = wrong_before.get(key, 0) + 1
        if points != sub.points_awarded or days != sub.late_days:
            changes.append(ScoreChange(sub.id, sub.student_id, sub.item.position,
                                       sub.points_awarded, points))
    return changes


def recompute_scores(assignment: Assignment,
                     student_id: int | None = None) -> list[ScoreChange]:
    """Apply the current rules to every stored verdict (no answer is re-checked; only those of
    `student_id` when given)."""
    changes = rescore(assignment, student_id)
    extended = adjustments.due_dates(assignment)
    for change in changes:
        sub = db.session.get(Submission, change.submission_id)
        sub.points_awarded = change.after
        due = adjustments.due_of(assignment, extended, sub.student_id, sub.item_id)
        sub.late_days = scoring.late_days(sub.submitted_at, due)
    part_answers.refresh_credits(assignment)
    db.session.flush()
    # The LMS's copies of the changed scores change in this same transaction (LTI passback).
    scores_changed(assignment, {change.student_id for change in changes})
    return changes
