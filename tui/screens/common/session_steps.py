"""What the steps after (or towards) a login share: the open session, the way back to the
login screen once it has ended, and the services of the person logged in."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Button, Label, Static

from services import ServiceError
from services.account import AccountOverview
from services.errors import SessionEnded
from services.login import LoginSession
from store.records import AccountKind
from tui.journey import AccountAsked, BackToLogin, Notice
from tui.language import N_, _, current
from tui.screens.base import FormScreen, StepScreen, run_service
from tui.screens.common.fields import (
    UP_DOWN_BINDINGS,
    child_line,
    compose_services,
    service_name,
)
from tui.screens.notice import NoticeScreen
from tui.sentences import EMAIL_PENDING
from tui.widgets.button import InstantButton

__all__ = ["FormStep", "ServicesStep", "back_to_login", "log_out"]


def back_to_login(step: StepScreen, *, identifiant: str = "", notice: str = "") -> None:
    """Return to the login screen (step 2) with its password field empty; the identifiant is
    filled in when given, and ``notice`` is shown there in a dialog."""
    step.end(BackToLogin(identifiant, notice=Notice(_("Connexion"), notice) if notice else None))


def log_out(step: StepScreen, *, notice: str = "") -> None:
    """Drop the session: nothing of it stays in this process, and step 2 is shown again."""
    identifiant = step.flow.session.identifiant if step.flow.session else ""
    step.flow.session = None
    back_to_login(step, identifiant=identifiant, notice=notice)


class FormStep(FormScreen):
    """A form after (or towards) a login: an ended session leads back to the login screen."""

    def show_error(self, error: ServiceError) -> None:
        if isinstance(error, SessionEnded):
            log_out(self, notice=error.text(current()))
            return
        super().show_error(error)

    @property
    def session(self) -> LoginSession:
        """The open session (screens after login are only reached with one)."""
        if self.flow.session is None:
            raise SessionEnded()
        return self.flow.session

    async def read_overview(self) -> AccountOverview | None:
        """The account as it is now (read in a thread), or ``None`` when there is no session
        any more or the read was refused (the refusal is then on screen)."""
        if self.flow.session is None:
            return None
        try:
            return await run_service(self.services.account.overview, self.flow.session)
        except ServiceError as error:
            self.show_error(error)
            return None


class ServicesStep(FormStep):
    """After login: who is connected, their children (or, for a pupil, their class), the
    services, « Mon compte » and « Se déconnecter »."""

    STEP_LABEL = N_("Connecté — Mes services")
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#service-ent"
    BINDINGS: ClassVar[list[BindingType]] = UP_DOWN_BINDINGS

    def compose_form(self) -> ComposeResult:
        session = self.session
        pupil = session.kind is AccountKind.PUPIL
        greeting = _("Bonjour %(prenom)s %(nom)s") % {
            "prenom": session.prenom,
            "nom": session.nom.upper(),
        }
        yield Label(Content(greeting), classes="title")
        yield Static(
            Content(_("Identifiant : %(identifiant)s") % {"identifiant": session.identifiant}),
            id="connected-as",
        )
        yield Static(_(EMAIL_PENDING), id="email-banner", classes="banner")
        yield Label(
            _("Votre classe") if pupil else _("Élèves rattachés à votre compte"),
            classes="subtitle",
        )
        for child in session.children:
            yield Static(child_line(child), classes="connected-child")
        if not session.children:
            yield Static(_("Aucun élève rattaché."), classes="muted")
        yield Label(_("Vous pouvez accéder aux services :"), classes="subtitle")
        yield from compose_services()
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton(_("Mon compte"), id="my-account", variant="primary", compact=True)
            yield InstantButton(_("Se déconnecter"), id="logout", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape would be a silent logout: leaving is « Se déconnecter », said on screen.
        return action != "back"

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.load_overview()

    @work(exclusive=True, group="overview")
    async def load_overview(self) -> None:
        overview = await self.read_overview()
        if overview is None:
            return
        self.query_one("#email-banner").set_class(
            overview.email is not None and not overview.email_confirmed, "-shown"
        )

    @on(Button.Pressed, "#services Button")
    def open_service(self, event: Button.Pressed) -> None:
        name = service_name(event.button.id)
        self.app.push_screen(
            NoticeScreen(
                name,
                _(
                    "%(service)s : ce service est en dehors de cette démonstration. Sur le vrai "
                    "site, vous y êtes connecté avec votre compte ÉduConnect %(identifiant)s."
                )
                % {"service": name, "identifiant": self.session.identifiant},
            )
        )

    @on(Button.Pressed, "#my-account")
    def my_account(self) -> None:
        self.end(AccountAsked())

    @on(Button.Pressed, "#logout")
    def logout(self) -> None:
        log_out(self)
