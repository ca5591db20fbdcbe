"""The school staff's administration app (`educonnect admin`): the accounts of an establishment,
provisional credentials with their notices, unlocking and resetting an account, on the demo
families with the test clock."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.screen import ModalScreen
from textual.widgets import (
    DataTable,
    Footer,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TabbedContent,
)

from services import ManualClock, ServiceError, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from services.school import SchoolDetails
from store.records import AccountKind, AccountStatus
from tests.tui.admin_pilot import (
    OPERATOR,
    account,
    choose,
    footer_redrawn,
    lock,
    select_person,
    settle,
)
from tui.admin import AdminApp, make_admin_app
from tui.admin.dialogs import ConfirmScreen, IssueScreen, ResultScreen
from tui.admin.screen import AdminScreen
from tui.admin.stats import STATS_TAB

SIZE = (80, 24)
PROVISIONAL_PASSWORD = re.compile(r"\b[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}\b")
COLLEGE, LYCEE = "0341234A", "0345678B"


@pytest.fixture
def admin_services(demo_services: Services) -> Services:
    """The demo families, with a fixed operator name instead of the OS user's."""
    demo_services.admin.operator = OPERATOR
    return demo_services


def main_screen(app: AdminApp) -> AdminScreen:
    return app.query_one(AdminScreen) if isinstance(app.screen, ModalScreen) else app.screen  # type: ignore[return-value]


def listed(app: AdminApp) -> list[tuple[str, str | None]]:
    """``(nom prénom, identifiant)`` of the accounts table, in order."""
    screen = main_screen(app)
    table = screen.query_one("#accounts", DataTable)
    rows = [screen.rows[str(key.value)] for key in table.rows]
    return [(f"{row.nom} {row.prenom}", row.identifiant) for row in rows]


def footer_keys(app: AdminApp) -> set[str]:
    footer = app.screen.query_one(Footer)
    return {key.key for key in footer.query("FooterKey")}  # type: ignore[attr-defined]


def text_of(app: AdminApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


class TestAccounts:
    async def test_pupils_and_guardians_of_the_chosen_establishment(
        self, admin_services: Services
    ) -> None:
        """The first establishment is shown with its pupils and guardians; choosing the lycée
        shows the lycée's people instead."""
        app = make_admin_app(admin_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            names = [name for name, _ in listed(app)]
            assert "N'Diaye Awa" in names and "N'Diaye Aminata" in names
            assert "Martin Emma" not in names
            assert ("Moreau Claire", DEMO_ACTIVE_IDENTIFIANT) in listed(app)

            await choose(pilot, "#establishment", LYCEE)
            names = [name for name, _ in listed(app)]
            assert "Martin Emma" in names and "Martin Sophie" in names
            assert "N'Diaye Awa" not in names

    async def test_filter_by_class_and_by_state(self, admin_services: Services) -> None:
        """Class 4A lists its two pupils and their guardians; « actif » only the active
        account."""
        app = make_admin_app(admin_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await choose(pilot, "#classe", "4A")
            assert sorted(name for name, _ in listed(app)) == [
                "Garcia Pablo",
                "Garcia Pedro",
                "N'Diaye Aminata",
                "N'Diaye Awa",
            ]
            await choose(pilot, "#classe", Select.NULL)  # type: ignore[arg-type]
            await choose(pilot, "#etat", "actif")
            assert listed(app) == [("Moreau Claire", DEMO_ACTIVE_IDENTIFIANT)]

    async def test_footer_offers_only_what_the_selection_allows(
        self, admin_services: Services
    ) -> None:
        """A pupil without an account can only be issued credentials; an active account can be
        reset but not unlocked; the other tabs offer no account action."""
        app = make_admin_app(admin_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            async with footer_redrawn(pilot):
                await select_person(pilot, AccountKind.PUPIL, "E008")
            assert {"e", "f5", "ctrl+q"} <= footer_keys(app)
            assert not {"d", "r"} & footer_keys(app)

            async with footer_redrawn(pilot):
                await select_person(pilot, AccountKind.GUARDIAN, "R010")
            assert "r" in footer_keys(app) and "d" not in footer_keys(app)

            async with footer_redrawn(pilot):
                app.screen.query_one(TabbedContent).active = STATS_TAB
            assert not {"e", "d", "r"} & footer_keys(app)


class TestIssue:
    async def test_issue_for_a_class_writes_the_notices_beside_the_data_file(
        self, admin_services: Services
    ) -> None:
        """« Émettre… » for class 4A: both pupils get provisional accounts, the PDF and text
        notices are written in `notices/` beside the data file with the school file's contact
        line, and the dialog lists them without showing any password."""
        school = SchoolDetails(contact="Secrétariat : 04 67 00 00 00")
        app = make_admin_app(admin_services, school=school)
        notices = admin_services.settings.db_path.parent / "notices"
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await choose(pilot, "#classe", "4A")
            await select_person(pilot, AccountKind.PUPIL, "E008")
            await pilot.press("e")
            await settle(pilot)
            assert isinstance(app.screen, IssueScreen)
            labels = [str(b.label) for b in app.screen.query_one(RadioSet).query(RadioButton)]
            assert labels[1] == "Les élèves sans compte de la classe 4A"
            assert app.screen.query_one("#out-dir-input").value == str(notices)  # type: ignore[attr-defined]
            await pilot.press("down", "enter")
            await pilot.click("#issue")
            await settle(pilot)

            assert isinstance(app.screen, ResultScreen)
            shown = text_of(app, "#result-text")
            files = sorted(notices.iterdir())
            assert [f.suffix for f in files] == [".pdf", ".txt"]
            assert "Une question ? Secrétariat : 04 67 00 00 00" in files[1].read_text("utf-8")
            for file in files:
                assert str(file) in shown
            assert "2 élèves : identifiants provisoires émis" in shown
            assert not PROVISIONAL_PASSWORD.search(shown)

            await pilot.press("escape")
            await settle(pilot)
            for pupil_id in ("E008", "E013"):
                issued = account(admin_services, kind="pupil", owner_id=pupil_id)
                assert issued is not None and issued.status is AccountStatus.PROVISIONAL
            assert {identifiant for _, identifiant in listed(app)} >= {"a.ndiaye1", "p.garcia1"}


class TestUnlock:
    async def test_unlock_a_locked_account_after_confirmation(
        self, admin_services: Services, clock: ManualClock
    ) -> None:
        """c.moreau1, locked by ten wrong passwords, shows as « verrouillé »; « Déverrouiller »
        asks first, then the account logs in again and the journal names the operator."""
        lock(admin_services, clock, DEMO_ACTIVE_IDENTIFIANT)
        app = make_admin_app(admin_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            async with footer_redrawn(pilot):
                await choose(pilot, "#etat", "verrouille")
            assert listed(app) == [("Moreau Claire", DEMO_ACTIVE_IDENTIFIANT)]
            assert "d" in footer_keys(app)

            await pilot.press("d")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.click("#confirm")
            await settle(pilot)

            assert text_of(app, "#status") == f"Compte {DEMO_ACTIVE_IDENTIFIANT} déverrouillé."
            assert listed(app) == []
        admin_services.login.login(
            DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        )
        event = admin_services.admin.audit(limit=5)
        assert any(e.event == "admin_unlock" and e.operator == OPERATOR for e in event)

    async def test_cancel_leaves_the_account_locked(
        self, admin_services: Services, clock: ManualClock
    ) -> None:
        """Escape in the confirmation changes nothing."""
        lock(admin_services, clock, DEMO_ACTIVE_IDENTIFIANT)
        app = make_admin_app(admin_services)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await select_person(pilot, AccountKind.GUARDIAN, "R010")
            await pilot.press("d")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, AdminScreen)
        locked = account(admin_services, identifiant=DEMO_ACTIVE_IDENTIFIANT)
        assert locked is not None and locked.locked_until is not None


class TestReset:
    async def test_guardian_reset_removes_the_account_and_shows_no_password(
        self, admin_services: Services
    ) -> None:
        """For a guardian the dialog says they must register again by SMS; afterwards the
        account is gone, no notice is written and no password appears anywhere."""
        app = make_admin_app(admin_services)
        notices = admin_services.settings.db_path.parent / "notices"
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await select_person(pilot, AccountKind.GUARDIAN, "R010")
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen)
            question = str(app.screen.query_one(".dialog-text", Static).render())
            assert "auto-inscription par SMS" in question
            assert "ne lui délivre jamais de mot de passe" in question
            await pilot.click("#confirm")
            await settle(pilot)

            status = text_of(app, "#status")
            assert "doit refaire l'auto-inscription par SMS" in status
            assert DEMO_ACTIVE_PASSWORD not in status and not PROVISIONAL_PASSWORD.search(status)
            assert ("Moreau Claire", None) in listed(app)
        assert account(admin_services, identifiant=DEMO_ACTIVE_IDENTIFIANT) is None
        assert not notices.exists()

    async def test_pupil_reset_issues_new_credentials_and_shows_the_notice(
        self, admin_services: Services, tmp_path: Path
    ) -> None:
        """For a pupil, « Réinitialiser » replaces the provisional password (the old one stops
        working) and shows where the new notice was written."""
        first = admin_services.admin.issue_for_pupil("E008").issued[0]
        out = tmp_path / "avis"
        app = make_admin_app(admin_services, notices_dir=out)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await select_person(pilot, AccountKind.PUPIL, "E008")
            await pilot.press("r")
            await settle(pilot)
            assert str(out) in str(app.screen.query_one(".dialog-text", Static).render())
            await pilot.click("#confirm")
            await settle(pilot)

            assert isinstance(app.screen, ResultScreen)
            shown = text_of(app, "#result-text")
            files = sorted(out.iterdir())
            assert len(files) == 2 and all(str(f) in shown for f in files)
            assert first.password not in files[1].read_text(encoding="utf-8")
        with pytest.raises(ServiceError):
            admin_services.pupils.login(first.identifiant, first.password)
