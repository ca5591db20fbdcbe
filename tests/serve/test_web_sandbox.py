"""``serve web --bac-a-sable``: each browser tab its own copy of the demo families, made by the
tab's command and removed when the tab ends."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import pytest

from tests.serve._sandbox import until
from tests.serve._web import LOOPBACK, REPO, fetch, first_screen, free_port, start_server
from tui.serve.sandbox import DATA_NAME, wrapper_command

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def start(tmp_path: Path, port: int) -> subprocess.Popen[str]:
    """`educonnect serve web --bac-a-sable` on ``port``, its temporary folder in ``tmp_path``."""
    return start_server(
        port, "--bac-a-sable", env={"TMPDIR": str(tmp_path)}, stderr=subprocess.DEVNULL
    )


@pytest.fixture
def sandboxed_web_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """The server on a free loopback port; its base URL and its folder of sandboxes."""
    port = free_port()
    server = start(tmp_path, port)
    base = f"http://{LOOPBACK}:{port}"
    try:
        fetch(base + "/", time.monotonic() + 30)
        yield base, tmp_path / f"educonnect-bac-a-sable-{os.getuid()}" / f"serveur-{server.pid}"
    finally:
        server.send_signal(signal.SIGINT)
        server.communicate(timeout=15)


class TestSandboxedTabs:
    def test_two_tabs_two_data_files_removed_when_the_tabs_close(
        self, sandboxed_web_server: tuple[str, Path]
    ) -> None:
        base, folder = sandboxed_web_server

        def files() -> set[Path]:
            return set(folder.glob(f"session-*/{DATA_NAME}"))

        async def two_tabs() -> None:
            async with asyncio.timeout(60), aiohttp.ClientSession() as client:
                first = await first_screen(client, base)
                second = await first_screen(client, base)
                assert len(files()) == 2
                assert len({data.parent for data in files()}) == 2
                await first.close()
                await second.close()
                await until(lambda: files() == set(), 30)

        asyncio.run(two_tabs())

    def test_the_servers_folder_goes_when_it_stops(self, tmp_path: Path) -> None:
        port = free_port()
        server = start(tmp_path, port)
        fetch(f"http://{LOOPBACK}:{port}/", time.monotonic() + 30)
        root = tmp_path / f"educonnect-bac-a-sable-{os.getuid()}"
        assert [entry.name for entry in root.iterdir()] == [f"serveur-{server.pid}"]
        server.send_signal(signal.SIGINT)
        printed, _errors = server.communicate(timeout=15)
        assert list(root.iterdir()) == []
        assert "Bac à sable : chaque connexion reçoit sa propre copie" in printed


class TestTabCommand:
    @pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
    def test_a_tab_stopped_by_a_signal_removes_its_sandbox(
        self, tmp_path: Path, sig: signal.Signals
    ) -> None:
        """The command textual-serve runs for a tab, stopped by a signal rather than told to
        quit (its server stopping, a hang-up): the sandbox is removed all the same."""
        folder = tmp_path / "serveur"
        folder.mkdir(mode=0o700)
        env = {**os.environ, "TEXTUAL_DRIVER": WEB_DRIVER, "PYTHONPATH": str(REPO)}
        tab = subprocess.Popen(
            wrapper_command(folder),
            cwd=REPO,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert tab.stdout is not None
            # The web driver's first packet: the app is up, its sandbox made before it.
            assert tab.stdout.read(1)
            assert len(list(folder.glob(f"session-*/{DATA_NAME}"))) == 1
            tab.send_signal(sig)
            tab.communicate(timeout=30)
        finally:
            if tab.returncode is None:
                tab.kill()
                tab.wait()
        assert list(folder.iterdir()) == []
