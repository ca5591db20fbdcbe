"""The application and the one factory that builds it for the CLI, the tests and the servers."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType

from store import StoreError
from tui.drawn import DrawnApp
from tui.language import (
    N_,
    _,
    current_language,
    next_language,
    plain_lines,
    use_language,
)
from tui.loading import PendingServices, until_idle
from tui.navigator import Navigator
from tui.palette import PaletteApp
from tui.screens.base import UNEXPECTED, StepScreen
from tui.screens.guide import GuideScreen
from tui.terminal import GuardedApp, OrderedKeys, install_bilingual_content

if TYPE_CHECKING:
    from services import Services

__all__ = ["REFUSED", "EduConnectApp", "make_app"]

REFUSED = 2
"""Exit code when the data file is refused, as the ``educonnect`` command uses."""

log = logging.getLogger(__name__)


class EduConnectApp(PaletteApp, OrderedKeys, GuardedApp, DrawnApp[None]):
    # The first screen's styles. Every rule read at start-up is parsed before the first frame
    # and checked against every widget styled, so the other screens' styles are read once the
    # first screen is out (``LATER_CSS_PATH``), in the same order, after these.
    CSS_PATH = ["app.tcss", "palette.tcss", "screens/start.tcss"]  # noqa: RUF012
    LATER_CSS_PATH = (
        "screens/registration.tcss",
        "screens/login.tcss",
        "screens/recovery.tcss",
        "screens/account.tcss",
        "screens/franceconnect.tcss",
        "screens/pupil.tcss",
    )
    TITLE = "ÉduConnect"
    # The palette would be one more key in the footer that a parent does not need.
    ENABLE_COMMAND_PALETTE = False
    # Sets `-small` / `-narrow` / `-wide` on each screen: at 80 columns the phone panel needs
    # the room; under 76 it goes under the form.
    HORIZONTAL_BREAKPOINTS = [(0, "-small"), (76, "-narrow"), (110, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        # Only where languages are offered (``offer_languages``): French only, then each
        # language with a compiled catalog (``tui.language``). First of the app's keys, so
        # that the footer shows it however many keys the screen has.
        Binding("f4", "next_language", N_("Langue"), id="language"),
        Binding("f1", "guide", N_("Guide"), id="guide"),
        Binding("f2", "toggle_phone", N_("Téléphone"), id="phone"),
        Binding("ctrl+q", "quit", N_("Quitter"), id="quit", priority=True),
        # Priority, so focus moves before the next keys are handed out: over a slow SSH link
        # "Martin<Tab>Sophie" can arrive in one read, and with Textual's default (non-priority)
        # Tab all of it lands in the first field.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
        # The usual "redraw" key of terminal programs, for a terminal garbled by a noisy link.
        Binding("ctrl+l", "redraw", show=False, id="redraw"),
    ]

    def __init__(self, services: Services | PendingServices, language: str | None = None) -> None:
        """``language``: ``None``, French only and no language key (as before issue 17);
        ``"fr"``, French only with the key and the entry screen's choice; a code of
        ``tui.language.LANGUAGES``, that language under the French from the start."""
        super().__init__()
        install_bilingual_content()
        self.offer_languages = language is not None
        self.show_language(None if language in (None, "fr") else language)
        self.pending = (
            services if isinstance(services, PendingServices) else PendingServices.ready(services)
        )
        self.refused = False
        # Services handed over ready (the tests, the local command): nothing is deferred, so
        # every screen has its styles from the first frame whatever the machine's speed.
        self.later_css_loaded = self.pending.loaded
        if self.later_css_loaded:
            self.css_path = [*self.css_path, *self._later_css_paths()]
        self.phone_panel_visible = False
        # Nothing may move or tick on its own: over SSH every repaint costs bytes.
        self.animation_level = "none"
        self.navigator = Navigator()

    @property
    def services(self) -> Services:
        return self.pending.get()

    def on_mount(self) -> None:
        if self.is_web:
            # The browser's terminal neither reorders nor joins Arabic letters: the app does.
            # Imported here: its libraries take a tenth of a second to import, which only a
            # browser tab needs (the warm parent has them imported already).
            from tui.terminal.right_to_left import show_right_to_left_in_visual_order

            show_right_to_left_in_visual_order()
        # Whatever the terminal shows after a suspension, the app did not write it.
        self.app_suspend_signal.subscribe(self, lambda _app: self.forget_terminal())
        entry = self.navigator.first_screen(self.pending)
        self.push_screen(entry)
        entry.call_after_refresh(lambda: self.run_worker(self.finish_start(), group="start"))

    async def finish_start(self) -> None:
        """What the first screen does without: the other screens' styles, then the services.
        Waits until the first screen is out, which Textual paints two or three times in a row:
        working during those paints would share the interpreter with them and delay it."""
        await until_idle()
        self.load_later_css()
        await self.services_ready()

    def load_later_css(self) -> None:
        if self.later_css_loaded:
            return
        self.later_css_loaded = True
        self.stylesheet.read_all(self._later_css_paths())
        self.stylesheet.parse()
        # They style other screens: the widgets shown keep their styles and are not repainted.
        self.stylesheet.update(self)

    def _later_css_paths(self) -> list[Path]:
        folder = Path(__file__).parent
        return [folder / path for path in self.LATER_CSS_PATH]

    async def services_ready(self) -> bool:
        """Whether the services can be used, once built (in a thread: the screen stays live).
        A data file that is refused ends the app with its French message and exit code 2."""
        if not self.pending.loaded:
            with contextlib.suppress(Exception):
                await asyncio.to_thread(self.pending.get)
        error = self.pending.error
        if error is None:
            return True
        if not self.refused:
            self.refused = True
            if isinstance(error, StoreError):
                message = error.message
            else:
                log.error("the services could not be built", exc_info=error)
                message = _(UNEXPECTED)
            self.exit(return_code=REFUSED, message=Text(plain_lines(message)))
        return False

    async def on_event(self, event: events.Event) -> None:
        # A key or a click that comes before the app is complete (a few tenths of a second
        # after start-up) waits for it, so no screen is shown without its styles and no screen
        # reaches for services that are not there yet; if they cannot be built, the app is
        # ending.
        if isinstance(event, events.InputEvent | events.Paste):
            self.load_later_css()
            if not await self.services_ready():
                return
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("guide", "toggle_phone"):
            return isinstance(self.screen, StepScreen)
        if action == "next_language":
            return self.offer_languages and isinstance(self.screen, StepScreen)
        return True

    def action_next_language(self) -> None:
        self.show_language(next_language(current_language()))
        self.rebuild_steps()

    def show_language(self, code: str | None) -> None:
        """The language under the French from now on (``None``: French only)."""
        use_language(code)
        # Buttons take two lines, the one of their label and the one of its translation.
        self.set_class(code is not None, "-bilingual")

    def rebuild_steps(self) -> None:
        """Every step on the way built again, so that all of it speaks the new language; what
        was typed in their fields is put back (``StepScreen.refill``)."""
        steps = [screen for screen in self.screen_stack if isinstance(screen, StepScreen)]
        if not steps or not all(screen.built_with for screen in steps):
            return
        rebuilt = [self.navigator.rebuild(screen) for screen in steps]
        for _shown in steps[1:]:
            self.pop_screen()
        self.switch_screen(rebuilt[0])
        for screen in rebuilt[1:]:
            self.push_screen(screen)

    def action_guide(self) -> None:
        screen = self.screen
        if isinstance(screen, StepScreen):
            self.push_screen(GuideScreen(screen.GUIDE_STEP))

    def action_toggle_phone(self) -> None:
        self.phone_panel_visible = not self.phone_panel_visible
        screen = self.screen
        if isinstance(screen, StepScreen):
            screen.show_phone_panel(self.phone_panel_visible)

    def action_redraw(self) -> None:
        self.forget_terminal()
        self.screen.refresh()


def make_app(services: Services | PendingServices, language: str | None = None) -> EduConnectApp:
    """The app on services already built (the tests, the ``educonnect`` command) or on services
    it builds itself once its first screen is shown (each SSH session, each browser tab);
    ``language`` as ``EduConnectApp`` takes it (``--langue``)."""
    return EduConnectApp(services, language)
