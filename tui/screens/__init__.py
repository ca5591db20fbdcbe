"""One module per part of the guide; every screen receives its services through its constructor."""

from tui.screens.base import StepScreen
from tui.screens.guide import GuideScreen
from tui.screens.notice import NoticeScreen
from tui.screens.registration import (
    AbandonScreen,
    AccountActivatedScreen,
    ActivationCodeScreen,
    ActivationScreen,
    ChildrenScreen,
    PasswordScreen,
    SmsConfirmationScreen,
)
from tui.screens.start import (
    AuthenticationScreen,
    EduconnectProfileScreen,
    EntProfileScreen,
    EntryScreen,
)

__all__ = [
    "AbandonScreen",
    "AccountActivatedScreen",
    "ActivationCodeScreen",
    "ActivationScreen",
    "AuthenticationScreen",
    "ChildrenScreen",
    "EduconnectProfileScreen",
    "EntProfileScreen",
    "EntryScreen",
    "GuideScreen",
    "NoticeScreen",
    "PasswordScreen",
    "SmsConfirmationScreen",
    "StepScreen",
]
