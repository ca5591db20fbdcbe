"""The 16-colour rendering: what a terminal that draws only the 16 ANSI colours shows.

Rich would bring each of the theme's colours down to the nearest of the 16 when it writes them,
and the nearest is not chosen for meaning: the orange of headings and footer keys becomes bright
red, the colour of errors. On such a terminal the app uses the terminal's own colours (Textual's
``:ansi`` styles, which ``app.tcss`` completes for headings, links, keys and errors), and brings
whatever colour is left down to the 16 itself, so that a screenshot shows what the terminal
shows.
"""

from __future__ import annotations

from functools import lru_cache

from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

__all__ = ["SixteenColours"]


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
