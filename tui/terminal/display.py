"""A hook between Textual composing a frame and writing it to the terminal."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar, cast

from rich.color import ColorSystem
from rich.console import RenderableType
from rich.segment import Segment
from textual._compositor import CompositorUpdate
from textual.app import App
from textual.geometry import Size
from textual.screen import Screen
from textual.strip import Strip

from tui.terminal.frames import CellUpdate, rendered_rows, screen_size

__all__ = ["FrameFilterApp"]

ReturnType = TypeVar("ReturnType")


class FrameFilterApp(App[ReturnType]):
    """An ``App`` that decides which terminal sequences each frame of cells becomes.

    Textual has no public hook there: every frame goes through the private ``App._display``,
    overridden here, and the conditions under which it really writes are private state of the
    app and of its driver. Subclasses say what to send (``cell_changes``) and learn when
    Textual wrote something else (``terminal_overwritten``).
    """

    # Characters replaced in every frame (``str.translate``), for terminals that cannot draw
    # them (``tui.glyphs``); ``None``: none.
    glyph_table: Mapping[int, str] | None = None

    def cell_changes(
        self, size: Size, rows: Mapping[int, Iterable[Strip]], color_system: ColorSystem
    ) -> str:
        """The terminal sequences to send for a frame of ``size`` whose ``rows`` (each from
        column 0) are what the terminal must now show; rows not in it are unchanged."""
        raise NotImplementedError

    def terminal_overwritten(self) -> None:
        """Textual is about to write something that is not a frame of cells."""

    def _display(self, screen: Screen[object], renderable: RenderableType | None) -> None:
        if renderable is None or not self._writes_to_terminal():
            super()._display(screen, renderable)
            return
        if not isinstance(renderable, CellUpdate):
            self.terminal_overwritten()
            super()._display(screen, renderable)
            return
        rows = rendered_rows(screen, renderable, self._background_screens)
        if self.glyph_table is not None:
            table = self.glyph_table
            rows = {
                y: [_translated(strip, table) for strip in strips] for y, strips in rows.items()
            }
        changes = self.cell_changes(
            screen_size(screen),
            rows,
            # Rich's public ``Console.color_system`` is a name; rendering needs the enum.
            self.console._color_system or ColorSystem.TRUECOLOR,
        )
        # Textual moves the cursor after every frame; with nothing to change and the cursor
        # where Textual last put it, there is nothing to send at all.
        cursor = self.screen.outer_size.clamp_offset(self.cursor_position)
        if not changes and cursor == self._previous_cursor_position:
            return
        # Textual only calls render_segments on a CompositorUpdate, never rich's protocol.
        super()._display(screen, cast("RenderableType", _Sequences(changes)))

    def _writes_to_terminal(self) -> bool:
        """The conditions under which Textual's ``_display`` really writes a frame."""
        driver = self._driver
        return (
            self._running
            and not self._closed
            and not self._batch_count
            and driver is not None
            and not driver.is_headless
            and not driver.is_inline
        )


def _translated(strip: Strip, table: Mapping[int, str]) -> Strip:
    """The strip with its characters replaced one for one (same widths: nothing moves)."""
    return Strip(
        [Segment(text.translate(table), style, control) for text, style, control in strip],
        strip.cell_length,
    )


class _Sequences(CompositorUpdate):
    """Terminal sequences written as they are, where Textual expects a compositor update."""

    def __init__(self, sequences: str) -> None:
        self.sequences = sequences

    def render_segments(self, console: object) -> str:
        return self.sequences
