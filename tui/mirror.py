"""What the terminal shows, cell by cell, so that each frame sends only the cells that changed.

Textual repaints the whole terminal whenever a screen is pushed, popped or laid out again:
three or four complete 80×24 frames (≈ 4 KB each) per step of the guide, although most of the
screen (header, footer, phone panel, the unchanged half of a form) is the same from one frame
to the next. On a 9.6 kbit/s link that is seconds of waiting per step. The app keeps a mirror
of the cells it has written and turns every frame, whole or partial, into the few runs of cells
that really differ.

The mirror only knows what this app wrote. Whenever the terminal may show something else (a
resize, a redraw asked for with Ctrl+L, anything written outside the compositor) it is
forgotten and the next frame is sent whole.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import repeat

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from textual.geometry import Size
from textual.strip import Strip

from tui.terminal import sgr_and_link

__all__ = ["Cell", "TerminalMirror"]

Cell = tuple[str, str, str]
"""The text of one cell, its SGR parameters ("" for none) and its hyperlink ("" for none).

The second half of a double-width character is a cell whose text is empty."""

RESET = "\x1b[0m"
BRIDGE = 8
"""Unchanged cells between two changes that are sent again rather than jumped over: a cursor
move costs up to eight bytes, an unchanged plain cell one."""


class TerminalMirror:
    """The cells on the terminal, as last written by the app."""

    def __init__(self) -> None:
        self._size = Size(0, 0)
        self._rows: list[list[Cell] | None] = []

    def forget(self) -> None:
        """The terminal may show anything now: the next frame is sent whole."""
        self._rows = [None] * self._size.height

    def changes(
        self,
        size: Size,
        lines: Mapping[int, Iterable[Strip]],
        color_system: ColorSystem,
    ) -> str:
        """The terminal sequences that turn what the terminal shows into ``lines``.

        ``lines`` maps a row to the strips that fill it from column 0, left to right; rows
        not in it are unchanged. The mirror then holds the new rows.
        """
        if size != self._size:
            self._size = size
            self._rows = [None] * size.height
        output: list[str] = []
        state = _Pen(output)
        for y in sorted(lines):
            if not 0 <= y < size.height:
                continue
            new = _cells(lines[y], color_system)
            old = self._rows[y]
            self._rows[y] = new
            for start, end in _changed_runs(old, new):
                state.move_to(start, y)
                state.write(new[start:end])
        state.finish()
        return "".join(output)


class _Pen:
    """Writes runs of cells, switching SGR attributes only where they change."""

    def __init__(self, output: list[str]) -> None:
        self._output = output
        self._sgr = ""

    def move_to(self, x: int, y: int) -> None:
        self._output.append(f"\x1b[{y + 1};{x + 1}H")

    def write(self, cells: list[Cell]) -> None:
        append = self._output.append
        for text, sgr, link in cells:
            if sgr != self._sgr:
                append(f"\x1b[0;{sgr}m" if sgr else RESET)
                self._sgr = sgr
            append(f"\x1b]8;{link}\x1b\\{text}\x1b]8;;\x1b\\" if link and text else text)

    def finish(self) -> None:
        """Leave the terminal's attributes as Textual expects to find them: reset."""
        if self._sgr:
            self._output.append(RESET)
            self._sgr = ""


def _cells(strips: Iterable[Strip], color_system: ColorSystem) -> list[Cell]:
    cells: list[Cell] = []
    extend, append = cells.extend, cells.append
    for strip in strips:
        for text, style, control in strip:
            if control or not text:
                continue
            sgr, link = ("", "") if style is None else sgr_and_link(style, color_system)
            if text.isascii():
                extend(zip(text, repeat(sgr), repeat(link)))
                continue
            for character in text:
                width = get_character_cell_size(character)
                if width == 0 and cells:
                    previous, previous_sgr, previous_link = cells[-1]
                    cells[-1] = (previous + character, previous_sgr, previous_link)
                    continue
                append((character, sgr, link))
                if width == 2:
                    append(("", sgr, link))
    return cells


def _changed_runs(old: list[Cell] | None, new: list[Cell]) -> list[tuple[int, int]]:
    """The ``[start, end)`` column ranges of ``new`` to write so the row shows ``new``.

    A double-width character needs no care: its right half is a cell of its own with the
    same style, so a run can neither start there (the left half would differ too) nor lose
    it (writing the left half draws both)."""
    if old is None or len(old) != len(new):
        return [(0, len(new))] if new else []
    runs: list[tuple[int, int]] = []
    start = end = -1
    for x, (before, after) in enumerate(zip(old, new, strict=True)):
        if before == after:
            continue
        if start >= 0 and x - end <= BRIDGE:
            end = x + 1
            continue
        if start >= 0:
            runs.append((start, end))
        start, end = x, x + 1
    if start >= 0:
        runs.append((start, end))
    return runs
