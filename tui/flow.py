"""What the screens of one visit share, passed from screen to screen through constructors."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services.login import LoginSession

__all__ = ["Flow"]


@dataclass
class Flow:
    """One person's way through the screens: which site and profile they chose, the
    registration in progress (its token never leaves this process), the number and address
    the trainer's panel shows, and the open session once logged in."""

    site: str = ""
    profile: str = ""
    token: str | None = None
    phone: str | None = None
    phone_display: str = ""
    identifiant: str = ""
    email: str | None = None
    session: LoginSession | None = None
