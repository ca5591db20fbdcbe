"""The screens of the families' app: calm to repaint, and kind to the keyboard habits people
bring from web forms (Tab order, characters typed away from a field).

Textual's ``Screen.focused`` is a reactive that repaints the entire screen on every change, so
each Tab costs a full 80×24 frame (≈ 3–5 KB) although only the two widgets involved change (they
repaint themselves through their ``:focus`` styles). Over a slow SSH link that is most of what a
form sends. Every screen of the families' app derives from one of these.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from textual import events
from textual.reactive import Reactive
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Input

from tui.language import N_, _
from tui.terminal import focus_without_repaint

__all__ = ["NOTHING_TO_TYPE", "CalmModalScreen", "CalmScreen", "keep_in_view"]

ResultType = TypeVar("ResultType")

NOTHING_TO_TYPE = N_("Rien à saisir ici : choisissez avec les flèches, Tab et Entrée.")
NOTICE_SECONDS = 4


def links_last(chain: list[Widget]) -> list[Widget]:
    """Tab visits the fields and buttons before the links (``Button.link``), so that
    « identifiant, Tab, mot de passe, Entrée » logs in, as on the web; the links come after, in
    the order they are drawn.

    The buttons pinned at the bottom of a long form (``.pinned``) come after its fields:
    Textual orders the focus by position, and a pinned row sits above the fields scrolled
    below it."""
    links = [widget for widget in chain if widget.has_class("link")]
    pinned = [
        widget
        for widget in chain
        if widget not in links and any(node.has_class("pinned") for node in widget.ancestors)
    ]
    rest = [widget for widget in chain if widget not in links and widget not in pinned]
    return rest + pinned + links


def keep_in_view(widget: Widget) -> None:
    """Textual scrolls a control into view as it takes the focus, before the layout that the
    same action may change (a box shown, a message added): at 60×20 the focused « Valider »
    of step 4 ended below the screen. Once more after that layout."""
    widget.call_after_refresh(widget.scroll_visible, animate=False)


class StrayTyping:
    """A character typed while a button or a list has the focus goes to the field that last had
    the focus (else the first field shown) instead of vanishing; where there is no field, a
    short notice says so."""

    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen
        self.last_input: Input | None = None
        self.notice_shown = False

    def focused(self, widget: Widget) -> None:
        if isinstance(widget, Input):
            self.last_input = widget

    def key(self, event: events.Key) -> None:
        screen = self.screen
        if (
            not event.is_printable
            or event.character is None
            or isinstance(screen.focused, Input)
            # Keys reach the bindings only once they have bubbled up to the app.
            or event.key in screen.active_bindings
        ):
            return
        event.stop()
        event.prevent_default()
        field = self.field_to_type_in()
        if field is None:
            # Once for a burst: a word typed on a page of choices would stack a notice per
            # letter over the page (at 60 columns, half of it).
            if not self.notice_shown:
                self.notice_shown = True
                screen.notify(_(NOTHING_TO_TYPE), severity="warning", timeout=NOTICE_SECONDS)
                screen.set_timer(NOTICE_SECONDS, self.notice_gone)
            return
        screen.set_focus(field)
        # After the field's focus handler, which selects its whole text (the next character
        # would replace it): the character is added at the end, as if typing had gone on.
        field.call_later(self.add_character, field, event.character)

    def notice_gone(self) -> None:
        self.notice_shown = False

    @staticmethod
    def add_character(field: Input, character: str) -> None:
        field.cursor_position = len(field.value)
        field.insert_text_at_cursor(character)

    def field_to_type_in(self) -> Input | None:
        shown = [
            widget
            for widget in self.screen.focus_chain
            if isinstance(widget, Input) and not widget.disabled
        ]
        if self.last_input in shown:
            return self.last_input
        return shown[0] if shown else None


# Typed as a screen, but at run time a plain mixin: Textual gives a class the default styles
# and CSS type names of its first base that is a DOM node, which must stay ``Screen`` or
# ``ModalScreen`` (a modal screen that inherited ``Screen``'s styles hid the screen beneath).
if TYPE_CHECKING:
    _HabitsBase = Screen[Any]
else:
    _HabitsBase = object


class KeyboardHabits(_HabitsBase):
    """Tab order, stray characters and the focus kept in view (see above), for a screen."""

    focused: Reactive[Widget | None] = focus_without_repaint()

    @cached_property
    def stray_typing(self) -> StrayTyping:
        return StrayTyping(self)

    @property
    def focus_chain(self) -> list[Widget]:
        return links_last(super().focus_chain)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.stray_typing.focused(event.widget)
        keep_in_view(event.widget)

    def on_key(self, event: events.Key) -> None:
        self.stray_typing.key(event)


class CalmScreen(KeyboardHabits, Screen[ResultType]):
    pass


class CalmModalScreen(KeyboardHabits, ModalScreen[ResultType]):
    pass
