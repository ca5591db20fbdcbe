"""The client side of one SSH session, as a person's terminal emulator would see it: keys go in
as bytes, the app's escape sequences come back and are played into a VT100 emulator (pyte),
whose screen is what the tests read. The app only sends the cells that change, so the bytes
alone never hold a whole screen."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable

import asyncssh
import pyte

__all__ = ["CTRL_L", "DOWN", "ENTER", "TAB", "Terminal", "plain"]

TAB, ENTER, DOWN, CTRL_L = "\t", "\r", "\x1b[B", "\x0c"

# CSI sequences, OSC strings, DCS/PM/APC strings, then any other two-byte escape.
_ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)


def plain(raw: bytes) -> str:
    """The text of the output, escape sequences removed."""
    return _ESCAPES.sub("", raw.decode("utf-8", "replace"))


class Terminal:
    def __init__(
        self, process: asyncssh.SSHClientProcess[bytes], size: tuple[int, int] = (80, 24)
    ) -> None:
        self.process = process
        self.screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.mark = 0

    def _take(self, chunk: bytes) -> None:
        self.raw += chunk
        self._stream.feed(chunk)

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def line(self, row: int) -> str:
        return str(self.screen.display[row])

    def cells(self) -> list[list[tuple[object, ...]]]:
        """Every cell on the screen: character, colours and attributes."""
        buffer = self.screen.buffer
        return [
            [tuple(buffer[y][x]) for x in range(self.screen.columns)]
            for y in range(self.screen.lines)
        ]

    async def read_until(self, text: str, timeout: float = 30.0) -> None:
        """Read until ``text`` is on the screen."""
        async with asyncio.timeout(timeout):
            while not self.shows(text):
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    screen = "\n".join(self.screen.display)
                    raise EOFError(f"session ended before {text!r}; screen:\n{screen}")
                self._take(chunk)

    async def read_while(self, pending: Callable[[], bool], timeout: float = 30.0) -> None:
        """Read while ``pending()``, that is until the screen is as awaited."""
        async with asyncio.timeout(timeout):
            while pending():
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    raise EOFError(f"session ended; screen:\n{self.screen_text()}")
                self._take(chunk)

    async def read_to_end(self, timeout: float = 30.0) -> str:
        """Everything written since the last ``send`` until the session ends, escapes removed."""
        async with asyncio.timeout(timeout):
            while chunk := await self.process.stdout.read(65536):
                self._take(chunk)
        return plain(bytes(self.raw[self.mark :]))

    def screen_text(self) -> str:
        """What the screen shows now."""
        return "\n".join(self.screen.display)

    def send(self, *keys: str) -> None:
        self.mark = len(self.raw)
        for key in keys:
            self.process.stdin.write(key.encode())

    def resize(self, columns: int, rows: int) -> None:
        self.mark = len(self.raw)
        self.screen.resize(rows, columns)
        self.process.change_terminal_size(columns, rows)

    async def settle(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Read until the app has written something and then nothing for ``quiet`` seconds.

        The app forwards each key to the widget focused when the key is read, so keys that
        arrive before a Tab has been handled go to the old field. There is no byte that says
        "handled"; a quiet screen is the only sign a terminal gets.
        """
        async with asyncio.timeout(timeout):
            while True:
                try:
                    chunk = await asyncio.wait_for(self.process.stdout.read(65536), quiet)
                except TimeoutError:
                    if len(self.raw) > self.mark:
                        return
                    continue
                if not chunk:
                    raise EOFError("session ended")
                self._take(chunk)

    async def press(self, *keys: str) -> None:
        """Each key on its own, the next once the app has answered the last."""
        for key in keys:
            self.send(key)
            await self.settle()

    async def click(self, text: str) -> None:
        """Click (mouse press and release) on the first character of ``text`` on screen: the
        way to reach a button whatever the Tab order of the screen."""
        for row, line in enumerate(self.screen.display):
            col = line.find(text)
            if col >= 0:
                x, y = col + 1, row + 1
                self.send(f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m")
                return
        raise LookupError(f"{text!r} is not on the screen")

    async def type(self, text: str) -> None:
        """Type into the focused field, then let the app finish answering."""
        self.send(text)
        await self.settle()
