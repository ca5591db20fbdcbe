"""``--bac-a-sable``: each session's own private copy of the demo families, made when the
session starts and removed however it ends (``tui.serve.sandbox``)."""

from __future__ import annotations

import asyncio
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import asyncssh
import pytest
from click.testing import CliRunner

from services import Settings, build_services
from services.demo import DEMO_ACTIVE_IDENTIFIANT, DEMO_ACTIVE_PASSWORD, DEMO_GUARDIANS
from services.passwords import PasswordHasher
from services.settings import PasswordHashing
from store import Records
from tests.serve._sandbox import data_files, until
from tests.serve._ssh import LOOPBACK, TERM, TEST_SECONDS, running, session
from tests.serve._terminal import Terminal
from tui.cli import main
from tui.serve.sandbox import DATA_NAME, SandboxError, SandboxRoot

CTRL_Q = "\x11"


def active_hash(data: Path) -> str:
    """The password hash of the demo's active account in the data file ``data``."""
    records = Records(build_services(Settings(db_path=data)).store.snapshot())
    account = records.accounts.get(identifiant=DEMO_ACTIVE_IDENTIFIANT)
    assert account is not None and account.password_hash is not None
    return account.password_hash


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o700


def dead_pid() -> int:
    """The number of a process that has ended."""
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    return int(ended.stdout)


class TestSandboxRoot:
    def test_a_sandbox_is_a_private_folder_with_the_demo_families(self, tmp_path: Path) -> None:
        root = SandboxRoot(tmp_path / "bacs").open()
        data = root.new_sandbox()
        assert private(tmp_path / "bacs") and private(root.folder) and private(data.parent)
        assert data.parent.parent == root.folder
        ids = {
            guardian.id
            for guardian in Records(
                build_services(Settings(db_path=data)).store.snapshot()
            ).guardians.all()
        }
        assert ids == {guardian.id for guardian in DEMO_GUARDIANS}
        other = root.new_sandbox()
        assert other.parent != data.parent
        hashes = [active_hash(data), active_hash(other)]
        # Hashed once per server, and it verifies the demo's password.
        assert hashes[0] == hashes[1]
        hasher = PasswordHasher(PasswordHashing())
        assert hasher.verify_and_update(DEMO_ACTIVE_PASSWORD, hashes[0])[0]
        root.remove(data)
        assert not data.parent.exists() and other.exists()
        root.close()
        assert not root.folder.exists() and (tmp_path / "bacs").exists()

    def test_a_killed_servers_sandboxes_are_removed_at_the_next_start(self, tmp_path: Path) -> None:
        """A server killed (SIGKILL) leaves its folder; the next server to start removes it,
        and leaves alone the folder of a server still running."""
        bacs = tmp_path / "bacs"
        killed = bacs / f"serveur-{dead_pid()}" / "session-x"
        running_one = bacs / f"serveur-{os.getppid()}" / "session-y"
        for folder in (killed, running_one):
            folder.mkdir(parents=True)
            (folder / DATA_NAME).write_text("{}")
        SandboxRoot(bacs).open()
        assert not killed.parent.exists()
        assert (running_one / DATA_NAME).exists()

    def test_a_root_that_is_a_link_is_refused(self, tmp_path: Path) -> None:
        """Another local user could have put a link where the sandboxes go: refused."""
        (tmp_path / "elsewhere").mkdir()
        (tmp_path / "bacs").symlink_to(tmp_path / "elsewhere")
        with pytest.raises(SandboxError, match="n'appartient pas à cet utilisateur"):
            SandboxRoot(tmp_path / "bacs").open()

    def test_a_root_that_cannot_be_made_is_refused_in_french(self, tmp_path: Path) -> None:
        (tmp_path / "fichier").write_text("")
        with pytest.raises(SandboxError, match=r"ne peut pas être créé \("):
            SandboxRoot(tmp_path / "fichier" / "bacs").open()

    def test_a_root_left_open_to_others_is_made_private(self, tmp_path: Path) -> None:
        (tmp_path / "bacs").mkdir(mode=0o755)
        SandboxRoot(tmp_path / "bacs").open()
        assert private(tmp_path / "bacs")


class TestCommandLine:
    def test_a_database_is_refused_in_french(self) -> None:
        result = CliRunner().invoke(
            main, ["serve", "ssh", "--bac-a-sable", "--db", "postgresql://ecole@db/educonnect"]
        )
        assert result.exit_code == 2
        assert "ne s'emploie pas avec une base PostgreSQL" in result.output


class TestSessionEnds:
    """However a sandboxed SSH session ends, its sandbox goes with it."""

    async def test_two_sessions_two_sandboxes_each_removed_when_its_app_ends(
        self, tmp_path: Path
    ) -> None:
        bacs = tmp_path / "bacs"
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(tmp_path / "own.json", sandboxes=bacs) as server,
            session(server) as first,
        ):
            (mine,) = data_files(bacs)
            async with session(server):
                (theirs,) = data_files(bacs) - {mine}
                # The app quits (Ctrl+Q): its sandbox goes, the other session's stays.
                first.send(CTRL_Q)
                await first.read_to_end()
                await until(lambda: not mine.parent.exists())
                assert theirs.exists()
            # The other client disconnects.
            await until(lambda: not theirs.parent.exists())
        assert not (tmp_path / "own.json").exists()

    async def test_the_idle_timeout_removes_the_sandbox(self, tmp_path: Path) -> None:
        bacs = tmp_path / "bacs"
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(tmp_path / "own.json", sandboxes=bacs, idle_timeout=2.0) as server,
            asyncssh.connect(
                LOOPBACK, server.port, known_hosts=None, username="parent", agent_path=None
            ) as conn,
        ):
            process = await conn.create_process(term_type=TERM, term_size=(80, 24), encoding=None)
            terminal = Terminal(process)
            await terminal.read_until("Se connecter")
            (data,) = data_files(bacs)
            assert "sans activité" in await terminal.read_to_end()
            await until(lambda: not data.parent.exists())

    async def test_an_app_killed_has_its_sandbox_removed(self, tmp_path: Path) -> None:
        """The app's process killed (a crash, the system's memory killer): sandbox removed."""
        bacs = tmp_path / "bacs"
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(tmp_path / "own.json", sandboxes=bacs) as server,
            session(server) as terminal,
        ):
            (data,) = data_files(bacs)
            (app,) = server.session_pids
            os.kill(app, signal.SIGKILL)
            await terminal.read_to_end()
            await until(lambda: not data.parent.exists())

    async def test_the_servers_shutdown_removes_every_sandbox(self, tmp_path: Path) -> None:
        bacs = tmp_path / "bacs"
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(tmp_path / "own.json", sandboxes=bacs) as server,
            session(server),
            session(server),
        ):
            assert len(data_files(bacs)) == 2
            server.close()
            await server.wait_closed()
            assert list(bacs.iterdir()) == []
