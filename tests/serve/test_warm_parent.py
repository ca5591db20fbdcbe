"""Sessions forked from the warm parent (``tui.serve.warm``): over real SSH connections, each
walks the guide in its own process, sees nothing of another's, and survives the death of
another session or of the parent itself."""

from __future__ import annotations

import asyncio
import logging
import os
import random
import signal
from pathlib import Path

import asyncssh
import pytest

from services import Services, Settings, build_services
from store import Records
from store.records import AccountStatus
from tests.serve._sandbox import until
from tests.serve._ssh import (
    LOOPBACK,
    TERM,
    TEST_SECONDS,
    registration,
    running,
    session,
    sms_code,
    step,
    to_activation,
)
from tests.serve._terminal import ENTER, TAB, Terminal
from tui.serve import forking
from tui.serve.ssh import SshAppServer
from tui.serve.warm import reseed

HOMONYMS = (
    ("06 78 90 12 34", "+33678901234", "25/05/2013"),
    ("06 89 01 23 45", "+33689012345", "19/10/2007"),
)


@pytest.fixture
def demo_db(demo_services: Services) -> Path:
    return demo_services.settings.db_path


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def descriptors(pid: int) -> set[str]:
    """What the process ``pid`` has open: ``/dev/pts/3``, ``socket:[123]``, ``pipe:[45]``…
    (not its ``anon_inode:[eventpoll]``, a name every event loop's has)."""
    folder = Path(f"/proc/{pid}/fd")
    names = {os.readlink(entry) for entry in folder.iterdir()}
    return {name for name in names if not name.startswith("anon_inode:")}


def listening_socket(pid: int) -> str:
    """The warm parent's listening socket (its descriptor 3, bound before anything else)."""
    return os.readlink(f"/proc/{pid}/fd/3")


async def new_pid(server: SshAppServer, known: set[int]) -> int:
    """The process of the session that has just opened."""
    await until(lambda: bool(set(server.session_pids) - known))
    (pid,) = set(server.session_pids) - known
    return pid


class TestForkedSessions:
    async def test_a_forked_session_walks_a_whole_registration(self, demo_db: Path) -> None:
        """Jean Dupont registers over SSH in a session forked from the warm parent (not a new
        interpreter): his account ends active."""
        services = build_services(Settings(db_path=demo_db))
        phone, e164, born = HOMONYMS[0]
        walk = registration(services, "Dupont", "Jean", phone, e164, born)
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
            assert server.warm is not None and server.warm.pid is not None
            async with session(server) as terminal:
                (pid,) = server.session_pids
                assert parent_of(pid) == server.warm.pid
                await walk(terminal)
                # The parent itself: one thread, nothing of the store's open.
                assert len(list(Path(f"/proc/{server.warm.pid}/task").iterdir())) == 1
                opened = descriptors(server.warm.pid)
                assert not [name for name in opened if name.startswith(str(demo_db))]
        account = Records(services.store.snapshot()).accounts.get(identifiant="j.dupont1")
        assert account is not None and account.status is AccountStatus.ACTIVE

    async def test_without_preloading_each_session_is_a_new_interpreter(
        self, demo_db: Path
    ) -> None:
        """``--sans-prechargement``: no warm parent, the session is the server's own child."""
        async with (
            asyncio.timeout(TEST_SECONDS),
            running(demo_db, preload=False) as server,
            session(server),
        ):
            assert server.warm is None
            (pid,) = server.session_pids
            assert parent_of(pid) == os.getpid()


class TestIsolation:
    async def test_two_sessions_see_only_their_own_screen_descriptors_and_codes(
        self, demo_db: Path
    ) -> None:
        """Two homonyms register at once, each in a child of the same parent: each terminal
        shows only its own typing, each child holds its own pty and none of the other's
        descriptors nor the parent's listening socket, and the two SMS codes differ."""
        services = build_services(Settings(db_path=demo_db))
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
            assert server.warm is not None and server.warm.pid is not None
            listener = listening_socket(server.warm.pid)
            async with session(server) as first, session(server) as second:
                codes = await asyncio.gather(
                    reach_code(first, services, HOMONYMS[0], HOMONYMS[1]),
                    reach_code(second, services, HOMONYMS[1], HOMONYMS[0]),
                )
                # Now both have their services and store open, and have used them.
                pids = server.session_pids
                assert len(pids) == 2
                seen = [descriptors(pid) for pid in pids]
                ptys = [{name for name in fds if name.startswith("/dev/pts/")} for fds in seen]
                assert all(len(own) == 1 for own in ptys) and ptys[0] != ptys[1]
                assert not seen[0] & seen[1]
                assert all(listener not in fds for fds in seen)
        assert codes[0] != codes[1]

    def test_two_forked_children_draw_different_numbers(self) -> None:
        """The module generator's state is copied by a fork: after ``reseed`` two children of
        a seeded parent draw different numbers."""
        random.seed(2026)
        drawn = []
        for _child in range(2):
            read, write = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read)
                reseed()
                os.write(write, random.getrandbits(64).to_bytes(8))
                os._exit(0)
            os.close(write)
            with os.fdopen(read, "rb") as pipe:
                drawn.append(pipe.read())
            os.waitpid(pid, 0)
        assert drawn[0] != drawn[1]


async def reach_code(
    terminal: Terminal,
    services: Services,
    own: tuple[str, str, str],
    other: tuple[str, str, str],
) -> str:
    """Jean Dupont's activation form filled with the ``own`` phone, up to the SMS code; the
    code sent. The terminal shows its own phone, never the ``other`` session's."""
    await to_activation(terminal)
    for text in ("Dupont", TAB, "Jean", TAB, own[0]):
        await (terminal.press(text) if text == TAB else terminal.type(text))
    assert terminal.shows(own[0]) and not terminal.shows(other[0])
    await step(terminal, (ENTER,), "Recevoir mon code SMS")
    await step(terminal, (ENTER,), "Confirmation par SMS")
    await step(terminal, (ENTER,), "J'active mon compte")
    return sms_code(services, own[1])


class TestCrashes:
    async def test_a_killed_session_leaves_the_others_working(self, demo_db: Path) -> None:
        """One of two sessions is killed (SIGKILL, as the memory killer would): the other goes
        on to the next step, and a new session still opens."""
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
            async with session(server) as doomed:
                victim = await new_pid(server, set())
                async with session(server) as survivor:
                    os.kill(victim, signal.SIGKILL)
                    await doomed.read_to_end()
                    await step(survivor, (TAB, ENTER), "Vous souhaitez vous connecter à votre ENT")
                    async with session(server) as newcomer:
                        assert newcomer.shows("Se connecter")
            assert server.warm is not None and server.warm.restarts == 0

    async def test_a_killed_parent_is_replaced_and_says_so(
        self, demo_db: Path, caplog: pytest.LogCaptureFixture
    ) -> None:
        """The warm parent killed: a session opened before goes on, the server starts a new
        parent and logs it, and new sessions are forked from the new one."""
        caplog.set_level(logging.INFO, logger="educonnect.ssh")
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
            warm = server.warm
            assert warm is not None and warm.pid is not None
            first = warm.pid
            async with session(server) as before:
                os.kill(first, signal.SIGKILL)
                await until(lambda: warm.restarts == 1 and warm.pid != first)
                await step(before, (TAB, ENTER), "Vous souhaitez vous connecter à votre ENT")
                known = set(server.session_pids)
                async with session(server):
                    assert parent_of(await new_pid(server, known)) == warm.pid
        logged = [record.getMessage() for record in caplog.records]
        assert any(f"processus préchargé {first} arrêté" in line for line in logged), logged

    async def test_a_parent_that_does_not_answer_is_told_in_french(
        self, demo_db: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The warm parent stopped (SIGSTOP: alive, but answering nobody): past the wait, the
        person reads why in French and the session ends with status 1."""
        monkeypatch.setattr(forking, "FORK_SECONDS", 1.0)
        async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
            assert server.warm is not None and server.warm.pid is not None
            stopped = server.warm.pid
            os.kill(stopped, signal.SIGSTOP)
            try:
                async with asyncssh.connect(
                    LOOPBACK, server.port, known_hosts=None, username="parent", agent_path=None
                ) as conn:
                    process = await conn.create_process(
                        term_type=TERM, term_size=(80, 24), encoding=None
                    )
                    message = await process.stderr.read()
                    await process.wait_closed()
            finally:
                os.kill(stopped, signal.SIGCONT)
            assert "La session n'a pas pu démarrer" in message.decode()
            assert process.exit_status == 1
            assert server.sessions == 0
