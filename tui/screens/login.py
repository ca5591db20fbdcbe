"""After « Se connecter »: the services of the person logged in, and what the login, recovery and
« Mon compte » screens share (one service call at a time, errors beside their field, the way
back to the login screen when the session has ended)."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Label, Static

from services import ServiceError
from services.errors import SessionEnded
from services.login import LoginSession
from services.registration import ChildView
from store.records import AccountKind
from tui.screens.base import FormScreen, StepScreen, run_service
from tui.screens.notice import NoticeScreen
from tui.screens.registration import SERVICES, child_name, pop_to
from tui.widgets.button import InstantButton

__all__ = ["EMAIL_PENDING", "FormStep", "ServicesScreen", "back_to_login", "log_out"]

EMAIL_PENDING = "Vous devez confirmer votre adresse mail"


def back_to_login(step: StepScreen, *, identifiant: str = "", notice: str = "") -> None:
    """Return to the login screen (step 2) with its password field empty; the identifiant is
    filled in when given, and ``notice`` is shown there in a dialog."""
    from tui.screens.start import AuthenticationScreen

    app = step.app
    login = pop_to(app.screen_stack, AuthenticationScreen)
    if not isinstance(login, AuthenticationScreen):
        return
    login.reset_form(identifiant)
    if notice:
        app.push_screen(NoticeScreen("Connexion", notice))


def log_out(step: StepScreen, *, notice: str = "") -> None:
    """Drop the session: nothing of it stays in this process, and step 2 is shown again."""
    identifiant = step.flow.session.identifiant if step.flow.session else ""
    step.flow.session = None
    back_to_login(step, identifiant=identifiant, notice=notice)


def describe_child(child: ChildView) -> Content:
    """« • Inès MOREAU — CLG Frédéric Bazille, classe 3B », never parsed as markup."""
    return (
        Content(" • ")
        .append(child_name(child))
        .append(f" — {child.etablissement}, classe {child.classe}")
    )


class FormStep(FormScreen):
    """A form after (or towards) a login: an ended session leads back to the login screen."""

    def show_error(self, error: ServiceError) -> None:
        if isinstance(error, SessionEnded):
            log_out(self, notice=error.message)
            return
        super().show_error(error)

    @property
    def session(self) -> LoginSession:
        """The open session (screens after login are only reached with one)."""
        if self.flow.session is None:
            raise SessionEnded()
        return self.flow.session


class ServicesScreen(FormStep):
    """After login: who is connected, their children (or, for a pupil, their class), the
    services, « Mon compte » and « Se déconnecter »."""

    STEP_LABEL = "Connecté — Mes services"
    GUIDE_STEP = "8"
    AUTO_FOCUS = "#service-ent"
    # Priority: the scrolling form column would otherwise take Up/Down before the screen.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "app.focus_previous", "Précédent", show=False, priority=True),
        Binding("down", "app.focus_next", "Suivant", show=False, priority=True),
    ]

    def compose_form(self) -> ComposeResult:
        session = self.session
        pupil = session.kind is AccountKind.PUPIL
        yield Label(Content(f"Bonjour {session.prenom} {session.nom.upper()}"), classes="title")
        yield Static(Content(f"Identifiant : {session.identifiant}"), id="connected-as")
        yield Static(EMAIL_PENDING, id="email-banner", classes="banner")
        yield Label(
            "Votre classe" if pupil else "Élèves rattachés à votre compte", classes="subtitle"
        )
        for child in session.children:
            yield Static(describe_child(child), classes="connected-child")
        if not session.children:
            yield Static("Aucun élève rattaché.", classes="muted")
        yield Label("Vous pouvez accéder aux services :", classes="subtitle")
        with Vertical(id="services"):
            for button_id, label, _ in SERVICES:
                yield InstantButton(label, id=button_id, compact=True)
        yield from self.compose_message()
        with Horizontal(classes="actions"):
            yield InstantButton("Mon compte", id="my-account", variant="primary", compact=True)
            yield InstantButton("Se déconnecter", id="logout", compact=True)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape would be a silent logout: leaving is « Se déconnecter », said on screen.
        return action != "back"

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.load_overview()

    @work(exclusive=True, group="overview")
    async def load_overview(self) -> None:
        if self.flow.session is None:
            return
        try:
            overview = await run_service(self.services.account.overview, self.flow.session)
        except ServiceError as error:
            self.show_error(error)
            return
        self.query_one("#email-banner").set_class(
            overview.email is not None and not overview.email_confirmed, "-shown"
        )

    @on(Button.Pressed, "#services Button")
    def open_service(self, event: Button.Pressed) -> None:
        name = next(name for button_id, _, name in SERVICES if button_id == event.button.id)
        self.app.push_screen(
            NoticeScreen(
                name,
                f"{name} : ce service est en dehors de cette démonstration. Sur le vrai site, "
                f"vous y êtes connecté avec votre compte ÉduConnect {self.session.identifiant}.",
            )
        )

    @on(Button.Pressed, "#my-account")
    def my_account(self) -> None:
        from tui.screens.account import AccountScreen

        self.app.push_screen(AccountScreen(self.services, self.flow))

    @on(Button.Pressed, "#logout")
    def logout(self) -> None:
        log_out(self)
