"""What the web server's tests share: this checkout's `educonnect serve web` on a free port,
fetching a page while it starts, and a tab opened as a browser opens one."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from pathlib import Path

import aiohttp

__all__ = [
    "LOOPBACK",
    "REPO",
    "STOP_SECONDS",
    "fetch",
    "fetch_bytes",
    "first_screen",
    "free_port",
    "start_server",
]

LOOPBACK = "127.0.0.1"
REPO = Path(__file__).resolve().parents[2]
STOP_SECONDS = 15
"""How long a server may take to stop once told to."""

_MAIN = "import sys; from tui.cli import main; sys.exit(main())"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def start_server(
    port: int,
    *options: str,
    env: Mapping[str, str] | None = None,
    stderr: int = subprocess.PIPE,
) -> subprocess.Popen[str]:
    """This checkout's `educonnect serve web --port PORT OPTIONS…`, its output read from
    ``stdout`` (and ``stderr``, or with it: ``subprocess.STDOUT``)."""
    return subprocess.Popen(
        [sys.executable, "-c", _MAIN, "serve", "web", "--port", str(port), *options],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=stderr,
        text=True,
    )


def fetch(url: str, deadline: float) -> str:
    """The page, retried while the server is still starting, never past ``deadline``."""
    return fetch_bytes(url, deadline).decode("utf-8")


def fetch_bytes(url: str, deadline: float) -> bytes:
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return bytes(response.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


async def first_screen(client: aiohttp.ClientSession, base: str) -> aiohttp.ClientWebSocketResponse:
    """A new tab at 80×24, once its app shows its first screen (« Se connecter »)."""
    websocket = await client.ws_connect(base + "/ws?width=80&height=24")
    received = b""
    async for message in websocket:
        data = message.data
        received += data if isinstance(data, bytes) else str(data).encode()
        if b"Se connecter" in received:
            break
    assert b"Se connecter" in received
    return websocket
