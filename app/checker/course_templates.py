"""Course templates across the worker boundary: how an item names one, the source a task gets
instead of the bank's folder, and what validating one reports.

A course template is YAML text stored in the database, one immutable row per version. An
item names a version by a reference, ``c<course>.<id>.v<number>``, which no bank id can be
(bank ids have no dots), so a stored reference always means the same text. The web process
never reads that text: it hands it to a worker as an `InlineTemplate`, and the worker reads
it with the bank's own reader and schema, under the pool's limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.checker.results import ProblemView

_REF = re.compile(r"^c(?P<course>[0-9]+)\.(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)\.v(?P<number>[0-9]+)$")


@dataclass(frozen=True)
class CourseRef:
    course_id: int
    slug: str
    number: int

    def __str__(self) -> str:
        return f"c{self.course_id}.{self.slug}.v{self.number}"


def course_ref(course_id: int, slug: str, number: int) -> str:
    return str(CourseRef(course_id, slug, number))


def parse_course_ref(template_id: str) -> CourseRef | None:
    """The version a reference names, or None for a bank id (or anything else)."""
    match = _REF.match(template_id or "")
    if match is None:
        return None
    return CourseRef(int(match["course"]), match["slug"], int(match["number"]))


@dataclass(frozen=True)
class InlineTemplate:
    """A template's source text, sent to a worker in place of the bank's folder."""

    ref: str
    text: str


@dataclass(frozen=True)
class TemplateProblem:
    """One error in a template's source: the field (dotted path) and its line, when known."""

    field: str | None
    line: int | None
    message: str


@dataclass(frozen=True)
class MistakePreview:
    answer_mathml_source: str
    answer_plain: str
    message: str


@dataclass(frozen=True)
class SeedPreview:
    """One variant as a student would see it, with what only the instructor sees."""

    view: ProblemView
    answer_plain: str
    requirements: tuple[str, ...]
    mistakes: tuple[MistakePreview, ...]


@dataclass(frozen=True)
class TemplateReport:
    """What validating a template's source found: its id, title and topic when the schema
    accepts it, every problem, and previews of a few seeds when there is none."""

    template_id: str | None
    title: str | None
    topic: str | None
    errors: tuple[TemplateProblem, ...]
    previews: tuple[SeedPreview, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.errors and self.template_id is not None
