"""The app's button: every press acts, and pressing repaints nothing afterwards."""

from __future__ import annotations

from typing import Any, ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Button

__all__ = ["InstantButton"]


class InstantButton(Button):
    """A ``Button`` without Textual's 0.2 s press effect.

    During that effect Textual drops any further press of the button, so a second Enter, or a
    click that follows a quick refusal, did nothing at all; and the effect's end repainted the
    button once more over a slow link for no information.

    Space presses it too, as it does a button anywhere else.
    """

    BINDINGS: ClassVar[list[BindingType]] = [Binding("space", "press", show=False)]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.active_effect_duration = 0
