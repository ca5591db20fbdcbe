"""The application and the one factory that builds it for the CLI, the tests and the servers."""

from __future__ import annotations

from typing import ClassVar, cast

from rich.color import ColorSystem
from rich.console import RenderableType
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.app import App
from textual.binding import Binding, BindingType
from textual.screen import Screen

from services import Services
from tui.flow import Flow
from tui.mirror import TerminalMirror, rendered_lines
from tui.screens.base import StepScreen
from tui.screens.guide import GuideScreen

__all__ = ["EduConnectApp", "make_app"]


class EduConnectApp(App[None]):
    CSS_PATH = [  # noqa: RUF012
        "app.tcss",
        "screens/start.tcss",
        "screens/registration.tcss",
        "screens/login.tcss",
        "screens/recovery.tcss",
        "screens/account.tcss",
        "screens/franceconnect.tcss",
        "screens/pupil.tcss",
    ]
    TITLE = "ÉduConnect"
    # The palette would be one more key in the footer that a parent does not need.
    ENABLE_COMMAND_PALETTE = False
    # Sets `-narrow` / `-wide` on each screen: at 80 columns the phone panel needs the room.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "guide", "Guide", id="guide"),
        Binding("f2", "toggle_phone", "Téléphone", id="phone"),
        Binding("ctrl+q", "quit", "Quitter", id="quit", priority=True),
        # Priority, so focus moves before the next keys are handed out: over a slow SSH link
        # "Martin<Tab>Sophie" can arrive in one read, and with Textual's default (non-priority)
        # Tab all of it lands in the first field.
        Binding("tab", "app.focus_next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", show=False, priority=True),
        # The usual "redraw" key of terminal programs, for a terminal garbled by a noisy link.
        Binding("ctrl+l", "redraw", show=False, id="redraw"),
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.phone_panel_visible = False
        # Nothing may move or tick on its own: over SSH every repaint costs bytes.
        self.animation_level = "none"
        self._mirror = TerminalMirror()

    def on_mount(self) -> None:
        from tui.screens.start import EntryScreen

        # Whatever the terminal shows after a suspension, the app did not write it.
        self.app_suspend_signal.subscribe(self, lambda _app: self._mirror.forget())
        self.push_screen(EntryScreen(self.services, Flow()))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("guide", "toggle_phone"):
            return isinstance(self.screen, StepScreen)
        return True

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
        self._mirror.forget()
        self.screen.refresh()

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        """Write only the cells that differ from what the terminal shows (``tui/mirror.py``)."""
        if renderable is None or not self._writes_to_terminal():
            super()._display(screen, renderable)
            return
        if not isinstance(renderable, (LayoutUpdate, ChopsUpdate)):
            self._mirror.forget()
            super()._display(screen, renderable)
            return
        color_system = self.console._color_system or ColorSystem.TRUECOLOR
        changes = self._mirror.changes(
            screen._compositor.size,
            rendered_lines(screen, renderable, self._background_screens),
            color_system,
        )
        cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
        if not changes and cursor == self._previous_cursor_position:
            return
        # Textual only calls render_segments on a CompositorUpdate, never rich's protocol.
        super()._display(screen, cast("RenderableType", _Changes(changes)))

    def _writes_to_terminal(self) -> bool:
        """The conditions under which Textual's ``_display`` really writes a frame."""
        driver = self._driver
        return (
            self._running
            and not self._closed
            and not self._batch_count
            and driver is not None
            and not driver.is_headless
            and not driver.is_inline
        )


class _Changes(CompositorUpdate):
    def __init__(self, sequences: str) -> None:
        self.sequences = sequences

    def render_segments(self, console: object) -> str:
        return self.sequences


def make_app(services: Services) -> EduConnectApp:
    return EduConnectApp(services)
