"""A pupil's first login with the school's provisional credentials, walked as a pupil would on
the demo families: « Élève », the notice's identifiant and password, the date of birth, a new
password, an optional e-mail, the services; and the refusals on the way. After each walk the
store says what the school would see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from services import ManualClock, Services
from services.errors import PUPIL_LOGIN_HINT, AskTheSchool, PupilLoginRefused
from services.passwords import PasswordHasher
from services.pupils import VOIDED_MESSAGE
from store import Records
from store.records import Account, AccountStatus
from tests.tui.pilot import (
    LEA_BIRTH,
    LEA_EMAIL,
    NEW_PASSWORD,
    WRONG_BIRTH,
    activate_without_the_screens,
    choose_password,
    field_error,
    fill,
    footer_keys,
    form_message,
    give_birth_date,
    issue,
    last_code,
    log_in,
    login_message,
    open_login,
    press,
    send_email_code,
    to_email_step,
    to_identity_check,
    to_password_step,
)
from tui.app import EduConnectApp
from tui.screens import AuthenticationScreen, NoticeScreen
from tui.screens.login import ServicesScreen
from tui.screens.pupil import IdentityCheckScreen, PupilEmailScreen, PupilPasswordScreen
from tui.screens.recovery import ForgotPasswordScreen, ResetCodeScreen
from tui.widgets import PasswordChecklist

SIZE = (80, 24)

AppFactory = Callable[[], EduConnectApp]


# -- helpers of these tests ---------------------------------------------------------------------


def account_of(services: Services, identifiant: str) -> Account:
    account = Records(services.store.snapshot()).accounts.get(identifiant=identifiant)
    assert account is not None
    return account


def notice_text(pilot: Pilot[Any]) -> str:
    assert isinstance(pilot.app.screen, NoticeScreen)
    return str(pilot.app.screen.query_one("#notice-text", Static).render())


# -- the tests -------------------------------------------------------------------------------


class TestPupilFirstLogin:
    async def test_first_login_with_an_email_reaches_the_services(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Léa's notice: a wrong date of birth (tries left beside the field), the right one,
        her identifiant shown large, a new password, an e-mail confirmed with the code it
        received, then her services. The store: account active, argon2 hash, e-mail confirmed,
        and the notice's password no longer logs in."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            issued = await to_identity_check(pilot)
            assert "Léa BERNARD" in str(app.screen.query_one("#pupil-name", Static).render())

            await give_birth_date(pilot, WRONG_BIRTH)
            assert isinstance(app.screen, IdentityCheckScreen)
            assert "Il vous reste 2 essais" in field_error(pilot, "naissance")

            await give_birth_date(pilot, LEA_BIRTH)
            assert isinstance(app.screen, PupilPasswordScreen)
            box = str(app.screen.query_one("#identifiant-box", Static).render())
            assert box.strip() == issued.identifiant == "l.bernard1"

            await choose_password(pilot, NEW_PASSWORD, NEW_PASSWORD)
            assert isinstance(app.screen, PupilEmailScreen)
            await send_email_code(pilot)
            assert app.focused is app.screen.query_one("#code-input")
            fill(pilot, "code", last_code(demo_services, "email", LEA_EMAIL))
            await press(pilot, "#confirm")

            assert "confirmée" in notice_text(pilot)
            await pilot.press("enter")
            assert isinstance(app.screen, ServicesScreen)
            title = str(app.screen.query_one(".title", Static).render())
            assert title == "Bonjour Léa BERNARD"
            assert not app.screen.query_one("#email-banner").has_class("-shown")

        account = account_of(demo_services, issued.identifiant)
        assert account.status is AccountStatus.ACTIVE
        assert account.password_hash is not None and account.password_hash.startswith("$argon2")
        hasher = PasswordHasher(demo_services.settings.hashing)
        assert hasher.verify_and_update(NEW_PASSWORD, account.password_hash)[0]
        assert (account.email, account.email_confirmed) == (LEA_EMAIL, True)
        assert account.provisional_until is None
        with pytest.raises(PupilLoginRefused):
            demo_services.pupils.login(issued.identifiant, issued.password)

    async def test_skipping_the_email_goes_to_the_services(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """« Passer cette étape »: straight to the services, no address recorded; Escape says
        the same in the footer."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            issued = await to_email_step(pilot)
            assert "escape" in footer_keys(app)
            await press(pilot, "#skip")
            assert isinstance(app.screen, ServicesScreen)
        account = account_of(demo_services, issued.identifiant)
        assert account.status is AccountStatus.ACTIVE
        assert account.email is None

    async def test_escape_on_the_email_step_skips_it(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Escape cannot lead back into the provisional steps once the account is active: it
        skips the e-mail, and logging out then returns to step 2."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_email_step(pilot)
            await pilot.press("escape")
            assert isinstance(app.screen, ServicesScreen)
            await press(pilot, "#logout")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.query_one("#identifiant-input", Input).value == "l.bernard1"

    async def test_address_sent_but_not_confirmed_shows_the_banner(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """A code sent, then « Passer cette étape »: the services say the address waits for
        confirmation, and the e-mail went to the address typed."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_email_step(pilot)
            await send_email_code(pilot)
            assert not app.screen.query_one("#send").display
            assert app.screen.query_one("#confirm").display
            await press(pilot, "#skip")
            assert isinstance(app.screen, ServicesScreen)
            assert app.screen.query_one("#email-banner").has_class("-shown")
        assert len(demo_services.outbox.messages(channel="email", to=LEA_EMAIL)) == 1

    async def test_a_corrected_address_gets_its_own_code(
        self, app_factory: AppFactory, demo_services: Services, clock: ManualClock
    ) -> None:
        """A typo noticed after « Recevoir le code »: the address corrected, « renvoyer » sends
        a code there, and that code confirms the corrected address."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            issued = await to_email_step(pilot)
            await send_email_code(pilot, "lea.bernrd@exemple.fr")
            clock.advance(timedelta(minutes=2))
            fill(pilot, "email", LEA_EMAIL)
            await press(pilot, "#resend")
            fill(pilot, "code", last_code(demo_services, "email", LEA_EMAIL))
            await press(pilot, "#confirm")
            assert isinstance(app.screen, NoticeScreen)
        account = account_of(demo_services, issued.identifiant)
        assert (account.email, account.email_confirmed) == (LEA_EMAIL, True)

    async def test_wrong_email_code_and_bad_address_are_said_beside_their_field(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """An address that is not one is refused under the field; a wrong code says the tries
        left under the code field; the account stays active either way."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_email_step(pilot)
            await send_email_code(pilot, "lea.bernard@")
            assert "n'est pas valide" in field_error(pilot, "email")
            await send_email_code(pilot)
            fill(pilot, "code", "ZZZZZZ")
            await press(pilot, "#confirm")
            assert "Il vous reste" in field_error(pilot, "code")
            assert isinstance(app.screen, PupilEmailScreen)


class TestIdentityCheck:
    async def test_an_impossible_date_costs_no_try(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """31/02/2014 is said to not exist; the next wrong date still has 2 tries left."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_identity_check(pilot)
            await give_birth_date(pilot, "31/02/2014")
            assert "n'existe pas" in field_error(pilot, "naissance")
            await give_birth_date(pilot, WRONG_BIRTH)
            assert "Il vous reste 2 essais" in field_error(pilot, "naissance")

    async def test_too_many_wrong_dates_void_the_provisional_password(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """The third wrong date: back to step 2 with the identifiant kept and the sentence
        telling to contact the school; the notice's password then gets the pupil's refusal."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            issued = await to_identity_check(pilot)
            for _ in range(3):
                await give_birth_date(pilot, WRONG_BIRTH)
            assert notice_text(pilot) == VOIDED_MESSAGE
            await pilot.press("enter")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.query_one("#identifiant-input", Input).value == issued.identifiant
            assert app.screen.query_one("#password-input", Input).value == ""
            await log_in(pilot, issued.identifiant, issued.password)
            assert login_message(pilot) == PupilLoginRefused().message
        assert account_of(demo_services, issued.identifiant).password_hash is None

    async def test_cancel_returns_to_step_2_and_the_notice_still_works(
        self, app_factory: AppFactory
    ) -> None:
        """« Annuler » on the identity check: step 2 with the identifiant; the provisional
        password starts the first login again."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            issued = await to_identity_check(pilot)
            await press(pilot, "#cancel")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.query_one("#identifiant-input", Input).value == issued.identifiant
            fill(pilot, "password", issued.password)
            await press(pilot, "#login")
            assert isinstance(app.screen, IdentityCheckScreen)

    async def test_a_first_login_left_too_long_starts_again(
        self, app_factory: AppFactory, clock: ManualClock
    ) -> None:
        """31 minutes on the identity check: the date is not checked any more, step 2 says to
        log in again with the notice."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_identity_check(pilot)
            clock.advance(timedelta(minutes=31))
            await give_birth_date(pilot, LEA_BIRTH)
            assert "Reconnectez-vous" in notice_text(pilot)
            await pilot.press("enter")
            assert isinstance(app.screen, AuthenticationScreen)


class TestPupilPassword:
    async def test_rules_tick_live_and_differing_passwords_are_refused(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Every rule ticked for a good password; a different confirmation is said under it
        and nothing is activated."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            issued = await to_password_step(pilot)
            await choose_password(pilot, NEW_PASSWORD, NEW_PASSWORD + "x")
            checklist = app.screen.query_one(PasswordChecklist)
            rules = list(checklist.query(".rule"))
            assert all(rule.has_class("-met") for rule in rules[:-1])
            assert not rules[-1].has_class("-met")
            assert "pas identiques" in field_error(pilot, "confirmation")
            assert isinstance(app.screen, PupilPasswordScreen)
        assert account_of(demo_services, issued.identifiant).status is AccountStatus.PROVISIONAL

    async def test_a_password_with_her_name_is_refused(self, app_factory: AppFactory) -> None:
        """« Bernard2014! » contains her nom: refused under the field, with the rule named."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step(pilot)
            await choose_password(pilot, "Bernard2014!", "Bernard2014!")
            assert "ne respecte pas les règles" in field_error(pilot, "password")

    async def test_f3_shows_both_passwords(self, app_factory: AppFactory) -> None:
        """F3 (in the footer) shows both entries; F3 again hides them."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step(pilot)
            assert "f3" in footer_keys(app)
            inputs = list(app.screen.query("#password-fields Input").results(Input))
            await pilot.press("f3")
            assert not any(field.password for field in inputs)
            await pilot.press("f3")
            assert all(field.password for field in inputs)


class TestProvisionalRefusals:
    async def test_expired_provisional_password_gets_the_generic_refusal_and_the_school(
        self, app_factory: AppFactory, clock: ManualClock
    ) -> None:
        """Past the three months of the notice, the right password gets the generic sentence
        plus « contactez votre établissement », as a wrong password does."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            issued = issue(app.services)
            await open_login(pilot, "eleve")
            await log_in(pilot, issued.identifiant, "AAAA-BBBB-CCCC")
            wrong = login_message(pilot)
            clock.advance(timedelta(days=93))
            await log_in(pilot, issued.identifiant, issued.password)
            expired = login_message(pilot)
            assert isinstance(app.screen, AuthenticationScreen)
        assert expired == wrong == PupilLoginRefused().message
        assert "contactez votre établissement" in expired
        assert expired.endswith(PUPIL_LOGIN_HINT.strip())


class TestPupilForgottenPassword:
    async def test_without_a_confirmed_email_the_screen_says_to_ask_the_school(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """An active pupil without a confirmed e-mail: « Mot de passe oublié ? » under « Élève »
        says to ask the school for a new provisional password, and sends nothing."""
        identifiant = activate_without_the_screens(demo_services)
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot, "eleve")
            fill(pilot, "identifiant", identifiant)
            await press(pilot, "#forgot-password")
            assert isinstance(app.screen, ForgotPasswordScreen)
            await press(pilot, "#send")
            assert form_message(pilot) == AskTheSchool().message
            assert isinstance(app.screen, ForgotPasswordScreen)
        assert demo_services.outbox.messages(channel="email") == []

    async def test_with_a_confirmed_email_the_code_goes_there(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """With the address confirmed at the first login, the reset code goes by e-mail."""
        identifiant = activate_without_the_screens(demo_services, LEA_EMAIL)
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot, "eleve")
            fill(pilot, "identifiant", identifiant)
            await press(pilot, "#forgot-password")
            await press(pilot, "#send")
            assert isinstance(app.screen, ResetCodeScreen)
        assert len(demo_services.outbox.messages(channel="email", to=LEA_EMAIL)) == 2
