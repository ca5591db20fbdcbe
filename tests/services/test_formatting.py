"""How dates, counts and rates read, the same in the command line and the Textual apps."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from services.admin import Rate
from services.formatting import day, minute, rate, second, when


@pytest.fixture
def paris(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone is Paris for the test, then back to what it was."""
    monkeypatch.setenv("TZ", "Europe/Paris")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


class TestWhen:
    def test_a_moment_reads_in_local_time_to_the_minute(self, paris: None) -> None:
        """08:30:59 UTC on 7 September is 10:30 in Paris (summer time); seconds are dropped."""
        assert when(datetime(2026, 9, 7, 8, 30, 59, tzinfo=UTC)) == "07/09/2026 10:30"

    def test_the_local_date_can_differ_from_the_utc_date(self, paris: None) -> None:
        """23:30 UTC on 31 December is already 1 January in Paris (winter time)."""
        assert when(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == "01/01/2027 00:30"

    def test_never_reads_as_a_dash(self) -> None:
        """No moment (never logged in, never disputed) is « — », not an empty cell."""
        assert when(None) == "—"


class TestClockTimes:
    def test_the_journal_reads_to_the_second_in_local_time(self, paris: None) -> None:
        """Several audit events can fall in one minute: the journal keeps the seconds."""
        assert second(datetime(2026, 9, 7, 8, 30, 59, tzinfo=UTC)) == "07/09/2026 10:30:59"

    def test_a_time_of_day_reads_as_a_clock_in_local_time(self, paris: None) -> None:
        """« 09:05 » with a leading zero, in local (winter) time."""
        assert minute(datetime(2026, 12, 6, 8, 5, 40, tzinfo=UTC)) == "09:05"


class TestDay:
    def test_a_date_reads_day_month_year_with_leading_zeros(self) -> None:
        """JJ/MM/AAAA, as the guide writes dates of birth and validity."""
        assert day(date(2027, 3, 6)) == "06/03/2027"


class TestRate:
    def test_activated_out_of_total_with_a_rounded_percentage(self) -> None:
        """2 of 3 is « 2/3 (67 %) »: the percentage is rounded, with a space before « % »."""
        assert rate(Rate(activated=2, total=3)) == "2/3 (67 %)"

    def test_nobody_activated_is_zero_percent(self) -> None:
        """0 of 4 is a real rate, shown as such."""
        assert rate(Rate(activated=0, total=4)) == "0/4 (0 %)"

    def test_nobody_counted_is_no_rate(self) -> None:
        """A class with no guardian on record has no rate: « — », not « 0/0 (0 %) »."""
        assert rate(Rate(activated=0, total=0)) == "—"
