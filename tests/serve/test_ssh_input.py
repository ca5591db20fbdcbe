"""Over SSH, as over a local pty: no byte ends a session, and an unexpected error in the app
shows the person one French line while the server's log gets the traceback."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import asyncssh
import pytest

from services import Services
from tests.serve._ssh import TEST_SECONDS, running, session, step
from tests.serve._terminal import ENTER, TAB, Terminal
from tui.terminal.guarded import ENDED


@pytest.fixture
def demo_db(demo_services: Services) -> Path:
    return demo_services.settings.db_path


async def to_login(terminal: Terminal) -> None:
    """Steps 1 to 2 with the keyboard: ENT of the collège, Montpellier, Élève."""
    await step(terminal, (TAB, ENTER), "Vous souhaitez vous connecter à votre ENT")
    await step(terminal, (TAB, ENTER), "Je sélectionne mon profil")
    await step(terminal, (ENTER,), "Je me connecte avec mon compte")


class TestLatin1Client:
    async def test_a_latin1_name_is_read_and_the_session_goes_on(self, demo_db: Path) -> None:
        """A client whose terminal is Latin-1 sends « Lefèvre » as ``Lef\\xe8vre``, and later
        an « è » on its own: both show in the field and the session goes on."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server) as terminal,
        ):
            await to_login(terminal)

            terminal.process.stdin.write(b"Lef\xe8vre")
            await terminal.read_until("Lefèvre")
            terminal.process.stdin.write(b"\xe8")
            await terminal.read_until("Lefèvreè")
            terminal.process.stdin.write(b"C\x9cur")
            await terminal.read_until("LefèvreèCœur")

        assert b"Traceback" not in terminal.raw


class TestUnexpectedError:
    async def test_the_client_reads_one_french_line_and_the_server_logs_the_traceback(
        self, demo_db: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="educonnect.ssh")
        command = [sys.executable, "-m", "tests.serve._failing_app"]
        async with asyncio.timeout(TEST_SECONDS), running(demo_db, command=command) as server:
            async with asyncssh.connect(
                "127.0.0.1", server.port, known_hosts=None, username="parent", agent_path=None
            ) as conn:
                process = await conn.create_process(
                    term_type="xterm-256color", term_size=(80, 24), encoding=None
                )
                terminal = Terminal(process)
                await terminal.read_until("Appuyez sur x")
                terminal.send("x")
                shown = " ".join((await terminal.read_to_end()).split())
                await process.wait()
            async with asyncio.timeout(10):
                while not any("session fermée" in r.getMessage() for r in caplog.records):
                    await asyncio.sleep(0.05)

        assert process.exit_status == 1
        assert ENDED in shown
        assert "Traceback" not in shown
        assert "/srv/educonnect" not in shown
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert "session parent@127.0.0.1 : Traceback (most recent call last):" in logged
        assert "RuntimeError: panne simulée dans /srv/educonnect/secret.py" in logged
