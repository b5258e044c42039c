"""Course templates: problems an instructor writes in the browser, one immutable row per
version.

The YAML text of a version never changes once stored: an assignment item names a version
(`app.checker.course_templates.course_ref`), so its variants, grades and feedback stay what
they were when a later version is saved. `shared` is set by an admin who promotes a template
to the shared bank: then every course may use (and copy) it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.course import Course
from app.models.user import User


class CourseTemplate(Base):
    __tablename__ = "course_templates"
    __table_args__ = (UniqueConstraint("course_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    # The template's `id` in its YAML; fixed once created (a copy gets a new one).
    slug: Mapped[str] = mapped_column(String(60))
    # Of the latest version, for lists that should not read the YAML.
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(100))
    latest_number: Mapped[int] = mapped_column(Integer, default=1)
    shared: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship()
    versions: Mapped[list[CourseTemplateVersion]] = relationship(
        back_populates="template", cascade="all, delete-orphan",
        order_by="CourseTemplateVersion.number")

    def __repr__(self) -> str:
        return f"<CourseTemplate {self.id} {self.slug!r} v{self.latest_number}>"


class CourseTemplateVersion(Base):
    __tablename__ = "course_template_versions"
    __table_args__ = (UniqueConstraint("template_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(
        ForeignKey("course_templates.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(Text)
    # sha256 of the source: saving the same text again makes no new version.
    content_hash: Mapped[str] = mapped_column(String(64))
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    template: Mapped[CourseTemplate] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship()


class ItemSource(Base):
    """The content hash of the bank file an assignment item was added from.

    A bank file can change on a deploy; items keep naming the bank id, so without this the
    variants and grading of a published item would change with nobody told. The assignment
    page compares it with the file now on disk and offers to accept the change and regrade.
    (Course-template items need none: their reference names an immutable version.)
    """

    __tablename__ = "assignment_item_sources"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_items.id", ondelete="CASCADE"), primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
