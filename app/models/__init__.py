"""All models, imported so that metadata (and Alembic autogenerate) sees every table.

Each module in this package holds one small group of tables; a new module is picked up here
without touching this file.
"""

import importlib
import pkgutil

from app.models.base import Base

for _module in pkgutil.iter_modules(__path__):
    if _module.name != "base":
        importlib.import_module(f"{__name__}.{_module.name}")

from app.models.course import Course, Enrolment, EnrolmentRole  # noqa: E402
from app.models.login_attempt import LoginAttempt  # noqa: E402
from app.models.user import Role, User  # noqa: E402

__all__ = ["Base", "Course", "Enrolment", "EnrolmentRole", "LoginAttempt", "Role", "User"]
