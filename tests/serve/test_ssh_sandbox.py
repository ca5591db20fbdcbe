"""A room of parents on ``serve ssh --bac-a-sable``: several register the same demo family at
the same moment through real SSH connections, each in their own copy of the demo."""

from __future__ import annotations

import asyncio
import os
from contextlib import AsyncExitStack
from pathlib import Path

from services import Services, Settings, build_services
from services.demo import DEMO_GUARDIANS, load_demo
from services.passwords import PasswordHasher
from store import Records
from store.records import AccountKind, AccountStatus
from tests.serve._sandbox import data_files, until
from tests.serve._ssh import PASSWORD, TEST_SECONDS, running, session, sms_code, step, to_activation
from tests.serve._terminal import ENTER, TAB, Terminal

PARENTS = 3
"""Three at once: these machines have two cores, each app is a process of its own."""
SOPHIE = next(guardian for guardian in DEMO_GUARDIANS if guardian.prenom == "Sophie")


async def register_sophie_martin(terminal: Terminal, services: Services) -> None:
    """Steps 1 to 7 for Sophie Martin (two children: Emma, then Lucas), typed key by key; the
    code is read from the outbox of this session's own sandbox."""
    await to_activation(terminal)
    for text in ("Martin", TAB, "Sophie", TAB, SOPHIE.portable):
        await (terminal.press(text) if text == TAB else terminal.type(text))
    await step(terminal, (ENTER,), "Recevoir mon code SMS")
    await step(terminal, (ENTER,), "Confirmation par SMS")
    await step(terminal, (ENTER,), "J'active mon compte")
    await terminal.type(sms_code(services, "+33612345678"))
    await step(terminal, (ENTER,), "Je confirme être le représentant légal de")
    await terminal.press(TAB)
    await terminal.type("05/09/2008")
    await terminal.press(TAB, TAB)
    await terminal.type("14/03/2012")
    await step(terminal, (ENTER,), "Mot de passe")
    await terminal.type(PASSWORD)
    await terminal.press(ENTER)
    await terminal.type(PASSWORD)
    await step(terminal, (ENTER,), "Votre compte est activé")


class TestARoomOfParents:
    async def test_each_parent_registers_sophie_martin_in_their_own_copy(
        self, tmp_path: Path, services: Services
    ) -> None:
        """Every session ends with Sophie Martin's account active as « s.martin1 » (each the
        first in its copy: in a shared file the second would be told the account exists); the
        server's own data file is never written; every sandbox is gone at the end."""
        own = services.settings.db_path
        load_demo(services.store, PasswordHasher(services.settings.hashing), services.clock)
        before = (own.read_bytes(), os.stat(own).st_mtime_ns)
        bacs = tmp_path / "bacs"
        async with (
            asyncio.timeout(TEST_SECONDS * 2),
            running(own, sandboxes=bacs) as server,
            AsyncExitStack() as sessions,
        ):
            rooms: list[tuple[Terminal, Path]] = []
            for _index in range(PARENTS):
                known = data_files(bacs)
                terminal = await sessions.enter_async_context(session(server))
                (data,) = data_files(bacs) - known
                rooms.append((terminal, data))
            copies = [build_services(Settings(db_path=data)) for _terminal, data in rooms]
            await asyncio.gather(
                *(
                    register_sophie_martin(terminal, copy)
                    for (terminal, _data), copy in zip(rooms, copies, strict=True)
                )
            )
            for copy in copies:
                account = Records(copy.store.snapshot()).accounts.get(
                    kind=AccountKind.GUARDIAN.value, owner_id=SOPHIE.id
                )
                assert account is not None
                assert account.status is AccountStatus.ACTIVE
                assert account.identifiant == "s.martin1"
                assert len(copy.outbox.messages(channel="sms")) == 1
        await until(lambda: not any(bacs.iterdir()))
        assert (own.read_bytes(), os.stat(own).st_mtime_ns) == before
