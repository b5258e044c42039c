"""The answer boxes of a multi-part problem in a form: reading them, and the refusals shown
when a box is empty or too long (nothing is graded or stored then)."""

from __future__ import annotations

from flask import request

from app.checker.part_results import PartOutcome
from app.checker.results import ProblemView
from app.web.answer_text import refusal


def field(part_id: str) -> str:
    """The form field of a part's box."""
    return f"part-{part_id}"


def read(view: ProblemView) -> tuple[tuple[str, ...], dict[str, PartOutcome]]:
    """The answers in the order of the parts, and the refused ones by part id."""
    answers = tuple(request.form.get(field(p.part_id), "") for p in view.parts)
    refused = {}
    for part, text in zip(view.parts, answers, strict=True):
        problem = refusal(text)
        if problem is not None:
            refused[part.part_id] = PartOutcome(part.part_id, part.label, part.points, problem)
    return answers, refused
