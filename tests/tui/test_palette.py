"""The 16-colour and monochrome renderings, cell by cell: what the pictures of
``test_palette_snapshots`` show, asserted where a picture could hide it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest
from rich.color import ColorType
from textual.geometry import Region
from textual.pilot import Pilot
from textual.strip import Strip
from textual.widget import Widget

from tests.tui.monochrome import drawn, readable, tab_round
from tests.tui.pilot import (
    SIZE,
    log_in,
    settle,
    to_authentication,
    to_children_step,
    to_code_step,
)
from tests.tui.walks import Walk, stay
from tui.app import EduConnectApp
from tui.widgets.field import TextField

PALETTES = {"no_color": {"NO_COLOR": "1"}, "ansi16": {"TERM": "xterm-16color"}}


def use_palette(monkeypatch: pytest.MonkeyPatch, palette: dict[str, str]) -> None:
    monkeypatch.delenv("COLORTERM", raising=False)
    for variable, value in palette.items():
        monkeypatch.setenv(variable, value)


def text(row: list[tuple[str, bool, bool]]) -> str:
    return "".join(character for character, _, _ in row)


@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
async def test_fields_show_where_to_type_without_colour(
    monkeypatch: pytest.MonkeyPatch,
    app_factory: Callable[[], EduConnectApp],
    palette: dict[str, str],
) -> None:
    """With no colour (or colours the terminal may not draw) a field's background says
    nothing: an empty field is a row of « _ », a filled one is underlined to its end, and the
    focused one shows its cursor in reverse video."""
    use_palette(monkeypatch, palette)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await to_authentication(pilot)
        identifiant = app.screen.query_one("#identifiant", TextField)
        password = app.screen.query_one("#password", TextField)
        assert identifiant.input.has_focus
        [row] = drawn(password.input, pilot)
        assert set(text(row)) == {"_"}, readable([row])
        [row] = drawn(identifiant.input, pilot)
        assert row[0][1], readable([row])

        await pilot.press(*"s.martin", "tab")
        await pilot.pause()
        assert password.input.has_focus
        [row] = drawn(identifiant.input, pilot)
        assert text(row).rstrip() == "s.martin", readable([row])
        assert all(underline for _, _, underline in row), readable([row])


@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
async def test_a_placeholder_reads_as_written_before_the_row_of_underscores(
    monkeypatch: pytest.MonkeyPatch,
    app_factory: Callable[[], EduConnectApp],
    palette: dict[str, str],
) -> None:
    """The « _ » of an empty field fill what the placeholder leaves, not the spaces between
    its words: « 6 lettres », not « 6_lettres »; the placeholder itself is underlined."""
    use_palette(monkeypatch, palette)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await to_code_step(pilot)
        code = app.screen.query_one("#code", TextField)
        code.input.blur()
        await settle(pilot)
        [row] = drawn(code.input, pilot)
        placeholder = "6 lettres"
        assert text(row) == placeholder.ljust(len(row), "_"), readable([row])
        assert all(underline for _, _, underline in row[: len(placeholder)]), readable([row])


RED = {1, 9}
"""The two reds of the 16 ANSI colours."""


def colours(pilot: Pilot[Any], widget: Widget) -> set[int]:
    """The ANSI colour numbers of the printed characters of ``widget`` as the terminal gets
    them (every colour is one of the 16, or the terminal's default, which has none)."""
    app = pilot.app
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    rows: list[Iterable[Strip]] = update.strips  # type: ignore[union-attr]
    region: Region = widget.region
    found: set[int] = set()
    for y in range(region.y, region.bottom):
        x = 0
        for text, style, _ in (segment for strip in rows[y] for segment in strip):
            for character in text:
                inside = region.x <= x < region.right
                if inside and not character.isspace() and style and style.color:
                    color = style.color
                    assert color.type in (ColorType.STANDARD, ColorType.DEFAULT), color
                    if color.number is not None:
                        found.add(color.number)
                x += 1
    return found


async def test_in_16_colours_only_errors_are_red(
    monkeypatch: pytest.MonkeyPatch, app_factory: Callable[[], EduConnectApp]
) -> None:
    """Rich brings the theme's orange to bright red: headings and footer keys looked like the
    errors. In 16 colours they take colours of their own, and errors are red."""
    monkeypatch.setenv("TERM", "xterm-16color")
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await to_authentication(pilot)
        screen = app.screen
        for widget in [*screen.query(".title"), *screen.query("FooterKey")]:
            assert colours(pilot, widget).isdisjoint(RED), widget
        await log_in(pilot, "s.martin", "Tournesol-43!")
        message = screen.query_one("#login-message")
        assert colours(pilot, message) == {9}


@pytest.mark.parametrize("palette", PALETTES.values(), ids=PALETTES.keys())
@pytest.mark.parametrize("walk", [stay, to_authentication, to_children_step])
async def test_every_tab_shows_where_the_focus_went(
    monkeypatch: pytest.MonkeyPatch,
    app_factory: Callable[[], EduConnectApp],
    palette: dict[str, str],
    walk: Walk,
) -> None:
    """The keyboard walk of ``test_keyboard``, in these renderings: the focus is drawn in
    reverse video there too, not left to a colour."""
    use_palette(monkeypatch, palette)
    app = app_factory()
    async with app.run_test(size=SIZE) as pilot:
        await walk(pilot)
        await tab_round(pilot, settle)
