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
from services.formatting import day, minute
from services.i18n import N_, _
from store.records import AccountKind
from tui.admin.text import plain

__all__ = ["ACCOUNTS_TAB", "AccountsPane"]

ACCOUNTS_TAB = "tab-comptes"

# Msgids: translated where they are shown.
SHORT_STATES = {
    AccountState.NOT_ACTIVATED: N_("non activé"),
    AccountState.PROVISIONAL: N_("provisoire"),
    AccountState.ACTIVE: N_("actif"),
    AccountState.LOCKED: N_("verrouillé"),
}
KIND_LABELS = {AccountKind.PUPIL: N_("élève"), AccountKind.GUARDIAN: N_("resp.")}
KIND_FILTERS = {AccountKind.PUPIL: N_("Élèves"), AccountKind.GUARDIAN: N_("Représentants légaux")}
# What the detail line says of an account's state.
STATE_DETAILS = {
    AccountState.NOT_ACTIVATED: N_("compte non activé"),
    AccountState.PROVISIONAL: N_("identifiants provisoires remis"),
    AccountState.ACTIVE: N_("compte actif"),
    AccountState.LOCKED: N_("compte verrouillé"),
}


class AccountsPane(TabPane):
    def __init__(self) -> None:
        super().__init__(_("Comptes"), id=ACCOUNTS_TAB)
        # The listed accounts by table row key, ``kind:person_id``.
        self.rows: dict[str, AccountRow] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="account-filters"):
            yield Select[str](
                [],
                id="classe",
                classes="account-filter",
                prompt=_("Toutes les classes"),
                compact=True,
            )
            yield Select[str](
                [(_(label), state.value) for state, label in SHORT_STATES.items()],
                id="etat",
                classes="account-filter",
                prompt=_("Tous les états"),
                compact=True,
            )
            yield Select[str](
                [(_(label), kind.value) for kind, label in KIND_FILTERS.items()],
                id="profil",
                classes="account-filter",
                prompt=_("Élèves et responsables"),
                compact=True,
            )
        yield DataTable(id="accounts", cursor_type="row")
        yield Static("", id="account-detail", markup=False)
        yield Static("", id="status", markup=False)

    def on_mount(self) -> None:
        accounts = self.query_one("#accounts", DataTable)
        accounts.add_column(_("Profil"), key="profil")
        accounts.add_column(_("Classe"), key="classe")
        accounts.add_column(_("Nom"), key="nom")
        accounts.add_column(_("Identifiant"), key="identifiant")
        accounts.add_column(_("État"), key="etat")
        accounts.add_column(_("Activité"), key="activite")

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
                plain(_(KIND_LABELS[row.kind])),
                plain(", ".join(row.classes) or "—"),
                plain(f"{row.nom} {row.prenom}"),
                plain(row.identifiant or "—"),
                plain(_(SHORT_STATES[row.state])),
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
            detail.update(_("Aucun compte ne correspond aux filtres."))
            return
        detail.update(Content(_detail_line(row)))

    def set_status(self, message: str) -> None:
        """The outcome of the last action, under the detail."""
        self.query_one("#status", Static).update(Content(message))

    @on(DataTable.RowHighlighted, "#accounts")
    def row_highlighted(self) -> None:
        self.show_detail()
        # What the footer offers depends on the highlighted account.
        self.refresh_bindings()


def _detail_line(row: AccountRow) -> str:
    """« Léa Martin — élève E003 — compte actif ; dernière activité le 06/12/2026 à 09:30 »."""
    if row.provisional_until is not None and row.state is AccountState.PROVISIONAL:
        state = _("identifiants provisoires remis, valables jusqu'au %(day)s") % {
            "day": day(row.provisional_until)
        }
    else:
        state = _(STATE_DETAILS[row.state])
    if row.last_activity_at is not None:
        moment = row.last_activity_at.astimezone()
        state = _("%(state)s ; dernière activité le %(day)s à %(time)s") % {
            "state": state,
            "day": day(moment),
            "time": minute(moment),
        }
    values = {"prenom": row.prenom, "nom": row.nom, "id": row.person_id, "state": state}
    if row.kind is AccountKind.PUPIL:
        return _("%(prenom)s %(nom)s — élève %(id)s — %(state)s") % values
    return _("%(prenom)s %(nom)s — représentant légal %(id)s — %(state)s") % values
