"""Templates that Practice does not offer a student while an assignment of theirs uses them.

Two reasons: the instructor marked the assignment "hide its templates from practice while
open", or the template has a single variant (no parameters), so practice could only show the
assignment's own problem (`app/bank/spaces.py` keeps every other template's practice and
assignment variants apart). Only published assignments of courses the student is enrolled in
as a student count, from their opening until their due date, or the latest extended one;
one that accepts late work keeps hiding while it is published, since it still takes answers.

Every page of practice asks, so each process keeps what it read per student for a few seconds
(`CACHE_SECONDS`) and filters it by the time at each request: an assignment that opens or
closes does so on the minute. A change committed in this process (an assignment published,
its items, an extension, an enrolment) empties the cache at once; one committed in another
process is seen here within `CACHE_SECONDS` (and so is one made without the ORM's unit of
work, such as a bulk UPDATE; there are none on these tables). Nothing is lost in that time:
before its publication the template was offered in practice anyway.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from cachetools import TTLCache
from sqlalchemy import bindparam, event, func, or_, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models import Course, Enrolment, EnrolmentRole
from app.models.adjustments import Extension
from app.models.assignment import Assignment, AssignmentItem, AssignmentStatus

CACHE_SECONDS = 5.0
_CACHE_SIZE = 20_000
# What, once changed, can change what is hidden from whom.
_WATCHED = (Assignment, AssignmentItem, Extension, Enrolment, Course)


def _now() -> float:
    # Looked up at each call, so that a test can step the cache's clock instead of racing it.
    return time.monotonic()


@dataclass(frozen=True)
class Hidden:
    template_id: str
    assignment_title: str
    course_title: str
    # When practice offers it again (None: while the assignment takes late work).
    until: datetime | None
    timezone: str


@dataclass(frozen=True)
class _Row:
    template_id: str
    assignment_title: str
    course_title: str
    timezone: str
    open_at: datetime
    until: datetime | None  # None: while the assignment takes late work


class _Rows:
    """Per student, the rows that may hide a template (see the module's docstring)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: TTLCache = TTLCache(_CACHE_SIZE, CACHE_SECONDS, timer=lambda: _now())
        # Counts the clears, so that rows read before one are not stored after it.
        self.generation = 0

    def get(self, key: tuple) -> tuple[_Row, ...] | None:
        with self._lock:
            return self._cache.get(key)

    def put(self, key: tuple, rows: tuple[_Row, ...], generation: int) -> None:
        with self._lock:
            if generation == self.generation:
                self._cache[key] = rows

    def clear(self) -> None:
        with self._lock:
            self._cache.clear()
            self.generation += 1


# One per database (an app's engine): tests, and commands, run several apps in one process.
_by_engine: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_by_engine_lock = threading.Lock()


def _rows() -> _Rows:
    engine = db.engine
    with _by_engine_lock:
        rows = _by_engine.get(engine)
        if rows is None:
            rows = _by_engine[engine] = _Rows()
        return rows


def forget() -> None:
    """Read everything again on the next request (a change this process cannot see)."""
    with _by_engine_lock:
        caches = list(_by_engine.values())
    for rows in caches:
        rows.clear()


def hidden_templates(user_id: int, now: datetime,
                     single_variant: Collection[str] = ()) -> dict[str, Hidden]:
    """Template id -> why it is hidden from this user's practice now."""
    key = (user_id, tuple(sorted(single_variant)))
    cache = _rows()
    rows = cache.get(key)
    if rows is None:
        generation = cache.generation
        rows = _read(user_id, single_variant)
        cache.put(key, rows, generation)
    found: dict[str, Hidden] = {}
    for row in rows:
        if row.open_at > now or (row.until is not None and now > row.until):
            continue
        known = found.get(row.template_id)
        if known is None or (known.until is not None
                             and (row.until is None or row.until > known.until)):
            found[row.template_id] = Hidden(row.template_id, row.assignment_title,
                                            row.course_title, row.until, row.timezone)
    return found


def _statement(with_single_variant: bool):
    latest_extension = (select(func.max(Extension.due_at))
                        .where(Extension.assignment_id == Assignment.id)
                        .scalar_subquery())
    wanted = Assignment.hide_from_practice
    if with_single_variant:
        wanted = or_(wanted, AssignmentItem.template_id.in_(
            bindparam("single_variant", expanding=True)))
    return (select(AssignmentItem.template_id, Assignment.title, Assignment.open_at,
                   Assignment.due_at, Assignment.accept_late, latest_extension, Course.title,
                   Course.timezone)
            .join(Assignment, AssignmentItem.assignment_id == Assignment.id)
            .join(Course, Assignment.course_id == Course.id)
            .join(Enrolment, Enrolment.course_id == Course.id)
            .where(Enrolment.user_id == bindparam("user_id"),
                   Enrolment.role == EnrolmentRole.STUDENT,
                   Assignment.status == AssignmentStatus.PUBLISHED, wanted))


# Built once: building the statement cost about as much CPU as running it.
_STATEMENTS = {False: _statement(False), True: _statement(True)}


def _read(user_id: int, single_variant: Collection[str]) -> tuple[_Row, ...]:
    parameters = {"user_id": user_id}
    if single_variant:
        parameters["single_variant"] = list(single_variant)
    # Core on the session's connection (its transaction): the rows are plain columns, and the
    # ORM's execution path cost more than the query. Core does not autoflush: a caller that
    # changes assignments or enrolments first flushes before asking (none does today).
    result = db.session.connection().execute(_STATEMENTS[bool(single_variant)], parameters)
    rows = []
    for template_id, title, open_at, due_at, accept_late, extended, course, timezone in result:
        until = max(due_at, extended) if extended is not None else due_at
        rows.append(_Row(template_id, title, course, timezone, open_at,
                         None if accept_late else until))
    return tuple(rows)


@event.listens_for(Session, "before_flush")
def _note_changes(session: Session, _context, _instances) -> None:
    # Before the flush, while `is_modified` still tells a real change from setting a value to
    # what it was (an LTI launch sets an enrolment's role on every launch).
    changed = (*session.new, *session.deleted,
               *(obj for obj in session.dirty if session.is_modified(obj)))
    if any(isinstance(obj, _WATCHED) for obj in changed):
        session.info["practice_hidden_changed"] = True


@event.listens_for(Session, "after_commit")
def _forget_after_commit(session: Session) -> None:
    # After the commit, not the flush: a request reading in between would cache the old rows.
    # A rolled-back change leaves the mark for the next commit, which then forgets once more
    # than needed: cheaper than telling a savepoint's rollback from the transaction's.
    if session.info.pop("practice_hidden_changed", False):
        forget()
