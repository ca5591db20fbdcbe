"""A pupil's first login with the school's provisional credentials, as lines and prompts: the
same calls of ``services.pupils`` as the screens of ``tui.screens.pupil``. An expired or voided
first login leads back to step 2 with the service's sentence; « retour » before the account
is active goes back there too, where the provisional password still works."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from services import ServiceError
from services.errors import FirstLoginEnded
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
from tui.language import _, current
from tui.lines.account import confirm_mail_code, logged_out
from tui.lines.console import GoBack
from tui.lines.visit import Visit, new_password_fields
from tui.sentences import EMAIL_WHY, IDENTITY_INTRO, PUPIL_WRITE_IT_DOWN
from tui.sentences import PUPIL_EMAIL_CONFIRMED as EMAIL_CONFIRMED

if TYPE_CHECKING:
    from services.passwords import PasswordContext
    from services.pupils import FirstLogin

__all__ = ["HANDLERS"]


def first_login_ended(started: FirstLogin) -> Callable[[ServiceError], Outcome | None]:
    """For ``Visit.form``: a first login over or expired ends at step 2, with the reason."""

    def ended(error: ServiceError) -> Outcome | None:
        if not isinstance(error, FirstLoginEnded):
            return None
        notice = Notice(_("Connexion"), error.text(current()))
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
