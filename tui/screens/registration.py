"""Steps 3 to 8 of the guide: the guardian's self-registration by SMS.

Each screen drives one call of ``services.registration`` in a worker, through ``run_service``,
so a refusal is always a French sentence beside the field it concerns and never a traceback.
What one screen learns (token, number, children, identifiant) reaches the next through the
``Flow`` and the outcome it ends with (``tui.journey``). Steps 5 and 6 are written in
``tui.screens.common.registration_steps``: FranceConnect's first use goes through them too.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from services import ServiceError, Services
from services.errors import NoMatch
from services.registration import (
    AccountActivated,
    ChildAnswer,
    ChildView,
    PasswordContext,
)
from tui.flow import Flow
from tui.journey import (
    BackToLogin,
    ChildrenConfirmed,
    CodeSent,
    Outcome,
    PasswordChosen,
    PasswordForgotten,
    RegistrationStarted,
    Step,
    VisitFinished,
)
from tui.language import N_, _, ngettext
from tui.screens.base import Refused, StepScreen, run_service
from tui.screens.common.fields import (
    OVERSEAS_HINT,
    UP_DOWN_BINDINGS,
    child_line,
    compose_services,
    phone_field,
    service_name,
)
from tui.screens.common.registration_steps import ChildrenStep, RegistrationStep, SmsCodeStep
from tui.screens.notice import NoticeScreen
from tui.widgets import NewPasswordFields, RevealToggle, TextField
from tui.widgets.button import InstantButton
from tui.widgets.passwords import TOGGLE_ACTION

__all__ = [
    "AccountActivatedScreen",
    "ActivationCodeScreen",
    "ActivationScreen",
    "ChildrenScreen",
    "ExistingAccountScreen",
    "PasswordScreen",
    "SmsConfirmationScreen",
]

ACTIVATION_INTRO = N_(
    "Pour avoir accès aux services concernant les élèves ci-dessous, vous devez confirmer que "
    "vous êtes bien représentant(e) légal(e) de ces élèves et renseigner leur date de naissance."
)
PHONE_INTRO = N_(
    "Indiquez le numéro de téléphone portable communiqué à l'école ou à l'établissement "
    "scolaire. Il est indispensable pour activer votre compte."
)
SMS_CONFIRMATION = N_(
    "Vous allez recevoir un code de création par SMS que vous devrez saisir dans l'écran suivant."
)
WRITE_IT_DOWN = N_(
    "N'oubliez pas de noter l'identifiant et le mot de passe définitif que vous avez choisi pour "
    "votre compte."
)
SAME_ACCOUNT = N_(
    "Une fois votre compte créé, vous pouvez utiliser ce même identifiant et le mot de passe qui "
    "lui est associé sur ENT, Pronote, Scolarité Services, etc."
)
FORGOTTEN = N_(
    "En cas d'oubli, utilisez « Identifiant oublié ? » ou « Mot de passe oublié ? » sur la page "
    "de connexion : l'établissement n'envoie pas d'identifiant ni de mot de passe aux "
    "représentants légaux."
)
NUMBER_HELP_TITLE = N_("Numéro changé ou inconnu de l'établissement")
NUMBER_HELP = N_(
    "L'activation n'est possible qu'avec le numéro de portable que l'établissement a "
    "enregistré pour vous.\n\n"
    "Si votre numéro a changé ou si l'établissement ne l'a pas, demandez au secrétariat de "
    "l'établissement de l'enregistrer, puis recommencez l'activation.\n\n"
    "Si l'établissement vous connaît sous votre nom de naissance, essayez FranceConnect, qui "
    "transmet ce nom : revenez à la page de connexion (Échap) et choisissez « S'identifier "
    "avec FranceConnect ». Le portable connu de l'établissement reste nécessaire."
)
DISPUTE_REPORTED = N_(
    "L'établissement a été informé et va vérifier ce rattachement. En attendant, votre compte "
    "donne accès aux services pour vos autres enfants. Si ce rattachement est pourtant juste, "
    "contactez l'établissement."
)


class ActivationScreen(RegistrationStep):
    """Step 3: nom, prénom and mobile as the school knows them, then « Suivant »."""

    STEP = Step.ACTIVATION
    STEP_LABEL = N_("Étape 3 / 7 — Activation du compte")
    GUIDE_STEP = "3"
    AUTO_FOCUS = "#nom-input"

    def compose_form(self) -> ComposeResult:
        yield Static(_("Représentant légal"), classes="profile")
        yield Label(_("Activation du compte"), classes="title -under-profile")
        yield Static(_("L'activation est réservée aux représentants légaux"), classes="lead")
        yield Static(_(ACTIVATION_INTRO))
        yield Label(_("Je confirme mon identité"), classes="subtitle")
        with Horizontal(id="identity"):
            yield TextField(_("Nom"), id="nom", max_length=100)
            yield TextField(_("Prénom"), id="prenom", max_length=100)
        yield Label(_("Je renseigne mon n° de téléphone portable"), classes="subtitle")
        yield Static(_(PHONE_INTRO), classes="muted")
        yield phone_field()
        yield from self.compose_messages()
        yield InstantButton(
            _("Mon numéro a changé ou l'établissement ne l'a pas"),
            id="number-help",
            classes="link",
            compact=True,
        )
        with Horizontal(classes="actions pinned"):
            yield InstantButton(_("Suivant"), id="next", variant="primary", compact=True)

    def clear_messages(self) -> None:
        super().clear_messages()
        self.query_one("#number-help").remove_class("-shown")

    def show_error(self, error: ServiceError) -> None:
        super().show_error(error)
        if isinstance(error, NoMatch):
            # The one refusal a changed or unknown mobile ends in: the way out goes under it,
            # brought into view once it takes its place.
            help_link = self.query_one("#number-help")
            help_link.add_class("-shown")
            self.call_after_refresh(help_link.scroll_visible, animate=False)

    @on(Button.Pressed, "#number-help")
    def number_help(self) -> None:
        self.app.push_screen(NoticeScreen(_(NUMBER_HELP_TITLE), _(NUMBER_HELP)))

    @on(Input.Submitted, "#nom-input, #prenom-input")
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#next")
    @on(Input.Submitted, "#portable-input")
    def submit(self) -> None:
        if not self.busy:
            self.register()

    @work(exclusive=True)
    async def register(self) -> None:
        started = await self.attempt(
            self.services.registration.start,
            self.query_one("#nom", TextField).value,
            self.query_one("#prenom", TextField).value,
            self.query_one("#portable", TextField).value,
        )
        if isinstance(started, Refused):
            return
        self.flow.token = started.token
        self.flow.phone = started.phone
        self.flow.phone_display = started.phone_display
        self.flow.identifiant = ""
        self.end(RegistrationStarted())


class SmsConfirmationScreen(RegistrationStep):
    """Step 4: the number as understood, « Recevoir mon code SMS », then the site's own
    « Confirmation par SMS » box and its « Valider », which sends the code."""

    STEP = Step.SMS_CONFIRMATION
    STEP_LABEL = N_("Étape 4 / 7 — Confirmation par SMS")
    GUIDE_STEP = "4"
    AUTO_FOCUS = "#receive"

    def compose_form(self) -> ComposeResult:
        yield Static(_("Représentant légal"), classes="profile")
        yield Label(_("Activation du compte"), classes="title -under-profile")
        yield Label(_("N° de téléphone portable"), classes="subtitle")
        yield Static(_(OVERSEAS_HINT), classes="muted")
        with Horizontal(id="phone-row"):
            yield Static(Content(self.flow.phone_display), id="phone-display")
            yield InstantButton(
                _("← Modifier le numéro"), id="change-number", classes="link", compact=True
            )
        with Horizontal(classes="actions"):
            yield InstantButton(
                _("Recevoir mon code SMS"),
                id="receive",
                variant="primary",
                compact=True,
                classes="step-action",
            )
        with Vertical(id="sms-confirmation", classes="step-action"):
            yield Label(_("Confirmation par SMS"), classes="box-title")
            yield Static(_(SMS_CONFIRMATION))
            yield InstantButton(_("Valider"), id="validate", variant="primary", compact=True)
        yield from self.compose_messages()

    @on(Button.Pressed, "#change-number")
    def change_number(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#receive")
    def ask_confirmation(self) -> None:
        box = self.query_one("#sms-confirmation")
        box.add_class("-shown")
        self.query_one("#validate").focus()

    @on(Button.Pressed, "#validate")
    def validate(self) -> None:
        if not self.busy:
            self.send()

    @work(exclusive=True)
    async def send(self) -> None:
        token = self.flow.token or ""
        sent = await self.attempt(self.services.registration.send_code, token)
        self.refresh_phone()
        if isinstance(sent, Refused):
            return
        self.end(CodeSent())

    def field_widget(self, field: str | None) -> TextField | None:
        # A refusal to send (too soon after the last SMS) concerns the whole step here.
        return None


class ActivationCodeScreen(SmsCodeStep):
    """Step 5 of the registration (the code step is shared with FranceConnect's first use)."""

    STEP = Step.ACTIVATION_CODE
    STEP_LABEL = N_("Étape 5 / 7 — Code d'activation")


class ChildrenScreen(ChildrenStep):
    """Step 6 of the registration: once the answers are taken, step 7 checks the password
    against the identifiant they produced."""

    STEP = Step.CHILDREN
    STEP_LABEL = N_("Étape 6 / 7 — Mes enfants")

    async def confirm_answers(self, token: str, answers: list[ChildAnswer]) -> Outcome:
        registration = self.services.registration
        confirmed = await run_service(registration.confirm_children, token, answers)
        context = await run_service(registration.password_context, token)
        self.flow.identifiant = confirmed.identifiant
        disputed = tuple(
            child for child in self.to_confirm.children if child.pupil_id in confirmed.disputed
        )
        return ChildrenConfirmed(context, disputed)


class PasswordScreen(RegistrationStep):
    """Step 7: the identifiant to write down, the new password twice, the rules ticking live."""

    STEP = Step.PASSWORD
    STEP_LABEL = N_("Étape 7 / 7 — Mot de passe")
    GUIDE_STEP = "7"
    AUTO_FOCUS = "#password-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Annuler"), id="back"),
        Binding("f3", TOGGLE_ACTION, N_("Afficher / masquer"), id="toggle-password"),
    ]

    def __init__(
        self,
        services: Services,
        flow: Flow,
        context: PasswordContext,
        disputed: tuple[ChildView, ...] = (),
    ) -> None:
        super().__init__(services, flow)
        self.context = context
        self.disputed = disputed

    def compose_form(self) -> ComposeResult:
        yield Label(_("Je choisis mon mot de passe"), classes="title")
        yield Static(_("Votre identifiant :"))
        yield Static(Content(self.context.identifiant), id="identifiant-box")
        yield Static(_(WRITE_IT_DOWN), classes="warning")
        yield NewPasswordFields(self.services.settings, self.context)
        yield from self.compose_messages()
        with Horizontal(classes="actions step-action pinned"):
            yield InstantButton(_("Annuler"), id="cancel", compact=True)
            yield InstantButton(_("Valider"), id="validate", variant="primary", compact=True)

    @on(Button.Pressed, "#validate")
    @on(Input.Submitted, "#confirmation-input")
    def submit(self) -> None:
        if not self.busy:
            self.set_password()

    def action_toggle_password(self) -> None:
        self.query_one(RevealToggle).toggle()

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.abandon()

    def action_back(self) -> None:
        self.abandon()

    @work(exclusive=True)
    async def set_password(self) -> None:
        token = self.flow.token or ""
        password = self.query_one("#password", TextField).value
        confirmation = self.query_one("#confirmation", TextField).value
        activated = await self.attempt(
            self.services.registration.set_password, token, password, confirmation
        )
        if isinstance(activated, Refused):
            return
        self.flow.token = None
        self.end(PasswordChosen(activated, self.disputed))


class AccountActivatedScreen(StepScreen):
    """After step 7: « Votre compte est activé », the identifiant once more and the services.

    There is no way back into a finished registration: « Terminer » starts a new visit."""

    STEP = Step.ACCOUNT_ACTIVATED
    STEP_LABEL = N_("Compte activé")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#service-ent"
    BINDINGS: ClassVar[list[BindingType]] = UP_DOWN_BINDINGS

    def __init__(
        self,
        services: Services,
        flow: Flow,
        activated: AccountActivated,
        disputed: tuple[ChildView, ...] = (),
    ) -> None:
        super().__init__(services, flow)
        self.activated = activated
        self.disputed = disputed

    def compose_form(self) -> ComposeResult:
        yield Label(_("Votre compte est activé"), classes="title")
        yield Static(_("Votre identifiant :"))
        yield Static(Content(self.activated.identifiant), id="identifiant-box")
        yield Static(_(WRITE_IT_DOWN), classes="warning")
        yield Static(_(SAME_ACCOUNT))
        yield Label(_("Élèves rattachés à votre compte"), classes="subtitle")
        for child in self.activated.children:
            yield Static(child_line(child), classes="confirmed-child")
        if self.disputed:
            yield from self.compose_disputed()
        yield Label(_("Vous pouvez accéder aux services :"), classes="subtitle")
        yield from compose_services()
        yield Static(_(FORGOTTEN), id="forgotten", classes="muted")
        with Horizontal(classes="actions pinned"):
            yield InstantButton(_("Terminer"), id="finish", variant="primary", compact=True)

    def compose_disputed(self) -> ComposeResult:
        """« Non » at step 6: who was reported, that the school knows, and what to do now."""
        with Vertical(id="disputed"):
            yield Label(
                ngettext(
                    "Rattachement signalé comme erroné",
                    "Rattachements signalés comme erronés",
                    len(self.disputed),
                ),
                classes="subtitle",
            )
            for child in self.disputed:
                yield Static(child_line(child), classes="disputed-child")
            yield Static(_(DISPUTE_REPORTED))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return action != "back"

    @on(Button.Pressed, "#services Button")
    def open_service(self, event: Button.Pressed) -> None:
        name = service_name(event.button.id)
        self.app.push_screen(
            NoticeScreen(
                name,
                _(
                    "%(service)s : ce service est en dehors de cette démonstration. Sur le vrai "
                    "site, vous vous y connectez avec votre identifiant ÉduConnect "
                    "%(identifiant)s et le mot de passe que vous venez de choisir."
                )
                % {"service": name, "identifiant": self.activated.identifiant},
            )
        )

    @on(Button.Pressed, "#finish")
    def finish(self) -> None:
        self.end(VisitFinished())


class ExistingAccountScreen(StepScreen):
    """Step 5 ended on an account already active: its identifiant, « Se connecter » and
    « Mot de passe oublié ? ». Nothing before the right code differs from a new account."""

    STEP = Step.EXISTING_ACCOUNT
    STEP_LABEL = N_("Compte déjà activé")
    GUIDE_STEP = "compte-existant"
    AUTO_FOCUS = "#log-in"

    def __init__(self, services: Services, flow: Flow, identifiant: str) -> None:
        super().__init__(services, flow)
        self.identifiant = identifiant

    def compose_form(self) -> ComposeResult:
        yield Label(_("Vous avez déjà un compte"), classes="title")
        yield Static(
            _(
                "Le code est juste, mais ce numéro de portable est celui d'un compte ÉduConnect "
                "déjà activé : il n'y a rien à activer de nouveau."
            )
        )
        yield Static(_("Votre identifiant :"))
        yield Static(Content(self.identifiant), id="identifiant-box")
        yield Static(_("Connectez-vous avec cet identifiant et votre mot de passe."))
        yield Static(
            _("Mot de passe oublié ? Un code vous sera envoyé pour en choisir un nouveau.")
        )
        with Horizontal(classes="actions pinned"):
            yield InstantButton(_("Se connecter"), id="log-in", variant="primary", compact=True)
            yield InstantButton(
                _("Mot de passe oublié ?"), id="forgot-password", classes="link", compact=True
            )

    @on(Button.Pressed, "#log-in")
    def log_in(self) -> None:
        self.end(BackToLogin(self.identifiant))

    @on(Button.Pressed, "#forgot-password")
    def forgot_password(self) -> None:
        self.end(PasswordForgotten(self.identifiant))
