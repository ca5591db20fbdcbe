"""The frames Textual's compositor produces, read cell by cell for the terminal mirror
(``tui/mirror.py``). Textual has no public API for any of this: the update classes live in
``textual._compositor`` and a screen's compositor is ``Screen._compositor``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from rich.color import ColorSystem
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual._context import visible_screen_stack
from textual.geometry import Region, Size
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.screen import Screen

__all__ = ["CellUpdate", "rendered_rows", "screen_size", "sgr_and_link"]

CellUpdate = LayoutUpdate | ChopsUpdate
"""The frames made of cells: a whole screen laid out again, or the changed spans of some rows.
Textual writes other renderables too (a screenshot, a clear), which the mirror cannot follow."""


def screen_size(screen: Screen[object]) -> Size:
    """The size the screen's frames are composed at (the terminal's, once it is shown)."""
    return screen._compositor.size


def rendered_rows(
    screen: Screen[object],
    update: CellUpdate,
    background_screens: list[Screen[object]],
) -> dict[int, Iterable[Strip]]:
    """The whole rows an update touches, as the screen's compositor now renders them: each row
    maps to the strips that fill it from column 0, left to right.

    A partial update carries only the changed spans of its rows, so those rows are rendered
    again (cheap: widgets keep their rendered lines) with ``Compositor._render_chops``, as
    Textual does; the screens beneath a modal come from the ``visible_screen_stack`` context
    variable, which Textual sets only while it composes a frame: set it the same way.
    """
    if isinstance(update, LayoutUpdate):
        return dict(enumerate(update.strips, update.region.y))
    rows = {y for y, _, _ in update.spans}
    if not rows:
        return {}
    compositor = screen._compositor
    top, bottom = min(rows), max(rows)
    visible_screen_stack.set(background_screens)
    chops = compositor._render_chops(
        Region(0, top, compositor.size.width, bottom - top + 1), rows.__contains__
    )
    return {y: [strip for strip in chops[y].values() if strip is not None] for y in rows}


def sgr_and_link(style: Style, color_system: ColorSystem) -> tuple[str, str]:
    """The SGR parameters of a segment's style and its OSC 8 hyperlink parameters ("" for none),
    exactly as Textual writes them.

    Textual writes rich's cached ``Style._ansi`` when rich has already computed it (for
    whichever colour system) and its own cached rendering otherwise; rich has no public way to
    read that cache, and the mirror must send the very bytes Textual would.
    """
    sgr = style._ansi if style._ansi is not None else Strip.render_ansi(style, color_system)
    link = f"id={style.link_id};{style.link}" if style.link else ""
    return sgr, link
