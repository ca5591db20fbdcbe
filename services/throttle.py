"""Sending limits shared by every one-time code (activation, password reset, e-mail
confirmation, identifiant reminder): at most one message per ``resend_min_interval`` and
``max_codes_per_window`` per ``resend_window`` to the same person."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime

from services.errors import ErrorCode, ResendLimited
from services.settings import Settings

__all__ = ["recent_sends", "send_refusal"]


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
