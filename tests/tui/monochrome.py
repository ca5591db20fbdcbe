"""The screen as a terminal without colour draws it: characters, reverse video and underline.

Bold is left out (many terminals and fonts draw it like the rest), and so is every colour: what
differs here differs on a monochrome terminal, with ``NO_COLOR`` and for a screen reader.
The screen is read from Textual's compositor, as ``App.export_screenshot`` reads it: Textual
has no public API for the cells themselves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rich.cells import get_character_cell_size
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

Cell = tuple[str, bool, bool]
"""A character, whether it is in reverse video, whether it is underlined."""


def cells(pilot: Pilot[Any]) -> list[list[Cell]]:
    app = pilot.app
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    rows: list[Iterable[Strip]] = update.strips  # type: ignore[union-attr]
    return [_row(row) for row in rows]


def _row(strips: Iterable[Strip]) -> list[Cell]:
    row: list[Cell] = []
    for text, style, _ in (segment for strip in strips for segment in strip):
        reverse = bool(style and style.reverse)
        underline = bool(style and style.underline)
        for character in text:
            row.append((character, reverse, underline))
            row.extend([("", reverse, underline)] * (get_character_cell_size(character) - 1))
    return row


def region_of(pilot: Pilot[Any], region: Region) -> list[list[Cell]]:
    return cut(cells(pilot), region)


def cut(screen: list[list[Cell]], region: Region) -> list[list[Cell]]:
    return [row[region.x : region.right] for row in screen[region.y : region.bottom]]


def drawn(widget: Widget, pilot: Pilot[Any]) -> list[list[Cell]]:
    """The cells of the part of ``widget`` that is on screen."""
    return region_of(pilot, widget.region)


def readable(block: list[list[Cell]]) -> str:
    """Reverse video between ⟦ ⟧ and underline between ⟪ ⟫, for assertion messages."""
    lines = []
    for row in block:
        line, state = "", (False, False)
        for character, reverse, underline in row:
            if (reverse, underline) != state:
                line += ("⟧" if state[0] else "") + ("⟫" if state[1] else "")
                line += ("⟦" if reverse else "") + ("⟪" if underline else "")
                state = (reverse, underline)
            line += character
        lines.append(line + ("⟧" if state[0] else "") + ("⟫" if state[1] else ""))
    return "\n".join(lines)


async def tab_round(
    pilot: Pilot[Any],
    settle: Callable[[Pilot[Any]], Awaitable[None]],
    landed: Callable[[Widget], None] | None = None,
) -> None:
    """Tab round every control of the screen: each one it lands on is drawn differently
    (reverse video, underline, a marker) from the way it was drawn unfocused, colour aside.

    ``landed`` checks each control as Tab leaves it, before this brings it into view to
    compare its drawings (the layout tests ask that the form scrolled to it by itself)."""
    app = pilot.app
    await settle(pilot)
    chain = app.screen.focus_chain
    assert chain, "a screen with nothing to Tab to"
    app.screen.set_focus(None)
    await settle(pilot)
    for _ in chain:
        screen = cells(pilot)
        unfocused = {id(widget): cut(screen, widget.region) for widget in chain}
        await pilot.press("tab")
        await settle(pilot)
        focused = app.screen.focused
        assert focused is not None
        if landed is not None:
            landed(focused)
        focused.scroll_visible(immediate=True)
        await settle(pilot)
        before, after = unfocused[id(focused)], drawn(focused, pilot)
        assert after != before, (
            f"Tab onto {focused!r} changes nothing without colour:\n{readable(after)}"
        )
