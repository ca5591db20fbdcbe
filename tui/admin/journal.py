"""The « Journal » tab: the security journal, every establishment, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static, TabPane

from services.formatting import when
from store.records import AuditEvent
from tui.admin.text import plain

__all__ = ["AUDIT_LIMIT", "EVENT_LABELS", "JOURNAL_TAB", "JournalPane"]

JOURNAL_TAB = "tab-journal"
AUDIT_LIMIT = 200

EVENT_LABELS = {
    "account_activated": "compte activé",
    "admin_issue": "identifiants provisoires émis",
    "admin_reset": "compte réinitialisé",
    "admin_unlock": "compte déverrouillé",
    "birth_date_failed": "date de naissance erronée",
    "children_confirmed": "enfants confirmés",
    "code_expired": "code expiré",
    "code_failed": "code erroné",
    "code_refused": "code refusé",
    "code_sent": "code envoyé",
    "code_verified": "code vérifié",
    "code_voided": "code annulé",
    "first_login_started": "première connexion",
    "franceconnect_first_use": "FranceConnect : première utilisation",
    "franceconnect_linked": "FranceConnect : compte lié",
    "franceconnect_login": "FranceConnect : connexion",
    "franceconnect_refused": "FranceConnect : refus",
    "franceconnect_started": "FranceConnect : début",
    "identifiant_reminder_refused": "rappel d'identifiant refusé",
    "identifiant_reminder_sent": "rappel d'identifiant envoyé",
    "identity_confirmed": "identité confirmée",
    "link_disputed": "rattachement contesté",
    "login_failed": "échec de connexion",
    "login_locked": "compte verrouillé",
    "login_succeeded": "connexion",
    "password_reset": "mot de passe réinitialisé",
    "password_reset_refused": "réinitialisation refusée",
    "provisional_voided": "mot de passe provisoire annulé",
    "registration_ended": "inscription terminée",
    "registration_refused": "inscription refusée",
    "registration_started": "inscription commencée",
    "school_import": "import de l'établissement",
}


class JournalPane(TabPane):
    def __init__(self) -> None:
        super().__init__("Journal", id=JOURNAL_TAB)
        self.events: tuple[AuditEvent, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(
            "Journal de sécurité, tous établissements, du plus récent au plus ancien.",
            classes="pane-title",
        )
        yield DataTable(id="journal", cursor_type="row")
        yield Static("", id="journal-detail", markup=False)

    def on_mount(self) -> None:
        self.query_one("#journal", DataTable).add_columns(
            "Date", "Événement", "Identifiant", "Opérateur"
        )

    def show(self, events: Sequence[AuditEvent]) -> None:
        table = self.query_one("#journal", DataTable)
        table.clear()
        self.events = tuple(events)
        for event in events:
            table.add_row(
                plain(when(event.at)),
                plain(EVENT_LABELS.get(event.event, event.event)),
                plain(event.identifiant or "—"),
                plain(event.operator or "—"),
            )
        self.show_event_detail()

    def show_event_detail(self) -> None:
        """The highlighted event's detail, in full: at 80 columns it has no room in the table."""
        table = self.query_one("#journal", DataTable)
        detail = self.query_one("#journal-detail", Static)
        if not self.events:
            detail.update("Le journal est vide.")
            return
        event = self.events[min(max(table.cursor_row, 0), len(self.events) - 1)]
        parts = [
            f"{event.at.astimezone():%d/%m/%Y %H:%M:%S}",
            EVENT_LABELS.get(event.event, event.event),
        ]
        if event.guardian_id:
            parts.append(f"responsable {event.guardian_id}")
        parts.append(" ".join(event.detail.split()) or "sans détail")
        detail.update(Content(" — ".join(parts)))

    @on(DataTable.RowHighlighted, "#journal")
    def event_highlighted(self) -> None:
        self.show_event_detail()
