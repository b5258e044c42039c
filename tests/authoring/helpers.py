"""Course templates for the tests: YAML sources, and a student's variant of one."""

from __future__ import annotations

from app.bank.loader import read_template_text
from app.bank.variant import build_variant
from app.cas.plain import to_plain
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem
from app.services.assignments.variants import seed_for
from app.services.authoring.store import source_text

# Line 4 has a difficulty out of range and line 11 a wrt that is not a name.
BROKEN = """id: scaled-sigmoid
title: "Sigmoid of a scaled input"
topic: sigmoid
difficulty: 9
prompt: |
  Differentiate $f(x) = {{function}}$ with respect to $x$.
params:
  a: {type: integer, min: 2, max: 6}
function: "sigma({{a}}*x)"
variables: [x]
wrt: [x]
"""

FIXED = BROKEN.replace("difficulty: 9", "difficulty: 2").replace("wrt: [x]", "wrt: x")
# Version 2: the same problem shifted, so a right answer to version 1 is wrong for it.
SHIFTED = FIXED.replace('"sigma({{a}}*x)"', '"sigma({{a}}*x + 1)"')


def expected_answer(app, assignment_id: int, item_id: int, student_id: int) -> str:
    """The right answer to the student's variant of the version the item uses."""
    with app.app_context():
        assignment = db.session.get(Assignment, assignment_id)
        item = db.session.get(AssignmentItem, item_id)
        template, errors = read_template_text(source_text(item.template_id), item.template_id)
        assert template is not None and not errors
        return to_plain(build_variant(template, seed_for(assignment, item, student_id)).expected)
