"""F1: the school guide's own text for the current step."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from tui.guide import guide_text
from tui.language import N_, _
from tui.screens.calm import CalmModalScreen
from tui.widgets.button import InstantButton

__all__ = ["GuideScreen"]


class GuideText(VerticalScroll, can_focus=False):
    """Scrolled by the dialog's keys: a Tab stop of its own would be a focus nobody can see."""


class GuideScreen(CalmModalScreen[None]):
    """« Fermer » has the focus, so Enter closes; the arrows and the page keys scroll the text."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "close", N_("Fermer le guide"), id="close-guide"),
        Binding("up", "scroll_text('up')", show=False),
        Binding("down", "scroll_text('down')", show=False),
        Binding("pageup", "scroll_text('page_up')", show=False),
        Binding("pagedown", "scroll_text('page_down')", show=False),
        Binding("home", "scroll_text('home')", show=False),
        Binding("end", "scroll_text('end')", show=False),
    ]

    def __init__(self, step: str) -> None:
        super().__init__()
        self._step = step

    def compose(self) -> ComposeResult:
        with Vertical(id="guide-dialog"):
            yield Label(_("Le guide de l'établissement"), id="guide-title")
            with GuideText(id="guide-text"):
                yield Static(guide_text(self._step), markup=False)
            yield InstantButton(_("Fermer"), id="guide-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#guide-close").focus()

    def action_scroll_text(self, how: str) -> None:
        text = self.query_one(GuideText)
        moves = {
            "up": text.scroll_up,
            "down": text.scroll_down,
            "page_up": text.scroll_page_up,
            "page_down": text.scroll_page_down,
            "home": text.scroll_home,
            "end": text.scroll_end,
        }
        moves[how](animate=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
