"""The « Suivi » tab: activation rates of the chosen establishment, per class and in all."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import DataTable, Static, TabPane

from services.admin import EstablishmentStats
from services.formatting import rate
from services.i18n import _
from tui.admin.text import plain

__all__ = ["STATS_TAB", "StatsPane"]

STATS_TAB = "tab-suivi"


class StatsPane(TabPane):
    def __init__(self) -> None:
        super().__init__(_("Suivi"), id=STATS_TAB)

    def compose(self) -> ComposeResult:
        yield Static("", id="stats-title", classes="pane-title", markup=False)
        yield DataTable(id="stats", cursor_type="row")

    def on_mount(self) -> None:
        self.query_one("#stats", DataTable).add_columns(
            _("Classe"), _("Élèves activés"), _("Représentants légaux activés")
        )

    def show(self, school: EstablishmentStats | None) -> None:
        title = self.query_one("#stats-title", Static)
        table = self.query_one("#stats", DataTable)
        table.clear()
        if school is None:
            title.update(_("Aucun élève enregistré."))
            return
        title.update(_("Comptes activés, par classe et pour tout l'établissement."))
        for group in school.classes:
            table.add_row(
                plain(group.classe or _("(sans classe)")),
                plain(rate(group.pupils)),
                plain(rate(group.guardians)),
            )
        table.add_row(
            plain(_("Établissement"), "bold"),
            plain(rate(school.pupils), "bold"),
            plain(rate(school.guardians), "bold"),
        )
