"""How an email address and a display name are read, so one person cannot pass for another.

Both are normalised to Unicode NFKC before anything else: full-width `ａlice@example.com` is
`alice@example.com`, so it finds (and cannot register beside) the existing account. Names also
refuse invisible format characters (Unicode category Cf: bidirectional overrides and
isolates, zero-width spaces and joiners, the byte-order mark, soft hyphens): they make
`Alice` and `Al\u200bice` look the same, or reverse how the rest of a line reads.
"""

from __future__ import annotations

import unicodedata

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _

from app.services.errors import ServiceError

MAX_EMAIL_LENGTH = 254
MAX_NAME_LENGTH = 100


def _invisible(text: str) -> str | None:
    for char in text:
        category = unicodedata.category(char)
        if category == "Cf" or (category == "Cc" and char != " "):
            return f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip()
    return None


def canonical_email(raw: str) -> str:
    """The lookup form of a typed address (no validation): NFKC, trimmed, lower-cased."""
    return unicodedata.normalize("NFKC", raw or "").strip().lower()


def normalize_email(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw or "").strip()
    hidden = _invisible(text)
    if hidden is not None:
        raise ServiceError(_("That email address is not valid: it contains the invisible character "
                              "%(hidden)s.", hidden=hidden))
    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        raise ServiceError(_("That email address is not valid: %(exc)s", exc=exc)) from None
    email = checked.normalized.lower()
    if len(email) > MAX_EMAIL_LENGTH:
        raise ServiceError(_("The email address must have at most %(max_email_length)s characters.", max_email_length=MAX_EMAIL_LENGTH))
    return email


def normalize_display_name(raw: str) -> str:
    name = " ".join(unicodedata.normalize("NFKC", raw or "").split())
    if not name:
        raise ServiceError(_("Please give a display name."))
    hidden = _invisible(name)
    if hidden is not None:
        raise ServiceError(_("The name contains the invisible character %(hidden)s, which could make it "
                              "look like someone else's. Please type it without.", hidden=hidden))
    if len(name) > MAX_NAME_LENGTH:
        raise ServiceError(_("The display name must have at most %(max_name_length)s characters.", max_name_length=MAX_NAME_LENGTH))
    return name
