"""What every step of the line mode uses: the services, what the steps share (``tui.flow``),
the console, and service calls whose refusals are one « Erreur : » line, then the prompt of
the field concerned again (every field of the form when the refusal names none).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from services import ServiceError
from services.errors import AlreadyHasAccount, RegistrationEnded, TooManyBirthDates
from store import StoreError
from tui.choices import SERVICES
from tui.flow import Flow
from tui.journey import (
    AccountAlreadyActive,
    Outcome,
    RegistrationAbandoned,
    RegistrationRestarted,
)
from tui.language import N_, _
from tui.lines.console import Console, GoBack, Leave

if TYPE_CHECKING:
    from services import Services
    from services.registration import ChildView


__all__ = ["Visit", "child_line", "list_services", "new_password_fields", "read_phone"]

T = TypeVar("T")
log = logging.getLogger(__name__)

# The same msgids as the screens' sentences: one translation for both.
UNEXPECTED = N_(
    "Une erreur inattendue est survenue. Réessayez ; si elle persiste, contactez l'établissement."
)


@dataclass
class Visit:
    """One person's way through the steps: the services, what the steps share, the console."""

    services: Services
    flow: Flow
    console: Console

    def call(self, function: Callable[..., T], *args: object, **kwargs: object) -> T:
        """A service call whose failures all reach the person as a ``ServiceError``."""
        try:
            return function(*args, **kwargs)
        except (ServiceError, GoBack, Leave):
            raise
        except StoreError as error:
            raise ServiceError.relaying(error.message) from error
        except Exception as error:
            log.exception("service call failed")
            raise ServiceError.relaying(_(UNEXPECTED)) from error

    def form(
        self,
        fields: Sequence[tuple[str, str, bool]],
        submit: Callable[[dict[str, str]], T],
        *,
        refused: Callable[[ServiceError], Outcome | None] | None = None,
    ) -> T | Outcome:
        """Ask every field (name, label, secret), then ``submit`` the answers. A refusal that
        names a field asks that one again (with the secret ones after it: a new password is
        confirmed again); one that names none asks them all. ``refused``
        may end the step instead (a registration the server has closed)."""
        console = self.console
        answers = {name: console.ask(label, secret=secret) for name, label, secret in fields}
        while True:
            try:
                return self.call(submit, answers)
            except ServiceError as error:
                ending = refused(error) if refused is not None else None
                if ending is not None:
                    return ending
                # A refused password's sentence names every rule it does not meet.
                console.refused(error)
                again = fields_again(fields, error.field)
                for name, label, secret in again:
                    answers[name] = console.ask(label, secret=secret)

    def say_password_rules(self) -> None:
        """Every rule a new password must meet, before it is typed (the screen ticks them as
        one types; here a refusal names the ones not met)."""
        from services.passwords import check_password

        self.console.say(_("Le mot de passe doit respecter ces règles :"))
        for rule in check_password("", self.services.settings):
            self.console.item(rule.label)

    def registration_refused(self, error: ServiceError) -> Outcome | None:
        """As the screens of steps 3 to 7 do: an account already active is named, and a
        registration the server has ended leaves only « Recommencer l'activation », or
        « Retour à la connexion » while the domain says a new start must wait."""
        if isinstance(error, AlreadyHasAccount):
            self.flow.token = None
            return AccountAlreadyActive(error.identifiant)
        if isinstance(error, TooManyBirthDates) and error.next_at is not None:
            self.flow.token = None
            self.console.refused(error)
            self.console.choose(_("Votre choix"), [_("Retour à la connexion")])
            return RegistrationAbandoned()
        if isinstance(error, RegistrationEnded):
            self.flow.token = None
            self.console.refused(error)
            self.console.choose(_("Votre choix"), [_("Recommencer l'activation")])
            return RegistrationRestarted()
        return None

    def until_abandoned(self, ask: Callable[[], Outcome]) -> Outcome:
        """Steps 6 and 7: « retour » offers to abandon the activation, as their Escape does;
        « Continuer l'activation » asks the step's questions again."""
        while True:
            try:
                return ask()
            except GoBack:
                if self.abandon_confirmed():
                    self.flow.token = None
                    return RegistrationAbandoned()

    def abandon_confirmed(self) -> bool:
        console = self.console
        console.say(_("Abandonner l'activation ?"))
        options = [_("Continuer l'activation"), _("Abandonner")]
        try:
            return console.choose(_("Votre choix"), options) == 1
        except GoBack:
            # The dialog's Escape: « Continuer l'activation ».
            return False


def child_line(child: ChildView) -> str:
    return _("%(prenom)s %(nom)s — %(school)s, classe %(classe)s") % {
        "prenom": child.prenom,
        "nom": child.nom.upper(),
        "school": child.etablissement,
        "classe": child.classe,
    }


def list_services(console: Console) -> None:
    console.say(_("Vous pouvez accéder aux services :"))
    for _button, label, _name in SERVICES:
        console.item(_(label))


def read_phone(visit: Visit) -> None:
    """« telephone »: the SMS this number received, as the trainer's phone panel shows them."""
    console = visit.console
    phone = visit.flow.phone
    messages = visit.services.outbox.messages(channel="sms", to=phone) if phone else []
    if not messages:
        console.say(_("Aucun SMS reçu."))
    for message in messages:
        console.item(
            _("SMS reçu au %(phone)s : %(text)s")
            % {"phone": visit.flow.phone_display, "text": message.text}
        )


def new_password_fields() -> list[tuple[str, str, bool]]:
    """The new password and its confirmation, read without echo."""
    return [
        ("password", _("Nouveau mot de passe"), True),
        ("confirmation", _("Confirmation du mot de passe"), True),
    ]


def fields_again(
    fields: Sequence[tuple[str, str, bool]], named: str | None
) -> list[tuple[str, str, bool]]:
    """The fields a refusal naming ``named`` asks again."""
    names = [name for name, _label, _secret in fields]
    if named not in names:
        return list(fields)
    start = names.index(named)
    return [fields[start], *(field for field in fields[start + 1 :] if field[2])]
