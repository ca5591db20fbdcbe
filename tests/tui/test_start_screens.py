"""Steps 1 to 2 of the guide: the site, the ENT profile, the ÉduConnect profile, the
authentication screen, and the trainer aids (F1 guide, F2 phone) that every step shares."""

from __future__ import annotations

from typing import Any

import pytest
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, RadioSet, Static

from services import Services
from tests.tui.pilot import (
    SnapApp,
    footer_keys,
    settle,
    to_authentication,
    to_children_step,
    to_existing_account,
)
from tests.tui.walks import Walk
from tui.app import make_app
from tui.screens import (
    AuthenticationScreen,
    EduconnectProfileScreen,
    EntProfileScreen,
    EntryScreen,
    GuideScreen,
    NoticeScreen,
)
from tui.widgets import PhonePanel

SIZE = (80, 24)


class TestEntry:
    async def test_connect_from_the_ent_leads_to_the_ent_profile_list(
        self, demo_services: Services
    ) -> None:
        """The ENT of the collège is preselected, as in the guide; « Se connecter » opens 1.1."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            assert isinstance(app.screen, EntryScreen)
            await pilot.click("#connect")
            assert isinstance(app.screen, EntProfileScreen)

    async def test_national_teleservices_go_straight_to_educonnect(
        self, demo_services: Services
    ) -> None:
        """The Téléservices sites use ÉduConnect directly: no ENT profile list in between."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            radio = app.screen.query_one("#site", RadioSet)
            radio.focus()
            await pilot.press("home", "enter")
            await pilot.click("#connect")
            assert isinstance(app.screen, EduconnectProfileScreen)
            assert app.screen.flow.site == "national"

    async def test_escape_does_nothing_on_the_first_screen(self, demo_services: Services) -> None:
        """There is nothing before step 1: Escape stays and the footer does not offer it."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("escape")
            assert isinstance(app.screen, EntryScreen)
            assert "escape" not in footer_keys(app)
            assert {"f1", "f2", "ctrl+q"} <= footer_keys(app)


class TestEntProfile:
    async def test_a_profile_outside_educonnect_is_explained_and_goes_nowhere(
        self, demo_services: Services
    ) -> None:
        """« Enseignant » is not an ÉduConnect account: the screen says so and stays."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.click("#connect")
            app.screen.query_one("#ent-profile", RadioSet).focus()
            await pilot.press("down", "down", "down", "down", "down", "enter")
            await pilot.click("#validate")
            assert isinstance(app.screen, EntProfileScreen)
            refusal = app.screen.query_one("#ent-refusal", Static)
            assert refusal.has_class("-shown")
            assert "Enseignant" in str(refusal.render())
            assert "en dehors de ce service" in str(refusal.render())

    async def test_escape_goes_back_one_step(self, demo_services: Services) -> None:
        """Escape from 1.1 returns to the site choice."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.click("#connect")
            await pilot.press("escape")
            assert isinstance(app.screen, EntryScreen)


class TestEduconnectProfile:
    async def test_up_and_down_move_between_the_two_profiles(self, demo_services: Services) -> None:
        """The profile choice is a list: Down goes to « Élève », Up back to « Représentant
        légal », Enter picks."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.click("#connect")
            await pilot.click("#validate")
            assert app.focused is not None and app.focused.id == "representant"
            await pilot.press("down")
            assert app.focused is not None and app.focused.id == "eleve"
            await pilot.press("up", "enter")
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.flow.profile == "representant"


class TestAuthentication:
    async def test_guardian_reaches_the_authentication_screen(
        self, demo_services: Services
    ) -> None:
        """Représentant légal leads to step 2, titled with the profile, focus in Identifiant."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            assert isinstance(app.screen, AuthenticationScreen)
            assert app.screen.flow.profile == "representant"
            assert app.focused is not None and app.focused.id == "identifiant-input"

    async def test_change_profile_goes_back_to_the_profile_choice(
        self, demo_services: Services
    ) -> None:
        """« ← Changer de profil » and Escape both return to step 1.2."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            await pilot.click("#change-profile")
            assert isinstance(app.screen, EduconnectProfileScreen)
            await pilot.click("#representant")
            await pilot.press("escape")
            assert isinstance(app.screen, EduconnectProfileScreen)

    async def test_a_pupil_without_account_is_sent_to_the_school(
        self, demo_services: Services
    ) -> None:
        """Pupils get provisional credentials from the school: « Je n'ai pas de compte » says so."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot, "#eleve")
            await pilot.click("#no-account")
            assert isinstance(app.screen, NoticeScreen)
            text = str(app.screen.query_one("#notice-text", Static).render())
            assert "au collège" in text
            await pilot.press("escape")
            assert isinstance(app.screen, AuthenticationScreen)


class TestAuthenticationAsInTheGuide:
    """Step 2 is laid out as the guide's picture, so a parent with the paper beside the screen
    finds each thing where the picture shows it."""

    @staticmethod
    def place(app: Any, selector: str) -> tuple[int, int]:
        region = app.screen.query_one(selector).region
        return region.y, region.x

    async def test_the_guide_order_from_top_to_bottom(self, demo_services: Services) -> None:
        """The access list under the profile, each « … oublié ? » on its field's label line,
        « Se connecter » then « Je n'ai pas de compte », then « ou » and FranceConnect beside."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)

            def place(selector: str) -> tuple[int, int]:
                return self.place(app, selector)

            access = str(app.screen.query_one("#auth-access Static", Static).render())
            assert access.startswith("Le compte ÉduConnect peut donner accès")
            labels = list(app.screen.query(".auth-label").results(Static))
            assert [str(label.render()) for label in labels] == ["Identifiant", "Mot de passe"]
            assert place("#forgot-identifiant")[0] == labels[0].region.y
            assert place("#forgot-password")[0] == labels[1].region.y
            assert place("#forgot-identifiant")[1] > labels[0].region.x
            column = [
                "#change-profile",
                "#auth-profile",
                "#auth-access",
                "#identifiant-input",
                "#password-input",
                "#login",
                "#no-account",
            ]
            rows = [place(selector)[0] for selector in column]
            assert rows == sorted(rows) and len(set(rows)) == len(rows)
            beside = ["#auth-or", "#franceconnect", "#what-franceconnect", "#auth-fc-sentence"]
            rows = [place(selector)[0] for selector in beside]
            assert rows == sorted(rows)
            assert place("#auth-or")[1] > place("#identifiant-input")[1]
            # All of it on the first screen: nothing to scroll at 80×24.
            assert app.screen.query_one("#form").max_scroll_y == 0

    async def test_the_pupil_sees_the_same_page_under_her_profile(
        self, demo_services: Services
    ) -> None:
        """« Élève » titles the same page; the login habit works there too."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot, "#eleve")
            assert str(app.screen.query_one("#auth-profile", Static).render()) == "Élève"
            assert app.screen.query_one("#auth-access").display

    async def test_one_column_under_76_columns_keeps_the_order(
        self, demo_services: Services
    ) -> None:
        """At 60×20 FranceConnect comes below « Je n'ai pas de compte », as in the guide."""
        app = make_app(demo_services)
        async with app.run_test(size=(60, 20)) as pilot:
            await to_authentication(pilot)
            assert self.place(app, "#auth-or")[0] > self.place(app, "#no-account")[0]


class TestKeyBursts:
    async def test_keys_arriving_in_one_read_land_in_their_own_fields(
        self, demo_services: Services
    ) -> None:
        """Over a slow SSH link « Martin<Tab>Sophie » can arrive at once: the Tab must move the
        focus before « Sophie » is handed out, so each field gets its own text."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await to_authentication(pilot)
            await pilot.click("#no-account")
            for character in "Martin\tSophie":
                key = "tab" if character == "\t" else character
                app.post_message(events.Key(key, character))
            await pilot.pause()
            assert app.screen.query_one("#nom-input", Input).value == "Martin"
            assert app.screen.query_one("#prenom-input", Input).value == "Sophie"


class TestTrainerAids:
    async def test_f1_shows_the_guide_text_of_the_current_step(
        self, demo_services: Services
    ) -> None:
        """On step 1.1 the guide says to pick « Élève ou parent de l'Académie de Montpellier »."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.click("#connect")
            await pilot.press("f1")
            assert isinstance(app.screen, GuideScreen)
            shown = "".join(str(s.render()) for s in app.screen.query(Static))
            assert "Élève ou parent de l'Académie de Montpellier" in shown
            await pilot.press("escape")
            assert isinstance(app.screen, EntProfileScreen)

    @pytest.mark.parametrize(
        ("walk", "opening", "keys"),
        [
            (to_authentication, "2. Écran d'authentification", "Tab trois fois"),
            (to_children_step, "6. Écran de confirmation", "Tab jusqu'au bouton"),
            (to_existing_account, "Les anciens élèves", "Tab, puis Entrée"),
        ],
        ids=["step 2", "step 6", "existing account"],
    )
    async def test_f1_opens_on_the_step_and_its_keys(
        self, demo_services: Services, walk: Walk, opening: str, keys: str
    ) -> None:
        """F1 opens on the step's own paragraph, its keys beside each « cliquez », in view
        without scrolling; the guide's opening paragraph comes after it."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            await walk(pilot)
            await pilot.press("f1")
            await settle(pilot)
            assert isinstance(app.screen, GuideScreen)
            text = str(app.screen.query_one("#guide-text Static", Static).render())
            assert text.startswith(opening)
            assert keys in text
            assert text.index("Pour les représentants légaux") > text.index(keys)
            shown = app.screen.query_one("#guide-text")
            assert shown.scroll_y == 0

    async def test_f2_toggles_the_phone_panel_and_it_follows_the_screens(
        self, demo_services: Services
    ) -> None:
        """The panel stays open from one step to the next until F2 closes it."""
        app = make_app(demo_services)
        async with app.run_test(size=SIZE) as pilot:
            assert not app.screen.query_one(PhonePanel).display
            await pilot.press("f2")
            assert app.screen.query_one(PhonePanel).display
            await pilot.click("#connect")
            assert app.screen.query_one(PhonePanel).display
            await pilot.press("f2")
            assert not app.screen.query_one(PhonePanel).display


class TestSnapshots:
    def test_entry(self, snap_app: SnapApp) -> None:
        """Step 1 at 80×24: the three sites, « Se connecter »."""
        assert snap_app()

    def test_ent_profile(self, snap_app: SnapApp) -> None:
        """Step 1.1: the ENT's profile list."""
        assert snap_app(press=("tab", "enter"))

    def test_ent_profile_outside_educonnect(self, snap_app: SnapApp) -> None:
        """Step 1.1 after choosing « Enseignant »: the explanation under the list. The arrows
        choose; Enter moves on to « Valider », a second Enter presses it."""
        keys = ("tab", "enter", "down", "down", "down", "down", "down", "enter", "enter")
        assert snap_app(press=keys)

    def test_educonnect_profile(self, snap_app: SnapApp) -> None:
        """Step 1.2: what the account gives access to, « Je sélectionne mon profil »."""
        keys = ("tab", "enter", "tab", "enter")
        assert snap_app(press=keys)

    def test_authentication(self, snap_app: SnapApp) -> None:
        """Step 2 for a guardian: login form, « Je n'ai pas de compte → », FranceConnect."""

        async def navigate(pilot: Pilot[Any]) -> None:
            await to_authentication(pilot)

        assert snap_app(navigate)

    def test_guide_modal(self, snap_app: SnapApp) -> None:
        """F1 on step 2: the guide's paragraph over the screen."""

        async def navigate(pilot: Pilot[Any]) -> None:
            await to_authentication(pilot)
            await pilot.press("f1")

        assert snap_app(navigate)

    def test_guide_modal_on_step_6(self, snap_app: SnapApp) -> None:
        """F1 on step 6: the step's own paragraph and its keys open the dialog."""

        async def navigate(pilot: Pilot[Any]) -> None:
            await to_children_step(pilot)
            await pilot.press("f1")

        assert snap_app(navigate)

    def test_phone_panel_before_any_number(self, snap_app: SnapApp) -> None:
        """F2 on step 2: the phone panel beside the form, no number typed yet."""

        async def navigate(pilot: Pilot[Any]) -> None:
            await to_authentication(pilot)
            await pilot.press("f2")

        assert snap_app(navigate)

    def test_authentication_wide(self, snap_app: SnapApp) -> None:
        """Step 2 at 120×40 keeps its two columns and reads well."""

        async def navigate(pilot: Pilot[Any]) -> None:
            await to_authentication(pilot)

        assert snap_app(navigate, terminal_size=(120, 40))
