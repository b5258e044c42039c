"""The web side of revocable sessions (app.services.accounts.sessions): the user loader that
checks the session on every request, and starting and ending sessions.

The check costs nothing beyond loading the user: everything it compares is in the signed
cookie or on the user row, read in one round trip (`request_user`).
"""

from __future__ import annotations

import time

from flask import current_app, flash, g, redirect, request, session
from flask_babel import gettext as _
from flask_login import login_user, logout_user
from flask_login.utils import login_url

from app.extensions import login_manager
from app.models import User
from app.services.accounts import request_user, sessions


def limits() -> sessions.Limits:
    config = current_app.config
    return sessions.Limits(lifetime_seconds=config["SESSION_LIFETIME_HOURS"] * 3600,
                           idle_seconds=config["SESSION_IDLE_MINUTES"] * 60)


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    user = request_user.load(int(user_id))
    if user is None:
        return None
    now = time.time()
    reason = sessions.invalid_reason(session, user, now, limits())
    if reason is not None:
        session.clear()
        g.session_ended = reason
        flash(reason, "info")
        return None
    sessions.touch(session, now)
    return user


@login_manager.unauthorized_handler
def _unauthorized():
    # The loader already said why a session ended; one message is enough.
    if not g.get("session_ended"):
        flash(_("Please log in to see this page."), "info")
    return redirect(login_url(login_manager.login_view, request.url))


def start(user: User) -> bool:
    """Log `user` in with a new session; False when the account may not log in."""
    # Nothing from before the login survives it (no session fixation).
    session.clear()
    if not login_user(user):
        return False
    session.permanent = True
    sessions.stamp(session, user, time.time())
    return True


def end(user: User) -> None:
    """Log out this session for good: a replayed copy of its cookie is refused from now on.
    The caller commits."""
    sessions.revoke(user, session, time.time(), limits())
    logout_user()
    session.clear()


def restamp(user: User) -> None:
    """After `sessions.revoke_all` (password change, "log out other sessions"): keep this one."""
    sid = session.get("sid")
    sessions.stamp(session, user, time.time(), sid=sid if isinstance(sid, str) else None)
