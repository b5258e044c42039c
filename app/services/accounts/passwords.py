"""Password rules: long enough, not too long to hash cheaply, and not one guessers try first.

The common-password list is Django's (see app/data/README.md): 19,640 passwords from public
leak corpora, lower-cased. A password is refused when its lower-cased form is on the list, so
`Password123` goes the same way as `password123`.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.services.errors import ServiceError

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parents[2] / "data" / "common-passwords.txt.gz"

# Shown next to every field where a new password is chosen, so nobody learns the rules by failing.
PASSWORD_HINT = _l("At least %(length)s characters, and not one of the 20,000 most common "
                   "passwords. A few unrelated words make a good one.", length=MIN_PASSWORD_LENGTH)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as handle:
        return frozenset(line.strip() for line in handle if line.strip())


def is_common(password: str) -> bool:
    return password.strip().lower() in common_passwords()


def check_password_rules(password: str, *, email: str | None = None,
                         display_name: str | None = None) -> None:
    """Raise ServiceError saying which rule a new password breaks."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(_("The password must have at least %(min_password_length)s characters.", min_password_length=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ServiceError(_("The password must have at most %(max_password_length)s characters.", max_password_length=MAX_PASSWORD_LENGTH))
    if is_common(password):
        raise ServiceError(_("This password is one of the most common ones, which guessers try first. "
                              "Please choose another."))
    lowered = password.strip().lower()
    personal = {(email or "").strip().lower(), (email or "").split("@")[0].strip().lower(),
                (display_name or "").strip().lower()}
    if lowered in personal - {""}:
        raise ServiceError(_("The password must not be your email address or your name."))
