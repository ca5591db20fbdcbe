"""Neutral answers do the same work for a real person and an unknown one (issue 13, items 5
and 7): the request path never sends (the delivery thread does), both paths make the same store
calls on the same tables, and both are padded to the same floor. The time itself is measured by
``bench/neutral_timing.py``, not here."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import timedelta
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
    """A table's reads and writes, named ``table.method`` (one statement each on PostgreSQL)."""

    def __init__(self, rows: Any, table: str, calls: list[str]) -> None:
        self._rows = rows
        self._table = table
        self._calls = calls

    def __getattr__(self, name: str) -> Any:
        self._calls.append(f"{self._table}.{name}")
        return getattr(self._rows, name)


class _CountingView:
    def __init__(self, tx: TransactionView, calls: list[str]) -> None:
        self._tx = tx
        self._calls = calls

    def rows(self, name: str) -> Any:
        return _CountingRows(self._tx.rows(name), name, self._calls)

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
        """A reminder sent and one matching nobody: the guardians with that mobile, an
        account looked up (by nobody's id for the unknown one), the mobile's sending limits
        read and written, one audit line. Never the account's row written."""
        real, unknown = CountingStore(demo_services.store), CountingStore(demo_services.store)
        self._recovery(demo_services, real).remind_identifiant(*REAL)
        self._recovery(demo_services, unknown).remind_identifiant(*UNKNOWN)
        assert (
            real.calls
            == unknown.calls
            == [
                "secret_key",
                "transaction",
                *PURGE,
                "guardians.find",
                "accounts.get",
                "start_throttles.get",
                "start_throttles.upsert",
                "audit",
            ]
        )

    def test_reset_request(self, demo_services: Services) -> None:
        """A code sent and a request for an unknown identifiant: the same reads and writes;
        the code is kept with the typed identifiant's limits, not in the account's row."""
        real, unknown = CountingStore(demo_services.store), CountingStore(demo_services.store)
        self._recovery(demo_services, real).request_password_reset("c.moreau1")
        self._recovery(demo_services, unknown).request_password_reset("x.inconnu1")
        assert (
            real.calls
            == unknown.calls
            == [
                "secret_key",
                "transaction",
                *PURGE,
                "accounts.get",
                "guardians.get",
                "start_throttles.get",
                "start_throttles.upsert",
                "audit",
            ]
        )

    @pytest.mark.parametrize("refused", [("Martine", *MARTIN[1:]), UNKNOWN])
    def test_refused_start_like_an_accepted_one(
        self, demo_services: Services, clock: ManualClock, refused: tuple[str, str, str]
    ) -> None:
        """Refused (known number or not) and accepted starts read the same records (the
        guardian's links, one pupil, registrations and account: nobody's for a refusal); the
        accepted one writes its registration besides."""
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
        reads = [
            "secret_key",
            "transaction",
            *PURGE,
            "start_throttles.get",
            "start_throttles.upsert",
            "guardians.find",
            "links.find",
            "pupils.get",
            "registrations.find",
            "accounts.get",
        ]
        assert other.calls == [*reads, "audit"]
        assert accepted.calls == [*reads, "registrations.upsert", "audit"]


class TestFloor:
    """The neutral answers last at least ``neutral_answer_floor``, refusals included: the
    service sleeps what is left (a sleeper is given, so nothing waits here)."""

    @pytest.mark.parametrize("who", ["real", "unknown"])
    def test_each_neutral_answer_is_padded(self, demo_services: Services, who: str) -> None:
        settings = demo_services.settings.model_copy(
            update={"neutral_answer_floor": timedelta(seconds=30)}
        )
        slept: list[float] = []
        args = (demo_services.store, settings, demo_services.clock, random.Random(1))
        recovery = RecoveryService(
            *args, RecordingSms(), _Mailbox(), _hasher(demo_services), sleep=slept.append
        )
        registration = RegistrationService(
            *args, RecordingSms(), _hasher(demo_services), sleep=slept.append
        )
        real = who == "real"
        recovery.remind_identifiant(*(REAL if real else UNKNOWN))
        recovery.request_password_reset("c.moreau1" if real else "x.inconnu1")
        with suppress(NoMatch):
            registration.start(*(MARTIN if real else UNKNOWN))
        assert len(slept) == 3
        # Each call took far less than the floor: what is slept is most of it.
        assert all(20 < seconds <= 30 for seconds in slept)

    def test_no_floor_no_sleep(self, demo_services: Services) -> None:
        slept: list[float] = []
        RecoveryService(
            demo_services.store,
            demo_services.settings,
            demo_services.clock,
            random.Random(1),
            RecordingSms(),
            _Mailbox(),
            _hasher(demo_services),
            sleep=slept.append,
        ).remind_identifiant(*UNKNOWN)
        assert slept == []


# The purge of what expired runs in the first request (``PurgeSchedule``): it reads the
# registrations and both kinds of limits.
PURGE = ["registrations.find", "throttles.find", "start_throttles.find"]


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
