"""« Identifiant oublié ? » and « Mot de passe oublié ? », from the login screen (step 2).

Neither path tells whether an account exists: the screens after a request show the service's
neutral sentence whatever matched, and the reset code step has one refusal for every wrong
case. A password reset works while the account is locked and never logs in: it ends on
« Votre mot de passe a été modifié » and the login screen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Input, Label, RadioSet, Static

from services import ServiceError, Services
from services.errors import RequestLimited, ResetEnded
from services.passwords import PasswordContext
from services.phones import parse_mobile
from services.recovery import REMINDER_CHANNEL_HINTS, RESET_CHANNEL_HINTS, ResetChannel
from tui.flow import Flow
from tui.journey import (
    IdentifiantReminded,
    PasswordForgotten,
    PasswordReset,
    ResetCodeAccepted,
    ResetCodeSent,
    Step,
)
from tui.language import N_, _, current
from tui.screens.base import Refused, StepScreen, run_service
from tui.screens.common.code_step import CodeStep
from tui.screens.common.fields import phone_field
from tui.screens.common.session_steps import FormStep, back_to_login
from tui.sentences import CODE_ALREADY_ASKED, IDENTIFIANT_INTRO, RESENT
from tui.widgets import ChoiceButton, ChoiceList, NewPasswordFields, RevealToggle, TextField
from tui.widgets.button import InstantButton
from tui.widgets.passwords import TOGGLE_ACTION

__all__ = [
    "ForgotIdentifiantScreen",
    "ForgotPasswordScreen",
    "IdentifiantSentScreen",
    "NewPasswordScreen",
    "PasswordChangedScreen",
    "ResetCodeScreen",
]

CHANNELS = ((ResetChannel.SMS, N_("Par SMS")), (ResetChannel.EMAIL, N_("Par e-mail")))


class ChannelStep(FormStep):
    """A request that goes by SMS or by e-mail, as the person chooses. Under the choice, the
    rule of the chosen channel (``HINTS``, the service's msgids), said before anything is
    sent: it follows the choice, which in a ``ChoiceList`` is always the highlighted option."""

    CHANNEL_LABEL: ClassVar[str] = ""
    """Above the choice: an ``N_()`` msgid."""
    HINTS: ClassVar[Mapping[ResetChannel, str]]

    def compose_channel(self) -> ComposeResult:
        yield Label(_(self.CHANNEL_LABEL), classes="field-label")
        with ChoiceList(id="channel", compact=True):
            for index, (channel, label) in enumerate(CHANNELS):
                yield ChoiceButton(_(label), value=index == 0, name=channel.value)
        yield Static(_(self.HINTS[ResetChannel.SMS]), id="channel-hint", classes="muted")

    def channel(self) -> ResetChannel:
        pressed = self.query_one("#channel", RadioSet).pressed_button
        return ResetChannel(pressed.name) if pressed and pressed.name else ResetChannel.SMS

    @on(RadioSet.Changed, "#channel")
    def show_hint(self) -> None:
        self.query_one("#channel-hint", Static).update(_(self.HINTS[self.channel()]))


class ForgotIdentifiantScreen(ChannelStep):
    """« Identifiant oublié ? »: nom, prénom, mobile; the identifiant goes by SMS or by
    e-mail, as the guide's last paragraph says."""

    STEP = Step.FORGOT_IDENTIFIANT
    STEP_LABEL = N_("Identifiant oublié")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#nom-input"
    CHANNEL_LABEL = N_("Recevoir mon identifiant")
    HINTS = REMINDER_CHANNEL_HINTS

    def compose_form(self) -> ComposeResult:
        yield Static(_("Représentant légal"), classes="profile")
        yield Label(_("Identifiant oublié"), classes="title -under-profile")
        yield Static(_(IDENTIFIANT_INTRO))
        with Horizontal(id="reminder-identity"):
            yield TextField(_("Nom"), id="nom", max_length=100)
            yield TextField(_("Prénom"), id="prenom", max_length=100)
        yield phone_field()
        yield from self.compose_channel()
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton(
                _("Recevoir mon identifiant"), id="send", variant="primary", compact=True
            )

    # Enter on the mobile goes on to the choice, not straight to sending: the person sees
    # where the identifiant will go before it leaves.
    @on(Input.Submitted, "#nom-input")
    @on(Input.Submitted, "#prenom-input")
    @on(Input.Submitted, "#portable-input")
    def next_field(self) -> None:
        self.focus_next()

    @on(Button.Pressed, "#send")
    def submit(self) -> None:
        if not self.busy:
            self.remind()

    @work(exclusive=True)
    async def remind(self) -> None:
        portable = self.query_one("#portable", TextField).value
        sent = await self.attempt(
            self.services.recovery.remind_identifiant,
            self.query_one("#nom", TextField).value,
            self.query_one("#prenom", TextField).value,
            portable,
            channel=self.channel(),
        )
        if isinstance(sent, Refused):
            return
        # The number the person typed: the trainer's panel follows it, whatever matched.
        self.flow.phone = parse_mobile(portable)
        self.flow.phone_display = sent.phone_display
        self.end(IdentifiantReminded(sent.message))


class IdentifiantSentScreen(StepScreen):
    """The same sentence whether or not a message left: nothing here tells who has an account."""

    STEP = Step.IDENTIFIANT_SENT
    STEP_LABEL = N_("Identifiant oublié")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#to-login"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Connexion"), id="back"),
    ]

    def __init__(self, services: Services, flow: Flow, message: str) -> None:
        super().__init__(services, flow)
        self.message = message

    def compose_form(self) -> ComposeResult:
        yield Label(_("Identifiant oublié"), classes="title")
        yield Static(
            Content(_("Numéro saisi : %(number)s") % {"number": self.flow.phone_display}),
            id="typed-number",
        )
        yield Static(Content(self.message), id="reminder-message", classes="confirmation")
        with Horizontal(classes="actions"):
            yield InstantButton(
                _("Retour à la connexion"), id="to-login", variant="primary", compact=True
            )
        yield InstantButton(
            _("Mot de passe oublié ? →"), id="to-forgot-password", classes="link", compact=True
        )

    @on(Button.Pressed, "#to-login")
    def action_back(self) -> None:
        back_to_login(self)

    @on(Button.Pressed, "#to-forgot-password")
    def forgot_password(self) -> None:
        self.end(PasswordForgotten())


class ForgotPasswordScreen(ChannelStep):
    """« Mot de passe oublié ? »: the identifiant and where the code should go. Both ways are
    always offered: hiding « e-mail » for accounts without an address would tell who has one."""

    STEP = Step.FORGOT_PASSWORD
    STEP_LABEL = N_("Mot de passe oublié — 1 / 3")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#identifiant-input"
    CHANNEL_LABEL = N_("Recevoir le code")
    HINTS = RESET_CHANNEL_HINTS

    def __init__(self, services: Services, flow: Flow, identifiant: str = "") -> None:
        super().__init__(services, flow)
        self.typed = identifiant

    def compose_form(self) -> ComposeResult:
        yield Label(_("Mot de passe oublié"), classes="title")
        yield Static(_("Un code vous est envoyé pour choisir un nouveau mot de passe."))
        yield TextField(_("Identifiant"), id="identifiant", max_length=80, value=self.typed)
        yield from self.compose_channel()
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton(_("Recevoir un code"), id="send", variant="primary", compact=True)
        yield InstantButton(
            _("J'ai reçu un code : le saisir →"), id="have-code", classes="link", compact=True
        )

    @on(Input.Submitted, "#identifiant-input")
    def to_channel(self) -> None:
        self.query_one("#channel").focus()

    @on(Button.Pressed, "#send")
    def submit(self) -> None:
        if not self.busy:
            self.request()

    @work(exclusive=True)
    async def request(self) -> None:
        channel = self.channel()
        requested = await self.attempt(
            self.services.recovery.request_password_reset,
            self.query_one("#identifiant", TextField).value,
            channel=channel,
        )
        self.refresh_phone()
        if isinstance(requested, Refused):
            return
        self.end(ResetCodeSent(requested.identifiant, channel, requested.message))

    def show_error(self, error: ServiceError) -> None:
        super().show_error(error)
        self.query_one("#have-code").display = isinstance(error, RequestLimited)

    def clear_messages(self) -> None:
        super().clear_messages()
        self.query_one("#have-code").display = False

    @on(Button.Pressed, "#have-code")
    def enter_code(self) -> None:
        identifiant = self.query_one("#identifiant", TextField).value.strip()
        self.end(ResetCodeSent(identifiant, self.channel(), _(CODE_ALREADY_ASKED)))


class ResetCodeScreen(FormStep, CodeStep):
    """The code received, « Continuer », and asking for a new one."""

    STEP = Step.RESET_CODE
    STEP_LABEL = N_("Mot de passe oublié — 2 / 3")
    GUIDE_STEP = "8"
    CODE_LABEL = N_("Code reçu (valable 30 min)")
    RESEND_LABEL = N_("Je n'ai pas reçu de code : en recevoir un nouveau")

    def __init__(
        self,
        services: Services,
        flow: Flow,
        identifiant: str,
        channel: ResetChannel,
        message: str,
    ) -> None:
        super().__init__(services, flow)
        self.identifiant = identifiant
        self.channel = channel
        self.message = message

    def compose_form(self) -> ComposeResult:
        yield Label(_("Mot de passe oublié"), classes="title")
        yield Static(Content(self.message), classes="confirmation")
        yield from self.compose_code()
        yield from self.compose_message()

    async def check(self, code: str) -> None:
        recovery = self.services.recovery

        def verify_then_context() -> tuple[str, PasswordContext]:
            accepted = recovery.verify_reset_code(self.identifiant, code)
            return accepted.token, recovery.password_context(accepted.token)

        outcome = await self.attempt(verify_then_context)
        if isinstance(outcome, Refused):
            return
        self.end(ResetCodeAccepted(*outcome))

    async def send_again(self) -> str:
        # Over the sending limits this raises ``RequestLimited``: nothing left, and the
        # refusal under the link says from when a new request is possible.
        await run_service(
            self.services.recovery.request_password_reset, self.identifiant, channel=self.channel
        )
        return _(RESENT)


class NewPasswordScreen(FormStep):
    """The new password twice, with the rules ticking live; Escape gives up (the code is used)."""

    STEP = Step.NEW_PASSWORD
    STEP_LABEL = N_("Mot de passe oublié — 3 / 3")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#password-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Annuler"), id="back"),
        Binding("f3", TOGGLE_ACTION, N_("Afficher / masquer"), id="toggle-password"),
    ]

    def __init__(
        self, services: Services, flow: Flow, token: str, context: PasswordContext
    ) -> None:
        super().__init__(services, flow)
        self.token = token
        self.context = context

    def compose_form(self) -> ComposeResult:
        yield Label(_("Je choisis un nouveau mot de passe"), classes="title")
        with Horizontal(id="reset-identifiant"):
            yield Static(_("Identifiant :"), classes="field-label")
            yield Static(Content(self.context.identifiant), id="identifiant-shown")
        yield NewPasswordFields(self.services.settings, self.context)
        yield from self.compose_message()
        with Horizontal(classes="actions pinned"):
            yield InstantButton(_("Annuler"), id="cancel", compact=True)
            yield InstantButton(_("Valider"), id="validate", variant="primary", compact=True)

    def action_toggle_password(self) -> None:
        self.query_one(RevealToggle).toggle()

    @on(Button.Pressed, "#cancel")
    def action_back(self) -> None:
        back_to_login(self, identifiant=self.context.identifiant)

    @on(Button.Pressed, "#validate")
    @on(Input.Submitted, "#confirmation-input")
    def submit(self) -> None:
        if not self.busy:
            self.set_password()

    @work(exclusive=True)
    async def set_password(self) -> None:
        self.busy = True
        self.clear_messages()
        try:
            done = await run_service(
                self.services.recovery.set_new_password,
                self.token,
                self.query_one("#password", TextField).value,
                self.query_one("#confirmation", TextField).value,
            )
        except ResetEnded as error:
            self.show_message(error.text(current()))
            return
        except ServiceError as error:
            self.show_error(error)
            return
        finally:
            self.busy = False
            self.refresh_phone()
        self.end(PasswordReset(done.identifiant))


class PasswordChangedScreen(StepScreen):
    """« Votre mot de passe a été modifié »: no automatic login, the person logs in again."""

    STEP = Step.PASSWORD_CHANGED
    STEP_LABEL = N_("Mot de passe modifié")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#to-login"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Connexion"), id="back"),
    ]

    def __init__(self, services: Services, flow: Flow, identifiant: str) -> None:
        super().__init__(services, flow)
        self.identifiant = identifiant

    def compose_form(self) -> ComposeResult:
        yield Label(_("Votre mot de passe a été modifié"), classes="title")
        yield Static(
            Content(
                _(
                    "Connectez-vous avec votre identifiant %(identifiant)s et votre nouveau mot "
                    "de passe."
                )
                % {"identifiant": self.identifiant}
            ),
            classes="confirmation",
        )
        yield Static(
            _(
                "Les sessions ouvertes avec l'ancien mot de passe sont fermées. Un message vous "
                "informe de ce changement."
            ),
            classes="muted",
        )
        with Horizontal(classes="actions"):
            yield InstantButton(
                _("Retour à la connexion"), id="to-login", variant="primary", compact=True
            )

    @on(Button.Pressed, "#to-login")
    def action_back(self) -> None:
        back_to_login(self, identifiant=self.identifiant)
