"""Back to school (« la rentrée »): many people registering and logging in at once, on the
TinyDB file and on PostgreSQL, side by side.

For each size, a school of N guardians is built (``store_bench.family``: each with one pupil,
half of them already active with a password, the other half waiting to register), copied into
a fresh PostgreSQL database (``admin copier``'s ``copy_store``), and then, on each store in
turn, ``--sessions`` processes (one per session, as the servers run them) start together and,
for ``--seconds`` (or until one of them has registered all its guardians), each repeat: one
whole registration of a guardian of their own (start → code → children → password) and one
login of an active account. No pause between steps: every session is as busy as it can be, so
the figures are the worst case for that many sessions.
Passwords are hashed at the project's settings (``PasswordHashing()``).

Printed: p50 / p95 of each operation in ms, registrations per minute, and the operations the
store refused (« occupée », the file's lock waited for more than 10 s), in a Markdown table.

The PostgreSQL server is a throwaway one in a temporary folder, started like the tests'
(``tests/_postgres.py``: Unix socket only) but durable: each commit waits for the disk, as
the file's ``fsync`` does, on the same disk.

Run: ``python bench/rentree_bench.py [--sizes 1000,10000,100000] [--sessions 20]
[--seconds 60] [--stores fichier,postgresql] [--file-max 10000]``; a quick look: ``--sizes
1000 --sessions 4 --seconds 10``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from multiprocessing.synchronize import Barrier, Event
from pathlib import Path
from typing import Any

from store_bench import build_store, family

from services import Services, Settings, build_services
from services.clock import SystemClock
from services.errors import ServiceError
from services.messaging import OutboxSmsGateway
from services.registration import ChildAnswer
from store import StoreError
from store.copying import copy_store
from store.database import Store
from store.postgres.store import PostgresStore
from store.records import AccountKind

# The throwaway server of the tests: ``tests`` is no installed package, the checkout is the way
# to it (this script runs from it).
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))
from tests._postgres import PostgresServer, blank_database

__all__ = ["main"]

STORES = ("fichier", "postgresql")
OPERATIONS = (
    "start",
    "send_code",
    "verify_code",
    "children",
    "confirm_children",
    "password_context",
    "set_password",
    "login",
)
# Their time is mostly argon2's, by design: the goals leave them out.
HASHING = ("set_password", "login")
# What ``store_bench.build_store`` gives every active account.
ACTIVE_PASSWORD = "Tournesol-42!"
NEW_PASSWORD = "Cerf-volant#29"
CODE = re.compile(r"code d'activation est ([A-Z]{6})")


class Phone:
    """The SMS gateway of a session: each message goes to the outbox as in service (the store
    does the same work), and the person's phone keeps the last one, to type its code."""

    def __init__(self) -> None:
        self.outbox: OutboxSmsGateway | None = None
        self.last: dict[str, str] = {}

    def send(self, to: str, text: str) -> None:
        assert self.outbox is not None
        self.outbox.send(to, text)
        self.last[to] = text


@dataclass
class Tally:
    """One session's measures, sent back to the parent."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: {op: [] for op in OPERATIONS})
    refused: dict[str, int] = field(default_factory=lambda: dict.fromkeys(OPERATIONS, 0))
    registrations: int = 0

    def merge(self, other: Tally) -> None:
        for op in OPERATIONS:
            self.seconds[op] += other.seconds[op]
            self.refused[op] += other.refused[op]
        self.registrations += other.registrations


class Refused(Exception):
    """An operation the store or the service refused: the registration under way is dropped."""


def timed(tally: Tally, op: str, action: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    try:
        result = action()
    except (StoreError, ServiceError) as error:
        tally.refused[op] += 1
        raise Refused(op) from error
    tally.seconds[op].append(time.perf_counter() - started)
    return result


def register(services: Services, phone: Phone, tally: Tally, number: int) -> None:
    """Steps 3 to 7 for guardian ``number`` (one waiting to register), as the screens call them."""
    guardian, pupil, _, _ = family(number, "")
    assert guardian.portable is not None
    national = "0" + guardian.portable[3:]
    registration = services.registration
    started = timed(
        tally, "start", lambda: registration.start(guardian.nom, guardian.prenom, national)
    )
    token = started.token
    timed(tally, "send_code", lambda: registration.send_code(token))
    found = CODE.search(phone.last[guardian.portable])
    assert found, phone.last[guardian.portable]
    timed(tally, "verify_code", lambda: registration.verify_code(token, found.group(1)))
    timed(tally, "children", lambda: registration.children(token))
    born = f"{pupil.naissance:%d/%m/%Y}"
    answers = [ChildAnswer(pupil_id=pupil.id, is_guardian=True, birth_date=born)]
    timed(tally, "confirm_children", lambda: registration.confirm_children(token, answers))
    timed(tally, "password_context", lambda: registration.password_context(token))
    timed(
        tally,
        "set_password",
        lambda: registration.set_password(token, NEW_PASSWORD, NEW_PASSWORD),
    )
    tally.registrations += 1


def log_in(services: Services, tally: Tally, number: int) -> None:
    """Guardian ``number`` (an active one) logs in with the right password."""
    *_, account = family(number, "")
    assert account is not None
    timed(
        tally,
        "login",
        lambda: services.login.login(
            account.identifiant, ACTIVE_PASSWORD, profile=AccountKind.GUARDIAN
        ),
    )


@dataclass(frozen=True)
class Together:
    """What the sessions of one run share: they start at once, and stop as soon as one of them
    has no guardian left to register (fewer sessions would then be measured as many)."""

    start: Barrier
    stop: Event
    results: multiprocessing.Queue[Tally]


def session(
    settings: Settings, size: int, index: int, sessions: int, seconds: float, together: Together
) -> None:
    """One session's process: its own store, its own guardians (every ``sessions``-th one), in
    an order of their own: families do not register in the order of their ids, and neighbours
    in an index would meet more often than real ones."""
    tally = Tally()
    try:
        phone = Phone()
        services = build_services(settings, sms=phone)
        phone.outbox = OutboxSmsGateway(services.store.outbox, SystemClock())
        waiting = list(range(2 * index + 1, size, 2 * sessions))
        random.Random(index).shuffle(waiting)
        active = range(2 * index, size, 2 * sessions)
        together.start.wait()
        deadline = time.monotonic() + seconds
        for turn, number in enumerate(waiting):
            if time.monotonic() >= deadline or together.stop.is_set():
                break
            try:
                register(services, phone, tally, number)
                log_in(services, tally, active[turn % len(active)])
            except Refused:
                continue
        else:
            together.stop.set()
    finally:
        # Even after a crash: the parent waits for one tally per session (the exit code then
        # says it failed).
        together.results.put(tally)


def run_sessions(settings: Settings, size: int, sessions: int, seconds: float) -> Run:
    """``sessions`` processes at once on the store of ``settings``; their merged measures."""
    context = multiprocessing.get_context("fork")
    together = Together(context.Barrier(sessions + 1), context.Event(), context.Queue())
    processes = [
        context.Process(target=session, args=(settings, size, index, sessions, seconds, together))
        for index in range(sessions)
    ]
    for process in processes:
        process.start()
    together.start.wait()
    started = time.monotonic()
    merged = Tally()
    for _ in processes:
        merged.merge(together.results.get())
    elapsed = time.monotonic() - started
    for process in processes:
        process.join()
        if process.exitcode != 0:
            raise RuntimeError(f"une session a échoué (code {process.exitcode})")
    return Run(merged, elapsed)


@dataclass(frozen=True)
class Run:
    tally: Tally
    elapsed: float

    def percentile(self, op: str, fraction: float) -> float | None:
        times = sorted(self.tally.seconds[op])
        if not times:
            return None
        if len(times) == 1:
            return times[0] * 1000
        return (
            statistics.quantiles(times, n=100, method="inclusive")[round(fraction * 100) - 1] * 1000
        )

    @property
    def per_minute(self) -> float:
        return self.tally.registrations / self.elapsed * 60


def build_school(folder: Path, size: int, server: PostgresServer | None) -> dict[str, Settings]:
    """The school of ``size`` guardians as a file and (with ``server``) as a database."""
    path = folder / f"rentree-{size}.json"
    build_store(path, size)
    # One bench session registers family after family, where a person's connection starts
    # one registration or two: the per-connection limit would refuse the bench, not a person.
    unlimited = {"max_starts_per_session": 1_000_000}
    chosen = {"fichier": Settings(db_path=path, **unlimited)}
    if server is not None:
        url = blank_database(server, f"rentree_{size}")
        source, target = Store(path).open(), PostgresStore(url).open()
        copy_store(source, target, url)
        target.close()
        chosen["postgresql"] = Settings(db_path=folder / "inutilise.json", db_url=url, **unlimited)
    return chosen


def cell(run: Run | None, op: str) -> str:
    if run is None:
        return "—"
    p50, p95 = run.percentile(op, 0.50), run.percentile(op, 0.95)
    refused = run.tally.refused[op]
    shown = "—" if p50 is None or p95 is None else f"{p50:.0f} / {p95:.0f}"
    return shown + (f" ({refused} refusées)" if refused else "")


def table(runs: dict[tuple[int, str], Run], sizes: list[int], stores: list[str]) -> str:
    columns = [(size, store) for size in sizes for store in stores]
    header = " | ".join(f"{size:,} {store}".replace(",", " ") for size, store in columns)
    lines = [f"| opération (p50 / p95 ms) | {header} |", "|---" + "|---:" * len(columns) + "|"]
    for op in OPERATIONS:
        mark = " (hachage)" if op in HASHING else ""
        cells = " | ".join(cell(runs.get(column), op) for column in columns)
        lines.append(f"| `{op}`{mark} | {cells} |")
    counts = " | ".join(
        f"**{runs[column].per_minute:.0f}**" if column in runs else "—" for column in columns
    )
    lines.append(f"| **inscriptions / minute** | {counts} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000", help="guardian counts")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent sessions")
    parser.add_argument("--seconds", type=float, default=60, help="measured time per store")
    parser.add_argument("--stores", default=",".join(STORES), help="fichier, postgresql or both")
    parser.add_argument("--dir", type=Path, default=None, help="folder for the files")
    parser.add_argument(
        "--file-max",
        type=int,
        default=10_000,
        help="largest size run on the file (above it, each step waits minutes for the lock, "
        "and each session keeps its own parsed copy of the whole file in memory)",
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    stores = [store for store in STORES if store in args.stores.split(",")]
    if min(sizes) < 2 * args.sessions:
        parser.error("each session needs a guardian to register and one to log in")
    server = PostgresServer(durable=True) if "postgresql" in stores else None
    runs: dict[tuple[int, str], Run] = {}
    began = time.perf_counter()
    if server is not None:
        server.start()
    try:
        with tempfile.TemporaryDirectory(dir=args.dir) as folder:
            for size in sizes:
                school = build_school(Path(folder), size, server)
                for store in stores:
                    if store == "fichier" and size > args.file_max:
                        continue
                    runs[(size, store)] = run_sessions(
                        school[store], size, args.sessions, args.seconds
                    )
                    print(f"{size} {store} : fait", file=sys.stderr, flush=True)
    finally:
        if server is not None:
            server.stop()
    load = os.getloadavg()[0]
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPU; "
        f"{args.sessions} sessions, {args.seconds:.0f} s per store and size; "
        f"load average at the end {load:.1f}; total {time.perf_counter() - began:.0f} s."
    )
    print()
    print(table(runs, sizes, stores))
    return 0


if __name__ == "__main__":
    sys.exit(main())
