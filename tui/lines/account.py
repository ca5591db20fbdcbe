"""« Mon compte » as lines and prompts: the same calls of ``services.account`` as the screens
of ``tui.screens.account``. A session closed elsewhere (password changed or reset) leads back
to the login, with the service's sentence, as on the screens."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from services import ServiceError
from services.errors import SessionEnded
from tui.journey import (
    BackToLogin,
    EmailChangeAsked,
    EmailCodeSent,
    EmailConfirmed,
    Notice,
    Outcome,
    PasswordChangeAsked,
    PasswordChanged,
    Step,
)
from tui.language import _, current
from tui.lines.console import GoBack
from tui.lines.visit import Visit, new_password_fields
from tui.sentences import EMAIL_CONFIRMED, EMAIL_PENDING, EMAIL_USE, MOBILE_CHANGE, PASSWORD_CHANGED

if TYPE_CHECKING:
    from datetime import datetime

    from services.account import AccountOverview
    from services.login import LoginSession

__all__ = ["HANDLERS", "confirm_mail_code", "logged_out"]


def logged_out(visit: Visit, error: ServiceError | None = None) -> Outcome:
    """The session is gone: nothing of it stays, and the login comes back with the reason."""
    session = visit.flow.session
    visit.flow.session = None
    notice = Notice(_("Connexion"), error.text(current())) if error is not None else None
    return BackToLogin(session.identifiant if session else "", notice=notice)


def session_ended(visit: Visit) -> Callable[[ServiceError], Outcome | None]:
    """For ``Visit.form``: a session closed elsewhere ends the step at the login."""

    def ended(error: ServiceError) -> Outcome | None:
        return logged_out(visit, error) if isinstance(error, SessionEnded) else None

    return ended


def changed_on(moment: datetime) -> str:
    from services.formatting import day, minute

    local = moment.astimezone()
    return _("modifié le %(day)s à %(time)s") % {"day": day(local), "time": minute(local)}


def say_overview(visit: Visit, session: LoginSession, overview: AccountOverview) -> bool:
    """The account at a glance; whether an address waits for its code."""
    console = visit.console
    pending = overview.email is not None and not overview.email_confirmed
    if pending:
        console.say(_(EMAIL_PENDING))
    console.say(_("Identifiant : %(identifiant)s") % {"identifiant": session.identifiant})
    console.say(_("Titulaire : %(name)s") % {"name": f"{session.prenom} {session.nom.upper()}"})
    if overview.mobile_display is not None:
        console.say(_("Portable : %(mobile)s") % {"mobile": overview.mobile_display})
        console.say(_(MOBILE_CHANGE))
    if overview.email is None:
        email = _("aucune")
    elif pending:
        email = _("%(email)s (à confirmer)") % {"email": overview.email}
    else:
        email = _("%(email)s (confirmée)") % {"email": overview.email}
    console.say(_("Adresse e-mail : %(email)s") % {"email": email})
    changed = (
        changed_on(overview.password_changed_at)
        if overview.password_changed_at
        else _("choisi à l'activation du compte")
    )
    console.say(_("Mot de passe : %(changed)s") % {"changed": changed})
    return pending


def account(visit: Visit) -> Outcome:
    session = visit.flow.session
    if session is None:
        return logged_out(visit)
    try:
        overview = visit.call(visit.services.account.overview, session)
    except ServiceError as error:
        if isinstance(error, SessionEnded):
            return logged_out(visit, error)
        visit.console.refused(error)
        raise GoBack() from error
    pending = say_overview(visit, session, overview)
    email_label = (
        _("Ajouter une adresse e-mail") if overview.email is None else _("Changer d'adresse e-mail")
    )
    ways: list[tuple[str, Callable[[], Outcome | None]]] = [
        (_("Changer mon mot de passe"), PasswordChangeAsked),
        (email_label, lambda: EmailChangeAsked(overview.email)),
    ]
    if pending and overview.email is not None:
        address = overview.email
        ways.append((_("Saisir le code reçu"), lambda: code_asked(visit, address)))
        ways.append((_("Renvoyer le mail"), lambda: resend_mail(visit, session)))
    ways.append((_("Mes services"), go_back))
    ways.append((_("Se déconnecter"), lambda: logged_out(visit)))
    labels = [label for label, _way in ways]
    while True:
        outcome = ways[visit.console.choose(_("Votre choix"), labels)][1]()
        if outcome is not None:
            return outcome


def go_back() -> Outcome:
    """« Mes services »: back one step, as the screen's Escape."""
    raise GoBack()


def code_asked(visit: Visit, email: str) -> Outcome:
    visit.flow.email = email
    return EmailCodeSent(email)


def resend_mail(visit: Visit, session: LoginSession) -> Outcome | None:
    """A new code for the address waiting for one; the same choices again."""
    try:
        sent = visit.call(visit.services.account.resend_email_code, session)
    except ServiceError as error:
        if isinstance(error, SessionEnded):
            return logged_out(visit, error)
        visit.console.refused(error)
        return None
    visit.flow.email = sent.email
    visit.console.say(_("Un nouveau code a été envoyé à %(email)s.") % {"email": sent.email})
    return None


def change_password(visit: Visit) -> Outcome:
    session = visit.flow.session
    if session is None:
        return logged_out(visit)
    visit.say_password_rules()

    def submit(answers: dict[str, str]) -> Outcome:
        renewed = visit.services.account.change_password(
            session, answers["current"], answers["password"], answers["confirmation"]
        )
        visit.flow.session = renewed
        visit.console.say(_(PASSWORD_CHANGED))
        return PasswordChanged()

    fields = [("current", _("Mot de passe actuel"), True), *new_password_fields()]
    return visit.form(fields, submit, refused=session_ended(visit))


def email(visit: Visit, current: str | None) -> Outcome:
    session = visit.flow.session
    if session is None:
        return logged_out(visit)
    console = visit.console
    console.say(_(EMAIL_USE))
    if current is not None:
        console.say(_("Adresse actuelle : %(email)s") % {"email": current})

    def submit(answers: dict[str, str]) -> Outcome:
        sent = visit.services.account.set_email(session, answers["email"])
        visit.flow.email = sent.email
        return EmailCodeSent(sent.email)

    return visit.form([("email", _("Adresse e-mail"), False)], submit, refused=session_ended(visit))


def read_mail(visit: Visit) -> None:
    """« courriel »: the mails this address received, as the trainer's panel shows them."""
    console = visit.console
    address = visit.flow.email
    mails = visit.services.outbox.messages(channel="email", to=address) if address else []
    if not mails:
        console.say(_("Aucun courriel reçu."))
    for mail in mails:
        console.item(
            _("Courriel reçu à %(email)s : %(subject)s — %(text)s")
            % {"email": mail.to, "subject": mail.subject, "text": mail.text}
        )


def email_code(visit: Visit, address: str) -> Outcome:
    session = visit.flow.session
    if session is None:
        return logged_out(visit)
    visit.console.say(_(EMAIL_PENDING))
    visit.console.say(_("Un code de confirmation a été envoyé à %(email)s.") % {"email": address})
    ended = confirm_mail_code(visit, session)
    if ended is not None:
        return ended
    visit.console.say(_(EMAIL_CONFIRMED))
    return EmailConfirmed()


def confirm_mail_code(visit: Visit, session: LoginSession) -> Outcome | None:
    """The code mailed to the address waiting for it, typed until it is right, with
    « courriel » and « renvoyer »; ``None`` once confirmed, else how the session ended."""
    console = visit.console
    console.say(
        _(
            "Tapez « courriel » pour lire les courriels reçus (boîte de démonstration), "
            "« renvoyer » pour recevoir un nouveau mail."
        )
    )

    def resend() -> None:
        try:
            sent = visit.call(visit.services.account.resend_email_code, session)
        except ServiceError as error:
            console.refused(error)
            return
        console.say(
            _("Un nouveau mail a été envoyé à %(email)s. Le code précédent n'est plus valable.")
            % {"email": sent.email}
        )

    commands = {"courriel": lambda: read_mail(visit), "renvoyer": resend}
    while True:
        code = console.ask(_("Code reçu par e-mail (valable 30 min)"), extra=commands)
        try:
            visit.call(visit.services.account.confirm_email, session, code)
        except ServiceError as error:
            if isinstance(error, SessionEnded):
                return logged_out(visit, error)
            console.refused(error)
            continue
        return None


HANDLERS: dict[Step, Callable[..., Outcome]] = {
    Step.ACCOUNT: account,
    Step.CHANGE_PASSWORD: change_password,
    Step.EMAIL: email,
    Step.EMAIL_CODE: email_code,
}
