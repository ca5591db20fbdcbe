"""The warm parent: one process that has imported Textual, the app, the domain and the store
code once, and forks a child for each session (``python -m tui.serve.warm SOCKET``).

Pre-forking servers (Gunicorn's ``preload_app``, ``multiprocessing``'s forkserver, Android's
zygote) do the same: a session starts with a ``fork()`` instead of an interpreter importing
everything again, and the imported pages stay shared between the sessions, copy-on-write.

The parent opens no data file, runs no event loop and starts no thread (a thread or a lock
held at the fork would be copied half-way into every child). It listens on a Unix socket in a
private folder (``tui.serve.forking`` makes it, mode 0700: only the server's user reaches it).
A request is one message: what to run (``Request``), with the session's descriptors attached
(``SCM_RIGHTS``): the pty (or a browser tab's pipes) as stdin, stdout and stderr, and the
session's log pipe. The parent forks, answers the child's process number, and, once the child
has ended, its exit code. The child keeps that connection open as long as it lives, so the
server sees the session end even if the parent died meanwhile.

The parent's standard input is a pipe from the server: when the server is gone, so is the
parent (its running sessions are the server's, on ptys it held: they hang up by themselves).

This module's own imports are light: ``tui.serve.tab`` (the command of a browser tab) uses
its protocol without paying for the preload.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import json
import logging
import os
import random
import select
import signal
import socket
import sys
import termios
import threading
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from services import Services
    from services.passwords import PasswordHasher

__all__ = [
    "READY",
    "Request",
    "decode_status",
    "main",
    "preload",
    "receive_request",
    "reseed",
    "send_request",
]

log = logging.getLogger("educonnect.prechargement")

READY = b"pret\n"
"""What the parent writes on its standard output once it listens."""
MAX_REQUEST = 1 << 20
MAX_FDS = 4
SANDBOX_FLAG = "--bac-a-sable"


@dataclass(frozen=True)
class Request:
    """One session to fork."""

    db: str
    """A data file's path, or ``tui.serve.child.FROM_ENVIRONMENT`` (the database in ``env``)."""
    env: dict[str, str]
    """The child's whole environment (the parent's is not passed on)."""
    lines: bool = False
    """The line mode (``tui.lines``) instead of the app."""
    terminal: bool = True
    """Its stdin is a pty, to become the controlling terminal (a browser tab's are pipes)."""
    sandbox: str | None = None
    """A data file not yet written, in an empty private folder: the child writes its own
    copy of the demo families there and runs on it (``--bac-a-sable``; ``db`` is ignored)."""
    log: bool = False
    """A fourth descriptor is attached: the session's log, for its server."""

    def encode(self) -> bytes:
        return json.dumps(asdict(self)).encode()

    @classmethod
    def decode(cls, data: bytes) -> Request:
        fields = json.loads(data)
        return cls(
            db=str(fields["db"]),
            env={str(k): str(v) for k, v in dict(fields["env"]).items()},
            lines=bool(fields["lines"]),
            terminal=bool(fields["terminal"]),
            sandbox=None if fields["sandbox"] is None else str(fields["sandbox"]),
            log=bool(fields["log"]),
        )


def send_request(sock: socket.socket, request: Request, fds: list[int]) -> None:
    """The request and its descriptors, in one message (its size is far below a socket's
    buffer: a fresh connection never blocks on it)."""
    socket.send_fds(sock, [request.encode()], fds)


def receive_request(sock: socket.socket) -> tuple[Request, list[int]]:
    data, fds, _flags, _address = socket.recv_fds(sock, MAX_REQUEST, MAX_FDS)
    return Request.decode(data), fds


def decode_status(line: bytes) -> int:
    """``asyncio``'s convention: the exit code, or minus the number of the killing signal."""
    return int(line.strip())


LATER_IMPORTS = (
    "concurrent.futures.thread",
    "email.parser",
    "importlib.resources.readers",
    "pwd",
    "textual.drivers.headless_driver",
    "textual.drivers.linux_driver",
    "textual.drivers.web_driver",
    "textual.layouts.factory",
    "textual.layouts.horizontal",
    "textual.layouts.stream",
    "textual.pilot",
    "textual.scrollbar",
    "argon2",
    "passlib.handlers.argon2",
    "passlib.handlers.bcrypt",
    # A browser tab's Arabic (``tui.terminal.right_to_left``): a tenth of a second to import.
    "tui.terminal.right_to_left",
)
"""What a session would otherwise import on its first screens (the driver, layouts, the
password hashers its services build) and through a registration: seen with ``sys.modules``
in a child."""


def preload(*, sandboxes: bool = False, database: bool = False) -> PasswordHasher | None:
    """Import everything a session runs; with ``sandboxes``, hash the demo's password once
    (every child's copy of the demo uses that hash); returns the hasher that holds it."""
    import importlib

    import textual.app  # noqa: F401  (what every session runs)
    from rich.cells import cell_len

    import tui.app
    import tui.lines
    import tui.loading
    import tui.serve.child  # noqa: F401
    from tui.navigator import SCREENS

    for module, _name in SCREENS.values():
        importlib.import_module(module)
    for module in LATER_IMPORTS:
        importlib.import_module(module)
    # Loads rich's table of character widths (its first use in a child would copy it there).
    cell_len("→")
    _parse_css_ahead()
    if database:
        import store.postgres.store  # noqa: F401
    hasher = None
    if sandboxes:
        from services.demo import DEMO_ACTIVE_PASSWORD
        from tui.serve.sandbox import HashedOnce

        hasher = HashedOnce()
        hasher.hash(DEMO_ACTIVE_PASSWORD)
    return hasher


def _parse_css_ahead() -> None:
    """The app's CSS parsed here once, for every child (``tui.terminal.styles``). The app made
    for it is never run: no event loop, no thread."""
    from tui.app import make_app
    from tui.loading import PendingServices
    from tui.terminal.styles import parse_ahead, share_parsed_css

    def never() -> Services:
        raise AssertionError("the warm parent opens no store")

    share_parsed_css()
    app = make_app(PendingServices(never))
    parse_ahead(app, [*app.css_path, *app._later_css_paths()])


def reseed() -> None:
    """Every random source a child could share with its brothers drawn anew. ``random``'s
    module generator is the one with a state copied by the fork (CPython reseeds it at fork
    too; this does not rely on it). The codes and passwords come from ``random.SystemRandom``
    and ``secrets`` (the kernel's generator, nothing copied), argon2's salts from
    ``os.urandom``, and OpenSSL notices a fork by itself."""
    random.seed()


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path = args[0]
    sandboxes = SANDBOX_FLAG in args[1:]
    # Ctrl+C in the server's terminal is the server's business: it stops the parent itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    hasher = preload(sandboxes=sandboxes, database="EDUCONNECT_DB" in os.environ)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(128)
    try:
        Parent(listener, hasher).serve()
    finally:
        # The server gone (killed, it could not clean up): its private folder goes too.
        with contextlib.suppress(OSError):
            os.unlink(path)
            os.rmdir(os.path.dirname(path))


class Parent:
    def __init__(self, listener: socket.socket, hasher: PasswordHasher | None) -> None:
        self.listener = listener
        self.hasher = hasher
        self.children: dict[int, socket.socket] = {}
        self._wakeup_read, self._wakeup_write = os.pipe()
        os.set_blocking(self._wakeup_write, False)
        os.set_blocking(self._wakeup_read, False)

    def serve(self) -> None:
        signal.set_wakeup_fd(self._wakeup_write)
        # A handler (not SIG_DFL) so the signal wakes the select below through the pipe.
        signal.signal(signal.SIGCHLD, lambda number, frame: None)
        assert threading.active_count() == 1, "the warm parent must fork without threads"
        gc.collect()
        gc.freeze()
        os.write(sys.stdout.fileno(), READY)
        listener = self.listener.fileno()
        # poll, not select: the sessions' connections may take descriptors past 1024.
        waiting = select.poll()
        for fd in (listener, self._wakeup_read, 0):
            waiting.register(fd, select.POLLIN)
        while True:
            ready = {fd for fd, _event in waiting.poll()}
            if 0 in ready and not os.read(0, 1024):
                # The server is gone.
                return
            if self._wakeup_read in ready:
                with contextlib.suppress(BlockingIOError):
                    while os.read(self._wakeup_read, 1024):
                        pass
                self.reap()
            if listener in ready:
                self.accept()

    def accept(self) -> None:
        try:
            connection, _address = self.listener.accept()
        except OSError:
            return
        fds: list[int] = []
        try:
            request, fds = receive_request(connection)
            if len(fds) != (4 if request.log else 3):
                raise ValueError(f"{len(fds)} descriptors")
            pid = self.fork(request, connection, fds)
        except Exception as error:
            log.warning("processus préchargé : demande refusée (%r)", error)
            connection.close()
            return
        finally:
            for fd in fds:
                os.close(fd)
        self.children[pid] = connection
        with contextlib.suppress(OSError):
            connection.sendall(f"{pid}\n".encode())

    def fork(self, request: Request, connection: socket.socket, fds: list[int]) -> int:
        # Whatever this request allocated joins the frozen generation: the collector never
        # walks (so never writes to) the pages every child shares.
        gc.freeze()
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                # The parent's socket objects let go of their descriptors (``run_child`` closes
                # them): none can close, later, a number the session has reused.
                for other in (self.listener, *self.children.values()):
                    other.detach()
                status = run_child(request, connection.detach(), fds, self.hasher)
            finally:
                os._exit(status)
        return pid

    def reap(self) -> None:
        while True:
            try:
                pid, wait_status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.children.pop(pid, None)
            if connection is not None:
                code = os.waitstatus_to_exitcode(wait_status)
                with contextlib.suppress(OSError):
                    connection.sendall(f"{code}\n".encode())
                connection.close()


LIFELINE_FD = 3
LOG_FD = 4


def run_child(
    request: Request, connection: int, fds: list[int], hasher: PasswordHasher | None
) -> int:
    """In the forked child: become the session, run it, return its exit code."""
    os.setsid()
    signal.set_wakeup_fd(-1)
    for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    keep = [*fds[:3], connection, *fds[3:4]]
    _only(keep)
    if request.terminal:
        with contextlib.suppress(OSError):
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    env = dict(request.env)
    if request.log:
        from tui.serve.child import LOG_FD_VARIABLE

        env[LOG_FD_VARIABLE] = str(LOG_FD)
    os.environ.clear()
    os.environ.update(env)
    _fresh_standard_streams()
    _fresh_textual_constants()
    reseed()
    logging.getLogger().handlers.clear()
    return _run(request, hasher)


def _run(request: Request, hasher: PasswordHasher | None) -> int:
    from pathlib import Path

    from store.paths import database_url, resolve_db_path
    from tui.serve.child import FROM_ENVIRONMENT, run_lines_session, run_session

    db: Path | str
    if request.sandbox is not None:
        from tui.serve.sandbox import fill_sandbox

        db = fill_sandbox(Path(request.sandbox), hasher)
    elif request.db == FROM_ENVIRONMENT:
        url = database_url(None)
        if url is None:
            return 2
        db = url
    else:
        db = resolve_db_path(request.db)
    status = run_lines_session(db) if request.lines else run_session(db)
    with contextlib.suppress(OSError, ValueError):
        sys.stdout.flush()
    return status


def _only(keep: list[int]) -> None:
    """Close every inherited descriptor (the listening socket, the other sessions'
    connections, the wakeup pipe, the server's pipe) but ``keep``, which become 0, 1, 2 (the
    session's terminal or pipes), ``LIFELINE_FD`` and ``LOG_FD``."""
    opened = [int(name) for name in os.listdir("/proc/self/fd")]
    base = max(opened) + 1
    high = [fcntl.fcntl(fd, fcntl.F_DUPFD, base + index) for index, fd in enumerate(keep)]
    for fd in opened:
        if fd not in high:
            with contextlib.suppress(OSError):
                os.close(fd)
    for target, fd in enumerate(high):
        os.dup2(fd, target)
        os.close(fd)


def _fresh_standard_streams() -> None:
    """Python's standard streams were made for the parent's descriptors (a pipe, block
    buffered); fd 0, 1 and 2 are now the session's."""
    tty = os.isatty(1)
    # Open for as long as the process lives: no ``with``. Textual's drivers read the
    # ``__std*__`` ones, which typeshed declares final.
    sys.stdin = sys.__stdin__ = open(0, encoding="utf-8", closefd=False)  # type: ignore[misc]  # noqa: SIM115
    sys.stdout = sys.__stdout__ = open(  # type: ignore[misc]  # noqa: SIM115
        1, "w", encoding="utf-8", buffering=1 if tty else -1, closefd=False
    )
    sys.stderr = sys.__stderr__ = open(  # type: ignore[misc]  # noqa: SIM115
        2, "w", encoding="utf-8", errors="backslashreplace", buffering=1, closefd=False
    )


def _fresh_textual_constants() -> None:
    """Textual reads its settings from the environment when imported: in the parent's. A
    browser tab's child needs the web driver its own environment names."""
    import importlib

    import textual.constants

    importlib.reload(textual.constants)


if __name__ == "__main__":
    main()
