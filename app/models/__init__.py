"""All models, imported here so that metadata (and Alembic autogenerate) sees every table.

A new model module is added to the imports below.
"""

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
from app.models.login_attempt import LoginAttempt
from app.models.password_reset import PasswordResetToken
from app.models.practice import PracticeSubmission
from app.models.user import Role, User

__all__ = [
    "ApiKey",
    "Assignment",
    "AssignmentItem",
    "AssignmentStatus",
    "Base",
    "Course",
    "Enrolment",
    "EnrolmentRole",
    "LoginAttempt",
    "PasswordResetToken",
    "PracticeSubmission",
    "Role",
    "SolutionReveal",
    "Submission",
    "User",
]
