from __future__ import annotations

import time

from flask import redirect, render_template, request, url_for
from flask_login import current_user, login_required

from app.checker.client import CheckerBusy
from app.checker.part_results import PartsOutcome
from app.checker.results import GradeOutcome, PlotData, ProblemView, UnknownVariant, Verdict
from app.extensions import db
from app.services.practice import attempts, progress
from app.services.practice.topics import by_topic, topic_label
from app.services.problems import part_rows, plots
from app.web import part_answers
from app.web.answer_text import busy_headers, pace_heavy, refusal
from app.web.checker import checker
from app.web.practice import bp, problems


@bp.get("/")
@login_required
def topics():
    hidden = problems.hidden()
    grouped = by_topic(e for e in problems.catalogue() if e.template_id not in hidden)
    report = progress.report(current_user.id)
    return render_template("practice/topics.html", topics=grouped, report=report,
                           topic_label=topic_label, hidden=len(hidden))


@bp.get("/<template_id>")
@login_required
def start(template_id: str):
    """A fresh random variant; `after` is the seed just seen, so "new variant" never repeats it."""
    after = request.args.get("after", type=int)
    problems.check_variant_id(template_id, after if after is not None else 0)
    return redirect(url_for(".problem", template_id=template_id,
                            seed=attempts.new_seed(avoid=after)))


def _plots(view: ProblemView, outcome: GradeOutcome | None) -> tuple[PlotData | None, ...]:
    """The plots shown after a wrong answer (their captions say what is held and what they
    show, so the page needs their data; the images reuse it)."""
    if outcome is None or outcome.verdict is not Verdict.INCORRECT or not view.plottable:
        return None, None
    compare = None
    if outcome.canonical:
        compare = plots.comparison(checker(), view.template_id, view.seed, outcome.canonical)
    function = plots.function(checker(), view.template_id, view.seed) if view.is_sigmoid else None
    return compare, function


def _page(view: ProblemView, *, answer: str = "", outcome: GradeOutcome | None = None,
          status: int = 200, busy: bool = False,
          known: tuple[progress.Progress, bool] | None = None,
          parts: PartsOutcome | None = None, answers: tuple[str, ...] = (),
          refused: dict | None = None):
    """The problem page; `known` is (the template's progress, whether the variant has a
    verdict) when the caller already has them."""
    family, answered = known or progress.of_variant(current_user.id, view.template_id,
                                                     view.seed)
    compare_plot, function_plot = _plots(view, outcome) if not view.parts else (None, None)
    return render_template(
        "practice/problem.html",
        view=view,
        answer=answer,
        outcome=outcome,
        compare_plot=compare_plot,
        function_plot=function_plot,
        progress=family,
        topic_label=topic_label(view.topic),
        already_answered=answered,
        busy=busy,
        parts_outcome=parts,
        part_outcomes=_by_part(parts, refused),
        answers=dict(zip((p.part_id for p in view.parts), answers, strict=False)),
    ), status, busy_headers(busy)


def _by_part(parts: PartsOutcome | None, refused: dict | None) -> dict:
    if parts is not None:
        return {p.part_id: p for p in parts.parts}
    return refused or {}


@bp.get("/<template_id>/<int:seed>")
@login_required
def problem(template_id: str, seed: int):
    return _page(problems.view(template_id, seed))


@bp.post("/<template_id>/<int:seed>")
@login_required
def submit(template_id: str, seed: int):
    started = time.monotonic()
    view = problems.view(template_id, seed)
    if view.parts:
        return _submit_parts(view, started)
    answer = request.form.get("answer", "")
    refused = refusal(answer)
    if refused is not None:
        # Not a submission at all: nothing to grade or store.
        pace_heavy(started, [answer], [refused])
        return _page(view, answer=answer, outcome=refused, status=422)
    try:
        outcome = checker().grade(template_id, seed, answer)
    except UnknownVariant:
        return _page(view, answer=answer, status=404)
    except CheckerBusy:
        pace_heavy(started, [answer])
        return _page(view, answer=answer, status=503, busy=True)
    # The answer is all this request writes: on PostgreSQL it can be its own transaction.
    known = attempts.record(current_user.id, template_id, view.topic, seed, answer, outcome,
                            alone=True)
    db.session.commit()
    pace_heavy(started, [answer], [outcome])
    return _page(view, answer=answer if not outcome.valid else "", outcome=outcome,
                 status=200 if outcome.verdict is not Verdict.INVALID else 422, known=known)


def _submit_parts(view: ProblemView, started: float):
    """Every part's box graded together: one answer to the variant (see `part_answers`)."""
    answers, refused = part_answers.read(view)
    if refused:
        pace_heavy(started, answers, (p.outcome for p in refused.values()))
        return _page(view, answers=answers, refused=refused, status=422)
    try:
        graded = checker().grade_parts(view.template_id, view.seed, answers)
    except UnknownVariant:
        return _page(view, answers=answers, status=404)
    except CheckerBusy:
        pace_heavy(started, answers)
        return _page(view, answers=answers, status=503, busy=True)
    outcome = part_rows.whole(graded)
    known = attempts.record(current_user.id, view.template_id, view.topic, view.seed,
                            part_rows.summary(graded, answers), outcome,
                            parts=part_rows.part_rows(graded, answers, form_credit=0.0))
    db.session.commit()
    pace_heavy(started, answers, (p.outcome for p in graded.parts))
    return _page(view, answers=answers, outcome=outcome, parts=graded, known=known,
                 status=200 if graded.counted else 422)
