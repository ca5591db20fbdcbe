"""The line mode over SSH: ``ssh lignes@host`` or a ``TERM=dumb`` client gets the journeys as
plain lines on its pty, anyone else the full-screen app (``tui.serve.modes``)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services import Services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD
from tests.serve._ssh import TEST_SECONDS, running, session
from tests.serve._terminal import Terminal, plain
from tui.serve.modes import plan_session, wants_lines

FIRST_STEP = "Étape 1 sur 7 — Accès au service"


@pytest.fixture
def demo_db(demo_services: Services) -> Path:
    return demo_services.settings.db_path


async def answer(terminal: Terminal, text: str, expected: str) -> None:
    """Type one answer and Enter, as a person would, then read until ``expected``."""
    terminal.send(text + "\r")
    await terminal.read_until(expected)


async def log_in_and_leave(terminal: Terminal) -> str:
    """Guardian login as lines, then « quitter »: everything the terminal received."""
    await answer(terminal, "2", "Je sélectionne mon profil :")
    await answer(terminal, "1", "Votre choix :")
    await answer(terminal, "1", "Identifiant :")
    await answer(terminal, DEMO_ACTIVE_IDENTIFIANT, "Mot de passe :")
    await answer(terminal, DEMO_ACTIVE_PASSWORD, "Bonjour Claire MOREAU")
    await terminal.read_until("Votre choix :")
    terminal.send("quitter\r")
    await terminal.read_to_end()
    return plain(bytes(terminal.raw))


class TestLineModeOverSsh:
    async def test_the_user_lignes_gets_plain_lines_and_a_password_without_echo(
        self, demo_db: Path
    ) -> None:
        """No escape byte at all reaches the terminal (the pty adds none: it echoes the typed
        letters and turns newlines into CR LF), and the password is never echoed."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server, username="lignes", ready=FIRST_STEP) as terminal,
        ):
            transcript = await log_in_and_leave(terminal)
        assert b"\x1b" not in terminal.raw
        assert "Site de départ : 2\r\n" in transcript
        assert f"Identifiant : {DEMO_ACTIVE_IDENTIFIANT}\r\n" in transcript
        assert DEMO_ACTIVE_PASSWORD not in transcript
        assert "Mot de passe : \r\n" in transcript
        assert transcript.rstrip().endswith("Au revoir.")

    async def test_a_dumb_terminal_gets_the_line_mode_whatever_its_user(
        self, demo_db: Path
    ) -> None:
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server, term="dumb", ready=FIRST_STEP) as terminal,
        ):
            transcript = await log_in_and_leave(terminal)
        assert b"\x1b" not in terminal.raw
        assert "Étape 2 sur 7 — Authentification" in transcript

    async def test_any_other_user_still_gets_the_full_screen_app(self, demo_db: Path) -> None:
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server, username="sophie") as terminal,
        ):
            assert "Bienvenue" in terminal.screen_text()
            assert b"\x1b[" in terminal.raw
            assert FIRST_STEP not in plain(bytes(terminal.raw))

    async def test_an_idle_line_session_is_closed_as_the_app_is(self, demo_db: Path) -> None:
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db, idle_timeout=1.0) as server,
            session(server, username="lignes", ready=FIRST_STEP) as terminal,
        ):
            await terminal.read_to_end()
        goodbye = "Session fermée après 1 seconde sans activité. Au revoir !"
        assert bytes(terminal.raw).endswith(f"Site de départ : \r\n{goodbye}\r\n".encode())
        assert b"\x1b" not in terminal.raw
        assert server.sessions == 0


class TestModeChoice:
    def test_by_user_name_or_a_dumb_terminal(self) -> None:
        assert wants_lines("lignes", "xterm-256color")
        assert wants_lines("parent", "dumb")
        assert wants_lines("parent", "DUMB")
        assert not wants_lines("parent", "xterm-256color")
        assert not wants_lines("Lignes2", "vt100")

    def test_the_line_mode_is_the_same_child_on_the_same_store(self, tmp_path: Path) -> None:
        db = tmp_path / "educonnect.json"
        app = plan_session(None, db, user="parent", term="xterm")
        lines = plan_session(None, db, user="lignes", term="xterm")
        assert not app.lines and lines.lines
        assert lines.command == [*app.command[:-1], "--lignes", app.command[-1]]
        assert plan_session(["true"], db, user="lignes", term="dumb").command == ["true"]
