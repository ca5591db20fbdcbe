"""Plays a parcours (``tui.autoplay.script``) on the real screens of the app.

The player presses real keys: each character typed into a field and each Enter on a button
reaches the app as a message, as a terminal's keys do, and the screens answer as they
answer a person (their workers call the services, the journey table moves on). Before each
scene it checks that the screen the scene expects is the one shown; if not, it stops and says
so in the caption, never acts on the wrong screen.

Time goes through ``Pace``: its ``sleep`` is injectable, so the tests play a whole parcours
without waiting, and what the player waits for in the app (a key handled, a service call's
worker done) it waits for explicitly, never for a duration.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import events
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import Button
from textual.worker import WorkerCancelled, WorkerFailed

from services import ServiceError
from tui.autoplay.script import Issue, Press, Reading, Scene, Type
from tui.headings import HEADINGS
from tui.journey import Step
from tui.language import N_, _
from tui.terminal import typed_key
from tui.widgets import TextField

if TYPE_CHECKING:
    from tui.autoplay.app import AutoplayApp

__all__ = ["DEFAULT_SPEED", "SPEEDS", "Pace", "Player"]

Sleep = Callable[[float], Awaitable[object]]

DEFAULT_SPEED = 1.0
SPEEDS = (0.5, 4.0)
"""The slowest and fastest ``--vitesse``: half and four times the default pace."""

KEY_SECONDS = 0.11
"""Between two characters typed: about nine keys a second, an unhurried typist."""
BEFORE_PRESS_SECONDS = 0.6
"""The button has the focus this long before Enter, so the room sees which one it is."""
READ_BASE_SECONDS = 1.0
READ_WORD_SECONDS = 0.27
"""A caption stays this long before its actions start: about 220 words a minute, read aloud."""
SETTLE_POLL_SECONDS = 0.01
SETTLE_LIMIT_SECONDS = 20.0
"""Far longer than any service call of the demo (hashing a password is the longest)."""

CODE = re.compile(r"\b([A-Z]{6})\b")

NO_CODE = N_("La démonstration s'arrête : aucun code n'est arrivé sur le téléphone.")
WRONG_SCREEN = N_(
    "La démonstration s'arrête : elle attendait l'écran « %(expected)s », l'application "
    "montre « %(shown)s ». Continuez au clavier."
)
NOT_ON_SCREEN = N_(
    "La démonstration s'arrête : l'écran n'a pas le champ ou le bouton qu'elle attendait. "
    "Continuez au clavier."
)
A_DIALOG = N_("une fenêtre de dialogue")
NO_ANSWER = N_("La démonstration s'arrête : l'application ne répond pas. Continuez au clavier.")
STOPPED_ON = N_("La démonstration s'arrête : %(reason)s")
FINISHED = N_("%(caption)s Fin de la démonstration : la suite se fait au clavier.")


@dataclass(frozen=True)
class Pace:
    """How fast the demo goes: ``speed`` 1 is the default, 2 twice as fast, 0.5 half as fast.
    ``sleep`` waits a number of seconds (``asyncio.sleep``; the tests give their own)."""

    speed: float = DEFAULT_SPEED
    sleep: Sleep = asyncio.sleep

    def reading_seconds(self, caption: str) -> float:
        return (READ_BASE_SECONDS + READ_WORD_SECONDS * len(caption.split())) / self.speed


class Replay(Exception):
    """« ← »: the scene starts again."""


class Stop(Exception):
    """The demo ends here, the caption says why."""

    def __init__(self, sentence: str) -> None:
        super().__init__(sentence)
        self.sentence = sentence


class Player:
    """Plays ``scenes`` on ``app``, one after the other; the app hands it the person's keys
    (``toggle_pause``, ``skip``, ``replay``)."""

    def __init__(self, app: AutoplayApp, scenes: tuple[Scene, ...], pace: Pace) -> None:
        self.app = app
        self.scenes = scenes
        self.pace = pace
        self.index = 0
        self.paused = False
        self.hurry = False
        self.replay_asked = False
        self.readings: dict[Reading, str] = {}
        self.caption = ""
        self._wake = asyncio.Event()

    # -- the person's keys -------------------------------------------------------------------

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        self.show(self.caption)
        self._wake.set()

    def skip(self) -> None:
        """« → »: the rest of this scene at once, then the next one."""
        self.hurry = True
        self.paused = False
        self._wake.set()

    def replay(self) -> None:
        """« ← »: this scene again from its caption."""
        self.replay_asked = True
        self.paused = False
        self._wake.set()

    # -- playing -----------------------------------------------------------------------------

    async def play(self) -> None:
        """Every scene in turn; the last caption stays when the demo ends or stops."""
        try:
            while self.index < len(self.scenes):
                try:
                    await self.play_scene(self.scenes[self.index])
                except Replay:
                    continue
                self.index += 1
        except Stop as stop:
            self.show(stop.sentence, ended=True)
        else:
            self.show(_(FINISHED) % {"caption": self.caption}, ended=True)

    async def play_scene(self, scene: Scene) -> None:
        await self.settle()
        self.expect(scene.step)
        # « → » is for the scene it was pressed in; « ← » pressed once the last one was done
        # (its screen gone) replays this one.
        self.hurry = False
        if scene.phone is not None and scene.phone != self.app.phone_panel_visible:
            # F2's own action: while the demo plays, the key itself is the person's.
            self.app.action_toggle_phone()
            await self.settle()
        text = _(scene.caption)
        if "%(" in text:
            text %= {reading.value: value for reading, value in self.readings.items()}
        self.show(text)
        await self.wait(self.pace.reading_seconds(text))
        try:
            for action in scene.actions:
                if isinstance(action, Type):
                    await self.type(action.field, await self.read(action.text))
                elif isinstance(action, Press):
                    await self.press(action.button)
                elif isinstance(action, Issue):
                    await self.issue(action.pupil)
        except NoMatches as missing:
            raise Stop(_(NOT_ON_SCREEN)) from missing

    def expect(self, step: Step) -> None:
        shown = getattr(self.app.screen, "STEP", None)
        if shown is step:
            return
        raise Stop(
            _(WRONG_SCREEN)
            % {
                "expected": _(HEADINGS[step].title),
                "shown": _(HEADINGS[shown].title) if isinstance(shown, Step) else _(A_DIALOG),
            }
        )

    def show(self, text: str, *, ended: bool = False) -> None:
        self.caption = text
        self.app.show_caption(text, paused=self.paused and not ended, ended=ended)

    async def wait(self, seconds: float) -> None:
        """``seconds`` of the demo's time, cut short by the person's keys; while paused, until
        the pause ends. Then a replay asked for starts the scene again."""
        if not (self.hurry or self.replay_asked or self.paused):
            await self._until_woken(self.pace.sleep(seconds))
        while self.paused:
            await self._until_woken(asyncio.Event().wait())
        if self.replay_asked:
            self.replay_asked = False
            raise Replay

    async def _until_woken(self, waiting: Awaitable[object]) -> None:
        self._wake.clear()
        tasks = [asyncio.ensure_future(waiting), asyncio.ensure_future(self._wake.wait())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()

    # -- acting as a person ------------------------------------------------------------------

    async def type(self, field_id: str, text: str) -> None:
        """Into the field's input: the cursor there, what it held erased, then key by key."""
        field = self.app.screen.query_one(f"#{field_id}", TextField)
        field.input.focus()
        await self.settle()
        await self.key(events.Key("end", None))
        await self.key(events.Key("ctrl+u", None))
        for character in text:
            await self.wait(KEY_SECONDS)
            await self.key(typed_key(character))

    async def press(self, button_id: str) -> None:
        button = self.app.screen.query_one(f"#{button_id}", Button)
        button.focus()
        await self.settle()
        await self.wait(BEFORE_PRESS_SECONDS)
        await self.key(events.Key("enter", "\r"))

    async def key(self, key: events.Key) -> None:
        """One key posted to the app, as the terminal driver posts it; then until the app
        has done what it set off."""
        try:
            self.app.play_key(key)
            await self.settle()
        finally:
            self.app.playing_key = None

    async def read(self, text: str | Reading) -> str:
        if not isinstance(text, Reading):
            return text
        if text is Reading.CODE:
            return await self.read_code()
        return self.readings[text]

    async def read_code(self) -> str:
        """The six letters of the last SMS the demo phone shows for this person."""
        services = self.app.services
        flow = getattr(self.app.screen, "flow", None)

        def last_sms() -> str:
            if flow is None:
                return ""
            phone = flow.phone or (services.account.recipients(flow.account)[0] or "")
            messages = services.outbox.messages(channel="sms", to=phone) if phone else []
            return messages[-1].text if messages else ""

        found = CODE.search(await asyncio.to_thread(last_sms))
        if found is None:
            raise Stop(_(NO_CODE))
        return found.group(1)

    async def issue(self, pupil_id: str) -> None:
        """What the school prints on the pupil's notice, as ``educonnect admin`` issues it."""
        try:
            result = await asyncio.to_thread(self.app.services.admin.issue_for_pupil, pupil_id)
        except ServiceError as error:
            raise Stop(_(STOPPED_ON) % {"reason": error.message}) from error
        issued = result.issued[0]
        self.readings[Reading.IDENTIFIANT] = issued.identifiant
        self.readings[Reading.PASSWORD] = issued.password

    async def settle(self) -> None:
        """Until the app is quiet: no key waiting, no message queued on the screen shown, no
        worker running but this one. Polled: the app's own work decides how long it takes."""
        app = self.app
        loop = asyncio.get_running_loop()
        deadline = loop.time() + SETTLE_LIMIT_SECONDS
        while loop.time() < deadline:
            running = [
                worker
                for worker in app.workers
                if not worker.is_finished and worker.group != PLAYER_GROUP
            ]
            if running:
                # One cancelled (an exclusive worker replaced by the next) or failed (the
                # screen shows why) is done as well.
                with contextlib.suppress(WorkerCancelled, WorkerFailed):
                    await app.workers.wait_for_complete(running)
                continue
            nodes = [app, *app.screen.walk_children(with_self=True)]
            # A screen composes and mounts its widgets outside its message queue.
            mounted = all(node.is_mounted for node in nodes if isinstance(node, Widget))
            queued = any(node.message_queue_size for node in nodes)
            if mounted and not queued and not app.keys_waiting:
                return
            await asyncio.sleep(SETTLE_POLL_SECONDS)
        raise Stop(_(NO_ANSWER))


PLAYER_GROUP = "autoplay"
"""The player's own worker, which its ``settle`` does not wait for."""
