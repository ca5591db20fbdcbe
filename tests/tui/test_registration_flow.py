"""Steps 3 to 8 of the guide, walked with the keyboard and mouse as a parent would, for several
demo families; after each walk the store says what the school would see."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from textual.widgets import Input, RadioSet, Static

from services import ManualClock, Services
from store import Records
from store.records import AccountKind, AccountStatus, LinkState, RegistrationStage
from tests.tui.pilot import (
    PASSWORD,
    answer_no,
    choose_password,
    enter_code,
    field_error,
    fill,
    footer_keys,
    form_message,
    identify,
    open_activation,
    press,
    receive_code,
    settle,
    sms_code,
    to_children_step,
    to_code_step,
    to_password_step_martin,
)
from tui.app import EduConnectApp
from tui.screens import (
    AbandonScreen,
    AccountActivatedScreen,
    ActivationCodeScreen,
    ActivationScreen,
    AuthenticationScreen,
    ChildrenScreen,
    EntryScreen,
    NoticeScreen,
    PasswordScreen,
    SmsConfirmationScreen,
)
from tui.widgets import TextField

SIZE = (80, 24)

AppFactory = Callable[[], EduConnectApp]


# -- helpers of these tests ---------------------------------------------------------------------


def records(services: Services) -> Records:
    return Records(services.store.snapshot())


def assert_active(services: Services, guardian_id: str) -> str:
    """The guardian's account is active with an argon2 hash of PASSWORD; its identifiant."""
    account = records(services).accounts.get(kind=AccountKind.GUARDIAN.value, owner_id=guardian_id)
    assert account is not None
    assert account.status is AccountStatus.ACTIVE
    assert account.password_hash is not None
    assert account.password_hash.startswith("$argon2")
    assert PASSWORD not in account.password_hash
    return account.identifiant


# -- the tests -------------------------------------------------------------------------------


class TestMartinTwoChildren:
    async def test_whole_registration_activates_the_account_and_lists_both_schools(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """R001 walks 3 → 8: the number as understood, both children with their schools, the
        identifiant shown for writing down, and an active account with an argon2 hash."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_activation(pilot)
            await identify(pilot, "martin", "SOPHIE", "06 12 34 56 78")
            assert isinstance(app.screen, SmsConfirmationScreen)
            assert "+33 6 12 34 56 78" in str(app.screen.query_one("#phone-display").render())
            await receive_code(pilot)
            await enter_code(pilot, sms_code(demo_services, "+33612345678").lower())
            assert isinstance(app.screen, ChildrenScreen)
            names = [str(label.render()) for label in app.screen.query(".child--name")]
            schools = [str(label.render()) for label in app.screen.query(".child--school")]
            assert names == ["Emma MARTIN", "Lucas MARTIN"]
            assert schools == [
                "LGT Jean Monnet — classe 1G2",
                "CLG Frédéric Bazille — classe 4B",
            ]
            fill(pilot, "naissance-0", "05/09/2008")
            fill(pilot, "naissance-1", "14032012")
            await press(pilot, "#confirm")
            assert isinstance(app.screen, PasswordScreen)
            assert str(app.screen.query_one("#identifiant-box").render()) == "s.martin1"
            await choose_password(pilot, PASSWORD, PASSWORD)
            assert isinstance(app.screen, AccountActivatedScreen)
            shown = " ".join(str(s.render()) for s in app.screen.query(".confirmed-child"))
            assert "Emma MARTIN" in shown and "Lucas MARTIN" in shown
        assert assert_active(demo_services, "R001") == "s.martin1"
        links = records(demo_services).links.find(guardian_id="R001")
        assert {link.state for link in links} == {LinkState.CONFIRMED}


class TestSingleLink:
    async def test_non_for_the_only_child_is_not_taken_into_account(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """R002 has one child: « Non » shows the guide's sentence, « Confirmer » records nothing;
        then « Oui » with 22/01/2014 activates the account."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot, "Bernard", "Thomas", "06 23 45 67 89")
            sentence = app.screen.query_one("#single-link-0", Static)
            assert not sentence.display or not sentence.has_class("-shown")
            await answer_no(pilot, 0)
            assert sentence.has_class("-shown")
            assert "seul lien responsable-élève" in str(sentence.render())
            assert not app.screen.query_one("#naissance-0").display
            await press(pilot, "#confirm")
            assert "l'action ne sera pas prise en compte" in form_message(pilot)
            assert isinstance(app.screen, ChildrenScreen)
            link = records(demo_services).links.get(guardian_id="R002", pupil_id="E003")
            assert link is not None and link.state is LinkState.PENDING
            assert records(demo_services).accounts.get(owner_id="R002") is None

            app.screen.query_one("#answer-0", RadioSet).focus()
            await pilot.press("up", "enter")
            assert app.screen.query_one("#naissance-0").display
            fill(pilot, "naissance-0", "22/01/2014")
            await press(pilot, "#confirm")
            await choose_password(pilot, PASSWORD, PASSWORD)
            assert isinstance(app.screen, AccountActivatedScreen)
        assert assert_active(demo_services, "R002") == "t.bernard1"


class TestDisputedLink:
    async def test_non_for_one_of_two_children_records_a_disputed_link(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """R001 answers « Non » for Emma: the school sees a disputed link, Lucas is attached and
        only Lucas is listed once the account is active."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            await answer_no(pilot, 0)
            fill(pilot, "naissance-1", "14/03/2012")
            await press(pilot, "#confirm")
            await choose_password(pilot, PASSWORD, PASSWORD)
            assert isinstance(app.screen, AccountActivatedScreen)
            shown = " ".join(str(s.render()) for s in app.screen.query(".confirmed-child"))
            assert "Lucas MARTIN" in shown and "Emma" not in shown
        assert_active(demo_services, "R001")
        state = records(demo_services).links.get(guardian_id="R001", pupil_id="E002")
        assert state is not None and state.state is LinkState.DISPUTED


class TestOverseasNumber:
    async def test_reunion_number_typed_nationally_is_understood_and_activates(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """R005 types 0692 12 34 56: step 4 shows +262 692 12 34 56, the SMS goes there and
        the registration completes."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_activation(pilot)
            await identify(pilot, "Payet", "Marie-Claude", "0692 12 34 56")
            assert "+262 692 12 34 56" in str(app.screen.query_one("#phone-display").render())
            await receive_code(pilot)
            await enter_code(pilot, sms_code(demo_services, "+262692123456"))
            fill(pilot, "naissance-0", "11.11.2011")
            await press(pilot, "#confirm")
            await choose_password(pilot, PASSWORD, PASSWORD)
            assert isinstance(app.screen, AccountActivatedScreen)
        assert assert_active(demo_services, "R005") == "m.payet1"


class TestIdentityStep:
    async def test_unknown_person_gets_the_neutral_form_message_and_no_sms(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """A wrong prénom is refused with the same sentence as an unknown person; no SMS."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_activation(pilot)
            await identify(pilot, "Martin", "Sophia", "06 12 34 56 78")
            assert isinstance(app.screen, ActivationScreen)
            assert form_message(pilot).startswith("Les informations saisies ne permettent pas")
        assert demo_services.outbox.messages(channel="sms") == []

    async def test_bad_phone_and_empty_name_are_said_under_their_field(
        self, app_factory: AppFactory
    ) -> None:
        """Field errors go beside the field, and the cursor goes there to correct it."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_activation(pilot)
            await identify(pilot, "Martin", "Sophie", "+44 7400 123456")
            assert "portable français" in field_error(pilot, "portable")
            assert app.focused is app.screen.query_one("#portable-input")
            await identify(pilot, "", "Sophie", "06 12 34 56 78")
            assert field_error(pilot, "nom") == "Indiquez le nom."
            assert field_error(pilot, "portable") == ""

    async def test_typing_the_form_and_enter_in_the_last_field_submits(
        self, app_factory: AppFactory
    ) -> None:
        """Focus starts in Nom; Enter moves to the next field and submits from the last one;
        the phone field refuses letters."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_activation(pilot)
            assert app.focused is app.screen.query_one("#nom-input")
            await pilot.press(*"Martin", "enter", *"Sophie", "enter")
            assert app.focused is app.screen.query_one("#portable-input")
            await pilot.press(*"06x12345678", "enter")
            await settle(pilot)
            assert isinstance(app.screen, SmsConfirmationScreen)
            assert app.screen.flow.phone == "+33612345678"


class TestActivationCode:
    async def test_wrong_code_then_new_code_after_a_minute(
        self, app_factory: AppFactory, demo_services: Services, clock: ManualClock
    ) -> None:
        """A wrong code says how many tries remain; asking again too soon is refused, after
        60 s a new code is sent, the old one no longer works and the new one does."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot)
            first = sms_code(demo_services, "+33612345678")
            await enter_code(pilot, "ZZZZZZ" if first != "ZZZZZZ" else "YYYYYY")
            assert (
                field_error(pilot, "code") == "Le code saisi est incorrect. Il vous reste 4 essais."
            )
            await press(pilot, "#resend")
            resend = app.screen.query_one("#resend-message", Static)
            assert resend.has_class("-error") and "Attendez" in str(resend.render())
            clock.advance(timedelta(seconds=61))
            await press(pilot, "#resend")
            assert resend.has_class("-sent")
            assert str(resend.render()).startswith("Un nouveau code a été envoyé au +33 6 12")
            second = sms_code(demo_services, "+33612345678")
            assert second != first
            await enter_code(pilot, first)
            assert "incorrect" in field_error(pilot, "code")
            await enter_code(pilot, second)
            assert isinstance(app.screen, ChildrenScreen)

    async def test_code_expires_after_thirty_minutes(
        self, app_factory: AppFactory, demo_services: Services, clock: ManualClock
    ) -> None:
        """After 31 minutes the right code is refused as expired, beside the field."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot)
            clock.advance(timedelta(minutes=31))
            await enter_code(pilot, sms_code(demo_services, "+33612345678"))
            assert field_error(pilot, "code").startswith("Ce code a expiré")
            assert isinstance(app.screen, ActivationCodeScreen)

    async def test_code_field_takes_only_letters_and_spaces(self, app_factory: AppFactory) -> None:
        """Typed digits and symbols never reach the field; Enter in it submits."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot)
            assert app.focused is app.screen.query_one("#code-input")
            await pilot.press(*"ab1 c-d", "enter")
            await settle(pilot)
            assert app.screen.query_one("#code-input", Input).value == "ab cd"
            assert "incorrect" in field_error(pilot, "code")


class TestBirthDates:
    async def test_wrong_dates_are_shown_beside_each_child_with_tries_left(
        self, app_factory: AppFactory
    ) -> None:
        """Only the mismatched child's field carries the message, with the tries left."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            fill(pilot, "naissance-0", "05/09/2008")
            fill(pilot, "naissance-1", "15/03/2012")
            await press(pilot, "#confirm")
            assert field_error(pilot, "naissance-0") == ""
            assert field_error(pilot, "naissance-1").endswith("Il vous reste 2 essais.")
            assert app.focused is app.screen.query_one("#naissance-1-input")

    async def test_impossible_date_is_said_beside_its_field(self, app_factory: AppFactory) -> None:
        """31/02 is refused as a date before any comparison, beside that child's field."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            fill(pilot, "naissance-0", "31/02/2008")
            fill(pilot, "naissance-1", "14/03/2012")
            await press(pilot, "#confirm")
            assert "n'existe pas" in field_error(pilot, "naissance-0")

    async def test_three_wrong_attempts_end_the_registration(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """The third wrong date ends the registration: a message, no « Confirmer », and
        « Recommencer l'activation » back to step 3 with the form still filled."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            fill(pilot, "naissance-1", "14/03/2012")
            for _ in range(3):
                fill(pilot, "naissance-0", "01/01/2000")
                await press(pilot, "#confirm")
            assert isinstance(app.screen, ChildrenScreen)
            ended = app.screen.query_one("#ended")
            assert ended.display
            assert "Trop de dates de naissance" in str(
                app.screen.query_one("#ended-message").render()
            )
            assert not app.screen.query_one(".actions").display
            assert app.focused is app.screen.query_one("#restart")
            await press(pilot, "#restart")
            assert isinstance(app.screen, ActivationScreen)
            assert app.screen.query_one("#nom", TextField).value == "Martin"
        registration = records(demo_services).registrations.all()[-1]
        assert registration.stage is RegistrationStage.ABANDONED


class TestPasswordStep:
    async def test_checklist_ticks_as_the_password_is_typed(self, app_factory: AppFactory) -> None:
        """Each rule turns ✓ when met while typing; « identiques » only when both match."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step_martin(pilot)
            assert app.focused is app.screen.query_one("#password-input")
            rules = app.screen.query(".rule")
            assert all(str(rule.render()).startswith("✗") for rule in rules)
            await pilot.press(*"abc")
            lower = app.screen.query_one("#rule-2")
            assert str(lower.render()) == "✓ Minuscule (au moins une)"
            assert str(app.screen.query_one("#rule-1").render()).startswith("✗")
            await pilot.press(*"DE12!xyz", "enter")
            assert app.focused is app.screen.query_one("#confirmation-input")
            assert all(rule.has_class("-met") for rule in rules if rule.id != "rule-same")
            assert not app.screen.query_one("#rule-same").has_class("-met")
            await pilot.press(*"abcDE12!xyz")
            assert app.screen.query_one("#rule-same").has_class("-met")

    async def test_rules_unmet_and_passwords_differing_are_said_beside_the_fields(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """« Valider » with a weak password, then with two different ones: the refusal is
        beside the field concerned and the account stays inactive."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step_martin(pilot)
            await choose_password(pilot, "sophie2026", "sophie2026")
            assert field_error(pilot, "password").startswith("Le mot de passe ne respecte pas")
            await choose_password(pilot, PASSWORD, PASSWORD + "x")
            assert field_error(pilot, "password") == ""
            assert field_error(pilot, "confirmation") == (
                "Les deux mots de passe ne sont pas identiques."
            )
            assert isinstance(app.screen, PasswordScreen)
        account = records(demo_services).accounts.get(owner_id="R001")
        assert account is not None and account.status is AccountStatus.PENDING_PASSWORD

    async def test_f3_and_the_button_show_and_hide_both_passwords(
        self, app_factory: AppFactory
    ) -> None:
        """F3 (shown in the footer) reveals both fields; the button hides them again."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step_martin(pilot)
            fields = list(app.screen.query("#password-fields Input").results(Input))
            assert all(field.password for field in fields)
            assert "f3" in footer_keys(app)
            await pilot.press("f3")
            assert not any(field.password for field in fields)
            await press(pilot, "#toggle-password")
            assert all(field.password for field in fields)


class TestNavigation:
    async def test_escape_goes_back_one_step_on_steps_3_to_5(self, app_factory: AppFactory) -> None:
        """From the code step, Escape leads back to 4, then 3, then 2."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot)
            await pilot.press("escape")
            assert isinstance(app.screen, SmsConfirmationScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, ActivationScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, AuthenticationScreen)

    async def test_escape_on_children_asks_before_abandoning(self, app_factory: AppFactory) -> None:
        """Escape on step 6 is « Annuler »: it asks; « Continuer l'activation » stays,
        « Abandonner » returns to step 2 and forgets the registration."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            await pilot.press("escape")
            assert isinstance(app.screen, AbandonScreen)
            assert app.focused is app.screen.query_one("#stay")
            await pilot.press("enter")
            assert isinstance(app.screen, ChildrenScreen)
            await press(pilot, "#cancel")
            await press(pilot, "#leave")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.flow.token is None

    async def test_escape_on_password_step_asks_too(self, app_factory: AppFactory) -> None:
        """Step 7 has no step to go back to either: Escape asks, Escape again stays."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step_martin(pilot)
            await pilot.press("escape")
            assert isinstance(app.screen, AbandonScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, PasswordScreen)

    async def test_finished_registration_cannot_be_reentered(self, app_factory: AppFactory) -> None:
        """On « Votre compte est activé » Escape does nothing and is not offered; each service
        opens a notice; « Terminer » returns to step 1 with a fresh visit."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_password_step_martin(pilot)
            await choose_password(pilot, PASSWORD, PASSWORD)
            assert isinstance(app.screen, AccountActivatedScreen)
            assert "escape" not in footer_keys(app)
            await pilot.press("escape")
            assert isinstance(app.screen, AccountActivatedScreen)
            assert app.focused is app.screen.query_one("#service-ent")
            await pilot.press("down", "enter")
            assert isinstance(app.screen, NoticeScreen)
            assert "Pronote" in str(app.screen.query_one("#notice-text").render())
            await pilot.press("escape")
            await press(pilot, "#finish")
            assert isinstance(app.screen, EntryScreen)
            assert len(app.screen_stack) == 2
            assert app.screen.flow.token is None and app.screen.flow.phone is None


class TestUserDataIsNotMarkup:
    async def test_pupil_names_in_brackets_are_shown_literally(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """A pupil recorded as « [b]Zoé[/b] » « Dupont [/b] » is shown as typed, not styled and
        without crashing, at steps 6 and 8."""
        with demo_services.store.transaction() as tx:
            pupils = Records(tx).pupils
            pupil = pupils.get(id="E009")
            assert pupil is not None
            pupils.put(pupil.model_copy(update={"prenom": "[b]Zoé[/b]", "nom": "Dupont [/b]"}))
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot, "Dupont", "Jean", "06 78 90 12 34")
            name = app.screen.query_one(".child--name")
            assert str(name.render()) == "[b]Zoé[/b] DUPONT [/B]"
            fill(pilot, "naissance-0", "25/05/2013")
            await press(pilot, "#confirm")
            await choose_password(pilot, PASSWORD, PASSWORD)
            shown = str(app.screen.query_one(".confirmed-child").render())
            assert "[b]Zoé[/b] DUPONT [/B]" in shown
