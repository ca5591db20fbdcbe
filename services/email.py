"""E-mail delivery is injected like SMS: by default into the outbox journal (what the trainer's
panel shows), or through a real SMTP server when one is configured."""

from __future__ import annotations

import os
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from services.clock import Clock
from services.errors import DeliveryFailed
from services.i18n import _
from store import JournalLike
from store.records import OutboxMessage

__all__ = [
    "EmailGateway",
    "OutboxEmailGateway",
    "SmtpConfigError",
    "SmtpEmailGateway",
    "SmtpSettings",
]

ENV_PREFIX = "EDUCONNECT_SMTP_"
DEFAULT_SENDER = "ne-pas-repondre@educonnect.invalid"


class EmailGateway(Protocol):
    def send(self, to: str, subject: str, text: str) -> None:
        """Deliver a plain-text message to the address ``to``; ``DeliveryFailed`` if it cannot."""
        ...


class OutboxEmailGateway:
    """Appends each e-mail to the outbox journal instead of sending it."""

    def __init__(self, outbox: JournalLike, clock: Clock) -> None:
        self._outbox = outbox
        self._clock = clock

    def send(self, to: str, subject: str, text: str) -> None:
        message = OutboxMessage(
            at=self._clock.now(), channel="email", to=to, subject=subject, text=text
        )
        self._outbox.append([message.model_dump(mode="json")])


class SmtpConfigError(ValueError):
    """An ``EDUCONNECT_SMTP_*`` variable that cannot be used; ``message`` is the catalog's
    sentence (not a ``ServiceError``: the settings are the operator's, read before any
    service runs)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SmtpSettings(BaseModel):
    """Where and how to hand e-mails over. The password never appears in a repr or a log."""

    model_config = ConfigDict(frozen=True)

    host: str = Field(min_length=1)
    port: int = Field(default=587, ge=1, le=65535)
    starttls: bool = True
    user: str | None = None
    password: SecretStr | None = None
    sender: str = DEFAULT_SENDER
    timeout_seconds: float = Field(default=10.0, gt=0)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> SmtpSettings | None:
        """Read ``EDUCONNECT_SMTP_HOST``, ``_PORT``, ``_STARTTLS``, ``_USER``, ``_PASSWORD``,
        ``_FROM``. ``None`` when no host is set (e-mails then go to the outbox)."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name, "").strip()
            return value or None

        host = get("HOST")
        if host is None:
            return None
        values: dict[str, object] = {"host": host}
        port = get("PORT")
        if port is not None:
            values["port"] = port
        starttls = get("STARTTLS")
        if starttls is not None:
            values["starttls"] = _parse_bool(starttls)
        user = get("USER")
        values["user"] = user
        password = env.get(ENV_PREFIX + "PASSWORD")
        values["password"] = password or None
        values["sender"] = get("FROM") or user or DEFAULT_SENDER
        try:
            return cls.model_validate(values)
        except ValidationError as error:
            names = ", ".join(ENV_PREFIX + str(e["loc"][0]).upper() for e in error.errors())
            raise SmtpConfigError(
                _("Configuration SMTP invalide : %(names)s.") % {"names": names}
            ) from None


def _parse_bool(value: str) -> bool:
    lowered = value.lower()
    if lowered in ("1", "true", "yes", "oui", "on"):
        return True
    if lowered in ("0", "false", "no", "non", "off"):
        return False
    raise SmtpConfigError(
        _("%(variable)s doit valoir 1 ou 0 (true/false), pas « %(value)s ».")
        % {"variable": ENV_PREFIX + "STARTTLS", "value": value}
    )


class SmtpEmailGateway:
    """One SMTP connection per message: sends are rare, and a long-lived connection would
    time out between them."""

    def __init__(self, settings: SmtpSettings) -> None:
        self._settings = settings

    def send(self, to: str, subject: str, text: str) -> None:
        settings = self._settings
        message = EmailMessage()
        message["From"] = settings.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(text)
        try:
            with smtplib.SMTP(
                settings.host, settings.port, timeout=settings.timeout_seconds
            ) as smtp:
                if settings.starttls:
                    smtp.starttls(context=ssl.create_default_context())
                if settings.user is not None:
                    password = settings.password.get_secret_value() if settings.password else ""
                    smtp.login(settings.user, password)
                smtp.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            raise DeliveryFailed() from error
