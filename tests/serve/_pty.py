"""A program on a real pseudo-terminal, as a person's terminal emulator sees it: bytes go in,
the program's output is played into a VT100 emulator (pyte) whose screen the tests read."""

from __future__ import annotations

import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pyte

__all__ = ["ROOT", "PtyProgram", "child_argv", "on_pty"]

ROOT = Path(__file__).resolve().parents[2]


class PtyProgram:
    def __init__(self, process: subprocess.Popen[bytes], master: int, size: tuple[int, int]):
        self.process = process
        self.master = master
        self.screen = pyte.Screen(*size)
        self._stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.ended = False

    def write(self, data: bytes) -> None:
        """``data`` in one write, as a terminal sends a paste or a burst of keys."""
        view = memoryview(data)
        while view:
            select.select([], [self.master], [], 30)
            view = view[os.write(self.master, view) :]

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    def screen_text(self) -> str:
        return "\n".join(self.screen.display)

    def cells(self) -> list[list[tuple[object, ...]]]:
        """Every cell on the screen: character, colours and attributes."""
        buffer = self.screen.buffer
        return [
            [tuple(buffer[y][x]) for x in range(self.screen.columns)]
            for y in range(self.screen.lines)
        ]

    def settle(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Read until the program has written something and then nothing for ``quiet`` seconds:
        the only sign a terminal gets that a key has been handled (as ``Terminal.settle``)."""
        mark = len(self.raw)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.raw)
            self.read_some(quiet)
            if self.ended:
                raise EOFError(f"the program ended; its screen:\n{self.screen_text()}")
            if len(self.raw) == before and len(self.raw) > mark:
                return
        raise TimeoutError(f"not settled in {timeout} s; the screen:\n{self.screen_text()}")

    def quiet(self, quiet: float = 0.3, timeout: float = 30.0) -> None:
        """Read until the program has written nothing for ``quiet`` seconds. Unlike ``settle``
        it asks for no new output: after ``read_until`` saw the first screen, the rest of that
        screen may already have been read with it (the more so on a loaded machine), and then
        nothing more comes until a key is pressed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = len(self.raw)
            self.read_some(quiet)
            if self.ended:
                raise EOFError(f"the program ended; its screen:\n{self.screen_text()}")
            if len(self.raw) == before:
                return
        raise TimeoutError(f"still writing after {timeout} s; the screen:\n{self.screen_text()}")

    def read_until(self, done: Callable[[], bool], timeout: float = 30.0) -> None:
        """Read the program's output until ``done()``; fails past ``timeout`` or at its end."""
        deadline = time.monotonic() + timeout
        while not done():
            self.read_some(deadline - time.monotonic())
            if self.ended:
                raise EOFError(f"the program ended; its screen:\n{self.screen_text()}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"not seen in {timeout} s; the screen:\n{self.screen_text()}")

    def read_some(self, wait: float) -> None:
        """What the program wrote within ``wait`` seconds, if anything."""
        ready, _, _ = select.select([self.master], [], [], max(wait, 0))
        if not ready:
            return
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # EIO: the program ended and closed the pty
            chunk = b""
        if not chunk:
            self.ended = True
            return
        self.raw += chunk
        self._stream.feed(chunk)

    def read_to_end(self, timeout: float = 30.0) -> int:
        """Everything until the program ends; its exit code."""
        deadline = time.monotonic() + timeout
        while not self.ended:
            if time.monotonic() > deadline:
                raise TimeoutError(f"still running after {timeout} s")
            self.read_some(deadline - time.monotonic())
        return self.process.wait(timeout=max(deadline - time.monotonic(), 1))


@contextmanager
def on_pty(
    argv: list[str],
    size: tuple[int, int] = (80, 24),
    env: dict[str, str] | None = None,
    pass_fds: tuple[int, ...] = (),
) -> Iterator[PtyProgram]:
    """``argv`` on a fresh pty of ``size`` (columns, rows), in its own session; killed at the
    end of the block if it is still running."""
    master, slave = os.openpty()
    columns, rows = size
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    environment["TERM"] = "xterm-256color"
    environment.update(env or {})
    process = subprocess.Popen(
        argv,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=environment,
        pass_fds=pass_fds,
        start_new_session=True,
    )
    os.close(slave)
    try:
        yield PtyProgram(process, master, size)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        os.close(master)


def child_argv(db: Path) -> list[str]:
    """The program of one SSH session or browser tab, on ``db``."""
    return [sys.executable, "-m", "tui.serve.child", str(db)]
