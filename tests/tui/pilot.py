"""Walking the families' app with Textual's Pilot, as a parent or a pupil would: the steps the
flow tests and the snapshot tests share. ``press``, and every step built on it, waits until the
app has settled (the service call's worker done, the next screen mounted, the workers that
screen starts done), so what a test reads or pictures next never depends on the machine's
speed."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any, Protocol

from textual.pilot import Pilot
from textual.widgets import Button, Footer, RadioSet, Static

from services import ManualClock, Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from services.pupils import FirstLogin, IssuedCredentials
from services.registration import ChildAnswer
from tui.app import EduConnectApp
from tui.screens import (
    ActivationCodeScreen,
    ActivationScreen,
    AuthenticationScreen,
    ChildrenScreen,
    PasswordScreen,
    SmsConfirmationScreen,
)
from tui.screens.account import AccountScreen, EmailCodeScreen, EmailScreen
from tui.screens.franceconnect import (
    FcChildrenScreen,
    FcCodeScreen,
    FcIdentityScreen,
    FcLoginScreen,
    FcMobileScreen,
    FcProviderScreen,
)
from tui.screens.login import ServicesScreen
from tui.screens.pupil import IdentityCheckScreen, PupilEmailScreen, PupilPasswordScreen
from tui.screens.recovery import (
    ForgotPasswordScreen,
    NewPasswordScreen,
    PasswordChangedScreen,
    ResetCodeScreen,
)
from tui.screens.registration import ExistingAccountScreen
from tui.terminal import OrderedKeys
from tui.widgets import TextField

SIZE = (80, 24)
"""The terminal the snapshots are taken at unless a test says otherwise."""

RunBefore = Callable[[Pilot[Any]], Awaitable[None] | None]


class SnapApp(Protocol):
    """The ``snap_app`` fixture: a picture of a fresh app after ``run_before``."""

    def __call__(
        self,
        run_before: RunBefore | None = None,
        *,
        terminal_size: tuple[int, int] = SIZE,
        press: tuple[str, ...] = (),
    ) -> bool: ...


SETTLE_ROUNDS = 200
"""More than any walk needs (a few rounds per step): beyond, something keeps the app busy."""

PASSWORD = "Cerf-volant#29"
NEW_PASSWORD = "Cerf-volant#29"
EMAIL = "claire.moreau@exemple.fr"
MOREAU_PHONE = "+33645123456"
LEA = "E003"
LEA_BIRTH = "22/01/2014"
WRONG_BIRTH = "23/01/2014"
LEA_EMAIL = "lea.bernard@exemple.fr"


# -- acting on a screen ----------------------------------------------------------------------------


async def settle(pilot: Pilot[Any]) -> None:
    """Until the app is quiet: no message waiting in any screen, no worker running, no key held.

    A service call runs in a worker; when it ends, the next screen mounts and may start
    workers of its own (the phone panel reads the outbox in a thread). So: handle what is
    queued, wait for the running workers, and again, until a round finds nothing to wait
    for. How busy the machine is changes how long this takes, never what the test sees."""
    app = pilot.app
    for _ in range(SETTLE_ROUNDS):
        await pilot.pause()
        running = [worker for worker in app.workers if not worker.is_finished]
        screens = app.screen_stack
        nodes = [app, *(node for s in screens for node in s.walk_children(with_self=True))]
        queued = any(node.message_queue_size for node in nodes)
        # Keys the app still holds back (``tui.terminal.key_order``) are in no queue.
        typing = isinstance(app, OrderedKeys) and app.keys_waiting
        if not (running or queued or typing):
            return
        await app.workers.wait_for_complete(running)
        if typing:
            await pilot.pause(0.01)
    raise AssertionError(f"the app did not settle in {SETTLE_ROUNDS} rounds")


WAIT_LIMIT_SECONDS = 10.0
"""Far more than the one-second waits of the tests: a timer that never fires fails the test."""


async def until(pilot: Pilot[Any], condition: Callable[[], bool]) -> None:
    """Let the app run (its timers included) until ``condition()`` holds."""
    for _ in range(int(WAIT_LIMIT_SECONDS / 0.1)):
        if condition():
            return
        await pilot.pause(0.1)
    raise AssertionError("the message did not change in time")


async def press(pilot: Pilot[Any], selector: str) -> None:
    """Click a button, scrolling the form first so it is on screen (as a person would)."""
    button = pilot.app.screen.query_one(selector, Button)
    button.scroll_visible(animate=False, immediate=True)
    await pilot.pause()
    await pilot.click(button)
    await settle(pilot)


def fill(pilot: Pilot[Any], field_id: str, value: str) -> None:
    pilot.app.screen.query_one(f"#{field_id}", TextField).input.value = value


def field_error(pilot: Pilot[Any], field_id: str) -> str:
    """The message under a field, or "" when it shows none."""
    field = pilot.app.screen.query_one(f"#{field_id}", TextField)
    if not field.has_class("-invalid"):
        return ""
    return str(field.query_one(".field--error", Static).render())


def form_message(pilot: Pilot[Any]) -> str:
    message = pilot.app.screen.query_one("#form-message", Static)
    return str(message.render()) if message.has_class("-shown") else ""


def sms_code(services: Services, phone: str) -> str:
    """The code in the last SMS this number received, read on the trainer's phone."""
    text = services.outbox.messages(channel="sms", to=phone)[-1].text
    match = re.search(r"code d'activation est ([A-Z]{6})", text)
    assert match, text
    return match.group(1)


def footer_keys(app: EduConnectApp) -> set[str]:
    return {key.key for key in app.screen.query_one(Footer).query("FooterKey")}  # type: ignore[attr-defined]


# -- registration, steps 3 to 8 --------------------------------------------------------------------


async def open_activation(pilot: Pilot[Any]) -> None:
    """Step 2 as left by steps 1 to 1.2, then « Je n'ai pas de compte → »."""
    app = pilot.app
    assert isinstance(app, EduConnectApp)
    flow = app.screen.flow  # type: ignore[attr-defined]
    flow.profile = "representant"
    await app.push_screen(AuthenticationScreen(app.services, flow))
    await press(pilot, "#no-account")
    assert isinstance(app.screen, ActivationScreen)


async def identify(pilot: Pilot[Any], nom: str, prenom: str, portable: str) -> None:
    """Step 3 filled in, then « Suivant »."""
    fill(pilot, "nom", nom)
    fill(pilot, "prenom", prenom)
    fill(pilot, "portable", portable)
    await press(pilot, "#next")


async def receive_code(pilot: Pilot[Any]) -> None:
    """Step 4: « Recevoir mon code SMS », then « Valider » in « Confirmation par SMS »."""
    assert isinstance(pilot.app.screen, SmsConfirmationScreen)
    await press(pilot, "#receive")
    await press(pilot, "#validate")


async def enter_code(pilot: Pilot[Any], code: str) -> None:
    """Step 5: the code, then « Continuer »."""
    fill(pilot, "code", code)
    await press(pilot, "#continue")


async def to_code_step(
    pilot: Pilot[Any], nom: str = "Martin", prenom: str = "Sophie", portable: str = "06 12 34 56 78"
) -> None:
    await open_activation(pilot)
    await identify(pilot, nom, prenom, portable)
    await receive_code(pilot)
    assert isinstance(pilot.app.screen, ActivationCodeScreen)


async def to_children_step(
    pilot: Pilot[Any], nom: str = "Martin", prenom: str = "Sophie", portable: str = "06 12 34 56 78"
) -> None:
    await to_code_step(pilot, nom, prenom, portable)
    app = pilot.app
    assert isinstance(app, EduConnectApp)
    await enter_code(pilot, sms_code(app.services, app.screen.flow.phone))  # type: ignore[attr-defined]
    assert isinstance(app.screen, ChildrenScreen)


async def to_existing_account(pilot: Pilot[Any]) -> None:
    """Claire Moreau, already active, through steps 3 to 5 with the code from her SMS."""
    await to_code_step(pilot, "Moreau", "Claire", "06 45 12 34 56")
    app = pilot.app
    assert isinstance(app, EduConnectApp)
    await enter_code(pilot, sms_code(app.services, MOREAU_PHONE))
    assert isinstance(app.screen, ExistingAccountScreen)


async def answer_no(pilot: Pilot[Any], row: int) -> None:
    """« Non » with the keyboard: Down inside the Oui/Non list, then Enter."""
    pilot.app.screen.query_one(f"#answer-{row}", RadioSet).focus()
    await pilot.press("down", "enter")


async def to_password_step_martin(pilot: Pilot[Any]) -> None:
    await to_children_step(pilot)
    fill(pilot, "naissance-0", "05/09/2008")
    fill(pilot, "naissance-1", "14032012")
    await press(pilot, "#confirm")
    assert isinstance(pilot.app.screen, PasswordScreen)


async def choose_password(pilot: Pilot[Any], password: str, confirmation: str) -> None:
    fill(pilot, "password", password)
    fill(pilot, "confirmation", confirmation)
    await press(pilot, "#validate")


# -- login, recovery, « Mon compte » ---------------------------------------------------------------


async def open_login(pilot: Pilot[Any], profile: str = "representant") -> None:
    """Step 2 as left by steps 1 to 1.2 for ``profile``."""
    app = pilot.app
    assert isinstance(app, EduConnectApp)
    flow = app.screen.flow  # type: ignore[attr-defined]
    flow.profile = profile
    await app.push_screen(AuthenticationScreen(app.services, flow))
    await pilot.pause()


async def log_in(pilot: Pilot[Any], identifiant: str, password: str) -> None:
    fill(pilot, "identifiant", identifiant)
    fill(pilot, "password", password)
    await press(pilot, "#login")


async def logged_in(pilot: Pilot[Any], password: str = DEMO_ACTIVE_PASSWORD) -> None:
    """Claire Moreau (c.moreau1) logged in, on her services."""
    await open_login(pilot)
    await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, password)
    assert isinstance(pilot.app.screen, ServicesScreen)


async def to_account(pilot: Pilot[Any]) -> None:
    await logged_in(pilot)
    await press(pilot, "#my-account")
    assert isinstance(pilot.app.screen, AccountScreen)


def login_message(pilot: Pilot[Any]) -> str:
    message = pilot.app.screen.query_one("#login-message", Static)
    return str(message.render()) if message.has_class("-shown") else ""


def text_of(pilot: Pilot[Any], selector: str) -> str:
    return str(pilot.app.screen.query_one(selector, Static).render())


def last_code(services: Services, channel: str, to: str) -> str:
    """The six letters of the last message ``to`` received on ``channel``."""
    text = services.outbox.messages(channel=channel, to=to)[-1].text
    match = re.search(r"\b([A-Z]{6})\b", text)
    assert match, text
    return match.group(1)


async def request_reset(pilot: Pilot[Any], identifiant: str, *, by_email: bool = False) -> None:
    """From step 2: « Mot de passe oublié ? », the identifiant, the channel, « Recevoir »."""
    await press(pilot, "#forgot-password")
    assert isinstance(pilot.app.screen, ForgotPasswordScreen)
    fill(pilot, "identifiant", identifiant)
    if by_email:
        pilot.app.screen.query_one("#channel", RadioSet).focus()
        await pilot.press("down", "enter")
    await press(pilot, "#send")


async def choose_email(pilot: Pilot[Any]) -> None:
    """« Par e-mail » with the keyboard: the SMS / e-mail choice, then Down."""
    pilot.app.screen.query_one("#channel", RadioSet).focus()
    await pilot.press("down")
    await settle(pilot)


async def remind_identifiant(
    pilot: Pilot[Any], nom: str, prenom: str, portable: str, *, by_email: bool = False
) -> None:
    """From step 2: « Identifiant oublié ? », the three fields, the channel, « Recevoir »."""
    await press(pilot, "#forgot-identifiant")
    fill(pilot, "nom", nom)
    fill(pilot, "prenom", prenom)
    fill(pilot, "portable", portable)
    if by_email:
        await choose_email(pilot)
    await press(pilot, "#send")


async def reset_by_sms(pilot: Pilot[Any], services: Services, password: str) -> None:
    """The whole reset for c.moreau1 by SMS, up to « Votre mot de passe a été modifié »."""
    await request_reset(pilot, DEMO_ACTIVE_IDENTIFIANT)
    assert isinstance(pilot.app.screen, ResetCodeScreen)
    fill(pilot, "code", last_code(services, "sms", MOREAU_PHONE))
    await press(pilot, "#continue")
    assert isinstance(pilot.app.screen, NewPasswordScreen)
    fill(pilot, "password", password)
    fill(pilot, "confirmation", password)
    await press(pilot, "#validate")
    assert isinstance(pilot.app.screen, PasswordChangedScreen)


async def fail_until_locked(pilot: Pilot[Any], clock: ManualClock) -> list[str]:
    """Ten wrong passwords, each after the wait the previous refusal asked for; the messages."""
    messages = []
    for _ in range(10):
        await log_in(pilot, DEMO_ACTIVE_IDENTIFIANT, "Mauvais-mot-2-passe")
        message = login_message(pilot)
        messages.append(message)
        wait = re.search(r"Patientez (\d+) secondes", message)
        if wait:
            clock.advance(timedelta(seconds=int(wait.group(1))))
    return messages


async def add_email(pilot: Pilot[Any], address: str = EMAIL) -> None:
    """From « Mon compte »: « Ajouter une adresse e-mail », the address, « Recevoir le code »."""
    await press(pilot, "#set-email")
    assert isinstance(pilot.app.screen, EmailScreen)
    fill(pilot, "email", address)
    await press(pilot, "#send")
    assert isinstance(pilot.app.screen, EmailCodeScreen)


# -- a pupil's first login -------------------------------------------------------------------------


def issue(services: Services, pupil_id: str = LEA) -> IssuedCredentials:
    """What the school prints on the pupil's notice (the demo services' random is seeded)."""
    return services.admin.issue_for_pupil(pupil_id).issued[0]


def app_services(pilot: Pilot[Any]) -> Services:
    app = pilot.app
    assert isinstance(app, EduConnectApp)
    return app.services


async def to_identity_check(pilot: Pilot[Any]) -> IssuedCredentials:
    """Léa's notice issued, « Élève » chosen, the notice's identifiant and password typed."""
    issued = issue(app_services(pilot))
    await open_login(pilot, "eleve")
    await log_in(pilot, issued.identifiant, issued.password)
    assert isinstance(pilot.app.screen, IdentityCheckScreen)
    return issued


async def give_birth_date(pilot: Pilot[Any], typed: str) -> None:
    fill(pilot, "naissance", typed)
    await press(pilot, "#continue")


async def to_password_step(pilot: Pilot[Any]) -> IssuedCredentials:
    issued = await to_identity_check(pilot)
    await give_birth_date(pilot, LEA_BIRTH)
    assert isinstance(pilot.app.screen, PupilPasswordScreen)
    return issued


async def to_email_step(pilot: Pilot[Any]) -> IssuedCredentials:
    issued = await to_password_step(pilot)
    await choose_password(pilot, NEW_PASSWORD, NEW_PASSWORD)
    assert isinstance(pilot.app.screen, PupilEmailScreen)
    return issued


async def send_email_code(pilot: Pilot[Any], address: str = LEA_EMAIL) -> None:
    fill(pilot, "email", address)
    await press(pilot, "#send")


def activate_without_the_screens(services: Services, email: str | None = None) -> str:
    """Léa's account made active through the services alone (optionally with a confirmed
    e-mail); her identifiant."""
    issued = issue(services)
    started = services.pupils.login(issued.identifiant, issued.password)
    assert isinstance(started, FirstLogin)
    token = started.token
    services.pupils.confirm_identity(token, LEA_BIRTH)
    activated = services.pupils.set_password(token, NEW_PASSWORD, NEW_PASSWORD)
    if email is not None:
        services.account.set_email(activated.session, email)
        services.account.confirm_email(activated.session, last_code(services, "email", email))
    return issued.identifiant


# -- FranceConnect (simulated) ---------------------------------------------------------------------


async def open_franceconnect(pilot: Pilot[Any], profile: str = "representant") -> None:
    """Step 2 as left by steps 1 to 1.2, then « S'identifier avec FranceConnect »."""
    app = pilot.app
    assert isinstance(app, EduConnectApp)
    flow = app.screen.flow  # type: ignore[attr-defined]
    flow.profile = profile
    await app.push_screen(AuthenticationScreen(app.services, flow))
    await press(pilot, "#franceconnect")


async def choose_provider(pilot: Pilot[Any], downs: int = 0) -> None:
    """The provider list with the keyboard: Down ``downs`` times, Enter, then « Continuer »."""
    assert isinstance(pilot.app.screen, FcProviderScreen)
    if downs:
        await pilot.press(*(["down"] * downs), "enter")
    await press(pilot, "#fc-continue")
    assert isinstance(pilot.app.screen, FcLoginScreen)


async def provider_login(pilot: Pilot[Any], login: str, password: str = "demo") -> None:
    fill(pilot, "fc-login", login)
    fill(pilot, "fc-password", password)
    await press(pilot, "#fc-submit")


async def to_identity(pilot: Pilot[Any], login: str = "sophie.martin", downs: int = 0) -> None:
    await open_franceconnect(pilot)
    await choose_provider(pilot, downs)
    await provider_login(pilot, login)
    assert isinstance(pilot.app.screen, FcIdentityScreen)


async def to_mobile(pilot: Pilot[Any]) -> None:
    await to_identity(pilot)
    await press(pilot, "#fc-begin")
    assert isinstance(pilot.app.screen, FcMobileScreen)


async def to_code(pilot: Pilot[Any]) -> None:
    await to_mobile(pilot)
    fill(pilot, "portable", "06 12 34 56 78")
    await press(pilot, "#fc-send")
    assert isinstance(pilot.app.screen, FcCodeScreen)


async def to_children(pilot: Pilot[Any]) -> None:
    await to_code(pilot)
    app = pilot.app
    assert isinstance(app, EduConnectApp)
    fill(pilot, "code", sms_code(app.services, "+33612345678"))
    await press(pilot, "#continue")
    assert isinstance(app.screen, FcChildrenScreen)


def link_sophie_martin(services: Services) -> None:
    """R001's first use done through the services, so a test can start at a later use."""
    identity = services.franceconnect.authenticate("impots", "sophie.martin", "demo")
    services.franceconnect.begin(identity)
    sent = services.franceconnect.send_code(identity, "06 12 34 56 78")
    services.registration.verify_code(sent.token, sms_code(services, sent.phone))
    services.registration.confirm_children(
        sent.token,
        [
            ChildAnswer(pupil_id="E001", is_guardian=True, birth_date="14/03/2012"),
            ChildAnswer(pupil_id="E002", is_guardian=True, birth_date="05/09/2008"),
        ],
    )
    services.franceconnect.complete(sent.token)


# -- steps 1 to 2 ----------------------------------------------------------------------------------


async def to_authentication(pilot: Pilot[Any], profile: str = "#representant") -> None:
    """Step 1 → 1.1 → 1.2 → 2 with the guide's choices, each step there before the next click."""
    for button in ("#connect", "#validate", profile):
        await press(pilot, button)
