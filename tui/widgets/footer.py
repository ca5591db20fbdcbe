"""A footer that only redraws when the keys it lists change."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from tui.language import _
from tui.terminal import describe_key, key_action, mark_bindings_ready
from tui.widgets.passwords import TOGGLE_ACTION

__all__ = ["CalmFooter"]

Signature = tuple[tuple[str, str, bool], ...]

KEYS_NAMED_ON_SCREEN = frozenset({TOGGLE_ACTION})


class CalmFooter(Footer):
    """Textual's ``Footer`` recomposes on every bindings refresh, which happens several times
    per focus change even when the keys it shows stay the same: over SSH each recompose resends
    the whole bottom line. This one compares what it would show and does nothing if unchanged.

    The screens' ``BINDINGS`` hold ``N_()`` msgids: the keys' descriptions are translated here,
    where they are shown, in the language of the moment."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)
        self._shown: Signature | None = None

    def compose(self) -> ComposeResult:
        # Textual's footer starts empty and fills in after the first frame, and the new keys
        # relayout the whole screen: one more full frame on every screen change. Here the keys
        # are there from the start.
        mark_bindings_ready(self)
        self._shown = self._signature(self.screen)
        left_out = self._left_out()
        keys = [widget for widget in super().compose() if key_action(widget) not in left_out]
        for widget in sorted(keys, key=self._place):
            yield describe_key(widget, _)

    def _place(self, widget: Widget) -> int:
        """Where a key goes: Textual lists the focused control's keys first, so the app's keys
        would move about as the focus moves; an app with a ``FOOTER_ORDER`` (the autoplay demo's
        Pause, Rejouer, Suivant…) keeps those in that order, first. The others keep theirs."""
        order: tuple[str, ...] = getattr(self.app, "FOOTER_ORDER", ())
        action = key_action(widget)
        return order.index(action) if action in order else len(order)

    def _left_out(self) -> frozenset[str]:
        """In bilingual mode each key is as wide as the longer of its two descriptions, and the
        password screens' last key would be cut at 80 columns: F3 is left out there, since the
        screen names it itself (« Afficher le mot de passe (F3) », ``RevealToggle``)."""
        return KEYS_NAMED_ON_SCREEN if self.app.has_class("-bilingual") else frozenset()

    def _signature(self, screen: Screen[object]) -> Signature:
        return tuple(
            (binding.key, binding.description, enabled)
            for _, binding, enabled, _ in screen.active_bindings.values()
            if binding.show
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        # Same steps as Footer.bindings_changed (Textual 8.2.8), plus the comparison.
        mark_bindings_ready(self)
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        signature = self._signature(screen)
        if signature != self._shown:
            self._shown = signature
            self.call_after_refresh(self.recompose)
