"""Arabic in a browser tab (issue 17), as the browser's terminal receives it: xterm.js draws
each cell apart, left to right, so the tab's app sends each Arabic line in the order it is
read, its letters joined. The bytes the tab sends are played into a VT100 emulator (pyte),
whose cells are what xterm.js draws."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pyte

from services import Services
from services.i18n import translations
from tests.serve._web import LOOPBACK, STOP_SECONDS, fetch, free_port, start_server
from tui.right_to_left import visual

ARABIC_WELCOME = translations("ar").gettext("Bienvenue")


async def first_screen(base: str) -> list[str]:
    """The rows of a tab's first screen, once its Arabic welcome is there."""
    screen = pyte.Screen(80, 24)
    stream = pyte.ByteStream(screen)
    async with (
        asyncio.timeout(40),
        aiohttp.ClientSession() as client,
        client.ws_connect(base + "/ws?width=80&height=24") as websocket,
    ):
        async for message in websocket:
            if isinstance(message.data, bytes):
                stream.feed(message.data)
            shown = [str(row).rstrip() for row in screen.display]
            if "  Bienvenue" in shown and "Se connecter" in "".join(shown):
                return shown
    raise AssertionError("the tab closed before its first screen")


class TestArabicInTheBrowser:
    def test_a_tab_sends_each_arabic_line_as_it_is_read(self, demo_services: Services) -> None:
        """`serve web --langue ar`: under « Bienvenue », its translation laid out right to
        left with joined letters, not in the order it is written; and no word of terminals
        showing it reversed."""
        port = free_port()
        base = f"http://{LOOPBACK}:{port}"
        server = start_server(port, "--db", str(demo_services.settings.db_path), "--langue", "ar")
        try:
            fetch(base + "/", time.monotonic() + 30)
            shown = asyncio.run(first_screen(base))
        finally:
            server.terminate()
            server.communicate(timeout=STOP_SECONDS)
        under_the_welcome = shown[shown.index("  Bienvenue") + 1]
        assert under_the_welcome == "  " + visual(ARABIC_WELCOME, right_to_left=True)[0]
        assert ARABIC_WELCOME not in under_the_welcome
        # Nothing to warn of: the browser shows it the right way round.
        assert "à l'envers" not in "\n".join(shown)
