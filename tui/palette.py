"""The 16-colour rendering: what a terminal that draws only the 16 ANSI colours shows.

Rich would bring each of the theme's colours down to the nearest of the 16 when it writes them,
and the nearest is not chosen for meaning: the orange of headings and footer keys becomes bright
red, the colour of errors. On such a terminal the app uses the terminal's own colours (Textual's
``:ansi`` styles, which ``palette.tcss`` completes for headings, links, keys and errors), and
brings whatever colour is left down to the 16 itself, so that a screenshot shows what the
terminal shows. ``palette.tcss`` also holds the monochrome (``NO_COLOR``) rendering; both apps,
the families' and the staff's, read it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.app import App
from textual.color import Color
from textual.filter import LineFilter

__all__ = ["PaletteApp", "SixteenColours"]


@lru_cache(1024)
def _sixteen(style: Style) -> Style:
    color, bgcolor = style.color, style.bgcolor
    return style + Style(
        color=None if color is None else color.downgrade(ColorSystem.STANDARD),
        bgcolor=None if bgcolor is None else bgcolor.downgrade(ColorSystem.STANDARD),
    )


class SixteenColours(LineFilter):
    """Every colour as the nearest of the 16 ANSI colours, as Rich writes it on such a terminal."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, None if style is None else _sixteen(style), control)
            for text, style, control in segments
        ]


class PaletteApp(App[None]):
    """An app that draws a terminal of 16 colours (``TERM=linux``, ``xterm-16color``, ``xterm``
    without ``COLORTERM``) as designed for it; ``NO_COLOR`` has Textual's monochrome rendering."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sixteen_colours = not self.no_color and self.console.color_system == "standard"
        self._line_filters: tuple[LineFilter, ...] = ()
        if self.sixteen_colours:
            # ANSI colour names in the styles reach the terminal as they are (``:ansi``).
            self.ansi_color = True
            self._line_filters = (SixteenColours(),)

    def get_line_filters(self) -> Sequence[LineFilter]:
        return [*super().get_line_filters(), *self._line_filters]
