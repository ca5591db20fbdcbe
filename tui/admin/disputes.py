"""The « Rattachements contestés » tab: links a guardian answered « Non » for at step 6."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.widgets import DataTable, Static, TabPane

from services.admin import DisputedLink
from services.formatting import when
from services.i18n import _
from tui.admin.text import plain

__all__ = ["DISPUTES_TAB", "DisputesPane"]

DISPUTES_TAB = "tab-contestes"


class DisputesPane(TabPane):
    def __init__(self) -> None:
        super().__init__(_("Rattachements contestés"), id=DISPUTES_TAB)

    def compose(self) -> ComposeResult:
        yield Static(
            _(
                "Un représentant légal a répondu « Non » pour cet élève à l'étape 6 : "
                "vérifiez le lien avec lui."
            ),
            classes="pane-title",
        )
        yield Static(_("Aucun rattachement contesté."), id="disputes-empty")
        yield DataTable(id="disputes", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#disputes", DataTable).add_columns(
            _("Date"), _("Représentant légal"), _("Élève"), _("Classe")
        )

    def show(self, disputes: Sequence[DisputedLink]) -> None:
        table = self.query_one("#disputes", DataTable)
        table.clear()
        for dispute in disputes:
            table.add_row(
                plain(when(dispute.disputed_at)),
                plain(f"{dispute.guardian_nom} {dispute.guardian_prenom}"),
                plain(f"{dispute.pupil_nom} {dispute.pupil_prenom}"),
                plain(dispute.classe or "—"),
            )
        table.display = bool(disputes)
        self.query_one("#disputes-empty").display = not disputes
