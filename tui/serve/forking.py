"""How a server starts a session's process: spawned (a new interpreter per session, the
``--sans-prechargement`` path) or forked by the warm parent (``tui.serve.warm``).

``WarmParent`` is the server's side of the warm parent: it starts it in a private folder (mode
0700, made by ``tempfile.mkdtemp``: only the server's user can reach its socket), starts a new
one whenever it died (and says so in the log), and asks it for a child per session, handing it
the session's descriptors. ``Spawned`` and ``Forked`` are the two ways ``PtySession`` starts
the app on its pty; both give back a ``Child``: its process number, its exit code once known.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import socket
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from services.i18n import N_
from tui.serve.child import LOG_FD_VARIABLE
from tui.serve.warm import READY, SANDBOX_FLAG, Request, decode_status, send_request

__all__ = [
    "NO_PRELOAD",
    "NO_SESSION",
    "Child",
    "Forked",
    "Launcher",
    "Spawned",
    "WarmChild",
    "WarmParent",
    "WarmParentError",
]

# What a person reads when no session could be forked for them (the parent did not answer).
NO_SESSION = N_("La session n'a pas pu démarrer. Réessayez dans quelques minutes.")
# What the person who starts a server reads when the warm parent cannot start.
NO_PRELOAD = N_(
    "Le processus préchargé des sessions n'a pas pu démarrer (voir le journal). Relancez le "
    "serveur, ou ajoutez --sans-prechargement."
)

START_SECONDS = 60.0
"""The parent imports everything before it is ready: seconds on a loaded small machine."""
FORK_SECONDS = 60.0
"""How long a session waits for a child: a new parent may be starting after the last died."""
RETRY_SECONDS = 1.0
STOP_SECONDS = 5.0
SOCKET_NAME = "parent.sock"
FOLDER_PREFIX = "educonnect-prechargement-"
SOCKET_PATH_MAX = 100
"""A Unix socket's path holds at most 107 bytes: under a long temporary folder (a test's), the
private folder goes to /tmp instead."""
UNKNOWN_STATUS = 0
"""A child's exit code when its parent died before it: nobody else can know it. The session
itself ended normally as far as the server saw (its terminal closed)."""


class Child(Protocol):
    """A session's process as its server follows it."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    async def wait(self) -> int: ...


class Launcher(Protocol):
    async def launch(self, slave: int, log_write: int, env: dict[str, str]) -> Child:
        """Start the session on the pty ``slave``, its log to ``log_write``."""
        ...


@dataclass(frozen=True)
class Spawned:
    """A new interpreter running ``command`` (today's path, and the tests' own programs)."""

    command: list[str]

    async def launch(self, slave: int, log_write: int, env: dict[str, str]) -> Child:
        return await asyncio.create_subprocess_exec(
            *self.command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**env, LOG_FD_VARIABLE: str(log_write)},
            pass_fds=(log_write,),
            start_new_session=True,
        )


@dataclass(frozen=True)
class Forked:
    """A child of the warm parent: the app (or the line mode) on ``db``, or in the sandbox
    whose data file is ``sandbox``."""

    parent: WarmParent
    db: str
    lines: bool = False
    sandbox: Path | None = None

    async def launch(self, slave: int, log_write: int, env: dict[str, str]) -> Child:
        request = Request(
            db=self.db,
            env=env,
            lines=self.lines,
            terminal=True,
            sandbox=None if self.sandbox is None else str(self.sandbox),
            log=True,
        )
        return await self.parent.fork(request, [slave, slave, slave, log_write])


class WarmParentError(Exception):
    """The warm parent could not be started or reached."""


class WarmChild:
    """A child of the warm parent, followed through its connection to the parent: the parent
    writes its exit code there; the child holds the connection open as long as it lives."""

    def __init__(self, sock: socket.socket, pid: int, rest: bytes) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._sock = sock
        self._ended = asyncio.ensure_future(self._follow(rest))

    async def wait(self) -> int:
        # Shielded: a caller's timeout must not stop the following.
        return await asyncio.shield(self._ended)

    async def _follow(self, rest: bytes) -> int:
        loop = asyncio.get_running_loop()
        data = rest
        try:
            while b"\n" not in data:
                chunk = await loop.sock_recv(self._sock, 64)
                if not chunk:
                    break
                data += chunk
        except OSError:
            pass
        finally:
            self._sock.close()
        line = data.split(b"\n", 1)[0]
        self.returncode = decode_status(line) if line.strip() else UNKNOWN_STATUS
        return self.returncode


class WarmParent:
    """The server's warm parent: ``start()``, then ``fork()`` per session; ``close()``."""

    def __init__(self, env: dict[str, str], log: logging.Logger, *, sandboxes: bool) -> None:
        self.env = env
        self.log = log
        self.sandboxes = sandboxes
        base = tempfile.gettempdir()
        if len(base) + len(f"/{FOLDER_PREFIX}12345678/{SOCKET_NAME}") > SOCKET_PATH_MAX:
            base = "/tmp"
        self.folder = Path(tempfile.mkdtemp(prefix=FOLDER_PREFIX, dir=base))
        self.path = self.folder / SOCKET_NAME
        self.process: asyncio.subprocess.Process | None = None
        self.restarts = 0
        self._ready = asyncio.Event()
        self._closing = False
        self._watch: asyncio.Task[None] | None = None

    @property
    def pid(self) -> int | None:
        return None if self.process is None else self.process.pid

    async def start(self) -> None:
        await self._launch()
        self._watch = asyncio.create_task(self._keep_alive())

    async def fork(self, request: Request, fds: list[int]) -> WarmChild:
        """A new child for ``request``; waits for a new parent if this one just died.
        ``WarmParentError`` when none answered within ``FORK_SECONDS``."""
        try:
            async with asyncio.timeout(FORK_SECONDS):
                return await self._fork(request, fds)
        except TimeoutError:
            raise WarmParentError(FORK_SECONDS) from None

    async def _fork(self, request: Request, fds: list[int]) -> WarmChild:
        loop = asyncio.get_running_loop()
        while True:
            await self._ready.wait()
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.setblocking(False)
            try:
                await loop.sock_connect(sock, str(self.path))
                send_request(sock, request, fds)
                data = b""
                while b"\n" not in data:
                    chunk = await loop.sock_recv(sock, 64)
                    if not chunk:
                        raise ConnectionResetError
                    data += chunk
            except OSError:
                # The parent died between two sessions (the keeper starts another), or could
                # not fork this time: asked again shortly.
                sock.close()
                await asyncio.sleep(RETRY_SECONDS / 10)
                continue
            except BaseException:
                sock.close()
                raise
            line, rest = data.split(b"\n", 1)
            return WarmChild(sock, int(line), rest)

    async def close(self) -> None:
        self._closing = True
        if self._watch is not None:
            self._watch.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watch
        process = self.process
        if process is not None and process.returncode is None:
            # Its standard input closed: it stops by itself (its sessions go on to their end).
            if process.stdin is not None:
                process.stdin.close()
            try:
                await asyncio.wait_for(process.wait(), STOP_SECONDS)
            except TimeoutError:
                process.kill()
                await process.wait()
        self.remove_folder()

    def remove_folder(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    async def _launch(self) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        flags = [SANDBOX_FLAG] if self.sandboxes else []
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "tui.serve.warm",
            str(self.path),
            *flags,
            stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE,
            env=self.env,
            # Out of the server's terminal's process group: a Ctrl+C there is the server's.
            start_new_session=True,
        )
        self.process = process
        assert process.stdout is not None
        try:
            line = await asyncio.wait_for(process.stdout.readline(), START_SECONDS)
        except TimeoutError:
            line = b""
        if line != READY:
            if process.returncode is None:
                process.kill()
            await process.wait()
            raise WarmParentError(process.returncode)
        self._ready.set()

    async def _keep_alive(self) -> None:
        while not self._closing:
            assert self.process is not None
            code = await self.process.wait()
            self._ready.clear()
            if self._closing:
                return
            self.log.warning(
                "processus préchargé %d arrêté (code %d) : un nouveau démarre",
                self.process.pid,
                code,
            )
            while not self._closing:
                try:
                    await self._launch()
                except (OSError, WarmParentError):
                    self.log.exception("le processus préchargé ne redémarre pas")
                    await asyncio.sleep(RETRY_SECONDS)
                    continue
                self.restarts += 1
                self.log.warning("nouveau processus préchargé %d prêt", self.process.pid)
                break
