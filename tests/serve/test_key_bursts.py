"""Keys that arrive in one read act exactly as the same keys typed one by one: the same keys,
once typed slowly (each key handled before the next) and once in a single write, over a real
pty and over SSH, must leave the very same screen, colours included.

Every key of these sequences changes the screen: typed slowly, the next key goes once the app
has answered the last (``settle``), and a key that changes nothing would give no answer. So no
Space in an option list: the arrows have already chosen what they highlight."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from services import Services
from tests.serve._pty import child_argv, on_pty
from tests.serve._ssh import TEST_SECONDS, running, session
from tests.serve._terminal import Terminal

UP, DOWN, TAB, ENTER = "\x1b[A", "\x1b[B", "\t", "\r"

SEQUENCES = {
    # The case: another site chosen, then « Se connecter ».
    "choose-then-connect": [DOWN, TAB, ENTER],
    # Three screens down to step 2, then a name typed into « Identifiant ».
    "through-screens-then-type": [TAB, ENTER, TAB, ENTER, ENTER, "L", "e", "f", "è", "v"],
    # A choice changed back and forth before leaving the list.
    "back-and-forth": [DOWN, DOWN, UP, TAB, ENTER],
}


@pytest.fixture
def demo_db(demo_services: Services) -> Path:
    return demo_services.settings.db_path


@pytest.mark.parametrize("keys", SEQUENCES.values(), ids=SEQUENCES.keys())
def test_over_a_pty(demo_db: Path, keys: list[str]) -> None:
    with on_pty(child_argv(demo_db)) as slow:
        slow.read_until(lambda: slow.shows("Se connecter"))
        slow.quiet()
        for key in keys:
            slow.write(key.encode())
            slow.settle()
        expected = slow.cells()

    with on_pty(child_argv(demo_db)) as burst:
        burst.read_until(lambda: burst.shows("Se connecter"))
        burst.quiet()
        burst.write("".join(keys).encode())
        try:
            burst.read_until(lambda: burst.cells() == expected)
        except TimeoutError:
            shown = "\n".join("".join(str(cell[0]) for cell in row) for row in expected)
            raise AssertionError(f"typed slowly, the screen was:\n{shown}") from None


@pytest.mark.parametrize("keys", SEQUENCES.values(), ids=SEQUENCES.keys())
async def test_over_ssh(demo_db: Path, keys: list[str]) -> None:
    async with asyncio.timeout(TEST_SECONDS), running(demo_db) as server:
        async with session(server) as slow:
            await slow.press(*keys)
            expected = slow.cells()
        async with session(server) as burst:
            burst.send("".join(keys))
            await read_until_cells(burst, expected, slow)


async def read_until_cells(
    terminal: Terminal, expected: list[list[tuple[object, ...]]], slow: Terminal
) -> None:
    try:
        await terminal.read_while(lambda: terminal.cells() != expected)
    except TimeoutError:
        raise AssertionError(
            f"typed slowly:\n{slow.screen_text()}\nin one write:\n{terminal.screen_text()}"
        ) from None
