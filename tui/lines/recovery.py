"""« Identifiant oublié ? » and « Mot de passe oublié ? » as lines and prompts: the same calls
of ``services.recovery`` as the screens of ``tui.screens.recovery``, and the same neutral
sentences, so nothing written here tells whether an account exists."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from services import ServiceError
from tui.journey import (
    BackToLogin,
    IdentifiantReminded,
    Outcome,
    PasswordForgotten,
    PasswordReset,
    ResetCodeAccepted,
    ResetCodeSent,
    Step,
)
from tui.language import _
from tui.lines.console import GoBack
from tui.lines.visit import Visit, new_password_fields
from tui.sentences import CODE_ALREADY_ASKED, IDENTIFIANT_INTRO, RESENT

if TYPE_CHECKING:
    from services.passwords import PasswordContext
    from services.recovery import ResetChannel

__all__ = ["HANDLERS"]


def choose_channel(visit: Visit, label: str, hints: Mapping[ResetChannel, str]) -> ResetChannel:
    """SMS or e-mail, each said with its rule (« Par SMS, au numéro de portable saisi »)
    before anything is sent."""
    channels = list(hints)
    return channels[visit.console.choose(label, [_(hints[c]) for c in channels])]


def forgot_identifiant(visit: Visit) -> Outcome:
    from services.phones import parse_mobile
    from services.recovery import REMINDER_CHANNEL_HINTS

    visit.console.say(_(IDENTIFIANT_INTRO))
    channel = choose_channel(visit, _("Recevoir mon identifiant"), REMINDER_CHANNEL_HINTS)

    def submit(answers: dict[str, str]) -> Outcome:
        sent = visit.services.recovery.remind_identifiant(
            answers["nom"], answers["prenom"], answers["portable"], channel=channel
        )
        # The number the person typed: `telephone` follows it, whatever matched.
        visit.flow.phone = parse_mobile(answers["portable"])
        visit.flow.phone_display = sent.phone_display
        return IdentifiantReminded(sent.message)

    fields = [
        ("nom", _("Nom"), False),
        ("prenom", _("Prénom"), False),
        ("portable", _("N° de téléphone portable"), False),
    ]
    return visit.form(fields, submit)


def identifiant_sent(visit: Visit, message: str) -> Outcome:
    console = visit.console
    console.say(_("Numéro saisi : %(number)s") % {"number": visit.flow.phone_display})
    console.say(message)
    options = [_("Retour à la connexion"), _("Mot de passe oublié ?")]
    try:
        choice = console.choose(_("Votre choix"), options)
    except GoBack:
        choice = 0
    return BackToLogin() if choice == 0 else PasswordForgotten()


def forgot_password(visit: Visit, identifiant: str = "") -> Outcome:
    from services.errors import RequestLimited
    from services.recovery import RESET_CHANNEL_HINTS

    console = visit.console
    console.say(_("Un code vous est envoyé pour choisir un nouveau mot de passe."))
    if identifiant:
        console.say(_("Identifiant : %(identifiant)s") % {"identifiant": identifiant})
    channel = choose_channel(visit, _("Recevoir le code"), RESET_CHANNEL_HINTS)
    typed = identifiant or console.ask(_("Identifiant"))
    while True:
        try:
            requested = visit.call(
                visit.services.recovery.request_password_reset, typed, channel=channel
            )
        except ServiceError as error:
            console.refused(error)
            if isinstance(error, RequestLimited):
                # As the screen's « J'ai reçu un code : le saisir → » under this refusal.
                options = [_("J'ai reçu un code : le saisir"), _("Recommencer la demande")]
                if console.choose(_("Votre choix"), options) == 0:
                    return ResetCodeSent(typed.strip(), channel, _(CODE_ALREADY_ASKED))
            typed = console.ask(_("Identifiant"))
            continue
        return ResetCodeSent(requested.identifiant, channel, requested.message)


def reset_code(visit: Visit, identifiant: str, channel: ResetChannel, message: str) -> Outcome:
    console = visit.console
    recovery = visit.services.recovery
    console.say(message)
    console.say(_("Tapez « renvoyer » pour recevoir un nouveau code."))

    def resend() -> None:
        try:
            visit.call(recovery.request_password_reset, identifiant, channel=channel)
        except ServiceError as error:
            console.refused(error)
            return
        console.say(_(RESENT))

    while True:
        code = console.ask(_("Code reçu (valable 30 min)"), extra={"renvoyer": resend})
        try:
            accepted = visit.call(recovery.verify_reset_code, identifiant, code)
            context = visit.call(recovery.password_context, accepted.token)
        except ServiceError as error:
            console.refused(error)
            continue
        return ResetCodeAccepted(accepted.token, context)


def new_password(visit: Visit, token: str, context: PasswordContext) -> Outcome:
    from services.errors import ResetEnded

    console = visit.console
    console.say(_("Identifiant : %(identifiant)s") % {"identifiant": context.identifiant})
    visit.say_password_rules()

    def submit(answers: dict[str, str]) -> Outcome:
        done = visit.services.recovery.set_new_password(
            token, answers["password"], answers["confirmation"]
        )
        return PasswordReset(done.identifiant)

    def ended(error: ServiceError) -> Outcome | None:
        if not isinstance(error, ResetEnded):
            return None
        console.refused(error)
        return BackToLogin(context.identifiant)

    try:
        return visit.form(new_password_fields(), submit, refused=ended)
    except GoBack:
        # « Annuler »: the code is used, the login screen comes back.
        return BackToLogin(context.identifiant)


def password_changed(visit: Visit, identifiant: str) -> Outcome:
    console = visit.console
    console.say(_("Votre mot de passe a été modifié"))
    console.say(
        _("Connectez-vous avec votre identifiant %(identifiant)s et votre nouveau mot de passe.")
        % {"identifiant": identifiant}
    )
    console.say(
        _(
            "Les sessions ouvertes avec l'ancien mot de passe sont fermées. Un message vous "
            "informe de ce changement."
        )
    )
    # « retour » leads to the login page as well: it is the way back from here.
    with contextlib.suppress(GoBack):
        console.choose(_("Votre choix"), [_("Retour à la connexion")])
    return BackToLogin(identifiant)


HANDLERS: dict[Step, Callable[..., Outcome]] = {
    Step.FORGOT_IDENTIFIANT: forgot_identifiant,
    Step.IDENTIFIANT_SENT: identifiant_sent,
    Step.FORGOT_PASSWORD: forgot_password,
    Step.RESET_CODE: reset_code,
    Step.NEW_PASSWORD: new_password,
    Step.PASSWORD_CHANGED: password_changed,
}
