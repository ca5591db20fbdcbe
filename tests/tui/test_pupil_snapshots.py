"""Pictures of a pupil's first login (identity check, password, optional e-mail, services) and
of each refusal a pupil can meet there, at 80×24 and 120×40, on the demo families with the test
clock and a seeded random source. The temporary password never appears on screen."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot

from services import ManualClock
from tests.tui.pilot import (
    NEW_PASSWORD,
    WRONG_BIRTH,
    SnapApp,
    activate_without_the_screens,
    app_services,
    choose_password,
    fill,
    give_birth_date,
    issue,
    log_in,
    open_login,
    press,
    send_email_code,
    to_email_step,
    to_identity_check,
    to_password_step,
)

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


@SIZES
class TestIdentityCheckPictures:
    def test_form(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """« Confirmation de l'identité »: Léa's name and the date of birth field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_identity_check(pilot)

        assert snap_app(run_before, terminal_size=size)

    def test_wrong_date(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """A wrong date: the sentence and the tries left under the field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_identity_check(pilot)
            await give_birth_date(pilot, WRONG_BIRTH)

        assert snap_app(run_before, terminal_size=size)

    def test_too_many_wrong_dates(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """The third wrong date: step 2, the identifiant kept, and the dialog sending the pupil
        to the school."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_identity_check(pilot)
            for _ in range(3):
                await give_birth_date(pilot, WRONG_BIRTH)

        assert snap_app(run_before, terminal_size=size)


@SIZES
class TestPupilPasswordPictures:
    def test_form(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """The identifiant in its box, the two fields, the rules all unticked."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_password_step(pilot)
            await pilot.pause()

        assert snap_app(run_before, terminal_size=size)

    def test_passwords_differ(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """Every rule met but the last; the confirmation's error under it."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_password_step(pilot)
            await choose_password(pilot, NEW_PASSWORD, NEW_PASSWORD + "x")

        assert snap_app(run_before, terminal_size=size)

    def test_password_with_her_name(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """A password containing her nom: the unmet rule named under the field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_password_step(pilot)
            await choose_password(pilot, "Bernard2014!", "Bernard2014!")

        assert snap_app(run_before, terminal_size=size)


@SIZES
class TestPupilEmailPictures:
    def test_form(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """« Votre compte est activé », the optional address and « Passer cette étape »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_email_step(pilot)

        assert snap_app(run_before, terminal_size=size)

    def test_address_refused(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """An address that is not one: said under the field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_email_step(pilot)
            await send_email_code(pilot, "lea.bernard@")

        assert snap_app(run_before, terminal_size=size)

    def test_code_sent_with_the_mail_panel(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """The code field and « Confirmer »; the e-mail received, on the trainer's panel (F2)."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_email_step(pilot)
            await send_email_code(pilot)
            await pilot.press("f2")

        assert snap_app(run_before, terminal_size=size)

    def test_code_refused(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """A wrong code: the tries left under the code field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_email_step(pilot)
            await send_email_code(pilot)
            fill(pilot, "code", "ZZZZZZ")
            await press(pilot, "#confirm")

        assert snap_app(run_before, terminal_size=size)

    def test_services_after_skipping(self, snap_app: SnapApp, size: tuple[int, int]) -> None:
        """« Passer cette étape »: Léa's services, her class."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_email_step(pilot)
            await press(pilot, "#skip")

        assert snap_app(run_before, terminal_size=size)


@SIZES
class TestPupilRefusalPictures:
    def test_expired_provisional_password(
        self, snap_app: SnapApp, clock: ManualClock, size: tuple[int, int]
    ) -> None:
        """Past three months: the generic refusal plus « contactez votre établissement »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            issued = issue(app_services(pilot))
            clock.advance(timedelta(days=93))
            await open_login(pilot, "eleve")
            await log_in(pilot, issued.identifiant, issued.password)

        assert snap_app(run_before, terminal_size=size)

    def test_forgotten_password_without_email(
        self, snap_app: SnapApp, size: tuple[int, int]
    ) -> None:
        """« Mot de passe oublié ? » for an active pupil without a confirmed e-mail: ask the
        school."""

        async def run_before(pilot: Pilot[Any]) -> None:
            identifiant = activate_without_the_screens(app_services(pilot))
            await open_login(pilot, "eleve")
            fill(pilot, "identifiant", identifiant)
            await press(pilot, "#forgot-password")
            await press(pilot, "#send")

        assert snap_app(run_before, terminal_size=size)
