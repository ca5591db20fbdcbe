"""Messages follow the state: a refusal beside a field goes once the field is edited, a wait
goes when it is over, and counts read « 1 seconde », « 2 secondes »."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT
from tests.tui.pilot import (
    SIZE,
    choose_password,
    field_error,
    log_in,
    login_message,
    open_login,
    press,
    settle,
    to_code_step,
    to_password_step_martin,
    until,
)
from tui.app import make_app


def resend_message(pilot: Pilot[Any]) -> str:
    notice = pilot.app.screen.query_one("#resend-message", Static)
    return str(notice.render()) if notice.has_class("-error") else ""


class TestFieldRefusals:
    async def test_the_password_refusal_goes_once_the_password_is_edited(
        self, demo_services: Services
    ) -> None:
        """Step 7 refuses « court »; the refusal describes that value, so it goes as soon as
        the person types into the field (the checklist says which rules are met)."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step_martin(pilot)
            await choose_password(pilot, "court", "court")
            assert field_error(pilot, "password")
            await pilot.press("tab", "shift+tab")
            await settle(pilot)
            assert field_error(pilot, "password"), "moving the focus edits nothing"
            await pilot.press("X")
            await settle(pilot)
            assert field_error(pilot, "password") == ""


class TestWaits:
    async def test_a_resend_wait_goes_when_it_is_over(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """« Attendez 1 seconde » (singular) under « Je n'ai pas reçu de code… », one second
        before the minute is over; a second later it no longer holds and is gone."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot)
            clock.advance(timedelta(seconds=59))
            await press(pilot, "#resend")
            assert "Attendez 1 seconde avant" in resend_message(pilot)
            await until(pilot, lambda: resend_message(pilot) == "")

    async def test_a_login_wait_goes_and_the_refusal_stays(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """After wrong passwords the login asks to wait; one second before the end, the
        sentence says « 1 seconde »; once over, the refusal is still said, not the wait."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            wait = None
            while wait is None:
                await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, "Mauvais-mot-2-passe")
                wait = re.search(r"Patientez (\d+) secondes?", login_message(pilot))
            clock.advance(timedelta(seconds=int(wait.group(1)) - 1))
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, "Mauvais-mot-2-passe")
            refusal = login_message(pilot)
            assert refusal.endswith("Patientez 1 seconde avant de réessayer.")
            await until(pilot, lambda: "Patientez" not in login_message(pilot))
            assert login_message(pilot) == refusal.removesuffix(
                " Patientez 1 seconde avant de réessayer."
            )
