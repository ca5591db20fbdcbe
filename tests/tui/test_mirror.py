"""The terminal mirror: frames become only the cells that changed, and a terminal fed those
changes shows exactly what it would show had every frame been sent whole.

The reference is Textual's own whole-frame output (``LayoutUpdate.render_segments``) played
into a VT100 emulator (pyte); the mirror's output is played into another one, and their cells
(characters, colours, attributes) are compared.
"""

from __future__ import annotations

from collections.abc import Sequence

import pyte
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import LayoutUpdate
from textual.geometry import Size
from textual.strip import Strip

from tui.mirror import TerminalMirror

WIDTH, HEIGHT = 12, 3
SIZE = Size(WIDTH, HEIGHT)
TRUECOLOR = ColorSystem.TRUECOLOR
STYLES = [
    None,
    Style(color="#ff0000"),
    Style(color="#ffffff", bgcolor="#0000aa", bold=True),
    Style(bgcolor="#00aa00", underline=True),
]

Row = list[tuple[str, Style | None]]


def frame(*rows: Row) -> dict[int, list[Strip]]:
    return {y: [Strip([Segment(text, style) for text, style in row])] for y, row in enumerate(rows)}


def plain(*texts: str) -> dict[int, list[Strip]]:
    rows: list[Row] = [[(text.ljust(WIDTH), None)] for text in texts]
    return frame(*rows)


def terminal(size: Size = SIZE) -> tuple[pyte.Screen, pyte.Stream]:
    screen = pyte.Screen(size.width, size.height)
    return screen, pyte.Stream(screen)


def cells(screen: pyte.Screen) -> list[list[pyte.screens.Char]]:
    return [[screen.buffer[y][x] for x in range(screen.columns)] for y in range(screen.lines)]


def whole_frame(lines: dict[int, list[Strip]], size: Size = SIZE) -> pyte.Screen:
    """What the terminal shows when Textual sends the frame whole."""
    screen, stream = terminal(size)
    update = LayoutUpdate([lines[y] for y in range(size.height)], size.region)
    console = Console(color_system="truecolor", force_terminal=True, width=size.width)
    stream.feed(update.render_segments(console))
    return screen


class TestOnlyWhatChangedIsSent:
    def test_the_first_frame_is_sent_whole(self) -> None:
        """Nothing is known of the terminal at first: every row is written."""
        screen, stream = terminal()
        stream.feed(
            TerminalMirror().changes(SIZE, plain("Bonjour", "ÉduConnect", "Fin"), TRUECOLOR)
        )
        assert screen.display == ["Bonjour     ", "ÉduConnect  ", "Fin         "]

    def test_the_same_frame_again_sends_nothing(self) -> None:
        """Textual repaints a screen several times when it appears; repeats cost no byte."""
        mirror = TerminalMirror()
        mirror.changes(SIZE, plain("Bonjour", "ÉduConnect", "Fin"), TRUECOLOR)
        assert mirror.changes(SIZE, plain("Bonjour", "ÉduConnect", "Fin"), TRUECOLOR) == ""

    def test_one_changed_word_sends_that_word_and_no_other_row(self) -> None:
        """Going from one step to the next, the header and footer rows cost nothing."""
        mirror = TerminalMirror()
        screen, stream = terminal()
        stream.feed(mirror.changes(SIZE, plain("Étape 3", "ÉduConnect", "Fin"), TRUECOLOR))
        changes = mirror.changes(SIZE, plain("Étape 4", "ÉduConnect", "Fin"), TRUECOLOR)
        stream.feed(changes)
        assert screen.display == ["Étape 4     ", "ÉduConnect  ", "Fin         "]
        assert "4" in changes
        assert "Étape" not in changes
        assert "ÉduConnect" not in changes

    def test_a_colour_change_alone_is_sent(self) -> None:
        """A button that takes the focus changes colour, not text: it is still redrawn."""
        mirror = TerminalMirror()
        screen, stream = terminal()
        stream.feed(mirror.changes(SIZE, frame([("Valider".ljust(WIDTH), STYLES[1])]), TRUECOLOR))
        stream.feed(mirror.changes(SIZE, frame([("Valider".ljust(WIDTH), STYLES[2])]), TRUECOLOR))
        assert screen.buffer[0][0].fg == "ffffff"
        assert screen.buffer[0][0].bg == "0000aa"
        assert screen.buffer[0][0].bold

    def test_attributes_are_reset_after_the_changes(self) -> None:
        """Textual writes its own sequences after a frame and expects plain attributes."""
        mirror = TerminalMirror()
        changes = mirror.changes(SIZE, frame([("Gras".ljust(WIDTH), STYLES[2])]), TRUECOLOR)
        assert changes.endswith("\x1b[0m")

    def test_forgetting_sends_the_next_frame_whole(self) -> None:
        """After Ctrl+L or a suspension the terminal may show anything: all is written again."""
        mirror = TerminalMirror()
        mirror.changes(SIZE, plain("Bonjour", "ÉduConnect", "Fin"), TRUECOLOR)
        mirror.forget()
        screen, stream = terminal()
        stream.feed(mirror.changes(SIZE, plain("Bonjour", "ÉduConnect", "Fin"), TRUECOLOR))
        assert screen.display == ["Bonjour     ", "ÉduConnect  ", "Fin         "]

    def test_a_new_size_sends_the_next_frame_whole(self) -> None:
        """A resized window has been reflowed by the terminal: nothing of it is trusted."""
        mirror = TerminalMirror()
        mirror.changes(SIZE, plain("Bonjour", "ÉduConnect", "Fin"), TRUECOLOR)
        wider = Size(WIDTH + 2, HEIGHT)
        screen, stream = terminal(wider)
        rows: list[Row] = [[(text.ljust(WIDTH + 2), None)] for text in ("Bonjour", "Édu", "Fin")]
        lines = frame(*rows)
        stream.feed(mirror.changes(wider, lines, TRUECOLOR))
        assert screen.display == ["Bonjour       ", "Édu           ", "Fin           "]

    def test_a_change_beside_a_double_width_character_rewrites_the_whole_character(
        self,
    ) -> None:
        """Writing into the right half of a wide character would leave half a glyph."""
        mirror = TerminalMirror()
        screen, stream = terminal()
        stream.feed(mirror.changes(SIZE, plain("ab漢字cd", "", ""), TRUECOLOR))
        stream.feed(mirror.changes(SIZE, plain("ab漢x cd", "", ""), TRUECOLOR))
        assert screen.display[0].startswith("ab漢x cd")


class TestTheTerminalShowsTheLastFrame:
    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(
            st.lists(
                st.lists(
                    st.tuples(
                        st.text(alphabet="ab éÉ✓漢", min_size=1, max_size=4),
                        st.sampled_from(range(len(STYLES))),
                    ),
                    max_size=4,
                ),
                min_size=HEIGHT,
                max_size=HEIGHT,
            ),
            min_size=1,
            max_size=5,
        )
    )
    def test_any_sequence_of_frames_ends_as_the_last_frame_sent_whole(
        self, frames: Sequence[Sequence[Sequence[tuple[str, int]]]]
    ) -> None:
        """Whatever frames came before, the cells on the terminal (characters, colours,
        attributes) are those of the last frame, as if Textual had sent it whole."""
        mirror = TerminalMirror()
        screen, stream = terminal()
        lines: dict[int, list[Strip]] = {}
        for rows in frames:
            lines = {y: [_fitted(row)] for y, row in enumerate(rows)}
            stream.feed(mirror.changes(SIZE, lines, TRUECOLOR))
        assert cells(screen) == cells(whole_frame(lines))


def _fitted(row: Sequence[tuple[str, int]]) -> Strip:
    """A row exactly as wide as the terminal, as the compositor always gives."""
    strip = Strip([Segment(text, STYLES[index]) for text, index in row])
    return strip.crop_pad(strip.cell_length, 0, max(0, WIDTH - strip.cell_length), Style()).crop(
        0, WIDTH
    )
