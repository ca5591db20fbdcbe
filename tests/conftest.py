"""Fixtures that make every run the same: a manual clock, a seeded random source, cheap
password hashing, a fresh store per test, and no colour/theme/terminal variables from the
environment."""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services import ManualClock, PasswordHashing, Services, Settings, build_services
from services.demo import load_demo
from services.passwords import PasswordHasher
from tests._postgres import PostgresServer

for variable in (
    "NO_COLOR",
    "TEXTUAL_THEME",
    "COLUMNS",
    "LINES",
    "EDUCONNECT_DB",
    "EDUCONNECT_ASCII",
    "LC_ALL",
    "LC_CTYPE",
    "COLORTERM",
):
    os.environ.pop(variable, None)
# A UTF-8 locale, as on the machines the app is served from: without one the app (and every
# program the tests start) draws ASCII only (tui.glyphs); the tests that want that say so.
os.environ["LANG"] = "C.UTF-8"
# A terminal of 256 colours, as the SSH sessions and the benchmark announce: the terminal the
# tests run in (``xterm``, tmux's ``screen``) would give the 16-colour rendering (tui.palette);
# the tests that want it say so.
os.environ["TERM"] = "xterm-256color"

# A Monday morning at the start of the school year, in UTC.
START = datetime(2026, 9, 7, 8, 30, tzinfo=UTC)
CHEAP_HASHING = PasswordHashing(memory_cost_kib=1024, rounds=1, parallelism=1)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # No floor under the neutral answers (``services.floor``): tests would wait for it.
    return Settings(
        db_path=tmp_path / "educonnect.json",
        hashing=CHEAP_HASHING,
        neutral_answer_floor=timedelta(0),
    )


@pytest.fixture
def services(settings: Settings, clock: ManualClock) -> Services:
    """Services on an empty store."""
    return build_services(settings, clock=clock, rng=random.Random(20260907))


@pytest.fixture
def demo_services(services: Services, clock: ManualClock) -> Iterator[Services]:
    """Services on the demo families."""
    load_demo(services.store, PasswordHasher(services.settings.hashing), clock)
    yield services


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole run, in a temporary folder (see ``tests/_postgres``)."""
    try:
        server = PostgresServer()
        server.start()
    except RuntimeError as failed:
        pytest.fail(str(failed))
    yield server
    server.stop()


# The servers' sessions share one parse of the app's CSS (``tui.terminal.styles``); so do the
# tests' apps, one after the other in each worker, instead of parsing it again for each test.
from tui.terminal.styles import share_parsed_css  # noqa: E402

share_parsed_css()


def pytest_collection_finish(session: pytest.Session) -> None:
    """What collection imported lives as long as the worker: out of the collector's passes
    (``gc.freeze``, as the servers' warm parent does). The apps the tests run make short-lived
    objects by the million, and the default thresholds had the collector scan them again and
    again: a fifth of the tests' time went to it. Cycles are still collected, less often."""
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)
