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
from pathlib import Path
from typing import Any

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


def _positive_float(raw: str) -> float:
    value = float(raw)
    if not value > 0 or value == float("inf"):
        raise ValueError("expected a positive number")
    return value


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


def _base_url(raw: str) -> str:
    from urllib.parse import urlsplit

    value = raw.strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query \
            or parts.fragment:
        raise ValueError("expected an absolute http(s) URL such as https://gradwork.example.org")
    return value


def _redis_url(raw: str) -> str:
    value = raw.strip()
    if not value.startswith(("redis://", "rediss://", "unix://")):
        raise ValueError("expected a redis://, rediss:// or unix:// URL")
    return value


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
            "hard wall-clock limit per answer check; default 2"),
    Setting("CHECK_MEMORY_MB", "GRADWORK_CHECK_MEMORY_MB", _positive_int,
            "memory cap of a checking worker process; default 1024"),
    Setting("CHECK_WORKERS", "GRADWORK_CHECK_WORKERS", _positive_int,
            "checking worker processes per web process; default 2"),
    Setting("PROBLEMS_DIR", "GRADWORK_PROBLEMS_DIR", _directory,
            "problem bank folder; default: the repository's problems/"),
    Setting("LOGIN_MAX_FAILURES", "GRADWORK_LOGIN_MAX_FAILURES", _positive_int,
            "failed logins per account (or 4x per address) before a pause; default 5"),
    Setting("LOGIN_WINDOW_MINUTES", "GRADWORK_LOGIN_WINDOW_MINUTES", _positive_int,
            "window for counting failed logins; default 15"),
    Setting("BASE_URL", "GRADWORK_BASE_URL", _base_url,
            "public URL of the service, for LTI tool URLs; default: the request's host"),
    Setting("REDIS_URL", "GRADWORK_REDIS_URL", _redis_url,
            "Redis for the job queue (and rate limits); default: none, jobs run in the app"),
)
_BY_KEY = {s.key: s for s in SETTINGS}
_BY_ENV = {s.env: s for s in SETTINGS}

DEFAULTS: dict[str, Any] = {
    "LOG_LEVEL": "INFO",
    "SESSION_COOKIE_SECURE": False,
    "CHECK_TIMEOUT_SECONDS": 2.0,
    "CHECK_MEMORY_MB": 1024,
    "CHECK_WORKERS": 2,
    "PROBLEMS_DIR": str(REPO_ROOT / "problems"),
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_WINDOW_MINUTES": 15,
    # App-wide cap; the JSON API enforces its own 64 KiB limit.
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
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
    return values


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
