"""What the web server's tests share: a free port, and fetching a page while it starts."""

from __future__ import annotations

import socket
import time
import urllib.request

__all__ = ["LOOPBACK", "fetch", "fetch_bytes", "free_port"]

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


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
