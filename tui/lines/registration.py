"""Steps 3 to 8, the guardian's self-registration by SMS, as lines and prompts: the same calls
of ``services.registration`` as the screens of ``tui.screens.registration``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from services import ServiceError
from tui.journey import (
    AccountAlreadyActive,
    BackToLogin,
    ChildrenConfirmed,
    CodeAccepted,
    CodeSent,
    Outcome,
    PasswordChosen,
    RegistrationStarted,
    Step,
    VisitFinished,
)
from tui.language import _, current
from tui.lines.console import GoBack
from tui.lines.visit import Visit, child_line, list_services, new_password_fields, read_phone

if TYPE_CHECKING:
    from services.passwords import PasswordContext
    from services.registration import (
        AccountActivated,
        ChildAnswer,
        ChildrenToConfirm,
        ChildView,
        ExistingAccount,
        RegistrationService,
    )


__all__ = ["HANDLERS", "activation_code", "confirm_children"]


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
    ended: list[Outcome] = []

    def send(index: int) -> str | None:
        """« Recevoir mon code SMS » sends it; a refusal is said, then the same prompt."""
        if index == 1:
            return None
        try:
            visit.call(visit.services.registration.send_code, visit.flow.token or "")
        except ServiceError as error:
            ending = visit.registration_refused(error)
            if ending is None:
                return error.text(current())
            ended.append(ending)
            return None
        ended.append(CodeSent())
        return None

    if console.choose(_("Votre choix"), options, send) == 1:
        raise GoBack()
    if isinstance(ended[0], CodeSent):
        console.say(
            _("Un code vous a été envoyé par SMS au %(phone)s.")
            % {"phone": visit.flow.phone_display}
        )
    return ended[0]


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
            console.refused(error)
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
            console.refused(error)
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
    registration = visit.services.registration

    def confirm(token: str, answers: list[ChildAnswer]) -> Outcome:
        """Step 7 checks the password against the identifiant these answers produced."""
        confirmed = registration.confirm_children(token, answers)
        context = registration.password_context(token)
        visit.flow.identifiant = confirmed.identifiant
        disputed = tuple(c for c in to_confirm.children if c.pupil_id in confirmed.disputed)
        return ChildrenConfirmed(context, disputed)

    return visit.until_abandoned(lambda: confirm_children(visit, to_confirm, confirm))


def confirm_children(
    visit: Visit,
    to_confirm: ChildrenToConfirm,
    confirm: Callable[[str, list[ChildAnswer]], Outcome],
) -> Outcome:
    """Step 6 (FranceConnect's first use goes through it too): « Oui » with the date of
    birth, or « Non », for each child, then ``confirm`` with the answers."""
    from services.registration import ChildAnswer

    console = visit.console
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
            born = console.ask(_("né(e) le (JJ/MM/AAAA)")) if yes == 0 else ""
            answers.append(
                ChildAnswer(pupil_id=child.pupil_id, is_guardian=yes == 0, birth_date=born)
            )
        try:
            return visit.call(confirm, token, answers)
        except ServiceError as error:
            ending = visit.registration_refused(error)
            if ending is not None:
                return ending
            console.refused(error)
            for child in to_confirm.children:
                if child.pupil_id in getattr(error, "pupil_ids", ()):
                    console.item(child_line(child))


def password(
    visit: Visit, context: PasswordContext, disputed: tuple[ChildView, ...] = ()
) -> Outcome:
    console = visit.console
    console.say(_("Votre identifiant : %(identifiant)s") % {"identifiant": context.identifiant})
    console.say(
        _(
            "N'oubliez pas de noter l'identifiant et le mot de passe définitif que vous avez "
            "choisi pour votre compte."
        )
    )
    visit.say_password_rules()

    def submit(answers: dict[str, str]) -> AccountActivated:
        return visit.services.registration.set_password(
            visit.flow.token or "", answers["password"], answers["confirmation"]
        )

    def ask() -> Outcome:
        activated = visit.form(new_password_fields(), submit, refused=visit.registration_refused)
        if isinstance(activated, Outcome):
            return activated
        visit.flow.token = None
        return PasswordChosen(activated, disputed)

    return visit.until_abandoned(ask)


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
    Step.ACTIVATION: activation,
    Step.SMS_CONFIRMATION: sms_confirmation,
    Step.ACTIVATION_CODE: activation_code,
    Step.CHILDREN: children,
    Step.PASSWORD: password,
    Step.ACCOUNT_ACTIVATED: account_activated,
    Step.EXISTING_ACCOUNT: existing_account,
}
