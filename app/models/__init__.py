"""All models, imported here so that metadata (and Alembic autogenerate) sees every table.

A new model module is added to the imports below.
"""

from app.models.adjustments import Extension, GradeAudit, GradeOverride, SandboxAttempt
from app.models.api_key import ApiKey
from app.models.assignment import (
    Assignment,
    AssignmentItem,
    AssignmentStatus,
    SolutionReveal,
    Submission,
)
from app.models.base import Base
from app.models.course import Course, Enrolment, EnrolmentRole
from app.models.course_template import CourseTemplate, CourseTemplateVersion, ItemSource
from app.models.jobs import Job, JobStatus
from app.models.login_attempt import LoginAttempt
from app.models.lti import (
    LtiContext,
    LtiDeployment,
    LtiIdentity,
    LtiKey,
    LtiLoginState,
    LtiPlatform,
    LtiResourceLink,
    OutboxStatus,
    ScoreOutbox,
)
from app.models.parts import PracticeSubmissionPart, SubmissionPart
from app.models.password_reset import PasswordResetToken
from app.models.practice import AnsweredVariant, PracticeProgress, PracticeSubmission, ProgressScope
from app.models.user import Role, User

__all__ = [
    "AnsweredVariant",
    "ApiKey",
    "Assignment",
    "AssignmentItem",
    "AssignmentStatus",
    "Base",
    "Course",
    "CourseTemplate",
    "CourseTemplateVersion",
    "Enrolment",
    "Extension",
    "GradeAudit",
    "GradeOverride",
    "EnrolmentRole",
    "ItemSource",
    "Job",
    "JobStatus",
    "LoginAttempt",
    "LtiContext",
    "LtiDeployment",
    "LtiIdentity",
    "LtiKey",
    "LtiLoginState",
    "LtiPlatform",
    "LtiResourceLink",
    "OutboxStatus",
    "PasswordResetToken",
    "PracticeProgress",
    "PracticeSubmission",
    "PracticeSubmissionPart",
    "ProgressScope",
    "Role",
    "SandboxAttempt",
    "ScoreOutbox",
    "SolutionReveal",
    "Submission",
    "SubmissionPart",
    "User",
]
