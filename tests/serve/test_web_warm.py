"""``serve web`` with the warm parent: a browser tab's app is forked from it (the tab's command
only hands over its pipes), a new parent replaces a killed one, and ``--sans-prechargement``
keeps a new interpreter per tab."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import time
from pathlib import Path

import aiohttp

from services import Services
from tests.serve._sandbox import until
from tests.serve._web import LOOPBACK, REPO, fetch, first_screen, free_port, start_server
from tui.serve import tab as tab_module
from tui.serve.forking import WarmParent
from tui.serve.sandbox import DATA_NAME, SESSION_PREFIX
from tui.serve.tab import tab_command

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def children(pid: int) -> dict[int, bytes]:
    """The processes whose parent is ``pid``, with their command lines."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:  # ended meanwhile
                continue
            if int(fields[1]) == pid:
                found[int(entry.name)] = cmdline
    return found


def warm_parent(server: int) -> int | None:
    programs = [pid for pid, line in children(server).items() if b"tui.serve.warm" in line]
    return programs[0] if len(programs) == 1 else None


class TestWarmTabs:
    def test_a_tab_is_forked_and_a_killed_parent_is_replaced(self, demo_services: Services) -> None:
        port = free_port()
        base = f"http://{LOOPBACK}:{port}"
        server = start_server(
            port, "--db", str(demo_services.settings.db_path), stderr=subprocess.STDOUT
        )
        first_pid: list[int] = []
        try:
            fetch(base + "/", time.monotonic() + 30)

            async def tabs() -> None:
                async with asyncio.timeout(60), aiohttp.ClientSession() as client:
                    await until(lambda: warm_parent(server.pid) is not None)
                    first = warm_parent(server.pid)
                    assert first is not None
                    first_pid.append(first)
                    tab = await first_screen(client, base)
                    assert len(children(first)) == 1
                    os.kill(first, signal.SIGKILL)
                    await until(lambda: warm_parent(server.pid) not in (None, first), 30)
                    second = warm_parent(server.pid)
                    assert second is not None
                    other = await first_screen(client, base)
                    assert len(children(second)) == 1
                    # The tab opened before goes on: a key still gets an answer.
                    await tab.send_json(["stdin", "\t"])
                    assert await tab.receive(timeout=20)
                    await tab.close()
                    await other.close()

            asyncio.run(tabs())
        finally:
            server.send_signal(signal.SIGTERM)
            printed, _errors = server.communicate(timeout=15)
        # textual-serve's log handler writes on the terminal's width: lines may be cut.
        assert f"processus préchargé {first_pid[0]} arrêté" in " ".join(printed.split()), printed

    def test_without_preloading_a_tab_runs_a_new_interpreter(self, demo_services: Services) -> None:
        port = free_port()
        base = f"http://{LOOPBACK}:{port}"
        server = start_server(
            port,
            "--db",
            str(demo_services.settings.db_path),
            "--sans-prechargement",
            stderr=subprocess.STDOUT,
        )
        try:
            fetch(base + "/", time.monotonic() + 30)

            async def tab() -> None:
                async with asyncio.timeout(60), aiohttp.ClientSession() as client:
                    websocket = await first_screen(client, base)
                    assert warm_parent(server.pid) is None
                    await websocket.close()

            asyncio.run(tab())
        finally:
            server.send_signal(signal.SIGTERM)
            server.communicate(timeout=15)


class TestTabCommand:
    async def test_a_tab_stopped_by_a_signal_removes_its_sandbox(self, tmp_path: Path) -> None:
        """The tab's command on the warm path (``tui.serve.tab --bac-a-sable``): its child
        writes the demo into the sandbox and speaks on the command's own pipes; SIGTERM to the
        command reaches the child, and the sandbox is removed."""
        folder = tmp_path / "serveur"
        folder.mkdir(mode=0o700)
        warm = WarmParent(
            {**os.environ, "PYTHONPATH": str(REPO)}, logging.getLogger("test"), sandboxes=True
        )
        await warm.start()
        try:
            env = {**os.environ, "TEXTUAL_DRIVER": WEB_DRIVER, "PYTHONPATH": str(REPO)}
            tab = await asyncio.create_subprocess_exec(
                *tab_command(warm.path, "inutile.json", folder),
                cwd=REPO,
                env=env,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL,
            )
            assert tab.stdout is not None
            async with asyncio.timeout(60):
                # The web driver's first packet: the forked app is up, its sandbox written.
                assert await tab.stdout.read(1)
                (data,) = folder.glob(f"session-*/{DATA_NAME}")
                assert data.stat().st_size > 0
                tab.send_signal(signal.SIGTERM)
                await tab.communicate()
        finally:
            if tab.returncode is None:
                tab.kill()
                await tab.wait()
            await warm.close()
        assert list(folder.iterdir()) == []
        assert (tab_module.DATA_NAME, tab_module.SESSION_PREFIX) == (DATA_NAME, SESSION_PREFIX)
