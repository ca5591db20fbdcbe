"""Walking the school staff's administration app with Textual's Pilot: the steps its flow tests
and snapshot tests share."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Select, TabbedContent

from services import ManualClock, ServiceError, Services
from store import Records
from store.records import Account, AccountKind
from tui.admin.accounts import ACCOUNTS_TAB
from tui.admin.disputes import DISPUTES_TAB
from tui.admin.journal import JOURNAL_TAB
from tui.admin.stats import STATS_TAB

OPERATOR = "secretariat"
# Only reached when the app never does what is awaited (the same as Pilot's own waits).
FOOTER_TIMEOUT = 30.0


async def settle(pilot: Pilot[Any]) -> None:
    """Until the tables are loaded and any action waits on a dialog or is over."""
    for _ in range(200):
        await pilot.pause()
        running = [w for w in pilot.app.workers if w.is_running]
        loading = any(w.group == "load" for w in running)
        acting = any(w.group == "action" for w in running)
        if not loading and (not acting or isinstance(pilot.app.screen, ModalScreen)):
            return
    raise AssertionError("the admin app did not settle")


async def choose(pilot: Pilot[Any], selector: str, value: str) -> None:
    pilot.app.screen.query_one(selector, Select).value = value
    await settle(pilot)


async def select_person(pilot: Pilot[Any], kind: AccountKind, person_id: str) -> None:
    table = pilot.app.screen.query_one("#accounts", DataTable)
    table.move_cursor(row=table.get_row_index(f"{kind.value}:{person_id}"))
    await settle(pilot)


def account(services: Services, **fields: str) -> Account | None:
    return Records(services.store.snapshot()).accounts.get(**fields)


def lock(services: Services, clock: ManualClock, identifiant: str) -> None:
    """Wrong passwords until the account locks, waiting out each slowdown."""
    for _ in range(services.settings.login_lock_after):
        with pytest.raises(ServiceError):
            services.login.login(identifiant, "Mauvais-mot-1!", profile=AccountKind.GUARDIAN)
        clock.advance(services.settings.login_wait_max + timedelta(seconds=1))
    locked = account(services, identifiant=identifiant)
    assert locked is not None and locked.locked_until is not None
    assert clock.now() < locked.locked_until


@asynccontextmanager
async def footer_redrawn(pilot: Pilot[Any]) -> AsyncIterator[None]:
    """Around a change of what the footer may offer (a highlighted account, a tab, a filter):
    once the change has settled, waits until the footer has redrawn the screen's bindings.

    The footer is no worker, so ``settle`` does not wait for it: it redraws after the screen
    publishes a bindings refresh, and only after the next frame. ``Pilot.pause`` waits only
    while the process keeps the CPU busy, and a process starved by a loaded machine looks idle:
    the test then read the keys of the previous selection. Here each refresh queues a callback
    on the footer right behind the footer's own redraw (the footer subscribed first, so its
    redraw is queued first), and the wait is for the redraw of the last refresh."""
    screen = pilot.app.screen
    footer = screen.query_one(Footer)
    refreshed = asyncio.Event()
    redraws: list[asyncio.Event] = []

    def behind_the_footer(_: Screen[object]) -> None:
        redrawn = asyncio.Event()
        redraws.append(redrawn)
        footer.call_next(footer.call_after_refresh, redrawn.set)
        refreshed.set()

    screen.bindings_updated_signal.subscribe(pilot.app, behind_the_footer, immediate=True)
    try:
        yield
        await _within(refreshed.wait(), "the screen never refreshed its bindings")
        await settle(pilot)
        # A refresh can come while waiting (the reload moved the highlighted row): its redraw
        # empties the footer before filling it again, so the wait is for the last one.
        awaited = None
        while awaited is not redraws[-1]:
            awaited = redraws[-1]
            await _within(awaited.wait(), "the footer never redrew the screen's bindings")
            await pilot.pause()
    finally:
        screen.bindings_updated_signal.unsubscribe(pilot.app)


async def _within(waiting: Coroutine[Any, Any, object], failure: str) -> None:
    try:
        await asyncio.wait_for(waiting, FOOTER_TIMEOUT)
    except TimeoutError:
        raise AssertionError(failure) from None


# -- walks: every tab and dialog, as the staff reach them (tests/tui/test_keyboard.py) ---------

AdminWalk = Callable[[Pilot[Any]], Awaitable[None]]


def on_tab(tab: str) -> AdminWalk:
    async def walk(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = tab
        await settle(pilot)

    return walk


async def to_issue_dialog(pilot: Pilot[Any]) -> None:
    """« Émettre… » on Awa, a pupil of 4A."""
    await settle(pilot)
    await select_person(pilot, AccountKind.PUPIL, "E008")
    await pilot.press("e")
    await settle(pilot)


async def to_issue_result(pilot: Pilot[Any]) -> None:
    """« Émettre… » for the whole of class 4A, then « Émettre »."""
    await settle(pilot)
    await choose(pilot, "#classe", "4A")
    await pilot.press("e", "down", "enter")
    await pilot.click("#issue")
    await settle(pilot)


async def to_reset_confirmation(pilot: Pilot[Any]) -> None:
    """« Réinitialiser » on c.moreau1, a guardian."""
    await settle(pilot)
    await select_person(pilot, AccountKind.GUARDIAN, "R010")
    await pilot.press("r")
    await settle(pilot)


EVERY_ADMIN_SCREEN: dict[str, AdminWalk] = {
    "comptes": on_tab(ACCOUNTS_TAB),
    "suivi": on_tab(STATS_TAB),
    "contestes": on_tab(DISPUTES_TAB),
    "journal": on_tab(JOURNAL_TAB),
    "emettre": to_issue_dialog,
    "emission-faite": to_issue_result,
    "reinitialiser": to_reset_confirmation,
}
