"""« Identifiant oublié ? » by SMS or by e-mail and « Mot de passe oublié ? » inside its
sending limits, walked with the keyboard on the demo families: what each choice says before
sending, the neutral answer after, and what the outbox really received. Also « Mon compte »'s
way out for a mobile that changed."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_SCHOOL_EMAIL
from services.formatting import hour
from services.recovery import (
    IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE,
    IDENTIFIANT_REMINDER_MESSAGE,
    REMINDER_CHANNEL_HINTS,
    RESET_CHANNEL_HINTS,
    RESET_REQUESTED_BY_EMAIL_MESSAGE,
    ResetChannel,
)
from tests.tui.pilot import (
    MOREAU_PHONE,
    NEW_PASSWORD,
    SIZE,
    activate_without_the_screens,
    choose_email,
    fill,
    form_message,
    last_code,
    log_in,
    open_login,
    press,
    remind_identifiant,
    request_reset,
    settle,
    text_of,
    to_account,
    until,
)
from tui.app import make_app
from tui.screens.account import AccountScreen
from tui.screens.recovery import (
    ForgotPasswordScreen,
    IdentifiantSentScreen,
    NewPasswordScreen,
    ResetCodeScreen,
)
from tui.sentences import CODE_ALREADY_ASKED, MOBILE_CHANGE


def resend_refusal(pilot: Pilot[Any]) -> str:
    notice = pilot.app.screen.query_one("#resend-message", Static)
    return str(notice.render()) if notice.has_class("-error") else ""


def have_code_shown(pilot: Pilot[Any]) -> bool:
    return bool(pilot.app.screen.query_one("#have-code").display)


class TestIdentifiantOublie:
    async def test_by_email_claire_gets_it_at_the_address_the_school_gave(
        self, demo_services: Services
    ) -> None:
        """Claire has no confirmed address: « Par e-mail » sends her identifiant to the one
        in the school's export, says the e-mail rule before and after, and sends no SMS."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await remind_identifiant(pilot, "Moreau", "Claire", "06 45 12 34 56", by_email=True)
            assert isinstance(app.screen, IdentifiantSentScreen)
            assert text_of(pilot, "#reminder-message") == IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE
        mails = demo_services.outbox.messages(channel="email", to=DEMO_ACTIVE_SCHOOL_EMAIL)
        assert [DEMO_ACTIVE_IDENTIFIANT in mail.text for mail in mails] == [True]
        assert demo_services.outbox.messages(channel="sms") == []

    async def test_by_email_an_unknown_person_reads_the_same_and_nothing_leaves(
        self, demo_services: Services
    ) -> None:
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await remind_identifiant(pilot, "Inconnu", "Personne", "06 12 12 12 12", by_email=True)
            assert isinstance(app.screen, IdentifiantSentScreen)
            assert text_of(pilot, "#reminder-message") == IDENTIFIANT_REMINDER_BY_EMAIL_MESSAGE
        assert demo_services.outbox.messages() == []

    async def test_the_keyboard_alone_fills_chooses_and_sends(
        self, demo_services: Services
    ) -> None:
        """Enter on the mobile goes to the choice, whose hint says the SMS rule; Down chooses
        the e-mail and the hint follows; Up comes back; Enter then goes to the button."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await press(pilot, "#forgot-identifiant")
            await pilot.press(*"Moreau", "enter", *"Claire", "enter", *"0645123456", "enter")
            await settle(pilot)
            assert app.screen.focused is not None and app.screen.focused.id == "channel"
            sms, email = (REMINDER_CHANNEL_HINTS[c] for c in ResetChannel)
            assert text_of(pilot, "#channel-hint") == sms
            await pilot.press("down")
            await settle(pilot)
            assert text_of(pilot, "#channel-hint") == email
            await pilot.press("up")
            await settle(pilot)
            assert text_of(pilot, "#channel-hint") == sms
            await pilot.press("enter", "enter")
            await settle(pilot)
            assert isinstance(app.screen, IdentifiantSentScreen)
            assert text_of(pilot, "#reminder-message") == IDENTIFIANT_REMINDER_MESSAGE
        assert len(demo_services.outbox.messages(channel="sms", to=MOREAU_PHONE)) == 1


class TestMotDePasseOublie:
    async def test_the_hint_says_each_choice_s_rule_before_sending(
        self, demo_services: Services
    ) -> None:
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await press(pilot, "#forgot-password")
            assert text_of(pilot, "#channel-hint") == RESET_CHANNEL_HINTS[ResetChannel.SMS]
            await choose_email(pilot)
            assert text_of(pilot, "#channel-hint") == RESET_CHANNEL_HINTS[ResetChannel.EMAIL]

    async def test_email_without_a_confirmed_address_goes_by_sms_and_says_so(
        self, demo_services: Services
    ) -> None:
        """« Par e-mail » for Claire (no confirmed address): the SMS leaves, and the answer
        says the e-mail rule, « sinon par SMS », not that an e-mail left."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT, by_email=True)
            assert isinstance(app.screen, ResetCodeScreen)
            assert text_of(pilot, ".confirmation") == RESET_REQUESTED_BY_EMAIL_MESSAGE
        assert demo_services.outbox.messages(channel="email") == []
        assert len(demo_services.outbox.messages(channel="sms", to=MOREAU_PHONE)) == 1

    async def test_asking_again_within_the_minute_says_when_then_the_code_still_works(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """Back on the form, a second request is refused with the time of the next one;
        nothing leaves; « J'ai reçu un code » leads to the code step, where the first code
        works."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)
            code = last_code(demo_services, "sms", MOREAU_PHONE)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, ForgotPasswordScreen)
            assert not have_code_shown(pilot)
            await press(pilot, "#send")
            assert isinstance(app.screen, ForgotPasswordScreen)
            next_time = hour(clock.now() + timedelta(minutes=1))
            assert f"nouvelle demande à partir de {next_time}" in form_message(pilot)
            assert have_code_shown(pilot)
            await press(pilot, "#have-code")
            assert isinstance(app.screen, ResetCodeScreen)
            assert text_of(pilot, ".confirmation") == CODE_ALREADY_ASKED
            fill(pilot, "code", code)
            await press(pilot, "#continue")
            assert isinstance(app.screen, NewPasswordScreen)
        assert len(demo_services.outbox.messages(channel="sms", to=MOREAU_PHONE)) == 1

    async def test_an_unknown_identifiant_is_limited_in_the_same_words(
        self, demo_services: Services
    ) -> None:
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            refusals = []
            for identifiant in (DEMO_ACTIVE_IDENTIFIANT, "x.inconnu1"):
                await request_reset(pilot, identifiant)
                await pilot.press("escape")
                await settle(pilot)
                await press(pilot, "#send")
                refusals.append(form_message(pilot))
                await pilot.press("escape")
                await settle(pilot)
            assert refusals[0] and refusals[0] == refusals[1]

    async def test_the_refusal_goes_when_the_wait_is_over(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)
            await pilot.press("escape")
            clock.advance(timedelta(seconds=59))
            await press(pilot, "#send")
            assert "nouvelle demande à partir de" in form_message(pilot)
            await until(pilot, lambda: form_message(pilot) == "")

    async def test_a_new_code_too_soon_says_when_and_the_wait_goes(
        self, demo_services: Services, clock: ManualClock
    ) -> None:
        """« En recevoir un nouveau » within the minute: refused with the time, nothing
        leaves; the refusal goes when the minute is over, and then a new code leaves."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot)
            await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)
            clock.advance(timedelta(seconds=59))
            await press(pilot, "#resend")
            next_time = hour(clock.now() + timedelta(seconds=1))
            assert f"nouvelle demande à partir de {next_time}" in resend_refusal(pilot)
            assert len(demo_services.outbox.messages(channel="sms", to=MOREAU_PHONE)) == 1
            await until(pilot, lambda: resend_refusal(pilot) == "")
            clock.advance(timedelta(seconds=1))
            await press(pilot, "#resend")
            assert "nouveau code vient d'être envoyé" in text_of(pilot, "#resend-message")
        assert len(demo_services.outbox.messages(channel="sms", to=MOREAU_PHONE)) == 2


class TestMonCompte:
    async def test_a_guardian_reads_how_to_change_the_mobile(self, demo_services: Services) -> None:
        """The mobile comes from the school's records: « Mon compte » says to ask the school."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_account(pilot)
            assert text_of(pilot, "#mobile") == "+33 6 45 12 34 56"
            assert text_of(pilot, "#mobile-change") == MOBILE_CHANGE
            assert app.screen.query_one("#mobile-change").region.height > 0

    async def test_a_pupil_has_no_mobile_and_no_such_line(self, demo_services: Services) -> None:
        identifiant = activate_without_the_screens(demo_services)
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await open_login(pilot, "eleve")
            await log_in(pilot, identifiant, NEW_PASSWORD)
            await press(pilot, "#my-account")
            assert isinstance(app.screen, AccountScreen)
            assert not app.screen.query_one("#mobile-fact").display
