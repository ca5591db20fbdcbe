"""Reusable widgets; each styles itself with DEFAULT_CSS."""

from tui.widgets.button import InstantButton
from tui.widgets.choice_list import ChoiceButton, ChoiceList
from tui.widgets.field import TextField
from tui.widgets.footer import CalmFooter
from tui.widgets.passwords import NewPasswordFields, PasswordChecklist, RevealToggle
from tui.widgets.phone_panel import PhonePanel
from tui.widgets.step_header import StepHeader

__all__ = [
    "CalmFooter",
    "ChoiceButton",
    "ChoiceList",
    "InstantButton",
    "NewPasswordFields",
    "PasswordChecklist",
    "PhonePanel",
    "RevealToggle",
    "StepHeader",
    "TextField",
]
