"""How many people one small machine serves over SSH: the warm parent (each session forked from
a preloaded process, ``tui.serve.warm``) beside the spawn path (``--sans-prechargement``: a new
interpreter per session), in one run, on the same demo data file.

For each path, ``educonnect serve ssh`` (this checkout's) runs as its own process on a loopback
port, and real SSH clients (asyncssh, their screens played into pyte as the tests do) measure:

- **first screen**: channel open → the first full screen (« Se connecter » and the footer's
  « Quitter » both shown), ``--first`` sessions one after the other: median and p95;
- **memory**: N sessions held at step 3 (« Je me connecte avec mon compte »: the domain loaded,
  a store opened), then the summed PSS (``/proc/PID/smaps_rollup``) of the server's whole
  process tree (server, warm parent, every session) divided by N; for each N of ``--held``;
- **typing**: N sessions at the activation form, each typing a registration's fields (name,
  first name, phone, with Tab between them) at ``--rate`` keys per second, starts spread over
  a second; key → the first byte of the screen's update, p50 and p95 over every key of every
  session; for each N of ``--typing``.

Run: ``.venv/bin/python bench/capacity_bench.py [--first 20] [--held 10,50] [--typing
10,50,100] [--rate 3] [--paths warm,spawn] [--markdown FILE]``. CPU-heavy: the clients share
the machine with the server (on a 2-core machine, both are measured under that load).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

# Silences asyncssh's import-time warning (cryptography 51 deprecates DSA), as the server does.
from tui.serve import access  # noqa: F401

# isort: split
import asyncssh

from services import Settings, build_services
from services.demo import load_demo
from services.passwords import PasswordHasher

# The tests' SSH client: ``tests`` is no installed package, the checkout is the way to it (this
# script runs from it).
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from tests.serve._terminal import ENTER, TAB, Terminal

__all__ = ["main"]

ROOT = Path(__file__).resolve().parents[1]
LOOPBACK = "127.0.0.1"
SIZE = (80, 24)
TERM = "xterm-256color"
BANNER = re.compile(rb"Serveur SSH \S+ sur [^:]+:(\d+) ")
STEP_3 = "Je me connecte avec mon compte"
FORM = "Activation du compte"
DRIVE_AT_ONCE = 6
"""Sessions walked to their step at the same time (more only queue on two cores)."""
NO_ANSWER = 10.0
"""A key without an answer after this long counts as this long."""
TYPED = ("Dupont", TAB, "Jean", TAB, "0678901234")
PATHS = {"warm": [], "spawn": ["--sans-prechargement"]}


@dataclass
class Results:
    first: list[float] = field(default_factory=list)
    pss: dict[int, tuple[float, float]] = field(default_factory=dict)
    """N → (MiB per session, MiB of the whole tree)."""
    latency: dict[int, list[float]] = field(default_factory=dict)


@asynccontextmanager
async def server(db: Path, flags: list[str]) -> AsyncIterator[tuple[int, int]]:
    """This checkout's ``educonnect serve ssh`` on a free loopback port: (pid, port)."""
    command = "import sys; from tui.cli import main; sys.exit(main())"
    args = ["serve", "ssh", "--port", "0", "--db", str(db), "--max-sessions", "500"]
    args += ["--rate-limit", "100000", *flags]
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        command,
        *args,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        found = BANNER.search(await process.stdout.readline())
        assert found, "no banner"
        await process.stdout.readline()
        yield process.pid, int(found.group(1))
    finally:
        process.send_signal(signal.SIGTERM)
        await process.wait()


class Client:
    """One person's SSH connection and terminal."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: asyncssh.SSHClientConnection | None = None
        self.terminal: Terminal | None = None

    async def open(self, ready: str = "Quitter") -> float:
        """Connect, open the session; seconds from the channel's open to the first screen."""
        self.conn = await asyncssh.connect(
            LOOPBACK, self.port, known_hosts=None, username="parent", agent_path=None
        )
        start = time.perf_counter()
        process = await self.conn.create_process(term_type=TERM, term_size=SIZE, encoding=None)
        self.terminal = Terminal(process, SIZE)
        await self.terminal.read_while(
            lambda: (
                not (self.terminal is not None and self.terminal.shows("Se connecter"))
                or not self.terminal.shows(ready)
            ),
            timeout=120,
        )
        return time.perf_counter() - start

    async def walk(self, to_form: bool) -> None:
        """To step 3, or on to the activation form."""
        terminal = self.terminal
        assert terminal is not None
        await terminal.settle(timeout=120)
        for keys, seen in (
            ((TAB, ENTER), "Vous souhaitez vous connecter à votre ENT"),
            ((TAB, ENTER), "Je sélectionne mon profil"),
            ((ENTER,), STEP_3),
        ):
            for key in keys[:-1]:
                terminal.send(key)
                await terminal.settle(timeout=120)
            terminal.send(keys[-1])
            await terminal.read_until(seen, timeout=120)
            await terminal.settle(timeout=120)
        if to_form:
            await terminal.click("Je n'ai pas de compte")
            await terminal.read_until(FORM, timeout=120)
            await terminal.settle(timeout=120)

    async def type_at(self, rate: float, keys: Iterable[str]) -> list[float]:
        """Each key at its time (``rate`` a second); seconds from each key to the first byte
        the app sent after it. The screen is not played any more: only the bytes' arrival."""
        assert self.terminal is not None
        process = self.terminal.process
        latencies = []
        await asyncio.sleep(random.random())
        next_key = time.perf_counter()
        for key in keys:
            await asyncio.sleep(max(0.0, next_key - time.perf_counter()))
            sent = time.perf_counter()
            process.stdin.write(key.encode())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(process.stdout.read(65536), NO_ANSWER)
            latencies.append(time.perf_counter() - sent)
            # A key's answer may come in several reads: the rest is read before the next key.
            with contextlib.suppress(TimeoutError):
                while True:
                    await asyncio.wait_for(process.stdout.read(65536), 0.05)
            next_key += 1 / rate
        return latencies

    async def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            with contextlib.suppress(Exception):
                await self.conn.wait_closed()


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def pss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
    return total / 1024


async def in_batches(count: int, job: Callable[[int], Awaitable[None]]) -> None:
    gate = asyncio.Semaphore(DRIVE_AT_ONCE)

    async def one(index: int) -> None:
        async with gate:
            await job(index)

    await asyncio.gather(*(one(index) for index in range(count)))


async def held(port: int, count: int, to_form: bool) -> list[Client]:
    clients = [Client(port) for _ in range(count)]

    async def drive(index: int) -> None:
        await clients[index].open()
        await clients[index].walk(to_form)

    await in_batches(count, drive)
    return clients


async def measure(path: str, db: Path, args: argparse.Namespace) -> Results:
    results = Results()
    async with server(db, PATHS[path]) as (pid, port):
        for _ in range(args.first):
            client = Client(port)
            results.first.append(await client.open())
            await client.close()
        for count in args.held:
            clients = await held(port, count, to_form=False)
            await asyncio.sleep(1.0)
            whole = pss_mib(tree(pid))
            results.pss[count] = (whole / count, whole)
            print(f"  {path}: {count} held, {whole:.0f} MiB", flush=True)
            await asyncio.gather(*(client.close() for client in clients))
        for count in args.typing:
            clients = await held(port, count, to_form=True)
            typed = [key for text in TYPED for key in ([text] if text == TAB else list(text))]
            runs = await asyncio.gather(*(c.type_at(args.rate, typed) for c in clients))
            results.latency[count] = [value for run in runs for value in run]
            print(f"  {path}: {count} typing done", flush=True)
            await asyncio.gather(*(client.close() for client in clients))
    return results


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(all_results: dict[str, Results], args: argparse.Namespace) -> str:
    paths = list(all_results)
    rows = ["| | " + " | ".join(paths) + " |", "|---|" + "---|" * len(paths)]

    def row(label: str, cell: Callable[[Results], str]) -> None:
        rows.append(f"| {label} | " + " | ".join(cell(all_results[p]) for p in paths) + " |")

    row(
        f"first full screen, median of {args.first} (s)",
        lambda r: f"{statistics.median(r.first):.3f}",
    )
    row(f"first full screen, p95 of {args.first} (s)", lambda r: f"{quantile(r.first, 0.95):.3f}")
    for count in args.held:
        row(f"PSS per session, {count} held at step 3 (MiB)", partial(memory, count))
    for count in args.typing:
        row(f"key → update, {count} typing, p50 / p95 (ms)", partial(latency, count))
    return "\n".join(rows)


def memory(count: int, results: Results) -> str:
    per_session, whole = results.pss[count]
    return f"{per_session:.1f} ({whole:.0f} in all)"


def latency(count: int, results: Results) -> str:
    values = results.latency[count]
    return f"{quantile(values, 0.5) * 1000:.0f} / {quantile(values, 0.95) * 1000:.0f}"


def numbers(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first", type=int, default=20)
    parser.add_argument("--held", type=numbers, default=[10, 50])
    parser.add_argument("--typing", type=numbers, default=[10, 50, 100])
    parser.add_argument("--rate", type=float, default=3.0)
    parser.add_argument("--paths", type=lambda text: text.split(","), default=list(PATHS))
    parser.add_argument("--markdown", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "demo.json"
        services = build_services(Settings(db_path=db))
        load_demo(services.store, PasswordHasher(services.settings.hashing), services.clock)
        all_results = {}
        print("load average at the start: " + " ".join(f"{v:.1f}" for v in os.getloadavg()))
        for path in args.paths:
            print(f"{path}…", flush=True)
            all_results[path] = asyncio.run(measure(path, db, args))
    text = table(all_results, args)
    # The machine is shared: what else ran shows in its load.
    text += "\n\nload average at the end: " + " ".join(f"{v:.1f}" for v in os.getloadavg())
    print(text)
    if args.markdown is not None:
        args.markdown.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
