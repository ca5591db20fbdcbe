"""The services of one session, ready from the start or built once the first screen is out.

Each SSH session and each browser tab is a new process. Importing the domain (pydantic,
phonenumbers, passlib, TinyDB) and opening the data file take longer than Textual needs to show
the first screen, and that screen (the site to start from) needs none of it. So the sessions'
app shows it first and builds the services afterwards (``EduConnectApp`` starts that), while
the tests and the local command hand the app services that are already built.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services import Services

__all__ = ["PendingServices", "open_database", "open_services", "until_idle"]

IDLE_STEP = 0.02
"""Seconds the process must use (almost) no CPU to count as idle."""


class PendingServices:
    """Services built on first need, once, by whichever thread asks first; the others wait.

    What building raised (``StoreError`` for a refused data file) is raised again to everyone
    who asks: the file is not read a second time.
    """

    def __init__(self, build: Callable[[], Services]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._outcome: Services | Exception | None = None

    @classmethod
    def ready(cls, services: Services) -> PendingServices:
        pending = cls(lambda: services)
        pending.get()
        return pending

    @property
    def loaded(self) -> bool:
        """Built, or refused: ``get`` answers at once."""
        return self._outcome is not None

    @property
    def error(self) -> Exception | None:
        """Why building failed, once it has."""
        return self._outcome if isinstance(self._outcome, Exception) else None

    def get(self) -> Services:
        """The services; builds them first if nobody has, or waits for the thread that is."""
        with self._lock:
            if self._outcome is None:
                try:
                    self._outcome = self._build()
                except Exception as error:
                    self._outcome = error
            outcome = self._outcome
        if isinstance(outcome, Exception):
            raise outcome
        return outcome


def open_services(path: Path, *, deliver_in_background: bool = False) -> Services:
    """Open the data file at ``path`` and build every service on it (``build_services`` says
    what ``deliver_in_background`` is: the app's sessions ask for it).

    A file that must be refused raises ``StoreError`` with its French sentence, and so does one
    the system does not let this process open (the store names which file and why).
    """
    from services import Settings, build_services

    return build_services(Settings(db_path=path), deliver_in_background=deliver_in_background)


def open_database(url: str, *, deliver_in_background: bool = False) -> Services:
    """Build every service on the PostgreSQL database at ``url``; local files (notices) go to
    the per-user data folder. A database that must be refused raises ``StoreError``."""
    from services import Settings, build_services
    from store.paths import default_db_path

    return build_services(
        Settings(db_path=default_db_path(), db_url=url),
        deliver_in_background=deliver_in_background,
    )


async def until_idle(limit: float = 1.0) -> None:
    """Return once this process has used (almost) no CPU for ``IDLE_STEP`` seconds: whatever it
    was doing (painting a screen, writing it out) is done. At most ``limit`` seconds."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        before = time.process_time()
        await asyncio.sleep(IDLE_STEP)
        if time.process_time() - before < IDLE_STEP / 20:
            return
