"""Pictures at 80×24 of the login, recovery and « Mon compte » screens, and of each refusal a
parent can meet there, on the demo families with the test clock and a seeded random source."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot

from services import ManualClock
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from tests.tui.pilot import (
    NEW_PASSWORD,
    SnapApp,
    add_email,
    choose_email,
    fail_until_locked,
    fill,
    log_in,
    logged_in,
    open_login,
    press,
    remind_identifiant,
    request_reset,
    settle,
    to_account,
)


class TestLoginPictures:
    def test_services_after_login(self, snap_app: SnapApp) -> None:
        """c.moreau1 logged in: her name, Inès, the services, « Mon compte »."""
        assert snap_app(logged_in)

    def test_generic_refusal(self, snap_app: SnapApp) -> None:
        """A wrong password: the one generic sentence under « Se connecter »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, "Tournesol-43!")

        assert snap_app(run_before)

    def test_refusal_with_wait(self, snap_app: SnapApp) -> None:
        """The third failure: the same sentence, and how long to wait."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            for _ in range(3):
                await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, "Tournesol-43!")

        assert snap_app(run_before)

    def test_locked_account(self, snap_app: SnapApp, clock: ManualClock) -> None:
        """Locked after ten failures: the right password is refused, saying until when."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await fail_until_locked(pilot, clock)
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD)

        assert snap_app(run_before)

    def test_password_shown(self, snap_app: SnapApp) -> None:
        """F3 on step 2: the password readable, the link now says « Masquer »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            fill(pilot, "identifiant", DEMO_ACTIVE_IDENTIFIANT)
            fill(pilot, "password", DEMO_ACTIVE_PASSWORD)
            await pilot.press("f3")

        assert snap_app(run_before)


class TestForgottenIdentifiantPictures:
    def test_form(self, snap_app: SnapApp) -> None:
        """« Identifiant oublié »: nom, prénom, mobile and the overseas hint."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")

        assert snap_app(run_before)

    def test_neutral_confirmation_with_the_phone(self, snap_app: SnapApp) -> None:
        """The neutral sentence, and the SMS on the trainer's phone (F2)."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            fill(pilot, "nom", "Moreau")
            fill(pilot, "prenom", "Claire")
            fill(pilot, "portable", "06 45 12 34 56")
            await press(pilot, "#send")
            await pilot.press("f2")

        assert snap_app(run_before)

    def test_number_refused(self, snap_app: SnapApp) -> None:
        """A foreign number is said under the field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            fill(pilot, "nom", "Moreau")
            fill(pilot, "prenom", "Claire")
            fill(pilot, "portable", "+44 7400 123456")
            await press(pilot, "#send")

        assert snap_app(run_before)

    def test_email_chosen(self, snap_app: SnapApp) -> None:
        """« Par e-mail » highlighted: the hint under the choice says that channel's rule."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            await choose_email(pilot)

        assert snap_app(run_before)

    def test_neutral_confirmation_by_email(self, snap_app: SnapApp) -> None:
        """The e-mail answer: which addresses were tried, the same whatever matched."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await remind_identifiant(pilot, "Moreau", "Claire", "06 45 12 34 56", by_email=True)

        assert snap_app(run_before)


async def to_reset_code(pilot: Pilot[Any]) -> None:
    await open_login(pilot)
    await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)


async def to_new_password(pilot: Pilot[Any]) -> None:
    await to_reset_code(pilot)
    app = pilot.app
    text = app.services.outbox.messages(channel="sms")[-1].text  # type: ignore[attr-defined]
    fill(pilot, "code", text.split(" est ")[1][:6])
    await press(pilot, "#continue")


class TestForgottenPasswordPictures:
    def test_identifiant_and_channel(self, snap_app: SnapApp) -> None:
        """« Mot de passe oublié »: the identifiant typed on step 2, SMS or e-mail."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            fill(pilot, "identifiant", DEMO_ACTIVE_IDENTIFIANT)
            await press(pilot, "#forgot-password")

        assert snap_app(run_before)

    def test_email_chosen(self, snap_app: SnapApp) -> None:
        """« Par e-mail » highlighted: « si une adresse est confirmée ; sinon par SMS »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            fill(pilot, "identifiant", DEMO_ACTIVE_IDENTIFIANT)
            await press(pilot, "#forgot-password")
            await choose_email(pilot)

        assert snap_app(run_before)

    def test_second_request_too_soon(self, snap_app: SnapApp) -> None:
        """Back from the code step, a new request within the minute: when the next one is
        possible, and the way to the code already received."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_reset_code(pilot)
            await pilot.press("escape")
            await settle(pilot)
            await press(pilot, "#send")

        assert snap_app(run_before)

    def test_new_code_too_soon(self, snap_app: SnapApp) -> None:
        """« En recevoir un nouveau » within the minute: refused under the link, with a time."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_reset_code(pilot)
            await press(pilot, "#resend")

        assert snap_app(run_before)

    def test_new_code_sent(self, snap_app: SnapApp, clock: ManualClock) -> None:
        """« En recevoir un nouveau » a minute later: the new request, the old code void."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_reset_code(pilot)
            clock.advance(timedelta(minutes=1))
            await press(pilot, "#resend")

        assert snap_app(run_before)

    def test_code_step_with_the_phone(self, snap_app: SnapApp) -> None:
        """The neutral sentence, the code field, the new-code link, and the SMS (F2)."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            fill(pilot, "nom", "Moreau")
            fill(pilot, "prenom", "Claire")
            fill(pilot, "portable", "06 45 12 34 56")
            await press(pilot, "#send")
            await press(pilot, "#to-forgot-password")
            fill(pilot, "identifiant", DEMO_ACTIVE_IDENTIFIANT)
            await press(pilot, "#send")
            await pilot.press("f2")

        assert snap_app(run_before)

    def test_code_refused(self, snap_app: SnapApp) -> None:
        """A wrong code: the one code refusal under the field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_reset_code(pilot)
            fill(pilot, "code", "zzzzzz")
            await press(pilot, "#continue")

        assert snap_app(run_before)

    def test_new_password_checklist(self, snap_app: SnapApp) -> None:
        """The identifiant, the two fields and the rules half ticked while typing."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_new_password(pilot)
            await pilot.press(*"abcD1")

        assert snap_app(run_before)

    def test_passwords_differ(self, snap_app: SnapApp) -> None:
        """« Valider » with two different passwords: the message beside the confirmation."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_new_password(pilot)
            fill(pilot, "password", NEW_PASSWORD)
            fill(pilot, "confirmation", NEW_PASSWORD + "x")
            await press(pilot, "#validate")

        assert snap_app(run_before)

    def test_password_changed(self, snap_app: SnapApp) -> None:
        """« Votre mot de passe a été modifié » and the way back to the login."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_new_password(pilot)
            fill(pilot, "password", NEW_PASSWORD)
            fill(pilot, "confirmation", NEW_PASSWORD)
            await press(pilot, "#validate")

        assert snap_app(run_before)


class TestMyAccountPictures:
    def test_account_overview(self, snap_app: SnapApp) -> None:
        """« Mon compte » without an e-mail address."""
        assert snap_app(to_account)

    def test_change_password_wrong_current(self, snap_app: SnapApp) -> None:
        """Changing the password with a wrong current one: the message beside it."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_account(pilot)
            await press(pilot, "#change-password")
            fill(pilot, "current", "Tournesol-43!")
            fill(pilot, "password", NEW_PASSWORD)
            fill(pilot, "confirmation", NEW_PASSWORD)
            await press(pilot, "#validate")

        assert snap_app(run_before)

    def test_password_changed_notice(self, snap_app: SnapApp) -> None:
        """Back on « Mon compte » after the change: the success line and the new date."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_account(pilot)
            await press(pilot, "#change-password")
            fill(pilot, "current", DEMO_ACTIVE_PASSWORD)
            fill(pilot, "password", NEW_PASSWORD)
            fill(pilot, "confirmation", NEW_PASSWORD)
            await press(pilot, "#validate")

        assert snap_app(run_before)

    def test_email_form_refused(self, snap_app: SnapApp) -> None:
        """An address that is not one: the message under the field."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_account(pilot)
            await press(pilot, "#set-email")
            fill(pilot, "email", "claire.moreau@")
            await press(pilot, "#send")

        assert snap_app(run_before)

    def test_email_code_with_the_mail_panel(self, snap_app: SnapApp) -> None:
        """The code screen, its banner, and the mail under « Courriel » (F2)."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_account(pilot)
            await add_email(pilot)
            await pilot.press("f2")

        assert snap_app(run_before)

    def test_email_code_resend_too_soon(self, snap_app: SnapApp) -> None:
        """« Renvoyer le mail » at once: the sending limit is said under the link."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_account(pilot)
            await add_email(pilot)
            await press(pilot, "#resend")

        assert snap_app(run_before)

    def test_account_waiting_for_confirmation(self, snap_app: SnapApp) -> None:
        """« Mon compte » while the address waits: the banner, « Saisir le code reçu »,
        « Renvoyer le mail »."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_account(pilot)
            await add_email(pilot)
            await pilot.press("escape")
            await settle(pilot)

        assert snap_app(run_before)

    def test_services_waiting_for_confirmation(self, snap_app: SnapApp) -> None:
        """The services screen shows the same banner until the address is confirmed."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_account(pilot)
            await add_email(pilot)
            await pilot.press("escape")
            await settle(pilot)
            await press(pilot, "#to-services")

        assert snap_app(run_before)
