"""Pictures of the autoplay demo at 80×24: a step with its caption line, which must leave the
step's action on screen, and the footer with the demo's keys."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot

from services import Services
from tests.tui.autoplay_pilot import (
    HeldClock,
    advance_until,
    autoplay_app,
    caption_text,
    quiet,
    typed,
)
from tests.tui.pilot import SIZE
from tui.autoplay.app import AutoplayApp
from tui.journey import Step


def test_step_5_reads_the_code_on_the_phone(snap_compare: Any, demo_services: Services) -> None:
    """The code step, the phone open beside it with the SMS, and the caption saying what
    happens: « Continuer » stays in sight above the caption."""
    clock = HeldClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AutoplayApp)
        await advance_until(
            pilot, clock, lambda: caption_text(app).startswith("▶ Je saisis le code")
        )
        await quiet(pilot)

    assert snap_compare(
        autoplay_app(demo_services, sleep=clock.sleep), run_before=run_before, terminal_size=SIZE
    )


def test_step_6_paused(snap_compare: Any, demo_services: Services) -> None:
    """Space pressed while the demo types a date of birth: « En pause », « Confirmer » in
    sight, the demo's keys in the footer."""
    clock = HeldClock()

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, AutoplayApp)
        await advance_until(
            pilot,
            clock,
            lambda: typed(app, Step.CHILDREN, "naissance-0") == "05/09",
        )
        await pilot.press("space")
        await quiet(pilot)

    assert snap_compare(
        autoplay_app(demo_services, sleep=clock.sleep), run_before=run_before, terminal_size=SIZE
    )
