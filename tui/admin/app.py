"""The school staff's administration app: accounts, provisional credentials, follow-up.

Separate from the families' app and never served over SSH or the web: it runs on a staff
machine with ``educonnect admin``. Every action goes through ``services.admin`` (audited with
the operator's name) in a worker thread; names and imported fields are shown as plain text.

One screen (``screen``), one module per tab (``accounts``, ``stats``, ``disputes``,
``journal``), the dialogs (``dialogs``); ``admin.tcss`` styles them all.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.screen import Screen

from services import Services
from services.i18n import _
from services.school import SchoolDetails
from tui.admin.screen import AdminScreen
from tui.drawn import DrawnApp
from tui.palette import PaletteApp

__all__ = ["AdminApp", "make_admin_app"]


class AdminApp(PaletteApp, DrawnApp[None]):
    # ``DrawnApp``: on a terminal that cannot draw the frames, tabs, tables and scrollbars,
    # ASCII in their place, as in the families' app.
    # Textual reads the title and the bindings' descriptions itself: they are translated here,
    # once at import, in the process's one default language.
    CSS_PATH = ["admin.tcss", "../palette.tcss"]  # noqa: RUF012
    TITLE = _("ÉduConnect — administration")
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", _("Quitter"), id="quit", priority=True),
    ]

    def __init__(
        self,
        services: Services,
        notices_dir: Path | None = None,
        school: SchoolDetails | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self.notices_dir = notices_dir or services.settings.db_path.parent / "notices"
        self.school = school
        # Nothing may move or tick on its own.
        self.animation_level = "none"

    def get_default_screen(self) -> Screen[None]:
        return AdminScreen(self.services, self.notices_dir, self.school)


def make_admin_app(
    services: Services, *, notices_dir: Path | None = None, school: SchoolDetails | None = None
) -> AdminApp:
    """The administration app; notices go to ``notices_dir``, by default a ``notices`` folder
    beside the data file, and carry ``school``'s details (``--etablissement``) if given."""
    return AdminApp(services, notices_dir, school)
