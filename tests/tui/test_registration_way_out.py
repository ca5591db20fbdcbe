"""The registration's ends that are not an activation, walked as a parent would: an account
already active, a mobile the school does not know, « Non » for a child, three wrong dates of
birth. Each ends on a screen that says what to do next."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from services import ManualClock, Services, Settings
from services.formatting import hour
from services.registration import ExistingAccount
from tests.tui.pilot import (
    MOREAU_PHONE,
    PASSWORD,
    answer_no,
    choose_password,
    fill,
    form_message,
    identify,
    open_activation,
    press,
    settle,
    sms_code,
    text_of,
    to_children_step,
    to_code_step,
    to_existing_account,
)
from tui.app import EduConnectApp
from tui.screens import (
    AccountActivatedScreen,
    ActivationCodeScreen,
    ActivationScreen,
    AuthenticationScreen,
    ChildrenScreen,
    NoticeScreen,
)
from tui.screens.recovery import ForgotPasswordScreen
from tui.screens.registration import ExistingAccountScreen
from tui.widgets import TextField

SIZE = (80, 24)

AppFactory = Callable[[], EduConnectApp]


class TestExistingAccount:
    async def test_before_the_code_nothing_differs_from_a_new_account(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Claire Moreau (active) reaches step 5 like anyone, and her SMS carries a code."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot, "Moreau", "Claire", "06 45 12 34 56")
            assert isinstance(app.screen, ActivationCodeScreen)
            assert "c.moreau1" not in " ".join(
                str(widget.render()) for widget in app.screen.query("Static, Label")
            )
            assert len(sms_code(demo_services, MOREAU_PHONE)) == 6

    async def test_the_code_leads_to_her_identifiant_then_to_the_login_page(
        self, app_factory: AppFactory
    ) -> None:
        """The right code shows « Vous avez déjà un compte » and c.moreau1; Enter on the
        focused « Se connecter » opens step 2 with the identifiant filled in."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_existing_account(pilot)
            assert text_of(pilot, ".title") == "Vous avez déjà un compte"
            assert text_of(pilot, "#identifiant-box") == "c.moreau1"
            assert app.focused is app.screen.query_one("#log-in")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.query_one("#identifiant", TextField).value == "c.moreau1"

    async def test_forgotten_password_opens_the_reset_with_the_identifiant(
        self, app_factory: AppFactory
    ) -> None:
        """« Mot de passe oublié ? » opens the reset request, identifiant filled in; Escape
        comes back to the account's screen, then to the login page."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_existing_account(pilot)
            await pilot.press("tab", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ForgotPasswordScreen)
            assert app.screen.query_one("#identifiant", TextField).value == "c.moreau1"
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ExistingAccountScreen)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, AuthenticationScreen)

    async def test_a_later_call_on_the_ended_registration_shows_the_same_screen(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Should the code have been used elsewhere first (``AlreadyHasAccount`` on step 5),
        step 5 leads to the same screen, not to « Recommencer l'activation »."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot, "Moreau", "Claire", "06 45 12 34 56")
            token = app.screen.flow.token  # type: ignore[attr-defined]
            assert token is not None
            code = sms_code(demo_services, MOREAU_PHONE)
            assert demo_services.registration.verify_code(token, code) == ExistingAccount(
                "c.moreau1"
            )
            await press(pilot, "#resend")
            assert isinstance(app.screen, ExistingAccountScreen)
            assert text_of(pilot, "#identifiant-box") == "c.moreau1"


class TestUnknownMobile:
    async def test_the_refusal_offers_help_for_a_changed_number(
        self, app_factory: AppFactory
    ) -> None:
        """Pedro Garcia's mobile is unknown to the school: under the refusal, a link opens
        what to do (ask the school; FranceConnect from the login page)."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_activation(pilot)
            assert not app.screen.query_one("#number-help").display
            await identify(pilot, "Garcia", "Pedro", "06 77 88 99 00")
            assert form_message(pilot).startswith("Les informations saisies")
            assert app.screen.query_one("#number-help").display
            await press(pilot, "#number-help")
            assert isinstance(app.screen, NoticeScreen)
            help_text = text_of(pilot, "#notice-text")
            assert "secrétariat de l'établissement" in help_text
            assert "« S'identifier avec FranceConnect »" in help_text
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ActivationScreen)
            fill(pilot, "portable", "")
            await press(pilot, "#next")
            assert not app.screen.query_one("#number-help").display


class TestNonReported:
    async def test_the_last_screen_names_the_child_and_what_follows(
        self, app_factory: AppFactory
    ) -> None:
        """« Non » for Emma: the activated screen names her, says the school was told and
        will check, and what the parent can do meanwhile."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            await answer_no(pilot, 0)
            fill(pilot, "naissance-1", "14/03/2012")
            await press(pilot, "#confirm")
            await choose_password(pilot, PASSWORD, PASSWORD)
            assert isinstance(app.screen, AccountActivatedScreen)
            report = " ".join(
                str(widget.render())
                for widget in app.screen.query("#disputed Label, #disputed Static")
            )
            assert "Rattachement signalé comme erroné" in report
            assert "Emma MARTIN" in report and "Lucas" not in report
            assert "L'établissement a été informé et va vérifier ce rattachement" in report
            assert "accès aux services pour vos autres enfants" in report

    async def test_no_report_when_every_answer_is_oui(self, app_factory: AppFactory) -> None:
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            fill(pilot, "naissance-0", "05/09/2008")
            fill(pilot, "naissance-1", "14/03/2012")
            await press(pilot, "#confirm")
            await choose_password(pilot, PASSWORD, PASSWORD)
            assert isinstance(app.screen, AccountActivatedScreen)
            assert not app.screen.query("#disputed")


class TestThreeWrongDates:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        """One start per mobile and per hour: after three wrong dates, a new try must wait."""
        return settings.model_copy(update={"max_starts_per_mobile": 1})

    async def test_the_end_says_from_when_a_new_try_is_possible(
        self, app_factory: AppFactory, clock: ManualClock
    ) -> None:
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            started = clock.now()
            await to_children_step(pilot, "Bernard", "Thomas", "06 23 45 67 89")
            for _ in range(3):
                fill(pilot, "naissance-0", "01/01/2000")
                await press(pilot, "#confirm")
            assert isinstance(app.screen, ChildrenScreen)
            ended = text_of(pilot, "#ended-message")
            assert f"à partir de {hour(started + timedelta(hours=1))}" in ended

    async def test_the_end_offers_no_restart_that_step_3_would_refuse(
        self, app_factory: AppFactory
    ) -> None:
        """While a new start must wait, « Recommencer l'activation » would only lead to step 3's
        refusal: « Retour à la connexion » is offered instead, focused, and leads to step 2."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot, "Bernard", "Thomas", "06 23 45 67 89")
            for _ in range(3):
                fill(pilot, "naissance-0", "01/01/2000")
                await press(pilot, "#confirm")
            assert not app.screen.query_one("#restart").display
            to_login = app.screen.query_one("#to-login")
            assert to_login.display
            assert app.focused is to_login
            ended = text_of(pilot, "#ended-message")
            # Enter in the date field again (a typed character goes to the last field).
            await pilot.press(*"01/01/2000", "enter")
            await settle(pilot)
            assert text_of(pilot, "#ended-message") == ended
            assert not app.screen.query_one("#restart").display
            await press(pilot, "#to-login")
            assert isinstance(app.screen, AuthenticationScreen)
