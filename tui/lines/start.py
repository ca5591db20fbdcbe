"""Steps 1 to 2 and the services once logged in, as lines and prompts: the same choices
(``tui.choices``) and services as the screens of ``tui.screens.start`` and ``login``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from tui.choices import ENT_PROFILES, ENT_SITE, GUARDIAN, PROFILE_NAMES, PUPIL, SITES
from tui.journey import (
    AccountAsked,
    BackToLogin,
    EntChosen,
    EntProfileChosen,
    FirstLoginStarted,
    FranceConnectChosen,
    IdentifiantForgotten,
    LoggedIn,
    NoAccount,
    Outcome,
    PasswordForgotten,
    ProfileChosen,
    Step,
    TeleservicesChosen,
)
from tui.language import _
from tui.lines.visit import Visit, child_line, list_services
from tui.sentences import PUPIL_FRANCECONNECT, PUPIL_IDENTIFIANT, PUPIL_NO_ACCOUNT

if TYPE_CHECKING:
    from services.login import LoginSession
    from services.pupils import FirstLogin


__all__ = ["HANDLERS", "services_step"]


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
    pupil = visit.flow.profile == PUPIL
    # (label, how the step ends); for a pupil, three of them are the screen's notices:
    # the school hands out the credentials, so they say whom to ask.
    ways: list[tuple[str, Callable[[], Outcome]]] = [
        (_("Se connecter"), lambda: log_in(visit)),
        (_("Je n'ai pas de compte"), NoAccount),
        (_("Identifiant oublié ?"), IdentifiantForgotten),
        (_("Mot de passe oublié ?"), PasswordForgotten),
        (_("S'identifier avec FranceConnect"), FranceConnectChosen),
    ]
    for_pupils = {1: PUPIL_NO_ACCOUNT, 2: PUPIL_IDENTIFIANT, 4: PUPIL_FRANCECONNECT}

    def refuse(index: int) -> str | None:
        return _(for_pupils[index]) if pupil and index in for_pupils else None

    choice = console.choose(_("Votre choix"), [label for label, _end in ways], refuse)
    return ways[choice][1]()


def log_in(visit: Visit) -> Outcome:
    # Imported here, as the screen does: the domain is loaded once a login is asked for.
    from services.login import LoginSession as Session
    from store.records import AccountKind

    pupil = visit.flow.profile == PUPIL

    def submit(answers: dict[str, str]) -> LoginSession | FirstLogin:
        if pupil:
            return visit.services.pupils.login(answers["identifiant"], answers["password"])
        return visit.services.login.login(
            answers["identifiant"], answers["password"], profile=AccountKind.GUARDIAN
        )

    fields = [("identifiant", _("Identifiant"), False), ("password", _("Mot de passe"), True)]
    outcome = visit.form(fields, submit)
    if isinstance(outcome, Outcome):
        return outcome
    if isinstance(outcome, Session):
        visit.flow.session = outcome
        return LoggedIn()
    return FirstLoginStarted(outcome)


def services_step(visit: Visit) -> Outcome:
    from store.records import AccountKind

    console = visit.console
    session = visit.flow.session
    if session is None:
        return BackToLogin()
    console.say(
        _("Bonjour %(prenom)s %(nom)s") % {"prenom": session.prenom, "nom": session.nom.upper()}
    )
    console.say(_("Identifiant : %(identifiant)s") % {"identifiant": session.identifiant})
    pupil = session.kind is AccountKind.PUPIL
    console.say(_("Votre classe") if pupil else _("Élèves rattachés à votre compte"))
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


HANDLERS: dict[Step, Callable[..., Outcome]] = {
    Step.ENTRY: entry,
    Step.ENT_PROFILE: ent_profile,
    Step.EDUCONNECT_PROFILE: educonnect_profile,
    Step.AUTHENTICATION: authentication,
    Step.SERVICES: services_step,
}
