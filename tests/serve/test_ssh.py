"""The SSH server as people reach it: a real server on a loopback port, asyncssh's client asking
for a pseudo-terminal, keys sent as bytes and the app's screen read back; each test bounded."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import signal
import stat
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import asyncssh
import pytest

from services import Services, Settings, build_services
from services.demo import DEMO_GUARDIANS
from store import Records
from store.records import AccountKind, AccountStatus
from tests.serve._ssh import (
    LOOPBACK,
    TERM,
    TEST_SECONDS,
    Walk,
    registration,
    running,
    session,
    step,
    to_activation,
)
from tests.serve._terminal import CTRL_L, ENTER, TAB, Terminal
from tui.serve.session import PtySession
from tui.serve.ssh import (
    AuthPolicy,
    RateLimiter,
    ServeError,
    host_key_path_for,
    load_authorized_keys,
)


@pytest.fixture
def demo_db(demo_services: Services) -> Path:
    return demo_services.settings.db_path


class TestGuardianScreensOverSsh:
    async def test_keys_walk_the_first_screens_to_the_activation_form(self, demo_db: Path) -> None:
        """A parent on a plain SSH terminal reaches « Activation du compte » with Tab and
        Enter only: keys reach the app, its screens come back."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server) as terminal,
        ):
            assert "Bienvenue" in terminal.screen_text()
            await to_activation(terminal)
            assert "L'activation est réservée aux représentants légaux" in terminal.screen_text()

    async def test_resizing_the_window_redraws_the_app_at_the_new_size(self, demo_db: Path) -> None:
        """After the client's window grows to 100×30, the footer moves to row 30 and the step
        label to the right edge of column 100: the app saw the resize."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server) as terminal,
        ):
            assert "Quitter" in terminal.line(23)
            terminal.resize(100, 30)
            await terminal.settle()
            assert "Quitter" in terminal.line(29)
            header = terminal.line(0).rstrip()
            assert header.endswith("Accès au service")
            assert len(header) > 90


async def whole_redraw(terminal: Terminal) -> int:
    """Ctrl+L: the app sends the whole screen again; the bytes it took."""
    terminal.send(CTRL_L)
    await terminal.settle()
    return len(terminal.raw) - terminal.mark


class TestOnlyChangedCellsCrossTheLink:
    async def test_every_step_looks_exactly_as_after_a_whole_redraw(self, demo_db: Path) -> None:
        """From step 1 to the activation form and while typing in it, the terminal shows the
        same cells (characters, colours, attributes) as when Ctrl+L has the whole screen sent
        again: sending only what changed never leaves a stale cell behind."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server) as terminal,
        ):

            async def assert_as_redrawn() -> None:
                shown = terminal.cells()
                assert await whole_redraw(terminal) > 1000
                assert terminal.cells() == shown

            await assert_as_redrawn()
            await step(terminal, (TAB, ENTER), "Vous souhaitez vous connecter à votre ENT")
            await assert_as_redrawn()
            await step(terminal, (TAB, ENTER), "Je sélectionne mon profil")
            await assert_as_redrawn()
            await step(terminal, (ENTER,), "Je me connecte avec mon compte")
            await assert_as_redrawn()
            await terminal.click("Je n'ai pas de compte")
            await terminal.read_until("Activation du compte")
            await terminal.settle()
            await assert_as_redrawn()
            await terminal.type("Martin")
            await terminal.press(TAB)
            await assert_as_redrawn()

    async def test_a_new_step_costs_less_than_half_a_whole_screen(self, demo_db: Path) -> None:
        """Going from step 1.1 to step 1.2 sends less than half the bytes of the whole
        screen: the header, the footer and what did not move are not sent again."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            session(server) as terminal,
        ):
            await step(terminal, (TAB, ENTER), "Vous souhaitez vous connecter à votre ENT")
            terminal.send(TAB)
            await terminal.settle()
            terminal.send(ENTER)
            await terminal.read_until("Je sélectionne mon profil")
            await terminal.settle()
            step_bytes = len(terminal.raw) - terminal.mark
            assert step_bytes < await whole_redraw(terminal) / 2


class TestTwoSessionsAtOnce:
    async def test_two_homonyms_register_at_the_same_time_and_both_accounts_are_active(
        self, demo_db: Path
    ) -> None:
        """The two Jean Dupont of the demo register in two simultaneous SSH sessions, each with
        its own app process on the one store: both accounts end active, with distinct
        identifiants j.dupont1 and j.dupont2."""
        services = build_services(Settings(db_path=demo_db))
        walks = (
            registration(
                services, "Dupont", "Jean", "06 78 90 12 34", "+33678901234", "25/05/2013"
            ),
            registration(
                services, "Dupont", "Jean", "06 89 01 23 45", "+33689012345", "19/10/2007"
            ),
        )
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:

            async def one(walk: Walk) -> None:
                async with session(server) as terminal:
                    await walk(terminal)

            await asyncio.gather(*(one(walk) for walk in walks))
        records = Records(services.store.snapshot())
        identifiants = set()
        duponts = [
            g.id for g in DEMO_GUARDIANS if g.portable in ("06 78 90 12 34", "06 89 01 23 45")
        ]
        assert len(duponts) == 2
        for guardian_id in duponts:
            account = records.accounts.get(kind=AccountKind.GUARDIAN.value, owner_id=guardian_id)
            assert account is not None
            assert account.status is AccountStatus.ACTIVE
            identifiants.add(account.identifiant)
        assert identifiants == {"j.dupont1", "j.dupont2"}


class TestRefusals:
    async def test_a_session_without_terminal_is_refused_with_a_french_message(
        self, demo_db: Path
    ) -> None:
        """`ssh -T` gets a sentence in French saying a terminal is needed, exit status 1, and
        no app is started for it."""
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
            async with asyncssh.connect(
                LOOPBACK, server.port, known_hosts=None, username="parent", agent_path=None
            ) as conn:
                result = await conn.run(encoding=None)
            assert result.exit_status == 1
            assert isinstance(result.stderr, bytes)
            assert "Cette application a besoin d'un terminal" in result.stderr.decode()
            assert server.sessions == 0

    async def test_sessions_beyond_the_maximum_are_refused(self, demo_db: Path) -> None:
        """With one session allowed, a second person is told in French to try again later."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db, max_sessions=1) as server,
            session(server),
            asyncssh.connect(
                LOOPBACK, server.port, known_hosts=None, username="autre", agent_path=None
            ) as conn,
        ):
            process = await conn.create_process(term_type=TERM, term_size=(80, 24), encoding=None)
            message = await process.stderr.read()
            await process.wait_closed()
            assert "Trop de sessions sont ouvertes" in message.decode()
            assert process.exit_status == 1

    async def test_an_address_over_its_connection_rate_is_disconnected(self, demo_db: Path) -> None:
        """With one connection a minute allowed, the second from the same address is cut
        before any authentication."""
        async with asyncio.timeout(TEST_SECONDS), running(demo_db, rate_limit=1) as server:
            options = {"known_hosts": None, "username": "parent", "agent_path": None}
            async with asyncssh.connect(LOOPBACK, server.port, **options):
                pass
            with pytest.raises((asyncssh.DisconnectError, ConnectionError)):
                async with asyncssh.connect(LOOPBACK, server.port, **options):
                    pass

    def test_the_rate_limit_forgets_connections_older_than_its_window(self) -> None:
        """Three connections a minute: the fourth is refused, and allowed a minute later."""
        now = [0.0]
        limiter = RateLimiter(3, 60.0, clock=lambda: now[0])
        assert [limiter.allow("192.0.2.1") for _ in range(4)] == [True, True, True, False]
        assert limiter.allow("192.0.2.2")
        now[0] = 60.5
        assert limiter.allow("192.0.2.1")

    def test_open_mode_is_refused_on_a_public_address_unless_asked_for(self) -> None:
        """Bound to 0.0.0.0 without keys, the server refuses to start open; --open allows it,
        and loopback is open by default."""
        with pytest.raises(ServeError, match="--open"):
            AuthPolicy.choose("0.0.0.0", open_mode=False, authorized_keys=None, user=None)
        assert AuthPolicy.choose("0.0.0.0", open_mode=True, authorized_keys=None, user=None).is_open
        assert AuthPolicy.choose("::1", open_mode=False, authorized_keys=None, user=None).is_open


class TestIdleTimeout:
    async def test_an_idle_session_ends_with_a_french_goodbye(self, demo_db: Path) -> None:
        """Nobody types for the idle time: the app is stopped, the terminal is given back
        (alternate screen left) and the person reads why."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db, idle_timeout=2.0) as server,
            asyncssh.connect(
                LOOPBACK, server.port, known_hosts=None, username="parent", agent_path=None
            ) as conn,
        ):
            process = await conn.create_process(term_type=TERM, term_size=(80, 24), encoding=None)
            terminal = Terminal(process)
            text = await terminal.read_to_end()
            assert "Session fermée après 2 secondes sans activité. Au revoir !" in text
            assert text.rstrip().endswith("Au revoir !")
            assert b"\x1b[?1049l" in terminal.raw
            await process.wait_closed()
            assert process.exit_status is not None
        assert server.sessions == 0


class _ClientGoneOut:
    """The channel of a client that has just gone: every write fails."""

    def write(self, data: bytes) -> None:
        raise BrokenPipeError

    async def drain(self) -> None:
        raise AssertionError("nothing was written")


class _QuietIn:
    """A client that sends nothing (its disconnection not yet noticed)."""

    async def read(self, size: int) -> bytes:
        await asyncio.Event().wait()
        return b""


class TestSessionEnd:
    async def test_a_client_gone_while_the_app_writes_stops_the_app(self, tmp_path: Path) -> None:
        """The app's next frame cannot reach a client that has just left: the app is stopped
        and the session ends, instead of both waiting for ever (and the server's shutdown with
        them)."""
        client = SimpleNamespace(
            get_terminal_size=lambda: (80, 24, 0, 0), stdin=_QuietIn(), stdout=_ClientGoneOut()
        )
        app = [
            sys.executable,
            "-c",
            "import time; print('Se connecter', flush=True); time.sleep(60)",
        ]
        session = PtySession(cast(Any, client), app, {}, idle_timeout=600.0, who="parent@test")
        async with asyncio.timeout(20):
            status = await session.run()
        assert status == 128 + signal.SIGTERM


class TestAuthentication:
    @pytest.fixture
    def client_key(self) -> asyncssh.SSHKey:
        return asyncssh.generate_private_key("ssh-ed25519", comment="formatrice@portable")

    @pytest.fixture
    def authorized_keys(self, tmp_path: Path, client_key: asyncssh.SSHKey) -> Path:
        path = tmp_path / "authorized_keys"
        path.write_bytes(b"# formatrices\n" + client_key.export_public_key())
        return path

    async def test_a_listed_key_logs_in_under_its_comment_name_and_nothing_else_does(
        self, demo_db: Path, authorized_keys: Path, client_key: asyncssh.SSHKey
    ) -> None:
        """With --authorized-keys, the key commented formatrice@portable opens a session as
        « formatrice »; the same key under another name, or another key, is refused."""
        other_key = asyncssh.generate_private_key("ssh-ed25519")
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db, authorized_keys=authorized_keys) as server,
        ):
            async with session(server, username="formatrice", client_keys=[client_key]):
                pass
            for username, key in (("parent", client_key), ("formatrice", other_key)):
                with pytest.raises(asyncssh.PermissionDenied):
                    await asyncssh.connect(
                        LOOPBACK,
                        server.port,
                        known_hosts=None,
                        username=username,
                        client_keys=[key],
                        agent_path=None,
                    )

    def test_user_option_names_every_key_and_options_lines_are_refused(
        self, tmp_path: Path, client_key: asyncssh.SSHKey
    ) -> None:
        """--user gives every key the same login name; a line with options (from=…) stops the
        start rather than being enforced by nobody."""
        path = tmp_path / "keys"
        path.write_bytes(client_key.export_public_key())
        assert set(load_authorized_keys(path, "demo")) == {"demo"}
        path.write_bytes(b'from="192.0.2.1" ' + client_key.export_public_key())
        with pytest.raises(ServeError, match="ligne 1"):
            load_authorized_keys(path, None)


class TestHostKeyAndTransport:
    async def test_host_key_is_created_private_beside_the_store_and_kept(
        self, demo_db: Path
    ) -> None:
        """First start writes <db>.ssh_host_ed25519_key with mode 0600; a restart shows the
        same fingerprint, and it is the key clients see."""
        key_path = host_key_path_for(demo_db)
        async with asyncio.timeout(TEST_SECONDS):
            async with running(demo_db) as first:
                fingerprint = first.fingerprint
            assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
            async with (
                running(demo_db) as second,
                asyncssh.connect(
                    LOOPBACK, second.port, known_hosts=None, username="parent", agent_path=None
                ) as conn,
            ):
                seen = conn.get_server_host_key()
                assert seen is not None
                assert seen.get_fingerprint("sha256") == fingerprint == second.fingerprint

    async def test_zlib_compression_is_offered(self, demo_db: Path) -> None:
        """A client that accepts only zlib (what `ssh -C` prefers) connects."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db) as server,
            asyncssh.connect(
                LOOPBACK,
                server.port,
                known_hosts=None,
                username="parent",
                agent_path=None,
                compression_algs=["zlib@openssh.com"],
            ) as conn,
        ):
            result = await conn.run(encoding=None)
            assert result.exit_status == 1

    async def test_connections_and_sessions_are_logged(
        self, demo_db: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """The log says who connected, that a session opened and closed, and the disconnection."""
        caplog.set_level(logging.INFO, logger="educonnect.ssh")
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
            async with session(server):
                pass
            async with asyncio.timeout(10):
                while not any("déconnexion" in r.getMessage() for r in caplog.records):
                    await asyncio.sleep(0.05)
        messages = [record.getMessage() for record in caplog.records]
        assert "connexion de 127.0.0.1" in messages
        assert any(m.startswith("session ouverte : parent@127.0.0.1") for m in messages)
        assert any(m.startswith("session fermée : parent@127.0.0.1") for m in messages)


class TestCommandLine:
    def test_serve_ssh_prints_the_fingerprint_and_serves_the_app(self, demo_db: Path) -> None:
        """`educonnect serve ssh --port 0` announces its port and host key fingerprint, and a
        client reaches the first screen through it. Its terminal shows only its own French
        lines: no library warning, at start or when a client connects."""
        server = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("educonnect")),
                "serve",
                "ssh",
                "--port",
                "0",
                "--db",
                str(demo_db),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert server.stdout is not None
            first = server.stdout.readline()
            fingerprint_line = server.stdout.readline()
            port = int(re.search(r":(\d+) ", first).group(1))  # type: ignore[union-attr]
            assert fingerprint_line.startswith("Empreinte de la clé d'hôte : SHA256:")

            async def reach_first_screen() -> None:
                async with (
                    asyncio.timeout(TEST_SECONDS),
                    asyncssh.connect(
                        LOOPBACK, port, known_hosts=None, username="parent", agent_path=None
                    ) as conn,
                ):
                    process = await conn.create_process(
                        term_type=TERM, term_size=(80, 24), encoding=None
                    )
                    await Terminal(process).read_until("Se connecter")

            asyncio.run(reach_first_screen())
        finally:
            server.terminate()
            rest, errors = server.communicate(timeout=10)
        assert server.returncode == 0
        printed = first + fingerprint_line + rest + errors
        assert "Warning" not in printed, printed
        assert "site-packages" not in printed, printed

    def test_serve_ssh_refuses_open_mode_on_a_public_address(self, demo_db: Path) -> None:
        """Bound to 0.0.0.0 with neither --open nor --authorized-keys: exit 2, French reason."""
        result = subprocess.run(
            [
                str(Path(sys.executable).with_name("educonnect")),
                "serve",
                "ssh",
                "--host",
                "0.0.0.0",
                "--db",
                str(demo_db),
            ],
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert result.returncode == 2
        assert "--authorized-keys" in result.stderr
        assert "sans mot de passe" in result.stderr
