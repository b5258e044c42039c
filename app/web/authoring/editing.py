"""What the editor's routes share: reading the posted source, running the checker on it, and
the editor page itself."""

from __future__ import annotations

from dataclasses import dataclass

from flask import abort, render_template, request
from flask_babel import gettext as _

from app.bank.source import MAX_SOURCE_CHARS
from app.checker.client import CheckerBusy, Unavailable
from app.checker.course_templates import TemplateProblem, TemplateReport
from app.models import Course, CourseTemplate
from app.services.authoring import store
from app.services.errors import NotFound
from app.web.checker import checker

# Seeds shown side by side in the preview.
PREVIEW_SEEDS = (0, 1, 2)

STARTER = """id: my-template
title: "Sigmoid of a scaled input"
topic: sigmoid
difficulty: 2
prompt: |
  Differentiate $f(x) = {{function}}$ with respect to $x$.
params:
  a: {type: integer, min: 2, max: 6}
function: "sigma({{a}}*x)"
wrt: x
variables: [x]
"""


@dataclass(frozen=True)
class Checked:
    """A template's text with what the checker said of it (`report` None: it could not run)."""

    text: str
    report: TemplateReport | None
    problem: str | None = None

    @property
    def errors(self) -> tuple[TemplateProblem, ...]:
        if self.report is None:
            return (TemplateProblem(None, None, self.problem or ""),)
        return self.report.errors

    @property
    def ok(self) -> bool:
        return self.report is not None and self.report.ok


def posted_source() -> str:
    # Browsers send CRLF from a textarea; the stored text (and its hash) uses LF.
    return request.form.get("source", "").replace("\r\n", "\n")


def check(text: str, name: str) -> Checked:
    """Validate and preview `text` in the pool; an over-long text never reaches it."""
    if not text.strip():
        return Checked(text, None, _("The template is empty: write its YAML first."))
    if len(text) > MAX_SOURCE_CHARS:
        return Checked(text, None, _("The template has %(n)s characters; at most %(max)s are "
                                     "allowed.", n=format(len(text), ","),
                                     max=format(MAX_SOURCE_CHARS, ",")))
    try:
        return Checked(text, checker().inspect_template(text, name, PREVIEW_SEEDS))
    except CheckerBusy:
        return Checked(text, None, _("The checker is busy: the template was not checked. "
                                     "Please try again in a moment."))
    except Unavailable as exc:
        return Checked(text, None, str(exc))


def editor(course: Course, template: CourseTemplate | None, checked: Checked | None,
           text: str, status: int = 200, copied_from: str | None = None):
    return render_template("authoring/editor.html", course=course, template=template,
                           checked=checked, source=text, copied_from=copied_from,
                           max_chars=MAX_SOURCE_CHARS,
                           usages=store.usages(template) if template else []), status


def template_or_404(course: Course, template_id: int) -> CourseTemplate:
    try:
        return store.get_template(course, template_id)
    except NotFound:
        abort(404)
