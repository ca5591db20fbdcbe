"""A pupil's first login with the school's provisional credentials, as lines and prompts: the
same calls of ``services.pupils`` as the screens of ``tui.screens.pupil``. An expired or voided
first login leads back to step 2 with the service's sentence; « retour » before the account
is active goes back there too, where the provisional password still works."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from services import ServiceError
from services.errors import FirstLoginEnded
from services.i18n import N_, _
from tui.journey import (
    BackToLogin,
    EmailConfirmed,
    EmailSkipped,
    IdentityConfirmed,
    Notice,
    Outcome,
    PupilPasswordChosen,
    Step,
)
from tui.lines.account import confirm_mail_code, logged_out
from tui.lines.console import GoBack
from tui.lines.visit import Visit, new_password_fields

if TYPE_CHECKING:
    from services.passwords import PasswordContext
    from services.pupils import FirstLogin

__all__ = ["HANDLERS"]

# The screens' msgids: one translation for both.
IDENTITY_INTRO = N_(
    "Votre mot de passe provisoire est reconnu. Pour protéger votre compte, confirmez votre "
    "identité avec votre date de naissance, telle que votre établissement la connaît."
)
PUPIL_WRITE_IT_DOWN = N_(
    "Notez votre identifiant et le mot de passe que vous allez choisir : le mot de passe "
    "provisoire de la notice ne fonctionnera plus."
)
EMAIL_WHY = N_(
    "Une adresse e-mail confirmée vous permettra de choisir un nouveau mot de passe avec « Mot "
    "de passe oublié ? ». Sans elle, seul votre établissement pourra vous remettre un nouveau "
    "mot de passe provisoire."
)
EMAIL_CONFIRMED = N_(
    "Votre adresse e-mail est confirmée : elle pourra recevoir le code de « Mot de passe "
    "oublié ? »."
)


def first_login_ended(started: FirstLogin) -> Callable[[ServiceError], Outcome | None]:
    """For ``Visit.form``: a first login over or expired ends at step 2, with the reason."""

    def ended(error: ServiceError) -> Outcome | None:
        if not isinstance(error, FirstLoginEnded):
            return None
        notice = Notice(_("Connexion"), error.message)
        return BackToLogin(started.identifiant, notice=notice)

    return ended


def identity_check(visit: Visit, started: FirstLogin) -> Outcome:
    pupils = visit.services.pupils
    console = visit.console
    console.say(f"{started.prenom} {started.nom.upper()}")
    console.say(_(IDENTITY_INTRO))

    def submit(answers: dict[str, str]) -> Outcome:
        pupils.confirm_identity(started.token, answers["naissance"])
        return IdentityConfirmed(started, pupils.password_context(started.token))

    fields = [("naissance", _("Date de naissance (JJ/MM/AAAA)"), False)]
    try:
        return visit.form(fields, submit, refused=first_login_ended(started))
    except GoBack:
        return BackToLogin(started.identifiant)


def pupil_password(visit: Visit, started: FirstLogin, context: PasswordContext) -> Outcome:
    console = visit.console
    console.say(_("Votre identifiant : %(identifiant)s") % {"identifiant": context.identifiant})
    console.say(_(PUPIL_WRITE_IT_DOWN))
    visit.say_password_rules()

    def submit(answers: dict[str, str]) -> Outcome:
        activated = visit.services.pupils.set_password(
            started.token, answers["password"], answers["confirmation"]
        )
        visit.flow.session = activated.session
        visit.flow.identifiant = activated.identifiant
        return PupilPasswordChosen()

    try:
        return visit.form(new_password_fields(), submit, refused=first_login_ended(started))
    except GoBack:
        return BackToLogin(started.identifiant)


def pupil_email(visit: Visit) -> Outcome:
    session = visit.flow.session
    if session is None:
        return logged_out(visit)
    console = visit.console
    console.say(_("Votre compte est activé"))
    console.say(_("Votre identifiant : %(identifiant)s") % {"identifiant": session.identifiant})
    console.say(_(EMAIL_WHY))
    options = [_("Ajouter une adresse e-mail"), _("Passer cette étape")]
    try:
        if console.choose(_("Votre choix"), options) == 1:
            return EmailSkipped()

        def submit(answers: dict[str, str]) -> str:
            return visit.services.account.set_email(session, answers["email"]).email

        sent = visit.form([("email", _("Adresse e-mail (facultatif)"), False)], submit)
    except GoBack:
        # The screen's Escape: « Passer cette étape ».
        return EmailSkipped()
    if isinstance(sent, Outcome):
        return sent
    visit.flow.email = sent
    console.say(_("Un code de confirmation a été envoyé à %(email)s.") % {"email": sent})
    try:
        ended = confirm_mail_code(visit, session)
    except GoBack:
        return EmailSkipped()
    if ended is not None:
        return ended
    return EmailConfirmed(notice=Notice(_("Adresse e-mail confirmée"), _(EMAIL_CONFIRMED)))


HANDLERS: dict[Step, Callable[..., Outcome]] = {
    Step.IDENTITY_CHECK: identity_check,
    Step.PUPIL_PASSWORD: pupil_password,
    Step.PUPIL_EMAIL: pupil_email,
}
