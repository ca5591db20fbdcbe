"""How much the store costs above the plain JSON round trip it cannot avoid.

For each size, one data file of N guardians (each with one pupil and one link, half of them
with an activated account) is built, then, on that same file and in the same run:

- floor: ``json.load`` of the file, and ``json.dump`` of it to a file in the same folder with
  ``fsync`` — what any whole-file JSON store pays per transaction;
- the store's transactions: an empty one (lock, read, validate, atomic write), one updating a
  guardian (lookup + upsert), and a real ``RegistrationService.start()`` (name + mobile matching
  over the whole table, then a registration written);
- an unchanged-file read: ``store.snapshot()`` and a lookup by id, served from the cache.

Run: ``python bench/store_bench.py [--sizes 1000,10000,50000] [--dir FOLDER]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from services import ManualClock, PasswordHashing, Settings, build_services
from services.passwords import PasswordHasher
from store import Records, Store
from store.records import (
    Account,
    AccountKind,
    AccountStatus,
    Establishment,
    Guardian,
    Link,
    LinkState,
    Pupil,
)

__all__ = ["main"]

NOW = datetime(2026, 9, 7, 8, 30, tzinfo=UTC)
SCHOOLS = tuple(
    Establishment(uai=f"03{41234 + n:05d}{'ABCDEFGH'[n]}", nom=name)
    for n, name in enumerate(
        (
            "CLG Frédéric Bazille",
            "CLG Jean Moulin",
            "LGT Jean Monnet",
            "LP Léonard de Vinci",
            "CLG Les Garrigues",
            "LGT Joffre",
            "CLG Marie Curie",
            "LPO Pierre Mendès-France",
        )
    )
)
SURNAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Lefebvre",
    "Mercier",
    "Dupont",
    "Lambert",
    "Bonnet",
    "François",
    "Martinez",
    "N'Diaye",
    "Payet",
    "Œuvray",
    "Da-Silva",
    "Nguyen",
]
FIRST_NAMES = [
    "Sophie",
    "Thomas",
    "Julie",
    "Karim",
    "Marie-Claude",
    "Jean-Édouard",
    "Aminata",
    "Jean",
    "Claire",
    "Bérénice",
    "Pedro",
    "Nathalie",
    "Stéphane",
    "Isabelle",
    "Frédéric",
    "Céline",
    "Mohamed",
    "Hélène",
    "Grégory",
    "Aurélie",
    "Loïc",
    "Maëlle",
]
PUPIL_NAMES = [
    "Lucas",
    "Emma",
    "Léa",
    "Nathan",
    "Hugo",
    "Chloé",
    "Moussa",
    "Awa",
    "Zoé",
    "Tom",
    "Inès",
    "Gaëlle",
    "Pablo",
    "Noé",
]
CLASSES = ("6A", "5B", "4C", "3A", "2NDE4", "1G2", "TG3", "CAP1")


def family(number: int, password_hash: str) -> tuple[Guardian, Pupil, Link, Account | None]:
    nom = f"{SURNAMES[number % len(SURNAMES)]}-{SURNAMES[(number // 7) % len(SURNAMES)]}"
    prenom = FIRST_NAMES[(number // 3) % len(FIRST_NAMES)]
    school = SCHOOLS[number % len(SCHOOLS)]
    guardian = Guardian(
        id=f"R{number:07d}",
        nom=nom,
        prenom=prenom,
        portable=f"+3361{number:07d}",
        courriel=f"{prenom.lower()}.{number}@exemple.fr" if number % 3 else None,
    )
    pupil = Pupil(
        id=f"E{number:07d}",
        nom=nom,
        prenom=PUPIL_NAMES[number % len(PUPIL_NAMES)],
        naissance=date(2008, 1, 1) + timedelta(days=number % 3650),
        classe=CLASSES[number % len(CLASSES)],
        uai=school.uai,
    )
    active = number % 2 == 0
    link = Link(
        guardian_id=guardian.id,
        pupil_id=pupil.id,
        state=LinkState.CONFIRMED if active else LinkState.PENDING,
        changed_at=NOW - timedelta(days=30) if active else None,
    )
    account = (
        Account(
            identifiant=f"{prenom[0].lower()}.famille{number}",
            kind=AccountKind.GUARDIAN,
            owner_id=guardian.id,
            status=AccountStatus.ACTIVE,
            password_hash=password_hash,
            created_at=NOW - timedelta(days=40),
            activated_at=NOW - timedelta(days=40),
            last_login_at=NOW - timedelta(days=2),
        )
        if active
        else None
    )
    return guardian, pupil, link, account


def build_store(path: Path, size: int) -> None:
    """One transaction inserting every document (the way an import would)."""
    password_hash = PasswordHasher(PasswordHashing()).hash("Tournesol-42!")
    families = [family(number, password_hash) for number in range(size)]
    store = Store(path).open()
    with store.transaction() as tx:
        tx.table("establishments").insert_multiple(s.model_dump(mode="json") for s in SCHOOLS)
        for index, table in enumerate(("guardians", "pupils", "links", "accounts")):
            tx.table(table).insert_multiple(
                row[index].model_dump(mode="json")  # type: ignore[union-attr]
                for row in families
                if row[index] is not None
            )


def median_ms(actions: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Median time of each action. Run in rounds (each action once per round), so a busy
    neighbour on the machine slows the floor and the store alike."""
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeat):
        for name, action in actions.items():
            started = time.perf_counter()
            action()
            timings[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) * 1000 for name, times in timings.items()}


def floor_read(path: Path) -> object:
    with path.open("rb") as handle:
        return json.load(handle)


def floor_dump(path: Path, data: object) -> None:
    """The floor as usually written: ``json.dump`` to the file, then ``fsync``."""
    scratch = path.with_name(path.name + ".floor")
    with scratch.open("w", encoding="utf-8") as handle:
        json.dump(data, handle)
        handle.flush()
        os.fsync(handle.fileno())
    scratch.unlink()


def floor_dumps(path: Path, data: object) -> None:
    """The fastest plain write: ``json.dump`` streams through the pure-Python encoder, while
    ``json.dumps`` uses the C one in a single pass; then one ``write`` and ``fsync``."""
    scratch = path.with_name(path.name + ".floor")
    with scratch.open("wb") as handle:
        handle.write(json.dumps(data).encode())
        handle.flush()
        os.fsync(handle.fileno())
    scratch.unlink()


def measure(folder: Path, size: int, repeat: int) -> dict[str, float]:
    path = folder / f"bench-{size}.json"
    build_store(path, size)
    cheap = PasswordHashing(memory_cost_kib=1024, rounds=1, parallelism=1)
    # The same guardian starts again and again: the start limits would refuse all but the
    # first few, and this measures the transaction, not the limits (nor the neutral answers'
    # floor).
    unlimited = Settings(
        db_path=path,
        hashing=cheap,
        neutral_answer_floor=timedelta(0),
        max_starts_per_mobile=10**6,
        max_starts_per_session=10**6,
        max_live_registrations_per_guardian=10**6,
    )
    services = build_services(unlimited, clock=ManualClock(NOW), rng=random.Random(size))
    store = services.store
    middle = size // 2 + 1
    target, _, _, _ = family(middle, "")
    national = f"06{target.portable[4:] if target.portable else ''}"

    def update_guardian() -> None:
        with store.transaction() as tx:
            records = Records(tx)
            guardian = records.guardians.get(id=target.id)
            assert guardian is not None
            records.guardians.put(guardian.model_copy(update={"courriel": "nouveau@exemple.fr"}))

    def empty_transaction() -> None:
        with store.transaction():
            pass

    def cached_lookup() -> None:
        assert Records(store.snapshot()).guardians.get(id=target.id) is not None

    data = floor_read(path)
    store.snapshot()
    result = {"size": float(size), "mb": path.stat().st_size / 1e6}
    result |= median_ms(
        {
            "read": lambda: floor_read(path),
            "dump": lambda: floor_dump(path, data),
            "dumps": lambda: floor_dumps(path, data),
            "empty": empty_transaction,
            "update": update_guardian,
            "start": lambda: services.registration.start(target.nom, target.prenom, national),
        },
        repeat,
    )
    store.snapshot()
    result |= median_ms({"cached": cached_lookup}, repeat)
    return result


def table(results: list[dict[str, float]]) -> str:
    lines = [
        "| guardians | file | `json.load` | `json.dump` + fsync | `json.dumps` + write + fsync "
        "| **floor** | empty tx | update tx | `start()` | cached read |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        floor = r["read"] + r["dumps"]
        size = f"{int(r['size']):,}".replace(",", " ")
        lines.append(
            f"| {size} | {r['mb']:.1f} MB | {r['read']:.1f} | {r['dump']:.1f} | {r['dumps']:.1f} "
            f"| **{floor:.1f}** | {r['empty']:.1f} ({r['empty'] / floor:.2f}×) "
            f"| {r['update']:.1f} ({r['update'] / floor:.2f}×) "
            f"| {r['start']:.1f} ({r['start'] / floor:.2f}×) "
            f"| {r['cached']:.2f} ({r['cached'] / r['read']:.3f}× load) |"
        )
    return "\n".join(lines)


def _default_repeat(size: int) -> int:
    return 9 if size <= 1_000 else 5 if size <= 10_000 else 3


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000,10000,50000", help="guardian counts, comma-separated"
    )
    parser.add_argument("--repeat", type=int, default=0, help="repetitions (default: by size)")
    parser.add_argument("--dir", type=Path, default=None, help="folder for the files (fsync cost)")
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",")]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        results = [
            measure(Path(folder), size, args.repeat or _default_repeat(size)) for size in sizes
        ]
    print(
        f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPU, "
        f"files in {args.dir or tempfile.gettempdir()}; times in ms, median; "
        "floor = `json.load` + `json.dumps` + write + fsync; (×) = ratio to the floor. "
        f"Total {time.perf_counter() - started:.0f} s."
    )
    print()
    print(table(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
