"""Message delivery is injected: the default gateways write to the store's outbox, which is what
the trainer's phone panel and ``educonnect sms`` show."""

from __future__ import annotations

from typing import Protocol

from services.clock import Clock
from store import JournalLike
from store.records import OutboxMessage

__all__ = ["OutboxReader", "OutboxSmsGateway", "SmsGateway"]


class SmsGateway(Protocol):
    def send(self, to: str, text: str) -> None:
        """Deliver ``text`` to the E.164 number ``to``."""
        ...


class OutboxSmsGateway:
    """Appends each SMS to the outbox journal instead of sending it."""

    def __init__(self, outbox: JournalLike, clock: Clock) -> None:
        self._outbox = outbox
        self._clock = clock

    def send(self, to: str, text: str) -> None:
        message = OutboxMessage(at=self._clock.now(), channel="sms", to=to, text=text)
        self._outbox.append([message.model_dump(mode="json")])


class OutboxReader:
    """What the outbox holds, oldest first; cheap to poll (the journal rereads only what is new)."""

    def __init__(self, outbox: JournalLike) -> None:
        self._outbox = outbox

    def messages(self, *, channel: str | None = None, to: str | None = None) -> list[OutboxMessage]:
        found = []
        for record in self._outbox.read():
            try:
                message = OutboxMessage.model_validate(record)
            except ValueError:
                continue
            if (channel is None or message.channel == channel) and (to is None or message.to == to):
                found.append(message)
        return found
