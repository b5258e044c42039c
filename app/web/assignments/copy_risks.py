"""Warnings on the settings form when the reveal policy and the attempt or late rules let a
student copy the worked solution for credit. Shown, never blocking: an instructor may want
exactly that (a formative quiz)."""

from __future__ import annotations

from flask_babel import gettext as _

from app.models.assignment import SolutionReveal
from app.web.assignments import bp


def _share(form_field) -> float:
    value = form_field.data
    return min(max(float(value or 0) / 100, 0.0), 1.0)


def copy_risks(form) -> list[str]:
    """What the settings as typed (or saved) let a student copy, in words."""
    try:
        reveal = SolutionReveal(form.solution_reveal.data)
    except ValueError:
        return []
    risks = []
    attempts = form.attempts_allowed.data
    kept = 1.0 - _share(form.wrong_attempt_penalty)
    if reveal == SolutionReveal.AFTER_MISS and (attempts is None or attempts >= 2) and kept > 0:
        risks.append(_(
            "The worked solution is shown after a wrong attempt and attempts are left: a "
            "student can miss once on purpose, copy the solution and still earn %(share)s %% "
            "of the points. Allow one attempt, add a penalty per wrong attempt, or show the "
            "solution after the due date.", share=format(kept * 100, "g")))
    late_kept = 1.0 - _share(form.late_penalty_cap)
    if reveal != SolutionReveal.NEVER and form.accept_late.data and late_kept > 0:
        risks.append(_(
            "The worked solution is shown once the due date has passed, and late work is "
            "accepted: a late answer copied from it earns %(share)s %% of the points. Raise "
            "the late penalty cap to 100 %% or do not show the solution.",
            share=format(late_kept * 100, "g")))
    return risks


@bp.context_processor
def _expose() -> dict:
    return {"copy_risks": copy_risks}
