"""The SSH server as the tests reach it: a server on a loopback port, a person's terminal on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import asyncssh

from tests.serve._terminal import Terminal
from tui.serve.ssh import SshAppServer, SshConfig

LOOPBACK = "127.0.0.1"
TERM = "xterm-256color"
TEST_SECONDS = 55


@asynccontextmanager
async def running(db: Path, **options: object) -> AsyncIterator[SshAppServer]:
    """A server on a free loopback port for the length of the block."""
    server = SshAppServer(SshConfig(db_path=db, host=LOOPBACK, port=0, **options))  # type: ignore[arg-type]
    await server.start()
    try:
        yield server
    finally:
        server.close()
        await server.wait_closed()


@asynccontextmanager
async def session(
    server: SshAppServer, size: tuple[int, int] = (80, 24), **connect: object
) -> AsyncIterator[Terminal]:
    """One person's terminal on the server, closed (and its app stopped) at the end."""
    options: dict[str, object] = {"known_hosts": None, "username": "parent", "agent_path": None}
    options.update(connect)
    async with asyncssh.connect(LOOPBACK, server.port, **options) as conn:
        process = await conn.create_process(term_type=TERM, term_size=size, encoding=None)
        terminal = Terminal(process, size)
        await terminal.read_until("Se connecter")
        await terminal.settle()
        try:
            yield terminal
        finally:
            process.close()


async def step(terminal: Terminal, keys: tuple[str, ...], expected: str) -> None:
    await terminal.press(*keys[:-1])
    terminal.send(keys[-1])
    await terminal.read_until(expected)
    await terminal.settle()
