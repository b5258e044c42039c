"""The verdict on one answer to one variant: the single function grading calls.

    expr = parse(answer_text, variables=list(variant.variables))
    judgement = judge(variant, expr, answer_text)

(with a parser that can also build the tree as written: ``judge(variant, expr, answer_text,
written=...)``).

A `Judgement` is one of

* ``correct``: equivalent to the right answer and in every requested form;
* ``form``: equivalent, but not in a requested form; `message` names the requirement (never
  counts as correct; in an assignment it costs an attempt, its credit is the instructor's);
* ``incorrect``: not equivalent; `message` is the recognised mistake (`specific`), or else a
  true general statement; `kind` names the mistake for item analysis;
* ``undecided``: the engine could not decide (never guessed; not an attempt).

It is pure engine work (no Flask, no database), meant to run inside the checking pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from app.cas.budget import OutOfBudget, cpu_budget
from app.cas.equivalence import Tolerance, equivalent
from app.cas.i18n import _
from app.cas.mistakes import diagnose, facts
from app.cas.requirements import first_violation, form_message

CORRECT = "correct"
FORM = "form"
INCORRECT = "incorrect"
UNDECIDED = "undecided"

# CPU seconds the search for a wrong answer's mistake may take. The slowest on the feedback
# set takes 85 ms cold and 10 ms warm; past this the search is given up (the answer keeps its
# verdict and gets the general message), so that an answer such as x^1000, whose factoring
# alone would take minutes, is answered in milliseconds.
DIAGNOSIS_SECONDS = 0.4


@dataclass(frozen=True)
class Judgement:
    verdict: str
    message: str | None = None
    # The mistake's kind for "incorrect" (None when unrecognised), the requirement's for "form".
    kind: str | None = None
    # For "form": the requirement as the template writes it ("sigma-only").
    requirement: str | None = None
    # For "incorrect": the message names a recognised mistake (not only a general fact).
    specific: bool = False

    @property
    def correct(self) -> bool:
        return self.verdict == CORRECT

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict,
            "message": self.message,
            "kind": self.kind,
            "requirement": self.requirement,
            "specific": self.specific,
        }


def _tolerance(variant) -> Tolerance | None:
    if variant.tolerance is None:
        return None
    relative, absolute = variant.tolerance
    return Tolerance(relative=relative, absolute=absolute)


def judge(
    variant, answer: sp.Expr, answer_text: str | None = None, written: sp.Expr | None = None
) -> Judgement:
    """The verdict on `answer` (parsed with the variant's variables) for `variant`.

    `answer_text` is what the student typed; it is only used to count the significant
    figures of a decimal. `written` is the answer as written (every node unevaluated) when
    the parser can give it; the requirements are then checked on it, so that 2(x + 1) is a
    product. Raises `AnswerError` when the comparison is impossible (the right answer
    undefined on the whole domain), like `equivalent`.
    """
    same = equivalent(answer, variant.expected, domain=variant.domain,
                      tolerance=_tolerance(variant))
    if same is None:
        return Judgement(UNDECIDED, _("The checker could not decide whether this answer is right; try writing it in "
                                       "a simpler form."))
    if written is None:
        broken = first_violation(variant.requirements, answer)
    else:
        broken = first_violation(variant.requirements, written, written=True)
    if same:
        if broken is None:
            return Judgement(CORRECT)
        requirement, what = broken
        return Judgement(FORM, form_message(requirement, what, variant.significant),
                         kind=requirement.kind, requirement=requirement.label)
    mistake = _diagnosis(answer, variant, answer_text)
    if mistake is not None:
        message, kind, specific = mistake.message, mistake.kind, True
    else:
        message, kind, specific = facts(answer, variant.expected, variant.wrt), None, False
    if broken is not None:
        requirement, _detail = broken
        message = _("%(message)s Also, the question asks you to %(wording)s.") % {
            "message": message, "wording": requirement.wording(variant.significant)}
    return Judgement(INCORRECT, message, kind=kind, specific=specific)


def _diagnosis(answer: sp.Expr, variant, answer_text: str | None):
    try:
        with cpu_budget(DIAGNOSIS_SECONDS):
            return diagnose(answer, variant, text=answer_text)
    except OutOfBudget:
        return None
