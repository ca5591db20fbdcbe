"""Pictures of the administration app: each tab at 80×24 and 120×40, and its dialogs at 80×24,
on the demo families after a day at school (a class issued, a disputed link, a locked account).

Deterministic: the test clock, a seeded random source, a fixed operator name, the time zone
pinned to UTC, and the working folder set to the data file's folder so notice paths show as
``notices/…`` instead of a temporary path."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import TabbedContent

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT
from services.registration import ChildAnswer
from store.records import AccountKind
from tests.tui.admin_pilot import OPERATOR, choose, lock, select_person, settle
from tests.tui.pilot import RunBefore
from tui.admin import make_admin_app
from tui.admin.accounts import ACCOUNTS_TAB
from tui.admin.disputes import DISPUTES_TAB
from tui.admin.journal import JOURNAL_TAB
from tui.admin.stats import STATS_TAB

SMALL = (80, 24)
LARGE = (120, 40)

Snap = Callable[..., bool]


def dispute(services: Services) -> None:
    """Aminata N'Diaye (R007) confirms Moussa (E007) and answers « Non » for Awa (E008)."""
    started = services.registration.start("N'Diaye", "Aminata", "06 67 89 01 23")
    services.registration.send_code(started.token)
    sms = services.outbox.messages(channel="sms", to=started.phone)[-1].text
    code = re.search(r"\b([A-Z]{6})\b", sms)
    assert code is not None
    services.registration.verify_code(started.token, code.group(1))
    services.registration.confirm_children(
        started.token,
        [
            ChildAnswer(pupil_id="E007", is_guardian=True, birth_date="17/04/2014"),
            ChildAnswer(pupil_id="E008", is_guardian=False),
        ],
    )


@pytest.fixture
def snap(
    snap_compare: Any,
    demo_services: Services,
    clock: ManualClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Snap:
    """``snap_compare`` on the admin app after a day's events, at the given size."""
    demo_services.admin.operator = OPERATOR
    monkeypatch.chdir(tmp_path)
    dispute(demo_services)
    clock.advance(timedelta(minutes=20))
    demo_services.admin.issue_for_class("3B")
    clock.advance(timedelta(minutes=20))
    lock(demo_services, clock, DEMO_ACTIVE_IDENTIFIANT)

    def run(run_before: RunBefore, terminal_size: tuple[int, int] = SMALL) -> bool:
        return bool(
            snap_compare(
                make_admin_app(demo_services), terminal_size=terminal_size, run_before=run_before
            )
        )

    return run


def on_tab(tab: str) -> RunBefore:
    async def run_before(pilot: Pilot[Any]) -> None:
        await settle(pilot)
        pilot.app.screen.query_one(TabbedContent).active = tab
        await settle(pilot)

    return run_before


class TestTabPictures:
    @pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
    def test_accounts(self, snap: Snap, size: tuple[int, int]) -> None:
        """« Comptes »: the collège's pupils and guardians, 3B's provisional accounts, the
        locked c.moreau1, the filter bar, the selected person's detail line."""
        assert snap(on_tab(ACCOUNTS_TAB), size)

    @pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
    def test_follow_up(self, snap: Snap, size: tuple[int, int]) -> None:
        """« Suivi »: activation rates of pupils and guardians per class and for the collège."""
        assert snap(on_tab(STATS_TAB), size)

    @pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
    def test_disputed_links(self, snap: Snap, size: tuple[int, int]) -> None:
        """« Rattachements contestés »: Aminata N'Diaye's « Non » for Awa, with its date."""
        assert snap(on_tab(DISPUTES_TAB), size)

    @pytest.mark.parametrize("size", [SMALL, LARGE], ids=["80x24", "120x40"])
    def test_journal(self, snap: Snap, size: tuple[int, int]) -> None:
        """« Journal »: the latest events, most recent first, with the operator's name."""
        assert snap(on_tab(JOURNAL_TAB), size)


class TestDialogPictures:
    def test_issue_dialog(self, snap: Snap) -> None:
        """« Émettre… » on Awa in 4A: the pupil, her class, or everyone; the notices folder."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await select_person(pilot, AccountKind.PUPIL, "E008")
            await pilot.press("e")
            await settle(pilot)

        assert snap(run_before)

    def test_issue_result(self, snap: Snap) -> None:
        """After issuing for class 4A: how many, until when, and the notice files."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await choose(pilot, "#classe", "4A")
            await pilot.press("e", "down", "enter")
            await pilot.click("#issue")
            await settle(pilot)

        assert snap(run_before)

    def test_guardian_reset_confirmation(self, snap: Snap) -> None:
        """« Réinitialiser » on a guardian: they register again by SMS; no password given."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await select_person(pilot, AccountKind.GUARDIAN, "R010")
            await pilot.press("r")
            await settle(pilot)

        assert snap(run_before)

    def test_unlock_confirmation(self, snap: Snap) -> None:
        """« Déverrouiller » on the locked c.moreau1 asks first."""

        async def run_before(pilot: Pilot[Any]) -> None:
            await settle(pilot)
            await select_person(pilot, AccountKind.GUARDIAN, "R010")
            await pilot.press("d")
            await settle(pilot)

        assert snap(run_before)
