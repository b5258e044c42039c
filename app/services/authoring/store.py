"""Course templates: saving versions, listing them, and what the checker needs to read one.

A template's text reaches this module only with the checker's `TemplateReport` of it (the
validation ran in a worker): nothing here parses YAML. Saving a changed text makes a new
version; items of draft assignments follow it, items of published ones keep the version
their answers were graded against until the instructor upgrades them (`upgrades`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.checker.course_templates import TemplateReport, course_ref, parse_course_ref
from app.checker.results import CatalogueEntry
from app.extensions import db
from app.models import Course, CourseTemplate, CourseTemplateVersion, User
from app.models.assignment import Assignment, AssignmentItem, Submission
from app.models.base import utcnow
from app.services.errors import Conflict, NotFound, ServiceError

MAX_SLUG = 60
MAX_TEMPLATES_PER_COURSE = 500


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ref_of(template: CourseTemplate, number: int | None = None) -> str:
    """The reference items use for a version (the latest when `number` is None)."""
    return course_ref(template.course_id, template.slug,
                      template.latest_number if number is None else number)


def source_text(ref: str) -> str | None:
    """The text of the version `ref` names; the checker's `source_of`."""
    parsed = parse_course_ref(ref)
    if parsed is None:
        return None
    return db.session.scalar(
        select(CourseTemplateVersion.source).join(CourseTemplate)
        .where(CourseTemplate.course_id == parsed.course_id,
               CourseTemplate.slug == parsed.slug,
               CourseTemplateVersion.number == parsed.number))


def templates_of(course: Course) -> list[CourseTemplate]:
    return list(db.session.scalars(
        select(CourseTemplate).where(CourseTemplate.course_id == course.id)
        .order_by(CourseTemplate.topic, CourseTemplate.title, CourseTemplate.id)))


def every_template() -> list[CourseTemplate]:
    """Every course's templates, for the admins' list."""
    return list(db.session.scalars(select(CourseTemplate).order_by(
        CourseTemplate.course_id, CourseTemplate.topic, CourseTemplate.title)))


def shared_templates(exclude: Course | None = None) -> list[CourseTemplate]:
    """Templates an admin promoted to the shared bank (of other courses than `exclude`)."""
    query = select(CourseTemplate).where(CourseTemplate.shared.is_(True))
    if exclude is not None:
        query = query.where(CourseTemplate.course_id != exclude.id)
    return list(db.session.scalars(query.order_by(CourseTemplate.topic, CourseTemplate.title)))


def get_template(course: Course, template_id: int) -> CourseTemplate:
    template = db.session.get(CourseTemplate, template_id)
    if template is None or template.course_id != course.id:
        raise NotFound(_("No such template in this course."))
    return template


def get_shared(template_id: int) -> CourseTemplate:
    template = db.session.get(CourseTemplate, template_id)
    if template is None or not template.shared:
        raise NotFound(_("No such shared template."))
    return template


def latest(template: CourseTemplate) -> CourseTemplateVersion:
    return template.versions[-1]


def catalogue_of(course: Course) -> list[CatalogueEntry]:
    """What the assignment builder may add besides the bank: this course's templates and the
    shared ones, each at its latest version."""
    own = [CatalogueEntry(ref_of(t), _("%(title)s (this course)", title=t.title), t.topic)
           for t in templates_of(course)]
    shared = [CatalogueEntry(ref_of(t), _("%(title)s (shared)", title=t.title), t.topic)
              for t in shared_templates(course)]
    return own + shared


def every_version_of(course: Course) -> list[CatalogueEntry]:
    """Every version of the course's templates, titled "… (version n)"."""
    entries = []
    for template in templates_of(course):
        for version in template.versions:
            entries.append(CatalogueEntry(
                ref_of(template, version.number),
                _("%(title)s (version %(n)s)", title=template.title, n=version.number),
                template.topic))
    return entries


@dataclass(frozen=True)
class Saved:
    template: CourseTemplate
    version: CourseTemplateVersion
    # False when the text was the latest version's already: nothing new was stored.
    new_version: bool
    # Items of draft assignments moved to the new version.
    moved_items: int = 0


def _checked(report: TemplateReport) -> str:
    if not report.ok or report.template_id is None:
        raise ServiceError(_("The template has errors; nothing was saved."))
    if len(report.template_id) > MAX_SLUG:
        raise ServiceError(_("The template id must have at most %(n)s characters.", n=MAX_SLUG))
    return report.template_id


def _add_version(template: CourseTemplate, text: str, user: User | None,
                 report: TemplateReport) -> CourseTemplateVersion:
    number = template.latest_number + 1 if template.versions else 1
    version = CourseTemplateVersion(template=template, number=number, source=text,
                                    content_hash=content_hash(text),
                                    created_by_id=user.id if user else None)
    db.session.add(version)
    template.latest_number = number
    template.title = (report.title or template.slug)[:200]
    template.topic = (report.topic or "")[:100]
    template.updated_at = utcnow()
    db.session.flush()
    return version


def create_template(course: Course, user: User | None, text: str, report: TemplateReport,
                    bank_ids: Collection[str]) -> Saved:
    """A new template of `course` from validated text (its id must be new to the course and
    to the shared bank)."""
    slug = _checked(report)
    if slug in bank_ids:
        raise Conflict(_("The shared bank already has a template with id %(id)s; give yours "
                         "another id.", id=slug))
    if find_by_slug(course, slug) is not None:
        raise Conflict(_("This course already has a template with id %(id)s; edit it, or give "
                         "this one another id.", id=slug))
    if len(templates_of(course)) >= MAX_TEMPLATES_PER_COURSE:
        raise ServiceError(_("A course holds at most %(n)s templates.",
                             n=MAX_TEMPLATES_PER_COURSE))
    template = CourseTemplate(course_id=course.id, slug=slug, title=slug, topic="",
                              latest_number=0)
    db.session.add(template)
    version = _add_version(template, text, user, report)
    return Saved(template, version, new_version=True)


def find_by_slug(course: Course, slug: str) -> CourseTemplate | None:
    return db.session.scalar(select(CourseTemplate).where(
        CourseTemplate.course_id == course.id, CourseTemplate.slug == slug))


def save_version(template: CourseTemplate, user: User | None, text: str,
                 report: TemplateReport) -> Saved:
    """A new version of `template` (none when the text is unchanged); its id stays."""
    slug = _checked(report)
    if slug != template.slug:
        raise ServiceError(_("The id must stay %(id)s: an edited template keeps its id. To "
                             "make another template, start from a copy.", id=template.slug))
    current = latest(template)
    if current.content_hash == content_hash(text):
        return Saved(template, current, new_version=False)
    previous = {ref_of(template, v.number) for v in template.versions}
    version = _add_version(template, text, user, report)
    moved = _follow_in_drafts(previous, ref_of(template))
    return Saved(template, version, new_version=True, moved_items=moved)


def _items_using(refs: Collection[str]):
    return select(AssignmentItem).join(Assignment).where(AssignmentItem.template_id.in_(refs))


def _follow_in_drafts(refs: Collection[str], new_ref: str) -> int:
    """Move items of unanswered draft assignments to the new version: no grade depends on
    them yet."""
    moved = 0
    for item in db.session.scalars(_items_using(refs)):
        answered = db.session.scalar(
            select(Submission.id).where(Submission.item_id == item.id).limit(1))
        if not item.assignment.is_published and answered is None:
            item.template_id = new_ref
            moved += 1
    db.session.flush()
    return moved


@dataclass(frozen=True)
class Usage:
    """An assignment whose items use some version of a template."""

    assignment: Assignment
    items: tuple[AssignmentItem, ...]
    # The versions those items use, oldest first.
    numbers: tuple[int, ...]
    latest_number: int

    @property
    def behind(self) -> bool:
        """Some item uses an older version than the latest."""
        return self.numbers != (self.latest_number,)


def usages(template: CourseTemplate) -> list[Usage]:
    """Every assignment that uses the template, with the versions its items use."""
    refs = {ref_of(template, v.number): v.number for v in template.versions}
    found: dict[int, list[AssignmentItem]] = {}
    for item in db.session.scalars(_items_using(refs).order_by(Assignment.id,
                                                               AssignmentItem.position)):
        found.setdefault(item.assignment_id, []).append(item)
    result = []
    for items in found.values():
        numbers = tuple(sorted({refs[item.template_id] for item in items}))
        result.append(Usage(items[0].assignment, tuple(items), numbers, template.latest_number))
    return result


def upgrade(assignment: Assignment, template: CourseTemplate) -> int:
    """Move the assignment's items (and their stored answers) to the latest version, so that
    a regrade checks them against it; returns the number of answers moved. The caller starts
    the regrade."""
    refs = [ref_of(template, v.number) for v in template.versions]
    new_ref = ref_of(template)
    items = [item for item in assignment.items if item.template_id in refs]
    if not items:
        raise NotFound(_("This assignment does not use this template."))
    moved = 0
    for item in items:
        item.template_id = new_ref
        for sub in db.session.scalars(select(Submission).where(Submission.item_id == item.id)):
            sub.template_id = new_ref
            moved += 1
    db.session.flush()
    return moved


def set_shared(template: CourseTemplate, shared: bool) -> None:
    """Promote a template to the shared bank (every course may add and copy its latest
    version), or take it back; only admins reach this."""
    template.shared = shared
    db.session.flush()

