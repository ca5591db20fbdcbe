"""« S'identifier avec FranceConnect » (SIMULATED, and each step says so) as lines and
prompts: the same calls of ``services.franceconnect`` as the screens of
``tui.screens.franceconnect``; the first use goes through the registration's code and
children steps (``tui.lines.registration``), then to the services without any password."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from services import ServiceError
from tui.journey import (
    CodeSent,
    FcAuthenticated,
    FcFirstUse,
    FcSignedIn,
    Outcome,
    ProviderChosen,
    Step,
)
from tui.language import _
from tui.lines.registration import activation_code, confirm_children
from tui.lines.start import services_step
from tui.lines.visit import Visit
from tui.sentences import FIRST_USE_INTRO

if TYPE_CHECKING:
    from services.franceconnect import FcIdentity
    from services.registration import ChildAnswer, ChildrenToConfirm

__all__ = ["HANDLERS"]


def simulated(step: Callable[..., Outcome]) -> Callable[..., Outcome]:
    """``step`` after the line every FranceConnect screen shows first: it is a simulation."""

    def with_banner(visit: Visit, *arguments: object) -> Outcome:
        from services.franceconnect import SIMULATION_LABEL

        visit.console.say(_(SIMULATION_LABEL))
        return step(visit, *arguments)

    return with_banner


def provider(visit: Visit) -> Outcome:
    from services.franceconnect import PROVIDERS

    visit.console.say(_("Je choisis un compte pour me connecter :"))
    choice = visit.console.choose(_("Fournisseur"), [name for _key, name in PROVIDERS])
    return ProviderChosen(PROVIDERS[choice][0])


def login(visit: Visit, provider: str) -> Outcome:
    from services.franceconnect import DEMO_PASSWORD, identities_of

    logins = ", ".join(identity.login for identity in identities_of(provider))
    visit.console.say(
        _("Identités de démonstration : %(logins)s\nMot de passe : %(password)s")
        % {"logins": logins, "password": DEMO_PASSWORD}
    )

    def submit(answers: dict[str, str]) -> Outcome:
        identity = visit.services.franceconnect.authenticate(
            provider, answers["login"], answers["password"]
        )
        return FcAuthenticated(identity)

    fields = [("login", _("Identifiant"), False), ("password", _("Mot de passe"), True)]
    return visit.form(fields, submit)


def identity(visit: Visit, identity: FcIdentity) -> Outcome:
    from services.formatting import day

    console = visit.console
    for label, value in (
        (_("Nom de naissance"), identity.nom_naissance),
        (_("Prénoms"), identity.prenoms),
        (_("Date de naissance"), day(identity.naissance)),
        (_("Fournisseur d'identité"), identity.provider_name),
    ):
        console.say(_("%(label)s : %(value)s") % {"label": label, "value": value})
    console.say(
        _("ÉduConnect recherche le représentant légal que l'établissement connaît sous ce nom.")
    )

    def begin() -> Outcome:
        start = visit.services.franceconnect.begin(identity)
        if start.session is None:
            return FcFirstUse(identity)
        visit.flow.session = start.session
        return FcSignedIn()

    # « Continuer vers ÉduConnect » is the step's one action; after a refusal (no guardian
    # known by that name) it is offered again.
    while True:
        console.choose(_("Votre choix"), [_("Continuer vers ÉduConnect")])
        try:
            return visit.call(begin)
        except ServiceError as error:
            console.refused(error)


def mobile(visit: Visit, identity: FcIdentity) -> Outcome:
    visit.console.say(_(FIRST_USE_INTRO))

    def submit(answers: dict[str, str]) -> Outcome:
        sent = visit.services.franceconnect.send_code(identity, answers["portable"])
        visit.flow.token = sent.token
        visit.flow.phone = sent.phone
        visit.flow.phone_display = sent.phone_display
        return CodeSent()

    return visit.form([("portable", _("N° de téléphone portable"), False)], submit)


def children(visit: Visit, to_confirm: ChildrenToConfirm) -> Outcome:
    def confirm(token: str, answers: list[ChildAnswer]) -> Outcome:
        """The identity is linked and the services open, without any ÉduConnect password."""
        visit.services.registration.confirm_children(token, answers)
        session = visit.services.franceconnect.complete(token)
        visit.flow.token = None
        visit.flow.session = session
        return FcSignedIn()

    return visit.until_abandoned(lambda: confirm_children(visit, to_confirm, confirm))


def services(visit: Visit) -> Outcome:
    visit.console.say(_("Connecté(e) avec FranceConnect, sans mot de passe ÉduConnect."))
    return services_step(visit)


HANDLERS: dict[Step, Callable[..., Outcome]] = {
    Step.FC_PROVIDER: simulated(provider),
    Step.FC_LOGIN: simulated(login),
    Step.FC_IDENTITY: simulated(identity),
    Step.FC_MOBILE: simulated(mobile),
    Step.FC_CODE: simulated(activation_code),
    Step.FC_CHILDREN: simulated(children),
    Step.FC_SERVICES: simulated(services),
}
