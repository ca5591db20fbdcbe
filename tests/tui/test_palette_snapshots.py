"""Pictures at 80×24 of the entry, step 2, step 6 and a refusal at step 3, on a terminal of 16
colours and with ``NO_COLOR``: headings must not look like errors, errors must say so in words
or with a symbol, and an empty field must show where to type without colour."""

from __future__ import annotations

from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.pilot import (
    RunBefore,
    SnapApp,
    identify,
    open_activation,
    to_authentication,
    to_children_step,
)


async def refused_name(pilot: Pilot[Any]) -> None:
    await open_activation(pilot)
    await identify(pilot, "Martin", "Sophia", "06 12 34 56 78")


SCREENS: dict[str, RunBefore | None] = {
    "entry": None,
    "step_2": to_authentication,
    "step_6": to_children_step,
    "step_3_refused": refused_name,
}

PALETTES = {
    # What a 16-colour terminal announces; ``xterm`` without ``COLORTERM`` says the same to Rich.
    "ansi16": {"TERM": "xterm-16color"},
    "no_color": {"NO_COLOR": "1"},
}


@pytest.mark.parametrize("palette", PALETTES)
@pytest.mark.parametrize("screen", SCREENS)
def test_palette(
    snap_app: SnapApp, monkeypatch: pytest.MonkeyPatch, palette: str, screen: str
) -> None:
    monkeypatch.delenv("COLORTERM", raising=False)
    for variable, value in PALETTES[palette].items():
        monkeypatch.setenv(variable, value)
    assert snap_app(SCREENS[screen])
