"""Keys that arrive in one read act exactly as the same keys typed one by one.

Textual hands each key to the focused widget as a message and resolves the widget's bindings
only when the key has bubbled back up to the app. Keys read together are all handed out before
the first comes back: « Down Space Tab Enter » at step 1 moved the focus (Tab is a priority
binding, acted on at once) before Down and Space came back, and their bindings were then looked
up from the button, where they mean nothing — both were lost.

Here the app hands out the next key only once the previous one is done, as it is when a person
types: a ``KeyDone`` message follows each key to the widget it went to and bubbles up behind
it, so it reaches the app after the key's bindings have run (or after a widget kept the key for
itself); then what the key set off (a button's press, the next screen, its focus) is let run
until the app and the screen have nothing queued.
"""

from __future__ import annotations

from collections import deque
from functools import partial

from textual import events
from textual.app import App
from textual.message import Message
from textual.timer import Timer

__all__ = ["KeyDone", "OrderedKeys"]

RELEASE_SECONDS = 1.0
"""If a key is not done after this (its widget was removed before reading its ``KeyDone``, or
what it set off keeps the app busy), the keys held are handed out anyway: late, never lost."""


class KeyDone(Message):
    """Follows a key to the widget it was given to; bubbles up to the app behind the key."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class OrderedKeys(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self._held_keys: deque[events.Key] = deque()
        self._keys_handed_out = 0
        self._in_flight: int | None = None
        self._release_timer: Timer | None = None

    @property
    def keys_pending(self) -> bool:
        """Whether a key is held or still being handled (the autoplay waits for none)."""
        return bool(self._held_keys) or self._in_flight is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._held_keys.append(event)
            await self._hand_out_held()
            return
        await super().on_event(event)

    async def _hand_out_held(self) -> None:
        while self._held_keys and self._in_flight is None:
            key = self._held_keys.popleft()
            await super().on_event(key)
            target = self.focused or self.screen
            self._keys_handed_out += 1
            # Not forwarded: a priority binding took it (Tab) and it is done already.
            if key.is_forwarded and target.post_message(KeyDone(self._keys_handed_out)):
                self._in_flight = number = self._keys_handed_out
                self._release_timer = self.set_timer(
                    RELEASE_SECONDS, partial(self._release, number)
                )

    def on_key_done(self, message: KeyDone) -> None:
        message.stop()
        # One that comes back after ``RELEASE_SECONDS`` is for a key already let go.
        if message.number == self._in_flight:
            self._when_quiet(message.number)

    def _when_quiet(self, number: int) -> None:
        """Releases key ``number`` once the app and its screen are quiet: every message pump
        runs a callback queued behind what it had, and if by then one has something queued
        again, or the screen changed, another round follows."""
        screen = self.screen
        pumps = [self, *screen.walk_children(with_self=True)]
        remaining = len(pumps)

        def one_done() -> None:
            nonlocal remaining
            remaining -= 1
            if remaining or self._in_flight != number:
                return
            # The app's own queue holds the keys read meanwhile: they wait here, they are not
            # something the key set off.
            busy = any(not pump._message_queue.empty() for pump in pumps[1:])
            if busy or self.screen is not screen:
                self._when_quiet(number)
            else:
                self.call_later(self._release, number)

        for pump in pumps:
            if not pump.call_later(one_done):
                remaining -= 1
        if remaining == 0:
            self.call_later(self._release, number)

    async def _release(self, number: int) -> None:
        if self._in_flight != number:
            return
        if self._release_timer is not None:
            self._release_timer.stop()
            self._release_timer = None
        self._in_flight = None
        await self._hand_out_held()
