"""Walking the school staff's administration app with Textual's Pilot: the steps its flow tests
and snapshot tests share."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import DataTable, Select

from services import ManualClock, ServiceError, Services
from store import Records
from store.records import Account, AccountKind

OPERATOR = "secretariat"


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
