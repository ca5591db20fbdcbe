"""« S'identifier avec FranceConnect » (simulated), walked as a parent would on the demo
families: the first use from the provider choice to the services, and a later use that goes
straight to the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Static

from services import Services
from services.franceconnect import SIMULATION_LABEL
from store import Records
from store.records import AccountKind, AccountStatus, LinkState
from tests.tui.pilot import (
    choose_provider,
    fill,
    form_message,
    link_sophie_martin,
    open_franceconnect,
    press,
    provider_login,
    sms_code,
    to_children,
    to_identity,
)
from tui.app import EduConnectApp
from tui.screens import AuthenticationScreen, NoticeScreen
from tui.screens.franceconnect import (
    FcChildrenScreen,
    FcCodeScreen,
    FcIdentityScreen,
    FcLoginScreen,
    FcMobileScreen,
    FcServicesScreen,
)

SIZE = (80, 24)

AppFactory = Callable[[], EduConnectApp]


# -- helpers of these tests ---------------------------------------------------------------------


def banner_shown(pilot: Pilot[Any]) -> bool:
    """The simulation label is on the current screen."""
    return any(
        str(widget.render()) == SIMULATION_LABEL
        for widget in pilot.app.screen.query(".fc-simulation").results(Static)
    )


def shown_children(pilot: Pilot[Any]) -> str:
    return " ".join(str(s.render()) for s in pilot.app.screen.query(".connected-child"))


# -- the tests -------------------------------------------------------------------------------


class TestFranceConnectFirstUse:
    async def test_first_use_end_to_end_reaches_the_services_without_password(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Sophie Martin: provider, demo login, the identity handed over, her mobile, the SMS
        code, both dates of birth, then her services; every screen says it is a simulation and
        the school sees an active account linked to FranceConnect, with no password."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_franceconnect(pilot)
            assert banner_shown(pilot)
            await choose_provider(pilot)
            assert banner_shown(pilot)
            hint = str(app.screen.query_one("#fc-demo-hint", Static).render())
            assert "sophie.martin" in hint and "demo" in hint
            await provider_login(pilot, "sophie.martin")
            assert isinstance(app.screen, FcIdentityScreen)
            assert banner_shown(pilot)
            shown = " ".join(str(s.render()) for s in app.screen.query("#fc-identity Static"))
            assert "MARTIN" in shown and "Sophie Anne" in shown and "12/04/1979" in shown
            await press(pilot, "#fc-begin")
            assert isinstance(app.screen, FcMobileScreen)
            assert banner_shown(pilot)
            fill(pilot, "portable", "06 12 34 56 78")
            await press(pilot, "#fc-send")
            assert isinstance(app.screen, FcCodeScreen)
            assert banner_shown(pilot)
            fill(pilot, "code", sms_code(demo_services, "+33612345678").lower())
            await press(pilot, "#continue")
            assert isinstance(app.screen, FcChildrenScreen)
            assert banner_shown(pilot)
            fill(pilot, "naissance-0", "05/09/2008")
            fill(pilot, "naissance-1", "14032012")
            await press(pilot, "#confirm")
            assert isinstance(app.screen, FcServicesScreen)
            assert banner_shown(pilot)
            assert "Emma MARTIN" in shown_children(pilot)
            assert "Lucas MARTIN" in shown_children(pilot)
            # Escape cannot lead back into the finished first use.
            await pilot.press("escape")
            assert isinstance(app.screen, FcServicesScreen)
        account = Records(demo_services.store.snapshot()).accounts.get(
            kind=AccountKind.GUARDIAN.value, owner_id="R001"
        )
        assert account is not None
        assert account.status is AccountStatus.ACTIVE
        assert account.password_hash is None and account.franceconnect_sub is not None
        links = Records(demo_services.store.snapshot()).links.find(guardian_id="R001")
        assert {link.state for link in links} == {LinkState.CONFIRMED}

    async def test_wrong_date_of_birth_is_shown_beside_the_child(
        self, app_factory: AppFactory
    ) -> None:
        """The children step keeps the registration's rules: a wrong date is refused beside
        that child with the tries left, and the services do not open."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_children(pilot)
            fill(pilot, "naissance-0", "05/09/2008")
            fill(pilot, "naissance-1", "15/03/2012")
            await press(pilot, "#confirm")
            assert isinstance(app.screen, FcChildrenScreen)
            error = app.screen.query_one("#naissance-1 .field--error", Static)
            assert "Il vous reste 2 essais" in str(error.render())


class TestFranceConnectLaterUse:
    async def test_second_use_goes_straight_to_the_services(
        self, app_factory: AppFactory, demo_services: Services
    ) -> None:
        """Once linked, Sophie Martin through ameli.fr (chosen with the keyboard) goes from the
        identity screen straight to her services: no mobile, no SMS."""
        link_sophie_martin(demo_services)
        sent = len(demo_services.outbox.messages(channel="sms"))
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_identity(pilot, downs=1)
            assert "ameli.fr" in " ".join(
                str(s.render()) for s in app.screen.query("#fc-identity Static")
            )
            await press(pilot, "#fc-begin")
            assert isinstance(app.screen, FcServicesScreen)
            assert "s.martin1" in str(app.screen.query_one("#connected-as", Static).render())
            await press(pilot, "#logout")
            assert isinstance(app.screen, AuthenticationScreen)
        assert len(demo_services.outbox.messages(channel="sms")) == sent


class TestFranceConnectRefusals:
    async def test_wrong_demo_password_stays_on_the_provider_page(
        self, app_factory: AppFactory
    ) -> None:
        """A wrong password at the provider: the generic sentence, the password emptied."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_franceconnect(pilot)
            await choose_provider(pilot)
            await provider_login(pilot, "sophie.martin", "wrong")
            assert isinstance(app.screen, FcLoginScreen)
            assert "incorrect" in form_message(pilot)
            assert app.screen.query_one("#fc-password-input").value == ""  # type: ignore[attr-defined]

    async def test_unknown_identity_gets_the_neutral_sentence(
        self, app_factory: AppFactory
    ) -> None:
        """Camille Durand (Yris) is unknown to the school: the registration's neutral sentence
        on the identity screen, nothing more."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await to_identity(pilot, login="camille.durand", downs=4)
            await press(pilot, "#fc-begin")
            assert isinstance(app.screen, FcIdentityScreen)
            assert "ne permettent pas d'activer un compte" in form_message(pilot)

    async def test_pupil_profile_is_told_franceconnect_is_for_guardians(
        self, app_factory: AppFactory
    ) -> None:
        """Under the « Élève » profile the button explains instead of opening FranceConnect."""
        app = app_factory()
        async with app.run_test(size=SIZE) as pilot:
            await open_franceconnect(pilot, profile="eleve")
            assert isinstance(app.screen, NoticeScreen)
