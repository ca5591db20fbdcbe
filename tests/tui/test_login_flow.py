"""Login, « Identifiant oublié ? », « Mot de passe oublié ? » and « Mon compte », walked as a
parent would on the demo families; after each walk the outbox and the store say what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input, Static

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from services.errors import LOGIN_REFUSED_MESSAGE
from services.formatting import hour
from services.recovery import IDENTIFIANT_REMINDER_MESSAGE
from store import Records
from tests.tui.pilot import (
    EMAIL,
    MOREAU_PHONE,
    NEW_PASSWORD,
    add_email,
    fail_until_locked,
    field_error,
    fill,
    footer_keys,
    form_message,
    last_code,
    log_in,
    logged_in,
    login_message,
    open_login,
    press,
    request_reset,
    reset_by_sms,
    settle,
    text_of,
    to_account,
)
from tui.app import EduConnectApp
from tui.screens import AuthenticationScreen, NoticeScreen
from tui.screens.account import (
    AccountScreen,
    ChangePasswordScreen,
    EmailCodeScreen,
)
from tui.screens.login import ServicesScreen
from tui.screens.pupil import IdentityCheckScreen
from tui.screens.recovery import (
    ForgotIdentifiantScreen,
    IdentifiantSentScreen,
    NewPasswordScreen,
    ResetCodeScreen,
)
from tui.widgets import PhonePanel

SIZE = (80, 24)

AppFactory = Callable[[], EduConnectApp]


# -- helpers of these tests ---------------------------------------------------------------------


def account_of(services: Services, identifiant: str = DEMO_ACTIVE_IDENTIFIANT) -> Any:
    account = Records(services.store.snapshot()).accounts.get(identifiant=identifiant)
    assert account is not None
    return account


# -- the tests -------------------------------------------------------------------------------


class TestLogin:
    async def test_demo_account_reaches_its_services_with_its_child(
        self, app_factory: AppFactory
    ) -> None:
        """c.moreau1 with the demo password: « Bonjour Claire MOREAU », Inès and her school,
        the services, « Mon compte » and « Se déconnecter »; no Escape back into the login."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await logged_in(pilot)
            assert str(app.screen.query_one(".title", Static).render()) == "Bonjour Claire MOREAU"
            child = text_of(pilot, ".connected-child")
            assert "Inès MOREAU" in child and "CLG Frédéric Bazille, classe 3B" in child
            assert app.screen.query_one("#my-account").display
            assert app.screen.query_one("#logout").display
            assert "escape" not in footer_keys(app)
            assert not app.screen.query_one("#email-banner").has_class("-shown")

    async def test_typing_and_enter_log_in(self, app_factory: AppFactory) -> None:
        """Enter in Identifiant moves to Mot de passe; Enter there logs in, and the password
        typed is not left in the login screen behind the services."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await pilot.press(*DEMO_ACTIVE_IDENTIFIANT, "enter")
            assert app.focused is app.screen.query_one("#password-input")
            await pilot.press(*DEMO_ACTIVE_PASSWORD, "enter")
            await settle(pilot)
            assert isinstance(app.screen, ServicesScreen)
            login = app.screen_stack[-2]
            assert login.query_one("#password-input", Input).value == ""

    async def test_wrong_password_and_unknown_identifiant_say_the_same(
        self, app_factory: AppFactory
    ) -> None:
        """The one generic sentence under the form, whatever was wrong; the password field is
        emptied and focused for the next try."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, "Tournesol-43!")
            wrong = login_message(pilot)
            await log_in(pilot, "x.inconnu1", "Tournesol-43!")
            assert login_message(pilot) == wrong == LOGIN_REFUSED_MESSAGE
            assert app.screen.query_one("#password-input", Input).value == ""
            assert app.focused is app.screen.query_one("#password-input")

    async def test_empty_identifiant_is_said_under_its_field(self, app_factory: AppFactory) -> None:
        """A field left empty is said beside it, not as a refused login."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await log_in(pilot, "", "Tournesol-43!")
            assert field_error(pilot, "identifiant") == "Indiquez votre identifiant."
            assert login_message(pilot) == ""

    async def test_tenth_failure_locks_even_the_right_password_for_fifteen_minutes(
        self, app_factory: AppFactory, demo_services: Services, clock: ManualClock
    ) -> None:
        """From the third failure the message asks to wait; after the tenth the right password
        is refused, the message saying until when, and works again 15 minutes later."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            messages = await fail_until_locked(pilot, clock)
            assert "Patientez" not in messages[1]
            assert "Patientez 5 secondes" in messages[2]
            until = clock.now() + timedelta(minutes=15)
            assert account_of(demo_services).locked_until == until
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD)
            assert f"verrouillé jusqu'à {hour(until)}" in login_message(pilot)
            assert isinstance(app.screen, AuthenticationScreen)
            clock.advance(timedelta(minutes=15, seconds=1))
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD)
            assert isinstance(app.screen, ServicesScreen)

    async def test_guardian_account_under_the_pupil_profile_is_told_which_profile(
        self, app_factory: AppFactory
    ) -> None:
        """The right password under « Élève » names the account's profile."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot, "eleve")
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD)
            assert "compte « Représentant légal »" in login_message(pilot)

    async def test_pupil_with_provisional_credentials_starts_the_first_login(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """A pupil's provisional password is recognised: « Confirmation de l'identité » comes
        next instead of a refusal (the whole first login is in test_pupil_flow.py)."""
        issued = demo_services.admin.issue_for_pupil("E011").issued[0]
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot, "eleve")
            await log_in(pilot, issued.identifiant, issued.password)
            assert isinstance(app.screen, IdentityCheckScreen)

    async def test_f3_shows_and_hides_the_password(self, app_factory: AppFactory) -> None:
        """F3 (in the footer) reveals the password; the link hides it again."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            field = app.screen.query_one("#password-input", Input)
            assert field.password and "f3" in footer_keys(app)
            await pilot.press("f3")
            assert not field.password
            assert "Masquer" in str(app.screen.query_one("#toggle-password").render())
            await press(pilot, "#toggle-password")
            assert field.password

    async def test_logout_drops_the_session_and_returns_to_step_2(
        self, app_factory: AppFactory
    ) -> None:
        """« Se déconnecter »: step 2 with the identifiant kept, no password, no session."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await logged_in(pilot)
            await press(pilot, "#logout")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.flow.session is None
            assert app.screen.query_one("#identifiant-input", Input).value == "c.moreau1"
            assert app.screen.query_one("#password-input", Input).value == ""


class TestForgottenIdentifiant:
    async def test_known_guardian_gets_the_identifiant_by_sms_shown_on_the_phone(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Claire Moreau's names and mobile: the neutral sentence, and the SMS with c.moreau1
        on the trainer's phone (F2)."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            assert isinstance(app.screen, ForgotIdentifiantScreen)
            fill(pilot, "nom", "MOREAU")
            fill(pilot, "prenom", "claire")
            fill(pilot, "portable", "06 45 12 34 56")
            await press(pilot, "#send")
            assert isinstance(app.screen, IdentifiantSentScreen)
            assert text_of(pilot, "#reminder-message") == IDENTIFIANT_REMINDER_MESSAGE
            await pilot.press("f2")
            await settle(pilot)
            sms = " ".join(str(s.render()) for s in app.screen.query(".phone--sms"))
            assert "votre identifiant est c.moreau1" in sms
            await press(pilot, "#to-login")
            assert isinstance(app.screen, AuthenticationScreen)

    async def test_unknown_person_sees_the_same_screen_and_nothing_is_sent(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Someone the school does not know gets the very same sentence; no SMS leaves."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            fill(pilot, "nom", "Inconnu")
            fill(pilot, "prenom", "Personne")
            fill(pilot, "portable", "06 12 12 12 12")
            await press(pilot, "#send")
            assert isinstance(app.screen, IdentifiantSentScreen)
            assert text_of(pilot, "#reminder-message") == IDENTIFIANT_REMINDER_MESSAGE
        assert demo_services.outbox.messages() == []

    async def test_a_number_that_is_not_a_mobile_is_said_under_the_field(
        self, app_factory: AppFactory
    ) -> None:
        """Only a field that cannot be understood is refused, beside the field."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            fill(pilot, "nom", "Moreau")
            fill(pilot, "prenom", "Claire")
            fill(pilot, "portable", "+44 7400 123456")
            await press(pilot, "#send")
            assert isinstance(app.screen, ForgotIdentifiantScreen)
            assert "portable français" in field_error(pilot, "portable")

    async def test_pupils_are_sent_to_their_notice(self, app_factory: AppFactory) -> None:
        """Under « Élève » the identifiant is on the school's notice: a dialog says so."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot, "eleve")
            await press(pilot, "#forgot-identifiant")
            assert isinstance(app.screen, NoticeScreen)
            assert "notice" in str(app.screen.query_one("#notice-text").render())


class TestForgottenPassword:
    async def test_reset_by_sms_then_login_with_the_new_password(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Identifiant → code by SMS → new password with the checklist → « Votre mot de passe
        a été modifié » → step 2 with the identifiant filled; the old password no longer
        works and the new one does."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await reset_by_sms(pilot, demo_services, NEW_PASSWORD)
            await press(pilot, "#to-login")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.query_one("#identifiant-input", Input).value == "c.moreau1"
            assert app.screen.flow.session is None
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD)
            assert login_message(pilot) == LOGIN_REFUSED_MESSAGE
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, NEW_PASSWORD)
            assert isinstance(app.screen, ServicesScreen)
        notices = demo_services.outbox.messages(channel="sms", to=MOREAU_PHONE)
        assert "vient d'être modifié" in notices[-1].text

    async def test_reset_works_while_the_account_is_locked(
        self, app_factory: AppFactory, demo_services: Services, clock: ManualClock
    ) -> None:
        """After ten failures, « Mot de passe oublié ? » still sends a code, and the new
        password logs in at once: the reset lifts the lock."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await fail_until_locked(pilot, clock)
            assert account_of(demo_services).locked_until is not None
            await reset_by_sms(pilot, demo_services, NEW_PASSWORD)
            await press(pilot, "#to-login")
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, NEW_PASSWORD)
            assert isinstance(app.screen, ServicesScreen)

    async def test_unknown_identifiant_gets_the_same_answer_and_no_code(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """An unknown identifiant reaches the same code screen with the same sentence; nothing
        is sent, and any code is refused with the one code refusal."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await request_reset(pilot, "x.inconnu1")
            assert isinstance(app.screen, ResetCodeScreen)
            fill(pilot, "code", "ABCDEF")
            await press(pilot, "#continue")
            assert field_error(pilot, "code").startswith("Ce code est incorrect")
        assert demo_services.outbox.messages() == []

    async def test_new_code_voids_the_old_one(
        self, app_factory: AppFactory, demo_services: Services, clock: ManualClock
    ) -> None:
        """« Je n'ai pas reçu de code » a minute later sends another; the first is refused."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)
            first = last_code(demo_services, "sms", MOREAU_PHONE)
            clock.advance(timedelta(minutes=1))
            await press(pilot, "#resend")
            assert "nouveau code vient d'être envoyé" in text_of(pilot, "#resend-message")
            second = last_code(demo_services, "sms", MOREAU_PHONE)
            assert second != first
            fill(pilot, "code", first)
            await press(pilot, "#continue")
            assert isinstance(app.screen, ResetCodeScreen)
            fill(pilot, "code", second.lower())
            await press(pilot, "#continue")
            assert isinstance(app.screen, NewPasswordScreen)

    async def test_weak_new_password_is_refused_beside_the_field(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """The checklist ticks as on step 7, and « Valider » with a weak password says which
        rules are unmet; the password is unchanged."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)
            fill(pilot, "code", last_code(demo_services, "sms", MOREAU_PHONE))
            await press(pilot, "#continue")
            await pilot.press(*"abc")
            assert app.screen.query_one("#rule-2").has_class("-met")
            assert not app.screen.query_one("#rule-0").has_class("-met")
            fill(pilot, "confirmation", "abc")
            await press(pilot, "#validate")
            assert field_error(pilot, "password").startswith("Le mot de passe ne respecte pas")
        before = account_of(demo_services).password_changed_at
        assert before is None


class TestMyAccount:
    async def test_change_password_after_a_wrong_current_one(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """A wrong current password is said beside it; the right one changes the password,
        « Mon compte » says so, and after logging out only the new password works."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_account(pilot)
            await press(pilot, "#change-password")
            assert isinstance(app.screen, ChangePasswordScreen)
            fill(pilot, "current", "Tournesol-43!")
            fill(pilot, "password", NEW_PASSWORD)
            fill(pilot, "confirmation", NEW_PASSWORD)
            await press(pilot, "#validate")
            assert field_error(pilot, "current") == "Le mot de passe actuel est incorrect."
            fill(pilot, "current", DEMO_ACTIVE_PASSWORD)
            await press(pilot, "#validate")
            assert isinstance(app.screen, AccountScreen)
            assert "a été modifié" in text_of(pilot, "#account-notice")
            assert "modifié le 07/09/2026" in text_of(pilot, "#password-changed")
            await press(pilot, "#logout")
            await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, NEW_PASSWORD)
            assert isinstance(app.screen, ServicesScreen)

    async def test_add_email_and_confirm_it_with_the_code_from_the_outbox(
        self, app_factory: AppFactory, demo_services: Services, clock: ManualClock
    ) -> None:
        """The address gets a code; until it is entered the banner « Vous devez confirmer votre
        adresse mail » shows on « Mon compte » and the services; « Renvoyer le mail » a minute
        later sends a new code, which confirms the address and lifts the banner."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_account(pilot)
            await add_email(pilot)
            assert EMAIL in text_of(pilot, "#sent-to")
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, AccountScreen)
            assert app.screen.query_one("#email-banner").has_class("-shown")
            assert f"{EMAIL} (à confirmer)" == text_of(pilot, "#email-shown")
            await press(pilot, "#to-services")
            assert app.screen.query_one("#email-banner").has_class("-shown")
            await press(pilot, "#my-account")
            await press(pilot, "#enter-code")
            assert isinstance(app.screen, EmailCodeScreen)
            first = last_code(demo_services, "email", EMAIL)
            clock.advance(timedelta(minutes=1))
            await press(pilot, "#resend")
            second = last_code(demo_services, "email", EMAIL)
            assert second != first
            fill(pilot, "code", first)
            await press(pilot, "#confirm")
            assert field_error(pilot, "code").startswith("Le code saisi est incorrect")
            fill(pilot, "code", second)
            await press(pilot, "#confirm")
            assert isinstance(app.screen, AccountScreen)
            assert not app.screen.query_one("#email-banner").has_class("-shown")
            assert text_of(pilot, "#email-shown") == f"{EMAIL} (confirmée)"
        account = account_of(demo_services)
        assert account.email == EMAIL and account.email_confirmed

    async def test_confirmed_email_receives_the_reset_code_shown_under_courriel(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """With a confirmed address, « Par e-mail » sends the reset code there; the trainer's
        panel shows it under « Courriel » and it leads to a new password."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_account(pilot)
            await add_email(pilot)
            fill(pilot, "code", last_code(demo_services, "email", EMAIL))
            await press(pilot, "#confirm")
            await press(pilot, "#logout")
            await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT, by_email=True)
            assert isinstance(app.screen, ResetCodeScreen)
            await pilot.press("f2")
            await settle(pilot)
            panel = app.screen.query_one(PhonePanel)
            assert "Courriel (démo)" in [
                str(label.render()) for label in panel.query(".mail--title")
            ]
            mails = " ".join(str(s.render()) for s in panel.query(".phone--sms"))
            assert "votre code pour choisir un nouveau mot de passe" in mails
            fill(pilot, "code", last_code(demo_services, "email", EMAIL))
            await press(pilot, "#continue")
            assert isinstance(app.screen, NewPasswordScreen)

    async def test_session_ended_elsewhere_leads_back_to_the_login(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """A password reset elsewhere ends this session: the next « Mon compte » action
        returns to step 2 and says why."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_account(pilot)
            recovery = demo_services.recovery
            recovery.request_password_reset(DEMO_ACTIVE_IDENTIFIANT)
            token = recovery.verify_reset_code(
                DEMO_ACTIVE_IDENTIFIANT, last_code(demo_services, "sms", MOREAU_PHONE)
            ).token
            recovery.set_new_password(token, NEW_PASSWORD, NEW_PASSWORD)
            await add_email_refused(pilot)
            assert isinstance(app.screen, NoticeScreen)
            assert "session a pris fin" in str(app.screen.query_one("#notice-text").render())
            await pilot.press("escape")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.flow.session is None


async def add_email_refused(pilot: Pilot[Any]) -> None:
    await press(pilot, "#set-email")
    fill(pilot, "email", EMAIL)
    await press(pilot, "#send")


class TestPhonePanel:
    async def test_mail_section_appears_only_once_an_address_is_in_play(
        self, app_factory: AppFactory
    ) -> None:
        """Before any address the panel is the phone alone; after « Recevoir le code » it adds
        « Courriel (démo) », the address and the mail."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_account(pilot)
            await pilot.press("f2")
            await settle(pilot)
            panel = app.screen.query_one(PhonePanel)
            assert not panel.query(".mail--title")
            await add_email(pilot)
            panel = app.screen.query_one(PhonePanel)
            assert [str(s.render()) for s in panel.query(".mail--address")] == [EMAIL]
            assert "confirmez votre adresse e-mail" in " ".join(
                str(s.render()) for s in panel.query(".phone--sms")
            )
            assert form_message(pilot) == ""
