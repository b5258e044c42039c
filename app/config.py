"""Settings: environment variables with safe defaults, checked once at start.

Every setting is declared here with its parser, so a typo (`GRADWORK_CHEK_WORKERS`) or a bad
value (`GRADWORK_CHECK_WORKERS=two`) stops the service at start with a message naming it,
instead of being ignored until the day it matters.
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from limits import parse_many
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

ENV_PREFIX = "GRADWORK_"
# Reserved for the test suite's own switches (GRADWORK_TEST_CHROMIUM, ...): never settings.
TEST_PREFIX = "GRADWORK_TEST_"
REPO_ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """A setting is unknown or malformed; the message names it."""


def _bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ValueError("expected true or false")


def _positive_int(raw: str) -> int:
    value = int(raw)
    if value < 1:
        raise ValueError("expected a whole number of at least 1")
    return value


def _non_negative_int(raw: str) -> int:
    value = int(raw)
    if value < 0:
        raise ValueError("expected a whole number of at least 0")
    return value


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0 or value == float("inf"):
        raise ValueError("expected a positive number")
    return value


def _non_negative_float(raw: str) -> float:
    value = float(raw)
    if not value >= 0 or value == float("inf"):
        raise ValueError("expected a number of at least 0")
    return value


def _port(raw: str) -> int:
    value = int(raw)
    if not 1 <= value <= 65535:
        raise ValueError("expected a port number from 1 to 65535")
    return value


def _text(raw: str) -> str:
    if not raw.strip():
        raise ValueError("must not be empty")
    return raw


def _choice(*allowed: str) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        value = raw.strip().lower()
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return value

    return parse


def _email_address(raw: str) -> str:

    address = parseaddr(raw)[1]
    if "@" not in address:
        raise ValueError("expected an email address such as GradWork <gradwork@example.edu>")
    return raw.strip()


def _public_url(raw: str) -> str:

    value = raw.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError("expected the site's address, such as https://gradwork.example.edu")
    return value


def _redis_url(raw: str) -> str:
    value = raw.strip()
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("expected redis://host:port/db, rediss://... or unix://...")
    return value


def _rate_limit(raw: str) -> str:

    try:
        parse_many(raw)
    except ValueError:
        raise ValueError("expected limits such as '5/second;120/minute'") from None
    return raw.strip()


def _log_level(raw: str) -> str:
    value = raw.strip().upper()
    if value not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
        raise ValueError("expected DEBUG, INFO, WARNING, ERROR or CRITICAL")
    return value


def _database_url(raw: str) -> str:
    value = raw.strip()
    # Heroku-style and plain PostgreSQL URLs name no driver; ours is psycopg 3.
    for prefix in ("postgres://", "postgresql://"):
        if value.startswith(prefix):
            value = "postgresql+psycopg://" + value[len(prefix):]
    try:
        url = make_url(value)
    except ArgumentError as exc:
        raise ValueError(f"not a database URL ({exc})") from None
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise ValueError("only sqlite:// and postgresql:// databases are supported")
    return value


def _secret_key(raw: str) -> str:
    if len(raw) < 16:
        raise ValueError("must be at least 16 characters")
    return raw


def _directory(raw: str) -> str:
    path = Path(raw).expanduser()
    if not path.is_dir():
        raise ValueError(f"{path} is not a directory")
    return str(path)


@dataclass(frozen=True)
class Setting:
    key: str
    env: str
    parse: Callable[[str], Any]
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "DATABASE_URL", _database_url,
            "SQLAlchemy URL; default: SQLite file in the instance folder"),
    Setting("SECRET_KEY", "SECRET_KEY", _secret_key,
            "session signing key; default: generated once and kept in the instance folder"),
    Setting("LOG_LEVEL", "GRADWORK_LOG_LEVEL", _log_level, "default INFO"),
    Setting("SESSION_COOKIE_SECURE", "GRADWORK_SECURE_COOKIES", _bool,
            "send cookies over HTTPS only; default false"),
    Setting("CHECK_TIMEOUT_SECONDS", "GRADWORK_CHECK_TIMEOUT_SECONDS", _positive_float,
            "CPU time one answer check may use in its worker; default 2"),
    Setting("CHECK_FAST_SECONDS", "GRADWORK_CHECK_FAST_SECONDS", _positive_float,
            "CPU time an answer gets in the main lane before it moves to the slow lane; "
            "default 1"),
    Setting("CHECK_TEMPLATE_SECONDS", "GRADWORK_CHECK_TEMPLATE_SECONDS", _positive_float,
            "CPU time validating and previewing one course template may use (slow lane); "
            "default 10"),
    Setting("CHECK_WALL_SECONDS", "GRADWORK_CHECK_WALL_SECONDS", _positive_float,
            "wall-clock backstop of one check, whatever CPU it used; default 30"),
    Setting("CHECK_QUEUE_SECONDS", "GRADWORK_CHECK_QUEUE_SECONDS", _positive_float,
            "how long an answer may wait for a free worker before the checker is busy; "
            "default 5"),
    Setting("HEAVY_ANSWER_SECONDS", "GRADWORK_HEAVY_ANSWER_SECONDS", _non_negative_float,
            "the least time a page takes to answer an answer too big for the main lane "
            "(a script sending them in a loop gets that pace; 0: no pause); default 0.5"),
    Setting("CHECK_SLOW_WORKERS", "GRADWORK_CHECK_SLOW_WORKERS", _non_negative_int,
            "workers of the slow lane per web process (0: none); default 1"),
    Setting("CHECK_MEMORY_MB", "GRADWORK_CHECK_MEMORY_MB", _positive_int,
            "memory cap of a checking worker process; default 1024"),
    Setting("CHECK_WORKERS", "GRADWORK_CHECK_WORKERS", _positive_int,
            "checking worker processes per web process; default 2"),
    Setting("DB_POOL_SIZE", "GRADWORK_DB_POOL_SIZE", _positive_int,
            "PostgreSQL connections a web process keeps open (at least its threads); "
            "default 10"),
    Setting("PROBLEMS_DIR", "GRADWORK_PROBLEMS_DIR", _directory,
            "problem bank folder; default: the repository's problems/"),
    Setting("LOGIN_MAX_FAILURES", "GRADWORK_LOGIN_MAX_FAILURES", _positive_int,
            "failed logins per account (or 4x per address) before a pause; default 5"),
    Setting("LOGIN_WINDOW_MINUTES", "GRADWORK_LOGIN_WINDOW_MINUTES", _positive_int,
            "window for counting failed logins; default 15"),
    Setting("LOGIN_DELAY_SECONDS", "GRADWORK_LOGIN_DELAY_SECONDS", _positive_int,
            "first pause after too many failures; doubles per further failure; default 30"),
    Setting("TRUSTED_PROXIES", "GRADWORK_TRUSTED_PROXIES", _non_negative_int,
            "reverse proxies in front of the app whose X-Forwarded-For/-Proto are believed; "
            "default 0 (forwarded headers ignored)"),
    Setting("SESSION_LIFETIME_HOURS", "GRADWORK_SESSION_LIFETIME_HOURS", _positive_int,
            "a login lasts at most this long; default 168 (7 days)"),
    Setting("SESSION_IDLE_MINUTES", "GRADWORK_SESSION_IDLE_MINUTES", _positive_int,
            "a session unused this long ends; default 480 (8 hours)"),
    Setting("REDIS_URL", "GRADWORK_REDIS_URL", _redis_url,
            "Redis for state shared by app servers (API rate-limit counters, job queue); "
            "default: none, counters kept in each process"),
    Setting("API_RATE_LIMIT", "GRADWORK_API_RATE_LIMIT", _rate_limit,
            "API requests per client address (or per logged-in user); default 5/second;120/minute"),
    Setting("API_KEY_RATE_LIMIT", "GRADWORK_API_KEY_RATE_LIMIT", _rate_limit,
            "API requests per instructor API key; default 20/second;1200/minute"),
    Setting("SMTP_HOST", "GRADWORK_SMTP_HOST", _text,
            "mail server for password-reset links; default: none (no reset by email)"),
    Setting("SMTP_PORT", "GRADWORK_SMTP_PORT", _port, "default 587"),
    Setting("SMTP_TLS", "GRADWORK_SMTP_TLS", _choice("starttls", "ssl", "none"),
            "starttls, ssl (implicit TLS, usually port 465) or none; default starttls"),
    Setting("SMTP_USER", "GRADWORK_SMTP_USER", _text, "login at the mail server; default none"),
    Setting("SMTP_PASSWORD", "GRADWORK_SMTP_PASSWORD", _text, "password for SMTP_USER"),
    Setting("SMTP_FROM", "GRADWORK_SMTP_FROM", _email_address,
            "sender of GradWork's mail, e.g. GradWork <gradwork@example.edu>; required with SMTP"),
    Setting("PASSWORD_RESET_MINUTES", "GRADWORK_PASSWORD_RESET_MINUTES", _positive_int,
            "how long a password-reset link works; default 60"),
    Setting("BASE_URL", "GRADWORK_BASE_URL", _public_url,
            "the site's public address, e.g. https://gradwork.example.edu: LTI tool URLs and "
            "links sent by email are built from it; required with SMTP and for LTI"),
)
_BY_KEY = {s.key: s for s in SETTINGS}
_BY_ENV = {s.env: s for s in SETTINGS}

DEFAULTS: dict[str, Any] = {
    "LOG_LEVEL": "INFO",
    "SESSION_COOKIE_SECURE": False,
    "CHECK_TIMEOUT_SECONDS": 2.0,
    "CHECK_FAST_SECONDS": 1.0,
    "CHECK_TEMPLATE_SECONDS": 10.0,
    "CHECK_WALL_SECONDS": 30.0,
    "CHECK_QUEUE_SECONDS": 5.0,
    "CHECK_SLOW_WORKERS": 1,
    "HEAVY_ANSWER_SECONDS": 0.5,
    "CHECK_MEMORY_MB": 1024,
    "CHECK_WORKERS": 2,
    "DB_POOL_SIZE": 10,
    "PROBLEMS_DIR": str(REPO_ROOT / "problems"),
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_MINUTES": 15,
    "LOGIN_DELAY_SECONDS": 30,
    "TRUSTED_PROXIES": 0,
    "SESSION_LIFETIME_HOURS": 168,
    "SESSION_IDLE_MINUTES": 480,
    "REDIS_URL": None,
    "API_RATE_LIMIT": "5/second;120/minute",
    "API_KEY_RATE_LIMIT": "20/second;1200/minute",
    "BASE_URL": None,
    "SMTP_HOST": None,
    "SMTP_PORT": 587,
    "SMTP_TLS": "starttls",
    "SMTP_USER": None,
    "SMTP_PASSWORD": None,
    "SMTP_FROM": None,
    "PASSWORD_RESET_MINUTES": 60,
    # App-wide cap; the JSON API enforces its own 64 KiB limit.
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    # A form is good for as long as the session is (app/web/csrf_tokens.py says why).
    "WTF_CSRF_TIME_LIMIT": None,
}


def _parse(setting: Setting, raw: Any, source: str) -> Any:
    if not isinstance(raw, str):
        raw = str(raw)
    try:
        return setting.parse(raw)
    except ValueError as exc:
        raise ConfigError(f"{source} is malformed: {exc}") from None


def load_settings(environ: Mapping[str, str], overrides: Mapping[str, Any] | None,
                  instance_path: Path) -> dict[str, Any]:
    """Return the effective settings: defaults < environment < explicit overrides."""
    unknown = sorted(k for k in environ if k.startswith(ENV_PREFIX)
                     and not k.startswith(TEST_PREFIX) and k not in _BY_ENV)
    if unknown:
        known = ", ".join(sorted(e for e in _BY_ENV if e.startswith(ENV_PREFIX)))
        raise ConfigError(f"unknown setting {', '.join(unknown)} (known: {known})")

    values = dict(DEFAULTS)
    for env_name, setting in _BY_ENV.items():
        if env_name in environ:
            values[setting.key] = _parse(setting, environ[env_name], env_name)
    for key, raw in (overrides or {}).items():
        setting = _BY_KEY.get(key)
        values[key] = _parse(setting, raw, key) if setting and raw is not None else raw

    if not values.get("DATABASE_URL"):
        values["DATABASE_URL"] = f"sqlite:///{instance_path / 'gradwork.sqlite3'}"
    if not values.get("SECRET_KEY"):
        values["SECRET_KEY"] = _instance_secret(instance_path)
    values["SQLALCHEMY_DATABASE_URI"] = values["DATABASE_URL"]
    _check_together(values)
    if values["DATABASE_URL"].startswith("postgresql"):
        # A pool smaller than the threads that use it closes what it cannot keep: under load
        # every request past it opened a connection of its own (30 a second at 32 clients).
        values.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {
            "connect_args": POSTGRES_CONNECT_ARGS, "pool_size": values["DB_POOL_SIZE"],
            "max_overflow": POOL_OVERFLOW})
    # The cookie expires with the login; app.services.accounts.sessions also checks it.
    values["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=values["SESSION_LIFETIME_HOURS"])
    # The cookie is signed and sent again only when the session changes (at most once a
    # minute, when `sessions.touch` notes the user was seen), not on every response.
    values["SESSION_REFRESH_EACH_REQUEST"] = False
    values["REMEMBER_COOKIE_SECURE"] = values.get("SESSION_COOKIE_SECURE", False)
    return values


def _check_together(values: Mapping[str, Any]) -> None:
    """Settings that only make sense with others."""
    if values.get("SMTP_HOST"):
        missing = [env for key, env in (("SMTP_FROM", "GRADWORK_SMTP_FROM"),
                                        ("BASE_URL", "GRADWORK_BASE_URL"))
                   if not values.get(key)]
        if missing:
            raise ConfigError(f"GRADWORK_SMTP_HOST is set but {' and '.join(missing)} "
                              "is not: mail needs a sender and the site's address for links")
    if bool(values.get("SMTP_USER")) != bool(values.get("SMTP_PASSWORD")):
        raise ConfigError("GRADWORK_SMTP_USER and GRADWORK_SMTP_PASSWORD go together")


# Connections a web process may open past its pool for a moment (closed when returned).
POOL_OVERFLOW = 5
# A database that stops answering must turn into a quick "database unavailable", not a
# request hanging for minutes in TCP retries: bounded connects, and keepalives plus a TCP
# user timeout that drop a connection whose server went silent (libpq parameters).
POSTGRES_CONNECT_ARGS = {
    "connect_timeout": 3,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": 5000,
}


def _instance_secret(instance_path: Path) -> str:
    """A per-installation key, created once, so no secret ships in the code.

    Several gunicorn workers may start at once: the key is written to a private temporary
    file and linked into place, so exactly one key wins and nobody reads a half-written file.
    """
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=instance_path, prefix=".secret_key.")
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32))
            os.link(tmp, path)
        except FileExistsError:
            pass  # another process linked its key first; use that one
        finally:
            os.unlink(tmp)
    return path.read_text().strip()


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    # Alembic announces every plugin at INFO on import; that is noise in a service log.
    logging.getLogger("alembic.runtime.plugins").setLevel(max(logging.WARNING, logging.getLevelName(level)))
