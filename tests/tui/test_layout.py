"""What a person sees without scrolling: at 80×24 every step shows its action (registration
1 → 8, refusals included), and at 80×24 as at 60×20 the control that has the focus is on
screen, dialogs included, however far Tab goes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button

from services import Services
from tests.tui.pilot import settle
from tests.tui.walks import EVERY_SCREEN, REGISTRATION_STATES, Walk
from tui.app import make_app
from tui.language import available_languages, use_language

ALL_STATES = {**EVERY_SCREEN, **REGISTRATION_STATES}
SIZES = {"80x24": (80, 24), "60x20": (60, 20)}


def shown(widget: Widget) -> bool:
    """Displayed, with every container around it (a hidden box hides its buttons)."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def wholly_visible(widget: Widget) -> bool:
    """On screen and not cut by the edge of the screen or of a scrolling container."""
    try:
        geometry = widget.screen.find_widget(widget)
    except NoWidget:
        return False
    return geometry.region.intersection(geometry.clip) == geometry.region


def actions(pilot: Pilot[Any]) -> list[Button]:
    """The step's action: its primary buttons; in a dialog, or on a page of choices without
    a primary one (the profiles, « Mon compte »), every button but the links."""
    screen = pilot.app.screen
    buttons = [b for b in screen.query(Button) if shown(b) and not b.has_class("link")]
    primary = [button for button in buttons if button.variant == "primary"]
    return buttons if isinstance(screen, ModalScreen) or not primary else primary


class TestEightyByTwentyFour:
    @pytest.mark.parametrize("walk", ALL_STATES.values(), ids=ALL_STATES.keys())
    async def test_the_action_shows_without_scrolling(
        self, demo_services: Services, walk: Walk
    ) -> None:
        """As the step opens, its primary button (a dialog's buttons) is wholly on screen."""
        app = make_app(demo_services)
        async with app.run_test(size=(80, 24)) as pilot:
            await walk(pilot)
            await settle(pilot)
            found = actions(pilot)
            assert found, "no action on this screen"
            hidden = [button.id for button in found if not wholly_visible(button)]
            assert hidden == [], f"{type(app.screen).__name__}: {hidden} below the fold"


class TestBilingual:
    """The bilingual mode (issue 17): with a translation under each French text, every step
    still shows its action at 80×24 (the guide's text scrolls), in every language with a
    compiled catalog."""

    @pytest.fixture(autouse=True)
    def french_again(self) -> Iterator[None]:
        """The language is the process's: the next test starts in French."""
        yield
        use_language(None)

    @pytest.mark.parametrize("language", available_languages())
    @pytest.mark.parametrize("walk", ALL_STATES.values(), ids=ALL_STATES.keys())
    async def test_the_action_shows_without_scrolling(
        self, demo_services: Services, walk: Walk, language: str
    ) -> None:
        app = make_app(demo_services, language)
        async with app.run_test(size=(80, 24)) as pilot:
            await walk(pilot)
            await settle(pilot)
            found = actions(pilot)
            assert found, "no action on this screen"
            hidden = [button.id for button in found if not wholly_visible(button)]
            assert hidden == [], f"{type(app.screen).__name__}: {hidden} below the fold"


class TestFocusInView:
    @pytest.mark.parametrize("size", SIZES.values(), ids=SIZES.keys())
    @pytest.mark.parametrize("walk", ALL_STATES.values(), ids=ALL_STATES.keys())
    async def test_tab_never_leaves_the_focus_off_screen(
        self, demo_services: Services, walk: Walk, size: tuple[int, int]
    ) -> None:
        """On arrival and after each Tab round the screen, the focused control is wholly on
        screen: the form scrolls to it."""
        app = make_app(demo_services)
        async with app.run_test(size=size) as pilot:
            await walk(pilot)
            await settle(pilot)
            for _ in range(len(app.screen.focus_chain) + 1):
                focused = app.screen.focused
                assert focused is not None
                assert wholly_visible(focused), f"{focused!r} is off screen"
                await pilot.press("tab")
                await settle(pilot)
