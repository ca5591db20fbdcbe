"""The « Journal » tab: the security journal, every establishment, newest first."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.content import Content
from textual.widgets import DataTable, Static, TabPane

from services.formatting import second, when
from services.i18n import N_, _
from store.records import AuditEvent
from tui.admin.text import plain

__all__ = ["AUDIT_LIMIT", "EVENT_LABELS", "JOURNAL_TAB", "JournalPane"]

JOURNAL_TAB = "tab-journal"
AUDIT_LIMIT = 200

# Msgids: translated where they are shown.
EVENT_LABELS = {
    "account_activated": N_("compte activé"),
    "admin_issue": N_("identifiants provisoires émis"),
    "admin_reset": N_("compte réinitialisé"),
    "admin_unlock": N_("compte déverrouillé"),
    "birth_date_failed": N_("date de naissance erronée"),
    "children_confirmed": N_("enfants confirmés"),
    "code_expired": N_("code expiré"),
    "code_failed": N_("code erroné"),
    "code_refused": N_("code refusé"),
    "code_sent": N_("code envoyé"),
    "code_verified": N_("code vérifié"),
    "code_voided": N_("code annulé"),
    "first_login_started": N_("première connexion"),
    "franceconnect_first_use": N_("FranceConnect : première utilisation"),
    "franceconnect_linked": N_("FranceConnect : compte lié"),
    "franceconnect_login": N_("FranceConnect : connexion"),
    "franceconnect_refused": N_("FranceConnect : refus"),
    "franceconnect_started": N_("FranceConnect : début"),
    "identifiant_reminder_refused": N_("rappel d'identifiant refusé"),
    "identifiant_reminder_sent": N_("rappel d'identifiant envoyé"),
    "identity_confirmed": N_("identité confirmée"),
    "link_disputed": N_("rattachement contesté"),
    "login_failed": N_("échec de connexion"),
    "login_locked": N_("compte verrouillé"),
    "login_succeeded": N_("connexion"),
    "password_reset": N_("mot de passe réinitialisé"),
    "password_reset_refused": N_("réinitialisation refusée"),
    "provisional_voided": N_("mot de passe provisoire annulé"),
    "registration_ended": N_("inscription terminée"),
    "registration_refused": N_("inscription refusée"),
    "registration_started": N_("inscription commencée"),
    "school_import": N_("import de l'établissement"),
}


class JournalPane(TabPane):
    def __init__(self) -> None:
        super().__init__(_("Journal"), id=JOURNAL_TAB)
        self.events: tuple[AuditEvent, ...] = ()

    def compose(self) -> ComposeResult:
        yield Static(
            _("Journal de sécurité, tous établissements, du plus récent au plus ancien."),
            classes="pane-title",
        )
        yield DataTable(id="journal", cursor_type="row")
        yield Static("", id="journal-detail", markup=False)

    def on_mount(self) -> None:
        self.query_one("#journal", DataTable).add_columns(
            _("Date"), _("Événement"), _("Identifiant"), _("Opérateur")
        )

    def show(self, events: Sequence[AuditEvent]) -> None:
        table = self.query_one("#journal", DataTable)
        table.clear()
        self.events = tuple(events)
        for event in events:
            table.add_row(
                plain(when(event.at)),
                plain(_event_label(event)),
                plain(event.identifiant or "—"),
                plain(event.operator or "—"),
            )
        self.show_event_detail()

    def show_event_detail(self) -> None:
        """The highlighted event's detail, in full: at 80 columns it has no room in the table."""
        table = self.query_one("#journal", DataTable)
        detail = self.query_one("#journal-detail", Static)
        if not self.events:
            detail.update(_("Le journal est vide."))
            return
        event = self.events[min(max(table.cursor_row, 0), len(self.events) - 1)]
        parts = [
            second(event.at),
            _event_label(event),
        ]
        if event.guardian_id:
            parts.append(_("responsable %(guardian)s") % {"guardian": event.guardian_id})
        parts.append(" ".join(event.detail.split()) or _("sans détail"))
        detail.update(Content(" — ".join(parts)))

    @on(DataTable.RowHighlighted, "#journal")
    def event_highlighted(self) -> None:
        self.show_event_detail()


def _event_label(event: AuditEvent) -> str:
    """The event's name for a person; an event this app does not know shows its code."""
    label = EVENT_LABELS.get(event.event)
    return _(label) if label is not None else event.event
