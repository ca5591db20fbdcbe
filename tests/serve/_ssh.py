"""The SSH server as the tests reach it: a server on a loopback port, a person's terminal on it,
and the walks a person types there."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

import asyncssh

from services import Services
from tests.serve._terminal import ENTER, TAB, Terminal
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


def session(
    server: SshAppServer,
    size: tuple[int, int] = (80, 24),
    *,
    term: str = TERM,
    ready: str = "Se connecter",
    **connect: object,
) -> AbstractAsyncContextManager[Terminal]:
    """One person's terminal on the server, closed (and its app stopped) at the end;
    the options as for ``session_on``."""
    return session_on(server.port, size, term=term, ready=ready, **connect)


@asynccontextmanager
async def session_on(
    port: int,
    size: tuple[int, int] = (80, 24),
    *,
    term: str = TERM,
    ready: str = "Se connecter",
    **connect: object,
) -> AsyncIterator[Terminal]:
    """One person's terminal (of type ``term``) on the SSH server at ``port`` on the loopback
    address, once ``ready`` shows; ``connect`` may name another user (``username=``)."""
    options: dict[str, object] = {"known_hosts": None, "username": "parent", "agent_path": None}
    options.update(connect)
    async with asyncssh.connect(LOOPBACK, port, **options) as conn:
        process = await conn.create_process(term_type=term, term_size=size, encoding=None)
        terminal = Terminal(process, size)
        await terminal.read_until(ready)
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


PASSWORD = "Cerf-volant#29"

Walk = Callable[[Terminal], Awaitable[None]]


async def to_activation(terminal: Terminal) -> None:
    """Steps 1 to 2 with the keyboard: ENT of the collège, Montpellier, Représentant légal,
    then a click on « Je n'ai pas de compte → »."""
    await step(terminal, (TAB, ENTER), "Vous souhaitez vous connecter à votre ENT")
    await step(terminal, (TAB, ENTER), "Je sélectionne mon profil")
    await step(terminal, (ENTER,), "Je me connecte avec mon compte")
    await terminal.click("Je n'ai pas de compte")
    await terminal.read_until("Activation du compte")
    await terminal.settle()


def registration(
    services: Services, nom: str, prenom: str, phone: str, e164: str, birth_date: str
) -> Walk:
    """Steps 3 to 7 for a guardian with one child, typed key by key."""

    async def walk(terminal: Terminal) -> None:
        await to_activation(terminal)
        for text in (nom, TAB, prenom, TAB, phone):
            await (terminal.press(text) if text == TAB else terminal.type(text))
        await step(terminal, (ENTER,), "Recevoir mon code SMS")
        await step(terminal, (ENTER,), "Confirmation par SMS")
        await step(terminal, (ENTER,), "J'active mon compte")
        await terminal.type(sms_code(services, e164))
        await step(terminal, (ENTER,), "Je confirme être le représentant légal de")
        await terminal.press(TAB)
        await terminal.type(birth_date)
        await step(terminal, (ENTER,), "Mot de passe")
        await terminal.type(PASSWORD)
        await terminal.press(ENTER)
        await terminal.type(PASSWORD)
        await step(terminal, (ENTER,), "Votre compte est activé")

    return walk


def sms_code(services: Services, e164: str) -> str:
    text = services.outbox.messages(channel="sms", to=e164)[-1].text
    match = re.search(r"code d'activation est ([A-Z]{6})", text)
    assert match, text
    return match.group(1)
