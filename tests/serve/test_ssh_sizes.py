"""Window sizes no real terminal has, over a real SSH connection: the pty takes at most
``MAX_CELLS`` columns and rows, the server logs what it cut, and the session goes on."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import asyncssh
import pytest

from services import Services
from tests.serve._ssh import LOOPBACK, TERM, TEST_SECONDS, running, session
from tests.serve._terminal import Terminal
from tui.serve.session import MAX_CELLS


@pytest.fixture
def demo_db(demo_services: Services) -> Path:
    return demo_services.settings.db_path


def logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records]


class TestHugeWindowSizes:
    async def test_a_70000_column_terminal_gets_the_app_at_the_largest_size(
        self, demo_db: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A client asking for 70,000 columns at start (more than the kernel's 16 bits) gets
        the first screen drawn on 1,000 columns, and the server logs the cut."""
        caplog.set_level(logging.INFO, logger="educonnect.ssh")
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            asyncssh.connect(
                LOOPBACK, server.port, known_hosts=None, username="parent", agent_path=None
            ) as conn,
        ):
            process = await conn.create_process(
                term_type=TERM, term_size=(70_000, 24), encoding=None
            )
            # The client's screen is as wide as what the app was allowed: wider would only
            # show blanks on its right.
            terminal = Terminal(process, (MAX_CELLS, 24))
            await terminal.read_until("Se connecter")
            await terminal.settle()
            header = terminal.line(0).rstrip()
            assert header.endswith("Accès au service")
            assert len(header) > MAX_CELLS - 10
            process.close()
        assert any(
            "taille de fenêtre 70000×24 (0×0 pixels) ramenée à 1000×24" in message
            for message in logged(caplog)
        )

    async def test_a_resize_to_100000_columns_is_cut_and_the_session_goes_on(
        self, demo_db: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """A window growing to 100,000 × 30 during the session: the app redraws on
        1,000 × 30 (footer on row 30, header to column 1,000) instead of the session ending."""
        caplog.set_level(logging.INFO, logger="educonnect.ssh")
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server) as terminal,
        ):
            terminal.mark = len(terminal.raw)
            terminal.screen.resize(30, MAX_CELLS)
            terminal.process.change_terminal_size(100_000, 30)
            await terminal.read_while(lambda: "Quitter" not in terminal.line(29))
            await terminal.settle()
            header = terminal.line(0).rstrip()
            assert header.endswith("Accès au service")
            assert len(header) > MAX_CELLS - 10
        assert any(
            "taille de fenêtre 100000×30 (0×0 pixels) ramenée à 1000×30" in message
            for message in logged(caplog)
        )
