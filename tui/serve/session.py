"""One SSH session: the app's process on its own pseudo-terminal, wired to one SSH channel.

Imported by ``tui.serve.ssh`` only, after its filter of asyncssh's import-time warnings.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import signal
import struct
import termios

import asyncssh

from services.i18n import _, ngettext
from tui.input_guard import IDLE_SECONDS, TerminalDecoder
from tui.serve.forking import Child, Launcher, Spawned

__all__ = ["PtySession", "write"]

log = logging.getLogger("educonnect.ssh")

# Whatever the app had switched on (alternate screen, mouse reports, bracketed paste, kitty
# keyboard, hidden cursor) is switched off after it was stopped, so the person's own terminal
# is usable again. Harmless when the app had already restored everything itself.
TERMINAL_RESET = (
    b"\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1016l\x1b[?1004l\x1b[?2004l"
    b"\x1b[?2048l\x1b[<u\x1b[?7h\x1b[0m\x1b[?25h\x1b[?1049l"
)

STOP_GRACE_SECONDS = 5.0
READ_SIZE = 65536
MAX_CELLS = 1000
"""Columns and rows a pty gets at most. The kernel's window size holds 16 bits (a client's
70,000 columns ended the session), and an app drawing screens larger than any real one would
only burn memory and bandwidth."""
PIXELS_MAX = 0xFFFF


def _idle_goodbye(seconds: float) -> str:
    """What the person reads when the session closes for inactivity."""
    if seconds >= 60:
        minutes = round(seconds / 60)
        return ngettext(
            "Session fermée après %(count)d minute sans activité. Au revoir !",
            "Session fermée après %(count)d minutes sans activité. Au revoir !",
            minutes,
        ) % {"count": minutes}
    whole = max(1, round(seconds))
    return ngettext(
        "Session fermée après %(count)d seconde sans activité. Au revoir !",
        "Session fermée après %(count)d secondes sans activité. Au revoir !",
        whole,
    ) % {"count": whole}


def _idle_reason(seconds: float) -> str:
    """Why the session ended, for the server's log."""
    if seconds >= 60:
        minutes = round(seconds / 60)
        return ngettext(
            "inactif depuis %(count)d minute", "inactif depuis %(count)d minutes", minutes
        ) % {"count": minutes}
    whole = max(1, round(seconds))
    return ngettext(
        "inactif depuis %(count)d seconde", "inactif depuis %(count)d secondes", whole
    ) % {"count": whole}


def _set_window_size(fd: int, width: int, height: int, pixwidth: int, pixheight: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, pixwidth, pixheight))


def _clamped(width: int, height: int, pixwidth: int, pixheight: int) -> tuple[int, int, int, int]:
    """The window size a pty can take: at most ``MAX_CELLS`` columns and rows. Pixel sizes
    measure the cells the client asked for, so once those are cut (or when they overflow the
    kernel's 16 bits) they become 0, « unknown »."""
    cells = (min(width, MAX_CELLS), min(height, MAX_CELLS))
    if cells != (width, height) or max(pixwidth, pixheight) > PIXELS_MAX:
        return (*cells, 0, 0)
    return width, height, pixwidth, pixheight


class PtySession:
    """One app process (or line mode, with ``lines``) on its own pseudo-terminal, wired to one
    SSH channel; ``command`` is its argv (spawned) or the way to start it (forked from the
    warm parent: ``tui.serve.forking``)."""

    def __init__(
        self,
        process: asyncssh.SSHServerProcess[bytes],
        command: list[str] | Launcher,
        env: dict[str, str],
        idle_timeout: float,
        who: str,
        *,
        lines: bool = False,
    ) -> None:
        self.process = process
        self.launcher = Spawned(command) if isinstance(command, list) else command
        # The line mode switched nothing on in the terminal: it gets no escape byte at all.
        self.reset = b"" if lines else TERMINAL_RESET
        self.env = env
        self.idle_timeout = idle_timeout
        self.who = who
        # Why the session ended, for the server's log (``tui.serve.ssh``).
        self.end_reason = _("fin de l'application")
        self._master = -1
        self._child: Child | None = None
        self._idle = asyncio.Event()
        self._shutdown = asyncio.Event()
        self.finished = asyncio.Event()
        self._idle_timer: asyncio.TimerHandle | None = None

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        master, slave = os.openpty()
        self._master = master
        # The app's own log (an unexpected error's traceback): its stderr is the person's screen.
        log_read, log_write = os.pipe()
        try:
            width, height, pixwidth, pixheight = self.process.get_terminal_size()
            self._set_size(width or 80, height or 24, pixwidth, pixheight)
            child = await self.launcher.launch(slave, log_write, self.env)
        except BaseException:
            os.close(master)
            os.close(log_read)
            raise
        finally:
            os.close(slave)
            os.close(log_write)
        self._child = child
        os.set_blocking(master, False)
        os.set_blocking(log_read, False)
        log_pump = asyncio.create_task(self._pump_log(log_read))
        self._touch(loop)
        pumps = {
            asyncio.create_task(self._pump_output()): "output",
            asyncio.create_task(self._pump_input()): "input",
            asyncio.create_task(self._idle.wait()): "idle",
            asyncio.create_task(self._shutdown.wait()): "shutdown",
        }
        try:
            done, _pending = await asyncio.wait(pumps, return_when=asyncio.FIRST_COMPLETED)
            first = pumps[next(iter(done))]
            if first == "input":
                self.end_reason = _("le client s'est déconnecté")
                await _stop(child)
            elif first == "output":
                # The app closed its terminal (it has ended), or the client went away while
                # the app was writing. An app left running would keep the session, and the
                # server's shutdown, waiting for ever.
                await _stop(child)
            elif first == "idle":
                self.end_reason = _idle_reason(self.idle_timeout)
                await self._stop_with(child, _idle_goodbye(self.idle_timeout))
            elif first == "shutdown":
                self.end_reason = _("arrêt du serveur")
                await self._stop_with(child, _("Le serveur s'arrête. Au revoir !"))
            status = await child.wait()
        finally:
            if child.returncode is None:
                # The server is shutting down under this session: the app, in its own session,
                # would otherwise outlive it.
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGTERM)
            for task in pumps:
                task.cancel()
            await asyncio.gather(*pumps, return_exceptions=True)
            if self._idle_timer is not None:
                self._idle_timer.cancel()
            os.close(master)
            try:
                # Until the app's end closed its side: its last words are logged too.
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(log_pump, STOP_GRACE_SECONDS)
            finally:
                os.close(log_read)
        return status if status >= 0 else 128 - status

    def shut_down(self) -> None:
        self._shutdown.set()

    @property
    def pid(self) -> int | None:
        """The session's process, once started."""
        return None if self._child is None else self._child.pid

    async def _stop_with(self, child: Child, goodbye: str) -> None:
        await _stop(child)
        write(self.process.stdout, self.reset + f"\r\n{goodbye}\r\n".encode())

    def _touch(self, loop: asyncio.AbstractEventLoop) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
        self._idle_timer = loop.call_later(self.idle_timeout, self._idle.set)

    async def _pump_output(self) -> None:
        """App → client, at the pace the client's link drains it."""
        while True:
            await _readable(self._master)
            try:
                data = os.read(self._master, READ_SIZE)
            except BlockingIOError:
                continue
            except OSError:
                # EIO: the app closed its side of the terminal, i.e. it has ended.
                return
            if not data:
                return
            try:
                self.process.stdout.write(data)
                await self.process.stdout.drain()
            except (OSError, asyncssh.Error):
                return

    async def _pump_log(self, fd: int) -> None:
        """The app's log → the server's, one record per line, until the app has ended."""
        rest = b""
        while True:
            await _readable(fd)
            try:
                data = os.read(fd, READ_SIZE)
            except BlockingIOError:
                continue
            lines = (rest + data).split(b"\n")
            rest = lines.pop() if data else b""
            for line in filter(None, lines):
                log.warning("session %s : %s", self.who, line.decode("utf-8", "replace"))
            if not data:
                return

    async def _pump_input(self) -> None:
        """Client → app; window changes are applied to the pty and signalled to the app.

        The bytes are decoded (``TerminalDecoder``: whatever is not UTF-8 is read as
        Windows-1252) and handed to the app as UTF-8, so no byte a terminal sends can end the
        session. A UTF-8 sequence cut at the end of a read waits for the next one, at most
        ``IDLE_SECONDS``: after that, it was a Latin-1 key on its own.
        """
        loop = asyncio.get_running_loop()
        decoder = TerminalDecoder()
        while True:
            try:
                data = await self._read(decoder)
            except asyncssh.TerminalSizeChanged as change:
                self._touch(loop)
                self._resize(change.width, change.height, change.pixwidth, change.pixheight)
                continue
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                continue
            except (asyncssh.Error, OSError):
                return
            if not data:
                return
            self._touch(loop)
            await _write_all(self._master, decoder.decode(data).encode())

    async def _read(self, decoder: TerminalDecoder) -> bytes:
        """The client's next bytes; while waiting for them, bytes the decoder kept back for
        longer than ``IDLE_SECONDS`` go to the app as the single-byte keys they were."""
        read = asyncio.ensure_future(self.process.stdin.read(READ_SIZE))
        try:
            if decoder.pending and not (await asyncio.wait({read}, timeout=IDLE_SECONDS))[0]:
                await _write_all(self._master, decoder.flush().encode())
            return await read
        finally:
            read.cancel()

    def _set_size(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        size = _clamped(width, height, pixwidth, pixheight)
        if size != (width, height, pixwidth, pixheight):
            log.warning(
                "session %s : taille de fenêtre %d×%d (%d×%d pixels) ramenée à %d×%d",
                self.who,
                width,
                height,
                pixwidth,
                pixheight,
                *size[:2],
            )
        _set_window_size(self._master, *size)

    def _resize(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self._set_size(width, height, pixwidth, pixheight)
        try:
            # The app took the pty as its controlling terminal: the kernel sent it SIGWINCH.
            os.tcgetpgrp(self._master)
        except OSError:
            if self._child is not None and self._child.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self._child.pid, signal.SIGWINCH)


async def _stop(child: Child) -> None:
    """SIGTERM to the app's process group; SIGKILL if it has not ended after a grace period."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if child.returncode is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, sig)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(child.wait(), STOP_GRACE_SECONDS)


async def _readable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_reader(fd, ready.set_result, None)
    try:
        await ready
    finally:
        loop.remove_reader(fd)


async def _writable(fd: int) -> None:
    loop = asyncio.get_running_loop()
    ready = loop.create_future()
    loop.add_writer(fd, ready.set_result, None)
    try:
        await ready
    finally:
        loop.remove_writer(fd)


async def _write_all(fd: int, data: bytes) -> None:
    """Everything to the pty, waiting while the app has not read what came before."""
    view = memoryview(data)
    while view:
        try:
            written = os.write(fd, view)
        except BlockingIOError:
            await _writable(fd)
            continue
        except OSError:
            return
        view = view[written:]


def write(stream: asyncssh.SSHWriter[bytes], data: bytes) -> None:
    with contextlib.suppress(OSError, asyncssh.Error):
        stream.write(data)
