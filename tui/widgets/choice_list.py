"""A radio list whose keyboard highlight starts on the preselected choice."""

from __future__ import annotations

from textual.widgets import RadioSet

__all__ = ["ChoiceList"]


class ChoiceList(RadioSet):
    """``RadioSet`` highlights its first entry even when another one is preselected, so the
    highlight and the dot disagree; here they start together."""

    DEFAULT_CSS = """
    ChoiceList {
        width: 100%;
        border: none;
        background: transparent;
        padding: 0;
    }
    ChoiceList:focus {
        border: none;
    }
    """

    def on_mount(self) -> None:
        for _ in range(max(self.pressed_index, 0)):
            self.action_next_button()
