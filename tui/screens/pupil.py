"""A pupil's first login with the provisional credentials the school handed out: « Confirmation
de l'identité » (date of birth), a password of their own, an optional e-mail address for a
later « Mot de passe oublié ? », then the services.

The first-login token never leaves this process: each screen hands the ``FirstLogin`` to the
next through the outcome it ends with. Each step replaces the one before it (see
``tui.journey``), so once the account is active nothing leads back into the provisional steps,
and logging out returns to step 2 as after any login.
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
from services.errors import BirthDateMismatch, FirstLoginEnded
from services.passwords import PasswordContext
from services.pupils import FirstLogin
from tui.flow import Flow
from tui.journey import (
    EmailConfirmed,
    EmailSkipped,
    IdentityConfirmed,
    Notice,
    PupilPasswordChosen,
    Step,
)
from tui.language import N_, _, current
from tui.screens.base import Refused, run_service
from tui.screens.common.fields import code_field, date_field
from tui.screens.common.session_steps import FormStep, back_to_login
from tui.sentences import EMAIL_WHY, IDENTITY_INTRO, PUPIL_WRITE_IT_DOWN
from tui.sentences import PUPIL_EMAIL_CONFIRMED as EMAIL_CONFIRMED
from tui.widgets import NewPasswordFields, RevealToggle, TextField
from tui.widgets.button import InstantButton
from tui.widgets.passwords import TOGGLE_ACTION

__all__ = ["IdentityCheckScreen", "PupilEmailScreen", "PupilPasswordScreen"]


def greeting(started: FirstLogin) -> Content:
    """« Léa BERNARD »: names come from the school's file, never parsed as markup."""
    return Content(f"{started.prenom} {started.nom.upper()}")


class FirstLoginStep(FormStep):
    """What the two steps before activation share: an expired or voided first login leads back
    to step 2 with the service's sentence; « Annuler » goes back there too, where the
    provisional password still works."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Annuler"), id="back"),
    ]

    def __init__(self, services: Services, flow: Flow, started: FirstLogin) -> None:
        super().__init__(services, flow)
        self.started = started

    def show_error(self, error: ServiceError) -> None:
        if isinstance(error, FirstLoginEnded):
            back_to_login(self, identifiant=self.started.identifiant, notice=error.text(current()))
            return
        super().show_error(error)

    def action_back(self) -> None:
        back_to_login(self, identifiant=self.started.identifiant)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.action_back()


class IdentityCheckScreen(FirstLoginStep):
    """« Confirmation de l'identité »: the date of birth the school recorded. A wrong date says
    how many tries are left; the last one voids the provisional password (step 2 says so)."""

    STEP = Step.IDENTITY_CHECK
    STEP_LABEL = N_("Première connexion — 1 / 3 Identité")
    GUIDE_STEP = "eleve"
    AUTO_FOCUS = "#naissance-input"

    def compose_form(self) -> ComposeResult:
        yield Static(_("Élève"), classes="profile")
        yield Label(_("Confirmation de l'identité"), classes="title -under-profile")
        yield Static(greeting(self.started), id="pupil-name")
        yield Static(_(IDENTITY_INTRO))
        yield date_field(_("Date de naissance"), "naissance")
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton(_("Annuler"), id="cancel", compact=True)
            yield InstantButton(_("Continuer"), id="continue", variant="primary", compact=True)

    @on(Button.Pressed, "#continue")
    @on(Input.Submitted, "#naissance-input")
    def submit(self) -> None:
        if not self.busy:
            self.confirm()

    @work(exclusive=True)
    async def confirm(self) -> None:
        pupils = self.services.pupils
        token = self.started.token
        self.busy = True
        self.clear_messages()
        try:
            await run_service(
                pupils.confirm_identity, token, self.query_one("#naissance", TextField).value
            )
            context = await run_service(pupils.password_context, token)
        except BirthDateMismatch as error:
            field = self.query_one("#naissance", TextField)
            field.show_error(error.text(current()))
            field.input.focus()
            return
        except ServiceError as error:
            self.show_error(error)
            return
        finally:
            self.busy = False
        self.end(IdentityConfirmed(self.started, context))


class PupilPasswordScreen(FirstLoginStep):
    """The identifiant shown large, as on the guardian's step 7, and the new password twice
    with the rules ticking live."""

    STEP = Step.PUPIL_PASSWORD
    STEP_LABEL = N_("Première connexion — 2 / 3 Mot de passe")
    GUIDE_STEP = "eleve"
    AUTO_FOCUS = "#password-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f3", TOGGLE_ACTION, N_("Afficher / masquer"), id="toggle-password"),
    ]

    def __init__(
        self, services: Services, flow: Flow, started: FirstLogin, context: PasswordContext
    ) -> None:
        super().__init__(services, flow, started)
        self.context = context

    def compose_form(self) -> ComposeResult:
        yield Static(_("Élève"), classes="profile")
        yield Label(_("Je choisis mon mot de passe"), classes="title -under-profile")
        yield Static(_("Votre identifiant :"))
        yield Static(Content(self.context.identifiant), id="identifiant-box")
        yield Static(_(PUPIL_WRITE_IT_DOWN), classes="warning")
        yield NewPasswordFields(self.services.settings, self.context)
        yield from self.compose_message()
        with Horizontal(classes="actions pinned"):
            yield InstantButton(_("Annuler"), id="cancel", compact=True)
            yield InstantButton(_("Valider"), id="validate", variant="primary", compact=True)

    def action_toggle_password(self) -> None:
        self.query_one(RevealToggle).toggle()

    @on(Button.Pressed, "#validate")
    @on(Input.Submitted, "#confirmation-input")
    def submit(self) -> None:
        if not self.busy:
            self.set_password()

    @work(exclusive=True)
    async def set_password(self) -> None:
        activated = await self.attempt(
            self.services.pupils.set_password,
            self.started.token,
            self.query_one("#password", TextField).value,
            self.query_one("#confirmation", TextField).value,
        )
        if isinstance(activated, Refused):
            return
        self.flow.session = activated.session
        self.flow.identifiant = activated.identifiant
        self.end(PupilPasswordChosen())


class PupilEmailScreen(FormStep):
    """« Votre compte est activé », then the optional address: a code is sent to it and typed
    back here; « Passer cette étape » (or Escape) goes straight to the services, and « Mon
    compte » can add the address later."""

    STEP = Step.PUPIL_EMAIL
    STEP_LABEL = N_("Première connexion — 3 / 3 Adresse e-mail")
    GUIDE_STEP = "eleve"
    AUTO_FOCUS = "#email-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "skip", N_("Passer cette étape"), id="skip"),
    ]

    def compose_form(self) -> ComposeResult:
        yield Label(_("Votre compte est activé"), classes="title")
        yield Static(
            Content(
                _("Votre identifiant : %(identifiant)s") % {"identifiant": self.session.identifiant}
            ),
            id="activated-identifiant",
        )
        yield Label(_("Si vous oubliez votre mot de passe"), classes="subtitle")
        yield Static(_(EMAIL_WHY), classes="muted")
        yield TextField(
            _("Adresse e-mail (facultatif)"),
            id="email",
            placeholder=_("prenom.nom@exemple.fr"),
            max_length=254,
        )
        with Vertical(id="code-step"):
            yield Static("", id="sent-to", markup=False)
            yield code_field(_("Code reçu par e-mail (valable 30 min)"))
            yield InstantButton(
                _("Je n'ai pas reçu le code : le renvoyer"),
                id="resend",
                classes="link",
                compact=True,
            )
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton(_("Recevoir le code"), id="send", variant="primary", compact=True)
            yield InstantButton(_("Confirmer"), id="confirm", variant="primary", compact=True)
            yield InstantButton(_("Passer cette étape"), id="skip", compact=True)

    @on(Button.Pressed, "#send")
    @on(Button.Pressed, "#resend")
    @on(Input.Submitted, "#email-input")
    def ask_code(self) -> None:
        if not self.busy:
            self.send()

    @on(Button.Pressed, "#confirm")
    @on(Input.Submitted, "#code-input")
    def submit(self) -> None:
        if not self.busy:
            self.confirm()

    @on(Button.Pressed, "#skip")
    def action_skip(self) -> None:
        self.end(EmailSkipped())

    @work(exclusive=True)
    async def send(self) -> None:
        self.busy = True
        self.clear_messages()
        try:
            sent = await run_service(
                self.services.account.set_email,
                self.session,
                self.query_one("#email", TextField).value,
            )
        except ServiceError as error:
            if error.field == "email":
                self.show_error(error)
            else:
                # Too soon for another code, or the mail server refused: the whole step.
                self.show_message(error.text(current()))
            return
        finally:
            self.busy = False
        self.flow.email = sent.email
        self.refresh_phone()
        self.query_one("#sent-to", Static).update(
            Content(_("Un code de confirmation a été envoyé à %(email)s.") % {"email": sent.email})
        )
        # The code field and « Confirmer » take the place of « Recevoir le code ».
        self.add_class("-code-sent")
        code = self.query_one("#code", TextField)
        code.input.value = ""
        code.input.focus()
        code.scroll_visible()

    @work(exclusive=True)
    async def confirm(self) -> None:
        if isinstance(
            await self.attempt(
                self.services.account.confirm_email,
                self.session,
                self.query_one("#code", TextField).value,
            ),
            Refused,
        ):
            return
        self.end(EmailConfirmed(notice=Notice(_("Adresse e-mail confirmée"), _(EMAIL_CONFIRMED))))
