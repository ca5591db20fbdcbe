"""F1: the school guide's own text for the current step."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from tui.guide import guide_text
from tui.screens.calm import CalmModalScreen
from tui.widgets.button import InstantButton

__all__ = ["GuideScreen"]


class GuideScreen(CalmModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,f1", "close", "Fermer le guide", id="close-guide"),
    ]

    def __init__(self, step: str) -> None:
        super().__init__()
        self._step = step

    def compose(self) -> ComposeResult:
        with Vertical(id="guide-dialog"):
            yield Label("Le guide de l'établissement", id="guide-title")
            with VerticalScroll(id="guide-text"):
                yield Static(guide_text(self._step), markup=False)
            yield InstantButton("Fermer", id="guide-close", compact=True)

    def on_mount(self) -> None:
        self.query_one("#guide-text").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
