"""« Mon compte »: what the person logged in sees of their account, changing the password,
adding or changing the e-mail address (confirmed by a code sent to it), and logging out.

Every call carries the session; once it has ended elsewhere (the password was reset), the
screens go back to the login screen and say why.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Input, Label, Static

from services import Services
from services.account import AccountOverview
from services.errors import SessionEnded
from services.formatting import day, minute
from services.passwords import PasswordContext
from tui.flow import Flow
from tui.journey import (
    EmailChangeAsked,
    EmailCodeSent,
    EmailConfirmed,
    Outcome,
    PasswordChangeAsked,
    PasswordChanged,
    Step,
)
from tui.language import N_, _
from tui.screens.base import Refused, run_service
from tui.screens.common.code_step import CodeStep
from tui.screens.common.session_steps import FormStep, log_out
from tui.sentences import EMAIL_CONFIRMED, EMAIL_PENDING, EMAIL_USE, MOBILE_CHANGE, PASSWORD_CHANGED
from tui.widgets import NewPasswordFields, RevealToggle, TextField
from tui.widgets.button import InstantButton
from tui.widgets.passwords import TOGGLE_ACTION

__all__ = ["AccountScreen", "ChangePasswordScreen", "EmailCodeScreen", "EmailScreen"]


def changed_on(moment: datetime) -> str:
    """« modifié le 06/12/2026 à 09:30 », in local time."""
    local = moment.astimezone()
    return _("modifié le %(day)s à %(time)s") % {"day": day(local), "time": minute(local)}


class AccountScreen(FormStep):
    """The account at a glance, and one button per thing that can be changed."""

    STEP = Step.ACCOUNT
    STEP_LABEL = N_("Mon compte")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#change-password"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Mes services"), id="back"),
    ]

    def __init__(self, services: Services, flow: Flow) -> None:
        super().__init__(services, flow)
        self.overview: AccountOverview | None = None

    def compose_form(self) -> ComposeResult:
        session = self.session
        yield Label(_("Mon compte"), classes="title")
        yield Static(_(EMAIL_PENDING), id="email-banner", classes="banner")
        with Horizontal(classes="fact"):
            yield Static(_("Identifiant"), classes="fact--name")
            yield Static(Content(session.identifiant), classes="fact--value")
        with Horizontal(classes="fact"):
            yield Static(_("Titulaire"), classes="fact--name")
            yield Static(Content(f"{session.prenom} {session.nom.upper()}"), classes="fact--value")
        with Horizontal(classes="fact", id="mobile-fact"):
            yield Static(_("Portable"), classes="fact--name")
            with Vertical(classes="fact--value"):
                yield Static("", id="mobile", markup=False)
                yield Static(_(MOBILE_CHANGE), id="mobile-change", classes="muted")
        with Horizontal(classes="fact"):
            yield Static(_("Adresse e-mail"), classes="fact--name")
            yield Static("", id="email-shown", classes="fact--value", markup=False)
        with Horizontal(classes="fact"):
            yield Static(_("Mot de passe"), classes="fact--name")
            yield Static("", id="password-changed", classes="fact--value", markup=False)
        yield Static("", id="account-notice", markup=False)
        yield Label(_("Mot de passe"), classes="subtitle")
        yield InstantButton(_("Changer mon mot de passe"), id="change-password", compact=True)
        yield Label(_("Adresse e-mail"), classes="subtitle")
        with Horizontal(id="email-actions"):
            yield InstantButton(_("Ajouter une adresse e-mail"), id="set-email", compact=True)
            yield InstantButton(_("Saisir le code reçu"), id="enter-code", compact=True)
            yield InstantButton(
                _("Renvoyer le mail"), id="resend-email", classes="link", compact=True
            )
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton(_("← Mes services"), id="to-services", compact=True)
            yield InstantButton(_("Se déconnecter"), id="logout", variant="error", compact=True)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.load()

    @work(exclusive=True, group="overview")
    async def load(self) -> None:
        overview = await self.read_overview()
        if overview is not None:
            self.show_overview(overview)

    def show_overview(self, overview: AccountOverview) -> None:
        self.overview = overview
        pending = overview.email is not None and not overview.email_confirmed
        self.query_one("#email-banner").set_class(pending, "-shown")
        self.query_one("#mobile-fact").display = overview.mobile_display is not None
        self.query_one("#mobile", Static).update(Content(overview.mobile_display or ""))
        if overview.email is None:
            email = _("aucune")
        elif pending:
            email = _("%(email)s (à confirmer)") % {"email": overview.email}
        else:
            email = _("%(email)s (confirmée)") % {"email": overview.email}
        self.query_one("#email-shown", Static).update(Content(email))
        self.query_one("#password-changed", Static).update(
            Content(
                changed_on(overview.password_changed_at)
                if overview.password_changed_at
                else _("choisi à l'activation du compte")
            )
        )
        self.query_one("#set-email", Button).label = (
            _("Ajouter une adresse e-mail")
            if overview.email is None
            else _("Changer d'adresse e-mail")
        )
        self.query_one("#enter-code").display = pending
        self.query_one("#resend-email").display = pending

    def returned_to(self, outcome: Outcome) -> None:
        if isinstance(outcome, PasswordChanged):
            self.announce(_(PASSWORD_CHANGED))
        elif isinstance(outcome, EmailConfirmed):
            self.announce(_(EMAIL_CONFIRMED))

    def announce(self, text: str) -> None:
        """A success said by the screen that just closed, shown until the next action."""
        notice = self.query_one("#account-notice", Static)
        notice.update(Content(text))
        notice.add_class("-shown")

    def clear_messages(self) -> None:
        super().clear_messages()
        self.query_one("#account-notice").remove_class("-shown")

    @on(Button.Pressed, "#change-password")
    def change_password(self) -> None:
        self.clear_messages()
        self.end(PasswordChangeAsked())

    @on(Button.Pressed, "#set-email")
    def set_email(self) -> None:
        self.clear_messages()
        current = self.overview.email if self.overview else None
        self.end(EmailChangeAsked(current))

    @on(Button.Pressed, "#enter-code")
    def enter_code(self) -> None:
        self.clear_messages()
        if self.overview is not None and self.overview.email is not None:
            self.flow.email = self.overview.email
            self.end(EmailCodeSent(self.overview.email))

    @on(Button.Pressed, "#resend-email")
    def resend_email(self) -> None:
        if not self.busy:
            self.resend()

    @work(exclusive=True)
    async def resend(self) -> None:
        sent = await self.attempt(self.services.account.resend_email_code, self.session)
        if isinstance(sent, Refused):
            return
        self.flow.email = sent.email
        self.refresh_phone()
        self.announce(_("Un nouveau code a été envoyé à %(email)s.") % {"email": sent.email})

    @on(Button.Pressed, "#to-services")
    def to_services(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#logout")
    def logout(self) -> None:
        log_out(self)


class ChangePasswordScreen(FormStep):
    """The current password, then the new one twice with the rules ticking live."""

    STEP = Step.CHANGE_PASSWORD
    STEP_LABEL = N_("Mon compte — Mot de passe")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#current-input"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", N_("Annuler"), id="back"),
        Binding("f3", TOGGLE_ACTION, N_("Afficher / masquer"), id="toggle-password"),
    ]

    def compose_form(self) -> ComposeResult:
        session = self.session
        context = PasswordContext(session.identifiant, session.nom, session.prenom)
        yield Label(_("Changer mon mot de passe"), classes="title")
        yield TextField(_("Mot de passe actuel"), id="current", password=True, max_length=128)
        yield NewPasswordFields(
            self.services.settings, context, reveal="#current-input, #password-fields Input"
        )
        yield from self.compose_message()
        with Horizontal(classes="actions pinned"):
            yield InstantButton(_("Annuler"), id="cancel", compact=True)
            yield InstantButton(_("Valider"), id="validate", variant="primary", compact=True)

    @on(Input.Submitted, "#current-input")
    def next_field(self) -> None:
        self.focus_next()

    def action_toggle_password(self) -> None:
        self.query_one(RevealToggle).toggle()

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#validate")
    @on(Input.Submitted, "#confirmation-input")
    def submit(self) -> None:
        if not self.busy:
            self.change()

    @work(exclusive=True)
    async def change(self) -> None:
        renewed = await self.attempt(
            self.services.account.change_password,
            self.session,
            self.query_one("#current", TextField).value,
            self.query_one("#password", TextField).value,
            self.query_one("#confirmation", TextField).value,
        )
        if isinstance(renewed, Refused):
            return
        self.flow.session = renewed
        self.end(PasswordChanged())


class EmailScreen(FormStep):
    """The address to add (or the new one); a code is sent to it."""

    STEP = Step.EMAIL
    STEP_LABEL = N_("Mon compte — Adresse e-mail")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#email-input"

    def __init__(self, services: Services, flow: Flow, current: str | None) -> None:
        super().__init__(services, flow)
        self.current = current

    def compose_form(self) -> ComposeResult:
        yield Label(
            _("Ajouter une adresse e-mail")
            if self.current is None
            else _("Changer d'adresse e-mail"),
            classes="title",
        )
        yield Static(_(EMAIL_USE))
        if self.current is not None:
            yield Static(
                Content(_("Adresse actuelle : %(email)s") % {"email": self.current}),
                classes="muted",
            )
        yield TextField(
            _("Adresse e-mail"),
            id="email",
            placeholder=_("prenom.nom@exemple.fr"),
            max_length=254,
        )
        yield Static(_("Un code de confirmation sera envoyé à cette adresse."), classes="muted")
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton(_("Annuler"), id="cancel", compact=True)
            yield InstantButton(_("Recevoir le code"), id="send", variant="primary", compact=True)

    @on(Button.Pressed, "#cancel")
    def cancel(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#send")
    @on(Input.Submitted, "#email-input")
    def submit(self) -> None:
        if not self.busy:
            self.send()

    @work(exclusive=True)
    async def send(self) -> None:
        sent = await self.attempt(
            self.services.account.set_email,
            self.session,
            self.query_one("#email", TextField).value,
        )
        if isinstance(sent, Refused):
            return
        self.flow.email = sent.email
        self.end(EmailCodeSent(sent.email))


class EmailCodeScreen(FormStep, CodeStep):
    """The code sent to the address, and « Renvoyer le mail »."""

    STEP = Step.EMAIL_CODE
    STEP_LABEL = N_("Mon compte — Confirmer l'adresse")
    GUIDE_STEP = "8"
    CODE_LABEL = N_("Code reçu par e-mail (valable 30 min)")
    CHECK_BUTTON = ("confirm", N_("Confirmer"))
    RESEND_LABEL = N_("Renvoyer le mail")
    ENDING = (SessionEnded,)

    def __init__(self, services: Services, flow: Flow, email: str) -> None:
        super().__init__(services, flow)
        self.email = email

    def compose_form(self) -> ComposeResult:
        yield Label(_("Confirmer mon adresse e-mail"), classes="title")
        yield Static(_(EMAIL_PENDING), classes="banner -shown")
        yield Static(
            Content(_("Un code de confirmation a été envoyé à %(email)s.") % {"email": self.email}),
            id="sent-to",
        )
        yield from self.compose_code()
        yield from self.compose_message()

    async def check(self, code: str) -> None:
        confirmed = await self.attempt(self.services.account.confirm_email, self.session, code)
        if isinstance(confirmed, Refused):
            return
        self.end(EmailConfirmed())

    async def send_again(self) -> str:
        sent = await run_service(self.services.account.resend_email_code, self.session)
        return _(
            "Un nouveau mail a été envoyé à %(email)s. Le code précédent n'est plus valable."
        ) % {"email": sent.email}
