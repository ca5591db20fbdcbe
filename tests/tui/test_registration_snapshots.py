"""Pictures of steps 3 to 8 at 80×24, and of each refusal a parent can meet on the way.

Every picture is taken on the demo families with the test clock and a seeded random source, so
the SMS code, the identifiant and the times are the same on every run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from services import ManualClock, Settings
from tests.tui.pilot import (
    PASSWORD,
    SnapApp,
    answer_no,
    choose_password,
    enter_code,
    fill,
    identify,
    open_activation,
    press,
    to_children_step,
    to_code_step,
    to_existing_account,
    to_password_step_martin,
)


class TestActivationStepPictures:
    def test_step_3_empty_form(self, snap_app: SnapApp) -> None:
        """Step 3 as it opens: the guide's texts, Nom and Prénom, the phone and its hint."""
        assert snap_app(open_activation)

    def test_step_3_no_match(self, snap_app: SnapApp) -> None:
        """A wrong prénom: the neutral sentence under the form, nothing else revealed."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_activation(pilot)
            await identify(pilot, "Martin", "Sophia", "06 12 34 56 78")

        assert snap_app(run_before)

    def test_step_3_unknown_mobile_help(self, snap_app: SnapApp) -> None:
        """Pedro Garcia's mobile is unknown to the school: the refusal, then the link under it
        opens what to do when the number changed or the school does not have it."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_activation(pilot)
            await identify(pilot, "Garcia", "Pedro", "06 77 88 99 00")
            await press(pilot, "#number-help")

        assert snap_app(run_before)

    def test_step_4_number_and_confirmation(self, snap_app: SnapApp) -> None:
        """Step 4 after « Recevoir mon code SMS »: the number as understood and the
        « Confirmation par SMS » box with « Valider »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_activation(pilot)
            await identify(pilot, "Payet", "Marie-Claude", "0692 12 34 56")
            await press(pilot, "#receive")

        assert snap_app(run_before)


class TestCodeStepPictures:
    def test_step_5_with_phone_panel(self, snap_app: SnapApp) -> None:
        """Step 5 with F2: the code field, « Continuer », the resend link, and the SMS."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_code_step(pilot)
            await pilot.press("f2")

        assert snap_app(run_before)

    def test_step_5_wrong_code(self, snap_app: SnapApp) -> None:
        """A wrong code: the message and the tries left under the field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_code_step(pilot)
            await enter_code(pilot, "zzzzzz")

        assert snap_app(run_before)

    def test_step_5_code_expired(self, snap_app: SnapApp, clock: ManualClock) -> None:
        """31 minutes later the right code is expired; the message says how to get another."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_code_step(pilot)
            clock.advance(timedelta(minutes=31))
            await enter_code(pilot, "ABCDEF")

        assert snap_app(run_before)

    def test_existing_account(self, snap_app: SnapApp) -> None:
        """Claire Moreau's right code: « Vous avez déjà un compte », her identifiant, and
        « Se connecter » / « Mot de passe oublié ? »."""
        assert snap_app(to_existing_account)


class TestChildrenStepPictures:
    def test_step_6_two_children(self, snap_app: SnapApp) -> None:
        """Step 6 for R001: both children, their schools and classes, Oui/Non, the dates."""
        assert snap_app(to_children_step)

    def test_step_6_wrong_date_of_birth(self, snap_app: SnapApp) -> None:
        """A wrong date for Lucas: the message beside his date only, with the tries left."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_children_step(pilot)
            fill(pilot, "naissance-0", "05/09/2008")
            fill(pilot, "naissance-1", "15/03/2012")
            await press(pilot, "#confirm")

        assert snap_app(run_before)

    def test_step_6_single_link_sentence(self, snap_app: SnapApp) -> None:
        """R002 answers « Non » for the only child: the guide's sentence by the choice and the
        refusal under the form."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_children_step(pilot, "Bernard", "Thomas", "06 23 45 67 89")
            await answer_no(pilot, 0)
            await press(pilot, "#confirm")

        assert snap_app(run_before)

    def test_step_6_registration_ended(self, snap_app: SnapApp) -> None:
        """Three wrong dates: the registration is over, « Recommencer l'activation »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_children_step(pilot, "Bernard", "Thomas", "06 23 45 67 89")
            for _ in range(3):
                fill(pilot, "naissance-0", "01/01/2000")
                await press(pilot, "#confirm")

        assert snap_app(run_before)

    def test_abandon_dialog(self, snap_app: SnapApp) -> None:
        """Escape on step 6 asks before abandoning; « Continuer l'activation » is focused."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_children_step(pilot)
            await pilot.press("escape")

        assert snap_app(run_before)


class TestChildrenStepWaitPicture:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        """One start per mobile and per hour: the end of step 6 has a time to give."""
        return settings.model_copy(update={"max_starts_per_mobile": 1})

    def test_step_6_ended_with_the_time_of_a_new_try(self, snap_app: SnapApp) -> None:
        """Three wrong dates while no new start is possible: the time from which it is."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_children_step(pilot, "Bernard", "Thomas", "06 23 45 67 89")
            for _ in range(3):
                fill(pilot, "naissance-0", "01/01/2000")
                await press(pilot, "#confirm")

        assert snap_app(run_before)


class TestPasswordStepPictures:
    def test_step_7_rules_unmet(self, snap_app: SnapApp) -> None:
        """Step 7 while typing « abcD1 »: the identifiant in its box and the rules half ticked."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_password_step_martin(pilot)
            await pilot.press(*"abcD1")

        assert snap_app(run_before)

    def test_step_7_passwords_differ(self, snap_app: SnapApp) -> None:
        """« Valider » with two different passwords: the message beside the confirmation."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_password_step_martin(pilot)
            await choose_password(pilot, PASSWORD, PASSWORD + "x")

        assert snap_app(run_before)


class TestActivatedPictures:
    def test_step_8_account_activated(self, snap_app: SnapApp) -> None:
        """« Votre compte est activé »: the identifiant, the children, the services."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_password_step_martin(pilot)
            await choose_password(pilot, PASSWORD, PASSWORD)

        assert snap_app(run_before)

    def test_step_8_after_non(self, snap_app: SnapApp) -> None:
        """« Non » for Emma: the activated screen names her, the school will check the link."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_children_step(pilot)
            await answer_no(pilot, 0)
            fill(pilot, "naissance-1", "14/03/2012")
            await press(pilot, "#confirm")
            await choose_password(pilot, PASSWORD, PASSWORD)
            await pilot.press("pagedown")

        assert snap_app(run_before)

    def test_step_8_at_120_by_40(self, snap_app: SnapApp) -> None:
        """The same screen on a larger terminal: nothing stretched or cut."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_password_step_martin(pilot)
            await choose_password(pilot, PASSWORD, PASSWORD)

        assert snap_app(run_before, terminal_size=(120, 40))
