"""One module per part of the guide; every screen receives its services through its constructor.

The names below are loaded on first use (PEP 562): importing one screen module (the app starts
with ``tui.screens.start``) must not import every other part of the guide and its services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.lazy import lazy_names

if TYPE_CHECKING:
    from tui.screens.base import StepScreen
    from tui.screens.common.registration_steps import AbandonScreen
    from tui.screens.guide import GuideScreen
    from tui.screens.notice import NoticeScreen
    from tui.screens.registration import (
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

_MODULES = {
    "AbandonScreen": "tui.screens.common.registration_steps",
    "AccountActivatedScreen": "tui.screens.registration",
    "ActivationCodeScreen": "tui.screens.registration",
    "ActivationScreen": "tui.screens.registration",
    "AuthenticationScreen": "tui.screens.start",
    "ChildrenScreen": "tui.screens.registration",
    "EduconnectProfileScreen": "tui.screens.start",
    "EntProfileScreen": "tui.screens.start",
    "EntryScreen": "tui.screens.start",
    "GuideScreen": "tui.screens.guide",
    "NoticeScreen": "tui.screens.notice",
    "PasswordScreen": "tui.screens.registration",
    "SmsConfirmationScreen": "tui.screens.registration",
    "StepScreen": "tui.screens.base",
}

__getattr__ = lazy_names(__name__, _MODULES)
