"""How dates, counts and rates read to a person, written once for every front end (the
``educonnect`` command, the Textual apps, the line mode), so that they cannot drift apart."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.admin import Rate

__all__ = ["NOTHING", "day", "hour", "minute", "rate", "second", "when"]

# What an empty cell or a moment that never came reads as.
NOTHING = "—"


def when(moment: datetime | None) -> str:
    """Local date and time to the minute (JJ/MM/AAAA HH:MM); « — » when it never happened."""
    return f"{moment.astimezone():%d/%m/%Y %H:%M}" if moment else NOTHING


def second(moment: datetime) -> str:
    """Local date and time to the second (JJ/MM/AAAA HH:MM:SS), for the audit journal, where
    several events can fall in one minute."""
    return f"{moment.astimezone():%d/%m/%Y %H:%M:%S}"


def minute(moment: datetime) -> str:
    """Local time of day as a clock shows it: « 09:30 »."""
    return f"{moment.astimezone():%H:%M}"


def hour(moment: datetime) -> str:
    """Local time of day as French signs write it: « 10 h 42 »."""
    local = moment.astimezone()
    return f"{local:%H} h {local:%M}"


def day(value: date) -> str:
    """A calendar date as the guide writes it: JJ/MM/AAAA."""
    return f"{value:%d/%m/%Y}"


def rate(value: Rate) -> str:
    """« 3/4 (75 %) »; « — » when nobody is counted: a class without guardians has no rate,
    and « 0/0 (0 %) » would read as if none of them had activated their account."""
    return f"{value.activated}/{value.total} ({value.percent} %)" if value.total else NOTHING
