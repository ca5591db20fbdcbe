"""Screens whose focus moves without repainting the whole terminal."""

from __future__ import annotations

from textual.reactive import Reactive
from textual.widget import Widget

__all__ = ["focus_without_repaint"]


def focus_without_repaint() -> Reactive[Widget | None]:
    """A replacement for ``Screen.focused``, to declare on a ``Screen`` subclass.

    Textual's ``Screen.focused`` is a reactive that repaints the whole screen on every change.
    Declared again under the same name with ``repaint=False``, it still runs the screen's
    private ``_watch_focused`` (which updates the bindings and the focus styles), so only the
    two widgets involved repaint, through their ``:focus`` styles. This relies on that watcher
    doing all of the focus bookkeeping, as it does in the pinned version.
    """
    return Reactive(None, repaint=False)
