"""What a person sees without scrolling: at 80×24 every step shows its action (registration
1 → 8, refusals included), and at 80×24 as at 60×20 the control that has the focus is on
screen, dialogs included, however far Tab goes. One walk per state and size: reaching a state
is most of a test's time."""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from typing import Any

import pytest
from rich.cells import cell_len
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Footer

from services import Services
from services.i18n import translations
from tests.tui.monochrome import tab_round
from tests.tui.pilot import settle
from tests.tui.walks import EVERY_SCREEN, REGISTRATION_STATES, Walk
from tui import language as language_module
from tui.app import make_app
from tui.language import Bilingual, available_languages, use_language
from tui.widgets import PhonePanel, TextField

ALL_STATES = {**EVERY_SCREEN, **REGISTRATION_STATES}


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


def assert_the_action_shows(pilot: Pilot[Any]) -> None:
    found = actions(pilot)
    assert found, "no action on this screen"
    hidden = [button.id for button in found if not wholly_visible(button)]
    assert hidden == [], f"{type(pilot.app.screen).__name__}: {hidden} below the fold"


def assert_in_view(widget: Widget) -> None:
    """``widget`` wholly on screen, and the refusal under it too when its field shows one."""
    assert wholly_visible(widget), f"{widget!r} is off screen"
    field = next((node for node in widget.ancestors if isinstance(node, TextField)), None)
    if field is not None and field.has_class("-invalid"):
        refusal = field.query_one(".field--error")
        assert wholly_visible(refusal), f"the refusal of {field.id} is off screen"


class TestEightyByTwentyFour:
    @pytest.mark.parametrize("walk", ALL_STATES.values(), ids=ALL_STATES.keys())
    async def test_the_action_shows_and_tab_keeps_the_focus_in_sight(
        self, demo_services: Services, walk: Walk
    ) -> None:
        """As the step opens, its primary button (a dialog's buttons) is wholly on screen, and
        so is the focused control. Then Tab round the screen: each control it lands on is
        wholly on screen (the form scrolls to it) and drawn differently without colour (on a
        monochrome terminal and with NO_COLOR a person still sees where they are)."""
        app = make_app(demo_services)
        async with app.run_test(size=(80, 24)) as pilot:
            await walk(pilot)
            await settle(pilot)
            assert_the_action_shows(pilot)
            assert app.screen.focused is not None
            assert_in_view(app.screen.focused)
            await tab_round(pilot, settle, landed=assert_in_view)


class Widest(gettext.NullTranslations):
    """Each text in whichever translation takes the most cells: the tallest a step can be in
    any of the languages, so one walk of every state stands for all of them."""

    def __init__(self, languages: list[str]) -> None:
        super().__init__()
        self.catalogs = [translations(code) for code in languages]

    def gettext(self, message: str) -> str:
        return max((catalog.gettext(message) for catalog in self.catalogs), key=cell_len)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        forms = (catalog.ngettext(msgid1, msgid2, n) for catalog in self.catalogs)
        return max(forms, key=cell_len)


class TestBilingual:
    """The bilingual mode (issue 17): with a translation under each French text, every step
    still shows its action at 80×24 (the guide's text scrolls), in every language with a
    compiled catalog."""

    @pytest.fixture(autouse=True)
    def widest_under_english(self, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
        """« English » shows the widest translation of each text; the language is the
        process's, so the next test starts in French."""
        languages = available_languages()
        assert languages, "no compiled translation under locale/"
        widest = Bilingual("en")
        widest.second = Widest(languages)
        # ``current()`` keeps one catalog per language in ``_choice``: this one takes the place
        # of English's for the test.
        monkeypatch.setitem(language_module._choice.catalogs, "en", widest)
        yield
        use_language(None)

    @pytest.mark.parametrize("walk", ALL_STATES.values(), ids=ALL_STATES.keys())
    async def test_the_action_shows_without_scrolling(
        self, demo_services: Services, walk: Walk
    ) -> None:
        """Each state, its texts in the widest of the translations: its action is on screen,
        and so is each of the footer's keys, whole."""
        app = make_app(demo_services, "en")
        async with app.run_test(size=(80, 24)) as pilot:
            await walk(pilot)
            await settle(pilot)
            assert_the_action_shows(pilot)
            for footer in app.screen.query(Footer):
                cut = [key for key in footer.children if key.region.right > footer.region.right]
                assert cut == [], f"{type(app.screen).__name__}: {cut} cut off the footer"


class TestSixtyByTwenty:
    @pytest.mark.parametrize("walk", ALL_STATES.values(), ids=ALL_STATES.keys())
    async def test_tab_never_leaves_the_focus_off_screen(
        self, demo_services: Services, walk: Walk
    ) -> None:
        """On the smallest terminal: on arrival and after each Tab round the screen, the
        focused control is wholly on screen, the form scrolled to it; and again with the phone
        panel open (F2), which then takes the bottom of the screen."""
        app = make_app(demo_services)
        async with app.run_test(size=(60, 20)) as pilot:
            await walk(pilot)
            await settle(pilot)
            await tab_round_in_view(pilot)
            panels = app.screen.query(PhonePanel)
            if panels and not panels.first().display:
                await pilot.press("f2")
                await settle(pilot)
                assert panels.first().display
                await tab_round_in_view(pilot)


async def tab_round_in_view(pilot: Pilot[Any]) -> None:
    """The focused control is wholly on screen now and after each Tab round the screen."""
    screen = pilot.app.screen
    for _ in range(len(screen.focus_chain) + 1):
        focused = screen.focused
        assert focused is not None
        assert_in_view(focused)
        await pilot.press("tab")
        await settle(pilot)
