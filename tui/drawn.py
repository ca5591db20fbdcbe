"""How both apps, the families' and the staff's, write their frames: only the cells that
changed (``tui/mirror.py``), and on a terminal that cannot draw box-drawing and symbol
characters (``TERM=linux``, a locale that is not UTF-8, ``--ascii``: ``tui/glyphs.py``) each of
those as one ASCII character."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from typing import TypeVar

from rich.color import ColorSystem
from textual.geometry import Size
from textual.strip import Strip

from tui.glyphs import ASCII_GLYPHS, python_found_c_locale, wants_ascii
from tui.mirror import TerminalMirror
from tui.terminal import FrameFilterApp

__all__ = ["DrawnApp"]

ReturnType = TypeVar("ReturnType")


class DrawnApp(FrameFilterApp[ReturnType]):
    """An app whose frames go through the terminal mirror, in ASCII where the terminal needs
    it (chosen once, from the environment the app starts in)."""

    def __init__(self) -> None:
        super().__init__()
        self._mirror = TerminalMirror()
        if wants_ascii(os.environ, c_locale_at_start=python_found_c_locale()):
            self.glyph_table = ASCII_GLYPHS

    def forget_terminal(self) -> None:
        """The terminal may show something this app did not write: send the next frame whole."""
        self._mirror.forget()

    def cell_changes(
        self, size: Size, rows: Mapping[int, Iterable[Strip]], color_system: ColorSystem
    ) -> str:
        """Only the cells that differ from what the terminal shows (``tui/mirror.py``)."""
        return self._mirror.changes(size, rows, color_system)

    def terminal_overwritten(self) -> None:
        self._mirror.forget()
