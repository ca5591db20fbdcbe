"""Driving the autoplay demo in tests: its clock is the test's, so no test waits real time and
none depends on the machine's speed."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from typing import Any

from textual import events
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import WorkerCancelled

from services import Services
from tui.autoplay.app import AutoplayApp, Caption
from tui.autoplay.player import PLAYER_GROUP, Pace
from tui.autoplay.script import PARCOURS, Scene
from tui.journey import Step
from tui.widgets import TextField

ROUNDS = 3000
"""More sleeps than any parcours asks for (one per character typed and per caption)."""


class HeldClock:
    """Every sleep of the player waits until the test lets it go (``release``): the test
    decides when the demo's time passes, and sees each wait asked for (``asked``)."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self._gate: asyncio.Future[None] | None = None

    async def sleep(self, seconds: float) -> None:
        self.asked.append(seconds)
        self._gate = asyncio.get_running_loop().create_future()
        try:
            await self._gate
        finally:
            self._gate = None

    @property
    def sleeping(self) -> bool:
        return self._gate is not None and not self._gate.done()

    def release(self) -> None:
        if self._gate is not None and not self._gate.done():
            self._gate.set_result(None)


async def no_wait(seconds: float) -> None:
    """A clock on which the demo's time passes at once."""
    await asyncio.sleep(0)


def autoplay_app(
    services: Services,
    parcours: str = "inscription",
    *,
    sleep: Callable[[float], Any] = no_wait,
    scenes: tuple[Scene, ...] | None = None,
) -> AutoplayApp:
    return AutoplayApp(services, scenes or PARCOURS[parcours], Pace(1.0, sleep))


async def started(pilot: Pilot[Any]) -> AutoplayApp:
    """The app once its player runs."""
    app = pilot.app
    assert isinstance(app, AutoplayApp)
    for _ in range(ROUNDS):
        if app.player_worker is not None:
            return app
        await pilot.pause()
    raise AssertionError("the player did not start")


async def played_to_the_end(pilot: Pilot[Any]) -> AutoplayApp:
    """Until the player has ended (the parcours done, or stopped), waiting for its worker."""
    app = await started(pilot)
    assert app.player_worker is not None
    await app.player_worker.wait()
    await pilot.pause()
    return app


async def until_sleeping(pilot: Pilot[Any], clock: HeldClock) -> None:
    """Until the player waits on the clock (it did what comes before the wait)."""
    for _ in range(ROUNDS):
        if clock.sleeping:
            return
        await pilot.pause()
    raise AssertionError("the player never waited on the clock")


async def advance_until(pilot: Pilot[Any], clock: HeldClock, condition: Callable[[], bool]) -> None:
    """Let the demo's time pass, one wait at a time, until ``condition()`` holds."""
    await started(pilot)
    for _ in range(ROUNDS):
        await until_sleeping(pilot, clock)
        if condition():
            return
        clock.release()
    raise AssertionError("the demo never got there")


def caption_text(app: AutoplayApp) -> str:
    """The caption line of the screen shown, or "" when it has none."""
    found = app.screen.query(Caption)
    return str(found.first(Static).render()) if found else ""


async def quiet(pilot: Pilot[Any]) -> None:
    """``tests.tui.pilot.settle`` for the app of the demo: every worker waited for but the
    player's own, which runs (or waits on its clock) until the demo ends."""
    app = pilot.app
    for _ in range(ROUNDS):
        await pilot.pause()
        running = [
            worker
            for worker in app.workers
            if not worker.is_finished and worker.group != PLAYER_GROUP
        ]
        nodes = [app, *(node for s in app.screen_stack for node in s.walk_children(with_self=True))]
        if not running and not any(node.message_queue_size for node in nodes):
            return
        # An exclusive worker replaced by the next one is done as well.
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete(running)
    raise AssertionError("the app did not settle")


def typed(app: AutoplayApp, step: Step, field_id: str) -> str:
    """What the field of id ``field_id`` holds on the screen of ``step``; "" on another."""
    if getattr(app.screen, "STEP", None) is not step:
        return ""
    return str(app.screen.query_one(f"#{field_id}", TextField).value)


async def click_as_a_terminal(pilot: Pilot[Any], widget: Widget) -> None:
    """A click on ``widget`` as a terminal sends it: the button pressed then released, posted to
    the app (``Pilot.click`` hands its events to the screen, past the app's ``on_event``)."""
    x, y = widget.region.x + 1, widget.region.y
    for event_class in (events.MouseDown, events.MouseUp):
        pilot.app.post_message(
            event_class(None, x, y, 0, 0, 1, False, False, False, screen_x=x, screen_y=y)
        )
        await pilot.pause()
