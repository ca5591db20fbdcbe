"""The trainer's phone (F2) shows the messages of the person of the current flow only: the
account's mobile and address once logged in, the number typed at step 3 or « Identifiant
oublié », and nothing of the last person once a new flow starts (logout, « Changer de
profil », back to step 1)."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from services import Services
from tests.tui.pilot import (
    EMAIL,
    SIZE,
    add_email,
    fill,
    identify,
    press,
    settle,
    to_account,
)
from tui.app import make_app
from tui.screens import AuthenticationScreen, EduconnectProfileScreen, EntryScreen
from tui.widgets import PhonePanel

MARTIN_PHONE = "06 12 34 56 78"


async def panel_text(pilot: Pilot[Any]) -> str:
    """Everything the open panel shows, once it has read the outbox."""
    await settle(pilot)
    panel = pilot.app.screen.query_one(PhonePanel)
    panel.refresh_messages()
    await pilot.app.workers.wait_for_complete()
    await settle(pilot)
    assert panel.display
    return "\n".join(str(widget.render()) for widget in panel.query(Static))


class TestThePanelFollowsThePerson:
    async def test_after_a_logout_the_next_family_sees_none_of_the_last_ones_messages(
        self, demo_services: Services
    ) -> None:
        """Claire Moreau logs in: the panel shows her mobile and her address's e-mails. She
        logs out; another parent registers: only the new number, and no « Courriel »."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_account(pilot)
            await add_email(pilot)
            await pilot.press("f2")
            shown = await panel_text(pilot)
            assert "+33 6 45 12 34 56" in shown and EMAIL in shown
            for _ in range(2):
                await pilot.press("escape")
                await settle(pilot)
            await press(pilot, "#logout")
            assert isinstance(app.screen, AuthenticationScreen)
            shown = await panel_text(pilot)
            assert "aucun numéro saisi" in shown and EMAIL not in shown
            await press(pilot, "#no-account")
            await identify(pilot, "Martin", "Sophie", MARTIN_PHONE)
            shown = await panel_text(pilot)
            assert "+33 6 12 34 56 78" in shown
            assert EMAIL not in shown and "Courriel" not in shown

    async def test_changing_profile_or_going_back_to_step_1_empties_the_panel(
        self, demo_services: Services
    ) -> None:
        """A number typed at « Identifiant oublié » stays while that person goes back to the
        login page to use it; « ← Changer de profil » and step 1 start afresh."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await press(pilot, "#connect")
            await press(pilot, "#validate")
            await press(pilot, "#representant")
            await pilot.press("f2")
            await press(pilot, "#forgot-identifiant")
            fill(pilot, "nom", "Moreau")
            fill(pilot, "prenom", "Claire")
            fill(pilot, "portable", "06 45 12 34 56")
            await press(pilot, "#send")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, AuthenticationScreen)
            assert "+33 6 45 12 34 56" in await panel_text(pilot)
            await press(pilot, "#change-profile")
            assert isinstance(app.screen, EduconnectProfileScreen)
            assert "aucun numéro saisi" in await panel_text(pilot)
            await press(pilot, "#representant")
            await press(pilot, "#no-account")
            await identify(pilot, "Martin", "Sophie", MARTIN_PHONE)
            # Escape, one step at a time: 4, 3, 2, 1.2, 1.1, then step 1.
            for _ in range(5):
                await pilot.press("escape")
                await settle(pilot)
            assert isinstance(app.screen, EntryScreen)
            assert "aucun numéro saisi" in await panel_text(pilot)
