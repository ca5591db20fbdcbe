"""Fixtures every TUI test shares: the app on the demo families, snapshots at 80×24, and a
fixed time zone so the times the phone panel shows are the same on every machine."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot

from services import Services
from tests.tui.pilot import SIZE, RunBefore, SnapApp, settle
from tui.app import EduConnectApp, make_app


@pytest.fixture(autouse=True)
def utc_time_zone() -> Iterator[None]:
    """The phone panel shows SMS times in the local time zone: pin it to UTC."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if previous is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = previous
    time.tzset()


@pytest.fixture
def app_factory(demo_services: Services) -> Callable[[], EduConnectApp]:
    """Builds the app the CLI would build, on the demo families, with the test clock."""
    return lambda: make_app(demo_services)


@pytest.fixture
def snap_app(snap_compare: Any, app_factory: Callable[[], EduConnectApp]) -> SnapApp:
    """``snap_compare`` on a fresh app at 80×24 (sync tests only); navigate with ``run_before``."""

    def snap(
        run_before: RunBefore | None = None,
        *,
        terminal_size: tuple[int, int] = SIZE,
        press: tuple[str, ...] = (),
    ) -> bool:
        async def then_settle(pilot: Pilot[Any]) -> None:
            # The keys are pressed here rather than by ``snap_compare``, which would take the
            # picture right after them: the picture waits for what they started (a service
            # call, the phone panel reading the outbox in a thread).
            if run_before is not None:
                result = run_before(pilot)
                if result is not None:
                    await result
            await pilot.pause()
            await pilot.press(*press)
            await settle(pilot)

        return bool(
            snap_compare(app_factory(), run_before=then_settle, terminal_size=terminal_size)
        )

    return snap
