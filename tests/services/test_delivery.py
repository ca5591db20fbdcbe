"""Neutral answers do the same work for a real person and an unknown one (issue 13, item 7):
the request path never sends (the delivery thread does), and both paths make the same store
calls. The time itself is measured by ``bench/neutral_timing.py``, not here."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from typing import Any

import pytest

from services import ManualClock, Services, build_services
from services.errors import DeliveryFailed, NoMatch
from services.passwords import PasswordHasher
from services.recovery import RecoveryService, ResetChannel
from services.registration import RegistrationService
from store import ReadView, StoreBackend, TransactionView
from store.backend import JournalLike
from tests.services._registration import BERNARD, MARTIN

REAL = ("Moreau", "Claire", "06 45 12 34 56")
UNKNOWN = ("Inconnu", "Personne", "06 98 76 54 32")


class RecordingSms:
    def __init__(self, fail: bool = False) -> None:
        self.sent: list[tuple[str, str]] = []
        self.fail = fail

    def send(self, to: str, text: str) -> None:
        self.sent.append((to, threading.current_thread().name))
        if self.fail:
            raise DeliveryFailed()


class CountingStore:
    """The store, counting transactions, audit records and messages appended outside them."""

    def __init__(self, store: StoreBackend) -> None:
        self._store = store
        self.calls: list[str] = []

    @property
    def audit_log(self) -> JournalLike:
        return self._store.audit_log

    @property
    def outbox(self) -> JournalLike:
        return self._store.outbox

    def secret_key(self) -> bytes:
        self.calls.append("secret_key")
        return self._store.secret_key()

    def snapshot(self) -> ReadView:
        self.calls.append("snapshot")
        return self._store.snapshot()

    def transaction(self) -> AbstractContextManager[TransactionView]:
        @contextmanager
        def counted() -> Iterator[TransactionView]:
            with self._store.transaction() as tx:
                self.calls.append("transaction")
                yield _CountingView(tx, self.calls)

        return counted()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


class _CountingRows:
    """A table's reads and writes, counted by kind (not by table: the unknown person's
    record is in another table than the real one's)."""

    def __init__(self, rows: Any, calls: list[str]) -> None:
        self._rows = rows
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        self._calls.append(name)
        return getattr(self._rows, name)


class _CountingView:
    def __init__(self, tx: TransactionView, calls: list[str]) -> None:
        self._tx = tx
        self._calls = calls

    def rows(self, name: str) -> Any:
        return _CountingRows(self._tx.rows(name), self._calls)

    def audit(self, record: dict[str, Any]) -> None:
        self._calls.append("audit")
        self._tx.audit(record)


def _background(services: Services, sms: RecordingSms) -> Services:
    return build_services(
        services.settings,
        clock=services.clock,
        rng=random.Random(1),
        sms=sms,
        deliver_in_background=True,
    )


class TestDeliveryThread:
    def test_the_reminder_is_sent_by_the_delivery_thread(self, demo_services: Services) -> None:
        """The answer returns before the sending; the message still goes, from the thread."""
        sms = RecordingSms()
        background = _background(demo_services, sms)
        background.recovery.remind_identifiant(*REAL)
        assert background.delivery is not None and background.delivery.drain(10)
        assert sms.sent == [("+33645123456", "educonnect-delivery")]

    def test_other_steps_send_at_once(self, demo_services: Services) -> None:
        """A registration's code goes out before the answer: that person is known, and would
        be told if it could not be sent."""
        sms = RecordingSms()
        background = _background(demo_services, sms)
        started = background.registration.start(*MARTIN)
        background.registration.send_code(started.token)
        assert sms.sent == [(started.phone, threading.current_thread().name)]

    def test_a_message_not_delivered_is_audited(self, demo_services: Services) -> None:
        """The person already had the neutral answer: a failed sending goes to the audit log."""
        background = _background(demo_services, RecordingSms(fail=True))
        background.recovery.remind_identifiant(*REAL)
        assert background.delivery is not None and background.delivery.drain(10)
        events = [e["event"] for e in demo_services.store.audit_log.read()]
        assert events[-1] == "delivery_failed"


class TestSameWork:
    def _recovery(self, services: Services, store: CountingStore) -> RecoveryService:
        return RecoveryService(
            store,
            services.settings,
            services.clock,
            random.Random(1),
            RecordingSms(),
            _NoEmail(),
            _hasher(services),
        )

    def test_identifiant_reminder(self, demo_services: Services) -> None:
        real, unknown = CountingStore(demo_services.store), CountingStore(demo_services.store)
        """A reminder sent and one matching nobody: one record looked up by mobile, one read
        and written (the account's sending limit, or the unknown number's), one audit line."""
        self._recovery(demo_services, real).remind_identifiant(*REAL)
        self._recovery(demo_services, unknown).remind_identifiant(*UNKNOWN)
        assert real.calls == unknown.calls
        purge = ["find", "find", "find"]
        assert real.calls == ["secret_key", "transaction", *purge, "find", "get", "upsert", "audit"]

    def test_reset_request(self, demo_services: Services) -> None:
        real, unknown = CountingStore(demo_services.store), CountingStore(demo_services.store)
        """A code sent and a request for an unknown identifiant: the same reads and writes."""
        self._recovery(demo_services, real).request_password_reset("c.moreau1")
        self._recovery(demo_services, unknown).request_password_reset("x.inconnu1")
        assert real.calls == unknown.calls
        purge = ["find", "find", "find"]
        assert real.calls == ["secret_key", "transaction", *purge, "get", "get", "upsert", "audit"]

    @pytest.mark.parametrize("refused", [("Martine", *MARTIN[1:]), UNKNOWN])
    def test_refused_start_like_an_accepted_one(
        self, demo_services: Services, clock: ManualClock, refused: tuple[str, str, str]
    ) -> None:
        """Refused (known number or not) and accepted starts: one transaction, one audit
        line (the accepted one reads more: the guardian's children and account)."""
        accepted, other = CountingStore(demo_services.store), CountingStore(demo_services.store)
        for store, identity in ((accepted, MARTIN), (other, refused)):
            service = RegistrationService(
                store,
                demo_services.settings,
                clock,
                random.Random(1),
                RecordingSms(),
                _hasher(demo_services),
            )
            with suppress(NoMatch):
                service.start(*identity)

        def shape(calls: list[str]) -> list[str]:
            return [call for call in calls if call in ("secret_key", "transaction", "audit")]

        assert (
            shape(accepted.calls)
            == shape(other.calls)
            == [
                "secret_key",
                "transaction",
                "audit",
            ]
        )


class _NoEmail:
    def send(self, to: str, subject: str, text: str) -> None:
        raise AssertionError("no e-mail on these paths")


def _hasher(services: Services) -> PasswordHasher:
    return PasswordHasher(services.settings.hashing)


class TestExistingAccountLikeANewOne:
    def test_start_and_code_do_the_same_work(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Issue 12, item 1: up to the code, a guardian who already has an account (Moreau)
        costs the same store calls as one who has none with as many children (Bernard), and
        gets an SMS of the same length."""
        existing, new = CountingStore(demo_services.store), CountingStore(demo_services.store)
        texts = []
        for store, identity in ((existing, REAL), (new, BERNARD)):
            sms = _TextSms()
            service = RegistrationService(
                store,
                demo_services.settings,
                clock,
                random.Random(1),
                sms,
                _hasher(demo_services),
            )
            started = service.start(*identity)
            service.send_code(started.token)
            texts.extend(sms.texts)
        assert existing.calls == new.calls
        assert len(texts[0]) == len(texts[1])

    def test_identifiant_by_email_does_the_same_work(self, demo_services: Services) -> None:
        """The e-mail choice of « Identifiant oublié ? » reads and writes as the unknown
        person's request does."""
        calls = []
        for identity in (REAL, UNKNOWN):
            store = CountingStore(demo_services.store)
            RecoveryService(
                store,
                demo_services.settings,
                demo_services.clock,
                random.Random(1),
                RecordingSms(),
                _Mailbox(),
                _hasher(demo_services),
            ).remind_identifiant(*identity, channel=ResetChannel.EMAIL)
            calls.append(store.calls)
        assert calls[0] == calls[1]


class _Mailbox:
    def send(self, to: str, subject: str, text: str) -> None:
        """Accepted and forgotten."""


class _TextSms:
    def __init__(self) -> None:
        self.texts: list[str] = []

    def send(self, to: str, text: str) -> None:
        self.texts.append(text)
