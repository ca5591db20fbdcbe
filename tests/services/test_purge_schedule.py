"""What expired is purged at most once per ``purge_every``: a purge reads whole tables, and
in every start's transaction it made concurrent starts on PostgreSQL refuse one another."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from services.throttle import PurgeSchedule

NOON = datetime(2026, 9, 7, 12, 0, tzinfo=UTC)


class TestPurgeSchedule:
    def test_the_first_request_purges_then_not_again_before_the_interval(self) -> None:
        """The first start of a process purges; the next ones within ten minutes do not."""
        schedule = PurgeSchedule(timedelta(minutes=10))
        assert schedule.due(NOON)
        assert not schedule.due(NOON + timedelta(minutes=9, seconds=59))

    def test_due_again_once_the_interval_is_over(self) -> None:
        """Ten minutes later the next request purges, and the interval starts from there."""
        schedule = PurgeSchedule(timedelta(minutes=10))
        schedule.due(NOON)
        assert schedule.due(NOON + timedelta(minutes=10))
        assert not schedule.due(NOON + timedelta(minutes=15))
        assert schedule.due(NOON + timedelta(minutes=20))
