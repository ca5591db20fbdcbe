"""The client side of one SSH session, as a person's terminal emulator would see it: keys go in
as bytes, the screen comes back as Textual's escape sequences, searched once stripped."""

from __future__ import annotations

import asyncio
import re

import asyncssh

__all__ = ["DOWN", "ENTER", "TAB", "Screen", "Terminal", "plain"]

TAB, ENTER, DOWN = "\t", "\r", "\x1b[B"

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
        self.size = size
        self.raw = bytearray()
        self.mark = 0

    async def read_until(self, text: str, timeout: float = 30.0) -> str:
        """Read until ``text`` appears in what arrived since the last ``send``; that output."""
        async with asyncio.timeout(timeout):
            while text not in (seen := plain(bytes(self.raw[self.mark :]))):
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    raise EOFError(f"session ended before {text!r}; last output: {seen[-400:]!r}")
                self.raw += chunk
        return seen

    async def read_to_end(self, timeout: float = 30.0) -> str:
        async with asyncio.timeout(timeout):
            while chunk := await self.process.stdout.read(65536):
                self.raw += chunk
        return plain(bytes(self.raw[self.mark :]))

    def screen_text(self) -> str:
        """Everything the session has shown so far, escape sequences removed."""
        return plain(bytes(self.raw))

    def send(self, *keys: str) -> None:
        self.mark = len(self.raw)
        for key in keys:
            self.process.stdin.write(key.encode())

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
                self.raw += chunk

    async def press(self, *keys: str) -> None:
        """Each key on its own, the next once the app has answered the last."""
        for key in keys:
            self.send(key)
            await self.settle()

    async def click(self, text: str) -> None:
        """Click (mouse press and release) on the first character of ``text`` on screen: the
        way to reach a button whatever the Tab order of the screen."""
        screen = Screen(*self.size).feed(bytes(self.raw))
        for row in range(screen.height):
            col = screen.line(row).find(text)
            if col >= 0:
                x, y = col + 1, row + 1
                self.send(f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m")
                return
        raise LookupError(f"{text!r} is not on the screen")

    async def type(self, text: str) -> None:
        """Type into the focused field, then let the app finish answering."""
        self.send(text)
        await self.settle()


_TOKENS = re.compile(r"\x1b\[(\d*);?(\d*)H|" + _ESCAPES.pattern + r"|[\r\n]|[^\x1b\r\n]")


class Screen:
    """Just enough of a terminal to see where the app drew: cursor moves and text."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells = [[" "] * width for _ in range(height)]

    def feed(self, raw: bytes) -> Screen:
        row = col = 0
        for token in _TOKENS.finditer(raw.decode("utf-8", "replace")):
            text = token.group(0)
            if text.startswith("\x1b[") and text.endswith("H"):
                row, col = int(token.group(1) or 1) - 1, int(token.group(2) or 1) - 1
            elif text == "\r":
                col = 0
            elif text == "\n":
                row += 1
            elif not text.startswith("\x1b"):
                if 0 <= row < self.height and 0 <= col < self.width:
                    self.cells[row][col] = text
                col += 1
        return self

    def line(self, row: int) -> str:
        return "".join(self.cells[row])
