"""Answers computed from the bank for a student's own variant."""

from app.bank import load_bank
from app.cas.plain import to_plain
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem
from app.services.assignments.variants import seed_for


def variant_of(app, assignment_id: int, item_id: int, student_id: int):
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        item = db.session.get(AssignmentItem, item_id)
        seed = seed_for(assignment, item, student_id)
        return load_bank(app.config["PROBLEMS_DIR"]).variant(item.template_id, seed)


def right_answer(app, assignment_id, item_id, student_id) -> str:
    return to_plain(variant_of(app, assignment_id, item_id, student_id).expected)


def function_text(app, assignment_id, item_id, student_id) -> str:
    return to_plain(variant_of(app, assignment_id, item_id, student_id).function)
