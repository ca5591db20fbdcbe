"""Messages of the neutral answers sent off the request path, by one delivery thread per
process.

A neutral answer (« Identifiant oublié », the reset request) sends a message only when the
person is real; if the request waited for the sending (an fsynced outbox line, an SMTP
exchange), the time of the answer would tell who is real. Here a request only puts the message
in a queue, whatever it holds; the thread sends it a moment later. A message that cannot be
sent is written to the audit log, as a notice is (the answer was already given).

The thread starts with the first message, not before: the SSH server's warm parent builds
nothing that runs, and each session's process starts its own.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from collections.abc import Callable

from services.clock import Clock
from services.email import EmailGateway
from services.errors import DeliveryFailed
from services.i18n import _
from services.messaging import SmsGateway
from store import JournalLike
from store.records import AuditEvent

__all__ = ["BackgroundDelivery"]

log = logging.getLogger(__name__)

# How long a process that ends waits for the messages still queued.
_DRAIN_SECONDS = 10.0


class BackgroundDelivery:
    """Wraps the real gateways: ``sms`` and ``email`` queue, the thread sends."""

    def __init__(
        self, sms: SmsGateway, email: EmailGateway, audit_log: JournalLike, clock: Clock
    ) -> None:
        self._sms = sms
        self._email = email
        self._audit_log = audit_log
        self._clock = clock
        self._queue: queue.Queue[tuple[str, Callable[[], None]]] = queue.Queue()
        self._guard = threading.Lock()
        self._thread: threading.Thread | None = None
        self.sms = _QueuedSms(self)
        self.email = _QueuedEmail(self)

    def put(self, to: str, send: Callable[[], None]) -> None:
        with self._guard:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="educonnect-delivery", daemon=True
                )
                self._thread.start()
                atexit.register(self.drain, _DRAIN_SECONDS)
        self._queue.put((to, send))

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every queued message was handed to its gateway; False on timeout."""
        if self._thread is None:
            return True
        finished = threading.Event()
        self._queue.put(("", finished.set))
        return finished.wait(timeout)

    def _run(self) -> None:
        while True:
            to, send = self._queue.get()
            try:
                send()
            except DeliveryFailed:
                self._failed(to)
            except Exception:
                # A full disk or a broken outbox must not end the thread: every later message
                # of this process would silently stay in the queue.
                log.exception("delivery to %s failed", to)
                self._failed(to)
            finally:
                self._queue.task_done()

    def _failed(self, to: str) -> None:
        event = AuditEvent(
            at=self._clock.now(),
            event="delivery_failed",
            detail=_("message non remis au destinataire %(to)s") % {"to": to},
        )
        try:
            self._audit_log.append([event.model_dump(mode="json")])
        except Exception:
            log.exception("could not audit the failed delivery to %s", to)


class _QueuedSms:
    def __init__(self, delivery: BackgroundDelivery) -> None:
        self._delivery = delivery
        self._gateway = delivery._sms

    def send(self, to: str, text: str) -> None:
        self._delivery.put(to, lambda: self._gateway.send(to, text))


class _QueuedEmail:
    def __init__(self, delivery: BackgroundDelivery) -> None:
        self._delivery = delivery
        self._gateway = delivery._email

    def send(self, to: str, subject: str, text: str) -> None:
        self._delivery.put(to, lambda: self._gateway.send(to, subject, text))
