"""« S'identifier avec FranceConnect », SIMULATED: every screen says so in a banner.

Provider choice → the provider's demo login → the identity FranceConnect hands over → either
the services at once (identity already linked), or the first use: the mobile, the SMS code and
the children's dates of birth (the registration's own steps 5 and 6, driven through the same
token), then the services, without any ÉduConnect password.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioSet, Static

from services import ServiceError, Services
from services.formatting import day
from services.franceconnect import (
    DEMO_PASSWORD,
    PROVIDERS,
    SIMULATION_LABEL,
    FcIdentity,
    identities_of,
)
from services.registration import ChildAnswer
from tui.flow import Flow
from tui.journey import (
    CodeSent,
    FcAuthenticated,
    FcFirstUse,
    FcSignedIn,
    Outcome,
    ProviderChosen,
    Step,
)
from tui.language import N_, _
from tui.screens.base import Refused, run_service
from tui.screens.common.fields import phone_field
from tui.screens.common.registration_steps import ChildrenStep, RegistrationStep, SmsCodeStep
from tui.screens.common.session_steps import ServicesStep
from tui.sentences import FIRST_USE_INTRO
from tui.widgets import ChoiceButton, ChoiceList, TextField
from tui.widgets.button import InstantButton

__all__ = [
    "FcChildrenScreen",
    "FcCodeScreen",
    "FcIdentityScreen",
    "FcLoginScreen",
    "FcMobileScreen",
    "FcProviderScreen",
    "FcServicesScreen",
]

_PROVIDER_NAMES = dict(PROVIDERS)


def simulation_banner() -> Static:
    return Static(_(SIMULATION_LABEL), classes="fc-simulation")


class FcStep(RegistrationStep):
    """The FranceConnect screens before the code: one call at a time, errors beside their
    field, and the simulation banner first."""

    GUIDE_STEP = "2"

    def compose_form(self) -> ComposeResult:
        yield simulation_banner()
        yield from self.compose_step()

    def compose_step(self) -> ComposeResult:
        raise NotImplementedError


class FcProviderScreen(FcStep):
    """FranceConnect's page: « Je choisis un compte pour me connecter »."""

    STEP = Step.FC_PROVIDER
    STEP_LABEL = N_("FranceConnect (simulation) — Fournisseur")
    AUTO_FOCUS = "#fc-provider"

    def compose_step(self) -> ComposeResult:
        yield Label(_("FranceConnect"), classes="title")
        yield Static(_("Je choisis un compte pour me connecter :"))
        with ChoiceList(id="fc-provider"):
            for index, (key, name) in enumerate(PROVIDERS):
                yield ChoiceButton(name, value=index == 0, name=key)
        with Horizontal(classes="actions"):
            yield InstantButton(_("Continuer"), id="fc-continue", variant="primary", compact=True)

    @on(Button.Pressed, "#fc-continue")
    def choose(self) -> None:
        pressed = self.query_one("#fc-provider", RadioSet).pressed_button
        provider = pressed.name if pressed is not None and pressed.name else PROVIDERS[0][0]
        self.end(ProviderChosen(provider))


class FcLoginScreen(FcStep):
    """The chosen provider's login page, with the demo identities it knows."""

    STEP = Step.FC_LOGIN
    STEP_LABEL = N_("FranceConnect (simulation) — Connexion")
    AUTO_FOCUS = "#fc-login-input"

    def __init__(self, services: Services, flow: Flow, provider: str) -> None:
        super().__init__(services, flow)
        self.provider = provider

    def compose_step(self) -> ComposeResult:
        provider = _PROVIDER_NAMES[self.provider]
        yield Label(
            Content(_("Connexion avec %(provider)s") % {"provider": provider}), classes="title"
        )
        yield Static(_("Page de connexion du fournisseur d'identité (simulée)."), classes="muted")
        logins = ", ".join(identity.login for identity in identities_of(self.provider))
        yield Static(
            Content(
                _("Identités de démonstration : %(logins)s\nMot de passe : %(password)s")
                % {"logins": logins, "password": DEMO_PASSWORD}
            ),
            id="fc-demo-hint",
        )
        yield TextField(_("Identifiant"), id="fc-login", max_length=80)
        yield TextField(_("Mot de passe"), id="fc-password", password=True, max_length=128)
        yield from self.compose_messages()
        with Horizontal(classes="actions"):
            yield InstantButton(_("Se connecter"), id="fc-submit", variant="primary", compact=True)

    @on(Input.Submitted, "#fc-login-input")
    def login_submitted(self) -> None:
        self.query_one("#fc-password-input").focus()

    @on(Button.Pressed, "#fc-submit")
    @on(Input.Submitted, "#fc-password-input")
    def submit(self) -> None:
        if not self.busy:
            self.authenticate()

    @work(exclusive=True)
    async def authenticate(self) -> None:
        password = self.query_one("#fc-password", TextField)
        self.busy = True
        self.clear_messages()
        try:
            identity = await run_service(
                self.services.franceconnect.authenticate,
                self.provider,
                self.query_one("#fc-login", TextField).value,
                password.value,
            )
        except ServiceError as error:
            password.input.value = ""
            self.show_error(error)
            password.input.focus()
            return
        finally:
            self.busy = False
        self.end(FcAuthenticated(identity))


class FcIdentityScreen(FcStep):
    """What FranceConnect hands to ÉduConnect, before ÉduConnect looks for the guardian."""

    STEP = Step.FC_IDENTITY
    STEP_LABEL = N_("FranceConnect (simulation) — Identité")
    AUTO_FOCUS = "#fc-begin"

    def __init__(self, services: Services, flow: Flow, identity: FcIdentity) -> None:
        super().__init__(services, flow)
        self.identity = identity

    def compose_step(self) -> ComposeResult:
        identity = self.identity
        yield Label(_("Identité transmise par FranceConnect (simulation)"), classes="title")
        with Vertical(id="fc-identity"):
            for label, value in (
                (_("Nom de naissance"), identity.nom_naissance),
                (_("Prénoms"), identity.prenoms),
                (_("Date de naissance"), day(identity.naissance)),
                (_("Fournisseur d'identité"), identity.provider_name),
            ):
                # The value in bold; both are variables, never read as markup.
                yield Static(
                    Content.from_markup(_("$label : [bold]$value[/bold]"), label=label, value=value)
                )
        yield Static(
            _(
                "ÉduConnect recherche le représentant légal que l'établissement connaît sous ce "
                "nom."
            ),
            classes="muted",
        )
        yield from self.compose_messages()
        with Horizontal(classes="actions"):
            yield InstantButton(
                _("Continuer vers ÉduConnect"), id="fc-begin", variant="primary", compact=True
            )

    @on(Button.Pressed, "#fc-begin")
    def submit(self) -> None:
        if not self.busy:
            self.begin()

    @work(exclusive=True)
    async def begin(self) -> None:
        start = await self.attempt(self.services.franceconnect.begin, self.identity)
        if isinstance(start, Refused):
            return
        if start.session is not None:
            self.flow.session = start.session
            self.end(FcSignedIn())
        else:
            self.end(FcFirstUse(self.identity))


class FcMobileScreen(FcStep):
    """First use: the mobile the school knows; the code is sent at once."""

    STEP = Step.FC_MOBILE
    STEP_LABEL = N_("FranceConnect (simulation) — Première connexion")
    GUIDE_STEP = "4"
    AUTO_FOCUS = "#portable-input"

    def __init__(self, services: Services, flow: Flow, identity: FcIdentity) -> None:
        super().__init__(services, flow)
        self.identity = identity

    def compose_step(self) -> ComposeResult:
        yield Label(_("Première connexion avec FranceConnect"), classes="title")
        yield Static(_(FIRST_USE_INTRO))
        yield phone_field()
        yield from self.compose_messages()
        with Horizontal(classes="actions step-action"):
            yield InstantButton(
                _("Recevoir mon code SMS"), id="fc-send", variant="primary", compact=True
            )

    @on(Button.Pressed, "#fc-send")
    @on(Input.Submitted, "#portable-input")
    def submit(self) -> None:
        if not self.busy:
            self.send()

    @work(exclusive=True)
    async def send(self) -> None:
        sent = await self.attempt(
            self.services.franceconnect.send_code,
            self.identity,
            self.query_one("#portable", TextField).value,
        )
        if isinstance(sent, Refused):
            return
        self.flow.token = sent.token
        self.flow.phone = sent.phone
        self.flow.phone_display = sent.phone_display
        self.refresh_phone()
        self.end(CodeSent())


class FcCodeScreen(SmsCodeStep):
    """First use: the registration's step 5 (30 minutes, 5 tries, resend limits); once the
    server ends it, « Recommencer » leads back to the mobile step, which holds the identity."""

    STEP = Step.FC_CODE
    STEP_LABEL = N_("FranceConnect (simulation) — Code SMS")

    def compose_form(self) -> ComposeResult:
        yield simulation_banner()
        yield from super().compose_form()


class FcChildrenScreen(ChildrenStep):
    """First use: the registration's step 6 (same rules), then the account is linked to the
    identity and the services open."""

    STEP = Step.FC_CHILDREN
    STEP_LABEL = N_("FranceConnect (simulation) — Mes enfants")

    def compose_form(self) -> ComposeResult:
        yield simulation_banner()
        yield from super().compose_form()

    async def confirm_answers(self, token: str, answers: list[ChildAnswer]) -> Outcome:
        await run_service(self.services.registration.confirm_children, token, answers)
        session = await run_service(self.services.franceconnect.complete, token)
        self.flow.token = None
        self.flow.session = session
        return FcSignedIn()


class FcServicesScreen(ServicesStep):
    """The services of the person logged in, reached through FranceConnect; the session
    replaced every FranceConnect screen, so Escape cannot lead back into them."""

    STEP = Step.FC_SERVICES
    STEP_LABEL = N_("Connecté avec FranceConnect (simulation)")

    def compose_form(self) -> ComposeResult:
        yield simulation_banner()
        yield Static(
            _("Connecté(e) avec FranceConnect, sans mot de passe ÉduConnect."),
            id="fc-connected",
        )
        yield from super().compose_form()
