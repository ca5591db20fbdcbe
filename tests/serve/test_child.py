"""The program each SSH session and browser tab runs (``python -m tui.serve.child FILE``, or
``--base-de-donnees`` with the URL in its environment), in a real pseudo-terminal, on a store
that went bad after the server checked it."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests._postgres import PostgresServer, blank_database, execute
from tui.serve.child import FROM_ENVIRONMENT, LINES_FLAG

ROOT = Path(__file__).resolve().parents[2]
ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[P^_][^\x1b]*\x1b\\|[@-Z\\-_])"
)


def start_session(
    db: Path | str, url: str | None = None, *, mode: tuple[str, ...] = ()
) -> tuple[subprocess.Popen[bytes], int]:
    """The session's program on ``db`` (with ``url``: in ``EDUCONNECT_DB``; ``mode``: before
    it, ``--lignes``) on an 80×24 pty, started: the process and the pty's master side."""
    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    hidden = ("COLUMNS", "LINES", "EDUCONNECT_DB")
    env = {key: value for key, value in os.environ.items() if key not in hidden}
    env["TERM"] = "xterm-256color"
    if url is not None:
        env["EDUCONNECT_DB"] = url
    process = subprocess.Popen(
        [sys.executable, "-m", "tui.serve.child", *mode, str(db)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    return process, master


def run_session(
    db: Path | str, url: str | None = None, *, mode: tuple[str, ...] = ()
) -> tuple[int, str]:
    """The session (see ``start_session``) to its end: its exit code and all it showed, escape
    sequences removed and whitespace collapsed (the terminal wraps long lines)."""
    process, master = start_session(db, url, mode=mode)
    output = bytearray()
    try:
        while True:
            ready, _, _ = select.select([master], [], [], 60)
            assert ready, "the session neither ended nor wrote anything for a minute"
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the program ended and closed the pty
                break
            if not chunk:
                break
            output += chunk
        code = process.wait(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    text = ESCAPES.sub("", output.decode("utf-8", "replace"))
    return code, " ".join(text.split())


def assert_ends(process: subprocess.Popen[bytes]) -> None:
    """The process ends by itself within 30 s (else ``TimeoutExpired`` fails the test)."""
    try:
        process.wait(timeout=30)
    finally:
        process.kill()


class TestTheTerminalGone:
    """A server that dies closes its sessions' ptys: each session ends with it, whether it was
    showing a screen or had not even started (a session left on a closed pty kept a core busy
    for ever)."""

    def test_a_session_showing_its_screen_ends_when_its_pty_closes(self, tmp_path: Path) -> None:
        db = tmp_path / "educonnect.json"
        process, master = start_session(db)
        try:
            shown = bytearray()
            while b"Bienvenue" not in shown:
                ready, _, _ = select.select([master], [], [], 60)
                assert ready, "no first screen in a minute"
                shown += os.read(master, 65536)
        finally:
            os.close(master)
        assert_ends(process)

    def test_a_session_whose_pty_closed_before_it_started_ends(self, tmp_path: Path) -> None:
        db = tmp_path / "educonnect.json"
        process, master = start_session(db)
        os.close(master)
        assert_ends(process)


class TestRefusedDataFile:
    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b'{"_meta": {"1": {"format": "educonnect-tui", "sch', "est illisible (JSON invalide)"),
            (b'{"users": []}', "n'est pas un fichier de données ÉduConnect"),
            (
                b'{"_meta": {"1": {"format": "educonnect-tui", "schema": 1}}, '
                b'"guardians": {"1": {"id": "R1", "nom": "Martin"}}}',
                "table « guardians », enregistrement 1, le champ « prenom » manque",
            ),
        ],
        ids=["corrupt", "foreign", "damaged-record"],
    )
    def test_the_session_ends_with_the_french_message_and_code_2(
        self, tmp_path: Path, content: bytes, message: str
    ) -> None:
        """The first screen shows, then the session ends with the file's French message and
        exit code 2 — no traceback — and the file is left exactly as it was."""
        db = tmp_path / "educonnect.json"
        db.write_bytes(content)

        code, shown = run_session(db)

        assert code == 2
        assert "Bienvenue" in shown
        assert message in shown
        assert "Traceback" not in shown
        assert db.read_bytes() == content

    def test_the_line_mode_session_ends_the_same_way(self, tmp_path: Path) -> None:
        db = tmp_path / "educonnect.json"
        content = b'{"users": []}'
        db.write_bytes(content)

        code, shown = run_session(db, mode=(LINES_FLAG,))

        assert code == 2
        assert "n'est pas un fichier de données ÉduConnect" in shown
        assert "Traceback" not in shown
        assert db.read_bytes() == content


class TestRefusedDatabase:
    def test_the_session_opens_the_database_its_environment_names(
        self, postgres_server: PostgresServer
    ) -> None:
        """The URL comes through the environment, not the command line: a database that
        became another application's after the server checked it ends the session with the
        database's French message and exit code 2."""
        url = blank_database(postgres_server, "session")
        execute(url, "CREATE TABLE commandes (id integer)")

        code, shown = run_session(FROM_ENVIRONMENT, url)

        assert code == 2
        assert "Bienvenue" in shown
        assert "contient déjà d'autres tables que celles d'ÉduConnect" in shown
        assert "Traceback" not in shown

    def test_without_a_database_in_the_environment_it_says_so(self) -> None:
        code, shown = run_session(FROM_ENVIRONMENT)

        assert code == 1
        assert "EDUCONNECT_DB ne contient pas l'adresse postgresql://" in shown
