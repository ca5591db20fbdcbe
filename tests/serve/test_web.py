"""The browser server as a person's browser reaches it: the page, then the app in its tab (on
the data file, or on a PostgreSQL database)."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import psycopg
import pytest

from services import Services
from tests._postgres import PostgresServer, empty_database
from tests.serve._web import (
    LOOPBACK,
    STOP_SECONDS,
    fetch,
    fetch_bytes,
    first_screen,
    free_port,
    start_server,
)
from tui.serve.web import ASSETS


async def use_a_tab_then_stop(base: str, server: subprocess.Popen[str], sig: int) -> bool:
    """A tab opens, shows the first screen and gets a key; then ``sig`` goes to the server,
    while the tab goes on reading as a browser does. Whether the server closed the tab within
    ``STOP_SECONDS``."""
    async with asyncio.timeout(60), aiohttp.ClientSession() as client:
        websocket = await first_screen(client, base)
        await websocket.send_json(["stdin", "\t"])
        server.send_signal(sig)
        # Left to aiohttp, the server would wait up to a minute for the tab to go away.
        async with asyncio.timeout(STOP_SECONDS):
            async for _message in websocket:
                pass
        return websocket.closed


@pytest.fixture
def web_server(demo_services: Services) -> Iterator[str]:
    """`educonnect serve web` on a free loopback port; its base URL."""
    port = free_port()
    server = start_server(port, "--db", str(demo_services.settings.db_path))
    try:
        yield f"http://{LOOPBACK}:{port}"
    finally:
        server.terminate()
        server.communicate(timeout=STOP_SECONDS)


class TestWebServer:
    def test_the_page_names_the_app_and_its_websocket(self, web_server: str) -> None:
        """A browser gets the page, titled ÉduConnect, pointing at the server's websocket."""
        page = fetch(web_server + "/", time.monotonic() + 30)
        assert "ÉduConnect" in page
        assert f'data-session-websocket-url="ws://{web_server.removeprefix("http://")}/ws"' in page

    def test_a_tab_gets_its_own_app_showing_the_first_screen(self, web_server: str) -> None:
        """Opening the websocket starts an app for that tab, which draws « Se connecter »."""
        fetch(web_server + "/", time.monotonic() + 30)

        async def open_a_tab() -> None:
            async with asyncio.timeout(40), aiohttp.ClientSession() as client:
                # Fails unless the tab's screen holds « Se connecter ».
                websocket = await first_screen(client, web_server)
                await websocket.close()

        asyncio.run(open_a_tab())

    def test_the_terminal_shows_only_the_servers_own_french_line(
        self, demo_services: Services
    ) -> None:
        """While a browser loads the page, `serve web` prints its one French line and no
        library warning."""
        port = free_port()
        server = start_server(port, "--db", str(demo_services.settings.db_path))
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


class TestOwnHostOnly:
    def test_the_page_names_no_other_host(self, web_server: str) -> None:
        """Every URL in the page is the server's own: no font host, no script host."""
        page = fetch(web_server + "/", time.monotonic() + 30)
        urls = re.findall(r"(?:https?|wss?)://[^\s\"'<>)]+", page)
        assert urls
        host = web_server.removeprefix("http://")
        assert [url for url in urls if url.split("://", 1)[1].split("/")[0] != host] == []
        assert "googleapis" not in page

    def test_the_font_comes_from_the_server(self, web_server: str) -> None:
        """The page's font is served, byte for byte the one the package ships."""
        page = fetch(web_server + "/", time.monotonic() + 30)
        font = re.search(r'url\("([^"]+DejaVuSansMono\.ttf)"\)', page)
        assert font is not None
        served = fetch_bytes(font.group(1), time.monotonic() + 30)
        assert served == (ASSETS / "fonts" / "DejaVuSansMono.ttf").read_bytes()

    def test_the_stylesheet_loads_nothing_from_elsewhere(self, web_server: str) -> None:
        page = fetch(web_server + "/", time.monotonic() + 30)
        stylesheet = re.search(r'href="([^"]+\.css)"', page)
        assert stylesheet is not None
        css = fetch(stylesheet.group(1), time.monotonic() + 30)
        assert re.findall(r"@import|url\(\s*[\"']?(?:https?:)?//", css) == []


class TestStopping:
    @pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl+C"])
    def test_a_used_tab_is_closed_and_the_server_exits_cleanly(
        self, demo_services: Services, sig: int
    ) -> None:
        """With a tab open and used, SIGTERM (or Ctrl+C's SIGINT) closes the tab, ends its app
        and the server: exit code 0, no traceback, nothing but the server's own lines."""
        port = free_port()
        base = f"http://{LOOPBACK}:{port}"
        server = start_server(port, "--db", str(demo_services.settings.db_path))
        try:
            fetch(base + "/", time.monotonic() + 30)
            assert asyncio.run(use_a_tab_then_stop(base, server, sig))
            printed, errors = server.communicate(timeout=STOP_SECONDS)
        finally:
            if server.poll() is None:
                server.kill()
                server.communicate(timeout=15)
        assert server.returncode == 0, printed + errors
        assert "Traceback" not in printed + errors, printed + errors
        assert errors == ""


def session_processes(server_pid: int) -> list[int]:
    """The processes below the server's that run a tab's app: ``tui.serve.child`` spawned,
    or forked from the warm parent (``tui.serve.warm``, whose command line its children
    keep), and the tab's command that asks it for one (``tui.serve.tab``)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:  # ended meanwhile
                continue
            parents[int(entry.name)] = int(fields[1])

    def below(pid: int) -> bool:
        while pid > 1:
            pid = parents.get(pid, 1)
            if pid == server_pid:
                return True
        return False

    programs = (b"tui.serve.child", b"tui.serve.warm", b"tui.serve.tab")
    return [
        pid
        for pid in parents
        if below(pid) and any(name in proc_file(pid, "cmdline") for name in programs)
    ]


def proc_file(pid: int, name: str) -> bytes:
    return Path(f"/proc/{pid}/{name}").read_bytes()


def connections(url: str) -> int:
    """Connections of the app to the database at ``url``, other than this one."""
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND application_name = 'educonnect-tui' AND pid <> pg_backend_pid()"
        ).fetchone()
    assert row is not None
    return int(row[0])


class TestOnADatabase:
    def test_a_tab_opens_the_database_named_in_its_environment(
        self, postgres_server: PostgresServer
    ) -> None:
        """`serve web --db postgresql://…`: the server keeps no connection; a tab's app gets
        the URL in its environment, never on its command line (`ps` shows that to everyone),
        and opens its own connection."""
        url = empty_database(postgres_server, "web")
        port = free_port()
        base = f"http://{LOOPBACK}:{port}"
        server = start_server(port, "--db", url)
        try:
            fetch(base + "/", time.monotonic() + 30)
            assert connections(url) == 0

            async def with_a_tab_open() -> list[tuple[bytes, bytes]]:
                async with asyncio.timeout(40), aiohttp.ClientSession() as client:
                    tab = await first_screen(client, base)
                    # The services (and the connection) come once the first screen is out.
                    while connections(url) == 0:
                        await asyncio.sleep(0.1)
                    found = [
                        (proc_file(pid, "cmdline"), proc_file(pid, "environ"))
                        for pid in session_processes(server.pid)
                    ]
                    await tab.close()
                    return found

            tabs = asyncio.run(with_a_tab_open())
        finally:
            server.terminate()
            server.communicate(timeout=STOP_SECONDS)
        # The tab's app, and the shell textual-serve starts it with.
        assert tabs
        for cmdline, environ in tabs:
            assert url.encode() not in cmdline
            assert f"EDUCONNECT_DB={url}".encode() in environ.split(b"\0")
