"""Screens that do not repaint the whole terminal when the focus moves.

Textual's ``Screen.focused`` is a reactive that repaints the entire screen on every change, so
each Tab costs a full 80×24 frame (≈ 3–5 KB) although only the two widgets involved change (they
repaint themselves through their ``:focus`` styles). Over a slow SSH link that is most of what a
form sends. Every screen of the families' app derives from one of these.
"""

from __future__ import annotations

from typing import TypeVar

from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget

from tui.terminal import focus_without_repaint

__all__ = ["CalmModalScreen", "CalmScreen"]

ResultType = TypeVar("ResultType")


class CalmScreen(Screen[ResultType]):
    focused: Reactive[Widget | None] = focus_without_repaint()


class CalmModalScreen(ModalScreen[ResultType]):
    focused: Reactive[Widget | None] = focus_without_repaint()
