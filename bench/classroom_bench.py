"""A training room on one machine: ``educonnect serve ssh --bac-a-sable`` with 15 parents
connected at once, each on their own copy of the demo families, all held at step 3.

Starts the server as a trainer would (the ``educonnect`` command, loopback, open demo mode),
then opens the sessions together over real SSH connections (asyncssh), each with an 80×24
terminal played into a VT100 emulator (pyte), and measures:

- the time from the first connection attempt until every session shows its first screen;
- the time until every session has reached step 3 (« Activation du compte »), walked with the
  keyboard as a parent would (Tab, Entrée…), all sessions at once;
- the memory the room uses: the proportional set size (PSS, shared pages split between the
  processes that share them) summed over the server and all its descendants, read from
  ``/proc/PID/smaps_rollup``, before the sessions and while they are held at step 3; per
  session is the difference divided by the number of sessions.

Each parent connects from their own loopback address (127.0.0.N), as each machine of a room
has its own: the server's per-address connection limit is left as it is.

Run: ``.venv/bin/python bench/classroom_bench.py [--sessions N]`` (≈ 1 min; CPU-heavy: the
sessions start together on the machine's cores).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import pyte
from cryptography.utils import CryptographyDeprecationWarning

# As in tui/serve/ssh.py: asyncssh 2.24 names `dsa.*` while it loads, and cryptography 51 warns.
warnings.filterwarnings(
    "ignore",
    message="DSA is deprecated",
    category=CryptographyDeprecationWarning,
    module=r"asyncssh(\.|$)",
)

import asyncssh  # noqa: E402  (after the filter above, which must see its import)

__all__ = ["main"]

SIZE = (80, 24)
TAB, ENTER = "\t", "\r"
QUIET = 0.4
"""A screen is complete once the app has written nothing for this long."""
TIMEOUT = 180.0
KIB = 1024


class Terminal:
    """One parent's terminal: keys go out as bytes, the app's output is played into pyte."""

    def __init__(self, process: asyncssh.SSHClientProcess[bytes]) -> None:
        self.process = process
        self.screen = pyte.Screen(*SIZE)
        self.stream = pyte.ByteStream(self.screen)

    def shows(self, text: str) -> bool:
        return any(text in line for line in self.screen.display)

    async def read_until(self, text: str) -> None:
        async with asyncio.timeout(TIMEOUT):
            while not self.shows(text):
                chunk = await self.process.stdout.read(65536)
                if not chunk:
                    raise EOFError(f"session ended before {text!r}")
                self.stream.feed(chunk)

    async def settle(self) -> None:
        """Until the app has written nothing for ``QUIET`` seconds."""
        async with asyncio.timeout(TIMEOUT):
            while True:
                try:
                    chunk = await asyncio.wait_for(self.process.stdout.read(65536), QUIET)
                except TimeoutError:
                    return
                if not chunk:
                    raise EOFError("session ended")
                self.stream.feed(chunk)

    async def keys(self, keys: str, then: str) -> None:
        """Each key once the app has answered the last; then wait for ``then`` on screen."""
        for key in keys:
            self.process.stdin.write(key.encode())
            await self.settle()
        await self.read_until(then)


@asynccontextmanager
async def server(folder: Path) -> AsyncIterator[tuple[int, int]]:
    """``educonnect serve ssh --bac-a-sable`` on a free loopback port: (pid, port)."""
    command = [
        sys.executable,
        "-c",
        "import sys; from tui.cli import main; sys.argv[0] = 'educonnect'; main()",
        "serve",
        "ssh",
        "--bac-a-sable",
        "--db",
        str(folder / "salle.json"),
        "--port",
        "0",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "TMPDIR": str(folder)}
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        assert process.stdout is not None
        port = 0
        for line in process.stdout:
            found = re.search(r"127\.0\.0\.1:(\d+)", line)
            if found:
                port = int(found.group(1))
                break
        if not port:
            raise RuntimeError("the server did not announce its port")
        yield process.pid, port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@asynccontextmanager
async def parent(port: int, number: int) -> AsyncIterator[Terminal]:
    """Parent ``number``'s SSH session, from their own loopback address."""
    async with asyncssh.connect(
        "127.0.0.1",
        port,
        local_addr=(f"127.0.0.{10 + number}", 0),
        known_hosts=None,
        username="parent",
        agent_path=None,
    ) as connection:
        process = await connection.create_process(
            term_type="xterm-256color", term_size=SIZE, encoding=None
        )
        try:
            yield Terminal(process)
        finally:
            process.close()


async def to_step_3(terminal: Terminal) -> None:
    """Steps 1, 1.1, 1.2 and 2 with the keyboard, as the guide's keyboard hints say."""
    await terminal.settle()
    await terminal.keys(TAB + ENTER, "Vous souhaitez vous connecter à votre ENT")
    await terminal.keys(TAB + ENTER, "Je sélectionne mon profil")
    await terminal.keys(ENTER, "Je me connecte avec mon compte")
    await terminal.keys(TAB * 3 + ENTER, "Activation du compte")


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # The command name (field 2) may hold spaces; the parent's pid follows its ")".
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def pss_kib(pid: int) -> tuple[int, int]:
    """(summed PSS in KiB, number of processes) of ``pid``'s tree."""
    total = 0
    processes = descendants(pid)
    for member in processes:
        try:
            rollup = Path(f"/proc/{member}/smaps_rollup").read_text()
        except OSError:
            continue
        found = re.search(r"^Pss:\s+(\d+) kB", rollup, re.MULTILINE)
        total += int(found.group(1)) if found else 0
    return total, len(processes)


async def room(sessions: int) -> None:
    with tempfile.TemporaryDirectory(prefix="educonnect-salle-") as folder:
        async with server(Path(folder)) as (pid, port):
            await asyncio.sleep(1.0)
            alone, _count = pss_kib(pid)
            async with AsyncExitStack() as stack:
                start = time.monotonic()
                terminals = await asyncio.gather(
                    *(stack.enter_async_context(parent(port, n)) for n in range(sessions))
                )
                await asyncio.gather(*(t.read_until("Se connecter") for t in terminals))
                first_screen = time.monotonic() - start
                await asyncio.gather(*(to_step_3(t) for t in terminals))
                at_step_3 = time.monotonic() - start
                await asyncio.sleep(2.0)
                held, processes = pss_kib(pid)
                assert all(t.shows("Je confirme mon identité") for t in terminals)
            per_session = (held - alone) / sessions
            print(f"sessions: {sessions} (each its own sandbox, all at step 3)")
            print(f"first screen in every session: {first_screen:.1f} s after connecting")
            print(f"every session at step 3: {at_step_3:.1f} s after connecting")
            print(f"server alone: {alone / KIB:.0f} MiB PSS")
            print(
                f"server and sessions: {held / KIB:.0f} MiB PSS over {processes} processes, "
                f"{per_session / KIB:.0f} MiB per session"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sessions", type=int, default=15)
    arguments = parser.parse_args()
    asyncio.run(room(arguments.sessions))


if __name__ == "__main__":
    main()
