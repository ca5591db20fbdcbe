"""Applies the journey table (``tui.journey``) to the app's screens: a step that ended with an
outcome is followed by the screen of the step the table names.

The screens' modules are imported when their step is first reached: the app shows step 1
before the domain (pydantic, phonenumbers, passlib, TinyDB) is loaded, and most of the other
modules need it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol, cast, runtime_checkable

from tui.flow import Flow
from tui.journey import (
    BackTo,
    Forward,
    Instead,
    Outcome,
    Replace,
    ResetCodeSent,
    Step,
    next_move,
    payload,
)
from tui.screens.notice import NoticeScreen

if TYPE_CHECKING:
    from textual.app import App

    from services import Services
    from tui.loading import PendingServices
    from tui.screens.base import StepScreen

__all__ = ["SCREENS", "Navigating", "Navigator"]

SCREENS: dict[Step, tuple[str, str]] = {
    Step.ENTRY: ("tui.screens.start", "EntryScreen"),
    Step.ENT_PROFILE: ("tui.screens.start", "EntProfileScreen"),
    Step.EDUCONNECT_PROFILE: ("tui.screens.start", "EduconnectProfileScreen"),
    Step.AUTHENTICATION: ("tui.screens.start", "AuthenticationScreen"),
    Step.ACTIVATION: ("tui.screens.registration", "ActivationScreen"),
    Step.SMS_CONFIRMATION: ("tui.screens.registration", "SmsConfirmationScreen"),
    Step.ACTIVATION_CODE: ("tui.screens.registration", "ActivationCodeScreen"),
    Step.CHILDREN: ("tui.screens.registration", "ChildrenScreen"),
    Step.PASSWORD: ("tui.screens.registration", "PasswordScreen"),
    Step.ACCOUNT_ACTIVATED: ("tui.screens.registration", "AccountActivatedScreen"),
    Step.EXISTING_ACCOUNT: ("tui.screens.registration", "ExistingAccountScreen"),
    Step.SERVICES: ("tui.screens.login", "ServicesScreen"),
    Step.ACCOUNT: ("tui.screens.account", "AccountScreen"),
    Step.CHANGE_PASSWORD: ("tui.screens.account", "ChangePasswordScreen"),
    Step.EMAIL: ("tui.screens.account", "EmailScreen"),
    Step.EMAIL_CODE: ("tui.screens.account", "EmailCodeScreen"),
    Step.FORGOT_IDENTIFIANT: ("tui.screens.recovery", "ForgotIdentifiantScreen"),
    Step.IDENTIFIANT_SENT: ("tui.screens.recovery", "IdentifiantSentScreen"),
    Step.FORGOT_PASSWORD: ("tui.screens.recovery", "ForgotPasswordScreen"),
    Step.RESET_CODE: ("tui.screens.recovery", "ResetCodeScreen"),
    Step.NEW_PASSWORD: ("tui.screens.recovery", "NewPasswordScreen"),
    Step.PASSWORD_CHANGED: ("tui.screens.recovery", "PasswordChangedScreen"),
    Step.IDENTITY_CHECK: ("tui.screens.pupil", "IdentityCheckScreen"),
    Step.PUPIL_PASSWORD: ("tui.screens.pupil", "PupilPasswordScreen"),
    Step.PUPIL_EMAIL: ("tui.screens.pupil", "PupilEmailScreen"),
    Step.FC_PROVIDER: ("tui.screens.franceconnect", "FcProviderScreen"),
    Step.FC_LOGIN: ("tui.screens.franceconnect", "FcLoginScreen"),
    Step.FC_IDENTITY: ("tui.screens.franceconnect", "FcIdentityScreen"),
    Step.FC_MOBILE: ("tui.screens.franceconnect", "FcMobileScreen"),
    Step.FC_CODE: ("tui.screens.franceconnect", "FcCodeScreen"),
    Step.FC_CHILDREN: ("tui.screens.franceconnect", "FcChildrenScreen"),
    Step.FC_SERVICES: ("tui.screens.franceconnect", "FcServicesScreen"),
}
"""The screen of each step, by module and class name."""


def screen_class(step: Step) -> Callable[..., StepScreen]:
    """The class of ``step``'s screen; its arguments are the services, the flow, then the
    payload of the outcome that leads there (``tui.journey.payload``)."""
    module, name = SCREENS[step]
    return cast("Callable[..., StepScreen]", getattr(importlib.import_module(module), name))


class Navigator:
    """Builds each step's screen and moves the app's screen stack as the journey says."""

    def first_screen(self, services: Services | PendingServices) -> StepScreen:
        """Step 1 of a new visit."""
        return self._built(Step.ENTRY, (services, Flow()))

    def follow(self, screen: StepScreen, outcome: Outcome) -> None:
        """``screen`` ended with ``outcome``: show what comes next, then the outcome's notice."""
        app = screen.app
        if isinstance(outcome, ResetCodeSent):
            # Whoever asked, the trainer's panel shows what that account receives.
            screen.flow.new_person()
            screen.flow.account = outcome.identifiant
        move = next_move(screen.STEP, outcome)
        if isinstance(move, Forward):
            app.push_screen(self.build(move.step, screen, outcome))
        elif isinstance(move, Instead):
            app.switch_screen(self.build(move.step, screen, outcome))
        elif isinstance(move, BackTo):
            shown = pop_to(app, move.step)
            if shown is None:
                return
            shown.returned_to(outcome)
        elif isinstance(move, Replace):
            if pop_to(app, move.anchor) is None:
                return
            app.switch_screen(self.build(move.step, screen, outcome))
        if outcome.notice is not None:
            app.push_screen(NoticeScreen(outcome.notice.title, outcome.notice.text))

    def build(self, step: Step, ended: StepScreen, outcome: Outcome) -> StepScreen:
        """The screen of ``step``, reached from ``ended``; step 1 always starts a new visit."""
        flow = Flow() if step is Step.ENTRY else ended.flow
        return self._built(step, (ended.services, flow, *payload(outcome)))

    def rebuild(self, screen: StepScreen) -> StepScreen:
        """``screen`` built anew with what it was built with (another language now speaks),
        to be filled with what was typed in it."""
        again = self._built(screen.STEP, screen.built_with)
        again.refill = screen.typed_values()
        return again

    def _built(self, step: Step, arguments: tuple[object, ...]) -> StepScreen:
        screen = screen_class(step)(*arguments)
        screen.built_with = arguments
        return screen


def pop_to(app: App[Any], step: Step) -> StepScreen | None:
    """Close every screen above the newest one of ``step``; that screen, or None."""
    stack = app.screen_stack
    for index in range(len(stack) - 1, -1, -1):
        shown = stack[index]
        if getattr(shown, "STEP", None) is step:
            for _ in range(len(stack) - 1 - index):
                app.pop_screen()
            return cast("StepScreen", shown)
    return None


@runtime_checkable
class Navigating(Protocol):
    """An app whose steps end with outcomes (``StepScreen.end``)."""

    navigator: Navigator
