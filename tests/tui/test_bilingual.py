"""The bilingual mode (issue 17): the French screens with a translation under each text.

Pilot tests read what the screens hold; the pictures of steps 2, 3, 6 and 7 are taken once per
language of ``SNAPSHOT_LANGUAGES`` (adding a language is one line there, once its catalog is
compiled and its pictures are looked at)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.content import Content
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widgets import Button, Footer, Input, Label, Static

from services import Services
from tests.tui.pilot import (
    SIZE,
    fill,
    footer_keys,
    open_activation,
    press,
    settle,
    to_authentication,
    to_children_step,
    to_code_step,
    to_password_step_martin,
)
from tests.tui.walks import Walk, to_educonnect_profile, to_sms_confirmation
from tui.app import make_app
from tui.language import available_languages, current_language, use_language
from tui.screens import ActivationCodeScreen, SmsConfirmationScreen

SNAPSHOT_LANGUAGES = ["en", "ar"]
"""The languages whose pictures are kept (``__snapshots__/test_bilingual``)."""


@pytest.fixture(autouse=True)
def french_again() -> Iterator[None]:
    """The language is the process's: the next test starts in French."""
    yield
    use_language(None)


class TestTranslationLines:
    async def test_each_text_has_its_translation_under_it(self, demo_services: Services) -> None:
        app = make_app(demo_services, "en")
        async with app.run_test(size=SIZE):
            title = app.screen.query_one(".title", Label)
            assert str(title.render()) == "Bienvenue\nWelcome"
            rendered = title.render()
            assert isinstance(rendered, Content)
            # The translation is the quieter line: dim, the French not.
            dim = [span for span in rendered.spans if "dim" in str(span.style)]
            assert [(span.start, span.end) for span in dim] == [(10, 17)]

    async def test_french_mode_is_french_only(self, demo_services: Services) -> None:
        app = make_app(demo_services)
        async with app.run_test(size=SIZE):
            assert str(app.screen.query_one(".title", Label).render()) == "Bienvenue"
            assert "f4" not in footer_keys(app)

    async def test_names_are_shown_as_typed_never_translated(self, demo_services: Services) -> None:
        """Step 6: the pupil's name once, as the school wrote it; the sentences around it
        translated."""
        app = make_app(demo_services, "en")
        async with app.run_test(size=SIZE) as pilot:
            await to_children_step(pilot)
            texts = [str(widget.render()) for widget in app.screen.query(Static)]
            assert "Emma MARTIN" in texts
            assert any("Are you this pupil's legal guardian?" in text for text in texts)


class TestLanguageKey:
    async def test_the_key_cycles_through_the_languages_then_french(
        self, demo_services: Services
    ) -> None:
        app = make_app(demo_services, "fr")
        async with app.run_test(size=SIZE) as pilot:
            assert "f4" in footer_keys(app)
            seen = []
            for _ in range(len(available_languages()) + 1):
                await pilot.press("f4")
                await settle(pilot)
                seen.append(current_language())
            assert seen == [*available_languages(), None]
            assert str(app.screen.query_one(".title", Label).render()) == "Bienvenue"

    async def test_what_was_typed_stays_when_the_language_changes(
        self, demo_services: Services
    ) -> None:
        app = make_app(demo_services, "fr")
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            await press(pilot, "#no-account")
            fill(pilot, "nom", "Martin [b]")
            await pilot.press("f4")
            await settle(pilot)
            assert current_language() == "en"
            assert app.screen.query_one("#nom-input", Input).value == "Martin [b]"
            await pilot.press("escape")
            await settle(pilot)
            assert "Legal guardian" in str(app.screen.query_one("#auth-profile", Label).render())

    async def test_the_open_sms_confirmation_stays_open_when_the_language_changes(
        self, demo_services: Services
    ) -> None:
        """Step 4 after « Recevoir mon code SMS »: the « Confirmation par SMS » box is still
        open in the new language, its « Valider » focused, and no SMS was sent meanwhile."""
        app = make_app(demo_services, "fr")
        async with app.run_test(size=SIZE) as pilot:
            await to_sms_confirmation(pilot)
            await press(pilot, "#receive")
            assert app.screen.query_one("#sms-confirmation").has_class("-shown")
            await pilot.press("f4")
            await settle(pilot)
            assert current_language() == "en"
            assert isinstance(app.screen, SmsConfirmationScreen)
            assert app.screen.query_one("#sms-confirmation").has_class("-shown")
            assert app.focused is app.screen.query_one("#validate")
            assert demo_services.outbox.messages() == []

    async def test_at_the_code_step_no_second_sms_is_sent(self, demo_services: Services) -> None:
        """Step 5, the code received: F4 builds every step again in the new language, step 4
        included, and none of them sends the code again; the person is still at step 5."""
        app = make_app(demo_services, "fr")
        async with app.run_test(size=SIZE) as pilot:
            await to_code_step(pilot)
            sent = demo_services.outbox.messages()
            assert len(sent) == 1
            await pilot.press("f4")
            await settle(pilot)
            assert current_language() == "en"
            assert isinstance(app.screen, ActivationCodeScreen)
            assert demo_services.outbox.messages() == sent

    async def test_the_entry_offers_the_choice(self, demo_services: Services) -> None:
        app = make_app(demo_services, "fr")
        async with app.run_test(size=SIZE) as pilot:
            await pilot.click("#language")
            await settle(pilot)
            assert current_language() == available_languages()[0]
            label = str(app.screen.query_one("#language", Button).label)
            assert label.startswith("Langue / Language : ")

    async def test_arabic_in_a_terminal_says_it_may_show_reversed(
        self, demo_services: Services
    ) -> None:
        """Choosing Arabic on the first screen of a terminal app says that most terminals show
        it reversed and the browser does not, with « Se connecter » still in view at 80×24;
        the other languages say nothing of it."""
        app = make_app(demo_services, "fr")
        async with app.run_test(size=SIZE) as pilot:
            while current_language() != "ar":
                await pilot.press("f4")
                await settle(pilot)
                if current_language() != "ar":
                    assert not app.screen.query("#arabic-in-terminals")
            note = app.screen.query_one("#arabic-in-terminals", Static)
            assert "l'arabe peut s'afficher à l'envers" in str(note.render())
            screen = app.screen.region
            assert screen.contains_region(note.region)
            assert screen.contains_region(app.screen.query_one("#connect").region)


class TestWrongPassword:
    @pytest.mark.parametrize("language", available_languages())
    async def test_the_refusal_and_the_way_to_register_are_in_view(
        self, demo_services: Services, language: str
    ) -> None:
        """Step 2 at 80×24 after a wrong password: the refusal, the emptied password field and
        « Je n'ai pas de compte → » under them are all on the screen, above the footer (whoever
        tried to log in without an account goes there next)."""
        app = make_app(demo_services, language)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            fill(pilot, "identifiant", "c.moreau1")
            fill(pilot, "password", "pas-le-bon")
            await press(pilot, "#login")
            await settle(pilot)
            message = app.screen.query_one("#login-message")
            assert message.has_class("-shown")
            footer = app.screen.query_one(Footer).region
            above_the_footer = Region(0, 1, SIZE[0], footer.y - 1)
            for selector in ("#login-message", "#password-input", "#no-account"):
                shown = app.screen.query_one(selector).region
                assert above_the_footer.contains_region(shown), (selector, shown)


class TestSmallTerminal:
    @pytest.mark.parametrize("language", available_languages())
    async def test_the_two_profiles_share_sixty_columns(
        self, demo_services: Services, language: str
    ) -> None:
        """Step 1.2 at 60×20: « Représentant légal » and « Élève », side by side to keep the
        height, each wholly inside the form (two buttons of 30 columns would not fit)."""
        app = make_app(demo_services, language)
        async with app.run_test(size=(60, 20)) as pilot:
            await to_educonnect_profile(pilot)
            form = app.screen.query_one("#form")
            inside = form.scrollable_content_region
            for selector in ("#representant", "#eleve"):
                button = app.screen.query_one(selector)
                assert inside.contains_region(button.region), (selector, button.region, inside)


PICTURES: dict[str, Walk] = {
    "2": to_authentication,
    "3": open_activation,
    "6": to_children_step,
    "7": to_password_step_martin,
}


@pytest.mark.parametrize("language", SNAPSHOT_LANGUAGES)
@pytest.mark.parametrize("step", PICTURES)
def test_picture_of_step(
    snap_compare: Any, demo_services: Services, step: str, language: str
) -> None:
    """Steps 2, 3, 6 and 7 at 80×24 with the translation under each text."""

    async def run_before(pilot: Pilot[Any]) -> None:
        await PICTURES[step](pilot)
        await settle(pilot)

    try:
        assert snap_compare(
            make_app(demo_services, language), run_before=run_before, terminal_size=SIZE
        )
    finally:
        use_language(None)
