"""The autoplay demo (``educonnect demo --autoplay``) plays each parcours on the real screens
and services, and the person's keys pause it, skip or replay a step, or take over."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Footer

from services import Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT
from services.i18n import _
from store import Records
from store.records import AccountKind, AccountStatus
from tests.tui.autoplay_pilot import (
    HeldClock,
    advance_until,
    autoplay_app,
    caption_text,
    click_as_a_terminal,
    played_to_the_end,
    quiet,
    typed,
    until_sleeping,
)
from tests.tui.pilot import SIZE, footer_keys
from tui.autoplay.app import AutoplayApp
from tui.autoplay.script import CLAIRE_NEW_PASSWORD, PARCOURS, Scene, Type
from tui.journey import Step
from tui.screens import ActivationScreen, AuthenticationScreen, EntProfileScreen, EntryScreen
from tui.screens.login import ServicesScreen
from tui.screens.recovery import PasswordChangedScreen
from tui.screens.registration import AccountActivatedScreen
from tui.terminal import key_action

ACTIVATION = Step.ACTIVATION
AUTOPLAY_KEYS = {"space", "left", "right", "escape"}


async def while_typing_the_name(pilot: Pilot[Any], clock: HeldClock) -> None:
    """Until the player has typed « Mar » of « Martin » at step 3."""
    app = pilot.app
    assert isinstance(app, AutoplayApp)
    await advance_until(pilot, clock, lambda: typed(app, ACTIVATION, "nom") == "Mar")


class TestParcours:
    async def test_the_registration_ends_with_sophie_martins_account_active(
        self, demo_services: Services
    ) -> None:
        app = autoplay_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await played_to_the_end(pilot)
            assert isinstance(app.screen, AccountActivatedScreen), caption_text(app)
            assert app.screen.activated.identifiant == "s.martin1"
            assert caption_text(app).endswith(
                "Fin de la démonstration : la suite se fait au clavier."
            )
            # Over: the ordinary app's keys again.
            assert not app.autoplaying
            assert not AUTOPLAY_KEYS & footer_keys(app)
        records = Records(demo_services.store.snapshot())
        account = records.accounts.get(identifiant="s.martin1")
        assert account is not None
        assert account.status is AccountStatus.ACTIVE
        assert account.kind is AccountKind.GUARDIAN

    async def test_the_password_recovery_ends_with_claires_new_password(
        self, demo_services: Services
    ) -> None:
        app = autoplay_app(demo_services, "mot-de-passe-oublie")
        async with app.run_test(size=SIZE) as pilot:
            await played_to_the_end(pilot)
            assert isinstance(app.screen, PasswordChangedScreen)
        session = demo_services.login.login(
            DEMO_ACTIVE_IDENTIFIANT, CLAIRE_NEW_PASSWORD, profile=AccountKind.GUARDIAN
        )
        assert session.identifiant == DEMO_ACTIVE_IDENTIFIANT

    async def test_the_pupils_first_login_ends_on_her_services(
        self, demo_services: Services
    ) -> None:
        app = autoplay_app(demo_services, "eleve")
        async with app.run_test(size=SIZE) as pilot:
            await played_to_the_end(pilot)
            assert isinstance(app.screen, ServicesScreen)
            assert "Léa" in caption_text(app)

    @pytest.mark.parametrize("parcours", sorted(PARCOURS))
    def test_each_scene_is_a_catalog_sentence_on_a_step_of_the_journey(self, parcours: str) -> None:
        for scene in PARCOURS[parcours]:
            assert isinstance(scene.step, Step)
            assert _(scene.caption) == scene.caption


class TestCaptions:
    async def test_each_scene_shows_its_caption_before_acting(
        self, demo_services: Services
    ) -> None:
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await advance_until(pilot, clock, lambda: isinstance(app.screen, ActivationScreen))
            assert caption_text(app) == (
                "▶ Je saisis mon nom et mon prénom tels que l'établissement les connaît."
            )
            # The caption is read before anything is typed.
            assert typed(app, ACTIVATION, "nom") == ""
            assert {"space", "left", "right", "escape"} <= footer_keys(app)

    async def test_a_screen_other_than_the_one_expected_stops_the_demo_and_says_so(
        self, demo_services: Services
    ) -> None:
        scenes = (Scene(Step.PASSWORD, "Je choisis mon mot de passe.", (Type("password", "x"),)),)
        app = autoplay_app(demo_services, scenes=scenes)
        async with app.run_test(size=SIZE) as pilot:
            await played_to_the_end(pilot)
            assert isinstance(app.screen, EntryScreen)
            assert caption_text(app) == (
                "La démonstration s'arrête : elle attendait l'écran « Mot de passe », "
                "l'application montre « Accès au service ». Continuez au clavier."
            )
            assert not app.autoplaying


class TestKeys:
    async def test_space_pauses_and_resumes(self, demo_services: Services) -> None:
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await advance_until(pilot, clock, lambda: bool(caption_text(app)))
            await pilot.press("space")
            await quiet(pilot)
            assert caption_text(app).startswith("En pause (espace pour reprendre) : Je pars")
            # Paused: the demo's time passes and nothing happens.
            clock.release()
            await quiet(pilot)
            assert not clock.sleeping
            assert isinstance(app.screen, EntryScreen)
            await pilot.press("space")
            await until_sleeping(pilot, clock)
            assert caption_text(app).startswith("▶ Je pars")
            # On to « Se connecter »: the button has the focus a moment before Enter.
            assert app.focused is not None and app.focused.id == "connect"

    async def test_right_does_the_rest_of_the_step_at_once(self, demo_services: Services) -> None:
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await advance_until(pilot, clock, lambda: bool(caption_text(app)))
            asked = len(clock.asked)
            await pilot.press("right")
            await until_sleeping(pilot, clock)
            # « Se connecter » pressed without its wait: the next step reads its caption.
            assert isinstance(app.screen, EntProfileScreen)
            assert len(clock.asked) == asked + 1
            assert caption_text(app).startswith("▶ L'ENT demande qui je suis")

    async def test_left_replays_the_step_from_its_caption(self, demo_services: Services) -> None:
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await while_typing_the_name(pilot, clock)
            await pilot.press("left")
            await until_sleeping(pilot, clock)
            assert caption_text(app).startswith("▶ Je saisis mon nom et mon prénom")
            await advance_until(pilot, clock, lambda: typed(app, ACTIVATION, "prenom") == "Sophie")
            # Typed again from an empty field, not after what was there.
            assert typed(app, ACTIVATION, "nom") == "Martin"

    async def test_escape_leaves_the_ordinary_app_at_that_screen(
        self, demo_services: Services
    ) -> None:
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await while_typing_the_name(pilot, clock)
            await pilot.press("escape")
            await quiet(pilot)
            assert not app.autoplaying
            assert app.player_worker is not None and app.player_worker.is_finished
            assert caption_text(app) == ""
            assert isinstance(app.screen, ActivationScreen)
            assert not {"left", "right"} & footer_keys(app)
            assert {"ctrl+q", "f1", "f2"} <= footer_keys(app)
            # The person types on where the demo stopped: Space and the arrows are the
            # field's again.
            await pilot.press("t", "i", "n", "space", "left", "backspace")
            await quiet(pilot)
            assert typed(app, ACTIVATION, "nom") == "Marti "
            # And Escape is « back one step » again.
            await pilot.press("escape")
            await quiet(pilot)
            assert isinstance(app.screen, AuthenticationScreen)

    async def test_other_keys_do_not_reach_the_fields_while_the_demo_types(
        self, demo_services: Services
    ) -> None:
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await while_typing_the_name(pilot, clock)
            await pilot.press("x", "y", "tab", "f1", "f2")
            await advance_until(pilot, clock, lambda: typed(app, ACTIVATION, "prenom") == "Sophie")
            assert typed(app, ACTIVATION, "nom") == "Martin"
            assert isinstance(app.screen, ActivationScreen)
            assert not app.phone_panel_visible

    async def test_a_click_on_the_form_does_nothing_while_the_demo_plays(
        self, demo_services: Services
    ) -> None:
        """« Suivant » clicked while the demo types the name: nothing is sent half-filled,
        the demo goes on typing; a click on the footer's « Pause » pauses it."""
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await while_typing_the_name(pilot, clock)
            await click_as_a_terminal(pilot, app.screen.query_one("#next"))
            await advance_until(pilot, clock, lambda: typed(app, ACTIVATION, "prenom") == "Sophie")
            assert isinstance(app.screen, ActivationScreen)
            assert typed(app, ACTIVATION, "nom") == "Martin"
            assert not app.screen.query("TextField.-invalid")
            footer = app.screen.query_one(Footer)
            pause = next(key for key in footer.children if key_action(key) == "autoplay_pause")
            await click_as_a_terminal(pilot, pause)
            assert app.player.paused

    async def test_the_demos_keys_stay_in_their_order_as_the_focus_moves(
        self, demo_services: Services
    ) -> None:
        """From step 1 to the activation form the focus goes through lists, buttons and
        fields: the footer shows Pause, Rejouer, Suivant, Reprendre la main, first and in that
        order, all along."""
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        orders: set[tuple[str | None, ...]] = set()
        focused: set[str] = set()

        def footer_order() -> bool:
            for footer in app.screen.query(Footer):
                orders.add(tuple(key_action(key) for key in footer.children)[:4])
                focused.add(type(app.focused).__name__)
            return typed(app, ACTIVATION, "prenom") == "Sophie"

        async with app.run_test(size=SIZE) as pilot:
            await advance_until(pilot, clock, footer_order)
        assert {"ChoiceList", "InstantButton", "FieldInput"} <= focused
        assert orders == {AutoplayApp.FOOTER_ORDER}

    async def test_ctrl_q_still_quits(self, demo_services: Services) -> None:
        clock = HeldClock()
        app = autoplay_app(demo_services, sleep=clock.sleep)
        async with app.run_test(size=SIZE) as pilot:
            await advance_until(pilot, clock, lambda: bool(caption_text(app)))
            assert "ctrl+q" not in footer_keys(app)
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert not app.is_running
