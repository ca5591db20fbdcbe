"""E-mail delivery: into the outbox by default, or through a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from services import ManualClock
from services.email import (
    OutboxEmailGateway,
    SmtpConfigError,
    SmtpEmailGateway,
    SmtpSettings,
)
from services.errors import DeliveryFailed
from services.messaging import OutboxReader
from store import Journal

USER = "educonnect"
PASSWORD = "relais-secret"


class _Recorder:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _authenticate(
    server: Any, session: Any, envelope: Any, mechanism: str, data: Any
) -> AuthResult:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    # handled=False: aiosmtpd itself answers 535 to a refusal (True would leave the client
    # waiting for an answer the authenticator never sends).
    return AuthResult(success=ok, handled=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def smtp_server() -> Iterator[tuple[_Recorder, int]]:
    """A real SMTP server on loopback, accepting AUTH without TLS (test only)."""
    recorder = _Recorder()
    port = _free_port()
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=port,
        authenticator=_authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def _received(recorder: _Recorder) -> EmailMessage:
    [envelope] = recorder.envelopes
    message = message_from_bytes(envelope.original_content, policy=default_policy)
    assert isinstance(message, EmailMessage)
    return message


class TestOutboxEmailGateway:
    def test_email_lands_in_the_outbox(self, tmp_path: Path, clock: ManualClock) -> None:
        """Without SMTP the e-mail is written to the outbox, where the trainer's panel reads it."""
        outbox = Journal(tmp_path / "outbox.jsonl")
        OutboxEmailGateway(outbox, clock).send("a@example.org", "Sujet", "Bonjour Zoé")
        [message] = OutboxReader(outbox).messages(channel="email")
        assert (message.to, message.subject, message.text, message.at) == (
            "a@example.org",
            "Sujet",
            "Bonjour Zoé",
            clock.now(),
        )


class TestSmtpSettings:
    def test_read_from_the_environment(self) -> None:
        """Every EDUCONNECT_SMTP_* variable is taken into account."""
        settings = SmtpSettings.from_env(
            {
                "EDUCONNECT_SMTP_HOST": "smtp.example.org",
                "EDUCONNECT_SMTP_PORT": "2525",
                "EDUCONNECT_SMTP_STARTTLS": "false",
                "EDUCONNECT_SMTP_USER": "u",
                "EDUCONNECT_SMTP_PASSWORD": "p",
                "EDUCONNECT_SMTP_FROM": "ne-pas-repondre@example.org",
            }
        )
        assert settings is not None
        assert (settings.host, settings.port, settings.starttls, settings.user) == (
            "smtp.example.org",
            2525,
            False,
            "u",
        )
        assert settings.password is not None and settings.password.get_secret_value() == "p"
        assert settings.sender == "ne-pas-repondre@example.org"

    def test_no_host_means_no_smtp(self) -> None:
        """Without EDUCONNECT_SMTP_HOST, e-mails stay in the outbox."""
        assert SmtpSettings.from_env({}) is None

    def test_defaults(self) -> None:
        """Only a host: submission port 587 with STARTTLS, no login."""
        settings = SmtpSettings.from_env({"EDUCONNECT_SMTP_HOST": "smtp.example.org"})
        assert settings is not None
        assert (settings.port, settings.starttls, settings.user) == (587, True, None)

    @pytest.mark.parametrize(
        ("name", "value"), [("PORT", "vingt-cinq"), ("PORT", "70000"), ("STARTTLS", "peut-être")]
    )
    def test_bad_values_are_named(self, name: str, value: str) -> None:
        """A wrong value is refused with a French message naming the variable."""
        with pytest.raises(SmtpConfigError) as caught:
            SmtpSettings.from_env(
                {"EDUCONNECT_SMTP_HOST": "smtp.example.org", f"EDUCONNECT_SMTP_{name}": value}
            )
        assert f"EDUCONNECT_SMTP_{name}" in caught.value.message

    def test_password_never_shown(self) -> None:
        """The SMTP password does not appear in the settings' repr (logs, tracebacks)."""
        settings = SmtpSettings.from_env(
            {"EDUCONNECT_SMTP_HOST": "h", "EDUCONNECT_SMTP_PASSWORD": PASSWORD}
        )
        assert PASSWORD not in repr(settings)


class TestSmtpDelivery:
    def test_message_reaches_the_server(self, smtp_server: tuple[_Recorder, int]) -> None:
        """A real SMTP server receives sender, recipient, subject and the accented body."""
        recorder, port = smtp_server
        gateway = SmtpEmailGateway(
            SmtpSettings(
                host="127.0.0.1", port=port, starttls=False, sender="ne-pas-repondre@example.org"
            )
        )
        gateway.send("parent@example.org", "ÉduConnect : code", "Votre code est ABCDEF. Zoé")
        [envelope] = recorder.envelopes
        assert envelope.mail_from == "ne-pas-repondre@example.org"
        assert envelope.rcpt_tos == ["parent@example.org"]
        message = _received(recorder)
        assert message["Subject"] == "ÉduConnect : code"
        assert message["To"] == "parent@example.org"
        body = message.get_body()
        assert body is not None
        assert body.get_content().strip() == "Votre code est ABCDEF. Zoé"

    def test_logs_in_when_a_user_is_set(self, smtp_server: tuple[_Recorder, int]) -> None:
        """With a user and password the gateway authenticates before sending."""
        recorder, port = smtp_server
        settings = SmtpSettings.from_env(
            {
                "EDUCONNECT_SMTP_HOST": "127.0.0.1",
                "EDUCONNECT_SMTP_PORT": str(port),
                "EDUCONNECT_SMTP_STARTTLS": "0",
                "EDUCONNECT_SMTP_USER": USER,
                "EDUCONNECT_SMTP_PASSWORD": PASSWORD,
            }
        )
        assert settings is not None
        SmtpEmailGateway(settings).send("parent@example.org", "Sujet", "Texte")
        assert len(recorder.envelopes) == 1

    def test_refused_login_is_a_delivery_failure(self, smtp_server: tuple[_Recorder, int]) -> None:
        """Wrong credentials: DeliveryFailed with a French message, nothing delivered."""
        recorder, port = smtp_server
        settings = SmtpSettings(
            host="127.0.0.1", port=port, starttls=False, user=USER, password="mauvais"
        )
        with pytest.raises(DeliveryFailed) as caught:
            SmtpEmailGateway(settings).send("parent@example.org", "Sujet", "Texte")
        assert "n'a pas pu être envoyé" in caught.value.message
        assert recorder.envelopes == []

    def test_unreachable_server_is_a_delivery_failure(self) -> None:
        """No server listening: DeliveryFailed, not a raw socket error."""
        settings = SmtpSettings(host="127.0.0.1", port=_free_port(), starttls=False)
        with pytest.raises(DeliveryFailed):
            SmtpEmailGateway(settings).send("parent@example.org", "Sujet", "Texte")
