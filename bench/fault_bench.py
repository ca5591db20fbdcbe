"""What an attacker or a broken disk finds (issue 13, item 11): the attacks replayed, the
figures in one table.

- **SIGKILL**: a process runs real registration starts (``RegistrationService.start()``: a
  registration and its audit line per transaction) and is killed at a random moment, N times.
  After each kill the store is opened as the next session would: a refused file is a corrupt
  one; a start the process reported as committed and not in the data is a lost commit; a
  registration in the data without its ``registration_started`` line is a missing audit line
  (and a line twice, a duplicate).
- **concurrent writers**: W processes × T starts each on one file at once: lost writes (data
  or audit), and the latency of one start (p50, p95).
- **damaged stores**: the corpus of ``tests/_damage.py`` (damaged data files and side files):
  each is opened and read as a session would; anything but the store's French refusal is a
  traceback, and a file changed by it is counted too.
- **neutral answers**: ``bench/neutral_timing.py``'s ratios real / unknown (of the medians,
  and the median of the pairs' ratios), padded to the floor as in service, then without it
  (« sans plancher »: the same I/O alone).

Run: ``python bench/fault_bench.py [--kills 300] [--writers 6] [--transactions 50]
[--pairs 200] [--dir FOLDER]``; paste the table into ``bench/RESULTS.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from multiprocessing.connection import Connection
from pathlib import Path

from neutral_timing import NOW, REAL_NEW, Timing, measure_neutral_answers

from services import ManualClock, PasswordHashing, Services, Settings, build_services
from services.demo import load_demo
from services.passwords import PasswordHasher
from store import Journal, Records, Store, StoreError

# tests/_damage.py is the corpus the refusal tests use; the bench runs from bench/.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests._damage import CASES, complete_store, folder_state

CHEAP = PasswordHashing(memory_cost_kib=1024, rounds=1, parallelism=1)


def _settings(db: Path) -> Settings:
    # The limits would refuse the same guardian's starts after a few, and a start padded to
    # the neutral answers' floor would be killed mostly while it sleeps: this is about the store.
    return Settings(
        db_path=db,
        hashing=CHEAP,
        neutral_answer_floor=timedelta(0),
        max_starts_per_mobile=10**9,
        max_starts_per_session=10**9,
        max_live_registrations_per_guardian=10**9,
    )


def _services(db: Path) -> Services:
    return build_services(_settings(db), clock=ManualClock(NOW), rng=random.SystemRandom())


def _start_loop(db: str, report: Connection) -> None:
    """Start registrations until killed; ``report`` gets the count after each commit."""
    services = _services(Path(db))
    done = 0
    while True:
        services.registration.start(*REAL_NEW)
        done += 1
        report.send(done)


def _start_many(db: str, count: int, latencies: Connection) -> None:
    services = _services(Path(db))
    took = []
    for _ in range(count):
        start = time.perf_counter()
        services.registration.start(*REAL_NEW)
        took.append(time.perf_counter() - start)
    latencies.send(took)


def _stored(db: Path) -> tuple[int, int, int]:
    """(registrations in the data, their audit lines, lines that are duplicates)."""
    store = Store(db).open()
    registrations = Records(store.snapshot()).registrations.count()
    lines = [
        r for r in Journal(store.audit_log.path).read() if r["event"] == "registration_started"
    ]
    # A line appended twice carries the same commit id (lines without one cannot tell).
    commits = [r["commit"] for r in lines if r.get("commit")]
    return registrations, len(lines), len(commits) - len(set(commits))


@dataclass
class KillFigures:
    trials: int = 0
    corrupt: int = 0
    lost_commits: int = 0
    missing_audit: int = 0
    duplicate_audit: int = 0


def sigkill_trials(folder: Path, kills: int) -> KillFigures:
    db = folder / "kill.json"
    load_demo(_services(db).store, PasswordHasher(CHEAP), ManualClock(NOW))
    context = multiprocessing.get_context("fork")
    chooser = random.Random(20261206)
    figures = KillFigures()
    committed = 0
    for _ in range(kills):
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_start_loop, args=(str(db), writer))
        process.start()
        writer.close()
        reported = 0
        for _ in range(chooser.randint(0, 3)):
            reported = reader.recv()
        # Spreads the kill over the transaction (lock, write, replace, audit append).
        time.sleep(chooser.uniform(0, 0.004))
        process.kill()
        process.join()
        while reader.poll():
            try:
                reported = reader.recv()
            except EOFError:
                break
        reader.close()
        figures.trials += 1
        try:
            registrations, _, _ = _stored(db)
        except StoreError:
            figures.corrupt += 1
            continue
        figures.lost_commits += max(0, committed + reported - registrations)
        committed = registrations
    registrations, lines, duplicates = _stored(db)
    figures.missing_audit = max(0, registrations - (lines - duplicates))
    figures.duplicate_audit = duplicates
    return figures


@dataclass
class WriterFigures:
    writers: int
    transactions: int
    lost_writes: int
    lost_audit: int
    p50_ms: float
    p95_ms: float


def concurrent_writers(folder: Path, writers: int, transactions: int) -> WriterFigures:
    db = folder / "writers.json"
    load_demo(_services(db).store, PasswordHasher(CHEAP), ManualClock(NOW))
    context = multiprocessing.get_context("fork")
    pipes, processes = [], []
    for _ in range(writers):
        reader, writer = context.Pipe(duplex=False)
        process = context.Process(target=_start_many, args=(str(db), transactions, writer))
        process.start()
        writer.close()
        pipes.append(reader)
        processes.append(process)
    took: list[float] = []
    for reader in pipes:
        took.extend(reader.recv())
    for process in processes:
        process.join()
    registrations, lines, _ = _stored(db)
    expected = writers * transactions
    cuts = statistics.quantiles(took, n=20)
    return WriterFigures(
        writers,
        transactions,
        expected - registrations,
        expected - lines,
        statistics.median(took) * 1000,
        cuts[18] * 1000,
    )


@dataclass
class DamageFigures:
    tried: int = 0
    refused: int = 0
    tracebacks: int = 0
    changed: int = 0


def damaged_stores(folder: Path) -> DamageFigures:
    figures = DamageFigures()
    for number, case in enumerate(CASES):
        place = folder / f"damage-{number}"
        place.mkdir()
        db = complete_store(place)
        case.damage(db)
        before = folder_state(place)
        figures.tried += 1
        try:
            store = Store(db).open()
            Records(store.snapshot()).accounts.all()
            store.audit_log.read()
            store.outbox.read()
        except StoreError:
            figures.refused += 1
        except Exception:
            figures.tracebacks += 1
        figures.changed += folder_state(place) != before
    return figures


def table(
    kills: KillFigures,
    writers: WriterFigures,
    damage: DamageFigures,
    timings: list[tuple[str, Timing]],
) -> str:
    rows = [
        ("SIGKILL pendant des inscriptions", "essais", f"{kills.trials}"),
        ("", "fichiers illisibles", f"{kills.corrupt}"),
        ("", "validations perdues", f"{kills.lost_commits}"),
        ("", "lignes d'audit manquantes", f"{kills.missing_audit}"),
        ("", "lignes d'audit en double", f"{kills.duplicate_audit}"),
        (
            "écrivains simultanés",
            "processus × transactions",
            f"{writers.writers} × {writers.transactions}",
        ),
        (
            "",
            "écritures perdues (données / audit)",
            f"{writers.lost_writes} / {writers.lost_audit}",
        ),
        ("", "latence p50 / p95 (ms)", f"{writers.p50_ms:.1f} / {writers.p95_ms:.1f}"),
        ("magasins endommagés", "essayés", f"{damage.tried}"),
        ("", "refusés en français", f"{damage.refused}"),
        ("", "traces d'exception", f"{damage.tracebacks}"),
        ("", "fichiers modifiés", f"{damage.changed}"),
    ]
    for floor, timing in timings:
        rows.append(
            (
                f"réponse neutre{floor} : {timing.answer}",
                "réel / inconnu (médianes, ms)",
                f"{timing.ratio:.3f} ({timing.real_ms:.2f} / {timing.unknown_ms:.2f}),"
                f" par paire {timing.pair_ratio:.3f}, réel plus lent {timing.real_slower:.0%}",
            )
        )
    lines = ["| attaque | mesure | valeur |", "|---|---|---:|"]
    lines += [f"| {attack} | {measure} | {value} |" for attack, measure, value in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=300)
    parser.add_argument("--writers", type=int, default=6)
    parser.add_argument("--transactions", type=int, default=50)
    parser.add_argument("--pairs", type=int, default=200)
    parser.add_argument("--dir", type=Path, default=None, help="folder for the files (a disk)")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=arguments.dir) as temporary:
        folder = Path(temporary)
        kills = sigkill_trials(folder, arguments.kills)
        writers = concurrent_writers(folder, arguments.writers, arguments.transactions)
        damage = damaged_stores(folder)
        timings: list[tuple[str, Timing]] = []
        for label, floor in (("", None), (" sans plancher", timedelta(0))):
            (folder / f"neutral{label}").mkdir()
            measured = measure_neutral_answers(
                folder / f"neutral{label}", arguments.pairs, None, floor
            )
            timings += [(label, timing) for timing in measured]
    print(f"Python {platform.python_version()}, {platform.machine()}, {sys.platform}")
    print(table(kills, writers, damage, timings))


if __name__ == "__main__":
    main()
