"""Pictures of the FranceConnect screens (simulated) at 80×24, each with its simulation banner,
taken on the demo families with the test clock and a seeded random source."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from services import Services
from tests.tui.pilot import (
    SnapApp,
    choose_provider,
    fill,
    link_sophie_martin,
    open_franceconnect,
    press,
    provider_login,
    to_children,
    to_code,
    to_identity,
    to_mobile,
)


class TestFranceConnectPictures:
    def test_provider_choice(self, snap_app: SnapApp) -> None:
        """The six identity providers, the first one chosen, « Continuer »."""
        assert snap_app(open_franceconnect)

    def test_provider_login_with_demo_hint(self, snap_app: SnapApp) -> None:
        """impots.gouv.fr's simulated login: the demo identities and their password on screen."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_franceconnect(pilot)
            await choose_provider(pilot)

        assert snap_app(run_before)

    def test_provider_login_refused(self, snap_app: SnapApp) -> None:
        """A wrong demo password: the generic sentence under the form."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await open_franceconnect(pilot)
            await choose_provider(pilot)
            await provider_login(pilot, "sophie.martin", "wrong")

        assert snap_app(run_before)

    def test_identity_handed_over(self, snap_app: SnapApp) -> None:
        """« Identité transmise par FranceConnect (simulation) »: nom de naissance, prénoms,
        date de naissance and provider."""
        assert snap_app(to_identity)

    def test_unknown_identity(self, snap_app: SnapApp) -> None:
        """An identity the school does not know: the registration's neutral sentence."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_identity(pilot, login="camille.durand", downs=4)
            await press(pilot, "#fc-begin")

        assert snap_app(run_before)

    def test_first_use_mobile(self, snap_app: SnapApp) -> None:
        """First use: why the mobile is asked, the field and its overseas hint."""
        assert snap_app(to_mobile)

    def test_first_use_wrong_mobile(self, snap_app: SnapApp) -> None:
        """A mobile the school does not have for her: the neutral sentence, no SMS."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_mobile(pilot)
            fill(pilot, "portable", "06 23 45 67 89")
            await press(pilot, "#fc-send")

        assert snap_app(run_before)

    def test_first_use_code_with_phone_panel(self, snap_app: SnapApp) -> None:
        """The code step with F2: the SMS the mobile received beside the form."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_code(pilot)
            await pilot.press("f2")

        assert snap_app(run_before)

    def test_first_use_children(self, snap_app: SnapApp) -> None:
        """The children step of the first use: both of Sophie Martin's children."""
        assert snap_app(to_children)

    def test_services_after_first_use(self, snap_app: SnapApp) -> None:
        """The services once the account is linked, with the banner and the identifiant."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_children(pilot)
            fill(pilot, "naissance-0", "05/09/2008")
            fill(pilot, "naissance-1", "14/03/2012")
            await press(pilot, "#confirm")

        assert snap_app(run_before)

    def test_services_at_a_later_use(self, snap_app: SnapApp, demo_services: Services) -> None:
        """A later use: from the identity straight to the services."""
        link_sophie_martin(demo_services)

        async def run_before(pilot: Pilot[Any]) -> None:
            await to_identity(pilot, downs=1)
            await press(pilot, "#fc-begin")

        assert snap_app(run_before)
