"""One module per part of the guide; every screen receives its services through its constructor."""

from tui.screens.base import StepScreen
from tui.screens.guide import GuideScreen
from tui.screens.notice import NoticeScreen
from tui.screens.start import (
    AuthenticationScreen,
    EduconnectProfileScreen,
    EntProfileScreen,
    EntryScreen,
)

__all__ = [
    "AuthenticationScreen",
    "EduconnectProfileScreen",
    "EntProfileScreen",
    "EntryScreen",
    "GuideScreen",
    "NoticeScreen",
    "StepScreen",
]
