"""Each step the line mode has: it asks, calls the same service as its screen, and ends
with the same outcome (``tui.journey``); ``tui.lines.session`` moves on as the journey table
says."""

from __future__ import annotations

from collections.abc import Callable

from tui.journey import Outcome, Step
from tui.lines import account, franceconnect, pupil, recovery, registration, start

__all__ = ["HANDLERS"]

HANDLERS: dict[Step, Callable[..., Outcome]] = (
    start.HANDLERS
    | registration.HANDLERS
    | recovery.HANDLERS
    | account.HANDLERS
    | pupil.HANDLERS
    | franceconnect.HANDLERS
)
"""Each step's function, called with the visit and the payload of the outcome that led
there (``tui.journey.payload``)."""
