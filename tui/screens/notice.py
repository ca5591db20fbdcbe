"""A short message in a dialog, closed by Enter or Escape."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from tui.language import N_, _
from tui.screens.calm import CalmModalScreen
from tui.widgets.button import InstantButton

__all__ = ["NoticeScreen"]


class NoticeScreen(CalmModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", N_("Fermer"), id="close-notice"),
    ]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self._title = title
        self._text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="notice-dialog"):
            yield Label(Content(self._title), id="notice-title")
            yield Static(Content(self._text), id="notice-text")
            yield InstantButton(_("Fermer"), id="notice-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#notice-close").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
