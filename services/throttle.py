"""Sending limits shared by every one-time code (activation, password reset, e-mail
confirmation, identifiant reminder): at most one message per ``resend_min_interval`` and
``max_codes_per_window`` per ``resend_window`` to the same person. Also the limits of
registration starts (step 3), and the purge of what these limits no longer need."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

from services.codes import code_digest
from services.errors import ErrorCode, ResendLimited, ServiceError
from services.settings import Settings
from store import Records
from store.records import StartThrottle

__all__ = [
    "PurgeSchedule",
    "count_request",
    "next_send_at",
    "purge_expired",
    "recent_sends",
    "request_key",
    "send_refusal",
    "start_possible_at",
    "start_refusal",
    "void_request_code",
]


def recent_sends(
    sent_at: Iterable[datetime], now: datetime, settings: Settings
) -> tuple[datetime, ...]:
    """The sending times still inside the window; older ones no longer count."""
    return tuple(moment for moment in sent_at if now - moment < settings.resend_window)


def send_refusal(
    recent: tuple[datetime, ...], now: datetime, settings: Settings
) -> ResendLimited | None:
    """Why one more message may not be sent now, or ``None`` if it may."""
    if recent:
        wait = settings.resend_min_interval - (now - max(recent))
        if wait.total_seconds() > 0:
            seconds = math.ceil(wait.total_seconds())
            return ResendLimited(ErrorCode.RESEND_TOO_SOON, field="code", count=seconds)
    if len(recent) >= settings.max_codes_per_window:
        minutes = int(settings.resend_window.total_seconds() // 60)
        return ResendLimited(ErrorCode.RESEND_TOO_MANY, field="code", count=minutes)
    return None


def next_send_at(
    recent: tuple[datetime, ...], now: datetime, settings: Settings
) -> datetime | None:
    """When one more message may be sent (both limits of ``send_refusal`` met), or ``None``
    if it may be sent now."""
    if send_refusal(recent, now, settings) is None:
        return None
    ordered = sorted(recent)
    moments = [ordered[-1] + settings.resend_min_interval]
    over = len(ordered) - settings.max_codes_per_window
    if over >= 0:
        # Enough of the oldest sends must have left the window to make room for one more.
        moments.append(ordered[over] + settings.resend_window)
    return max(moments)


def start_refusal(
    recent: tuple[datetime, ...], limit: int, now: datetime, settings: Settings
) -> ServiceError | None:
    """Why one more registration start may not be made now (``recent``: the starts inside
    ``start_window`` that count against ``limit``), or ``None`` if it may."""
    if len(recent) < limit:
        return None
    # The wait until the oldest start that counts leaves the window.
    wait = settings.start_window - (now - min(recent))
    minutes = max(1, math.ceil(wait.total_seconds() / 60))
    return ServiceError(ErrorCode.START_TOO_MANY, count=minutes)


def start_possible_at(
    recent: tuple[datetime, ...], limit: int, settings: Settings
) -> datetime | None:
    """From when one more start fits under ``limit`` (``recent``: the starts inside
    ``start_window``), or ``None`` if it fits now."""
    over = len(recent) - limit
    if over < 0:
        return None
    return sorted(recent)[over] + settings.start_window


class PurgeSchedule:
    """When the next purge is due. A purge reads whole tables: run on every start, twenty
    people starting at once on PostgreSQL each read what the others were writing, and a third
    of the starts ended « occupée » (``bench/rentree_bench.py``). Once per ``every`` and per
    process keeps the data bounded; it depends on the time only, never on who asks, so real
    and unknown people pay it alike."""

    def __init__(self, every: timedelta) -> None:
        self.every = every
        self.next_at: datetime | None = None

    def due(self, now: datetime) -> bool:
        if self.next_at is not None and now < self.next_at:
            return False
        self.next_at = now + self.every
        return True


def purge_expired(records: Records, now: datetime, settings: Settings) -> None:
    """Remove what no rule reads any more: expired registrations, and sending and start
    limits whose every moment left its window. Run by every registration start, identifiant
    reminder and reset request, matched or not, so the data stays bounded whatever is typed."""
    for registration in records.registrations.all():
        if now > registration.expires_at:
            records.registrations.delete(token_hash=registration.token_hash)
    for sent in records.throttles.all():
        if not recent_sends(sent.sent_at, now, settings):
            records.throttles.delete(guardian_id=sent.guardian_id)
    for started in records.start_throttles.all():
        live_code = started.code_expires_at is not None and now <= started.code_expires_at
        if not live_code and all(now - m >= settings.start_window for m in started.started_at):
            records.start_throttles.delete(key=started.key)


def request_key(secret: bytes, purpose: str, typed: str) -> str:
    """The key of the sending limits of one kind of request (``purpose``: "reminder",
    "reset") with one typed value (the mobile, the identifiant): a keyed hash, since what is
    typed and nobody's is not kept readable."""
    return code_digest(secret, f"{purpose}-request", typed)


def count_request(
    records: Records, key: str, now: datetime, settings: Settings, *, code_hash: str | None = None
) -> datetime | None:
    """The sending limits of an identifiant reminder or a reset request, counted per typed
    value (``key``: ``request_key``) whether it matched an account or not. A real request and
    an unknown one read and write this one small record and nothing else (not the account's
    wide one), so they take as long (issue 13, item 7). ``code_hash``: the reset code, kept
    with the count for a real request and an unknown one alike (nobody receives the unknown
    one's). Returns when the next request may be made if this one is over the limits (it is
    then neither counted nor its code kept), else ``None``."""
    counted = records.start_throttles.get(key=key)
    recent = recent_sends(counted.started_at if counted else (), now, settings)
    next_at = next_send_at(recent, now, settings)
    if next_at is None:
        records.start_throttles.put(
            StartThrottle(
                key=key,
                started_at=(*recent, now),
                code_hash=code_hash,
                code_expires_at=None if code_hash is None else now + settings.code_ttl,
            )
        )
    return next_at


def void_request_code(records: Records, key: str) -> None:
    """A reset code no longer usable (the password changed another way)."""
    counted = records.start_throttles.get(key=key)
    if counted is not None and counted.code_hash is not None:
        records.start_throttles.put(counted.model_copy(update={"code_hash": None}))
