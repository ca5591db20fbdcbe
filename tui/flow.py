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
    # After a login or a reset request: the account whose mobile and address the trainer's
    # panel shows (it looks them up itself, only while shown).
    account: str = ""

    def new_person(self) -> None:
        """Someone else may be at the keyboard from here on (back to the first steps, a
        logout, a new registration): nothing of the last person stays, so the trainer's panel
        starts empty and shows no one else's messages. The site and profile chosen stay."""
        self.token = None
        self.phone = None
        self.phone_display = ""
        self.identifiant = ""
        self.email = None
        self.session = None
        self.account = ""
