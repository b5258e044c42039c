"""Dates as instructors type and read them: wall-clock time in the course's time zone,
stored as UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from app.services.errors import ServiceError

INPUT_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def parse_local(text: str | None, timezone: str, what: str) -> datetime:
    """A `YYYY-MM-DDTHH:MM` wall-clock time in `timezone`, as an aware UTC datetime."""
    raw = (text or "").strip()
    naive = None
    # Browsers send seconds too when the step attribute allows them.
    for pattern in (INPUT_FORMAT, INPUT_FORMAT + ":%S", "%Y-%m-%d %H:%M"):
        try:
            naive = datetime.strptime(raw, pattern)
            break
        except ValueError:
            continue
    if naive is None:
        raise ServiceError(_("The %(what)s “%(raw)s” is not a date and time like 2026-03-01T23:59.", what=what, raw=raw[:40])) from None
    zone = ZoneInfo(timezone)
    local = naive.replace(tzinfo=zone)
    try:
        in_utc = local.astimezone(UTC)
    except OverflowError:  # year 1 or 9999 pushed past the calendar by the zone's offset
        raise ServiceError(_("The %(what)s %(raw)s is out of range.", what=what, raw=raw)) from None
    # A time skipped by a daylight-saving jump does not survive the round trip through UTC.
    if in_utc.astimezone(zone).replace(tzinfo=None) != naive:
        raise ServiceError(_("The %(what)s %(raw)s does not exist in %(timezone)s (the clocks jump forward "
                              "then); pick a time outside the change.", what=what, raw=raw, timezone=timezone))
    return in_utc


def to_local(moment: datetime, timezone: str) -> datetime:
    return moment.astimezone(ZoneInfo(timezone))


def input_value(moment: datetime | None, timezone: str) -> str:
    return "" if moment is None else to_local(moment, timezone).strftime(INPUT_FORMAT)


def display(moment: datetime, timezone: str) -> str:
    # The layout is the reader's language's (Chinese reads 2026-03-01 23:59 CET); strftime's
    # own day and month names would stay English.
    return to_local(moment, timezone).strftime(_("%a %d %b %Y, %H:%M %Z"))
