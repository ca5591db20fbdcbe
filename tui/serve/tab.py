"""What textual-serve runs for a browser tab when the warm parent is on:
``python -m tui.serve.tab SOCKET DB [--bac-a-sable FOLDER]``.

textual-serve can only start a command per tab and talk to its standard input and output. This
command imports nothing heavy: it hands its own standard input, output and error to the warm
parent (``tui.serve.warm``) over the parent's private socket, so the forked child speaks to
textual-serve directly on those pipes; then it waits for the child's end and exits with its
code. A signal it gets (the server stopping, a hang-up) goes on to the child. With
``--bac-a-sable`` it makes the tab's empty sandbox folder, which the child fills, and removes
it at the end, as ``python -m tui.serve.sandbox`` does on the spawn path.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from tui.serve.warm import SANDBOX_FLAG, Request, decode_status, send_request

__all__ = ["main", "tab_command"]

CONNECT_SECONDS = 60.0
"""How long a tab waits for the parent: a new one may be starting after the last one died."""
# As ``tui.serve.sandbox``'s, which this command does not import (it imports the domain).
DATA_NAME = "demo.json"
SESSION_PREFIX = "session-"


def tab_command(socket_path: Path, db: str, sandboxes: Path | None = None) -> list[str]:
    """The argv a browser tab runs with the warm parent listening at ``socket_path``."""
    flags = [] if sandboxes is None else [SANDBOX_FLAG, str(sandboxes)]
    return [sys.executable, "-m", "tui.serve.tab", str(socket_path), db, *flags]


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    path, db = args[0], args[1]
    sandboxes = args[3] if len(args) > 3 and args[2] == SANDBOX_FLAG else None
    sandbox = None
    if sandboxes is not None:
        sandbox = Path(tempfile.mkdtemp(prefix=SESSION_PREFIX, dir=sandboxes)) / DATA_NAME
    try:
        status = run_tab(path, db, sandbox)
    finally:
        if sandbox is not None:
            shutil.rmtree(sandbox.parent, ignore_errors=True)
    sys.exit(status if status >= 0 else 128 - status)


def run_tab(path: str, db: str, sandbox: Path | None) -> int:
    request = Request(
        db=db,
        env=dict(os.environ),
        terminal=False,
        sandbox=None if sandbox is None else str(sandbox),
    )
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        sock = _connect(path, deadline)
        send_request(sock, request, [0, 1, 2])
        data = _line(sock)
        if data.endswith(b"\n") or time.monotonic() > deadline:
            break
        # The parent died before it forked: the next one gets the request again.
        sock.close()
        time.sleep(0.05)
    if not data.endswith(b"\n"):
        return 1
    pid = int(data)
    # The child holds the tab's pipes now: textual-serve sees their end when the child ends.
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)

    def forward(number: int, frame: FrameType | None) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, number)

    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(number, forward)
    status = _line(sock)
    # Without it the parent died before the child: its end (the connection closed) is all
    # there is to know.
    return decode_status(status) if status.endswith(b"\n") else 0


def _line(sock: socket.socket) -> bytes:
    """The parent's next line (the pid, then the exit code), or what came before its end."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(1)
        if not chunk:
            break
        data += chunk
    return data


def _connect(path: str, deadline: float) -> socket.socket:
    while True:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
        except OSError:
            sock.close()
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
            continue
        return sock


if __name__ == "__main__":
    main()
