"""The top line of every screen: the service name and a discreet step indicator."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label

from tui.language import beside

__all__ = ["StepHeader"]


class StepHeader(Horizontal):
    DEFAULT_CSS = """
    StepHeader {
        height: 1;
        width: 100%;
        background: $primary;
        color: $text;
        padding: 0 1;
    }
    StepHeader > .header--brand {
        text-style: bold;
        width: 1fr;
        min-width: 12;
    }
    /* A step label longer than the room left (bilingual mode on a small terminal) ends in
       « … » rather than cover the service's name. */
    StepHeader > .header--step {
        width: auto;
        max-width: 1fr;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def __init__(self, step_label: str) -> None:
        super().__init__()
        self._step_label = step_label

    def compose(self) -> ComposeResult:
        yield Label("ÉduConnect", classes="header--brand")
        # One line: the translation beside the French (bilingual mode).
        yield Label(beside(self._step_label), classes="header--step", markup=False)
