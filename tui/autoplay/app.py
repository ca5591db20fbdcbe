"""The app with the autoplay demo on top (``educonnect demo --autoplay``): the same app, the
same screens and services, with a caption line under the form and the player's keys.

While the demo plays, the person's keys go to the player (Espace, →, ←, Échap; Ctrl+Q still
quits and Ctrl+L still redraws) and every other key is set aside, so that nothing typed by
chance lands in a field the demo is filling. The keys the player types are not the person's:
they go on to the fields and buttons as any key does. After Échap, or once the demo is over,
the app is the ordinary one again, its keys and footer included.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, ClassVar

from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.errors import NoWidget
from textual.widgets import Footer, Input, Static
from textual.worker import Worker

from tui.app import EduConnectApp
from tui.autoplay.player import PLAYER_GROUP, Pace, Player
from tui.language import N_, _
from tui.screens.base import StepScreen

if TYPE_CHECKING:
    from services import Services
    from tui.autoplay.script import Scene

__all__ = ["AutoplayApp", "Caption"]

log = logging.getLogger(__name__)

UNEXPECTED_STOP = N_("La démonstration s'arrête sur une erreur inattendue. Continuez au clavier.")
PAUSED = N_("En pause (espace pour reprendre) : %(caption)s")

PERSON_KEYS = frozenset({"space", "right", "left", "escape", "ctrl+q"})
PASSING_KEYS = frozenset({"ctrl+l"})
"""Keys of the person that act as usual during the demo: redraw (and quit, ``person_key``)."""


def keeps_space(key: str, character: str | None) -> bool:
    """``Input.check_consume_key``, but for Space: the footer lists no key that the focused
    widget may take as text, and « espace Pause » must stay listed while the demo types."""
    return key != "space" and character is not None and character.isprintable()


class Caption(Static):
    """The line under the form that says what the person of the demo does and why."""

    DEFAULT_CSS = """
    Caption {
        height: auto;
        padding: 0 1;
        background: $primary 30%;
        text-style: bold;
    }
    Caption.-paused {
        text-style: bold italic;
    }
    """


class AutoplayApp(EduConnectApp):
    # Textual reads ``CSS_PATH`` beside the module of the app's class: this one is a folder down.
    CSS_PATH = [f"../{path}" for path in EduConnectApp.CSS_PATH]  # noqa: RUF012
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "autoplay_leave", N_("Reprendre la main"), priority=True),
        Binding("left", "autoplay_replay", N_("Rejouer"), key_display="←", priority=True),
        Binding("right", "autoplay_next", N_("Suivant"), key_display="→", priority=True),
        Binding("space", "autoplay_pause", N_("Pause"), key_display="espace", priority=True),
    ]
    # The order the caption's keys are learnt in, whatever has the focus.
    FOOTER_ORDER = ("autoplay_pause", "autoplay_replay", "autoplay_next", "autoplay_leave")

    def __init__(
        self,
        services: Services,
        scenes: tuple[Scene, ...],
        pace: Pace,
        language: str | None = None,
    ) -> None:
        super().__init__(services, language)
        self.player = Player(self, scenes, pace)
        self.autoplaying = True
        self.playing_key: events.Key | None = None
        self.player_worker: Worker[None] | None = None

    def on_mount(self) -> None:
        # Runs before ``EduConnectApp.on_mount`` shows step 1: the player starts after it.
        self.call_later(self.start_player)

    def start_player(self) -> None:
        self.player_worker = self.run_worker(self.play(), group=PLAYER_GROUP, exclusive=True)

    async def play(self) -> None:
        try:
            await self.player.play()
        except Exception:
            # The demo ends; the app, and what the person sees, go on.
            log.exception("the autoplay demo failed")
            self.player.show(_(UNEXPECTED_STOP), ended=True)
        self.stop_autoplay()

    def stop_autoplay(self) -> None:
        """The ordinary app from here on: the person's keys act as usual."""
        if not self.autoplaying:
            return
        self.autoplaying = False
        for screen in self.screen_stack:
            for field_input in screen.query(Input):
                vars(field_input).pop("check_consume_key", None)
        self.refresh_bindings()

    # -- keys --------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.MouseDown | events.MouseUp | events.Click)
            and self.autoplaying
            and not self.on_the_footer(event)
        ):
            # A click on the screen would act behind the demo's back (a button pressed
            # half-way through a form); the footer's keys are the person's, as on the keyboard.
            return
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and self.autoplaying
            and event is not self.playing_key
        ):
            if event.key in PERSON_KEYS:
                self.person_key(event.key)
                return
            if event.key not in PASSING_KEYS:
                return
        await super().on_event(event)

    def on_the_footer(self, event: events.MouseEvent) -> bool:
        try:
            widget, _region = self.get_widget_at(event.screen_x, event.screen_y)
        except NoWidget:
            return False
        return any(isinstance(node, Footer) for node in widget.ancestors_with_self)

    def person_key(self, key: str) -> None:
        if key == "space":
            self.player.toggle_pause()
        elif key == "right":
            self.player.skip()
        elif key == "left":
            self.player.replay()
        elif key == "escape":
            self.leave_autoplay()
        else:
            self.exit()

    def play_key(self, key: events.Key) -> None:
        """A key of the player, posted to the app as the terminal driver posts the person's."""
        self.playing_key = key
        key.set_sender(self)
        self.post_message(key)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action.startswith("autoplay_"):
            return self.autoplaying
        if action in ("guide", "toggle_phone", "quit") and self.autoplaying:
            # Off the footer while the demo plays, which keeps room for its keys at 80 columns:
            # F1 and F2 are set aside (the demo opens the phone itself), Ctrl+Q still quits.
            return False
        return super().check_action(action, parameters)

    def skip_played_key(self) -> None:
        """A key the player types (a space in a phone number) is not the person's: it goes on
        to the field or button, not to the player."""
        if self.playing_key is not None:
            raise SkipAction()

    # The footer's keys, for a click; the keyboard's go through ``on_event``.
    def action_autoplay_pause(self) -> None:
        self.skip_played_key()
        self.player.toggle_pause()

    def action_autoplay_next(self) -> None:
        self.skip_played_key()
        self.player.skip()

    def action_autoplay_replay(self) -> None:
        self.skip_played_key()
        self.player.replay()

    def action_autoplay_leave(self) -> None:
        self.skip_played_key()
        self.leave_autoplay()

    def leave_autoplay(self) -> None:
        """Échap: the person carries on by hand from the screen shown."""
        if self.player_worker is not None:
            self.player_worker.cancel()
        self.stop_autoplay()
        for caption in self.screen.query(Caption):
            caption.remove()

    # -- the caption -------------------------------------------------------------------------

    def show_caption(self, text: str, *, paused: bool, ended: bool) -> None:
        """``text`` on the caption line of the screen shown (added under its form if it has
        none yet): ▶ while the demo plays, « En pause » while paused, as it is once ended."""
        screen = self.screen
        if not isinstance(screen, StepScreen):
            return
        if paused:
            text = _(PAUSED) % {"caption": text}
        elif not ended:
            text = f"▶ {text}"
        found = screen.query(Caption)
        if found:
            caption = found.first()
            caption.update(Content(text))
        else:
            caption = Caption(Content(text))
            screen.mount(caption, after=screen.query_one("#body"))
            for field_input in screen.query(Input):
                # The player's own Space still goes to the field (``skip_played_key``).
                setattr(field_input, "check_consume_key", keeps_space)  # noqa: B010
            self.refresh_bindings()
        caption.set_class(paused, "-paused")
