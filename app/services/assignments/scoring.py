"""Scoring arithmetic: late days, penalties and the score of an item. Pure functions of their
arguments (the clock is passed in), so deadlines are tested without waiting for them."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Policy:
    """The grading rules of one assignment, detached from the database row."""

    open_at: datetime
    due_at: datetime
    accept_late: bool = False
    late_penalty_per_day: float = 0.0
    late_penalty_cap: float = 0.0
    attempts_allowed: int | None = None
    wrong_attempt_penalty: float = 0.0
    # The share of the points for an answer that is right but not in the requested form.
    form_credit: float = 0.0

    @classmethod
    def of(cls, assignment, allowance=None, item_id: int | None = None) -> Policy:
        """The assignment's rules, for one student when `allowance` (their extensions, see
        `adjustments.Allowance`) is given: a later due date moves the deadline (an answer
        before it is on time, whatever the late rules) and extra attempts add to the limit."""
        due_at, attempts = assignment.due_at, assignment.attempts_allowed
        accept_late = assignment.accept_late
        if allowance is not None:
            extended = allowance.due_for(item_id)
            if extended is not None and extended > due_at:
                due_at = extended
            if attempts is not None:
                attempts += allowance.extra_for(item_id)
        return cls(assignment.open_at, due_at, accept_late,
                   assignment.late_penalty_per_day, assignment.late_penalty_cap,
                   attempts, assignment.wrong_attempt_penalty, assignment.form_credit)


def late_days(submitted_at: datetime, due_at: datetime) -> int:
    """Started days after the deadline: one second late is one day late."""
    if submitted_at <= due_at:
        return 0
    return math.ceil((submitted_at - due_at) / DAY)


def late_fraction(policy: Policy, days: int) -> float:
    """The share of the points taken for lateness."""
    if days <= 0:
        return 0.0
    return min(policy.late_penalty_cap, policy.late_penalty_per_day * days, 1.0)


def wrong_fraction(policy: Policy, wrong_before: int) -> float:
    """The share taken for the wrong attempts made before this one."""
    return min(1.0, policy.wrong_attempt_penalty * max(0, wrong_before))


def attempt_points(points: float, correct: bool, policy: Policy, days_late: int,
                   wrong_before: int, *, form: bool = False) -> float:
    """Points for one attempt: all of them when correct, `policy.form_credit` of them for a
    right answer not in the requested form (`form`), none otherwise. Penalties multiply, so
    a late answer after two misses keeps what is left of each, and the result is never
    negative."""
    credit = 1.0 if correct else policy.form_credit if form else 0.0
    return credit_points(points, credit, policy, days_late, wrong_before)


def credit_points(points: float, credit: float, policy: Policy, days_late: int,
                  wrong_before: int) -> float:
    """Points for an attempt earning `credit` (a share of 1: the weighted parts of a
    multi-part answer), after the late and wrong-attempt penalties."""
    if not credit:
        return 0.0
    kept = (1.0 - late_fraction(policy, days_late)) * (1.0 - wrong_fraction(policy, wrong_before))
    return round(max(0.0, points * credit * kept), 4)


def item_score(awarded: Iterable[float]) -> float:
    """The item counts its best penalty-adjusted attempt."""
    return max(awarded, default=0.0)


class WindowClosed(Exception):
    """The assignment does not take answers at this time; the message says why."""


def check_window(policy: Policy, now: datetime) -> int:
    """Return the late days for an answer given at `now`, or raise WindowClosed."""
    if now < policy.open_at:
        raise WindowClosed(_("This assignment is not open yet."))
    days = late_days(now, policy.due_at)
    if days and not policy.accept_late:
        raise WindowClosed(_("The due date has passed and this assignment takes no late work."))
    return days


def attempts_left(policy: Policy, used: int) -> int | None:
    if policy.attempts_allowed is None:
        return None
    return max(0, policy.attempts_allowed - used)
