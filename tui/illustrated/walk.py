"""The registration walked by Pilot on the real app, headless, for one demo family: the screens
are the app's own, built by its navigator as the journey table says, and each step's picture is
taken from the screen a parent will see (``App.export_screenshot``).

Buttons are clicked as a person would click them; the service calls they start run in the
app's workers, and every move waits for the app to settle (no worker running, no message
queued), so what is pictured never depends on the machine's speed. The activation code is read
from the demo outbox, as the phone panel (F2) shows it, and the picture of step 5 shows that
panel open beside the code typed in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.widgets import Button

from services.demo import DEMO_PUPILS, DemoGuardian
from services.i18n import N_, _
from tui.app import EduConnectApp, make_app
from tui.choices import GUARDIAN
from tui.screens.base import StepScreen
from tui.widgets import TextField

if TYPE_CHECKING:
    from services import Services

__all__ = ["DEMO_PASSWORD", "SIZE", "Shot", "WalkError", "walk"]

SIZE = (80, 24)
"""The terminal the guide is pictured at: the smallest the app is made for."""

DEMO_PASSWORD = "Cerf-volant#29"
"""The password the guide's family chooses at step 7 (it follows every rule)."""

ELSEWHERE = N_("L'application ne montre pas l'étape attendue du guide : guide interrompu.")

_SETTLE_ROUNDS = 200
_CODE = re.compile(r"\b([A-Z]{6})\b")


class WalkError(Exception):
    """The app did not go where the guide expected; ``message`` is French."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Shot:
    """One step of the guide: the screen's own label (« Étape 3 / 7 — Activation du
    compte »), the key of its paragraph in ``tui.guide.GUIDE_TEXT``, and its picture."""

    label: str
    guide: str
    svg: str


async def walk(services: Services, guardian: DemoGuardian) -> list[Shot]:
    """Steps 1 to 8 for ``guardian`` on ``services`` (a fresh copy of the demo families);
    an account already active ends at « Compte déjà activé » after step 5."""
    app = make_app(services)
    async with app.run_test(size=SIZE) as pilot:
        try:
            return await _Walker(pilot, app, guardian).run()
        except NoMatches:
            # A button or field the guide expected is not on the screen shown.
            raise WalkError(_(ELSEWHERE)) from None


class _Walker:
    def __init__(self, pilot: Pilot[Any], app: EduConnectApp, guardian: DemoGuardian) -> None:
        self.pilot = pilot
        self.app = app
        self.guardian = guardian
        self.shots: list[Shot] = []

    async def run(self) -> list[Shot]:
        await self.settle()
        await self.step("#connect")
        await self.step("#validate")
        await self.step(f"#{GUARDIAN}")
        await self.step("#no-account")
        self.fill("nom", self.guardian.nom)
        self.fill("prenom", self.guardian.prenom)
        self.fill("portable", self.guardian.portable)
        await self.step("#next")
        await self.click("#receive")
        await self.step("#validate")
        await self.enter_code()
        if self.screen.GUIDE_STEP == "compte-existant":
            self.picture()
            return self.shots
        self.fill_birth_dates()
        await self.step("#confirm")
        self.fill("password", DEMO_PASSWORD)
        self.fill("confirmation", DEMO_PASSWORD)
        await self.step("#validate")
        self.picture()
        return self.shots

    @property
    def screen(self) -> StepScreen:
        screen = self.app.screen
        if not isinstance(screen, StepScreen):
            raise WalkError(_(ELSEWHERE))
        return screen

    async def step(self, button: str) -> None:
        """Picture the step as the person leaves it, then press its button."""
        self.picture()
        await self.click(button)

    def picture(self) -> None:
        screen = self.screen
        self.shots.append(
            Shot(_(screen.STEP_LABEL), screen.GUIDE_STEP, self.app.export_screenshot())
        )

    async def click(self, selector: str) -> None:
        button = self.app.screen.query_one(selector, Button)
        button.scroll_visible(animate=False, immediate=True)
        await self.pilot.pause()
        await self.pilot.click(button)
        await self.settle()

    def fill(self, field: str, value: str) -> None:
        typed = self.app.screen.query_one(f"#{field}", TextField).input
        typed.value = value
        # Where typing would have left it: after the last character, not over it.
        typed.cursor_position = len(value)

    async def enter_code(self) -> None:
        """Step 5: the code from the phone panel, the panel open beside it in the picture."""
        phone = self.screen.flow.phone or ""
        sent = self.app.services.outbox.messages(channel="sms", to=phone)
        found = _CODE.search(sent[-1].text) if sent else None
        if found is None:
            raise WalkError(_("Aucun code d'activation n'a été envoyé au téléphone de démo."))
        self.fill("code", found.group(1))
        await self.toggle_phone()
        self.picture()
        await self.toggle_phone()
        await self.click("#continue")

    async def toggle_phone(self) -> None:
        await self.pilot.press("f2")
        await self.settle()

    def fill_birth_dates(self) -> None:
        """Step 6: each child's date of birth, in the order the screen lists them."""
        births = {pupil.id: pupil.naissance for pupil in DEMO_PUPILS}
        rows: dict[str, int] = getattr(self.screen, "row_of", {})
        for pupil_id, row in rows.items():
            self.fill(f"naissance-{row}", births[pupil_id].strftime("%d/%m/%Y"))

    async def settle(self) -> None:
        """Until no message waits in any screen and no worker runs (a service call, the
        phone panel reading the outbox, the next screen's own workers)."""
        for _round in range(_SETTLE_ROUNDS):
            await self.pilot.pause()
            running = [worker for worker in self.app.workers if not worker.is_finished]
            nodes = [
                self.app,
                *(n for s in self.app.screen_stack for n in s.walk_children(with_self=True)),
            ]
            if not running and not any(node.message_queue_size for node in nodes):
                return
            await self.app.workers.wait_for_complete(running)
        raise WalkError(_("L'application ne s'est pas stabilisée : guide interrompu."))
