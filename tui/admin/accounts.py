"""The « Comptes » tab: the chosen establishment's pupils and guardians, filtered by class,
state and profile, with the highlighted account's detail and the outcome of the last action."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Select, Static, TabPane

from services.admin import AccountRow, AccountState
from services.formatting import day
from store.records import AccountKind
from tui.admin.text import plain

__all__ = ["ACCOUNTS_TAB", "AccountsPane"]

ACCOUNTS_TAB = "tab-comptes"

SHORT_STATES = {
    AccountState.NOT_ACTIVATED: "non activé",
    AccountState.PROVISIONAL: "provisoire",
    AccountState.ACTIVE: "actif",
    AccountState.LOCKED: "verrouillé",
}
KIND_LABELS = {AccountKind.PUPIL: "élève", AccountKind.GUARDIAN: "resp."}
KIND_FILTERS = {AccountKind.PUPIL: "Élèves", AccountKind.GUARDIAN: "Représentants légaux"}


class AccountsPane(TabPane):
    def __init__(self) -> None:
        super().__init__("Comptes", id=ACCOUNTS_TAB)
        # The listed accounts by table row key, ``kind:person_id``.
        self.rows: dict[str, AccountRow] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="account-filters"):
            yield Select[str]([], id="classe", prompt="Toutes les classes", compact=True)
            yield Select[str](
                [(label, state.value) for state, label in SHORT_STATES.items()],
                id="etat",
                prompt="Tous les états",
                compact=True,
            )
            yield Select[str](
                [(label, kind.value) for kind, label in KIND_FILTERS.items()],
                id="profil",
                prompt="Élèves et responsables",
                compact=True,
            )
        yield DataTable(id="accounts", cursor_type="row")
        yield Static("", id="account-detail", markup=False)
        yield Static("", id="status", markup=False)

    def on_mount(self) -> None:
        accounts = self.query_one("#accounts", DataTable)
        accounts.add_column("Profil", key="profil")
        accounts.add_column("Classe", key="classe")
        accounts.add_column("Nom", key="nom")
        accounts.add_column("Identifiant", key="identifiant")
        accounts.add_column("État", key="etat")
        accounts.add_column("Activité", key="activite")

    def show(self, rows: Sequence[AccountRow]) -> None:
        """Lists ``rows``, keeping the highlighted account highlighted if it is still there."""
        table = self.query_one("#accounts", DataTable)
        selected = self.selected_key()
        table.clear()
        self.rows = {}
        for row in rows:
            key = f"{row.kind.value}:{row.person_id}"
            self.rows[key] = row
            table.add_row(
                plain(KIND_LABELS[row.kind]),
                plain(", ".join(row.classes) or "—"),
                plain(f"{row.nom} {row.prenom}"),
                plain(row.identifiant or "—"),
                plain(SHORT_STATES[row.state]),
                plain(day(row.last_activity_at.astimezone()) if row.last_activity_at else "—"),
                key=key,
            )
        if selected in self.rows:
            table.move_cursor(row=table.get_row_index(selected), animate=False)
        self.show_detail()

    def selected_key(self) -> str | None:
        table = self.query_one("#accounts", DataTable)
        if not self.rows or table.cursor_row < 0 or table.cursor_row >= table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return key if key in self.rows else None

    def selected_row(self) -> AccountRow | None:
        key = self.selected_key()
        return self.rows[key] if key is not None else None

    def show_detail(self) -> None:
        detail = self.query_one("#account-detail", Static)
        row = self.selected_row()
        if row is None:
            detail.update("Aucun compte ne correspond aux filtres.")
            return
        profile = "élève" if row.kind is AccountKind.PUPIL else "représentant légal"
        state = {
            AccountState.NOT_ACTIVATED: "compte non activé",
            AccountState.PROVISIONAL: "identifiants provisoires remis",
            AccountState.ACTIVE: "compte actif",
            AccountState.LOCKED: "compte verrouillé",
        }[row.state]
        if row.provisional_until is not None and row.state is AccountState.PROVISIONAL:
            state += f", valables jusqu'au {day(row.provisional_until)}"
        if row.last_activity_at is not None:
            state += f" ; dernière activité le {row.last_activity_at.astimezone():%d/%m/%Y à %H:%M}"
        detail.update(Content(f"{row.prenom} {row.nom} — {profile} {row.person_id} — {state}"))

    def set_status(self, message: str) -> None:
        """The outcome of the last action, under the detail."""
        self.query_one("#status", Static).update(Content(message))

    @on(DataTable.RowHighlighted, "#accounts")
    def row_highlighted(self) -> None:
        self.show_detail()
        # What the footer offers depends on the highlighted account.
        self.refresh_bindings()
