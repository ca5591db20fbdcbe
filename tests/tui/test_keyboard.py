"""The keyboard alone, as a parent who never touches a mouse uses it: the focus is visible
without colour, the web's login habit works, characters typed away from a field are not lost,
and option lists behave as native radio groups."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, RadioSet

from services import Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from tests.tui.admin_pilot import EVERY_ADMIN_SCREEN, OPERATOR, AdminWalk
from tests.tui.admin_pilot import settle as admin_settle
from tests.tui.monochrome import drawn, readable, tab_round
from tests.tui.pilot import SIZE, open_activation, settle, to_authentication
from tui.admin import make_admin_app
from tui.app import make_app
from tui.screens import EntryScreen
from tui.screens.calm import NOTHING_TO_TYPE
from tui.screens.login import ServicesScreen
from tui.widgets import ChoiceButton, ChoiceList


class TestVisibleFocus:
    """The families' app is walked state by state in ``test_layout``, each Tab checked there."""

    @pytest.mark.parametrize("walk", EVERY_ADMIN_SCREEN.values(), ids=EVERY_ADMIN_SCREEN.keys())
    async def test_every_tab_of_the_admin_app_shows_where_the_focus_went(
        self, demo_services: Services, walk: AdminWalk, tmp_path: Path
    ) -> None:
        """On a monochrome terminal and with NO_COLOR the staff still see where they are, on
        each tab and in each dialog."""
        demo_services.admin.operator = OPERATOR
        app = make_admin_app(demo_services, notices_dir=tmp_path / "notices")
        async with app.run_test(size=SIZE) as pilot:
            await walk(pilot)
            await tab_round(pilot, admin_settle)


class TestLoginHabit:
    async def test_identifiant_tab_password_enter_logs_in(self, demo_services: Services) -> None:
        """As on the web: type the identifiant, Tab, type the password, Enter. Tab goes from
        one field to the next, past the « Identifiant oublié ? » link between them."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            await pilot.press(*DEMO_ACTIVE_IDENTIFIANT, "tab", *DEMO_ACTIVE_PASSWORD, "enter")
            await settle(pilot)
            assert isinstance(app.screen, ServicesScreen)

    async def test_the_links_come_after_the_fields_and_buttons(
        self, demo_services: Services
    ) -> None:
        """Tab visits the fields, « Se connecter », « Je n'ai pas de compte », FranceConnect,
        then the links in the order they are drawn: every link stays reachable by Tab."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            order = []
            for _ in app.screen.focus_chain:
                order.append(app.screen.focused.id if app.screen.focused else None)
                await pilot.press("tab")
                await settle(pilot)
            assert order == [
                "identifiant-input",
                "password-input",
                "login",
                "no-account",
                "franceconnect",
                "change-profile",
                "forgot-identifiant",
                "forgot-password",
                "toggle-password",
                "what-franceconnect",
            ]

    async def test_the_pinned_buttons_come_after_the_fields_they_send(
        self, demo_services: Services
    ) -> None:
        """At 60×20 step 3 is taller than the screen and « Suivant » stays at its bottom, above
        the mobile field scrolled below it: Tab still goes nom, prénom, portable, « Suivant »."""
        app = make_app(demo_services)
        async with app.run_test(size=(60, 20)) as pilot:
            await open_activation(pilot)
            await pilot.press(*"Martin", "tab", *"Sophie", "tab", *"0612345678", "tab")
            await settle(pilot)
            values = [
                app.screen.query_one(f"#{name}-input", Input).value
                for name in ("nom", "prenom", "portable")
            ]
            assert values == ["Martin", "Sophie", "0612345678"]
            assert app.screen.focused is app.screen.query_one("#next")


class TestTypingAwayFromAField:
    async def test_characters_typed_on_a_link_go_to_the_field(
        self, demo_services: Services
    ) -> None:
        """Shift+Tab from the identifiant lands on a link; what is typed there goes to the
        field that last had the focus, and the focus with it, instead of vanishing."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            await pilot.press("c", ".", "m", "shift+tab")
            await settle(pilot)
            assert app.screen.focused is not None and app.screen.focused.id == "what-franceconnect"
            await pilot.press("o", "r", "e", "a", "u", "1")
            await settle(pilot)
            field = app.screen.query_one("#identifiant-input", Input)
            assert (field.value, app.screen.focused) == ("c.moreau1", field)

    async def test_a_screen_without_a_field_says_so(self, demo_services: Services) -> None:
        """Step 1 has nothing to type in: a word typed there shows one short notice (not one
        per letter, stacked over the page) and changes nothing."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            choice = app.screen.query_one(ChoiceList).pressed_button
            await pilot.press("x", "y", "z")
            await settle(pilot)
            assert [notice.message for notice in app._notifications] == [NOTHING_TO_TYPE]
            assert isinstance(app.screen, EntryScreen)
            assert app.screen.query_one(ChoiceList).pressed_button is choice


class TestChoiceLists:
    @staticmethod
    def chosen_and_highlighted(choices: RadioSet) -> tuple[str, str]:
        buttons = list(choices.query(ChoiceButton))
        highlighted = [button for button in buttons if button.has_class("-selected")]
        assert choices.pressed_button is not None and len(highlighted) == 1
        return str(choices.pressed_button.label), str(highlighted[0].label)

    async def test_the_highlight_starts_on_the_preselected_option(
        self, demo_services: Services
    ) -> None:
        """Step 1 preselects « ENT du collège », the last option: the highlight is there too."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            chosen, highlighted = self.chosen_and_highlighted(app.screen.query_one(ChoiceList))
            assert chosen == highlighted and chosen.endswith("ENT du collège")

    async def test_the_arrows_move_the_choice_with_the_highlight(
        self, demo_services: Services
    ) -> None:
        """Down, Up, Home and End choose what they highlight, as in a native radio group; Down
        on the last option comes back to the first."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            choices = app.screen.query_one(ChoiceList)
            seen = []
            for key in ("down", "down", "up", "end", "home"):
                await pilot.press(key)
                await settle(pilot)
                chosen, highlighted = self.chosen_and_highlighted(choices)
                assert chosen == highlighted
                seen.append(chosen.split(" — ")[1])
            assert seen == [
                "Téléservices",
                "académie de Montpellier",
                "Téléservices",
                "ENT du collège",
                "Téléservices",
            ]

    async def test_enter_moves_on_to_the_button(self, demo_services: Services) -> None:
        """The choice is made by the arrows: Enter goes on to « Se connecter », and a second
        Enter follows the option that is highlighted."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("home", "enter")
            await settle(pilot)
            assert app.screen.focused is app.screen.query_one("#connect")
            await pilot.press("enter")
            await settle(pilot)
            assert type(app.screen).__name__ == "EduconnectProfileScreen"

    async def test_the_choice_reads_without_colour(self, demo_services: Services) -> None:
        """``(•)`` marks the chosen option and ``( )`` the others, in the characters
        themselves: a text capture or a screen reader tells them apart."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await pilot.press("down")
            await settle(pilot)
            rows = readable(drawn(app.screen.query_one(ChoiceList), pilot)).splitlines()
            markers = [row.replace("⟦", "").lstrip()[:3] for row in rows]
            assert markers == ["(•)", "( )", "( )"]
