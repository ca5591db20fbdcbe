"""The navigator (`tui/navigator.py`): each step of the journey table has its screen, built
with what the outcome that leads there carries."""

from __future__ import annotations

import inspect
from dataclasses import fields
from typing import cast

import pytest

from tui.headings import GUIDE_STEP_COUNT, HEADINGS
from tui.journey import JOURNEY, BackTo, Outcome, Step
from tui.navigator import SCREENS, screen_class
from tui.screens.base import StepScreen


class TestEveryStepHasItsScreen:
    @pytest.mark.parametrize("step", list(Step))
    def test_the_screen_of_a_step_says_it_is_that_step(self, step: Step) -> None:
        """The class the navigator builds for a step carries that step, so ending it looks
        up the right row of the table."""
        assert step in SCREENS
        assert screen_class(step).STEP is step  # type: ignore[attr-defined]

    @pytest.mark.parametrize("step", list(HEADINGS))
    def test_a_screen_is_named_as_the_journey_names_its_step(self, step: Step) -> None:
        """The line mode writes the heading of the journey table: the screen's label top
        right and its F1 text say the same."""
        heading = HEADINGS[step]
        screen = cast("type[StepScreen]", screen_class(step))
        label = (
            f"Étape {heading.number} / {GUIDE_STEP_COUNT} — {heading.title}"
            if heading.number
            else heading.title
        )
        assert (
            label,
            heading.guide,
        ) == (screen.STEP_LABEL, screen.GUIDE_STEP)


def arrivals() -> list[tuple[Step, type[Outcome]]]:
    """Every (step shown, outcome) pair of the table that builds a new screen."""
    return [
        (move.step, outcome)
        for (_, outcome), move in JOURNEY.items()
        if not isinstance(move, BackTo)
    ]


class TestScreensAreBuiltFromTheOutcome:
    @pytest.mark.parametrize(
        ("step", "outcome"), arrivals(), ids=lambda value: getattr(value, "__name__", value)
    )
    def test_a_screen_takes_what_the_outcome_carries(
        self, step: Step, outcome: type[Outcome]
    ) -> None:
        """After the services and the flow, a screen's constructor takes the outcome's own
        fields, by the same names and in the same order: the navigator passes them as they
        come."""
        parameters = list(inspect.signature(screen_class(step)).parameters)
        carried = [item.name for item in fields(outcome) if item.name != "notice"]
        assert parameters[:2] == ["services", "flow"]
        assert parameters[2:] == carried
