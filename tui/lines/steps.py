"""Each step of the guide as lines and prompts: it asks, calls the same service as its screen,
and ends with the same outcome (``tui.journey``); ``tui.lines.session`` moves on as the
journey table says.

A refusal is one « Erreur : » line, then the prompt of the field it concerns again (every
field of the form when it names none).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from services import ServiceError
from services.errors import SINGLE_LINK_SENTENCE, AlreadyHasAccount, RegistrationEnded
from services.i18n import N_, _
from store import StoreError
from tui.choices import ENT_PROFILES, ENT_SITE, GUARDIAN, PROFILE_NAMES, PUPIL, SERVICES, SITES
from tui.flow import Flow
from tui.journey import (
    AccountAlreadyActive,
    AccountAsked,
    BackToLogin,
    ChildrenConfirmed,
    CodeAccepted,
    CodeSent,
    EntChosen,
    EntProfileChosen,
    FirstLoginStarted,
    LoggedIn,
    NoAccount,
    Outcome,
    PasswordChosen,
    ProfileChosen,
    RegistrationAbandoned,
    RegistrationRestarted,
    RegistrationStarted,
    Step,
    TeleservicesChosen,
    VisitFinished,
)
from tui.lines.console import Console, GoBack

if TYPE_CHECKING:
    from services import Services
    from services.passwords import PasswordContext
    from services.registration import (
        AccountActivated,
        ChildrenToConfirm,
        ChildView,
        ExistingAccount,
        RegistrationService,
    )

__all__ = ["HANDLERS", "Visit"]

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
        except ServiceError:
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
        names a field asks that one again; one that names none asks them all. ``refused``
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
                console.error(error.message)
                self.after_refusal(error)
                again = [f for f in fields if f[0] == error.field] or list(fields)
                for name, label, secret in again:
                    answers[name] = console.ask(label, secret=secret)

    def after_refusal(self, error: ServiceError) -> None:
        """What a refusal adds below its line: the password rules it names."""
        for rule in getattr(error, "unmet", ()):
            self.console.item(rule)

    def registration_refused(self, error: ServiceError) -> Outcome | None:
        """As the screens of steps 3 to 7 do: an account already active is named, and a
        registration the server has ended leaves only « Recommencer l'activation »."""
        if isinstance(error, AlreadyHasAccount):
            self.flow.token = None
            return AccountAlreadyActive(error.identifiant)
        if isinstance(error, RegistrationEnded):
            self.flow.token = None
            self.console.error(error.message)
            self.console.choose(_("Votre choix"), [_("Recommencer l'activation")])
            return RegistrationRestarted()
        return None

    def confirm_abandon(self) -> Outcome:
        """« retour » at steps 6 and 7 abandons the activation, once confirmed."""
        console = self.console
        console.say(_("Abandonner l'activation ?"))
        choice = console.choose(_("Votre choix"), [_("Continuer l'activation"), _("Abandonner")])
        if choice == 0:
            raise GoBack()
        self.flow.token = None
        return RegistrationAbandoned()


def entry(visit: Visit) -> Outcome:
    choice = visit.console.choose(_("Site de départ"), [_(label) for _key, label in SITES])
    visit.flow.site = SITES[choice][0]
    return EntChosen() if visit.flow.site == ENT_SITE else TeleservicesChosen()


def ent_profile(visit: Visit) -> Outcome:
    console = visit.console
    console.say(_("Vous souhaitez vous connecter à votre ENT en tant que :"))
    labels = [_(label) for label, _leads_on in ENT_PROFILES]

    def refuse(index: int) -> str | None:
        label, leads_on = ENT_PROFILES[index]
        if leads_on:
            return None
        return _(
            "« %(profile)s » ne passe pas par ÉduConnect : ce parcours est en dehors de ce "
            "service. Pour créer un compte de représentant légal, choisissez « %(way)s »."
        ) % {"profile": _(label), "way": _(ENT_PROFILES[0][0])}

    console.choose(_("Profil"), labels, refuse)
    return EntProfileChosen()


def educonnect_profile(visit: Visit) -> Outcome:
    keys = (GUARDIAN, PUPIL)
    choice = visit.console.choose(
        _("Je sélectionne mon profil"), [_(PROFILE_NAMES[key]) for key in keys]
    )
    visit.flow.profile = keys[choice]
    return ProfileChosen()


def authentication(visit: Visit) -> Outcome:
    console = visit.console
    console.say(_(PROFILE_NAMES.get(visit.flow.profile, PROFILE_NAMES[GUARDIAN])))
    options = [_("Se connecter")]
    if visit.flow.profile != PUPIL:
        options.append(_("Je n'ai pas de compte"))
    if console.choose(_("Votre choix"), options) == 1:
        return NoAccount()
    return log_in(visit)


def log_in(visit: Visit) -> Outcome:
    # Imported here, as the screen does: the domain is loaded once a login is asked for.
    from services.login import LoginSession
    from store.records import AccountKind

    pupil = visit.flow.profile == PUPIL

    def submit(answers: dict[str, str]) -> object:
        if pupil:
            return visit.services.pupils.login(answers["identifiant"], answers["password"])
        return visit.services.login.login(
            answers["identifiant"], answers["password"], profile=AccountKind.GUARDIAN
        )

    fields = [("identifiant", _("Identifiant"), False), ("password", _("Mot de passe"), True)]
    outcome = visit.form(fields, submit)
    if isinstance(outcome, LoginSession):
        visit.flow.session = outcome
        return LoggedIn()
    return FirstLoginStarted(outcome)  # type: ignore[arg-type]


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


def services_step(visit: Visit) -> Outcome:
    console = visit.console
    session = visit.flow.session
    if session is None:
        return BackToLogin()
    console.say(
        _("Bonjour %(prenom)s %(nom)s") % {"prenom": session.prenom, "nom": session.nom.upper()}
    )
    console.say(_("Identifiant : %(identifiant)s") % {"identifiant": session.identifiant})
    console.say(_("Élèves rattachés à votre compte"))
    for child in session.children:
        console.item(child_line(child))
    if not session.children:
        console.item(_("Aucun élève rattaché."))
    list_services(console)
    choice = console.choose(_("Votre choix"), [_("Mon compte"), _("Se déconnecter")])
    if choice == 0:
        return AccountAsked()
    visit.flow.session = None
    return BackToLogin(session.identifiant)


def activation(visit: Visit) -> Outcome:
    def submit(answers: dict[str, str]) -> RegistrationStarted:
        started = visit.services.registration.start(
            answers["nom"], answers["prenom"], answers["portable"]
        )
        visit.flow.token = started.token
        visit.flow.phone = started.phone
        visit.flow.phone_display = started.phone_display
        visit.flow.identifiant = ""
        return RegistrationStarted()

    fields = [
        ("nom", _("Nom"), False),
        ("prenom", _("Prénom"), False),
        ("portable", _("N° de téléphone portable"), False),
    ]
    return visit.form(fields, submit)


def sms_confirmation(visit: Visit) -> Outcome:
    console = visit.console
    console.say(_("N° de téléphone portable : %(phone)s") % {"phone": visit.flow.phone_display})
    options = [_("Recevoir mon code SMS"), _("Modifier le numéro")]
    while True:
        if console.choose(_("Votre choix"), options) == 1:
            raise GoBack()
        try:
            visit.call(visit.services.registration.send_code, visit.flow.token or "")
        except ServiceError as error:
            ending = visit.registration_refused(error)
            if ending is not None:
                return ending
            console.error(error.message)
            continue
        console.say(
            _("Un code vous a été envoyé par SMS au %(phone)s.")
            % {"phone": visit.flow.phone_display}
        )
        return CodeSent()


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


def activation_code(visit: Visit) -> Outcome:
    from services.registration import ExistingAccount

    console = visit.console
    registration = visit.services.registration
    token = visit.flow.token or ""
    console.say(
        _(
            "Tapez « telephone » pour lire les SMS reçus (téléphone de démonstration), "
            "« renvoyer » pour recevoir un nouveau code."
        )
    )

    def resend() -> None:
        try:
            sent = visit.call(registration.send_code, token, resend=True)
        except ServiceError as error:
            console.error(error.message)
            return
        console.say(
            _("Un nouveau code a été envoyé au %(phone)s. Le code précédent n'est plus valable.")
            % {"phone": sent.phone_display}
        )

    commands = {"telephone": lambda: read_phone(visit), "téléphone": lambda: read_phone(visit)}
    commands["renvoyer"] = resend
    label = _("J'indique le code d'activation reçu par SMS (valable 30min)")
    while True:
        code = console.ask(label, extra=commands)
        try:
            checked = visit.call(verify_then_list, registration, token, code)
        except ServiceError as error:
            ending = visit.registration_refused(error)
            if ending is not None:
                return ending
            console.error(error.message)
            continue
        if isinstance(checked, ExistingAccount):
            # The code proved the mobile is theirs: only now may the account be named.
            visit.flow.token = None
            return AccountAlreadyActive(checked.identifiant)
        return CodeAccepted(checked)


def verify_then_list(
    registration: RegistrationService, token: str, code: str
) -> ChildrenToConfirm | ExistingAccount:
    return registration.verify_code(token, code) or registration.children(token)


def children(visit: Visit, to_confirm: ChildrenToConfirm) -> Outcome:
    try:
        return confirm_children(visit, to_confirm)
    except GoBack:
        return visit.confirm_abandon()


def confirm_children(visit: Visit, to_confirm: ChildrenToConfirm) -> Outcome:
    from services.registration import ChildAnswer

    console = visit.console
    registration = visit.services.registration
    token = visit.flow.token or ""
    while True:
        console.say(_("Je confirme être le représentant légal de"))
        answers: list[ChildAnswer] = []
        for child in to_confirm.children:
            console.say("")
            console.say(child_line(child))
            yes = console.choose(
                _("Je suis le représentant légal de cet élève ?"), [_("Oui"), _("Non")]
            )
            if yes == 1 and to_confirm.single_link:
                console.say(_(SINGLE_LINK_SENTENCE))
            born = console.ask(_("né(e) le (JJ/MM/AAAA)")) if yes == 0 else ""
            answers.append(
                ChildAnswer(pupil_id=child.pupil_id, is_guardian=yes == 0, birth_date=born)
            )
        try:
            confirmed = visit.call(registration.confirm_children, token, answers)
            context = visit.call(registration.password_context, token)
        except ServiceError as error:
            ending = visit.registration_refused(error)
            if ending is not None:
                return ending
            console.error(error.message)
            for child in to_confirm.children:
                if child.pupil_id in getattr(error, "pupil_ids", ()):
                    console.item(child_line(child))
            continue
        visit.flow.identifiant = confirmed.identifiant
        disputed = tuple(c for c in to_confirm.children if c.pupil_id in confirmed.disputed)
        return ChildrenConfirmed(context, disputed)


def password(
    visit: Visit, context: PasswordContext, disputed: tuple[ChildView, ...] = ()
) -> Outcome:
    from services.passwords import check_password

    console = visit.console
    console.say(_("Votre identifiant : %(identifiant)s") % {"identifiant": context.identifiant})
    console.say(
        _(
            "N'oubliez pas de noter l'identifiant et le mot de passe définitif que vous avez "
            "choisi pour votre compte."
        )
    )
    console.say(_("Le mot de passe doit respecter ces règles :"))
    for rule in check_password("", visit.services.settings):
        console.item(rule.label)

    def submit(answers: dict[str, str]) -> AccountActivated:
        return visit.services.registration.set_password(
            visit.flow.token or "", answers["password"], answers["confirmation"]
        )

    fields = [
        ("password", _("Nouveau mot de passe"), True),
        ("confirmation", _("Confirmation du mot de passe"), True),
    ]
    try:
        activated = visit.form(fields, submit, refused=visit.registration_refused)
    except GoBack:
        return visit.confirm_abandon()
    if isinstance(activated, Outcome):
        return activated
    visit.flow.token = None
    return PasswordChosen(activated, disputed)


def account_activated(
    visit: Visit, activated: AccountActivated, disputed: tuple[ChildView, ...] = ()
) -> Outcome:
    console = visit.console
    console.say(_("Votre compte est activé"))
    console.say(_("Votre identifiant : %(identifiant)s") % {"identifiant": activated.identifiant})
    console.say(_("Élèves rattachés à votre compte"))
    for child in activated.children:
        console.item(child_line(child))
    if disputed:
        console.say(_("Rattachement signalé comme erroné"))
        for child in disputed:
            console.item(child_line(child))
    list_services(console)
    console.say(
        _(
            "En cas d'oubli, utilisez « Identifiant oublié ? » ou « Mot de passe oublié ? » sur "
            "la page de connexion : l'établissement n'envoie pas d'identifiant ni de mot de "
            "passe aux représentants légaux."
        )
    )
    console.choose(_("Votre choix"), [_("Terminer")])
    return VisitFinished()


def existing_account(visit: Visit, identifiant: str) -> Outcome:
    console = visit.console
    console.say(_("Vous avez déjà un compte"))
    console.say(
        _(
            "Le code est juste, mais ce numéro de portable est celui d'un compte ÉduConnect "
            "déjà activé : il n'y a rien à activer de nouveau."
        )
    )
    console.say(_("Votre identifiant : %(identifiant)s") % {"identifiant": identifiant})
    console.choose(_("Votre choix"), [_("Se connecter")])
    return BackToLogin(identifiant)


HANDLERS: dict[Step, Callable[..., Outcome]] = {
    Step.ENTRY: entry,
    Step.ENT_PROFILE: ent_profile,
    Step.EDUCONNECT_PROFILE: educonnect_profile,
    Step.AUTHENTICATION: authentication,
    Step.SERVICES: services_step,
    Step.ACTIVATION: activation,
    Step.SMS_CONFIRMATION: sms_confirmation,
    Step.ACTIVATION_CODE: activation_code,
    Step.CHILDREN: children,
    Step.PASSWORD: password,
    Step.ACCOUNT_ACTIVATED: account_activated,
    Step.EXISTING_ACCOUNT: existing_account,
}
"""Each step the line mode has, called with the visit and the payload of the outcome that
led there (``tui.journey.payload``)."""
