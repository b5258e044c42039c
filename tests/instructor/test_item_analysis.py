"""Item analysis from stored fingerprints: equivalent wrong answers share one, grouping needs
no engine work on a view, and the query count does not grow with the class."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import event

from app.cas.parse import parse
from app.checker.fingerprint import answer_fingerprint
from app.checker.results import GradeOutcome, Verdict
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem
from app.services.assignments import submissions
from app.services.assignments.variants import seed_for
from app.services.reports import item_analysis
from tests.instructor.conftest import build_setup

BEFORE = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


def _fp(text, variables=("x",), domain=None):
    return answer_fingerprint(parse(text, variables=list(variables)), tuple(variables),
                              domain or {})


@pytest.mark.parametrize(("a", "b"), [
    ("σ(x)(1-σ(x))", "e^(-x)/(1+e^(-x))^2"),
    ("σ(2x+1)(1+σ(2x+1))", "σ(2x+1) + σ(2x+1)^2"),
    ("log(x^2)", "2 log(abs(x))"),
    ("1/4", "0.25"),
])
def test_equivalent_answers_share_a_fingerprint(a, b):
    assert _fp(a) == _fp(b) is not None


@pytest.mark.parametrize(("a", "b"), [
    ("σ(x)(1-σ(x))", "σ(x)"),
    ("σ(x)(1-σ(x))", "σ(x)(1-σ(x)) + 10^-9"),
    ("x^2", "x^2 + x - x + 1"),
    ("sqrt(x)", "-sqrt(x)"),
])
def test_different_answers_differ(a, b):
    assert _fp(a) != _fp(b)


def test_fingerprint_uses_the_domain():
    # log(yhat) only exists on (0, 1) here; outside it every point would be undefined.
    inside = _fp("log(yhat)", ("yhat",), {"yhat": (0.0, 1.0)})
    other = _fp("log(1 - yhat)", ("yhat",), {"yhat": (0.0, 1.0)})
    assert inside != other
    assert _fp("log(yhat)", ("yhat",), {"yhat": (0.0, 1.0)}) == inside


def _store(app, s, student_id, answer, outcome):
    with app.app_context():
        assignment = db.session.get(Assignment, s.assignment_id)
        item = db.session.get(AssignmentItem, s.item_ids[0])
        submissions.record(assignment, item, student_id, seed_for(assignment, item, student_id),
                           answer, outcome, BEFORE)
        db.session.commit()


def _wrong(kind=None, fingerprint=None, canonical=None):
    return GradeOutcome(Verdict.INCORRECT, mistake_kind=kind,
                        mistake_message=f"You made mistake {kind}." if kind else None,
                        canonical=canonical, fingerprint=fingerprint)


def test_groups_by_mistake_across_students_and_by_fingerprint_within_a_variant(app, make_user):
    s = build_setup(app, make_user, attempts=None)
    ann, ben = s.student_ids
    _store(app, s, ann, "a1", _wrong("chain_dropped", "f1"))
    _store(app, s, ben, "b1", _wrong("chain_dropped", "f9"))
    _store(app, s, ann, "a2", _wrong(None, "f2"))
    _store(app, s, ann, "a2 again", _wrong(None, "f2"))
    _store(app, s, ben, "b2", _wrong(None, "f2"))  # another variant: not the same answer
    _store(app, s, ann, "old", _wrong(None, None, canonical="2*x"))
    _store(app, s, ann, "old  ", _wrong(None, None, canonical="2*x"))
    _store(app, s, ann, "right", GradeOutcome(Verdict.CORRECT))
    with app.app_context():
        [first, _second] = item_analysis.analyse(db.session.get(Assignment, s.assignment_id))
    assert (first.students, first.attempts, first.eventually_correct) == (2, 8, 1)
    groups = [(sorted(g.examples), g.count, g.students, g.mistake_kind)
              for g in first.wrong_groups]
    assert groups == [
        (["a1", "b1"], 2, 2, "chain_dropped"),
        (["a2", "a2 again"], 2, 1, None),
        (["old", "old  "], 2, 1, None),
        (["b2"], 1, 1, None),
    ]
    assert first.wrong_groups[0].mistake_message == "You made mistake chain_dropped."


def test_query_count_does_not_grow_with_the_class(app, make_user):
    s = build_setup(app, make_user, attempts=None)
    ann, ben = s.student_ids

    def statements():
        seen = []
        with app.app_context():
            assignment = db.session.get(Assignment, s.assignment_id)
            assignment.items  # noqa: B018 - loaded before counting
            listener = lambda *args: seen.append(args[2])  # noqa: E731
            event.listen(db.engine, "before_cursor_execute", listener)
            try:
                item_analysis.analyse(assignment)
            finally:
                event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    _store(app, s, ann, "a", _wrong(None, "f1"))
    few = statements()
    for index in range(30):
        _store(app, s, ben if index % 2 else ann, f"w{index}", _wrong(None, f"g{index}"))
    assert statements() == few == 2
