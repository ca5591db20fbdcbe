"""The delivery thread outlives any failure of one message: later messages still go."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import pytest

from services import ManualClock
from services.delivery import BackgroundDelivery
from services.errors import DeliveryFailed
from store.errors import StoreError


class MemoryJournal:
    def __init__(self, broken: bool = False) -> None:
        self.records: list[dict[str, Any]] = []
        self.broken = broken

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        if self.broken:
            raise StoreError("journal.jsonl", "le journal est illisible")
        self.records.extend(records)

    def read(self) -> list[dict[str, Any]]:
        return list(self.records)


class FlakySms:
    """Fails with ``failure`` on the first message, then delivers."""

    def __init__(self, failure: Exception) -> None:
        self.failure: Exception | None = failure
        self.sent: list[tuple[str, str]] = []

    def send(self, to: str, text: str) -> None:
        if self.failure is not None:
            failure, self.failure = self.failure, None
            raise failure
        self.sent.append((to, text))


class NoEmail:
    def send(self, to: str, subject: str, text: str) -> None:
        raise AssertionError("no e-mail in these tests")


def _delivery(sms: FlakySms, journal: MemoryJournal) -> BackgroundDelivery:
    clock = ManualClock(datetime(2026, 12, 6, 8, 0, tzinfo=UTC))
    return BackgroundDelivery(sms, NoEmail(), journal, clock)


class TestDeliveryWorker:
    @pytest.mark.parametrize(
        "failure",
        [
            DeliveryFailed(),
            StoreError("outbox.jsonl", "outbox illisible"),
            OSError(28, "No space left"),
        ],
        ids=["refused", "store", "disk-full"],
    )
    def test_a_failed_message_is_audited_and_the_next_one_still_goes(
        self, failure: Exception
    ) -> None:
        """Whatever the first sending raises, it is audited and the second is sent."""
        sms, journal = FlakySms(failure), MemoryJournal()
        delivery = _delivery(sms, journal)
        delivery.sms.send("+33600000001", "premier")
        delivery.sms.send("+33600000002", "second")
        assert delivery.drain(10)
        assert sms.sent == [("+33600000002", "second")]
        assert [record["event"] for record in journal.records] == ["delivery_failed"]

    def test_a_journal_that_cannot_be_written_does_not_stop_the_sending(self) -> None:
        """Even the audit of a failure can fail (a damaged store): the queue goes on."""
        sms = FlakySms(StoreError("outbox.jsonl", "outbox illisible"))
        delivery = _delivery(sms, MemoryJournal(broken=True))
        delivery.sms.send("+33600000001", "premier")
        delivery.sms.send("+33600000002", "second")
        assert delivery.drain(10)
        assert sms.sent == [("+33600000002", "second")]
