"""Small parts several steps show alike: the phone, code and date fields, a child's line, the
services list and the Up/Down keys of a list of buttons."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content

from tui.choices import SERVICES
from tui.language import N_, _
from tui.widgets import TextField
from tui.widgets.button import InstantButton

if TYPE_CHECKING:
    from services.registration import ChildView

__all__ = [
    "OVERSEAS_HINT",
    "SERVICES",
    "UP_DOWN_BINDINGS",
    "child_line",
    "child_name",
    "code_field",
    "compose_services",
    "date_field",
    "phone_field",
    "service_name",
]

OVERSEAS_HINT = N_(
    "Pour les numéros hors France métropolitaine, merci d'indiquer l'indicatif régional."
)

PHONE_CHARACTERS = r"[0-9+ .\-()]*"
CODE_CHARACTERS = r"[A-Za-z ]*"
DATE_CHARACTERS = r"[0-9/.\- ]*"

UP_DOWN_BINDINGS: list[BindingType] = [
    # Priority: the scrolling form column would otherwise take Up/Down before the screen.
    Binding("up", "app.focus_previous", N_("Précédent"), show=False, priority=True),
    Binding("down", "app.focus_next", N_("Suivant"), show=False, priority=True),
]
"""For a screen that is a list of buttons: Up/Down move between them as Tab does."""


def phone_field() -> TextField:
    """The mobile number, as the school recorded it (overseas numbers with their prefix)."""
    return TextField(
        _("N° de téléphone portable"),
        id="portable",
        hint=_(OVERSEAS_HINT),
        max_length=30,
        restrict=PHONE_CHARACTERS,
    )


def code_field(label: str) -> TextField:
    """The field for a six-letter code sent by SMS or e-mail: letters and spaces only, and
    room for a code typed with spaces between the letters."""
    return TextField(
        label, id="code", placeholder=_("6 lettres"), max_length=12, restrict=CODE_CHARACTERS
    )


def date_field(label: str, field_id: str) -> TextField:
    """A date of birth, JJ/MM/AAAA."""
    return TextField(
        label, id=field_id, placeholder=_("JJ/MM/AAAA"), max_length=10, restrict=DATE_CHARACTERS
    )


def child_name(child: ChildView) -> Content:
    """« Lucas MARTIN »: pupil names are data from a file, never markup."""
    return Content(f"{child.prenom} {child.nom.upper()}")


def child_line(child: ChildView) -> Content:
    """« • Inès MOREAU — CLG Frédéric Bazille, classe 3B », never parsed as markup."""
    line = _("%(prenom)s %(nom)s — %(school)s, classe %(classe)s") % {
        "prenom": child.prenom,
        "nom": child.nom.upper(),
        "school": child.etablissement,
        "classe": child.classe,
    }
    return Content(f" • {line}")


def compose_services() -> ComposeResult:
    """One button per service the account opens."""
    with Vertical(id="services"):
        for button_id, label, _name in SERVICES:
            yield InstantButton(_(label), id=button_id, compact=True)


def service_name(button_id: str | None) -> str:
    """The service a button of ``compose_services`` opens, as a notice names it."""
    return next(_(name) for known_id, _label, name in SERVICES if known_id == button_id)
