"""Role-based access helpers for views.

A view decorated with `role_required` answers 401 (login redirect) to anonymous visitors and
403 to logged-in users of another role. Admins pass every instructor check.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from flask import abort
from flask_login import current_user, login_required

from app.models import Role

F = TypeVar("F", bound=Callable)


def role_required(*roles: Role) -> Callable[[F], F]:
    allowed = set(roles) | {Role.ADMIN}

    def decorator(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


instructor_required = role_required(Role.INSTRUCTOR)
admin_required = role_required(Role.ADMIN)
student_required = role_required(Role.STUDENT)
