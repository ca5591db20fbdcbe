"""Several front machines on one PostgreSQL database: two ``educonnect serve ssh`` processes on
two ports stand for two machines behind a load balancer, and a family registers through each at
the same time."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pytest

from services import ManualClock, Services, Settings, build_services
from services.demo import DEMO_GUARDIANS, load_demo
from services.passwords import PasswordHasher
from store import Records
from store.postgres.store import PostgresStore
from store.records import AccountKind, AccountStatus
from tests._postgres import PostgresServer, empty_database
from tests.serve._ssh import LOOPBACK, TEST_SECONDS, Walk, registration, session_on

EDUCONNECT = str(Path(sys.executable).with_name("educonnect"))
BANNER = re.compile(rb"Serveur SSH \S+ sur [^:]+:(\d+) ")
HOMONYMS = ("06 78 90 12 34", "06 89 01 23 45")


@pytest.fixture
def demo_database(
    postgres_server: PostgresServer, tmp_path: Path, clock: ManualClock
) -> Iterator[Services]:
    """Services on a database holding the demo families (the test reads the SMS there)."""
    url = empty_database(postgres_server, "fronts")
    services = build_services(Settings(db_path=tmp_path / "local.json", db_url=url), clock=clock)
    load_demo(services.store, PasswordHasher(services.settings.hashing), clock)
    yield services
    assert isinstance(services.store, PostgresStore)
    services.store.close()


@asynccontextmanager
async def front_machine(
    url: str, host_key: Path, *, through_environment: bool
) -> AsyncIterator[tuple[int, bytes]]:
    """``educonnect serve ssh`` on a free loopback port, as a front machine runs it: the
    database named by ``--db`` or by ``EDUCONNECT_DB``. Yields its port and its host key's
    fingerprint; SIGTERM at the end."""
    env = {name: value for name, value in os.environ.items() if name != "EDUCONNECT_DB"}
    command = [EDUCONNECT, "serve", "ssh", "--host", LOOPBACK, "--port", "0"]
    command += ["--host-key", str(host_key)]
    if through_environment:
        env["EDUCONNECT_DB"] = url
    else:
        command += ["--db", url]
    server = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    try:
        assert server.stdout is not None
        banner = await server.stdout.readline()
        found = BANNER.search(banner)
        assert found, banner
        fingerprint = await server.stdout.readline()
        yield int(found.group(1)), fingerprint
    finally:
        if server.returncode is None:
            server.send_signal(signal.SIGTERM)
        await server.wait()


class TestTwoFrontMachines:
    async def test_two_families_register_at_once_one_through_each_machine(
        self, demo_database: Services, tmp_path: Path
    ) -> None:
        """The two Jean Dupont of the demo register at the same time, one on each machine (each
        session its own process with its own connection; both machines show one host key):
        both accounts end active with distinct identifiants, and the database's audit trail
        has both activations."""
        services = demo_database
        url = services.settings.db_url
        assert url is not None
        walks = (
            registration(services, "Dupont", "Jean", HOMONYMS[0], "+33678901234", "25/05/2013"),
            registration(services, "Dupont", "Jean", HOMONYMS[1], "+33689012345", "19/10/2007"),
        )
        # Machines behind one address share one host key: clients see one fingerprint.
        host_key = tmp_path / "ssh_host_ed25519_key"
        async with asyncio.timeout(TEST_SECONDS), AsyncExitStack() as machines:
            started = [
                await machines.enter_async_context(
                    front_machine(url, host_key, through_environment=index == 1)
                )
                for index in range(2)
            ]
            (first, fingerprint), (second, same) = started
            assert first != second
            assert fingerprint.startswith(b"Empreinte de la cl") and same == fingerprint
            ports = [first, second]

            async def one(port: int, walk: Walk) -> None:
                async with session_on(port) as terminal:
                    await walk(terminal)

            await asyncio.gather(*map(one, ports, walks))

        duponts = [g.id for g in DEMO_GUARDIANS if g.portable in HOMONYMS]
        records = Records(services.store.snapshot())
        identifiants = set()
        for guardian_id in duponts:
            account = records.accounts.get(kind=AccountKind.GUARDIAN.value, owner_id=guardian_id)
            assert account is not None
            assert account.status is AccountStatus.ACTIVE
            identifiants.add(account.identifiant)
        assert identifiants == {"j.dupont1", "j.dupont2"}
        activated = {
            (event["guardian_id"], event["identifiant"])
            for event in services.store.audit_log.read()
            if event["event"] == "account_activated"
        }
        assert {guardian for guardian, _ in activated} == set(duponts)
        assert {identifiant for _, identifiant in activated} == identifiants
