"""The browser server as a person's browser reaches it: the page, then the app in its tab."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from services import Services

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((LOOPBACK, 0))
        return int(probe.getsockname()[1])


def fetch(url: str, deadline: float) -> str:
    """The page, retried while the server is still starting, never past ``deadline``."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@pytest.fixture
def web_server(demo_services: Services) -> Iterator[str]:
    """`educonnect serve web` on a free loopback port; its base URL."""
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("educonnect")),
            "serve",
            "web",
            "--port",
            str(port),
            "--db",
            str(demo_services.settings.db_path),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.terminate()
        server.wait(timeout=15)


class TestWebServer:
    def test_the_page_names_the_app_and_its_websocket(self, web_server: str) -> None:
        """A browser gets the page, titled ÉduConnect, pointing at the server's websocket."""
        page = fetch(web_server + "/", time.monotonic() + 30)
        assert "ÉduConnect" in page
        assert f'data-session-websocket-url="ws://{web_server.removeprefix("http://")}/ws"' in page

    def test_a_tab_gets_its_own_app_showing_the_first_screen(self, web_server: str) -> None:
        """Opening the websocket starts an app for that tab, which draws « Se connecter »."""
        fetch(web_server + "/", time.monotonic() + 30)

        async def first_screen() -> bytes:
            received = b""
            async with (
                asyncio.timeout(40),
                aiohttp.ClientSession() as client,
                client.ws_connect(web_server + "/ws?width=80&height=24") as websocket,
            ):
                async for message in websocket:
                    data = message.data
                    received += data if isinstance(data, bytes) else str(data).encode()
                    if b"Se connecter" in received:
                        break
            return received

        assert b"Se connecter" in asyncio.run(first_screen())

    def test_the_terminal_shows_only_the_servers_own_french_line(
        self, demo_services: Services
    ) -> None:
        """While a browser loads the page, `serve web` prints its one French line and no
        library warning."""
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("educonnect")),
                "serve",
                "web",
                "--port",
                str(port),
                "--db",
                str(demo_services.settings.db_path),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert "ÉduConnect" in fetch(f"http://{LOOPBACK}:{port}/", time.monotonic() + 30)
        finally:
            server.terminate()
            printed, errors = server.communicate(timeout=15)
        assert printed.splitlines()[0] == (
            f"Application ÉduConnect servie sur http://{LOOPBACK}:{port} (Ctrl+C pour arrêter)."
        )
        assert "Warning" not in printed + errors, printed + errors

    def test_a_public_address_is_refused_without_open(self, demo_services: Services) -> None:
        """No authentication in the web server: 0.0.0.0 needs --open, else exit 2 in French."""
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("educonnect")),
                "serve",
                "web",
                "--host",
                "0.0.0.0",
                "--db",
                str(demo_services.settings.db_path),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 2
        assert "proxy inverse" in result.stderr
