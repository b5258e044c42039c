"""Sending mail through the configured SMTP server (GRADWORK_SMTP_*)."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

TIMEOUT_SECONDS = 10


class MailError(RuntimeError):
    """The message could not be handed to the mail server."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    tls: str  # starttls | ssl | none
    sender: str
    user: str | None = None
    password: str | None = None

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings | None:
        """None when no mail server is configured."""
        if not config.get("SMTP_HOST"):
            return None
        return cls(host=config["SMTP_HOST"], port=int(config["SMTP_PORT"]),
                   tls=config["SMTP_TLS"], sender=config["SMTP_FROM"],
                   user=config.get("SMTP_USER"), password=config.get("SMTP_PASSWORD"))


def _connect(settings: MailSettings) -> smtplib.SMTP:
    context = ssl.create_default_context()
    if settings.tls == "ssl":
        return smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS,
                                context=context)
    client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
    if settings.tls == "starttls":
        client.starttls(context=context)
    return client


def send(settings: MailSettings, to: str, subject: str, body: str) -> None:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2].strip(">"))
    message.set_content(body)
    try:
        with _connect(settings) as client:
            if settings.user:
                client.login(settings.user, settings.password or "")
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(f"could not send mail through {settings.host}:{settings.port}: "
                        f"{exc}") from exc
