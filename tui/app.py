"""The application and the one factory that builds it for the CLI, the tests and the servers."""

from __future__ import annotations

from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType

from services import Services
from tui.flow import Flow
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
    ]

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.phone_panel_visible = False
        # Nothing may move or tick on its own: over SSH every repaint costs bytes.
        self.animation_level = "none"

    def on_mount(self) -> None:
        from tui.screens.start import EntryScreen

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


def make_app(services: Services) -> EduConnectApp:
    return EduConnectApp(services)
