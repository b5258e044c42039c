"""Slowing down password guessing without letting anyone lock anyone else out.

Failed logins are counted per (account, client address) and per client address, in a sliding
window. Past a number of failures the next attempt of *that pair* must wait, and each further
failure doubles the wait, up to the window: a guesser gets a handful of tries per window,
while the account owner logging in from anywhere else is not affected at all. Nothing ever
locks an account for everyone.

An address spraying guesses over many accounts is slowed the same way, but it may be a whole
classroom behind NAT: it gets four times the pair's allowance, its pause never exceeds four
first pauses (2 minutes by default), and a browser that has logged in to the account before
(the web layer's "known device" cookie) is not held back by the address-wide count at all,
only by its own pair's.

Rows live in the database so the limits hold across gunicorn workers and restarts; the
account is a hash of the typed email, so unknown addresses count the same way and are not
stored in clear.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, delete, func, select

from app.extensions import db
from app.models import LoginAttempt
from app.models.base import utcnow
from app.services.accounts.identity import canonical_email
from app.services.errors import ServiceError

ADDRESS_FACTOR = 4
ADDRESS_CAP_FACTOR = 4


class LoginThrottled(ServiceError):
    def __init__(self, retry_after_seconds: int, whole_address: bool = False):
        self.retry_after_seconds = retry_after_seconds
        duration = _duration(retry_after_seconds)
        if whole_address:
            message = _("Too many failed login attempts from your network. Try again in "
                        "%(duration)s.", duration=duration)
        else:
            message = _("Too many failed login attempts for this account from your network. "
                        "Try again in %(duration)s.", duration=duration)
        super().__init__(message)


def _duration(seconds: int) -> str:
    if seconds < 90:
        return ngettext("%(num)s second", "%(num)s seconds", seconds)
    return ngettext("%(num)s minute", "%(num)s minutes", math.ceil(seconds / 60))


@dataclass(frozen=True)
class Throttle:
    max_failures: int
    window: timedelta
    base_delay: timedelta = timedelta(seconds=30)

    @property
    def max_failures_per_address(self) -> int:
        return self.max_failures * ADDRESS_FACTOR

    def pause(self, failures: int, allowance: int, cap: timedelta) -> timedelta:
        """How long after the latest failure the next attempt must wait."""
        if failures < allowance:
            return timedelta(0)
        doublings = min(failures - allowance, 30)
        return min(cap, self.base_delay * (2 ** doublings))

    @property
    def address_cap(self) -> timedelta:
        # Short: everyone behind that address who is not on a known device waits this much.
        return min(self.window, self.base_delay * ADDRESS_CAP_FACTOR)


def account_key(email: str) -> str:
    return hashlib.sha256(canonical_email(email).encode()).hexdigest()


def _address(remote_addr: str | None) -> str:
    return (remote_addr or "unknown")[:64]


def _failures(condition, since: datetime) -> tuple[int, datetime | None]:
    count, latest = db.session.execute(
        select(func.count(), func.max(LoginAttempt.created_at))
        .where(condition, LoginAttempt.created_at > since)
    ).one()
    if latest is not None and latest.tzinfo is None:  # SQLite aggregates bypass the column type

        latest = latest.replace(tzinfo=UTC)
    return count, latest


def check(key: str, remote_addr: str | None, throttle: Throttle, *,
          known_device: bool = False) -> None:
    """Raise LoginThrottled when this pair (or this address) must wait before another try."""
    now = utcnow()
    since = now - throttle.window
    address = _address(remote_addr)
    checks = [(and_(LoginAttempt.account_key == key, LoginAttempt.remote_addr == address),
               throttle.max_failures, throttle.window)]
    if not known_device:
        checks.append((LoginAttempt.remote_addr == address, throttle.max_failures_per_address,
                       throttle.address_cap))
    for index, (condition, allowance, cap) in enumerate(checks):
        count, latest = _failures(condition, since)
        if latest is None:
            continue
        wait = (latest + throttle.pause(count, allowance, cap) - now).total_seconds()
        if wait > 0:
            raise LoginThrottled(max(1, math.ceil(wait)), whole_address=index == 1)


def record_failure(key: str, remote_addr: str | None, throttle: Throttle) -> None:
    db.session.add(LoginAttempt(account_key=key, remote_addr=_address(remote_addr)))
    # Old rows only matter inside the window; pruning here keeps the table small.
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.created_at < utcnow() - throttle.window))
    db.session.flush()


def clear(key: str, remote_addr: str | None) -> None:
    """A correct password from this address: forget this pair's failures (not other pairs')."""
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.account_key == key, LoginAttempt.remote_addr == _address(remote_addr)))
