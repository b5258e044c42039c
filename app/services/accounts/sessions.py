"""Sessions the server can end, at no cost beyond loading the user.

The signed session cookie carries, besides the user id, a random session id (`sid`), the
user's session version at login (`sv`), when it was issued (`iat`) and when it was last used
(`seen`). Every request compares them with the user row that is loaded anyway:

* `users.session_version` is bumped to end every session at once: "log out other sessions"
  (the current one is re-stamped), a password change or reset, an admin deactivating the
  account;
* `users.revoked_sessions` lists the ids of sessions that logged out, each until the moment it
  would have expired anyway, so replaying a captured cookie after logout fails while the
  user's other sessions stay. The list is short (pruned on every write, and past
  `MAX_REVOKED` entries the version is bumped instead);
* `iat` and `seen` enforce the absolute lifetime and the idle timeout: an old cookie cannot be
  replayed past them.

Plain functions over a mapping: the web layer passes Flask's session.
"""

from __future__ import annotations

import secrets
from collections.abc import MutableMapping
from dataclasses import dataclass

from flask_babel import gettext as _

from app.models import User

MAX_REVOKED = 32
# `seen` is rewritten at most this often, so the cookie is not re-sent on every request.
TOUCH_SECONDS = 60
KEYS = ("sid", "sv", "iat", "seen")


@dataclass(frozen=True)
class Limits:
    lifetime_seconds: int
    idle_seconds: int


def _revoked(user: User) -> dict[str, int]:
    entries = {}
    for item in (user.revoked_sessions or "").split():
        sid, _, until = item.partition(":")
        if until.isdigit():
            entries[sid] = int(until)
    return entries


def stamp(session: MutableMapping, user: User, now: float, sid: str | None = None) -> None:
    """Mark `session` as a fresh login of `user` (a new id unless `sid` keeps the current)."""
    session["sid"] = sid or secrets.token_urlsafe(12)
    session["sv"] = user.session_version
    session["iat"] = int(now)
    session["seen"] = int(now)


def invalid_reason(session: MutableMapping, user: User, now: float, limits: Limits) -> str | None:
    """Why this session may not act as `user` any more, or None when it may."""
    if not user.is_active:
        return _("This account has been deactivated.")
    iat, seen, sid = session.get("iat"), session.get("seen"), session.get("sid")
    if not (isinstance(iat, int) and isinstance(seen, int) and isinstance(sid, str)):
        return _("Your session has ended. Please log in again.")
    if session.get("sv") != user.session_version or sid in _revoked(user):
        return _("Your session has ended. Please log in again.")
    if now - iat > limits.lifetime_seconds:
        return _("Your session has expired. Please log in again.")
    if now - seen > limits.idle_seconds:
        return _("You were logged out after a period of inactivity. Please log in again.")
    return None


def touch(session: MutableMapping, now: float) -> None:
    if now - session.get("seen", 0) >= TOUCH_SECONDS:
        session["seen"] = int(now)


def revoke(user: User, session: MutableMapping, now: float, limits: Limits) -> None:
    """End this one session: its id is refused until it would have expired anyway."""
    sid, iat = session.get("sid"), session.get("iat")
    if not isinstance(sid, str) or not isinstance(iat, int):
        return
    entries = {s: until for s, until in _revoked(user).items() if until >= now}
    entries[sid] = iat + limits.lifetime_seconds
    if len(entries) > MAX_REVOKED:
        revoke_all(user)
        return
    user.revoked_sessions = " ".join(f"{s}:{until}" for s, until in sorted(entries.items()))


def revoke_all(user: User) -> None:
    """End every session of `user` (a current one that should go on is re-stamped after)."""
    user.session_version = (user.session_version or 0) + 1
    user.revoked_sessions = ""
